"""Resolution of ``[wasm].modules``: a vendored copy next to the app first, then the environment."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tempestweb_wasm._wheels import iter_package_files
from tempestweb_wasm.errors import ModuleResolutionError, WasmError

__all__ = ["ResolvedModule", "resolve_module"]

_NATIVE_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")


@dataclass(frozen=True, slots=True)
class ResolvedModule:
    """Where a module's code comes from and which files to copy.

    Attributes:
        name: The module name as listed in ``[wasm].modules``.
        origin: ``"vendored"`` (next to the app), ``"installed"`` (this environment) or
            ``"stdlib"`` (Pyodide ships it; nothing is copied).
        files: ``(source file, path relative to the build's app folder)`` pairs.

    """

    name: str
    origin: Literal["vendored", "installed", "stdlib"]
    files: tuple[tuple[Path, str], ...]


def _collect(top: str, location: Path) -> tuple[tuple[Path, str], ...]:
    if location.is_dir():
        try:
            files = iter_package_files(location)
        except WasmError as exc:
            raise ModuleResolutionError(top, f"module {top!r}: {exc.message}") from None
        return tuple((path, f"{top}/{path.relative_to(location).as_posix()}") for path in files)
    return ((location, location.name),)


def resolve_module(name: str, app_dir: Path, /) -> ResolvedModule:
    """Find the files of a module to ship with the app.

    The top-level package of ``name`` is resolved: ``<app_dir>/<top>.py`` or ``<app_dir>/<top>/``
    (vendored) wins over the installed environment; standard-library modules need no copy.

    Args:
        name: A module name, e.g. ``"helpers"`` or ``"pkg.sub"``.
        app_dir: The folder holding the app file.

    Returns:
        The resolution.

    Raises:
        ModuleResolutionError: The module is neither vendored nor installed, or the installed
            one contains compiled code (which must come through ``[wasm].packages``).

    """
    top = name.split(".", 1)[0]
    for candidate in (app_dir / f"{top}.py", app_dir / top):
        if candidate.is_file() or (candidate.is_dir() and any(candidate.glob("*.py"))):
            return ResolvedModule(name, "vendored", _collect(top, candidate))
    if top in sys.stdlib_module_names:
        return ResolvedModule(name, "stdlib", ())
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise ModuleResolutionError(
            name,
            f"module {name!r} listed in [wasm].modules was found neither next to the app "
            f"({app_dir / (top + '.py')} or {app_dir / top}/) nor in the installed environment",
        )
    if spec.submodule_search_locations:
        location = Path(next(iter(spec.submodule_search_locations)))
    elif spec.origin and Path(spec.origin).is_file():
        location = Path(spec.origin)
    else:
        raise ModuleResolutionError(
            name, f"module {name!r} has no source files to copy (origin {spec.origin!r})"
        )
    if location.name.endswith(_NATIVE_SUFFIXES):
        raise ModuleResolutionError(
            name,
            f"module {name!r} is a compiled extension ({location}); list its distribution in "
            "[wasm].packages so its pyemscripten wheel is used instead",
        )
    return ResolvedModule(name, "installed", _collect(top, location))
