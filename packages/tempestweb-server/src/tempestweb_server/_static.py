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
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, URLPath
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from tempestweb_contract.project import AssetError, media_type, resolve_assets, resolve_scripts
from tempestweb_server._conditional import evaluate_preconditions
from tempestweb_server.config import ServerConfig
from tempestweb_server.errors import ConfigError

__all__ = ["AssetRoute", "StaticAssets", "resolve_served_files"]

logger = logging.getLogger("tempestweb.server")

_HASH_CHUNK_BYTES = 1 << 20
_ALLOWED_METHODS = "GET, HEAD"


def resolve_served_files(config: ServerConfig, /) -> tuple[dict[str, Path], tuple[str, ...]]:
    """Find the files ``config.assets`` and ``config.scripts`` name, with the URL paths they are served at.

    The rule (globs, symlinks, the reserved ``/_tw/`` prefix) is the project schema's, so a file
    has the same path here as in a Mode A build: :func:`tempestweb_contract.project.resolve_assets`.

    Args:
        config: The host options; ``app_dir`` is the folder the globs and paths are relative to.

    Returns:
        URL path (``"/static/logo.png"``) -> real file, for every asset and script; and the URL
        paths of the scripts, in load order.

    Raises:
        ConfigError: A glob that matches no file, a path or glob that is absolute, has ``..``,
            names a symlink to a file outside the app folder or a file under ``/_tw/``, a
            script that is not a file, or an ``app_dir`` that is not a folder; the message names
            the field and the glob.

    """
    if not (config.assets or config.scripts):
        return {}, ()
    if config.app_dir is None:
        raise ConfigError("ServerConfig.assets: needs ServerConfig.app_dir, the folder they are relative to")
    try:
        files = resolve_assets(config.app_dir, config.assets, where="ServerConfig.assets")
        scripts = resolve_scripts(config.app_dir, config.scripts, where="ServerConfig.scripts")
    except AssetError as exc:
        raise ConfigError(exc.message) from None
    served = {f"/{relative}": file for relative, file in {**files, **scripts}.items()}
    return served, tuple(f"/{relative}" for relative in scripts)


class StaticAssets:
    """The app's static files, served with ETag revalidation (``Cache-Control: no-cache``).

    Args:
        files: URL path (``"/static/logo.png"``) -> file, as :func:`resolve_served_files` returns.

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
            200 with the file (a ``bytes`` ``Range`` honoured, another unit ignored; no body for
            HEAD), 304 when ``If-None-Match`` matches the content hash (RFC 9110 §13.1.2, weak
            comparison, every field line) or, without it, ``If-Modified-Since`` is not older
            than the file, 412 when ``If-Match`` or ``If-Unmodified-Since`` is false
            (:func:`~tempestweb_server._conditional.evaluate_preconditions`), 405 for other
            methods, 404 for a path that is not an asset or whose file has disappeared since
            startup.

        """
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        path = _route_path(request.scope)
        file = self._files.get(path)
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
        status = evaluate_preconditions(request.headers, etag=etag, modified_s=info.st_mtime)
        if status == 304:
            return Response(status_code=304, headers=headers)
        if status == 412:
            return PlainTextResponse("412 precondition failed", status_code=412, headers=headers)
        return _FileResponse(file, headers=headers, media_type=media_type(path), stat_result=info)

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


class _FileResponse(FileResponse):
    """A file response that ignores a ``Range`` in a unit other than ``bytes``.

    RFC 9110, section 14.2: a server "MUST ignore a Range header field that contains a range
    unit it does not understand" and send the whole file; Starlette answered ``400``.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ranges = Headers(scope=scope).getlist("range")
        if ranges and not all(value.partition("=")[0].strip().lower() == "bytes" for value in ranges):
            scope = {
                **scope,
                "headers": [(name, value) for name, value in scope["headers"] if name != b"range"],
            }
        await super().__call__(scope, receive, send)


def _not_found() -> Response:
    return PlainTextResponse("not found", status_code=404, headers={"X-Content-Type-Options": "nosniff"})


def _route_path(scope: Scope) -> str:
    """Return the decoded path below the ASGI ``root_path`` (as Starlette's own routes match it)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and (path == root or path[len(root)] == "/"):
        return path[len(root) :]
    return path
