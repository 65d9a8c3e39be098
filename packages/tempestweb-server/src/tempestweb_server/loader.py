"""Loading a tempestweb app from an app directory or a ``.py`` file (with reload for ``dev``)."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from tempestweb_server.errors import AppLoadError

__all__ = ["AppLoader", "load_app"]


class AppLoader:
    """Loads (and re-loads) the module-level ``app`` of an app file.

    Args:
        path: An app directory containing ``app.py`` or a ``.py`` file.
        attribute: Name of the module attribute holding the app.

    Raises:
        AppLoadError: ``path`` is neither an existing directory with ``app.py`` nor a ``.py`` file.

    """

    def __init__(self, path: str | Path, *, attribute: str = "app") -> None:
        self.file = _resolve(Path(path))
        self.directory = self.file.parent
        self.attribute = attribute
        digest = hashlib.sha256(str(self.file).encode()).hexdigest()[:12]
        self.module_name = f"_tempestweb_app_{self.file.stem}_{digest}"
        self._owned: set[str] = set()

    def load(self) -> Any:
        """Import the file afresh (dropping modules a previous load imported from its directory).

        Returns:
            The ``tempest_core.App`` bound to :attr:`attribute`.

        Raises:
            AppLoadError: The import raised, the attribute is missing or is not an ``App``.

        """
        for name in self._owned:
            sys.modules.pop(name, None)
        self._owned.clear()
        directory = str(self.directory)
        if directory not in sys.path:
            sys.path.insert(0, directory)
        before = set(sys.modules)
        spec = importlib.util.spec_from_file_location(self.module_name, self.file)
        if spec is None or spec.loader is None:
            raise AppLoadError(f"{self.file}: cannot be imported as a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[self.module_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            sys.modules.pop(self.module_name, None)
            raise AppLoadError(f"{self.file}: importing the app failed: {type(exc).__name__}: {exc}") from exc
        finally:
            self._owned = {
                name for name in set(sys.modules) - before if _is_under(sys.modules.get(name), self.directory)
            }
            self._owned.add(self.module_name)
        return self._app_of(module)

    def _app_of(self, module: ModuleType) -> Any:
        from tempest_core import App

        if not hasattr(module, self.attribute):
            raise AppLoadError(
                f"{self.file}: no module-level `{self.attribute}`; expected `{self.attribute} = App(...)`"
            )
        app = getattr(module, self.attribute)
        if not isinstance(app, App):
            raise AppLoadError(
                f"{self.file}: `{self.attribute}` is a {type(app).__name__}, expected a tempest_core.App"
            )
        return app


def load_app(path: str | Path, /, *, attribute: str = "app") -> Any:
    """Load the app defined in an app directory (its ``app.py``) or in a ``.py`` file.

    The file's directory is put on ``sys.path`` so the app can import its sibling modules.

    Args:
        path: Directory containing ``app.py``, or a ``.py`` file.
        attribute: Module attribute holding the app.

    Returns:
        The ``tempest_core.App``.

    Raises:
        AppLoadError: Missing file, failed import, missing attribute or not an ``App``; the
            message names the file.

    """
    return AppLoader(path, attribute=attribute).load()


def _resolve(path: Path) -> Path:
    if path.is_dir():
        file = path / "app.py"
        if not file.is_file():
            raise AppLoadError(f"{file}: not found; an app directory must contain app.py")
        return file.resolve()
    if path.suffix != ".py":
        raise AppLoadError(f"{path}: expected an app directory or a .py file")
    if not path.is_file():
        raise AppLoadError(f"{path}: file not found")
    return path.resolve()


def _is_under(module: ModuleType | None, directory: Path) -> bool:
    file = getattr(module, "__file__", None)
    if not file:
        return False
    try:
        return Path(file).resolve().is_relative_to(directory)
    except (OSError, ValueError):
        return False
