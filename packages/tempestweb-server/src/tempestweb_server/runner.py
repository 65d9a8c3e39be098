"""Running the Mode B host under Hypercorn with graceful shutdown on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette

from tempestweb_contract.constants import MAX_FRAME_BYTES
from tempestweb_server._asgi import create_app
from tempestweb_server.config import ServerConfig
from tempestweb_server.constants import DEFAULT_HOST, DEFAULT_PORT, SHUTDOWN_TIMEOUT_S

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
        ConfigError: An unknown option or an invalid value.
        OSError: The address cannot be bound.

    """
    config = ServerConfig.from_options({**options, "host": host, "port": port})
    _configure_logging(config.debug)
    asgi = create_app(app, config=config)
    asyncio.run(serve_asgi(asgi, config))


async def serve_asgi(
    asgi: Starlette, config: ServerConfig, *, shutdown_trigger: Callable[[], Awaitable[object]] | None = None
) -> None:
    """Run an ASGI app under Hypercorn in the current event loop.

    Args:
        asgi: The app from :func:`~tempestweb_server.create_app`.
        config: Host and port (port 0 picks a free port).
        shutdown_trigger: Awaitable factory that returns when the server should stop; ``None``
            installs SIGINT/SIGTERM handlers.

    Raises:
        OSError: The address cannot be bound.

    """
    from hypercorn.asyncio import serve as hypercorn_serve
    from hypercorn.config import Config

    port = config.port or _free_port(config.host)
    bind_host = f"[{config.host}]" if ":" in config.host else config.host
    hyper = Config()
    hyper.bind = [f"{bind_host}:{port}"]
    hyper.graceful_timeout = SHUTDOWN_TIMEOUT_S
    hyper.websocket_max_message_size = MAX_FRAME_BYTES
    hyper.accesslog = None
    hyper.errorlog = logging.getLogger("tempestweb.server.hypercorn")
    if shutdown_trigger is None:
        shutdown_trigger = _signal_trigger()
    logger.info("tempestweb: serving on http://%s:%d/ (Ctrl+C to stop)", bind_host, port)
    await hypercorn_serve(asgi, hyper, shutdown_trigger=shutdown_trigger, mode="asgi")  # type: ignore[arg-type]
    logger.info("tempestweb: stopped")


def _signal_trigger() -> Callable[[], Awaitable[object]]:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    return stop.wait


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
