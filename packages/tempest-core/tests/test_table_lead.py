"""The virtual Table's lead: rows rendered ahead of a continuous scroll (issue 14).

A scroll that goes on (a spun wheel, a flung trackpad) is painted before its rows arrive; the
window then reaches ``LEAD_FRAMES`` moves further in the scroll direction (``scroll_lead``), so
the frames painted meanwhile still show rows. A first step, a reversal, a slow scroll or a jump
keeps the symmetric window; a continuous step still renders only the rows entering the window.
"""

from __future__ import annotations

from typing import Any

import pytest

from tempest_core import App, Table, TableColumn
from tempest_core._table_model import LEAD_FRAMES, LEAD_VIEWPORTS, scroll_lead, table_window
from tempest_core.nodes import Node
from tempest_core.testing import Pilot, run_test

ROWS = [{"id": i, "name": f"Row {i}"} for i in range(100_000)]
PX = 32
VIEWPORT = 400


@pytest.mark.parametrize(
    ("delta", "previous", "lead"),
    [
        (96, 96, LEAD_FRAMES * 96),  # a wheel spun down: four moves ahead
        (-96, -64, -LEAD_FRAMES * 96),  # up: the lead is above
        (300, 300, LEAD_VIEWPORTS * VIEWPORT),  # a fling: capped at two viewports
        (96, 0, 0),  # the first move from rest
        (96, -96, 0),  # a reversal
        (96, 32_000, 0),  # after a jump
        (32_000, 96, 0),  # a jump
        (10, 96, 0),  # less than a row per move: the overscan covers it
        (0, 96, 0),  # no move
    ],
)
def test_scroll_lead(delta: float, previous: float, lead: float) -> None:
    assert scroll_lead(delta, previous, viewport_px=VIEWPORT, row_height=PX) == lead


def window(top: float, lead: float = 0.0) -> tuple[int, int]:
    return table_window(
        100_000, scroll_top=top, viewport_px=VIEWPORT, row_height=PX, overscan=5, lead_px=lead
    )


def test_the_lead_adds_rows_on_its_side_only() -> None:
    plain = window(32_000)
    assert window(32_000, 400) == (plain[0], plain[1] + 12)
    assert window(32_000, -400) == (plain[0] - 12, plain[1])
    assert window(10**9, 800)[1] == 100_000 and window(0, -800)[0] == 0  # clamped at both ends


def big_app(renders: list[int]) -> App[None]:
    def name(row: dict[str, Any]) -> str:
        renders.append(row["id"])
        return str(row["name"])

    columns = [TableColumn(key="id", header="ID", width=90), TableColumn(key="name", render=name)]

    def view(_state: None) -> Node:
        return Table(ROWS, columns=columns, row_key="id", virtual=True, row_height=PX, height=VIEWPORT)

    return App(view=view, state=None)


def shown(pilot: Pilot) -> tuple[int, int]:
    """``(first, last)`` row index in the DOM, checking the rows are contiguous and few."""
    ids = [int(row.children[0].text_content) for row in pilot.query("[role=row]")[1:]]
    assert ids == list(range(ids[0], ids[-1] + 1)) and len(ids) < 200
    return ids[0], ids[-1]


async def scroll(pilot: Pilot, top: float) -> None:
    await pilot.fire("[role=region]", "scroll", {"scroll_top": top, "client_height": VIEWPORT})


async def test_a_continuous_scroll_renders_ahead_and_only_the_rows_entering() -> None:
    renders: list[int] = []
    async with run_test(big_app(renders)) as pilot:
        await scroll(pilot, PX * 1000)  # a jump: the symmetric window
        assert shown(pilot) == (995, 1016)
        await scroll(pilot, PX * 1003)  # the first wheel step: still symmetric
        assert shown(pilot) == (998, 1019)
        await scroll(pilot, PX * 1006)  # it goes on: 4 moves of 3 rows more below
        assert shown(pilot) == (1001, 1022 + 12)
        renders.clear()
        await scroll(pilot, PX * 1009)  # steady: only the 3 rows entering render
        assert shown(pilot) == (1004, 1025 + 12) and sorted(renders) == [1035, 1036, 1037]
        await scroll(pilot, PX * 1006)  # a reversal: symmetric again
        assert shown(pilot) == (1001, 1022)
        await scroll(pilot, PX * 1003)  # going on up: the lead is above
        assert shown(pilot) == (998 - 12, 1019)
        await scroll(pilot, PX * 60_000)  # a jump: symmetric
        assert shown(pilot) == (59_995, 60_016)
