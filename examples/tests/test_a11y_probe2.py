"""WCAG checks axe-core does not make, in real Chromium on the gallery (Mode B), light and dark.

Each test is named after the defect the second accessibility probe (``/tmp/probe_e``) found:

- forced colors (Windows High Contrast, emulated with ``forced_colors="active"``): Chromium drops
  every ``box-shadow`` and paints every colour, a transparent one included, in a system colour.
  The components drew their focus ring as a box shadow with ``outline: none``, so menu buttons,
  tabs, table header and page buttons, the upload button and toast close buttons showed no focus
  at all (WCAG 2.4.7, 1.4.11); the unselected tabs' transparent bottom border became as visible as
  the selected tab's, so which tab is selected could not be seen; and the Switch, drawn with a
  background colour and a gradient knob, was not drawn at all.
- WCAG 2.2 SC 2.4.11 Focus Not Obscured (Minimum): Shift+Tab up through a scrolled table's row
  checkboxes scrolled the focused one to the top edge of the scroll box, entirely under the
  sticky header row.
- Escape in a Menu inside a Dialog closed the dialog too (the menu's dismissal bubbled on to the
  dialog's listener; APG: Escape closes the menu only and focus returns to its button), and in a
  Dialog opened from a Dialog's content it closed both; with that fixed, the outer dialog's
  content stayed inert after the inner one closed, so focus could not return to its opener.
  The app is ``examples/tests/apps/nested``.
- WCAG 2.4.3 Focus Order: a toast whose close button had focus, dismissed by its own timer, left
  focus on ``<body>`` (focus continuity ignored removals nobody acted on). Since the third pass
  the timer stops while focus is inside a toast, so the test removes it by a script's dismissal.
- WCAG 1.4.10 Reflow: at 320 CSS px a table's ``width=None`` column (``minmax(0, 1fr)``) shrank
  to nothing beside fixed-width columns and its padded cells spilled over the next column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import pytest
from conftest import MODE_A_BOOT_TIMEOUT_MS
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

WAIT_MS = 10_000
READY_TIMEOUT_MS = 30_000
Scheme = Literal["light", "dark"]

FOCUSED = """() => {
  const a = document.activeElement;
  if (a === null || a === document.body) return null;
  const cs = getComputedStyle(a);
  const name = a.id || a.getAttribute("aria-label") || (a.textContent || "").trim().slice(0, 30) || a.tagName;
  return {
    name: `${a.tagName.toLowerCase()} ${name}`,
    visible: a.matches(":focus-visible"),
    outline: cs.outlineStyle,
    width: Number.parseFloat(cs.outlineWidth),
    color: cs.outlineColor,
  };
}"""


def _open(browser: Browser, url: str, **options: object) -> Iterator[Page]:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=READY_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture(params=["light", "dark"])
def forced(request: pytest.FixtureRequest, browser: Browser, app_url: Callable[[str], str]) -> Iterator[Page]:
    """The gallery in forced colors mode, with the light or dark system scheme."""
    scheme: Scheme = request.param
    yield from _open(
        browser,
        app_url("gallery"),
        viewport={"width": 1280, "height": 900},
        color_scheme=scheme,
        forced_colors="active",
        reduced_motion="reduce",
    )


def _transparent(color: str) -> bool:
    return color == "transparent" or color.replace(" ", "").endswith(",0)")


def _indicator_problem(info: dict[str, object]) -> str | None:
    """Why the focused element shows no focus indicator in forced colors (box shadows are gone)."""
    if not info["visible"]:
        return None  # not a keyboard focus (a native control's inner part draws its own)
    if info["outline"] == "none" or float(str(info["width"])) < 1:
        return f"outline {info['outline']} {info['width']}px"
    if _transparent(str(info["color"])):
        return f"outline colour {info['color']}"
    return None


def test_issue_forced_colors_every_control_reached_by_tab_shows_a_focus_indicator(forced: Page) -> None:
    page = forced
    problems: dict[str, str] = {}
    seen: list[str] = []
    for _ in range(150):  # the gallery has about 90 tab stops
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info is None:
            continue
        if seen and info["name"] == seen[0] and len(seen) > 5:
            break  # wrapped around
        seen.append(info["name"])
        problem = _indicator_problem(info)
        if problem is not None:
            problems.setdefault(info["name"], problem)
    # Controls only an open overlay has: the menu's items, the toasts' close buttons.
    page.locator("#demo-menu-button").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("menu")).to_be_visible(timeout=WAIT_MS)
    for _ in range(2):
        page.keyboard.press("ArrowDown")
        info = page.evaluate(FOCUSED)
        assert info is not None and info["name"].startswith("div "), info
        seen.append(info["name"])
        if (problem := _indicator_problem(info)) is not None:
            problems.setdefault(info["name"], problem)
    page.keyboard.press("Escape")
    page.locator("#toast-info").focus()
    page.keyboard.press("Enter")
    close = page.get_by_role("button", name="Dismiss notification").first
    expect(close).to_be_visible(timeout=WAIT_MS)
    close.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # a keyboard move, so the button matches :focus-visible
    info = page.evaluate(FOCUSED)
    assert info is not None and "Dismiss notification" in info["name"], info
    if (problem := _indicator_problem(info)) is not None:
        problems.setdefault(info["name"], problem)
    assert len(seen) > 60, seen
    assert not problems, "no focus indicator in forced colors:\n" + "\n".join(
        f"  {name}: {why}" for name, why in problems.items()
    )


TAB_BORDERS = """() => [...document.querySelectorAll("[role=tab][id^=demo-tabs-tab-]")].map((tab) => {
  const cs = getComputedStyle(tab);
  return {
    selected: tab.getAttribute("aria-selected") === "true",
    drawn: cs.borderBottomStyle !== "none" && Number.parseFloat(cs.borderBottomWidth) > 0,
    height: tab.getBoundingClientRect().height,
  };
})"""


def test_issue_forced_colors_the_selected_tab_is_the_only_one_underlined(forced: Page) -> None:
    page = forced
    tabs = page.evaluate(TAB_BORDERS)
    assert [t["selected"] for t in tabs].count(True) == 1, tabs
    for tab in tabs:
        assert tab["drawn"] == tab["selected"], tabs  # a transparent border is painted here
    assert len({t["height"] for t in tabs}) == 1, tabs  # the selected one does not grow


def test_issue_forced_colors_the_switch_is_drawn_and_shows_its_state(forced: Page) -> None:
    page = forced
    switch = page.locator("input[role=switch]").first
    switch.scroll_into_view_if_needed()
    box = switch.bounding_box()
    assert box is not None
    clip = {"x": box["x"] - 2, "y": box["y"] - 2, "width": box["width"] + 4, "height": box["height"] + 4}
    checked = switch.is_checked()
    shown = page.screenshot(clip=clip, animations="disabled")
    switch.evaluate("el => { el.style.visibility = 'hidden'; }")
    absent = page.screenshot(clip=clip, animations="disabled")
    switch.evaluate("el => { el.style.visibility = ''; }")
    assert shown != absent, "the switch is not drawn in forced colors"
    switch.click()
    expect(switch).to_be_checked(checked=not checked, timeout=WAIT_MS)
    page.mouse.move(0, 0)
    page.locator("body").evaluate("() => document.activeElement.blur()")
    toggled = page.screenshot(clip=clip, animations="disabled")
    assert toggled != shown, "checked and unchecked look the same in forced colors"


# -- 2.4.11 Focus Not Obscured: the table's sticky header ----------------------------------------

COVERED = """() => {
  const a = document.activeElement;
  const region = a.closest("[role=region]");
  if (region === null) {
    return {label: `${a.tagName} ${a.id} ${a.getAttribute("aria-label")}`, hidden: false, outside: true};
  }
  const head = region.querySelector("[role=rowgroup]").getBoundingClientRect();
  const r = a.getBoundingClientRect();
  const hidden = r.top >= head.top - 0.5 && r.bottom <= head.bottom + 0.5;
  return {label: a.getAttribute("aria-label"), hidden};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_issue_table_row_checkbox_reached_by_shift_tab_is_not_under_the_sticky_header(
    browser: Browser, app_url: Callable[[str], str], scheme: Scheme
) -> None:
    viewport = {"width": 1280, "height": 900}
    for page in _open(browser, app_url("gallery"), viewport=viewport, color_scheme=scheme):
        boxes = page.locator("#demo-orders [role=row] input[type=checkbox]")
        expect(boxes.nth(10)).to_be_attached(timeout=WAIT_MS)
        boxes.nth(10).focus()
        for n in range(11, 26):  # down the rows: the box scrolls so the focused row is at its bottom
            page.keyboard.press("Tab")
            expect(page.locator(":focus")).to_have_attribute("aria-label", f"Select row {100000 + n}")
            page.wait_for_timeout(50)  # the window follows: the next row is there before Tab
        expect(page.locator("#demo-orders [role=region]")).not_to_have_js_property("scrollTop", 0)
        hidden: list[str] = []
        path: list[str] = []
        for _ in range(20):  # back up: each row in turn reaches the top edge, below the header
            page.keyboard.press("Shift+Tab")
            page.wait_for_timeout(50)
            state = page.evaluate(COVERED)
            path.append(state["label"])
            assert not state.get("outside"), path
            if state["hidden"]:
                hidden.append(state["label"])
        assert not hidden, f"focused checkboxes entirely under the sticky header: {hidden}"
        # The header's own controls, stuck at the top, are in view: focusing one scrolls nothing.
        region = page.locator("#demo-orders [role=region]")
        region.evaluate("el => { el.scrollTop = 3000; }")
        page.wait_for_timeout(200)
        page.locator("#demo-orders [role=columnheader] button").first.focus()
        page.wait_for_timeout(200)
        assert region.evaluate("el => el.scrollTop") == 3000


# -- Escape closes only the overlay on top (APG menu button, dialog) -----------------------------

NESTED = "tests/apps/nested"


@pytest.fixture
def nested(page: Page, app_url: Callable[[str], str]) -> Page:
    page.goto(app_url(NESTED))
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=READY_TIMEOUT_MS)
    page.locator("#opener").click()
    expect(page.locator("#outer")).to_be_visible(timeout=WAIT_MS)
    return page


def _focused(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement?.id || document.activeElement?.tagName"))


def test_issue_escape_in_a_menu_inside_a_dialog_closes_the_menu_only(nested: Page) -> None:
    page = nested
    page.locator("#m-button").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("menuitem", name="One")).to_be_focused(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(page.get_by_role("menu")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#m-button")).to_be_focused(timeout=WAIT_MS)  # back on the menu button
    page.wait_for_timeout(300)  # a dismissal that bubbled would close the dialog by now
    expect(page.locator("#outer")).to_be_visible()
    assert page.locator("#log").inner_text() == ""
    page.keyboard.press("Escape")  # the next Escape closes the dialog, focus back on its opener
    expect(page.locator("#outer")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#log")).to_have_text("outer-closed", timeout=WAIT_MS)
    expect(page.locator("#opener")).to_be_focused(timeout=WAIT_MS)


def test_issue_escape_in_a_dialog_inside_a_dialog_closes_the_inner_one_only(nested: Page) -> None:
    page = nested
    page.locator("#open-inner").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#inner")).to_be_visible(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(page.locator("#inner")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#open-inner")).to_be_focused(timeout=WAIT_MS)
    page.wait_for_timeout(300)
    expect(page.locator("#outer")).to_be_visible()
    assert page.locator("#log").inner_text() == "inner-closed"


def test_escape_on_a_tooltip_inside_a_dialog_hides_the_tooltip_only(nested: Page) -> None:
    # WCAG 1.4.13 Dismissible: Escape hides the tooltip without moving focus or closing the dialog.
    page = nested
    page.locator("#help").focus()
    expect(page.locator("#tip")).to_be_visible(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(page.locator("#tip")).to_be_hidden(timeout=WAIT_MS)
    page.wait_for_timeout(300)
    expect(page.locator("#outer")).to_be_visible()
    expect(page.locator("#help")).to_be_focused()
    assert _focused(page) == "help"


def test_mode_a_escape_closes_only_the_menu_then_only_the_inner_dialog(
    page: Page, wasm_url: Callable[[str], str]
) -> None:
    # The same Python markup and client behaviour under Pyodide (Mode A).
    page.goto(wasm_url(NESTED))
    page.wait_for_selector("html[data-tw-ready]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
    page.locator("#opener").click()
    expect(page.locator("#outer")).to_be_visible(timeout=WAIT_MS)
    page.locator("#m-button").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("menuitem", name="One")).to_be_focused(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(page.get_by_role("menu")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#m-button")).to_be_focused(timeout=WAIT_MS)
    page.locator("#open-inner").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#inner")).to_be_visible(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(page.locator("#inner")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#open-inner")).to_be_focused(timeout=WAIT_MS)
    expect(page.locator("#outer")).to_be_visible()
    expect(page.locator("#log")).to_have_text("inner-closed")


# -- 1.4.10 Reflow: a table at 320 CSS px --------------------------------------------------------

OVERLAPS = """(id) => {
  const out = [];
  const rows = document.querySelectorAll(`#${id} [role=row]`);
  for (const row of rows) {
    const cells = [...row.children];
    for (let i = 0; i + 1 < cells.length; i += 1) {
      const a = cells[i].getBoundingClientRect();
      const b = cells[i + 1].getBoundingClientRect();
      if (a.right > b.left + 0.5) {
        out.push(`${(row.textContent || "").slice(0, 30)}: cell ${i} ends at ${a.right}, next at ${b.left}`);
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("table", ["demo-orders", "demo-team"])
def test_issue_reflow_a_table_at_320px_scrolls_sideways_instead_of_overlapping_its_columns(
    browser: Browser, app_url: Callable[[str], str], table: str
) -> None:
    # Flexible columns were minmax(0, 1fr): at 320 CSS px the fixed columns took the width, the
    # Customer column shrank to nothing and its padded cells spilled over the City column.
    for page in _open(browser, app_url("gallery"), viewport={"width": 320, "height": 800}):
        page.locator(f"#{table}").scroll_into_view_if_needed()
        overlaps = page.evaluate(OVERLAPS, table)
        assert not overlaps, "\n".join(overlaps[:10])
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320  # the page does not scroll


# -- 2.4.3 Focus Order: a toast removed by nobody while focused ---------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_issue_a_toast_removed_by_nobody_while_focused_returns_focus(
    browser: Browser, app_url: Callable[[str], str], scheme: Scheme
) -> None:
    # A toast removed by nobody's action while its close button had focus: focus fell to <body>;
    # now it goes back to the control that showed the toast, as a dismissal by hand does. Its
    # own timer no longer runs while focus is inside it (test_a11y_probe3, WCAG 2.2.1), so the
    # removal comes from a script's (untrusted) dismissal, as from the app's dismiss_toast().
    viewport = {"width": 1280, "height": 900}
    for page in _open(browser, app_url("gallery"), viewport=viewport, color_scheme=scheme):
        page.locator("#toast-success").focus()
        page.keyboard.press("Enter")
        close = page.get_by_role("button", name="Dismiss notification")
        expect(close).to_have_count(1, timeout=WAIT_MS)
        close.focus()
        close.evaluate(
            "b => b.closest('[data-tw-behavior=toast]')"
            ".dispatchEvent(new CustomEvent('tempestweb:dismiss', {bubbles: true}))"
        )
        expect(close).to_have_count(0, timeout=WAIT_MS)  # not the person's action
        expect(page.locator("#toast-success")).to_be_focused(timeout=WAIT_MS)
