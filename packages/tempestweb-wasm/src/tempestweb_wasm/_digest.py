"""Hash of prerendered HTML, shared by the builder (CPython) and the runtime (Pyodide)."""

from __future__ import annotations

import hashlib


def html_digest(markup: str, /) -> str:
    """Return the hex SHA-256 of prerendered HTML (compared at boot to decide on hydration)."""
    return hashlib.sha256(markup.encode("utf-8")).hexdigest()
