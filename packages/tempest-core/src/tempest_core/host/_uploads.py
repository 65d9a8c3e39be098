"""Files uploaded to a session: the store both modes fill and every FileUpload handler reads.

An upload is one file's bytes arriving beside the event stream: Mode B's HTTP endpoint
(``POST /_tw/upload``) streams them into :meth:`UploadStore.receive`, Mode A's runtime hands the
bytes the page read from the ``File`` to :meth:`UploadStore.receive` too. The bytes go into a
size-bounded :class:`tempfile.SpooledTemporaryFile` (memory up to
:data:`UPLOAD_SPOOL_MEMORY_BYTES`, then a temporary file on disk); a file over the FileUpload's
``max_bytes`` is discarded as soon as its bytes pass the limit (nothing is kept). The client then
sends the ``tw-upload`` event with phase ``done`` and the file's id; the FileUpload's handler
takes the file out of the store (:meth:`UploadStore.take`) and gives it to the app.

The limits checked here come from the handler found at the node in the tree the session
rendered (:func:`upload_target`), never from the request.
"""

from __future__ import annotations

import re
import tempfile
import weakref
from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass
from typing import IO, Final, Literal

from tempest_core.errors import TempestError
from tempest_core.host._queue import ByteBudget
from tempestweb_contract.names import EVENT_UPLOAD

__all__ = [
    "MAX_PENDING_UPLOADS",
    "MAX_PENDING_UPLOAD_BYTES",
    "MAX_UPLOAD_MEMORY_BYTES",
    "PENDING_UPLOADS",
    "UPLOAD_SPOOL_MEMORY_BYTES",
    "UploadBudget",
    "UploadCode",
    "UploadError",
    "UploadLimits",
    "UploadStore",
    "UploadedFile",
    "accepts",
    "session_closed_error",
    "upload_store",
    "upload_target",
]

UploadCode = Literal[
    "too_large",
    "not_accepted",
    "upload_failed",
    "not_supported",
    "unauthorized",
    "not_found",
    "too_many_uploads",
]
"""An upload error code (``tempestweb_contract.names.UPLOAD_ERROR``)."""

UPLOAD_SPOOL_MEMORY_BYTES: Final = 1024 * 1024
"""Bytes of one uploaded file kept in memory before it moves to a temporary file on disk."""
MAX_PENDING_UPLOADS: Final = 32
"""Files a session keeps between their arrival and their handler; more is ``too_many_uploads``."""
MAX_PENDING_UPLOAD_BYTES: Final = 1 << 30
"""Bytes the files waiting for their handler hold together in one process, memory and disk (1
GiB); an upload that would pass it is refused with ``too_many_uploads`` (Mode B:
``ServerConfig.max_upload_bytes``)."""
MAX_UPLOAD_MEMORY_BYTES: Final = 64 << 20
"""Bytes of waiting files one process keeps in memory (64 MiB, reserved per file at
:data:`UPLOAD_SPOOL_MEMORY_BYTES`); past it a new file goes to disk from its first byte."""
MAX_FILE_NAME_CHARS: Final = 255
"""Longest file name kept (longer names are clipped), in characters."""
_ID_RE: Final = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class UploadError(TempestError):
    """An upload was refused or failed.

    Attributes:
        code: Stable code (:data:`UploadCode`), sent to the page.
        message: Human-readable reason.

    """

    def __init__(self, code: UploadCode, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code: UploadCode = code
        self.message = message


@dataclass(frozen=True, slots=True, eq=False)
class UploadedFile:
    """One file a user uploaded, as the FileUpload's ``on_upload`` receives it.

    The file stays open while the handler runs (an ``async`` handler: until it returns) and is
    closed after: copy what you keep (``read()``, or ``shutil.copyfileobj(upload.file, dest)``).

    Attributes:
        name: File name as the browser gave it (no directories; at most 255 characters). Never
            use it as a path without sanitising it.
        size: Size in bytes.
        content_type: MIME type the browser gave (``""`` when it did not know).
        file: The bytes, a binary file object positioned at 0 (spooled: memory up to
            :data:`UPLOAD_SPOOL_MEMORY_BYTES`, then disk).

    """

    name: str
    size: int
    content_type: str
    file: IO[bytes]

    def read(self) -> bytes:
        """Return the whole content (reads from the start).

        Returns:
            ``size`` bytes.

        """
        self.file.seek(0)
        return self.file.read()

    def close(self) -> None:
        """Release the bytes (a temporary file on disk is deleted)."""
        self.file.close()


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """What a FileUpload accepts: the rule the host applies to arriving bytes.

    Attributes:
        max_bytes: Largest file in bytes, or None for no limit.
        accept: The ``accept`` tokens (``.pdf``, ``image/*``, ``text/plain``), empty for any.

    """

    max_bytes: int | None
    accept: tuple[str, ...]


def accepts(accept: Iterable[str], name: str, content_type: str, /) -> bool:
    """Tell whether a file matches an ``accept`` list (the HTML rule, applied to drops too).

    Reference: https://html.spec.whatwg.org/multipage/input.html#attr-input-accept (a token is
    a file extension starting with ``.``, ``audio/*``/``video/*``/``image/*``-like wildcards,
    or an exact MIME type; case-insensitive).

    Args:
        accept: The tokens; none means any file.
        name: The file name.
        content_type: Its MIME type (may be ``""``).

    Returns:
        True if any token matches (or there is none).

    Example:
        >>> accepts((".png", "image/*"), "cat.JPG", "image/jpeg"), accepts((".pdf",), "a.txt", "text/plain")
        (True, False)

    """
    tokens = [token.strip().lower() for token in accept if token.strip()]
    if not tokens:
        return True
    lname, ltype = name.lower(), content_type.lower()
    for token in tokens:
        if token.startswith("."):
            if lname.endswith(token):
                return True
        elif token.endswith("/*"):
            if ltype.startswith(token[:-1]):
                return True
        elif token == ltype:
            return True
    return False


class UploadBudget(ByteBudget):
    """What the files waiting for their handler, in every session of a process, hold together.

    Per session a store keeps at most :data:`MAX_PENDING_UPLOADS` files until the page hands
    them to the FileUpload's handler; without a bound across sessions, a client opening pages
    and uploading files it never hands over held 32 MiB of memory per page (20 pages: 46 -> 671
    MiB) until each session expired.

    Args:
        limit: Most bytes of waiting files, memory and disk.
        memory_limit: Most bytes of waiting files kept in memory (each file in memory reserves
            the store's spool size).

    Attributes:
        used: Bytes of waiting files now (and of files arriving).
        in_memory: Memory reserved by the files kept in memory now.

    """

    def __init__(
        self, limit: int = MAX_PENDING_UPLOAD_BYTES, memory_limit: int = MAX_UPLOAD_MEMORY_BYTES
    ) -> None:
        super().__init__(limit)
        self.memory_limit = memory_limit
        self.in_memory = 0


PENDING_UPLOADS: Final = UploadBudget()
"""The process's budget, shared by every :class:`UploadStore` (a Mode B server sets its limit)."""


class UploadStore:
    """The files of one session waiting for their FileUpload handler.

    Args:
        max_pending: Files kept at once (:data:`MAX_PENDING_UPLOADS`).
        spool_bytes: Bytes of a file kept in memory before it spills to disk.
        budget: What the waiting files of every session may hold together
            (:data:`PENDING_UPLOADS`).

    Attributes:
        closed: The session closed (:meth:`close`): no file is kept from now on.

    """

    def __init__(
        self,
        *,
        max_pending: int = MAX_PENDING_UPLOADS,
        spool_bytes: int = UPLOAD_SPOOL_MEMORY_BYTES,
        budget: UploadBudget = PENDING_UPLOADS,
    ) -> None:
        self._files: dict[str, UploadedFile] = {}
        self._held: dict[str, tuple[int, int]] = {}  # upload id -> (bytes, memory reserved)
        self._arriving: set[str] = set()  # ids of files whose bytes are arriving now
        self.closed = False
        self._max_pending = max_pending
        self._spool_bytes = spool_bytes
        self._budget = budget
        # What this store holds goes back to the budget even if it is dropped without close().
        weakref.finalize(self, _give_back, budget, self._held)

    def __len__(self) -> int:
        """Files waiting for their handler (not those still arriving)."""
        return len(self._files)

    async def receive(
        self,
        upload_id: str,
        chunks: AsyncIterable[bytes],
        /,
        *,
        limits: UploadLimits,
        name: str,
        content_type: str,
    ) -> UploadedFile:
        """Spool one file's bytes as they arrive and keep them under ``upload_id`` until :meth:`take`.

        Args:
            upload_id: The client's id of the file (8-64 of ``A-Za-z0-9_-``).
            chunks: The bytes, in order (Starlette's ``request.stream()``).
            limits: The FileUpload's limits (from :func:`upload_target`).
            name: The file name (directories are dropped, clipped to 255 characters).
            content_type: Its MIME type.

        Returns:
            The stored file (positioned at 0).

        Raises:
            UploadError: ``not_found`` (a malformed id), ``too_many_uploads`` (the store is full
                counting the files still arriving, or the id is taken by a file waiting or
                arriving), ``not_accepted`` (type outside ``accept``): nothing is read;
                ``too_large`` (the bytes passed ``max_bytes``), or ``not_found`` (the session
                closed while the file arrived, :meth:`close`): what was read is discarded.

        A file counts against the store from its first byte, not once whole: two requests with
        one id arriving at once were both kept, the second replacing the first in the store and
        what the first held never given back to the process's budget; and files arriving at once
        passed ``max_pending``.

        """
        name, spool, reserved = self._open(upload_id, limits, name, content_type)
        self._arriving.add(upload_id)
        size = 0
        try:
            async for chunk in chunks:
                if self.closed:
                    raise session_closed_error()
                size = self._write(spool, chunk, size, limits)
            if self.closed:
                raise session_closed_error()
        except BaseException:
            self._release(size, reserved)
            spool.close()
            raise
        finally:
            self._arriving.discard(upload_id)
        return self._keep(upload_id, name, size, content_type, spool, reserved=reserved)

    def receive_bytes(
        self, upload_id: str, data: bytes, /, *, limits: UploadLimits, name: str, content_type: str
    ) -> UploadedFile:
        """Keep one file whose bytes are all here (Mode A: the page read the ``File``).

        Args and errors as :meth:`receive`, with ``data`` the whole content.

        Returns:
            The stored file (positioned at 0).

        Raises:
            UploadError: As :meth:`receive`.

        """
        name, spool, reserved = self._open(upload_id, limits, name, content_type)
        try:
            size = self._write(spool, data, 0, limits)
        except BaseException:
            self._release(0, reserved)
            spool.close()
            raise
        return self._keep(upload_id, name, size, content_type, spool, reserved=reserved)

    def _open(
        self, upload_id: str, limits: UploadLimits, name: str, content_type: str
    ) -> tuple[str, IO[bytes], int]:
        if not _ID_RE.match(upload_id):
            raise UploadError("not_found", "the upload id must be 8-64 characters of A-Z a-z 0-9 _ -")
        if self.closed:
            raise session_closed_error()
        if upload_id in self._files or upload_id in self._arriving:
            raise UploadError(
                "too_many_uploads", f"a file with the upload id {upload_id!r} is already waiting or arriving"
            )
        if len(self._files) + len(self._arriving) >= self._max_pending:
            raise UploadError(
                "too_many_uploads", f"at most {self._max_pending} files may arrive or wait for their handler"
            )
        name = name.replace("\\", "/").rsplit("/", 1)[-1][:MAX_FILE_NAME_CHARS]
        if not accepts(limits.accept, name, content_type):
            raise UploadError("not_accepted", f"{name!r} ({content_type or 'unknown type'}) is not accepted")
        budget = self._budget
        if budget.in_memory + self._spool_bytes <= budget.memory_limit:
            budget.in_memory += self._spool_bytes
            return name, tempfile.SpooledTemporaryFile(max_size=self._spool_bytes), self._spool_bytes
        return name, tempfile.TemporaryFile(), 0  # the process's memory share is taken: disk

    def _keep(
        self, upload_id: str, name: str, size: int, content_type: str, spool: IO[bytes], *, reserved: int
    ) -> UploadedFile:
        spool.seek(0)
        uploaded = UploadedFile(name=name, size=size, content_type=content_type, file=spool)
        self._files[upload_id] = uploaded
        self._held[upload_id] = (size, reserved)
        return uploaded

    def _write(self, spool: IO[bytes], chunk: bytes, size: int, limits: UploadLimits) -> int:
        if limits.max_bytes is not None and size + len(chunk) > limits.max_bytes:
            raise UploadError("too_large", f"the file is larger than {limits.max_bytes} bytes")
        budget = self._budget
        if budget.used + len(chunk) > budget.limit:
            raise UploadError(
                "too_many_uploads",
                f"the server holds its maximum of {budget.limit} bytes of files waiting for their "
                "handler; try again shortly",
            )
        spool.write(chunk)  # first: a failed write (a full disk) counts nothing
        budget.used += len(chunk)
        return size + len(chunk)

    def _release(self, size: int, reserved: int) -> None:
        self._budget.used -= size
        self._budget.in_memory -= reserved

    def take(self, upload_id: str, /) -> UploadedFile | None:
        """Remove and return the file stored under ``upload_id`` (None: no such file).

        The file leaves the process's budget: the handler holds it from here.
        """
        held = self._held.pop(upload_id, None)
        if held is not None:
            self._release(*held)
        return self._files.pop(upload_id, None)

    def close(self) -> None:
        """Discard every waiting file; a file still arriving is discarded at its next chunk."""
        self.closed = True
        _give_back(self._budget, self._held)
        files, self._files = self._files, {}
        for uploaded in files.values():
            uploaded.close()


def session_closed_error() -> UploadError:
    """Return the error of a file whose session closed while it arrived (``not_found``)."""
    return UploadError("not_found", "the session closed while the file arrived; nothing was kept")


def _give_back(budget: UploadBudget, held: dict[str, tuple[int, int]], /) -> None:
    """Return what the waiting files in ``held`` count in ``budget``, and forget them."""
    for size, reserved in held.values():
        budget.used -= size
        budget.in_memory -= reserved
    held.clear()


_STORES: weakref.WeakKeyDictionary[object, UploadStore] = weakref.WeakKeyDictionary()


def upload_store(core: object, /) -> UploadStore:
    """Return the upload store of a core session (created on first use, gone with the session).

    Args:
        core: The ``tempest_core.Session`` (a host's ``HostSession.core``; in a handler, the
            current session).

    Returns:
        Its store.

    """
    store = _STORES.get(core)
    if store is None:
        store = _STORES[core] = UploadStore()
        weakref.finalize(core, store.close)  # a session dropped without discard_uploads()
    return store


def discard_uploads(core: object, /) -> None:
    """Discard the files waiting in a closing session's store: they leave the budget now.

    A host calls it when the session closes (evicted, expired, ended). The store's finalizer
    would do the same once the session object is freed, but a session sits in reference
    cycles, which a serving process's collector reaches minutes later (its full collection);
    until then its files would keep counting against the process's budget.

    Args:
        core: The ``tempest_core.Session``.

    """
    store = _STORES.pop(core, None)
    if store is not None:
        store.close()


def upload_target(core: object, node: int, /) -> UploadLimits:
    """Return the limits of the FileUpload whose drop zone is ``node`` in the session's tree.

    Args:
        core: The ``tempest_core.Session``.
        node: The node id the client gave.

    Returns:
        The limits its handler carries.

    Raises:
        UploadError: ``not_found`` when that node has no FileUpload handler.

    """
    reconciler = getattr(core, "_rec", None)
    binding = reconciler.binding(node, EVENT_UPLOAD) if reconciler is not None else None
    limits = getattr(binding.handler, "upload_limits", None) if binding is not None else None
    if not isinstance(limits, UploadLimits):
        raise UploadError("not_found", f"no FileUpload at node {node} in the current tree")
    return limits
