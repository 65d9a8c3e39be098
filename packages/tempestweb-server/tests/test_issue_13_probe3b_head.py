"""Issue 13, probe 3b: a ``HEAD`` answers the ``GET``'s status and headers and opens nothing.

Checked over a real Hypercorn server with raw requests. A page's ``HEAD`` already opened no
session, but it answered ``200`` with ``Content-Length: 0`` where the ``GET`` sends the page
(RFC 9110, section 8.6: a ``HEAD``'s ``Content-Length``, if any, is the ``GET``'s), and ``200``
for ``//evil.example/x`` or a 20,000-character path, which the ``GET`` answers ``404``. A
``HEAD /_tw/sse?session=S&token=T`` opened a stream as the ``GET`` does: it took a handshake
slot until its client left or ``handshake_timeout_s`` passed, and for the session and token of
a live stream it took that stream over, which ended it (the session's next POST: ``404``). Now
both answer headers only (:mod:`tempestweb_server._head`).
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from typing import Any

import httpx
from server_live import counter_app, live_server
from starlette.requests import Request

from tempestweb_server import ServerConfig
from tempestweb_server._sse import SseChannels
from tempestweb_server.sessions import SessionManager

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


def _raw(base: str, method: str, target: str) -> tuple[int, dict[str, str]]:
    """Send one request over a socket; return its status and header fields (lower-case names)."""
    host, port = base.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"{method} {target} HTTP/1.1\r\nHost: {base}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in head[1:])
    return int(head[0].split()[1]), {name.lower(): value for name, value in fields.items()}


def test_issue_13_probe3b_a_page_head_answers_the_gets_status_and_headers() -> None:
    with live_server(counter_app(), max_sessions=3) as base:
        for target in ["/", "/deep/link?x=1", "//evil.example/x", "/\\evil.example", "/" + "a" * 20_000]:
            head_status, head = _raw(base, "HEAD", target)
            get_status, get = _raw(base, "GET", target)
            assert head_status == get_status, (target[:40], head_status, get_status)
            assert head["content-type"] == get["content-type"]
            if get_status == 200:
                assert "content-length" not in head, head  # RFC 9110 8.6: not 0 for a 15 KB page
                for name in ("content-security-policy", "x-content-type-options", "cache-control"):
                    assert head[name] == get[name]
            else:
                assert head["content-length"] == get["content-length"]
        for _ in range(20):  # more probes than the table holds: none of them is a session
            assert _raw(base, "HEAD", "/")[0] == 200
        page = httpx.get(f"http://{base}/", timeout=10).text
        assert 'data-tw-session="' in page


async def _head_of_a_stream() -> tuple[int, str, int, int]:
    manager = SessionManager(counter_app(), config=ServerConfig(max_handshakes=1))
    channels = SseChannels(manager)
    scope: dict[str, Any] = {
        "type": "http",
        "method": "HEAD",
        "path": "/_tw/sse",
        "query_string": b"session=s&token=t",
        "headers": [(b"host", b"127.0.0.1")],
    }
    response = await channels.stream(Request(scope))
    answer = (
        response.status_code,
        response.headers["content-type"],
        len(channels),
        manager.handshakes.pending,
    )
    await manager.close_all()
    return answer


def test_issue_13_probe3b_a_stream_head_opens_no_channel_and_takes_no_slot() -> None:
    status, content_type, open_channels, pending = asyncio.run(asyncio.wait_for(_head_of_a_stream(), 30))
    assert (status, content_type) == (200, "text/event-stream; charset=utf-8")
    assert open_channels == 0 and pending == 0


async def _frames(stream: httpx.Response, into: list[dict[str, Any]]) -> None:
    async for line in stream.aiter_lines():
        if line.startswith("data: "):
            into.append(json.loads(line[len("data: ") :]))


async def _wait_for(frames: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    for _ in range(200):
        for frame in frames:
            if frame["type"] == kind:
                return frame
        await asyncio.sleep(0.025)
    raise AssertionError(f"no {kind} frame: {frames}")


async def _a_live_stream_survives_a_head(base: str) -> tuple[int, dict[str, Any]]:
    page = httpx.get(f"http://{base}/", timeout=10).text
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    assert session is not None and token is not None
    query = {"session": session[1], "token": token[1]}
    received: list[dict[str, Any]] = []
    async with httpx.AsyncClient(timeout=10) as http:
        stream = await http.send(
            http.build_request("GET", f"http://{base}/_tw/sse", params=query), stream=True
        )
        reader = asyncio.create_task(_frames(stream, received))
        hello = {"type": "hello", "v": 1, "path": "/", "session": session[1], "token": token[1]}
        assert (
            await http.post(f"http://{base}/_tw/send", params=query, content=json.dumps(hello))
        ).status_code == 204
        init = await _wait_for(received, "init")
        node = int(
            re.findall(r'\["e",(\d+),"button",\{[^}]*"id":"inc"', json.dumps(init, separators=(",", ":")))[0]
        )
        head = await http.head(f"http://{base}/_tw/sse", params=query)
        event = {"type": "event", "eid": 1, "node": node, "name": "click", "data": CLICK}
        posted = await http.post(f"http://{base}/_tw/send", params=query, content=json.dumps(event))
        assert posted.status_code == 204, posted.text
        patch = await _wait_for(received, "patch")
        reader.cancel()
        await stream.aclose()
    return head.status_code, patch


def test_issue_13_probe3b_a_head_does_not_take_a_live_stream_over() -> None:
    with live_server(counter_app()) as base:
        status, patch = asyncio.run(asyncio.wait_for(_a_live_stream_survives_a_head(base), 30))
    assert status == 200
    assert "Count: 1" in json.dumps(patch)
