"""``run()``: open a tempestweb app in a native window from Python.

::

    # main.py
    from tempestweb_desktop import run
    from app import app

    raise SystemExit(run(app, title="Todos", width=900, height=700))

``tempestweb run app.py --mode desktop`` does the same from the command line.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tempest_core import App
from tempestweb_contract.dev import changed_stylesheets
from tempestweb_contract.plugins import (
    NATIVE_URL_PREFIX,
    PluginError,
    capability_links,
    capability_modules,
    js_files,
)
from tempestweb_contract.project import (
    AppLoader,
    ProjectConfig,
    ProjectError,
    resolve_assets,
    resolve_scripts,
)
from tempestweb_desktop._preflight import preflight
from tempestweb_desktop.config import DesktopConfig
from tempestweb_desktop.constants import CLIENT_PREFIX
from tempestweb_desktop.errors import AppLoadError, ConfigError
from tempestweb_desktop.menu import MenuBar, Tray

if TYPE_CHECKING:
    from tempestweb_desktop.window import Window, WindowMode

__all__ = ["Desktop", "run"]

logger = logging.getLogger("tempestweb.desktop")


class Desktop(Protocol):
    """The running desktop app, as ``on_start`` receives it.

    Attributes:
        app: The app new sessions run.
        windows: Open windows by label (``"main"`` first).

    """

    app: App[Any]
    windows: dict[str, Window]

    def open_window(
        self, label: str, *, title: str | None = None, path: str = "/", mode: WindowMode | None = None
    ) -> Window:
        """Open a window running a new session of the app at ``path`` (see :data:`WindowMode`).

        ``mode`` defaults to ``"multi"`` with ``close_with_main`` (the default), else ``"new"``.
        """
        ...

    def dispatch_menu(self, menu_id: str, /) -> bool:
        """Run a menu item's callback as a click would; ``False`` for an id without one."""
        ...

    @property
    def menu_ids(self) -> dict[str, str]:
        """Map ``"<window label or tray>/<item text>"`` to each callback item's id."""
        ...

    async def reload_app(self, new_app: App[Any], /) -> None:
        """Swap in a reloaded app in every session, keeping state."""
        ...


def run(
    app: App[Any],
    /,
    *,
    config: DesktopConfig | None = None,
    menu: MenuBar | None = None,
    tray: Tray | None = None,
    on_start: Callable[[Desktop], object] | None = None,
    project: ProjectConfig | None = None,
    reload_from: AppLoader | None = None,
    **options: object,
) -> int:
    """Run ``app`` in a native window until its last window closes.

    Args:
        app: The ``tempest_core.App``.
        config: Window and plugin options; or pass them as keyword arguments
            (``title``, ``width``, ``height``, ``plugins``, ``permissions``...).
        menu: Menu bar of every window (``tempestweb_desktop.menu``).
        tray: Tray icon with its menu.
        on_start: Called on the host loop once the main window is open (may be async).
        project: The app's ``tempestweb.toml``: its ``[wasm]``/``[server]`` assets are served
            at their paths and its ``[wasm].scripts`` load before the client, as in Mode B.
        reload_from: Dev mode: watch this loader's folder; a ``.py``/``.toml`` change reloads
            the app into every session (state kept), a change to a served ``.css`` asset
            reloads the ``<link rel="stylesheet">`` elements loading it in every window
            (no page reload).
        **options: :class:`DesktopConfig` fields, when ``config`` is not given.

    Returns:
        The exit code (0 when the windows were closed).

    Raises:
        PreflightError: No display, no webview library, or an unsupported Python/OS.
        ConfigError: Bad options.
        AssetError: An asset glob or script of ``project`` names no file (or one outside the app).
        WebViewMissingError: The native webview failed to start.

    """
    if not isinstance(app, App):
        raise AppLoadError(f"run() needs a tempest_core.App, got {type(app).__name__}")
    if config is not None and options:
        raise ConfigError("pass either config= or keyword options, not both")
    settings = config if config is not None else DesktopConfig.from_options(options)
    files: dict[str, Path] = {}
    scripts: list[str] = []
    if project is not None and project.directory is not None:
        files.update(resolve_assets(project.directory, project.server_assets, where="assets"))
        found = resolve_scripts(project.directory, project.wasm.scripts, where="[wasm] scripts")
        files.update(found)
        scripts = ["/" + path for path in found]
    native_files, links = _capability_modules()
    preflight()
    from tempestweb_desktop._runtime import DesktopHost

    def start(host: DesktopHost) -> object:
        if reload_from is not None:
            host.loop.create_task(_watch(host, reload_from, served))
        return on_start(host) if on_start is not None else None

    served = {"/" + path: file for path, file in files.items()} | native_files
    host = DesktopHost(
        app, settings, menu=menu, tray=tray, on_start=start, files=served, scripts=scripts, head=links
    )
    return host.run()


def _capability_modules() -> tuple[dict[str, Path], str]:
    """Return the capability modules' files by URL path and their ``<head>`` links (as Mode B).

    A broken plugin is logged and leaves the page without capability modules.
    """
    try:
        modules = capability_modules()
    except PluginError as exc:
        logger.error("native capabilities disabled: %s", exc.message)
        return {}, ""
    files = {f"{NATIVE_URL_PREFIX}/{key}": path for key, path in js_files(modules).items()}
    return files, capability_links(modules, base=NATIVE_URL_PREFIX)


_STYLESHEET_MODULE = CLIENT_PREFIX + "stylesheets.js"
"""The client module that reloads linked stylesheets in a page (``client/src/stylesheets.js``)."""


def _stylesheet_script(paths: Sequence[str], /) -> str:
    """Return the expression reloading ``paths``' linked stylesheets in a page.

    Its value is a Promise of how many ``<link>`` elements have the new version, once they do
    (``reloadStylesheets`` of ``client/src/stylesheets.js``, which Mode A's and Mode B's
    ``dev.js`` call too).
    """
    return (
        f"import({json.dumps(_STYLESHEET_MODULE)})"
        f".then((m) => m.reloadStylesheets(document, {json.dumps(list(paths))}))"
    )


async def _watch(host: Desktop, loader: AppLoader, served: Mapping[str, Path]) -> None:
    import watchfiles

    def relevant(_change: watchfiles.Change, path: str) -> bool:
        return Path(path).suffix in (".py", ".toml", ".css")

    directory = loader.target.app_dir
    logger.info("tempestweb dev: watching %s for changes", directory)
    async for changes in watchfiles.awatch(directory, watch_filter=relevant):
        changed = {path for _change, path in changes}
        sheets = changed_stylesheets(changed, served)
        if sheets:
            await _reload_stylesheets(host, sheets)
        if not any(Path(path).suffix in (".py", ".toml") for path in changed):
            continue
        try:
            new_app = loader.load(expect=App)
        except ProjectError as exc:
            logger.error("reload failed, keeping the running app: %s", exc)
            continue
        await host.reload_app(new_app)
        logger.info(
            "tempestweb dev: reloaded %s into %d window(s)", loader.target.file.name, len(host.windows)
        )


async def _reload_stylesheets(host: Desktop, paths: Sequence[str]) -> None:
    """Have every window load ``paths`` again (no page reload: sessions and DOM stay)."""
    from tempestweb_desktop.errors import DesktopError

    script = _stylesheet_script(paths)
    for window in list(host.windows.values()):
        try:
            count = await window.eval_js(script)
        except DesktopError as exc:  # a closed or reloading window, a page without the client
            logger.warning("tempestweb dev: window %r kept its stylesheets: %s", window.label, exc)
            continue
        logger.info(
            "tempestweb dev: window %r reloaded %s stylesheet(s) %s", window.label, count, ", ".join(paths)
        )
