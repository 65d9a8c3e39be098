"""Saving bytes as a file on the user's device: the share sheet where it takes files, else a download.

``file.save`` offers ``navigator.share({files})`` when ``navigator.canShare`` accepts the file
(mobile browsers), else clicks an ``<a download>`` on a blob URL (desktop browsers); the
result says which ran. Both need a user gesture: call it from a click handler.

Example:
    >>> import asyncio
    >>> from tempestweb.native import file
    >>> from tempestweb.native.testing import fake_native
    >>> async def main() -> str:
    ...     with fake_native():
    ...         result = await file.save("notes.txt", b"hi", mime_type="text/plain")
    ...         return result.method
    >>> asyncio.run(main())
    'download'

"""

from __future__ import annotations

import re
from typing import Literal

from tempestweb.native._wire import WireModel, b64encode
from tempestweb.native.constants import FILE_SAVE_TIMEOUT_S
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.plugins import Capability, register

__all__ = ["SaveResult", "save"]

CAPABILITY = register(Capability("file"))
"""The ``file`` capability handle (``client/native/file.js``)."""

_BAD_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f/\\\u2028\u2029]")
"""Path separators, control characters (C0, DEL, C1) and the line and paragraph separators: a CR
or LF in a download's name breaks WebKitGTK's download, which then ends the page's IPC in a
desktop window. ``client/native/file.js`` spells the same class (``BAD_NAME``)."""
_BLANK = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]*")
"""Names made only of these (spaces; none is a control character) are blank: written out, not
``str.isspace``, whose set differs from JavaScript's ``trim`` (``file.js``'s ``BLANK_NAME``)."""
_NOT_NAMES = frozenset({".", ".."})


def _checked_name(filename: object, /) -> str:
    """Return ``filename`` if it is a file name ``file.save`` may offer, else raise.

    The one rule of a saved file's name. It is checked here, so that the typed error comes before
    the data is sent (and under the fake backend), and again by ``client/native/file.js``, which
    cannot trust its caller: a direct ``tempestweb_contract.native.call("file", "save", ...)``, a
    ``plugins.get("file").call(...)`` and page code importing the module all skip this function,
    and what the rule keeps out (a line break) ends a desktop window's IPC. Both sides are tested
    against one table of names (``tests/file_names.json``). The name is sent as given, not
    normalised: the browser or the OS save dialog applies its own platform rules to it.

    Raises:
        InvalidArgumentError: Not a str; empty or blank; ``.`` or ``..``; or holding a path
            separator, a control character (C0, DEL, C1: line breaks, NUL...) or U+2028/U+2029.

    """
    if (
        not isinstance(filename, str)
        or _BLANK.fullmatch(filename)
        or filename in _NOT_NAMES
        or _BAD_CHARACTER.search(filename)
    ):
        raise InvalidArgumentError(f"bad file name {filename!r}", capability="file", method="save")
    return filename


class SaveResult(WireModel):
    """Which path saved the file.

    Attributes:
        method: ``"share"`` (``navigator.share`` with files), ``"download"`` (``<a download>``)
            or ``"dialog"`` (desktop with the ``dialog`` and ``fs`` plugins: the OS save dialog,
            then a write of the chosen file).
        completed: False when the user closed the share sheet or the dialog without a target.

    """

    method: Literal["share", "download", "dialog"]
    completed: bool = True


async def save(
    filename: str,
    data: bytes,
    /,
    *,
    mime_type: str = "application/octet-stream",
    prefer: Literal["share", "download"] = "share",
    timeout_s: float = FILE_SAVE_TIMEOUT_S,
) -> SaveResult:
    """Offer ``data`` to the user as the file ``filename``.

    Args:
        filename: Suggested file name, without a directory.
        data: File content.
        mime_type: Its MIME type.
        prefer: ``"share"``: the share sheet when it accepts files, else a download;
            ``"download"``: always a download. In a desktop window with the ``dialog`` and
            ``fs`` plugins enabled, the OS save dialog either way.
        timeout_s: Seconds the call may take (a share sheet may stay open).

    Returns:
        Which path ran and whether it completed.

    Raises:
        InvalidArgumentError: An empty or blank file name, ``.`` or ``..``, or one holding a
            path separator or a control character (line breaks, NUL...): the rule of
            ``_checked_name`` in this module, which the page's ``file.js`` applies too.
        PermissionDeniedError: No user gesture for the share sheet; in desktop, a plugin
            command the window's permissions do not grant (``dialog:allow-save``,
            ``fs:allow-write-file``).
        NoSessionError: Called outside a session.

    """
    args = {
        "filename": _checked_name(filename),
        "data": b64encode(bytes(data)),
        "mime_type": mime_type,
        "prefer": prefer,
    }
    return await CAPABILITY.call("save", args, result=SaveResult, timeout_s=timeout_s)


def __dir__() -> list[str]:
    return list(__all__)
