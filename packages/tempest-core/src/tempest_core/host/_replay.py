"""``ReplayBudget``: the bytes every session of a process may keep for a resume, together.

A session keeps the patch batches its client has not acknowledged (at most ``MAX_REPLAY_BYTES``,
:class:`~tempest_core.host.HostSession`), so without a process bound a host's ceiling would be
``max_sessions`` times that: many clients that never acknowledge, or many disconnected sessions
waiting for a resume, could grow it without bound relative to its memory. This budget is the
process bound. It counts like the outgoing queues' :class:`~tempest_core.host.ByteBudget` (it is
one); what differs is what happens past it: nothing is refused (a batch was already rendered and
sent), the sessions holding the most unacknowledged bytes lose their replay instead. Their clients
lose nothing: a resume finds the batches gone and gets ``init{reset: true}``, a full resync of the
current tree (every acknowledged event is in it), as past ``MAX_REPLAY_BYTES`` of one session.
"""

from __future__ import annotations

import weakref
from typing import Final, Protocol

from tempest_core.host._queue import ByteBudget

__all__ = ["ReplayBudget", "ReplayOwner", "ReplayShare"]

SHED_TO: Final = 7 / 8
"""Share of the limit a shed brings the budget down to, so that a process at its limit sheds
(and sorts its holders) once per eighth of the limit, not once per batch."""


class ReplayOwner(Protocol):
    """A session whose replay buffer a :class:`ReplayBudget` counts."""

    def shed_replay(self) -> None:
        """Drop the whole replay buffer (releasing its bytes from the share)."""
        ...


class ReplayShare:
    """What one session's replay buffer counts in a :class:`ReplayBudget`.

    Attributes:
        size: Bytes of the session's kept batches, counted in the budget.

    """

    __slots__ = ("_budget", "_owner", "size")

    def __init__(self, budget: ReplayBudget, owner: ReplayOwner) -> None:
        self._budget = budget
        self._owner = weakref.ref(owner)
        self.size = 0

    def hold(self, size: int, /) -> None:
        """Count ``size`` more bytes; past the budget's limit the largest holders are shed.

        Args:
            size: Bytes of a batch just kept, >= 0.

        """
        self.size += size
        self._budget.hold(self, size)

    def release(self, size: int, /) -> None:
        """Count ``size`` bytes fewer (batches acknowledged or dropped).

        Args:
            size: Bytes no longer kept, at most :attr:`size`.

        """
        self.size -= size
        self._budget.release(self, size)

    def shed(self) -> None:
        """Drop the session's whole replay buffer (the budget chose it)."""
        owner = self._owner()
        if owner is not None:
            owner.shed_replay()
        self.close()  # whatever the owner did not release (it is gone, or kept nothing)

    def close(self) -> None:
        """Give every byte back (the session closed or was collected); idempotent."""
        if self.size:
            self.release(self.size)


class ReplayBudget(ByteBudget):
    """Bytes the replay buffers of every session of a process may hold together.

    Args:
        limit: Most bytes, >= 1 (Mode B: ``ServerConfig.max_total_replay_bytes``).

    Attributes:
        used: Bytes held now (:class:`~tempest_core.host.ByteBudget`).
        shed_sessions: How many times a session lost its replay to this budget.

    """

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.shed_sessions = 0
        self._holders: set[ReplayShare] = set()

    def share(self, owner: ReplayOwner, /) -> ReplayShare:
        """Return the share of a new session; its bytes come back when it is collected at the latest.

        Args:
            owner: The session (held weakly).

        Returns:
            The share (the session keeps it and closes it when it closes).

        """
        share = ReplayShare(self, owner)
        weakref.finalize(owner, share.close)
        return share

    def hold(self, share: ReplayShare, size: int, /) -> None:
        """Count ``size`` bytes of ``share``; past the limit, shed the largest holders.

        Past :attr:`limit`, the sessions holding the most bytes lose their whole replay, the
        largest first, until the budget is at or below ``SHED_TO`` of its limit (``share``'s
        session may be one of them).

        Args:
            share: The session's share (its :attr:`~ReplayShare.size` already counts ``size``).
            size: Bytes added.

        """
        self.used += size
        if share.size > 0:
            self._holders.add(share)
        if self.used > self.limit:
            self._shed()

    def release(self, share: ReplayShare, size: int, /) -> None:
        """Count ``size`` bytes of ``share`` fewer.

        Args:
            share: The session's share (its :attr:`~ReplayShare.size` already excludes ``size``).
            size: Bytes removed.

        """
        self.used -= size
        if share.size <= 0:
            self._holders.discard(share)

    def _shed(self) -> None:
        target = int(self.limit * SHED_TO)
        for holder in sorted(self._holders, key=lambda share: share.size, reverse=True):
            if self.used <= target:
                return
            self.shed_sessions += 1
            holder.shed()
