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


_FONT = ("Inter", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif")
_INK = "#0f172a"
_MUTED = "#64748b"
_ACCENT = "#6366f1"
_FOCUS_RING = Style(outline="3px solid rgba(99,102,241,0.45)", outline_offset=2)

PAGE_STYLE = Style(
    position="fixed",
    inset=0,
    overflow_y="auto",
    background="linear-gradient(135deg, #eef2ff 0%, #f8fafc 55%, #ecfeff 100%)",
    font_family=_FONT,
    color=_INK,
)
CARD_STYLE = Style(
    min_width=300,
    padding=(36, 48, 28),
    box_sizing="border-box",
    background="#ffffff",
    border_radius=24,
    box_shadow="0 1px 2px rgba(15,23,42,0.06), 0 20px 48px -12px rgba(15,23,42,0.18)",
)
TITLE_STYLE = Style(
    margin=0,
    font_size=13,
    font_weight=600,
    letter_spacing=2,
    text_transform="uppercase",
    color=_MUTED,
)
COUNT_STYLE = Style(
    min_width=140,
    font_size=84,
    font_weight=700,
    line_height=1,
    letter_spacing=-2,
    text_align="center",
    color=_INK,
    user_select="none",
)
NEGATIVE_COUNT_STYLE = COUNT_STYLE | Style(color="#e11d48")
_ROUND_BUTTON = Style(
    width=56,
    height=56,
    padding=0,
    border_radius="50%",
    font_family=_FONT,
    font_size=28,
    font_weight=500,
    line_height=1,
    cursor="pointer",
    transition="background-color 0.15s, border-color 0.15s, transform 0.08s",
    focus_visible=_FOCUS_RING,
)
STEP_BUTTON_STYLE = _ROUND_BUTTON | Style(
    border="1px solid #e2e8f0",
    background="#ffffff",
    color="#334155",
    hover=Style(background="#f1f5f9", border_color="#cbd5e1"),
    active=Style(background="#e2e8f0", transform="scale(0.94)"),
)
PRIMARY_BUTTON_STYLE = _ROUND_BUTTON | Style(
    border="1px solid transparent",
    background=_ACCENT,
    color="#ffffff",
    box_shadow="0 6px 16px -6px rgba(99,102,241,0.7)",
    hover=Style(background="#4f46e5"),
    active=Style(background="#4338ca", transform="scale(0.94)"),
)
RESET_BUTTON_STYLE = Style(
    padding=(6, 14),
    border="none",
    border_radius=8,
    background="transparent",
    font_family=_FONT,
    font_size=14,
    font_weight=500,
    color=_MUTED,
    cursor="pointer",
    transition="background-color 0.15s, color 0.15s",
    hover=Style(background="#f1f5f9", color="#334155"),
    active=Style(background="#e2e8f0"),
    focus_visible=_FOCUS_RING,
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
                    "-", on_click=decrement, id="decrement", aria_label="Decrement", style=STEP_BUTTON_STYLE
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
                    style=PRIMARY_BUTTON_STYLE,
                ),
                gap=20,
                align="center",
            ),
            Button("Reset", on_click=reset, id="reset", style=RESET_BUTTON_STYLE),
            gap=20,
            align="center",
            style=CARD_STYLE,
        ),
        align="center",
        justify="center",
        style=PAGE_STYLE,
    )


app = App(view=view, state=CounterState, title="Counter")
