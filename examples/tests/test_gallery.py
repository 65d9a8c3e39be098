"""The component gallery (``examples/gallery``): headless logic, then Chromium in Mode B.

Browser checks: the page loads with no console error, every section of ``SECTIONS`` renders with its
heading, the demos answer real clicks and keys, and the validated form shows each error next to its
field.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import ConsoleMessage, Error, Page, expect

from tempest_core.testing import run_test

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
WAIT_MS = 10_000
READY_TIMEOUT_MS = 30_000


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_gallery", GALLERY / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module through sys.modules
    spec.loader.exec_module(module)
    return module


gallery = _load()
SLUGS: list[str] = [slug for slug, _, _ in gallery.SECTIONS]


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


# --- Chromium, Mode B ------------------------------------------------------------------------------------


@pytest.fixture
def gallery_page(page: Page, app_url: Callable[[str], str]) -> Iterator[tuple[Page, list[str]]]:
    """The gallery open in Mode B, and the console errors and page errors seen while it runs."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console.error: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"pageerror: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
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
    for slug, label, _ in gallery.SECTIONS:
        section = page.locator(f"section#{slug}")
        expect(section.get_by_role("heading", level=2)).to_have_text(label)
        box = section.bounding_box()
        assert box is not None and box["height"] > 40, f"section {slug} is empty: {box}"
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute("href", f"#{slug}")
    assert problems == []


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
