"""The WebDriver page adapter resolves locators as Playwright does (issue 11).

The adapter's chains run as JS in the desktop webview; here the same resolution script runs in
Chromium beside Playwright's own locators on one document, and both must pick the same element.
``locator("css >> nth=2").first`` used to drop the ``nth=2`` (``first`` overwrote it): the
conformance runner's ``locator(target).first`` then pressed ArrowUp on a menu's first item and
clicked the first row's checkbox instead of the second's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Locator as PlaywrightLocator
from playwright.sync_api import Page, sync_playwright
from webdriver_page import _RESOLVE_JS, Locator

from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

pytestmark = pytest.mark.browser

DOCUMENT = (
    '<ul id="menu"><li id="m0">New</li><li id="m1">Open</li><li id="m2" hidden>Gone</li>'
    '<li id="m3">Close</li></ul><table>'
    + "".join(f'<tr><td><input id="c{n}"></td></tr>' for n in range(3))
    + "</table>"
)

Chain = Callable[[Any], Any]
CHAINS: list[tuple[str, Chain]] = [
    ("#menu li >> nth=2", lambda loc: loc.first),
    ("#menu li >> nth=1", lambda loc: loc.first),
    ("#menu li", lambda loc: loc.nth(3)),
    ("#menu li", lambda loc: loc.first),
    ("#menu li:visible", lambda loc: loc.nth(2)),
    ("td input >> nth=1", lambda loc: loc.first),
    ("table", lambda loc: loc.locator("td >> nth=2").locator("input").first),
]


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        page = browser.new_page()
        page.set_content(DOCUMENT)
        yield page
        browser.close()


@pytest.mark.parametrize(("selector", "chain"), CHAINS, ids=[f"{s}#{i}" for i, (s, _) in enumerate(CHAINS)])
def test_issue_11_chains_pick_the_element_playwright_picks(page: Page, selector: str, chain: Chain) -> None:
    want: PlaywrightLocator = chain(page.locator(selector))
    ours: Locator = chain(Locator(None, Locator._chain(selector)))  # type: ignore[arg-type]  # steps only
    got = page.evaluate(
        "steps => { " + _RESOLVE_JS + " return resolve(steps).map((e) => e.id); }", ours._steps
    )
    assert got == [want.evaluate("e => e.id")]
