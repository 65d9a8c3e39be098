"""``tempestweb sync``: copy the app's pure-Python dependencies into ``[wasm].modules``.

Mode A runs the app under Pyodide, which has no ``pip``. Pure-Python dependencies are shipped
as source (``[wasm].modules``, resolved by the Mode A builder from the installed environment);
packages with native code need a pyemscripten wheel (``[wasm].packages``). This command reads
``[project].dependencies`` of the app's ``pyproject.toml`` or, in a project without one (as
``tempestweb new`` makes), the top-level imports of the app folder's ``.py`` files (stdlib and
the folder's own modules left out, each import mapped to its installed distribution); it
follows their installed requirements whose PEP 508 markers hold for Mode A's interpreter
(Pyodide: CPython 3.14 on Emscripten, so ``tomli; python_version < "3.11"`` or
``colorama; sys_platform == "win32"`` are left out, as is a direct dependency marked for
another platform), and adds the import names of every installed pure-Python
distribution to ``[wasm].modules`` of ``tempestweb.toml`` (a union: existing entries keep their
order, new ones are appended). The file is edited with tomlkit, so comments and formatting
survive; when nothing changes the file is not written at all. A dependency that is not
installed makes the command exit 1 with one line naming it.

Packaging references: PEP 508 (requirement strings), PEP 503 (name normalization), PEP 427
(``WHEEL`` metadata, ``Root-Is-Purelib``), PEP 376 (``RECORD``).
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import logging
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import click
import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from tomlkit.items import Array, Table

from tempestweb_contract.project import PROJECT_FILE, WASM_MARKER_ENVIRONMENT

__all__ = [
    "FRAMEWORK_DISTRIBUTIONS",
    "SyncError",
    "SyncResult",
    "needed_in_browser",
    "requirement_name",
    "sync",
    "sync_command",
]

logger = logging.getLogger("tempestweb_cli.sync")

FRAMEWORK_DISTRIBUTIONS = frozenset({"tempest-core", "pydantic", "pydantic-core", "msgspec"})
"""Normalized distribution names the Mode A build ships itself (plus every ``tempestweb*``)."""

_NATIVE_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")


class SyncError(Exception):
    """The project cannot be synced: no ``pyproject.toml``, invalid TOML, or a malformed table.

    Attributes:
        message: What is wrong and in which file.

    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class SyncResult:
    """Outcome of :func:`sync`.

    Attributes:
        config: Path of ``tempestweb.toml``.
        modules: ``[wasm].modules`` after the sync (what was written, or would be on a dry run).
        added: Import names that were not listed before.
        native: Distributions skipped because they contain compiled code.
        framework: Distributions skipped because the Mode A build ships them itself.
        missing: Direct dependencies that are not installed (their modules are unknown).
        no_modules: Pure distributions whose import names could not be determined.
        written: ``True`` when the file was (re)written.
        source: Where the dependencies were read: ``"pyproject.toml"`` or ``"imports"`` (the
            app folder's ``.py`` files, when there is no ``pyproject.toml``).

    """

    config: Path
    modules: tuple[str, ...]
    added: tuple[str, ...]
    native: tuple[str, ...]
    framework: tuple[str, ...]
    missing: tuple[str, ...]
    no_modules: tuple[str, ...]
    written: bool
    source: str = "pyproject.toml"

    @property
    def up_to_date(self) -> bool:
        """``True`` when ``[wasm].modules`` already listed every module."""
        return not self.added


def normalize(name: str, /) -> str:
    """Return the PEP 503 normalized form of a distribution name (``Foo_Bar`` -> ``foo-bar``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse(requirement: str, /) -> Requirement:
    try:
        return Requirement(requirement)
    except InvalidRequirement as exc:
        raise SyncError(f"invalid requirement {requirement!r} in [project].dependencies: {exc}") from None


def requirement_name(requirement: str, /) -> str:
    """Return the distribution name of a PEP 508 requirement string.

    Args:
        requirement: e.g. ``"requests[socks]>=2; python_version >= '3.8'"``.

    Returns:
        The normalized name, e.g. ``"requests"``.

    Raises:
        SyncError: The string is not a PEP 508 requirement.

    """
    return normalize(_parse(requirement).name)


def needed_in_browser(requirement: str, /, *, extras: frozenset[str] = frozenset()) -> bool:
    """Whether Mode A needs ``requirement``: its marker holds for Pyodide's interpreter.

    The marker is evaluated against
    :data:`~tempestweb_contract.project.WASM_MARKER_ENVIRONMENT` (CPython 3.14 on Emscripten),
    never against the interpreter running this command: ``tomli; python_version < "3.11"`` and
    ``colorama; sys_platform == "win32"`` are not needed; a requirement behind an extra is needed
    only when one of ``extras`` was asked for (PEP 508 ``extra`` marker).

    Args:
        requirement: A PEP 508 requirement string.
        extras: The extras requested of the distribution that declares ``requirement``.

    Returns:
        ``True`` when the requirement has no marker or its marker is true there.

    Raises:
        SyncError: The string is not a PEP 508 requirement.

    """
    return _marker_holds(_parse(requirement), extras)


def _marker_holds(requirement: Requirement, extras: frozenset[str]) -> bool:
    marker = requirement.marker
    return marker is None or any(
        marker.evaluate({**WASM_MARKER_ENVIRONMENT, "extra": extra}) for extra in extras or {""}
    )


def _note(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


def _is_framework(name: str) -> bool:
    return name in FRAMEWORK_DISTRIBUTIONS or name == "tempestweb" or name.startswith("tempestweb-")


def _is_pure(dist: importlib.metadata.Distribution) -> bool:
    wheel = dist.read_text("WHEEL")
    if wheel is not None and "root-is-purelib: true" not in wheel.lower():
        return False
    return not any(str(file).endswith(_NATIVE_SUFFIXES) for file in dist.files or ())


def import_names(dist: importlib.metadata.Distribution, /) -> list[str]:
    """Return the top-level import names of an installed distribution.

    ``top_level.txt`` when present, else the first path component of each ``RECORD`` entry
    (packages and ``.py`` modules; metadata, scripts, ``.pth`` files and caches are ignored).

    Args:
        dist: The installed distribution.

    Returns:
        Sorted unique identifiers, e.g. ``["tomlkit"]``.

    """
    top_level = dist.read_text("top_level.txt")
    names: set[str] = set()
    if top_level:
        names = {line.strip() for line in top_level.splitlines() if line.strip()}
    else:
        for file in dist.files or ():
            parts = file.parts
            if not parts or parts[0] in ("..", "__pycache__") or parts[0].endswith((".dist-info", ".data")):
                continue
            head = parts[0]
            if len(parts) == 1:
                if not head.endswith(".py"):
                    continue
                head = head[:-3]
            names.add(head)
    return sorted(name for name in names if name.isidentifier() and "/" not in name)


_BOM = "\ufeff"
"""A UTF-8 byte order mark, which some editors write first; not part of a TOML document."""


def _read_toml(path: Path, /) -> str:
    """Return the text of the TOML file ``path``.

    Raises:
        SyncError: The file cannot be read or is not UTF-8 (TOML files are, per TOML 1.0).

    """
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise SyncError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise SyncError(f"cannot read {path}: {exc.strerror or exc}") from None


def _project_dependencies(pyproject: Path) -> list[str]:
    try:
        document = tomllib.loads(_read_toml(pyproject).removeprefix(_BOM))
    except tomllib.TOMLDecodeError as exc:
        raise SyncError(f"{pyproject}: invalid TOML: {exc}") from None
    project = document.get("project", {})
    dependencies = project.get("dependencies", []) if isinstance(project, dict) else None
    if not isinstance(dependencies, list) or not all(isinstance(d, str) for d in dependencies):
        raise SyncError(f"{pyproject}: [project].dependencies must be a list of requirement strings")
    return dependencies


@dataclass
class _Scan:
    modules: list[str]
    native: list[str]
    framework: list[str]
    missing: list[str]
    no_modules: list[str]


def _scan(requirements: list[str]) -> _Scan:
    scan = _Scan([], [], [], [], [])
    seen: set[tuple[str, frozenset[str]]] = set()
    queue = [(requirement, frozenset[str](), True) for requirement in requirements]
    while queue:
        requirement, extras, direct = queue.pop(0)
        parsed = _parse(requirement)
        if not _marker_holds(parsed, extras):
            continue
        name, requested = normalize(parsed.name), frozenset(parsed.extras)
        if (name, requested) in seen:  # once more with other extras: their requirements count
            continue
        seen.add((name, requested))
        if _is_framework(name):
            _note(scan.framework, name)
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            if direct:
                _note(scan.missing, name)
            else:
                logger.info("sync: %s (required by the app's dependencies) is not installed", name)
            continue
        if not _is_pure(dist):
            _note(scan.native, name)
            continue
        names = import_names(dist)
        if not names:
            _note(scan.no_modules, name)
        for module in names:
            _note(scan.modules, module)
        queue.extend((sub, requested, False) for sub in dist.requires or ())
    return scan


_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages", "build", "dist"})


def _find_project(path: Path) -> Path:
    folder = path if path.is_dir() else path.parent
    if not (folder / "pyproject.toml").is_file() and not (folder / PROJECT_FILE).is_file():
        raise SyncError(
            f"{folder} has neither pyproject.toml nor {PROJECT_FILE}; "
            "run tempestweb sync in the app folder (the one tempestweb new made)"
        )
    return folder


def _app_sources(folder: Path) -> list[Path]:
    """Return the app folder's ``.py`` files, outside hidden, cache, build and venv folders."""
    files: list[Path] = []
    for file in sorted(folder.rglob("*.py")):
        parts = file.relative_to(folder).parts[:-1]
        if any(part.startswith(".") or part in _SKIPPED_DIRS for part in parts):
            continue
        if any((folder.joinpath(*parts[: i + 1]) / "pyvenv.cfg").is_file() for i in range(len(parts))):
            continue
        if file.is_file():  # not a folder named x.py, nor a symlink to nothing
            files.append(file)
    return files


def _imported_names(files: list[Path]) -> list[str]:
    """Return the top-level module names the files import absolutely, in first-seen order.

    Raises:
        SyncError: A file is not valid Python (its path and line are named) or cannot be read.

    """
    names: list[str] = []
    for file in files:
        try:
            tree = ast.parse(file.read_bytes(), filename=str(file))
        except SyntaxError as exc:
            raise SyncError(f"{file}:{exc.lineno}: cannot read its imports: {exc.msg}") from None
        except OSError as exc:  # unreadable: no permission
            raise SyncError(f"cannot read {file}: {exc.strerror or exc}") from None
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [node.module]
            else:
                continue
            names.extend(top for name in found if (top := name.split(".")[0]) not in names)
    return names


def _is_framework_module(name: str) -> bool:
    return name.startswith("tempestweb") or _is_framework(normalize(name))


@dataclass
class _Imports:
    requirements: list[str]  # distributions providing imported modules (PEP 503 names)
    modules: list[str]  # importable modules no distribution claims (an editable install)
    native: list[str]  # such modules with compiled code
    missing: list[str]  # imported modules that cannot be imported here


def _requirements_from_imports(folder: Path) -> _Imports:
    """Map the app folder's imports to installed distributions.

    The standard library, the framework and the folder's own modules and packages are left
    out. A module that no distribution's ``RECORD`` lists but that is importable (an editable
    install) is taken as it is, found with :func:`importlib.util.find_spec`.
    """
    files = _app_sources(folder)
    local = {file.relative_to(folder).parts[0].removesuffix(".py") for file in files}
    providers = importlib.metadata.packages_distributions()
    found = _Imports([], [], [], [])
    for name in _imported_names(files):
        if name in sys.stdlib_module_names or name in local or _is_framework_module(name):
            continue
        dists = providers.get(name)
        if dists:
            found.requirements.extend(d for d in map(normalize, dists) if d not in found.requirements)
            continue
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            found.missing.append(name)
        elif spec.origin is not None and spec.origin.endswith(_NATIVE_SUFFIXES):
            found.native.append(name)
        else:
            found.modules.append(name)
    return found


def sync(path: Path, *, dry_run: bool = False) -> SyncResult:
    """Add the import names of the app's installed pure-Python dependencies to ``[wasm].modules``.

    Dependencies are ``[project].dependencies`` of ``pyproject.toml``; without that file (a
    project made by ``tempestweb new`` has only ``tempestweb.toml``), they are the installed
    distributions the app folder's ``.py`` files import, and an import nothing installed
    provides is reported in ``missing``.

    Args:
        path: The project folder (holding ``pyproject.toml`` or ``tempestweb.toml``), or a
            file inside it.
        dry_run: Compute the result without writing ``tempestweb.toml``.

    Returns:
        What changed (or would change); ``written`` is ``False`` on a dry run and when the
        file was already up to date (it is then left byte-identical).

    Raises:
        SyncError: Neither ``pyproject.toml`` nor ``tempestweb.toml``, either file unreadable,
            not UTF-8 or not valid TOML, an app file that is unreadable or not valid Python, a
            malformed requirement, ``[wasm]``/``[wasm].modules`` of the wrong type, or
            ``tempestweb.toml`` cannot be written.

    """
    folder = _find_project(path)
    if (folder / "pyproject.toml").is_file():
        source = "pyproject.toml"
        scan = _scan(_project_dependencies(folder / "pyproject.toml"))
    else:
        source = "imports"
        imports = _requirements_from_imports(folder)
        scan = _scan(imports.requirements)
        scan.modules.extend(name for name in imports.modules if name not in scan.modules)
        scan.native.extend(imports.native)
        scan.missing.extend(imports.missing)
    config = folder / PROJECT_FILE
    text = _read_toml(config) if config.is_file() else ""
    bom = _BOM if text.startswith(_BOM) else ""  # kept as it was: only [wasm].modules changes
    try:
        document = tomlkit.parse(text.removeprefix(bom))
    except tomlkit.exceptions.ParseError as exc:
        raise SyncError(f"{config}: invalid TOML: {exc}") from None
    wasm = document.get("wasm")
    if wasm is not None and not isinstance(wasm, Table):
        raise SyncError(f"{config}: 'wasm' must be a table")
    current = wasm.get("modules") if wasm is not None else None
    if current is not None and not (isinstance(current, Array) and all(isinstance(m, str) for m in current)):
        raise SyncError(f"{config}: [wasm].modules must be a list of module names")
    existing = [str(m) for m in current] if current is not None else []
    added = [name for name in scan.modules if name not in existing]
    written = False
    if added and not dry_run:
        if wasm is None:
            wasm = tomlkit.table()
            document["wasm"] = wasm
        if current is None:
            current = tomlkit.array()
            wasm["modules"] = current
        for name in added:
            current.append(name)
        try:
            config.write_text(bom + tomlkit.dumps(document), "utf-8")
        except OSError as exc:  # a read-only file or folder, a full disk
            raise SyncError(f"cannot write {config}: {exc.strerror or exc}") from None
        written = True
    return SyncResult(
        config=config,
        modules=(*existing, *added),
        added=tuple(added),
        native=tuple(scan.native),
        framework=tuple(scan.framework),
        missing=tuple(scan.missing),
        no_modules=tuple(scan.no_modules),
        written=written,
        source=source,
    )


@click.command("sync", short_help="Add the app's dependencies to [wasm].modules.")
@click.argument("path", type=click.Path(exists=True, path_type=Path), default=Path("."))
@click.option("--dry-run", is_flag=True, help="Show what would be added without writing tempestweb.toml.")
def sync_command(path: Path, dry_run: bool) -> None:
    """Add the app's pure-Python dependencies to [wasm].modules of tempestweb.toml.

    Dependencies come from [project].dependencies of pyproject.toml, or without one from the
    imports of the app folder's .py files. Exits 1 when a dependency is not installed.
    """
    try:
        result = sync(path, dry_run=dry_run)
    except SyncError as exc:
        raise click.ClickException(exc.message) from None
    if result.up_to_date:
        click.echo(f"{result.config.name}: [wasm].modules is up to date")
    else:
        verb = "would add" if dry_run else "added"
        click.echo(f"{result.config.name}: {verb} to [wasm].modules: {', '.join(result.added)}")
    if result.native:
        click.echo(
            f"skipped (native code; Pyodide provides those via [wasm].packages): {', '.join(result.native)}"
        )
    if result.no_modules:
        click.echo(f"no importable modules found for: {', '.join(result.no_modules)}", err=True)
    if result.missing:
        what = "imported by the app" if result.source == "imports" else "in [project].dependencies"
        raise click.ClickException(
            f"not installed ({what}): {', '.join(result.missing)}; "
            "install them (pip install ...), then run tempestweb sync again"
        )
