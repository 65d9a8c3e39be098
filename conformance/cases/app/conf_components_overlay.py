"""Conformance cases of the overlay and navigation components (issue 14): Dialog, Tabs, Menu,
Tooltip and toasts, driven by keys and clicks so the client's behaviour layer (focus moves,
Escape) and the Python state it leads to are compared step by step in Mode A and Mode B."""

from __future__ import annotations

from collections.abc import Callable

from conf_lists import button

from tempest_core import (
    Dialog,
    Menu,
    MenuItem,
    Node,
    Tab,
    Tabs,
    Toaster,
    Tooltip,
    component,
    html,
    notify,
    use_state,
)

__all__ = ["CASES"]


@component
def overlay_dialog() -> Node:
    """A modal dialog opened by a button, closed by Escape, its close button and Cancel."""
    is_open, set_open = use_state(False)
    closes, set_closes = use_state(0)

    def close() -> None:
        set_open(False)
        set_closes(lambda n: n + 1)

    return html.div(
        button("open", "open", lambda: set_open(True)),
        html.p(f"closes {closes}", id="closes"),
        Dialog(
            html.input(id="dlg-name", aria_label="Name"),
            button("cancel", "dlg-cancel", close),
            open=is_open,
            title="Rename",
            id="dlg",
            on_close=close,
        ),
    )


@component
def overlay_tabs() -> Node:
    """Tabs with a disabled one, moved through by arrows, Home and End (automatic activation)."""
    selected, set_selected = use_state("a")
    tabs = [
        Tab(key="a", label="Alpha", content=html.p("alpha panel")),
        Tab(key="b", label="Beta", content=html.p("beta panel")),
        Tab(key="x", label="Off", disabled=True),
        Tab(key="c", label="Gamma", content=html.p("gamma panel")),
    ]
    return Tabs(tabs=tabs, selected=selected, id="ct", label="Greek", on_change=set_selected)


@component
def overlay_menu() -> Node:
    """A menu button: opened by click and ArrowUp, arrows and type-ahead move, Escape closes,
    Enter chooses."""
    chosen, set_chosen = use_state("")

    def item(name: str) -> MenuItem:
        return MenuItem(label=name, on_select=lambda: set_chosen(name))

    return html.div(
        Menu(label="File", items=[item("New"), item("Open"), item("Close")], id="cm"),
        html.p(f"chosen {chosen}", id="chosen"),
    )


@component
def overlay_toast_tooltip() -> Node:
    """Toasts stacked and closed (no timer: duration_s=None) and a tooltip Escape hides."""

    def info() -> None:
        notify("Saved", title="Done", duration_s=None)

    def danger() -> None:
        notify("Disk full", tone="danger", duration_s=None)

    return html.div(
        button("info", "info", info),
        button("danger", "danger", danger),
        Tooltip(html.button("?", id="tip-trigger", type="button"), text="Help text", id="tip"),
        Toaster(),
    )


CASES: dict[str, Callable[..., Node]] = {
    "overlay_dialog": overlay_dialog,
    "overlay_tabs": overlay_tabs,
    "overlay_menu": overlay_menu,
    "overlay_toast_tooltip": overlay_toast_tooltip,
}
