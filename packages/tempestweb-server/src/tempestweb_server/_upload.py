"""``POST /_tw/upload``: one file of a FileUpload, streamed into the session's upload store.

The page (``client/src/upload.js``) sends each file alone, its bytes as the request body, with
the session id, the session-bound token, the drop zone's node id, the client's id of the file
and its name as query parameters (``tempestweb_contract.names``). The endpoint checks the origin
and the token, finds the FileUpload at that node in the tree the session rendered (its limits
come from there, never from the request), then streams the body with Starlette's
``request.stream()`` into the session's :class:`~tempest_core.host.UploadStore` (a size-bounded
spooled temporary file): a body over the limit is refused as soon as it passes it and nothing is
kept. The page then sends the ``tw-upload`` event with phase ``done``; the handler takes the file.

In a cluster (``--workers N --redis``, no sticky sessions) the upload may land on a worker that
does not hold the session's live tree, or holds a stale copy of it (another worker took the
session over while this one's lease lapsed): every upload locates the session's owner
(:meth:`Cluster.locate <tempestweb_server._cluster.Cluster.locate>`, which also takes over a
session whose owner is gone) and streams the bytes to it over Redis, a few chunks at a time
(:mod:`tempestweb_server._upload_relay`). The owner runs :func:`store_upload`, the same checks
and store as a local upload, so the answer (status, ``code``, ``message``) is the one a local
upload gets; a worker lost mid-upload gives ``upload_failed`` within
``UPLOAD_RELAY_TIMEOUT_S``.

An error answered before the whole body was read (an origin or token refused, a parameter
missing, ``too_large`` as the limit passes, a worker lost) is sent after the rest of the body is
read and discarded (:func:`~tempestweb_server._body.discard_body`, the rule of every POST
endpoint): a server that closes a connection with unread bytes resets it (RFC 9112, section 9.6,
"lingering close"), and the client would see a network error instead of the answer.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, AsyncIterator
from typing import Final

import msgspec
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from tempest_core.host import UploadCode, UploadedFile, UploadError, upload_store, upload_target
from tempest_core.host._uploads import session_closed_error
from tempestweb_contract.names import QUERY_FILE_NAME, QUERY_NODE, QUERY_SESSION, QUERY_TOKEN, QUERY_UPLOAD
from tempestweb_server._body import BodyTimeout, content_coding, discard_body, request_body
from tempestweb_server._origin import origin_allowed
from tempestweb_server.sessions import SessionManager

__all__ = ["UPLOAD_STATUS", "UploadOutcome", "UploadRequest", "store_upload", "upload_endpoint"]

logger = logging.getLogger("tempestweb_server.upload")

UPLOAD_STATUS: Final[dict[UploadCode, int]] = {
    "too_large": 413,
    "not_accepted": 415,
    "too_many_uploads": 429,
    "not_found": 404,
    "unauthorized": 403,
    "upload_failed": 400,
    "not_supported": 501,
}
"""HTTP status of each upload error code."""
_HEADERS: Final = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
_MAX_CONTENT_TYPE_CHARS: Final = 255
_MAX_NUMBER_DIGITS: Final = 15  # node ids and lengths past this are not numbers a page sends


class UploadRequest(msgspec.Struct, frozen=True):
    """One upload as the client asked for it (the query and headers; relayed as msgpack).

    Attributes:
        session: Session id.
        token: The session-bound token the page holds.
        node: Node id of the drop zone.
        upload: The client's id of the file.
        name: File name as the browser gave it.
        content_type: ``Content-Type`` header (at most 255 characters).
        declared: ``Content-Length`` in bytes, when the client sent one (a hint checked
            against the limit before reading; the bytes are counted anyway).

    """

    session: str
    token: str
    node: int
    upload: str
    name: str
    content_type: str = ""
    declared: int | None = None


class UploadOutcome(msgspec.Struct, frozen=True):
    """How an upload ended (relayed back as msgpack from the worker that stored it).

    Attributes:
        code: ``None`` when the file is stored, else the error code.
        message: The error's message (``""`` when stored).
        size: Bytes stored.

    """

    code: UploadCode | None = None
    message: str = ""
    size: int = 0


async def store_upload(
    manager: SessionManager, upload: UploadRequest, chunks: AsyncIterable[bytes], /
) -> UploadedFile:
    """Check an upload against the session's tree here and spool its bytes into the session's store.

    The one rule for every upload, local or relayed from another worker.

    Args:
        manager: The session table holding the session.
        upload: The request.
        chunks: The body, in order.

    Returns:
        The stored file.

    Raises:
        UploadError: ``unauthorized`` (the token does not match), ``not_found`` (no live
            session here, or no FileUpload at the node), ``too_large`` (declared or counted),
            ``not_found`` as well when the session closed while the file arrived, and what
            :meth:`UploadStore.receive <tempest_core.host.UploadStore.receive>` raises.

    """
    if not manager.verify(upload.session, upload.token):
        raise UploadError("unauthorized", "the session token is not valid for this session")
    session = manager.live(upload.session)
    if session is None:
        raise UploadError("not_found", "no live session with this id on this server")
    limits = upload_target(session.core, upload.node)
    if limits.max_bytes is not None and upload.declared is not None and upload.declared > limits.max_bytes:
        raise UploadError("too_large", f"the file is larger than {limits.max_bytes} bytes")
    store = upload_store(session.core)
    uploaded = await store.receive(
        upload.upload, chunks, limits=limits, name=upload.name, content_type=upload.content_type
    )
    if manager.live(upload.session) is not session:  # evicted as the last bytes came (its close is a task)
        store.close()  # its files go with it, this one too
        raise session_closed_error()
    return uploaded


def _answer(outcome: UploadOutcome, upload_id: str, /) -> Response:
    """Return the HTTP answer of an upload's outcome (the same locally and relayed)."""
    if outcome.code is None:
        return JSONResponse({"id": upload_id, "size": outcome.size}, headers=_HEADERS)
    return _fail(outcome.code, outcome.message)


def _fail(code: UploadCode, message: str, status: int | None = None) -> Response:
    return JSONResponse(
        {"code": code, "message": message}, status_code=status or UPLOAD_STATUS[code], headers=_HEADERS
    )


def _read_request(request: Request) -> UploadRequest | None:
    query = request.query_params
    session_id, token = query.get(QUERY_SESSION), query.get(QUERY_TOKEN)
    node, upload_id, name = query.get(QUERY_NODE, ""), query.get(QUERY_UPLOAD), query.get(QUERY_FILE_NAME)
    if not session_id or not token or not _is_number(node) or not upload_id or name is None:
        return None
    declared = request.headers.get("content-length", "")
    return UploadRequest(
        session=session_id,
        token=token,
        node=int(node),
        upload=upload_id,
        name=name,
        content_type=request.headers.get("content-type", "")[:_MAX_CONTENT_TYPE_CHARS],
        declared=_declared_length(declared),
    )


def _declared_length(text: str) -> int | None:
    """Read ``Content-Length``: its value, or ``None`` when there is none (chunked) or it is not a number.

    A length of more than ``_MAX_NUMBER_DIGITS`` digits (the ASGI server took it) is larger than
    any limit: it is declared as ``10 ** _MAX_NUMBER_DIGITS`` bytes (a size that fits the relay's
    msgpack), so the limit refuses it at once instead of it counting as no length at all.
    """
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text) <= _MAX_NUMBER_DIGITS else 10**_MAX_NUMBER_DIGITS


def _is_number(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` takes ``²``, which ``int`` refuses), a bounded count."""
    return text.isascii() and text.isdigit() and len(text) <= _MAX_NUMBER_DIGITS


async def upload_endpoint(request: Request, /) -> Response:
    """Handle ``POST /_tw/upload`` (see the module docstring).

    Args:
        request: The request; ``request.app.state.manager`` is the :class:`SessionManager`.

    Returns:
        200 ``{"id", "size"}`` when the file is stored; otherwise ``{"code", "message"}`` with
        403 ``unauthorized`` (origin or token), 400 ``upload_failed`` (missing parameter,
        client gone, or in a cluster the worker serving the session or Redis lost), 404
        ``not_found`` (no such session, or no FileUpload at that node), 408 ``upload_failed``
        (the body fell behind ``body_timeout_s`` + one second per ``body_min_rate`` bytes:
        :mod:`tempestweb_server._body`), 413 ``too_large``, 415 ``not_accepted`` (a type outside
        ``accept``, or a ``Content-Encoding`` other than ``identity``: the body is the file's
        bytes and is never decoded) or 429 ``too_many_uploads``.

    """
    manager: SessionManager = request.app.state.manager
    config = manager.config
    body = request_body(request, config)  # one iterator: what a refusal leaves unread is drained from it
    if not origin_allowed(request.headers, config.allowed_origins):
        origin = request.headers.get("origin", "")[:200]  # never echo unbounded client text
        await discard_body(body)
        return _fail("unauthorized", f"origin {origin!r} is not allowed")
    upload = _read_request(request)
    if upload is None:
        keys = ", ".join((QUERY_SESSION, QUERY_TOKEN, QUERY_NODE, QUERY_UPLOAD, QUERY_FILE_NAME))
        await discard_body(body)
        return _fail("upload_failed", f"query parameters {keys} are required ({QUERY_NODE}: a node id)")
    if not manager.verify(upload.session, upload.token):
        await discard_body(body)
        return _fail("unauthorized", "the session token is not valid for this session")
    encoding = content_coding(request)
    if encoding is not None:  # stored as they came, the bytes would not be the file's
        await discard_body(body)
        return _fail(
            "not_accepted",
            f"Content-Encoding {encoding[:40]!r} is not supported: send the file's bytes as they are",
        )
    try:
        outcome = await _receive(manager, upload, body)
    except ClientDisconnect:
        return _fail("upload_failed", "the client went away before the whole file arrived")
    except BodyTimeout as exc:  # a trickled file frees its connection; nothing was stored
        logger.info("upload of session %s cut: %s", upload.session[:16], exc)
        pace = f"{exc}; a file must arrive at {config.body_min_rate} bytes/s or faster"
        return _fail("upload_failed", pace, 408)
    if outcome.code is not None:
        logger.info(
            "upload refused for session %s: [%s] %s", upload.session[:16], outcome.code, outcome.message
        )
        await discard_body(body)
    return _answer(outcome, upload.upload)


async def _receive(
    manager: SessionManager, upload: UploadRequest, body: AsyncIterator[bytes]
) -> UploadOutcome:
    cluster = manager.cluster
    if cluster is not None:  # asked even when the session is live here: that copy may be stale
        relayed = await cluster.uploads.forward(upload, body)
        if relayed is not None:  # else the session is served here now (taken over), or nowhere
            return relayed
    try:
        uploaded = await store_upload(manager, upload, body)
    except UploadError as exc:
        return UploadOutcome(exc.code, exc.message)
    return UploadOutcome(size=uploaded.size)
