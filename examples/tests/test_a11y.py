"""Accessibility of the examples in Chromium (Mode B), light and dark: axe-core and text contrast.

Each example is driven into a state that shows most of its markup (TodoMVC with active and
completed todos, jsfb with 1,000 rows and a selected row, the counter after clicks, the native
example after capability calls that need no network), then axe-core
runs with the WCAG 2.x A/AA and best-practice rules: no serious or critical violation is allowed,
and every visible text run must reach 4.5:1 against its background (issue 14). The component
gallery has the same audit, in more states, in ``test_gallery.py``; ``examples/plugin-wakelock``
has no page of its own (its tests drive the JS module through a bridge page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import pytest
from axe import a11y_context_options, describe_contrast, low_contrast_text, run_axe
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

WAIT_MS = 10_000
Scheme = Literal["light", "dark"]


@pytest.fixture(params=["light", "dark"])
def scheme_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, Scheme]]:
    """A fresh page whose context emulates ``prefers-color-scheme`` light or dark."""
    scheme: Scheme = request.param
    context = browser.new_context(**a11y_context_options(scheme))
    page = context.new_page()
    yield page, scheme
    context.close()


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("#tw-root[data-tw-status=open]").wait_for(state="attached", timeout=WAIT_MS)


def _check(page: Page, scheme: Scheme) -> None:
    report = run_axe(page)
    assert not report.blocking(), f"{scheme}:\n{report.describe()}"
    failures = low_contrast_text(page)
    assert not failures, f"{scheme}: text below 4.5:1\n{describe_contrast(failures)}"


def test_counter(scheme_page: tuple[Page, Scheme], app_url: Callable[[str], str]) -> None:
    page, scheme = scheme_page
    _open(page, app_url("counter"))
    page.locator("#decrement").click()
    expect(page.locator("#count")).to_have_text("-1", timeout=WAIT_MS)
    _check(page, scheme)
    dark = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    assert dark == (scheme == "dark")


def test_todomvc(scheme_page: tuple[Page, Scheme], app_url: Callable[[str], str]) -> None:
    page, scheme = scheme_page
    _open(page, app_url("todomvc"))
    field = page.locator("input.new-todo")
    for title in ("Buy milk", "Write the report", "Call Ada"):
        field.fill(title)
        field.press("Enter")
    expect(page.locator(".todo-list > li")).to_have_count(3, timeout=WAIT_MS)
    page.locator(".todo-list > li").nth(1).locator("input.toggle").click()
    expect(page.locator(".todo-list > li.completed")).to_have_count(1, timeout=WAIT_MS)
    _check(page, scheme)


def test_jsfb(scheme_page: tuple[Page, Scheme], app_url: Callable[[str], str]) -> None:
    page, scheme = scheme_page
    _open(page, app_url("jsfb"))
    page.locator("#run").click()
    expect(page.locator("tbody > tr")).to_have_count(1000, timeout=WAIT_MS)
    page.locator("tbody > tr").nth(4).locator("a.lbl").click()
    expect(page.locator("tbody > tr.danger")).to_have_count(1, timeout=WAIT_MS)
    _check(page, scheme)


def test_native(scheme_page: tuple[Page, Scheme], app_url: Callable[[str], str]) -> None:
    from test_native import vendor  # the example serves onnxruntime-web from vendor/ort (npm pack)

    vendor()
    page, scheme = scheme_page
    _open(page, app_url("native"))
    for name in ("store-put", "store-get", "install-state", "share"):  # results that need no network
        page.locator(f"#{name}").click()
        expect(page.locator(f"#{name}-result")).not_to_have_text("", timeout=WAIT_MS)
    _check(page, scheme)
