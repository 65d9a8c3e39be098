"""WebSocket transport: a thin adapter between a Starlette WebSocket and a Connection."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable

import anyio
from starlette.websockets import WebSocket, WebSocketDisconnect

from tempestweb_contract import Error, encode
from tempestweb_server._origin import origin_allowed
from tempestweb_server.connection import Connection
from tempestweb_server.constants import WS_CLOSE_POLICY_VIOLATION
from tempestweb_server.sessions import SessionManager

__all__ = ["serve_websocket"]

logger = logging.getLogger("tempestweb.server")


async def serve_websocket(websocket: WebSocket, manager: SessionManager, /) -> None:
    """Run the protocol over one WebSocket until either side closes.

    Args:
        websocket: The accepted-or-not Starlette WebSocket of ``/_tw/ws``.
        manager: The app's session manager.

    """
    await websocket.accept()
    if not origin_allowed(websocket.headers, manager.config.allowed_origins):
        origin = websocket.headers.get("origin", "")
        logger.warning("rejected WebSocket from origin %r", origin)
        rejection = Error(code="origin_rejected", message=f"origin {origin!r} is not allowed", fatal=True)
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            await websocket.send_text(encode(rejection).decode())
            await websocket.close(WS_CLOSE_POLICY_VIOLATION, "origin_rejected")
        return
    connection = Connection(manager, transport="ws")
    try:
        async with anyio.create_task_group() as group:

            async def until_done(work: Callable[[], Awaitable[None]]) -> None:
                await work()
                group.cancel_scope.cancel()  # either side ending ends the connection

            group.start_soon(until_done, lambda: _pump_out(websocket, connection))
            group.start_soon(until_done, lambda: _pump_in(websocket, connection))
            group.start_soon(until_done, connection.keepalive)
    finally:
        connection.detach()


async def _pump_out(websocket: WebSocket, connection: Connection) -> None:
    try:
        while (frame := await connection.outgoing()) is not None:
            await websocket.send_text(frame)
        await websocket.close(connection.close_code, connection.close_reason[:120])
    except (WebSocketDisconnect, RuntimeError, OSError):
        return  # the peer is gone; detach() starts the recovery window


async def _pump_in(websocket: WebSocket, connection: Connection) -> None:
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("text")
            if data is None:
                data = message.get("bytes") or b""
            await connection.receive(data)
    except (WebSocketDisconnect, RuntimeError, OSError):
        return
