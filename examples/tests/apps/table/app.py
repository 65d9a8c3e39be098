"""Test app of examples/tests/test_table.py and bench/e2e/virtual_table_bench.py: a virtual Table of
100,000 rows (sortable ID and value, selectable rows), its sort and selection held in the app
state and shown in ``#log`` so a browser test can read them.

Run it with ``tempestweb run examples/tests/apps/table``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from typing import Final

from tempest_core import App, Column, Node, Table, TableColumn, TableSort, Text

__all__ = ["ROW_COUNT", "ROW_HEIGHT_PX", "ROWS", "TableState", "app", "view"]

ROW_COUNT: Final = 100_000
"""Rows in the table."""
ROW_HEIGHT_PX: Final = 32
"""Height of each row, in CSS px."""
VIEWPORT_PX: Final = 400
"""Height of the scroll area, in CSS px."""

ROWS: Final = [{"id": i, "name": f"Row {i}", "value": (i * 7919) % ROW_COUNT} for i in range(ROW_COUNT)]
COLUMNS: Final = [
    TableColumn(key="id", header="ID", sortable=True, align="end", width=96),
    TableColumn(key="name", header="Name"),
    TableColumn(key="value", header="Value", sortable=True, align="end", width=120),
]


@dataclass(frozen=True, slots=True)
class TableState:
    """The table's sort and selection, controlled by the app."""

    sort: TableSort | None = None
    selected: frozenset[Hashable] = frozenset()


def _sort(sort: TableSort) -> None:
    app.set_state(lambda s: replace(s, sort=sort))


def _select(selected: frozenset[Hashable]) -> None:
    app.set_state(lambda s: replace(s, selected=selected))


def view(state: TableState) -> Node:
    """The test page."""
    sort = "none" if state.sort is None else f"{state.sort[0]}:{state.sort[1]}"
    return Column(
        Table(
            ROWS,
            columns=COLUMNS,
            row_key="id",
            label="Big table",
            id="big",
            virtual=True,
            row_height=ROW_HEIGHT_PX,
            height=VIEWPORT_PX,
            sort=state.sort,
            on_sort=_sort,
            selectable=True,
            selected=state.selected,
            on_select=_select,
        ),
        Text(f"selected={len(state.selected)} sort={sort}", id="log"),
    )


app = App(view=view, state=TableState())
