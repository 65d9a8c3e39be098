"""Every name, limit and timing of the desktop host, with units in the names."""

from __future__ import annotations

from typing import Final

from tempestweb_contract.names import (
    CLIENT_PATH,
    ENDPOINT_PREFIX,
    IPC_ANSWER_PATH,
    IPC_CONNECT_PATH,
    IPC_SEND_PATH,
)

__all__ = [
    "ANSWER_COMMAND",
    "CLIENT_PREFIX",
    "CONNECT_COMMAND",
    "DEFAULT_WINDOW_SIZE",
    "ENDPOINT",
    "EVAL_TIMEOUT_S",
    "IDENTIFIER",
    "MAIN_WINDOW",
    "MAX_PENDING_EVALS",
    "MAX_UNREAD_BYTES",
    "MAX_WINDOWS",
    "PYTHON_MAX",
    "PRERENDER_TIMEOUT_S",
    "PYTHON_MIN",
    "SEND_COMMAND",
    "TRANSPORT",
    "TRAY_LIBRARIES",
    "WEBKIT_LIBRARY",
]

ENDPOINT: Final = ENDPOINT_PREFIX
"""Prefix of the IPC commands and of the client's files (the contract's endpoint prefix); the
JS client's ``IpcTransport`` appends ``IPC_CONNECT_PATH`` and ``IPC_SEND_PATH`` to its ``endpoint``."""

TRANSPORT: Final = "ipc"
"""``data-tw-transport`` value of a desktop window (the JS client's ``IpcTransport``)."""

CONNECT_COMMAND: Final = ENDPOINT + IPC_CONNECT_PATH
"""``pyInvoke`` command opening a connection: body ``{channel}``, answer ``{connection}``."""

SEND_COMMAND: Final = ENDPOINT + IPC_SEND_PATH
"""``pyInvoke`` command carrying client frames: ``connection\\nreceived_bytes[\\nframe]*``."""

ANSWER_COMMAND: Final = ENDPOINT + IPC_ANSWER_PATH
"""``pyInvoke`` command carrying the page's answer to an ``eval_js`` request."""

CLIENT_PREFIX: Final = f"{ENDPOINT}{CLIENT_PATH}/"
"""URL path under which the window loads the JS client's modules."""

MAX_UNREAD_BYTES: Final = 8 * 1024 * 1024
"""Most frame bytes sent to a window that its client has not yet reported as received; one more
frame ends the connection with ``queue_overflow`` (the client resumes on a new one), in bytes.
One frame is always accepted when nothing is unread, however large."""

PRERENDER_TIMEOUT_S: Final = 2.0
"""Longest a page request waits for its prerendered first view (a new session's view rendered
on the host loop), in seconds; past it the page is the plain shell and the view comes over IPC."""

EVAL_TIMEOUT_S: Final = 10.0
"""Default time ``Window.eval_js`` waits for the page's answer, in seconds."""

MAX_PENDING_EVALS: Final = 256
"""Most ``eval_js`` requests one window may have waiting for an answer."""

MAX_WINDOWS: Final = 64
"""Most windows one desktop app may have open at once."""

MAIN_WINDOW: Final = "main"
"""Label of the window opened at start."""

DEFAULT_WINDOW_SIZE: Final = (1024, 768)
"""Inner size of a new window in logical pixels (width, height)."""

IDENTIFIER: Final = "dev.tempestweb.desktop"
"""Default reverse-DNS application identifier (data directory names derive from it)."""

PYTHON_MIN: Final = (3, 11)
"""Oldest Python the desktop host supports (the workspace's floor; pytauri-wheel has 3.9+)."""

PYTHON_MAX: Final = (3, 13)
"""Newest Python with pytauri-wheel 0.8 wheels."""

WEBKIT_LIBRARY: Final = "libwebkit2gtk-4.1.so.0"
"""WebKitGTK shared library the Linux webview needs (Debian ``libwebkit2gtk-4.1-0``)."""

TRAY_LIBRARIES: Final = ("libayatana-appindicator3.so.1", "libappindicator3.so.1")
"""Shared libraries one of which a Linux tray icon needs (Debian ``libayatana-appindicator3-1``);
without one, creating a tray aborts the process, so the host checks first."""
