"""The plugin registry: a typed handle per capability, and how a package adds one.

Every built-in capability (``http``, ``geolocation``...) is a :class:`Capability` registered
here, and a plugin is exactly the same thing: a package depending on ``tempestweb-native``
alone registers a :class:`Capability`, writes typed Python wrappers calling
:meth:`Capability.call`, and ships one JS module declared in the ``tempestweb.capabilities``
entry-point group (see :mod:`tempestweb_contract.plugins`), which every mode picks up: Mode B
serves it, the Mode A build copies and precaches it, the client registers it by name.

Example:
    >>> from tempestweb.native.plugins import Capability, register, registered
    >>> from tempestweb.native._wire import WireModel
    >>> class Level(WireModel):
    ...     level: float
    >>> battery = register(Capability("battery_example"))
    >>> async def level() -> float:
    ...     return (await battery.call("level", result=Level)).level
    >>> "battery_example" in registered()
    True

"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Mapping
from typing import Any, Final, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from tempestweb.native._wire import check_timeout, unsafe_integer
from tempestweb.native.constants import MAX_SAFE_INTEGER
from tempestweb_contract.constants import NATIVE_CALL_TIMEOUT_S
from tempestweb_contract.native import (
    InvalidArgumentError,
    MalformedResultError,
    NativeBridge,
    current_bridge,
)
from tempestweb_contract.plugins import CapabilityModule, PluginError, capability_modules

__all__ = [
    "Capability",
    "CapabilityModule",
    "PluginError",
    "active_bridge",
    "capability_modules",
    "get",
    "register",
    "registered",
]

T = TypeVar("T")

_NAME_RE: Final = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_MAX_ERRORS_SHOWN: Final = 3

OVERRIDE: Final[contextvars.ContextVar[NativeBridge | None]] = contextvars.ContextVar(
    "tempestweb_native_override", default=None
)
"""A bridge that wins over the session's (set by :func:`tempestweb.native.testing.fake_native`)."""


def active_bridge() -> NativeBridge:
    """Return the bridge a capability call goes through now.

    Returns:
        The fake backend when a test installed one, else the running session's bridge.

    Raises:
        NoSessionError: Neither exists (called outside a session and outside a fake).

    """
    override = OVERRIDE.get()
    return override if override is not None else current_bridge()


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def _summary(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:_MAX_ERRORS_SHOWN]:
        where = ".".join(str(item) for item in error["loc"]) or "value"
        parts.append(f"{where}: {error['msg']}")
    more = exc.error_count() - _MAX_ERRORS_SHOWN
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


class Capability:
    """A handle on one capability: calls to its JS module's methods, validated both ways.

    Args:
        name: Capability name, as in the ``tempestweb.capabilities`` entry point (``[a-z][a-z0-9_]*``).

    Raises:
        PluginError: ``name`` is not a valid capability name.

    """

    __slots__ = ("name",)

    def __init__(self, name: str, /) -> None:
        if not isinstance(name, str) or not _NAME_RE.match(name):
            raise PluginError(str(name), f"capability name {name!r} must match {_NAME_RE.pattern}")
        self.name = name

    def __repr__(self) -> str:
        return f"Capability({self.name!r})"

    async def call(
        self,
        method: str,
        args: Mapping[str, Any] | BaseModel | None = None,
        /,
        *,
        result: type[T],
        timeout_s: float = NATIVE_CALL_TIMEOUT_S,
        bridge: NativeBridge | None = None,
    ) -> T:
        """Run ``<name>.<method>(args)`` in the page and validate its answer.

        Args:
            method: Method name, exported by the capability's JS module.
            args: JSON-encodable keyword arguments, or a model (dumped in JSON mode).
            result: Type the answer must validate as (a :class:`pydantic.BaseModel`, ``str``,
                ``list[str]``, ``type(None)``...).
            timeout_s: Seconds the call may take before :class:`NativeTimeoutError`, > 0.
            bridge: The bridge to use; ``None`` uses :func:`active_bridge` (pass one captured
                earlier to call from a cleanup that may run outside the session's context).

        Returns:
            The validated answer.

        The size of a call is the bridge's to check, once, on the frame it sends: every mode's
        host and the fake backend apply :func:`tempestweb_contract.native.call_frame` (a frame
        over ``MAX_CALL_ARGS_BYTES`` is refused; one of at least ``LARGE_CALL_BYTES`` makes a
        large call: a session runs one at a time, the others wait their turn within their
        ``timeout_s``).

        Raises:
            InvalidArgumentError: ``timeout_s`` is not a positive number, or an argument holds an
                integer beyond ``±MAX_SAFE_INTEGER`` (JavaScript would round it).
            QuotaExceededError: The call is over ``MAX_CALL_ARGS_BYTES`` of JSON.
            NativeTimeoutError: No answer within ``timeout_s`` (a large call's wait included).
            MalformedResultError: The answer does not validate as ``result``.
            NoSessionError: Called outside a session (and no fake backend is installed).
            NativeCallError: A subclass naming why the page's call failed.

        """
        payload = args.model_dump(mode="json") if isinstance(args, BaseModel) else dict(args or {})
        unsafe = unsafe_integer(payload)
        if unsafe is not None:
            raise InvalidArgumentError(
                f"the integer {unsafe} is beyond JavaScript's safe range ±{MAX_SAFE_INTEGER} "
                "(the page would round it); send it as a str",
                capability=self.name,
                method=method,
            )
        return await self._checked_call(method, payload, result=result, timeout_s=timeout_s, bridge=bridge)

    async def _checked_call(
        self,
        method: str,
        payload: dict[str, Any],
        /,
        *,
        result: type[T],
        timeout_s: float,
        bridge: NativeBridge | None = None,
    ) -> T:
        """:meth:`call` once ``payload`` is known to hold no unsafe integer.

        For a capability that refuses one with its own message first (``storage.put``), so that
        the check runs once.
        """
        try:
            timeout = check_timeout(timeout_s)
        except ValueError as exc:
            raise InvalidArgumentError(str(exc), capability=self.name, method=method) from None
        target = bridge if bridge is not None else active_bridge()
        value = await target.call(self.name, method, payload, timeout_s=timeout)
        try:
            validated: T = _adapter(result).validate_python(value)
        except ValidationError as exc:
            raise MalformedResultError(
                f"the page answered a value that is not a {getattr(result, '__name__', result)}: "
                f"{_summary(exc)}",
                capability=self.name,
                method=method,
            ) from None
        return validated


_REGISTRY: dict[str, Capability] = {}


def register(capability: Capability, /) -> Capability:
    """Add a capability to the registry.

    A capability is known by its name: registering a second handle of the same name (a
    module imported twice, a reload) returns the first one. Two *distributions* declaring the
    same name are refused by the JS discovery (:func:`capability_modules`).

    Args:
        capability: The handle to register.

    Returns:
        The registered handle of that name, so ``wake_lock = register(Capability("wake_lock"))``
        reads naturally.

    """
    return _REGISTRY.setdefault(capability.name, capability)


def get(name: str, /) -> Capability:
    """Return the registered capability ``name``.

    Raises:
        KeyError: No capability of that name is registered in this process.

    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(
            f"no capability {name!r} is registered (known: {', '.join(sorted(_REGISTRY))})"
        ) from None


def registered() -> Mapping[str, Capability]:
    """Return every registered capability, by name (a read-only snapshot)."""
    return dict(sorted(_REGISTRY.items()))


def __dir__() -> list[str]:
    return list(__all__)
