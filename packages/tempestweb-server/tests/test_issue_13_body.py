"""Issue 13, under attack: a POST body trickled byte by byte ends with 408 instead of holding on.

Found by probing ``tempestweb run examples/todomvc`` from outside: a ``POST /_tw/send`` of a live
SSE session whose body arrived one byte every 1.5 s was still open after 72 s (neither Hypercorn
nor the endpoint bounds a body's time), and so was any number of them. Now every POST body has
``body_timeout_s`` plus a second per ``body_min_rate`` bytes (Apache ``mod_reqtimeout``'s rule);
real Hypercorn on loopback, raw sockets for the slow clients.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from server_live import live_server

from tempest_core import App, Column, FileUpload, Text
from tempest_core.host import MAX_PENDING_UPLOAD_BYTES
from tempest_core.nodes import Element
from tempestweb_contract.errors import RESUMABLE_ERROR_CODES
from tempestweb_contract.project import ProjectConfigError, load_project
from tempestweb_server import ServerConfig
from tempestweb_server._body import BodyTimeout, paced_body
from tempestweb_server._mode import _prepare
from tempestweb_server.constants import DEFAULT_BODY_MIN_RATE, DEFAULT_BODY_TIMEOUT_S
from tempestweb_server.errors import ConfigError

GRACE_S = 1.0
"""The body timeout of these servers (``body_timeout_s``)."""
MIN_RATE = 100
"""Their minimum pace, bytes per second (``body_min_rate``)."""


async def _chunks(sizes_and_gaps: list[tuple[int, float]]) -> AsyncIterator[bytes]:
    for size, gap in sizes_and_gaps:
        await asyncio.sleep(gap)
        yield b"x" * size


async def _read(chunks: AsyncIterator[bytes]) -> int:
    return sum([len(chunk) async for chunk in chunks])


def test_issue_13_paced_body_passes_a_fast_body_and_cuts_a_trickle() -> None:
    async def scenario() -> None:
        # 20 chunks of 100 bytes, 50 ms apart (2,000 bytes/s): past the grace, kept by its pace
        fast = [(100, 0.05)] * 20
        assert await _read(paced_body(_chunks(fast), grace_s=0.3, min_rate=500)) == 2000
        # one byte every 0.1 s (10 bytes/s, below 100): cut once 0.3 s + received / 100 passed
        started = time.monotonic()
        with pytest.raises(BodyTimeout) as caught:
            await _read(paced_body(_chunks([(1, 0.1)] * 100), grace_s=0.3, min_rate=100))
        elapsed = time.monotonic() - started
        assert 2 <= caught.value.received <= 4 and 0.3 <= elapsed < 1.0
        assert caught.value.elapsed_s >= 0.3 and "request body too slow" in str(caught.value)
        # a body that sends nothing more is cut at its deadline, not when a next byte comes
        started = time.monotonic()
        with pytest.raises(BodyTimeout):
            await _read(paced_body(_chunks([(10, 0.0), (10, 60.0)]), grace_s=0.2, min_rate=100))
        assert time.monotonic() - started < 1.0

    asyncio.run(scenario())


def _slow_post(base: str, target: str, *, gap_s: float, limit_s: float) -> tuple[float, bytes]:
    """POST ``target`` with a declared 100 KB body sent one byte per ``gap_s``; return the answer.

    Returns:
        Seconds until the server answered (or closed), and what it sent.

    """
    host, port = base.split(":")
    sock = socket.create_connection((host, int(port)))
    head = f"POST {target} HTTP/1.1\r\nHost: {base}\r\nContent-Length: 100000\r\n\r\n"
    sock.sendall(head.encode())
    sock.settimeout(gap_s)
    started = time.monotonic()
    answer = b""
    try:
        while time.monotonic() - started < limit_s:
            try:
                sock.sendall(b" ")
            except OSError:
                break
            try:
                data = sock.recv(65536)
            except TimeoutError:
                continue
            if not data:
                break
            answer += data
            if b"\r\n\r\n" in answer:
                head_end = answer.index(b"\r\n\r\n") + 4
                length = re.search(rb"content-length: (\d+)", answer[:head_end].lower())
                if length and len(answer) >= head_end + int(length.group(1)):
                    break
    finally:
        sock.close()
    return time.monotonic() - started, answer


def _json_body(answer: bytes) -> dict[str, object]:
    return json.loads(answer.split(b"\r\n\r\n", 1)[1])  # type: ignore[no-any-return]


def test_issue_13_a_trickled_sse_post_gets_408_and_the_session_goes_on() -> None:
    hello = json.dumps({"type": "hello", "v": 1, "path": "/"})

    async def scenario(base: str) -> None:
        async with (
            httpx.AsyncClient(timeout=10) as client,
            client.stream("GET", f"http://{base}/_tw/sse?session=s1&token=t") as stream,
        ):
            lines = stream.aiter_lines()
            assert (await anext(lines)).startswith(": tempestweb")
            sent = await client.post(f"http://{base}/_tw/send?session=s1&token=t", content=hello)
            assert sent.status_code == 204
            elapsed, answer = await asyncio.to_thread(
                _slow_post, base, "/_tw/send?session=s1&token=t", gap_s=0.3, limit_s=15
            )
            # ~3 bytes/s against 100: cut within the grace and what little arrived
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
            assert elapsed < GRACE_S + 3
            frame = _json_body(answer)
            assert (frame["type"], frame["code"], frame["fatal"]) == ("error", "request_timeout", True)
            assert "request_timeout" in RESUMABLE_ERROR_CODES
            # nothing of the cut body was fed, and the session still answers on its stream
            ping = await client.post(
                f"http://{base}/_tw/send?session=s1&token=t", content='{"type":"ping","ts":7}'
            )
            assert ping.status_code == 204
            async for line in lines:
                if line.startswith("data: "):
                    message = json.loads(line[6:])
                    if message["type"] == "pong":
                        assert message["ts"] == 7
                        break
                    assert message["type"] == "init", message

    with live_server(
        App(view=lambda n: Text(f"{n}"), state=0), body_timeout_s=GRACE_S, body_min_rate=MIN_RATE
    ) as base:
        asyncio.run(scenario(base))


def _upload_view(_state: None) -> Element:
    return Column(Text("files"), FileUpload(max_bytes=1_000_000))


def test_issue_13_a_trickled_upload_gets_408_and_a_steady_one_is_stored() -> None:
    async def scenario(base: str) -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            page = (await client.get(f"http://{base}/")).text
            session = re.search(r'data-tw-session="([^"]+)"', page)
            token = re.search(r'data-tw-token="([^"]+)"', page)
            zone = re.search(r'<div data-tw="(\d+)"[^>]*data-tw-upload=""', page)
            assert session and token and zone
            query = f"session={session[1]}&token={token[1]}&node={zone[1]}&name=a.txt"
            elapsed, answer = await asyncio.to_thread(
                _slow_post, base, f"/_tw/upload?{query}&upload=upload-slow1", gap_s=0.3, limit_s=15
            )
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
            assert elapsed < GRACE_S + 3
            body = _json_body(answer)
            assert body["code"] == "upload_failed" and "bytes/s" in str(body["message"])

            # 3,000 bytes in 30 chunks 50 ms apart (2,000 bytes/s): longer than the grace, kept
            async def steady() -> AsyncIterator[bytes]:
                for _ in range(30):
                    await asyncio.sleep(0.05)
                    yield b"y" * 100

            target = f"http://{base}/_tw/upload?{query}&upload=upload-steady1"
            stored = await client.post(target, content=steady())
            assert (stored.status_code, stored.json()) == (200, {"id": "upload-steady1", "size": 3000})

    with live_server(App(view=_upload_view), body_timeout_s=GRACE_S, body_min_rate=MIN_RATE) as base:
        asyncio.run(scenario(base))


def test_issue_13_body_limits_from_toml_and_flags_with_typed_errors(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("app = None\n")
    _, defaults = _prepare(str(tmp_path), {})
    defaults_seen = (defaults.body_timeout_s, defaults.body_min_rate)
    assert defaults_seen == (DEFAULT_BODY_TIMEOUT_S, DEFAULT_BODY_MIN_RATE)
    (tmp_path / "tempestweb.toml").write_text("[server]\nbody_timeout_s = 5\nbody_min_rate = 2000\n")
    _, from_toml = _prepare(str(tmp_path), {})
    assert (from_toml.body_timeout_s, from_toml.body_min_rate) == (5.0, 2000)
    _, from_flags = _prepare(str(tmp_path), {"body_min_rate": 50})
    assert (from_flags.body_timeout_s, from_flags.body_min_rate) == (5.0, 50)
    (tmp_path / "tempestweb.toml").write_text("[server]\nbody_min_rate = 0\n")
    with pytest.raises(ProjectConfigError, match="body_min_rate"):
        load_project(tmp_path)
    with pytest.raises(ConfigError, match=r"ServerConfig.body_timeout_s: expected a positive number"):
        ServerConfig(body_timeout_s=0)
    with pytest.raises(ConfigError, match=r"ServerConfig.body_min_rate: expected >= 1, got 0"):
        ServerConfig(body_min_rate=0)
    # the process's budget of uploaded files waiting for their handler (test_upload.py)
    (tmp_path / "tempestweb.toml").write_text("[server]\nmax_upload_bytes = 5000\n")
    assert _prepare(str(tmp_path), {})[1].max_upload_bytes == 5000
    assert _prepare(str(tmp_path), {"max_upload_bytes": 7})[1].max_upload_bytes == 7
    assert defaults.max_upload_bytes == MAX_PENDING_UPLOAD_BYTES
    with pytest.raises(ConfigError, match=r"ServerConfig.max_upload_bytes: expected >= 1 byte, got 0"):
        ServerConfig(max_upload_bytes=0)
