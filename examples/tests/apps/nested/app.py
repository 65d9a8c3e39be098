"""Test app of examples/tests/test_a11y_probe2.py: a Menu, a Tooltip, Tabs and a Dialog inside a
Dialog, so Escape must close only the overlay on top (the APG menu button and dialog patterns)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from tempest_core import App, Button, Column, Dialog, Menu, MenuItem, Node, Tab, Tabs, Text, Tooltip

__all__ = ["NestedState", "app", "view"]


@dataclass(frozen=True)
class NestedState:
    outer: bool = False
    inner: bool = False
    tab: str = "a"
    log: str = ""


def _update(**changes: object) -> None:
    app.set_state(lambda s: replace(s, **changes))


def _closed(which: str) -> None:
    app.set_state(lambda s: replace(s, **{which: False}, log=f"{s.log} {which}-closed".strip()))


def view(s: NestedState) -> Node:
    return Column(
        Button("Open", id="opener", on_click=lambda: _update(outer=True)),
        Text(s.log, id="log"),
        Dialog(
            Menu(
                label="Actions",
                id="m",
                items=[
                    MenuItem(label="One", on_select=lambda: _update(log="one")),
                    MenuItem(label="Two", on_select=lambda: _update(log="two")),
                ],
            ),
            Tooltip(Button("?", id="help", aria_label="Help"), text="Helpful", id="tip"),
            Tabs(
                tabs=[
                    Tab(key="a", label="A", content=Text("aa")),
                    Tab(key="b", label="B", content=Text("bb")),
                ],
                selected=s.tab,
                id="t",
                label="Sections",
                on_change=lambda key: _update(tab=key),
            ),
            Button("More", id="open-inner", on_click=lambda: _update(inner=True)),
            Dialog(
                Button("Fine", id="fine", on_click=lambda: _closed("inner")),
                open=s.inner,
                title="Inner",
                id="inner",
                on_close=lambda: _closed("inner"),
            ),
            open=s.outer,
            title="Outer",
            id="outer",
            on_close=lambda: _closed("outer"),
        ),
    )


app = App(view=view, state=NestedState())
