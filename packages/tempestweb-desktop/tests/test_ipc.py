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
    events = "\n".join(_click(init, eid=eid) for eid in (1, 2, 3))
    link.receive(f"{connection_id}\n{len(channel.sent[0])}\n{events}".encode())
    session = next(iter(link.table))
    await session.settle()
    patches = [decode(frame) for frame in channel.sent[1:] if isinstance(frame, bytes)]
    assert patches and all(isinstance(p, Patch) for p in patches)
    last = patches[-1]
    assert isinstance(last, Patch) and last.ack == 3
    assert session.core.state == 3
    await link.close()


def _click(init: Init, *, eid: int) -> str:
    """The event frame of a click on the button the init frame creates."""
    create = next(op for op in init.ops if isinstance(op, Create))
    assert isinstance(create.node, ElementNode) and "click" in create.node.events
    return json.dumps({"type": "event", "eid": eid, "node": create.node.id, "name": "click", "data": {}})


def test_port_reply_collects_frames_and_numbers_them_after_the_channel() -> None:
    channel = FakeChannel()
    port = IpcPort(channel, max_unread_bytes=4)
    port.send(b'{"a":1}')  # channel frame 0
    assert port.take_reply() == b""  # no reply open: nothing collected
    port.open_reply()
    port.send(b'{"b":2}')
    port.send(b'{"c":3}')  # past the channel credit: a reply needs none
    assert port.take_reply() == b'1\n{"b":2}\n{"c":3}'  # after 1 channel frame
    port.open_reply()
    assert port.take_reply() == b""  # nothing sent while it was open
    assert channel.sent == [b'{"a":1}'] and port.sent_frames == 1 and port.sent_bytes == 7


def test_port_close_spills_the_open_reply_onto_the_channel_before_the_close() -> None:
    channel = FakeChannel()
    port = IpcPort(channel)
    port.open_reply()
    port.send(b'{"type":"error"}')
    port.close(1008, "bad")
    assert port.take_reply() == b""
    assert channel.sent == [b'{"type":"error"}', json.dumps({"close": 1008, "reason": "bad"})]


async def test_exchange_answers_a_click_with_its_patch() -> None:
    link = WindowLink("main", SessionTable(_counter()))
    channel = FakeChannel()
    connection_id = link.connect(channel)
    reply = link.exchange(f'{connection_id}\n0\n{{"type":"hello","v":1,"path":"/"}}'.encode())
    base, frame = reply.split(b"\n")
    init = decode(frame)
    assert base == b"0" and isinstance(init, Init) and channel.sent == []
    click = _click(init, eid=1)
    reply = link.exchange(f"{connection_id}\n0\n{click}".encode())
    base, frame = reply.split(b"\n")
    patch = decode(frame)
    assert base == b"0" and isinstance(patch, Patch) and patch.seq == 1 and patch.ack == 1
    assert channel.sent == []  # the patch rode in the reply, not on the channel
    ack = json.dumps({"type": "ack", "seq": 1})
    assert link.exchange(f"{connection_id}\n0\n{ack}".encode()) == b""
    with pytest.raises(StaleConnectionError):
        link.exchange(f"0.stale\n0\n{ack}".encode())
    await link.close()


async def test_exchange_leaves_later_pushes_on_the_channel() -> None:
    pushed = asyncio.Event()

    def view(n: int) -> Node:
        async def later() -> None:
            await pushed.wait()
            app.set_state(lambda k: k + 10)

        return html.button(str(n), id="b", on_click=later)

    app = App(view=view, state=0)
    link = WindowLink("main", SessionTable(app))
    channel = FakeChannel()
    connection_id = link.connect(channel)
    hello = f'{connection_id}\n0\n{{"type":"hello","v":1,"path":"/"}}'.encode()
    init = decode(link.exchange(hello).split(b"\n")[1])
    assert isinstance(init, Init)
    click = _click(init, eid=1)
    assert link.exchange(f"{connection_id}\n0\n{click}".encode()) == b""  # still awaiting
    pushed.set()
    session = next(iter(link.table))
    await session.settle()
    patches = [decode(frame) for frame in channel.sent]
    assert len(patches) == 1 and isinstance(patches[0], Patch) and patches[0].seq == 1
    assert session.core.state == 10
    await link.close()


class FakeResolver:
    def __init__(self, invoke: FakeInvoke) -> None:
        self.invoke = invoke
        self.arguments = {"body": invoke.body, "webview_window": None}

    def resolve(self, value: bytes) -> None:
        self.invoke.outcome.append(("resolve", value))

    def reject(self, value: str) -> None:
        self.invoke.outcome.append(("reject", value))


class FakeInvoke:
    """The part of ``pytauri.ipc.Invoke`` the host's invoke handler uses."""

    def __init__(self, command: str, body: bytes) -> None:
        self.command = command
        self.body = body
        self.outcome: list[tuple[str, object]] = []

    def bind_to(self, parameters: object) -> FakeResolver:
        return FakeResolver(self)

    def reject(self, value: str) -> None:
        self.outcome.append(("reject", value))


async def test_send_is_answered_on_the_host_loop_in_arrival_order_from_tauri_thread() -> None:
    import threading

    from pytauri.ipc import InvokeException

    from tempestweb_desktop._runtime import DesktopHost
    from tempestweb_desktop.config import DesktopConfig
    from tempestweb_desktop.constants import SEND_COMMAND

    host = DesktopHost(_counter(), DesktopConfig())
    host._loop = loop = asyncio.get_running_loop()
    seen: list[tuple[bytes, bool]] = []

    def send(body: bytes, webview_window: object) -> bytes:
        seen.append((body, threading.current_thread() is threading.main_thread()))
        if body == b"stale":
            raise InvokeException("window 'main': connection 0.x is not current")
        if body == b"bug":
            raise RuntimeError("a bug")
        return b"answer to " + body

    host._send = send  # type: ignore[method-assign]
    handler = host._invoke_handler(None)  # type: ignore[arg-type]  # the portal only serves other commands
    invokes = [FakeInvoke(SEND_COMMAND, body) for body in (b"1", b"2", b"stale", b"bug", b"3")]

    def tauri_thread() -> None:
        for invoke in invokes:
            handler(invoke)  # type: ignore[arg-type]

    tauri = threading.Thread(target=tauri_thread)
    tauri.start()
    tauri.join()  # Tauri's thread never waits for the loop
    assert seen == []
    for _ in range(10):
        await asyncio.sleep(0)
    assert seen == [(b"1", True), (b"2", True), (b"stale", True), (b"bug", True), (b"3", True)]
    assert [i.outcome for i in invokes] == [
        [("resolve", b"answer to 1")],
        [("resolve", b"answer to 2")],
        [("reject", "window 'main': connection 0.x is not current")],
        [("reject", "internal error: RuntimeError")],
        [("resolve", b"answer to 3")],
    ]
    closed = asyncio.new_event_loop()
    closed.close()
    host._loop = closed
    late = FakeInvoke(SEND_COMMAND, b"4")
    host._invoke_handler(None)(late)  # type: ignore[arg-type]
    assert late.outcome == [("reject", "the desktop host stopped")]
    host._loop = loop
