"""The component gallery (``examples/gallery``): headless logic, then Chromium in Mode B and Mode A.

Browser checks: the page loads with no console error, every section of ``SECTIONS`` renders with its
heading, the demos answer real clicks and keys, the validated form shows each error next to its
field, and axe-core (``examples/tests/axe.py``) finds no serious or critical violation and no text
below 4.5:1, in light and dark, whether the scheme comes from the system (emulated
``prefers-color-scheme``) or from the app's switch, with the dialog, the menu and toasts open too.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import pytest
from axe import a11y_context_options, describe_contrast, low_contrast_text, run_axe
from conftest import MODE_A_BOOT_TIMEOUT_MS
from playwright.sync_api import Browser, ConsoleMessage, Error, FilePayload, Locator, Page, expect

from tempest_core.testing import run_test

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
WAIT_MS = 10_000
READY_TIMEOUT_MS = 30_000
NARROW_VIEWPORT = {"width": 390, "height": 844}  # a phone, below the AppShell's md breakpoint
ROW_HEIGHT_PX = 40  # Table's default row height, which the gallery keeps


def _load() -> ModuleType:
    if str(GALLERY) not in sys.path:
        sys.path.insert(
            0, str(GALLERY)
        )  # app.py imports its sibling gallery_data, as the CLI's loader allows
    spec = importlib.util.spec_from_file_location("example_gallery", GALLERY / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module through sys.modules
    spec.loader.exec_module(module)
    return module


gallery = _load()
SLUGS: list[str] = [section.slug for section in gallery.SECTIONS]


# --- headless (pilot) ------------------------------------------------------------------------------------


async def test_gallery_headless_sections_and_form() -> None:
    async with run_test(gallery.app) as pilot:
        assert [el.attrs.get("id") for el in pilot.query("section")] == SLUGS
        await pilot.submit("#signup")
        shown = [el.attrs.get("id", "") for el in pilot.query("#signup p")]
        errors = {id_ for id_ in shown if id_.endswith("-error")}
        assert errors == {f"signup-{f}-error" for f in ("name", "email", "role", "terms")}
        await pilot.input("#signup-name", "Ada Lovelace")
        await pilot.input("#signup-email", "ada@example.com")
        await pilot.change("#signup-role", "engineer")
        await pilot.change("#signup-terms", checked=True)
        await pilot.submit("#signup")
        assert not pilot.query("#signup-name-error")
        assert pilot.text("#signup-done") == "Account created."


async def test_gallery_an_event_renders_only_its_section(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: Counter[str] = Counter()

    def counted(section: Any) -> Any:
        def render(state: Any) -> Any:
            calls[section.slug] += 1
            return section.render(state)

        return section._replace(render=render)

    monkeypatch.setattr(gallery, "SECTIONS", tuple(counted(section) for section in gallery.SECTIONS))
    async with run_test(gallery.app) as pilot:
        assert calls == Counter(SLUGS)
        calls.clear()
        await pilot.click("#demo-primary")
        assert pilot.text("#demo-clicks") == "Save changes clicked 1 time."
        await pilot.input("#signup-name", "Ada")
        assert calls == Counter({"buttons": 1, "forms": 1})


# --- Chromium, Mode B ------------------------------------------------------------------------------------


def _watch(page: Page) -> list[str]:
    """Collect the page's console errors and uncaught errors from now on."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console.error: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"pageerror: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return problems


@pytest.fixture
def gallery_page(page: Page, app_url: Callable[[str], str]) -> Iterator[tuple[Page, list[str]]]:
    """The gallery open in Mode B, and the console errors and page errors seen while it runs."""
    problems = _watch(page)
    page.goto(app_url("gallery"))
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=READY_TIMEOUT_MS)
    yield page, problems


@pytest.mark.browser
def test_gallery_every_section_renders_without_console_errors(gallery_page: tuple[Page, list[str]]) -> None:
    page, problems = gallery_page
    sections = page.locator("main section[data-gallery-section]")
    expect(sections).to_have_count(len(SLUGS), timeout=WAIT_MS)
    assert sections.evaluate_all("els => els.map(e => e.id)") == SLUGS
    nav = page.get_by_role("navigation", name="Components")
    for slug, label, *_ in gallery.SECTIONS:
        section = page.locator(f"section#{slug}")
        expect(section.get_by_role("heading", level=2)).to_have_text(label)
        box = section.bounding_box()
        assert box is not None and box["height"] > 40, f"section {slug} is empty: {box}"
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute("href", f"#{slug}")
    _image_loaded(page)
    assert problems == []


def _image_loaded(page: Page) -> None:
    """The Layout section's Image (a lazy ``[wasm].assets`` file) loads once scrolled into view."""
    image = page.locator("#demo-image")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "e => e.complete && e.naturalWidth > 0", arg=image.element_handle(), timeout=WAIT_MS
    )


@pytest.mark.browser
def test_gallery_demos_answer_real_input(gallery_page: tuple[Page, list[str]]) -> None:
    page, problems = gallery_page
    page.locator("#demo-primary").click()
    page.locator("#demo-primary").click()
    expect(page.locator("#demo-clicks")).to_have_text("Save changes clicked 2 times.", timeout=WAIT_MS)
    bio = page.get_by_label("Bio")
    bio.click()
    page.keyboard.type("Hello")
    expect(page.get_by_text("5 / 280 characters")).to_be_visible(timeout=WAIT_MS)
    assert problems == []


@pytest.mark.browser
def test_gallery_upload_reaches_python(gallery_page: tuple[Page, list[str]]) -> None:
    page, problems = gallery_page
    csv = b"order,amount\n100001,5.00\n100002,515.55\n"
    page.locator("#demo-upload").set_input_files(
        files=[FilePayload(name="orders.csv", mimeType="text/csv", buffer=csv)]
    )
    expect(page.locator("#demo-uploads li")).to_have_text(
        [f"orders.csv \u2014 {len(csv)} bytes, 3 lines"], timeout=WAIT_MS
    )
    expect(
        page.get_by_role("status").filter(has_text=f"orders.csv: {len(csv)} bytes received.")
    ).to_have_count(1, timeout=WAIT_MS)
    assert problems == []


@pytest.mark.browser
def test_gallery_form_shows_errors_next_to_fields(gallery_page: tuple[Page, list[str]]) -> None:
    page, problems = gallery_page
    page.locator("#signup-submit").click()
    for field in ("name", "email", "role", "terms"):
        expect(page.locator(f"#signup-{field}-error")).to_be_visible(timeout=WAIT_MS)
    page.locator("#signup-name").fill("Ada Lovelace")
    page.locator("#signup-email").fill("ada@example.com")
    page.locator("#signup-role").select_option("engineer")
    page.locator("#signup-terms").check()
    page.locator("#signup-email").press("Enter")  # implicit submission (HTML: the form's default button)
    expect(page.locator("#signup-done")).to_have_text("Account created.", timeout=WAIT_MS)
    expect(page.locator("#signup p[id$='-error']")).to_have_count(0)
    assert problems == []


@pytest.mark.browser
def test_gallery_scheme_switch_overrides_the_system_scheme(gallery_page: tuple[Page, list[str]]) -> None:
    page, problems = gallery_page  # the context emulates prefers-color-scheme: light (Playwright's default)
    body_bg = "() => getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(body_bg)
    page.get_by_label("Theme").select_option("dark")
    page.wait_for_function(f"light => ({body_bg})() !== light", arg=light, timeout=WAIT_MS)
    dark = page.evaluate(body_bg)
    page.get_by_label("Theme").select_option("light")
    page.wait_for_function(f"light => ({body_bg})() === light", arg=light, timeout=WAIT_MS)
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(body_bg) == light  # forced light wins over the system's dark
    page.get_by_label("Theme").select_option("system")
    page.wait_for_function(f"dark => ({body_bg})() === dark", arg=dark, timeout=WAIT_MS)
    assert problems == []


@pytest.mark.browser
def test_gallery_dialog_form_errors_escape_and_focus_return(gallery_page: tuple[Page, list[str]]) -> None:
    page, problems = gallery_page
    opener = page.locator("#open-invite")
    opener.click()
    dialog = page.get_by_role("dialog", name="Invite a teammate")
    expect(dialog).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#invite-name")).to_be_focused(timeout=WAIT_MS)
    page.locator("#invite-send").click()
    expect(page.locator("#invite-email-error")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#invite-email")).to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0, timeout=WAIT_MS)
    expect(opener).to_be_focused(timeout=WAIT_MS)
    opener.click()
    expect(page.locator("#invite-name")).to_be_focused(timeout=WAIT_MS)
    page.keyboard.type("Grace Hopper")
    page.locator("#invite-email").fill("grace@example.com")
    page.locator("#invite-role").select_option("engineer")
    page.locator("#invite-send").click()
    expect(dialog).to_have_count(0, timeout=WAIT_MS)
    expect(page.get_by_role("status").filter(has_text="Invitation sent to grace@example.com.")).to_have_count(
        1, timeout=WAIT_MS
    )
    assert problems == []


@pytest.mark.browser
def test_gallery_toasts_menu_and_tabs_by_keyboard(gallery_page: tuple[Page, list[str]]) -> None:
    page, problems = gallery_page
    page.locator("#toast-danger").click()
    expect(page.get_by_role("alert").filter(has_text="Payment failed")).to_have_count(1, timeout=WAIT_MS)
    page.locator("#toast-success").click()
    expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_have_count(1, timeout=WAIT_MS)

    page.locator("#demo-menu-button").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("menuitem", name="Duplicate")).to_be_focused(timeout=WAIT_MS)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#demo-menu-choice")).to_have_text("Last chosen: Rename", timeout=WAIT_MS)

    page.get_by_role("tab", name="Overview").click()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Activity")).to_have_attribute(
        "aria-selected", "true", timeout=WAIT_MS
    )
    expect(page.get_by_role("tabpanel")).to_contain_text("Grace merged")
    assert problems == []


def _press_end(page: Page, area: Locator) -> None:
    """Press End in the table's focused scroll area and wait until it has scrolled to the bottom."""
    area.focus()
    expect(area).to_be_focused(timeout=WAIT_MS)
    page.keyboard.press("End")
    page.wait_for_function(
        "e => e.scrollTop + e.clientHeight >= e.scrollHeight - 1", arg=area.element_handle(), timeout=WAIT_MS
    )


@pytest.mark.browser
def test_gallery_100k_table_scrolls_to_the_end_with_few_rows(gallery_page: tuple[Page, list[str]]) -> None:
    page, problems = gallery_page
    table = page.locator("#demo-orders")
    expect(table.get_by_role("row")).not_to_have_count(0, timeout=WAIT_MS)
    area = table.get_by_role("region", name="Orders")
    area.scroll_into_view_if_needed()
    area.hover()
    for _ in range(3):  # real wheel events: the client reports the scroll, the window follows
        page.mouse.wheel(0, 2_000)
    page.wait_for_function("e => e.scrollTop > 0", arg=area.element_handle(), timeout=WAIT_MS)
    expect(table.get_by_role("cell", name="100001", exact=True)).to_have_count(0, timeout=WAIT_MS)
    first_in_view = 100_001 + int(area.evaluate("e => e.scrollTop") // ROW_HEIGHT_PX)
    expect(table.get_by_role("cell", name=str(first_in_view + 1), exact=True)).to_be_visible(timeout=WAIT_MS)
    _press_end(page, area)
    expect(table.get_by_role("cell", name="200000", exact=True)).to_be_visible(timeout=WAIT_MS)
    assert table.get_by_role("row").count() < 200
    table.get_by_role("row").filter(has_text="200000").get_by_role("checkbox").check()
    expect(page.locator("#demo-orders-count")).to_have_text("1 of 100,000 orders selected.", timeout=WAIT_MS)
    assert problems == []


@pytest.mark.browser
def test_gallery_mode_a(page: Page, wasm_url: Callable[[str], str]) -> None:
    """The same app built for Mode A (Pyodide in the page): sections, a click, a toast, the dialog,
    the table's end, and a file whose bytes reach Python in the page."""
    problems = _watch(page)
    page.goto(wasm_url("gallery"))
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
    expect(page.locator("main section[data-gallery-section]")).to_have_count(len(SLUGS), timeout=WAIT_MS)
    page.locator("#demo-primary").click()
    expect(page.locator("#demo-clicks")).to_have_text("Save changes clicked 1 time.", timeout=WAIT_MS)
    page.locator("#toast-success").click()
    expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_have_count(1, timeout=WAIT_MS)
    page.locator("#open-invite").click()
    expect(page.locator("#invite-name")).to_be_focused(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(page.locator("#open-invite")).to_be_focused(timeout=WAIT_MS)
    _press_end(page, page.locator("#demo-orders").get_by_role("region", name="Orders"))
    csv = b"a,b\n1,2\n"
    page.locator("#demo-upload").set_input_files(
        files=[FilePayload(name="t.csv", mimeType="text/csv", buffer=csv)]
    )
    expect(page.locator("#demo-uploads li")).to_have_text(
        [f"t.csv \u2014 {len(csv)} bytes, 2 lines"], timeout=WAIT_MS
    )
    _image_loaded(page)
    expect(page.locator("#demo-orders").get_by_role("cell", name="200000", exact=True)).to_be_visible(
        timeout=WAIT_MS
    )
    assert problems == []


# --- accessibility (axe-core + text contrast) ------------------------------------------------------------

Scheme = Literal["light", "dark"]


def _audit(page: Page, where: str) -> None:
    report = run_axe(page)
    assert not report.blocking(), f"{where}:\n{report.describe()}"
    failures = low_contrast_text(page)
    assert not failures, f"{where}: text below 4.5:1\n{describe_contrast(failures)}"


@pytest.mark.browser
@pytest.mark.parametrize("system", ["light", "dark"])
@pytest.mark.parametrize("switch", ["system", "light", "dark"])
def test_gallery_axe(browser: Browser, app_url: Callable[[str], str], system: Scheme, switch: str) -> None:
    """Every scheme the page can show: the system's (emulated) and each forced by the app's switch."""
    context = browser.new_context(**a11y_context_options(system))
    try:
        page = context.new_page()
        problems = _watch(page)
        page.goto(app_url("gallery"))
        page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=READY_TIMEOUT_MS)
        shown = system if switch == "system" else switch
        if switch != "system":
            page.get_by_label("Theme").select_option(switch)
            expect(page.get_by_label("Theme")).to_have_value(switch, timeout=WAIT_MS)
        scheme_of_page = "() => getComputedStyle(document.documentElement).colorScheme"
        page.wait_for_function(f"want => ({scheme_of_page})().includes(want)", arg=shown, timeout=WAIT_MS)
        where = f"system {system}, switch {switch}"
        _audit(page, where)

        for tone in ("info", "success", "warning", "danger"):
            page.locator(f"#toast-{tone}").click()
        expect(page.get_by_role("alert").filter(has_text="Payment failed")).to_have_count(1, timeout=WAIT_MS)
        page.locator("#demo-menu-button").click()
        expect(page.get_by_role("menu")).to_be_visible(timeout=WAIT_MS)
        _audit(page, f"{where}, toasts and menu open")

        page.keyboard.press("Escape")
        expect(page.get_by_role("menu")).to_have_count(0, timeout=WAIT_MS)
        page.locator("#open-invite").click()
        page.locator("#invite-send").click()
        expect(page.locator("#invite-email-error")).to_be_visible(timeout=WAIT_MS)
        _audit(page, f"{where}, dialog open with errors")
        assert problems == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("system", ["light", "dark"])
def test_gallery_axe_mode_a(browser: Browser, wasm_url: Callable[[str], str], system: Scheme) -> None:
    """The Mode A page (prerendered, then live under Pyodide) passes the same audit."""
    context = browser.new_context(**a11y_context_options(system))
    try:
        page = context.new_page()
        problems = _watch(page)
        page.goto(wasm_url("gallery"))
        page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
        expect(page.locator("main section[data-gallery-section]")).to_have_count(len(SLUGS), timeout=WAIT_MS)
        _audit(page, f"Mode A, system {system}")
        page.locator("#open-invite").click()
        page.locator("#invite-send").click()
        expect(page.locator("#invite-email-error")).to_be_visible(timeout=WAIT_MS)
        _audit(page, f"Mode A, system {system}, dialog open with errors")
        assert problems == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("system", ["light", "dark"])
def test_gallery_axe_narrow_with_the_drawer(
    browser: Browser, app_url: Callable[[str], str], system: Scheme
) -> None:
    """A phone-sized viewport: the AppShell's drawer collapsed, then opened by its menu button."""
    context = browser.new_context(**{**a11y_context_options(system), "viewport": NARROW_VIEWPORT})
    try:
        page = context.new_page()
        problems = _watch(page)
        page.goto(app_url("gallery"))
        page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=READY_TIMEOUT_MS)
        nav = page.get_by_role("navigation", name="Components")
        expect(nav).to_be_hidden(timeout=WAIT_MS)
        # nothing widens the page past the phone's width (a row of tabs scrolls inside itself)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
        _audit(page, f"narrow, system {system}, drawer closed")
        page.get_by_role("button", name="Menu").click()
        expect(nav).to_be_visible(timeout=WAIT_MS)
        _audit(page, f"narrow, system {system}, drawer open")
        assert problems == []
    finally:
        context.close()


TEXT_SPACING_CSS = (  # WCAG 1.4.12's text spacing, as its bookmarklet applies it
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
)


@pytest.mark.browser
def test_issue_14_gallery_reflows_at_320px_with_text_spacing(
    browser: Browser, app_url: Callable[[str], str]
) -> None:
    """At 320 CSS px (WCAG 1.4.10) with WCAG 1.4.12's text spacing, nothing scrolls sideways.

    The header's title and scheme switch share one row; with the wider letters they wrap onto two
    lines instead of pushing the switch 10 px past the viewport.
    """
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(app_url("gallery"))
        page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=READY_TIMEOUT_MS)
        page.add_style_tag(content=TEXT_SPACING_CSS)
        outside = page.evaluate(
            """() => [...document.querySelectorAll('header, header *')]
                .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
                .map((e) => `${e.tagName.toLowerCase()}#${e.id}`)"""
        )
        assert outside == [], f"past the right edge: {outside}"
        width, room = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width <= room, f"the page scrolls sideways: {width} > {room}"
        expect(page.locator("#scheme")).to_be_visible()
    finally:
        context.close()
