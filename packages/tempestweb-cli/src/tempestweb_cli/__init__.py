"""The ``tempestweb`` command: create, run and develop tempestweb apps in any installed mode."""

from __future__ import annotations

from tempestweb_cli.config import (
    AppSection,
    ProjectConfig,
    ServerSection,
    WasmSection,
    load_config,
    parse_config,
)
from tempestweb_cli.errors import CliError, ConfigError, ModeNotInstalledError
from tempestweb_cli.main import cli
from tempestweb_cli.modes import Mode, available_modes, load_mode
from tempestweb_cli.scaffold import create_project

__all__ = [
    "AppSection",
    "CliError",
    "ConfigError",
    "Mode",
    "ModeNotInstalledError",
    "ProjectConfig",
    "ServerSection",
    "WasmSection",
    "available_modes",
    "cli",
    "create_project",
    "load_config",
    "load_mode",
    "parse_config",
]


def __dir__() -> list[str]:
    return list(__all__)
