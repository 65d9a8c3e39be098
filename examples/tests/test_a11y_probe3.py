"""The third accessibility pass (issue 14), in real Chromium, Mode B and Mode A.

Each test is named after the defect it found:

- WCAG 2.2.1 Timing Adjustable: a toast dismissed itself after 5 s while the pointer was over it
  or focus was inside it (Radix Toast and Sonner pause the timer then and resume it with the time
  left). Now the ``toaster`` behaviour sends one pause and one resume event per transition (never
  one per pointer move) and the timers stop in Python, the same in every mode.
- Escape with focus in a toast did nothing (Radix Toast: Escape closes the focused toast).
- Every toast's close button was named "Dismiss notification": a screen reader's list of buttons
  could not tell them apart. Each name now quotes its toast's title or message, bounded.
- The AppShell had no skip link (WCAG 2.4.1 Bypass Blocks): a keyboard user tabbed through the
  header and the whole navigation on every page.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Literal

import pytest
from axe import a11y_context_options, describe_contrast, low_contrast_text, run_axe
from conftest import MODE_A_BOOT_TIMEOUT_MS
from playwright.sync_api import Browser, Page, WebSocket, expect
from test_a11y_probe2 import _open  # a page of a fresh context, once the client is open

pytestmark = pytest.mark.browser

WAIT_MS = 10_000
READY_TIMEOUT_MS = 30_000
TOAST_S = 5.0  # the gallery's info and success toasts (notify's default duration)
PAUSE = "tempestweb:pause"
RESUME = "tempestweb:resume"


class Sent:
    """The names of the events the page sent over its WebSocket (Mode B)."""

    def __init__(self, page: Page) -> None:
        self.names: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, ws: WebSocket) -> None:
        ws.on("framesent", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            return
        messages = message if isinstance(message, list) else [message]
        for m in messages:
            if isinstance(m, dict) and isinstance(m.get("name"), str):
                self.names.append(m["name"])


@pytest.fixture
def gallery(browser: Browser, app_url: Callable[[str], str]) -> Iterator[tuple[Page, Sent]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    sent = Sent(page)
    page.goto(app_url("gallery"))
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=READY_TIMEOUT_MS)
    yield page, sent
    context.close()


MARKED = """(region) => {
  window.twMarked = false;
  new MutationObserver(() => {
    if (region.classList.contains("tw-loading")) window.twMarked = true;
  }).observe(region, {attributes: true, attributeFilter: ["class"]});
}"""


def _hover_pauses_and_leaving_resumes(page: Page, sent: Sent | None) -> None:
    page.locator("#toast-success").click()
    toast = page.locator("[data-tw-behavior=toast]").filter(has_text="Changes saved.")
    expect(toast).to_have_count(1, timeout=WAIT_MS)
    box = toast.bounding_box()
    assert box is not None
    page.get_by_role("region", name="Notifications").evaluate(MARKED)
    shown = time.monotonic()
    for i in range(20):  # a person reading it: the pointer moves about over the toast
        page.mouse.move(box["x"] + 10 + i * (box["width"] - 20) / 20, box["y"] + box["height"] / 2)
    page.wait_for_timeout(int((TOAST_S + 1.5) * 1000 - (time.monotonic() - shown) * 1000))
    expect(toast).to_have_count(1)  # 6.5 s later, still there: its timer is stopped
    if sent is not None:
        assert sent.names.count(PAUSE) == 1 and RESUME not in sent.names, sent.names
    page.mouse.move(5, 5)  # away: the timer goes on with what it had left (nearly all of it)
    expect(toast).to_have_count(0, timeout=int(TOAST_S * 1000) + WAIT_MS)
    if sent is not None:
        assert sent.names.count(PAUSE) == 1 and sent.names.count(RESUME) == 1, sent.names
    # Nobody waits on a pause: the region never showed the loading mark (cursor: progress).
    assert page.evaluate("() => window.twMarked") is False


def test_issue_toast_under_the_pointer_does_not_dismiss_itself(gallery: tuple[Page, Sent]) -> None:
    page, sent = gallery
    _hover_pauses_and_leaving_resumes(page, sent)


def test_issue_toast_with_focus_inside_does_not_dismiss_itself_and_escape_closes_it(
    gallery: tuple[Page, Sent],
) -> None:
    page, sent = gallery
    page.locator("#toast-info").focus()
    page.keyboard.press("Enter")
    page.locator("#toast-success").focus()
    page.keyboard.press("Enter")
    info = page.locator("[data-tw-behavior=toast]").filter(has_text="A new version")
    success = page.locator("[data-tw-behavior=toast]").filter(has_text="Changes saved.")
    expect(success).to_have_count(1, timeout=WAIT_MS)
    page.mouse.move(5, 5)
    info.get_by_role("button").focus()
    page.keyboard.press("Tab")  # from one toast to the next: still inside, nothing is sent
    expect(success.get_by_role("button")).to_be_focused()
    page.wait_for_timeout(int((TOAST_S + 1.5) * 1000))
    expect(info).to_have_count(1)
    expect(success).to_have_count(1)
    assert sent.names.count(PAUSE) == 1 and RESUME not in sent.names, sent.names
    page.keyboard.press("Escape")  # Radix Toast: Escape closes the toast focus is in
    expect(success).to_have_count(0, timeout=WAIT_MS)
    expect(info.get_by_role("button")).to_be_focused(timeout=WAIT_MS)  # focus continuity: next toast
    page.keyboard.press("Escape")
    expect(info).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#toast-success")).to_be_focused(timeout=WAIT_MS)  # back where it was
    page.keyboard.press("Enter")  # a new toast while focus is outside: its timer runs
    expect(success).to_have_count(1, timeout=WAIT_MS)
    expect(success).to_have_count(0, timeout=int(TOAST_S * 1000) + WAIT_MS)
    assert sent.names.count(PAUSE) == 1 and sent.names.count(RESUME) == 1, sent.names


def test_issue_each_toast_close_button_names_its_toast(gallery: tuple[Page, Sent]) -> None:
    page, _ = gallery
    for tone in ("info", "success", "warning", "danger"):
        page.locator(f"#toast-{tone}").click()
    region = page.get_by_role("region", name="Notifications")
    expect(region.get_by_role("button")).to_have_count(4, timeout=WAIT_MS)
    names = region.get_by_role("button").evaluate_all("els => els.map((b) => b.getAttribute('aria-label'))")
    assert len(set(names)) == 4, names
    assert "Dismiss notification: A new version is available." in names, names
    assert "Dismiss notification: Payment failed: the card was declined." in names, names
    saved = region.get_by_role("button", name="Dismiss notification: Changes saved.", exact=True)
    expect(saved).to_have_count(1)


def test_mode_a_toast_pauses_under_the_pointer_and_escape_closes_it(
    page: Page, wasm_url: Callable[[str], str]
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(wasm_url("gallery"))
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
    expect(page.locator("#toast-success")).to_be_visible(timeout=MODE_A_BOOT_TIMEOUT_MS)
    _hover_pauses_and_leaving_resumes(page, None)
    page.locator("#toast-info").focus()
    page.keyboard.press("Enter")
    close = page.get_by_role("button", name="Dismiss notification: A new version is available.")
    expect(close).to_have_count(1, timeout=WAIT_MS)
    close.focus()
    page.keyboard.press("Escape")
    expect(close).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#toast-info")).to_be_focused(timeout=WAIT_MS)


def test_toast_closed_under_the_pointer_does_not_leave_the_toasts_paused(gallery: tuple[Page, Sent]) -> None:
    # The closed toast goes from under the pointer: the region must not stay "hovered" (Chromium
    # sends no pointerleave for a removed element), or no later toast would ever go by itself.
    page, sent = gallery
    page.locator("#toast-success").click()
    close = page.get_by_role("button", name="Dismiss notification: Changes saved.")
    expect(close).to_have_count(1, timeout=WAIT_MS)
    close.click()
    expect(close).to_have_count(0, timeout=WAIT_MS)
    page.mouse.move(5, 5)
    page.locator("#toast-info").focus()
    page.keyboard.press("Enter")
    info = page.locator("[data-tw-behavior=toast]").filter(has_text="A new version")
    expect(info).to_have_count(1, timeout=WAIT_MS)
    expect(info).to_have_count(0, timeout=int(TOAST_S * 1000) + WAIT_MS)
    assert sent.names.count(PAUSE) == sent.names.count(RESUME), sent.names


@pytest.mark.parametrize("mode", ["B", "A"])
def test_issue_a_prerendered_listener_whose_name_has_a_colon_hydrates(
    page: Page, app_url: Callable[[str], str], wasm_url: Callable[[str], str], mode: str
) -> None:
    # The toaster region is prerendered listening to tempestweb:pause/resume; the client split
    # `data-tw-on="tempestweb:pause:2"` at the first colon, failed hydration ("invalid listener")
    # and, in Mode A, showed an empty page.
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "hydration" in m.text else None)
    page.goto(app_url("gallery") if mode == "B" else wasm_url("gallery"))
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
    expect(page.locator("#toast-success")).to_be_visible(timeout=WAIT_MS)
    page.locator("#toast-success").click()
    close = page.get_by_role("button", name="Dismiss notification: Changes saved.")
    expect(close).to_have_count(1, timeout=WAIT_MS)
    assert not problems, problems


# -- 2.4.1 Bypass Blocks: the AppShell's skip link -----------------------------------------------

SKIP = """() => {
  const a = document.activeElement;
  const r = a.getBoundingClientRect();
  return {tag: a.tagName, text: (a.textContent || "").trim(), href: a.getAttribute("href"),
          inView: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.width > 0 && r.height > 0};
}"""

INSIDE_MAIN = "() => !!document.activeElement.closest('main') && document.activeElement.tagName !== 'MAIN'"


def _skip_link_bypasses_header_and_navigation(page: Page) -> None:
    link = page.get_by_role("link", name="Skip to main content")
    expect(link).to_have_count(1)
    box = link.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 0, box  # out of sight until focused
    page.keyboard.press("Tab")  # the first tab stop of the page
    state = page.evaluate(SKIP)
    assert state["tag"] == "A" and state["text"] == "Skip to main content", state
    assert state["inView"], state  # shown while focused (WCAG 2.4.7)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused(timeout=WAIT_MS)
    page.keyboard.press("Tab")  # on inside the content: past the header and the navigation
    assert page.evaluate(INSIDE_MAIN), page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    link.evaluate("a => a.blur()")
    box = link.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 0, box  # hidden again


@pytest.mark.parametrize("width", [1280, 375])
def test_issue_app_shell_has_a_skip_link_to_the_main_content(
    browser: Browser, app_url: Callable[[str], str], width: int
) -> None:
    for page in _open(browser, app_url("gallery"), viewport={"width": width, "height": 800}):
        _skip_link_bypasses_header_and_navigation(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focused_skip_link_passes_axe_and_text_contrast(
    browser: Browser, app_url: Callable[[str], str], scheme: Literal["light", "dark"]
) -> None:
    for page in _open(browser, app_url("gallery"), **a11y_context_options(scheme)):
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
        report = run_axe(page)
        assert not report.blocking(), report.describe()
        failures = low_contrast_text(page)
        assert not failures, describe_contrast(failures)


def test_mode_a_app_shell_skip_link(page: Page, wasm_url: Callable[[str], str]) -> None:
    page.goto(wasm_url("gallery"))
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
    expect(page.locator("#toast-success")).to_be_visible(timeout=WAIT_MS)
    _skip_link_bypasses_header_and_navigation(page)


# -- 3.3.1 Error Identification: focus goes to the first invalid field after a failed submit -----


def _failed_submit_focuses_the_first_invalid_field(page: Page) -> None:
    page.locator("#signup-submit").focus()
    page.keyboard.press("Enter")  # everything empty: all four fields are invalid
    expect(page.locator("#signup-name")).to_have_attribute("aria-invalid", "true", timeout=WAIT_MS)
    expect(page.locator("#signup-name")).to_be_focused(timeout=WAIT_MS)  # was: the submit button
    described = page.locator("#signup-name").evaluate(
        "e => document.getElementById(e.getAttribute('aria-describedby')).textContent"
    )
    assert "full name" in described, described
    page.keyboard.type("Ada Lovelace")
    page.keyboard.press("Enter")  # implicit submission from the field: the email is next
    expect(page.locator("#signup-email")).to_be_focused(timeout=WAIT_MS)
    expect(page.locator("#signup-name")).not_to_have_attribute("aria-invalid", "true")
    # Errors that appear without a submit (nobody asked) do not move focus: typing stays put.
    page.keyboard.type("ada")
    page.wait_for_timeout(300)
    expect(page.locator("#signup-email")).to_be_focused()


def test_issue_a_failed_submit_moves_focus_to_the_first_invalid_field(
    browser: Browser, app_url: Callable[[str], str]
) -> None:
    for page in _open(browser, app_url("gallery"), viewport={"width": 1280, "height": 900}):
        _failed_submit_focuses_the_first_invalid_field(page)


def test_mode_a_a_failed_submit_moves_focus_to_the_first_invalid_field(
    page: Page, wasm_url: Callable[[str], str]
) -> None:
    page.goto(wasm_url("gallery"))
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
    expect(page.locator("#signup-submit")).to_be_visible(timeout=WAIT_MS)
    _failed_submit_focuses_the_first_invalid_field(page)
