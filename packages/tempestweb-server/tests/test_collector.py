"""The collector's schedule while serving: young objects frozen, cycles still collected."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest

from tempestweb_server._collector import collector_schedule


class Node:
    """A cyclic structure's member (a weak reference tells when it is collected)."""

    def __init__(self) -> None:
        self.other: Node | None = None


def make_cycle() -> weakref.ref[Node]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


async def test_issue_13_objects_are_frozen_while_serving_and_cycles_still_collected() -> None:
    gc.collect()
    async with collector_schedule(freeze_interval_s=0.01, full_interval_s=2.0):
        cycle = make_cycle()  # garbage at once, but only a collection can free a cycle
        while gc.get_freeze_count() == 0:  # the first freeze (the first full collection is later)
            await asyncio.sleep(0.005)
        gc.collect()
        assert cycle() is not None  # frozen: out of the automatic and explicit collections' reach
        while cycle() is not None:  # until the scheduled full collection (unfreeze, collect)
            await asyncio.sleep(0.01)
    assert gc.get_freeze_count() == 0  # nothing stays frozen once serving stops


async def test_without_the_schedule_nothing_is_frozen() -> None:
    gc.unfreeze()
    cycle = make_cycle()
    await asyncio.sleep(0)
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert cycle() is None


@pytest.mark.parametrize(("freeze_s", "full_s"), [(0, 1), (-1, 1), (1, 0.5), (float("nan"), 1)])
async def test_bad_intervals_are_a_value_error(freeze_s: float, full_s: float) -> None:
    with pytest.raises(ValueError, match="freeze_interval_s"):
        async with collector_schedule(freeze_interval_s=freeze_s, full_interval_s=full_s):
            pass
