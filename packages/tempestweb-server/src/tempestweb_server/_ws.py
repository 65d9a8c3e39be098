"""WebSocket transport: a thin adapter between a Starlette WebSocket and the session host.

Inbound text frames go to :meth:`tempest_core.host.Connection.receive`; outbound frames leave a
byte-bounded :class:`~tempest_core.host.FrameQueue`, so a client that does not read can hold at
most ``max_queue_bytes`` of this process (RFC 6455; docs/protocol.md). The answer to a client
frame is written by the reader in the same turn of the event loop when nothing else is being
written (:class:`_Sender`); everything else, and anything behind a send that has to wait for
the client, leaves from a writer task.
With several workers on Redis the first frame is routed first (:func:`~tempestweb_server._relay.open_link`):
the session may be served by another worker, and then this socket is a relayed pipe to it.
Keep-alive pings come from the loop's one :class:`~tempestweb_server._keepalive.KeepAlive`
timer, not from a task per connection: a connection costs two tasks (reader and writer). Until
its first frame a connection holds one of the app's handshake slots
(:class:`~tempestweb_server._handshake.Handshakes`: ``max_handshakes``, ``handshake_timeout_s``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

import anyio
from starlette.websockets import WebSocket, WebSocketDisconnect

from tempest_core.host import Connection, FrameQueue
from tempestweb_contract import Error, encode
from tempestweb_contract.constants import CLOSE_POLICY_VIOLATION, CLOSE_TRY_AGAIN_LATER
from tempestweb_server._keepalive import keepalive_for
from tempestweb_server._origin import origin_allowed
from tempestweb_server._relay import RelayLink, open_link
from tempestweb_server.constants import CLOSE_DRAIN_TIMEOUT_S
from tempestweb_server.sessions import SessionManager

__all__ = ["serve_websocket"]

logger = logging.getLogger("tempestweb.server")

_DISCONNECTED = (WebSocketDisconnect, RuntimeError, OSError)


async def serve_websocket(websocket: WebSocket, manager: SessionManager, /) -> None:
    """Run the protocol over one WebSocket until either side closes.

    Args:
        websocket: The not yet accepted Starlette WebSocket of ``/_tw/ws``.
        manager: The app's session manager.

    """
    await websocket.accept()
    config = manager.config
    if not origin_allowed(websocket.headers, config.allowed_origins):
        origin = websocket.headers.get("origin", "")
        logger.warning("rejected WebSocket from origin %r", origin[:200])
        message = f"origin {origin[:200]!r} is not allowed"
        rejection = encode(Error(code="origin_rejected", message=message, fatal=True))
        await _refuse(websocket, rejection, CLOSE_POLICY_VIOLATION, "origin_rejected")
        return
    handshakes = manager.handshakes
    if not handshakes.enter():
        await _refuse(websocket, handshakes.busy_frame(), CLOSE_TRY_AGAIN_LATER, "server_busy")
        return
    waiting = True  # holds a handshake slot until the first frame (or the end)
    queue = FrameQueue(max_bytes=config.max_queue_bytes, budget=manager.outbox_budget)
    sender = _Sender(websocket, queue)
    cluster = manager.cluster
    # Keep-alive pings never end the connection themselves (an overflow's error frame must
    # still be written by the writer before the close).
    keepalive = keepalive_for(config.ping_interval_s)
    connection: Connection | RelayLink | None = None
    if cluster is None:
        connection = Connection(manager, queue, transport="ws", max_frame_bytes=config.max_frame_bytes)
        keepalive.add(connection)
    try:
        async with anyio.create_task_group() as group:

            async def reader() -> None:
                nonlocal connection, waiting
                first: str | bytes | None = None
                with anyio.move_on_after(handshakes.timeout_s) as deadline:
                    first = await _first_frame(websocket)
                waiting = False
                handshakes.leave()
                if deadline.cancelled_caught:  # the writer sends the error, then closes
                    queue.send(handshakes.timeout_frame())
                    queue.close(CLOSE_POLICY_VIOLATION, "handshake_timeout")
                    return
                if first is None:
                    group.cancel_scope.cancel()
                    return
                if cluster is not None:  # route the hello first: the session may live elsewhere
                    connection = await open_link(cluster, first, queue, transport="ws")
                    keepalive.add(connection)
                else:
                    assert connection is not None
                    connection.receive(first)
                assert connection is not None
                await _pump_in(websocket, connection, sender)
                group.cancel_scope.cancel()  # the peer is gone: stop writing

            async def writer() -> None:
                await _pump_out(websocket, queue, sender)
                group.cancel_scope.cancel()  # closed by the host: stop reading

            group.start_soon(reader)
            group.start_soon(writer)
    finally:
        if waiting:
            handshakes.leave()
        if connection is not None:
            keepalive.discard(connection)
            connection.detach()
        sender.cancel()
        queue.discard()
    await _drain(websocket)


async def _refuse(websocket: WebSocket, frame: bytes, close_code: int, reason: str) -> None:
    """Send a fatal ``error`` frame on an accepted WebSocket that is not served, then close it."""
    with contextlib.suppress(*_DISCONNECTED):
        await websocket.send_text(frame.decode())
        await websocket.close(close_code, reason)


async def _drain(websocket: WebSocket) -> None:
    """Discard what the peer still sends until it disconnects, for ``CLOSE_DRAIN_TIMEOUT_S`` at most.

    Hypercorn hands received messages to the app through a queue of ``max_app_queue_size``
    messages; once the app has returned, nobody takes from it, and a client that kept sending
    (a flood that ended in ``queue_overflow``) leaves Hypercorn's reader blocked on the full
    queue: the connection, and up to that many frames, stay until the server stops, and the
    client's reset is never seen. Reading to the disconnect lets Hypercorn finish the
    connection.
    """
    with anyio.move_on_after(CLOSE_DRAIN_TIMEOUT_S), contextlib.suppress(*_DISCONNECTED):
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass


async def _first_frame(websocket: WebSocket) -> str | bytes | None:
    try:
        message = await websocket.receive()
    except _DISCONNECTED:
        return None
    if message["type"] == "websocket.disconnect":
        return None
    text: str | None = message.get("text")
    return text if text is not None else (message.get("bytes") or b"")


class _Sender:
    """Writes one WebSocket's frames: from the reader's turn when it can, else from the writer task.

    What the host queues while the reader feeds it a frame (the patch answering a click) is
    written right after :meth:`~tempest_core.host.Connection.receive` returns, by stepping
    ``websocket.send`` once, synchronously: a send completes without suspending unless the
    socket's buffer is full (asyncio's ``StreamWriter.drain``, PEP 3156 flow control). The
    answer then costs no wake-up of the writer task and no extra turn of the loop (about 5 % of a
    click's CPU: docs/benchmarks.md, "The answer written in the reader's turn"). A send that
    does suspend (the client is not reading) is finished by a task of its own, and until it is,
    frames wait in the queue for the writer task as before: the reader never waits for a slow
    client, and the queue's byte bound and its ``queue_overflow`` still apply. Frames leave in
    the order they were queued.
    """

    __slots__ = ("_queue", "_rest", "_send", "busy")

    def __init__(self, websocket: WebSocket, queue: FrameQueue) -> None:
        self._send = websocket.send
        self._queue = queue
        self._rest: asyncio.Task[None] | None = None
        self.busy = False
        """A send is under way (the writer's, or one the reader started): the reader leaves frames queued."""

    def _sending(self, frame: bytes) -> Coroutine[Any, Any, None]:
        """Return the ASGI send of one frame (a text message), not yet started."""
        return self._send({"type": "websocket.send", "text": frame.decode("utf-8")})

    def hold(self) -> None:
        """Keep what the host queues from now on for :meth:`flush` (the writer is not woken)."""
        self._queue.hold()

    def flush(self) -> None:
        """Write what is queued now if nothing else is being written; then release the queue."""
        queue = self._queue
        if not self.busy:
            while (frame := queue.take()) is not None:
                send = self._sending(frame)
                try:
                    waiting = send.send(None)
                except StopIteration:
                    continue
                self.busy = True  # it waits for the client: a task finishes it, the writer the rest
                self._rest = asyncio.get_running_loop().create_task(self._finish(send, waiting))
                break
        queue.release()

    async def _finish(self, send: Coroutine[Any, Any, None], waiting: Any) -> None:
        """Run a send the reader started until it completes, as a task would have."""
        try:
            while True:
                if waiting is None:  # a bare yield (asyncio.sleep(0)): go round the loop once
                    await asyncio.sleep(0)
                else:  # a future: wait for it without taking its result, which is the send's
                    waiting._asyncio_future_blocking = False
                    await asyncio.wait((waiting,))
                waiting = send.send(None)
        except StopIteration:
            pass
        except _DISCONNECTED:
            pass  # the peer is gone: the reader sees the disconnect
        finally:
            send.close()
            self._rest = None
            self.busy = False
            self._queue.release()  # frames queued meanwhile: the writer's

    async def write(self, frame: bytes) -> None:
        """Write ``frame`` from the writer task, after any send the reader started."""
        await self.settle()
        self.busy = True
        try:
            await self._sending(frame)
        finally:
            self.busy = False

    async def settle(self) -> None:
        """Wait until a send the reader started has completed."""
        if self._rest is not None:
            await self._rest

    def cancel(self) -> None:
        """Stop a send still waiting for the client (the connection is over)."""
        if self._rest is not None:
            self._rest.cancel()  # a task cancelled before its first step never runs its finally
            self._rest = None
            self.busy = False


async def _pump_out(websocket: WebSocket, queue: FrameQueue, sender: _Sender) -> None:
    get, write = queue.get, sender.write
    try:
        while (frame := await get()) is not None:
            await write(frame)
        await sender.settle()
        await websocket.close(queue.close_code, queue.close_reason[:120])
    except _DISCONNECTED:
        return  # the peer is gone; detach() starts the recovery window


async def _pump_in(websocket: WebSocket, connection: Connection | RelayLink, sender: _Sender) -> None:
    receive, feed, hold, flush = websocket.receive, connection.receive, sender.hold, sender.flush
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("text")
            if data is None:
                data = message.get("bytes") or b""
            hold()
            try:
                feed(data)
            finally:
                flush()
    except _DISCONNECTED:
        return
