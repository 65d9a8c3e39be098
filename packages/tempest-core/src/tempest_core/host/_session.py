"""``HostSession``: one core session plus everything a host needs to serve it over the wire.

It outlives its connections: a client that reconnects resumes it and gets exactly the patch
batches it missed (or a full resync). It owns the ``seq`` numbering, the byte-bounded replay
buffer, the inbox of received frames its handlers take in order, the pending native calls and
the context (``CURRENT_BRIDGE``) its handlers, effects and tasks run in. Every host (Mode B
WebSocket and SSE, Mode A under Pyodide, desktop IPC, the headless pilot) uses this one class;
a host only moves bytes (docs/design.md, "Session host").

A host that keeps sessions beyond its process (Mode B on Redis) gives a session a
:class:`Checkpointer`: every render is snapshotted, and a frame that acknowledges events
(``patch.ack``, or a ``pong`` answering the client's probe) leaves only once a snapshot covering
those events is durable, so a session restored from its checkpoint elsewhere never lacks an
event its client saw acknowledged (docs/design.md, "Many processes").
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

from tempest_core._internal.report import clip_detail, format_detail, new_error_id
from tempest_core.app import App
from tempest_core.errors import SessionError
from tempest_core.host._native import NativeCalls
from tempest_core.host._reload import CarriedState, ComponentStates, Reloaded, carry_state
from tempest_core.host._types import CoreSession, RowFeedSource, SessionFactory
from tempest_core.router import parse_location
from tempest_core.session import Session
from tempestweb_contract import (
    PROTOCOL_VERSION,
    Error,
    ErrorCode,
    Event,
    Init,
    NativeCall,
    Navigate,
    Op,
    Patch,
    Ping,
    Pong,
    ServerMessage,
    encode,
)
from tempestweb_contract.constants import (
    MAX_ERROR_DETAIL_CHARS,
    MAX_ERROR_MESSAGE_CHARS,
    MAX_INBOX_BYTES,
    MAX_REPLAY_BYTES,
    MAX_UNACKED_BATCHES,
)
from tempestweb_contract.names import RELOAD_FAILED_MESSAGE, VIEW_SUBJECT
from tempestweb_contract.native import CURRENT_BRIDGE

if TYPE_CHECKING:  # _replay -> _queue -> _connection -> this module
    from tempest_core.host._replay import ReplayBudget

__all__ = ["Checkpointer", "HostSession", "SessionPeer", "clip", "error_frame"]

logger = logging.getLogger("tempestweb.host")

_ELLIPSIS: Final = "…"
_PENDING_ERRORS_KEPT: Final = 16
_GENERIC_MESSAGE: Final = "the app failed; its log has the details under this error id"
_SETTLE_POLL_S: Final = 0.05  # settle() looks again this often while handlers run (a call may start)
_FEED_WAIT_S: Final = 0.005  # a row feed looks again this often while the session or its connection is busy
_FEED_PONG_WAIT_S: Final = 1.0  # ... and this often while it waits for a pong (one wakes it at once)
FEED_WINDOW: Final = 8
"""Row feed chunks a client may not have read yet (each is followed by a ``ping`` with a negative
``ts``; its ``pong`` says the client read it): at most this many wait in front of a patch."""


class FeedingPeer(Protocol):
    """A peer whose outgoing queue the host can watch: it takes row feeds (``_feed``)."""

    def outbox_bytes(self) -> int | None:
        """Bytes queued and not yet written to the transport (``None``: the host cannot tell)."""
        ...


_FEED_TURNS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


def _feed_turn() -> asyncio.Lock:
    """Return the lock the row feeds of the running loop's sessions take turns with."""
    loop = asyncio.get_running_loop()
    lock = _FEED_TURNS.get(loop)
    if lock is None:
        lock = _FEED_TURNS[loop] = asyncio.Lock()
    return lock


def _takes_feeds(peer: SessionPeer) -> FeedingPeer | None:
    """Return ``peer`` when it takes row feeds: a remote client behind a watchable queue (Mode B)."""
    outbox = getattr(peer, "outbox_bytes", None)
    return peer if outbox is not None and outbox() is not None else None  # type: ignore[return-value]


def clip(text: str, limit: int = MAX_ERROR_MESSAGE_CHARS, /) -> str:
    """Return ``text`` cut to at most ``limit`` characters (an ellipsis marks the cut).

    Args:
        text: Any text, possibly holding client input of any length.
        limit: Most characters kept, >= 1.

    Returns:
        ``text`` itself when short enough.

    """
    return text if len(text) <= limit else text[: limit - 1] + _ELLIPSIS


def _checked_path(path: str) -> str:
    """Return ``path`` when it is a same-document location, else raise ``not_found``."""
    try:
        parse_location(path)
    except ValueError as exc:
        raise SessionError("not_found", clip(str(exc))) from None
    return path


class SessionPeer(Protocol):
    """The connection a :class:`HostSession` is attached to (``tempest_core.host.Connection``)."""

    epoch: int

    def deliver(self, message: ServerMessage, frame: bytes | None = None, /) -> None:
        """Send one message (``frame``: its encoding when the caller already has it)."""
        ...

    def overflow(self, what: str, /) -> None:
        """End the connection with ``queue_overflow``; ``what`` names the full queue."""
        ...

    def expire(self) -> None:
        """End the connection because the host closed the session (``session_expired``)."""
        ...


class Checkpointer(Protocol):
    """Makes a session durable outside its process (Mode B on Redis); see :class:`HostSession`."""

    def snapshot(self, session: HostSession, /) -> bytes:
        """Encode, now, what a restore needs: the app state, ``last_event_id``, ``path``, ``seq``.

        Called synchronously right after a render (and before a ``pong`` that acknowledges
        events handled without one), so the snapshot is exactly what the client is shown.
        """
        ...

    async def write(self, session: HostSession, snapshot: bytes, /) -> None:
        """Make ``snapshot`` durable; snapshots of one session are written one at a time, in order.

        Raises:
            Exception: Any, when it cannot be made durable: the frames waiting for it are
                dropped and the session is closed on this host (the checkpointer ends the
                client's connection so that it resumes from the last durable checkpoint).

        """
        ...


_InboxItem = tuple[Literal["event", "navigate", "ping"], Event | Navigate | Ping, int]


def error_frame(
    code: ErrorCode,
    message: str,
    /,
    *,
    error_id: str | None = None,
    detail: str | None = None,
    debug: bool,
    fatal: bool = False,
) -> Error:
    """Build the ``error`` frame of a failure as a host shows it.

    A failure of app code (with an ``error_id``) carries its exception text and traceback only
    from a host showing error details (``debug``); any other host sends a generic message and
    the id, under which its log holds the traceback.

    Args:
        code: Wire error code.
        message: Detail; clipped to ``MAX_ERROR_MESSAGE_CHARS``.
        error_id: Id of a failure of app code, already logged with its traceback.
        detail: Its traceback; clipped to ``MAX_ERROR_DETAIL_CHARS``.
        debug: Whether the host shows error details.
        fatal: Whether the connection closes after it.

    Returns:
        The frame.

    """
    if error_id is not None and not debug:
        message = _GENERIC_MESSAGE
    shown = clip_detail(detail, MAX_ERROR_DETAIL_CHARS) if detail is not None and debug else None
    return Error(code=code, message=clip(message), id=error_id, detail=shown, fatal=fatal)


class HostSession:
    """One hosted session.

    Args:
        app: The ``App`` it runs.
        session_id: Its id (random, URL-safe text).
        token: The token a resuming client must present with the id.
        path: Initial location, ``pathname + search + hash``.
        max_inbox_bytes: Most bytes of received frames waiting for the handlers.
        max_replay_bytes: Most encoded bytes of unacknowledged patch batches kept for replay.
        replay_budget: The bytes the replay buffers of every session of the process may keep
            together (``None``: no process bound). Past it, the sessions keeping the most lose
            their whole replay (a resume gets a full resync): :class:`ReplayBudget`.
        debug: Show error details to the client (``tempestweb dev``, ``--debug``): exception
            text and, in ``error.detail``, the traceback of a failure of app code. Otherwise
            such an error carries a generic message and its error id only.
        session_factory: Builds the core session (``tempest_core.Session``).
        clock: Monotonic clock in seconds, for :attr:`detached_at`.
        checkpointer: Makes the session durable elsewhere (``None``: it lives in this process
            only). Every render is snapshotted; a frame acknowledging events not yet in a
            durable snapshot waits for it, and every frame after it waits too (order is kept).
            Native calls do not wait: they acknowledge nothing.

    Raises:
        SessionError: ``not_found`` when ``path`` is not a same-document location.

    Attributes:
        id: The session id.
        token: The resume token.
        seq: ``seq`` of the last patch batch (0: the first view).
        core: The core :class:`~tempest_core.Session`.
        native: The pending native calls (the session's ``NativeBridge``).
        path: The session's current location (``pathname + search + hash``).
        peer: The attached connection, ``None`` while disconnected.
        closed: ``True`` once :meth:`close` ran.
        detached_at: When the session last had no connection (``None`` while attached).
        checkpointer: As given; a host may set it after construction.
        idle_listener: Called with ``(session, idle)`` when a connection attaches
            (``idle=False``) or lets go (``True``); its table keeps the idle ones in order.

    """

    # Slots: a session has 41 attributes, past the 30 an instance dict shares its keys for, so
    # each session had a dict of its own (about 1.5 KiB); slots hold them in about 300 bytes.
    __slots__ = (
        "__weakref__",
        "_clock",
        "_context",
        "_durable_eid",
        "_durable_gen",
        "_factory",
        "_feed_read",
        "_feed_sent",
        "_feed_wake",
        "_feeder",
        "_feeds",
        "_handlers",
        "_held",
        "_inbox",
        "_inbox_bytes",
        "_max_inbox",
        "_max_replay",
        "_pending_errors",
        "_pending_navigate",
        "_replay",
        "_replay_bytes",
        "_replay_share",
        "_resync_only",
        "_sent_seq",
        "_snapshot_eid",
        "_snapshot_gen",
        "_starting",
        "_unwritten",
        "_worker",
        "_writer",
        "checkpointer",
        "closed",
        "core",
        "debug",
        "detached_at",
        "id",
        "idle_listener",
        "native",
        "path",
        "peer",
        "seq",
        "token",
    )

    def __init__(
        self,
        app: App[Any],
        *,
        session_id: str,
        token: str,
        path: str,
        max_inbox_bytes: int = MAX_INBOX_BYTES,
        max_replay_bytes: int = MAX_REPLAY_BYTES,
        debug: bool = False,
        session_factory: SessionFactory = Session,
        clock: Callable[[], float] = time.monotonic,
        checkpointer: Checkpointer | None = None,
        replay_budget: ReplayBudget | None = None,
    ) -> None:
        self.id = session_id
        self.token = token
        self.seq = 0
        self.peer: SessionPeer | None = None
        self.closed = False
        self.debug = debug
        self._clock = clock
        self.detached_at: float | None = clock()
        self.idle_listener: Callable[[HostSession, bool], None] | None = None
        self.native = NativeCalls(self._send_native)
        self._factory = session_factory
        self._max_inbox = max_inbox_bytes
        self._max_replay = max_replay_bytes
        # (seq, frame) only: a batch's decoded ops are not kept with it. They cost several times
        # the frame's bytes (a patch of 100 table rows: 17 KiB encoded, about 7 times that in
        # ops), so four sessions holding MAX_REPLAY_BYTES of such batches each grew a server by
        # 231 MiB where the frames are 32 MiB; nothing ever read them.
        self._replay: deque[tuple[int, bytes]] = deque()
        self._replay_bytes = 0
        self._replay_share = replay_budget.share(self) if replay_budget is not None else None
        self._inbox: deque[_InboxItem] = deque()
        self._inbox_bytes = 0
        self._worker: asyncio.Task[None] | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._starting: asyncio.Task[None] | None = None  # a handler task before its first step
        self._feeder: asyncio.Task[None] | None = None  # sends the row feeds (_feed)
        self._feed_sent = 0  # row feed chunks sent on this connection (each followed by ping{-n})
        self._feed_read = 0  # the highest n of a pong{-n}: chunks the client has read
        self._feed_wake: asyncio.Event | None = None  # the waiting feeder's, set by a pong
        self._pending_navigate: Navigate | None = None
        # made when first needed: an empty deque is 600-700 bytes, and most sessions never use these
        self._pending_errors: deque[Error] | None = None
        self._context = contextvars.copy_context()
        self._context.run(CURRENT_BRIDGE.set, self.native)
        self.checkpointer = checkpointer
        self._held: deque[tuple[int, ServerMessage, bytes | None]] | None = None  # (acks up to, ...)
        self._snapshot_gen = 0  # generation of the newest snapshot taken
        self._durable_gen = 0  # generation of the newest snapshot written
        self._snapshot_eid = 0  # last_event_id covered by the newest snapshot
        self._durable_eid = 0  # last_event_id covered by the newest snapshot written
        self._unwritten: tuple[int, int, bytes] | None = None  # (generation, eid, snapshot) to write next
        self._writer: asyncio.Task[None] | None = None
        self._sent_seq = 0  # seq of the newest patch that left (no longer waiting for a checkpoint)
        self._resync_only = False  # restored: the client's DOM has other node ids
        self.path = _checked_path(path)
        self.core = self._new_core(app, path)
        self._feeds = self._feeds_of(self.core)

    def _feeds_of(self, core: CoreSession) -> RowFeedSource | None:
        """Return ``core`` wired to start this session's row feeds, if it has any (``_feed``)."""
        if not isinstance(core, RowFeedSource):
            return None
        core.on_feeds = self._feed_soon
        return core

    def _new_core(self, app: App[Any], path: str) -> CoreSession:
        """Build a core session of ``app``; what its state factory raises is a typed failure.

        Raises:
            SessionError: ``handler_error`` with an error id and the traceback as ``detail``
                when ``App(state=...)`` raised (the caller logs it): a page load shows the
                error page with that id, a ``hello`` gets the ``error`` frame, a hot reload
                keeps the previous version; never a bare 500 or a stopped dev server.

        """
        try:
            return self._factory(
                app,
                path=path,
                on_patch=self._on_patch,
                on_navigate=self._on_navigate,
                on_error=self._on_error,
            )
        except SessionError:
            raise
        except Exception as exc:
            raise SessionError.app_failure(exc, "the app's initial state") from exc

    def run(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        """Call ``fn(*args)`` in the session's context (its native bridge is reachable).

        Args:
            fn: Any callable touching the core session (``mount``, ``resync``, a test hook).
            *args: Its arguments.

        Returns:
            What ``fn`` returns.

        """
        if CURRENT_BRIDGE.get() is self.native:
            return fn(*args)
        return self._context.run(fn, *args)

    # -- core callbacks ------------------------------------------------------------------------
    def _on_patch(self, ops: tuple[Op, ...], ack: int) -> None:
        if self.closed or not ops:
            return
        self.seq += 1
        self.core.batch_sent(self.seq)
        patch = Patch(seq=self.seq, ops=ops, ack=ack)
        frame = encode(patch)
        self._replay.append((self.seq, frame))
        self._replay_bytes += len(frame)
        if self._replay_share is not None:
            self._replay_share.hold(len(frame))  # past the process's budget: the largest are shed
        while self._replay and (
            self._replay_bytes > self._max_replay or len(self._replay) > MAX_UNACKED_BATCHES
        ):
            dropped, old = self._replay.popleft()
            self._forgotten(len(old))
            self.core.batch_acknowledged(dropped)  # no longer replayable: its listeners go too
        self._checkpoint()  # the state changed: a restore must show what the client sees
        self._emit(patch, frame, ack)

    def _on_navigate(self, path: str, replace: bool) -> None:
        self.path = path
        self._emit(Navigate(path=path, replace=replace))

    def _on_error(self, error: SessionError) -> None:
        if error.error_id is None:  # with an id, the core session logged it with its traceback
            logger.warning("session %s: %s", self.id[:8], error)
        self.send_error(error.code, error.message, error_id=error.error_id, detail=error.detail)

    def _send_native(self, message: NativeCall, frame: bytes) -> int | None:
        """Send a native call (its frame encoded once, by the size rule); never waits for it."""
        if self.peer is None:
            return None
        self.peer.deliver(message, frame)
        return self.peer.epoch if self.peer is not None else None

    def send_error(
        self, code: ErrorCode, message: str, /, *, error_id: str | None = None, detail: str | None = None
    ) -> None:
        """Send a non-fatal ``error`` frame to the client (kept until one attaches).

        At most ``_PENDING_ERRORS_KEPT`` errors wait for a client; older ones are dropped.

        Args:
            code: Wire error code.
            message: Detail; clipped to ``MAX_ERROR_MESSAGE_CHARS``.
            error_id: Id of a failure of app code, already logged with its traceback. Without
                ``debug`` the client gets a generic message and this id, not ``message``.
            detail: Its traceback; sent only with ``debug``, clipped to ``MAX_ERROR_DETAIL_CHARS``.

        """
        self._emit(error_frame(code, message, error_id=error_id, detail=detail, debug=self.debug))

    # -- checkpoints (a Checkpointer) and the frames waiting for them ---------------------------
    def _emit(self, message: ServerMessage, frame: bytes | None = None, acks: int = 0, /) -> None:
        """Deliver ``message`` after every earlier frame, once events up to ``acks`` are durable."""
        if self._held or (acks > self._durable_eid and self.checkpointer is not None):
            if acks > self._snapshot_eid:  # events handled since the last render: snapshot them
                self._checkpoint()
            if self._held is None:
                self._held = deque()
            self._held.append((acks, message, frame))
        else:
            self._deliver(message, frame)

    def _deliver(self, message: ServerMessage, frame: bytes | None) -> None:
        peer = self.peer
        if type(message) is Patch:
            self._sent_seq = message.seq
            feeds = self._feeds
            if feeds is not None and peer is not None and _takes_feeds(peer):
                # what a client's row feeds lack for this patch goes first (tempest_core._table_feed)
                for rows in feeds.row_feed_announcements():
                    peer.deliver(rows)
        if peer is not None:
            peer.deliver(message, frame)
        elif type(message) is Navigate:
            self._pending_navigate = message
        elif type(message) is Error:
            if self._pending_errors is None:
                self._pending_errors = deque(maxlen=_PENDING_ERRORS_KEPT)
            self._pending_errors.append(message)  # shown when a client attaches
        # A patch waits in the replay buffer; a pong or a reload is for a connection now gone.

    # -- row feeds -------------------------------------------------------------------------------
    def _feed_soon(self) -> None:
        """Start sending the session's row feeds while it is idle, if not already under way."""
        feeder = self._feeder
        if (feeder is None or feeder.done()) and self.peer is not None and _takes_feeds(self.peer):
            self._feeder = asyncio.get_running_loop().create_task(self._feed(), context=self._context)

    async def _feed(self) -> None:
        """Send the row feeds' chunks, one at a time, while nothing else is to be done.

        A chunk goes out only when the session is idle (no event queued or handler starting),
        no frame waits for durability, the connection's outgoing queue is empty (the last chunk
        was written) and the client has read all but :data:`FEED_WINDOW` chunks (each is followed
        by ``ping{ts: -n}``; :meth:`feed_read` takes its ``pong``): a feed never floods a slow
        client, and a patch waits behind at most that many chunks. The sessions of a process
        take turns (:func:`_feed_turn`): one chunk per pass of the event loop, so another
        session's event waits for one chunk at most.
        """
        while not self.closed:
            peer, feeds = self.peer, self._feeds
            feeding = _takes_feeds(peer) if peer is not None else None
            if peer is None or feeding is None or feeds is None:
                return
            if not self._may_feed(peer, feeding):
                if self._feed_sent - self._feed_read >= FEED_WINDOW:  # until a pong (feed_read)
                    wake = self._feed_wake = asyncio.Event()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wake.wait(), _FEED_PONG_WAIT_S)
                else:  # the session or its connection is busy
                    await asyncio.sleep(_FEED_WAIT_S)
                continue
            async with _feed_turn():
                if not self._may_feed(peer, feeding):
                    continue
                for rows in feeds.row_feed_announcements():
                    peer.deliver(rows)
                chunk = feeds.row_feed_chunk()
                if chunk is None:
                    return
                peer.deliver(chunk)
                self._feed_sent += 1
                peer.deliver(Ping(ts=-self._feed_sent))  # its pong: the client read the chunk
                await asyncio.sleep(0)  # the turn ends after a pass of the loop: events go first

    def _may_feed(self, peer: SessionPeer, feeding: FeedingPeer) -> bool:
        return (
            not self.closed
            and self.peer is peer
            and self._feed_sent - self._feed_read < FEED_WINDOW
            and not feeding.outbox_bytes()
            and self._idle()
            and not self._held
        )

    def feed_read(self, ts: float, /) -> None:
        """Take a client's ``pong``: one with ``ts = -n`` says it read row feed chunk ``n``.

        Args:
            ts: The ``pong``'s ``ts``; others (keep-alive answers) are not the feed's.

        """
        if ts < 0 and -ts <= self._feed_sent:
            self._feed_read = max(self._feed_read, int(-ts))
            if self._feed_wake is not None:
                self._feed_wake.set()

    def _checkpoint(self) -> int:
        """Snapshot the session for its checkpointer; return the snapshot's generation (0: none)."""
        checkpointer = self.checkpointer
        if checkpointer is None or self.closed:
            return 0
        self._snapshot_gen += 1
        self._snapshot_eid = eid = self.core.last_event_id
        self._unwritten = (self._snapshot_gen, eid, checkpointer.snapshot(self))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_checkpoints())
        return self._snapshot_gen

    async def _write_checkpoints(self) -> None:
        checkpointer = self.checkpointer
        while self._unwritten is not None and checkpointer is not None and not self.closed:
            generation, eid, snapshot = self._unwritten  # only the newest: it covers the older ones
            self._unwritten = None
            try:
                await checkpointer.write(self, snapshot)
            except Exception as exc:
                logger.error("session %s: checkpoint failed (%s); closing it", self.id[:8], exc)
                self._held = None  # never acknowledge what is not durable
                await self.close()
                return
            self._durable_gen = generation
            self._durable_eid = max(self._durable_eid, eid)
            held = self._held
            while held and held[0][0] <= self._durable_eid:
                _, message, frame = held.popleft()
                self._deliver(message, frame)

    async def checkpoint(self) -> None:
        """Snapshot the session now and wait until that snapshot is durable (no-op without one).

        Hosts call it after opening a session (to register it) and before handing sessions
        over (shutdown). Returns early when the session closes (a failed write closes it).
        """
        generation = self._checkpoint()
        while self._durable_gen < generation and not self.closed and self._writer is not None:
            await asyncio.shield(self._writer)

    def restore(self, state: Any, /, *, last_event_id: int, seq: int) -> None:
        """Put a checkpointed session's state back into this new session, before :meth:`mount`.

        The core session gets ``state`` and ``last_event_id`` (events up to it are not handled
        again); numbering goes on from ``seq``. The restored tree has new node ids, so a
        resuming client always gets a full resync, never a replay.

        Args:
            state: The app state decoded from the checkpoint.
            last_event_id: The highest event id the checkpoint covers.
            seq: The ``seq`` of the checkpoint's last patch batch.

        """
        self.core.state = state
        self.core.last_event_id = last_event_id
        self._snapshot_eid = self._durable_eid = last_event_id
        self.seq = self._sent_seq = seq
        self._resync_only = True

    # -- attach / replay -------------------------------------------------------------------------
    def attach(self, peer: SessionPeer, /) -> None:
        """Make ``peer`` the session's connection (the previous one must have let go).

        Args:
            peer: The connection that completed the handshake.

        """
        self.peer = peer
        self.detached_at = None
        if self._feeds is not None:
            self._feeds.row_feeds_restart()  # a new connection's client holds no row feed
            self._feed_sent = self._feed_read = 0
            if self._feed_wake is not None:
                self._feed_wake.set()  # a feeder waiting for the last connection's pong goes on
            self._feed_soon()
        if self.idle_listener is not None:
            self.idle_listener(self, False)
        if self._pending_navigate is not None:
            peer.deliver(self._pending_navigate)
            self._pending_navigate = None
        while self._pending_errors:
            peer.deliver(self._pending_errors.popleft())
        self.native.attached(peer.epoch)

    def detach(self, peer: SessionPeer, /) -> None:
        """Forget ``peer`` if it is the attached connection; its unanswered native calls abort.

        Args:
            peer: The connection whose transport went away.

        """
        if self.peer is peer:
            self.peer = None
            self.detached_at = self._clock()
            if self.idle_listener is not None:
                self.idle_listener(self, True)
            self.native.detached(peer.epoch)

    def missed(self, last_seq: int, /) -> list[bytes] | None:
        """Return the encoded batches a client holding ``last_seq`` lacks, if all are kept.

        Args:
            last_seq: Highest ``seq`` the client applied.

        Returns:
            The frames of batches ``last_seq + 1 .. seq`` in order (empty when up to date), or
            ``None`` when some are gone or ``last_seq`` is not a ``seq`` of this session.

        """
        top = self._sent_seq  # batches after it still wait for a checkpoint: they follow on attach
        if self._resync_only or last_seq > top or last_seq < 0:
            return None
        if last_seq == top:
            return []
        if not self._replay or self._replay[0][0] > last_seq + 1:
            return None
        return [frame for seq, frame in self._replay if last_seq < seq <= top]

    def trim(self, seq: int, seen: int | None = None, /) -> None:
        """Drop the batches the client acknowledged (every ``seq`` up to ``seq``).

        Args:
            seq: The client's ``ack.seq``.
            seen: The ``seen`` of the event that carried it: the listeners its batches
                superseded are kept from there on, for that event (a resumed client's queued
                event acknowledges the replay it applied since the person acted).

        """
        replay = self._replay
        while replay and replay[0][0] <= seq:
            self._forgotten(len(replay.popleft()[1]))
        self.core.batch_acknowledged(seq if seen is None else min(seq, seen))

    def shed_replay(self) -> None:
        """Drop every kept batch (the process's :class:`ReplayBudget` is exhausted).

        The client loses nothing: a resume finds the batches gone and gets a full resync
        (``init{reset: true}``) of the current tree, as past ``max_replay_bytes``.
        """
        if self._replay:
            last = self._replay[-1][0]
            self._clear_replay()
            self.core.batch_acknowledged(last)  # no longer replayable: its listeners go too

    def _clear_replay(self) -> None:
        """Drop every kept batch and give its bytes back (to the process's budget too)."""
        self._replay.clear()
        self._forgotten(self._replay_bytes)

    def _forgotten(self, size: int, /) -> None:
        """Count ``size`` bytes of batches that left the replay buffer."""
        self._replay_bytes -= size
        if self._replay_share is not None:
            self._replay_share.release(size)

    def reset_init(self, ops: tuple[Op, ...], /) -> Init:
        """Return ``init{reset: true}`` carrying ``ops`` at the current ``seq``; clears replay.

        Args:
            ops: Ops that build the whole tree (``mount()`` or ``resync()``).

        Returns:
            The frame to send.

        """
        self._clear_replay()
        self.core.batch_acknowledged(self.seq)  # the client's DOM is rebuilt: no older one to act on
        self._resync_only = False
        if self._feeds is not None:  # a client drops its row feeds at every init
            self._feeds.row_feeds_restart()
            self._feed_soon()
        return Init(v=PROTOCOL_VERSION, session=self.id, seq=self.seq, ops=ops, reset=True, token=self.token)

    def resync_init(self) -> Init:
        """Return a full-resync ``init`` (the client rebuilds its DOM from the current tree)."""
        return self.reset_init(self.run(self.core.resync))

    def resume_init(self, seq: int, /) -> Init:
        """Return the ``init`` that precedes a replay (no ops: the client keeps its DOM).

        Args:
            seq: The ``seq`` the client holds; the replayed batches follow it.

        Returns:
            The frame to send.

        """
        return Init(v=PROTOCOL_VERSION, session=self.id, seq=seq, token=self.token)

    # -- inbox -----------------------------------------------------------------------------------
    def submit(
        self, kind: Literal["event", "navigate", "ping"], message: Event | Navigate | Ping, size: int
    ) -> bool:
        """Queue a received frame for the session's handlers, in arrival order.

        Events, navigations and pings share one queue so that a ``pong`` leaves after every
        event received before its ``ping`` was handled (the client's acknowledgement probe).

        Args:
            kind: What ``message`` is.
            message: The decoded frame.
            size: Its size on the wire, in bytes.

        Returns:
            ``False`` when the inbox is full (the caller ends the connection with
            ``queue_overflow``); nothing was queued then.

        """
        if self.closed:
            return True
        if kind == "event" and self._idle():
            # Fast path: nothing is queued or starting, so the event's turn is now; a plain
            # handler runs inline, without a task or a loop iteration, and so does the render
            # of its update: the patch is queued before the transport's receive call returns
            # (Mode A: in the DOM before the page paints; Mode B: its writer is woken at once,
            # not a loop iteration later; desktop: in the reply to the IPC call).
            assert isinstance(message, Event)
            self.run(self._start_handler, message, True)  # in the session's context: effects reach its bridge
            return True
        if self._inbox and self._inbox_bytes + size > self._max_inbox:
            return False
        self._inbox.append((kind, message, size))
        self._inbox_bytes += size
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._drain(), context=self._context)
        return True

    def _idle(self) -> bool:
        worker = self._worker
        return not self._inbox and (worker is None or worker.done()) and self._starting is None

    async def _drain(self) -> None:
        inbox = self._inbox
        while inbox and not self.closed:
            kind, message, size = inbox.popleft()
            self._inbox_bytes -= size
            try:
                if kind == "event":
                    assert isinstance(message, Event)
                    self._start_handler(message)
                    while self._starting is not None:  # an async handler: run to its first await
                        await asyncio.sleep(0)
                elif kind == "navigate":
                    assert isinstance(message, Navigate)
                    self.core.navigate(_checked_path(message.path))  # raises before any change
                    self.path = message.path
                elif self.peer is not None:
                    assert isinstance(message, Ping)
                    await self.core.flush()  # the events before the ping rendered first
                    if self.peer is not None:  # the pong acknowledges the events before the ping
                        self._emit(Pong(ts=message.ts), None, self.core.last_event_id)
            except SessionError as exc:
                self.send_error(exc.code, exc.message)

    def _start_handler(self, event: Event, inline: bool = False) -> None:
        """Run an event's handler up to its end or, for an ``async`` one, start it as a task.

        Handlers start in arrival order; one that awaits (a native call, a timer) runs on as a
        task of its own and never holds back the events after it. With ``inline``, a plain
        handler's update is rendered before this returns (``CoreSession.dispatch_inline``).
        """
        try:
            rest = self.core.dispatch_inline(event) if inline else self.core.dispatch_now(event)
        except SessionError as exc:
            self.send_error(exc.code, exc.message)
            return
        except Exception as exc:
            self._internal(exc)
            return
        if rest is not None:
            task = asyncio.get_running_loop().create_task(self._run_handler(rest))
            self._starting = task
            self._handlers.add(task)
            task.add_done_callback(self._handler_done)

    async def _run_handler(self, rest: Awaitable[None]) -> None:
        self._starting = None  # its first step runs now, in order
        try:
            await rest
        except Exception as exc:
            self._internal(exc)

    def _handler_done(self, task: asyncio.Task[None]) -> None:
        self._handlers.discard(task)
        if self._starting is task:  # cancelled before its first step
            self._starting = None

    def _internal(self, exc: Exception) -> None:
        error_id = new_error_id()
        logger.error(
            "session %s: internal error handling an event (error %s)", self.id[:8], error_id, exc_info=exc
        )
        text = f"{type(exc).__name__}: {exc}"
        self.send_error("internal", text, error_id=error_id, detail=format_detail(exc))

    async def settle(self) -> None:
        """Wait until nothing more happens without the client (hosts, tests).

        That is: the inbox is empty, every handler finished or waits for a native call's
        answer, and every render this caused ran.
        """
        loop = asyncio.get_running_loop()
        while not self.closed:
            worker = self._worker
            if worker is not None and not worker.done():
                await asyncio.shield(worker)
                continue
            await loop.create_task(self.core.flush(), context=self._context)
            running = [task for task in self._handlers if not task.done()]
            if self._inbox:
                continue
            if not running or len(self.native):
                return
            await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED, timeout=_SETTLE_POLL_S)

    # -- lifecycle -----------------------------------------------------------------------------
    def mount(self) -> tuple[Op, ...]:
        """Render the first view in the session's context.

        Returns:
            The ops building it.

        Raises:
            SessionError: ``handler_error`` when the view raises.

        """
        ops: tuple[Op, ...] = self.run(self.core.mount)
        return ops

    async def replace_app(self, new_app: App[Any], /, *, report: bool = True) -> Reloaded:
        """Swap in a reloaded app, carrying the app state over and keeping the location (hot reload).

        A fresh core session of ``new_app`` gets the old state, carried across a change of
        the state class by :func:`~tempest_core.host._reload.carry_state` (kept fields keep
        their values, added ones start from the new initial state), and is mounted; the client
        gets a full resync. When the new view fails on a state whose class changed, the
        session starts from the new initial state instead. When it fails on that too, the old
        session stays and the client gets an ``error`` frame.

        Args:
            new_app: The reloaded app.
            report: Log a failure and send the ``error`` frame, and send the notice of a
                changed state class, here. ``False`` leaves both to the caller (a table
                reloading many sessions reports each distinct failure once:
                :meth:`SessionTable.reload_app`).

        Returns:
            What happened: the carried state's notice, and the failure (``None`` on success),
            a ``handler_error`` with an error id and the traceback as ``detail``.

        """
        old = self.core
        try:
            fresh = self.run(self._new_core, new_app, self.path)
        except SessionError as exc:  # the new state class cannot be built (a field with no default)
            if report:
                self._report_reload_failure(exc)
            return Reloaded(carried=CarriedState(old.state), failure=exc)
        initial = fresh.state
        carried = carry_state(old.state, initial)
        attempts = [carried]
        if carried.state is not old.state:
            attempts.append(CarriedState(initial, notice=carried.notice))
        failure: SessionError | None = None
        for attempt in attempts:
            if failure is not None:  # the carried state failed: a fresh core for the initial one
                await fresh.close()
                fresh = self.run(self._new_core, new_app, self.path)
            if isinstance(fresh, Session):
                fresh.log_view_errors = False  # logged below or by the caller, once
                if attempt is carried and isinstance(old, Session):  # components keep their state
                    fresh.carry_hooks(ComponentStates(old.component_roots))
            fresh.state = attempt.state
            try:
                ops: tuple[Op, ...] = self.run(fresh.mount)
            except Exception as exc:
                failure = (
                    exc if isinstance(exc, SessionError) else SessionError.app_failure(exc, VIEW_SUBJECT)
                )
                continue
            done = attempt
            if attempt is not carried:
                assert failure is not None
                done = CarriedState(
                    initial,
                    notice=f"the view failed on the carried state ({failure.message}): "
                    "starting from the initial state",
                )
            self.core = fresh
            self._feeds = self._feeds_of(fresh)
            init = self.reset_init(ops)
            await old.close()
            self._emit(init)
            if report and done.notice is not None:
                notice_id = new_error_id()
                logger.warning(
                    "hot reload of session %s (notice %s): %s", self.id[:8], notice_id, done.notice
                )
                self.send_notice(done, notice_id=notice_id)
            return Reloaded(carried=done, failure=None)
        await fresh.close()
        assert failure is not None
        if report:
            self._report_reload_failure(failure)
        return Reloaded(carried=carried, failure=failure)

    def _report_reload_failure(self, failure: SessionError, /) -> None:
        """Log a failed hot reload of this session (its traceback, its error id) and tell the client."""
        logger.error(
            "hot reload failed for session %s (error %s): %s\n%s",
            self.id[:8],
            failure.error_id,
            failure.message,
            failure.detail or "",
        )
        self.send_reload_failure(failure)

    def send_reload_failure(self, failure: SessionError, /) -> None:
        """Tell the client a hot reload failed and the page keeps the previous version.

        Args:
            failure: The reload's ``handler_error`` (its id is the log line's).

        """
        self.send_error(
            "handler_error",
            f"{RELOAD_FAILED_MESSAGE}: {failure.message}",
            error_id=failure.error_id or new_error_id(),
            detail=failure.detail,
        )

    def send_notice(self, carried: CarriedState, /, *, notice_id: str) -> None:
        """Tell the client what a hot reload did to its state (shown by the error overlay).

        Args:
            carried: The reload's state, with a ``notice``.
            notice_id: Id of the log line that recorded the notice (the overlay shows it).

        """
        if carried.notice is None:
            return
        self.send_error(
            "handler_error",
            f"hot reload: {carried.notice}",
            error_id=notice_id,
            detail=carried.explain(),
        )

    async def close(self) -> None:
        """Close the session: fail pending native calls, stop its handlers, unmount (idempotent)."""
        if self.closed:
            return
        self.closed = True
        self.native.close()
        # Waiting uploads leave the process's budget now, not when a collection frees the core.
        # (Imported here: _uploads -> _queue -> _connection -> this module.)
        from tempest_core.host._uploads import discard_uploads

        discard_uploads(self.core)
        self._clear_replay()  # a closed session is never resumed: its batches leave the budget
        self._inbox.clear()
        self._inbox_bytes = 0
        current = asyncio.current_task()
        tasks = [
            t
            for t in (self._worker, self._writer, self._feeder, *self._handlers)
            if t is not None and not t.done() and t is not current
        ]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        await self.core.close()
