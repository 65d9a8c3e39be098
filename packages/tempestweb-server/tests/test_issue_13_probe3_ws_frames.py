"""Issue 13, third probe: frames that reach no app cannot hold the event loop.

Hypercorn parses a connection's bytes (up to 64 KiB per read) in one go; complete messages are
paced by the app's queue, but a ping is answered in that same go and a message's continuation
frames wait for its end, so neither is paced. Found by sending, over a raw socket, empty masked
pings (6 bytes each) or one-byte continuation frames (7 bytes each) as fast as TCP takes them:
a healthy session beside it answered a click in 962 ms (pings) and 564 ms (fragments) at the
median instead of 1 ms, for as long as the flood went on (2 million frames in 10 s). Now such
frames draw on a per-connection budget (``_frame_guard.FrameGuard``: 256 at once, 64 a second)
and the connection is failed past it; messages in large fragments and the odd ping still work.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import signal
import statistics
import time
from pathlib import Path

import pytest
import websockets
from server_live import MODE_SCRIPT, client_frame, free_port, python_server

from tempestweb_server.constants import WS_CHEAP_FRAME_BURST

APP = """\
from tempest_core import App, Button, Column, Text


def bump() -> None:
    app.set_state(lambda n: n + 1)


def view(n: int):
    return Column(Text(f"Count: {n}", id="count"), Button("inc", on_click=bump, id="inc"))


app = App(view=view, state=0, title="Counter")
"""
CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
ATTACK_S = 3.0
BATCH = 10_000


async def upgrade(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        f"GET /_tw/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    await writer.drain()
    assert (await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)).startswith(b"HTTP/1.1 101")
    return reader, writer


async def flood(port: int, kind: str, stop: asyncio.Event) -> float | None:
    """Send ``kind`` frames until ``stop`` or the server ends the connection.

    Returns:
        Seconds from the first frame to the server's end of the connection, ``None`` when it
        was still open at ``stop`` and 2 s later.

    """
    reader, writer = await upgrade(port)
    started = time.monotonic()
    if kind == "fragments":
        writer.write(client_frame(0x1, b" ", fin=False))  # a text message begun, continued byte by byte
        chunk = b"".join(client_frame(0x0, b" ", fin=False) for _ in range(BATCH))
    else:
        chunk = b"".join(client_frame(0x9, b"") for _ in range(BATCH))
    ended = asyncio.Event()
    ended_after: float | None = None

    async def read_to_the_end() -> None:  # the pongs, then the server's end of the connection
        nonlocal ended_after
        try:
            while await reader.read(65536):
                pass
        except ConnectionError:
            pass
        ended_after = time.monotonic() - started
        ended.set()

    reading = asyncio.create_task(read_to_the_end())
    try:
        while not stop.is_set() and not ended.is_set():
            writer.write(chunk)
            await asyncio.wait_for(writer.drain(), ATTACK_S + 5)
    except (ConnectionError, TimeoutError):
        pass
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(ended.wait(), 2)
    reading.cancel()
    writer.close()
    return ended_after


async def clicks(port: int, stop: asyncio.Event, attacking: asyncio.Event) -> list[float]:
    """Click a healthy session until ``stop``; return the latency of each click made while ``attacking``."""
    latencies: list[float] = []
    async with websockets.connect(f"ws://127.0.0.1:{port}/_tw/ws") as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
        init = str(await asyncio.wait_for(ws.recv(), 10))
        node = int(re.findall(r'\["e",(\d+),"button",\{[^}]*"id":"inc"', init)[0])
        eid = 0
        while not stop.is_set():
            eid += 1
            started = time.monotonic()
            event = {
                "type": "event",
                "eid": eid,
                "node": node,
                "name": "click",
                "data": CLICK,
                "ack": eid - 1,
            }
            await ws.send(json.dumps(event))
            while json.loads(await asyncio.wait_for(ws.recv(), 30))["type"] != "patch":
                pass
            if attacking.is_set():
                latencies.append(time.monotonic() - started)
            await asyncio.sleep(0.02)
    return latencies


async def attack(port: int, kind: str) -> tuple[float | None, list[float]]:
    stop, attacking = asyncio.Event(), asyncio.Event()
    healthy = asyncio.create_task(clicks(port, stop, attacking))
    await asyncio.sleep(0.5)
    attacker = asyncio.create_task(flood(port, kind, stop))
    attacking.set()
    await asyncio.sleep(ATTACK_S)
    stop.set()
    return await attacker, await healthy


@pytest.mark.parametrize("kind", ["pings", "fragments"])
def test_issue_13_probe3_unpaced_frames_do_not_stall_other_sessions(kind: str, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    port = free_port()
    with python_server(MODE_SCRIPT, "run", str(tmp_path), str(port), port=port) as process:
        ended_after, latencies = asyncio.run(asyncio.wait_for(attack(port, kind), ATTACK_S + 60))
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    median = statistics.median(latencies)
    assert median < 0.1, f"{kind}: a healthy click took {median * 1000:.0f} ms at the median during the flood"
    assert ended_after is not None and ended_after < 1.0, (
        f"{kind}: the flood's connection ended: {ended_after}"
    )
    assert "Traceback" not in output, output


async def fair_use(port: int) -> tuple[int, str]:
    """A few pings and one event in 4 KiB fragments; return (pongs, the patch's count)."""
    reader, writer = await upgrade(port)
    writer.write(client_frame(0x1, json.dumps({"type": "hello", "v": 1, "path": "/"}).encode()))
    writer.write(b"".join(client_frame(0x9, b"hi") for _ in range(WS_CHEAP_FRAME_BURST // 2)))
    await writer.drain()
    received = b""
    while b'"type":"init"' not in received or received.count(b"\x8a\x02hi") < WS_CHEAP_FRAME_BURST // 2:
        received += await asyncio.wait_for(reader.read(65536), 10)
    node = int(re.findall(rb'\["e",(\d+),"button",\{[^}]*"id":"inc"', received)[0])
    event = json.dumps(
        {"type": "event", "eid": 1, "node": node, "name": "click", "data": {**CLICK, "pad": "x" * 20_000}}
    ).encode()
    parts = [event[i : i + 4096] for i in range(0, len(event), 4096)]
    for index, part in enumerate(parts):
        opcode = 0x1 if index == 0 else 0x0
        writer.write(client_frame(opcode, part, fin=index == len(parts) - 1))
    await writer.drain()
    tail = b""
    while b'"type":"patch"' not in tail:
        tail += await asyncio.wait_for(reader.read(65536), 10)
    writer.close()
    return received.count(b"\x8a\x02hi"), tail.decode("utf-8", "replace")


def test_issue_13_probe3_large_fragments_and_a_few_pings_still_work(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    port = free_port()
    with python_server(MODE_SCRIPT, "run", str(tmp_path), str(port), port=port) as process:
        pongs, patch = asyncio.run(asyncio.wait_for(fair_use(port), 30))
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    assert pongs == WS_CHEAP_FRAME_BURST // 2
    assert "Count: 1" in patch
