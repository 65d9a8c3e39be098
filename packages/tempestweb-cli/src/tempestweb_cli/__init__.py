"""The ``tempestweb`` command: create, run and develop tempestweb apps in any installed mode.

``tempestweb.toml`` is read through the project schema every mode shares,
:mod:`tempestweb_contract.project`.
"""

from __future__ import annotations

from tempestweb_cli.errors import (
    CliError,
    ConfigError,
    ModeNotInstalledError,
    PortInUseError,
    UnknownModeError,
)
from tempestweb_cli.main import cli
from tempestweb_cli.modes import Mode, available_modes, load_mode
from tempestweb_cli.scaffold import create_project

__all__ = [
    "CliError",
    "ConfigError",
    "Mode",
    "ModeNotInstalledError",
    "PortInUseError",
    "UnknownModeError",
    "available_modes",
    "cli",
    "create_project",
    "load_mode",
]


def __dir__() -> list[str]:
    return list(__all__)
