"""The error hierarchy of tempestweb-wasm: every build, cache and runtime failure is typed."""

from __future__ import annotations

import errno

from tempestweb_contract.project import ProjectConfigError

__all__ = [
    "AddressInUseError",
    "AppLoadError",
    "CacheIntegrityError",
    "ConfigError",
    "FetchError",
    "ModuleResolutionError",
    "ToolMissingError",
    "WasmError",
]


class WasmError(Exception):
    """Base of every error raised by tempestweb-wasm.

    Attributes:
        message: Human-readable explanation naming the offending input.

    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(WasmError, ProjectConfigError):
    """The ``[wasm]`` table of ``tempestweb.toml`` (or a build option) is invalid.

    A ``tempestweb_contract.project.ProjectConfigError``, as every mode's config error is.
    """


class AppLoadError(WasmError):
    """The build target has no app file, the file fails to import, or it defines no ``App``."""


class ModuleResolutionError(WasmError):
    """A module listed in ``[wasm].modules`` is neither vendored next to the app nor installed.

    Attributes:
        module: The module name that could not be resolved.

    """

    def __init__(self, module: str, message: str) -> None:
        super().__init__(message)
        self.module = module


class ToolMissingError(WasmError):
    """An external tool the builder needs (``npm``, ``pip``) is not installed."""


class FetchError(WasmError):
    """Downloading Pyodide or a wheel failed (network error, unknown package, no wasm wheel)."""


class CacheIntegrityError(WasmError):
    """A cached or downloaded file does not match its recorded SHA-256, even after a re-download.

    Attributes:
        path: The offending file.

    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


class AddressInUseError(WasmError, OSError):
    """The host and port to serve a build on are taken by another process.

    An ``OSError`` with ``errno.EADDRINUSE`` whose message is one line, e.g.
    ``port 8000 on 127.0.0.1 is in use``.

    Attributes:
        host: The interface.
        port: The TCP port.

    """

    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"port {port} on {host} is in use")
        self.errno = errno.EADDRINUSE
        self.host = host
        self.port = port
