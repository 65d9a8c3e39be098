"""``tempestweb dev`` (Mode B): a saved ``.css`` asset is reloaded in the open page, in Chromium.

A real dev server (the server mode's ``dev``, as the CLI runs it) in a child process, a real
page with a counter and a text field, and a save of the stylesheet its view links: the new rules
apply, the session's state, the typed text and the document stay (no navigation), the
``<link>`` element the view rendered is the same node afterwards, and the page never shows the
element unstyled: while the new version is still on its way (held by the test), the old rules
apply.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from server_live import free_port
from test_issue_12_browser import ServerProcess

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")

RELOAD_TIMEOUT_MS = 30_000
"""A save reaches the page after watchfiles' debounce (slow on a loaded machine)."""

APP = textwrap.dedent(
    """
    from tempest_core import App, html


    def bump() -> None:
        app.set_state(lambda n: n + 1)


    def view(n: int):
        return html.main(
            html.link(rel="stylesheet", href="/static/app.css"),
            html.p(f"Count: {n}", id="count", class_="count"),
            html.button("+", id="inc", type="button", on_click=bump),
            html.input(id="free", type="text"),
        )


    app = App(view=view, state=0, title="dev css")
    """
)

RED, BLUE = "rgb(255, 0, 0)", "rgb(0, 0, 255)"

# Every colour #count had in a rendered frame, from before the save until the end.
WATCH_COLOURS = """() => {
  window.__colours = new Set();
  const count = document.getElementById("count");
  const frame = () => { window.__colours.add(getComputedStyle(count).color); requestAnimationFrame(frame); };
  frame();
}"""


def _pump_until(page: Any, condition: Any, what: str) -> None:
    """Let Playwright dispatch its events (route handlers) until ``condition()`` holds."""
    deadline = time.monotonic() + RELOAD_TIMEOUT_MS / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.evaluate("0")  # a round trip: the sync API dispatches what arrived meanwhile


def test_saved_stylesheet_is_reloaded_in_place_keeping_state_and_document(
    browser: Any, tmp_path: Path
) -> None:
    app_file = tmp_path / "app.py"
    app_file.write_text(APP)
    (tmp_path / "tempestweb.toml").write_text('[server]\nassets = ["static/*.css"]\n')
    (tmp_path / "static").mkdir()
    sheet = tmp_path / "static" / "app.css"
    sheet.write_text(f".count {{ color: {RED}; }}\n")
    server = ServerProcess(app_file, "dev", free_port())
    server.start()
    problems: list[str] = []
    held: list[Any] = []
    released = False

    def hold(route: Any) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    try:
        page = browser.new_page()
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        # The dev event stream is open before the save (it would be missed otherwise).
        with page.expect_response(lambda response: response.url.endswith("/_tw/dev/events")):
            page.goto(f"http://127.0.0.1:{server.port}/")
        page.wait_for_selector("#tw-root[data-tw-status=open]")
        assert page.locator('script[type=module][src="/_tw/client/dev.js"]').count() == 1
        color = "([id, value]) => getComputedStyle(document.getElementById(id)).color === value"
        page.wait_for_function(color, arg=["count", RED])
        page.click("#inc")
        page.click("#inc")
        page.wait_for_selector("#count:text-is('Count: 2')")
        page.click("#free")
        page.keyboard.type("typed by hand")
        page.evaluate("window.__marker = 'same document'")
        page.evaluate("window.__link = document.querySelector('link[rel=stylesheet]')")
        page.evaluate(WATCH_COLOURS)
        page.route("**/static/app.css?*", hold)

        sheet.write_text(f".count {{ color: {BLUE}; }}\n")
        _pump_until(page, lambda: held, "the new version to be requested")
        # While it is on its way, the old rules apply: the copy loading it sits next to the link.
        assert page.evaluate(color, ["count", RED])
        assert page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length") == 2
        released = True
        for route in held:
            route.continue_()
        page.wait_for_function(color, arg=["count", BLUE], timeout=RELOAD_TIMEOUT_MS)
        page.wait_for_function("() => document.querySelectorAll('link[rel=stylesheet]').length === 1")
        assert page.evaluate(
            "document.querySelector('link[rel=stylesheet]') === window.__link"
        )  # the view's node
        assert "tw-css=" in page.evaluate("window.__link.getAttribute('href')")
        assert page.evaluate("window.__marker") == "same document"
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
        assert page.text_content("#count") == "Count: 2"
        assert page.input_value("#free") == "typed by hand"
        assert set(page.evaluate("[...window.__colours]")) == {RED, BLUE}  # never unstyled
        page.click("#inc")  # the session runs on
        page.wait_for_selector("#count:text-is('Count: 3')")
        assert "static/app.css changed; the open pages load it again in place" in server.output()
        assert "reloaded app.py" not in server.output()  # the app was not reloaded
        page.close()
    finally:
        server.kill()
    assert problems == []
