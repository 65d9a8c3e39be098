"""What Mode A needs on this machine, for ``tempestweb doctor`` (the mode's ``check()``).

A build vendors Pyodide from the download cache (:mod:`tempestweb_wasm._cache`); the first one
fetches it with ``npm pack``, so Node.js and npm are required until the cache holds the pinned
release and optional after.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tempestweb_wasm._cache import _LOCK, _read_lock, _verify, cache_dir
from tempestweb_wasm.constants import (
    PYODIDE_FILES,
    PYODIDE_NPM_SPEC,
    PYODIDE_TGZ_SHA256,
    PYODIDE_VERSION,
    TOOL_VERSION_TIMEOUT_S,
)

__all__ = ["Diagnosis", "diagnose"]


@dataclass(frozen=True)
class Diagnosis:
    """One line of ``tempestweb doctor``: a check's name, whether it passed, and what was found.

    Attributes:
        name: What was checked (``pyodide cache``, ``node``, ``npm``).
        ok: Whether it passed.
        detail: What was found, or what is missing and what needs it.
        required: Whether a Mode A build fails without it now (npm and node only while
            Pyodide is not cached).

    """

    name: str
    ok: bool
    detail: str
    required: bool = True


def diagnose(*, cache: Path | None = None) -> list[Diagnosis]:
    """Check the Pyodide cache, Node.js and npm, never raising.

    Args:
        cache: Cache root; defaults to :func:`~tempestweb_wasm._cache.cache_dir`.

    Returns:
        One :class:`Diagnosis` each for the Pyodide cache, ``node`` and ``npm``.

    """
    pyodide = _pyodide_cache(cache or cache_dir())
    needed = not pyodide.ok
    return [pyodide, _tool("node", required=needed), _tool("npm", required=needed)]


def _pyodide_cache(root: Path) -> Diagnosis:
    folder = root / "pyodide" / PYODIDE_VERSION
    lock = _read_lock(folder / _LOCK)
    hashes = lock.get("files") if lock is not None else None
    if (
        lock is not None
        and lock.get("tgz_sha256") == PYODIDE_TGZ_SHA256
        and isinstance(hashes, dict)
        and set(hashes) == set(PYODIDE_FILES)
        and not _verify(folder / "files", hashes)
    ):
        return Diagnosis("pyodide cache", True, f"Pyodide {PYODIDE_VERSION} in {folder}", required=False)
    return Diagnosis(
        "pyodide cache",
        False,
        f"Pyodide {PYODIDE_VERSION} is not in {folder} yet; the first Mode A build fetches it with npm",
        required=False,
    )


def _tool(name: str, *, required: bool) -> Diagnosis:
    path = shutil.which(name)
    why = (
        f"needed to fetch {PYODIDE_NPM_SPEC} on the first Mode A build (install Node.js, which has npm)"
        if required
        else f"not needed while Pyodide {PYODIDE_VERSION} is cached"
    )
    if path is None:
        return Diagnosis(name, False, f"not found on PATH; {why}", required=required)
    try:
        done = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=TOOL_VERSION_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Diagnosis(
            name, False, f"{path} --version failed ({type(exc).__name__}); {why}", required=required
        )
    version = done.stdout.strip().splitlines()[0] if done.returncode == 0 and done.stdout.strip() else ""
    if not version:
        return Diagnosis(
            name, False, f"{path} --version exited with {done.returncode}; {why}", required=required
        )
    return Diagnosis(name, True, f"{version} at {path}", required=required)
