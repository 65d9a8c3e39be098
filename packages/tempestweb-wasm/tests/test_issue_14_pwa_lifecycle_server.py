"""Issue 14, a Mode A build on a misconfigured static server, in Chromium: working, or a clear error.

Pyodide compiles its WebAssembly with ``WebAssembly.instantiateStreaming`` and, when that fails,
only logs a warning: ``loadPyodide`` never settles. So a server sending ``.wasm`` as
``application/octet-stream`` (older nginx ``mime.types``, many hosts), or a deploy missing
``pyodide.asm.wasm``, left the page on "Loading Python…" for good, with no error. A missing
``python_stdlib.zip`` failed the boot with the text ``[object Object]``. Now the first works
(compiled from the bytes, with a warning), and every other case fails the boot naming the file.
Cross-origin isolation headers (COOP/COEP) are not needed and do no harm; ``http.server`` never
compresses.
A ``.wasm`` answered with a host's HTML page fails the boot naming the file and its type.
"""

from __future__ import annotations

import http.server
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pwa_site import ACTION_TIMEOUT_MS, STATE, Hook, Host, not_found, send_html, wait_for_build

from tempestweb_wasm import build

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

FAILURE_TIMEOUT_MS = 60_000
"""A boot that fails does so within seconds; the old code hung, and fails the test here."""

_APP = """\
from tempest_core import App, html


def view(count: int):  # noqa: ANN201
    return html.button(f"clicked {count}", id="inc", on_click=lambda: app.set_state(lambda n: n + 1))


app = App(view=view, state=0, title="Server")
"""


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    source = tmp_path_factory.mktemp("src")
    (source / "app.py").write_text(_APP, encoding="utf-8")
    site = tmp_path_factory.mktemp("site")
    build(source, out=site / "app")
    with Host(site) as server:
        yield server


def _visit(
    host: Host, browser: Any, setup: Callable[[Host], None], timeout_ms: int
) -> tuple[Any, Any, list[str]]:
    """A first visit (no worker) under ``setup``'s server: ``(context, page, console warnings)``."""
    host.hooks.clear()
    host.types.clear()
    host.headers.clear()
    setup(host)
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    warnings: list[str] = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.goto(f"{host.url}app/")
    wait_for_build(page, timeout_ms=timeout_ms)
    return context, page, warnings


def _index_for(suffix: str) -> Hook:
    """A host's fallback page (200, ``text/html``) for every path ending with ``suffix``."""

    def hook(handler: http.server.SimpleHTTPRequestHandler, path: str) -> bool:
        if not path.endswith(suffix):
            return False
        body = b"<!doctype html><title>Not here</title>"
        send_html(handler, body)
        return True

    return hook


def _failure(page: Any) -> str:
    assert page.evaluate(STATE)["failed"], page.evaluate(STATE)
    text: str = page.locator(".tw-overlay[role=alert]").inner_text()
    return text


def test_issue_14_wasm_served_as_octet_stream_still_boots(host: Host, browser: Any) -> None:
    def octet_stream(server: Host) -> None:
        server.types[".wasm"] = "application/octet-stream"

    context, page, warnings = _visit(host, browser, octet_stream, FAILURE_TIMEOUT_MS)
    try:
        assert page.evaluate("document.documentElement.hasAttribute('data-tw-ready')")
        page.click("#inc")
        page.wait_for_selector("#inc:text-is('clicked 1')", timeout=ACTION_TIMEOUT_MS)
        assert any(
            "pyodide.asm.wasm is served as application/octet-stream, not application/wasm" in text
            for text in warnings
        ), warnings
    finally:
        context.close()


@pytest.mark.parametrize(
    ("name", "setup", "expected"),
    [
        ("wasm 404", lambda h: h.hooks.append(not_found("/pyodide.asm.wasm")),
         "./pyodide/pyodide.asm.wasm: HTTP 404"),
        ("stdlib 404", lambda h: h.hooks.append(not_found("/python_stdlib.zip")),
         "./pyodide/python_stdlib.zip: HTTP 404"),
        ("mjs as text/plain", lambda h: h.types.update({".mjs": "text/plain"}),
         "./pyodide/pyodide.mjs: served as text/plain, not text/javascript"),
        ("index.html for the wasm", lambda h: h.hooks.append(_index_for("/pyodide.asm.wasm")),
         "./pyodide/pyodide.asm.wasm (served as text/html) is not WebAssembly"),
    ],
)  # fmt: skip
def test_issue_14_a_missing_or_mistyped_pyodide_file_fails_the_boot_naming_it(
    host: Host, browser: Any, name: str, setup: Callable[[Host], None], expected: str
) -> None:
    context, page, _ = _visit(host, browser, setup, FAILURE_TIMEOUT_MS)
    try:
        text = _failure(page)
        assert "The app failed to start" in text and "Loading Python failed: " in text, text
        assert expected in text, (name, text)
    finally:
        context.close()


def test_issue_14_cross_origin_isolation_headers_do_no_harm(host: Host, browser: Any) -> None:
    def isolated(server: Host) -> None:
        server.headers.update(
            {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}
        )

    context, page, _ = _visit(host, browser, isolated, FAILURE_TIMEOUT_MS)
    try:
        assert page.evaluate("crossOriginIsolated") is True
        page.click("#inc")
        page.wait_for_selector("#inc:text-is('clicked 1')", timeout=ACTION_TIMEOUT_MS)
    finally:
        context.close()
