"""Running the Mode B host under Hypercorn (or ``ServerConfig.asgi_server``) with graceful shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import gc
import logging
import signal
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from wsproto.extensions import Extension

from tempest_core.host import Connection
from tempestweb_contract.constants import CLOSE_GOING_AWAY
from tempestweb_server._asgi import create_app
from tempestweb_server._asgi_servers import check_installed, serve_granian, serve_uvicorn
from tempestweb_server._collector import collector_schedule
from tempestweb_server._deflate import SizedDeflate
from tempestweb_server._frame_guard import FrameGuard
from tempestweb_server._loop import run as run_loop
from tempestweb_server._protocol_guards import install_protocol_guards
from tempestweb_server._send_timeout import install_send_timeout
from tempestweb_server._ws_frames import install_fast_frames
from tempestweb_server.config import ServerConfig
from tempestweb_server.constants import DEFAULT_HOST, DEFAULT_PORT, GC_THRESHOLDS, SHUTDOWN_TIMEOUT_S
from tempestweb_server.errors import AddressInUseError

__all__ = ["serve", "serve_asgi"]

logger = logging.getLogger("tempestweb.server")


def serve(app: Any, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, **options: object) -> None:
    """Serve ``app`` with Hypercorn until SIGINT or SIGTERM.

    Args:
        app: The ``tempest_core.App``.
        host: Interface to bind.
        port: TCP port; 0 picks a free one (logged in the startup message).
        **options: Other :class:`~tempestweb_server.config.ServerConfig` fields
            (``allowed_origins``, ``recovery_window_s``, ``title``, ``debug``...).

    Raises:
        ConfigError: An unknown option or an invalid value, or ``event_loop="uvloop"`` where
            uvloop is not installed.
        AddressInUseError: Another process listens on ``port``.
        OSError: The address cannot be bound.

    """
    config = ServerConfig.from_options({**options, "host": host, "port": port})
    _configure_logging(config.debug)
    asgi = create_app(app, config=config)
    run_loop(serve_asgi(asgi, config), config)  # refuses an event loop that is not installed


async def serve_asgi(
    asgi: Starlette,
    config: ServerConfig,
    *,
    shutdown_trigger: Callable[[], Awaitable[object]] | None = None,
    bind: str | None = None,
) -> None:
    """Run an ASGI app under Hypercorn (or ``config.asgi_server``) in the current event loop.

    Args:
        asgi: The app from :func:`~tempestweb_server.create_app`.
        config: Host and port (port 0 picks a free port), ``asgi_server`` and its limits.
        shutdown_trigger: Awaitable factory that returns when the server should stop; ``None``
            installs SIGINT/SIGTERM handlers.
        bind: A Hypercorn bind that replaces ``config.host``/``config.port``: ``"fd://N"``,
            the listening socket a supervisor shares with every worker.

    Raises:
        AddressInUseError: Another process listens on ``config.port`` (checked before the
            startup message and the app's lifespan), whatever the server.
        ConfigError: ``config.asgi_server`` is not installed (the message names the extra),
            or cannot serve the config (Granian with compression, several workers).
        OSError: The address cannot be bound.

    """
    if config.asgi_server != "hypercorn":
        check_installed(config)
    port = config.port or _free_port(config.host)
    if bind is None:
        _check_bind(config.host, port)
    bind_host = f"[{config.host}]" if ":" in config.host else config.host
    if config.asgi_server != "hypercorn":
        await _serve_other(asgi, config, host=config.host, port=port, shutdown_trigger=shutdown_trigger)
        return
    from hypercorn.asyncio import serve as hypercorn_serve
    from hypercorn.config import Config

    hyper = Config()
    hyper.bind = [bind or f"{bind_host}:{port}"]
    hyper.graceful_timeout = SHUTDOWN_TIMEOUT_S
    # wsproto refuses (close 1009) a message past the frame limit before buffering the rest of it,
    # and Hypercorn's app queue holds at most max_app_queue_size messages of that size.
    hyper.websocket_max_message_size = config.max_frame_bytes
    hyper.accesslog = None
    hyper.errorlog = logging.getLogger("tempestweb.server.hypercorn")
    _configure_compression(config.ws_compression, config.max_frame_bytes)
    install_fast_frames()  # whole data frames parsed in one step (same frames and errors as wsproto)
    install_send_timeout(config.send_timeout_s)
    install_protocol_guards(config.send_timeout_s)  # HTTP/2 and WebSocket faults of Hypercorn
    _tune_gc()
    if shutdown_trigger is None:
        shutdown_trigger = _signal_trigger()
    shutdown_trigger = _closing_connections(shutdown_trigger, asgi)
    if bind is None:
        logger.info(
            "tempestweb: serving on http://%s:%d/ on %s (Ctrl+C to stop)", bind_host, port, _loop_name()
        )
    async with collector_schedule():
        await hypercorn_serve(asgi, hyper, shutdown_trigger=shutdown_trigger, mode="asgi")  # type: ignore[arg-type]
    logger.info("tempestweb: stopped")


async def _serve_other(
    asgi: Starlette,
    config: ServerConfig,
    *,
    host: str,
    port: int,
    shutdown_trigger: Callable[[], Awaitable[object]] | None,
) -> None:
    """Serve under Uvicorn or Granian (:mod:`tempestweb_server._asgi_servers`)."""
    _tune_gc()
    trigger = _closing_connections(shutdown_trigger or _signal_trigger(), asgi)
    bind_host = f"[{host}]" if ":" in host else host
    serve_with = serve_uvicorn if config.asgi_server == "uvicorn" else serve_granian
    logger.info(
        "tempestweb: serving on http://%s:%d/ under %s on %s (Ctrl+C to stop)",
        bind_host,
        port,
        config.asgi_server,
        _loop_name(),
    )
    async with collector_schedule():
        await serve_with(asgi, config, host=host, port=port, shutdown_trigger=trigger)
    logger.info("tempestweb: stopped")


def _configure_compression(mode: str, max_message_bytes: int) -> None:
    """Make Hypercorn negotiate permessage-deflate (RFC 7692) as ``ServerConfig.ws_compression`` says.

    Hypercorn offers ``wsproto``'s ``PerMessageDeflate()`` with context takeover to every client,
    which keeps about 100 KiB of zlib state per connection for its lifetime. Hypercorn has no
    option for it; its handshake builds the extension from the name in its ``ws_stream`` module,
    which is replaced here (process-wide: the last server configured in a process wins). Without
    context takeover each message is compressed by a compressor sized to it
    (:class:`~tempestweb_server._deflate.SizedDeflate`). Inbound messages never inflate past
    ``max_message_bytes`` (``ServerConfig.max_frame_bytes``; a decompression bomb gets 1009).
    Whatever the mode, the extension is wrapped in a :class:`~tempestweb_server._frame_guard.FrameGuard`:
    a client's control frames and small continuation frames, which Hypercorn parses without the
    app's pacing, are bounded per connection (past the budget the connection is failed).
    """
    from hypercorn.protocol import ws_stream

    inner: Callable[[], Extension]
    if mode == "context_takeover":
        inner = functools.partial(SizedDeflate, max_message_bytes=max_message_bytes)
    elif mode == "no_context_takeover":
        inner = functools.partial(
            SizedDeflate,
            max_message_bytes=max_message_bytes,
            client_no_context_takeover=True,
            server_no_context_takeover=True,
        )
    else:
        inner = _NoCompression

    def factory() -> Extension:
        return FrameGuard(inner())

    ws_stream.PerMessageDeflate = factory  # type: ignore[attr-defined,assignment]


class _NoCompression(Extension):
    """An extension no client offers, so that no compression is negotiated."""

    name = "x-tempestweb-no-compression"

    def offer(self) -> bool:
        return False  # server side only: never offered

    def accept(self, offer: str) -> None:
        return None


def _tune_gc() -> None:
    """Tune the cyclic collector for a long-running server (docs/benchmarks.md, "Mode B load").

    Objects alive at start-up (the app, its modules, Starlette, Hypercorn) are moved out of the
    collector's generations (``gc.freeze``), so full collections no longer traverse them, and the
    first generation is collected less often (``GC_THRESHOLDS``): a busy server allocates many
    short-lived frames whose memory reference counting already frees. While serving,
    :func:`~tempestweb_server._collector.collector_schedule` keeps freezing what is older than
    ``GC_FREEZE_INTERVAL_S``, with a full collection every ``GC_FULL_COLLECTION_INTERVAL_S``.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _closing_connections(
    trigger: Callable[[], Awaitable[object]], asgi: Starlette
) -> Callable[[], Awaitable[object]]:
    """Wrap a shutdown trigger: once it fires, close every session's connection (1001) first.

    An open WebSocket or SSE stream of a page holds a server's graceful shutdown until its
    timeout (``SHUTDOWN_TIMEOUT_S``), after which Hypercorn cancels it with a logged traceback:
    Ctrl+C with a browser open took 5 s and printed one. A page whose connection closes with 1001
    ("going away", RFC 6455) reconnects to the restarted server by itself.
    """

    async def then_close() -> object:
        result = await trigger()
        manager = getattr(asgi.state, "manager", None)
        closed = 0
        for session in list(manager) if manager is not None else ():
            peer = session.peer
            if isinstance(peer, Connection) and peer.state != "closed":
                peer.close(CLOSE_GOING_AWAY, "server_shutdown")
                closed += 1
        if closed:
            logger.info("tempestweb: closed %d connection(s) (going away)", closed)
        return result

    return then_close


def _loop_name() -> str:
    """``"uvloop"`` or ``"asyncio"``: the package of the running event loop (``ServerConfig.event_loop``)."""
    return type(asyncio.get_running_loop()).__module__.partition(".")[0]


def _signal_trigger() -> Callable[[], Awaitable[object]]:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    return stop.wait


def _check_bind(host: str, port: int) -> None:
    """Bind ``host``:``port`` once as Hypercorn will (``SO_REUSEADDR``) and release it.

    Hypercorn binds only after starting the app's lifespan, so a taken port would surface as a
    lifespan failure with several tracebacks; checking first makes it one typed error.

    Raises:
        AddressInUseError: Another process listens on the port.
        OSError: The address cannot be bound for another reason.

    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise AddressInUseError(errno.EADDRINUSE, f"port {port} on {host} is in use") from None
            raise


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _configure_logging(debug: bool) -> None:
    root = logging.getLogger("tempestweb")
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
