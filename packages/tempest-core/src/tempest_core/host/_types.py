"""The part of a core session a host uses, so that hosts can be tested with a small fake.

``tempest_core.Session`` is the implementation; a host is written against :class:`CoreSession`
and builds sessions with a :class:`SessionFactory` (docs/design.md, "Session host").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, runtime_checkable

from tempest_core.errors import SessionError
from tempestweb_contract import Event, Op, Rows

__all__ = [
    "CoreSession",
    "ErrorCallback",
    "NavigateCallback",
    "PatchCallback",
    "RowFeedSource",
    "SessionFactory",
]

PatchCallback = Callable[[tuple[Op, ...], int], None]
"""``on_patch(ops, ack)``: one render's ops and the highest event id dispatched before it."""

NavigateCallback = Callable[[str, bool], None]
"""``on_navigate(path, replace)``: the app changed the location."""

ErrorCallback = Callable[[SessionError], None]
"""``on_error(error)``: a handler failed; the session keeps running."""


class CoreSession(Protocol):
    """The host-facing part of ``tempest_core.Session``."""

    state: Any
    last_event_id: int

    def mount(self) -> tuple[Op, ...]:
        """Render the first view; return ops building it under ``ROOT_ID``."""
        ...

    def resync(self) -> tuple[Op, ...]:
        """Return ops recreating the current tree from scratch."""
        ...

    def render_html(self) -> str:
        """Return the current tree as hydratable HTML."""
        ...

    @property
    def styles(self) -> tuple[str, ...]:
        """Every CSS rule emitted so far, in order."""
        ...

    async def dispatch(self, event: Event, /) -> None:
        """Run the handler bound to ``(event.node, event.name)``."""
        ...

    def dispatch_now(self, event: Event, /) -> Awaitable[None] | None:
        """Run the handler's synchronous part; return the rest to await, if any."""
        ...

    def navigate(self, path: str, /) -> None:
        """Take a client-side location change."""
        ...

    def dispatch_inline(self, event: Event, /) -> Awaitable[None] | None:
        """As ``dispatch_now``, and render a plain handler's update before returning."""
        ...

    def batch_sent(self, seq: int, /) -> None:
        """Keep, under ``seq``, what the batch ``on_patch`` is sending superseded of the listeners."""
        ...

    def batch_acknowledged(self, seq: int, /) -> None:
        """Forget what batches up to ``seq`` superseded: the client applied them."""
        ...

    async def flush(self) -> None:
        """Wait until every pending render ran."""
        ...

    async def close(self) -> None:
        """Cancel background work and run cleanups."""
        ...


class SessionFactory(Protocol):
    """Builds a :class:`CoreSession` for an app (``tempest_core.Session`` by default)."""

    def __call__(
        self,
        app: Any,
        /,
        *,
        path: str,
        on_patch: PatchCallback,
        on_navigate: NavigateCallback,
        on_error: ErrorCallback,
    ) -> CoreSession:
        """Create a session of ``app`` at ``path`` wired to the host's callbacks."""
        ...


@runtime_checkable
class RowFeedSource(Protocol):
    """A core session with row feeds (``tempest_core.Session``; ``tempest_core._table_feed``).

    Optional: a :class:`CoreSession` without it has none, and its host sends no ``rows``.
    """

    on_feeds: Callable[[], None] | None
    """Called after a render that gave a table's row feed something to send."""

    def row_feed_announcements(self) -> list[Rows]:
        """Return the ``rows`` messages a client needs before the next patch."""
        ...

    def row_feed_chunk(self) -> Rows | None:
        """Return the next chunk of a table's row feed, or ``None`` when all were sent."""
        ...

    def row_feeds_restart(self) -> None:
        """Send every row feed again from the start (a new connection)."""
        ...
