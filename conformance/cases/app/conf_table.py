"""Conformance cases of the Table (issue 14): a virtual table scrolled by ``scrollTop`` (the
window of keyed rows and the spacer heights it leads to), sorted by a header click and by Enter,
rows selected by a click and by Space, and a paged table moved through by its page buttons, so
the scroll report, the window maths and the row moves are compared step by step in Mode A and B."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from tempest_core import Node, Table, TableColumn, component

__all__ = ["CASES"]

_ROWS: Final = [{"id": i, "name": f"name {(i * 37) % 1000:03d}", "size": (i * 7) % 13} for i in range(1000)]
_COLUMNS: Final = [
    TableColumn(key="id", header="ID", sortable=True, align="end", width=64),
    TableColumn(key="name", header="Name", sortable=True),
    TableColumn(key="size", header="Size", align="end", width=64),
]


@component
def table_virtual() -> Node:
    """1,000 rows in a 200 px scroll area: about 16 rows in the DOM, the table keeps its state."""
    return Table(
        _ROWS,
        columns=_COLUMNS,
        row_key="id",
        label="Virtual",
        id="tv",
        virtual=True,
        row_height=32,
        height=200,
        overscan=3,
        selectable=True,
    )


@component
def table_pages() -> Node:
    """45 rows, 10 per page, sortable and selectable (select-all covers every page)."""
    return Table(
        _ROWS[:45],
        columns=_COLUMNS,
        row_key="id",
        label="Paged",
        id="tp",
        page_size=10,
        selectable=True,
        selected={3},
    )


CASES: dict[str, Callable[..., Node]] = {
    "table_virtual": table_virtual,
    "table_pages": table_pages,
}
