"""Mode A, in real Chromium: a script of the page that fails to load is said, and the page works.

When ``bootstrap.js`` or a client module it imports does not load (a 404, a type other than
JavaScript such as ``text/plain``), no client ever mounts. The page used to stay silent: the
prerendered view showed, ``early.js`` kept cancelling clicks on it (held for a client that never
came), nothing was logged but the browser's own line, and ``data-tw-failed`` never came, so a
test waiting on it timed out. Now ``early.js`` hears the script's ``error`` event: it stops
holding clicks (a prerendered link navigates), logs the failed file's URL with
``console.error``, shows it in the error overlay (``role="alert"``) and sets ``data-tw-failed``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from pwa_site import Host, not_found

from tempestweb_contract import client_dir, names
from tempestweb_wasm import build

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage

pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

pytestmark = pytest.mark.browser

FAILURE_TIMEOUT_MS = 20_000
"""A failed load is said within seconds (the old code never said it: the test fails here)."""

NAVIGATION_TIMEOUT_MS = 10_000

_APP = textwrap.dedent(
    """
    from tempest_core import App, Link, html


    def bump() -> None:
        app.set_state(lambda n: n + 1)


    def view(count: int):  # noqa: ANN201
        return html.main(
            html.h1("Home", id="home"),
            Link("About", href="/about.html", id="about"),
            html.button(f"clicked {count}", id="inc", type="button", on_click=bump),
        )


    app = App(view=view, state=0, title="Load failure")
    """
)

_ABOUT = b'<!doctype html><html lang="en"><title>About</title><h1 id="about-page">About</h1></html>\n'


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    source = tmp_path_factory.mktemp("src")
    (source / "app.py").write_text(_APP, encoding="utf-8")
    out = build(source, out=tmp_path_factory.mktemp("site") / "out", csp=True).out
    (out / "about.html").write_bytes(_ABOUT)
    with Host(out) as server:
        server.headers["Cache-Control"] = "no-store"
        yield server


def _serve(host: Host, *, missing: str | None = None, types: dict[str, str] | None = None) -> None:
    """Answer ``missing`` (a path suffix) with 404 and the suffixes of ``types`` with those types."""
    host.hooks[:] = [] if missing is None else [not_found(missing)]
    host.types.clear()
    host.types.update(types or {})


def _visit_broken(host: Host, browser: Browser, broken: str) -> tuple[Any, Any, list[str]]:
    """Open the site with ``broken`` answered wrongly; wait for the alert naming it.

    Returns:
        ``(context, page, console errors)``.

    """
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.goto(host.url)
    page.wait_for_selector("#about")  # the prerendered view is on screen
    alert = page.wait_for_selector(f"[role=alert]:has-text('{broken}')", timeout=FAILURE_TIMEOUT_MS)
    assert alert is not None
    assert "tw-overlay" in (alert.get_attribute("class") or "").split()  # the client's error overlay
    assert alert.is_visible()
    page.wait_for_selector("html[data-tw-failed]", state="attached", timeout=FAILURE_TIMEOUT_MS)
    assert page.get_attribute("html", "data-tw-ready") is None
    assert any(host.url + broken in text for text in errors), errors
    return context, page, errors


def _link_navigates(page: Any) -> None:
    """A click on the prerendered internal link (it declares a click listener) leaves the page."""
    assert page.get_attribute("#about", "data-tw-on") is not None  # early.js would hold this click
    page.click("#about")
    page.wait_for_url(re.compile(r".*/about\.html$"), timeout=NAVIGATION_TIMEOUT_MS)
    page.wait_for_selector("#about-page")


def test_bootstrap_answered_404_says_so_and_links_work(host: Host, browser: Browser) -> None:
    _serve(host, missing="/bootstrap.js")
    context, page, _ = _visit_broken(host, browser, "bootstrap.js")
    text = page.inner_text("[role=alert]")
    assert "./bootstrap.js: HTTP 404" in text, text
    _link_navigates(page)
    context.close()


def test_client_module_served_as_text_plain_says_so_and_links_work(host: Host, browser: Browser) -> None:
    _serve(host, types={"/client/session.js": "text/plain"})
    context, page, _ = _visit_broken(host, browser, "client/session.js")
    text = page.inner_text("[role=alert]")
    assert "./client/session.js: served as text/plain" in text, text
    assert "bootstrap.js" not in text.splitlines()[0]  # the file that failed, not the entry
    _link_navigates(page)
    context.close()


def test_overlay_module_itself_broken_still_shows_the_alert(host: Host, browser: Browser) -> None:
    """``constants.js`` broken: ``overlay.js`` cannot be imported either; the same markup shows."""
    _serve(host, types={"/client/constants.js": "text/plain"})
    context, page, _ = _visit_broken(host, browser, "client/constants.js")
    assert page.is_visible("[role=alert] button:has-text('Dismiss')")
    _link_navigates(page)
    context.close()


def test_a_working_site_is_not_flagged(host: Host, browser: Browser) -> None:
    """Nothing fails: no alert, no ``data-tw-failed``; the app boots (``data-tw-ready``)."""
    _serve(host)
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(host.url)
    page.wait_for_selector("html[data-tw-ready], html[data-tw-failed]", state="attached", timeout=120_000)
    assert page.get_attribute("html", "data-tw-failed") is None
    assert page.query_selector("[role=alert]") is None
    context.close()


def test_early_script_names_match_the_contract() -> None:
    source = (client_dir() / names.CLIENT_EARLY_FILE).read_text(encoding="utf-8")
    assert f'const ATTR_FAILED = "{names.ATTR_FAILED}";' in source
    assert f'const CLASS_OVERLAY = "{names.CLASS_OVERLAY}";' in source
    assert f'const ROOT_ELEMENT_ID = "{names.ROOT_ELEMENT_ID}";' in source
