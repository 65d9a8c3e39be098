"""tempestweb_wakelock: the Screen Wake Lock API (W3C) as a tempestweb.native plugin.

Example:
    >>> import asyncio
    >>> from tempestweb.native.testing import fake_native
    >>> async def main() -> bool:
    ...     with fake_native() as fake:
    ...         fake.set_result("wake_lock", "request", {"active": True, "supported": True})
    ...         return (await request()).active
    >>> asyncio.run(main())
    True

"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tempestweb.native.plugins import Capability, register

__all__ = ["CAPABILITY", "WakeLockState", "release", "request", "state"]

CAPABILITY = register(Capability("wake_lock"))
"""The ``wake_lock`` capability handle (``tempestweb_wakelock/js/wake_lock.js``)."""

WAKE_LOCK_TIMEOUT_S = 10.0
"""Time a wake lock call may take, in seconds."""


class WakeLockState(BaseModel):
    """Whether the page holds a screen wake lock.

    Attributes:
        active: A ``WakeLockSentinel`` is held and not released.
        supported: The browser has ``navigator.wakeLock``.

    """

    model_config = ConfigDict(frozen=True, strict=True, extra="ignore")

    active: bool
    supported: bool = True


async def request() -> WakeLockState:
    """Keep the screen on (``navigator.wakeLock.request("screen")``).

    Returns:
        The state after the request (``supported=False`` when the browser has no API).

    Raises:
        PermissionDeniedError: The browser refused (permissions policy, low battery).
        InsecureContextError: The page is not a secure context.
        AbortedError: The page is hidden.
        NoSessionError: Called outside a session.

    """
    return await CAPABILITY.call("request", result=WakeLockState, timeout_s=WAKE_LOCK_TIMEOUT_S)


async def release() -> WakeLockState:
    """Let the screen turn off again (``WakeLockSentinel.release()``); a no-op when none is held.

    Raises:
        NoSessionError: Called outside a session.

    """
    return await CAPABILITY.call("release", result=WakeLockState, timeout_s=WAKE_LOCK_TIMEOUT_S)


async def state() -> WakeLockState:
    """Return whether a wake lock is held.

    Raises:
        NoSessionError: Called outside a session.

    """
    return await CAPABILITY.call("state", result=WakeLockState, timeout_s=WAKE_LOCK_TIMEOUT_S)


def __dir__() -> list[str]:
    return list(__all__)
