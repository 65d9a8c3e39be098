r"""The IPC transport's host end: one :class:`WindowLink` per window, one connection at a time.

The page's ``IpcTransport`` (``client/src/transport_ipc.js``) opens a connection with the
``connect`` command, handing over a Tauri ``Channel``; the host answers with a connection id.
Server frames go down that channel as bytes (``Channel.send(str)`` would deliver parsed JSON),
one message per frame, in order; a control message ``{"close": code, "reason": ...}`` goes as
``str`` so that it arrives as an object, never confused with a frame. Client frames come up in
``send`` calls, one in flight at a time, each a batch::

    <connection id>\n<frame bytes received so far>[\n<frame>]*

The received count is the host's send credit: a frame that would leave more than
``MAX_UNREAD_BYTES`` unread ends the connection with ``queue_overflow`` (``PortOverflow``), and
the client resumes on a new one.

The reply to a ``send`` carries the frames its batch caused at once (:meth:`WindowLink.exchange`):
a plain handler and its render run inside the receive call (the session host's rule), so the
patch of a click leaves in the answer to the call that carried the click, saving the separate
Channel message (one IPC crossing instead of two). The reply is empty when nothing was sent meanwhile, else::

    <channel frames sent before the reply>[\n<frame>]+

and the page delivers the Channel frames numbered below that count first, then the reply's
frames, then later Channel frames: one order, each frame once. Frames sent while no ``send``
is being answered (pushes from tasks, timers, other windows' callbacks) take the Channel.

Everything here runs on the host's event loop thread; no method blocks. The session side of
the protocol is ``tempest_core.host.Connection``; this module only moves bytes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable
from typing import Protocol

from tempest_core.host import Connection, FramePort, HostSession, PortOverflow, SessionTable
from tempestweb_desktop.constants import MAX_UNREAD_BYTES

__all__ = ["Channel", "IpcPort", "StaleConnectionError", "WindowLink", "parse_batch"]

logger = logging.getLogger("tempestweb.desktop")


class Channel(Protocol):
    """A Tauri IPC channel to one page (``pytauri.ipc.Channel``)."""

    def send(self, data: str | bytes, /) -> None:
        """Send bytes (an ``ArrayBuffer`` in JS) or JSON text (a parsed value in JS)."""
        ...


class StaleConnectionError(Exception):
    """A batch names a connection that is not the window's current one (an old page)."""


class IpcPort:
    """The :class:`~tempest_core.host.FramePort` of one IPC connection.

    Args:
        channel: The page's channel.
        max_unread_bytes: Most bytes sent and not yet reported received by the page.

    Attributes:
        sent_bytes: Frame bytes sent on the channel of this connection.
        sent_frames: Frames sent on the channel (the page numbers them the same way).
        read_bytes: Frame bytes the page reported received.
        closed: Whether :meth:`close` ran.

    """

    def __init__(self, channel: Channel, *, max_unread_bytes: int = MAX_UNREAD_BYTES) -> None:
        self._channel = channel
        self._max_unread = max_unread_bytes
        self.sent_bytes = 0
        self.sent_frames = 0
        self.read_bytes = 0
        self.closed = False
        self._reply: list[bytes] | None = None
        self._reply_base = 0

    def send(self, frame: bytes, /) -> None:
        """Send one encoded server frame to the page.

        Args:
            frame: UTF-8 JSON of one server message.

        While a reply is open (:meth:`open_reply`) the frame joins it instead of the channel.

        Raises:
            PortOverflow: The page has not read enough of what was sent before.

        """
        if self.closed:
            return
        if self._reply is not None:
            self._reply.append(frame)
            return
        unread = self.sent_bytes - self.read_bytes
        if unread > 0 and unread + len(frame) > self._max_unread:
            raise PortOverflow(f"{unread} bytes unread by the window")
        self._channel_send(frame)

    def _channel_send(self, frame: bytes) -> None:
        self._channel.send(frame)
        self.sent_bytes += len(frame)
        self.sent_frames += 1

    def open_reply(self) -> None:
        """Collect the frames sent from now on for the answer of the ``send`` being handled.

        The page awaits that answer before anything else it reads from this connection, so
        collected frames need no send credit.
        """
        if self._reply is None:
            self._reply = []
            self._reply_base = self.sent_frames

    def take_reply(self) -> bytes:
        r"""Close the reply opened by :meth:`open_reply` and encode it.

        Returns:
            ``b""`` when no frame was collected, else ``<channel frames sent before>\n`` and
            the frames joined by ``\n`` (JSON text holds no raw newline).

        """
        frames, self._reply = self._reply, None
        if not frames:
            return b""
        return b"\n".join([str(self._reply_base).encode("ascii"), *frames])

    def _spill(self) -> None:
        # A close cannot ride in a reply: the frames collected so far go on the channel first.
        frames, self._reply = self._reply, None
        for frame in frames or ():
            self._channel_send(frame)

    def close(self, code: int, reason: str, /) -> None:
        """Tell the page the connection is over (it reconnects, or reloads when told so).

        Args:
            code: RFC 6455 close code.
            reason: Short reason.

        """
        if not self.closed:
            self.closed = True
            self._spill()
            self._channel.send(json.dumps({"close": code, "reason": reason}))

    def report(self, read_bytes: int, /) -> None:
        """Record the page's count of bytes received (monotonic, at most what was sent).

        Args:
            read_bytes: The count from the page's latest batch.

        """
        self.read_bytes = max(self.read_bytes, min(read_bytes, self.sent_bytes))


def parse_batch(body: bytes, /) -> tuple[str, int, list[bytes]]:
    r"""Split a ``send`` body into connection id, received count and frames.

    Args:
        body: ``<id>\n<count>[\n<frame>]*`` in UTF-8.

    Returns:
        ``(connection id, received bytes, frames)``; frames stay bytes (the codec takes them).

    Raises:
        ValueError: No id line or a count that is not a non-negative integer.

    """
    lines = body.split(b"\n")
    if len(lines) < 2 or not lines[0] or not lines[1].isdigit():
        raise ValueError("malformed IPC batch header")
    return lines[0].decode("ascii"), int(lines[1]), lines[2:]


ConnectionFactory = Callable[[SessionTable, FramePort], Connection]
"""Opens the protocol connection of a new IPC port (tests pass their own)."""


def _connection(table: SessionTable, port: FramePort) -> Connection:
    return Connection(table, port, transport="ipc")


class WindowLink:
    """The IPC link of one window: its current connection and the session its page runs.

    Args:
        label: The window's label.
        table: Where sessions are opened and resumed. When the window's page opens a new
            session (a reload), the window's previous session is closed.
        max_unread_bytes: Per-connection send credit, in bytes.
        connection_factory: Builds the protocol connection for a port.
        on_session: Called with each new session the window's page runs (after its ``hello``),
            before its first event: the desktop binds the window into the session's context.

    Attributes:
        connection: The current connection, ``None`` before the page connects.

    """

    def __init__(
        self,
        label: str,
        table: SessionTable,
        *,
        max_unread_bytes: int = MAX_UNREAD_BYTES,
        connection_factory: ConnectionFactory = _connection,
        on_session: Callable[[HostSession], object] | None = None,
    ) -> None:
        self.label = label
        self.table = table
        self.connection: Connection | None = None
        self._max_unread = max_unread_bytes
        self._factory = connection_factory
        self._on_session = on_session
        self._id = ""
        self._port: IpcPort | None = None
        self._count = 0
        self._session_id: str | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def session(self) -> HostSession | None:
        """The session the window's page runs (``None`` before its first ``hello``)."""
        for session in self.table:
            if session.id == self._session_id:
                return session
        return None

    def connect(self, channel: Channel, /) -> str:
        """Open a new connection over ``channel``, dropping the previous one.

        Args:
            channel: The page's channel for server frames.

        Returns:
            The new connection's id, which the page puts in every batch.

        """
        self.drop()
        self._count += 1
        self._id = f"{self._count}.{secrets.token_hex(8)}"
        self._port = IpcPort(channel, max_unread_bytes=self._max_unread)
        self.connection = self._factory(self.table, self._port)
        return self._id

    def receive(self, body: bytes, /) -> None:
        """Hand a batch's frames, in order, to the current connection.

        Args:
            body: The ``send`` command's body.

        Raises:
            StaleConnectionError: The batch is from an earlier connection (a reloaded page).
            ValueError: Malformed header.

        """
        connection_id, read_bytes, frames = parse_batch(body)
        connection, port = self.connection, self._port
        if connection is None or port is None or connection_id != self._id:
            raise StaleConnectionError(f"window {self.label!r}: connection {connection_id} is not current")
        port.report(read_bytes)
        for frame in frames:
            connection.receive(frame)
            if connection.session is None or connection.session.id != self._session_id:
                self._follow_session(connection)  # after a hello: before the frames after it

    def exchange(self, body: bytes, /) -> bytes:
        """Handle a ``send`` batch and answer with the frames it caused at once.

        The frames are received as by :meth:`receive`, which runs a plain handler and its
        render; what they sent forms the reply (see the module docstring). Later frames (an
        ``async`` handler's, pushes) take the channel.

        Args:
            body: The ``send`` command's body.

        Returns:
            The reply body (``b""`` when nothing was sent).

        Raises:
            StaleConnectionError: The batch is from an earlier connection (a reloaded page).
            ValueError: Malformed header.

        """
        port = self._port
        if port is None:
            self.receive(body)  # raises StaleConnectionError
            return b""
        port.open_reply()
        try:
            self.receive(body)
        finally:
            reply = port.take_reply()
        return reply if port is self._port else b""

    def _follow_session(self, connection: Connection) -> None:
        # The window shows one page; when its new page runs a new session (a reload), the session
        # of the page before it can never be resumed from this window again: close it.
        current = connection.session
        if current is None or current.id == self._session_id:
            return
        previous, self._session_id = self._session_id, current.id
        if self._on_session is not None:
            self._on_session(current)
        for session in self.table:
            if session.id == previous and session.peer is None:
                logger.debug("window %r: closing the replaced session %s", self.label, previous[:8])
                task = asyncio.get_running_loop().create_task(self.table.discard(session))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    def drop(self) -> None:
        """Forget the current connection (its page went away or reconnects); keep its session."""
        if self.connection is not None:
            self.connection.detach()
        self.connection = None
        self._port = None
        self._id = ""

    async def close(self) -> None:
        """Drop the connection and close the window's session."""
        self.drop()
        for session in self.table:
            if session.id == self._session_id:
                await self.table.discard(session)
        self._session_id = None
