"""Service worker generation: the precache list and a content-hashed cache name."""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources
from pathlib import Path

from tempestweb_wasm._cache import sha256_file
from tempestweb_wasm.errors import WasmError

__all__ = ["CACHE_PREFIX", "SW_FILE", "precache_list", "write_service_worker"]

SW_FILE = "sw.js"
"""Name of the service worker script at the build's root."""

CACHE_PREFIX = "tw-"
"""Prefix of every Cache Storage name owned by a tempestweb build."""

_PLACEHOLDER = (
    '/*__TW_CONFIG__*/ ({ cache: "tw-dev", prefix: "tw-", files: [], index: "./index.html", integrity: {} })'
)


def precache_list(out: Path, /) -> list[str]:
    """Return every file of a build as ``./relative/path``, sorted, plus ``./`` for the root.

    ``sw.js`` itself is excluded: the browser fetches it on every update check and its text
    embeds this list (so it cannot contain its own hash).

    Args:
        out: The build folder.

    Returns:
        Scope-relative URLs, e.g. ``["./", "./bootstrap.js", "./index.html", ...]``.

    """
    files = sorted(
        path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file() and path.name != SW_FILE
    )
    return ["./", *(f"./{name}" for name in files)]


def _integrity(hex_digest: str, /) -> str:
    """Return the Subresource Integrity value of a SHA-256 (https://www.w3.org/TR/SRI/)."""
    return "sha256-" + base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


def write_service_worker(out: Path, /) -> tuple[str, list[str]]:
    """Write ``sw.js`` precaching every file now in ``out``.

    The worker fetches each file but the HTML ones (``./`` and ``*.html``) with its integrity
    value, so a deploy caught half uploaded (a file still of the previous build) fails the
    install instead of being cached under this build's name. HTML is left unchecked because
    some hosts insert a snippet into every page.

    Args:
        out: The build folder, complete except for ``sw.js``.

    Returns:
        ``(cache name, precache list)``; the name is ``tw-<first 16 hex of a SHA-256 over every
        file's path and content hash>``.

    """
    entries = precache_list(out)
    digest = hashlib.sha256()
    checked: dict[str, str] = {}
    for entry in entries[1:]:
        file_digest = sha256_file(out / entry[2:])
        digest.update(entry.encode())
        digest.update(file_digest.encode())
        if not entry.endswith(".html"):
            checked[entry] = _integrity(file_digest)
    cache = f"{CACHE_PREFIX}{digest.hexdigest()[:16]}"
    config = {
        "cache": cache,
        "prefix": CACHE_PREFIX,
        "files": entries,
        "index": "./index.html",
        "integrity": checked,
    }
    template = resources.files("tempestweb_wasm").joinpath("static", SW_FILE).read_text("utf-8")
    if _PLACEHOLDER not in template:
        raise WasmError("sw.js template lost its configuration placeholder (broken install)")
    text = template.replace(_PLACEHOLDER, f"({json.dumps(config, separators=(',', ':'))})")
    (out / SW_FILE).write_text(text, "utf-8")
    return cache, entries
