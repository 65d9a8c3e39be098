"""The error hierarchy of tempestweb_server."""

from __future__ import annotations

__all__ = ["AppLoadError", "ConfigError", "ServerError"]


class ServerError(Exception):
    """Base of every error raised by tempestweb_server."""


class ConfigError(ServerError, ValueError):
    """A :class:`~tempestweb_server.config.ServerConfig` field has an invalid value.

    The message names the field, what was expected and what was given.
    """


class AppLoadError(ServerError):
    """An app could not be loaded from a file or directory.

    The message names the file and says what is wrong (missing file, import failure, no
    module-level ``app``, ``app`` is not a :class:`tempest_core.App`).
    """
