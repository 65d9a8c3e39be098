"""Test app of examples/tests/test_components_keyboard.py: a Dialog, Tabs, two Menus (the second
with labels sharing first letters, for type-ahead), a Tooltip and toasts, with the state each one
changes shown in ``#log`` so a browser test can read it.

Run it with ``tempestweb run examples/tests/apps/overlay``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tempest_core import (
    App,
    Button,
    Column,
    Dialog,
    Menu,
    MenuItem,
    Node,
    Row,
    Tab,
    Tabs,
    Text,
    TextField,
    Toaster,
    Tooltip,
    html,
    notify,
)

__all__ = ["OverlayState", "app", "view"]


@dataclass(frozen=True, slots=True)
class OverlayState:
    """What the widgets change: the dialog's open state, the selected tab, the last menu choice."""

    dialog_open: bool = False
    closes: int = 0
    tab: str = "one"
    choice: str = ""


def _open_dialog() -> None:
    app.set_state(lambda s: replace(s, dialog_open=True))


def _close_dialog() -> None:
    app.set_state(lambda s: replace(s, dialog_open=False, closes=s.closes + 1))


def _select_tab(key: str) -> None:
    app.set_state(lambda s: replace(s, tab=key))


def _choose(name: str) -> MenuItem:
    def on_select() -> None:
        app.set_state(lambda s: replace(s, choice=name))
        notify(f"Chose {name}", tone="success")

    return MenuItem(label=name.capitalize(), on_select=on_select)


def _pick(name: str) -> None:
    app.set_state(lambda s: replace(s, choice=name))


def view(state: OverlayState) -> Node:
    """The test page."""
    tabs = [
        Tab(key="one", label="One", content=Text("Panel one", id="panel-one-text")),
        Tab(key="two", label="Two", content=Text("Panel two", id="panel-two-text")),
        Tab(key="off", label="Off", disabled=True),
        Tab(key="three", label="Three", content=Button("In panel three", id="in-three")),
    ]
    return Column(
        Row(
            Button("Before", id="before"),
            Button("Open dialog", id="open-dialog", on_click=_open_dialog),
            Menu(
                label="Actions",
                id="actions",
                items=[
                    _choose("edit"),
                    _choose("copy"),
                    MenuItem(label="Locked", disabled=True),
                    _choose("delete"),
                ],
            ),
            Tooltip(Button("?", id="help", aria_label="Help"), text="Opens the user guide", id="help-tip"),
        ),
        Tabs(tabs=tabs, selected=state.tab, id="tabs", label="Sections", on_change=_select_tab),
        Button("After", id="after"),
        Menu(
            label="File",
            id="file",
            items=[
                MenuItem(label="Open", on_select=lambda: _pick("open")),
                MenuItem(label="Save", on_select=lambda: _pick("save")),
                MenuItem(label="Save as", on_select=lambda: _pick("save as")),
                MenuItem(label="Share", on_select=lambda: _pick("share")),
                MenuItem(label="Print", on_select=lambda: _pick("print")),
                MenuItem(label="Preview", on_select=lambda: _pick("preview")),
            ],
        ),
        Text(f"closes={state.closes} tab={state.tab} choice={state.choice}", id="log"),
        Dialog(
            TextField(label="Name", id="name"),
            Row(Button("Cancel", id="cancel", on_click=_close_dialog), Button("Save", id="save")),
            open=state.dialog_open,
            title="Edit profile",
            id="profile",
            on_close=_close_dialog,
        ),
        html.div(Toaster(), id="toasts"),
    )


app = App(view=view, state=OverlayState())
