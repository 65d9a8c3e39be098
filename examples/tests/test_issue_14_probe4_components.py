"""Issue 14, fourth probe of the components from outside: regressions found there, in real
Chromium with real keystrokes. The app is ``examples/tests/apps/probe4``.

- Tab or Shift+Tab from a menu item: in Mode A the menu's dismissal is applied before the key's
  default action and focus, returned to the menu button, went one element too far (Shift+Tab
  landed before the button) or, from a menu at the end of a dialog, out of the dialog (Tab).
- A dialog panel focused by a click on its text: Shift+Tab left the dialog (the focus trap only
  wrapped from its first or last tabbable element).
- ``Form(errors=...)`` replaced a field's own ``aria-describedby`` (a hint, a Tooltip).

Patterns: https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/ ("Tab: moves focus to the next
tabbable element inside the dialog; if focus is on the last one, moves focus to the first"),
https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import MODE_A_BOOT_TIMEOUT_MS
from focus import wait_active
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WAIT_MS = 5_000
APP = "tests/apps/probe4"



def open_dialog(page: Page) -> None:
    page.locator("#open").click()
    expect(page.locator("[role=dialog]")).to_be_visible(timeout=WAIT_MS)
    wait_active(page, "Close")


def open_menu(page: Page) -> None:
    page.locator("#pick-button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#pick-menu")).to_be_visible(timeout=WAIT_MS)
    wait_active(page, "One")


def menu_at_the_end_of_a_dialog(page: Page) -> None:
    open_dialog(page)
    open_menu(page)
    page.keyboard.press("ArrowDown")
    wait_active(page, "Two")
    page.keyboard.press("Tab")  # nothing tabbable after the menu: wraps to the dialog's first
    wait_active(page, "Close")
    expect(page.locator("#pick-menu")).to_have_count(0, timeout=WAIT_MS)
    open_menu(page)
    page.keyboard.press("Shift+Tab")  # the element before the menu: its button
    expect(page.locator("#pick-menu")).to_have_count(0, timeout=WAIT_MS)
    wait_active(page, "pick-button")
    page.keyboard.press("Shift+Tab")
    wait_active(page, "first")
    expect(page.locator("[role=dialog]")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("[role=dialog]")).to_have_count(0, timeout=WAIT_MS)
    wait_active(page, "open")
    expect(page.locator("#log")).to_have_text("choice=")


def test_issue_14_tab_and_shift_tab_leave_a_menu_at_the_end_of_a_dialog_inside_it(
    page: Page, app_url: Callable[[str], str]
) -> None:
    page.goto(app_url(APP))
    page.locator("#tw-root[data-tw-status=open]").wait_for(state="attached", timeout=WAIT_MS)
    menu_at_the_end_of_a_dialog(page)


def test_mode_a_issue_14_tab_and_shift_tab_leave_a_menu_at_the_end_of_a_dialog_inside_it(
    page: Page, wasm_url: Callable[[str], str]
) -> None:
    page.goto(wasm_url(APP))
    page.wait_for_selector("html[data-tw-ready]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
    menu_at_the_end_of_a_dialog(page)


def test_issue_14_shift_tab_from_the_clicked_dialog_panel_stays_in_the_dialog(
    page: Page, app_url: Callable[[str], str]
) -> None:
    page.goto(app_url(APP))
    page.locator("#tw-root[data-tw-status=open]").wait_for(state="attached", timeout=WAIT_MS)
    open_dialog(page)
    page.locator("#dialog-title").click()  # the panel (tabindex=-1) takes focus
    wait_active(page, "dialog")
    page.keyboard.press("Shift+Tab")  # nothing tabbable before the panel: wraps to the last
    wait_active(page, "pick-button")
    page.locator("#dialog-title").click()
    wait_active(page, "dialog")
    page.keyboard.press("Tab")
    wait_active(page, "Close")


DESCRIPTIONS = """() => {
  const described = (id) => (document.getElementById(id).getAttribute("aria-describedby") ?? "")
    .split(" ").filter(Boolean).map((ref) => document.getElementById(ref)?.textContent ?? `missing ${ref}`);
  return {email: described("email"), code: described("code")};
}"""


def test_issue_14_a_form_error_keeps_the_hint_and_the_tooltip_that_described_the_field(
    page: Page, app_url: Callable[[str], str]
) -> None:
    page.goto(app_url(APP))
    page.locator("#tw-root[data-tw-status=open]").wait_for(state="attached", timeout=WAIT_MS)
    assert page.evaluate(DESCRIPTIONS) == {"email": ["We never share it"], "code": ["Six digits"]}
    page.locator("#submit").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true", timeout=WAIT_MS)
    wait_active(page, "email")  # the first invalid field (the form behaviour)
    assert page.evaluate(DESCRIPTIONS) == {
        "email": ["We never share it", "Required"],
        "code": ["Six digits", "Required"],
    }
    page.keyboard.type("a@b.c")
    page.locator("#code").fill("123456")
    page.locator("#submit").click()
    expect(page.locator("#email")).not_to_have_attribute("aria-invalid", "true", timeout=WAIT_MS)
    assert page.evaluate(DESCRIPTIONS) == {"email": ["We never share it"], "code": ["Six digits"]}
