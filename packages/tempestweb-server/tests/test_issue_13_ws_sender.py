"""Issue 13: the answer to a client frame leaves from the reader's turn (CPU per click).

``_Sender`` writes what the host queued while the reader fed it a frame by stepping the
WebSocket's ``send`` once, synchronously; a send that has to wait for the client is finished by
a task of its own, and frames behind it wait for the writer. What must hold: frames leave in the
order they were queued, the reader never waits for a client that does not read, the writer task
is not woken for what the reader wrote, and a send left waiting is cancelled with the connection.
The real server's paths (slow and flooding clients, ``queue_overflow``) are in test_issue_13.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tempest_core.host import FrameQueue
from tempestweb_server._ws import _pump_out, _Sender


class FakeSocket:
    """``websocket.send`` that completes at once, or waits for ``gate`` while it is closed."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.closed: tuple[int, str] | None = None
        self.waiting = 0

    async def send(self, message: dict[str, Any]) -> None:
        if not self.gate.is_set():  # the socket's buffer is full: drain() waits for the client
            self.waiting += 1
            await self.gate.wait()
        self.sent.append(message["text"])

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


def busy(sender: _Sender) -> bool:
    """Whether a send is under way (read through a call: each read is a new fact)."""
    return sender.busy


def feed(sender: _Sender, queue: FrameQueue, *frames: bytes) -> None:
    """What ``_pump_in`` does around ``Connection.receive``: hold, queue the answer, flush."""
    sender.hold()
    for frame in frames:
        queue.send(frame)
    sender.flush()


async def test_issue_13_an_answer_is_written_in_the_readers_turn_without_waking_the_writer() -> None:
    socket, queue = FakeSocket(), FrameQueue()
    sender = _Sender(socket, queue)  # type: ignore[arg-type]
    writer = asyncio.create_task(_pump_out(socket, queue, sender))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    feed(sender, queue, b"p1", b"p2")
    assert socket.sent == ["p1", "p2"]  # before any await: written synchronously
    assert not queue._ready.is_set() and queue.queued_bytes == 0  # the writer was not woken
    queue.close(1000, "bye")
    await asyncio.wait_for(writer, 1)
    assert socket.closed == (1000, "bye")


async def test_issue_13_frames_behind_a_waiting_send_leave_in_order_and_the_reader_never_waits() -> None:
    socket, queue = FakeSocket(), FrameQueue(max_bytes=64)
    sender = _Sender(socket, queue)  # type: ignore[arg-type]
    writer = asyncio.create_task(_pump_out(socket, queue, sender))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    socket.gate.clear()  # the client stops reading
    feed(sender, queue, b"a1", b"a2")  # returns although a1's send waits
    assert busy(sender) and socket.waiting == 1 and socket.sent == []
    assert queue.queued_bytes == 2  # a2 waits in the queue, counted against its bound
    feed(sender, queue, b"b1")  # a send is under way: the reader leaves b1 to the writer
    queue.send(b"c1")  # from a timer: the writer's, as always
    for _ in range(5):
        await asyncio.sleep(0)
    assert socket.sent == [] and queue.queued_bytes == 4  # a2 is the writer's, waiting behind a1
    socket.gate.set()  # the client reads again
    for _ in range(20):
        await asyncio.sleep(0)
    assert socket.sent == ["a1", "a2", "b1", "c1"] and not busy(sender)
    feed(sender, queue, b"d1")  # idle again: the reader's turn writes
    assert socket.sent[-1] == "d1"
    queue.close(1000, "")
    await asyncio.wait_for(writer, 1)


async def test_issue_13_the_close_waits_for_a_send_the_reader_started() -> None:
    socket, queue = FakeSocket(), FrameQueue()
    sender = _Sender(socket, queue)  # type: ignore[arg-type]
    writer = asyncio.create_task(_pump_out(socket, queue, sender))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    socket.gate.clear()
    queue.hold()
    queue.send(b"error")
    queue.close(1013, "queue_overflow")
    sender.flush()
    for _ in range(5):
        await asyncio.sleep(0)
    assert socket.closed is None  # the error frame has not left yet: no close before it
    socket.gate.set()
    await asyncio.wait_for(writer, 1)
    assert socket.sent == ["error"] and socket.closed == (1013, "queue_overflow")


async def test_issue_13_a_send_left_waiting_is_cancelled_with_the_connection() -> None:
    socket, queue = FakeSocket(), FrameQueue()
    sender = _Sender(socket, queue)  # type: ignore[arg-type]
    socket.gate.clear()
    feed(sender, queue, b"x")
    rest = sender._rest
    assert rest is not None and not rest.done()
    sender.cancel()
    for _ in range(5):
        await asyncio.sleep(0)
    assert rest.cancelled() and not busy(sender) and socket.sent == []
