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

from typing import Literal

from tempestweb.native._wire import WireModel, b64encode
from tempestweb.native.constants import FILE_SAVE_TIMEOUT_S
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.plugins import Capability, register

__all__ = ["SaveResult", "save"]

CAPABILITY = register(Capability("file"))
"""The ``file`` capability handle (``client/native/file.js``)."""

_FORBIDDEN = set("/\\") | {chr(code) for code in range(0x20)} | {"\x7f"}
"""Path separators and control characters (C0 and DEL): a CR or LF in a download's name breaks
WebKitGTK's download, which then ends the page's IPC in a desktop window."""
_NOT_NAMES = frozenset({".", ".."})


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
        InvalidArgumentError: An empty file name, ``.`` or ``..``, or one holding a path
            separator or a control character (line breaks, NUL...).
        PermissionDeniedError: No user gesture for the share sheet; in desktop, a plugin
            command the window's permissions do not grant (``dialog:allow-save``,
            ``fs:allow-write-file``).
        NoSessionError: Called outside a session.

    """
    if (
        not isinstance(filename, str)
        or not filename.strip()
        or filename in _NOT_NAMES
        or _FORBIDDEN & set(filename)
    ):
        raise InvalidArgumentError(f"bad file name {filename!r}", capability="file", method="save")
    args = {"filename": filename, "data": b64encode(bytes(data)), "mime_type": mime_type, "prefer": prefer}
    return await CAPABILITY.call("save", args, result=SaveResult, timeout_s=timeout_s)


def __dir__() -> list[str]:
    return list(__all__)
