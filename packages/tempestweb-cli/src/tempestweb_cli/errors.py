"""Errors of the ``tempestweb`` command; each prints one ``Error: ...`` line and sets the exit code."""

from __future__ import annotations

import click

from tempestweb_cli.constants import EXIT_CONFIG, EXIT_FAILURE

__all__ = ["CliError", "ConfigError", "ModeNotInstalledError", "PortInUseError", "UnknownModeError"]


class CliError(click.ClickException):
    """A command failed; printed as ``Error: <message>``, exit status 1."""

    exit_code = EXIT_FAILURE


class ConfigError(CliError):
    """``tempestweb.toml`` is invalid; the message names the file, the key and the expectation.

    The message is the project schema's (:class:`tempestweb_contract.project.ProjectConfigError`),
    e.g. ``app/tempestweb.toml: [server] port: expected int, got str "80a"``. Exit status 2.
    """

    exit_code = EXIT_CONFIG


class ModeNotInstalledError(CliError):
    """The requested mode has no ``tempestweb.modes`` entry point installed; exit status 2."""

    exit_code = EXIT_CONFIG


class UnknownModeError(CliError):
    """The requested mode is neither installed nor a published tempestweb mode; exit status 2.

    The message suggests the closest mode, e.g. ``unknown mode 'sever'; did you mean 'server'?``,
    or lists the installed ones.
    """

    exit_code = EXIT_CONFIG


class PortInUseError(CliError):
    """``run`` or ``dev`` was given a port another process listens on; exit status 1.

    The message is one line naming the port and the interface, e.g.
    ``port 8000 on 127.0.0.1 is in use; pick another with --port``.
    """
