"""Table: typed columns, sorting, pagination, row selection and virtualised rows (private).

The markup follows the WAI-ARIA APG table pattern (https://www.w3.org/WAI/ARIA/apg/patterns/table/)
and its sortable table example
(https://www.w3.org/WAI/ARIA/apg/patterns/table/examples/sortable-table/): ``role="table"``,
``rowgroup``, ``row``, ``columnheader`` and ``cell`` on ``<div>`` elements laid out with CSS grid
(one column template shared by every row, so a virtual window of rows keeps its column widths);
a sortable header is a ``<button>`` inside the ``columnheader``, which carries ``aria-sort`` while
the table is sorted by it; ``aria-rowcount``/``aria-rowindex`` tell assistive technology the
position of each rendered row when only a window or a page of them is in the DOM. Keyboard: Tab
reaches the header buttons, the checkboxes, the scroll area and the page buttons; Enter or Space
on a header sorts, Space on a focused checkbox toggles it (the browser's own behaviour of
``<button>`` and ``<input type="checkbox">``).

Virtual rows: the scroll area reports ``scrollTop``/``clientHeight`` (a ``scroll``
:class:`~tempest_core.events.ScrollEvent`, at most one per animation frame), the table keeps the
window of rows that covers it plus ``overscan`` rows each side, and two ``aria-hidden`` spacer rows
keep the scroll height of every row. Rows are keyed and memoised components, so a scroll step
renders and diffs only the rows entering the window; the table re-renders only when the window's
first row changes. The same code runs in every mode, so the window follows scrolling identically.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import Any, Final, Literal, TypeVar

from tempest_core._html_build import describe
from tempest_core._widgets_base import (
    check_callback,
    check_common,
    check_keywords,
    check_length,
    check_type,
    merge_styles,
)
from tempest_core.components import component
from tempest_core.errors import WidgetError
from tempest_core.events import ChangeEvent, ScrollEvent
from tempest_core.hooks import Ref, use_ref, use_state
from tempest_core.html import Child, html
from tempest_core.nodes import Component, Element, Node
from tempest_core.style import Style

__all__ = ["SortDirection", "Table", "TableColumn", "TableSort", "table_window"]

_F = TypeVar("_F", bound=Callable[..., None])
SortDirection = Literal["asc", "desc"]
"""A sort order: ascending or descending."""
TableSort = tuple[str, SortDirection]
"""What a table is sorted by: ``(column key, "asc" | "desc")``."""
Align = Literal["start", "center", "end"]
"""Horizontal alignment of a column's cells (logical, so right-to-left pages mirror it)."""

DEFAULT_ROW_HEIGHT_PX: Final = 40
"""Row height of a virtual table when ``row_height`` is not given, in CSS px."""
DEFAULT_OVERSCAN_ROWS: Final = 5
"""Rows rendered beyond each edge of the visible area of a virtual table."""
SELECT_COLUMN_WIDTH: Final = "var(--tw-space-7)"
"""Width of the checkbox column (a design token)."""

_ARIA_SORT: Final[Mapping[str, str]] = {"asc": "ascending", "desc": "descending"}
_ARROW: Final[Mapping[str, str]] = {"asc": "\u25b2", "desc": "\u25bc"}
_ALIGNS: Final = frozenset(("start", "center", "end"))
_STYLE_CACHE_SIZE: Final = 256
"""Distinct table layouts (column widths, alignments, row height) whose styles are kept."""
_TOP: Final = ("tw-table", "top")
_BOTTOM: Final = ("tw-table", "bottom")


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
    total: int, *, scroll_top: float, viewport_px: float, row_height: int, overscan: int
) -> tuple[int, int]:
    """Return the rows ``[start, end)`` a virtual table renders for a scroll position.

    The scroll content is the sticky header (one ``row_height`` tall) followed by ``total`` rows
    of ``row_height`` px; the header covers the top ``row_height`` px of the viewport, so rows
    ``floor(top / h)`` to ``ceil((top + viewport) / h) - 1`` are (partly) visible. ``overscan``
    rows more each side keep the edges filled while the next position is on its way. A position
    past the end (the viewport grew, rows were removed) is clamped to the last full window.

    Args:
        total: Number of rows (>= 0).
        scroll_top: ``scrollTop`` of the scroll area, in px.
        viewport_px: ``clientHeight`` of the scroll area, in px.
        row_height: Height of every row and of the header, in px (> 0).
        overscan: Extra rows each side (>= 0).

    Returns:
        ``(start, end)`` with ``0 <= start <= end <= total``.

    Example:
        >>> table_window(100_000, scroll_top=0, viewport_px=400, row_height=32, overscan=5)
        (0, 17)
        >>> table_window(100_000, scroll_top=10**9, viewport_px=400, row_height=32, overscan=5)
        (99983, 100000)

    """
    h = row_height
    top = min(max(0.0, scroll_top), max(0.0, (total + 1) * h - viewport_px))
    first = int(top // h)
    last = math.ceil((top + max(viewport_px, h)) / h) - 1
    return max(0, min(first - overscan, total)), max(0, min(last + overscan, total))


def _value(row: object, key: str) -> object:
    if isinstance(row, Mapping):
        try:
            return row[key]
        except KeyError:
            raise WidgetError(f"Table(rows=...): a row has no {key!r} key: {describe(row)}") from None
    try:
        return getattr(row, key)
    except AttributeError:
        raise WidgetError(f"Table(rows=...): a row has no {key!r} attribute: {describe(row)}") from None


def _order(rows: Sequence[object], column: TableColumn, direction: SortDirection) -> list[int]:
    """Return the indices of ``rows`` sorted by ``column`` (stable; ``None`` last both ways)."""
    get = column.sort_key or (lambda row: _value(row, column.key))
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


# -- styles (design tokens: var(--tw-...)) -----------------------------------------------------------
_FOCUS = Style(outline="none", box_shadow="var(--tw-focus-ring)")
_WRAP = Style(
    display="flex",
    flex_direction="column",
    gap="var(--tw-space-2)",
    font_family="var(--tw-font-sans)",
    font_size="var(--tw-text-sm)",
    line_height="var(--tw-leading)",
    color="var(--tw-color-text)",
    min_width=0,
)
_SCROLL = Style(
    overflow="auto",
    # CSS scroll anchoring would shift scrollTop when a patch swaps the rows around the anchor
    # row (https://drafts.csswg.org/css-scroll-anchoring/); the spacers already keep positions.
    overflow_anchor="none",
    background_color="var(--tw-color-surface)",
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-md)",
    focus_visible=_FOCUS,
)
_HEAD = Style(
    position="sticky",
    top=0,
    z_index=1,
    background_color="var(--tw-color-surface-2)",
    font_weight=600,  # Style's font_weight takes numbers and keywords, not var(--tw-weight-medium)
)
_ROW = Style(
    display="grid",
    align_items="center",
    border_bottom="1px solid var(--tw-color-border)",
    box_sizing="border-box",
)
_BODY_ROW = Style(hover=Style(background_color="var(--tw-color-surface-2)"))
_SELECTED_ROW = Style(
    background_color="var(--tw-color-surface-2)", box_shadow="inset 3px 0 0 var(--tw-color-primary)"
)
_CELL = Style(
    padding=("var(--tw-space-2)", "var(--tw-space-3)"),
    min_width=0,
    overflow="hidden",
    text_overflow="ellipsis",
)
_CELL_ALIGN: Final[Mapping[str, Style]] = {
    "start": Style(text_align="start"),
    "center": Style(text_align="center"),
    "end": Style(text_align="end"),
}
_NOWRAP = Style(white_space="nowrap", padding=(0, "var(--tw-space-3)"))
_SORT_BUTTON = Style(
    display="inline-flex",
    align_items="center",
    gap="var(--tw-space-1)",
    padding=0,
    border="none",
    background="transparent",
    color="inherit",
    font_family="inherit",
    font_size="inherit",
    font_weight=600,
    cursor="pointer",
    border_radius="var(--tw-radius-sm)",
    hover=Style(color="var(--tw-color-primary)"),
    focus_visible=_FOCUS,
)
_ARROW_STYLE = Style(font_size="var(--tw-text-xs)", color="var(--tw-color-text-muted)")
_CHECKBOX = Style(
    width=16,
    height=16,
    margin=0,
    accent_color="var(--tw-color-primary)",
    cursor="pointer",
    focus_visible=_FOCUS,
)
_EMPTY = Style(padding="var(--tw-space-5)", text_align="center", color="var(--tw-color-text-muted)")
_PAGER = Style(display="flex", align_items="center", justify_content="flex-end", gap="var(--tw-space-2)")
_PAGE_BUTTON = Style(
    min_width=32,
    height=32,
    padding=(0, "var(--tw-space-2)"),
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-md)",
    background_color="var(--tw-color-surface)",
    color="var(--tw-color-text)",
    font_family="inherit",
    font_size="inherit",
    cursor="pointer",
    hover=Style(background_color="var(--tw-color-surface-2)"),
    focus_visible=_FOCUS,
    disabled=Style(opacity=0.5, cursor="default", background_color="var(--tw-color-surface)"),
)
_PAGE_STATUS = Style(padding=(0, "var(--tw-space-2)"), color="var(--tw-color-text-muted)")


@functools.lru_cache(maxsize=_STYLE_CACHE_SIZE)
def _styles(
    tracks: tuple[str, ...], aligns: tuple[str, ...], row_height: int, virtual: bool
) -> tuple[Style, Style, Style, tuple[Style, ...]]:
    """Return the header row, body row, selected row and per-column cell styles of a table."""
    fixed = Style(height=row_height) if virtual else Style(min_height=row_height)
    row_style = _ROW | fixed | Style(grid_template_columns=" ".join(tracks))
    body_style = row_style | _BODY_ROW
    base_cell = _CELL | _NOWRAP if virtual else _CELL
    return (
        row_style,
        body_style,
        body_style | _SELECTED_ROW,
        tuple(base_cell | _CELL_ALIGN[a] for a in aligns),
    )


@functools.lru_cache(maxsize=_STYLE_CACHE_SIZE)
def _scroll_style(height: float) -> Style:
    return _SCROLL | Style(height=height)


def _track(width: float | str | None) -> str:
    if width is None:
        return "minmax(0, 1fr)"
    return f"{width}px" if isinstance(width, int | float) else width


class _Actions:
    """The table's event handlers, one object per mounted table.

    Memoised rows compare their props with ``==``; these bound methods stay equal across renders
    (same object, same function), so a re-render of the table does not re-render its rows. They
    read the latest props and state, which every render stores here.
    """

    __slots__ = (
        "all_keys",
        "count",
        "key_of",
        "on_page",
        "on_select",
        "on_sort",
        "selected",
        "set_page",
        "set_selected",
        "set_sort",
        "set_viewport",
        "sort",
        "window",
        "window_args",
    )

    def __init__(self) -> None:
        self.sort: TableSort | None = None
        self.on_sort: Callable[[TableSort], object] | None = None
        self.set_sort: Callable[[TableSort], None] = lambda _: None
        self.on_page: Callable[[int], object] | None = None
        self.set_page: Callable[[int], None] = lambda _: None
        self.selected: frozenset[Hashable] = frozenset()
        self.on_select: Callable[[frozenset[Hashable]], object] | None = None
        self.set_selected: Callable[[frozenset[Hashable]], None] = lambda _: None
        self.all_keys: Callable[[], frozenset[Hashable]] = frozenset
        self.key_of: Callable[[int], Hashable] = lambda i: i
        self.set_viewport: Callable[[tuple[float, float]], None] = lambda _: None
        self.window: tuple[int, int] = (0, 0)
        self.window_args: tuple[int, int, int] = (0, 1, 0)  # count, row height, overscan
        self.count = 0

    def sort_by(self, column: str) -> object:
        current = self.sort
        direction: SortDirection = "desc" if current == (column, "asc") else "asc"
        new: TableSort = (column, direction)
        if self.on_sort is not None:
            return self.on_sort(new)
        self.set_sort(new)
        return None

    def go(self, page: int) -> object:
        if self.on_page is not None:
            return self.on_page(page)
        self.set_page(page)
        return None

    def _select(self, new: frozenset[Hashable]) -> object:
        if self.on_select is not None:
            return self.on_select(new)
        self.set_selected(new)
        return None

    def toggle(self, key: Hashable, checked: bool) -> object:
        current = self.selected
        return self._select(current | {key} if checked else current - {key})

    def select_all(self, event: ChangeEvent) -> object:
        return self._select(self.all_keys() if event.checked else frozenset())

    def scroll(self, event: ScrollEvent) -> None:
        count, row_height, overscan = self.window_args
        viewport = event.client_height or row_height
        window = table_window(
            count, scroll_top=event.scroll_top, viewport_px=viewport, row_height=row_height, overscan=overscan
        )
        if window != self.window:  # positions inside the rendered window cost no render
            self.window = window
            self.set_viewport((event.scroll_top, viewport))


class _Cache:
    """Per-table results that depend on the rows object (compared with ``is``, not ``==``)."""

    __slots__ = ("all_keys", "order", "order_for", "row_key", "rows")

    def __init__(self) -> None:
        self.rows: object = None
        self.row_key: object = None
        self.order_for: object = None
        self.order: list[int] | None = None
        self.all_keys: frozenset[Hashable] | None = None


def _text(value: object) -> str:
    return "" if value is None else str(value)


@component
def _row(
    *,
    row: object,
    row_key: Hashable,
    aria_index: int,
    columns: tuple[TableColumn, ...],
    cell_styles: tuple[Style, ...],
    row_style: Style,
    selectable: bool,
    selected: bool,
    toggle: Callable[[Hashable, bool], object],
) -> Node:
    cells: list[Node] = []
    if selectable:
        name = _text(_value(row, columns[0].key)) if columns[0].render is None else ""
        label = f"Select row {name or row_key}"

        def on_change(event: ChangeEvent) -> object:
            return toggle(row_key, bool(event.checked))

        box = html.input(
            type="checkbox", checked=selected, aria_label=label, on_change=on_change, style=_CHECKBOX
        )
        cells.append(html.div(box, role="cell", style=cell_styles[0]))
    offset = 1 if selectable else 0
    for i, column in enumerate(columns):
        content = column.render(row) if column.render is not None else _text(_value(row, column.key))
        cells.append(html.div(content, role="cell", style=cell_styles[i + offset]))
    return html.div(cells, role="row", aria_rowindex=aria_index, style=row_style)


def _page_button(text: str, label: str, target: int, disabled: bool, actions: _Actions) -> Element:
    return html.button(
        text,
        type="button",
        aria_label=label,
        disabled=disabled,
        on_click=None if disabled else (lambda: actions.go(target)),
        style=_PAGE_BUTTON,
    )


def _pager(page: int, pages: int, label: str | None, actions: _Actions) -> Element:
    last = pages - 1
    return html.nav(
        _page_button("\u00ab", "First page", 0, page == 0, actions),
        _page_button("\u2039", "Previous page", page - 1, page == 0, actions),
        html.span(f"Page {page + 1} of {pages}", aria_live="polite", style=_PAGE_STATUS),
        _page_button("\u203a", "Next page", page + 1, page >= last, actions),
        _page_button("\u00bb", "Last page", last, page >= last, actions),
        aria_label=f"{label} pages" if label else "Table pages",
        style=_PAGER,
    )


def _sorter(actions: _Actions, column: str) -> Callable[[], object]:
    return lambda: actions.sort_by(column)


@component
def _header(
    *,
    columns: tuple[TableColumn, ...],
    cell_styles: tuple[Style, ...],
    row_style: Style,
    sort: TableSort | None,
    select_state: tuple[bool, bool] | None,
    actions: _Actions,
) -> Element:
    cells: list[Node] = []
    if select_state is not None:
        every, some = select_state
        box = html.input(
            type="checkbox",
            checked=every,
            indeterminate=some and not every,
            aria_label="Select all rows",
            on_change=actions.select_all,
            style=_CHECKBOX,
        )
        cells.append(html.div(box, role="columnheader", style=cell_styles[0]))
    offset = 0 if select_state is None else 1
    for i, column in enumerate(columns):
        direction = sort[1] if sort is not None and sort[0] == column.key else None
        content: Child = column.header
        if column.sortable:
            arrow = (
                html.span(_ARROW[direction], aria_hidden="true", style=_ARROW_STYLE) if direction else None
            )
            content = html.button(
                column.header,
                arrow,
                type="button",
                on_click=_sorter(actions, column.key),
                style=_SORT_BUTTON,
            )
        aria_sort = _ARIA_SORT[direction] if direction else None
        cells.append(
            html.div(content, role="columnheader", aria_sort=aria_sort, style=cell_styles[i + offset])
        )
    return html.div(
        html.div(cells, role="row", aria_rowindex=1, style=row_style), role="rowgroup", style=_HEAD
    )


@component
def _table(
    *,
    rows: Sequence[object],
    columns: tuple[TableColumn, ...],
    row_key: str | Callable[[Any], Hashable] | None,
    label: str | None,
    sort: TableSort | None,
    on_sort: Callable[[TableSort], object] | None,
    sorting: Literal["table", "app"],
    page_size: int | None,
    page: int,
    on_page: Callable[[int], object] | None,
    selectable: bool,
    selected: Collection[Hashable] | None,
    on_select: Callable[[frozenset[Hashable]], object] | None,
    virtual: bool,
    row_height: int,
    height: float | None,
    overscan: int,
    empty: str,
    style: Style | None,
    class_: str | None,
    id: str | None,
) -> Node:
    own_sort, set_sort = use_state(sort)
    own_page, set_page = use_state(page)
    own_selected, set_selected = use_state(lambda: frozenset(selected or ()))
    viewport, set_viewport = use_state((0.0, float(height or row_height)))
    held: Ref[tuple[_Actions, _Cache] | None] = use_ref(None)
    if held.current is None:
        held.current = (_Actions(), _Cache())
    actions, cache = held.current

    current_sort = sort if on_sort is not None else own_sort
    current_selected = frozenset(selected or ()) if on_select is not None else own_selected
    n = len(rows)

    # -- order (cached per rows object, sort and columns) -----------------------------------------
    if cache.rows is not rows or cache.row_key != row_key:
        cache.rows, cache.row_key, cache.order_for, cache.order, cache.all_keys = (
            rows,
            row_key,
            None,
            None,
            None,
        )
    if sorting == "table" and current_sort is not None:
        column = next((c for c in columns if c.key == current_sort[0]), None)
        if column is None:
            raise WidgetError(f"Table(sort=...): no column has key {current_sort[0]!r}")
        if cache.order_for != (current_sort, column):
            cache.order, cache.order_for = _order(rows, column, current_sort[1]), (current_sort, column)
    order = cache.order if sorting == "table" and current_sort is not None else None

    def source(i: int) -> int:
        return i if order is None else order[i]

    def key_of(index: int) -> Hashable:
        if row_key is None:
            return index
        return _value(rows[index], row_key) if isinstance(row_key, str) else row_key(rows[index])

    def all_keys() -> frozenset[Hashable]:
        if cache.all_keys is None:
            cache.all_keys = frozenset(key_of(i) for i in range(n))
        return cache.all_keys

    # -- page and window -------------------------------------------------------------------------
    pages = max(1, math.ceil(n / page_size)) if page_size else 1
    current_page = min(max(0, own_page if on_page is None else page), pages - 1)
    lo = current_page * page_size if page_size else 0
    hi = min(n, lo + page_size) if page_size else n
    count = hi - lo
    start, end = (0, count)
    if virtual:
        start, end = table_window(
            count, scroll_top=viewport[0], viewport_px=viewport[1], row_height=row_height, overscan=overscan
        )

    actions.sort, actions.on_sort, actions.set_sort = current_sort, on_sort, set_sort
    actions.on_page, actions.set_page = on_page, set_page
    actions.selected, actions.on_select, actions.set_selected = current_selected, on_select, set_selected
    actions.all_keys, actions.key_of, actions.set_viewport = all_keys, key_of, set_viewport
    actions.window, actions.window_args, actions.count = (start, end), (count, row_height, overscan), count

    # -- styles (cached: a scroll step builds none) ------------------------------------------------
    tracks = ((SELECT_COLUMN_WIDTH,) if selectable else ()) + tuple(_track(c.width) for c in columns)
    aligns = (("center",) if selectable else ()) + tuple(c.align for c in columns)
    row_style, body_style, chosen_style, cell_styles = _styles(tracks, aligns, row_height, virtual)

    # -- header, body, pager ---------------------------------------------------------------------
    select_state = None
    if selectable:
        chosen = len(current_selected & all_keys()) if current_selected else 0
        select_state = (n > 0 and chosen == n, chosen > 0)
    head = _header(
        key="head",
        columns=columns,
        cell_styles=cell_styles,
        row_style=row_style,
        sort=current_sort,
        select_state=select_state,
        actions=actions,
    )
    body: list[Node] = []
    if n == 0:
        span = len(tracks)
        cell = html.div(empty, role="cell", aria_colspan=span if span > 1 else None, style=_EMPTY)
        body.append(html.div(cell, role="row", aria_rowindex=2))
    else:
        if virtual:
            body.append(
                html.div(key=_TOP, aria_hidden="true", attrs={"style": f"height:{start * row_height}px"})
            )
        for i in range(lo + start, lo + end):
            index = source(i)
            rk = key_of(index)
            chosen_row = rk in current_selected
            body.append(
                _row(
                    key=("row", rk),
                    row=rows[index],
                    row_key=rk,
                    aria_index=i + 2,
                    columns=columns,
                    cell_styles=cell_styles,
                    row_style=chosen_style if chosen_row else body_style,
                    selectable=selectable,
                    selected=chosen_row,
                    toggle=actions.toggle,
                )
            )
        if virtual:
            rest = (count - end) * row_height
            body.append(html.div(key=_BOTTOM, aria_hidden="true", attrs={"style": f"height:{rest}px"}))
    partial = virtual or page_size is not None
    table = html.div(
        head,
        html.div(body, role="rowgroup"),
        role="table",
        aria_label=label,
        aria_rowcount=n + 1 if partial else None,
    )
    box = _SCROLL if height is None else _scroll_style(height)
    scroller = html.div(
        table,
        role="region",
        aria_label=label or "Table",
        tabindex=0,
        on_scroll=actions.scroll if virtual else None,
        style=box,
    )
    pager = _pager(current_page, pages, label, actions) if page_size else None
    wrap = merge_styles(_WRAP, style)
    return html.div(scroller, pager, style=wrap, class_=class_, id=id)


@check_keywords
def Table(
    rows: Sequence[Any],
    /,
    *,
    columns: Sequence[TableColumn],
    row_key: str | Callable[[Any], Hashable] | None = None,
    label: str | None = None,
    sort: TableSort | None = None,
    on_sort: Callable[[TableSort], object] | None = None,
    sorting: Literal["table", "app"] = "table",
    page_size: int | None = None,
    page: int = 0,
    on_page: Callable[[int], object] | None = None,
    selectable: bool = False,
    selected: Collection[Hashable] | None = None,
    on_select: Callable[[frozenset[Hashable]], object] | None = None,
    virtual: bool = False,
    row_height: int = DEFAULT_ROW_HEIGHT_PX,
    height: float | None = None,
    overscan: int = DEFAULT_OVERSCAN_ROWS,
    empty: str = "No rows",
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Component:
    """Build a data table with sortable columns, pages, row selection and virtualised rows.

    Markup and keyboard follow the WAI-ARIA APG table pattern
    (https://www.w3.org/WAI/ARIA/apg/patterns/table/) and its sortable table example: header
    buttons sort (click, Enter, Space) and set ``aria-sort``; checkboxes select (Space toggles the
    focused one); ``aria-rowcount``/``aria-rowindex`` give the position of rendered rows.

    Sort, page and selection are each *controlled* when their callback is given (the table shows
    ``sort``/``page``/``selected`` and calls ``on_sort``/``on_page``/``on_select`` with the new
    value; the app re-renders with it), else the table keeps them itself, starting from the
    values given. With ``sorting="table"`` the table orders the rows by the sorted column
    (stable; ``None`` last; cached while ``rows`` is the same object); with ``sorting="app"`` the
    rows already come in order (a database query) and the table only shows the sort state.

    With ``virtual=True`` only the rows in view plus ``overscan`` each side are in the DOM, with
    two spacer rows keeping the full scroll height: 100,000 rows scroll with about
    ``height / row_height + 2 * overscan`` rows in the DOM. Every row (and the header) is then
    exactly ``row_height`` px tall and cells do not wrap.

    Args:
        rows: The rows: mappings (``row[column.key]``) or objects (``getattr``); not copied,
            keep the same object while it does not change (sorting is cached on it).
        columns: One :class:`TableColumn` per column (non-empty, unique keys).
        row_key: A row's identity (selection, keyed rows): a field name, a function of the row,
            or ``None`` for the row's position in ``rows``.
        label: Accessible name of the table (and of its scroll area and page controls).
        sort: ``(column key, "asc" | "desc")`` or ``None`` (unsorted); the initial sort when
            ``on_sort`` is not given.
        on_sort: Called with the new ``(column key, direction)`` when a header is activated:
            another column sorts ascending, the sorted column flips direction.
        sorting: ``"table"`` (the table sorts ``rows``) or ``"app"`` (``rows`` come sorted).
        page_size: Rows per page (> 0) with page controls below the table; ``None``: one page.
        page: 0-based page shown (the initial page when ``on_page`` is not given); clamped to
            the last page.
        on_page: Called with the 0-based page a page button asks for.
        selectable: Add a checkbox column with a select-all checkbox in its header.
        selected: Keys of the selected rows (the initial selection when ``on_select`` is not
            given). Needs ``selectable=True``.
        on_select: Called with the new ``frozenset`` of selected keys; select-all selects the
            keys of every row (every page). Needs ``selectable=True``.
        virtual: Render only the visible window of rows (needs ``height``).
        row_height: Row height in px (> 0): exact with ``virtual``, a minimum otherwise.
        height: Height of the scroll area in px (> 0); ``None`` grows with the rows.
        overscan: Rows rendered beyond each edge of the visible area (>= 0).
        empty: Text shown when there are no rows.
        key: Identity among keyed siblings.
        style: A Style laid over the table's outer box.
        class_: Extra class names of the outer box.
        id: The ``id`` attribute of the outer box.

    Returns:
        A component vnode; the DOM is a ``<div>`` holding the ``role="region"`` scroll area
        (``role="table"`` inside) and, with ``page_size``, a ``<nav>`` of page buttons.

    Raises:
        WidgetError: On an argument of the wrong type or value (``Table(page_size=...): expected
            a positive int, got int (0)``), ``virtual`` without ``height``, ``selected``/
            ``on_select`` without ``selectable``, or a ``sort`` naming no column. Rendering
            raises it for a row missing a column's field or values that cannot be compared.

    Example:
        >>> people = [{"id": 1, "name": "Ada", "age": 36}, {"id": 2, "name": "Alan", "age": 41}]
        >>> table = Table(people, row_key="id", label="People", columns=[
        ...     TableColumn(key="name", header="Name", sortable=True),
        ...     TableColumn(key="age", header="Age", sortable=True, align="end", width=80),
        ... ])
        >>> type(table).__name__
        'Component'

    """
    where = "Table"
    if isinstance(rows, str | bytes) or not isinstance(rows, Sequence):
        raise WidgetError(
            f"{where}(rows=...): expected a sequence of mappings or objects, got {describe(rows)}"
        )
    if not isinstance(columns, list | tuple) or not columns:
        raise WidgetError(
            f"{where}(columns=...): expected a non-empty list of TableColumn, got {describe(columns)}"
        )
    seen: set[str] = set()
    for column in columns:
        if not isinstance(column, TableColumn):
            raise WidgetError(f"{where}(columns=...): expected TableColumn items, got {describe(column)}")
        if column.key in seen:
            raise WidgetError(f"{where}(columns=...): two columns have key {column.key!r}")
        seen.add(column.key)
    if row_key is not None and not isinstance(row_key, str) and not callable(row_key):
        raise WidgetError(
            f"{where}(row_key=...): expected a field name (str), a callable or None, got {describe(row_key)}"
        )
    if label is not None:
        check_type(where, "label", label, str, "str")
    if sort is not None:
        if not (isinstance(sort, tuple) and len(sort) == 2 and sort[1] in _ARIA_SORT):
            raise WidgetError(
                f"{where}(sort=...): expected (column key, 'asc' | 'desc') or None, got {describe(sort)}"
            )
        if sort[0] not in seen:
            raise WidgetError(
                f"{where}(sort=...): no column has key {sort[0]!r}; columns: {', '.join(sorted(seen))}"
            )
    if sorting not in ("table", "app"):
        raise WidgetError(f"{where}(sorting=...): expected 'table' or 'app', got {describe(sorting)}")
    for arg, callback in (("on_sort", on_sort), ("on_page", on_page), ("on_select", on_select)):
        check_callback(where, arg, callback)
    if page_size is not None:
        _positive_int(where, "page_size", page_size)
    check_type(where, "page", page, int, "int")
    if page < 0:
        raise WidgetError(f"{where}(page=...): expected an int >= 0, got {page!r}")
    check_type(where, "selectable", selectable, bool, "bool")
    if selected is not None and (isinstance(selected, str) or not isinstance(selected, Collection)):
        raise WidgetError(
            f"{where}(selected=...): expected a collection of row keys, got {describe(selected)}"
        )
    if not selectable and (selected is not None or on_select is not None):
        arg = "selected" if selected is not None else "on_select"
        raise WidgetError(f"{where}({arg}=...): needs selectable=True")
    check_type(where, "virtual", virtual, bool, "bool")
    _positive_int(where, "row_height", row_height)
    if height is not None:
        check_type(where, "height", height, (int, float), "a number of px")
        if not 0 < height < math.inf:
            raise WidgetError(f"{where}(height=...): expected a positive number of px, got {height!r}")
    elif virtual:
        raise WidgetError(f"{where}(height=...): virtual=True needs the height of the scroll area in px")
    check_type(where, "overscan", overscan, int, "int")
    if overscan < 0:
        raise WidgetError(f"{where}(overscan=...): expected an int >= 0, got {overscan!r}")
    check_type(where, "empty", empty, str, "str")
    check_common(where, key, style, class_, id)
    return _table(
        key=key,
        rows=rows,
        columns=tuple(columns),
        row_key=row_key,
        label=label,
        sort=sort,
        on_sort=on_sort,
        sorting=sorting,
        page_size=page_size,
        page=page,
        on_page=on_page,
        selectable=selectable,
        selected=selected,
        on_select=on_select,
        virtual=virtual,
        row_height=row_height,
        height=height,
        overscan=overscan,
        empty=empty,
        style=style,
        class_=class_,
        id=id,
    )


def _positive_int(where: str, arg: str, value: object) -> None:
    check_type(where, arg, value, int, "a positive int")
    if value <= 0:  # type: ignore[operator]
        raise WidgetError(f"{where}({arg}=...): expected a positive int, got {value!r}")
