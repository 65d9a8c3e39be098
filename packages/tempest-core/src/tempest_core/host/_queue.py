"""``FrameQueue``: a byte-bounded outgoing queue, the :class:`FramePort` of async transports.

A WebSocket, an SSE stream or a desktop IPC channel writes frames from a task of its own; the
connection puts frames in this queue synchronously. A transport whose reader can write too (the
WebSocket) may :meth:`~FrameQueue.hold` the queue while it feeds a frame to the connection and
then :meth:`~FrameQueue.take` what the answer queued, writing it in the same turn of the event
loop instead of waking its writer task for it. The queue is bounded in bytes per
connection and, through a shared :class:`ByteBudget`, per process: a client that never reads
cannot grow the host (docs/design.md, "Bounded memory").
"""

from __future__ import annotations

import asyncio
from collections import deque

from tempest_core.host._connection import PortOverflow
from tempestweb_contract.constants import CLOSE_NORMAL, MAX_OUTBOX_BYTES

__all__ = ["ByteBudget", "FrameQueue"]


class ByteBudget:
    """Bytes that every queue of a process may hold together.

    Args:
        limit: Most bytes in all queues sharing this budget.

    Attributes:
        used: Bytes held now.

    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0


class FrameQueue:
    """Outgoing frames of one connection, bounded in bytes.

    Args:
        max_bytes: Most bytes queued for this connection.
        budget: A process-wide budget shared with other queues (``None``: no process bound).

    Attributes:
        close_code: The close code once :meth:`close` was called (``CLOSE_NORMAL`` before).
        close_reason: The close reason.
        queued_bytes: Bytes waiting to be written.

    """

    def __init__(self, *, max_bytes: int = MAX_OUTBOX_BYTES, budget: ByteBudget | None = None) -> None:
        self.max_bytes = max_bytes
        self.budget = budget
        self.close_code = CLOSE_NORMAL
        self.close_reason = ""
        self.queued_bytes = 0
        self._frames: deque[bytes | None] = deque()
        self._ready = asyncio.Event()
        self._closed = False
        self._held = False

    def send(self, frame: bytes, /) -> None:
        """Queue one frame.

        An empty queue always takes one frame (up to the frame limit), so a large patch is
        never refused by a connection that keeps up.

        Args:
            frame: An encoded server frame.

        Raises:
            PortOverflow: The frame would take the queue (or the process budget) past its
                bound; every queued frame is dropped, so the error frame that follows fits
                (the client resumes and gets a replay or a resync).

        """
        if self._closed:
            return
        size = len(frame)
        budget = self.budget
        over_own = self.queued_bytes > 0 and self.queued_bytes + size > self.max_bytes
        over_process = budget is not None and self.queued_bytes > 0 and budget.used + size > budget.limit
        if over_own or over_process:
            self._drop()
            raise PortOverflow(f"{self.queued_bytes + size} bytes queued")
        self._frames.append(frame)
        self.queued_bytes += size
        if budget is not None:
            budget.used += size
        if not self._held:
            self._ready.set()

    def close(self, code: int, reason: str, /) -> None:
        """Close once the queued frames are written.

        Args:
            code: RFC 6455 close code.
            reason: Short reason.

        """
        if self._closed:
            return
        self._closed = True
        self.close_code = code
        self.close_reason = reason
        self._frames.append(None)
        self._ready.set()

    def hold(self) -> None:
        """Queue frames without waking the writer until :meth:`release` (closing still wakes it)."""
        self._held = True

    def release(self) -> None:
        """End :meth:`hold`: wake the writer if anything (a frame, the close) waits."""
        self._held = False
        if self._frames:
            self._ready.set()

    def take(self) -> bytes | None:
        """Take the next frame now, without waiting.

        Returns:
            The next frame, or ``None`` when the queue is empty or the close comes next (the
            close is the writer's to perform, after every frame before it).

        """
        frames = self._frames
        if not frames or frames[0] is None:
            return None
        frame: bytes = frames.popleft()  # type: ignore[assignment]
        self._release(len(frame))
        return frame

    async def get(self) -> bytes | None:
        """Wait for the next frame to write.

        Returns:
            One frame, or ``None`` when the queue was closed and everything before was taken.

        """
        while not self._frames:
            self._ready.clear()
            await self._ready.wait()
        frame = self._frames.popleft()
        if frame is not None:
            self._release(len(frame))
        return frame

    def _drop(self) -> None:
        kept: deque[bytes | None] = deque(f for f in self._frames if f is None)
        self._release(self.queued_bytes)
        self._frames = kept

    def _release(self, size: int) -> None:
        self.queued_bytes -= size
        if self.budget is not None:
            self.budget.used -= size

    def discard(self) -> None:
        """Drop every queued frame and give their bytes back (the transport is gone)."""
        self._drop()
        self._closed = True
