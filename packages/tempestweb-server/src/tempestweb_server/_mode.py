"""The ``server`` mode entry point used by the ``tempestweb`` CLI (group ``tempestweb.modes``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from pathlib import Path

from tempestweb_server._asgi import create_app
from tempestweb_server.config import ServerConfig
from tempestweb_server.errors import AppLoadError
from tempestweb_server.loader import AppLoader
from tempestweb_server.runner import _configure_logging, serve, serve_asgi

__all__ = ["MODE", "ServerMode"]

logger = logging.getLogger("tempestweb.server")


class ServerMode:
    """Mode B: serve the app from this process with Starlette on Hypercorn."""

    name = "server"
    description = "Mode B: Starlette/Hypercorn server streaming DOM patches over WebSocket (SSE fallback)"

    def run(self, target: str, *, host: str, port: int, options: dict[str, object]) -> None:
        """Load the app at ``target`` and serve it until SIGINT/SIGTERM.

        Args:
            target: App directory (with ``app.py``) or ``.py`` file.
            host: Interface to bind.
            port: TCP port.
            options: Extra :class:`~tempestweb_server.config.ServerConfig` fields; ``app_dir``
                defaults to the app file's folder (what ``assets`` globs are relative to).

        Raises:
            AppLoadError: The app cannot be loaded.
            ConfigError: An invalid option, or an ``assets`` glob that matches no file or a
                file outside the app folder or under ``/_tw/``.

        """
        loader = AppLoader(target)
        app = loader.load()
        serve(app, host=host, port=port, **{"app_dir": str(loader.directory), **options})

    def dev(self, target: str, *, host: str, port: int, options: dict[str, object]) -> None:
        """Serve with hot reload: on a ``*.py``/``*.toml`` change reload the app into live sessions.

        Args:
            target: App directory (with ``app.py``) or ``.py`` file.
            host: Interface to bind.
            port: TCP port.
            options: Extra :class:`~tempestweb_server.config.ServerConfig` fields; ``app_dir``
                defaults to the app file's folder. ``assets`` globs are resolved once at start
                (a file added later needs a restart; a changed file gets a new ETag).

        Raises:
            AppLoadError: The app cannot be loaded at start (later failures are logged).
            ConfigError: An invalid option, or an ``assets`` glob that matches no file or a
                file outside the app folder or under ``/_tw/``.

        """
        loader = AppLoader(target)
        config = ServerConfig.from_options(
            {"app_dir": str(loader.directory), **options, "host": host, "port": port}
        )
        _configure_logging(config.debug)
        app = loader.load()
        asyncio.run(_dev(loader, app, config))


async def _dev(loader: AppLoader, app: object, config: ServerConfig) -> None:
    import watchfiles

    asgi = create_app(app, config=config)
    manager = asgi.state.manager
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    server = asyncio.create_task(serve_asgi(asgi, config, shutdown_trigger=stop.wait))

    def relevant(_: watchfiles.Change, path: str) -> bool:
        return Path(path).suffix in (".py", ".toml")

    logger.info("tempestweb dev: watching %s for changes", loader.directory)
    async for _changes in watchfiles.awatch(loader.directory, watch_filter=relevant, stop_event=stop):
        try:
            new_app = loader.load()
        except AppLoadError as exc:
            logger.error("reload failed, keeping the running app: %s", exc)
            continue
        logger.info("tempestweb dev: reloaded %s into %d session(s)", loader.file.name, len(manager))
        await manager.reload_app(new_app)
    await server


MODE = ServerMode()
"""The object the ``tempestweb.modes`` entry point ``server`` resolves to."""
