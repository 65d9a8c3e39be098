"""A fake backend for tests: capabilities answer set results and denials, and every call is recorded.

Handlers that call capabilities run under the headless pilot (``tempest_core.testing.run_test``)
or in plain ``asyncio`` tests without a browser::

    from tempestweb.native import geolocation
    from tempestweb.native.errors import PermissionDeniedError
    from tempestweb.native.testing import fake_native

    async def test_denied() -> None:
        with fake_native() as fake:
            fake.deny("geolocation")
            async with run_test(app) as pilot:
                await pilot.click("#locate")
                assert pilot.text("#error") == "permission_denied"
            assert fake.calls_to("geolocation", "get")

Results are the JSON the page's JS module would answer (e.g. ``http.fake_response(503)``), so
they go through the same validation as real ones; a malformed one raises
``MalformedResultError`` exactly as in a browser. Without a set result, a few capabilities
behave like a quiet browser (in-memory storage and clipboard, downloads, no install prompt,
no share sheet, audio that plays, notifications granted on request and shown with no events);
the others raise ``NotSupportedError`` naming what to set.

The fake wins over the session's bridge in the context it is installed in (and the tasks
started from it), so it works with or without a host running the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import json
import math
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from tempestweb.native.errors import (
    InvalidArgumentError,
    NativeCallError,
    NativeNotFoundError,
    NativeTimeoutError,
    NotSupportedError,
    PermissionDeniedError,
    QuotaExceededError,
    native_error,
)
from tempestweb.native.notification import NotificationPermission
from tempestweb.native.plugins import OVERRIDE
from tempestweb_contract import NativeCall
from tempestweb_contract.constants import MAX_FRAME_BYTES
from tempestweb_contract.native import CURRENT_BRIDGE, call_frame, call_timeout_ms

__all__ = ["FakeNative", "NativeCallRecord", "Responder", "fake_native"]

Responder: TypeAlias = Callable[[dict[str, Any]], "Any | Awaitable[Any]"]
"""A function computing a result from the call's arguments (may be async, may raise)."""


@dataclass(frozen=True, slots=True)
class NativeCallRecord:
    """One call the fake received.

    Attributes:
        capability: Capability name, e.g. ``"http"``.
        method: Method name, e.g. ``"fetch"``.
        args: The JSON arguments, as the page would receive them.
        timeout_s: The call's timeout in seconds.

    """

    capability: str
    method: str
    args: dict[str, Any]
    timeout_s: float


@dataclass(slots=True)
class _Script:
    outcomes: list[Any] = field(default_factory=list)  # values, Responders or NativeCallErrors

    def next(self) -> Any:
        return self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]


_JS_EXACT_DIGITS = 1e21
"""From here on JavaScript writes a number with an exponent (``1e+21``), read back as a float."""


def _as_js(value: Any) -> Any:
    """Return ``value`` as it comes back from a page: JavaScript has one number type.

    An integral number comes back as an ``int`` (``1.0`` and ``-0.0`` as ``1`` and ``0``), below
    ``1e21`` where ``JSON.stringify`` writes every digit; an integer past 2**53 is rounded to the
    nearest double first; one beyond the doubles is ``Infinity``, written ``null``.
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return None
        if not math.isfinite(number):
            return None
        return int(number) if number.is_integer() and abs(number) < _JS_EXACT_DIGITS else number
    if isinstance(value, list):
        return [_as_js(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_js(item) for key, item in value.items()}
    return value


def _json_copy(value: Any, what: str) -> Any:
    try:
        return _as_js(json.loads(json.dumps(value, allow_nan=False)))
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidArgumentError(f"{what} is not JSON: {exc}") from None


def _result_frame_bytes(value: Any) -> int:
    """Bytes of the ``native_result`` frame the page would send for ``value`` (as the client counts)."""
    frame = {"type": "native_result", "id": 1, "ok": True, "value": value}
    return len(json.dumps(frame, ensure_ascii=False, separators=(",", ":")).encode())


class FakeNative:
    """The fake backend: a :class:`~tempestweb_contract.native.NativeBridge` answering from a script.

    Attributes:
        calls: Every call received, oldest first.
        storage: The in-memory store behind the default ``storage`` methods (key -> wire value).
        clipboard: The text behind the default ``clipboard`` methods.
        notification_permission: The permission behind the default ``notification`` methods:
            ``"default"`` until ``request_permission`` makes it ``"granted"`` (set it to
            ``"denied"`` to play a person who refused; a request then stays denied).
        notifications: The arguments of every notification shown through the default
            ``notification.show``, oldest first.

    """

    def __init__(self) -> None:
        self.calls: list[NativeCallRecord] = []
        self.storage: dict[str, dict[str, Any]] = {}
        self.clipboard = ""
        self.notification_permission: NotificationPermission = "default"
        self.notifications: list[dict[str, Any]] = []
        self._scripts: dict[tuple[str, str | None], _Script] = {}
        self._ids = itertools.count(1)
        self._call_ids = itertools.count(1)  # the ids a session's table would give its calls

    # -- scripting ------------------------------------------------------------------------------
    def set_result(self, capability: str, method: str, /, *results: Any) -> None:
        """Answer ``capability.method`` with ``results``, one per call, the last one repeating.

        Args:
            capability: Capability name.
            method: Method name.
            *results: JSON values as the page would answer, :data:`Responder` functions of the
                arguments (an async one is cancelled past the call's ``timeout_s``: the call
                raises ``NativeTimeoutError``, as a page's late answer does), or
                :class:`NativeCallError` instances to raise.

        Raises:
            ValueError: No result given.

        """
        if not results:
            raise ValueError("set_result needs at least one result")
        self._scripts[(capability, method)] = _Script(list(results))

    def deny(
        self, capability: str, method: str | None = None, /, *, message: str = "denied by the test"
    ) -> None:
        """Make ``capability`` (one method, or all of them) fail with ``PermissionDeniedError``."""
        self.fail(capability, method, code="permission_denied", message=message)

    def fail(
        self, capability: str, method: str | None = None, /, *, code: str, message: str = "failed by the test"
    ) -> None:
        """Make ``capability`` (one method, or all of them) fail with the error of ``code``.

        Args:
            capability: Capability name.
            method: One method, or ``None`` for every method of the capability.
            code: A native error code (``"not_supported"``, ``"timeout"``, ``"quota_exceeded"``...).
            message: The error's message.

        """
        error = native_error(code, message, capability=capability, method=method or "")
        self._scripts[(capability, method)] = _Script([error])

    def reset(self, capability: str, method: str | None = None, /) -> None:
        """Forget what was set for ``capability`` (one method, or the capability-wide denial)."""
        self._scripts.pop((capability, method), None)

    def calls_to(self, capability: str, method: str | None = None, /) -> list[NativeCallRecord]:
        """Return the recorded calls to ``capability`` (and ``method``, when given), oldest first."""
        return [c for c in self.calls if c.capability == capability and method in (None, c.method)]

    # -- the bridge -----------------------------------------------------------------------------
    async def call(
        self, capability: str, method: str, args: Mapping[str, Any], /, *, timeout_s: float
    ) -> Any:
        """Answer one call (the :class:`~tempestweb_contract.native.NativeBridge` protocol).

        The call is held to the size rule of every host first
        (:func:`tempestweb_contract.native.call_frame`, measured on the ``native_call`` frame a
        host would send), and is not recorded when it breaks it.

        Returns:
            The scripted or default JSON value.

        Raises:
            InvalidArgumentError: The arguments are not JSON.
            QuotaExceededError: The call is over ``MAX_CALL_ARGS_BYTES``, as in every mode.
            NativeCallError: The scripted error, or ``NotSupportedError`` when nothing answers.

        """
        copied = _json_copy(dict(args), f"the arguments of {capability}.{method}")
        call_frame(
            NativeCall(
                id=next(self._call_ids),
                capability=capability,
                method=method,
                args=dict(args),
                timeout_ms=call_timeout_ms(timeout_s),
            )
        )
        self.calls.append(NativeCallRecord(capability, method, copied, timeout_s))
        script = self._scripts.get((capability, method)) or self._scripts.get((capability, None))
        if script is None:
            return _json_copy(self._default(capability, method, copied), "the default result")
        outcome = script.next()
        if isinstance(outcome, NativeCallError):
            raise type(outcome)(outcome.message, capability=capability, method=method)
        if callable(outcome):
            outcome = outcome(copied)
            if inspect.isawaitable(outcome):
                outcome = await self._within(outcome, capability, method, timeout_s)
        result = _json_copy(outcome, f"the result set for {capability}.{method}")
        size = _result_frame_bytes(result)
        if size > MAX_FRAME_BYTES:  # the page's client refuses to send it (client/src/session.js)
            raise QuotaExceededError(
                f"a result of {size} bytes exceeds the host's frame limit of {MAX_FRAME_BYTES} bytes",
                capability=capability,
                method=method,
            )
        return result

    @staticmethod
    async def _within(outcome: Awaitable[Any], capability: str, method: str, timeout_s: float) -> Any:
        """Await an async responder for at most the call's ``timeout_s``, as a session's bridge does.

        Raises:
            NativeTimeoutError: The responder took longer (it is cancelled).

        """
        try:
            return await asyncio.wait_for(outcome, timeout_s)
        except TimeoutError:
            raise NativeTimeoutError(
                f"no result after {timeout_s:g} s", capability=capability, method=method
            ) from None

    def _default(self, capability: str, method: str, args: dict[str, Any]) -> Any:
        key = str(args.get("key", ""))
        match (capability, method):
            case ("storage", "put"):
                self.storage[key] = {
                    "found": True,
                    "kind": args["kind"],
                    f"{args['kind']}_value": args["value"],
                }
                return None
            case ("storage", "get"):
                return self.storage.get(key, {"found": False})
            case ("storage", "list"):
                return sorted(k for k in self.storage if k.startswith(str(args.get("prefix", ""))))
            case ("storage", "delete"):
                self.storage.pop(key, None)
                return None
            case ("clipboard", "write"):
                self.clipboard = str(args["text"])
                return None
            case ("clipboard", "read"):
                return self.clipboard
            case ("notification", "permission"):
                return {"permission": self.notification_permission}
            case ("notification", "request_permission"):
                if self.notification_permission == "default":
                    self.notification_permission = "granted"
                return {"permission": self.notification_permission}
            case ("notification", "show"):
                if self.notification_permission != "granted":
                    raise PermissionDeniedError(
                        f"the notification permission is {self.notification_permission!r}",
                        capability=capability,
                        method=method,
                    )
                self.notifications.append(args)
                return {"id": f"fake-{next(self._ids)}", "via": "page"}
            case ("notification", "close"):
                return None
            case ("notification", "next_event"):
                return {"event": None, "missed": 0}
            case ("file", "save"):
                return {"method": "download", "completed": True}
            case ("install", "prompt"):
                return {"outcome": "unavailable"}
            case ("install", "state"):
                return {"can_install": False, "installed": False}
            case ("share", "share"):
                return {"outcome": "unsupported"}
            case ("audio", "play" | "resume"):
                return {"outcome": "playing", "duration_s": None}
            case ("audio", "pause" | "stop" | "set_volume"):
                return None
            case ("geolocation" | "http", "watch_start" | "upload_start"):
                return {"id": f"fake-{next(self._ids)}"}
            case ("geolocation", "watch_stop") | ("http", "upload_abort") | ("onnx", "unload"):
                return None
        if capability == "storage":
            raise NativeNotFoundError(
                f"storage.{method} does not exist", capability=capability, method=method
            )
        raise NotSupportedError(
            f"the fake has no result for {capability}.{method}: "
            f"call fake.set_result({capability!r}, {method!r}, ...)",
            capability=capability,
            method=method,
        )

    # -- installation ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def installed(self) -> Iterator[FakeNative]:
        """Route every capability call of this context (and tasks started in it) to the fake."""
        override = OVERRIDE.set(self)
        bridge = CURRENT_BRIDGE.set(self)
        try:
            yield self
        finally:
            CURRENT_BRIDGE.reset(bridge)
            OVERRIDE.reset(override)


@contextlib.contextmanager
def fake_native() -> Iterator[FakeNative]:
    """Install a fresh :class:`FakeNative` for the duration of the ``with`` block.

    Yields:
        The fake, to script and inspect.

    """
    with FakeNative().installed() as fake:
        yield fake


def __dir__() -> list[str]:
    return list(__all__)
