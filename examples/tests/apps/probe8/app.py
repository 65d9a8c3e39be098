"""Test app of examples/tests/test_issue_14_a11y_probe8*.py: an AppShell whose drawer holds a
Dialog and a Menu, a Tooltip on a control at the right edge of the page, a Markdown code block
with a long line, an indeterminate Progress, an upload zone, and a virtual and an empty Table.

Run it with ``tempestweb run examples/tests/apps/probe8``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tempest_core import (
    App,
    AppShell,
    Button,
    Column,
    Dialog,
    FileUpload,
    Markdown,
    Menu,
    MenuItem,
    Node,
    Progress,
    Row,
    Table,
    TableColumn,
    Text,
    TextField,
    Tooltip,
    html,
)
from tempest_core.host import UploadedFile

__all__ = ["Probe8State", "app", "view"]

DOC = """Install everything:

```sh
pip install tempest-core tempestweb-server tempestweb-cli tempestweb-wasm
```
"""

ROWS = [{"id": i, "name": f"Row {i}", "value": (i * 7919) % 1000} for i in range(1, 501)]
COLUMNS = [
    TableColumn(key="id", header="ID", sortable=True, align="end", width=80),
    TableColumn(key="name", header="Name", sortable=True),
    TableColumn(key="value", header="Value", sortable=True, align="end", width=96),
]


@dataclass(frozen=True)
class Probe8State:
    """The drawer dialog's open state, the last menu choice and the files received."""

    dialog_open: bool = False
    closes: int = 0
    choice: str = ""
    uploads: int = 0


def _open_dialog(value: bool) -> None:
    app.set_state(lambda s: replace(s, dialog_open=value, closes=s.closes + (0 if value else 1)))


def _choose(choice: str) -> None:
    app.set_state(lambda s: replace(s, choice=choice))


def _uploaded(file: UploadedFile) -> None:
    del file
    app.set_state(lambda s: replace(s, uploads=s.uploads + 1))


def view(state: Probe8State) -> Node:
    """The test page."""
    nav = Column(
        html.a("Overview", href="#overview"),
        Button("Rename project", id="drawer-open-dialog", on_click=lambda: _open_dialog(True)),
        Menu(
            label="More",
            id="drawer-menu",
            items=[
                MenuItem(label="Archive", on_select=lambda: _choose("archive")),
                MenuItem(label="Export", on_select=lambda: _choose("export")),
            ],
        ),
        Dialog(
            TextField(label="Project name", id="project-name"),
            Button("Save", id="dialog-save", on_click=lambda: _open_dialog(False)),
            open=state.dialog_open,
            title="Rename project",
            id="drawer-dialog",
            on_close=lambda: _open_dialog(False),
        ),
        gap="var(--tw-space-2)",
    )
    return AppShell(
        html.h2("Overview", id="overview"),
        Text(f"closes={state.closes} choice={state.choice} uploads={state.uploads}", id="log"),
        Row(
            Text("Settings"),
            Tooltip(
                Button("?", id="help", aria_label="Help"),
                text="Opens the user guide in a new panel beside this page",
                id="help-tip",
            ),
            justify="space-between",
            align="center",
        ),
        Markdown(DOC, id="doc"),
        Progress(label="Importing", id="importing"),
        FileUpload(on_upload=_uploaded, label="Attachments", input_id="files", id="zone"),
        Table(
            ROWS,
            columns=COLUMNS,
            row_key="id",
            label="Rows",
            selectable=True,
            virtual=True,
            height=240,
            id="rows",
        ),
        Table([], columns=COLUMNS, row_key="id", label="Nothing", selectable=True, id="empty"),
        header=html.h1("Probe 8"),
        nav=nav,
        nav_label="Project",
    )


app = App(view=view, state=Probe8State(), title="Probe 8")
