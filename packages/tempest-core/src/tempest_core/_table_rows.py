"""The body rows of a Table, built once per row and kept while they show the same thing (private).

A scroll step of a virtual table moves its window by a few rows; the rest of the window shows
the same rows as before. :class:`Rows` keeps each row's vnode while the row object, its
selected flag, its position and the table's layout are unchanged, and returns that very vnode,
which the reconciler skips by identity: a step builds, mounts and diffs only the rows entering
the window. An entering row is one ``@template`` instance (one template per table layout,
shared by every session: a template holds markup only), mounted with one record and one
generated spec builder instead of an ``html`` tree of about ten nodes. The DOM is the one the
``html`` markup gives (see ``tempest_core.templates``).

A jump (a scrollbar drag, Home or End, a new sort: no row of the last render is in the new
one) recycles the row elements instead of removing them all and creating as many: the new
rows take the keys of the old ones, position by position, so the reconciler patches each
row's changed values (its texts, ``aria-rowindex``, ``aria-label``, ``checked``, class) into
elements already laid out: under Chromium's 4x CPU throttle a jump of the vanilla anchor takes
11.3 ms this way against 17.8 ms with new elements (docs/benchmarks.md, "Recycled rows on a
jump"). Keys are therefore serial numbers owned by the ``Rows``, not row keys: a key names a
row element, which shows one row while it stays in the window. A focused checkbox in a
recycled row stays focused and now shows the row at its place (the old row is no longer in
the DOM either way). Rows with a ``render`` column are never recycled: they are components,
whose hook state belongs to their row.

See ``_widgets_table`` for the markup and the patterns followed.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Final

from tempest_core._html_build import describe
from tempest_core._table_model import TableColumn, value_of
from tempest_core._table_parts import CHECKBOX
from tempest_core.components import component
from tempest_core.errors import WidgetError
from tempest_core.events import ChangeEvent
from tempest_core.html import html
from tempest_core.nodes import Element, Node, TemplateInstance
from tempest_core.style import Style
from tempest_core.templates import Template, TemplateFactory, template

__all__ = ["RowSource", "Rows"]

_TEMPLATE_CACHE_SIZE: Final = 256
"""Distinct row layouts (cell styles, checkbox column) whose row templates are kept."""
_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _field(row: object, key: str) -> object:
    """``value_of(row, key)``, with the common case (a ``dict`` row holding the key) inline."""
    if type(row) is dict and key in row:
        return row[key]
    return value_of(row, key)  # raises the WidgetError naming the row


class RowSource:
    """The rows of one render of a table: display position -> index into ``rows`` -> row key.

    A new object per render of the table (compared by identity), so the body re-renders whenever
    the table does.

    Args:
        rows: The table's rows, unsorted.
        order: Index into ``rows`` of each display position (the sorted order), or ``None``
            for the order of ``rows``.
        row_key: The ``Table(row_key=...)``: a field name, a function of the row, or ``None``
            (the row's index in ``rows``).

    """

    __slots__ = ("field", "order", "row_key", "rows")

    def __init__(
        self,
        rows: Sequence[object],
        order: Sequence[int] | None,
        row_key: str | Callable[[Any], Hashable] | None,
    ) -> None:
        self.rows = rows
        self.order = order
        self.row_key = row_key
        self.field = row_key if isinstance(row_key, str) else None

    def key(self, index: int) -> Hashable:
        """Return the key of ``rows[index]``.

        Raises:
            WidgetError: ``row_key`` names a field the row lacks.

        """
        row_key = self.row_key
        if row_key is None:
            return index
        row = self.rows[index]
        if isinstance(row_key, str):
            return _field(row, row_key)
        return row_key(row)


@functools.lru_cache(maxsize=_TEMPLATE_CACHE_SIZE)
def _row_template(cell_styles: tuple[Style, ...], selectable: bool, box_style: Style) -> TemplateFactory:
    """Return the template of a body row whose cells show text, in ``cell_styles``.

    ``box_style`` is the style of the row's checkbox (with ``selectable``).

    Its parameters: the row's class (the generated class of its style), its ``aria-rowindex``,
    then with ``selectable`` the checkbox's ``checked``, ``aria-label`` and change handler, then
    one text per column. The markup is the ``html`` the row was written with before templates:
    ``<div role=row aria-rowindex class>`` holding one ``<div role=cell>`` per cell.
    """
    names = ["row_class", "aria_rowindex"]
    if selectable:
        names += ["checked", "label", "on_change"]
    names += [f"text{i}" for i in range(len(cell_styles) - selectable)]

    def table_row(*values: Any) -> Element:
        cells: list[Node] = []
        texts = values[2:]
        if selectable:
            checked, label, on_change = values[2:5]
            texts = values[5:]
            box = html.input(
                type="checkbox", checked=checked, aria_label=label, on_change=on_change, style=box_style
            )
            cells.append(html.div(box, role="cell", style=cell_styles[0]))
        for style, text in zip(cell_styles[selectable:], texts, strict=True):
            cells.append(html.div(text, role="cell", style=style))
        # attribute order as html.div(role=..., aria_rowindex=..., style=...) gives (class last)
        return html.div(cells, attrs={"role": "row", "aria-rowindex": values[1], "class": values[0]})

    table_row.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, _POSITIONAL) for name in names]
    )
    return template(table_row)


_Kept = tuple[object, bool, int, tuple[Any, ...], Node]
"""A built row: ``(row, selected, aria-rowindex, its cells or template values, its vnode)``."""


class Rows:
    """The body rows of one mounted table, each kept while what it shows is unchanged.

    A row's vnode depends on the row object, its selected flag, its display position
    (``aria-rowindex``) and the table's layout (columns, styles, ``selectable``). A row whose
    inputs did not change since the last render is returned as the very same vnode, which the
    reconciler skips by identity. Only the rows of the last render are kept (a window of a
    virtual table, a page, or every row of a plain table: what the DOM holds anyway), and one
    ``Rows`` belongs to one mounted table of one session, so no row is shared across tables
    or sessions. Rows are compared with ``is``, then ``==`` (as the memoised row components
    before compared their props).
    """

    __slots__ = ("kept", "layout", "plan", "serial", "template")

    def __init__(self) -> None:
        self.layout: tuple[object, ...] | None = None
        self.template: Template | None = None
        self.plan: tuple[str, ...] = ()  # the field of each column
        self.kept: dict[Hashable, _Kept] = {}  # by row key, in the order of the last render
        self.serial = 0  # the last key given to a row element

    def build(
        self,
        source: RowSource,
        positions: range,
        *,
        selected: frozenset[Hashable],
        columns: tuple[TableColumn, ...],
        cell_styles: tuple[Style, ...],
        body_style: Style,
        chosen_style: Style,
        box_style: Style = CHECKBOX,
        selectable: bool,
        toggle: Callable[[Hashable, bool], object],
        class_for: Callable[[Style], str],
    ) -> list[Node]:
        """Return the vnodes of the rows at ``positions``, each keyed by its row element's serial number.

        Args:
            source: The rows, their display order and keys.
            positions: Display positions (0-based); position ``i`` gets ``aria-rowindex`` ``i + 2``.
            selected: Keys of the selected rows.
            columns: The columns.
            cell_styles: One style per cell (the checkbox cell first when ``selectable``).
            body_style: Style of a row.
            chosen_style: Style of a selected row.
            box_style: Style of a row's checkbox.
            selectable: Whether rows start with a checkbox cell.
            toggle: ``toggle(key, checked)``: a row's checkbox changed.
            class_for: The session's ``StyleSheet.class_for`` (registers a style's rules the
                first time and returns its class): a templated row carries its class as a value.

        Returns:
            One ``role="row"`` vnode per position, in order. A row keeps its key while it stays
            in the window; after a jump the rows take the old rows' keys in order (templated
            rows only), and rows entering otherwise get new ones.

        Raises:
            WidgetError: A row lacks a column's field or the ``row_key`` field.

        """
        layout = (columns, cell_styles, body_style, chosen_style, box_style, selectable, toggle)
        if self.layout != layout:
            self.layout, self.kept = layout, {}
            self.plan = tuple(c.key for c in columns)
            plain = all(c.render is None for c in columns)
            self.template = _row_template(cell_styles, selectable, box_style).template if plain else None
        tpl = self.template
        kept = self.kept
        fresh: dict[Hashable, _Kept] = {}
        out: list[Node] = []
        add = out.append
        rows, order, field, row_key = source.rows, source.order, source.field, source.row_key
        # Class names of the two row styles, looked up (and registered) when a row first needs one,
        # where the reconciler registered them before rows were templated: the same rule order.
        classes: dict[bool, str] = {}
        serial = self.serial
        stayed = False  # a row of the last render is in this one (no jump)
        for i in positions:
            index = i if order is None else order[i]
            row = rows[index]
            # source.key(index), inline: the loop runs for every row of the window on every step
            if field is not None:
                rk = _field(row, field)
            elif row_key is None:
                rk = index
            else:
                rk = row_key(row)  # type: ignore[operator]
            if rk in fresh:
                raise WidgetError(
                    f"Table(row_key=...): duplicate row key {describe(rk)} for the rows at display "
                    f"positions {fresh[rk][2] - 2} and {i}: row keys must be unique"
                )
            chosen = rk in selected
            aria = i + 2
            moved = kept.get(rk)
            if moved is not None:
                stayed = True
                key = moved[4].key  # the row's element, kept while the row is in the window
                if (moved[0] is row or moved[0] == row) and moved[1] == chosen:
                    if moved[2] == aria:
                        fresh[rk] = moved
                        add(moved[4])
                        continue
                else:
                    moved = None  # it shows something else: build it (with the same element)
            else:
                serial += 1
                key = serial
            values: tuple[Any, ...]
            node: Node
            if tpl is not None:
                cls = classes.get(chosen)
                if cls is None:
                    cls = classes[chosen] = class_for(chosen_style if chosen else body_style)
                if moved is not None:  # the same values at another position
                    values = (cls, str(aria), *moved[3][2:])
                else:
                    values = self.row_values(
                        row, rk, selected=chosen, cls=cls, aria=aria, selectable=selectable, toggle=toggle
                    )
                node = TemplateInstance(tpl, values, key)
            else:
                # A row with a render column stays a memoised component, as before templates: its
                # render runs in the row's own hook frame (a render may use hooks).
                values = ()
                node = _html_row(
                    key=key,
                    row=row,
                    row_key=rk,
                    aria_index=aria,
                    columns=columns,
                    cell_styles=cell_styles,
                    box_style=box_style,
                    row_style=chosen_style if chosen else body_style,
                    selectable=selectable,
                    selected=chosen,
                    toggle=toggle,
                )
            fresh[rk] = (row, chosen, aria, values, node)
            add(node)
        self.serial = serial
        if not stayed and kept and tpl is not None:
            # A jump: the new rows take the last render's row elements, in order (see the module).
            for j, ((rk, built), old) in enumerate(zip(fresh.items(), kept.values(), strict=False)):
                node = TemplateInstance(tpl, built[3], old[4].key)
                fresh[rk] = (*built[:4], node)
                out[j] = node
        self.kept = fresh
        return out

    def row_values(
        self,
        row: object,
        row_key: Hashable,
        /,
        *,
        selected: bool,
        cls: str,
        aria: int,
        selectable: bool,
        toggle: Callable[[Hashable, bool], object],
    ) -> tuple[Any, ...]:
        """Return the values of a templated row (see :func:`_row_template`); also the row feed's."""
        texts = [_text(_field(row, key)) for key in self.plan]
        if not selectable:
            return (cls, str(aria), *texts)
        label, on_change = _selection(toggle, row_key, texts[0])
        return (cls, str(aria), selected, label, on_change, *texts)


def _selection(
    toggle: Callable[[Hashable, bool], object], row_key: Hashable, name: str
) -> tuple[str, Callable[[ChangeEvent], object]]:
    """Return a row checkbox's ``aria-label`` (the first cell's text, else the key) and change handler."""

    def on_change(event: ChangeEvent) -> object:
        return toggle(row_key, bool(event.checked))

    return f"Select row {name or row_key}", on_change


@component
def _html_row(
    *,
    row: object,
    row_key: Hashable,
    aria_index: int,
    columns: tuple[TableColumn, ...],
    cell_styles: tuple[Style, ...],
    box_style: Style = CHECKBOX,
    row_style: Style,
    selectable: bool,
    selected: bool,
    toggle: Callable[[Hashable, bool], object],
) -> Node:
    """Render a row with a ``render`` column as ``html`` (templates hold no nodes)."""
    cells: list[Node] = []
    if selectable:
        name = _text(_field(row, columns[0].key)) if columns[0].render is None else ""
        label, on_change = _selection(toggle, row_key, name)
        box = html.input(
            type="checkbox", checked=selected, aria_label=label, on_change=on_change, style=box_style
        )
        cells.append(html.div(box, role="cell", style=cell_styles[0]))
    offset = 1 if selectable else 0
    for i, column in enumerate(columns):
        content = column.render(row) if column.render is not None else _text(_field(row, column.key))
        cells.append(html.div(content, role="cell", style=cell_styles[i + offset]))
    return html.div(cells, role="row", aria_rowindex=aria_index, style=row_style)
