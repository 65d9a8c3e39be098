"""Mode B's session table: signed tokens, a capacity, expiry after the recovery window.

With several workers on Redis (``ServerConfig.redis``) the table is one worker's share: its
:class:`~tempestweb_server._cluster.Cluster` gives it the token key every worker shares and a
checkpointer, and restores sessions other workers left (docs/deployment.md).

Everything else about a session (``seq``, replay, inbox, native calls, hot reload) is the
host-neutral :class:`tempest_core.host.HostSession`; this module adds what a multi-client server
needs on top of :class:`tempest_core.host.SessionTable`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

from tempest_core.host import (
    ByteBudget,
    HostSession,
    ReplayBudget,
    SessionFactory,
    SessionRefused,
    SessionTable,
)
from tempest_core.session import Session
from tempestweb_contract import Op
from tempestweb_server._admission import LoadMonitor
from tempestweb_server._handshake import Handshakes
from tempestweb_server.config import ServerConfig
from tempestweb_server.constants import JANITOR_INTERVAL_S

if TYPE_CHECKING:
    from tempestweb_server._cluster import Cluster

__all__ = ["SessionManager"]

logger = logging.getLogger("tempestweb.server")


class SessionManager(SessionTable):
    """Creates, finds, expires and hot-reloads the sessions of one app in one process.

    Args:
        app: The ``tempest_core.App`` every session runs.
        config: Host options (recovery window, limits).
        session_factory: Builds a core session; ``None`` uses ``tempest_core.Session``.
        clock: Monotonic clock in seconds (tests pass a fake).

    Attributes:
        cluster: This worker's cluster membership when serving with Redis (set by it).
        checkpointer: Given to every session this table opens (set by the cluster).
        outbox_budget: Bytes every connection's outgoing queue of this process may hold together.
        replay_budget: Bytes every session's replay buffer of this process may hold together.
        load: The admission probe (event-loop lag, bytes in flight); the app's lifespan runs it.
        handshakes: The slots of connections waiting for their ``hello`` (both transports).
        reload_failure: Under ``tempestweb dev``, the ``(message, error id, traceback)`` of the
            last hot reload when it failed and the app before it still runs (set and cleared by
            the dev loop): every session opened meanwhile shows it too, so a page opened or
            reloaded after a broken save is not the old version without a word.

    """

    def __init__(
        self,
        app: Any,
        *,
        config: ServerConfig | None = None,
        session_factory: SessionFactory | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config or ServerConfig()
        super().__init__(
            app,
            debug=self.config.debug or self.config.errors == "traceback",
            max_inbox_bytes=self.config.max_inbox_bytes,
            replay_budget=ReplayBudget(self.config.max_total_replay_bytes),
            session_factory=session_factory or Session,
            clock=clock,
        )
        secret = self.config.secret
        self._secret = secret.encode("utf-8") if secret is not None else secrets.token_bytes(32)
        self._closing: set[asyncio.Task[None]] = set()
        self.outbox_budget = ByteBudget(self.config.max_total_queue_bytes)
        self.load = LoadMonitor(max_loop_lag_s=self.config.max_loop_lag_s, budget=self.outbox_budget)
        self.handshakes = Handshakes(
            limit=self.config.max_handshakes, timeout_s=self.config.handshake_timeout_s
        )
        self.cluster: Cluster | None = None
        self.reload_failure: tuple[str, str | None, str | None] | None = None

    def open(self, path: str, /) -> HostSession:
        """Open a session as :meth:`SessionTable.open` does; it shows a pending ``reload_failure``.

        Args:
            path: Initial location.

        Returns:
            The mounted session.

        Raises:
            SessionRefused: No room.
            SessionError: As :meth:`SessionTable.open`.

        """
        session = super().open(path)
        if self.reload_failure is not None:
            message, error_id, detail = self.reload_failure
            session.send_error("handler_error", message, error_id=error_id, detail=detail)  # at attach
        return session

    def use_secret(self, secret: bytes, /) -> None:
        """Sign tokens with ``secret`` from now on (the key every worker of a cluster shares).

        Args:
            secret: At least 32 random bytes.

        """
        self._secret = secret

    def token_for(self, session_id: str, /) -> str:
        """Return the session-bound token of ``session_id`` (HMAC-SHA256).

        The key is ``ServerConfig.secret``, else the one the cluster shares in Redis, else a
        random key of this process.

        Args:
            session_id: A session id.

        Returns:
            Hex token.

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

    def create(self, path: str, /) -> tuple[HostSession, tuple[Op, ...] | None]:
        """Open a session for a client's ``hello``; in a cluster, register it in the background.

        Args:
            path: The client's location.

        Returns:
            The session and the ops of its first view.

        Raises:
            SessionRefused: No room.
            SessionError: Bad path, or the first view raised.

        """
        session, ops = super().create(path)
        if session.checkpointer is not None:
            self._track(session.checkpoint())
        return session, ops

    def live(self, session_id: str, /) -> HostSession | None:
        """Return the open session ``session_id`` of this table, if any (no token check)."""
        session = self._sessions.get(session_id)
        return None if session is None or session.closed else session

    def adopt(self, session: HostSession, /) -> None:
        """Add a restored, mounted session to the table (room is made as for a new one).

        Args:
            session: From :meth:`build`, restored and mounted.

        Raises:
            SessionRefused: No room (``max_sessions``; load does not refuse a session that
                already exists).

        """
        self._make_room(load=False)
        self._add(session, claimed=True)  # its client had it (on another worker): not a page load

    async def discard(self, session: HostSession, /) -> None:
        """Close ``session`` and forget it, here and in the cluster (see :meth:`SessionTable.discard`).

        Args:
            session: The session.

        """
        await super().discard(session)
        if self.cluster is not None:
            await self.cluster.drop(session.id)

    def _track(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    def admit(self) -> None:
        """Refuse a new session past capacity, else make room for it below ``max_sessions``.

        Capacity is the load first (:class:`~tempestweb_server._admission.LoadMonitor`: the
        event-loop lag, the outgoing bytes in flight), then the count: when the table is full,
        sessions without a connection are closed, the longest disconnected first, but only
        when that makes room (a refused request never evicts).

        Raises:
            SessionRefused: ``server_busy`` (close 1013 / HTTP 503 with ``Retry-After``) when
                the process is overloaded, or when every session that would have to go is
                connected.

        """
        self._make_room(load=True)

    def busy(self) -> str | None:
        """Say why :meth:`admit` would refuse a new session now, without counting or evicting.

        For a ``HEAD`` of a page, which opens no session but must answer with the status a
        ``GET`` would get (RFC 9110, section 9.3.2): a monitor probing with ``HEAD`` saw 200
        while every page was refused with 503.

        Returns:
            The reason, as :meth:`admit`'s ``SessionRefused`` says it (no client input in it),
            or ``None`` when there is room.

        """
        reason, _ = self._capacity(load=True)
        return None if reason is None else _busy_message(reason)

    def _make_room(self, *, load: bool) -> None:
        """Refuse a session (``load``: the load too) past capacity, else close who makes room."""
        reason, idle = self._capacity(load=load)
        if reason is not None:
            self._refuse(reason)
        for victim in idle:
            logger.info("session table full: closing idle session %s", victim.id[:8])
            self._track(self.discard(victim))
            self.forget(victim)

    def _capacity(self, *, load: bool) -> tuple[str | None, list[HostSession]]:
        """Apply the rule of :meth:`admit`: why a new session is refused now, else who makes room.

        Returns:
            ``(reason, [])`` when refused, else ``(None, the disconnected sessions to close)``
            (longest idle first; empty below ``max_sessions``).

        """
        reason = self.load.overload() if load else None
        if reason is not None:
            return reason, []
        excess = len(self) + 1 - self.config.max_sessions
        if excess <= 0:
            return None, []
        idle = self.longest_idle(excess)  # kept in order: no sort of the table per new session
        if len(idle) < excess:
            return f"the server holds its maximum of {self.config.max_sessions} sessions", []
        return None, idle[:excess]

    def _refuse(self, reason: str) -> NoReturn:
        self.load.refused += 1
        if self.load.refused == 1 or self.load.refused % 1000 == 0:  # a flood logs rarely
            logger.warning("refusing new sessions (%d so far): %s", self.load.refused, reason)
        raise SessionRefused("server_busy", _busy_message(reason))

    def forget(self, session: HostSession, /) -> None:
        """Remove ``session`` from the table at once (its close may still be running).

        Args:
            session: The session.

        """
        self._remove(session)

    async def sweep(self) -> int:
        """Close every session disconnected for longer than the recovery window.

        Returns:
            How many sessions were closed.

        """
        deadline = self.clock() - self.config.recovery_window_s
        expired = [
            s for s in self if s.peer is None and s.detached_at is not None and s.detached_at <= deadline
        ]
        for session in expired:
            await self.discard(session)
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
        """Close every session (server shutdown), including evictions still closing."""
        await super().close_all()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)


def _busy_message(reason: str, /) -> str:
    return f"{reason}; try again shortly"
