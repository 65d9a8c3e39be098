"""Keyboard behaviour of Dialog, Tabs, Menu and Tooltip in real Chromium (Mode B), as the WAI-ARIA
Authoring Practices patterns say: real keystrokes and clicks, asserting ``document.activeElement``
and the ARIA state (issue 14). The app is ``examples/tests/apps/overlay``.

Patterns: https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/,
https://www.w3.org/WAI/ARIA/apg/patterns/tabs/, https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/,
https://www.w3.org/WAI/ARIA/apg/patterns/tooltip/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import pytest
from axe import a11y_context_options, describe_contrast, low_contrast_text, run_axe
from conftest import MODE_A_BOOT_TIMEOUT_MS
from focus import wait_active
from playwright.sync_api import Browser, Page, expect

from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

pytestmark = pytest.mark.browser

WAIT_MS = 5_000
APP = "tests/apps/overlay"




@pytest.fixture
def app(page: Page, app_url: Callable[[str], str]) -> Page:
    page.goto(app_url(APP))
    expect(page.locator("#log")).to_have_text("closes=0 tab=one choice=", timeout=WAIT_MS)
    page.wait_for_function("document.documentElement.dataset.twStatus !== 'connecting'", timeout=WAIT_MS)
    return page


# -- Dialog ---------------------------------------------------------------------------------------


def test_dialog_focus_moves_in_traps_and_returns_on_escape(app: Page) -> None:
    page = app
    page.locator("#open-dialog").focus()
    page.keyboard.press("Enter")
    dialog = page.locator("[role=dialog]")
    expect(dialog).to_be_visible(timeout=WAIT_MS)
    assert dialog.get_attribute("aria-modal") == "true"
    assert (
        page.locator("#" + (dialog.get_attribute("aria-labelledby") or "none")).inner_text() == "Edit profile"
    )
    wait_active(page, "Close")  # the first tabbable element of the dialog
    for want in ("name", "cancel", "save", "Close", "name"):  # Tab cycles inside, wrapping
        page.keyboard.press("Tab")
        wait_active(page, want)
    for want in ("Close", "save", "cancel"):  # Shift+Tab too, wrapping backwards
        page.keyboard.press("Shift+Tab")
        wait_active(page, want)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#log")).to_have_text("closes=1 tab=one choice=", timeout=WAIT_MS)
    wait_active(page, "open-dialog")  # focus returns to the opener


def test_dialog_close_button_cancel_and_backdrop_return_focus(app: Page) -> None:
    page = app
    dialog = page.locator("[role=dialog]")
    for n, close in enumerate(("[aria-label=Close]", "#cancel", "backdrop"), start=1):
        page.locator("#open-dialog").click()
        expect(dialog).to_be_visible(timeout=WAIT_MS)
        wait_active(page, "Close")
        if close == "backdrop":
            page.mouse.click(8, 8)  # the backdrop covers the viewport outside the panel
        else:
            page.locator(close).click()
        expect(dialog).to_have_count(0, timeout=WAIT_MS)
        expect(page.locator("#log")).to_contain_text(f"closes={n} ", timeout=WAIT_MS)
        wait_active(page, "open-dialog")


def test_dialog_keeps_focus_inside_when_clicking_outside_the_panel_is_not_possible(app: Page) -> None:
    page = app
    page.locator("#open-dialog").click()
    expect(page.locator("[role=dialog]")).to_be_visible(timeout=WAIT_MS)
    wait_active(page, "Close")
    page.evaluate("document.getElementById('after').focus()")  # focus pushed out by script
    wait_active(page, "Close")  # ... is brought back into the dialog


INERT = """() => {
  const inert = (element) => element !== null && element.closest("[inert]") !== null;
  return {
    before: inert(document.getElementById("before")),
    name: inert(document.getElementById("name")),
    toasts: inert(document.querySelector("#toasts [role=status]")),
    count: document.querySelectorAll("[inert]").length,
  };
}"""
SCROLL = """() => ({
  y: scrollY,
  width: document.body.getBoundingClientRect().width,
  toaster: document.querySelector("#toasts > *")?.getBoundingClientRect().right ?? null,
  overflow: getComputedStyle(document.documentElement).overflowY,
  inline: document.documentElement.getAttribute("style"),
})"""


@pytest.fixture(scope="module")
def scrollbar_browser(browser: Browser) -> Iterator[Browser]:
    """A Chromium that draws classic scrollbars (Playwright hides them by default), so the
    scrollbar a locked page loses has a width to make up for."""
    b = browser.browser_type.launch(
        executable_path=chromium_executable(),
        args=list(CHROMIUM_ARGS),
        ignore_default_args=["--hide-scrollbars"],
    )
    yield b
    b.close()


def test_dialog_makes_the_page_inert_and_locks_its_scroll_then_gives_both_back(
    scrollbar_browser: Browser, app_url: Callable[[str], str]
) -> None:
    # The APG modal dialog: the content behind it is inert, and it does not scroll either.
    context = scrollbar_browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        scroll_lock(context.new_page(), app_url(APP))
    finally:
        context.close()


def scroll_lock(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#log")).to_have_text("closes=0 tab=one choice=", timeout=WAIT_MS)
    page.evaluate("document.body.style.minHeight = '300vh'")  # a page that scrolls
    before = page.evaluate(SCROLL)
    assert before["y"] == 0 and before["overflow"] != "hidden"
    assert page.evaluate("() => innerWidth - document.documentElement.clientWidth") > 0  # a scrollbar
    page.locator("#open-dialog").click()
    expect(page.locator("[role=dialog]")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_function(f"() => ({SCROLL})().overflow === 'hidden'", timeout=WAIT_MS)
    page.mouse.move(8, 8)  # over the backdrop
    page.mouse.wheel(0, 600)
    page.locator("#name").focus()  # the dialog keeps working while the page is locked
    assert page.evaluate(INERT) | {"count": 0} == {"before": True, "name": False, "toasts": False, "count": 0}
    locked = page.evaluate(SCROLL)
    assert locked["y"] == 0
    assert locked["width"] == before["width"]  # no sideways jump: the scrollbar keeps its place
    # Nor does a fixed element anchored to the right edge (the Toaster's region) move.
    assert before["toaster"] is not None and locked["toaster"] == before["toaster"]
    page.keyboard.press("Escape")
    expect(page.locator("[role=dialog]")).to_have_count(0, timeout=WAIT_MS)
    page.wait_for_function(f"() => ({SCROLL})().overflow !== 'hidden'", timeout=WAIT_MS)
    assert page.evaluate(SCROLL)["inline"] in (None, "")  # the inline style is as it was
    assert page.evaluate(INERT)["count"] == 0
    wait_active(page, "open-dialog")  # focus returns to the opener, no longer inert
    page.mouse.wheel(0, 600)
    page.wait_for_function("() => scrollY > 0", timeout=WAIT_MS)  # scrolls again


# -- Tabs -----------------------------------------------------------------------------------------


def tab(page: Page, n: int) -> str:
    return f"tabs-tab-{n}"


def test_tabs_roving_tabindex_arrows_home_end_with_automatic_activation(app: Page) -> None:
    page = app
    page.locator("#help").focus()
    page.keyboard.press("Tab")
    wait_active(page, tab(page, 0))  # Tab enters the tablist on the selected tab
    page.keyboard.press("ArrowRight")
    wait_active(page, tab(page, 1))
    expect(page.locator("#tabs-tab-1")).to_have_attribute("aria-selected", "true", timeout=WAIT_MS)
    expect(page.locator("#tabs-tab-0")).to_have_attribute("aria-selected", "false")
    expect(page.locator("#tabs-tab-1")).to_have_attribute("tabindex", "0")
    expect(page.locator("#tabs-tab-0")).to_have_attribute("tabindex", "-1")
    expect(page.locator("#panel-two-text")).to_be_visible()
    expect(page.locator("#tabs-panel-0")).to_be_hidden()
    page.keyboard.press("ArrowRight")  # skips the disabled tab
    wait_active(page, tab(page, 3))
    expect(page.locator("#log")).to_contain_text("tab=three", timeout=WAIT_MS)
    page.keyboard.press("ArrowRight")  # wraps to the first
    wait_active(page, tab(page, 0))
    page.keyboard.press("ArrowLeft")  # wraps to the last
    wait_active(page, tab(page, 3))
    page.keyboard.press("Home")
    wait_active(page, tab(page, 0))
    expect(page.locator("#log")).to_contain_text("tab=one", timeout=WAIT_MS)
    page.keyboard.press("End")
    wait_active(page, tab(page, 3))
    expect(page.locator("#tabs-tab-3")).to_have_attribute("aria-selected", "true", timeout=WAIT_MS)
    page.keyboard.press("Tab")  # Tab leaves the tablist for the selected panel
    wait_active(page, "tabs-panel-3")
    page.keyboard.press("Shift+Tab")
    wait_active(page, tab(page, 3))


# -- Menu -----------------------------------------------------------------------------------------


def open_menu(page: Page, key: str, first: str) -> None:
    page.locator("#actions-button").focus()
    page.keyboard.press(key)
    expect(page.locator("[role=menu]")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#actions-button")).to_have_attribute("aria-expanded", "true")
    wait_active(page, first)


@pytest.mark.parametrize(
    ("key", "first"), [("Enter", "Edit"), (" ", "Edit"), ("ArrowDown", "Edit"), ("ArrowUp", "Delete")]
)
def test_menu_opens_from_the_keyboard_on_the_first_or_last_item(app: Page, key: str, first: str) -> None:
    open_menu(app, "Space" if key == " " else key, first)


def test_menu_arrows_home_end_and_escape_returns_focus(app: Page) -> None:
    page = app
    open_menu(page, "Enter", "Edit")
    for key, want in (
        ("ArrowDown", "Copy"),
        ("ArrowDown", "Locked"),  # disabled items stay focusable (APG)
        ("ArrowDown", "Delete"),
        ("ArrowDown", "Edit"),  # wraps
        ("ArrowUp", "Delete"),  # wraps back
        ("Home", "Edit"),
        ("End", "Delete"),
    ):
        page.keyboard.press(key)
        wait_active(page, want)
    page.keyboard.press("Escape")
    expect(page.locator("[role=menu]")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#actions-button")).to_have_attribute("aria-expanded", "false")
    wait_active(page, "actions-button")
    expect(page.locator("#log")).to_have_text("closes=0 tab=one choice=")


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_menu_item_chosen_with_enter_or_space_runs_and_closes(app: Page, key: str) -> None:
    page = app
    open_menu(page, "ArrowDown", "Edit")
    page.keyboard.press("ArrowDown")
    wait_active(page, "Copy")
    page.keyboard.press(key)
    expect(page.locator("#log")).to_have_text("closes=0 tab=one choice=copy", timeout=WAIT_MS)
    expect(page.locator("[role=menu]")).to_have_count(0)
    wait_active(page, "actions-button")
    expect(page.locator("#toasts [role=status]")).to_contain_text("Chose copy", timeout=WAIT_MS)


def test_menu_disabled_item_does_nothing_and_click_outside_closes(app: Page) -> None:
    page = app
    open_menu(page, "ArrowUp", "Delete")
    page.keyboard.press("ArrowUp")
    wait_active(page, "Locked")
    page.keyboard.press("Enter")
    expect(page.locator("[role=menu]")).to_be_visible()
    page.locator("#log").click()
    expect(page.locator("[role=menu]")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#log")).to_have_text("closes=0 tab=one choice=")


def test_menu_item_click_runs_it(app: Page) -> None:
    page = app
    page.locator("#actions-button").click()
    page.get_by_role("menuitem", name="Delete").click()
    expect(page.locator("#log")).to_have_text("closes=0 tab=one choice=delete", timeout=WAIT_MS)
    expect(page.locator("[role=menu]")).to_have_count(0)


def test_menu_escape_then_click_outside_before_the_patch_dismiss_once(app: Page) -> None:
    # Both dismissals come before the host's patch closes the menu: the page sends one, or the
    # second could reach the host after it removed the menu's listener (unknown_handler).
    page = app
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    open_menu(page, "Enter", "Edit")
    sent = page.evaluate(
        """() => {
          let n = 0;
          document.addEventListener("tempestweb:dismiss", () => { n += 1; }, {capture: true});
          const item = document.activeElement;
          item.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
          document.getElementById("log").dispatchEvent(
            new PointerEvent("pointerdown", {bubbles: true, composed: true}));
          item.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
          return n;
        }"""
    )
    assert sent == 1
    expect(page.locator("[role=menu]")).to_have_count(0, timeout=WAIT_MS)
    open_menu(page, "Enter", "Edit")  # a dialog or menu shown again can be dismissed again
    page.keyboard.press("Escape")
    expect(page.locator("[role=menu]")).to_have_count(0, timeout=WAIT_MS)
    assert errors == []


def test_menu_type_ahead_moves_to_the_next_item_starting_with_the_typed_characters(app: Page) -> None:
    # https://www.w3.org/WAI/ARIA/apg/patterns/menubar/: "any key that corresponds to a printable
    # character: moves focus to the next item in the current menu whose label begins with it".
    page = app
    page.locator("#file-button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#file-menu")).to_be_visible(timeout=WAIT_MS)
    wait_active(page, "Open")
    for key, want in (
        ("s", "Save"),
        ("s", "Save as"),  # the same character again: the next item starting with it
        ("s", "Share"),
        ("s", "Save"),  # wraps past Print, Preview and Open
        ("Home", "Open"),  # a key that moves ends the prefix
        ("p", "Print"),
        ("p", "Preview"),
        ("End", "Preview"),
        ("Shift+O", "Open"),  # case-insensitive, wrapping
        ("Home", "Open"),
        ("z", "Open"),  # no item starts with it: focus stays
    ):
        page.keyboard.press(key)
        wait_active(page, want)
    page.keyboard.press("End")
    page.keyboard.type("sh")  # typed in a row: one prefix, past "Save" and "Save as"
    wait_active(page, "Share")
    page.keyboard.press("Enter")
    expect(page.locator("#log")).to_have_text("closes=0 tab=one choice=share", timeout=WAIT_MS)
    expect(page.locator("#file-menu")).to_have_count(0)
    wait_active(page, "file-button")


# -- Tooltip --------------------------------------------------------------------------------------


def test_tooltip_on_focus_and_hover_and_escape_hides_it(app: Page) -> None:
    page = app
    tip = page.locator("#help-tip")
    expect(tip).to_be_hidden()
    assert page.locator("#help").get_attribute("aria-describedby") == "help-tip"
    page.locator("#before").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    wait_active(page, "help")
    expect(tip).to_be_visible(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden(timeout=WAIT_MS)
    page.keyboard.press("Shift+Tab")  # focus leaves: the next focus or hover shows it again
    page.keyboard.press("Tab")
    expect(tip).to_be_visible(timeout=WAIT_MS)
    page.keyboard.press("Tab")
    page.mouse.move(1, 1)
    expect(tip).to_be_hidden(timeout=WAIT_MS)
    page.locator("#help").hover()
    expect(tip).to_be_visible(timeout=WAIT_MS)


# -- the default Toaster: notify() from a view without one -----------------------------------------

TOASTS_APP = "tests/apps/toasts"


def default_toaster(page: Page) -> None:
    """The toasts of ``examples/tests/apps/toasts`` (no Toaster in its view) show and close."""
    region = page.locator("#tw-root > [role=region][aria-label=Notifications]")
    expect(page.locator("#page")).to_be_visible(timeout=WAIT_MS)
    expect(region).to_have_count(0)  # nothing until a toast needs it
    page.locator("#save").click()
    expect(region).to_have_count(1, timeout=WAIT_MS)  # after the view, under the mount element
    expect(region.locator("[role=status]")).to_have_text("DoneSaved\u00d7", timeout=WAIT_MS)
    page.locator("#open-dialog").click()  # a toast from inside a modal dialog is not inert
    expect(page.locator("[role=dialog]")).to_be_visible(timeout=WAIT_MS)
    wait_active(page, "Close")
    page.locator("#fail").click()
    expect(region.locator("[role=alert]")).to_have_text("Could not send\u00d7", timeout=WAIT_MS)
    assert (
        page.evaluate("() => document.querySelector('#tw-root > [role=region]').closest('[inert]')") is None
    )
    page.keyboard.press("Escape")
    expect(page.locator("[role=dialog]")).to_have_count(0, timeout=WAIT_MS)
    region.locator("[role=alert] button").click()
    expect(region.locator("[role=alert]")).to_have_text("", timeout=WAIT_MS)
    expect(region).to_have_count(1)  # its live regions stay for the next toast


def test_notify_without_a_toaster_shows_in_the_default_one(page: Page, app_url: Callable[[str], str]) -> None:
    page.goto(app_url(TOASTS_APP))
    page.locator("#tw-root[data-tw-status=open]").wait_for(state="attached", timeout=WAIT_MS)
    default_toaster(page)


def test_mode_a_notify_without_a_toaster_shows_in_the_default_one(
    page: Page, wasm_url: Callable[[str], str]
) -> None:
    page.goto(wasm_url(TOASTS_APP))
    page.wait_for_selector("html[data-tw-ready]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
    default_toaster(page)


# -- accessibility of the open states (axe-core + text contrast, light and dark) ------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_overlays_have_no_serious_axe_violation(
    browser: Browser, app_url: Callable[[str], str], scheme: Literal["light", "dark"]
) -> None:
    context = browser.new_context(**a11y_context_options(scheme))
    try:
        page = context.new_page()
        page.goto(app_url(APP))
        expect(page.locator("#log")).to_have_text("closes=0 tab=one choice=", timeout=WAIT_MS)
        page.locator("#actions-button").click()
        page.get_by_role("menuitem", name="Copy").click()  # a success toast
        page.locator("#actions-button").click()  # the menu open
        expect(page.locator("[role=menu]")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("#toasts [role=status]")).to_contain_text("Chose copy", timeout=WAIT_MS)
        for where in ("menu and toast", "dialog"):
            if where == "dialog":
                page.keyboard.press("Escape")
                page.locator("#open-dialog").click()
                expect(page.locator("[role=dialog]")).to_be_visible(timeout=WAIT_MS)
            report = run_axe(page)
            assert not report.blocking(), f"{scheme}, {where}:\n{report.describe()}"
            failures = low_contrast_text(page)
            assert not failures, f"{scheme}, {where}: text below 4.5:1\n{describe_contrast(failures)}"
    finally:
        context.close()


# -- Mode A: the same client behaviours and Python state under Pyodide ----------------------------


def test_mode_a_menu_dialog_and_a_toast_that_dismisses_itself(
    page: Page, wasm_url: Callable[[str], str]
) -> None:
    page.goto(wasm_url(APP))
    page.wait_for_selector("html[data-tw-ready]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
    open_menu(page, "ArrowDown", "Edit")
    page.keyboard.press("Enter")
    status = page.locator("#toasts [role=status]")
    expect(status).to_contain_text("Chose edit", timeout=WAIT_MS)
    wait_active(page, "actions-button")
    # notify()'s default duration (5 s) runs out on Pyodide's event loop: the toast leaves by a patch.
    expect(status).to_have_text("", timeout=4 * WAIT_MS)
    page.locator("#open-dialog").click()
    expect(page.locator("[role=dialog]")).to_be_visible(timeout=WAIT_MS)
    wait_active(page, "Close")
    page.keyboard.press("Shift+Tab")
    wait_active(page, "save")
    page.keyboard.press("Escape")
    expect(page.locator("[role=dialog]")).to_have_count(0, timeout=WAIT_MS)
    wait_active(page, "open-dialog")
    expect(page.locator("#log")).to_have_text("closes=1 tab=one choice=edit")
