"""The system clipboard as text (W3C Clipboard API: ``navigator.clipboard``).

Needs a secure context. Writing needs a recent user gesture (transient activation: call it
from a click handler); reading needs the ``clipboard-read`` permission (Chromium prompts).

In a desktop window with the ``clipboard-manager`` plugin enabled (``[desktop] plugins``), the
OS clipboard through the plugin instead; a permission the window lacks
(``clipboard-manager:allow-write-text`` / ``allow-read-text``) raises ``PermissionDeniedError``.

Example:
    >>> import asyncio
    >>> from tempestweb.native import clipboard
    >>> from tempestweb.native.testing import fake_native
    >>> async def main() -> str:
    ...     with fake_native():
    ...         await clipboard.write("hello")
    ...         return await clipboard.read()
    >>> asyncio.run(main())
    'hello'

"""

from __future__ import annotations

from tempestweb.native.constants import CLIPBOARD_TIMEOUT_S
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.plugins import Capability, register

__all__ = ["read", "write"]

CAPABILITY = register(Capability("clipboard"))
"""The ``clipboard`` capability handle (``client/native/clipboard.js``)."""


async def write(text: str, /, *, timeout_s: float = CLIPBOARD_TIMEOUT_S) -> None:
    """Put ``text`` on the clipboard (``Clipboard.writeText``).

    Args:
        text: The text.
        timeout_s: Seconds the call may take.

    Raises:
        InvalidArgumentError: ``text`` is not a ``str``.
        PermissionDeniedError: No user gesture, or the page is not focused, or denied.
        InsecureContextError: The page is not a secure context.
        NotSupportedError: No async Clipboard API.
        NoSessionError: Called outside a session.

    """
    if not isinstance(text, str):
        raise InvalidArgumentError(
            f"expected str, got {type(text).__name__}", capability="clipboard", method="write"
        )
    await CAPABILITY.call("write", {"text": text}, result=type(None), timeout_s=timeout_s)


async def read(*, timeout_s: float = CLIPBOARD_TIMEOUT_S) -> str:
    """Return the clipboard's text (``Clipboard.readText``).

    Args:
        timeout_s: Seconds the call may take (a permission prompt may show).

    Returns:
        The text (``""`` when the clipboard holds no text).

    Raises:
        PermissionDeniedError: ``clipboard-read`` denied, or the page is not focused.
        InsecureContextError: The page is not a secure context.
        NotSupportedError: No async Clipboard API.
        NoSessionError: Called outside a session.

    """
    return await CAPABILITY.call("read", result=str, timeout_s=timeout_s)


def __dir__() -> list[str]:
    return list(__all__)
