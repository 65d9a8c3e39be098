"""``POST /_tw/upload``: one file of a FileUpload, streamed into the session's upload store.

The page (``client/src/upload.js``) sends each file alone, its bytes as the request body, with
the session id, the session-bound token, the drop zone's node id, the client's id of the file
and its name as query parameters (``tempestweb_contract.names``). The endpoint checks the origin
and the token, finds the FileUpload at that node in the tree the session rendered (its limits
come from there, never from the request), then streams the body with Starlette's
``request.stream()`` into the session's :class:`~tempest_core.host.UploadStore` (a size-bounded
spooled temporary file): a body over the limit is refused as soon as it passes it and nothing is
kept. The page then sends the ``tw-upload`` event with phase ``done``; the handler takes the file.

In a cluster (``--workers``) only the worker holding the session's live tree accepts its
uploads (another answers 404 ``not_found``).
"""

from __future__ import annotations

import logging
from typing import Final

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from tempest_core.host import UploadCode, UploadError, upload_store, upload_target
from tempestweb_contract.names import QUERY_FILE_NAME, QUERY_NODE, QUERY_SESSION, QUERY_TOKEN, QUERY_UPLOAD
from tempestweb_server._origin import origin_allowed
from tempestweb_server.sessions import SessionManager

__all__ = ["UPLOAD_STATUS", "upload_endpoint"]

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


def _fail(code: UploadCode, message: str) -> Response:
    return JSONResponse({"code": code, "message": message}, status_code=UPLOAD_STATUS[code], headers=_HEADERS)


async def upload_endpoint(request: Request, /) -> Response:
    """Handle ``POST /_tw/upload`` (see the module docstring).

    Args:
        request: The request; ``request.app.state.manager`` is the :class:`SessionManager`.

    Returns:
        200 ``{"id", "size"}`` when the file is stored; otherwise ``{"code", "message"}`` with
        403 ``unauthorized`` (origin or token), 400 ``upload_failed`` (missing parameter,
        client gone), 404 ``not_found`` (no such session here, or no FileUpload at that node),
        413 ``too_large``, 415 ``not_accepted`` or 429 ``too_many_uploads``.

    """
    manager: SessionManager = request.app.state.manager
    if not origin_allowed(request.headers, manager.config.allowed_origins):
        origin = request.headers.get("origin", "")[:200]  # never echo unbounded client text
        return _fail("unauthorized", f"origin {origin!r} is not allowed")
    query = request.query_params
    session_id, token = query.get(QUERY_SESSION), query.get(QUERY_TOKEN)
    node, upload_id, name = query.get(QUERY_NODE, ""), query.get(QUERY_UPLOAD), query.get(QUERY_FILE_NAME)
    if not session_id or not token or not node.isdigit() or not upload_id or name is None:
        keys = ", ".join((QUERY_SESSION, QUERY_TOKEN, QUERY_NODE, QUERY_UPLOAD, QUERY_FILE_NAME))
        return _fail("upload_failed", f"query parameters {keys} are required ({QUERY_NODE}: a node id)")
    if not manager.verify(session_id, token):
        return _fail("unauthorized", "the session token is not valid for this session")
    session = manager.live(session_id)
    if session is None:
        return _fail("not_found", "no live session with this id on this server")
    try:
        limits = upload_target(session.core, int(node))
        declared = request.headers.get("content-length", "")
        if limits.max_bytes is not None and declared.isdigit() and int(declared) > limits.max_bytes:
            raise UploadError("too_large", f"the file is larger than {limits.max_bytes} bytes")
        uploaded = await upload_store(session.core).receive(
            upload_id,
            request.stream(),
            limits=limits,
            name=name,
            content_type=request.headers.get("content-type", "")[:255],
        )
    except UploadError as exc:
        logger.info("upload refused for session %s: %s", session_id[:16], exc)
        return _fail(exc.code, exc.message)
    except ClientDisconnect:
        return _fail("upload_failed", "the client went away before the whole file arrived")
    return JSONResponse({"id": upload_id, "size": uploaded.size}, headers=_HEADERS)
