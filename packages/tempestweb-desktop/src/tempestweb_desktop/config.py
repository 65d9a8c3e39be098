"""``DesktopConfig``: the desktop host's options, from keyword arguments or ``[desktop]``.

In ``tempestweb.toml`` (parsed by ``tempestweb_contract.project``, section ``DesktopSection``)::

    [desktop]
    title = "Todos"
    width = 900
    height = 700
    plugins = ["dialog", "clipboard-manager", "notification"]
    permissions = ["dialog:allow-open", "clipboard-manager:allow-write-text"]

A plugin listed in ``plugins`` is loaded; its commands are denied unless a permission (or a
permission set such as ``dialog:default``) in ``permissions`` grants them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Final

import msgspec

from tempestweb_contract.project import ProjectConfig
from tempestweb_desktop.constants import DEFAULT_WINDOW_SIZE, IDENTIFIER
from tempestweb_desktop.errors import ConfigError

__all__ = ["PLUGINS", "DesktopConfig"]

PLUGINS: Final[Mapping[str, str]] = {
    "autostart": "autostart",
    "clipboard-manager": "clipboard_manager",
    "deep-link": "deep_link",
    "dialog": "dialog",
    "fs": "fs",
    "global-shortcut": "global_shortcut",
    "http": "http",
    "notification": "notification",
    "opener": "opener",
    "os": "os",
    "persisted-scope": "persisted_scope",
    "positioner": "positioner",
    "process": "process",
    "shell": "shell",
    "single-instance": "single_instance",
    "updater": "updater",
    "upload": "upload",
    "websocket": "websocket",
    "window-state": "window_state",
}
"""Tauri plugins shipped in ``pytauri-wheel`` 0.8: name in ``[desktop] plugins`` (and in their
permission identifiers) -> module of ``pytauri_plugins``."""

# Options every mode receives from the CLI that mean nothing to a window.
_IGNORED: Final = frozenset({"allowed_origins", "host", "port", "assets", "recovery_window_s"})


@dataclass(frozen=True, slots=True)
class DesktopConfig:
    """Options of a desktop app.

    Attributes:
        title: Title of the first window; default the app's ``title``.
        width: Inner width of a new window, in logical pixels.
        height: Inner height of a new window, in logical pixels.
        resizable: Whether windows can be resized.
        plugins: Tauri plugins to load (keys of :data:`PLUGINS`).
        permissions: Permissions granted to the app's windows beyond the core ones
            (``"dialog:default"``, ``"notification:allow-notify"``...); everything else is denied.
        identifier: Reverse-DNS app identifier.
        devtools: Allow the web inspector.
        close_with_main: The default window mode of ``open_window``: ``True`` opens windows in
            ``"multi"`` mode (closing the main window closes them and ends the app); ``False``
            in ``"new"`` mode (the app ends when its last window closes).
        debug: Verbose logs; exception text in ``internal`` errors.

    """

    title: str | None = None
    width: int = DEFAULT_WINDOW_SIZE[0]
    height: int = DEFAULT_WINDOW_SIZE[1]
    resizable: bool = True
    plugins: tuple[str, ...] = ()
    permissions: tuple[str, ...] = field(default=())
    identifier: str = IDENTIFIER
    devtools: bool = False
    close_with_main: bool = True
    debug: bool = False

    def __post_init__(self) -> None:
        for name in ("width", "height"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 16384:
                raise ConfigError(f"[desktop] {name} must be an integer from 1 to 16384, got {value!r}")
        unknown = [plugin for plugin in self.plugins if plugin not in PLUGINS]
        if unknown:
            raise ConfigError(f"[desktop] plugins: unknown {unknown}; known: {sorted(PLUGINS)}")
        for permission in self.permissions:
            prefix = permission.split(":", 1)[0]
            if ":" not in permission or (prefix not in self.plugins and prefix != "core"):
                raise ConfigError(
                    f"[desktop] permissions: {permission!r} must be '<plugin>:<permission>' for a plugin "
                    "listed in [desktop] plugins (or core)"
                )

    @classmethod
    def from_project(
        cls, project: ProjectConfig, options: Mapping[str, object] | None = None, /
    ) -> DesktopConfig:
        """Build from a project's ``[desktop]`` section (``[app] title`` as the default title).

        Args:
            project: The parsed ``tempestweb.toml`` (``tempestweb_contract.project``).
            options: Options that win over the file (the CLI's flags, e.g. ``debug``).

        Returns:
            The config.

        Raises:
            ConfigError: An unknown plugin, a permission for a plugin not listed, or a bad option.

        """
        section = msgspec.structs.asdict(project.desktop)
        values: dict[str, object] = {key: value for key, value in section.items() if value not in (None, ())}
        if "title" not in values and project.app.title is not None:
            values["title"] = project.app.title
        values.update(options or {})
        return cls.from_options(values)

    @classmethod
    def from_options(cls, options: Mapping[str, object], /) -> DesktopConfig:
        """Build from the CLI's options (``[desktop]`` keys plus the shared ones).

        Args:
            options: Option name -> value; lists become tuples; keys of other modes
                (``host``, ``port``, ``allowed_origins``...) are ignored.

        Returns:
            The config.

        Raises:
            ConfigError: An unknown key or a value of the wrong type.

        """
        known = {f.name for f in fields(cls)}
        values: dict[str, object] = {}
        for key, value in options.items():
            if key in _IGNORED:
                continue
            if key not in known:
                raise ConfigError(f"[desktop] unknown option {key!r}; known: {sorted(known)}")
            if key in ("plugins", "permissions"):
                if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"[desktop] {key} must be a list of strings, got {value!r}")
                values[key] = tuple(value)
                continue
            if key in ("resizable", "devtools", "close_with_main", "debug") and not isinstance(value, bool):
                raise ConfigError(f"[desktop] {key} must be true or false, got {value!r}")
            if key in ("title", "identifier") and not isinstance(value, str):
                raise ConfigError(f"[desktop] {key} must be a string, got {value!r}")
            values[key] = value
        return cls(**values)  # type: ignore[arg-type]
