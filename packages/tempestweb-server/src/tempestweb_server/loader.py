"""Loading the app to serve: the project schema's loader, for a ``tempest_core.App``.

Targets, import, reload and the ``file:line`` of an import error are those of
:mod:`tempestweb_contract.project` (the same in every mode); this module only checks the app
is an :class:`~tempest_core.App` and raises :class:`~tempestweb_server.errors.AppLoadError`.
"""

from __future__ import annotations

from pathlib import Path

from tempest_core import App
from tempestweb_contract import project
from tempestweb_server.errors import AppLoadError, ConfigError

__all__ = ["AppLoader", "load_app"]


class AppLoader:
    """Loads (and re-loads, for ``dev``) the app of a target ``PATH[:ATTR]``.

    Args:
        target: An app folder (its ``[app] module`` or ``app.py``) or a ``.py`` file, optionally
            suffixed ``:attr`` (default ``app``), e.g. ``"guide.py:todo_app"``.

    Attributes:
        target: The resolved target (``file``, ``attr``, ``app_dir``).

    Raises:
        AppLoadError: ``target`` names no app file.
        ConfigError: ``target`` is a folder whose ``tempestweb.toml`` is invalid.

    """

    def __init__(self, target: str | Path | project.AppTarget) -> None:
        try:
            self._loader = project.AppLoader(target)
        except project.ProjectConfigError as exc:
            raise ConfigError(exc.message) from None
        except project.ProjectError as exc:
            raise AppLoadError(exc.message) from exc
        self.target = self._loader.target

    @property
    def file(self) -> Path:
        """The app file."""
        return self.target.file

    @property
    def directory(self) -> Path:
        """The app folder (what ``assets`` globs are relative to)."""
        return self.target.app_dir

    def load(self) -> App[object]:
        """Import the app file afresh (see :class:`tempestweb_contract.project.AppLoader`).

        Returns:
            The ``tempest_core.App`` the target names.

        Raises:
            AppLoadError: The import raised (the message shows the user's ``file:line``), the
                attribute is missing or is not an ``App``.

        """
        try:
            return self._loader.load(expect=App)
        except project.ProjectError as exc:
            raise AppLoadError(exc.message) from exc


def load_app(target: str | Path, /) -> App[object]:
    """Load the app a target names (``PATH[:ATTR]``: an app folder or a ``.py`` file).

    The app folder is put on ``sys.path`` so the app can import its sibling modules.

    Args:
        target: E.g. ``"examples/todomvc"`` or ``"guide.py:todo_app"``.

    Returns:
        The ``tempest_core.App``.

    Raises:
        AppLoadError: Missing file, failed import (with the user's ``file:line``), missing
            attribute or not an ``App``; the message names the file.
        ConfigError: ``target`` is a folder whose ``tempestweb.toml`` is invalid.

    """
    return AppLoader(target).load()
