"""Issue 13: the ASGI server is a setting (Hypercorn, Uvicorn, Granian), each honouring the limits."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import websockets
from server_live import counter_app, free_port, wait_for_port

from tempestweb_server import ServerConfig, create_app, serve_asgi
from tempestweb_server import _asgi_servers as servers
from tempestweb_server.errors import AddressInUseError, ConfigError

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
CASES = [
    ("hypercorn", "no_context_takeover"),
    ("hypercorn", "context_takeover"),
    ("hypercorn", "off"),
    ("uvicorn", "no_context_takeover"),
    ("uvicorn", "context_takeover"),
    ("uvicorn", "off"),
    ("granian", "off"),
]


@contextmanager
def serving(config: ServerConfig) -> Iterator[str]:
    asgi = create_app(counter_app(), config=config)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    errors: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(serve_asgi(asgi, config, shutdown_trigger=stop.wait))
        except BaseException as exc:
            errors.append(exc)
        finally:
            loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        wait_for_port(config.port)
        yield f"127.0.0.1:{config.port}"
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(20)
    assert not thread.is_alive() and not errors, errors


async def click_once(base: str) -> tuple[str | None, str]:
    page = httpx.get(f"http://{base}/").text
    node = re.search(r'<button data-tw="(\d+)"[^>]*id="inc"', page)
    session, token = (
        re.search(r'data-tw-session="([^"]+)"', page),
        re.search(r'data-tw-token="([^"]+)"', page),
    )
    assert node and session and token
    async with websockets.connect(f"ws://{base}/_tw/ws") as ws:  # offers permessage-deflate
        # websockets >= 14 has the handshake's response; the legacy client (12, the oldest tested)
        # has only its headers
        response = getattr(ws, "response", None)
        headers = response.headers if response is not None else getattr(ws, "response_headers")  # noqa: B009
        extensions = headers.get("Sec-WebSocket-Extensions")
        hello = {
            "type": "hello",
            "v": 1,
            "path": "/",
            "session": session[1],
            "token": token[1],
            "last_seq": 0,
        }
        await ws.send(json.dumps(hello))
        assert json.loads(await ws.recv())["type"] == "init"
        event = {"type": "event", "eid": 1, "node": int(node[1]), "name": "click", "data": CLICK}
        await ws.send(json.dumps(event))
        patch: dict[str, Any] = json.loads(await ws.recv())
    return extensions, json.dumps(patch["ops"])


@pytest.mark.parametrize(("name", "compression"), CASES)
def test_issue_13_each_server_serves_and_honours_ws_compression(name: str, compression: str) -> None:
    pytest.importorskip(name, reason=f"needs the {name} extra")
    config = ServerConfig(port=free_port(), asgi_server=name, ws_compression=compression)  # type: ignore[arg-type]
    with serving(config) as base:
        extensions, ops = asyncio.run(click_once(base))
    assert "Count: 1" in ops
    if compression == "off":
        assert extensions is None
    else:
        assert extensions is not None and extensions.startswith("permessage-deflate")
        assert ("server_no_context_takeover" in extensions) == (compression == "no_context_takeover")


@pytest.mark.parametrize("name", ["hypercorn", "uvicorn", "granian"])
def test_issue_13_a_busy_port_is_one_typed_error_whatever_the_server(name: str) -> None:
    pytest.importorskip(name, reason=f"needs the {name} extra")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = ServerConfig(port=port, asgi_server=name, ws_compression="off")  # type: ignore[arg-type]
        with pytest.raises(AddressInUseError, match=rf"port {port} on 127.0.0.1 is in use"):
            asyncio.run(serve_asgi(create_app(counter_app(), config=config), config))


def test_issue_13_a_server_not_installed_is_a_config_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)  # nothing is installed
    config = ServerConfig(asgi_server="uvicorn")
    with pytest.raises(
        ConfigError, match=r"'uvicorn' is not installed: pip install 'tempestweb-server\[uvicorn\]'"
    ):
        servers.check_installed(config)
    with pytest.raises(ConfigError, match=r"'granian' is not installed"):
        asyncio.run(serve_asgi(create_app(counter_app(), config=config), ServerConfig(asgi_server="granian")))


def test_issue_13_granian_refuses_compression_and_workers_need_hypercorn() -> None:
    pytest.importorskip("granian", reason="needs the granian extra")
    with pytest.raises(ConfigError, match=r"Granian does not negotiate permessage-deflate"):
        servers.check_installed(ServerConfig(asgi_server="granian"))
    with pytest.raises(ConfigError, match=r"ServerConfig.workers: 2 workers .* Hypercorn only"):
        ServerConfig(asgi_server="uvicorn", workers=2, redis="redis://127.0.0.1:1/0")
    with pytest.raises(ConfigError, match=r"ServerConfig: Invalid enum value 'daphne' - at `\$.asgi_server`"):
        ServerConfig.from_options({"asgi_server": "daphne"})
