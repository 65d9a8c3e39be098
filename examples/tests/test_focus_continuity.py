"""Keyboard focus is never dropped to ``<body>`` by the person's own action, in real Chromium.

The client's focus continuity rule (``client/src/behaviors.js``, ``client/src/focus.js``; WCAG
2.4.3 Focus Order) and the components that keep focus where they can (a Table page button that
cannot act is ``aria-disabled``, not ``disabled``), driven through the gallery in Mode B and
TodoMVC in Mode B and Mode A with real keystrokes and pointer moves; plus the Tooltip that stays
while the pointer moves onto it (WCAG 1.4.13 Hoverable). Each test is named after the a11y
probe's defect it fixes (``/tmp/probe_a``: form_focus_loss, drawer_escape_focus,
toast_dismiss_focus, pagination_focus, tooltip_hoverable, todomvc_edit).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe import a11y_context_options, run_axe
from conftest import MODE_A_BOOT_TIMEOUT_MS
from focus import wait_active
from playwright.sync_api import Browser, Page, expect
from todomvc_driver import open_app

pytestmark = pytest.mark.browser

WAIT_MS = 10_000
READY_TIMEOUT_MS = 30_000



def open_gallery(page: Page, url: str) -> Page:
    page.goto(url)
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=READY_TIMEOUT_MS)
    return page


@pytest.fixture
def gallery(page: Page, app_url: Callable[[str], str]) -> Page:
    return open_gallery(page, app_url("gallery"))


# -- focus continuity (behaviors.js) ---------------------------------------------------------------


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_issue_form_focus_loss_submit_keeps_focus_when_the_button_is_re_rendered(
    gallery: Page, key: str
) -> None:
    # The invalid submit re-renders the form: a new #signup-submit replaces the focused one.
    # A Form's own rule (test_a11y_probe3) sends focus on to the first invalid field; without it
    # (a raw html.form, emulated by taking the behaviour attribute off) focus stays on the button.
    page = gallery
    page.locator("#signup").evaluate("form => form.removeAttribute('data-tw-behavior')")
    button = page.locator("#signup-submit")
    button.focus()
    old = button.element_handle()
    page.keyboard.press(key)
    expect(page.locator("#signup-name-error")).to_be_visible(timeout=WAIT_MS)
    wait_active(page, "signup-submit")  # the element with the same id
    assert not page.evaluate("old => old.isConnected", old)  # it was a new button indeed


def test_issue_drawer_escape_focus_returns_to_the_menu_button(
    browser: Browser, app_url: Callable[[str], str]
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        page = open_gallery(context.new_page(), app_url("gallery"))
        nav = page.locator("#gallery-nav")
        menu = page.get_by_role("button", name="Menu")
        assert menu.get_attribute("aria-controls") == "gallery-nav"
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true", timeout=WAIT_MS)
        nav.get_by_role("link").first.focus()
        page.keyboard.press("Escape")
        expect(menu).to_have_attribute("aria-expanded", "false", timeout=WAIT_MS)
        expect(nav).to_be_hidden()
        wait_active(page, "Menu")  # the control whose aria-controls names the drawer
    finally:
        context.close()


def test_issue_toast_dismiss_focus_goes_back_to_the_control_used_before(gallery: Page) -> None:
    page = gallery
    page.locator("#toast-danger").focus()
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert").filter(has_text="Payment failed")
    expect(alert).to_have_count(1, timeout=WAIT_MS)
    page.get_by_role("alert").get_by_role("button", name="Dismiss notification").focus()
    page.keyboard.press("Enter")
    expect(alert).to_have_count(0, timeout=WAIT_MS)
    wait_active(page, "toast-danger")  # the newest element of the focus history still shown
    page.keyboard.press("Tab")  # the next Tab goes on from there, not from the top of the page
    after = "e => !!(e.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)"
    assert page.locator("#toast-danger").evaluate(after)

    # Only the person's own action on the focused element moves focus: a dismiss button left
    # for a press on no control, then removed by something else (a script, a timer), is not
    # followed.
    page.locator("#toast-danger").click()
    expect(alert).to_have_count(1, timeout=WAIT_MS)
    page.get_by_role("alert").get_by_role("button", name="Dismiss notification").focus()
    # Not focusable and outside <main> (whose tabindex=-1, the skip link's target, takes a
    # click on its content): focus leaves for <body>.
    page.locator("header h1").click()
    wait_active(page, "body")
    page.evaluate("document.querySelector('[role=alert] button').click()")
    expect(alert).to_have_count(0, timeout=WAIT_MS)  # the patch and its mutation callback ran
    wait_active(page, "body")


# -- Table pagination: a page button that cannot act keeps focus ------------------------------------


def test_issue_pagination_focus_page_buttons_keep_focus_at_either_end(gallery: Page) -> None:
    page = gallery
    team = page.locator("#demo-team")
    status = team.locator("nav [aria-live]")
    for name, want in (
        ("Next page", "Page 2 of 2"),
        ("Next page", "Page 2 of 2"),  # now unable to act: nothing happens, focus stays
        ("Previous page", "Page 1 of 2"),
        ("Last page", "Page 2 of 2"),
        ("First page", "Page 1 of 2"),
    ):
        button = team.get_by_role("button", name=name)
        button.focus()
        page.keyboard.press("Enter")
        expect(status).to_have_text(want, timeout=WAIT_MS)
        expect(button).to_have_attribute("aria-disabled", "true", timeout=WAIT_MS)
        assert button.get_attribute("disabled") is None
        wait_active(page, name)
    opacity = team.get_by_role("button", name="First page").evaluate("e => getComputedStyle(e).opacity")
    assert float(opacity) < 1  # it looks disabled ([aria-disabled=true] styled as :disabled)


# -- Tooltip: hoverable (WCAG 1.4.13) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "tip"), [("#tip-copy-trigger", "#tip-copy"), ("#demo-edit", "#demo-edit-tip")]
)
def test_issue_tooltip_hoverable_stays_while_the_pointer_moves_onto_it(
    gallery: Page, trigger: str, tip: str
) -> None:
    page = gallery
    trigger_el, tip_el = page.locator(trigger), page.locator(tip)
    trigger_el.scroll_into_view_if_needed()
    trigger_el.hover()
    expect(tip_el).to_be_visible(timeout=WAIT_MS)
    t, b = trigger_el.bounding_box(), tip_el.bounding_box()
    assert t is not None and b is not None
    # from the trigger's centre to the tooltip's, through whatever lies between, pixel by pixel
    start = (t["x"] + t["width"] / 2, t["y"] + t["height"] / 2)
    end = (b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    page.mouse.move(*start)
    steps = max(2, int(abs(end[1] - start[1])))
    for i in range(1, steps + 1):
        page.mouse.move(
            start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps
        )
        assert tip_el.is_visible(), f"the tooltip hid at step {i} of {steps}"
    assert tip_el.evaluate("(e, [x, y]) => e.contains(document.elementFromPoint(x, y))", list(end))
    page.keyboard.press("Escape")  # still dismissible
    expect(tip_el).to_be_hidden(timeout=WAIT_MS)
    page.mouse.move(2, 2)  # leaving resets it; hovering shows it again
    trigger_el.hover()
    expect(tip_el).to_be_visible(timeout=WAIT_MS)
    page.mouse.move(2, 2)
    expect(tip_el).to_be_hidden(timeout=WAIT_MS)


# -- TodoMVC: a named edit field, a keyboard way into it, focus back on the todo ---------------------


@pytest.fixture(params=["mode-b", "mode-a"])
def todomvc(
    request: pytest.FixtureRequest, page: Page, app_url: Callable[[str], str], wasm_url: Callable[[str], str]
) -> Page:
    if request.param == "mode-b":
        open_app(page, app_url("todomvc"))
    else:
        open_app(page, wasm_url("todomvc"), ready_timeout_ms=MODE_A_BOOT_TIMEOUT_MS)
    field = page.locator("input.new-todo")
    for title in ("Buy milk", "Write report"):
        field.fill(title)
        field.press("Enter")
    expect(page.locator(".todo-list > li")).to_have_count(2, timeout=WAIT_MS)
    return page


def test_issue_todomvc_edit_by_keyboard_and_focus_back_on_the_todo(todomvc: Page) -> None:
    page = todomvc
    item = page.locator(".todo-list > li").nth(1)
    toggle = item.locator("input.toggle")
    for key in ("F2", "Enter"):
        toggle.focus()
        page.keyboard.press(key)  # the keyboard way into edit mode
        edit = page.get_by_role("textbox", name="Edit todo")  # the edit field has a name
        expect(edit).to_be_focused(timeout=WAIT_MS)
        expect(item).to_have_class("editing")
        expect(toggle).not_to_be_checked()  # Enter on the checkbox did not toggle it
        page.keyboard.press("Escape")
        expect(item).not_to_have_class("editing", timeout=WAIT_MS)
        wait_active(page, "Write report")  # back on the todo's checkbox (named by its title)
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Edit todo")).to_be_focused(timeout=WAIT_MS)
    page.keyboard.type(" now")
    page.keyboard.press("Enter")
    expect(item.locator("label")).to_have_text("Write report now", timeout=WAIT_MS)
    wait_active(page, "Write report now")  # saved: on the checkbox again


def test_issue_todomvc_double_click_edit_then_escape_focuses_the_todo(todomvc: Page) -> None:
    page = todomvc
    item = page.locator(".todo-list > li").first
    item.locator("label").dblclick()
    expect(page.get_by_role("textbox", name="Edit todo")).to_be_focused(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(item).not_to_have_class("editing", timeout=WAIT_MS)
    wait_active(page, "Buy milk")


def test_issue_todomvc_edit_field_has_no_axe_violation(
    browser: Browser, app_url: Callable[[str], str]
) -> None:
    context = browser.new_context(**a11y_context_options("light"))
    try:
        page = context.new_page()
        open_app(page, app_url("todomvc"))
        page.locator("input.new-todo").fill("Buy milk")
        page.locator("input.new-todo").press("Enter")
        page.locator(".todo-list label").dblclick()
        expect(page.locator("input.edit")).to_be_focused(timeout=WAIT_MS)
        report = run_axe(page)
        assert not report.blocking(), report.describe()
    finally:
        context.close()
