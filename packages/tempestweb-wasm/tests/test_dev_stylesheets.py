"""``tempestweb dev --mode wasm``: a saved ``.css`` asset is reloaded in the open pages in place.

The dev loop copies a save of nothing but ``[wasm].assets`` stylesheets into the served build
(no rebuild) and announces ``stylesheets`` on the event stream; with Python in the same batch
it rebuilds and announces ``update`` then ``stylesheets``; anything else still reloads the
pages. In Chromium: the new rules apply while the app's state, the typed text and the document
stay.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dev_reload import BOOT_TIMEOUT_MS, DevLoop, SseReader

RED, BLUE, GREEN = "rgb(255, 0, 0)", "rgb(0, 0, 255)", "rgb(0, 128, 0)"

APP = """
from dataclasses import dataclass, replace

from tempest_core import App, html


@dataclass(frozen=True)
class State:
    count: int = 0


def bump() -> None:
    app.set_state(lambda s: replace(s, count=s.count + 1))


def view(s: State):  # noqa: ANN201
    return html.main(
        html.link(rel="stylesheet", href="/static/app.css"),
        html.h1("v1", id="headline", class_="headline"),
        html.button(str(s.count), id="inc", type="button", on_click=bump),
        html.input(id="free", type="text"),
    )


app = App(view=view, state=State(), title="Dev css")
"""


def _sheet(color: str) -> str:
    return f".headline {{ color: {color}; }}\n"


@pytest.fixture
def styled_app(tmp_path: Path) -> Path:
    folder = tmp_path / "styled"
    (folder / "static").mkdir(parents=True)
    (folder / "app.py").write_text(APP)
    (folder / "static" / "app.css").write_text(_sheet(RED))
    (folder / "tempestweb.toml").write_text('[wasm]\nassets = ["static/*.css"]\n')
    return folder


@pytest.fixture
def loop(styled_app: Path) -> Iterator[DevLoop]:
    running = DevLoop(styled_app, None, keepalive=0.5)
    try:
        yield running
    finally:
        running.close()


def _served(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode("utf-8"))


def test_stylesheet_saves_are_announced_without_a_page_reload(styled_app: Path, loop: DevLoop) -> None:
    stream = SseReader(loop.url)
    try:
        build = stream.next_named("hello")
        # Nothing but a stylesheet: copied into the served build, same build, no rebuild.
        (styled_app / "static" / "app.css").write_text(_sheet(BLUE))
        assert json.loads(stream.next_named("stylesheets")) == {"build": build, "paths": ["static/app.css"]}
        line = loop.expect_line("tempestweb: copied static/app.css into the build")
        assert line.endswith("reloading stylesheets in place in 1 page(s)"), line
        assert _served(loop.url + "static/app.css") == _sheet(BLUE)
        assert not any(line.startswith("tempestweb: rebuilt") for line in loop.log)
        # Python and a stylesheet in one save: a rebuild, the app updated in place, then the sheet.
        (styled_app / "static" / "app.css").write_text(_sheet(GREEN))
        (styled_app / "app.py").write_text(APP.replace('"v1"', '"v2"'))
        events: list[tuple[str, str]] = []
        while {"update", "stylesheets"} - {name for name, _ in events}:
            event = stream.next()
            if "event" in event:
                events.append((event["event"], event["data"]))
        updated = dict(events)["update"]
        assert updated != build
        line = loop.expect_line("tempestweb: rebuilt after changes to ")
        if "app.css, app.py" in line:  # one batch (else the stylesheet was saved alone, first)
            assert events == [
                ("update", updated),
                (
                    "stylesheets",
                    json.dumps({"build": updated, "paths": ["static/app.css"]}, separators=(",", ":")),
                ),
            ]
            assert line.endswith("updating the app in place in 1 page(s)"), line
        assert _served(loop.url + "static/app.css") == _sheet(GREEN)
        # A change beyond Python and stylesheets: the pages reload.
        (styled_app / "tempestweb.toml").write_text('[app]\ntitle = "x"\n[wasm]\nassets = ["static/*.css"]\n')
        assert stream.next_named("reload") != updated
    finally:
        stream.close()


@pytest.mark.browser
def test_saved_stylesheet_restyles_the_page_keeping_state_and_document(
    styled_app: Path, loop: DevLoop, browser: object
) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    with page.expect_response(lambda response: response.url.endswith("/_tw/dev/events")):
        page.goto(loop.url)  # the event stream is open before the save below
    page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
    color = "(value) => getComputedStyle(document.getElementById('headline')).color === value"
    page.wait_for_function(color, arg=RED)
    for expected in ("1", "2"):
        page.click("#inc")
        page.wait_for_selector(f"#inc:text-is('{expected}')")
    page.fill("#free", "typed, not bound")
    page.evaluate("window.twMarker = 'same document'")
    page.evaluate("window.twLink = document.querySelector('link[rel=stylesheet]')")

    (styled_app / "static" / "app.css").write_text(_sheet(BLUE))
    page.wait_for_function(color, arg=BLUE, timeout=BOOT_TIMEOUT_MS)
    page.wait_for_function("() => document.querySelectorAll('link[rel=stylesheet]').length === 1")
    assert page.evaluate("document.querySelector('link[rel=stylesheet]') === window.twLink")
    assert page.evaluate("window.twMarker") == "same document"  # no page reload
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert page.text_content("#inc") == "2"  # the app's state
    assert page.input_value("#free") == "typed, not bound"
    page.click("#inc")  # the app runs on
    page.wait_for_selector("#inc:text-is('3')")
    assert errors == []
    context.close()
