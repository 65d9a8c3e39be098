"""What a desktop window loads: the HTML shell at every app path and the unchanged JS client.

Served from memory through Tauri's asset resolver (``Context.set_assets``), under the
``tauri://localhost`` origin (``http://tauri.localhost`` on Windows): no server, no port. The
shell mounts ``#tw-root`` with ``boot.js`` and ``data-tw-transport="ipc"``; the first view comes
with the ``init`` frame over IPC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

from tempestweb_contract import client_dir
from tempestweb_contract.names import ATTR_ENDPOINT, ATTR_TRANSPORT, CLIENT_ENTRY_FILE, DESKTOP_PLUGINS_META
from tempestweb_contract.shell import render_page
from tempestweb_desktop.constants import CLIENT_PREFIX, ENDPOINT, TRANSPORT

__all__ = ["Frontend", "render_shell"]

_CLIENT_SUFFIXES = (".js",)
_NOT_PAGES = ("/favicon.ico", "/robots.txt")


def render_shell(
    *, title: str, scripts: Sequence[str] = (), head: str = "", plugins: Sequence[str] = ()
) -> str:
    """Render the window's HTML document (the contract's page template, no prerendered view).

    Args:
        title: Document title (escaped).
        scripts: URL paths of the project's classic scripts (``[wasm].scripts``), in order.
        head: Trusted markup for ``<head>`` (the capability modules' ``modulepreload`` links).
        plugins: The Tauri plugins enabled in ``[desktop] plugins``, listed in
            ``<meta name="tw-desktop-plugins">`` for the capability modules
            (``client/native/_tauri.js``: they use a listed plugin's OS-native version).

    Returns:
        The document text.

    """
    if plugins:
        listed = escape(" ".join(plugins))
        head = f'<meta name="{DESKTOP_PLUGINS_META}" content="{listed}">\n{head}'
    return render_page(
        title=title,
        body="",
        root_attributes={ATTR_ENDPOINT: ENDPOINT, ATTR_TRANSPORT: TRANSPORT},
        scripts=scripts,
        modules=(CLIENT_PREFIX + CLIENT_ENTRY_FILE,),
        head=head,
    )


class Frontend:
    """Answers the window's asset requests (keys are URL paths such as ``/index.html``).

    Args:
        title: Title of the shell document.
        client: Folder of the JS client's modules; default ``tempestweb_contract.client_dir()``.
        files: Files by URL path (``/static/logo.png`` -> path): the app's assets and scripts,
            and the capability modules under ``/_tw/native/``.
        scripts: URL paths of the classic scripts every page loads first, in order.
        head: Trusted markup for ``<head>`` (capability links).
        plugins: The enabled Tauri plugins, listed for the capability modules.

    """

    def __init__(
        self,
        *,
        title: str,
        client: Path | None = None,
        files: Mapping[str, Path] | None = None,
        scripts: Sequence[str] = (),
        head: str = "",
        plugins: Sequence[str] = (),
    ) -> None:
        self.title = title
        self.client = client if client is not None else client_dir()
        self.files = dict(files or {})
        self._shell = render_shell(title=title, scripts=scripts, head=head, plugins=plugins).encode()
        self._cache: dict[str, bytes] = {}

    def get(self, key: str, /) -> bytes | None:
        """Return the body for the asset ``key``, or ``None`` (Tauri answers 404).

        Args:
            key: URL path, with or without its leading ``/``; a query string is ignored.

        Returns:
            The client module's bytes under ``/_tw/client/``, a listed file's bytes, ``None``
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
