"""App targets (``PATH[:ATTR]``) and loading the app object from the user's module.

The contract does not know ``tempest_core``: a loader imports the module and returns the
attribute, checked against the type the caller passes (``expect=App``).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Final, TypeVar

import msgspec

from tempestweb_contract._project_errors import AppLoadError
from tempestweb_contract._project_toml import load_project

__all__ = ["DEFAULT_APP_ATTR", "AppLoader", "AppTarget", "import_app", "load_app", "parse_target"]

DEFAULT_APP_ATTR: Final = "app"
"""Module attribute holding the app when a target names none."""

T = TypeVar("T")


class AppTarget(msgspec.Struct, frozen=True):
    """Where an app lives: a module file and the attribute holding the app.

    Attributes:
        file: Absolute path of the app module, e.g. ``/proj/guide.py``.
        attr: Name of the module attribute holding the app, e.g. ``"todo_app"``.

    """

    file: Path
    attr: str = DEFAULT_APP_ATTR

    @property
    def app_dir(self) -> Path:
        """The app folder: the app file's folder (``tempestweb.toml``, assets and siblings live here)."""
        return self.file.parent

    @property
    def module(self) -> str:
        """The module name the app file is imported as by name (its stem), e.g. ``"guide"``."""
        return self.file.stem

    def __str__(self) -> str:
        """Return the target as text :func:`parse_target` reads back.

        Returns:
            ``PATH``, or ``PATH:ATTR`` when the attribute is not ``app``.

        """
        return str(self.file) if self.attr == DEFAULT_APP_ATTR else f"{self.file}:{self.attr}"


def parse_target(target: str | os.PathLike[str], /) -> AppTarget:
    """Resolve an app target ``PATH[:ATTR]``.

    ``PATH`` is a ``.py`` file or an app folder; a folder's app file is ``[app] module`` of its
    ``tempestweb.toml``, else ``app.py``. ``ATTR`` (an identifier) defaults to ``app``; a path
    that exists as written is never split, so a file named ``a:b`` still works.

    Args:
        target: E.g. ``"guide.py:todo_app"``, ``"examples/todomvc"``, ``Path("app.py")``.

    Returns:
        The target with an absolute, resolved file.

    Raises:
        AppLoadError: The path does not exist, is neither a folder nor a ``.py`` file, is a
            folder without its app file, or is followed by ``:`` and no identifier.
        ProjectConfigError: The folder's ``tempestweb.toml`` is invalid.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "guide.py").write_text("todo_app = 1")
        >>> parse_target(f"{folder}/guide.py:todo_app").attr
        'todo_app'

    """
    text = os.fspath(target)
    attr = DEFAULT_APP_ATTR
    head, sep, tail = text.rpartition(":")
    if sep and head and tail.isidentifier() and not Path(text).exists():
        text, attr = head, tail
    path = Path(text).expanduser()
    if path.is_dir():
        file = load_project(path).app_file(path)
        if not file.is_file():
            raise AppLoadError(
                f"{file}: not found; an app folder must hold its app module "
                "(app.py, or [app] module in tempestweb.toml)",
                file=str(file),
            )
    elif not path.exists() and sep and head and Path(head).expanduser().exists():
        raise AppLoadError(  # guide.py:1app, app/: a path that exists, then no attribute name
            f"{text}: {tail!r} after ':' is not an attribute name; expected PATH:ATTR with ATTR a "
            f"Python identifier, e.g. {head}:{DEFAULT_APP_ATTR}",
            file=head,
        )
    elif not path.exists():
        raise AppLoadError(f"{path}: no such file or folder", file=str(path))
    elif path.suffix != ".py":
        raise AppLoadError(f"{path}: expected an app folder or a .py file", file=str(path))
    else:
        file = path
    return AppTarget(file.resolve(), attr)


class AppLoader:
    """Loads, and re-loads after an edit, the app of one target.

    Each :meth:`load` imports the app file afresh under a private module name, with the app
    folder first on ``sys.path`` (left there, so handlers can import siblings lazily). Before
    it, the modules a previous load imported from the app folder are forgotten, and so is
    every module imported with the app folder as its ``sys.path`` root (``helpers`` from
    ``<app>/helpers.py``), so an edit to a sibling reaches the new app. Code below the app folder
    reached through another path entry (a virtualenv, a ``src/`` layout) is kept, as
    re-importing it would break ``isinstance``.

    Args:
        target: The target, or text for :func:`parse_target`.

    Attributes:
        target: The resolved target.
        module_name: The private name the app module is imported as.

    Raises:
        AppLoadError: ``target`` is text naming no app file (see :func:`parse_target`).

    """

    def __init__(self, target: AppTarget | str | os.PathLike[str], /) -> None:
        self.target = target if isinstance(target, AppTarget) else parse_target(target)
        digest = hashlib.sha256(str(self.target.file).encode()).hexdigest()[:12]
        self.module_name = f"_tempestweb_app_{self.target.file.stem}_{digest}"
        self._owned: set[str] = set()

    def load(self, *, expect: type[T]) -> T:
        """Import the app file afresh and return its app.

        Args:
            expect: The type the attribute must have (``tempest_core.App``).

        Returns:
            The attribute named by the target.

        Raises:
            AppLoadError: The module raised while imported (the message shows the user's
                ``file:line`` and the exception on one line; the exception is the cause), the
                attribute is missing or is not an ``expect``.

        """
        file, directory = self.target.file, self.target.app_dir
        for name in self._owned:
            sys.modules.pop(name, None)
        forget_folder_modules(directory)
        if str(directory) not in sys.path:
            sys.path.insert(0, str(directory))
        spec = importlib.util.spec_from_file_location(self.module_name, file)
        if spec is None or spec.loader is None:
            raise AppLoadError(f"{file}: cannot be imported as a Python module", file=str(file))
        module = importlib.util.module_from_spec(spec)
        before = set(sys.modules)
        sys.modules[self.module_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            sys.modules.pop(self.module_name, None)
            raise _import_error(exc, file, directory) from exc
        finally:
            self._owned = {
                name for name in set(sys.modules) - before if _is_under(sys.modules.get(name), directory)
            }
            self._owned.add(self.module_name)
        return _attribute(module, self.target.attr, expect, file)


def load_app(target: AppTarget | str | os.PathLike[str], /, *, expect: type[T]) -> T:
    """Load the app a target names (one :meth:`AppLoader.load`).

    Args:
        target: An :class:`AppTarget`, or ``PATH[:ATTR]`` text.
        expect: The type the attribute must have (``tempest_core.App``).

    Returns:
        The app.

    Raises:
        AppLoadError: No app file, the import raised (``file:line`` of the user's code in the
            message), or the attribute is missing or not an ``expect``.
        ProjectConfigError: A folder target's ``tempestweb.toml`` is invalid.

    """
    return AppLoader(target).load(expect=expect)


def import_app(module: str, attr: str, /, *, expect: type[T]) -> T:
    """Import an app module by name (already on ``sys.path``, as in the Mode A runtime).

    Args:
        module: The module name, e.g. ``"app"``.
        attr: The attribute holding the app.
        expect: The type the attribute must have.

    Returns:
        The app.

    Raises:
        AppLoadError: The module is not found, raised while imported (``file:line`` of the
            user's code in the message), or the attribute is missing or not an ``expect``.

    """
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        raise AppLoadError(f"app module {module!r} not found on sys.path")
    file = Path(spec.origin)
    try:
        loaded = importlib.import_module(module)
    except Exception as exc:
        raise _import_error(exc, file, file.parent) from exc
    return _attribute(loaded, attr, expect, file)


def forget_folder_modules(directory: Path, /) -> None:
    """Drop from ``sys.modules`` every module imported with ``directory`` as its ``sys.path`` root.

    Args:
        directory: An app folder; ``helpers`` from ``<directory>/helpers.py`` and ``pkg.mod`` from
            ``<directory>/pkg/mod.py`` are dropped, modules reached through another path entry
            are kept.

    """
    importlib.invalidate_caches()
    root = directory.resolve()
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str):
            continue
        path = Path(file).resolve()
        if not path.is_relative_to(root):
            continue
        rel = path.relative_to(root).with_suffix("")
        expected = Path(*name.split("."))
        if rel == expected or rel == expected / "__init__":
            del sys.modules[name]


def _attribute(module: ModuleType, attr: str, expect: type[T], file: Path) -> T:
    kind = f"{expect.__module__.split('.')[0]}.{expect.__qualname__}"
    if not hasattr(module, attr):
        raise AppLoadError(
            f"{file}: no module-level `{attr}`; expected `{attr} = {expect.__name__}(...)`", file=str(file)
        )
    value = getattr(module, attr)
    if not isinstance(value, expect):
        got = type(value).__name__
        raise AppLoadError(f"{file}: `{attr}` is of type {got}, expected a {kind}", file=str(file))
    return value


def _import_error(exc: Exception, file: Path, directory: Path) -> AppLoadError:
    """Describe an exception raised while importing the app as ``file:line: ...`` of the user's code.

    The place is the innermost traceback frame in a file under the app folder (a ``SyntaxError``
    names its own file and line); our frames and importlib's never show.
    """
    where, line = str(file), None
    if isinstance(exc, SyntaxError) and exc.filename:
        where, line = exc.filename, exc.lineno
        detail = f"{type(exc).__name__}: {exc.msg}"
    else:
        frame = _innermost_under(exc.__traceback__, directory.resolve())
        if frame is not None:
            where, line = frame
        text = "".join(traceback.format_exception_only(exc)).strip()
        detail = " ".join(part.strip() for part in text.splitlines() if part.strip())
    place = f"{where}:{line}" if line else where
    return AppLoadError(f"{place}: importing the app failed: {detail}", file=where)


def _innermost_under(tb: TracebackType | None, root: Path) -> tuple[str, int] | None:
    found = None
    for frame, line in traceback.walk_tb(tb):
        name = frame.f_code.co_filename
        if not name.startswith("<") and _file_under(name, root):
            found = (name, line)
    return found


def _file_under(name: str, root: Path) -> bool:
    try:
        return Path(name).resolve().is_relative_to(root)
    except (OSError, ValueError):
        return False


def _is_under(module: ModuleType | None, directory: Path) -> bool:
    file = getattr(module, "__file__", None)
    return isinstance(file, str) and _file_under(file, directory.resolve())
