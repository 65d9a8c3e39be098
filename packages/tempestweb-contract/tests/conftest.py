"""Shared fixtures: a static server for the client and fixtures, and one Chromium per module."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from client_harness import Harness, MakeHarness

from tempestweb_contract import client_dir
from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CSP = "script-src 'self'; require-trusted-types-for 'script'"


class StaticServer:
    """Serves ``/client/*.js``, ``/fixtures/*`` and registered HTML pages (with the CSP header)."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path in server.pages:
                    self._reply(200, "text/html; charset=utf-8", server.pages[path].encode(), csp=True)
                    return
                for prefix, directory in (("/client/", client_dir()), ("/fixtures/", FIXTURES)):
                    if path.startswith(prefix):
                        name = path[len(prefix) :]
                        file = directory / name
                        if "/" not in name and file.is_file():
                            self._reply(200, "text/javascript; charset=utf-8", file.read_bytes())
                            return
                self._reply(404, "text/plain", b"not found")

            def _reply(self, status: int, kind: str, body: bytes, *, csp: bool = False) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                if csp:
                    self.send_header("Content-Security-Policy", CSP)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def static_server() -> Iterator[StaticServer]:
    server = StaticServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is missing")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        yield chromium
        chromium.close()


@pytest.fixture
def make(browser: Any, static_server: StaticServer) -> Iterator[MakeHarness]:
    contexts: list[Any] = []
    harnesses: list[Harness] = []

    def factory(body: str = "", *, session: str | None = None, mark: bool = False, head: str = "") -> Harness:
        context = browser.new_context()
        contexts.append(context)
        harness = Harness(context.new_page(), static_server, body, session=session, mark=mark, head=head)
        harnesses.append(harness)
        return harness

    yield factory
    try:
        for harness in harnesses:
            assert harness.violations() == [], harness.violations()
            assert not [line for line in harness.console if line.startswith("pageerror")], harness.console
    finally:
        for context in contexts:
            context.close()
