"""Issue 13, origin attacks: a name rebound to the server's loopback address (DNS rebinding).

Found by probing ``tempestweb run examples/gallery`` (on 127.0.0.1) from outside: with ``Host:
rebind.evil.example:<port>`` and the matching ``Origin`` (what a browser sends once a page's
own name resolves to 127.0.0.1), the page handed out its session token, the WebSocket accepted
the ``hello`` and an upload was stored. The ``Origin`` check compared the ``Origin`` with the
request's own ``Host``, which such a page controls. A server reached on a loopback address now
answers only IP addresses, ``localhost`` and the names of ``allowed_hosts``.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets
from server_live import counter_app, live_server
from websockets.typing import Origin

from tempestweb_server import ConfigError, ServerConfig
from tempestweb_server._origin import host_allowed, host_name

EVIL = "rebind.evil.example"


def _get(base: str, host: str, path: str = "/") -> httpx.Response:
    port = base.rsplit(":", 1)[1]
    return httpx.get(f"http://{base}{path}", headers={"Host": f"{host}:{port}", "Origin": f"http://{host}:{port}"})


async def _hello(base: str, host: str) -> str:
    """Open the WebSocket as a page served under ``host`` would: the first frame's type, or how it ended."""
    address, port = base.rsplit(":", 1)
    hello = {"type": "hello", "v": 1, "path": "/", "session": None, "token": None, "last_seq": None}
    try:  # the URL names ``host`` (the Host header), the socket goes to the server's address
        async with websockets.connect(
            f"ws://{host}:{port}/_tw/ws", origin=Origin(f"http://{host}:{port}"), host=address, port=int(port)
        ) as ws:
            await ws.send(json.dumps(hello))
            return str(json.loads(await asyncio.wait_for(ws.recv(), 10))["type"])
    except websockets.exceptions.InvalidHandshake as exc:  # InvalidStatus (InvalidStatusCode before 14)
        response = getattr(exc, "response", None)
        status = getattr(response, "status_code", None) or getattr(exc, "status_code", None)
        return f"refused {status}"


async def test_issue_13_a_rebound_name_gets_no_page_and_no_websocket() -> None:
    with live_server(counter_app()) as base:
        refused = _get(base, EVIL)
        assert refused.status_code == 400, refused.text  # was 200, with the session's token inside
        assert "data-tw-token" not in refused.text and "allowed_hosts" in refused.text
        assert _get(base, EVIL, "/_tw/client/boot.js").status_code == 400
        assert await _hello(base, EVIL) == "refused 403"  # was "init": a session to drive
        for host in ("localhost", "127.0.0.1", "app.localhost"):  # what a person on this machine uses
            assert _get(base, host).status_code == 200, host
            assert await _hello(base, host) == "init", host


async def test_issue_13_allowed_hosts_name_the_proxys_public_names() -> None:
    with live_server(counter_app(), allowed_hosts=("app.example.com", ".example.org")) as base:
        for host in ("app.example.com", "APP.example.com", "example.org", "eu.example.org"):
            assert _get(base, host).status_code == 200, host
        for host in ("example.com", "evil-example.org", EVIL):
            assert _get(base, host).status_code == 400, host
        assert await _hello(base, "app.example.com") == "init"
    with live_server(counter_app(), allowed_hosts=("*",)) as base:
        assert _get(base, EVIL).status_code == 200


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost:8000", "localhost"),
        ("[::1]:8000", "::1"),
        ("[::1]", "::1"),
        ("App.Example.COM.:443", "app.example.com"),
        ("a.b", "a.b"),
        ("host:port", None),
        ("[::1]x", None),
        ("bad host", None),
        ("evil/path", None),
        ("", None),
    ],
)
def test_host_names_are_read_as_rfc_9110_writes_them(header: str, name: str | None) -> None:
    assert host_name(header) == name


def test_only_a_loopback_local_address_is_guarded() -> None:
    guarded: list[tuple[str, int | None]] = [
        ("127.0.0.1", 80), ("127.0.1.1", 80), ("::1", 80), ("::ffff:127.0.0.1", 80)
    ]
    for server in guarded:
        assert not host_allowed(server, EVIL, ())
        assert host_allowed(server, "192.168.1.5:80", ())  # an address is never a rebound name
    unguarded: list[tuple[str, int | None]] = [
        ("10.1.2.3", 80),  # --host 0.0.0.0, reached from a container network by its name
        ("192.168.1.5", 80),
        ("93.184.215.14", 80),
        ("/run/app.sock", None),
    ]
    for server in unguarded:
        assert host_allowed(server, EVIL, ())
    assert host_allowed(("127.0.0.1", 80), None, ())  # no Host at all: not a browser


def test_allowed_hosts_are_host_names() -> None:
    assert ServerConfig(allowed_hosts=("app.example.com", ".example.org", "*")).allowed_hosts
    for bad in ("https://app.example.com", "app.example.com:443", "*.example.com", "", "a b"):
        with pytest.raises(ConfigError, match=r"ServerConfig\.allowed_hosts: .* is not a host name"):
            ServerConfig(allowed_hosts=(bad,))
