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
window of rows that covers it plus ``overscan`` rows each side (and, while a scroll goes on the
same way, rows ahead of it: ``scroll_lead``), and two ``aria-hidden`` spacer rows keep the scroll
height of every row. The body is a component of its own holding the scroll position: a scroll
step re-renders it only when the window changes, and then builds, mounts and diffs only the rows
entering the window (``_table_rows``: a row keeps its vnode while it shows the same thing, an
entering row is one template instance, and a jump patches the new rows into the old rows'
elements). The same code runs in every mode, so the window follows scrolling identically.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Any, Final, Literal

from tempest_core._html_build import describe
from tempest_core._internal.frame import current_frame
from tempest_core._table_feed import RowFeed
from tempest_core._table_model import (
    SortDirection,
    TableColumn,
    TableSort,
    order_rows,
    table_window,
)
from tempest_core._table_parts import (
    CHECKBOX,
    EMPTY,
    SCROLL,
    SELECT_COLUMN_WIDTH,
    WRAP,
    Actions,
    Cache,
    header,
    pager,
    row_checkbox_style,
    scroll_style,
    styles,
    track,
)
from tempest_core._table_rows import Rows, RowSource
from tempest_core._widgets_base import check_callback, check_common, check_keywords, check_type, merge_styles
from tempest_core.components import component
from tempest_core.errors import WidgetError
from tempest_core.hooks import Ref, use_ref, use_state
from tempest_core.html import html
from tempest_core.nodes import Component, Element, EventBinding, Node
from tempest_core.style import Style
from tempestweb_contract import Scalar

__all__ = ["SortDirection", "Table", "TableColumn", "TableSort", "table_window"]

DEFAULT_ROW_HEIGHT_PX: Final = 40
"""Row height of a virtual table when ``row_height`` is not given, in CSS px."""
DEFAULT_OVERSCAN_ROWS: Final = 5
"""Rows rendered beyond each edge of the visible area of a virtual table."""

_SORT_DIRECTIONS: Final = frozenset(("asc", "desc"))
_TOP: Final = ("tw-table", "top")
_BOTTOM: Final = ("tw-table", "bottom")
_NO_PROPS: Final[dict[str, Scalar]] = {}
_NO_EVENTS: Final[dict[str, EventBinding]] = {}


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
    held: Ref[tuple[Actions, Cache] | None] = use_ref(None)
    if held.current is None:
        held.current = (Actions(), Cache())
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
            cache.order, cache.order_for = order_rows(rows, column, current_sort[1]), (current_sort, column)
    order = cache.order if sorting == "table" and current_sort is not None else None

    source = RowSource(rows, order, row_key)
    key_of = source.key

    def all_keys() -> frozenset[Hashable]:
        if cache.all_keys is None:
            cache.all_keys = frozenset(key_of(i) for i in range(n))
        return cache.all_keys

    # -- page ----------------------------------------------------------------------------------
    pages = max(1, math.ceil(n / page_size)) if page_size else 1
    current_page = min(max(0, own_page if on_page is None else page), pages - 1)
    lo = current_page * page_size if page_size else 0
    hi = min(n, lo + page_size) if page_size else n

    actions.sort, actions.on_sort, actions.set_sort = current_sort, on_sort, set_sort
    actions.on_page, actions.set_page = on_page, set_page
    actions.selected, actions.on_select, actions.set_selected = current_selected, on_select, set_selected
    actions.all_keys, actions.key_of = all_keys, key_of

    # -- styles (cached: a scroll step builds none) ------------------------------------------------
    tracks = ((SELECT_COLUMN_WIDTH,) if selectable else ()) + tuple(track(c.width) for c in columns)
    aligns = (("center",) if selectable else ()) + tuple(c.align for c in columns)
    row_style, body_style, chosen_style, cell_styles = styles(tracks, aligns, row_height, virtual)

    # -- header, body, pager ---------------------------------------------------------------------
    select_state = None
    if selectable:
        chosen = len(current_selected & all_keys()) if current_selected else 0
        select_state = (n > 0 and chosen == n, chosen > 0)
    head = header(
        key="head",
        columns=columns,
        cell_styles=cell_styles,
        row_style=row_style,
        sort=current_sort,
        select_state=select_state,
        actions=actions,
    )
    body = _body(
        key="body",
        span=(lo, hi),
        source=source,
        selected=current_selected,
        columns=columns,
        cell_styles=cell_styles,
        body_style=body_style,
        chosen_style=chosen_style,
        selectable=selectable,
        virtual=virtual,
        row_height=row_height,
        height=height,
        overscan=overscan,
        empty=empty,
        actions=actions,
    )
    partial = virtual or page_size is not None
    table = html.div(
        head,
        body,
        role="table",
        aria_label=label,
        # With no rows the body holds one row, the ``empty`` text (aria-rowindex 2): counted, so
        # no aria-rowindex exceeds aria-rowcount (ARIA 1.2, aria-rowindex).
        aria_rowcount=(n + 1 if n else 2) if partial else None,
    )
    box = SCROLL if height is None else scroll_style(height)
    scroller = html.div(
        table,
        role="region",
        aria_label=label or "Table",
        tabindex=0,
        on_scroll=actions.scroll if virtual else None,
        style=box,
    )
    controls = pager(current_page, pages, label, actions) if page_size else None
    wrap = merge_styles(WRAP, style)
    return html.div(scroller, controls, style=wrap, class_=class_, id=id)


@component
def _body(
    *,
    span: tuple[int, int],
    source: RowSource,
    selected: frozenset[Hashable],
    columns: tuple[TableColumn, ...],
    cell_styles: tuple[Style, ...],
    body_style: Style,
    chosen_style: Style,
    selectable: bool,
    virtual: bool,
    row_height: int,
    height: float | None,
    overscan: int,
    empty: str,
    actions: Actions,
) -> Node:
    """Render the body ``rowgroup``: the rows at display positions ``span`` (``[lo, hi)``) or their window.

    A component of its own holding the scroll position, so a scroll step that moves the window
    re-renders and diffs this rowgroup only: not the table, its header or its page controls.
    """
    viewport, set_viewport = use_state((0.0, float(height or row_height), 0.0))  # top, height, lead
    held: Ref[Rows | None] = use_ref(None)
    if held.current is None:
        held.current = Rows()
    built = held.current
    lo, hi = span
    count = hi - lo
    start, end = (0, count)
    if virtual:
        top, viewport_px, lead = viewport
        start, end = table_window(
            count,
            scroll_top=top,
            viewport_px=viewport_px,
            row_height=row_height,
            overscan=overscan,
            lead_px=lead,
        )
    actions.set_viewport = set_viewport
    actions.window, actions.window_args, actions.count = (start, end), (count, row_height, overscan), count

    body: list[Node] = []
    if len(source.rows) == 0:
        span_cells = len(cell_styles)
        cell = html.div(empty, role="cell", aria_colspan=span_cells if span_cells > 1 else None, style=EMPTY)
        body.append(html.div(cell, role="row", aria_rowindex=2))
        return html.div(body, role="rowgroup")
    if virtual:
        body.append(_spacer(_TOP, start * row_height))
    frame = current_frame("Table")
    class_for = frame.owner.sheet.class_for
    body.extend(
        built.build(
            source,
            range(lo + start, lo + end),
            selected=selected,
            columns=columns,
            cell_styles=cell_styles,
            body_style=body_style,
            chosen_style=chosen_style,
            box_style=CHECKBOX if height is None else row_checkbox_style(row_height),
            selectable=selectable,
            toggle=actions.toggle,
            class_for=class_for,
        )
    )
    if virtual:
        body.append(_spacer(_BOTTOM, (count - end) * row_height))
        if built.template is not None:  # rows the client may fill ahead of a patch (_table_feed)
            feed = frame.owner.feeds.get(frame)
            if feed is None:
                feed = frame.owner.feeds[frame] = RowFeed(frame)
            feed.update(
                source=source,
                span=span,
                selected=selected,
                rows=built,
                row_height=row_height,
                overscan=overscan,
                body_style=body_style,
                chosen_style=chosen_style,
                selectable=selectable,
                toggle=actions.toggle,
                class_for=class_for,
            )
    return html.div(body, role="rowgroup")


def _spacer(key: Hashable, height: int) -> Element:
    """Build an ``aria-hidden`` spacer row ``height`` px tall.

    The element ``html.div(key=key, aria_hidden="true", attrs={"style": ...})`` builds, without
    its argument checks (a scroll step builds two).
    """
    attrs = {"style": f"height:{height}px", "aria-hidden": "true"}
    return Element("div", attrs, _NO_PROPS, _NO_EVENTS, (), key)


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
    ``height / row_height + 2 * overscan`` rows in the DOM, and while a scroll goes on the same
    way up to two viewports more ahead of it (so the frames painted before the next window
    arrives still show rows). Every row (and the header) is then exactly ``row_height`` px tall
    and cells do not wrap.

    Args:
        rows: The rows: mappings (``row[column.key]``) or objects (``getattr``); not copied,
            keep the same object while it does not change (sorting is cached on it).
        columns: One :class:`TableColumn` per column (non-empty, unique keys).
        row_key: A row's identity (selection, keyed rows): a field name, a function of the row,
            or ``None`` for the row's position in ``rows``. Keys are unique: one repeated among
            the rows rendered is a ``WidgetError``.
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
        overscan: Rows rendered beyond each edge of the visible area (>= 0); a continuous
            scroll adds rows ahead of it (``tempest_core._table_model.scroll_lead``).
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
        if not (isinstance(sort, tuple) and len(sort) == 2 and sort[1] in _SORT_DIRECTIONS):
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
