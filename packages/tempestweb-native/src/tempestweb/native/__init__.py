"""tempestweb.native: the browser's capabilities as typed Python awaitables, the same in every mode.

::

    from tempestweb.native import http, audio, share, geolocation, clipboard, storage, camera, onnx
    from tempestweb.native import file, install, notification

    pos = await geolocation.get()          # Position(lat=..., lon=...)
    result = await share(title="...", url="...")   # ShareResult
    await notification.show("Saved", body="3 files")   # once request_permission() is "granted"

Each capability is a module of typed functions (``share`` is a function); each call runs the
capability's JS module (``client/native/<name>.js``) in the page: through ``pyodide.ffi`` in
Mode A, as a ``native_call`` frame in Mode B, in a webview on the desktop. Results are validated
before your code sees them; every failure is a typed :class:`~tempestweb.native.errors.NativeCallError`
from the contract's one hierarchy. Tests use :mod:`tempestweb.native.testing`; plugins use
:mod:`tempestweb.native.plugins`.

Layout: ``tempestweb`` is a PEP 420 namespace package (this distribution ships no
``tempestweb/__init__.py``), so ``tempestweb.native`` and other ``tempestweb.*`` distributions
install side by side.
"""

from __future__ import annotations

from tempestweb.native import (
    audio,
    camera,
    clipboard,
    errors,
    file,
    geolocation,
    http,
    install,
    notification,
    onnx,
    plugins,
    storage,
)
from tempestweb.native._share import ShareResult, share
from tempestweb.native.errors import (
    AbortedError,
    InsecureContextError,
    InvalidArgumentError,
    MalformedResultError,
    NativeCallError,
    NativeNetworkError,
    NativeNotFoundError,
    NativeTimeoutError,
    NoSessionError,
    NotSupportedError,
    PermissionDeniedError,
    QuotaExceededError,
    SessionClosedError,
    UnknownNativeError,
)

__all__ = [
    "AbortedError",
    "InsecureContextError",
    "InvalidArgumentError",
    "MalformedResultError",
    "NativeCallError",
    "NativeNetworkError",
    "NativeNotFoundError",
    "NativeTimeoutError",
    "NoSessionError",
    "NotSupportedError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "SessionClosedError",
    "ShareResult",
    "UnknownNativeError",
    "audio",
    "camera",
    "clipboard",
    "errors",
    "file",
    "geolocation",
    "http",
    "install",
    "notification",
    "onnx",
    "plugins",
    "share",
    "storage",
]


def __dir__() -> list[str]:
    return list(__all__)
