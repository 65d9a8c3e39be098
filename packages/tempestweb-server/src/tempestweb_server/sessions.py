"""Hosted sessions: ids, session-bound tokens, ``seq`` numbering, the replay buffer, expiry.

One :class:`SessionRecord` wraps one ``tempest_core.Session`` (one browser tab). It outlives
its transport connections: a client that reconnects within the recovery window resumes it and
gets exactly the patch batches it missed (or a full resync when they are gone).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tempest_core.errors import SessionError
from tempestweb_contract import PROTOCOL_VERSION, Error, Init, Navigate, Op, Patch
from tempestweb_contract.constants import MAX_UNACKED_BATCHES
from tempestweb_server.config import ServerConfig
from tempestweb_server.constants import JANITOR_INTERVAL_S, SESSION_ID_BYTES
from tempestweb_server.types import HostedSession, SessionFactory

if TYPE_CHECKING:
    from tempestweb_server.connection import Connection

__all__ = ["SessionManager", "SessionRecord"]

logger = logging.getLogger("tempestweb.server")


class SessionRecord:
    """One hosted session: the core session plus everything needed to resume it.

    Attributes:
        id: Random session id (URL-safe text).
        token: Session-bound token the client presents in ``hello``.
        path: The session's current location (``pathname + search + hash``).
        session: The running core session.
        seq: ``seq`` of the last patch batch produced (0 = the mounted first view).
        buffer: Unacknowledged patch batches, oldest first, at most ``MAX_UNACKED_BATCHES``.
        connection: The attached transport connection, ``None`` while disconnected.
        disconnected_at: Monotonic time the session lost (or never had) a connection.
        lock: Serializes event dispatch of this session across transports.

    """

    __slots__ = (
        "buffer",
        "closed",
        "connection",
        "disconnected_at",
        "id",
        "lock",
        "path",
        "pending_navigate",
        "seq",
        "session",
        "token",
    )

    def __init__(self, session_id: str, token: str, path: str, now: float) -> None:
        self.id = session_id
        self.token = token
        self.path = path
        self.session: HostedSession | None = None
        self.seq = 0
        self.buffer: deque[Patch] = deque(maxlen=MAX_UNACKED_BATCHES)
        self.connection: Connection | None = None
        self.disconnected_at: float | None = now
        self.pending_navigate: Navigate | None = None
        self.lock = asyncio.Lock()
        self.closed = False

    @property
    def core(self) -> HostedSession:
        """The core session.

        Returns:
            The session this record hosts.

        Raises:
            RuntimeError: The record was never given a session (a host bug).

        """
        if self.session is None:
            raise RuntimeError(f"session record {self.id} has no session")
        return self.session

    # -- callbacks wired into the core session -------------------------------------------------

    def on_patch(self, ops: tuple[Op, ...], ack: int) -> None:
        """Assign the next ``seq`` to a rendered batch, buffer it for replay, send it if connected.

        Args:
            ops: The render's ops.
            ack: Highest client event id dispatched before the render.

        """
        if self.closed or not ops:
            return
        self.seq += 1
        patch = Patch(seq=self.seq, ops=ops, ack=ack)
        self.buffer.append(patch)
        if self.connection is not None:
            self.connection.send(patch)

    def on_navigate(self, path: str, replace: bool) -> None:
        """Push an app-initiated location change to the client (kept until it reconnects).

        Args:
            path: New ``pathname + search + hash``.
            replace: Use ``history.replaceState`` instead of ``pushState``.

        """
        self.path = path
        message = Navigate(path=path, replace=replace)
        if self.connection is not None:
            self.connection.send(message)
        else:
            self.pending_navigate = message

    def on_error(self, error: SessionError) -> None:
        """Report a failed handler to this session's client only.

        Args:
            error: The session's typed error.

        """
        logger.warning("session %s: %s", self.id[:8], error)
        if self.connection is not None:
            self.connection.send(Error(code=error.code, message=error.message))

    # -- replay ----------------------------------------------------------------------------------

    def missed(self, last_seq: int, /) -> tuple[Patch, ...] | None:
        """Return the batches a client holding ``last_seq`` lacks, if all are still buffered.

        Args:
            last_seq: Highest ``seq`` the client applied.

        Returns:
            The batches ``last_seq + 1 .. seq`` in order (empty when up to date), or ``None``
            when some are gone (or ``last_seq`` is from the future): the client needs a resync.

        """
        if last_seq == self.seq:
            return ()
        if last_seq > self.seq or last_seq < 0:
            return None
        if not self.buffer or self.buffer[0].seq > last_seq + 1:
            return None
        return tuple(patch for patch in self.buffer if patch.seq > last_seq)

    def trim(self, seq: int, /) -> None:
        """Drop acknowledged batches (every ``seq`` up to and including ``seq``).

        Args:
            seq: The client's acknowledged ``seq``.

        """
        buffer = self.buffer
        while buffer and buffer[0].seq <= seq:
            buffer.popleft()

    def resync_init(self) -> Init:
        """Build a full-resync ``init`` (the client drops its DOM and rebuilds it).

        Returns:
            ``init{reset: true}`` with ops recreating the current tree at the current ``seq``.

        """
        return self.reset_init(self.core.resync())

    def reset_init(self, ops: tuple[Op, ...], /) -> Init:
        """Build an ``init{reset: true}`` carrying ``ops`` at the current ``seq``.

        The replay buffer is cleared: batches before a reset can never be replayed onto the
        rebuilt DOM.

        Args:
            ops: Ops that build the whole tree under the root (``mount()`` or ``resync()``).

        Returns:
            The frame to send.

        """
        self.buffer.clear()
        return Init(v=PROTOCOL_VERSION, session=self.id, seq=self.seq, ops=ops, reset=True, token=self.token)


class SessionManager:
    """Creates, finds, expires and hot-reloads the sessions of one app.

    Args:
        app: The ``tempest_core.App`` every session runs.
        config: Host options (recovery window, limits).
        session_factory: Builds a core session; ``None`` uses ``tempest_core.Session``.
        clock: Monotonic clock in seconds (tests pass a fake).

    """

    def __init__(
        self,
        app: Any,
        *,
        config: ServerConfig | None = None,
        session_factory: SessionFactory | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.config = config or ServerConfig()
        self._factory = session_factory or _default_factory()
        self._clock = clock
        self._secret = secrets.token_bytes(32)
        self._records: dict[str, SessionRecord] = {}

    def __len__(self) -> int:
        return len(self._records)

    def token_for(self, session_id: str, /) -> str:
        """Return the session-bound token of ``session_id`` (HMAC-SHA256 with a per-process key).

        Args:
            session_id: A session id.

        Returns:
            URL-safe hex token.

        """
        return hmac.new(self._secret, session_id.encode("utf-8"), hashlib.sha256).hexdigest()

    def verify(self, session_id: str | None, token: str | None, /) -> bool:
        """Check that ``token`` was issued by this process for ``session_id``.

        Args:
            session_id: Claimed session id.
            token: Claimed token.

        Returns:
            ``True`` when both are present and match, in constant time.

        """
        if not session_id or not token:
            return False
        return hmac.compare_digest(self.token_for(session_id), token)

    def create(self, path: str, /) -> SessionRecord:
        """Create (but do not mount) a session at ``path``.

        Args:
            path: Initial location, ``pathname + search + hash``.

        Returns:
            The new record; it counts as disconnected until a transport attaches.

        """
        session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
        record = SessionRecord(session_id, self.token_for(session_id), path, self._clock())
        record.session = self._factory(
            self.app,
            path=path,
            on_patch=record.on_patch,
            on_navigate=record.on_navigate,
            on_error=record.on_error,
        )
        self._records[session_id] = record
        return record

    async def make_room(self) -> bool:
        """Keep the number of sessions below ``config.max_sessions`` before a new one is created.

        Closes the session that has been disconnected the longest (a page that never connected,
        or one past its last connection) when the table is full.

        Returns:
            ``False`` when the table is full and every session is connected (the caller answers
            503); ``True`` otherwise.

        """
        while len(self._records) >= self.config.max_sessions:
            idle = [r for r in self._records.values() if r.connection is None]
            if not idle:
                return False
            victim = min(idle, key=lambda r: r.disconnected_at if r.disconnected_at is not None else 0.0)
            logger.info("session table full (%d): closing idle session %s", len(self._records), victim.id[:8])
            await self.discard(victim)
        return True

    def get(self, session_id: str | None, token: str | None, /) -> SessionRecord | None:
        """Find a live session by id, checking its token.

        Args:
            session_id: Session id from the client.
            token: Token from the client.

        Returns:
            The record, or ``None`` when unknown, expired or the token is wrong.

        """
        if not self.verify(session_id, token):
            return None
        assert session_id is not None
        return self._records.get(session_id)

    def mark_disconnected(self, record: SessionRecord, /) -> None:
        """Start the recovery window of a session whose transport went away.

        Args:
            record: The session.

        """
        record.connection = None
        record.disconnected_at = self._clock()

    async def discard(self, record: SessionRecord, /) -> None:
        """Close a session and forget it.

        Args:
            record: The session.

        """
        self._records.pop(record.id, None)
        if record.closed:
            return
        record.closed = True
        if record.connection is not None:
            record.connection.expire()
        if record.session is not None:
            try:
                await record.session.close()
            except Exception:
                logger.exception("session %s: close failed", record.id[:8])

    async def sweep(self) -> int:
        """Close every session disconnected for longer than the recovery window.

        Returns:
            How many sessions were closed.

        """
        deadline = self._clock() - self.config.recovery_window_s
        expired = [
            record
            for record in self._records.values()
            if record.connection is None
            and record.disconnected_at is not None
            and record.disconnected_at <= deadline
        ]
        for record in expired:
            await self.discard(record)
        if expired:
            logger.debug("expired %d session(s)", len(expired))
        return len(expired)

    async def run_janitor(self) -> None:
        """Sweep expired sessions forever (run it as a task; cancel it to stop)."""
        interval = min(JANITOR_INTERVAL_S, self.config.recovery_window_s / 2)
        while True:
            await asyncio.sleep(interval)
            await self.sweep()

    async def close_all(self) -> None:
        """Close every session (server shutdown)."""
        for record in list(self._records.values()):
            await self.discard(record)

    async def reload_app(self, new_app: Any, /) -> None:
        """Swap the app of every live session (hot reload) and push the re-rendered views.

        A session whose core supports ``replace_app(new_app)`` does the swap itself. Otherwise a
        fresh session of ``new_app`` at the same location is given the old session's app
        ``state`` and mounted, and the client gets a full resync (``init{reset: true}``);
        component-local hook state starts afresh. When the new view fails to render that
        state, the old session and view stay and the client gets an ``error`` frame.

        Args:
            new_app: The reloaded ``tempest_core.App``.

        """
        self.app = new_app
        for record in list(self._records.values()):
            await self._reload_record(record, new_app)

    async def _reload_record(self, record: SessionRecord, new_app: Any) -> None:
        old = record.core
        replace = getattr(old, "replace_app", None)
        if callable(replace):
            try:
                replace(new_app)
            except Exception as exc:
                self._report_reload_error(record, exc)
            return
        fresh = self._factory(
            new_app,
            path=record.path,
            on_patch=record.on_patch,
            on_navigate=record.on_navigate,
            on_error=record.on_error,
        )
        if hasattr(old, "state") and hasattr(fresh, "state"):
            fresh.state = old.state  # keep the app state; the new view must accept it
        try:
            ops = fresh.mount()
        except Exception as exc:
            await fresh.close()
            self._report_reload_error(record, exc)
            return
        record.session = fresh
        init = record.reset_init(ops)
        await old.close()
        if record.connection is not None:
            record.connection.send(init)

    def _report_reload_error(self, record: SessionRecord, exc: Exception) -> None:
        logger.error("hot reload failed for session %s: %s: %s", record.id[:8], type(exc).__name__, exc)
        if record.connection is not None:
            record.connection.send(
                Error(code="handler_error", message=f"reload failed: {type(exc).__name__}: {exc}")
            )


def _default_factory() -> SessionFactory:
    from tempest_core import Session

    factory: SessionFactory = Session
    return factory
