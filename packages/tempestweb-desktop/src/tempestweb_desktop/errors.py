"""The desktop host's error hierarchy; each class has a stable ``code``.

Environment problems (:class:`PreflightError`) are found before the native library is loaded,
so a missing display, webview library or tray library is one line and a non-zero exit, never a
Rust panic.
"""

from __future__ import annotations

from typing import ClassVar

from tempestweb_contract.project import ProjectConfigError

__all__ = [
    "AppLoadError",
    "ConfigError",
    "DesktopError",
    "EvalError",
    "EvalTimeoutError",
    "NoDisplayError",
    "PermissionDeniedError",
    "PreflightError",
    "TrayUnavailableError",
    "UnsupportedPlatformError",
    "WebViewMissingError",
    "WindowClosedError",
]


class DesktopError(Exception):
    """Base of every desktop host error.

    Attributes:
        code: Stable machine-readable code.
        message: One-line description, also ``str(error)``.

    """

    code: ClassVar[str] = "desktop_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PreflightError(DesktopError):
    """The machine cannot open a desktop window (found before loading the native library)."""

    code = "preflight"


class UnsupportedPlatformError(PreflightError):
    """No ``pytauri-wheel`` build exists for this Python version or operating system."""

    code = "unsupported_platform"


class NoDisplayError(PreflightError):
    """No graphical display to open a window on (Linux: ``DISPLAY``/``WAYLAND_DISPLAY``)."""

    code = "no_display"


class WebViewMissingError(PreflightError):
    """The OS webview library is missing (Linux: WebKitGTK 4.1) or the native module fails."""

    code = "webview_missing"


class TrayUnavailableError(PreflightError):
    """A tray icon was asked for but the tray library is missing; the app runs without it."""

    code = "tray_unavailable"


class AppLoadError(DesktopError):
    """The app file cannot be imported or has no ``tempest_core.App``."""

    code = "app_load"


class ConfigError(DesktopError, ProjectConfigError):
    """An invalid desktop option (``[desktop]`` in ``tempestweb.toml`` or a keyword argument).

    A ``tempestweb_contract.project.ProjectConfigError``, as every mode's config error is.
    """

    code = "config"


class WindowClosedError(DesktopError):
    """The window was closed (or its page reloaded) before it answered."""

    code = "window_closed"


class EvalError(DesktopError):
    """Script given to ``Window.eval_js`` threw, or its value is not JSON.

    Attributes:
        name: The JS error's ``name`` (``TypeError``...), or ``"SerializationError"``.

    """

    code = "eval_error"

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


class EvalTimeoutError(DesktopError):
    """The page did not answer an ``eval_js`` request in time."""

    code = "timeout"


class PermissionDeniedError(DesktopError):
    """A plugin command was refused: its permission is not granted in ``[desktop] permissions``."""

    code = "permission_denied"
