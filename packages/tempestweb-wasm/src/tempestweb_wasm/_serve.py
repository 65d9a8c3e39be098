"""A stdlib static file server for a build, with the MIME types Pyodide and PWAs need."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["MIME_TYPES", "StaticServer", "serve"]

MIME_TYPES: dict[str, str] = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css",
    ".py": "text/x-python; charset=utf-8",
}
"""Extension -> ``Content-Type`` overriding :mod:`mimetypes` (``.wasm`` must be
``application/wasm`` for ``WebAssembly.instantiateStreaming``)."""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def guess_type(self, path: str | os.PathLike[str]) -> str:
        suffix = Path(os.fspath(path)).suffix.lower()
        return MIME_TYPES.get(suffix) or super().guess_type(path)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that cancels a download (navigation, service worker) resets the socket.
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


class StaticServer:
    """A threaded static server for one folder (``ThreadingHTTPServer`` in a daemon thread).

    Args:
        root: Folder to serve.
        host: Interface, e.g. ``"127.0.0.1"``.
        port: TCP port; 0 picks a free one.

    """

    def __init__(self, root: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        handler = functools.partial(_Handler, directory=str(root))
        self._server = _Server((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``"http://127.0.0.1:8765/"``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> StaticServer:
        """Serve in a background thread and return ``self``."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="tempestweb-static", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
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
        OSError: The address is in use or cannot be bound.

    """
    server = StaticServer(root, host=host, port=port)
    on_ready(server.url)
    try:
        server._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._server.server_close()
