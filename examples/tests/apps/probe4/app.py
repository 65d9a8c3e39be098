"""Test app of examples/tests/test_issue_14_probe4_components.py: a Dialog whose last element is
a Menu (so Tab from a menu item must wrap inside the dialog), and a Form whose fields are already
described (a hint, a Tooltip) when a validation error comes.

Run it with ``tempestweb run examples/tests/apps/probe4``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tempest_core import (
    App,
    Button,
    Column,
    Dialog,
    Form,
    Menu,
    MenuItem,
    Node,
    SubmitEvent,
    Text,
    Tooltip,
    html,
)

__all__ = ["Probe4State", "app", "view"]


@dataclass(frozen=True)
class Probe4State:
    """The dialog's open state, the last menu choice and the form's errors."""

    open: bool = False
    choice: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def _open(value: bool) -> None:
    app.set_state(lambda s: replace(s, open=value))


def _choose(choice: str) -> None:
    app.set_state(lambda s: replace(s, choice=choice))


def _submit(event: SubmitEvent) -> None:
    errors = {name: "Required" for name in ("email", "code") if not event.fields.get(name)}
    app.set_state(lambda s: replace(s, errors=errors))


def view(state: Probe4State) -> Node:
    """The test page."""
    return Column(
        Button("Open", id="open", on_click=lambda: _open(True)),
        Text(f"choice={state.choice}", id="log"),
        Dialog(
            Button("First", id="first"),
            Menu(
                label="Pick",
                id="pick",
                items=[
                    MenuItem(label="One", on_select=lambda: _choose("one")),
                    MenuItem(label="Two", on_select=lambda: _choose("two")),
                ],
            ),
            open=state.open,
            title="Last is a menu",
            id="dialog",
            on_close=lambda: _open(False),
        ),
        Form(
            html.label("Email", html.input(name="email", id="email", aria_describedby="email-hint")),
            html.p("We never share it", id="email-hint"),
            Tooltip(html.input(name="code", id="code", aria_label="Code"), text="Six digits", id="code-tip"),
            html.button("Submit", type="submit", id="submit"),
            on_submit=_submit,
            errors=state.errors,
        ),
    )


app = App(view=view, state=Probe4State())
