"""``tempestweb dev`` (Mode B): the reload event stream the error page of a failed first render listens to.

Live pages get a save by hot reload over their session. A page whose first render failed has
no session: it is the error page (:mod:`tempestweb_server._error_page`), which in dev names the
app version it shows in ``<meta name="tw-dev-build">`` and loads the client's ``dev.js``. That
script listens here (Server-Sent Events at ``/_tw/dev/events``, the path Mode A's dev server
uses too): ``hello`` with the version served now on every (re)connect, ``reload`` with the new
one after each reload of the app, and it reloads the page when the version differs from its
own, so the page shows the app again once the fix is saved (issue 12).

https://html.spec.whatwg.org/multipage/server-sent-events.html
"""

from __future__ import annotations

import asyncio
import functools
import secrets
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import StreamingResponse

from tempestweb_server.constants import SSE_HEARTBEAT_INTERVAL_S

__all__ = ["DevEvents"]

_VERSION_BYTES = 8
"""Random bytes of an app version id (16 hex characters)."""


class DevEvents:
    """The app version the dev server runs, and a broadcast of each new one to open streams.

    Args:
        keepalive_s: Seconds between keep-alive comments on an idle stream (> 0): a write is how
            a closed stream is noticed, and proxies drop silent connections.

    Raises:
        ValueError: ``keepalive_s`` is not positive.

    """

    def __init__(self, *, keepalive_s: float = SSE_HEARTBEAT_INTERVAL_S) -> None:
        if not keepalive_s > 0:
            raise ValueError(f"keepalive_s must be a positive number of seconds, got {keepalive_s!r}")
        self.keepalive_s = keepalive_s
        self.version = secrets.token_hex(_VERSION_BYTES)
        self._changed = asyncio.Condition()
        self._closed = False

    async def publish(self) -> str:
        """Announce a new version of the app (after a reload): every open stream sends ``reload``.

        Returns:
            The new version id.

        """
        async with self._changed:
            self.version = secrets.token_hex(_VERSION_BYTES)
            self._changed.notify_all()
            return self.version

    async def close(self) -> None:
        """End every open stream (the dev server stops; a stream would hold its shutdown)."""
        async with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _newer_than(self, version: str) -> bool:
        return self._closed or self.version != version

    async def _frames(self) -> AsyncIterator[str]:
        version = self.version
        yield f"retry: 1000\nevent: hello\ndata: {version}\n\n"
        while True:
            async with self._changed:
                newer = functools.partial(self._newer_than, version)
                try:
                    await asyncio.wait_for(self._changed.wait_for(newer), self.keepalive_s)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if self._closed:
                    return
                version = self.version
            yield f"event: reload\ndata: {version}\n\n"

    async def stream(self, request: Request) -> StreamingResponse:
        """Serve one event stream (``GET /_tw/dev/events``) until the page leaves or dev stops.

        Args:
            request: The page's ``EventSource`` request.

        Returns:
            A ``text/event-stream`` response.

        """
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        return StreamingResponse(self._frames(), media_type="text/event-stream", headers=headers)
