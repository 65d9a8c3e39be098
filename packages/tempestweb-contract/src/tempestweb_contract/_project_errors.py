"""The errors of the project schema: ``tempestweb.toml``, app targets, app loading, assets."""

from __future__ import annotations

__all__ = ["AppLoadError", "AssetError", "ProjectConfigError", "ProjectError"]


class ProjectError(Exception):
    """Base of every error about a project: its config file, its app, its assets.

    Args:
        message: The whole human-readable text; it names the file and, where there is one,
            the key (``tempestweb.toml: [server] port: expected int, got float 8.5``).
        file: The file the error is about (``tempestweb.toml``, the app module), if any.
        key: The dotted config key the error is about (``"server.port"``), if any.

    Attributes:
        message: As given.
        file: As given.
        key: As given.

    """

    def __init__(self, message: str, /, *, file: str | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.key = key


class ProjectConfigError(ProjectError, ValueError):
    """``tempestweb.toml``, or a config value given in code, is invalid.

    Bad TOML, an unknown section or key, a value of the wrong type or range.
    """


class AssetError(ProjectConfigError):
    """An asset glob or script is invalid or resolves badly.

    Absolute, a URL, leaving the app folder (``..``, or a symlink whose target is outside it),
    matching no file, or under the reserved ``/_tw/`` prefix.
    """


class AppLoadError(ProjectError):
    """The app cannot be loaded.

    The target names no app file, the app module raised while imported (the message shows the
    user's ``file:line``), or it has no attribute of the expected type.
    """
