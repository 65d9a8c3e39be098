"""A stdlib static file server for a build, with the project schema's MIME types (``application/wasm``...).

In dev (``tempestweb dev --mode wasm``) the server also streams reload notifications as
Server-Sent Events at :data:`DEV_EVENTS_PATH` (see :class:`ReloadEvents`); production hosting
needs none of this: a build is plain static files.
"""

from __future__ import annotations

import errno
import functools
import http.server
import os
import socket
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from tempestweb_contract import names
from tempestweb_contract.dev import DevEventLog
from tempestweb_contract.names import ENDPOINT_PREFIX
from tempestweb_contract.project import media_type
from tempestweb_wasm.errors import AddressInUseError

__all__ = ["DEV_EVENTS_PATH", "KEEPALIVE_SECONDS", "ReloadEvents", "StaticServer", "serve"]

DEV_EVENTS_PATH: Final = f"{ENDPOINT_PREFIX}{names.DEV_EVENTS_PATH}"
"""URL path of the dev reload event stream (``text/event-stream``), ``/_tw/dev/events``."""

KEEPALIVE_SECONDS = 15.0
"""Seconds between keep-alive comment lines on an idle event stream (proxies and browsers drop
silent connections; a write is also how a closed stream is noticed)."""


class ReloadEvents:
    """The build a dev server serves, and a broadcast of each change to open event streams.

    The events and their text are the contract's (:mod:`tempestweb_contract.dev`), as Mode B's
    dev server sends them. Thread-safe: :meth:`publish` and :meth:`publish_stylesheets` are
    called by the dev loop, :meth:`_wait` by one server thread per open stream.

    Args:
        build_id: Id of the build served now (``BuildResult.dev_build``).
        keepalive: Seconds between keep-alive comments on an idle stream (> 0).

    Raises:
        ValueError: ``keepalive`` is not positive, or ``build_id`` is empty or spans lines.

    """

    def __init__(self, build_id: str, *, keepalive: float = KEEPALIVE_SECONDS) -> None:
        if not keepalive > 0:
            raise ValueError(f"keepalive must be a positive number of seconds, got {keepalive!r}")
        self.keepalive = keepalive
        self._condition = threading.Condition()
        self._log = DevEventLog(build_id)
        self._closed = False
        self._streams = 0

    @property
    def build_id(self) -> str:
        """Id of the build served now."""
        with self._condition:
            return self._log.build

    @property
    def streams(self) -> int:
        """Number of event streams open now (pages listening)."""
        with self._condition:
            return self._streams

    def publish(self, build_id: str, *, hot: bool = False) -> None:
        """Announce a new build: every open stream sends ``event: reload`` with ``build_id``.

        Args:
            build_id: Id of the build now in place.
            hot: Only the app's Python changed: send ``event: update`` instead, which a running
                page applies in place (``bootstrap.js`` writes the new app files into Pyodide
                and the runtime hot-reloads them, keeping the state) rather than reloading.

        Raises:
            ValueError: ``build_id`` is empty or spans lines (it becomes one SSE ``data`` line).

        """
        with self._condition:
            self._log.publish("update" if hot else "reload", build_id)
            self._condition.notify_all()

    def publish_stylesheets(self, build_id: str, paths: Sequence[str]) -> None:
        """Announce saved stylesheets: open pages load the ``<link>`` elements naming them again.

        Args:
            build_id: Id of the build now in place (the page takes it as its own: only these
                stylesheets differ from the build before).
            paths: The stylesheets' paths relative to the site root (``"static/app.css"``).

        Raises:
            ValueError: ``build_id`` is empty or spans lines, ``paths`` is empty, or a path is
                absolute or spans lines.

        """
        with self._condition:
            self._log.publish("stylesheets", build_id, paths=paths)
            self._condition.notify_all()

    def close(self) -> None:
        """End every open stream (server shutdown)."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def _hello(self) -> tuple[int, str]:
        with self._condition:
            return self._log.hello()

    def _wait(self, generation: int) -> tuple[int, list[str]] | None:
        """Block until an event newer than ``generation`` or the keep-alive timeout.

        Returns:
            ``(generation, frames)``: the events after ``generation`` as stream text (no frame
            on timeout), or ``None`` once closed.

        """
        with self._condition:
            self._condition.wait_for(
                lambda: self._closed or self._log.generation != generation, self.keepalive
            )
            if self._closed:
                return None
            return self._log.since(generation)

    def _opened(self, delta: int) -> None:
        with self._condition:
            self._streams += delta


_DISCONNECTED = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


class _Handler(http.server.SimpleHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        events = self.server.events
        if events is not None and self.path.split("?", 1)[0] == DEV_EVENTS_PATH:
            self._stream(events)
            return
        if events is not None:
            # Dev: always answer 200 with the current bytes. If-Modified-Since has a 1 s
            # resolution, so a rebuild within the same second as the previous one would get a
            # 304 and the reloaded page would keep the stale index.html.
            del self.headers["If-Modified-Since"]
        super().do_GET()

    def _stream(self, events: ReloadEvents) -> None:
        """Serve one Server-Sent Events stream until the client leaves or the server stops.

        https://html.spec.whatwg.org/multipage/server-sent-events.html
        """
        self.close_connection = True
        generation, hello = events._hello()
        events._opened(1)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.end_headers()
            # retry: reconnect after 1 s when the dev server restarts.
            self._send(f"retry: 1000\n{hello}")
            while (update := events._wait(generation)) is not None:
                generation, frames = update
                self._send("".join(frames) if frames else ": keep-alive\n\n")
        except _DISCONNECTED:
            pass  # the page went away (reload, navigation, tab closed)
        finally:
            events._opened(-1)

    def _send(self, text: str) -> None:
        self.wfile.write(text.encode("utf-8"))
        self.wfile.flush()

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return media_type(os.fspath(path))

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    events: ReloadEvents | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that cancels a download (navigation, service worker) resets the socket.
        import sys

        if not isinstance(sys.exc_info()[1], _DISCONNECTED):
            super().handle_error(request, client_address)


def _server_class(host: str, port: int) -> type[_Server]:
    """Return the server class whose socket family fits ``host`` (IPv6 for ``"::1"``).

    ``socketserver.TCPServer`` binds an ``AF_INET`` socket whatever the address; an IPv6 literal
    or a name resolving to IPv6 only then fails with ``gaierror`` (Address family for hostname
    not supported). The family is the first ``getaddrinfo`` answer's, as the CLI's port check
    and Hypercorn take it.

    Raises:
        OSError: ``host`` does not resolve (``socket.gaierror``).

    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    if infos[0][0] != socket.AF_INET6:
        return _Server
    return type("_Server6", (_Server,), {"address_family": socket.AF_INET6})


class StaticServer:
    """A threaded static server for one folder (``ThreadingHTTPServer`` in a daemon thread).

    Args:
        root: Folder to serve.
        host: Interface, e.g. ``"127.0.0.1"``.
        port: TCP port; 0 picks a free one.
        events: Dev only: also stream these reload notifications at :data:`DEV_EVENTS_PATH`
            and never answer ``304 Not Modified``.

    Raises:
        AddressInUseError: Another process listens on the port.
        OSError: The address cannot be bound for another reason.

    """

    def __init__(
        self, root: Path, *, host: str = "127.0.0.1", port: int = 0, events: ReloadEvents | None = None
    ) -> None:
        handler = functools.partial(_Handler, directory=str(root))
        try:
            self._server = _server_class(host, port)((host, port), handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise AddressInUseError(host, port) from None
            raise
        self._server.events = events
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``"http://127.0.0.1:8765/"``."""
        host, port = self._server.server_address[:2]
        shown = f"[{host!s}]" if ":" in str(host) else str(host)  # RFC 3986 IP-literal
        return f"http://{shown}:{port}/"

    def start(self) -> StaticServer:
        """Serve in a background thread and return ``self``."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="tempestweb-static", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end open event streams and close the socket."""
        if self._server.events is not None:
            self._server.events.close()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> StaticServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(root: Path, *, host: str, port: int, on_ready: Callable[[str], None] = print) -> None:
    """Serve ``root`` until interrupted (Ctrl+C).

    Args:
        root: The build folder.
        host: Interface to bind.
        port: TCP port (0 picks a free one).
        on_ready: Receives the URL once listening (prints it by default).

    Raises:
        AddressInUseError: Another process listens on the port (before ``on_ready`` is called).
        OSError: The address cannot be bound for another reason.

    """
    server = StaticServer(root, host=host, port=port)
    on_ready(server.url)
    try:
        server._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._server.server_close()
