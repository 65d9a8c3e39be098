"""SSE + POST fallback transport: server frames on an event stream, client frames by POST.

``GET /_tw/sse?session=S&token=T`` opens a channel keyed by ``(S, T)``; ``POST
/_tw/send?session=S&token=T`` carries one JSON frame or a JSON array of frames, the first of
which is ``hello``. After the handshake the channel is also reachable under the (possibly new)
session id and token from ``init``. The protocol is the host-neutral
:class:`tempest_core.host.Connection`, as for WebSocket; outgoing frames wait in a byte-bounded
:class:`~tempest_core.host.FrameQueue` (WHATWG HTML, "Server-sent events").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import msgspec
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse

from tempest_core.host import Connection, FrameQueue
from tempestweb_contract import Error, ErrorCode, encode
from tempestweb_server._origin import origin_allowed
from tempestweb_server.constants import SSE_HEARTBEAT_INTERVAL_S
from tempestweb_server.sessions import SessionManager

__all__ = ["SseChannels"]

logger = logging.getLogger("tempestweb.server")

_LIST_OF_FRAMES = msgspec.json.Decoder(list[msgspec.Raw])


class SseChannels:
    """The open SSE channels of one app.

    Args:
        manager: The app's session manager.
        heartbeat_s: Seconds between comment heartbeats on an idle stream.

    """

    def __init__(self, manager: SessionManager, *, heartbeat_s: float = SSE_HEARTBEAT_INTERVAL_S) -> None:
        self.manager = manager
        self.heartbeat_s = heartbeat_s
        self._channels: dict[tuple[str, str], tuple[Connection, FrameQueue]] = {}

    def __len__(self) -> int:
        return len(self._channels)

    async def stream(self, request: Request, /) -> Response:
        """Handle ``GET /_tw/sse``: open the event stream of a new channel.

        Args:
            request: The HTTP request with ``session`` and ``token`` query parameters.

        Returns:
            ``text/event-stream`` response, or 403 (origin) / 400 (missing parameters) with an
            ``error`` frame as JSON body.

        """
        key = self._key(request)
        if isinstance(key, Response):
            return key
        previous = self._channels.get(key)
        if previous is not None:
            previous[0].close(reason="channel taken over")
        config = self.manager.config
        queue = FrameQueue(max_bytes=config.max_queue_bytes, budget=self.manager.outbox_budget)
        connection = Connection(self.manager, queue, transport="sse", max_frame_bytes=config.max_frame_bytes)
        self._channels[key] = (connection, queue)
        return StreamingResponse(
            self._events(connection, queue),
            media_type="text/event-stream",
            headers={
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def send(self, request: Request, /) -> Response:
        """Handle ``POST /_tw/send``: feed the posted frames to the channel's connection.

        Args:
            request: The HTTP request with ``session`` and ``token`` query parameters and a
                body of one JSON frame or a JSON array of frames.

        Returns:
            204 when every frame was handed over (protocol errors travel on the stream); 403
            (origin), 400 (missing parameters), 404 (no open channel), 413 (body over
            ``max_frame_bytes``) with an ``error`` frame as JSON body.

        """
        key = self._key(request)
        if isinstance(key, Response):
            return key
        channel = self._channels.get(key)
        if channel is None or channel[0].state == "closed":
            return _error(404, "not_found", "no open event stream for this session; open /_tw/sse first")
        limit = self.manager.config.max_frame_bytes
        body = bytearray()
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    return _error(413, "frame_too_large", f"request body exceeds {limit} bytes")
        except ClientDisconnect:
            return Response(status_code=400)
        connection = channel[0]
        frames: list[bytes] = [bytes(body)]
        if body.lstrip()[:1] == b"[":
            # Anything that is not a flat list of frames (garbage, or nesting past the
            # decoder's depth) is passed on whole: the connection answers it with a typed error.
            with contextlib.suppress(msgspec.DecodeError, RecursionError, ValueError):
                frames = [bytes(raw) for raw in _LIST_OF_FRAMES.decode(body)]
        for frame in frames:
            connection.receive(frame)
        session = connection.session
        if session is not None and session.peer is connection:
            self._channels.setdefault((session.id, session.token), channel)
        return Response(status_code=204)

    def _key(self, request: Request) -> tuple[str, str] | Response:
        if not origin_allowed(request.headers, self.manager.config.allowed_origins):
            origin = request.headers.get("origin", "")
            logger.warning("rejected %s %s from origin %r", request.method, request.url.path, origin)
            return _error(403, "origin_rejected", f"origin {origin!r} is not allowed")
        session = request.query_params.get("session")
        token = request.query_params.get("token")
        if not session or not token:
            return _error(400, "malformed_frame", "query parameters 'session' and 'token' are required")
        return session, token

    async def _events(self, connection: Connection, queue: FrameQueue) -> AsyncIterator[str]:
        keepalive = asyncio.create_task(connection.keepalive(self.manager.config.ping_interval_s))
        try:
            yield ": tempestweb\n\n"
            while True:
                try:
                    frame = await asyncio.wait_for(queue.get(), self.heartbeat_s)
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                if frame is None:
                    return
                yield f"data: {frame.decode('utf-8')}\n\n"
        finally:
            keepalive.cancel()
            connection.detach()
            queue.discard()
            for channel_key in [k for k, c in self._channels.items() if c[0] is connection]:
                del self._channels[channel_key]


def _error(status: int, code: ErrorCode, message: str) -> Response:
    body = encode(Error(code=code, message=message, fatal=True))
    return Response(
        body,
        status_code=status,
        media_type="application/json",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
    )
