"""The ``[wasm]`` table of ``tempestweb.toml``, parsed with :mod:`tomllib` into a typed model.

Example ``tempestweb.toml``::

    [wasm]
    packages = ["attrs==24.2.0"]   # extra wheels for the pyemscripten platform (pip requirements)
    modules = ["helpers"]          # pure-Python modules copied into the build
    assets = ["static/**/*.png"]   # globs, relative to the app folder, copied with their paths
    scripts = ["js/analytics.js"]  # local scripts injected before bootstrap.js
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path, PurePosixPath

import msgspec

from tempestweb_wasm.errors import ConfigError

__all__ = ["CONFIG_FILE", "WasmConfig", "load_config", "parse_config"]

CONFIG_FILE = "tempestweb.toml"
"""Name of the project configuration file, looked up next to the app file."""

_MODULE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class WasmConfig(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Mode A options of a project.

    Attributes:
        packages: pip requirement strings (``"name"`` or ``"name==1.2"``) downloaded for the
            pyemscripten platform and installed before the app is imported.
        modules: Importable module names copied into the build: vendored next to the app
            first, else taken from the installed environment.
        assets: Glob patterns relative to the app folder (``**`` allowed); matches are copied
            with their relative paths and precached by the service worker.
        scripts: Relative paths of local JS files loaded with ``<script>`` before the bootstrap.

    """

    packages: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Validate every entry.

        Raises:
            ConfigError: An empty package requirement, a module name that is not a dotted
                identifier, or an asset glob or script that is absolute, leaves the app folder
                (``..``) or is a URL (builds must be self-contained to work offline).

        """
        for req in self.packages:
            if not req.strip():
                raise ConfigError("[wasm].packages: empty requirement string")
        for name in self.modules:
            if not _MODULE_RE.match(name):
                raise ConfigError(
                    f"[wasm].modules: {name!r} is not a module name (e.g. 'helpers' or 'pkg.sub')"
                )
        for key, values in (("assets", self.assets), ("scripts", self.scripts)):
            for value in values:
                _check_relative(key, value)


def _check_relative(key: str, value: str) -> None:
    if not value.strip():
        raise ConfigError(f"[wasm].{key}: empty path")
    if _URL_RE.match(value) and not re.match(r"^[A-Za-z]:[\\/]", value):
        raise ConfigError(
            f"[wasm].{key}: {value!r} is a URL; only files inside the app folder can be built in"
        )
    posix = PurePosixPath(value.replace("\\", "/"))
    if posix.is_absolute() or re.match(r"^[A-Za-z]:", value):
        raise ConfigError(f"[wasm].{key}: {value!r} is absolute; give a path relative to the app folder")
    if ".." in posix.parts:
        raise ConfigError(f"[wasm].{key}: {value!r} leaves the app folder ('..')")


def parse_config(document: dict[str, object], /, *, source: str = CONFIG_FILE) -> WasmConfig:
    """Build a :class:`WasmConfig` from a parsed TOML document.

    Args:
        document: The whole parsed ``tempestweb.toml``; only its ``wasm`` table is read.
        source: Name of the file, used in error messages.

    Returns:
        The validated config (all lists empty when there is no ``[wasm]`` table).

    Raises:
        ConfigError: ``wasm`` is not a table, has an unknown key, or a value of the wrong type.

    """
    table = document.get("wasm", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: 'wasm' must be a table, got {type(table).__name__}")
    try:
        return msgspec.convert(table, WasmConfig)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{source}: [wasm]: {exc}") from None


def load_config(app_dir: Path, /) -> WasmConfig:
    """Read the ``[wasm]`` table of ``<app_dir>/tempestweb.toml``.

    Args:
        app_dir: The folder holding the app file.

    Returns:
        The validated config; the defaults when the file does not exist.

    Raises:
        ConfigError: The file is not valid TOML or its ``[wasm]`` table is invalid.

    """
    path = app_dir / CONFIG_FILE
    if not path.is_file():
        return WasmConfig()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return parse_config(document, source=str(path))
