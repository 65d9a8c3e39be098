"""The default theme in Chromium: every widget's look passes axe-core in light and dark, layout
defaults hold (labels spaced from inputs, buttons keep their width in a column), and the colour
scheme switch works the same in Mode B and Mode A. The app is ``examples/tests/apps/theme``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import pytest
from axe import a11y_context_options, describe_contrast, low_contrast_text, run_axe
from conftest import MODE_A_BOOT_TIMEOUT_MS
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

APP = "tests/apps/theme"
WAIT_MS = 10_000
LIGHT_BG = "rgb(248, 250, 252)"  # --tw-color-bg, light
DARK_BG = "rgb(11, 17, 32)"  # --tw-color-bg, dark
Scheme = Literal["light", "dark"]


def _page(browser: Browser, scheme: Scheme) -> tuple[Page, Callable[[], None]]:
    context = browser.new_context(**a11y_context_options(scheme))
    return context.new_page(), context.close


@pytest.fixture(params=["light", "dark"])
def scheme_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, Scheme]]:
    page, close = _page(browser, request.param)
    yield page, request.param
    close()


def _open(page: Page, url: str, timeout_ms: int = WAIT_MS) -> None:
    page.goto(url)
    page.locator("#tw-root[data-tw-status=open]").wait_for(state="attached", timeout=timeout_ms)


def _body(page: Page, prop: str) -> str:
    return str(page.evaluate(f"() => getComputedStyle(document.body).{prop}"))


def test_every_widget_passes_axe(scheme_page: tuple[Page, Scheme], app_url: Callable[[str], str]) -> None:
    page, scheme = scheme_page
    _open(page, app_url(APP))
    page.locator("#alerts").check()  # the switch's checked look too
    expect(page.locator("#alerts")).to_be_checked(timeout=WAIT_MS)
    page.locator("#name").focus()
    report = run_axe(page)
    assert not report.blocking(), f"{scheme}:\n{report.describe()}"
    failures = low_contrast_text(page)
    assert not failures, f"{scheme}: text below 4.5:1\n{describe_contrast(failures)}"
    assert _body(page, "backgroundColor") == (DARK_BG if scheme == "dark" else LIGHT_BG)


def test_layout_defaults(scheme_page: tuple[Page, Scheme], app_url: Callable[[str], str]) -> None:
    page, _ = scheme_page
    _open(page, app_url(APP))
    submit = page.locator("#submit").bounding_box()
    form = page.locator("form").bounding_box()
    assert submit is not None and form is not None
    assert submit["width"] < form["width"] / 2, (submit, form)  # not stretched by the column
    caption = page.locator("label:has(#name) > span").bounding_box()
    field = page.locator("#name").bounding_box()
    assert caption is not None and field is not None
    assert field["y"] - (caption["y"] + caption["height"]) >= 4  # --tw-space-1 between label and input
    assert page.locator("#name").evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"


def test_issue_14_reduced_motion_turns_the_widgets_transitions_off(
    browser: Browser, app_url: Callable[[str], str]
) -> None:
    """``prefers-reduced-motion: reduce`` sets ``--tw-duration`` to 0s: no themed transition runs.

    Buttons, inputs and switches fade their colours over ``--tw-duration`` (150 ms); a person who
    asked for less motion (WCAG 2.3.3) gets the new colours at once. Without the preference the
    transitions stay.
    """
    context = browser.new_context(reduced_motion="reduce")
    try:
        page = context.new_page()
        _open(page, app_url(APP))
        for selector in ("#btn-primary", "#name"):
            durations = page.locator(selector).evaluate("e => getComputedStyle(e).transitionDuration")
            assert set(durations.replace(" ", "").split(",")) == {"0s"}, (selector, durations)
        page.emulate_media(reduced_motion="no-preference")
        durations = page.locator("#btn-primary").evaluate("e => getComputedStyle(e).transitionDuration")
        assert "0.15s" in durations, durations
    finally:
        context.close()


def _check_switch(page: Page) -> None:
    assert _body(page, "backgroundColor") == LIGHT_BG
    page.locator("#scheme").select_option("dark")
    expect(page.locator("#scheme-now")).to_have_text("dark", timeout=WAIT_MS)
    expect(page.locator("body")).to_have_css("background-color", DARK_BG, timeout=WAIT_MS)
    assert page.evaluate("() => getComputedStyle(document.documentElement).colorScheme") == "dark"
    page.locator("#scheme").select_option("light")
    expect(page.locator("body")).to_have_css("background-color", LIGHT_BG, timeout=WAIT_MS)
    page.emulate_media(color_scheme="dark")  # a forced scheme ignores the user's preference
    expect(page.locator("body")).to_have_css("background-color", LIGHT_BG, timeout=WAIT_MS)
    page.locator("#scheme").select_option("system")  # ... and "system" follows it again
    expect(page.locator("#scheme-now")).to_have_text("system", timeout=WAIT_MS)
    expect(page.locator("body")).to_have_css("background-color", DARK_BG, timeout=WAIT_MS)
    page.emulate_media(color_scheme="light")
    expect(page.locator("body")).to_have_css("background-color", LIGHT_BG, timeout=WAIT_MS)


def test_scheme_switch_mode_b(browser: Browser, app_url: Callable[[str], str]) -> None:
    page, close = _page(browser, "light")
    try:
        _open(page, app_url(APP))
        _check_switch(page)
    finally:
        close()


def test_scheme_switch_mode_a(browser: Browser, wasm_url: Callable[[str], str]) -> None:
    page, close = _page(browser, "light")
    try:
        _open(page, wasm_url(APP), MODE_A_BOOT_TIMEOUT_MS)
        page.wait_for_function(
            "() => document.documentElement.hasAttribute('data-tw-ready')", timeout=MODE_A_BOOT_TIMEOUT_MS
        )
        _check_switch(page)
    finally:
        close()


_WATCH_SWITCH = """() => {
  window.__switch = new Promise((resolve) => {
    const root = document.getElementById('tw-root');
    new MutationObserver((records, observer) => {
      observer.disconnect();
      // Right after the patch that switched the scheme: what the next frame paints.
      const color = getComputedStyle(document.getElementById('submit')).color;
      const running = document.getAnimations().length;
      setTimeout(() => resolve({color, running, later: document.getAnimations().length}), 50);
    }).observe(root, {attributes: true, attributeFilter: ['data-tw-color-scheme']});
  });
}"""


@pytest.mark.parametrize("target", ["dark", "light"])
def test_issue_14_a_scheme_switch_shows_the_new_colours_at_once(
    browser: Browser, app_url: Callable[[str], str], target: Scheme
) -> None:
    """No colour transition runs on a switch: text of one scheme never sits on the other's background."""
    page, close = _page(browser, "dark" if target == "light" else "light")
    try:
        _open(page, app_url(APP))
        page.evaluate(_WATCH_SWITCH)
        page.locator("#scheme").select_option(target)
        seen = page.evaluate("() => window.__switch")
        page.wait_for_timeout(400)  # --tw-duration is 150 ms: any transition would be over
        settled = page.evaluate("() => getComputedStyle(document.getElementById('submit')).color")
        assert seen == {"color": settled, "running": 0, "later": 0}
    finally:
        close()
