"""``tempestweb dev`` (Mode B): what a save of ``tempestweb.toml`` does to the running server.

The dev server keeps the config it started with (the port is bound, the asset routes and the
page shell are built from it). A save of ``tempestweb.toml`` is read again at once so a person
learns about it in one line of the log:

- an invalid file: the project schema's typed error (file, table, key and a did-you-mean for a
  mistyped key), and dev keeps running on the last good config;
- a valid file that changes what the server was started with: which settings changed and that
  a restart applies them (a change to ``[app]`` ``module`` is applied by the app reload itself);
- anything else (comments, ``[wasm]`` packages and modules, ``[desktop]``): nothing to say.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import msgspec

from tempestweb_contract.project import PROJECT_FILE, ProjectError, load_project
from tempestweb_server.config import ServerConfig
from tempestweb_server.errors import ConfigError

__all__ = ["describe_config_change"]

_TOML_KEYS: Final = {"title": "[app] title", "assets": "[wasm] assets", "scripts": "[wasm] scripts"}
"""``ServerConfig`` fields that come from another table than ``[server]``."""


def _key(field: str) -> str:
    return _TOML_KEYS.get(field, f"[server] {field}")


def describe_config_change(
    directory: Path, current: ServerConfig, overrides: dict[str, object]
) -> str | None:
    """Read the project's ``tempestweb.toml`` again and say what its new content means for dev.

    Args:
        directory: The app folder (holding ``tempestweb.toml``).
        current: The config the dev server runs with.
        overrides: The options that win over the file (CLI flags), as given at start.

    Returns:
        One line for the log, or ``None`` when the file changes nothing the server uses. E.g.
        ``"/app/tempestweb.toml: [server] prot: unknown key (did you mean 'port'?); dev keeps
        running on the last good config"`` or ``"tempestweb.toml: [server] port changed (8000
        -> 8001); restart tempestweb dev to apply it"``.

    """
    try:
        fresh = ServerConfig.from_project(load_project(directory), **overrides)
    except ProjectError as exc:
        return f"{exc.message}; dev keeps running on the last good config"
    except ConfigError as exc:
        return f"{directory / PROJECT_FILE}: {exc}; dev keeps running on the last good config"
    before, after = msgspec.structs.asdict(current), msgspec.structs.asdict(fresh)
    changed = [
        f"{_key(field)} ({_shown(before[field])} -> {_shown(value)})"
        for field, value in after.items()
        if value != before[field]
    ]
    if not changed:
        return None
    them = "it" if len(changed) == 1 else "them"
    return f"{PROJECT_FILE}: {', '.join(changed)} changed; restart tempestweb dev to apply {them}"


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    if isinstance(value, str):
        return repr(value)
    return str(value)
