"""Vendor onnxruntime-web for the native example: ``python examples/native/vendor_ort.py``.

Fetches the npm package with ``npm pack`` (pinned version, SHA-256 checked), caches it under
the user cache dir (``TEMPESTWEB_CACHE_DIR``, else ``~/.cache/tempestweb``) and copies the three
files the app declares in ``tempestweb.toml`` into ``vendor/ort/``: the wasm-only UMD bundle
(global ``ort``), its Emscripten module and its WebAssembly binary.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ORT_VERSION = "1.31.1"
ORT_TGZ_SHA256 = "bdccdb9fbb9ab537247c0c734e9b1d2b1b338b4f2a09faa58f0dc1cfa27c312c"
FILES = ("ort.wasm.min.js", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")
HERE = Path(__file__).resolve().parent
TARGET = HERE / "vendor" / "ort"


def cache_dir() -> Path:
    """Return the cache folder of the pinned package."""
    root = os.environ.get("TEMPESTWEB_CACHE_DIR") or str(Path.home() / ".cache" / "tempestweb")
    return Path(root) / f"onnxruntime-web-{ORT_VERSION}"


def fetch() -> Path:
    """Return the verified ``.tgz``, downloading it with ``npm pack`` when absent.

    Raises:
        RuntimeError: npm is missing or failed, or the archive's SHA-256 is not the pinned one.

    """
    folder = cache_dir()
    tgz = folder / f"onnxruntime-web-{ORT_VERSION}.tgz"
    if not tgz.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to fetch onnxruntime-web (apt-get install npm)")
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            done = subprocess.run(
                [npm, "pack", f"onnxruntime-web@{ORT_VERSION}", "--pack-destination", tmp],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"npm pack onnxruntime-web@{ORT_VERSION} failed: {done.stderr}")
            os.replace(Path(tmp) / tgz.name, tgz)
    digest = hashlib.sha256(tgz.read_bytes()).hexdigest()
    if digest != ORT_TGZ_SHA256:
        tgz.unlink()
        raise RuntimeError(f"{tgz.name}: SHA-256 {digest} is not the pinned {ORT_TGZ_SHA256}")
    return tgz


def vendor() -> Path:
    """Copy the three runtime files into ``vendor/ort/`` (once); return that folder."""
    if all((TARGET / name).is_file() for name in FILES):
        return TARGET
    TARGET.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fetch()) as archive:
        for name in FILES:
            member = archive.extractfile(f"package/dist/{name}")
            if member is None:
                raise RuntimeError(f"onnxruntime-web {ORT_VERSION} has no dist/{name}")
            (TARGET / name).write_bytes(member.read())
    return TARGET


if __name__ == "__main__":
    print(vendor())
