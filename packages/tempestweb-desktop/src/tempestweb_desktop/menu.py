"""Native menus and the tray icon, declared in Python with a typed callback per item.

::

    from tempestweb_desktop import CheckItem, MenuItem, Predefined, Separator, Submenu, Tray, current_window

    MENU = (
        Submenu("File", (MenuItem("Save", on_click=save, accelerator="CmdOrCtrl+S"), Separator(),
                         Predefined("quit"))),
        Submenu("Edit", (Predefined("undo"), Predefined("redo"), Separator(), Predefined("copy"),
                         Predefined("paste"))),
        Submenu("View", (CheckItem("Dark mode", on_toggle=set_dark),)),
    )
    TRAY = Tray(tooltip="Todos", menu=(MenuItem("Show", on_click=lambda: current_window().show()),))

Callbacks run on the host loop (never on the UI thread), one at a time per click, with
:func:`~tempestweb_desktop.current_window` bound: a window menu's callbacks get their window, the
tray's get the main window. A callback may be ``async``; one that raises is logged. Change the
window's app state from a callback with ``current_window().set_state(fn)``.

Accelerators follow Tauri's syntax (``"CmdOrCtrl+S"``, ``"Alt+F4"``, ``"Shift+CmdOrCtrl+Z"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeAlias

__all__ = [
    "CheckItem",
    "MenuBar",
    "MenuEntry",
    "MenuItem",
    "Predefined",
    "PredefinedKind",
    "Separator",
    "Submenu",
    "Tray",
]

PredefinedKind = Literal[
    "copy", "cut", "paste", "select_all", "undo", "redo", "minimize", "maximize", "fullscreen",
    "hide", "close_window", "quit", "about",
]  # fmt: skip
"""OS-provided menu items (their text, shortcut and action come from the OS)."""


@dataclass(frozen=True, slots=True)
class MenuItem:
    """A menu item that calls ``on_click()`` when chosen (or its accelerator is pressed).

    Attributes:
        text: Label; ``&`` marks the mnemonic on Windows/Linux.
        on_click: Called with no arguments on the host loop; may be async.
        accelerator: Keyboard shortcut, e.g. ``"CmdOrCtrl+S"``.
        enabled: Whether the item can be chosen.

    """

    text: str
    on_click: Callable[[], object] | None = None
    accelerator: str | None = None
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class CheckItem:
    """A menu item with a check mark; ``on_toggle(checked)`` gets the new state.

    Attributes:
        text: Label.
        on_toggle: Called with the new checked state; may be async.
        checked: Initial state.
        accelerator: Keyboard shortcut.
        enabled: Whether the item can be chosen.

    """

    text: str
    on_toggle: Callable[[bool], object] | None = None
    checked: bool = False
    accelerator: str | None = None
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Separator:
    """A separator line."""


@dataclass(frozen=True, slots=True)
class Predefined:
    """An OS-provided item: Copy, Paste, Undo, Quit... (text and action from the OS).

    Attributes:
        kind: Which item.
        text: Override of the OS label.

    """

    kind: PredefinedKind
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Submenu:
    """A titled submenu (a top-level entry of a menu bar, or a nested menu).

    Attributes:
        text: Title.
        items: Its entries, in order.
        enabled: Whether it can be opened.

    """

    text: str
    items: tuple[MenuEntry, ...] = ()
    enabled: bool = True


MenuEntry: TypeAlias = MenuItem | CheckItem | Separator | Predefined | Submenu
"""Anything a menu may hold."""

MenuBar: TypeAlias = tuple[Submenu, ...]
"""A window's menu bar: its top-level submenus, left to right."""


@dataclass(frozen=True, slots=True)
class Tray:
    """The system tray (status area) icon.

    On Linux it needs ``libayatana-appindicator3`` (Debian ``libayatana-appindicator3-1``);
    without it the app starts anyway, without the icon, and logs one
    :class:`~tempestweb_desktop.errors.TrayUnavailableError` line.

    Attributes:
        tooltip: Hover text (not shown by every Linux desktop).
        menu: Entries of its menu.
        icon: A PNG file; default a plain square.
        title: Text shown beside the icon (macOS, some Linux desktops).
        on_click: Called when the icon itself is clicked (not on every Linux desktop).

    """

    tooltip: str | None = None
    menu: tuple[MenuEntry, ...] = field(default=())
    icon: Path | None = None
    title: str | None = None
    on_click: Callable[[], object] | None = None
