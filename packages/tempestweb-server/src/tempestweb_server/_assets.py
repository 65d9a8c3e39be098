"""Serving the JS client's files from ``/_tw/client/<file>`` with safe paths and caching."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from tempestweb_contract import client_dir
from tempestweb_contract.project import MEDIA_TYPES
from tempestweb_server._conditional import evaluate_preconditions
from tempestweb_server.constants import CLIENT_IMMUTABLE_MAX_AGE_S

__all__ = ["ClientFiles"]

logger = logging.getLogger("tempestweb.server")

_CLIENT_SUFFIXES = frozenset(
    {".js", ".mjs", ".css", ".json", ".map", ".webmanifest", ".wasm", ".svg", ".png"}
)
"""The kinds of file of the client folder that are public (never its sources or notes)."""


class ClientFiles:
    """Serves files below the client directory; everything else is 404.

    Args:
        directory: Client directory; ``None`` resolves ``tempestweb_contract.client_dir()``
            on first use.

    """

    def __init__(self, directory: str | Path | None = None) -> None:
        self._directory = Path(directory).resolve() if directory is not None else None
        self._cache: dict[Path, tuple[bytes, str]] = {}

    def directory(self) -> Path | None:
        """Return the client directory, or ``None`` when it cannot be found (logged once)."""
        if self._directory is None:
            try:
                self._directory = client_dir().resolve()
            except FileNotFoundError as exc:
                logger.error("cannot serve the JS client: %s", exc)
                return None
        return self._directory

    def response(self, request: Request, relative: str, /) -> Response:
        """Build the response for ``/_tw/client/<relative>``.

        Args:
            request: The HTTP request (for ``If-None-Match`` and the ``v`` query).
            relative: Path below the client directory, e.g. ``"boot.js"``.

        Returns:
            200 with the file (ETag; immutable caching when a ``?v=`` query is present), 304
            when ``If-None-Match`` matches the ETag (weak comparison, lists, ``*``: RFC 9110
            section 13.1.2), 412 when ``If-Match`` names none of it (section 13.1.1), 404 for
            other kinds of file (``.py``, ``.md``...), missing
            files, paths escaping the directory and paths the file system cannot look up (a
            name or path too long for it: ``ENAMETOOLONG``, a symlink loop).

        """
        root = self.directory()
        suffix = Path(relative).suffix.lower()
        media_type = MEDIA_TYPES[suffix] if suffix in _CLIENT_SUFFIXES else None
        if root is None or media_type is None or "\\" in relative or "\x00" in relative:
            return _not_found()
        try:
            path = (root / relative).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                return _not_found()
            body, etag = self._read(path)
        except OSError:  # a name the file system refuses (ENAMETOOLONG, ELOOP): no such file
            return _not_found()
        if "v" in request.query_params:
            cache = f"public, max-age={CLIENT_IMMUTABLE_MAX_AGE_S}, immutable"
        else:
            cache = "no-cache"
        headers = {"ETag": etag, "Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
        status = evaluate_preconditions(request.headers, etag=etag, modified_s=None)
        if status is not None:  # 304, or 412 for an If-Match that names another version
            return Response(status_code=status, headers=headers)
        return Response(body, media_type=media_type, headers=headers)

    def _read(self, path: Path) -> tuple[bytes, str]:
        stat = path.stat()
        cached = self._cache.get(path)
        if cached is not None and cached[1].endswith(f'-{stat.st_mtime_ns}"'):
            return cached
        body = path.read_bytes()
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}-{stat.st_mtime_ns}"'
        self._cache[path] = (body, etag)
        return body, etag


def _not_found() -> Response:
    return PlainTextResponse("not found", status_code=404, headers={"X-Content-Type-Options": "nosniff"})
