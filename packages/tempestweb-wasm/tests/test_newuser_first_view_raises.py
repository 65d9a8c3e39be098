"""A Mode A page whose app view raises on its first render in the browser.

The prerender runs under CPython at build time; a view that raises only in the page (it reads
something only the browser has) made the runtime end the handshake with a fatal ``error``
frame, which the bootstrap ignored: the page stayed on "Starting the app…" forever, with the
error in the console only, and ``data-tw-failed`` never set. The boot now fails with the
error's message in the overlay.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tempestweb_wasm import build
from tempestweb_wasm._serve import StaticServer

BOOT_TIMEOUT_MS = 90_000

pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

_APP = """\
import sys

from tempest_core import App, Text


def view(count: int):  # noqa: ANN201
    if sys.platform == "emscripten":  # in the page only: the prerender succeeds
        raise RuntimeError("boom in the browser")
    return Text(f"Count: {count}", id="count")


app = App(view=view, state=0, title="Raiser")
"""


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("raiser")
    (folder / "app.py").write_text(_APP, encoding="utf-8")
    result = build(folder, out=tmp_path_factory.mktemp("site") / "out")
    with StaticServer(result.out) as server:
        yield server.url


def test_newuser_first_view_raising_in_the_page_fails_the_boot_visibly(
    url: str, browser: Any, tmp_path: Path
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(url)
        page.wait_for_selector("html[data-tw-failed]", timeout=BOOT_TIMEOUT_MS)
        overlay = page.wait_for_selector(".tw-overlay", timeout=5_000)
        assert overlay is not None
        text = overlay.inner_text()
        # A build without error details: the generic message and the error id on the page, the
        # exception and its traceback in the console under that id.
        assert "The app failed to start" in text and "[handler_error]" in text and "error id" in text, text
        error_id = text.rsplit("error id ", 1)[1].split(")")[0]
        logged = "\n".join(console)
        assert f"(error {error_id})" in logged and "RuntimeError: boom in the browser" in logged, console
        assert page.get_attribute("html", "data-tw-ready") is None
    finally:
        context.close()
