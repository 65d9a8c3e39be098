"""WebSocket transport: a thin adapter between a Starlette WebSocket and the session host.

Inbound text frames go to :meth:`tempest_core.host.Connection.receive`; outbound frames leave a
byte-bounded :class:`~tempest_core.host.FrameQueue` from a writer task, so a client that does
not read can hold at most ``max_queue_bytes`` of this process (RFC 6455; docs/protocol.md).
With several workers on Redis the first frame is routed first (:func:`~tempestweb_server._relay.open_link`):
the session may be served by another worker, and then this socket is a relayed pipe to it.
Keep-alive pings come from the loop's one :class:`~tempestweb_server._keepalive.KeepAlive`
timer, not from a task per connection: a connection costs two tasks (reader and writer). Until
its first frame a connection holds one of the app's handshake slots
(:class:`~tempestweb_server._handshake.Handshakes`: ``max_handshakes``, ``handshake_timeout_s``).
"""

from __future__ import annotations

import contextlib
import logging

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
                await _pump_in(websocket, connection)
                group.cancel_scope.cancel()  # the peer is gone: stop writing

            async def writer() -> None:
                await _pump_out(websocket, queue)
                group.cancel_scope.cancel()  # closed by the host: stop reading

            group.start_soon(reader)
            group.start_soon(writer)
    finally:
        if waiting:
            handshakes.leave()
        if connection is not None:
            keepalive.discard(connection)
            connection.detach()
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


async def _pump_out(websocket: WebSocket, queue: FrameQueue) -> None:
    get, send = queue.get, websocket.send  # the per-frame path: no lookups, no send_text layer
    try:
        while (frame := await get()) is not None:
            await send({"type": "websocket.send", "text": frame.decode("utf-8")})
        await websocket.close(queue.close_code, queue.close_reason[:120])
    except _DISCONNECTED:
        return  # the peer is gone; detach() starts the recovery window


async def _pump_in(websocket: WebSocket, connection: Connection | RelayLink) -> None:
    receive, feed = websocket.receive, connection.receive
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("text")
            if data is None:
                data = message.get("bytes") or b""
            feed(data)
    except _DISCONNECTED:
        return
