"""The keyed js-framework-benchmark app in tempestweb, following ``shared/specs/jsfb.md`` exactly.

Rows are a memoized keyed component (a row re-renders only when its data or its selected flag changes)
whose markup is a ``@template`` (captured once; a row only supplies its values), built by
``use_keyed_children`` (a render rebuilds and patches only the rows that changed: a selection
change touches two rows); selection is one id in state; ``next_id`` is never reset. Run it with
``tempestweb run examples/jsfb``.

Readiness (spec section 1): the buttons are rendered disabled until the live session runs them. The
prerendered page (Mode A's ``index.html``, Mode B's shell) has them disabled from first paint, and an
effect, which runs only in the live session, enables them: a harness that waits for an enabled ``#run``
clicks an app that acts at once (tempestweb would queue an earlier click and replay it, but a benchmark
must not time the boot).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tempest_core import App, Style, component, html, template, use_effect, use_keyed_children

if TYPE_CHECKING:
    from tempest_core import Element, Node
    from tempest_core.nodes import Handler

__all__ = ["BenchRow", "BenchState", "app", "build_rows", "row_markup", "view"]

ADJECTIVES = (
    "pretty", "large", "big", "small", "tall", "short", "long", "handsome", "plain", "quaint", "clean",
    "elegant", "easy", "angry", "crazy", "helpful", "mushy", "odd", "unsightly", "adorable", "important",
    "inexpensive", "cheap", "expensive", "fancy",
)  # fmt: skip
COLOURS = ("red", "yellow", "blue", "green", "pink", "brown", "purple", "brown", "white", "black", "orange")
NOUNS = (
    "table", "chair", "house", "bbq", "desk", "car", "pony", "cookie", "sandwich", "burger", "pizza", "mouse",
    "keyboard",
)  # fmt: skip
SWAP_MIN_ROWS = 999
UPDATE_EVERY = 10


@dataclass(frozen=True, slots=True)
class BenchRow:
    """One row of data: its id and label."""

    id: int
    label: str


@dataclass(frozen=True, slots=True)
class BenchState:
    """The app state: rows in order, the selected row id (or ``None``), the next id (never reset), and
    whether the live session runs (the buttons are enabled)."""

    rows: tuple[BenchRow, ...] = ()
    selected: int | None = None
    next_id: int = 1
    live: bool = False


def _pick(words: tuple[str, ...], rnd: Callable[[], float]) -> str:
    # JS Math.round(x) is floor(x + 0.5); Python's round() would round half to even.
    return words[int(rnd() * 1000 + 0.5) % len(words)]


def build_rows(
    state: BenchState, count: int, rnd: Callable[[], float] = random.random
) -> tuple[tuple[BenchRow, ...], int]:
    """Create ``count`` rows with ids from ``state.next_id`` and the spec's random label rule.

    Args:
        state: Current state (only ``next_id`` is read).
        count: Number of rows to create (≥ 0).
        rnd: Uniform random source in [0, 1), like ``Math.random``.

    Returns:
        The new rows and the next id after them.
    """
    start = state.next_id
    rows = tuple(
        BenchRow(i, f"{_pick(ADJECTIVES, rnd)} {_pick(COLOURS, rnd)} {_pick(NOUNS, rnd)}")
        for i in range(start, start + count)
    )
    return rows, start + count


def _create(s: BenchState, count: int) -> BenchState:
    rows, next_id = build_rows(s, count)
    return replace(s, rows=rows, selected=None, next_id=next_id)


def _append(s: BenchState, count: int) -> BenchState:
    rows, next_id = build_rows(s, count)
    return replace(s, rows=s.rows + rows, selected=None, next_id=next_id)


def _update(s: BenchState) -> BenchState:
    rows = list(s.rows)
    for i in range(0, len(rows), UPDATE_EVERY):
        rows[i] = replace(rows[i], label=rows[i].label + " !!!")
    return replace(s, rows=tuple(rows), selected=None)


def _swap(s: BenchState) -> BenchState:
    if len(s.rows) < SWAP_MIN_ROWS:
        return s
    rows = list(s.rows)
    rows[1], rows[998] = rows[998], rows[1]
    return replace(s, rows=tuple(rows))


def _remove(s: BenchState, row_id: int) -> BenchState:
    rows = tuple(r for r in s.rows if r.id != row_id)
    return replace(s, rows=rows, selected=None if s.selected == row_id else s.selected)


ACTIONS: tuple[tuple[str, str, Callable[[BenchState], BenchState]], ...] = (
    ("run", "Create 1,000 rows", lambda s: _create(s, 1000)),
    ("runlots", "Create 10,000 rows", lambda s: _create(s, 10000)),
    ("add", "Append 1,000 rows", lambda s: _append(s, 1000)),
    ("update", "Update every 10th row", _update),
    ("clear", "Clear", lambda s: replace(s, rows=(), selected=None)),
    ("swaprows", "Swap Rows", _swap),
)


@template
def row_markup(
    row_id: str, label: str, row_class: str | None, on_select: Handler, on_remove: Handler
) -> Element:
    """The markup of one ``tr`` (spec section 1), captured once; each row only supplies values."""
    return html.tr(
        html.td(row_id, class_="col-md-1"),
        html.td(html.a(label, class_="lbl", on_click=on_select), class_="col-md-4"),
        html.td(
            html.a(
                html.span(class_="glyphicon glyphicon-remove", aria_hidden="true"),
                class_="remove",
                on_click=on_remove,
            ),
            class_="col-md-1",
        ),
        html.td(class_="col-md-6"),
        class_=row_class,
    )


@component
def bench_row(*, item: BenchRow, selected: bool) -> Node:
    """One row; re-rendered only when its row data or its selected flag changes."""
    row_id = item.id

    def on_select() -> None:
        app.set_state(lambda s: s if s.selected == row_id else replace(s, selected=row_id))

    def on_remove() -> None:
        app.set_state(lambda s: _remove(s, row_id))

    return row_markup(str(row_id), item.label, "danger" if selected else None, on_select, on_remove)


BUTTON_SLOT = Style(padding=(3, 0))
"""The one style rule of the page: without a stylesheet the action buttons are 21 px tall and touch
each other; 3 px above and below each gives the 24 px target spacing of WCAG 2.2 SC 2.5.8 (axe's
``target-size``). It applies to the six buttons' wrappers only, never to the table rows."""


def _button(
    button_id: str, label: str, action: Callable[[BenchState], BenchState], *, disabled: bool = False
) -> Node:
    def on_click() -> None:
        app.set_state(action)

    return html.div(
        html.button(
            label,
            type="button",
            class_="btn btn-primary btn-block",
            id=button_id,
            disabled=disabled,
            on_click=on_click,
        ),
        class_="col-sm-6 smallpad",
        style=BUTTON_SLOT,
    )


BUTTONS = tuple(_button(*spec) for spec in ACTIONS)
WAITING_BUTTONS = tuple(_button(*spec, disabled=True) for spec in ACTIONS)


def _go_live() -> None:
    app.set_state(lambda s: replace(s, live=True))


def _row_key(row: BenchRow) -> int:
    return row.id


def _row(row: BenchRow, selected: bool) -> Node:
    return bench_row(item=row, selected=selected, key=row.id)  # keyed already: the hook keeps it as is


def view(state: BenchState) -> Node:
    """Render the page skeleton of spec section 1 with one keyed ``bench_row`` per row."""
    use_effect(_go_live, ())  # effects run in the live session only, never in a prerender
    buttons = BUTTONS if state.live else WAITING_BUTTONS
    # One memoized row per item: a render rebuilds only the rows whose data or selected flag
    # changed, and the patch visits only those (select: two rows of 1,000).
    rows = use_keyed_children(state.rows, key=_row_key, render=_row, selected=state.selected)
    return html.div(
        html.div(
            html.div(
                html.div(
                    html.div(html.h1("tempestweb keyed"), class_="col-md-6"),
                    html.div(html.div(*buttons, class_="row"), class_="col-md-6"),
                    class_="row",
                ),
                class_="jumbotron",
            ),
            html.table(
                html.tbody(rows, id="tbody"),
                class_="table table-hover table-striped test-data",
            ),
            html.span(class_="preloadicon glyphicon glyphicon-remove", aria_hidden="true"),
            class_="container",
        ),
        id="main",
    )


# theme=None: the benchmark rules (shared/specs/jsfb.md) ask for no stylesheet, for a paint cost
# comparable with the vanilla anchor.
app = App(view=view, state=BenchState, title="tempestweb keyed", theme=None)
