"""Counter: the smallest tempestweb app, built from semantic widgets (Column, Row, Button, Text) and Style.

Run it with ``tempestweb run examples/counter``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tempest_core import App, Button, Column, Row, Style, Text

if TYPE_CHECKING:
    from tempest_core import Node

__all__ = ["CounterState", "app", "view"]


@dataclass(frozen=True, slots=True)
class CounterState:
    """The whole state: the current count."""

    count: int = 0


TITLE_STYLE = Style(font_size=28, font_weight=600, margin=0)
COUNT_STYLE = Style(font_size=48, font_weight=700, min_width=96, text_align="center")
BUTTON_STYLE = Style(font_size=18, padding=(6, 16), border_radius=6)


def increment() -> None:
    """Add one to the count."""
    app.set_state(lambda s: replace(s, count=s.count + 1))


def decrement() -> None:
    """Subtract one from the count (it may go negative)."""
    app.set_state(lambda s: replace(s, count=s.count - 1))


def reset() -> None:
    """Set the count back to zero."""
    app.set_state(lambda s: replace(s, count=0))


def view(state: CounterState) -> Node:
    """Render the counter: a title, the count and the -, + and Reset buttons."""
    return Column(
        Text("Counter", as_="h1", style=TITLE_STYLE),
        Text(str(state.count), id="count", style=COUNT_STYLE),
        Row(
            Button("-", on_click=decrement, id="decrement", aria_label="Decrement", style=BUTTON_STYLE),
            Button("+", on_click=increment, id="increment", aria_label="Increment", style=BUTTON_STYLE),
            Button("Reset", on_click=reset, id="reset", style=BUTTON_STYLE),
            gap=8,
        ),
        gap=16,
        align="center",
        style=Style(padding=32),
    )


app = App(view=view, state=CounterState, title="Counter")
