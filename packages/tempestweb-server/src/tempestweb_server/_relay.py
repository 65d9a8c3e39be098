"""Relayed connections: a client connected to one worker, its session served by another.

No sticky sessions: a WebSocket reconnect or an SSE stream may reach any worker. The worker
holding the client's transport routes the first frame (``hello``) with
:meth:`Cluster.locate <tempestweb_server._cluster.Cluster.locate>`: a session live here, taken
over here from its checkpoint, or unknown is served by a local
:class:`~tempest_core.host.Connection`; a session another live worker serves is relayed:

- here, a :class:`RelayLink` passes the client's frames to the owner and the owner's frames to
  the client's queue, as a pipe (it pings the client itself);
- there, a :class:`HostedLink` runs an ordinary ``Connection`` whose port publishes back.

Messages go through each worker's Redis channel, in order (one publisher per direction of a
link, each publish awaited before the next). When either worker dies (``dead`` on the control
channel, or a publish nobody receives) the client's transport is closed with 1013: the client
reconnects and its session is served, or taken over, from wherever it lands.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

import msgspec

from tempest_core.host import Connection, ConnectionState, FrameQueue, HostSession, PortOverflow
from tempestweb_contract import PROTOCOL_VERSION, ContractError, Error, Hello, Init, Op, decode, encode
from tempestweb_contract.constants import CLOSE_NORMAL, CLOSE_TRY_AGAIN_LATER
from tempestweb_server.constants import ROUTE_RETRY_INTERVAL_S, ROUTE_TIMEOUT_S

if TYPE_CHECKING:
    from tempestweb_server._cluster import Cluster
    from tempestweb_server.sessions import SessionManager

__all__ = ["HostedLink", "RelayLink", "RelayMessage", "decode_message", "encode_message", "open_link"]

logger = logging.getLogger("tempestweb.server")

_INIT_PREFIX = b'{"type":"init"'


class RelayMessage(msgspec.Struct, array_like=True, frozen=True):
    """One message between two workers (msgpack on a worker's channel).

    Attributes:
        kind: ``open`` (``data``: the ``hello``), ``frame`` (``data``: one protocol frame),
            ``close`` (``code``; ``data``: the reason), ``gone`` (the client left), ``post``
            (an SSE POST body for the stream ``link``: session id, NUL, token), or one of the
            ``upload*`` kinds of a relayed file (:mod:`tempestweb_server._upload_relay`).
        link: The relayed connection's id.
        sender: The sending worker (where answers go).
        data: Payload, as said for ``kind``.
        code: Close code of ``close``.
        stream: Of ``post``: the stream id the POST named, ``""`` when it named none. ``None``
            in a message of an older version, which did not pass it on (its trailing field is
            absent; an older worker ignores it): the holder feeds that body unchecked.

    """

    kind: Literal[
        "open", "frame", "close", "gone", "post",
        "upload", "upload_chunk", "upload_end", "upload_abort", "upload_ack", "upload_done",
    ]  # fmt: skip
    link: str
    sender: str
    data: bytes = b""
    code: int = 0
    stream: str | None = None


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(RelayMessage)


def encode_message(message: RelayMessage, /) -> bytes:
    """Encode a relay message."""
    return _ENCODER.encode(message)


def decode_message(data: bytes, /) -> RelayMessage | None:
    """Decode a relay message; ``None`` (logged) for anything else on the channel."""
    try:
        return _DECODER.decode(data)
    except msgspec.DecodeError:
        logger.warning("tempestweb: ignored a malformed relay message of %d bytes", len(data))
        return None


class _NoticeRegistry:
    """The session table, but a new session starts with a notice (its lost predecessor's)."""

    def __init__(self, manager: SessionManager, notice: str) -> None:
        self.manager = manager
        self.notice = notice
        self.debug = manager.debug

    def resume(self, session_id: str, token: str | None, /) -> HostSession | None:
        return self.manager.resume(session_id, token)

    def create(self, path: str, /) -> tuple[HostSession, tuple[Op, ...] | None]:
        session, ops = self.manager.create(path)
        session.send_error("session_expired", self.notice)
        return session, ops


def _hello(frame: bytes) -> Hello | None:
    try:
        message = decode(frame, sender="client")
    except ContractError:
        return None
    return message if isinstance(message, Hello) else None


async def open_link(
    cluster: Cluster,
    first: str | bytes,
    queue: FrameQueue,
    *,
    transport: str,
    on_init: Callable[[Init], None] | None = None,
) -> Connection | RelayLink:
    """Route a client's first frame and return what serves the connection from now on.

    Args:
        cluster: This worker's cluster membership.
        first: The client's first frame (a ``hello``, or anything the protocol rejects).
        queue: The client's outgoing queue.
        transport: ``"ws"`` or ``"sse"`` (logs).
        on_init: Called with each ``init`` relayed to the client (the SSE stream registers the
            session and token it names).

    Returns:
        A local ``Connection`` that already took ``first``, or a :class:`RelayLink` to the
        worker serving the session. On a Redis failure, a full table or while this worker
        drains, the connection is closed with 1013 (the client retries) and a closed
        ``Connection`` is returned.

    """
    manager = cluster.manager
    config = manager.config
    frame = first if isinstance(first, bytes) else first.encode("utf-8", "surrogatepass")
    hello = _hello(frame) if len(frame) <= config.max_frame_bytes else None
    notice: str | None = None
    refusal: str | None = "worker_restart" if cluster.draining else None
    session_id = hello.session if hello is not None and hello.v == PROTOCOL_VERSION else None
    if refusal is None and session_id and hello is not None and manager.verify(session_id, hello.token):
        try:
            route = await _route(cluster, session_id, frame, queue, on_init=on_init)
        except Exception as exc:  # Redis unreachable, a full table: the client retries
            if not cluster.outage.note(exc):  # an outage is logged once, not once per reconnect
                logger.warning("tempestweb: routing session %s failed: %s", session_id[:8], exc)
            route = "refused"
        if isinstance(route, RelayLink):
            return route
        if route == "refused":
            refusal = "session_unavailable"
        else:
            notice = route
    registry = manager if notice is None else _NoticeRegistry(manager, notice)
    connection = Connection(registry, queue, transport=transport, max_frame_bytes=config.max_frame_bytes)
    if refusal is not None:
        connection.close(CLOSE_TRY_AGAIN_LATER, refusal)
    else:
        connection.receive(first)
    return connection


async def _route(
    cluster: Cluster,
    session_id: str,
    hello: bytes,
    queue: FrameQueue,
    *,
    on_init: Callable[[Init], None] | None,
) -> RelayLink | str | None:
    """Return a relay, the notice of a lost session, or ``None`` (serve here)."""
    deadline = asyncio.get_running_loop().time() + ROUTE_TIMEOUT_S
    while True:
        route = await asyncio.wait_for(cluster.locate(session_id), ROUTE_TIMEOUT_S)
        if route.owner is None:
            return route.notice
        max_frame_bytes = cluster.manager.config.max_frame_bytes
        link = RelayLink(cluster, route.owner, queue, max_frame_bytes=max_frame_bytes, on_init=on_init)
        if await link.open(hello):
            return link
        if asyncio.get_running_loop().time() > deadline:  # the owner neither answers nor goes
            return "refused"
        await asyncio.sleep(ROUTE_RETRY_INTERVAL_S)  # it is stopping: its lease goes soon


class RelayLink:
    """The client side of a relayed connection: a pipe between the client's queue and the owner.

    It has the parts of :class:`~tempest_core.host.Connection` the transports use
    (``state``, ``receive``, ``detach``) and a keep-alive :meth:`ping`.

    Args:
        cluster: This worker's cluster membership.
        owner: The worker serving the session.
        queue: The client's outgoing queue.
        max_frame_bytes: Largest client frame passed on (larger ones get ``frame_too_large``).
        on_init: Called with each ``init`` the owner sends.

    """

    def __init__(
        self,
        cluster: Cluster,
        owner: str,
        queue: FrameQueue,
        *,
        max_frame_bytes: int,
        on_init: Callable[[Init], None] | None = None,
    ) -> None:
        self.cluster = cluster
        self.owner = owner
        self.queue = queue
        self.id = cluster.new_link_id()
        self.state: ConnectionState = "handshake"
        self.received = 0
        """Client frames handed to :meth:`receive` (read by the keep-alive, as ``Connection.received``)."""
        self._max_frame_bytes = max_frame_bytes
        self._max_pending_bytes = cluster.manager.config.max_inbox_bytes
        self._on_init = on_init
        self._pending: deque[bytes] = deque()
        self._pending_bytes = 0
        self._pump: asyncio.Task[None] | None = None

    async def open(self, hello: bytes, /) -> bool:
        """Ask the owner to serve this connection; ``False`` when the owner is not there."""
        self.cluster.links[self.id] = self
        sent = await self.cluster.publish(
            self.owner, RelayMessage("open", self.id, self.cluster.worker_id, hello)
        )
        if not sent:
            self.cluster.links.pop(self.id, None)
            return False
        if self.state == "handshake":
            self.state = "open"
        return True

    def receive(self, data: str | bytes, /) -> None:
        """Pass one client frame on to the owner, in order."""
        if self.state == "closed":
            return
        self.received += 1
        frame = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
        if len(frame) > self._max_frame_bytes:
            message = f"frame of {len(frame)} bytes exceeds {self._max_frame_bytes}"
            self._send(encode(Error(code="frame_too_large", message=message)))
            return
        if self._pending and self._pending_bytes + len(frame) > self._max_pending_bytes:
            self._overflow("inbox")
            return
        self._pending.append(frame)
        self._pending_bytes += len(frame)
        if self._pump is None or self._pump.done():
            self._pump = asyncio.get_running_loop().create_task(self._forward())

    async def _forward(self) -> None:
        while self._pending and self.state != "closed":
            frame = self._pending.popleft()
            self._pending_bytes -= len(frame)
            sent = await self.cluster.publish(
                self.owner, RelayMessage("frame", self.id, self.cluster.worker_id, frame)
            )
            if not sent:
                self.owner_gone()

    def on_message(self, message: RelayMessage, /) -> None:
        """Take a message from the owner: a frame for the client, or the close."""
        if message.kind == "frame":
            if self._on_init is not None and message.data.startswith(_INIT_PREFIX):
                init = decode(message.data, sender="server")
                if isinstance(init, Init):
                    self._on_init(init)
            self._send(message.data)
        elif message.kind == "close":
            self._end(message.code, message.data.decode("utf-8", "replace"))

    def _send(self, frame: bytes) -> None:
        try:
            self.queue.send(frame)
        except PortOverflow:
            self._overflow("outgoing queue")

    def _overflow(self, what: str) -> None:
        logger.warning("relayed connection: %s full; closing with queue_overflow", what)
        error = Error(code="queue_overflow", message=f"{what} full; reconnect and resume", fatal=True)
        self.queue.send(encode(error))  # the queue was just emptied: it fits
        self.detach()
        self.queue.close(CLOSE_TRY_AGAIN_LATER, "queue_overflow")

    def owner_gone(self) -> None:
        """Close the client's transport with 1013 (the owner stopped; the client reconnects).

        The owner is told too, in case it only lost its lease (frozen, cut off) and still holds
        the session: its connection detaches, and the session expires there in its recovery
        window unless the client comes back to it.
        """
        if self.state != "closed":
            self.detach()
        self.queue.close(CLOSE_TRY_AGAIN_LATER, "worker_gone")

    def _end(self, code: int, reason: str) -> None:
        if self.state == "closed":
            return
        self.state = "closed"
        self.cluster.links.pop(self.id, None)
        self.queue.close(code, reason)

    def ping(self, frame: bytes, /) -> None:
        """Send the client one keep-alive ``ping`` (the owner does not ping relayed clients).

        :class:`~tempestweb_server._keepalive.KeepAlive` calls it every ``ping_interval_s``
        seconds while the link is not closed.

        Args:
            frame: An encoded ``ping`` (one frame serves every link pinged in the same tick).

        """
        if self.state != "closed":
            self._send(frame)

    def close(self, code: int = CLOSE_NORMAL, reason: str = "") -> None:
        """Close the client's transport after the frames already queued; the owner is told."""
        self.detach()
        self.queue.close(code, reason)

    def detach(self) -> None:
        """Tell the owner the client's transport is gone (its session waits for a resume)."""
        if self.state == "closed":
            return
        self.state = "closed"
        self.cluster.links.pop(self.id, None)
        gone = RelayMessage("gone", self.id, self.cluster.worker_id)
        self.cluster._spawn(self.cluster.publish(self.owner, gone))


class HostedLink:
    """The session side of a relayed connection: a ``Connection`` whose port publishes back.

    Args:
        cluster: This worker's cluster membership.
        link_id: The link's id.
        pipe: The worker holding the client's transport.

    """

    def __init__(self, cluster: Cluster, link_id: str, pipe: str) -> None:
        manager = cluster.manager
        config = manager.config
        self.cluster = cluster
        self.id = link_id
        self.pipe = pipe
        self.queue = FrameQueue(max_bytes=config.max_queue_bytes, budget=manager.outbox_budget)
        self.connection: Connection | None = None
        self._early: list[bytes] = []  # frames that came while the hello was being routed
        self._closed = False
        self._task: asyncio.Task[None] | None = None

    def start(self, hello: bytes, /) -> None:
        """Route the hello (restoring the session if needed), then serve the connection."""
        self._task = self.cluster._spawn(self._start(hello))

    async def _start(self, hello_frame: bytes) -> None:
        hello = _hello(hello_frame)
        route = None
        if hello is not None and hello.session and not self.cluster.draining:
            try:
                route = await self.cluster.locate(hello.session)
            except Exception as exc:
                logger.warning("tempestweb: relayed hello for %s failed: %s", hello.session[:8], exc)
                route = None
            if route is not None and route.owner is not None:  # a third worker took it over meanwhile
                route = None
        if self._closed:
            return
        if route is None:
            await self._publish(RelayMessage("close", self.id, self.cluster.worker_id, b"retry", 1013))
            self.gone()
            return
        manager = self.cluster.manager
        registry = manager if route.notice is None else _NoticeRegistry(manager, route.notice)
        connection = Connection(
            registry, self.queue, transport="relay", max_frame_bytes=manager.config.max_frame_bytes
        )
        self.connection = connection
        connection.receive(hello_frame)
        for frame in self._early:
            connection.receive(frame)
        self._early.clear()
        await self._pump()

    async def _pump(self) -> None:
        while (frame := await self.queue.get()) is not None:
            if not await self._publish(RelayMessage("frame", self.id, self.cluster.worker_id, frame)):
                self.gone()
                return
        reason = self.queue.close_reason.encode()
        code = self.queue.close_code
        await self._publish(RelayMessage("close", self.id, self.cluster.worker_id, reason, code))
        self.gone()

    async def _publish(self, message: RelayMessage) -> bool:
        return await self.cluster.publish(self.pipe, message) > 0

    def on_message(self, message: RelayMessage, /) -> None:
        """Take a message from the client's worker: a frame, or ``gone``."""
        if message.kind == "frame":
            if self.connection is None:
                self._early.append(message.data)
            else:
                self.connection.receive(message.data)
        elif message.kind == "gone":
            self.gone()

    def gone(self) -> None:
        """Detach from the session (the client or its worker is gone); the session waits for a resume."""
        if self._closed:
            return
        self._closed = True
        self.cluster.hosted.pop(self.id, None)
        if self.connection is not None:
            self.connection.detach()
        self.queue.discard()
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()
