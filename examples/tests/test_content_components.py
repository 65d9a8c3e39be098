"""AppShell, DatePicker, Form errors and Markdown in real Chromium, Mode B (issue 14): the drawer
collapses at a small viewport and opens with the menu button (disclosure pattern,
https://www.w3.org/WAI/ARIA/apg/patterns/disclosure/), a date typed with real keys reaches Python
as a ``datetime.date``, a submitted form shows its errors next to the fields, and Markdown's raw
HTML never runs. The app is ``examples/tests/apps/content``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import pytest
from axe import a11y_context_options, describe_contrast, low_contrast_text, run_axe
from playwright.sync_api import Browser, Page, ViewportSize, expect

pytestmark = pytest.mark.browser

WAIT_MS = 10_000
APP = "tests/apps/content"
SMALL: ViewportSize = {"width": 480, "height": 800}
LARGE: ViewportSize = {"width": 1000, "height": 900}


@pytest.fixture
def app(page: Page, app_url: Callable[[str], str]) -> Iterator[Page]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(error.message))
    page.goto(app_url(APP))
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=WAIT_MS)
    yield page
    assert errors == []


# -- AppShell ---------------------------------------------------------------------------------------


def test_drawer_is_a_sidebar_on_a_large_viewport(app: Page) -> None:
    app.set_viewport_size(LARGE)
    expect(app.get_by_role("navigation", name="Main")).to_be_visible()
    expect(app.get_by_role("button", name="Menu")).to_be_hidden()
    nav_box = app.get_by_role("navigation", name="Main").bounding_box()
    main_box = app.get_by_role("main").bounding_box()
    assert nav_box is not None and main_box is not None
    assert nav_box["x"] + nav_box["width"] <= main_box["x"] + 1  # side by side


def test_drawer_collapses_on_a_small_viewport_and_toggles(app: Page) -> None:
    app.set_viewport_size(SMALL)
    nav = app.get_by_role("navigation", name="Main")
    toggle = app.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "tw-shell-nav"
    toggle.focus()
    app.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true", timeout=WAIT_MS)
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="Uploads").focus()
    app.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false", timeout=WAIT_MS)
    expect(nav).to_be_hidden()
    toggle.click()
    expect(nav).to_be_visible(timeout=WAIT_MS)


def test_landmarks(app: Page) -> None:
    assert app.locator("header").count() == 1
    assert app.get_by_role("main").count() == 1
    assert app.get_by_role("navigation").count() == 1


# -- DatePicker -------------------------------------------------------------------------------------


def test_typing_a_date_reaches_python_as_a_date(app: Page) -> None:
    field = app.get_by_label("Due date")
    expect(app.locator("#log-due")).to_have_text("none")
    field.focus()
    # Chromium's en-US date field: month, day, year segments; typing fills and moves on
    app.keyboard.type("03152027")
    expect(app.locator("#log-due")).to_have_text("2027-03-15", timeout=WAIT_MS)
    assert field.input_value() == "2027-03-15"
    app.keyboard.press("ArrowDown")  # the year segment has focus: one year less
    expect(app.locator("#log-due")).to_have_text("2026-03-15", timeout=WAIT_MS)
    assert field.get_attribute("min") == "2026-01-01" and field.get_attribute("max") == "2027-12-31"


def test_clearing_the_date_sends_none(app: Page) -> None:
    field = app.get_by_label("Due date")
    field.fill("2026-06-01")
    expect(app.locator("#log-due")).to_have_text("2026-06-01", timeout=WAIT_MS)
    field.fill("")
    expect(app.locator("#log-due")).to_have_text("none", timeout=WAIT_MS)


# -- Form errors ------------------------------------------------------------------------------------


def test_submitted_form_shows_errors_next_to_fields(app: Page) -> None:
    app.get_by_label("Age").fill("old")
    app.get_by_role("button", name="Sign up").click()
    name, age = app.get_by_label("Name"), app.get_by_label("Age")
    expect(name).to_have_attribute("aria-invalid", "true", timeout=WAIT_MS)
    expect(age).to_have_attribute("aria-invalid", "true")
    expect(app.locator("#" + (name.get_attribute("aria-describedby") or "x"))).to_have_text(
        "String should have at least 1 character"
    )
    expect(app.locator("#" + (age.get_attribute("aria-describedby") or "x"))).to_have_text(
        "Input should be a valid integer, unable to parse string as an integer"
    )
    name.fill("Ada")
    age.fill("36")
    app.get_by_role("button", name="Sign up").click()
    expect(app.locator("#log-submitted")).to_have_text("Ada (36)", timeout=WAIT_MS)
    assert name.get_attribute("aria-invalid") is None and age.get_attribute("aria-invalid") is None


# -- Markdown ---------------------------------------------------------------------------------------


def test_markdown_renders_and_raw_html_never_runs(app: Page) -> None:
    doc = app.locator("#doc")
    expect(doc.get_by_role("heading", name="Release notes")).to_be_visible()
    assert doc.locator("strong").inner_text() == "stream"
    assert doc.get_by_role("link", name="the docs").get_attribute("href") == "/docs"
    assert doc.locator("a").count() == 1  # the javascript: link stayed text
    assert doc.locator("script").count() == 0
    expect(doc).to_contain_text('<script>alert("never runs")</script>')


# -- accessibility ----------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [SMALL, LARGE], ids=["small", "large"])
def test_axe_and_contrast_with_errors_uploads_and_open_drawer(
    browser: Browser,
    app_url: Callable[[str], str],
    scheme: Literal["light", "dark"],
    viewport: dict[str, int],
) -> None:
    """axe-core (WCAG 2.x A/AA, best practices): no serious or critical violation, text >= 4.5:1,
    with form errors shown, an uploaded and a refused file listed, and (small) the drawer open."""
    context = browser.new_context(**{**a11y_context_options(scheme), "viewport": viewport})
    try:
        page = context.new_page()
        page.goto(app_url(APP))
        page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=WAIT_MS)
        page.locator("#files").set_input_files({"name": "ok.txt", "mimeType": "text/plain", "buffer": b"ok"})
        too_big = b"x" * 2_000_001
        page.locator("#files").set_input_files(
            {"name": "big.bin", "mimeType": "text/plain", "buffer": too_big}
        )
        expect(page.locator("#zone li[data-status=done]")).to_have_count(1, timeout=WAIT_MS)
        expect(page.locator("#zone li[data-status=error]")).to_have_count(1, timeout=WAIT_MS)
        page.get_by_role("button", name="Sign up").click()
        expect(page.get_by_label("Age")).to_have_attribute("aria-invalid", "true", timeout=WAIT_MS)
        if viewport == SMALL:
            page.get_by_role("button", name="Menu").click()
            expect(page.get_by_role("navigation", name="Main")).to_be_visible(timeout=WAIT_MS)
        report = run_axe(page)
        assert not report.blocking(), f"{scheme}:\n{report.describe()}"
        failures = low_contrast_text(page)
        assert not failures, f"{scheme}: text below 4.5:1\n{describe_contrast(failures)}"
    finally:
        context.close()
