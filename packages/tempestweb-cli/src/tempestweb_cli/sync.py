"""``tempestweb sync``: copy the app's pure-Python dependencies into ``[wasm].modules``.

Mode A runs the app under Pyodide, which has no ``pip``. Pure-Python dependencies are shipped
as source (``[wasm].modules``, resolved by the Mode A builder from the installed environment);
packages with native code need a pyemscripten wheel (``[wasm].packages``). This command reads
``[project].dependencies`` of the app's ``pyproject.toml``, follows their installed requirements,
and adds the import names of every installed pure-Python distribution to ``[wasm].modules`` of
``tempestweb.toml`` (a union: existing entries keep their order, new ones are appended). The
file is edited with tomlkit, so comments and formatting survive; when nothing changes the file
is not written at all.

Packaging references: PEP 508 (requirement strings), PEP 503 (name normalization), PEP 427
(``WHEEL`` metadata, ``Root-Is-Purelib``), PEP 376 (``RECORD``).
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import click
import tomlkit
from tomlkit.items import Array, Table

from tempestweb_contract.project import PROJECT_FILE

__all__ = ["FRAMEWORK_DISTRIBUTIONS", "SyncError", "SyncResult", "sync", "sync_command"]

FRAMEWORK_DISTRIBUTIONS = frozenset({"tempest-core", "pydantic", "pydantic-core", "msgspec"})
"""Normalized distribution names the Mode A build ships itself (plus every ``tempestweb*``)."""

_NAME_RE = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_EXTRA_MARKER_RE = re.compile(r"\bextra\s*==")
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

    """

    config: Path
    modules: tuple[str, ...]
    added: tuple[str, ...]
    native: tuple[str, ...]
    framework: tuple[str, ...]
    missing: tuple[str, ...]
    no_modules: tuple[str, ...]
    written: bool

    @property
    def up_to_date(self) -> bool:
        """``True`` when ``[wasm].modules`` already listed every module."""
        return not self.added


def normalize(name: str, /) -> str:
    """Return the PEP 503 normalized form of a distribution name (``Foo_Bar`` -> ``foo-bar``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str, /) -> str:
    """Return the distribution name of a PEP 508 requirement string.

    Args:
        requirement: e.g. ``"requests[socks]>=2; python_version >= '3.8'"``.

    Returns:
        The normalized name, e.g. ``"requests"``.

    Raises:
        SyncError: The string does not start with a distribution name.

    """
    match = _NAME_RE.match(requirement)
    if match is None:
        raise SyncError(f"invalid requirement {requirement!r} in [project].dependencies")
    return normalize(match.group(1))


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


def _project_dependencies(pyproject: Path) -> list[str]:
    try:
        document = tomllib.loads(pyproject.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
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
    seen: set[str] = set()
    queue = [(requirement_name(req), True) for req in requirements]
    while queue:
        name, direct = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        if _is_framework(name):
            scan.framework.append(name)
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            if direct:  # an uninstalled transitive requirement is usually excluded by its marker
                scan.missing.append(name)
            continue
        if not _is_pure(dist):
            scan.native.append(name)
            continue
        names = import_names(dist)
        if not names:
            scan.no_modules.append(name)
        scan.modules.extend(n for n in names if n not in scan.modules)
        for sub in dist.requires or ():
            requirement, _, marker = sub.partition(";")
            if not _EXTRA_MARKER_RE.search(marker):
                queue.append((requirement_name(requirement), False))
    return scan


def _find_project(path: Path) -> Path:
    folder = path if path.is_dir() else path.parent
    if not (folder / "pyproject.toml").is_file():
        raise SyncError(f"{folder} has no pyproject.toml (tempestweb sync reads [project].dependencies)")
    return folder


def sync(path: Path, *, dry_run: bool = False) -> SyncResult:
    """Add the import names of the app's installed pure-Python dependencies to ``[wasm].modules``.

    Args:
        path: The project folder (holding ``pyproject.toml``), or a file inside it.
        dry_run: Compute the result without writing ``tempestweb.toml``.

    Returns:
        What changed (or would change); ``written`` is ``False`` on a dry run and when the
        file was already up to date (it is then left byte-identical).

    Raises:
        SyncError: No ``pyproject.toml``, invalid TOML in either file, a malformed
            requirement, or ``[wasm]``/``[wasm].modules`` of the wrong type.

    """
    folder = _find_project(path)
    scan = _scan(_project_dependencies(folder / "pyproject.toml"))
    config = folder / PROJECT_FILE
    text = config.read_text("utf-8") if config.is_file() else ""
    try:
        document = tomlkit.parse(text)
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
        config.write_text(tomlkit.dumps(document), "utf-8")
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
    )


@click.command("sync", short_help="Add the app's dependencies to [wasm].modules.")
@click.argument("path", type=click.Path(exists=True, path_type=Path), default=Path("."))
@click.option("--dry-run", is_flag=True, help="Show what would be added without writing tempestweb.toml.")
def sync_command(path: Path, dry_run: bool) -> None:
    """Add the app's pure-Python dependencies to [wasm].modules of tempestweb.toml."""
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
    if result.missing:
        click.echo(
            f"not installed (install them, then run sync again): {', '.join(result.missing)}", err=True
        )
    if result.no_modules:
        click.echo(f"no importable modules found for: {', '.join(result.no_modules)}", err=True)
