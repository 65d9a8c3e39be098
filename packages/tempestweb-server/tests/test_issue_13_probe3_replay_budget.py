"""Issue 13, third probe: the replay buffers of a process have a byte budget of their own.

A session keeps the patch batches its client has not acknowledged, for a resume, up to
``MAX_REPLAY_BYTES`` (8 MiB); nothing bounded them per process, so a server's ceiling was
``max_sessions`` x 8 MiB: clients that click and never acknowledge (or many disconnected sessions
waiting for their resume) grew it without bound relative to its memory. 12 such sessions of
6 MiB each grew a server by about 72 MiB whatever it was told. Now ``max_total_replay_bytes``
(``tempestweb.toml``, ``--max-total-replay-bytes``) bounds them together: past it the sessions
keeping the most lose their replay, and their clients resume with a full resync carrying every
acknowledged event instead of a replay.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import websockets
from server_live import MODE_SCRIPT, free_port, python_server

from tempest_core import App, Text
from tempest_core.host import ReplayBudget
from tempest_core.session import Session
from tempestweb_contract.constants import MAX_REPLAY_BYTES
from tempestweb_server import ServerConfig
from tempestweb_server._mode import _prepare
from tempestweb_server.errors import ConfigError
from tempestweb_server.sessions import SessionManager

TEXT_BYTES = 256 * 1024
BIG_APP = f"""\
from tempest_core import App, Button, Column, Text


def bump() -> None:
    app.set_state(lambda n: n + 1)


def view(n: int):
    return Column(Button("next", on_click=bump, id="inc"), Text("x" * {TEXT_BYTES} + "#" + str(n), id="t"))


app = App(view=view, state=0, title="Big")
"""
SESSIONS = 12
CLICKS = 24
"""Clicks per session: 24 patches of 256 KiB, 6 MiB, under what one session keeps (8 MiB)."""
BUDGET = 8 * 1024 * 1024
ALLOWANCE_MIB = 24
"""What the interpreter and the allocator may add over the budget (the 12 views' texts: 3 MiB)."""
CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


def _to(value: int) -> Callable[[object], int]:
    return lambda _: value


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise KeyError("VmRSS")


async def _hello(port: int, **fields: object) -> tuple[Any, dict[str, object]]:
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/_tw/ws", compression=None, max_size=None)
    await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/", **fields}))
    init = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert init["type"] == "init", init
    return ws, init


async def _session_never_acknowledging(port: int, clicks: int) -> tuple[str, str, int]:
    """Open a session, click ``clicks`` times, never acknowledge, disconnect; return (id, token, node)."""
    ws, init = await _hello(port)
    node = int(re.findall(r'\["e",\s*(\d+),\s*"button"', json.dumps(init))[0])
    for eid in range(1, clicks + 1):
        await ws.send(json.dumps({"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK}))
        while True:  # the patch that acknowledges the click; no ack is ever sent back
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if frame.get("type") == "patch" and frame.get("ack") == eid:
                break
    await ws.close()  # the session waits for a resume, its batches kept
    return str(init["session"]), str(init["token"]), node


async def _resume(port: int, session: str, token: str, last_seq: int) -> tuple[bool, int, str]:
    """Resume holding only batch ``last_seq``; return (full resync?, bytes replayed, final text)."""
    ws, init = await _hello(port, session=session, token=token, last_seq=last_seq)
    try:
        if init.get("reset"):
            texts = re.findall(r"x+#(\d+)", json.dumps(init["ops"]))
            return True, 0, texts[-1]
        replayed = 0
        text = ""
        seq = int(str(init["seq"]))
        while seq < last_seq + CLICKS - 1:  # the missed batches follow the init
            raw = await asyncio.wait_for(ws.recv(), 10)
            frame = json.loads(raw)
            if frame.get("type") == "patch":
                replayed += len(raw)
                seq = frame["seq"]
                text = re.findall(r"x+#(\d+)", str(raw))[-1]
        return False, replayed, text
    finally:
        await ws.close()


def test_issue_13_probe3_replay_buffers_share_a_process_budget(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(BIG_APP)
    (tmp_path / "tempestweb.toml").write_text(f"[server]\nmax_total_replay_bytes = {BUDGET}\n")
    port = free_port()

    async def flood() -> list[tuple[str, str, int]]:
        return [await _session_never_acknowledging(port, CLICKS) for _ in range(SESSIONS)]

    async def resume_all(sessions: list[tuple[str, str, int]]) -> list[tuple[bool, int, str]]:
        return [await _resume(port, sid, token, 1) for sid, token, _ in sessions]

    with python_server(MODE_SCRIPT, "run", str(tmp_path), str(port), port=port) as process:
        asyncio.run(_session_never_acknowledging(port, 4))  # warm-up: imports, first renders
        before = _rss_mib(process.pid)
        sessions = asyncio.run(flood())
        growth = _rss_mib(process.pid) - before
        resumed = asyncio.run(resume_all(sessions))
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert SESSIONS * CLICKS * TEXT_BYTES > 8 * BUDGET  # the flood is far past the budget
    bound = BUDGET / 2**20 + ALLOWANCE_MIB
    assert growth < bound, f"RSS grew {growth:.0f} MiB, bound {bound:.0f} MiB"
    # No acknowledged click lost: every session shows its 24 clicks, by a replay or a resync.
    assert [text for _, _, text in resumed] == [str(CLICKS)] * SESSIONS
    resynced = sum(reset for reset, _, _ in resumed)
    replayed = sum(size for _, size, _ in resumed)
    assert resynced >= SESSIONS - BUDGET // (CLICKS * TEXT_BYTES) - 1, resumed
    assert replayed <= BUDGET, replayed  # what was kept for a replay stayed within the budget
    assert "Traceback" not in output, output


def test_issue_13_probe3_the_largest_holders_are_shed_first() -> None:
    async def main() -> None:
        manager = SessionManager(
            App(view=lambda n: Text("y" * 10_000 + str(n)), state=0),
            config=ServerConfig(max_total_replay_bytes=100_000),
        )
        budget = manager.replay_budget
        assert isinstance(budget, ReplayBudget)
        hog, modest = manager.open("/"), manager.open("/")
        assert isinstance(hog.core, Session) and isinstance(modest.core, Session)
        for n in range(1, 8):  # ~70 KB kept by the hog
            hog.core.set_state(_to(n))
            await hog.core.flush()
        modest.core.set_state(lambda _: 1)
        await modest.core.flush()
        assert budget.used == hog._replay_bytes + modest._replay_bytes < 100_000
        for n in range(8, 12):  # past the budget: the hog, the largest holder, loses its replay
            hog.core.set_state(_to(n))
            await hog.core.flush()
        assert budget.shed_sessions >= 1
        assert budget.used <= 100_000
        assert modest.missed(0) is not None  # the modest session still replays
        assert hog.missed(1) is None  # the hog's client resumes with a full resync
        assert "y" * 10 in repr(hog.resync_init().ops)
        await manager.discard(hog)
        await manager.discard(modest)
        assert budget.used == 0  # closed sessions give their bytes back

    asyncio.run(asyncio.wait_for(main(), 20))


def test_issue_13_probe3_replay_budget_setting_is_typed(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("app = None\n")
    _, config = _prepare(str(tmp_path), {"max_total_replay_bytes": 4096})
    assert config.max_total_replay_bytes == 4096
    assert ServerConfig().max_total_replay_bytes >= MAX_REPLAY_BYTES
    with pytest.raises(ConfigError, match=r"max_total_replay_bytes: expected >= 1 byte, got 0"):
        _prepare(str(tmp_path), {"max_total_replay_bytes": 0})
    with pytest.raises(ConfigError, match=r"max_total_replay_bytes"):
        _prepare(str(tmp_path), {"max_total_replay_bytes": "lots"})
    for bad in ("0", '"lots"', "-1", "1.5"):
        (tmp_path / "tempestweb.toml").write_text(f"[server]\nmax_total_replay_bytes = {bad}\n")
        with pytest.raises(ConfigError, match=r"max_total_replay_bytes"):
            _prepare(str(tmp_path), {})
