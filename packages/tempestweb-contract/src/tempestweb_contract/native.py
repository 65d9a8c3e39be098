"""The native bridge: the seam every capability calls, whichever host runs the session.

A capability package (``tempestweb.native`` and its plugins) depends on the contract alone. It
calls :func:`call`, which finds the bridge of the session whose code is running (a
:class:`contextvars.ContextVar` the host sets around that session's handlers, effects and
tasks) and awaits the client's answer:

- Mode B and desktop: the host sends ``native_call{id, capability, method, args, timeout_ms}``
  and resolves the call when ``native_result{id, ok, value | error}`` arrives;
- Mode A: the same envelope crosses ``pyodide.ffi`` into the same page;
- tests: a fake bridge (``tempestweb.native.testing``) answers with set results and denials.

Every failure is a :class:`NativeCallError` subclass chosen by its stable code
(:data:`~tempestweb_contract.errors.NATIVE_ERROR_CODES`), the same class in every mode, so
``except PermissionDeniedError`` is a normal flow, never a crash.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Mapping
from typing import Any, Final, Protocol

import msgspec

from tempestweb_contract.constants import NATIVE_CALL_TIMEOUT_S
from tempestweb_contract.errors import NATIVE_ERROR_CODES, NativeErrorCode
from tempestweb_contract.messages import NativeCall

__all__ = [
    "CURRENT_BRIDGE",
    "LARGE_CALL_BYTES",
    "MAX_CALL_ARGS_BYTES",
    "AbortedError",
    "InsecureContextError",
    "InvalidArgumentError",
    "MalformedResultError",
    "NativeBridge",
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
    "call",
    "call_frame",
    "call_timeout_ms",
    "current_bridge",
    "native_error",
]


class NativeCallError(Exception):
    """A native capability call failed; subclasses name the reason.

    Attributes:
        code: One of :data:`~tempestweb_contract.errors.NATIVE_ERROR_CODES`; stable.
        message: Human-readable detail (the DOMException message, or the host's reason).
        capability: Capability name of the failed call, e.g. ``"geolocation"`` (``""`` when
            not known).
        method: Method name of the failed call, e.g. ``"get"``.

    """

    code: NativeErrorCode = "unknown"

    def __init__(self, message: str = "", *, capability: str = "", method: str = "") -> None:
        where = f"{capability}.{method}: " if capability else ""
        super().__init__(f"[{self.code}] {where}{message}")
        self.message = message
        self.capability = capability
        self.method = method


class PermissionDeniedError(NativeCallError):
    """The user or the browser denied the permission (``NotAllowedError``, W3C Permissions)."""

    code: NativeErrorCode = "permission_denied"


class NotSupportedError(NativeCallError):
    """The browser (or webview, or host) does not offer this capability or method."""

    code: NativeErrorCode = "not_supported"


class InsecureContextError(NativeCallError):
    """The API needs a secure context (HTTPS or localhost; ``window.isSecureContext``)."""

    code: NativeErrorCode = "insecure_context"


class NativeTimeoutError(NativeCallError):
    """No result arrived within the call's timeout."""

    code: NativeErrorCode = "timeout"


class AbortedError(NativeCallError):
    """The call was aborted (``AbortError``), or its connection was lost before it answered."""

    code: NativeErrorCode = "aborted"


class InvalidArgumentError(NativeCallError):
    """The arguments were rejected (``TypeError``/``DataError`` in the page, or validation)."""

    code: NativeErrorCode = "invalid_argument"


class NativeNetworkError(NativeCallError):
    """A network request made by the capability failed (``NetworkError``)."""

    code: NativeErrorCode = "network"


class NativeNotFoundError(NativeCallError):
    """The requested resource (device, file, key) does not exist (``NotFoundError``)."""

    code: NativeErrorCode = "not_found"


class QuotaExceededError(NativeCallError):
    """A storage quota was exceeded (``QuotaExceededError``)."""

    code: NativeErrorCode = "quota_exceeded"


class MalformedResultError(NativeCallError):
    """The client's answer did not have the shape the capability promises."""

    code: NativeErrorCode = "malformed_result"


class SessionClosedError(NativeCallError):
    """The session closed while the call was pending."""

    code: NativeErrorCode = "session_closed"


class NoSessionError(NativeCallError, RuntimeError):
    """A capability was called outside a session (no bridge in the current context)."""

    code: NativeErrorCode = "no_session"


class UnknownNativeError(NativeCallError):
    """The call failed for a reason with no more specific code."""

    code: NativeErrorCode = "unknown"


_BY_CODE: Final[dict[str, type[NativeCallError]]] = {
    cls.code: cls
    for cls in (
        PermissionDeniedError,
        NotSupportedError,
        InsecureContextError,
        NativeTimeoutError,
        AbortedError,
        InvalidArgumentError,
        NativeNetworkError,
        NativeNotFoundError,
        QuotaExceededError,
        MalformedResultError,
        SessionClosedError,
        NoSessionError,
        UnknownNativeError,
    )
}
assert set(_BY_CODE) == set(NATIVE_ERROR_CODES), "every native error code has exactly one class"


def native_error(code: str, message: str = "", *, capability: str = "", method: str = "") -> NativeCallError:
    """Return the exception of a native error code.

    Args:
        code: A code from a ``native_result`` error (unknown codes map to ``"unknown"``).
        message: Detail text.
        capability: Capability name of the call.
        method: Method name of the call.

    Returns:
        An instance of the :class:`NativeCallError` subclass for ``code``.

    """
    cls = _BY_CODE.get(code, UnknownNativeError)
    return cls(message, capability=capability, method=method)


MAX_CALL_ARGS_BYTES: Final = 6 * 1024 * 1024
"""Largest ``native_call`` frame, in bytes of UTF-8 JSON: the call's arguments and an envelope of
about 100 bytes (bytes count as their base64, 4/3 of their length: a ``storage.put`` or
``file.save`` of about 4.5 MiB). A larger call is refused with :class:`QuotaExceededError` in
every mode: the call travels as one frame, and a host ends a connection whose unread frames pass
8 MiB (``MAX_OUTBOX_BYTES``, the desktop's ``MAX_UNREAD_BYTES``), which failed the call with
"connection was lost" instead."""

LARGE_CALL_BYTES: Final = 1024 * 1024
"""A ``native_call`` frame of at least this many bytes makes a *large* call: a session runs one
large call at a time (the others wait their turn, within their timeout), so that concurrent ones
never pile up past a transport's bound of unread bytes."""

_CALL_ENCODER: Final = msgspec.json.Encoder()


def call_timeout_ms(timeout_s: float, /) -> int:
    """Return the ``timeout_ms`` of a ``native_call`` frame whose host waits ``timeout_s`` seconds.

    Args:
        timeout_s: The host's timeout, in seconds (positive).

    Returns:
        Whole milliseconds, at least 1 (the page gives up when the host does).

    """
    return max(1, round(timeout_s * 1000))


def call_frame(message: NativeCall, /) -> bytes:
    """Encode one ``native_call`` frame, held to the size rule of one native call.

    The one place of the rule: every host's pending-call table (``tempest_core.host``) sends the
    frame this returns, and the fake backend (``tempestweb.native.testing``) measures its calls
    with it, so a call is refused alike in every mode and in tests. It is one encode: the size is
    the real frame's. A lone surrogate is refused, not replaced (it has no UTF-8 form).

    Args:
        message: The call, with its id and ``timeout_ms``.

    Returns:
        The frame, at most :data:`MAX_CALL_ARGS_BYTES` bytes; at least :data:`LARGE_CALL_BYTES`
        makes it a large call.

    Raises:
        InvalidArgumentError: The arguments cannot be encoded as JSON, or hold a NaN or an
            infinity (JSON has no such number: the encoder would write ``null``, and the page
            would get another value than the one sent).
        QuotaExceededError: The frame is over :data:`MAX_CALL_ARGS_BYTES`.

    """
    where = {"capability": message.capability, "method": message.method}
    try:
        frame = _CALL_ENCODER.encode(message)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidArgumentError(f"arguments are not JSON: {exc}", **where) from None
    if b"null" in frame:  # the encoder writes NaN and the infinities as null: none without one
        at = _non_finite_at(message.args)
        if at is not None:
            raise InvalidArgumentError(
                f"arguments are not JSON: {at} is NaN or an infinity, which JSON has no number "
                "for (it would arrive as null)",
                **where,
            )
    if len(frame) > MAX_CALL_ARGS_BYTES:
        raise QuotaExceededError(
            f"the arguments are {len(frame)} bytes of JSON in their native_call frame, over the "
            f"{MAX_CALL_ARGS_BYTES}-byte limit of one native call",
            **where,
        )
    return frame


def _non_finite_at(args: Mapping[str, Any], /) -> str | None:
    """Return where a NaN or an infinity is in a call's arguments (``args['a'][2]``), or ``None``.

    Walks mappings, lists and tuples without recursion (as deep as the encoder went); a path is
    only formatted for what is walked into or found, not for each number of a long list.
    """
    stack: list[tuple[str, Any]] = [("args", args)]
    while stack:
        path, value = stack.pop()
        items = value.items() if isinstance(value, Mapping) else enumerate(value)
        for key, item in items:
            if isinstance(item, float):
                if not math.isfinite(item):
                    return f"{path}[{key!r}]"
            elif isinstance(item, Mapping | list | tuple):
                stack.append((f"{path}[{key!r}]", item))
    return None


class NativeBridge(Protocol):
    """What a host offers capability code: one awaitable call per Web API operation."""

    async def call(
        self, capability: str, method: str, args: Mapping[str, Any], /, *, timeout_s: float
    ) -> Any:
        """Run ``capability.method(args)`` on the client and return its JSON result.

        Args:
            capability: Registered capability name, e.g. ``"clipboard"``.
            method: Method name, e.g. ``"write"``.
            args: JSON-encodable arguments.
            timeout_s: Seconds before the call fails with :class:`NativeTimeoutError`.

        Returns:
            The decoded JSON value the client answered (``None`` for no value).

        Raises:
            NativeCallError: A subclass naming why the call failed.

        """
        ...


CURRENT_BRIDGE: Final[contextvars.ContextVar[NativeBridge | None]] = contextvars.ContextVar(
    "tempestweb_native_bridge", default=None
)
"""The bridge of the session whose code is running; hosts set it, capabilities read it."""


def current_bridge() -> NativeBridge:
    """Return the native bridge of the running session.

    Returns:
        The bridge the host set for the current context.

    Raises:
        NoSessionError: Called outside a session's handler, effect or task (e.g. at import
            time, or in a thread the host did not start).

    """
    bridge = CURRENT_BRIDGE.get()
    if bridge is None:
        raise NoSessionError(
            "native capabilities can only be called from a session's handler, effect or task "
            "(in tests, use tempestweb.native.testing)"
        )
    return bridge


async def call(
    capability: str,
    method: str,
    args: Mapping[str, Any] | None = None,
    /,
    *,
    timeout_s: float = NATIVE_CALL_TIMEOUT_S,
) -> Any:
    """Call ``capability.method`` on the client of the running session.

    Args:
        capability: Registered capability name, e.g. ``"geolocation"``.
        method: Method name, e.g. ``"get"``.
        args: JSON-encodable keyword arguments (``None``: none).
        timeout_s: Seconds the call may take, > 0 and finite (default ``NATIVE_CALL_TIMEOUT_S``).

    Returns:
        The client's JSON result; validate it before trusting it.

    Raises:
        NoSessionError: Outside a session.
        InvalidArgumentError: ``timeout_s`` is not a positive finite number.
        NativeCallError: A subclass naming why the call failed (permission denied, timeout...).

    """
    if not (isinstance(timeout_s, (int, float)) and math.isfinite(timeout_s) and timeout_s > 0):
        raise InvalidArgumentError(
            f"timeout_s must be a positive number of seconds, got {timeout_s!r}",
            capability=capability,
            method=method,
        )
    return await current_bridge().call(capability, method, dict(args or {}), timeout_s=float(timeout_s))
