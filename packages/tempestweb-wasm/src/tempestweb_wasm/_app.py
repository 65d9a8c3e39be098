"""Locating and importing the user's app on CPython (for the prerender)."""

from __future__ import annotations

import importlib.util
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tempestweb_wasm.constants import DEFAULT_APP_ATTR, DEFAULT_APP_FILE
from tempestweb_wasm.errors import AppLoadError

__all__ = ["AppTarget", "load_app", "parse_target"]


@dataclass(frozen=True, slots=True)
class AppTarget:
    """A build target: the app file and the attribute holding the ``App``.

    Attributes:
        file: Absolute path of the app module, e.g. ``/proj/app.py``.
        attr: Name of the module attribute holding the ``tempest_core.App``.

    """

    file: Path
    attr: str

    @property
    def app_dir(self) -> Path:
        """The folder holding the app file (``tempestweb.toml`` and vendored modules live here)."""
        return self.file.parent

    @property
    def module(self) -> str:
        """The module name the app is imported as under Pyodide (the file's stem)."""
        return self.file.stem


def parse_target(target: str | Path, /) -> AppTarget:
    """Resolve ``PATH`` or ``PATH:ATTR`` to an app file.

    Args:
        target: An app file, a folder holding ``app.py``, optionally suffixed ``:attr``.

    Returns:
        The resolved target.

    Raises:
        AppLoadError: The path does not exist, the folder has no ``app.py``, the file is not a
            ``.py`` file, or the attribute is not an identifier.

    """
    text = str(target)
    attr = DEFAULT_APP_ATTR
    head, sep, tail = text.rpartition(":")
    if sep and tail.isidentifier() and head and not Path(text).exists():
        text, attr = head, tail
    path = Path(text).expanduser().resolve()
    if path.is_dir():
        path = path / DEFAULT_APP_FILE
        if not path.is_file():
            raise AppLoadError(f"{path.parent} has no {DEFAULT_APP_FILE}; pass the app file explicitly")
    elif not path.is_file():
        raise AppLoadError(f"app target {text!r} does not exist")
    if path.suffix != ".py":
        raise AppLoadError(f"app target {path} is not a Python file")
    if not path.stem.isidentifier():
        raise AppLoadError(f"app file name {path.name!r} is not importable (stem must be an identifier)")
    return AppTarget(path, attr)


def load_app(target: AppTarget, /) -> Any:
    """Import the app module and return its ``tempest_core.App``.

    The app folder is put first on ``sys.path`` while importing so vendored modules resolve.

    Args:
        target: The resolved target.

    Returns:
        The ``App`` instance.

    Raises:
        AppLoadError: Importing the module raised, the attribute is missing, or it is not a
            ``tempest_core.App``.

    """
    from tempest_core import App

    name = f"_tempestweb_app_{abs(hash(target.file))}"
    spec = importlib.util.spec_from_file_location(name, target.file)
    if spec is None or spec.loader is None:
        raise AppLoadError(f"cannot import {target.file}")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(target.app_dir))
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(exc)).strip()
        raise AppLoadError(f"importing {target.file} failed: {detail}") from exc
    finally:
        sys.modules.pop(name, None)
        if sys.path and sys.path[0] == str(target.app_dir):
            sys.path.pop(0)
    app = getattr(module, target.attr, None)
    if app is None:
        raise AppLoadError(f"{target.file} defines no attribute {target.attr!r}")
    if not isinstance(app, App):
        raise AppLoadError(f"{target.file}:{target.attr} is a {type(app).__name__}, not a tempest_core.App")
    return app
