"""Issue 13, second probe: the replay buffer holds its batches' bytes, not their decoded ops too.

A session keeps the patch batches its client has not acknowledged, for a resume, up to
``MAX_REPLAY_BYTES`` of encoded frames. Found by probing ``tempestweb run`` with an app whose
clicks replace 100 table rows (a 17 KiB patch each) and clients that never acknowledge: every
kept batch also held its ``Patch`` message, whose ops cost about 7 times the frame's bytes and
which nothing ever read. Four such sessions grew the server by 231 MiB where the frames they
may keep are 32 MiB (36 MiB once only the frames are kept).
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
from pathlib import Path

import websockets
from server_live import MODE_SCRIPT, free_port, python_server

from tempestweb_contract.constants import MAX_REPLAY_BYTES

ROWS_APP = """\
from tempest_core import App, Button, Column, html


def bump() -> None:
    app.set_state(lambda n: n + 1)


def view(n: int):
    rows = [html.tr(html.td(str(n * 1000 + i)), html.td("x"), key=f"{n}-{i}") for i in range(100)]
    return Column(Button("next", on_click=bump, id="inc"), html.table(html.tbody(*rows)))


app = App(view=view, state=0, title="Rows")
"""
SESSIONS = 2
CLICKS = 600
"""Clicks per session: about 10 MiB of patches, past what one session keeps (``MAX_REPLAY_BYTES``)."""
ALLOWANCE_MIB = 24
"""What the interpreter and the allocator may add over the kept frames (measured: 2 MiB)."""
CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise KeyError("VmRSS")


async def _clicks_never_acknowledged(port: int, sessions: int, clicks: int) -> int:
    """Open ``sessions`` sessions, click each ``clicks`` times, never acknowledge; return bytes received."""
    received = 0
    connections = []
    for _ in range(sessions):
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/_tw/ws", compression=None, max_size=None)
        connections.append(ws)
        await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
        init = await asyncio.wait_for(ws.recv(), 10)
        node = int(re.findall(r'\["e",\s*(\d+),\s*"button"', str(init))[0])
        for eid in range(1, clicks + 1):
            event = {"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK}
            await ws.send(json.dumps(event))
            while True:  # the patch that acknowledges the click; no ack is ever sent back
                frame = await asyncio.wait_for(ws.recv(), 10)
                received += len(frame)
                if f'"ack":{eid}' in str(frame):
                    break
    for ws in connections:  # closed: the sessions wait for a resume, their batches kept
        await ws.close()
    return received


def test_unacknowledged_batches_cost_their_frame_bytes(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(ROWS_APP)
    port = free_port()
    with python_server(MODE_SCRIPT, "run", str(tmp_path / "app.py"), str(port), port=port) as process:
        asyncio.run(_clicks_never_acknowledged(port, 1, 20))  # warm-up: imports, first renders
        before = _rss_mib(process.pid)
        received = asyncio.run(_clicks_never_acknowledged(port, SESSIONS, CLICKS))
        growth = _rss_mib(process.pid) - before
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert received > SESSIONS * MAX_REPLAY_BYTES  # each session kept as much as it may
    bound = SESSIONS * MAX_REPLAY_BYTES / 2**20 + ALLOWANCE_MIB
    assert growth < bound, f"RSS grew {growth:.0f} MiB, bound {bound:.0f} MiB"
    assert "Traceback" not in output, output
