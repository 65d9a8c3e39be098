"""Conformance cases of the display widgets and the theme (issue 14): Card slots, Badge tones,
Progress (determinate and indeterminate), Spinner, Lucide Icons switched by name and label, and
the colour scheme switch read back through ``use_color_scheme``, compared step by step in Mode A
and Mode B."""

from __future__ import annotations

from typing import Literal

from conf_lists import button

from tempest_core import (
    Badge,
    Button,
    Card,
    Icon,
    Node,
    Progress,
    Spinner,
    Text,
    TextField,
    component,
    html,
    use_color_scheme,
    use_state,
)

__all__ = ["CASES"]

Tone = Literal["neutral", "primary", "success", "warning", "danger", "info"]
TONES: tuple[Tone, ...] = ("neutral", "primary", "success", "warning", "danger", "info")
PROGRESS: tuple[float | None, ...] = (0.0, 0.5, 1.0, None)
ICONS: tuple[tuple[str, str | None], ...] = (("check", None), ("x", "Close"), ("bell", "Alerts"))


@component
def display_widgets() -> Node:
    """A Card whose body cycles a Badge tone, a Progress value, a Spinner label and an Icon."""
    tone, set_tone = use_state(0)
    step, set_step = use_state(0)
    shown, set_shown = use_state(False)
    icon, set_icon = use_state(0)
    name, label = ICONS[icon % len(ICONS)]
    return Card(
        Badge(TONES[tone % len(TONES)].title(), tone=TONES[tone % len(TONES)], id="badge"),
        Progress(label="Upload", value=PROGRESS[step % len(PROGRESS)], id="bar"),
        Spinner(label="Loading", show_label=shown, id="spin"),
        Icon(name, label=label, size=20, id="icon"),
        header=Text("Display", as_="h2"),
        footer=html.div(
            button("tone", "tone", lambda: set_tone(tone + 1)),
            button("progress", "progress", lambda: set_step(step + 1)),
            button("spin", "spin", lambda: set_shown(not shown)),
            button("icon", "icon", lambda: set_icon(icon + 1)),
        ),
        id="card",
    )


@component
def theme_scheme() -> Node:
    """The colour scheme switch: buttons set it, ``use_color_scheme`` reads it back."""
    scheme, set_scheme = use_color_scheme()
    return html.div(
        Text(scheme, id="scheme"),
        Button("Dark", variant="primary", id="dark", on_click=lambda: set_scheme("dark")),
        Button("Light", variant="ghost", id="light", on_click=lambda: set_scheme("light")),
        Button("System", variant="danger", id="system", on_click=lambda: set_scheme("system")),
        TextField(label="Name", id="name"),
    )


CASES = {"display_widgets": display_widgets, "theme_scheme": theme_scheme}
