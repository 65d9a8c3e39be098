"""The ``desktop`` mode of the ``tempestweb`` CLI (entry point group ``tempestweb.modes``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from tempest_core import App
from tempestweb_contract.project import AppLoader, load_project, parse_target
from tempestweb_desktop._preflight import Diagnosis, diagnose
from tempestweb_desktop.app import run
from tempestweb_desktop.config import DesktopConfig

__all__ = ["MODE", "DesktopMode"]


class DesktopMode:
    """Desktop: the app in a native window through PyTauri; the session runs in-process."""

    name = "desktop"
    description = "Desktop: the app in a native OS window (PyTauri webview), session in-process, no port"

    def run(self, target: str, *, host: str, port: int, options: Mapping[str, object]) -> None:
        """Open the app at ``target`` in a window; return when the last window closes.

        Args:
            target: App folder (with ``app.py``) or ``.py`` file, optionally ``:ATTR``.
            host: Ignored (no server).
            port: Ignored (no port).
            options: The CLI's flags (``debug``); the rest comes from ``[desktop]`` in the
                project's ``tempestweb.toml`` (see :class:`DesktopConfig`).

        Raises:
            DesktopError: A missing display or webview, or a bad option (one line each).
            ProjectError: A bad ``tempestweb.toml``, app target or app (one line each).
            SystemExit: The app exited with a non-zero code.

        """
        self._start(target, options, dev=False)

    def dev(self, target: str, *, host: str, port: int, options: Mapping[str, object]) -> None:
        """Like :meth:`run`, and reload the app into the open windows when a file changes.

        A ``.py``/``.toml`` change reloads the app keeping each session's state; a failed
        reload is logged and the running app kept.

        Args:
            target: App folder or ``.py`` file.
            host: Ignored.
            port: Ignored.
            options: As for :meth:`run`.

        Raises:
            DesktopError: As for :meth:`run`.
            SystemExit: The app exited with a non-zero code.

        """
        self._start(target, options, dev=True)

    def check(self) -> list[Diagnosis]:
        """Report what the desktop mode needs on this machine (``tempestweb doctor``).

        Returns:
            One :class:`Diagnosis` per check (python, webview, display, tray).

        """
        return diagnose()

    @staticmethod
    def _start(target: str, options: Mapping[str, object], *, dev: bool) -> None:
        app_target = parse_target(target)
        project = load_project(app_target.app_dir)
        config = DesktopConfig.from_project(project, options)
        logging.basicConfig(level=logging.DEBUG if config.debug else logging.INFO, format="%(message)s")
        loader = AppLoader(app_target)
        code = run(
            loader.load(expect=App), config=config, project=project, reload_from=loader if dev else None
        )
        if code != 0:
            raise SystemExit(code)


MODE = DesktopMode()
"""The object the ``tempestweb.modes`` entry point ``desktop`` resolves to."""
