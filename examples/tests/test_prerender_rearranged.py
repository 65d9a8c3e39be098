"""Prerendered markup the HTML parser does not build as written, hydrated in Chromium (Mode B).

Found by the real client's patch fuzz (``test_client_patch_fuzz.py``):
- the text of an element the parser reads as text (``<style>``, ``<textarea>``, ``<title>``) was
  written after a ``<!--id-->`` marker, which the parser keeps as text there: the page showed the
  marker, a ``<style>``'s ``>`` arrived as ``&gt;`` (its rules broken), and the text node was never
  mapped. Its id now goes in ``data-tw-text`` (``ATTR_TEXT_ID``) and the text is written as the
  parser reads it;
- markup the parser rearranges (a ``<div>`` in a ``<p>``, a ``<tr>`` straight in a ``<table>``)
  hydrated silently into the wrong places, and later patches went there. The client now finds the
  elements the prerender did not write and mounts the page afresh (a full resync), with a warning;
  so does a raw text the prerender cannot write as it is (``data-tw-text="-"``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser

APP = "tests/apps/rearranged"
WAIT_MS = 10_000


def _open(page: Page, app_url: Callable[[str], str], case: str) -> list[ConsoleMessage]:
    messages: list[ConsoleMessage] = []
    page.on("console", lambda message: messages.append(message))  # noqa: PLW0108 (Playwright marks the callable: a bound builtin takes no attribute)
    page.goto(f"{app_url(APP)}?case={case}")
    expect(page.locator("#tw-root")).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)
    for want in ("1", "2"):
        page.locator("#bump").click()
        expect(page.locator("#count")).to_have_text(want, timeout=WAIT_MS)
    return messages


def _resynced(messages: list[ConsoleMessage]) -> bool:
    return any("hydration failed, full resync" in m.text for m in messages)


def test_text_content_hydrates_and_patches(page: Page, app_url: Callable[[str], str]) -> None:
    messages = _open(page, app_url, "text")
    assert not _resynced(messages), [m.text for m in messages]
    assert [m.text for m in messages if m.type == "error"] == []
    css = page.locator("#css").evaluate("e => e.textContent")
    assert "--clicks: 2;" in css and "#styled > b" in css and "<!--" not in css
    assert page.locator("#styled b").evaluate("e => getComputedStyle(e).color") == "rgb(200, 0, 0)"
    assert page.locator("#area").evaluate("e => e.value") == "\nline 2 <x> & y"
    assert page.locator("#title").evaluate("e => e.textContent") == "Title 2"


def test_rearranged_nesting_is_mounted_afresh(page: Page, app_url: Callable[[str], str]) -> None:
    messages = _open(page, app_url, "nesting")
    assert _resynced(messages)
    assert [m.text for m in messages if m.type == "error"] == []
    # the DOM a client mount builds: the <div> in the <p>, the <tr> straight in the <table>
    assert page.locator("#para > #inner").inner_text() == "inside 2"
    assert page.locator("#grid > tr > #cell").inner_text() == "cell 2"
    assert page.locator("#grid tbody, p:not(#para)").count() == 0
    assert page.locator("#inner").count() == 1 and page.locator("#cell").count() == 1


def test_raw_text_it_cannot_write_is_mounted_afresh(page: Page, app_url: Callable[[str], str]) -> None:
    messages = _open(page, app_url, "raw")
    assert _resynced(messages)
    assert "/* </ 2 */" in page.locator("#css").evaluate("e => e.textContent")
    assert page.locator("#styled b").evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 200)"
