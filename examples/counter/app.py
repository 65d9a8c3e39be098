"""Counter: the smallest tempestweb app, built from semantic widgets (Column, Row, Button, Text) and Style.

It uses the default theme: Button variants and the design tokens (``var(--tw-...)``) for its
colours, so it is light or dark with the user's preference.

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


# Colours, spacing and radii come from the default theme's design tokens (tempest_core.theme), so
# the page follows the user's light or dark preference and keeps WCAG AA contrast in both.
PAGE_STYLE = Style(
    position="fixed",
    inset=0,
    overflow_y="auto",
    background=(
        "linear-gradient(135deg, color-mix(in srgb, var(--tw-color-primary) 12%, var(--tw-color-bg)) 0%, "
        "var(--tw-color-bg) 60%)"
    ),
)
CARD_STYLE = Style(
    min_width=300,
    padding=(36, 48, 28),
    box_sizing="border-box",
    background="var(--tw-color-surface)",
    border="1px solid var(--tw-color-border)",
    border_radius=24,
    box_shadow="var(--tw-shadow-lg)",
)
TITLE_STYLE = Style(
    margin=0,
    font_size="var(--tw-text-sm)",
    font_weight=600,
    letter_spacing=2,
    text_transform="uppercase",
    color="var(--tw-color-text-muted)",
)
COUNT_STYLE = Style(
    min_width=140,
    font_size=84,
    font_weight=700,
    line_height=1,
    letter_spacing=-2,
    text_align="center",
    color="var(--tw-color-text)",
    user_select="none",
)
NEGATIVE_COUNT_STYLE = COUNT_STYLE | Style(color="var(--tw-color-danger)")
ROUND_BUTTON_STYLE = Style(
    width=56,
    height=56,
    padding=0,
    border_radius="var(--tw-radius-full)",
    font_size=28,
    line_height=1,
    active=Style(transform="scale(0.94)"),
)


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
    """Render the counter: a card with a title, the count between the - and + buttons, and Reset."""
    return Column(
        Column(
            Text("Counter", as_="h1", style=TITLE_STYLE),
            Row(
                Button(
                    "-", on_click=decrement, id="decrement", aria_label="Decrement", style=ROUND_BUTTON_STYLE
                ),
                Text(
                    str(state.count),
                    id="count",
                    style=NEGATIVE_COUNT_STYLE if state.count < 0 else COUNT_STYLE,
                ),
                Button(
                    "+",
                    on_click=increment,
                    id="increment",
                    aria_label="Increment",
                    variant="primary",
                    style=ROUND_BUTTON_STYLE,
                ),
                gap=20,
                align="center",
            ),
            Button("Reset", on_click=reset, id="reset", variant="ghost"),
            gap=20,
            align="center",
            style=CARD_STYLE,
        ),
        align="center",
        justify="center",
        style=PAGE_STYLE,
    )


app = App(view=view, state=CounterState, title="Counter")
