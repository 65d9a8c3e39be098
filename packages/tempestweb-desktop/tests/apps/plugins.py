"""A desktop app with the clipboard plugin and one permission: write granted, read denied.

``#go`` calls three commands from the page through ``Window.invoke`` and shows each outcome in
``#out`` (``ok <value>`` or ``<ErrorClass> <message>``), separated by `` || ``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace

from tempest_core import App, Node, html
from tempestweb_desktop import JSON, DesktopError, current_window, run

COMMANDS: tuple[tuple[str, dict[str, JSON]], ...] = (
    ("plugin:clipboard-manager|write_text", {"text": "from tempestweb"}),  # granted
    ("plugin:clipboard-manager|read_text", {}),  # plugin loaded, permission not granted
    ("plugin:notification|is_permission_granted", {}),  # plugin not loaded at all
)


@dataclass(frozen=True, slots=True)
class State:
    """The outcomes, once ``#go`` ran."""

    out: str = ""


async def _go() -> None:
    window = current_window()
    outcomes = []
    for command, args in COMMANDS:
        try:
            outcomes.append(f"ok {await window.invoke(command, args)!r}")
        except DesktopError as exc:
            outcomes.append(f"{type(exc).__name__} {exc}")
    app.set_state(lambda s: replace(s, out=" || ".join(outcomes)))


def view(state: State) -> Node:
    return html.div(html.button("go", id="go", on_click=_go), html.pre(state.out, id="out"))


app = App(view=view, state=State, title="Plugins")

if __name__ == "__main__":
    sys.exit(run(app, plugins=["clipboard-manager"], permissions=["clipboard-manager:allow-write-text"]))
