"""``client/src/stylesheets.js`` in Chromium: a linked stylesheet reloaded in place, without a flash.

The module every mode's dev reload uses (``dev.js`` in Mode A and Mode B, ``eval_js`` in desktop).
The stylesheet's responses come from a Playwright route the test holds and releases, so each
step is observed while the new version is still on its way.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import StaticServer

pytestmark = pytest.mark.browser

RED, GREEN, BLUE = "rgb(255, 0, 0)", "rgb(0, 128, 0)", "rgb(0, 0, 255)"
WAIT_S = 20.0

PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>css</title>'
    '<link rel="stylesheet" href="/sheet.css" id="sheet">'
    '<link rel="stylesheet" href="/other.css">'
    "</head><body><p id=x class=x>styled</p></body></html>"
)

RELOAD = """async (urls) => {
  const module = await import("/client/stylesheets.js");
  window.__results = window.__results || [];
  const index = window.__results.length;
  window.__results.push(null);
  module.reloadStylesheets(document, urls).then((count) => { window.__results[index] = count; });
}"""

COLOUR = "() => getComputedStyle(document.getElementById('x')).color"


class Sheets:
    """Serves ``/sheet.css`` and ``/other.css`` through a route: each request waits until released."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.css = {"/sheet.css": f".x {{ color: {RED}; }}", "/other.css": ""}
        self.status = 200
        self.held: list[Any] = []
        self.hold = False
        page.route("**/*.css*", self._route)

    def _route(self, route: Any) -> None:
        if self.hold:
            self.held.append(route)
        else:
            self._answer(route)

    def _answer(self, route: Any) -> None:
        path = route.request.url.split("//", 1)[1].split("/", 1)[1].split("?", 1)[0]
        body = self.css["/" + path] if self.status == 200 else "missing"
        route.fulfill(status=self.status, content_type="text/css", body=body)

    def wait_held(self, count: int) -> None:
        """Let Playwright dispatch route calls until ``count`` requests are held."""
        deadline = time.monotonic() + WAIT_S
        while len(self.held) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} held request(s), got {len(self.held)}")
            self.page.evaluate("0")  # a round trip: the sync API dispatches what arrived

    def release(self) -> None:
        self.hold = False
        held, self.held = self.held, []
        for route in held:
            self._answer(route)


@pytest.fixture
def loaded(browser: Any, static_server: StaticServer) -> Iterator[tuple[Any, Sheets]]:
    """The page with its stylesheets loaded (``#x`` red), and the route serving them."""
    static_server.pages["/css"] = PAGE
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sheets = Sheets(page)
    page.goto(static_server.url("/css"))
    page.wait_for_function(f"() => ({COLOUR})() === {RED!r}")
    page.evaluate("window.__link = document.getElementById('sheet')")
    yield page, sheets
    context.close()
    assert errors == []


def _links(page: Any) -> int:
    return int(page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length"))


def test_new_version_loads_in_a_copy_first_and_the_link_stays_the_same_node(
    loaded: tuple[Any, Sheets],
) -> None:
    page, sheets = loaded
    sheets.css["/sheet.css"] = f".x {{ color: {BLUE}; }}"
    sheets.hold = True
    page.evaluate(RELOAD, ["/sheet.css"])
    sheets.wait_held(1)
    assert _links(page) == 3  # the copy, right after the link, loading the new version
    assert page.evaluate(
        "document.getElementById('sheet').nextElementSibling.getAttribute('href')"
    ).startswith("/sheet.css?tw-css=")
    assert page.evaluate(COLOUR) == RED  # meanwhile the old rules apply: no flash
    sheets.release()
    page.wait_for_function("() => window.__results[0] === 1")
    assert page.evaluate(COLOUR) == BLUE
    assert _links(page) == 2
    assert page.evaluate("document.querySelector('link[rel=stylesheet]') === window.__link")
    assert page.evaluate("window.__link.getAttribute('href')").startswith("/sheet.css?tw-css=")
    assert page.evaluate("document.querySelector('link[href=\"/other.css\"]') !== null")  # untouched
    # A link reloaded before matches again (its version query is ignored).
    sheets.css["/sheet.css"] = f".x {{ color: {GREEN}; }}"
    page.evaluate(RELOAD, ["http://" + page.url.split("//", 1)[1].split("/", 1)[0] + "/sheet.css"])
    page.wait_for_function("() => window.__results[1] === 1")
    assert page.evaluate(COLOUR) == GREEN


def test_a_newer_save_supersedes_a_version_still_loading(loaded: tuple[Any, Sheets]) -> None:
    page, sheets = loaded
    sheets.css["/sheet.css"] = f".x {{ color: {BLUE}; }}"
    sheets.hold = True
    page.evaluate(RELOAD, ["/sheet.css"])
    sheets.wait_held(1)
    sheets.css["/sheet.css"] = f".x {{ color: {GREEN}; }}"
    page.evaluate(RELOAD, ["/sheet.css"])
    sheets.wait_held(2)
    assert _links(page) == 3  # the first copy went; one copy loads the newest version
    page.wait_for_function("() => window.__results[0] === 0")  # superseded
    sheets.release()
    page.wait_for_function("() => window.__results[1] === 1")
    assert page.evaluate(COLOUR) == GREEN
    assert _links(page) == 2


def test_a_version_that_fails_to_load_leaves_the_old_rules(loaded: tuple[Any, Sheets]) -> None:
    page, sheets = loaded
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    sheets.status = 404
    page.evaluate(RELOAD, ["/sheet.css"])
    page.wait_for_function("() => window.__results[0] === 0")
    assert page.evaluate(COLOUR) == RED
    assert _links(page) == 2
    assert page.evaluate("window.__link.getAttribute('href')") == "/sheet.css"  # never switched
    assert any("failed to load; the page keeps the previous rules" in text for text in console), console


def test_other_paths_and_origins_are_left_alone(loaded: tuple[Any, Sheets]) -> None:
    page, _sheets = loaded
    page.evaluate(RELOAD, ["/elsewhere.css", "http://other.example/sheet.css"])
    page.wait_for_function("() => window.__results[0] === 0")
    assert page.evaluate("window.__link.getAttribute('href')") == "/sheet.css"
    assert _links(page) == 2


def test_dev_js_reads_a_stylesheets_event_or_raises_a_type_error(loaded: tuple[Any, Sheets]) -> None:
    page, _sheets = loaded
    parse = """async (data) => {
      const { parseStylesheets } = await import("/client/dev.js");
      try { return parseStylesheets(data); } catch (error) { return `${error.name}: ${error.message}`; }
    }"""
    good = '{"build": "b1", "paths": ["static/app.css"]}'
    assert page.evaluate(parse, good) == {"build": "b1", "paths": ["static/app.css"]}
    for bad in ('{"build": "b1"}', '{"build": 1, "paths": []}', '{"build": "b", "paths": [3]}', "[]"):
        assert page.evaluate(parse, bad).startswith(
            'TypeError: expected {"build": string, "paths": string[]}'
        )
