"""What a desktop window loads: the HTML shell at every app path and the unchanged JS client.

Served from memory through Tauri's asset resolver (``Context.set_assets``), under the
``tauri://localhost`` origin (``http://tauri.localhost`` on Windows): no server, no port. The
shell mounts ``#tw-root`` with ``boot.js`` and ``data-tw-transport="ipc"``; the first view comes
with the ``init`` frame over IPC.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path

from tempestweb_contract import client_dir
from tempestweb_desktop.constants import CLIENT_PREFIX, ENDPOINT

__all__ = ["Frontend", "render_shell"]

_CLIENT_SUFFIXES = (".js",)
_NOT_PAGES = ("/favicon.ico", "/robots.txt")


def render_shell(*, title: str, head_extra: str = "") -> str:
    """Render the window's HTML document.

    Args:
        title: Document title (escaped).
        head_extra: Trusted HTML appended to ``<head>``.

    Returns:
        The document text.

    """
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        '<style id="tw-styles"></style>'
        f'<script type="module" src="{CLIENT_PREFIX}boot.js"></script>'
        f"{head_extra}</head><body>"
        f'<div id="tw-root" data-tw-endpoint="{ENDPOINT}" data-tw-transport="ipc"></div>'
        "</body></html>"
    )


class Frontend:
    """Answers the window's asset requests (keys are URL paths such as ``/index.html``).

    Args:
        title: Title of the shell document.
        client: Folder of the JS client's modules; default ``tempestweb_contract.client_dir()``.
        files: Extra files by URL path (``/logo.png`` -> path), e.g. the app's assets.

    """

    def __init__(
        self, *, title: str, client: Path | None = None, files: Mapping[str, Path] | None = None
    ) -> None:
        self.title = title
        self.client = client if client is not None else client_dir()
        self.files = dict(files or {})
        self._shell = render_shell(title=title).encode()
        self._cache: dict[str, bytes] = {}

    def get(self, key: str, /) -> bytes | None:
        """Return the body for the asset ``key``, or ``None`` (Tauri answers 404).

        Args:
            key: URL path, with or without its leading ``/``; a query string is ignored.

        Returns:
            The client module's bytes under ``/_tw/client/``, an extra file's bytes, ``None``
            for other ``/_tw/`` paths and well-known non-pages, else the shell (every other
            path is an app route).

        """
        path = "/" + key.split("?", 1)[0].split("#", 1)[0].lstrip("/")
        if path.startswith(CLIENT_PREFIX):
            return self._client_file(path[len(CLIENT_PREFIX) :])
        extra = self.files.get(path)
        if extra is not None:
            try:
                return extra.read_bytes()
            except OSError:
                return None
        if path.startswith(ENDPOINT + "/") or path in _NOT_PAGES:
            return None
        return self._shell

    def _client_file(self, name: str) -> bytes | None:
        parts = name.split("/")
        if (
            "\\" in name
            or not name.endswith(_CLIENT_SUFFIXES)
            or any(not p or p.startswith(".") for p in parts)
        ):
            return None
        cached = self._cache.get(name)
        if cached is None:
            try:
                cached = self.client.joinpath(*parts).read_bytes()
            except OSError:
                return None
            self._cache[name] = cached
        return cached
