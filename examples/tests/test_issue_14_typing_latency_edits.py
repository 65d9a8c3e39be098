"""Issue 14, typing probe in Mode B: edits and the app's transforms over a slow link (150-400 ms each way).

The app and the link are those of ``test_issue_14_typing_latency.py``.

Regression found there: a transform that changed the text's length (digits stripped) put the
caret back at the same offset, clamped to the new length: typing "1g2h3" in the middle of
"abc|def" left the caret at the end, after "def", so the next key went there. The caret now keeps
its place among the characters around it (``dom.js`` ``caretAfter``): after "abcgh".

What held is checked too: upper case (same length: the caret keeps its offset) and a length
limit, at the end and at the start; a selection replaced, Backspace repeated, a paste, Tab to
another field with the patches of the first in flight, a textarea, a number field; a value the
app sets from a timer while the person types is not shown (the typing wins).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from typing_probe import WAIT_MS, field_state, seen_values, settle, slow_typing_page, type_paced

pytestmark = pytest.mark.browser


def test_issue_14_typing_latency_transformed_text_keeps_the_caret_in_place(
    page: Page, app_url: Callable[[str], str]
) -> None:
    """Upper-cased, digits stripped, length cut: the value is the transform, the caret where it was."""
    with slow_typing_page(page, app_url, "ws"):
        transforms(page)


def transforms(page: Page) -> None:
    """Type into the upper-casing, digit-stripping and length-limited fields, at the end and inside."""
    rng = random.Random(5)
    # Upper case: same length, the caret keeps its offset.
    page.locator("#upper").click()
    type_paced(page, "hello world", rng)
    settle(page)
    assert field_state(page, "upper") == ("HELLO WORLD", 11, 11)
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    type_paced(page, "big ", rng)
    settle(page)
    expect(page.locator("#upper-echo")).to_have_text("HELLO BIG WORLD", timeout=WAIT_MS)
    assert field_state(page, "upper") == ("HELLO BIG WORLD", 10, 10)
    # Digits stripped, typed in the middle: the caret stays after "abcgh", before "def".
    page.locator("#nodigits").click()
    type_paced(page, "abcdef", rng)
    settle(page)
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    type_paced(page, "1g2h3", rng)
    settle(page)
    expect(page.locator("#nodigits-echo")).to_have_text("abcghdef", timeout=WAIT_MS)
    assert field_state(page, "nodigits") == ("abcghdef", 5, 5)
    page.keyboard.type("X")
    settle(page)
    assert field_state(page, "nodigits") == ("abcghXdef", 6, 6)
    # Cut to 12 characters, at the end and at the start.
    page.locator("#limited").click()
    type_paced(page, "abcdefghijklmnopqrs", rng)
    settle(page)
    expect(page.locator("#limited-echo")).to_have_text("abcdefghijkl", timeout=WAIT_MS)
    assert field_state(page, "limited") == ("abcdefghijkl", 12, 12)
    page.keyboard.press("Home")
    type_paced(page, "XYZ", rng)
    settle(page)
    assert field_state(page, "limited") == ("XYZabcdefghi", 3, 3)


def test_issue_14_typing_latency_edits_textarea_number_and_focus_moves(
    page: Page, app_url: Callable[[str], str]
) -> None:
    """Selection replaced, Backspace repeated, a paste, a textarea, a number, Tab with patches in flight."""
    with slow_typing_page(page, app_url, "ws"):
        edits(page)


def edits(page: Page) -> None:
    """Edit the plain field, Tab away, then type into the textarea and the number field."""
    rng = random.Random(6)
    page.locator("#plain").click()
    type_paced(page, "hello brave new world", rng)
    page.keyboard.press("Home")
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    for _ in range(5):
        page.keyboard.press("Shift+ArrowRight")
    type_paced(page, "bold", rng)  # replaces the selected "brave"
    page.keyboard.press("End")
    for _ in range(6):
        page.keyboard.press("Backspace")
        page.wait_for_timeout(33)  # a held key's repeat
    page.keyboard.insert_text(" pasted text")
    type_paced(page, "!", rng)
    page.keyboard.press("Tab")  # to #other while the patches of #plain are on their way
    type_paced(page, "second field", rng)
    settle(page)
    want = "hello bold new pasted text!"
    expect(page.locator("#plain-echo")).to_have_text(want, timeout=WAIT_MS)
    assert field_state(page, "plain")[0] == want
    assert field_state(page, "other") == ("second field", 12, 12)
    assert page.evaluate("document.activeElement.id") == "other"
    # A textarea: a new line, then a key on the line above.
    page.locator("#area").click()
    type_paced(page, "line one", rng)
    page.keyboard.press("Enter")
    type_paced(page, "line two", rng)
    page.keyboard.press("ArrowUp")
    type_paced(page, "X", rng)
    settle(page)
    expect(page.locator("#area-echo")).to_have_text("line oneX\nline two", timeout=WAIT_MS)
    assert field_state(page, "area") == ("line oneX\nline two", 9, 9)
    # A number field: digits, a decimal part taken back by Backspace, more digits.
    page.locator("#num").click()
    type_paced(page, "12345.5", rng)
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    type_paced(page, "67", rng)
    settle(page)
    expect(page.locator("#num-echo")).to_have_text("1234567", timeout=WAIT_MS)
    assert field_state(page, "num")[0] == "1234567"


def test_issue_14_typing_latency_a_value_pushed_while_typing_is_not_shown(
    page: Page, app_url: Callable[[str], str]
) -> None:
    """The app sets the field 0.6 s after a click while the person types into it: the typing wins.

    The push's patch acknowledges only the keys the host had then, so the field, with newer keys
    in flight, does not show it (LiveView's rule), and the next key's handler sets the state to
    the typed text. A push that lands while the focused field is idle (every key acknowledged)
    is written, caret at its end: LiveView never writes a focused input.
    """
    with slow_typing_page(page, app_url, "ws"):
        page.locator("#push-later").click()
        page.locator("#pushed").click()
        text = "typing through a value the app sets meanwhile"
        type_paced(page, text, random.Random(7))
        settle(page)
        expect(page.locator("#pushed-echo")).to_have_text(text, timeout=WAIT_MS)
        assert field_state(page, "pushed") == (text, len(text), len(text))
        assert [v for v in seen_values(page, "pushed") if not text.startswith(v)] == []


def test_issue_14_typing_latency_an_async_input_handler_does_not_take_keys_back(
    page: Page, app_url: Callable[[str], str]
) -> None:
    """An ``async`` ``on_input``, over the slow link: nothing typed goes back.

    Before ``Session.acknowledged``, the patch an ``async`` handler rendered after its ``await``
    acknowledged the keys typed meanwhile, so its older text went over them.
    """
    with slow_typing_page(page, app_url, "ws"):
        text = "asynchronous handler typing"
        page.locator("#slow").click()
        type_paced(page, text, random.Random(18))
        expect(page.locator("#slow-echo")).to_have_text(text, timeout=WAIT_MS)
        settle(page)
        assert field_state(page, "slow") == (text, len(text), len(text))
        assert [v for v in seen_values(page, "slow") if not text.startswith(v)] == []
