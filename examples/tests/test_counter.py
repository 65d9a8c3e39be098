"""Counter example in Chromium (Mode B): real clicks on +, -, Reset and the count they produce."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WAIT_MS = 5_000


def test_counter_clicks(page: Page, app_url: Callable[[str], str]) -> None:
    page.goto(app_url("counter"))
    count = page.locator("#count")
    expect(count).to_have_text("0", timeout=WAIT_MS)
    for button, want in (
        ("#increment", "1"),
        ("#increment", "2"),
        ("#decrement", "1"),
        ("#decrement", "0"),
        ("#decrement", "-1"),
        ("#reset", "0"),
        ("#increment", "1"),
    ):
        page.locator(button).click()
        expect(count).to_have_text(want, timeout=WAIT_MS)
    assert page.locator("button").all_inner_texts() == ["-", "+", "Reset"]
