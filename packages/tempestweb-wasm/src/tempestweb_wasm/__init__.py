"""tempestweb Mode A: the in-browser runtime under Pyodide and the CPython-side static builder.

``build(app, out=dir)`` writes a folder any static file server can host: the prerendered first
view, the JS client, Pyodide and the wheels (same origin, verified by SHA-256) and a service
worker precaching all of it, so the app works offline after its first visit.
"""

from __future__ import annotations

from tempestweb_wasm._cache import cache_dir, ensure_pyodide, ensure_wheels
from tempestweb_wasm._modules import ResolvedModule, resolve_module
from tempestweb_wasm.builder import BuildResult, build
from tempestweb_wasm.constants import PYODIDE_VERSION
from tempestweb_wasm.errors import (
    AppLoadError,
    CacheIntegrityError,
    ConfigError,
    FetchError,
    ModuleResolutionError,
    ToolMissingError,
    WasmError,
)

__all__ = [
    "PYODIDE_VERSION",
    "AppLoadError",
    "BuildResult",
    "CacheIntegrityError",
    "ConfigError",
    "FetchError",
    "ModuleResolutionError",
    "ResolvedModule",
    "ToolMissingError",
    "WasmError",
    "build",
    "cache_dir",
    "ensure_pyodide",
    "ensure_wheels",
    "resolve_module",
]


def __dir__() -> list[str]:
    return list(__all__)
