"""The cyclic garbage collector's schedule in a serving process.

A Mode B session's view tree lives about as long as the time between two of its user's clicks:
too long for the first generation (each tree survives it) and, with thousands of sessions,
collected as a whole by a first-generation collection that comes seconds apart (CPython counts
net allocations, and replacing a tree allocates as much as it frees). Such a collection then
traverses every session's tree at once: 20 ms at 1,000 sessions, 30-40 ms at 2,000, and every
click arriving meanwhile waits (docs/benchmarks.md, "Mode B under load").

While serving, :func:`collector_schedule` freezes the tracked objects every
``GC_FREEZE_INTERVAL_S`` (``gc.freeze``: a constant-time move of the generations' lists to the
permanent generation), so the automatic collections only ever see the objects of the last
tenth of a second; reference counting still frees the trees. Garbage in reference cycles that
got frozen is collected by a full collection every ``GC_FULL_COLLECTION_INTERVAL_S``
(``gc.unfreeze`` then ``gc.collect``). That one traverses the whole heap (about 280 ms at 1,000
counter sessions, 600 ms at 2,000, measured with ~300 cyclic objects of garbage a second): one
long pause every two minutes instead of a 20-40 ms one every few seconds, and cyclic garbage
waits up to two minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator

from tempestweb_server.constants import GC_FREEZE_INTERVAL_S, GC_FULL_COLLECTION_INTERVAL_S

__all__ = ["collector_schedule"]


@contextlib.asynccontextmanager
async def collector_schedule(
    *,
    freeze_interval_s: float = GC_FREEZE_INTERVAL_S,
    full_interval_s: float = GC_FULL_COLLECTION_INTERVAL_S,
) -> AsyncIterator[None]:
    """Run the collector's schedule in the running loop while the ``async with`` body runs.

    Args:
        freeze_interval_s: Seconds between two ``gc.freeze()`` calls (> 0).
        full_interval_s: Seconds between two full collections of everything, frozen or not
            (>= ``freeze_interval_s``).

    Yields:
        Nothing; on exit the schedule stops and every frozen object goes back to the collector's
        oldest generation (``gc.unfreeze``), so a process that keeps running (tests, several
        servers in one process) does not keep frozen cycles.

    Raises:
        ValueError: An interval is not positive, or ``full_interval_s < freeze_interval_s``.

    """
    if not freeze_interval_s > 0 or not full_interval_s >= freeze_interval_s:
        raise ValueError(
            "collector_schedule: expected 0 < freeze_interval_s <= full_interval_s, "
            f"got {freeze_interval_s!r} and {full_interval_s!r}"
        )
    task = asyncio.get_running_loop().create_task(_run(freeze_interval_s, full_interval_s))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        gc.unfreeze()


async def _run(freeze_interval_s: float, full_interval_s: float) -> None:
    loop = asyncio.get_running_loop()
    next_full = loop.time() + full_interval_s
    while True:
        await asyncio.sleep(freeze_interval_s)
        if loop.time() >= next_full:
            gc.unfreeze()
            gc.collect()
            next_full = loop.time() + full_interval_s
        gc.freeze()
