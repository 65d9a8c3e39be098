"""The host's checkpoint hook (issue 13): no frame acknowledges an event before it is durable."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tempest_core import App, Button, Column, Text
from tempest_core.host import Connection, HostSession, SessionTable
from tempestweb_contract import encode

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


def counter() -> App[int]:
    def increment() -> None:
        app.set_state(lambda n: n + 1)

    def view(count: int) -> Any:
        return Column(
            Text(f"Count: {count}", id="count"),
            Button("+", on_click=increment, id="inc"),
            Button("nothing", on_click=lambda: None, id="noop"),
        )

    app: App[int] = App(view=view, state=0)
    return app


class Port:
    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    def send(self, frame: bytes) -> None:
        self.frames.append(json.loads(frame))

    def close(self, code: int, reason: str) -> None:
        self.frames.append({"type": "closed", "code": code})

    def kinds(self) -> list[str]:
        return [frame["type"] for frame in self.frames]


class Gate:
    """A checkpointer whose writes wait until the test opens the gate (or fail)."""

    def __init__(self) -> None:
        self.snapshots: list[tuple[int, int]] = []  # (state, last_event_id) at snapshot time
        self.written: list[bytes] = []
        self.open = asyncio.Event()
        self.fail = False

    def snapshot(self, session: HostSession, /) -> bytes:
        self.snapshots.append((session.core.state, session.core.last_event_id))
        return json.dumps([session.core.state, session.core.last_event_id]).encode()

    async def write(self, session: HostSession, snapshot: bytes, /) -> None:
        await self.open.wait()
        if self.fail:
            raise OSError("redis is gone")
        self.written.append(snapshot)


async def _open(gate: Gate) -> tuple[SessionTable, Port, HostSession, int]:
    table = SessionTable(counter())
    port = Port()
    connection = Connection(table, port, transport="test")
    connection.receive(json.dumps({"type": "hello", "v": 1, "path": "/"}))
    session = connection.session
    assert session is not None
    session.checkpointer = gate
    node = _button(port.frames[0]["ops"])
    return table, port, session, node


def _button(ops: Any, name: str = "inc") -> int:
    stack = [ops]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            if len(item) >= 4 and item[0] == "e" and isinstance(item[3], dict) and item[3].get("id") == name:
                return int(item[1])
            stack.extend(item)
    raise AssertionError("no button")


async def test_issue_13_a_patch_acknowledging_an_event_waits_for_its_checkpoint() -> None:
    gate = Gate()
    table, port, session, node = await _open(gate)
    connection = session.peer
    assert isinstance(connection, Connection)
    connection.receive(json.dumps({"type": "event", "eid": 1, "node": node, "name": "click", "data": CLICK}))
    connection.receive(json.dumps({"type": "ping", "ts": 5}))
    await asyncio.sleep(0.05)
    assert port.kinds() == ["init"]  # the patch (ack 1) and the pong behind it wait
    assert gate.snapshots == [(1, 1)]  # snapshotted at the render, with the event
    assert session.missed(0) == []  # a resume before it is durable replays nothing yet
    gate.open.set()
    await session.settle()
    await asyncio.sleep(0)
    assert port.kinds() == ["init", "patch", "pong"]
    assert port.frames[1]["ack"] == 1 and gate.written
    await table.close_all()


async def test_issue_13_a_pong_acknowledging_events_without_a_render_waits_too() -> None:
    gate = Gate()
    table, port, session, _ = await _open(gate)
    connection = session.peer
    assert isinstance(connection, Connection)
    noop = _button(port.frames[0]["ops"], "noop")
    connection.receive(json.dumps({"type": "event", "eid": 1, "node": noop, "name": "click", "data": CLICK}))
    connection.receive(json.dumps({"type": "ping", "ts": 5}))
    await asyncio.sleep(0.05)
    assert port.kinds() == ["init"] and gate.snapshots == [(0, 1)]  # no render, yet snapshotted
    gate.open.set()
    await session.settle()
    await asyncio.sleep(0)
    assert port.kinds() == ["init", "pong"]
    await table.close_all()


async def test_issue_13_a_failed_checkpoint_drops_the_acknowledgement_and_closes_the_session() -> None:
    gate = Gate()
    gate.fail = True
    table, port, session, node = await _open(gate)
    connection = session.peer
    assert isinstance(connection, Connection)
    connection.receive(json.dumps({"type": "event", "eid": 1, "node": node, "name": "click", "data": CLICK}))
    await asyncio.sleep(0.01)
    gate.open.set()
    for _ in range(20):
        await asyncio.sleep(0.01)
        if session.closed:
            break
    assert session.closed and "patch" not in port.kinds()
    await table.close_all()


async def test_issue_13_a_restored_session_resumes_with_a_full_resync() -> None:
    table = SessionTable(counter())
    session = HostSession(table.app, session_id="s", token="t", path="/")
    session.restore(7, last_event_id=4, seq=9)
    session.mount()
    assert session.core.state == 7 and session.seq == 9
    assert session.missed(9) is None  # new node ids: never a replay onto the old DOM
    init = session.resync_init()
    assert init.seq == 9 and init.reset and b"Count: 7" in encode(init)
    assert session.missed(9) == []
    await session.close()
