"""Checks run before the native library loads: Python, OS, display, webview and tray libraries.

Without them a missing display or WebKitGTK ends in a Rust panic traceback
(``Failed to initialize gtk backend!``) and a missing tray library aborts the process. Each
check raises one typed, one-line :class:`~tempestweb_desktop.errors.PreflightError`;
:func:`diagnose` runs them all for ``tempestweb doctor``.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import socket
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tempestweb_desktop.constants import PYTHON_MAX, PYTHON_MIN, TRAY_LIBRARIES, WEBKIT_LIBRARY
from tempestweb_desktop.errors import (
    NoDisplayError,
    PreflightError,
    TrayUnavailableError,
    UnsupportedPlatformError,
    WebViewMissingError,
)

__all__ = [
    "Diagnosis",
    "check_display",
    "check_python",
    "check_tray",
    "check_webview",
    "diagnose",
    "preflight",
    "wayland_socket",
]

_LINUX_HINT = "Debian/Ubuntu: apt-get install libwebkit2gtk-4.1-0; Fedora: dnf install webkit2gtk4.1"
_TRAY_HINT = "Debian/Ubuntu: apt-get install libayatana-appindicator3-1"

WAYLAND_CONNECT_TIMEOUT_S = 2.0
"""Longest wait for the Wayland compositor to accept the preflight's connection, in seconds."""

LibraryLoader = Callable[[str], object]
"""Loads a shared library by name (``ctypes.CDLL``), raising ``OSError`` when it is missing."""


def _is_linux(platform: str) -> bool:
    return platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly"))


def check_python(version: tuple[int, int] | None = None, platform: str | None = None) -> None:
    """Check that ``pytauri-wheel`` has a build for this interpreter and OS.

    Args:
        version: ``(major, minor)``; default: the running interpreter.
        platform: ``sys.platform`` value; default: the running one.

    Raises:
        UnsupportedPlatformError: Python outside ``PYTHON_MIN``..``PYTHON_MAX`` or an OS
            without a webview build.

    """
    major_minor = version or (sys.version_info.major, sys.version_info.minor)
    name = platform or sys.platform
    if not PYTHON_MIN <= major_minor <= PYTHON_MAX:
        low, high = (".".join(map(str, v)) for v in (PYTHON_MIN, PYTHON_MAX))
        found = ".".join(map(str, major_minor))
        raise UnsupportedPlatformError(
            f"desktop mode needs CPython {low} to {high} (pytauri-wheel builds); this is {found}"
        )
    if not (_is_linux(name) or name in ("win32", "darwin")):
        raise UnsupportedPlatformError(f"desktop mode has no webview build for platform {name!r}")


def _x_display_opens(display: str) -> bool:
    try:
        xlib = ctypes.CDLL("libX11.so.6")
    except OSError:
        return True  # no Xlib to ask: let GTK try (a Wayland-only system)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    handle = xlib.XOpenDisplay(display.encode())
    if not handle:
        return False
    xlib.XCloseDisplay(handle)
    return True


def wayland_socket(env: Mapping[str, str], /) -> str | None:
    """Return the path of the Wayland socket ``WAYLAND_DISPLAY`` names, as libwayland finds it.

    Args:
        env: The environment.

    Returns:
        ``WAYLAND_DISPLAY`` itself when absolute, else joined to ``XDG_RUNTIME_DIR``; ``None``
        when ``WAYLAND_DISPLAY`` is unset, or relative without ``XDG_RUNTIME_DIR``.

    """
    name = env.get("WAYLAND_DISPLAY")
    if not name:
        return None
    if os.path.isabs(name):
        return name
    runtime = env.get("XDG_RUNTIME_DIR")
    return os.path.join(runtime, name) if runtime else None


def _wayland_socket_opens(path: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(WAYLAND_CONNECT_TIMEOUT_S)
        try:
            probe.connect(path)
        except OSError:
            return False
    return True


def check_display(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    *,
    opens: Callable[[str], bool] = _x_display_opens,
    wayland_opens: Callable[[str], bool] | None = None,
) -> None:
    """Check that a window can be shown (Linux: a reachable X display or a Wayland socket).

    GTK tries Wayland first, then X (``GDK_BACKEND`` may allow only one): the check passes when
    a display GTK may use accepts a connection.

    Args:
        env: Environment; default ``os.environ``.
        platform: ``sys.platform`` value; default: the running one.
        opens: Tells whether an X display accepts a connection (``XOpenDisplay``).
        wayland_opens: Tells whether the Wayland socket at a path accepts a connection;
            ``None`` trusts a set ``WAYLAND_DISPLAY`` (:func:`preflight` and :func:`diagnose`
            connect).

    Raises:
        NoDisplayError: Neither ``DISPLAY`` nor ``WAYLAND_DISPLAY`` is set, or neither display
            accepts connections.

    """
    environ = os.environ if env is None else env
    if not _is_linux(platform or sys.platform):
        return
    wayland = environ.get("WAYLAND_DISPLAY")
    display = environ.get("DISPLAY")
    if not wayland and not display:
        raise NoDisplayError(
            "no display: DISPLAY and WAYLAND_DISPLAY are unset (run under a desktop session, or "
            "Xvfb for tests: xvfb-run tempestweb run app.py --mode desktop)"
        )
    backends = {name.strip() for name in environ.get("GDK_BACKEND", "").split(",") if name.strip()}
    failures: list[str] = []
    if wayland and (not backends or backends & {"*", "wayland"}):
        if wayland_opens is None or environ.get("WAYLAND_SOCKET"):
            return  # trusted, or a socket handed over as a file descriptor
        path = wayland_socket(environ)
        if path is not None and wayland_opens(path):
            return
        where = f"no socket at {path}" if path is not None else "XDG_RUNTIME_DIR is unset"
        failures.append(f"cannot connect to Wayland display {wayland!r} ({where})")
    if display and (not backends or backends & {"*", "x11"}):
        if opens(display):
            return
        failures.append(f"cannot connect to X display {display!r}")
    if not failures:
        backend = environ.get("GDK_BACKEND")
        raise NoDisplayError(f"no display: GDK_BACKEND={backend!r} allows no display that is set")
    raise NoDisplayError("no display: " + "; ".join(failures))


def _check_display_connecting() -> None:
    check_display(wayland_opens=_wayland_socket_opens)


def check_webview(platform: str | None = None, *, load: LibraryLoader = ctypes.CDLL) -> None:
    """Check that the OS webview and the ``pytauri-wheel`` native module are installed.

    Args:
        platform: ``sys.platform`` value; default: the running one.
        load: Shared library loader (tests pass a fake).

    Raises:
        WebViewMissingError: WebKitGTK 4.1 is missing (Linux), or ``pytauri-wheel`` is not
            installed.

    """
    if _is_linux(platform or sys.platform):
        try:
            load(WEBKIT_LIBRARY)
        except OSError:
            raise WebViewMissingError(f"WebKitGTK 4.1 ({WEBKIT_LIBRARY}) not found; {_LINUX_HINT}") from None
    if importlib.util.find_spec("pytauri_wheel") is None:
        raise WebViewMissingError("pytauri-wheel is not installed: pip install tempestweb-desktop")


def check_tray(platform: str | None = None, *, load: LibraryLoader = ctypes.CDLL) -> None:
    """Check that a tray icon can be created without aborting the process.

    Args:
        platform: ``sys.platform`` value; default: the running one.
        load: Shared library loader (tests pass a fake).

    Raises:
        TrayUnavailableError: Linux without ``libayatana-appindicator3`` (or the older
            ``libappindicator3``).

    """
    if not _is_linux(platform or sys.platform):
        return
    for name in TRAY_LIBRARIES:
        try:
            load(name)
        except OSError:
            continue
        return
    raise TrayUnavailableError(f"tray icon unavailable: {TRAY_LIBRARIES[0]} not found; {_TRAY_HINT}")


def preflight() -> None:
    """Run the checks a window needs (Python/OS, webview, display), in that order.

    Raises:
        PreflightError: The first failing check's error.

    """
    check_python()
    check_webview()
    _check_display_connecting()


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """One line of ``tempestweb doctor``: a check's name, whether it passed, and why not.

    Attributes:
        name: What was checked (``python``, ``webview``, ``display``, ``tray``).
        ok: Whether it passed.
        detail: The failure message, or what was found.
        required: Whether the desktop mode cannot run without it (``tray`` is optional).

    """

    name: str
    ok: bool
    detail: str
    required: bool = True


def diagnose() -> list[Diagnosis]:
    """Run every check and report each, never raising.

    Returns:
        One :class:`Diagnosis` per check: python, webview, display, tray.

    """
    results: list[Diagnosis] = []
    checks: list[tuple[str, Callable[[], None], str, bool]] = [
        ("python", check_python, f"CPython {sys.version_info.major}.{sys.version_info.minor}", True),
        ("webview", check_webview, "WebKitGTK 4.1 and pytauri-wheel found", True),
        ("display", _check_display_connecting, "display reachable", True),
        ("tray", check_tray, "tray library found", False),
    ]
    for name, check, found, required in checks:
        try:
            check()
        except PreflightError as exc:
            results.append(Diagnosis(name, False, exc.message, required))
        else:
            results.append(Diagnosis(name, True, found, required))
    return results
