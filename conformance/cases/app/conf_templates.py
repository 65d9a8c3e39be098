"""Conformance cases: ``@template`` rows and a controlled input in a template (conformance app components).

Each template here has every kind of hole (text, attribute, property, event handler); the cases
drive keyed inserts, removes, moves, hole changes and handler calls through them, so Mode A and
Mode B must create the same DOM as the equivalent ``html.*`` markup and patch only the holes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from conf_lists import button

from tempest_core import InputEvent, KeyEvent, Node, Style, component, html, template, use_state

if TYPE_CHECKING:
    from tempest_core import Element
    from tempest_core.nodes import Handler

__all__ = ["CASES"]

LABELS = ("alpha", "bravo", "charlie", "delta", "echo")
REFILL_LABELS = ("foxtrot", "golf", "hotel", "india")
TAG_STYLE = Style(font_weight=700, padding=(0, 4))
"""The static style of each row's label (its ``class`` is a hole on the same element)."""


@template
def row_markup(
    label: str,
    row_id: str,
    *,
    row_pos: str,
    row_class: str | None,
    tag_class: str | None,
    link: str,
    on_pick: Handler,
    on_remove: Handler,
) -> Element:
    """One ``li``: a styled label (class hole, click selects), a link (href hole), a remove button."""
    return html.li(
        html.span(label, class_=tag_class, style=TAG_STYLE, on_click=on_pick),
        " ",
        html.a("open", href=link),
        html.button("x", type="button", class_="remove", on_click=on_remove),
        class_=row_class,
        data_id=row_id,
        data_pos=row_pos,
    )


@dataclass(frozen=True, slots=True)
class TRow:
    """One row: its key, label and version (bumped on relabel, it is in the link)."""

    id: int
    label: str
    version: int = 0


@dataclass(frozen=True, slots=True)
class RowsState:
    """The rows in order, the selected row id, the ids whose label is "hot", the next id."""

    rows: tuple[TRow, ...]
    selected: int | None = None
    hot: frozenset[int] = frozenset()
    next_id: int = 1


def _initial() -> RowsState:
    rows = tuple(TRow(i, label) for i, label in enumerate(LABELS, start=1))
    return RowsState(rows=rows, hot=frozenset({2}), next_id=len(rows) + 1)


def _front(s: RowsState) -> RowsState:
    return replace(s, rows=(TRow(s.next_id, f"new {s.next_id}"), *s.rows), next_id=s.next_id + 1)


def _drop(s: RowsState, row_id: int) -> RowsState:
    rows = tuple(r for r in s.rows if r.id != row_id)
    return replace(s, rows=rows, selected=None if s.selected == row_id else s.selected, hot=s.hot - {row_id})


def _middle(s: RowsState) -> RowsState:
    return _drop(s, s.rows[len(s.rows) // 2].id) if s.rows else s


def _relabel(s: RowsState) -> RowsState:
    rows = tuple(
        replace(r, label=r.label + " !", version=r.version + 1) if i % 2 == 0 else r
        for i, r in enumerate(s.rows)
    )
    return replace(s, rows=rows)


def _toggle_hot(s: RowsState) -> RowsState:
    if len(s.rows) < 2:
        return s
    return replace(s, hot=s.hot ^ {s.rows[1].id})


def _refill(s: RowsState) -> RowsState:
    start = s.next_id
    rows = tuple(TRow(start + i, label) for i, label in enumerate(REFILL_LABELS))
    return RowsState(rows=rows, selected=None, hot=frozenset({start}), next_id=start + len(rows))


@component
def template_rows() -> Node:
    """A keyed list of template instances: inserts, removes, moves and hole changes; row clicks."""
    state, set_state = use_state(_initial)

    def op(fn: Callable[[RowsState], RowsState]) -> Callable[[], None]:
        return lambda: set_state(fn)

    def pick(row_id: int) -> Callable[[], None]:
        return lambda: set_state(lambda s: replace(s, selected=None if s.selected == row_id else row_id))

    def remove(row_id: int) -> Callable[[], None]:
        return lambda: set_state(lambda s: _drop(s, row_id))

    rows = [
        row_markup(
            r.label,
            str(r.id),
            row_pos=str(pos),
            row_class="selected" if r.id == state.selected else None,
            tag_class="hot" if r.id in state.hot else None,
            link=f"/items/{r.id}?v={r.version}",
            on_pick=pick(r.id),
            on_remove=remove(r.id),
            key=r.id,
        )
        for pos, r in enumerate(state.rows)
    ]
    return html.div(
        html.div(
            button("front", "front", op(_front)),
            button("middle", "middle", op(_middle)),
            button("reverse", "reverse", op(lambda s: replace(s, rows=s.rows[::-1]))),
            button("relabel", "relabel", op(_relabel)),
            button("toggle", "toggle", op(_toggle_hot)),
            button("clear", "clear", op(lambda s: replace(s, rows=(), selected=None, hot=frozenset()))),
            button("refill", "refill", op(_refill)),
        ),
        html.ul(rows, id="rows"),
        html.p(f"selected {state.selected}", id="sel"),
    )


@template
def entry_markup(text: str, count: int, on_input: Handler, on_keydown: Handler) -> Element:
    """The controlled field: ``value`` is a property hole, both handlers are event holes."""
    return html.div(
        html.input(
            id="entry",
            type="text",
            placeholder="new item",
            value=text,
            on_input=on_input,
            on_keydown=on_keydown,
        ),
        html.span(count, id="count"),
        class_="entry",
    )


@template
def item_markup(label: str, item_id: str) -> Element:
    """One added item."""
    return html.li(label, data_id=item_id)


@dataclass(frozen=True, slots=True)
class InputState:
    """The field's text and the items added so far (``(id, label)``)."""

    text: str = ""
    items: tuple[tuple[int, str], ...] = ()


def _commit(s: InputState, value: str) -> InputState:
    label = value.strip()
    if not label:
        return s
    return InputState(text="", items=(*s.items, (len(s.items) + 1, label)))


@component
def template_input() -> Node:
    """A controlled input inside a template: typing updates state, Enter appends and clears the field."""
    state, set_state = use_state(InputState)

    def on_input(event: InputEvent) -> None:
        set_state(lambda s: replace(s, text=event.value))

    def on_keydown(event: KeyEvent) -> None:
        if event.key == "Enter":
            value = event.value or ""
            set_state(lambda s: _commit(s, value))

    return html.div(
        entry_markup(state.text, len(state.items), on_input, on_keydown),
        html.ul([item_markup(label, str(i), key=i) for i, label in state.items], id="items"),
        html.p(state.text, id="mirror"),
    )


CASES: dict[str, Callable[..., Node]] = {
    "template_rows": template_rows,
    "template_input": template_input,
}
