"""Issue 14, eighth accessibility probe from outside: states and media the earlier passes did not
scan, in real Chromium (Mode B, and Mode A where the page could differ). The app is
``examples/tests/apps/probe8``; the gallery is ``examples/gallery``.

Regressions found there, each test named after one:

- WCAG 1.4.10 Reflow at 320 CSS px: a hidden Tooltip (``visibility: hidden``, still laid out)
  on a control next to the right edge widened the page, which scrolled sideways with nothing
  shown; a shown one was 336 px wide (20rem and its padding); a Markdown code block's long line
  (``white-space: pre``) widened the page too.
- Forced colors (Windows High Contrast): Chromium keeps the system colours the theme maps its
  tokens to, and draws a Canvas backplate behind every text run. The Tooltip (the text colour as
  background, the page colour as text) became Canvas text on that Canvas backplate: nothing to
  read, light or dark. Filled controls (primary and danger buttons, toned badges) became
  CanvasText boxes whose icons (``currentColor``) vanished.
- ``prefers-reduced-motion: reduce``: the Spinner stopped, the indeterminate Progress (the
  browser's own sliding bar) went on moving.
- WCAG 2.4.7 / 1.4.11: a virtual Table's cells (no vertical padding, ``overflow: hidden``) cut
  the top and bottom of the focus ring of the header's sort buttons and of the checkboxes.
- A FileUpload's ``aria-live`` list changed its text at every progress event ("Uploading, 3%",
  "Uploading, 6%"...: up to ten a second), each one queued by a screen reader.

What held (axe-core with the drawer, a dialog and a menu open inside it at 360 px, a sorted and
selected virtual table, an empty table, an upload in progress) is checked too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import pytest
from axe import a11y_context_options, describe_contrast, low_contrast_text, run_axe
from conftest import MODE_A_BOOT_TIMEOUT_MS
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

WAIT_MS = 10_000
APP = "tests/apps/probe8"
Scheme = Literal["light", "dark"]
NARROW_PX = 320  # WCAG 1.4.10: 1280 CSS px at 400 % zoom


def _open(browser: Browser, url: str, timeout_ms: float = WAIT_MS, **options: object) -> Iterator[Page]:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=timeout_ms)
        yield page
    finally:
        context.close()


# --- 1.4.10 Reflow: a hidden tooltip, a shown one and a code block at 320 CSS px -------------------

WIDTHS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def _nothing_widens_the_page(page: Page) -> None:
    width, room = page.evaluate(WIDTHS)
    assert room == NARROW_PX
    assert width <= room, f"the page scrolls sideways: {width} > {room}"
    page.locator("#help").focus()  # at the right edge: the tooltip shows, moved inside
    expect(page.locator("#help-tip")).to_be_visible(timeout=WAIT_MS)
    box = page.locator("#help-tip").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= room, box
    width, room = page.evaluate(WIDTHS)
    assert width <= room, f"the shown tooltip widens the page: {width} > {room}"
    code = page.locator("#doc pre")
    assert code.evaluate("e => e.scrollWidth <= e.clientWidth"), "the code block's line is cut"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_issue_14_a_tooltip_and_a_code_block_do_not_widen_the_page_at_320px(
    browser: Browser, app_url: Callable[[str], str], scheme: Scheme
) -> None:
    options = {**a11y_context_options(scheme), "viewport": {"width": NARROW_PX, "height": 640}}
    for page in _open(browser, app_url(APP), **options):
        _nothing_widens_the_page(page)
        report = run_axe(page)  # the wrapped code block is no scroll box needing a tab stop
        assert not report.blocking(), report.describe()


def test_mode_a_issue_14_a_tooltip_and_a_code_block_do_not_widen_the_page_at_320px(
    browser: Browser, wasm_url: Callable[[str], str]
) -> None:
    options = {**a11y_context_options("light"), "viewport": {"width": NARROW_PX, "height": 640}}
    for page in _open(browser, wasm_url(APP), MODE_A_BOOT_TIMEOUT_MS, **options):
        page.wait_for_selector("html[data-tw-ready]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
        _nothing_widens_the_page(page)


# --- forced colors: text on the backplate, icons on their box --------------------------------------

FORCED = """() => {
  const parse = (text) => {
    const m = text && text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = (c) => {
    const ch = [c.r, c.g, c.b].map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
  };
  const probe = document.createElement("div");
  probe.style.background = "Canvas";
  document.body.append(probe);
  const canvas = parse(getComputedStyle(probe).backgroundColor);
  probe.remove();
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return getComputedStyle(el).visibility === "visible" && box.width > 1 && box.height > 1;
  };
  const behind = (el) => {
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return canvas;
  };
  const failures = [];
  // Every text run sits on the backplate (Canvas): its painted colour must stand out from it.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || !el || el.closest("script, style, option, [hidden]") || !shown(el)) continue;
    const fill = parse(getComputedStyle(el).webkitTextFillColor);
    if (fill && ratio(fill, canvas) < 4.5) {
      failures.push(`text "${t.textContent.trim().slice(0, 30)}": ${ratio(fill, canvas)} on the backplate`);
    }
  }
  // An icon is drawn in its stroke colour straight on the box behind it (no backplate).
  for (const svg of document.querySelectorAll("svg")) {
    if (!shown(svg)) continue;
    const cs = getComputedStyle(svg);
    const stroke = parse(cs.stroke) || parse(cs.color);
    if (stroke && ratio(stroke, behind(svg)) < 3) {
      const where = svg.closest("button, a, span[class]");
      const name = where ? where.textContent.trim().slice(0, 30) : "?";
      failures.push(`icon in ${name}: ${ratio(stroke, behind(svg))}`);
    }
  }
  return failures;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_issue_14_forced_colors_tooltips_text_and_icons_stay_visible(
    browser: Browser, app_url: Callable[[str], str], scheme: Scheme
) -> None:
    options = {**a11y_context_options(scheme), "forced_colors": "active"}
    for page in _open(browser, app_url("gallery"), **options):
        page.locator("#toast-success").click()  # toned toasts over Canvas too
        expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_have_count(1, timeout=WAIT_MS)
        page.locator("#tip-copy-trigger").focus()
        expect(page.locator("#tip-copy")).to_be_visible(timeout=WAIT_MS)
        failures = page.evaluate(FORCED)
        assert not failures, "\n".join(failures[:20])


# --- prefers-reduced-motion: the indeterminate Progress ---------------------------------------------


def _frames(page: Page, selector: str, count: int = 4, gap_ms: int = 150) -> int:
    target = page.locator(selector)
    target.scroll_into_view_if_needed()
    shots = set()
    for _ in range(count):
        shots.add(target.screenshot(animations="allow"))
        page.wait_for_timeout(gap_ms)  # a moving bar moves on between two frames
    return len(shots)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_issue_14_reduced_motion_stills_the_indeterminate_progress(
    browser: Browser, app_url: Callable[[str], str], scheme: Scheme
) -> None:
    bar = "progress[aria-label=Importing]"
    for page in _open(browser, app_url("gallery"), **a11y_context_options(scheme)):  # reduced_motion=reduce
        assert page.locator(bar).evaluate("e => e.position") == -1  # still indeterminate
        ring = page.locator(".tw-spinner-ring").first
        assert ring.evaluate("e => getComputedStyle(e).animationName") == "none"
        assert _frames(page, bar) == 1, "the indeterminate progress moves under prefers-reduced-motion"
        page.emulate_media(reduced_motion="no-preference")  # and the check can see motion
        assert _frames(page, bar) > 1


# --- 2.4.7 / 1.4.11: focus rings inside a virtual table's cells -------------------------------------

CLIPPED = """() => {
  const a = document.activeElement;
  const ring = 4;  // --tw-focus-ring: 2 px of page colour, then 2 px of focus colour
  const r = a.getBoundingClientRect();
  const cut = [];
  for (let n = a.parentElement; n && n !== document.body; n = n.parentElement) {
    const s = getComputedStyle(n);
    const c = n.getBoundingClientRect();
    if (s.overflowX !== "visible") {
      if (r.left - ring < c.left + parseFloat(s.borderLeftWidth) - 0.5) cut.push("left");
      if (r.right + ring > c.right - parseFloat(s.borderRightWidth) + 0.5) cut.push("right");
    }
    if (s.overflowY !== "visible") {
      if (r.top - ring < c.top + parseFloat(s.borderTopWidth) - 0.5) cut.push("top");
      if (r.bottom + ring > c.bottom - parseFloat(s.borderBottomWidth) + 0.5) cut.push("bottom");
    }
  }
  const label = a.getAttribute("aria-label") || a.textContent.trim();
  return {label, visible: a.matches(":focus-visible"), shadow: getComputedStyle(a).boxShadow, cut};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_issue_14_focus_rings_in_a_virtual_table_are_not_cut(
    browser: Browser, app_url: Callable[[str], str], scheme: Scheme
) -> None:
    options = {**a11y_context_options(scheme), "viewport": {"width": 1280, "height": 900}}
    for page in _open(browser, app_url("gallery"), **options):
        table = page.locator("#demo-orders")
        table.scroll_into_view_if_needed()
        expect(table.locator("[role=row] input[type=checkbox]").nth(1)).to_be_attached(timeout=WAIT_MS)
        page.locator("#toast-danger").focus()
        cut: dict[str, list[str]] = {}
        labels: list[str] = []
        for _ in range(12):  # Tab on: the table's header checkbox, its sort buttons, row checkboxes
            page.keyboard.press("Tab")
            state = page.evaluate(CLIPPED)
            if not page.evaluate("() => !!document.activeElement.closest('#demo-orders')"):
                continue
            assert state["visible"] and state["shadow"] != "none", state
            labels.append(state["label"])
            if state["cut"]:
                cut[state["label"]] = state["cut"]
        assert {"Select all rows", "Order", "Amount", "Select row 100001"} <= set(labels), labels
        assert not cut, f"focus rings cut by their cell: {cut}"


# --- the FileUpload's live region -------------------------------------------------------------------

SPOKEN = """() => {
  const list = document.querySelector("#zone ul[aria-live]");
  if (list === null) return null;
  let text = "";
  const walker = document.createTreeWalker(list, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest("[aria-hidden=true]")) text += n.textContent + "|";
  }
  return text;
}"""


def test_issue_14_an_upload_announces_the_file_and_its_outcome_not_every_step(
    browser: Browser, app_url: Callable[[str], str]
) -> None:
    for page in _open(browser, app_url(APP), **a11y_context_options("light")):
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        # 900 kB at 300 kB/s: about three seconds on the wire, progress events every 100 ms
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 300_000},
        )
        page.evaluate(
            f"""() => {{
              window.spoken = [];
              const note = () => {{
                const text = ({SPOKEN})();
                const last = window.spoken[window.spoken.length - 1];
                if (text !== null && text !== last) window.spoken.push(text);
              }};
              new MutationObserver(note).observe(document.getElementById("zone"),
                {{subtree: true, childList: true, characterData: true, attributes: true}});
            }}"""
        )
        page.locator("#files").set_input_files(
            {"name": "big.bin", "mimeType": "application/octet-stream", "buffer": bytes(900_000)}
        )
        page.wait_for_function(  # the bar moves: progress events arrived
            """() => {
                const bar = document.querySelector("#zone li[data-status=uploading] progress");
                return bar !== null && Number(bar.getAttribute("value")) > 0;
            }""",
            timeout=WAIT_MS,
        )
        expect(page.locator("#zone li[data-status=uploading]")).to_contain_text("Uploading, ")  # still shown
        expect(page.locator("#zone li[data-status=done]")).to_have_count(1, timeout=4 * WAIT_MS)
        expect(page.locator("#log")).to_contain_text("uploads=1", timeout=WAIT_MS)
        spoken = [text for text in page.evaluate("() => window.spoken") if text]
        assert spoken == ["big.bin|Uploading|", "big.bin|Uploaded, 900.0 kB|"], spoken
        bar = page.get_by_role("progressbar", name="big.bin upload progress")
        assert bar.evaluate("e => [e.value, e.max]") == [900_000, 900_000]


# --- what held: axe in the states no suite scanned --------------------------------------------------


def _audit(page: Page, where: str) -> None:
    report = run_axe(page)
    assert not report.blocking(), f"{where}:\n{report.describe()}"
    failures = low_contrast_text(page)
    assert not failures, f"{where}: text below 4.5:1\n{describe_contrast(failures)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_overlays_in_the_drawer_and_table_states_pass_axe(
    browser: Browser, app_url: Callable[[str], str], scheme: Scheme
) -> None:
    options = {**a11y_context_options(scheme), "viewport": {"width": 360, "height": 740}}
    for page in _open(browser, app_url(APP), **options):
        page.get_by_role("button", name="Menu").click()
        expect(page.locator("#drawer-open-dialog")).to_be_visible(timeout=WAIT_MS)
        _audit(page, f"{scheme}, drawer open at 360 px")
        page.locator("#drawer-open-dialog").click()
        expect(page.get_by_role("dialog", name="Rename project")).to_be_visible(timeout=WAIT_MS)
        _audit(page, f"{scheme}, dialog open from the drawer")
        page.locator("#dialog-save").click()
        expect(page.get_by_role("dialog")).to_have_count(0, timeout=WAIT_MS)
        page.locator("#drawer-menu-button").focus()
        page.keyboard.press("ArrowDown")
        expect(page.get_by_role("menuitem", name="Archive")).to_be_focused(timeout=WAIT_MS)
        _audit(page, f"{scheme}, menu open in the drawer, an item focused")
        page.keyboard.press("Enter")
        expect(page.locator("#log")).to_contain_text("choice=archive", timeout=WAIT_MS)
        rows = page.locator("#rows")
        sort = rows.locator("[role=columnheader] button").nth(1)
        sort.click()
        sort.click()
        expect(rows.locator("[aria-sort=descending]")).to_have_count(1, timeout=WAIT_MS)
        rows.locator("[role=row] input[type=checkbox]").nth(2).check()
        expect(rows.locator("[role=row] input:checked")).to_have_count(1, timeout=WAIT_MS)
        expect(page.locator("#empty [role=cell]")).to_have_text(["No rows"])
        _audit(page, f"{scheme}, sorted and selected virtual table, empty table")


# --- Escape closes the top layer only (APG dialog and menu button patterns) ----------------------


def test_issue_14_escape_in_a_drawer_closes_its_dialog_or_menu_not_the_drawer(
    browser: Browser, app_url: Callable[[str], str]
) -> None:
    """Escape in a Dialog or a Menu opened from the AppShell's drawer closes that one only.

    Before, the drawer's own Escape listener (its ``<nav>``, delivered by the client's delegate on
    the root before the behaviour layer's document listener) closed the drawer with the dialog:
    focus went to ``<body>``; and with the menu, focus went to the header's menu button.
    """
    for page in _open(browser, app_url(APP), viewport={"width": 360, "height": 740}):
        page.get_by_role("button", name="Menu").click()
        opener = page.locator("#drawer-open-dialog")
        expect(opener).to_be_visible(timeout=WAIT_MS)
        opener.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("dialog", name="Rename project")).to_be_visible(timeout=WAIT_MS)
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0, timeout=WAIT_MS)
        expect(page.locator("#log")).to_contain_text("closes=1", timeout=WAIT_MS)
        expect(opener).to_be_visible()  # the drawer stayed open
        expect(opener).to_be_focused(timeout=WAIT_MS)
        menu_button = page.locator("#drawer-menu-button")
        menu_button.focus()
        page.keyboard.press("ArrowDown")
        expect(page.get_by_role("menuitem", name="Archive")).to_be_focused(timeout=WAIT_MS)
        page.keyboard.press("Escape")
        expect(page.get_by_role("menuitem")).to_have_count(0, timeout=WAIT_MS)
        expect(menu_button).to_be_focused(timeout=WAIT_MS)
        expect(opener).to_be_visible()
        page.keyboard.press("Escape")  # nothing open inside it now: Escape closes the drawer
        expect(opener).to_be_hidden(timeout=WAIT_MS)
