"""Serving the app's own static files (``ServerConfig.assets``) at their paths relative to the app folder.

Only the exact set of files the globs matched at startup is served: a request path is looked up
in that set and never joined to a directory, so there is no directory listing and no way to
traverse out of it. The top-level folders holding assets (``/static/`` for ``static/*``) belong
to the assets: any other path in them is a plain 404 rather than an app page, so a missing image
never opens a session; a file at the app folder's root claims only its own path.

Re-resolving the globs after a hot reload is not done (a file added later needs a restart); a
changed file is picked up on the next request (new ETag).
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import stat
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URLPath
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from tempestweb_server.constants import ENDPOINT_PREFIX
from tempestweb_server.errors import ConfigError

__all__ = ["AssetRoute", "StaticAssets", "resolve_assets"]

logger = logging.getLogger("tempestweb.server")

_RESERVED = ENDPOINT_PREFIX.strip("/")
_HASH_CHUNK_BYTES = 1 << 20
_ALLOWED_METHODS = "GET, HEAD"
# Deterministic types for the common web formats (the platform's mime.types tables differ).
_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".wasm": "application/wasm",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".pdf": "application/pdf",
}


def media_type_of(path: str) -> str:
    """Return the ``Content-Type`` an asset is served with.

    Args:
        path: File name or path; only its suffix matters.

    Returns:
        A fixed type for common web formats, else :func:`mimetypes.guess_type`'s guess
        (``charset=utf-8`` added to ``text/*``), else ``application/octet-stream``.

    """
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in _MEDIA_TYPES:
        return _MEDIA_TYPES[suffix]
    guessed, encoding = mimetypes.guess_type(path, strict=True)
    if guessed is None or encoding is not None:  # e.g. ``x.tar.gz``: serve the bytes as they are
        return "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def resolve_assets(app_dir: str | Path | None, patterns: tuple[str, ...], /) -> dict[str, Path]:
    """Expand ``ServerConfig.assets`` globs to the URL paths they are served at.

    Same syntax and checks as ``[wasm].assets`` in a Mode A build (``pathlib`` globs, ``**``
    recurses), so an app's ``static/logo.png`` has the same URL in both modes.

    Args:
        app_dir: The app folder the patterns are relative to; may be ``None`` only when
            ``patterns`` is empty.
        patterns: Glob patterns relative to ``app_dir``, e.g. ``("static/*", "fonts/**/*.woff2")``.

    Returns:
        URL path (``"/static/logo.png"``) -> absolute file path, for every matched file.

    Raises:
        ConfigError: Patterns without an app folder, an app folder that is not a directory, an
            empty or absolute pattern, a pattern that matches no file, a matched file outside
            the app folder (``..`` or a symlink), or one under the reserved ``/_tw/`` prefix;
            the message names the pattern.

    """
    if not patterns:
        return {}
    if app_dir is None:
        raise ConfigError(
            "ServerConfig.assets: needs ServerConfig.app_dir, the folder the globs are relative to"
        )
    base = Path(app_dir).absolute()
    if not base.is_dir():
        raise ConfigError(f"ServerConfig.app_dir: {str(base)!r} is not a directory")
    root = base.resolve()
    found: dict[str, Path] = {}
    for pattern in patterns:
        where = f"ServerConfig.assets: {pattern!r}"
        if not pattern.strip() or PurePosixPath(pattern).is_absolute() or Path(pattern).is_absolute():
            raise ConfigError(f"{where}: expected a glob relative to the app folder {base}")
        try:
            matches = sorted(path for path in base.glob(pattern) if path.is_file())
        except (ValueError, NotImplementedError, OSError) as exc:
            raise ConfigError(f"{where}: invalid glob: {exc}") from None
        if not matches:
            raise ConfigError(f"{where} matches no file under {base}")
        for path in matches:
            relative = PurePosixPath(os.path.normpath(path.relative_to(base)).replace(os.sep, "/"))
            resolved = path.resolve()
            if relative.parts[:1] == ("..",) or not resolved.is_relative_to(root):
                raise ConfigError(f"{where}: {path} is outside the app folder {base}")
            if relative.parts[0] == _RESERVED:
                raise ConfigError(
                    f"{where}: {relative} is under {ENDPOINT_PREFIX}/, which is reserved for the host"
                )
            found[f"/{relative.as_posix()}"] = resolved
    return found


class StaticAssets:
    """The app's static files, served with ETag revalidation (``Cache-Control: no-cache``).

    Args:
        files: URL path (``"/static/logo.png"``) -> file, as :func:`resolve_assets` returns.

    """

    def __init__(self, files: Mapping[str, Path]) -> None:
        self._files = dict(files)
        self._folders = frozenset(path.split("/")[1] for path in self._files if path.count("/") > 1)
        self._etags: dict[Path, tuple[tuple[int, int, int], str]] = {}

    def __contains__(self, path: object) -> bool:
        """Return whether ``path`` (a decoded URL path) is one of the served assets."""
        return path in self._files

    def owns(self, path: str, /) -> bool:
        """Return whether the asset layer answers ``path`` rather than the app's pages.

        Args:
            path: Decoded URL path, e.g. ``"/static/logo.png"``.

        Returns:
            True for an asset and for any path in an asset's top-level folder (those that are
            not assets get 404), False otherwise.

        """
        return path in self._files or (path.count("/") > 1 and path.split("/")[1] in self._folders)

    def __len__(self) -> int:
        """Return the number of served files."""
        return len(self._files)

    async def response(self, request: Request, /) -> Response:
        """Build the response for a request whose path is an asset.

        Args:
            request: A GET or HEAD request whose route path is in this set.

        Returns:
            200 with the file (``Range`` honoured; no body for HEAD), 304 when ``If-None-Match``
            matches the content hash (RFC 9110 §13.1.2, weak comparison), 405 for other methods,
            404 for a path that is not an asset or whose file has disappeared since startup.

        """
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        file = self._files.get(_route_path(request.scope))
        if file is None:
            return _not_found()
        if request.method not in ("GET", "HEAD"):
            return PlainTextResponse(
                "405 method not allowed", status_code=405, headers={**headers, "Allow": _ALLOWED_METHODS}
            )
        try:
            info = await run_in_threadpool(os.stat, file)
            if not stat.S_ISREG(info.st_mode):
                raise FileNotFoundError(file)
            etag = await self._etag(file, info)
        except OSError as exc:
            logger.warning("asset %s cannot be served: %s", file, exc)
            return _not_found()
        headers["ETag"] = etag
        if _etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        return FileResponse(file, headers=headers, media_type=media_type_of(file.name), stat_result=info)

    async def _etag(self, file: Path, info: os.stat_result) -> str:
        key = (info.st_mtime_ns, info.st_size, info.st_ino)
        cached = self._etags.get(file)
        if cached is not None and cached[0] == key:
            return cached[1]
        etag = f'"{await run_in_threadpool(_hash_file, file)}"'
        self._etags[file] = (key, etag)
        return etag


class AssetRoute(BaseRoute):
    """A route matching the paths :meth:`StaticAssets.owns` (any method; non-GET/HEAD get 405).

    Placed before the page route, it wins for those paths and leaves every other path alone.

    Args:
        assets: The served files.

    """

    def __init__(self, assets: StaticAssets) -> None:
        self.assets = assets

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Match an HTTP request whose decoded route path the assets own.

        Args:
            scope: The ASGI connection scope.

        Returns:
            ``(Match.FULL, {})`` for an asset path or a path in an asset folder,
            ``(Match.NONE, {})`` otherwise.

        """
        if scope["type"] == "http" and self.assets.owns(_route_path(scope)):
            return Match.FULL, {}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: object) -> URLPath:
        """Reverse routing is not supported for assets (their URL is their relative path).

        Raises:
            NoMatchFound: Always.

        """
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request with :meth:`StaticAssets.response`.

        Args:
            scope: The ASGI HTTP scope.
            receive: The ASGI receive channel.
            send: The ASGI send channel.

        """
        response = await self.assets.response(Request(scope, receive))
        await response(scope, receive, send)


def _hash_file(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()[:32]


def _etag_matches(header: str | None, etag: str) -> bool:
    if header is None:
        return False
    if header.strip() == "*":
        return True
    candidates = (tag.strip() for tag in header.split(","))
    return any(tag.removeprefix("W/") == etag for tag in candidates)


def _not_found() -> Response:
    return PlainTextResponse("not found", status_code=404, headers={"X-Content-Type-Options": "nosniff"})


def _route_path(scope: Scope) -> str:
    """Return the decoded path below the ASGI ``root_path`` (as Starlette's own routes match it)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and (path == root or path[len(root)] == "/"):
        return path[len(root) :]
    return path
