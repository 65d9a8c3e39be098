"""Loading the app of ``PATH[:ATTR]`` (an app folder with ``app.py``, or a ``.py`` file), again on reload.

Follows the server's loader: the file's folder goes on ``sys.path``; a reload drops the modules
the previous load imported from that folder so that edited siblings are re-imported too.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from tempest_core import App
from tempestweb_desktop.errors import AppLoadError

__all__ = ["AppLoader"]


class AppLoader:
    """Loads (and re-loads) the ``App`` of an app target.

    Args:
        target: ``PATH`` or ``PATH:ATTR``; ``PATH`` is an app folder (with ``app.py``) or a
            ``.py`` file; ``ATTR`` defaults to ``app``.

    Raises:
        AppLoadError: No such file or folder, or not a ``.py`` file.

    """

    def __init__(self, target: str | Path) -> None:
        text = str(target)
        path, attribute = text, "app"
        head, sep, tail = text.rpartition(":")
        if sep and tail.isidentifier() and not Path(text).exists():
            path, attribute = head, tail
        self.file = _resolve(Path(path))
        self.directory = self.file.parent
        self.attribute = attribute
        digest = hashlib.sha256(str(self.file).encode()).hexdigest()[:12]
        self.module_name = f"_tempestweb_desktop_app_{self.file.stem}_{digest}"
        self._owned: set[str] = set()

    def load(self) -> App[Any]:
        """Import the file afresh and return its app.

        Returns:
            The ``tempest_core.App`` bound to the attribute.

        Raises:
            AppLoadError: The import raised, or the attribute is missing or not an ``App``.

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
        app = getattr(module, self.attribute, None)
        if not isinstance(app, App):
            found = "nothing" if app is None else f"a {type(app).__name__}"
            raise AppLoadError(f"{self.file}: `{self.attribute}` is {found}, expected a tempest_core.App")
        return app

    def module(self) -> ModuleType | None:
        """Return the module of the last successful load, if any."""
        return sys.modules.get(self.module_name)


def _resolve(path: Path) -> Path:
    if path.is_dir():
        file = path / "app.py"
        if not file.is_file():
            raise AppLoadError(f"{file}: not found; an app folder must contain app.py")
        return file.resolve()
    if path.suffix != ".py":
        raise AppLoadError(f"{path}: expected an app folder or a .py file")
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
