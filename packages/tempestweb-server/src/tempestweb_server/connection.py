"""The transport-independent protocol state machine of one client connection.

A transport adapter (WebSocket, SSE + POST) feeds every inbound frame to
:meth:`Connection.receive` and writes every frame :meth:`Connection.outgoing` yields until it
yields ``None``, then closes with :attr:`Connection.close_code`. When the transport goes away
it calls :meth:`Connection.detach`. States: ``handshake`` (waiting for ``hello``) -> ``open``
-> ``closed``; frames after ``closed`` are ignored.

Protocol: ``docs/protocol.md`` and :mod:`tempestweb_contract.messages`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Literal

from tempest_core.errors import SessionError
from tempestweb_contract import (
    PROTOCOL_VERSION,
    Ack,
    ContractError,
    Error,
    ErrorCode,
    Event,
    Hello,
    Init,
    NativeResult,
    Navigate,
    Ping,
    Pong,
    Reload,
    ServerMessage,
    decode,
    encode,
)
from tempestweb_server.constants import (
    WS_CLOSE_NORMAL,
    WS_CLOSE_POLICY_VIOLATION,
    WS_CLOSE_TRY_AGAIN_LATER,
)
from tempestweb_server.sessions import SessionManager, SessionRecord

__all__ = ["Connection", "ConnectionState"]

logger = logging.getLogger("tempestweb.server")

ConnectionState = Literal["handshake", "open", "closed"]
"""Lifecycle state of a :class:`Connection`."""


class Connection:
    """One client connection speaking the wire protocol, independent of its transport.

    Args:
        manager: The session manager of the app.
        transport: Transport name for logs (``"ws"``, ``"sse"``).

    Attributes:
        state: ``handshake``, ``open`` or ``closed``.
        record: The attached session once the handshake succeeded.
        close_code: WebSocket close code to use once :meth:`outgoing` yields ``None``.
        close_reason: Short reason text for the close frame and logs.

    """

    def __init__(self, manager: SessionManager, *, transport: str = "ws") -> None:
        self.manager = manager
        self.transport = transport
        self.state: ConnectionState = "handshake"
        self.record: SessionRecord | None = None
        self.close_code = WS_CLOSE_NORMAL
        self.close_reason = ""
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._max_queue = manager.config.max_queue
        self._max_frame_bytes = manager.config.max_frame_bytes
        self._debug = manager.config.debug

    # -- outbound ----------------------------------------------------------------------------------

    def send(self, message: ServerMessage, /) -> None:
        """Queue one frame for the client; a full queue closes the connection (``queue_overflow``).

        Args:
            message: Any host message.

        """
        if self.state == "closed":
            return
        if self._queue.qsize() >= self._max_queue:
            self._overflow()
            return
        frame = encode(message).decode("utf-8")
        if self._debug:
            logger.debug("%s -> %s", self.transport, frame[:200])
        self._queue.put_nowait(frame)

    async def outgoing(self) -> str | None:
        """Wait for the next frame to write.

        Returns:
            One JSON text frame, or ``None`` once the connection is closed and drained.

        """
        return await self._queue.get()

    def close(self, code: int = WS_CLOSE_NORMAL, reason: str = "") -> None:
        """Close after the queued frames are written; detaches the session.

        Args:
            code: WebSocket close code (RFC 6455 section 7.4.1).
            reason: Short reason for the close frame and logs.

        """
        if self.state == "closed":
            return
        self.state = "closed"
        self.close_code = code
        self.close_reason = reason
        self._queue.put_nowait(None)
        self._release()

    def fail(self, code: ErrorCode, message: str, *, ws_code: int = WS_CLOSE_POLICY_VIOLATION) -> None:
        """Send a fatal ``error`` frame and close.

        Args:
            code: Wire error code.
            message: Human-readable detail.
            ws_code: WebSocket close code.

        """
        self.send(Error(code=code, message=message, fatal=True))
        self.close(ws_code, code)

    def expire(self) -> None:
        """Close because the session was closed by the host (expiry, shutdown)."""
        self.fail("session_expired", "the session was closed by the server", ws_code=WS_CLOSE_NORMAL)

    def detach(self) -> None:
        """Tell the connection its transport is gone; the session enters its recovery window."""
        if self.state != "closed":
            self.state = "closed"
            self._queue.put_nowait(None)
        self._release()

    def _release(self) -> None:
        record = self.record
        if record is not None and record.connection is self:
            self.manager.mark_disconnected(record)

    def _overflow(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()
        logger.warning("%s connection overflowed its queue of %d frames", self.transport, self._max_queue)
        self._queue.put_nowait(
            encode(Error(code="queue_overflow", message="client too slow; resume", fatal=True)).decode()
        )
        self.close(WS_CLOSE_TRY_AGAIN_LATER, "queue_overflow")

    # -- inbound ---------------------------------------------------------------------------------

    async def receive(self, data: str | bytes, /) -> None:
        """Process one inbound frame; every failure becomes an ``error`` frame, never an exception.

        Args:
            data: One text (or binary) frame from the client.

        """
        if self.state == "closed":
            return
        size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
        if size > self._max_frame_bytes:
            self._reject("frame_too_large", f"frame of {size} bytes exceeds {self._max_frame_bytes}")
            return
        try:
            message = decode(data, sender="client")
        except ContractError as exc:
            self._reject(exc.code, exc.message)
            return
        if self._debug:
            logger.debug("%s <- %s", self.transport, type(message).__name__)
        if self.state == "handshake":
            if not isinstance(message, Hello):
                self.fail(
                    "malformed_frame", f"first frame must be hello, got {type(message).__name__.lower()}"
                )
                return
            self._on_hello(message)
            return
        await self._on_message(message)

    def _reject(self, code: ErrorCode, message: str) -> None:
        if self.state == "handshake":
            self.fail(code, message)
        else:
            self.send(Error(code=code, message=message))

    def _on_hello(self, hello: Hello) -> None:
        if hello.v != PROTOCOL_VERSION:
            self.send(
                Error(
                    code="version_mismatch",
                    message=f"client speaks protocol v{hello.v}, server v{PROTOCOL_VERSION}",
                    fatal=True,
                )
            )
            self.send(Reload(reason="version_mismatch"))
            self.close(WS_CLOSE_NORMAL, "version_mismatch")
            return
        manager = self.manager
        record = manager.get(hello.session, hello.token) if hello.session else None
        if record is None or record.closed:
            record = manager.create(hello.path)
            ops = record.core.mount()
            self._attach(record)
            self.send(record.reset_init(ops))
        else:
            self._attach(record)
            # last_seq None: the client trusts nothing it shows (fresh page without prerender,
            # or a bad op): only a full resync is right, never a replay onto that DOM.
            missed = None if hello.last_seq is None else record.missed(hello.last_seq)
            if missed is None or hello.last_seq is None:
                self.send(record.resync_init())
            else:
                self.send(Init(v=PROTOCOL_VERSION, session=record.id, seq=hello.last_seq, token=record.token))
                for patch in missed:
                    self.send(patch)
        if record.pending_navigate is not None:
            self.send(record.pending_navigate)
            record.pending_navigate = None

    def _attach(self, record: SessionRecord) -> None:
        previous = record.connection
        if previous is not None and previous is not self:
            previous.close(WS_CLOSE_NORMAL, "session taken over by a new connection")
        record.connection = self
        record.disconnected_at = None
        self.record = record
        self.state = "open"

    async def _on_message(self, message: object) -> None:
        record = self.record
        assert record is not None
        if isinstance(message, Event):
            await self._guard(record, record.core.dispatch, message)
        elif isinstance(message, Ack):
            record.trim(message.seq)
        elif isinstance(message, Navigate):
            record.path = message.path
            await self._guard(record, _navigate, record, message.path)
        elif isinstance(message, Ping):
            self.send(Pong(ts=message.ts))
        elif isinstance(message, Pong):
            pass  # liveness only: the transport saw traffic
        elif isinstance(message, Hello):
            self.send(Error(code="malformed_frame", message="hello is only valid as the first frame"))
        elif isinstance(message, NativeResult):
            resolve = getattr(record.core, "resolve_native", None)
            if callable(resolve):
                await self._guard(record, _call_async_or_sync, resolve, message)
            else:
                self.send(Error(code="unknown_message", message=f"no native call {message.id} is pending"))

    async def _guard(self, record: SessionRecord, fn: object, *args: object) -> None:
        async with record.lock:
            try:
                await fn(*args)  # type: ignore[operator]
            except SessionError as exc:
                self.send(Error(code=exc.code, message=exc.message))
            except Exception as exc:
                logger.exception("session %s: internal error", record.id[:8])
                detail = f"{type(exc).__name__}: {exc}" if self._debug else "internal server error"
                self.send(Error(code="internal", message=detail))

    async def keepalive(self, interval_s: float | None = None) -> None:
        """Send a ``ping`` every ``interval_s`` seconds until the connection closes.

        Args:
            interval_s: Seconds between pings; ``None`` uses ``config.ping_interval_s``.

        """
        interval = interval_s if interval_s is not None else self.manager.config.ping_interval_s
        while self.state != "closed":
            await asyncio.sleep(interval)
            self.send(Ping(ts=time.time()))


async def _navigate(record: SessionRecord, path: str) -> None:
    record.core.navigate(path)


async def _call_async_or_sync(fn: object, *args: object) -> None:
    result = fn(*args)  # type: ignore[operator]
    if asyncio.iscoroutine(result):
        await result
