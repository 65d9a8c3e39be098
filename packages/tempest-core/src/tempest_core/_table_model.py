"""Table columns, sort types, the virtual window maths and row sorting (private; see ``_widgets_table``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Literal, TypeVar

from tempest_core._html_build import describe
from tempest_core._widgets_base import check_callback, check_keywords, check_length, check_type
from tempest_core.errors import WidgetError
from tempest_core.html import Child
from tempestweb_contract.constants import SCROLL_LEAD_FRAMES, SCROLL_LEAD_VIEWPORTS

__all__ = [
    "LEAD_FRAMES",
    "LEAD_VIEWPORTS",
    "Align",
    "SortDirection",
    "TableColumn",
    "TableSort",
    "order_rows",
    "scroll_lead",
    "table_window",
    "value_of",
]

_F = TypeVar("_F", bound=Callable[..., None])
SortDirection = Literal["asc", "desc"]
"""A sort order: ascending or descending."""
TableSort = tuple[str, SortDirection]
"""What a table is sorted by: ``(column key, "asc" | "desc")``."""
Align = Literal["start", "center", "end"]
"""Horizontal alignment of a column's cells (logical, so right-to-left pages mirror it)."""

_ALIGNS: Final = frozenset(("start", "center", "end"))


def _as_widget(name: str) -> Callable[[_F], _F]:
    """Decorate a constructor so an unknown keyword is a WidgetError naming ``name`` (as widgets)."""

    def decorate(init: _F) -> _F:
        init.__name__ = name
        return check_keywords(init)

    return decorate


class TableColumn:
    """One column of a :func:`Table`: which field it shows, its header, sorting and layout.

    Args:
        key: The field shown: a key of mapping rows or an attribute name of object rows.
        header: Header text; defaults to ``key``.
        sortable: Whether activating the header (click, Enter, Space) sorts by this column.
        align: Alignment of the header and cells: ``"start"``, ``"center"`` or ``"end"``
            (numbers usually ``"end"``).
        width: Column width: a number of px, CSS length text (``"12rem"``, ``"20%"``,
            ``"var(--w)"``), or ``None`` to share the free width with the other such columns.
        render: ``render(row) -> child`` builds the cell content (a node, text or number);
            ``None`` shows ``str(value)`` (``""`` for ``None``).
        sort_key: ``sort_key(row) -> comparable`` used when the table sorts by this column;
            ``None`` compares the field values. ``None`` values always sort last.

    Raises:
        WidgetError: On an argument of the wrong type or an unknown keyword.

    Example:
        >>> TableColumn(key="price", header="Price", sortable=True, align="end", width=96).header
        'Price'

    """

    __slots__ = ("align", "header", "key", "render", "sort_key", "sortable", "width")

    @_as_widget("TableColumn")
    def __init__(
        self,
        *,
        key: str,
        header: str | None = None,
        sortable: bool = False,
        align: Align = "start",
        width: float | str | None = None,
        render: Callable[[Any], Child] | None = None,
        sort_key: Callable[[Any], Any] | None = None,
    ) -> None:
        where = "TableColumn"
        check_type(where, "key", key, str, "str")
        if not key:
            raise WidgetError(f"{where}(key=...): expected a non-empty str, got ''")
        if header is not None:
            check_type(where, "header", header, str, "str")
        check_type(where, "sortable", sortable, bool, "bool")
        if align not in _ALIGNS:
            raise WidgetError(
                f"{where}(align=...): expected 'start', 'center' or 'end', got {describe(align)}"
            )
        check_length(where, "width", width, words=frozenset({"auto"}))
        check_callback(where, "render", render)
        check_callback(where, "sort_key", sort_key)
        self.key = key
        self.header = key if header is None else header
        self.sortable = sortable
        self.align: Align = align
        self.width = width
        self.render = render
        self.sort_key = sort_key

    def _fields(self) -> tuple[object, ...]:
        return (self.key, self.header, self.sortable, self.align, self.width, self.render, self.sort_key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TableColumn) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"TableColumn(key={self.key!r}, header={self.header!r}, sortable={self.sortable})"


def table_window(
    total: int,
    *,
    scroll_top: float,
    viewport_px: float,
    row_height: int,
    overscan: int,
    lead_px: float = 0.0,
) -> tuple[int, int]:
    """Return the rows ``[start, end)`` a virtual table renders for a scroll position.

    The scroll content is the sticky header (one ``row_height`` tall) followed by ``total`` rows
    of ``row_height`` px; the header covers the top ``row_height`` px of the viewport, so rows
    ``floor(top / h)`` to ``ceil((top + viewport) / h) - 1`` are (partly) visible. ``overscan``
    rows more each side keep the edges filled while the next position is on its way, and
    ``floor(|lead_px| / h)`` more on the side a continuous scroll is heading to (below for a
    positive ``lead_px``, above for a negative one) keep them filled while it goes on. A position
    past the end (the viewport grew, rows were removed) is clamped to the last full window.

    Args:
        total: Number of rows (>= 0).
        scroll_top: ``scrollTop`` of the scroll area, in px.
        viewport_px: ``clientHeight`` of the scroll area, in px.
        row_height: Height of every row and of the header, in px (> 0).
        overscan: Extra rows each side (>= 0).
        lead_px: Extra px of rows ahead of a continuous scroll, signed like its direction
            (see :func:`scroll_lead`); ``0`` renders a symmetric window.

    Returns:
        ``(start, end)`` with ``0 <= start <= end <= total``.

    Example:
        >>> table_window(100_000, scroll_top=0, viewport_px=400, row_height=32, overscan=5)
        (0, 17)
        >>> table_window(100_000, scroll_top=3200, viewport_px=400, row_height=32, overscan=5, lead_px=384)
        (95, 129)
        >>> table_window(100_000, scroll_top=10**9, viewport_px=400, row_height=32, overscan=5)
        (99983, 100000)

    """
    h = row_height
    top = min(max(0.0, scroll_top), max(0.0, (total + 1) * h - viewport_px))
    first = int(top // h)
    last = math.ceil((top + max(viewport_px, h)) / h) - 1
    ahead = int(abs(lead_px) // h)
    before, after = (ahead, 0) if lead_px < 0 else (0, ahead)
    return (
        max(0, min(first - overscan - before, total)),
        max(0, min(last + overscan + after, total)),
    )


LEAD_FRAMES: Final = SCROLL_LEAD_FRAMES
"""Frames of a continuous scroll that the rows ahead of it cover (see :func:`scroll_lead`)."""
LEAD_VIEWPORTS: Final = SCROLL_LEAD_VIEWPORTS
"""Largest lead and largest continuous move, in viewports (see :func:`scroll_lead`)."""


def scroll_lead(delta: float, previous: float, *, viewport_px: float, row_height: int) -> float:
    """Return the ``lead_px`` of :func:`table_window` for a scroll that moved ``delta`` px.

    The rows of a position arrive after it was painted: the browser dispatches ``scroll`` in
    the frame after the one that scrolled, then the host renders and the patch comes back (a
    round trip in Mode B, a Python render in Mode A), so a continuous scroll (a spun wheel, a
    flung trackpad) is painted about three frames ahead of the rows rendered for it (measured
    under 4x CPU throttling by ``bench/e2e/virtual_table_bench.py``). Like react-window's
    overscan in the scroll direction, the window then reaches ``LEAD_FRAMES`` moves of the same
    size further ahead, at most ``LEAD_VIEWPORTS`` viewports. A move counts as continuous when
    it went at least a row and it and the move before it went the same way by at most
    ``LEAD_VIEWPORTS`` viewports; a slow scroll (the overscan covers it), a first step from rest,
    a reversal or a jump (End, a program) renders a symmetric window.

    Args:
        delta: This move, in px (``scroll_top`` minus the previous event's).
        previous: The move before it, in px (``0`` at rest).
        viewport_px: ``clientHeight`` of the scroll area, in px (the caps are in viewports).
        row_height: Height of a row, in px (> 0).

    Returns:
        Px of rows to render ahead, signed like ``delta`` (``0``: none).

    Example:
        >>> [scroll_lead(d, p, viewport_px=400, row_height=32) for d, p in ((96, 96), (-300, -300), (96, 0))]
        [384.0, -800.0, 0.0]

    """
    most = LEAD_VIEWPORTS * viewport_px
    if delta * previous <= 0 or abs(delta) < row_height or max(abs(delta), abs(previous)) > most:
        return 0.0
    return math.copysign(min(LEAD_FRAMES * abs(delta), most), delta)


def value_of(row: object, key: str) -> object:
    if isinstance(row, Mapping):
        try:
            return row[key]
        except KeyError:
            raise WidgetError(f"Table(rows=...): a row has no {key!r} key: {describe(row)}") from None
    try:
        return getattr(row, key)
    except AttributeError:
        raise WidgetError(f"Table(rows=...): a row has no {key!r} attribute: {describe(row)}") from None


def order_rows(rows: Sequence[object], column: TableColumn, direction: SortDirection) -> list[int]:
    """Return the indices of ``rows`` sorted by ``column`` (stable; ``None`` last both ways)."""
    get = column.sort_key or (lambda row: value_of(row, column.key))
    keyed: list[tuple[Any, int]] = [(get(row), i) for i, row in enumerate(rows)]
    present = [pair for pair in keyed if pair[0] is not None]
    missing = [i for value, i in keyed if value is None]
    try:
        present.sort(key=lambda pair: pair[0], reverse=direction == "desc")
    except TypeError as exc:
        raise WidgetError(
            f"Table(sort=...): the values of column {column.key!r} cannot be compared ({exc}); "
            "give the column a sort_key"
        ) from None
    return [i for _, i in present] + missing  # reverse=True keeps equal items in order too
