"""A desktop app with a menu bar, a tray icon and a second window, for the window/menu/tray tests.

Run: ``python shell.py`` (needs a display). The page shows what the callbacks did:

- ``#saved``: File > Save clicks (accelerator ``CmdOrCtrl+S``);
- ``#dark``: View > Dark mode's checked state;
- ``#tray``: clicks on the tray menu's "Ping" item;
- ``#label``: the window's label; ``#open``: opens window ``second`` (default mode: ``multi``);
  ``#open-new``: opens window ``third`` in ``new`` mode; ``#replace``: ``single`` mode, the
  window's content is replaced by a new session; ``#close-main``: closes the main window;
  ``#emit``: asks the page to emit ``tw-test`` to this window, whose Python listener records
  the payload in ``#heard``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import Any

from tempest_core import App, Node, html
from tempestweb_desktop import (
    CheckItem,
    Desktop,
    MenuItem,
    Predefined,
    Separator,
    Submenu,
    Tray,
    current_window,
    run,
)


@dataclass(frozen=True, slots=True)
class State:
    """What the page shows."""

    saved: int = 0
    dark: bool = False
    tray: int = 0
    heard: str = ""
    label: str = ""


DESKTOP: list[Desktop] = []


def _save() -> None:
    current_window().set_state(lambda s: replace(s, saved=s.saved + 1))


def _dark(checked: bool) -> None:
    current_window().set_state(lambda s: replace(s, dark=checked))


def _ping() -> None:
    current_window().set_state(lambda s: replace(s, tray=s.tray + 1))


def _open_second() -> None:
    DESKTOP[0].open_window("second", title="Second")


def _open_third() -> None:
    DESKTOP[0].open_window("third", title="Third", mode="new")


def _replace() -> None:
    DESKTOP[0].open_window(current_window().label, title="Replaced", mode="single")


def _close_main() -> None:
    DESKTOP[0].windows["main"].close()


async def _listen() -> None:
    window = current_window()

    def heard(payload: Any) -> None:
        window.set_state(lambda s: replace(s, heard=repr(payload)))

    window.on("tw-test", heard)
    await window.eval_js(
        "window.__TAURI__.event.emitTo("
        "window.__TAURI__.webviewWindow.getCurrentWebviewWindow().label, 'tw-test', {n: 7})"
    )


def _whoami() -> None:
    label = current_window().label
    app.set_state(lambda s: replace(s, label=label))


def view(state: State) -> Node:
    return html.div(
        html.p(str(state.saved), id="saved"),
        html.p("on" if state.dark else "off", id="dark"),
        html.p(str(state.tray), id="tray"),
        html.p(state.heard, id="heard"),
        html.p(state.label, id="label"),
        html.button("open", id="open", on_click=_open_second),
        html.button("open new", id="open-new", on_click=_open_third),
        html.button("replace", id="replace", on_click=_replace),
        html.button("close main", id="close-main", on_click=_close_main),
        html.button("emit", id="emit", on_click=_listen),
        html.button("whoami", id="whoami", on_click=_whoami),
    )


app = App(view=view, state=State, title="Shell")

MENU = (
    Submenu(
        "File", (MenuItem("Save", on_click=_save, accelerator="CmdOrCtrl+S"), Separator(), Predefined("quit"))
    ),
    Submenu("Edit", (Predefined("copy"), Predefined("paste"))),
    Submenu("View", (CheckItem("Dark mode", on_toggle=_dark),)),
)
TRAY = Tray(tooltip="Shell", menu=(MenuItem("Ping", on_click=_ping),))


def main() -> int:
    """Run the app with its menu and tray."""
    return run(app, menu=MENU, tray=TRAY, on_start=DESKTOP.append)


if __name__ == "__main__":
    sys.exit(main())
