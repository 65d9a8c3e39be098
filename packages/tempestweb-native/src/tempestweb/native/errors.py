"""The errors of every capability call: the contract's one hierarchy, re-exported.

``tempestweb.native`` never defines its own error classes: each failure is the
:class:`~tempestweb_contract.native.NativeCallError` subclass of its stable code
(:data:`~tempestweb_contract.errors.NATIVE_ERROR_CODES`), the same class in every mode, so
``except PermissionDeniedError`` is a normal flow whether the call ran in Pyodide, over a
WebSocket or against the fake backend of :mod:`tempestweb.native.testing`.
"""

from __future__ import annotations

from tempestweb_contract.native import (
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
    native_error,
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
    "UnknownNativeError",
    "native_error",
]


def __dir__() -> list[str]:
    return list(__all__)
