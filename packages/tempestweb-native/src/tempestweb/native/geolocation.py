"""The device's position (W3C Geolocation API): one reading, or a watch as an async iterator.

Needs a secure context and the ``geolocation`` permission (the browser prompts on first use).

Example:
    >>> import asyncio
    >>> from tempestweb.native import geolocation
    >>> from tempestweb.native.testing import fake_native
    >>> async def main() -> tuple[float, float]:
    ...     with fake_native() as fake:
    ...         fake.set_result("geolocation", "get", {"lat": 48.85, "lon": 2.35, "accuracy_m": 12.0})
    ...         pos = await geolocation.get()
    ...         return pos.lat, pos.lon
    >>> asyncio.run(main())
    (48.85, 2.35)

"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator

from pydantic import Field

from tempestweb.native._wire import WireModel, check_timeout
from tempestweb.native.constants import BRIDGE_MARGIN_S, GEOLOCATION_TIMEOUT_S, WAIT_SLICE_S
from tempestweb.native.errors import InvalidArgumentError, NativeCallError
from tempestweb.native.plugins import Capability, active_bridge, register

__all__ = ["Position", "get", "watch"]

logger = logging.getLogger("tempestweb.native")

CAPABILITY = register(Capability("geolocation"))
"""The ``geolocation`` capability handle (``client/native/geolocation.js``)."""


class Position(WireModel):
    """A position reading (``GeolocationPosition``; WGS 84).

    Attributes:
        lat: Latitude in decimal degrees, -90..90.
        lon: Longitude in decimal degrees, -180..180.
        accuracy_m: 95% confidence radius of ``lat``/``lon``, in metres.
        altitude_m: Height above the WGS 84 ellipsoid in metres, if known.
        altitude_accuracy_m: Accuracy of ``altitude_m`` in metres, if known.
        heading_deg: Direction of travel in degrees clockwise from true north, if known.
        speed_mps: Ground speed in metres per second, if known.
        timestamp_ms: When it was acquired, in milliseconds since the Unix epoch.

    """

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    accuracy_m: float = Field(default=0.0, ge=0)
    altitude_m: float | None = None
    altitude_accuracy_m: float | None = None
    heading_deg: float | None = None
    speed_mps: float | None = None
    timestamp_ms: float = 0.0


class _Watch(WireModel):
    id: str


class _Next(WireModel):
    position: Position | None = None


def _options(high_accuracy: bool, timeout_s: float, maximum_age_s: float, method: str) -> dict[str, object]:
    try:
        timeout = check_timeout(timeout_s)
    except ValueError as exc:
        raise InvalidArgumentError(str(exc), capability="geolocation", method=method) from None
    if not maximum_age_s >= 0:
        raise InvalidArgumentError(
            f"maximum_age_s must be >= 0, got {maximum_age_s!r}", capability="geolocation", method=method
        )
    return {
        "high_accuracy": bool(high_accuracy),
        "timeout_ms": round(timeout * 1000),
        "maximum_age_ms": round(maximum_age_s * 1000),
    }


async def get(
    *, high_accuracy: bool = True, timeout_s: float = GEOLOCATION_TIMEOUT_S, maximum_age_s: float = 0.0
) -> Position:
    """Return the current position (``Geolocation.getCurrentPosition``).

    Args:
        high_accuracy: Ask for the best fix the device can give (``enableHighAccuracy``).
        timeout_s: Seconds the browser may take to acquire it (``PositionOptions.timeout``).
        maximum_age_s: Accept a cached reading at most this old, in seconds (``maximumAge``).

    Returns:
        The position.

    Raises:
        PermissionDeniedError: The user or the browser denied the ``geolocation`` permission.
        InsecureContextError: The page is not a secure context.
        NotSupportedError: The browser has no Geolocation API.
        NativeNotFoundError: No position is available (``POSITION_UNAVAILABLE``).
        NativeTimeoutError: No fix within ``timeout_s``.
        InvalidArgumentError: A negative or non-finite option.
        NoSessionError: Called outside a session.

    """
    options = _options(high_accuracy, timeout_s, maximum_age_s, "get")
    return await CAPABILITY.call("get", options, result=Position, timeout_s=timeout_s + BRIDGE_MARGIN_S)


async def watch(
    *, high_accuracy: bool = True, timeout_s: float = GEOLOCATION_TIMEOUT_S, maximum_age_s: float = 0.0
) -> AsyncGenerator[Position, None]:
    """Yield each new position (``Geolocation.watchPosition``) until the loop exits.

    The browser watch is cleared (``clearWatch``) when the loop ends, by ``break``, an
    exception or cancellation; wrap it in :func:`contextlib.aclosing` to clear it at once
    rather than when the generator is collected::

        async with contextlib.aclosing(geolocation.watch()) as positions:
            async for pos in positions:
                ...

    Args:
        high_accuracy: ``enableHighAccuracy``.
        timeout_s: Seconds each fix may take (``PositionOptions.timeout``).
        maximum_age_s: Oldest cached reading accepted, in seconds.

    Yields:
        Each position as the browser reports it.

    Raises:
        PermissionDeniedError: The permission was denied (at start or later).
        InsecureContextError: The page is not a secure context.
        NotSupportedError: The browser has no Geolocation API.
        NativeTimeoutError: A fix took longer than ``timeout_s``.
        NoSessionError: Iterated outside a session.

    """
    options = _options(high_accuracy, timeout_s, maximum_age_s, "watch_start")
    bridge = active_bridge()  # kept for the cleanup, which may run in another context
    started = await CAPABILITY.call("watch_start", options, result=_Watch, bridge=bridge)
    try:
        while True:
            step = await CAPABILITY.call(
                "watch_next",
                {"id": started.id, "wait_ms": round(WAIT_SLICE_S * 1000)},
                result=_Next,
                timeout_s=WAIT_SLICE_S + BRIDGE_MARGIN_S,
                bridge=bridge,
            )
            if step.position is not None:
                yield step.position
    finally:
        try:
            await CAPABILITY.call("watch_stop", {"id": started.id}, result=type(None), bridge=bridge)
        except NativeCallError as exc:  # the page may be gone; the watch went with it
            logger.info("geolocation watch %s not cleared: %s", started.id, exc)


def __dir__() -> list[str]:
    return list(__all__)
