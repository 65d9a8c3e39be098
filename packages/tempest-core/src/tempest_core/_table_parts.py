"""The pieces a Table renders: styles, event handlers, rows, header and page controls (private).

See ``_widgets_table`` for the markup and the patterns followed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping
from typing import Final

from tempest_core._table_model import (
    SortDirection,
    TableColumn,
    TableSort,
    scroll_lead,
    table_window,
)
from tempest_core._widgets_base import FOCUS_RING
from tempest_core.components import component
from tempest_core.events import ChangeEvent, ScrollEvent
from tempest_core.html import Child, html
from tempest_core.nodes import Element, Node
from tempest_core.style import Style

__all__ = [
    "CHECKBOX",
    "EMPTY",
    "SCROLL",
    "WRAP",
    "SELECT_COLUMN_WIDTH",
    "Actions",
    "Cache",
    "header",
    "row_checkbox_style",
    "pager",
    "scroll_style",
    "styles",
    "track",
]

SELECT_COLUMN_WIDTH: Final = "var(--tw-space-7)"
"""Width of the checkbox column (a design token)."""

_ARIA_SORT: Final[Mapping[str, str]] = {"asc": "ascending", "desc": "descending"}
_ARROW: Final[Mapping[str, str]] = {"asc": "\u25b2", "desc": "\u25bc"}
_STYLE_CACHE_SIZE: Final = 256
"""Distinct table layouts (column widths, alignments, row height) whose styles are kept."""


# -- styles (design tokens: var(--tw-...)) -----------------------------------------------------------
WRAP = Style(
    display="flex",
    flex_direction="column",
    gap="var(--tw-space-2)",
    font_family="var(--tw-font-sans)",
    font_size="var(--tw-text-sm)",
    line_height="var(--tw-leading)",
    color="var(--tw-color-text)",
    min_width=0,
)
SCROLL = Style(
    overflow="auto",
    # CSS scroll anchoring would shift scrollTop when a patch swaps the rows around the anchor
    # row (https://drafts.csswg.org/css-scroll-anchoring/); the spacers already keep positions.
    overflow_anchor="none",
    background_color="var(--tw-color-surface)",
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-md)",
    focus_visible=FOCUS_RING,
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
    # Clipped sideways only (``clip`` on one axis leaves the other visible; ``hidden`` would
    # make both scroll): a virtual table's cells have no vertical padding, and ``hidden`` cut
    # the top and bottom of the focus ring of the header's sort buttons and of the checkboxes
    # (WCAG 2.4.7, 1.4.11). A cell is as tall as its content, so no content was cut vertically.
    overflow_x="clip",
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
    focus_visible=FOCUS_RING,
)
_ARROW_STYLE = Style(font_size="var(--tw-text-xs)", color="var(--tw-color-text-muted)")
CHECKBOX_PX: Final = 16
"""Width and height of the selection checkboxes, in CSS px."""
CHECKBOX = Style(
    width=CHECKBOX_PX,
    height=CHECKBOX_PX,
    margin=0,
    accent_color="var(--tw-color-primary)",
    cursor="pointer",
    focus_visible=FOCUS_RING,
)
EMPTY = Style(padding="var(--tw-space-5)", text_align="center", color="var(--tw-color-text-muted)")
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
    focus_visible=FOCUS_RING,
    disabled=Style(opacity=0.5, cursor="default", background_color="var(--tw-color-surface)"),
)
_PAGE_STATUS = Style(padding=(0, "var(--tw-space-2)"), color="var(--tw-color-text-muted)")


@functools.lru_cache(maxsize=_STYLE_CACHE_SIZE)
def styles(
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
def scroll_style(height: float) -> Style:
    return SCROLL | Style(height=height)


@functools.lru_cache(maxsize=_STYLE_CACHE_SIZE)
def row_checkbox_style(row_height: int) -> Style:
    """Return the style of a row's checkbox in a scroll box whose header row is ``row_height`` px.

    Its ``scroll-margin-top`` covers the sticky header and the part of its row above it, so the
    checkbox that focus moves to (Shift+Tab up through the rows) scrolls into view with its row
    below the header, not under it (WCAG 2.2 SC 2.4.11 Focus Not Obscured). On the checkbox, not
    as ``scroll-padding-top`` on the scroll box: that would scroll the box whenever focus went to
    the header's own controls, which sit in the padded strip.
    """
    return CHECKBOX | Style(scroll_margin_top=row_height + max(0, row_height - CHECKBOX_PX) // 2)


FLEX_COLUMN_MIN: Final = "6rem"
"""Narrowest a ``width=None`` column gets. With ``minmax(0, 1fr)`` a narrow viewport (320 CSS px)
gave the fixed-width columns all the room, the flexible column shrank to nothing and its padded
cells spilled over the next column (WCAG 1.4.10 Reflow); now the scroll area scrolls sideways."""


def track(width: float | str | None) -> str:
    if width is None:
        return f"minmax({FLEX_COLUMN_MIN}, 1fr)"
    return f"{width}px" if isinstance(width, int | float) else width


class Actions:
    """The table's event handlers, one object per mounted table.

    Memoised rows compare their props with ``==``; these bound methods stay equal across renders
    (same object, same function), so a re-render of the table does not re-render its rows. They
    read the latest props and state, which every render stores here.
    """

    __slots__ = (
        "all_keys",
        "count",
        "delta",
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
        "top",
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
        self.set_viewport: Callable[[tuple[float, float, float]], None] = lambda _: None
        self.window: tuple[int, int] = (0, 0)
        self.top = 0.0  # scroll_top of the last scroll event, px
        self.delta = 0.0  # the move it made, px
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
        top = event.scroll_top
        delta = top - self.top
        lead = scroll_lead(delta, self.delta, viewport_px=viewport, row_height=row_height)
        self.top, self.delta = top, delta
        window = table_window(
            count,
            scroll_top=top,
            viewport_px=viewport,
            row_height=row_height,
            overscan=overscan,
            lead_px=lead,
        )
        if window != self.window:  # positions inside the rendered window cost no render
            self.window = window
            self.set_viewport((top, viewport, lead))


class Cache:
    """Per-table results that depend on the rows object (compared with ``is``, not ``==``)."""

    __slots__ = ("all_keys", "order", "order_for", "row_key", "rows")

    def __init__(self) -> None:
        self.rows: object = None
        self.row_key: object = None
        self.order_for: object = None
        self.order: list[int] | None = None
        self.all_keys: frozenset[Hashable] | None = None


def _page_button(text: str, label: str, target: int, disabled: bool, actions: Actions) -> Element:
    # A page button that cannot act keeps focus (Next on reaching the last page): aria-disabled
    # and no action instead of the native ``disabled``, which would drop focus to <body>
    # (WCAG 2.4.3; APG "Focusability of disabled controls"). The Style's ``disabled`` variant
    # matches ``[aria-disabled=true]`` too.
    return html.button(
        text,
        type="button",
        aria_label=label,
        aria_disabled="true" if disabled else None,
        on_click=None if disabled else (lambda: actions.go(target)),
        style=_PAGE_BUTTON,
    )


def pager(page: int, pages: int, label: str | None, actions: Actions) -> Element:
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


def _sorter(actions: Actions, column: str) -> Callable[[], object]:
    return lambda: actions.sort_by(column)


@component
def header(
    *,
    columns: tuple[TableColumn, ...],
    cell_styles: tuple[Style, ...],
    row_style: Style,
    sort: TableSort | None,
    select_state: tuple[bool, bool] | None,
    actions: Actions,
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
            style=CHECKBOX,
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
