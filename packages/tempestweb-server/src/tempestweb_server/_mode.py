"""The ``server`` mode entry point used by the ``tempestweb`` CLI (group ``tempestweb.modes``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from pathlib import Path

import msgspec

from tempest_core import App, Node
from tempest_core.errors import SessionError
from tempestweb_contract.dev import changed_stylesheets
from tempestweb_contract.names import RELOAD_FAILED_MESSAGE, VIEW_SUBJECT
from tempestweb_contract.project import PROJECT_FILE, ProjectError, load_project
from tempestweb_server._asgi import create_app
from tempestweb_server._dev_config import describe_config_change
from tempestweb_server._dev_events import DevEvents
from tempestweb_server._loop import loop_factory
from tempestweb_server._loop import run as run_loop
from tempestweb_server._static import resolve_served_files
from tempestweb_server.config import ServerConfig
from tempestweb_server.errors import AppLoadError, ConfigError
from tempestweb_server.loader import AppLoader
from tempestweb_server.runner import _configure_logging, serve, serve_asgi

__all__ = ["MODE", "ServerMode"]

logger = logging.getLogger("tempestweb.server")


class ServerMode:
    """Mode B: serve the app from this process with Starlette on Hypercorn."""

    name = "server"
    listens = True  # the CLI checks --host/--port is free first (issue 12, "Busy port")
    description = "Mode B: Starlette/Hypercorn server streaming DOM patches over WebSocket (SSE fallback)"

    def run(self, target: str, *, host: str, port: int, options: dict[str, object]) -> None:
        """Load the app at ``target`` and serve it until SIGINT/SIGTERM.

        Args:
            target: ``PATH[:ATTR]``: an app folder or a ``.py`` file, e.g. ``"guide.py:todo_app"``.
            host: Interface to bind.
            port: TCP port.
            options: :class:`~tempestweb_server.config.ServerConfig` fields winning over the
                project's ``tempestweb.toml`` (read from the app folder: ``[server]``, and
                ``[wasm].assets``/``[wasm].scripts``, which apply in Mode B too). With ``redis``
                (and ``workers``) a supervisor runs that many worker processes on one port.

        Raises:
            AppLoadError: The app cannot be loaded.
            ConfigError: An invalid option or ``tempestweb.toml``, or an asset glob or script
                that matches no file, a file outside the app folder or under ``/_tw/``.

        """
        loader, config = _prepare(target, {**options, "host": host, "port": port})
        loop_factory(config)  # an event loop that is not installed: refused before the app loads
        app = loader.load()
        if config.redis is None:
            serve(app, **msgspec.structs.asdict(config))
            return
        # Several workers on Redis (docs/deployment.md); the app loaded once here to fail early.
        from tempestweb_server._supervisor import serve_workers

        _configure_logging(config.debug)
        serve_workers(str(loader.target), config)

    def dev(self, target: str, *, host: str, port: int, options: dict[str, object]) -> None:
        """Serve with hot reload: on a ``*.py``/``*.toml`` change reload the app into live sessions.

        A change to a served ``.css`` asset reloads the ``<link rel="stylesheet">`` elements
        naming it in every open page instead, without reloading the page or the app.

        Args:
            target: ``PATH[:ATTR]``: an app folder or a ``.py`` file.
            host: Interface to bind.
            port: TCP port.
            options: As for :meth:`run`. Asset globs are resolved once at start (a file added
                later needs a restart; a changed file gets a new ETag).

        Raises:
            ConfigError: As for :meth:`run`. An app that cannot be loaded at start does not
                stop dev: its pages show the error (with the app's ``file:line``) and reload
                once a saved change loads, as after a failed hot reload.

        """
        overrides = {"errors": "traceback", **options, "host": host, "port": port}
        loader, config = _prepare(target, overrides)
        if config.redis is not None or config.workers > 1:
            raise ConfigError("dev serves one process: --workers and --redis are options of run")
        _configure_logging(config.debug)
        loop_factory(config)  # an event loop that is not installed: refused before the app loads
        try:
            app: object = loader.load()
        except AppLoadError as exc:  # dev keeps watching: the page shows the error until it is fixed
            app = _load_failed(exc)
        run_loop(_dev(loader, app, config, overrides), config)


def _load_failed(error: AppLoadError) -> App[None]:
    """Return the app dev serves while the real one cannot be imported: every page is the error page.

    The import's failure is logged once, with its traceback and an error id; each page load
    shows it under that id (the app's ``file:line`` first) without logging it again. The error
    page reloads on the next version, and the watcher loads the app on each change.
    """
    failure = SessionError.app_failure(error, VIEW_SUBJECT)
    logger.error(
        "tempestweb dev: %s; save a fix and the page reloads (error %s)",
        error,
        failure.error_id,
        exc_info=error,
    )

    def view(_: None) -> Node:
        # A new exception each time (one raised again would grow its traceback per page load),
        # with the id already logged: the session reports it without logging it again.
        raise SessionError(failure.code, failure.message, error_id=failure.error_id, detail=failure.detail)

    return App(view=view, title="The app failed to load")


def _prepare(target: str, options: dict[str, object]) -> tuple[AppLoader, ServerConfig]:
    """Resolve the target and build its config from the project file and ``options``."""
    loader = AppLoader(target)
    try:
        project = load_project(loader.directory)
    except ProjectError as exc:
        raise ConfigError(exc.message) from None
    return loader, ServerConfig.from_project(project, **options)


async def _dev(loader: AppLoader, app: object, config: ServerConfig, overrides: dict[str, object]) -> None:
    import watchfiles

    events = DevEvents()  # the error page of a failed first render reloads on each new version
    asgi = create_app(app, config=config, dev_events=events)
    manager = asgi.state.manager
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)

    async def stopped() -> None:
        await stop.wait()
        await events.close()  # open event streams would hold the server's graceful shutdown

    server = asyncio.create_task(serve_asgi(asgi, config, shutdown_trigger=stopped))
    # A server that fails (a port taken since the CLI checked it) ends the watch loop, and
    # ``await server`` below raises its error instead of dev watching with nothing served.
    server.add_done_callback(lambda _: stop.set())

    served, _scripts = resolve_served_files(config)  # as create_app resolved them just now
    stylesheets = {file.resolve() for file in served.values() if file.suffix == ".css"}

    def relevant(_: watchfiles.Change, path: str) -> bool:
        return Path(path).suffix in (".py", ".toml") or Path(path).resolve() in stylesheets

    logger.info("tempestweb dev: watching %s for changes", loader.directory)
    async for changes in watchfiles.awatch(loader.directory, watch_filter=relevant, stop_event=stop):
        sheets = changed_stylesheets([path for _, path in changes], served)
        if sheets:
            await events.publish_stylesheets(sheets)  # every open page loads them again, in place
            logger.info(
                "tempestweb dev: %s changed; the open pages load it again in place", ", ".join(sheets)
            )
        if not any(Path(path).suffix in (".py", ".toml") for _, path in changes):
            continue
        if any(Path(path).name == PROJECT_FILE for _, path in changes):
            line = describe_config_change(loader.directory, config, overrides)
            if line is not None:
                logger.warning("%s", line)
        try:
            new_app = loader.load()
        except AppLoadError as exc:
            failure = SessionError.app_failure(exc, "reloading the app")
            logger.error("reload failed, keeping the running app (error %s): %s", failure.error_id, exc)
            message = f"{RELOAD_FAILED_MESSAGE}: {exc}"
            manager.reload_failure = (message, failure.error_id, failure.detail)  # pages opened later too
            for session in manager:  # the open pages say so (the error overlay)
                if session.peer is not None:
                    session.send_error(
                        "handler_error", message, error_id=failure.error_id, detail=failure.detail
                    )
            continue
        manager.reload_failure = None
        report = await manager.reload_app(new_app)  # logs each distinct notice and failure once
        await events.publish()  # an error page reloads: the new version may render
        if report.reloaded or not report.failures:
            dropped = f"; closed {report.dropped} disconnected session(s)" if report.dropped else ""
            name = loader.file.name
            logger.info("tempestweb dev: reloaded %s into %d session(s)%s", name, report.reloaded, dropped)
    await server


MODE = ServerMode()
"""The object the ``tempestweb.modes`` entry point ``server`` resolves to."""
