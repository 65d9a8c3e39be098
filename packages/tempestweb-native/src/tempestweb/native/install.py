"""Installing the app (PWA): the deferred ``beforeinstallprompt`` event of Chromium browsers.

``client/pwa/install-prompt.js`` captures ``beforeinstallprompt`` as soon as the page loads
(and calls ``preventDefault()``, which suppresses the mini-infobar); :func:`prompt` shows the
captured prompt. Browsers without the event (Safari, Firefox) report ``"unavailable"``; the app
may show its own instructions then. Needs a secure context, a web app manifest (Mode A builds
have one) and a user gesture.

Example:
    >>> import asyncio
    >>> from tempestweb.native import install
    >>> from tempestweb.native.testing import fake_native
    >>> async def main() -> str:
    ...     with fake_native():
    ...         return await install.prompt()
    >>> asyncio.run(main())
    'unavailable'

"""

from __future__ import annotations

from typing import Literal

from tempestweb.native._wire import WireModel
from tempestweb.native.constants import INSTALL_PROMPT_TIMEOUT_S
from tempestweb.native.plugins import Capability, register

__all__ = ["InstallOutcome", "InstallState", "prompt", "state"]

CAPABILITY = register(Capability("install"))
"""The ``install`` capability handle (``client/native/install.js``)."""

InstallOutcome = Literal["accepted", "dismissed", "unavailable"]
"""How :func:`prompt` ended (``BeforeInstallPromptEvent.userChoice.outcome``, or unavailable)."""


class InstallState(WireModel):
    """Whether the app can be installed now, and whether it runs installed.

    Attributes:
        can_install: A captured ``beforeinstallprompt`` is waiting to be shown.
        installed: The page runs as an installed app (``display-mode: standalone``), or
            ``appinstalled`` fired in this page.

    """

    can_install: bool
    installed: bool


class _Outcome(WireModel):
    outcome: InstallOutcome


async def prompt(*, timeout_s: float = INSTALL_PROMPT_TIMEOUT_S) -> InstallOutcome:
    """Show the browser's install prompt, if one was captured.

    Args:
        timeout_s: Seconds the prompt may stay open.

    Returns:
        ``"accepted"``, ``"dismissed"``, or ``"unavailable"`` (no captured prompt: unsupported
        browser, already installed, or already prompted).

    Raises:
        PermissionDeniedError: No user gesture.
        NoSessionError: Called outside a session.

    """
    return (await CAPABILITY.call("prompt", result=_Outcome, timeout_s=timeout_s)).outcome


async def state() -> InstallState:
    """Return whether the app can be installed and whether it is.

    Raises:
        NoSessionError: Called outside a session.

    """
    return await CAPABILITY.call("state", result=InstallState)


def __dir__() -> list[str]:
    return list(__all__)
