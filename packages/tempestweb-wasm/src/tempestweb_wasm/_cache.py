"""Download cache for Pyodide and wasm wheels, with SHA-256 verification on every reuse.

Layout under :func:`cache_dir`::

    pyodide/<version>/pyodide-<version>.tgz   # checked against PYODIDE_TGZ_SHA256
    pyodide/<version>/files/...               # the PYODIDE_FILES, extracted
    pyodide/<version>/lock.json               # sha256 of every extracted file
    wheels/<key>/*.whl + lock.json            # key = hash of the requirement set; lock = sha256s

A file that does not match its recorded hash is fetched again once; a second mismatch raises
:class:`~tempestweb_wasm.errors.CacheIntegrityError`. The only network clients used are
``npm pack`` and ``pip download`` subprocesses.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from tempestweb_wasm.constants import (
    CACHE_DIR_ENV,
    PYODIDE_FILES,
    PYODIDE_NPM_SPEC,
    PYODIDE_TGZ_SHA256,
    PYODIDE_VERSION,
    SUBPROCESS_TIMEOUT_S,
    WHEEL_IMPLEMENTATION,
    WHEEL_PLATFORM,
    WHEEL_PYTHON_VERSION,
)
from tempestweb_wasm.errors import CacheIntegrityError, FetchError, ToolMissingError

Runner = Callable[[Sequence[str], Path], None]
"""Runs one command (argv) in a working directory; raises FetchError/ToolMissingError."""

_LOCK = "lock.json"


def cache_dir() -> Path:
    """Return the download cache directory (created on first use by the fetchers).

    Returns:
        ``$TEMPESTWEB_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/tempestweb``, else
        ``~/.cache/tempestweb``.

    """
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "tempestweb"


def sha256_file(path: Path, /) -> str:
    """Return the hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run_command(argv: Sequence[str], cwd: Path, /) -> None:
    """Run a fetch command, turning every failure into a typed error.

    Args:
        argv: The command, e.g. ``["npm", "pack", "pyodide@314.0.7"]``.
        cwd: Working directory (downloads land there).

    Raises:
        ToolMissingError: The executable is not installed.
        FetchError: The command exits non-zero or runs longer than ``SUBPROCESS_TIMEOUT_S``.

    """
    try:
        proc = subprocess.run(
            list(argv), cwd=cwd, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S, check=False
        )
    except FileNotFoundError:
        raise ToolMissingError(
            f"{argv[0]!r} is not installed; it is needed to run: {' '.join(argv)}"
        ) from None
    except subprocess.TimeoutExpired:
        raise FetchError(f"{' '.join(argv)} did not finish within {SUBPROCESS_TIMEOUT_S:.0f} s") from None
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip()[-2000:]
        raise FetchError(f"{' '.join(argv)} failed with exit code {proc.returncode}:\n{tail}")


def _read_lock(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _verify(folder: Path, hashes: dict[str, str]) -> list[str]:
    """Return the names in ``hashes`` whose file is missing or has another SHA-256."""
    bad: list[str] = []
    for name, expected in hashes.items():
        path = folder / name
        if not path.is_file() or sha256_file(path) != expected:
            bad.append(name)
    return bad


def _npm_pack(dest: Path, runner: Runner) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise ToolMissingError(
            f"npm is not installed; it is needed once to fetch {PYODIDE_NPM_SPEC} "
            "(install Node.js/npm, or put the files in the cache yourself)"
        )
    dest.mkdir(parents=True, exist_ok=True)
    runner([npm, "pack", PYODIDE_NPM_SPEC, "--silent"], dest)
    tgz = dest / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tgz.is_file():
        raise FetchError(f"npm pack {PYODIDE_NPM_SPEC} did not produce {tgz.name} in {dest}")
    return tgz


def _extract(tgz: Path, files_dir: Path) -> dict[str, str]:
    tmp = Path(tempfile.mkdtemp(prefix="extract-", dir=files_dir.parent))
    try:
        with tarfile.open(tgz, "r:gz") as archive:
            for name in PYODIDE_FILES:
                try:
                    member = archive.getmember(f"package/{name}")
                except KeyError:
                    raise FetchError(f"{tgz.name} has no package/{name}") from None
                source = archive.extractfile(member)
                if source is None:
                    raise FetchError(f"{tgz.name}: package/{name} is not a regular file")
                with source, (tmp / name).open("wb") as target:
                    shutil.copyfileobj(source, target)
        if files_dir.exists():
            shutil.rmtree(files_dir)
        tmp.rename(files_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return {name: sha256_file(files_dir / name) for name in PYODIDE_FILES}


def ensure_pyodide(*, cache: Path | None = None, runner: Runner = run_command) -> Path:
    """Return a verified folder holding the Pyodide files, fetching them if needed.

    Args:
        cache: Cache root; defaults to :func:`cache_dir`.
        runner: Command runner (tests inject a fake one).

    Returns:
        A folder containing every name of ``PYODIDE_FILES``.

    Raises:
        ToolMissingError: npm is needed and not installed.
        FetchError: ``npm pack`` failed or the tarball lacks a file.
        CacheIntegrityError: The tarball's SHA-256 differs from ``PYODIDE_TGZ_SHA256`` after one
            re-download.

    """
    root = (cache or cache_dir()) / "pyodide" / PYODIDE_VERSION
    files_dir = root / "files"
    lock_path = root / _LOCK
    lock = _read_lock(lock_path)
    if lock is not None and lock.get("tgz_sha256") == PYODIDE_TGZ_SHA256:
        hashes = lock.get("files")
        if isinstance(hashes, dict) and set(hashes) == set(PYODIDE_FILES) and not _verify(files_dir, hashes):
            return files_dir
    root.mkdir(parents=True, exist_ok=True)
    tgz = root / f"pyodide-{PYODIDE_VERSION}.tgz"
    for attempt in range(2):
        if not tgz.is_file() or attempt > 0:
            tgz.unlink(missing_ok=True)
            tgz = _npm_pack(root, runner)
        actual = sha256_file(tgz)
        if actual == PYODIDE_TGZ_SHA256:
            break
        if attempt == 1:
            raise CacheIntegrityError(
                str(tgz),
                f"{tgz.name} has SHA-256 {actual}, expected {PYODIDE_TGZ_SHA256} (after a re-download)",
            )
    hashes = _extract(tgz, files_dir)
    lock_path.write_text(
        json.dumps({"tgz_sha256": PYODIDE_TGZ_SHA256, "files": hashes}, indent=1, sort_keys=True), "utf-8"
    )
    return files_dir


_NO_DISTRIBUTION = re.compile(r"No matching distribution found for (\S+)")
"""pip's line naming a requirement no index offers a wheel of (for this platform)."""


def _pip_download(requirements: Sequence[str], dest: Path, runner: Runner) -> None:
    """Download the wasm wheels of ``requirements`` into ``dest`` with ``pip download``.

    Raises:
        FetchError: pip failed; when it found no wheel for some requirements, the message names
            them and what such a wheel must be, in place of pip's whole output.

    """
    argv = [
        sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-input",
        "--only-binary=:all:", "--platform", WHEEL_PLATFORM, "--python-version", WHEEL_PYTHON_VERSION,
        "--implementation", WHEEL_IMPLEMENTATION, "-d", str(dest), *requirements,
    ]  # fmt: skip
    try:
        runner(argv, dest)
    except FetchError as exc:
        missing = _NO_DISTRIBUTION.findall(str(exc))
        if not missing:
            raise
        names = ", ".join(repr(name) for name in dict.fromkeys(missing))
        raise FetchError(
            f"no wheel for Pyodide (platform {WHEEL_PLATFORM}, CPython {WHEEL_PYTHON_VERSION}) on the "
            f"package index for {names}: check the name and version ([wasm] packages in "
            "tempestweb.toml); a pure-Python package needs a py3-none-any wheel, one with compiled "
            "code a Pyodide build of it"
        ) from None


def wheels_key(requirements: Sequence[str], /) -> str:
    """Return the cache key of a requirement set (order-insensitive, platform-specific)."""
    text = "\n".join([WHEEL_PLATFORM, WHEEL_PYTHON_VERSION, *sorted(set(requirements))])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def ensure_wheels(
    requirements: Sequence[str], /, *, cache: Path | None = None, runner: Runner = run_command
) -> list[Path]:
    """Return verified wasm wheels for ``requirements`` and their dependencies.

    The first download records each wheel's SHA-256 in the folder's ``lock.json``; every
    later use verifies them. On a mismatch the folder is downloaded again once and each
    re-downloaded wheel must match the hash recorded before.

    Args:
        requirements: pip requirement strings, e.g. ``["pydantic==2.14.3"]``.
        cache: Cache root; defaults to :func:`cache_dir`.
        runner: Command runner (tests inject a fake one).

    Returns:
        Paths of the ``.whl`` files, sorted by name.

    Raises:
        ToolMissingError: pip is not available to this interpreter.
        FetchError: ``pip download`` failed (unknown package, no pyemscripten wheel, network).
        CacheIntegrityError: A wheel still differs from its recorded hash after a re-download.

    """
    folder = (cache or cache_dir()) / "wheels" / wheels_key(requirements)
    lock = _read_lock(folder / _LOCK)
    recorded: dict[str, str] = {}
    files = lock.get("files") if lock is not None else None
    if isinstance(files, dict):
        recorded = {str(k): str(v) for k, v in files.items()}
        if recorded and not _verify(folder, recorded):
            return sorted(folder / name for name in recorded)
    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="download-", dir=folder.parent))
    try:
        _pip_download(requirements, tmp, runner)
        hashes = {path.name: sha256_file(path) for path in sorted(tmp.glob("*.whl"))}
        if not hashes:
            raise FetchError(f"pip download produced no wheel for {list(requirements)}")
        for name, expected in recorded.items():
            if name in hashes and hashes[name] != expected:
                raise CacheIntegrityError(
                    str(folder / name),
                    f"{name}: re-downloaded SHA-256 {hashes[name]} differs from the recorded {expected}",
                )
        lock_text = json.dumps({"requirements": sorted(set(requirements)), "files": hashes}, indent=1)
        (tmp / _LOCK).write_text(lock_text, "utf-8")
        tmp.rename(folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return sorted(folder / name for name in hashes)
