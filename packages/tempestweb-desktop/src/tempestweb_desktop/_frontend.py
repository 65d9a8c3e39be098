"""What a desktop window loads: the HTML shell at every app path and the unchanged JS client.

Served from memory through Tauri's asset resolver (``Context.set_assets``), under the
``tauri://localhost`` origin (``http://tauri.localhost`` on Windows): no server, no port. The
shell mounts ``#tw-root`` with ``boot.js`` and ``data-tw-transport="ipc"``. As Mode B's page
GET, a page request opens a new session and the page carries its prerendered first view (and
its id and token): the window paints it before the client runs, and the client hydrates it
and resumes that session over IPC. Without a prerender (it failed or took too long) the
first view comes with the ``init`` frame over IPC. ``/_tw/rehearsal`` is the idle-time
rehearsal's recording, as Mode B serves it (``client/src/rehearsal.js``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from tempestweb_contract import client_dir
from tempestweb_contract.names import (
    ATTR_ENDPOINT,
    ATTR_SESSION,
    ATTR_TOKEN,
    ATTR_TRANSPORT,
    CLIENT_ENTRY_FILE,
    DESKTOP_PLUGINS_META,
    REHEARSAL_PATH,
)
from tempestweb_contract.shell import render_page
from tempestweb_desktop.constants import CLIENT_PREFIX, ENDPOINT, TRANSPORT

__all__ = ["Frontend", "Prerendered", "render_shell"]

logger = logging.getLogger("tempestweb.desktop")

_CLIENT_SUFFIXES = (".js",)
_NOT_PAGES = ("/favicon.ico", "/robots.txt")


@dataclass(frozen=True, slots=True)
class Prerendered:
    """A new session's first view, for the page that will resume it.

    Attributes:
        html: Hydratable HTML of the view (trusted: from the reconciler).
        styles: The session's CSS rules so far.
        session: Its id.
        token: Its session-bound token.

    """

    html: str
    styles: tuple[str, ...]
    session: str
    token: str


def render_shell(
    *,
    title: str,
    scripts: Sequence[str] = (),
    head: str = "",
    plugins: Sequence[str] = (),
    prerendered: Prerendered | None = None,
) -> str:
    """Render the window's HTML document (the contract's page template).

    Args:
        title: Document title (escaped).
        scripts: URL paths of the project's classic scripts (``[wasm].scripts``), in order.
        head: Trusted markup for ``<head>`` (the capability modules' ``modulepreload`` links).
        plugins: The Tauri plugins enabled in ``[desktop] plugins``, listed in
            ``<meta name="tw-desktop-plugins">`` for the capability modules
            (``client/native/_tauri.js``: they use a listed plugin's OS-native version).
        prerendered: The first view of the session the page resumes; ``None``: an empty root
            (the view comes with ``init``).

    Returns:
        The document text.

    """
    if plugins:
        listed = escape(" ".join(plugins))
        head = f'<meta name="{DESKTOP_PLUGINS_META}" content="{listed}">\n{head}'
    root = {ATTR_ENDPOINT: ENDPOINT, ATTR_TRANSPORT: TRANSPORT}
    if prerendered is not None:
        root |= {ATTR_SESSION: prerendered.session, ATTR_TOKEN: prerendered.token}
    return render_page(
        title=title,
        body=prerendered.html if prerendered is not None else "",
        styles=prerendered.styles if prerendered is not None else (),
        root_attributes=root,
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
        prerender: Opens a session for a page path and returns its first view (``None``: the
            plain shell); called on Tauri's thread for every page request.

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
        prerender: Callable[[str], Prerendered | None] | None = None,
    ) -> None:
        self.title = title
        self.client = client if client is not None else client_dir()
        self.files = dict(files or {})
        self._scripts, self._head, self._plugins = tuple(scripts), head, tuple(plugins)
        self._shell = render_shell(title=title, scripts=scripts, head=head, plugins=plugins).encode()
        self.prerender = prerender
        self._cache: dict[str, bytes] = {}
        self._rehearsal: bytes | None = None
        self._rehearsal_lock = threading.Lock()

    def get(self, key: str, /) -> bytes | None:
        """Return the body for the asset ``key``, or ``None`` (Tauri answers 404).

        Args:
            key: URL path, with or without its leading ``/``; a query string is ignored.

        Returns:
            The client module's bytes under ``/_tw/client/``, the rehearsal's recording at
            ``/_tw/rehearsal`` (JSON), a listed file's bytes, ``None`` for other ``/_tw/``
            paths and well-known non-pages, else the page (every other path is an app route),
            with the prerendered view of a new session when ``prerender`` gives one.

        """
        path = "/" + key.split("?", 1)[0].split("#", 1)[0].lstrip("/")
        if path.startswith(CLIENT_PREFIX):
            return self._client_file(path[len(CLIENT_PREFIX) :])
        if path == ENDPOINT + REHEARSAL_PATH:
            return self._recording()
        extra = self.files.get(path)
        if extra is not None:
            try:
                return extra.read_bytes()
            except OSError:
                return None
        if path.startswith(ENDPOINT + "/") or path in _NOT_PAGES:
            return None
        first = self.prerender(path + _query(key)) if self.prerender is not None else None
        if first is None:
            return self._shell
        return render_shell(
            title=self.title, scripts=self._scripts, head=self._head, plugins=self._plugins, prerendered=first
        ).encode()

    def _recording(self) -> bytes | None:
        """Return the rehearsal's recording, played on the first request.

        It is played on Tauri's thread, in an event loop of its own: its throwaway session is
        not one of the windows' sessions. ``None`` when it could not be recorded (logged once).
        """
        with self._rehearsal_lock:
            if self._rehearsal is None:
                from tempest_core.host._rehearsal import recorded

                try:
                    self._rehearsal = asyncio.run(recorded()).encode()
                except Exception:  # a change to the rehearsal's app that its module did not follow
                    logger.exception("the idle-time rehearsal could not be recorded; windows run without it")
                    self._rehearsal = b""
            return self._rehearsal or None

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


def _query(key: str) -> str:
    query = key.split("#", 1)[0].partition("?")[2]
    return f"?{query}" if query else ""
