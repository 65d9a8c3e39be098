"""The Starlette application of the Mode B host: shell, client files, WebSocket, SSE + POST."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket

from tempest_core.errors import SessionError
from tempest_core.events import build_event_models
from tempest_core.host import PENDING_UPLOADS, SessionFactory, SessionRefused, clip
from tempest_core.prerender import render_to_html
from tempest_core.router import parse_location
from tempestweb_contract.names import (
    CLIENT_PATH,
    DEV_EVENTS_PATH,
    ENDPOINT_PREFIX,
    REHEARSAL_PATH,
    SEND_PATH,
    SSE_PATH,
    UPLOAD_PATH,
    WS_PATH,
)
from tempestweb_server._assets import ClientFiles
from tempestweb_server._dev_events import DevEvents
from tempestweb_server._error_page import render_busy_response, render_error_response
from tempestweb_server._head import head_response
from tempestweb_server._native import NATIVE_URL_PREFIX, NativeModules
from tempestweb_server._origin import HostGuard
from tempestweb_server._rehearsal import RehearsalScript
from tempestweb_server._shell import render_shell
from tempestweb_server._sse import SseChannels
from tempestweb_server._static import AssetRoute, StaticAssets, resolve_served_files
from tempestweb_server._upload import upload_endpoint
from tempestweb_server._ws import serve_websocket
from tempestweb_server.config import ServerConfig
from tempestweb_server.constants import CONTENT_SECURITY_POLICY, REFERRER_POLICY
from tempestweb_server.errors import ConfigError
from tempestweb_server.sessions import SessionManager

__all__ = ["create_app"]

logger = logging.getLogger("tempestweb.server")

_SHELL_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": REFERRER_POLICY,
    "Cache-Control": "no-store",
}


def create_app(
    app: Any,
    *,
    config: ServerConfig | None = None,
    session_factory: SessionFactory | None = None,
    dev_events: DevEvents | None = None,
) -> Starlette:
    """Build the ASGI application serving ``app`` in Mode B.

    Routes: each file matched by ``config.assets`` and each of ``config.scripts`` at its path
    relative to ``config.app_dir`` (``/static/logo.png``); every other GET outside ``/_tw/``
    returns the HTML shell with the prerendered first view of a new session;
    ``/_tw/client/<file>`` the JS client; ``/_tw/ws`` the WebSocket transport; ``/_tw/sse`` +
    ``/_tw/send`` the SSE + POST fallback (paths from :mod:`tempestweb_contract.names`). The session
    manager is available as ``starlette_app.state.manager`` (the CLI's ``dev`` uses it to
    hot-reload), the served assets as ``starlette_app.state.assets``. With ``config.redis`` the app
    is one worker of a cluster (``starlette_app.state.cluster``): it joins at start-up and hands
    its sessions over at shutdown.

    Args:
        app: The ``tempest_core.App`` to serve.
        config: Host options; ``None`` uses the defaults.
        session_factory: Core session constructor; ``None`` uses ``tempest_core.Session``.
        dev_events: ``tempestweb dev`` only: served at ``/_tw/dev/events``; every page loads
            the client's ``dev.js``, which reloads a saved stylesheet in place, and the error
            page of a failed first render reloads itself when it announces a new app version.

    Returns:
        A Starlette app usable under any ASGI server.

    Raises:
        ConfigError: ``config.assets`` has a glob that matches no file, matches a file outside
            ``config.app_dir`` or under ``/_tw/``, or is absolute, or a ``config.scripts`` path
            is not a file of the app folder (see
            :attr:`ServerConfig.assets <tempestweb_server.config.ServerConfig>`).
            ``config.redis`` is set but redis-py (the ``redis`` extra) is not installed.

    Example:
        >>> from tempest_core import App, html
        >>> asgi = create_app(App(view=lambda state: html.p("hi"), state=None))
        >>> from starlette.testclient import TestClient
        >>> TestClient(asgi).get("/deep/link").status_code
        200

    """
    config = config or ServerConfig()
    served, script_urls = resolve_served_files(config)
    assets = StaticAssets(served)
    manager = SessionManager(app, config=config, session_factory=session_factory)
    cluster = None
    if config.redis is not None:  # one worker of several on Redis (docs/deployment.md)
        try:
            from tempestweb_server._cluster import Cluster
        except ImportError as exc:
            raise ConfigError(
                f"ServerConfig.redis needs redis-py ({exc}): pip install 'tempestweb-server[redis]'"
            ) from None
        cluster = Cluster(manager, config.redis)
    files = ClientFiles(config.client_dir)
    native = NativeModules()  # tempestweb.native and plugins (tempestweb.capabilities entry points)
    channels = SseChannels(manager)
    rehearsal = RehearsalScript()
    if cluster is not None:
        cluster.channels = channels

    def page_not_found() -> Response:
        """Answer a path that is not a page of this app (a scheme or host, or too long): 404."""
        return PlainTextResponse("404 not found", status_code=404, headers=_SHELL_HEADERS)

    async def shell(request: Request) -> Response:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method == "HEAD":  # no session for a probe: the GET's status and headers, no body
            try:
                parse_location(path)
            except ValueError:  # the GET's 404: a path with a scheme or host, or too long
                return page_not_found()
            busy = manager.busy()
            if busy is not None:  # the GET's 503: a probe must not see 200 while pages are refused
                return render_busy_response(reason=busy, headers=_SHELL_HEADERS)
            return head_response(media_type="text/html; charset=utf-8", headers=_SHELL_HEADERS)
        try:
            session = manager.open(path)
        except SessionRefused as exc:
            return render_busy_response(reason=exc.message, headers=_SHELL_HEADERS)
        except SessionError as exc:
            if exc.code == "not_found":  # a path with a scheme or host: not a page of this app
                return page_not_found()
            logger.error("prerendering %s failed (error %s): %s", clip(path, 200), exc.error_id, exc.message)
            return render_error_response(
                message=exc.message,
                error_id=exc.error_id,
                detail=exc.detail,
                show_detail=manager.debug,
                headers=_SHELL_HEADERS,
                dev_version=dev_events.version if dev_events is not None else None,
            )
        try:
            await session.checkpoint()  # in a cluster: registered before the client may reach another worker
            body_html = session.core.render_html()
            styles = session.core.styles
        except Exception as exc:
            failure = SessionError.app_failure(exc, "prerendering the view")
            logger.exception("prerendering %s failed (error %s)", clip(path, 200), failure.error_id)
            await manager.discard(session)
            return render_error_response(
                message=failure.message,
                error_id=failure.error_id,
                detail=failure.detail,
                show_detail=manager.debug,
                headers=_SHELL_HEADERS,
                dev_version=dev_events.version if dev_events is not None else None,
            )
        page = render_shell(
            title=config.title or str(getattr(manager.app, "title", "tempestweb")),  # a hot reload's too
            styles=styles,
            body_html=body_html,
            session_id=session.id,
            token=session.token,
            head_extra=native.links + config.head_extra,
            transport=config.transport,
            scripts=script_urls,
            dev=dev_events is not None,
        )
        return HTMLResponse(page, headers=_SHELL_HEADERS)

    async def client_file(request: Request) -> Response:
        return files.response(request, request.path_params["path"])

    async def websocket(ws: WebSocket) -> None:
        await serve_websocket(ws, manager)

    async def not_found(request: Request) -> Response:
        return PlainTextResponse("not found", status_code=404, headers={"X-Content-Type-Options": "nosniff"})

    async def no_favicon(request: Request) -> Response:
        return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        build_event_models()  # at start-up, not inside the first event of this process
        await _warm_up(manager)
        PENDING_UPLOADS.limit = config.max_upload_bytes  # process-wide: the last app started wins
        if cluster is not None:
            await cluster.start()
        janitor = asyncio.create_task(manager.run_janitor())
        probe = asyncio.create_task(manager.load.run())  # admission control's loop-lag probe
        try:
            yield
        finally:
            for task in (janitor, probe):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if cluster is not None:
                await cluster.stop()  # sessions stay in Redis: other workers resume them
            await manager.close_all()

    routes: list[BaseRoute] = [
        Route(f"{ENDPOINT_PREFIX}{CLIENT_PATH}/{{path:path}}", client_file, methods=["GET"]),
        WebSocketRoute(f"{ENDPOINT_PREFIX}{WS_PATH}", websocket),
        Route(f"{ENDPOINT_PREFIX}{SSE_PATH}", channels.stream, methods=["GET"]),
        Route(f"{ENDPOINT_PREFIX}{SEND_PATH}", channels.send, methods=["POST"]),
        Route(f"{ENDPOINT_PREFIX}{UPLOAD_PATH}", upload_endpoint, methods=["POST"]),
        Route(f"{ENDPOINT_PREFIX}{REHEARSAL_PATH}", rehearsal.response, methods=["GET"]),
        Route(f"{NATIVE_URL_PREFIX}/{{path:path}}", native.response, methods=["GET"]),
        *(
            [Route(f"{ENDPOINT_PREFIX}{DEV_EVENTS_PATH}", dev_events.stream, methods=["GET"])]
            if dev_events is not None
            else []
        ),
        Route(f"{ENDPOINT_PREFIX}", not_found),
        Route(f"{ENDPOINT_PREFIX}/{{rest:path}}", not_found),
        AssetRoute(assets),  # exactly the asset paths (never under /_tw/), ahead of the pages
        Route("/favicon.ico", no_favicon),  # browsers ask for it on every load: no session for it
        Route("/{path:path}", shell, methods=["GET"]),
    ]
    starlette_app = Starlette(
        debug=config.debug,
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(HostGuard, allowed_hosts=config.allowed_hosts)],
    )
    # No trailing-slash redirects: every page path has its route (the last one), and a path the
    # routes do not match (a decoded newline inside it: "/\n/") is a 404, not a 307 to a
    # rewritten URL built from the request.
    starlette_app.router.redirect_slashes = False
    starlette_app.state.manager = manager
    starlette_app.state.cluster = cluster
    starlette_app.state.channels = channels
    starlette_app.state.config = config
    starlette_app.state.assets = assets
    return starlette_app


async def _warm_up(manager: SessionManager) -> None:
    """Pay at start-up what the first session of a process would pay for everyone after it.

    The first page of a process generated the app's style rules (one copy per process, shared
    by every session's stylesheet) and loaded anyio's asyncio backend (the WebSocket and SSE
    handlers' task groups): about 0.9 MiB and some milliseconds that landed in the first
    visitor's answer and in the first session's memory. The first view at ``/`` is rendered
    once here, as a prerender (no effects run, nothing is kept but those shared caches); a view
    that raises there is left for the first page to report, as it would have been.
    """
    try:
        render_to_html(manager.app, path="/")
    except Exception as exc:
        logger.debug("warm-up render of / raised %s", type(exc).__name__)
    await anyio.sleep(0)  # loads anyio's backend for this event loop
