"""Smoke-check packages installed from their wheels: ``python .ci/smoke_installed.py PACKAGE [DEP ...]``.

Run from a directory holding no sources (the nox ``tests`` session uses its tmp dir), so that
nothing but site-packages can provide the imports. Checks, for every named distribution, that its
import package comes from site-packages; then, per package:

- ``tempestweb-contract``: ``python -m tempestweb_contract schema`` prints a JSON Schema 2020-12
  document, and ``tempestweb_contract.client_dir()`` is inside site-packages and holds the client
  entry modules;
- ``tempestweb-server`` / ``-wasm`` / ``-desktop``: the ``tempestweb.modes`` entry point loads a mode
  with the right name;
- ``tempestweb-cli``: the ``tempestweb`` console script runs ``--help``.

Prints one line per passed check; exits 1 with a message naming the failed check.
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import sysconfig
from importlib.metadata import entry_points
from pathlib import Path

SITE_DIRS = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
CLIENT_ENTRY_FILES = ("tempestweb.js", "boot.js", "constants.js")
MODES = {"tempestweb-server": "server", "tempestweb-wasm": "wasm", "tempestweb-desktop": "desktop"}
# Distributions whose import package is not their name with "_" (tempestweb is a PEP 420 namespace).
IMPORT_NAMES = {"tempestweb-native": "tempestweb.native"}
NATIVE_CAPABILITIES = (
    "audio",
    "camera",
    "clipboard",
    "file",
    "geolocation",
    "http",
    "install",
    "onnx",
    "share",
    "storage",
)
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class SmokeError(Exception):
    """A smoke check failed; the message says which and why."""


def installed(path: Path) -> bool:
    """Return whether ``path`` lies inside this interpreter's site-packages.

    Args:
        path: A file or directory path.

    Returns:
        True when it is inside ``purelib`` or ``platlib``.

    """
    resolved = path.resolve()
    return any(resolved.is_relative_to(site) for site in SITE_DIRS)


def check_location(distribution: str) -> None:
    """Check that a distribution's import package is imported from site-packages.

    Args:
        distribution: A distribution name such as ``tempest-core``.

    Raises:
        SmokeError: The package was imported from elsewhere (e.g. a source tree).

    """
    module = importlib.import_module(IMPORT_NAMES.get(distribution, distribution.replace("-", "_")))
    location = Path(module.__file__ or "")
    if not installed(location):
        raise SmokeError(f"{module.__name__} imported from {location}, not from site-packages {SITE_DIRS}")
    print(f"ok  {module.__name__} from {location.parent}")


def check_contract() -> None:
    """Check the contract's schema command and its bundled JS client.

    Raises:
        SmokeError: The schema command fails or prints no 2020-12 schema, or the client
            directory is outside site-packages or lacks an entry module.

    """
    command = [sys.executable, "-m", "tempestweb_contract", "schema"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SmokeError(f"`{' '.join(command[1:])}` exited {result.returncode}: {result.stderr}")
    schema = json.loads(result.stdout)
    if schema.get("$schema") != SCHEMA_DIALECT:
        raise SmokeError(f"schema command printed no JSON Schema 2020-12 document: {result.stdout[:200]!r}")
    print(f"ok  python -m tempestweb_contract schema ({len(result.stdout)} bytes, {len(schema)} keys)")
    contract = importlib.import_module("tempestweb_contract")
    directory: Path = contract.client_dir()
    if not installed(directory):
        raise SmokeError(f"client_dir() is {directory}, outside site-packages {SITE_DIRS}")
    missing = [name for name in CLIENT_ENTRY_FILES if not (directory / name).is_file()]
    if missing:
        raise SmokeError(f"client_dir() {directory} lacks {missing}")
    print(f"ok  client_dir() = {directory} ({len(list(directory.glob('*.js')))} modules)")


def check_mode(distribution: str) -> None:
    """Check that a mode package's ``tempestweb.modes`` entry point loads.

    Args:
        distribution: ``tempestweb-server``, ``tempestweb-wasm`` or ``tempestweb-desktop``.

    Raises:
        SmokeError: The entry point is missing or loads an object with another name.

    """
    wanted = MODES[distribution]
    found = {point.name: point for point in entry_points(group="tempestweb.modes")}
    if wanted not in found:
        raise SmokeError(f"entry point tempestweb.modes:{wanted} not installed (found {sorted(found)})")
    mode = found[wanted].load()
    if getattr(mode, "name", None) != wanted:
        raise SmokeError(f"entry point tempestweb.modes:{wanted} loaded {mode!r}")
    print(f"ok  entry point tempestweb.modes:{wanted} -> {found[wanted].value}")


def check_native() -> None:
    """Check that every built-in capability's JS module is found through its entry point, installed.

    Raises:
        SmokeError: A capability is missing, or its module lies outside site-packages.

    """
    from tempestweb_contract.plugins import capability_modules

    modules = capability_modules()
    missing = [name for name in NATIVE_CAPABILITIES if name not in modules]
    if missing:
        raise SmokeError(f"tempestweb.capabilities entry points missing: {missing} (found {sorted(modules)})")
    outside = [name for name in NATIVE_CAPABILITIES if not installed(modules[name].path)]
    if outside:
        raise SmokeError(f"capability modules outside site-packages: {outside}")
    print(f"ok  {len(modules)} capability modules under {modules['http'].root}")


def check_cli() -> None:
    """Check that the ``tempestweb`` console script is installed and runs.

    Raises:
        SmokeError: The script is not on PATH next to this interpreter, or ``--help`` fails.

    """
    script = shutil.which("tempestweb", path=str(Path(sys.executable).parent))
    if script is None:
        raise SmokeError(f"console script tempestweb not installed in {Path(sys.executable).parent}")
    result = subprocess.run([script, "--help"], capture_output=True, text=True, check=False)
    if result.returncode != 0 or "Usage" not in result.stdout:
        raise SmokeError(f"`tempestweb --help` exited {result.returncode}: {result.stdout}{result.stderr}")
    print(f"ok  {script} --help")


def main(argv: list[str]) -> int:
    """Run the smoke checks for ``argv[0]`` and locations for every named distribution.

    Args:
        argv: ``[PACKAGE, DEP...]`` distribution names.

    Returns:
        0 when every check passes, 1 on the first failure, 2 on a usage error.

    """
    if not argv:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    package = argv[0]
    try:
        for distribution in argv:
            check_location(distribution)
        if package == "tempestweb-contract":
            check_contract()
        if package in MODES:
            check_mode(package)
        if package == "tempestweb-cli":
            check_cli()
        if package == "tempestweb-native":
            check_native()
    except SmokeError as error:
        print(f"FAIL {package}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
