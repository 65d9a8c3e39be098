"""The error hierarchy of tempestweb_server."""

from __future__ import annotations

from tempestweb_contract.project import ProjectConfigError

__all__ = ["AddressInUseError", "AppLoadError", "ConfigError", "ServerError"]


class ServerError(Exception):
    """Base of every error raised by tempestweb_server."""


class ConfigError(ServerError, ProjectConfigError):
    """A :class:`~tempestweb_server.config.ServerConfig` field has an invalid value.

    The message names the field, what was expected and what was given. A
    ``tempestweb_contract.project.ProjectConfigError`` (so a ``ValueError``), as every mode's
    config error is: the CLI exits with its configuration status (2) on any of them.
    """


class AppLoadError(ServerError):
    """An app could not be loaded from a file or directory.

    The message names the file and says what is wrong (missing file, import failure, no
    module-level ``app``, ``app`` is not a :class:`tempest_core.App`).
    """


class AddressInUseError(ServerError, OSError):
    """The host and port to listen on are taken by another process (``EADDRINUSE``).

    An ``OSError`` with ``errno.EADDRINUSE``; the message is one line naming the port and the
    interface, e.g. ``port 8000 on 127.0.0.1 is in use``. Raised before the server announces
    itself or starts the app's lifespan.
    """
