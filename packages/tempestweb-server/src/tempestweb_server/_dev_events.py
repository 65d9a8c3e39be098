"""``tempestweb dev`` (Mode B): the dev event stream the pages listen to (``/_tw/dev/events``).

Under ``tempestweb dev`` every page loads the client's ``dev.js``, which listens here
(Server-Sent Events, the path and events of Mode A's dev server too:
:mod:`tempestweb_contract.dev`):

- a live page gets a save of the app's Python by hot reload over its session; here it only
  listens for ``stylesheets``: a saved ``.css`` asset is loaded again by the ``<link>`` elements
  naming it, without a page reload (the session, its state and the DOM stay);
- a page whose first render failed has no session: it is the error page
  (:mod:`tempestweb_server._error_page`), which names the app version it shows in
  ``<meta name="tw-dev-build">``; ``hello`` carries the version served now on every (re)connect,
  ``reload`` the new one after each reload of the app, and the page reloads when the version
  differs from its own, so it shows the app again once the fix is saved (issue 12).

https://html.spec.whatwg.org/multipage/server-sent-events.html
"""

from __future__ import annotations

import asyncio
import functools
import secrets
from collections.abc import AsyncIterator, Sequence

from starlette.requests import Request
from starlette.responses import StreamingResponse

from tempestweb_contract.dev import DevEventLog
from tempestweb_server.constants import SSE_HEARTBEAT_INTERVAL_S

__all__ = ["DevEvents"]

_VERSION_BYTES = 8
"""Random bytes of an app version id (16 hex characters)."""


class DevEvents:
    """The app version the dev server runs, and a broadcast of each change to open streams.

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
        self._log = DevEventLog(secrets.token_hex(_VERSION_BYTES))
        self._changed = asyncio.Condition()
        self._closed = False

    @property
    def version(self) -> str:
        """Id of the app version served now (a new one after each reload of the app)."""
        return self._log.build

    async def publish(self) -> str:
        """Announce a new version of the app (after a reload): every open stream sends ``reload``.

        Returns:
            The new version id.

        """
        async with self._changed:
            version = secrets.token_hex(_VERSION_BYTES)
            self._log.publish("reload", version)
            self._changed.notify_all()
            return version

    async def publish_stylesheets(self, paths: Sequence[str], /) -> None:
        """Announce saved stylesheets: every open page loads the ``<link>`` elements naming them again.

        Args:
            paths: URL paths of the changed ``.css`` assets (``"/static/app.css"``), at least one.

        Raises:
            ValueError: ``paths`` is empty, or a path does not start with ``/`` or spans lines.

        """
        if any(not path.startswith("/") for path in paths):
            raise ValueError(f"stylesheet URL paths start with '/', got {list(paths)!r}")
        async with self._changed:
            self._log.publish("stylesheets", self._log.build, paths=[path[1:] for path in paths])
            self._changed.notify_all()

    async def close(self) -> None:
        """End every open stream (the dev server stops; a stream would hold its shutdown)."""
        async with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _newer_than(self, generation: int) -> bool:
        return self._closed or self._log.generation != generation

    async def _frames(self) -> AsyncIterator[str]:
        generation, hello = self._log.hello()
        yield f"retry: 1000\n{hello}"
        while True:
            async with self._changed:
                try:
                    newer = functools.partial(self._newer_than, generation)
                    await asyncio.wait_for(self._changed.wait_for(newer), self.keepalive_s)
                except TimeoutError:
                    frames = [": keep-alive\n\n"]
                else:
                    if self._closed:
                        return
                    generation, frames = self._log.since(generation)
            for frame in frames:
                yield frame

    async def stream(self, request: Request) -> StreamingResponse:
        """Serve one event stream (``GET /_tw/dev/events``) until the page leaves or dev stops.

        Args:
            request: The page's ``EventSource`` request.

        Returns:
            A ``text/event-stream`` response.

        """
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        return StreamingResponse(self._frames(), media_type="text/event-stream", headers=headers)
