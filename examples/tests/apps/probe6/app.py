"""Test app of examples/tests/test_issue_14_probe6_*.py: components changed at runtime by state
(tabs added and removed, a dialog whose opener goes, table rows that shrink under the page),
menus with disabled items and type-ahead, toasts from async handlers and effects.

Run it with ``tempestweb run examples/tests/apps/probe6``.
"""

from __future__ import annotations

import asyncio
import datetime
from dataclasses import dataclass, replace

from tempest_core import (
    App,
    Button,
    Column,
    DatePicker,
    Dialog,
    FileUpload,
    Menu,
    MenuItem,
    Node,
    Progress,
    Row,
    Spinner,
    Tab,
    Table,
    TableColumn,
    TableSort,
    Tabs,
    Text,
    Tooltip,
    component,
    html,
    notify,
    use_effect,
)

__all__ = ["Probe6State", "app", "view"]

ROWS = tuple({"id": i, "name": f"Item {i:02d}", "size": (i * 7) % 23} for i in range(25))
BIG = tuple({"id": i, "name": f"Row {i:05d}", "size": (i * 7919) % 1000} for i in range(1000))
COLUMNS = (
    TableColumn(key="name", header="Name", sortable=True),
    TableColumn(key="size", header="Size", sortable=True, align="end", width=80),
)


@dataclass(frozen=True)
class Probe6State:
    """Everything the page shows."""

    tabs: tuple[str, ...] = ("alpha", "beta", "gamma", "delta")
    selected: str = "alpha"
    choice: str = ""
    dialog: bool = False
    opener_shown: bool = True
    rows: tuple[dict[str, object], ...] = ROWS
    page: int = 0
    picked: frozenset[object] = frozenset()
    sort: TableSort | None = None
    date: datetime.date | None = None
    effect_count: int = 0


def _set(**changes: object) -> None:
    app.set_state(lambda s: replace(s, **changes))


def _add_first() -> None:
    app.set_state(lambda s: replace(s, tabs=("zeta", *s.tabs)))


def _remove_selected() -> None:
    def change(s: Probe6State) -> Probe6State:
        rest = tuple(t for t in s.tabs if t != s.selected)
        return replace(s, tabs=rest, selected=rest[0])

    app.set_state(change)


async def _async_toast() -> None:
    await asyncio.sleep(0.05)
    notify("From an async handler", title="Async")


def _many() -> None:
    for i in range(30):
        notify(f"Toast {i}", tone="danger" if i % 2 else "info", duration_s=None)


@component
def effect_toaster(*, count: int) -> Node:
    """Notifies from an effect whenever ``count`` changes (not on mount)."""

    def run() -> None:
        if count:
            notify(f"From an effect {count}", tone="success")

    use_effect(run, (count,))
    return Text(f"effects={count}", id="effects")


def _open_dialog_removing_opener() -> None:
    _set(dialog=True, opener_shown=False)


def view(state: Probe6State) -> Node:
    """The test page."""
    tabs = [
        Tab(key=key, label=key.title(), content=Text(f"panel {key}"), disabled=key == "gamma")
        for key in state.tabs
    ]
    return Column(
        Tabs(
            tabs=tabs,
            selected=state.selected,
            id="tabs",
            label="Greek",
            on_change=lambda key: _set(selected=key),
        ),
        Row(
            Button("Add first tab", id="add-tab", on_click=_add_first),
            Button("Remove selected tab", id="remove-tab", on_click=_remove_selected),
        ),
        Menu(
            label="Fruit",
            id="fruit",
            items=[
                MenuItem(label="Apple", on_select=lambda: _set(choice="apple")),
                MenuItem(label="Banana", on_select=lambda: _set(choice="banana")),
                MenuItem(label="Blueberry", disabled=True),
                MenuItem(label="Cherry", on_select=lambda: _set(choice="cherry")),
            ],
        ),
        Text(f"choice={state.choice}", id="log"),
        Button("After menu", id="after-menu"),
        Tooltip(Button("Info", id="tip-button"), text="More about this", id="tip"),
        Button("Open dialog (opener goes)", id="opener", on_click=_open_dialog_removing_opener)
        if state.opener_shown
        else Text("opener gone", id="opener-gone"),
        Dialog(
            Text("Hello"),
            Button("Bring opener back", id="restore", on_click=lambda: _set(opener_shown=True)),
            open=state.dialog,
            title="Opener removed",
            id="dialog",
            on_close=lambda: _set(dialog=False),
        ),
        # After the dialog: nothing focusable between the opener and the dialog's content
        Button("Show the opener", id="show-opener", on_click=lambda: _set(opener_shown=True)),
        Table(
            state.rows,
            columns=COLUMNS,
            row_key="id",
            label="Items",
            page_size=10,
            page=state.page,
            on_page=lambda page: _set(page=page),
            selectable=True,
            selected=state.picked,
            on_select=lambda keys: _set(picked=keys),
            sort=state.sort,
            on_sort=lambda sort: _set(sort=sort),
            id="items",
        ),
        Row(
            Button("Shrink rows", id="shrink", on_click=lambda: _set(rows=ROWS[:3])),
            Button("No rows", id="empty", on_click=lambda: _set(rows=())),
            Button("All rows", id="grow", on_click=lambda: _set(rows=ROWS)),
        ),
        Table(BIG, columns=COLUMNS, row_key="id", label="Big", virtual=True, height=240, id="big"),
        Table((), columns=COLUMNS, label="Empty virtual", virtual=True, height=120, id="empty-virtual"),
        DatePicker(
            value=state.date,
            on_change=lambda d: _set(date=d),
            min=datetime.date(2026, 1, 1),
            max=datetime.date(2026, 12, 31),
            label="Due",
            id="due",
        ),
        Text(f"date={state.date}", id="date-log"),
        Button("Async toast", id="async-toast", on_click=_async_toast),
        Button("Effect toast", id="effect-toast", on_click=lambda: _set(effect_count=state.effect_count + 1)),
        Button("Many toasts", id="many-toasts", on_click=_many),
        effect_toaster(count=state.effect_count),
        Progress(value=0.3, label="Upload", id="progress"),
        Progress(label="Working", id="busy"),
        Spinner(label="Loading rows", id="spinner"),
        FileUpload(label="Attachments", id="upload"),
        html.p("end", id="end"),
    )


app = App(view=view, state=Probe6State())
