"""The typed model of ``tempestweb.toml`` and its loader with precise error messages.

Sections and keys::

    [app]     name: str, module: str, title: str, mode: str
    [server]  host: str, port: int, allowed_origins: list[str], recovery_window_s: float,
              assets: list[str]
    [wasm]    packages, modules, assets, scripts: list[str]

Any unknown section or key, or a value of the wrong type, raises
:class:`~tempestweb_cli.errors.ConfigError` naming the file, the dotted key and what was
expected (TOML 1.0, https://toml.io/en/v1.0.0).
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import msgspec

from tempestweb_cli.constants import DEFAULT_APP_FILE
from tempestweb_cli.errors import ConfigError

__all__ = ["AppSection", "ProjectConfig", "ServerSection", "WasmSection", "load_config", "parse_config"]

_MAX_PORT: Final = 65535


class AppSection(msgspec.Struct, kw_only=True, frozen=True):
    """``[app]``: what the project is and how it starts.

    Attributes:
        name: Project name (informational).
        module: App module: a ``.py`` path relative to the project directory or a dotted module
            name (``pkg.main`` -> ``pkg/main.py``); ``None`` means ``app.py``.
        title: Page title; ``None`` uses the ``App``'s own title.
        mode: Default mode (``"server"``, ``"wasm"``...); ``None`` means ``server``.

    """

    name: str | None = None
    module: str | None = None
    title: str | None = None
    mode: str | None = None


class ServerSection(msgspec.Struct, kw_only=True, frozen=True):
    """``[server]``: Mode B options (``None``: the server's default).

    Attributes:
        host: Interface to bind.
        port: TCP port, 0..65535.
        allowed_origins: Extra accepted ``Origin`` values.
        recovery_window_s: Seconds a disconnected session is kept for a resume.
        assets: Globs of static files, relative to the app folder, served at their relative
            paths (``["static/*"]`` serves ``static/logo.png`` at ``/static/logo.png``).

    """

    host: str | None = None
    port: int | None = None
    allowed_origins: tuple[str, ...] | None = None
    recovery_window_s: float | None = None
    assets: tuple[str, ...] | None = None


class WasmSection(msgspec.Struct, kw_only=True, frozen=True):
    """``[wasm]``: what a Mode A build bundles next to the app.

    Attributes:
        packages: Extra Python distributions to vendor as wheels.
        modules: Extra local modules or packages to ship.
        assets: Static files or directories to copy and precache.
        scripts: Extra JS files to load.

    """

    packages: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()


class ProjectConfig(msgspec.Struct, kw_only=True, frozen=True):
    """A parsed ``tempestweb.toml``.

    Attributes:
        app: The ``[app]`` section.
        server: The ``[server]`` section.
        wasm: The ``[wasm]`` section.
        directory: Directory the file lives in (``None`` for an in-memory config).

    """

    app: AppSection = AppSection()
    server: ServerSection = ServerSection()
    wasm: WasmSection = WasmSection()
    directory: Path | None = None

    def app_file(self, directory: Path, /) -> Path:
        """Resolve the app module to a file.

        Args:
            directory: The project directory.

        Returns:
            ``directory / module`` for a ``.py`` path, ``directory / a/b.py`` for ``a.b``, or
            ``directory / app.py``.

        """
        module = self.app.module or DEFAULT_APP_FILE
        if module.endswith(".py") or "/" in module:
            return directory / module
        return directory / (module.replace(".", "/") + ".py")

    def mode_options(self, mode: str, /) -> dict[str, object]:
        """Return the options of the section named after ``mode`` (only keys that are set).

        Args:
            mode: Mode name, e.g. ``"server"``.

        Returns:
            Option name -> value; tuples become lists. Empty for a mode without a section.

        """
        section = {"server": self.server, "wasm": self.wasm}.get(mode)
        if section is None:
            return {}
        options = msgspec.structs.asdict(section)
        return {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in options.items()
            if value is not None
        }


_STR_LIST = "list of str"
_SCHEMA: Final[dict[str, dict[str, str]]] = {
    "app": {"name": "str", "module": "str", "title": "str", "mode": "str"},
    "server": {
        "host": "str",
        "port": "int",
        "allowed_origins": _STR_LIST,
        "recovery_window_s": "float",
        "assets": _STR_LIST,
    },
    "wasm": {"packages": _STR_LIST, "modules": _STR_LIST, "assets": _STR_LIST, "scripts": _STR_LIST},
}


def load_config(path: Path, /) -> ProjectConfig:
    """Read and validate a ``tempestweb.toml``.

    Args:
        path: The file.

    Returns:
        The typed config, with :attr:`ProjectConfig.directory` set to the file's directory.

    Raises:
        ConfigError: The file cannot be read, is not valid TOML, or violates the schema.

    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    return parse_config(text, source=str(path), directory=path.parent)


def parse_config(
    text: str, /, *, source: str = "tempestweb.toml", directory: Path | None = None
) -> ProjectConfig:
    """Parse and validate ``tempestweb.toml`` text.

    Args:
        text: TOML document.
        source: File name used in error messages.
        directory: Project directory recorded in the result.

    Returns:
        The typed config.

    Raises:
        ConfigError: Invalid TOML, an unknown section or key, a value of the wrong type, or a
            port outside 0..65535; e.g. ``tempestweb.toml: [server].port: expected int, got str "80a"``.

    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML: {exc}") from None
    sections: dict[str, dict[str, object]] = {}
    for name, table in data.items():
        if name not in _SCHEMA:
            raise ConfigError(f"{source}: [{name}]: unknown section (expected one of: {', '.join(_SCHEMA)})")
        if not isinstance(table, Mapping):
            raise ConfigError(f"{source}: [{name}]: expected a table, got {_describe(table)}")
        sections[name] = {key: _check(source, name, key, value) for key, value in table.items()}
    port = sections.get("server", {}).get("port")
    if isinstance(port, int) and not 0 <= port <= _MAX_PORT:
        raise ConfigError(f"{source}: [server].port: expected an int in 0..{_MAX_PORT}, got {port}")
    window = sections.get("server", {}).get("recovery_window_s")
    if isinstance(window, float) and not (math.isfinite(window) and window > 0):
        raise ConfigError(f"{source}: [server].recovery_window_s: expected a positive number, got {window}")
    return ProjectConfig(
        app=AppSection(**sections.get("app", {})),  # type: ignore[arg-type]
        server=ServerSection(**sections.get("server", {})),  # type: ignore[arg-type]
        wasm=WasmSection(**sections.get("wasm", {})),  # type: ignore[arg-type]
        directory=directory,
    )


def _check(source: str, section: str, key: str, value: object) -> object:
    expected = _SCHEMA[section].get(key)
    where = f"{source}: [{section}].{key}"
    if expected is None:
        known = ", ".join(sorted(_SCHEMA[section]))
        raise ConfigError(f"{where}: unknown key (expected one of: {known})")
    if expected == "str" and isinstance(value, str):
        return value
    if expected == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if expected == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if expected == _STR_LIST and isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise ConfigError(f"{where}[{index}]: expected str, got {_describe(item)}")
        return tuple(value)
    raise ConfigError(f"{where}: expected {expected}, got {_describe(value)}")


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"bool {'true' if value else 'false'}"
    if isinstance(value, str):
        return f"str {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "table"
    return f"{type(value).__name__} {value}"
