"""Servers of the native suite: the example app with the ``/api/...`` endpoints its HTTP buttons call.

The endpoints are same-origin with the page (the shell's CSP has ``connect-src 'self'``), in
Mode B (an ASGI wrapper around the tempestweb app, served by Hypercorn in a thread) and in
Mode A (a static file server that also answers ``/api/...``). Both record what they received.

- ``POST /api/orders`` with an ``Idempotency-Key``: the first two attempts of a key get 503,
  the third applies the order once and gets 201 (a later replay of the key gets the stored
  response, applying nothing). Without a key: always 503.
- ``GET /api/slow``: 503 with ``Retry-After: 1`` on the first request, then 200.
"""

from __future__ import annotations

import asyncio
import functools
import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from servers import free_port

__all__ = ["Api", "ModeAServer", "ModeBServer"]

# The example's [wasm].assets and [wasm].scripts, which the Mode B page serves and loads too.
SERVED_ASSETS = ("sounds/*.wav", "models/*.onnx", "vendor/ort/*.mjs", "vendor/ort/*.wasm", "vendor/ort/*.js")
SCRIPT_TAGS = '<script src="/vendor/ort/ort.wasm.min.js"></script>'
UPLOAD_BYTES = bytes(range(256)) * 1024  # examples/native/app.py's UPLOAD_BYTES
FAILURES_PER_KEY = 2
RETRY_AFTER_S = 1


@dataclass
class Api:
    """The endpoints' logic and record (thread-safe)."""

    attempts: dict[str, list[float]] = field(default_factory=dict)
    applied: dict[str, int] = field(default_factory=dict)
    keyless_posts: int = 0
    slow_times: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        """Forget every request (each test starts from a clean record)."""
        with self.lock:
            self.attempts.clear()
            self.applied.clear()
            self.keyless_posts = 0
            self.slow_times.clear()

    def handle(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one request: ``(status, headers, body)``."""
        with self.lock:
            if path == "/api/upload" and method == "POST":
                intact = UPLOAD_BYTES in body and "multipart/form-data" in headers.get("content-type", "")
                return 200, {"content-type": "application/json"}, json.dumps({"intact": intact}).encode()
            if path == "/api/orders" and method == "POST":
                key = headers.get("idempotency-key")
                if key is None:
                    self.keyless_posts += 1
                    return 503, {}, b"busy"
                tries = self.attempts.setdefault(key, [])
                tries.append(time.monotonic())
                if len(tries) <= FAILURES_PER_KEY:
                    return 503, {}, b"busy"
                if key not in self.applied:
                    self.applied[key] = len(self.applied) + 1
                body = json.dumps({"order": self.applied[key]}).encode()
                return 201, {"content-type": "application/json"}, body
            if path == "/api/slow" and method == "GET":
                self.slow_times.append(time.monotonic())
                if len(self.slow_times) == 1:
                    return 503, {"retry-after": str(RETRY_AFTER_S)}, b"later"
                return 200, {"content-type": "text/plain"}, b"ready"
        return 404, {}, b"no such endpoint"


class _ApiAsgi:
    def __init__(self, api: Api, inner: Any) -> None:
        self.api = api
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.inner(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        status, extra, body = self.api.handle(scope["method"], scope["path"], headers, b"".join(chunks))
        raw = [(k.encode(), v.encode()) for k, v in extra.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


class ModeBServer:
    """The example app in Mode B (Hypercorn in a thread) plus the API, on 127.0.0.1."""

    def __init__(self, example: Path) -> None:
        from tempestweb_server import ServerConfig, create_app, load_app

        self.api = Api()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        config = ServerConfig(assets=SERVED_ASSETS, app_dir=example, head_extra=SCRIPT_TAGS)
        self._asgi = _ApiAsgi(self.api, create_app(load_app(example), config=config))
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()

    def _run(self) -> None:
        from hypercorn.asyncio import serve
        from hypercorn.config import Config

        config = Config()
        config.bind = [f"127.0.0.1:{self.port}"]
        config.accesslog = None
        config.errorlog = None
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._stop = asyncio.Event()
        stop = self._stop

        async def main() -> None:
            self._ready.set()
            await serve(self._asgi, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]

        loop.run_until_complete(main())
        loop.close()

    def __enter__(self) -> ModeBServer:
        self._thread.start()
        self._ready.wait(10)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                import urllib.request

                urllib.request.urlopen(self.url + "favicon.ico", timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the Mode B server did not start")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


class _Handler(http.server.SimpleHTTPRequestHandler):
    api: Api

    def log_message(self, format: str, *args: object) -> None:
        del format, args

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _api(self) -> bool:
        if not self.path.startswith("/api/"):
            return False
        length = int(self.headers.get("content-length", "0"))
        received = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, extra, body = self.api.handle(self.command, self.path, headers, received)
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return True

    def do_GET(self) -> None:
        if not self._api():
            super().do_GET()

    def do_POST(self) -> None:
        if not self._api():
            self.send_error(405)


class ModeAServer:
    """A Mode A build served by a stdlib static server that also answers ``/api/...``."""

    def __init__(self, site: Path) -> None:
        self.api = Api()
        self.precache_count = 0  # how many files the build's service worker precaches
        handler = type("Handler", (_Handler,), {"api": self.api})
        self._httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
        )
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def __enter__(self) -> ModeAServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
