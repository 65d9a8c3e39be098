"""Test app of examples/tests/test_theme.py: every widget with a default look, and the colour scheme switch.

The page shows the buttons in every variant and state, the form controls with labels, the display
widgets (Card, Badge tones, Progress, Spinner, Icon) and a ``Select`` bound to
``app.set_color_scheme``; ``#scheme-now`` shows ``app.current_color_scheme``.

Run it with ``tempestweb run examples/tests/apps/theme``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from tempest_core import (
    App,
    Badge,
    Button,
    Card,
    Checkbox,
    Column,
    Divider,
    Form,
    Icon,
    Link,
    Node,
    Progress,
    RadioGroup,
    Row,
    Select,
    Slider,
    Spinner,
    Style,
    Switch,
    Text,
    TextArea,
    TextField,
    html,
)

__all__ = ["ThemeState", "app", "view"]


@dataclass(frozen=True, slots=True)
class ThemeState:
    """What the controls hold."""

    name: str = "Ada"
    notes: str = ""
    subscribed: bool = True
    alerts: bool = False
    size: str = "m"
    volume: float = 40
    colour: str = "blue"
    clicks: int = 0


def _set(**changes: Any) -> None:
    app.set_state(lambda s: replace(s, **changes))


def view(state: ThemeState) -> Node:
    """Render the widget sheet."""
    buttons = Row(
        Button("Save", variant="primary", id="btn-primary", on_click=lambda: _set(clicks=state.clicks + 1)),
        Button("Cancel", id="btn-secondary"),
        Button("More", variant="ghost", id="btn-ghost"),
        Button("Delete", variant="danger", id="btn-danger"),
        Button("Disabled", variant="primary", disabled=True, id="btn-disabled"),
        Button(Icon("check"), aria_label="Confirm", id="btn-icon"),
        gap=8,
        wrap=True,
        align="center",
    )
    form = Form(
        TextField(label="Name", name="name", value=state.name, on_input=lambda v: _set(name=v), id="name"),
        TextArea(label="Notes", name="notes", value=state.notes, on_input=lambda v: _set(notes=v)),
        Select(
            label="Colour",
            options=[("blue", "Blue"), ("green", "Green")],
            value=state.colour,
            on_change=lambda v: _set(colour=v),
        ),
        Slider(label="Volume", value=state.volume, min=0, max=100, on_input=lambda v: _set(volume=v)),
        Checkbox(label="Subscribe", checked=state.subscribed, on_change=lambda v: _set(subscribed=v)),
        Switch(label="Alerts", checked=state.alerts, on_change=lambda v: _set(alerts=v), id="alerts"),
        RadioGroup(
            label="Size",
            name="size",
            options=[("s", "Small"), ("m", "Medium"), ("l", "Large")],
            value=state.size,
            on_change=lambda v: _set(size=v),
        ),
        Button("Submit", variant="primary", type="submit", id="submit"),
    )
    return html.main(
        Column(
            Text("Theme sheet", as_="h1"),
            Row(
                Select(
                    label="Colour scheme",
                    options=[("system", "System"), ("light", "Light"), ("dark", "Dark")],
                    value=app.current_color_scheme,
                    on_change=app.set_color_scheme,  # type: ignore[arg-type]
                    id="scheme",
                ),
                Text(app.current_color_scheme, id="scheme-now"),
                gap=12,
                align="end",
            ),
            Card(
                buttons,
                Text(f"Saved {state.clicks} times", id="clicks"),
                header=Text("Buttons", as_="h2"),
                footer=Row(Button("Close", variant="ghost"), Button("Apply", variant="primary"), gap=8),
                id="card",
            ),
            Card(form, header=Text("Form", as_="h2")),
            Card(
                Row(
                    Badge("Neutral"),
                    Badge("New", tone="primary"),
                    Badge("Passed", tone="success"),
                    Badge("Pending", tone="warning"),
                    Badge("Failed", tone="danger"),
                    Badge("Info", tone="info"),
                    gap=8,
                    wrap=True,
                ),
                Progress(label="Upload", value=0.4, id="progress"),
                Progress(label="Indexing"),
                Spinner(label="Loading results", id="spinner"),
                Row(
                    Icon("bell", size=20),
                    Text(
                        "Text with a muted tone", id="muted", style=Style(color="var(--tw-color-text-muted)")
                    ),
                    gap=8,
                    align="center",
                ),
                Divider(),
                Link("Read the docs", href="https://example.org/docs", new_tab=True),
                header=Text("Display", as_="h2"),
            ),
            gap=24,
            style=Style(max_width=760, margin=(0, "auto"), padding=24),
        ),
    )


app = App(view=view, state=ThemeState, title="Theme sheet")
