"""Browser smoke test: real Chromium loads the counter app, clicks, and sees the count change."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from server_live import counter_app, live_server

from tempestweb_contract import client_dir
from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

pytestmark = pytest.mark.browser


def _client_ready() -> bool:
    try:
        return (client_dir() / "boot.js").is_file()
    except FileNotFoundError:
        return False


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    if not _client_ready():
        pytest.skip("the JS client entry client/src/boot.js is missing")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        try:
            yield instance
        finally:
            instance.close()


@pytest.mark.parametrize("transport", ["auto", "sse"])
def test_counter_click_updates_the_count(browser: Any, transport: str) -> None:
    with live_server(counter_app(), transport=transport) as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(f"http://{base}/deep/link")
        count = page.locator("#count")
        assert count.text_content() == "Count: 0"  # prerendered, before any script ran
        expect = pytest.importorskip("playwright.sync_api").expect
        page.locator("#inc").click()
        expect(count).to_have_text("Count: 1", timeout=10_000)  # polls; no eval (the CSP forbids it)
        page.locator("#inc").click()
        page.locator("#inc").click()
        expect(count).to_have_text("Count: 3", timeout=10_000)
        page.close()
        assert errors == []


# A 1x1 PNG (red pixel), as a data: URL.
_PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


def test_csp_allows_data_images_and_still_forbids_inline_script(browser: Any) -> None:
    from tempest_core import App, html

    view = html.div(html.img(src=_PIXEL, id="pixel", alt="pixel"), html.p("ready", id="ready"))
    with live_server(App(view=lambda _: view, title="CSP")) as base:
        page = browser.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        page.goto(f"http://{base}/")
        page.wait_for_function("document.getElementById('pixel').complete")
        assert page.eval_on_selector("#pixel", "img => img.naturalWidth") == 1
        # A script injected by a bug or an attacker is still refused: Trusted Types reject the
        # string, and script-src 'self' would refuse to run it anyway.
        outcome = page.evaluate(
            "() => { const s = document.createElement('script');"
            " try { s.textContent = 'window.pwned = 1'; document.body.appendChild(s); return 'ran'; }"
            " catch (e) { return e.name + ': ' + e.message; } }"
        )
        assert outcome.startswith("TypeError") and "TrustedScript" in outcome
        assert page.evaluate("() => window.pwned === undefined")
        page.close()
        assert not any("img-src" in v for v in violations), violations


def test_issue_14_idle_rehearsal_replays_the_recording_in_an_inert_document(browser: Any) -> None:
    with live_server(counter_app()) as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if msg.type in ("error", "warning", "debug") else None,
        )
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        sockets: list[str] = []
        page.on("websocket", lambda socket: sockets.append(socket.url))
        page.goto(f"http://{base}/")
        before = page.evaluate("[document.title, history.length, location.href]")
        page.wait_for_function(
            "() => performance.getEntriesByName('tw:rehearsed').length === 1", timeout=20_000
        )
        # The recording's 5 scroll steps, 2 keystrokes, 2 clicks and a selection: DOM events in the
        # inert document, delivered by a client of their own (under the page's CSP and Trusted
        # Types), each answered by the recorded patch, which that client applied with no error.
        assert page.evaluate("performance.getEntriesByName('tw:rehearsed')[0].detail") == {
            "patches": 10,
            "errors": [],
        }
        # Nothing of it entered the page, nothing of the page changed, and it opened no session:
        # the page's one WebSocket and the recording are all it asked the host's endpoints for.
        assert page.evaluate("document.querySelectorAll('[role=region], ul, [id^=tw-rehearsal]').length") == 0
        assert page.evaluate("[document.title, history.length, location.href]") == before
        endpoints = {"ws", "sse", "send", "rehearsal"}
        assert [url for url in requests if url.partition("/_tw/")[2].partition("?")[0] in endpoints] == [
            f"http://{base}/_tw/rehearsal"
        ]
        assert sockets == [f"ws://{base}/_tw/ws"]
        page.locator("#inc").click()
        expect = pytest.importorskip("playwright.sync_api").expect
        expect(page.locator("#count")).to_have_text("Count: 1", timeout=10_000)
        page.close()
        assert errors == []


def test_issue_14_a_person_acting_first_stops_the_rehearsal(browser: Any) -> None:
    with live_server(counter_app()) as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type in ("error", "warning") else None)
        held: list[Any] = []  # the recording's request, held until the person has acted

        def hold(route: Any) -> None:  # a function: Playwright cannot wrap a builtin method
            held.append(route)

        page.route("**/_tw/rehearsal", hold)
        page.goto(f"http://{base}/")
        for _ in range(200):
            if held:
                break
            page.wait_for_timeout(25)
        assert held, "the page never asked for the recording"
        page.locator("#inc").click()
        expect = pytest.importorskip("playwright.sync_api").expect
        expect(page.locator("#count")).to_have_text("Count: 1", timeout=10_000)
        with contextlib.suppress(Exception):  # the page already gave up on it
            held[0].continue_()
        page.wait_for_timeout(500)
        # The click came before the rehearsal: it compiled the click's path itself, and nothing
        # was rehearsed after it (the request was abandoned, no mark was set).
        assert page.evaluate("performance.getEntriesByName('tw:rehearsed').length") == 0
        page.locator("#inc").click()
        expect(page.locator("#count")).to_have_text("Count: 2", timeout=10_000)
        page.close()
        assert errors == []


@pytest.mark.parametrize("transport", ["auto", "sse"])
def test_issue_13_an_idle_page_answers_the_keepalive_and_keeps_its_connection(
    browser: Any, transport: str
) -> None:
    """The JS client answers every ``ping``, so the host's ``ping_timeout`` close never hits a live page."""
    interval = 0.5  # a pong may be two intervals late before ping_timeout: room for a loaded machine
    with live_server(counter_app(), transport=transport, ping_interval_s=interval) as base:
        page = browser.new_page()
        sockets: list[str] = []
        streams: list[str] = []

        def opened_socket(socket: Any) -> None:  # Playwright calls Python functions, not builtins
            sockets.append(socket.url)

        def sent_request(request: Any) -> None:
            if "/_tw/sse" in request.url:
                streams.append(request.url)

        page.on("websocket", opened_socket)
        page.on("request", sent_request)
        page.goto(f"http://{base}/")
        expect = pytest.importorskip("playwright.sync_api").expect
        page.locator("#inc").click()
        expect(page.locator("#count")).to_have_text("Count: 1", timeout=10_000)
        page.wait_for_timeout(12 * interval * 1000)  # idle for twelve intervals: pinged six times
        page.locator("#inc").click()
        expect(page.locator("#count")).to_have_text("Count: 2", timeout=10_000)
        opened = len(sockets) if transport == "auto" else len(streams)
        page.close()
        assert opened == 1  # one connection for the whole visit: never closed for a missing pong
