"""tempestweb desktop: the same tempestweb app in a native OS window, through PyTauri.

The app's sessions run in this process on the shared session host (``tempest_core.host``);
the unchanged JS client in the window talks to them over PyTauri IPC. No server, no port.
"""

from __future__ import annotations

from tempestweb_desktop._preflight import Diagnosis, diagnose, preflight
from tempestweb_desktop.app import Desktop, run
from tempestweb_desktop.config import PLUGINS, DesktopConfig
from tempestweb_desktop.errors import (
    AppLoadError,
    ConfigError,
    DesktopError,
    EvalError,
    EvalTimeoutError,
    NoDisplayError,
    PermissionDeniedError,
    PreflightError,
    TrayUnavailableError,
    UnsupportedPlatformError,
    WebViewMissingError,
    WindowClosedError,
)
from tempestweb_desktop.menu import (
    CheckItem,
    MenuBar,
    MenuEntry,
    MenuItem,
    Predefined,
    Separator,
    Submenu,
    Tray,
)
from tempestweb_desktop.window import JSON, WINDOW_MODES, Window, WindowMode, current_window

__all__ = [
    "JSON",
    "PLUGINS",
    "WINDOW_MODES",
    "AppLoadError",
    "CheckItem",
    "ConfigError",
    "Desktop",
    "DesktopConfig",
    "DesktopError",
    "Diagnosis",
    "EvalError",
    "EvalTimeoutError",
    "MenuBar",
    "MenuEntry",
    "MenuItem",
    "NoDisplayError",
    "PermissionDeniedError",
    "Predefined",
    "PreflightError",
    "Separator",
    "Submenu",
    "Tray",
    "TrayUnavailableError",
    "UnsupportedPlatformError",
    "WebViewMissingError",
    "Window",
    "WindowClosedError",
    "WindowMode",
    "current_window",
    "diagnose",
    "preflight",
    "run",
]


def __dir__() -> list[str]:
    return list(__all__)
