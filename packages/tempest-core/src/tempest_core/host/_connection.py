"""``Connection``: the session side of protocol v1 for one transport connection.

A host adapter creates one per connection (a WebSocket, an SSE channel, the page in Mode A, a
desktop window, the headless pilot), feeds every inbound frame to :meth:`Connection.receive`
and calls :meth:`Connection.detach` when its transport goes away. Every outbound frame leaves
through the adapter's :class:`FramePort`. States: ``handshake`` (waiting for ``hello``) ->
``open`` -> ``closed``; frames after ``closed`` are ignored.

Replies (docs/protocol.md, one row each; the protocol suite checks every host gives the same):

- first frame not ``hello``: ``error{malformed_frame, fatal}`` and close 1008;
- ``hello`` with another ``v``: ``error{version_mismatch, fatal}``, ``reload``, close 1000;
- ``hello`` with a path that is not same-document: ``error{not_found, fatal}``, close 1008;
- no room for a new session: ``error{queue_overflow, fatal}``, close 1013 (retry later);
- a second ``hello``: ``error{malformed_frame}``, the connection stays open;
- a frame over the limit or that does not decode: ``error`` (fatal during the handshake);
- ``event``/``navigate``/``ping``: handled in order by the session (a ``pong`` follows the
  renders of the events before it); ``ack`` trims the replay buffer; ``native_result``
  settles a pending native call at once (a handler may be awaiting it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Literal, Protocol

import msgspec

from tempest_core.errors import SessionError
from tempest_core.host._session import HostSession, clip, error_frame
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
    Op,
    Ping,
    Pong,
    Reload,
    ServerMessage,
    decode,
    encode,
    frame_size,
)
from tempestweb_contract.constants import (
    CLOSE_NORMAL,
    CLOSE_POLICY_VIOLATION,
    CLOSE_TRY_AGAIN_LATER,
    MAX_FRAME_BYTES,
    PING_INTERVAL_S,
)

__all__ = [
    "app_path",
    "Connection",
    "ConnectionState",
    "FramePort",
    "PortOverflow",
    "SessionRefused",
    "SessionRegistry",
]

logger = logging.getLogger("tempestweb.host")

ConnectionState = Literal["handshake", "open", "closed"]
"""Lifecycle state of a :class:`Connection`."""


def app_path(client_path: str, base: str = "/", /) -> str:
    """Map a client location to the app's path below the mount ``base``.

    Args:
        client_path: ``pathname + search + hash`` in the browser, e.g. ``"/sub/index.html?x=1"``.
        base: The mount path, ending in ``/``.

    Returns:
        The app's path, e.g. ``"/?x=1"``; ``index.html`` maps to ``"/"``.

    Example:
        >>> app_path("/site/todos#a", "/site/")
        '/todos#a'

    """
    path = client_path or "/"
    if path.startswith(base):
        path = "/" + path[len(base) :]
    elif path + "/" == base:
        path = "/"
    if path == "/index.html" or path.startswith(("/index.html?", "/index.html#")):
        path = "/" + path[len("/index.html") :]
    return path


class PortOverflow(Exception):
    """Raised by :meth:`FramePort.send` when the transport's outgoing queue is full."""


class SessionRefused(Exception):
    """Raised by :meth:`SessionRegistry.create` when no new session can be opened.

    Args:
        code: Wire error code sent to the client (``queue_overflow`` at capacity).
        message: Detail for the client.
        close_code: Close code (``CLOSE_TRY_AGAIN_LATER``: the client retries with backoff).

    """

    def __init__(self, code: ErrorCode, message: str, *, close_code: int = CLOSE_TRY_AGAIN_LATER) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
        self.close_code = close_code


class FramePort(Protocol):
    """What a host adapter gives the connection: a way out for frames, and a close."""

    def send(self, frame: bytes, /) -> None:
        """Write (or queue) one encoded server frame, UTF-8 JSON.

        Raises:
            PortOverflow: The transport's queue is full (the connection ends with
                ``queue_overflow``).

        """
        ...

    def close(self, code: int, reason: str, /) -> None:
        """Close the transport after the frames already sent (RFC 6455 close ``code``)."""
        ...


class SessionRegistry(Protocol):
    """Where a connection finds or opens its session (one per host: a table, or one session).

    Attributes:
        debug: Whether the host shows error details (exception text, tracebacks) to clients.

    """

    debug: bool

    def resume(self, session_id: str, token: str | None, /) -> HostSession | None:
        """Return the live session ``session_id`` if ``token`` is its token, else ``None``."""
        ...

    def create(self, path: str, /) -> tuple[HostSession, tuple[Op, ...] | None]:
        """Open and mount a session at ``path``.

        Returns:
            The session and the ops that build its view, or ``None`` when the client already
            shows that view (it hydrates prerendered HTML).

        Raises:
            SessionRefused: No room for a session.
            SessionError: ``not_found`` for a bad path; ``handler_error`` when the view raises.

        """
        ...


class Connection:
    """One client connection speaking protocol v1, whatever carries its frames.

    Args:
        registry: Finds and opens sessions.
        port: Sends frames and closes the transport.
        transport: Name for logs (``"ws"``, ``"sse"``, ``"ffi"``, ``"ipc"``, ``"pilot"``).
        max_frame_bytes: Largest inbound frame accepted, in bytes; below ``MAX_FRAME_BYTES`` it
            is told to the client in every ``init`` (``Init.max_frame_bytes``), so that the
            client never sends a frame the transport would end the connection for.
        base: URL path the app is mounted at (``"/"``, or ``"/sub/dir/"`` for a static build
            or a server behind a path prefix): client locations are made relative to it
            (:func:`app_path`) and app locations sent back are put under it.

    Attributes:
        state: ``handshake``, ``open`` or ``closed``.
        session: The attached session once the handshake succeeded.
        epoch: Distinguishes this connection from earlier ones of the same session.
        received: Frames handed to :meth:`receive` so far (a keep-alive reads it to ping only
            a connection that has been silent for a whole interval).

    """

    _epochs = 0

    def __init__(
        self,
        registry: SessionRegistry,
        port: FramePort,
        *,
        transport: str,
        max_frame_bytes: int = MAX_FRAME_BYTES,
        base: str = "/",
    ) -> None:
        Connection._epochs += 1
        self.epoch = Connection._epochs
        self.registry = registry
        self.port = port
        self.transport = transport
        self.state: ConnectionState = "handshake"
        self.session: HostSession | None = None
        self.received = 0
        self._max_frame_bytes = max_frame_bytes
        self.base = base if base.endswith("/") else base + "/"

    # -- outbound --------------------------------------------------------------------------------
    def deliver(self, message: ServerMessage, frame: bytes | None = None, /) -> None:
        """Send one message; a full transport queue ends the connection (``queue_overflow``).

        Args:
            message: Any host message.
            frame: Its encoding, when the caller already has it (patches are encoded once).

        """
        if frame is None:
            if type(message) is Navigate and self.base != "/":
                message = Navigate(path=self.base + message.path.lstrip("/"), replace=message.replace)
            frame = encode(message)
        self._send_frame(frame)

    def outbox_bytes(self) -> int | None:
        """Return the bytes the transport has queued and not written yet.

        ``None`` when its port does not tell (an in-page or test port): such a connection gets
        no row feeds (``tempest_core._table_feed``), which only a remote client needs.
        """
        queued = getattr(self.port, "queued_bytes", None)
        return queued if isinstance(queued, int) and self.state == "open" else None

    def _send_frame(self, frame: bytes) -> None:
        if self.state == "closed":
            return
        try:
            self.port.send(frame)
        except PortOverflow:
            self.overflow("outgoing queue")

    def overflow(self, what: str, /) -> None:
        """End the connection with ``error{queue_overflow, fatal}`` and close 1013.

        The client reconnects after its backoff, resumes and sends its unacknowledged events
        again (each is handled once).

        Args:
            what: Which queue was full, for the log and the message.

        """
        if self.state == "closed":
            return
        logger.warning("%s connection: %s full; closing with queue_overflow", self.transport, what)
        self._finish(
            Error(code="queue_overflow", message=f"{what} full; reconnect and resume", fatal=True),
            CLOSE_TRY_AGAIN_LATER,
            "queue_overflow",
            force=True,
        )

    def fail(self, code: ErrorCode, message: str, close_code: int = CLOSE_POLICY_VIOLATION) -> None:
        """Send a fatal ``error`` frame and close.

        Args:
            code: Wire error code.
            message: Detail (clipped to ``MAX_ERROR_MESSAGE_CHARS``).
            close_code: RFC 6455 close code.

        """
        self._finish(Error(code=code, message=clip(message), fatal=True), close_code, code)

    def expire(self) -> None:
        """Close because the host closed the session (expiry, shutdown, eviction)."""
        self.fail("session_expired", "the session was closed by the host", CLOSE_NORMAL)

    def _finish(self, last: ServerMessage, close_code: int, reason: str, *, force: bool = False) -> None:
        if self.state == "closed":
            return
        frame = encode(last)
        try:
            self.port.send(frame)
        except PortOverflow:
            if not force:
                raise
        self.state = "closed"
        self.port.close(close_code, reason)
        self._release()

    def close(self, code: int = CLOSE_NORMAL, reason: str = "") -> None:
        """Close after the frames already sent, without an error frame.

        Args:
            code: RFC 6455 close code.
            reason: Short reason for logs and the close frame.

        """
        if self.state != "closed":
            self.state = "closed"
            self.port.close(code, reason)
        self._release()

    def detach(self) -> None:
        """Tell the connection its transport is gone; the session waits for a resume."""
        self.state = "closed"
        self._release()

    def _release(self) -> None:
        session = self.session
        if session is not None:
            session.detach(self)

    # -- inbound ---------------------------------------------------------------------------------
    def receive(self, data: str | bytes, /) -> None:
        """Handle one inbound frame. Never raises: every problem becomes an ``error`` frame.

        Args:
            data: One text (or binary) frame from the client.

        """
        if self.state == "closed":
            return
        self.received += 1
        try:
            self._receive(data)
        except Exception as exc:  # a host bug must not take the transport down with a traceback
            logger.exception("%s connection: internal error", self.transport)
            debug = self.session is not None and self.session.debug
            self._reject("internal", f"{type(exc).__name__}: {exc}" if debug else "internal error")

    def _receive(self, data: str | bytes) -> None:
        if type(data) is str and not data.isascii():
            # Counted and decoded as the bytes it travelled as: encoded once, not once for the
            # size check here and again in decode (a lone surrogate stays malformed either way).
            data = data.encode("utf-8", "surrogatepass")
        size = frame_size(data)
        if size > self._max_frame_bytes:
            self._reject("frame_too_large", f"frame of {size} bytes exceeds {self._max_frame_bytes}")
            return
        try:
            message = decode(data, sender="client")
        except ContractError as exc:
            self._reject(exc.code, exc.message)
            if self.session is not None and self.state == "open":
                call_id = _native_result_id(data)
                if call_id is not None:  # its call fails now rather than at its timeout
                    self.session.native.undecodable(call_id, exc.message)
            return
        if self.state == "handshake":
            if isinstance(message, Hello):
                self._on_hello(message)
            else:
                self.fail(
                    "malformed_frame", f"first frame must be hello, got {type(message).__name__.lower()}"
                )
            return
        session = self.session
        assert session is not None
        if isinstance(message, Event):
            if message.ack:
                self._acknowledge(session, message.ack, message.seen)  # before the event (protocol.md)
            self._submit(session, "event", message, size)
        elif isinstance(message, Navigate):
            if self.base != "/":
                message = Navigate(path=app_path(message.path, self.base))
            self._submit(session, "navigate", message, size)
        elif isinstance(message, Ping):
            self._submit(session, "ping", message, size)
        elif isinstance(message, Pong):
            session.feed_read(message.ts)
        elif isinstance(message, Ack):
            self._acknowledge(session, message.seq)
        elif isinstance(message, NativeResult):
            reply = session.native.resolve(message)
            if reply is not None:
                self.deliver(reply)
        elif isinstance(message, Hello):
            self.deliver(Error(code="malformed_frame", message="hello is only valid as the first frame"))
        # A pong only shows liveness: the transport saw traffic.

    def _acknowledge(self, session: HostSession, seq: int, seen: int | None = None, /) -> None:
        """Drop the batches up to ``seq``; an ``ack`` ahead of the last batch sent is refused.

        A client can only acknowledge what it applied, so ``seq`` above the session's ``seq``
        is a client bug or a forged frame: trimming by it would also drop batches still on their
        way, which a resume then could not replay. It gets ``error{malformed_frame}`` (not
        fatal), the replay buffer is kept whole, and an event carrying it is still handled.
        """
        if seq > session.seq:
            self.deliver(
                Error(
                    code="malformed_frame",
                    message=f"ack {seq} is ahead of the last patch sent (seq {session.seq})",
                )
            )
            return
        session.trim(seq, seen)

    def _submit(
        self,
        session: HostSession,
        kind: Literal["event", "navigate", "ping"],
        message: Event | Navigate | Ping,
        size: int,
    ) -> None:
        if not session.submit(kind, message, size):
            self.overflow("inbox")

    def _reject(self, code: ErrorCode, message: str) -> None:
        if self.state == "handshake":
            self.fail(code, message)
        else:
            self.deliver(Error(code=code, message=clip(message)))

    def _on_hello(self, hello: Hello) -> None:
        if hello.v != PROTOCOL_VERSION:
            self.deliver(
                Error(
                    code="version_mismatch",
                    message=f"client speaks protocol v{hello.v}, host v{PROTOCOL_VERSION}",
                    fatal=True,
                )
            )
            self._finish(Reload(reason="version_mismatch"), CLOSE_NORMAL, "version_mismatch")
            return
        session = self.registry.resume(hello.session, hello.token) if hello.session else None
        if session is not None and not session.closed:
            # last_seq None: the client trusts nothing it shows (a fresh page without prerender,
            # or a bad op): only a full resync is right, never a replay onto that DOM.
            last_seq = hello.last_seq
            missed = None if last_seq is None else session.missed(last_seq)
            if last_seq is None or missed is None:
                self._attach(session, [self._init_frame(session.resync_init())])
            else:
                self._attach(session, [self._init_frame(session.resume_init(last_seq)), *missed])
            return
        try:
            session, ops = self.registry.create(app_path(hello.path, self.base))
        except SessionRefused as exc:
            self.fail(exc.code, exc.message, exc.close_code)
            return
        except SessionError as exc:  # a bad path, or the first view raised (its id: the overlay)
            close_code = CLOSE_POLICY_VIOLATION if exc.code == "not_found" else CLOSE_NORMAL
            frame = error_frame(
                exc.code,
                exc.message,
                error_id=exc.error_id,
                detail=exc.detail,
                debug=self.registry.debug,
                fatal=True,
            )
            self._finish(frame, close_code, exc.code)
            return
        init = session.resume_init(session.seq) if ops is None else session.reset_init(ops)
        self._attach(session, [self._init_frame(init)])

    def _init_frame(self, init: Init) -> bytes:
        """Encode ``init`` with this connection's frame limit when it is below the protocol's."""
        if self._max_frame_bytes < MAX_FRAME_BYTES:
            init = msgspec.structs.replace(init, max_frame_bytes=self._max_frame_bytes)
        return encode(init)

    def _attach(self, session: HostSession, frames: list[bytes]) -> None:
        """Take over ``session``: send ``frames`` (init, replay), then what waited for a client."""
        previous = session.peer
        if isinstance(previous, Connection) and previous is not self:
            previous.close(CLOSE_NORMAL, "session taken over by a new connection")
        self.session = session
        self.state = "open"
        for frame in frames:
            self._send_frame(frame)
        session.attach(self)

    async def keepalive(self, interval_s: float = PING_INTERVAL_S) -> None:
        """Send a ``ping`` every ``interval_s`` seconds until the connection closes.

        Args:
            interval_s: Seconds between pings.

        """
        while self.state != "closed":
            await asyncio.sleep(interval_s)
            self.deliver(Ping(ts=time.time()))


class _NativeResultId(msgspec.Struct):
    """What a frame that did not decode must hold to name the call it answers."""

    type: str
    id: int


def _native_result_id(data: str | bytes, /) -> int | None:
    """Return the call id of an undecodable ``native_result`` frame, if it has one; else ``None``."""
    try:
        head = msgspec.json.decode(data, type=_NativeResultId)
    except (msgspec.DecodeError, RecursionError):
        return None
    return head.id if head.type == _NATIVE_RESULT_TAG else None


_NATIVE_RESULT_TAG = NativeResult.__struct_config__.tag
"""The ``type`` of a ``native_result`` frame (the contract's own tag)."""
