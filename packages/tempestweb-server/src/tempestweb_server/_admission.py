"""Admission control of one process: past capacity, new sessions are refused, existing ones served.

Capacity has three signals, checked in this order before a new session is opened:

1. **Event-loop lag** (:attr:`ServerConfig.max_loop_lag_s <tempestweb_server.ServerConfig>`):
   every event, patch and ping of every session of the process waits for the one asyncio loop,
   so how late the loop runs is exactly the latency existing sessions feel, whatever its cause
   (CPU saturated by clicks, a connect ramp, collector pauses, a slow handler). A probe sleeps
   ``LOAD_SAMPLE_INTERVAL_S`` and measures how much later than asked it wakes; the lag is the
   exponentially weighted mean of those samples (weight ``LOAD_LAG_SMOOTHING`` for the newest,
   so about one second of history), so one collector pause does not refuse a burst of pages.
2. **Outgoing bytes in flight** (``ServerConfig.max_total_queue_bytes``): when more than
   ``ADMISSION_QUEUE_SHARE`` of the process's byte budget is queued for clients that do not
   read fast enough, the network (or the clients) is the bottleneck; a new session would push
   existing ones into ``queue_overflow``.
3. **Session count** (``ServerConfig.max_sessions``), in :meth:`SessionManager.admit
   <tempestweb_server.SessionManager.admit>`: the oldest disconnected session makes room, a
   refused request never evicts.

A refusal is ``error{server_busy, fatal}`` + close ``CLOSE_TRY_AGAIN_LATER`` (1013) on a
WebSocket or SSE ``hello`` (the client shows it in its status banner and tries again after
``BUSY_RETRY_MS``), and ``503`` with ``Retry-After`` on a page GET. Resuming an existing
session is never refused (docs/server.md, "Admission control").
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from tempest_core.host import ByteBudget
from tempestweb_server.constants import ADMISSION_QUEUE_SHARE, LOAD_LAG_SMOOTHING, LOAD_SAMPLE_INTERVAL_S

__all__ = ["LoadMonitor"]


class LoadMonitor:
    """Measures the event-loop lag and the bytes in flight of one process; says when it is full.

    Args:
        max_loop_lag_s: Smoothed loop lag past which new sessions are refused, in seconds
            (``math.inf``: never on lag).
        budget: The process's outgoing byte budget (shared by every connection's queue).
        interval_s: Seconds between two lag samples.
        clock: Monotonic clock in seconds.

    Attributes:
        lag_s: Smoothed event-loop lag, in seconds (0.0 until the probe runs).
        refused: How many new sessions this process refused for load or count.

    """

    def __init__(
        self,
        *,
        max_loop_lag_s: float,
        budget: ByteBudget,
        interval_s: float = LOAD_SAMPLE_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_loop_lag_s = max_loop_lag_s
        self.budget = budget
        self.interval_s = interval_s
        self.clock = clock
        self.lag_s = 0.0
        self.refused = 0

    def sample(self, lag_s: float, /) -> None:
        """Fold one lag sample into :attr:`lag_s`.

        Args:
            lag_s: How late the probe woke, in seconds (negative values count as 0).

        """
        self.lag_s += LOAD_LAG_SMOOTHING * (max(0.0, lag_s) - self.lag_s)

    def overload(self) -> str | None:
        """Say why a new session must be refused now, or ``None`` when there is room.

        Returns:
            A short reason for the client and the log (no client input in it), or ``None``.

        """
        if self.lag_s > self.max_loop_lag_s:
            return f"the server is overloaded (event loop {self.lag_s * 1000:.0f} ms late)"
        if self.budget.used > self.budget.limit * ADMISSION_QUEUE_SHARE:
            return f"the server is overloaded ({self.budget.used} bytes waiting for slow clients)"
        return None

    async def run(self) -> None:
        """Sample the loop lag forever (run it as one task per process; cancel it to stop)."""
        while True:
            start = self.clock()
            await asyncio.sleep(self.interval_s)
            self.sample(self.clock() - start - self.interval_s)
