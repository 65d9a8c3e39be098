"""Test app of the default Toaster (examples/tests/test_components_keyboard.py): ``notify()`` from
a view that places no ``Toaster``, on the page and from inside a modal Dialog.

Run it with ``tempestweb run examples/tests/apps/toasts``.
"""

from __future__ import annotations

from tempest_core import App, Button, Column, Dialog, Node, notify

__all__ = ["app", "view"]


def _open() -> None:
    app.set_state(lambda _: True)


def _close() -> None:
    app.set_state(lambda _: False)


def view(dialog_open: bool) -> Node:
    """A page with two buttons that notify and a dialog with a third; no Toaster anywhere."""
    return Column(
        Button("Save", id="save", on_click=lambda: notify("Saved", title="Done", duration_s=None)),
        Button("Open dialog", id="open-dialog", on_click=_open),
        Dialog(
            Button(
                "Fail",
                id="fail",
                on_click=lambda: notify("Could not send", tone="danger", duration_s=None),
            ),
            open=dialog_open,
            title="Send",
            id="send",
            on_close=_close,
        ),
        id="page",
    )


app = App(view=view, state=False)
