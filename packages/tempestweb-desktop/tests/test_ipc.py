"""The IPC transport's host end without a window: batches, send credit, stale pages, the protocol."""

from __future__ import annotations

import asyncio
import json

import pytest

from tempest_core import App, Node, html
from tempest_core.host import PortOverflow, SessionTable
from tempestweb_contract import Create, ElementNode, Init, Patch, decode
from tempestweb_desktop._ipc import IpcPort, StaleConnectionError, WindowLink, parse_batch


class FakeChannel:
    def __init__(self) -> None:
        self.sent: list[str | bytes] = []

    def send(self, data: str | bytes, /) -> None:
        self.sent.append(data)


def _counter() -> App[int]:
    def view(n: int) -> Node:
        return html.button(str(n), id="b", on_click=lambda: app.set_state(lambda k: k + 1))

    app = App(view=view, state=0)
    return app


def test_parse_batch() -> None:
    assert parse_batch(b"1.ab\n0") == ("1.ab", 0, [])
    assert parse_batch(b'1.ab\n42\n{"a":1}\n{"b":2}') == ("1.ab", 42, [b'{"a":1}', b'{"b":2}'])
    for bad in (b"", b"id", b"id\n-1", b"id\nx\n{}", b"\n0"):
        with pytest.raises(ValueError, match="malformed"):
            parse_batch(bad)


def test_port_sends_bytes_and_closes_with_a_json_control_message() -> None:
    channel = FakeChannel()
    port = IpcPort(channel)
    port.send(b'{"type":"pong","ts":1}')
    port.close(1000, "bye")
    port.send(b"{}")  # after close: dropped
    port.close(1011, "again")
    assert channel.sent == [b'{"type":"pong","ts":1}', json.dumps({"close": 1000, "reason": "bye"})]
    assert isinstance(channel.sent[1], str)  # arrives as an object in JS, never as a frame


def test_port_send_credit_is_bounded_by_unread_bytes() -> None:
    channel = FakeChannel()
    port = IpcPort(channel, max_unread_bytes=10)
    port.send(b"x" * 25)  # one frame always goes when nothing is unread
    with pytest.raises(PortOverflow):
        port.send(b"y")
    port.report(20)  # the page read 20 of 25: 5 unread
    port.send(b"y" * 5)
    with pytest.raises(PortOverflow):
        port.send(b"z")
    port.report(10**9)  # a count above what was sent is clamped
    assert port.read_bytes == port.sent_bytes == 30


async def test_link_runs_the_protocol_and_rejects_stale_pages() -> None:
    link = WindowLink("main", SessionTable(_counter()))
    first = FakeChannel()
    old_id = link.connect(first)
    link.receive(f'{old_id}\n0\n{{"type":"hello","v":1,"path":"/index.html"}}'.encode())
    assert isinstance(first.sent[0], bytes)
    init = decode(first.sent[0])
    assert isinstance(init, Init) and init.seq == 0

    second = FakeChannel()  # the page reloaded: a new connection, a new session
    new_id = link.connect(second)
    assert new_id != old_id
    with pytest.raises(StaleConnectionError):
        link.receive(f"{old_id}\n0".encode())
    link.receive(f'{new_id}\n0\n{{"type":"hello","v":1,"path":"/"}}'.encode())
    for _ in range(3):
        await asyncio.sleep(0)
    assert len(link.table) == 1  # the first page's session is closed once the new one is in use
    await link.close()
    assert len(link.table) == 0


async def test_link_delivers_a_batch_in_order() -> None:
    link = WindowLink("main", SessionTable(_counter()))
    channel = FakeChannel()
    connection_id = link.connect(channel)
    link.receive(f'{connection_id}\n0\n{{"type":"hello","v":1,"path":"/"}}'.encode())
    init = decode(channel.sent[0])
    assert isinstance(init, Init)
    create = init.ops[0]
    assert isinstance(create, Create) and isinstance(create.node, ElementNode)
    assert create.node.events == {"click": 0}
    events = "\n".join(
        json.dumps({"type": "event", "eid": eid, "node": create.node.id, "name": "click", "data": {}})
        for eid in (1, 2, 3)
    )
    link.receive(f"{connection_id}\n{len(channel.sent[0])}\n{events}".encode())
    session = next(iter(link.table))
    await session.settle()
    patches = [decode(frame) for frame in channel.sent[1:] if isinstance(frame, bytes)]
    assert patches and all(isinstance(p, Patch) for p in patches)
    last = patches[-1]
    assert isinstance(last, Patch) and last.ack == 3
    assert session.core.state == 3
    await link.close()
