"""``share(...)``: the platform's share sheet (W3C Web Share API)."""

from __future__ import annotations

from typing import Literal

from tempestweb.native._wire import WireModel
from tempestweb.native.constants import SHARE_TIMEOUT_S
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.plugins import Capability, register

__all__ = ["ShareResult", "share"]

CAPABILITY = register(Capability("share"))
"""The ``share`` capability handle (``client/native/share.js``)."""


class ShareResult(WireModel):
    """How a share ended (a value, never an exception, for these soft outcomes).

    Attributes:
        outcome: ``"shared"``: the user picked a target; ``"cancelled"``: they closed the sheet
            (``AbortError``); ``"unsupported"``: the browser has no ``navigator.share`` or
            ``canShare`` rejects the data (e.g. desktop Linux Chromium).

    """

    outcome: Literal["shared", "cancelled", "unsupported"]

    @property
    def shared(self) -> bool:
        """Whether the user shared."""
        return self.outcome == "shared"


async def share(
    *,
    title: str | None = None,
    text: str | None = None,
    url: str | None = None,
    timeout_s: float = SHARE_TIMEOUT_S,
) -> ShareResult:
    """Open the share sheet with a title, text and/or URL (``Navigator.share``).

    Needs a secure context and a user gesture (call it from a click handler).

    Args:
        title: Title of the shared item.
        text: Body text.
        url: URL (absolute, or relative to the page).
        timeout_s: Seconds the sheet may stay open.

    Returns:
        The outcome: shared, cancelled or unsupported.

    Raises:
        InvalidArgumentError: Nothing to share.
        PermissionDeniedError: No user gesture, or blocked by permissions policy.
        InsecureContextError: The page is not a secure context.
        NoSessionError: Called outside a session.

    """
    if title is None and text is None and url is None:
        raise InvalidArgumentError("share needs a title, a text or a url", capability="share", method="share")
    args = {"title": title, "text": text, "url": url}
    return await CAPABILITY.call("share", args, result=ShareResult, timeout_s=timeout_s)
