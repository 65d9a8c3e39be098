"""``GET /_tw/rehearsal``: the host's recording of the idle-time rehearsal (Mode B).

The client replays it in an inert document once the page is idle (``client/src/rehearsal.js``),
so that the functions of a person's first scroll, keystroke and click are compiled before they
come; the recording is :func:`tempest_core.host._rehearsal.recorded`, played once per process
on the first request (a throwaway session of a private app: never one of the page's sessions,
never counted by admission control).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging

from starlette.requests import Request
from starlette.responses import Response

from tempestweb_server._conditional import accepts_gzip, evaluate_preconditions

__all__ = ["RehearsalScript"]

logger = logging.getLogger("tempestweb.server")

_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", "Vary": "Accept-Encoding"}


async def _record() -> str:
    """Play the rehearsal (its private app is imported here, on the first request)."""
    from tempest_core.host._rehearsal import recorded

    return await recorded()


class RehearsalScript:
    """The recording, played on first use and kept (JSON, its gzip encoding and its ETag)."""

    def __init__(self) -> None:
        self._task: asyncio.Future[tuple[bytes, bytes, str] | None] | None = None

    async def _play(self) -> tuple[bytes, bytes, str] | None:
        try:
            body = (await _record()).encode()
        except Exception:  # a change to the rehearsal's app that its module did not follow
            logger.exception("the idle-time rehearsal could not be recorded; pages run without it")
            return None
        return body, gzip.compress(body, mtime=0), f'"{hashlib.sha256(body).hexdigest()[:16]}"'

    async def response(self, request: Request, /) -> Response:
        """Answer ``GET /_tw/rehearsal``.

        Args:
            request: The request (``If-None-Match``, ``Accept-Encoding``).

        Returns:
            200 with the JSON (gzip-encoded when ``Accept-Encoding`` gives gzip a weight above
            0; ``no-cache`` with an ETag, so a page revalidates it), 304 when ``If-None-Match``
            matches the ETag (weak comparison, lists, ``*``), 412 when ``If-Match`` names none
            of it, 404 when the rehearsal
            could not be recorded (logged once; the client then does without it).

        """
        if self._task is None:
            self._task = asyncio.ensure_future(self._play())
        played = await asyncio.shield(self._task)
        if played is None:
            return Response("no rehearsal", status_code=404, media_type="text/plain", headers=_HEADERS)
        body, compressed, etag = played
        headers = {**_HEADERS, "ETag": etag}
        status = evaluate_preconditions(request.headers, etag=etag, modified_s=None)
        if status is not None:  # 304, or 412 for an If-Match that names another version
            return Response(status_code=status, headers=headers)
        if accepts_gzip(", ".join(request.headers.getlist("accept-encoding"))):
            return Response(
                compressed, media_type="application/json", headers={**headers, "Content-Encoding": "gzip"}
            )
        return Response(body, media_type="application/json", headers=headers)
