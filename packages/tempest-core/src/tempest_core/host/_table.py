"""``SessionTable``: the sessions of one app in one process, the default :class:`SessionRegistry`.

In-process hosts (Mode A's page, desktop windows, the headless pilot) use it as it is; Mode B
extends it with signed tokens, a capacity and expiry (``tempestweb_server.sessions``).
"""

from __future__ import annotations

import hmac
import itertools
import logging
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from tempest_core._internal.report import new_error_id
from tempest_core.app import App
from tempest_core.errors import SessionError
from tempest_core.host._reload import CarriedState
from tempest_core.host._replay import ReplayBudget
from tempest_core.host._session import Checkpointer, HostSession
from tempest_core.host._types import SessionFactory
from tempest_core.session import Session
from tempestweb_contract import Op
from tempestweb_contract.constants import MAX_INBOX_BYTES, MAX_REPLAY_BYTES
from tempestweb_contract.names import VIEW_SUBJECT

__all__ = ["ReloadReport", "SessionTable"]

logger = logging.getLogger("tempestweb.host")

SESSION_ID_BYTES: Final = 24
"""Random bytes in a session id (URL-safe base64 text of 32 characters)."""


class SessionTable:
    """Opens, finds and closes the sessions of one app.

    Args:
        app: The ``App`` every session runs.
        hydrate: Called with a freshly mounted session opened by a client's ``hello``; returns
            ``True`` when the client already shows that exact view (prerendered HTML it
            hydrates), so ``init`` carries no ops. ``None``: never (always a full build).
        debug: Put exception text in ``internal`` errors.
        max_inbox_bytes: Per-session inbox bound, in bytes.
        max_replay_bytes: Per-session replay buffer bound, in bytes.
        replay_budget: What the replay buffers of all its sessions may hold together
            (``None``: no process bound); see :class:`~tempest_core.host.ReplayBudget`.
        session_factory: Builds core sessions (``tempest_core.Session``).
        clock: Monotonic clock in seconds (tests pass a fake).

    Attributes:
        replay_budget: As given.
        checkpointer: Given to every session this table builds (``None``: sessions live in
            this process only; Mode B on Redis sets one).

    """

    def __init__(
        self,
        app: App[Any],
        *,
        hydrate: Callable[[HostSession], bool] | None = None,
        debug: bool = False,
        max_inbox_bytes: int = MAX_INBOX_BYTES,
        max_replay_bytes: int = MAX_REPLAY_BYTES,
        replay_budget: ReplayBudget | None = None,
        session_factory: SessionFactory = Session,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.debug = debug
        self.clock = clock
        self._hydrate = hydrate
        self._max_inbox = max_inbox_bytes
        self._max_replay = max_replay_bytes
        self.replay_budget = replay_budget
        self._factory = session_factory
        self._sessions: dict[str, HostSession] = {}
        self._unclaimed: dict[str, HostSession] = {}
        """Sessions no connection ever attached to (a page load's), the oldest first."""
        self._idle: dict[str, HostSession] = {}
        """Sessions whose connection ended, in the order they became so (the longest idle first)."""
        self.checkpointer: Checkpointer | None = None

    def __len__(self) -> int:
        return len(self._sessions)

    def __iter__(self) -> Iterator[HostSession]:
        return iter(list(self._sessions.values()))

    def longest_idle(self, count: int, /) -> list[HostSession]:
        """Return up to ``count`` sessions without a connection, in the order to evict them.

        First the sessions no connection ever attached to (page loads; the oldest first: a flood
        of page requests costs the requester nothing and must not push out the people it
        served), then those whose connection ended, the longest disconnected first (a person
        whose network dropped resumes the longer ago the less likely). Kept in that order as it
        changes, so this costs ``count`` steps, not a sort of the table (a table at capacity
        answers every new page this way).

        Args:
            count: How many at most.

        Returns:
            The sessions, the first to evict first.

        """
        return list(itertools.islice(itertools.chain(self._unclaimed.values(), self._idle.values()), count))

    def _add(self, session: HostSession, /, *, claimed: bool = False) -> None:
        """Put ``session`` in the table, in an idle order while no connection holds it.

        A new session (a page load's) waits among the unclaimed; a ``claimed`` one (a session
        a client already had, restored here from a checkpoint) among the disconnected.
        """
        self._sessions[session.id] = session
        if session.peer is None:
            (self._idle if claimed else self._unclaimed)[session.id] = session

    def _remove(self, session: HostSession, /) -> None:
        self._sessions.pop(session.id, None)
        self._unclaimed.pop(session.id, None)
        self._idle.pop(session.id, None)

    def _idle_changed(self, session: HostSession, idle: bool, /) -> None:
        if self._sessions.get(session.id) is not session:
            return  # built but not (or no longer) in this table
        self._unclaimed.pop(session.id, None)  # a connection attached: claimed for good
        self._idle.pop(session.id, None)
        if idle:
            self._idle[session.id] = session  # idle since now: the end of the order

    def token_for(self, session_id: str, /) -> str:
        """Return the token that resumes ``session_id`` (random per session here).

        Args:
            session_id: A session id.

        Returns:
            URL-safe text.

        """
        return secrets.token_urlsafe(SESSION_ID_BYTES)

    def check_token(self, session: HostSession, token: str | None, /) -> bool:
        """Whether ``token`` resumes ``session`` (constant-time comparison).

        Args:
            session: A live session.
            token: The token a client presented.

        Returns:
            ``True`` when they match.

        """
        return token is not None and hmac.compare_digest(session.token.encode(), token.encode())

    def open(self, path: str, /) -> HostSession:
        """Create and mount a session at ``path`` (a page load, or a client's ``hello``).

        Args:
            path: Initial location, ``pathname + search + hash``.

        Returns:
            The mounted session; it counts as disconnected until a connection attaches.

        Raises:
            SessionRefused: No room (subclasses with a capacity).
            SessionError: ``not_found`` for a path that is not same-document;
                ``handler_error`` when the first view raises (the session is dropped).

        """
        self.admit()
        try:
            session = self.build(secrets.token_urlsafe(SESSION_ID_BYTES), path)
        except SessionError as failed:
            if failed.error_id is not None:  # app code failed (its state factory): its traceback
                logger.error(
                    "the initial state of %r raised (error %s)",
                    self.app,
                    failed.error_id,
                    exc_info=failed.__cause__,
                )
            raise
        try:
            session.mount()
        except Exception as exc:
            session.closed = True
            error = exc if isinstance(exc, SessionError) else None
            if error is None:
                error = SessionError.app_failure(exc, VIEW_SUBJECT)
                logger.error("the first view of %r raised (error %s)", self.app, error.error_id, exc_info=exc)
            raise error from exc
        self._add(session)
        return session

    def build(self, session_id: str, path: str, /) -> HostSession:
        """Create (not mount, not add) a session with this table's options.

        :meth:`open` uses it for a new id; a host restoring a checkpoint uses it with the id
        the client knows.

        Args:
            session_id: The session id.
            path: Initial location, ``pathname + search + hash``.

        Returns:
            The session, with this table's limits, debug setting and :attr:`checkpointer`.

        Raises:
            SessionError: ``not_found`` for a path that is not same-document.

        """
        session = HostSession(
            self.app,
            session_id=session_id,
            token=self.token_for(session_id),
            path=path,
            max_inbox_bytes=self._max_inbox,
            max_replay_bytes=self._max_replay,
            replay_budget=self.replay_budget,
            debug=self.debug,
            session_factory=self._factory,
            clock=self.clock,
            checkpointer=self.checkpointer,
        )
        session.idle_listener = self._idle_changed
        return session

    def admit(self) -> None:
        """Raise :class:`SessionRefused` when no session may be opened now (no limit here)."""

    def resume(self, session_id: str, token: str | None, /) -> HostSession | None:
        """Return the live session ``session_id`` when ``token`` is its token.

        Args:
            session_id: Id from the client's ``hello``.
            token: Token from the client's ``hello``.

        Returns:
            The session, or ``None`` when unknown, closed or the token is wrong.

        """
        session = self._sessions.get(session_id)
        if session is None or session.closed or not self.check_token(session, token):
            return None
        return session

    def create(self, path: str, /) -> tuple[HostSession, tuple[Op, ...] | None]:
        """Open a session for a client's ``hello`` (the ``SessionRegistry`` protocol).

        Args:
            path: The client's location.

        Returns:
            The session, and the ops of its first view (``None`` when the client hydrates).

        Raises:
            SessionRefused: No room.
            SessionError: Bad path, or the first view raised.

        """
        session = self.open(path)
        if self._hydrate is not None and self._hydrate(session):
            return session, None
        return session, session.resync_init().ops

    async def discard(self, session: HostSession, /) -> None:
        """Close ``session`` and forget it; an attached client gets ``session_expired``.

        Args:
            session: The session.

        """
        self._remove(session)
        if session.peer is not None:
            session.peer.expire()
        try:
            await session.close()
        except Exception:
            logger.exception("session %s: close failed", session.id[:8])

    async def close_all(self) -> None:
        """Close every session (host shutdown)."""
        for session in self:
            await self.discard(session)

    async def reload_app(self, new_app: App[Any], /) -> ReloadReport:
        """Swap in a reloaded app in every connected session, carrying each state (hot reload).

        Sessions without a connection (a tab closed or navigated away, not yet expired) are
        closed, not reloaded: a client coming back to one gets a new session. Each connected
        session gets :meth:`HostSession.replace_app`; what it reports is logged here once per
        distinct failure (with its traceback) and once per distinct notice, however many
        sessions share it, and every session concerned gets the ``error`` frame with the one
        error id of the log line.

        Args:
            new_app: The reloaded app.

        Returns:
            How many sessions were reloaded and dropped, the distinct notices and failures.

        """
        self.app = new_app
        live = [session for session in self if session.peer is not None]
        dropped = [session for session in self if session.peer is None]
        for session in dropped:
            await self.discard(session)
        notices: dict[str, tuple[CarriedState, list[HostSession]]] = {}
        failures: dict[str, tuple[SessionError, list[HostSession]]] = {}
        for session in live:
            outcome = await session.replace_app(new_app, report=False)
            if outcome.failure is not None:
                failure = outcome.failure
                failures.setdefault(failure.message, (failure, []))[1].append(session)
            elif outcome.carried.notice is not None:
                notices.setdefault(outcome.carried.notice, (outcome.carried, []))[1].append(session)
        for notice, (carried, sessions) in notices.items():
            notice_id = new_error_id()
            logger.warning("hot reload in %d session(s) (notice %s): %s", len(sessions), notice_id, notice)
            for session in sessions:
                session.send_notice(carried, notice_id=notice_id)
        for failure, sessions in failures.values():
            logger.error(
                "hot reload failed in %d session(s), they keep the previous version (error %s): %s\n%s",
                len(sessions),
                failure.error_id,
                failure.message,
                failure.detail or "",
            )
            for session in sessions:
                session.send_reload_failure(failure)
        return ReloadReport(
            reloaded=len(live) - sum(len(sessions) for _, sessions in failures.values()),
            dropped=len(dropped),
            notices=tuple(notices),
            failures=tuple(failure for failure, _ in failures.values()),
        )


@dataclass(frozen=True, slots=True)
class ReloadReport:
    """What :meth:`SessionTable.reload_app` did.

    Attributes:
        reloaded: Connected sessions now running the new app.
        dropped: Sessions without a connection that were closed instead.
        notices: Each distinct notice about the state (see :class:`CarriedState`), once.
        failures: Each distinct failure of the new view (the sessions keep the previous
            version), once.

    """

    reloaded: int
    dropped: int
    notices: tuple[str, ...]
    failures: tuple[SessionError, ...]
