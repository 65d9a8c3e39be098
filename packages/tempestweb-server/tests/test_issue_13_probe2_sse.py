"""Issue 13, second probe: an SSE ``POST /_tw/send`` body of many tiny array elements.

Found by probing ``tempestweb run examples/counter`` from outside: the POST body is one frame or
a JSON array of frames, and the array was decoded whole (``msgspec`` into one ``Raw`` per
element, then a ``bytes`` copy of each) before any frame was looked at. A body within the 16 MiB
frame limit of ``[hello, 0, 0, 0, ...]`` (8 million elements) grew the server from 88 to
1,030 MiB and held its event loop for 5.4 s (a healthy WebSocket session's click waited that
long); the POST was answered ``204``. Now a body is split one element at a time and at most
``MAX_FRAMES_PER_POST`` frames are taken: past it the POST is answered ``413
frame_too_large`` and none of it is handled. The JS client sends at most that many per POST.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_live import MODE_SCRIPT, counter_app, free_port, live_server, python_server

from tempestweb_contract import ContractError
from tempestweb_contract.constants import MAX_FRAME_BYTES, MAX_FRAMES_PER_POST
from tempestweb_server._sse import split_frames

COUNTER = """\
from tempest_core import App, Button, Column, Text


def increment() -> None:
    app.set_state(lambda n: n + 1)


app = App(view=lambda n: Column(Text(f"Count: {n}"), Button("+", on_click=increment)), state=0, title="C")
"""
PEAK_GROWTH_LIMIT_MIB = 256
"""What a 16 MiB body may add to the server's peak RSS (the old code: about 940 MiB)."""


def _page(base: str) -> tuple[str, str]:
    page = httpx.get(f"http://{base}/", timeout=10).text
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    assert session is not None and token is not None
    return session[1], token[1]


def _hello(session: str, token: str) -> str:
    return json.dumps({"type": "hello", "v": 1, "path": "/", "session": session, "token": token})


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise KeyError("VmHWM")


async def _frames(stream: httpx.Response, into: list[dict[str, Any]]) -> None:
    async for line in stream.aiter_lines():
        if line.startswith("data: "):
            into.append(json.loads(line[len("data: ") :]))


async def _flood_then_hello(base: str) -> tuple[httpx.Response, float, list[dict[str, Any]]]:
    """POST a 16 MiB ``[hello, 0, 0, ...]`` on a stream, then a hello alone; return what came back."""
    session, token = _page(base)
    query = {"session": session, "token": token}
    hello = _hello(session, token)
    elements = (MAX_FRAME_BYTES - len(hello) - 3) // 2
    body = ("[" + hello + ",0" * elements + "]").encode()
    assert len(body) <= MAX_FRAME_BYTES
    received: list[dict[str, Any]] = []
    async with httpx.AsyncClient(timeout=30) as http:
        request = http.build_request("GET", f"http://{base}/_tw/sse", params=query)
        stream = await http.send(request, stream=True)
        reader = asyncio.create_task(_frames(stream, received))
        started = time.monotonic()
        flood = await http.post(f"http://{base}/_tw/send", params=query, content=body)
        elapsed = time.monotonic() - started
        await asyncio.sleep(0.3)
        assert received == [], received  # nothing of the refused body was handled
        answer = await http.post(f"http://{base}/_tw/send", params=query, content=hello)
        assert answer.status_code == 204, answer.text
        for _ in range(100):
            if received:
                break
            await asyncio.sleep(0.05)
        reader.cancel()
        await stream.aclose()
    return flood, elapsed, received


def test_a_post_of_millions_of_tiny_elements_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(COUNTER)
    port = free_port()
    with python_server(MODE_SCRIPT, "run", str(tmp_path / "app.py"), str(port), port=port) as process:
        base = f"127.0.0.1:{port}"
        _page(base)  # warm: the first page's renders and imports
        before = _peak_rss_mib(process.pid)
        flood, elapsed, received = asyncio.run(_flood_then_hello(base))
        growth = _peak_rss_mib(process.pid) - before
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert flood.status_code == 413, (flood.status_code, flood.text[:300])
    error = flood.json()
    assert error["code"] == "frame_too_large" and error["fatal"] is True
    assert "exceeds" in error["message"]  # its 8 million values: refused before the walk
    assert growth < PEAK_GROWTH_LIMIT_MIB, f"peak RSS grew {growth:.0f} MiB"
    assert elapsed < 5, f"the refused POST took {elapsed:.1f} s"
    assert [frame["type"] for frame in received[:1]] == ["init"]  # the stream still serves its page
    assert "Traceback" not in output, output


async def _pings(base: str, count: int) -> tuple[int, int]:
    session, token = _page(base)
    query = {"session": session, "token": token}
    received: list[dict[str, Any]] = []
    async with httpx.AsyncClient(timeout=30) as http:
        request = http.build_request("GET", f"http://{base}/_tw/sse", params=query)
        stream = await http.send(request, stream=True)
        reader = asyncio.create_task(_frames(stream, received))
        hello = await http.post(f"http://{base}/_tw/send", params=query, content=_hello(session, token))
        assert hello.status_code == 204, hello.text
        pings = [json.dumps({"type": "ping", "ts": n}) for n in range(count)]
        answer = await http.post(f"http://{base}/_tw/send", params=query, content=f"[{','.join(pings)}]")
        await asyncio.sleep(1.0)
        reader.cancel()
        await stream.aclose()
    return answer.status_code, sum(1 for frame in received if frame["type"] == "pong")


@pytest.mark.parametrize(
    ("count", "status", "pongs"),
    [(MAX_FRAMES_PER_POST, 204, MAX_FRAMES_PER_POST), (MAX_FRAMES_PER_POST + 1, 413, 0)],
    ids=["at-the-limit", "one-over"],
)
def test_a_post_carries_at_most_max_frames_per_post(count: int, status: int, pongs: int) -> None:
    with live_server(counter_app()) as base:
        assert asyncio.run(_pings(base, count)) == (status, pongs)


@pytest.mark.parametrize(
    ("body", "frames"),
    [
        (b'{"type":"ping","ts":1}', [b'{"type":"ping","ts":1}']),
        (b' [ {"a":[1,{"b":"],"}]} ,\n2 ]\r\n', [b'{"a":[1,{"b":"],"}]}', b"2"]),
        (b"[]", []),
        (b"[1,]", [b"[1,]"]),  # not an array of values: passed whole, answered malformed_frame
        (b"[1 2]", [b"[1 2]"]),
        (b"[1] x", [b"[1] x"]),
        (b"[\xff]", [b"[\xff]"]),
        (b"\x0b[1]", [b"\x0b[1]"]),  # not JSON's whitespace
        ('["é\\ud800"]'.encode(), ['"é\\ud800"'.encode()]),
    ],
)
def test_split_frames(body: bytes, frames: list[bytes]) -> None:
    assert split_frames(body) == frames


def test_split_frames_stops_at_the_element_past_the_limit() -> None:
    with pytest.raises(ContractError, match="at most 3 frames"):
        split_frames(b"[0,0,0,0" + b"," * 1000, limit=3)  # the rest is never read
    assert split_frames(b"[0,0,0]", limit=3) == [b"0", b"0", b"0"]


def test_deep_nesting_is_passed_whole() -> None:
    body = b"[" * 50_000 + b"]" * 50_000  # under MAX_FRAME_VALUES, past the scanner's depth
    assert split_frames(body) == [body]
