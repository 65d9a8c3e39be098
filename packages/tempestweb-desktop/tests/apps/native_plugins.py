"""A desktop app whose ``tempestweb.native`` capabilities take the OS-native plugin path.

Plugins ``clipboard-manager`` (write and read granted), ``dialog`` and ``fs`` (nothing granted).
``#go`` runs, through the ``tempestweb.native`` capabilities a Mode B app would use:

1. ``clipboard.write`` then ``clipboard.read`` (the OS clipboard through the plugin), and a
   read of the same clipboard with the plugin's own command (``Window.invoke``);
2. ``file.save`` (the dialog and fs plugins are loaded: the OS save dialog, refused by the
   window's permissions before it opens).

``#out`` shows each outcome (``ok <value>`` or ``<ErrorClass> <code>``), separated by `` || ``.

With ``--grant-save`` the window also has ``dialog:allow-save`` and ``fs:allow-write-file``, and
``#save`` saves ``notes.txt`` (``hello``) through the OS save dialog, showing the result in ``#out``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace

from tempest_core import App, Node, html
from tempestweb.native import clipboard, file
from tempestweb.native.errors import NativeCallError
from tempestweb_desktop import current_window, run


@dataclass(frozen=True, slots=True)
class State:
    """The outcomes, once ``#go`` ran."""

    out: str = ""


async def _go() -> None:
    outcomes = []
    try:
        await clipboard.write("native from tempestweb")
        outcomes.append(f"ok {await clipboard.read()!r}")
    except NativeCallError as exc:
        outcomes.append(f"{type(exc).__name__} {exc.code}")
    outcomes.append(f"ok {await current_window().invoke('plugin:clipboard-manager|read_text', {})!r}")
    try:
        outcomes.append(f"ok {await file.save('notes.txt', b'hello')!r}")
    except NativeCallError as exc:
        outcomes.append(f"{type(exc).__name__} {exc.code} {exc}")
    app.set_state(lambda s: replace(s, out=" || ".join(outcomes)))


async def _save() -> None:
    try:
        outcome = f"ok {await file.save('notes.txt', b'hello', timeout_s=60)!r}"
    except NativeCallError as exc:
        outcome = f"{type(exc).__name__} {exc.code} {exc}"
    app.set_state(lambda s: replace(s, out=outcome))


def view(state: State) -> Node:
    return html.div(
        html.button("go", id="go", on_click=_go),
        html.button("save", id="save", on_click=_save),
        html.pre(state.out, id="out"),
    )


app = App(view=view, state=State, title="Native plugins")

if __name__ == "__main__":
    granted = ["clipboard-manager:allow-write-text", "clipboard-manager:allow-read-text"]
    if "--grant-save" in sys.argv[1:]:
        granted += ["dialog:allow-save", "fs:allow-write-file"]
    sys.exit(run(app, plugins=["clipboard-manager", "dialog", "fs"], permissions=granted))
