"""Every pinned version, hash, path and timing of Mode A, as named constants.

The Pyodide distribution is pinned by version and by the SHA-256 of its npm tarball, so a
build is reproducible and a tampered or truncated download is rejected.
"""

from __future__ import annotations

from typing import Final

from tempestweb_contract.project import WASM_PYTHON_VERSION

__all__ = [
    "APP_DIR_NAME",
    "BASE_REQUIREMENTS",
    "CACHE_DIR_ENV",
    "CLIENT_DIR_NAME",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "PYODIDE_DIR_NAME",
    "PYODIDE_FILES",
    "PYODIDE_NPM_SPEC",
    "PYODIDE_TGZ_SHA256",
    "PYODIDE_VERSION",
    "SUBPROCESS_TIMEOUT_S",
    "TOOL_VERSION_TIMEOUT_S",
    "WHEELS_DIR_NAME",
    "WHEEL_ABI",
    "WHEEL_IMPLEMENTATION",
    "WHEEL_PLATFORM",
    "WHEEL_PYTHON_VERSION",
]

PYODIDE_VERSION: Final = "314.0.7"
"""Pyodide release vendored into every build (Python 3.14 in WebAssembly)."""

PYODIDE_NPM_SPEC: Final = f"pyodide@{PYODIDE_VERSION}"
"""Argument given to ``npm pack`` to fetch the Pyodide distribution."""

PYODIDE_TGZ_SHA256: Final = "66b7949e5a0cba2250b586d7e368bf12fb482800748d182c4618254b685ffaa0"
"""SHA-256 of ``pyodide-314.0.7.tgz`` as produced by ``npm pack pyodide@314.0.7``."""

PYODIDE_FILES: Final = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
"""Files of the npm package's ``package/`` folder a browser needs to boot Pyodide."""

WHEEL_PLATFORM: Final = "pyemscripten_2026_0_wasm32"
"""``pip download --platform`` tag of Pyodide 314's ABI (emscripten 2026_0, wasm32)."""

WHEEL_PYTHON_VERSION: Final = WASM_PYTHON_VERSION
"""``pip download --python-version`` matching Pyodide 314's interpreter (the project schema's
:data:`~tempestweb_contract.project.WASM_PYTHON_VERSION`)."""

WHEEL_IMPLEMENTATION: Final = "cp"
"""``pip download --implementation``: Pyodide is CPython."""

WHEEL_ABI: Final = "2026_0"
"""Pyodide ABI version recorded in ``pyodide-lock.json`` (``info.abi_version``)."""

BASE_REQUIREMENTS: Final = ("pydantic==2.14.3", "msgspec==0.22.0", "markdown-it-py==4.3.0", "mdurl==0.1.2")
"""Third-party requirements of tempest-core and the contract, pinned for reproducible builds
(markdown-it-py and its dependency mdurl are pure-Python ``py3-none-any`` wheels)."""

CACHE_DIR_ENV: Final = "TEMPESTWEB_CACHE_DIR"
"""Environment variable overriding the download cache directory."""

SUBPROCESS_TIMEOUT_S: Final = 600.0
"""Longest a ``npm pack`` or ``pip download`` subprocess may run, in seconds."""

TOOL_VERSION_TIMEOUT_S: Final = 15.0
"""Longest ``node --version`` or ``npm --version`` may run for ``tempestweb doctor``, in seconds."""

PYODIDE_DIR_NAME: Final = "pyodide"
"""Folder of a build holding the vendored Pyodide files."""

WHEELS_DIR_NAME: Final = "wheels"
"""Folder of a build holding every wheel Pyodide installs."""

CLIENT_DIR_NAME: Final = "client"
"""Folder of a build holding the JS client's ES modules."""

APP_DIR_NAME: Final = "app"
"""Folder of a build holding ``app.py`` and the vendored modules (put on ``sys.path``)."""

DEFAULT_HOST: Final = "127.0.0.1"
"""Interface the development static server binds by default."""

DEFAULT_PORT: Final = 8000
"""Port the development static server binds by default."""
