"""Issue 14, typing probe in Mode A: real keys in Chromium, the app in the page (Pyodide).

The app is ``examples/tests/apps/typing``, built for Mode A. There is no network: each ``input``
is handled by Python in the page and its patch applied in a microtask, before the next key, so
every answer reaches the field at once.

Regressions found there (the same as over a slow link in Mode B):

- An input method's composition in the upper-casing field: each composition step was answered
  at once and written into the field, which ended the composition in Chromium: the romaji were
  committed upper-cased and the composition started over. The client now leaves a composing
  control's value alone (``events.js`` ``composing``, checked by ``dom.js``).
- Digits typed in the middle of a digit-stripping field left the caret at the end
  (``dom.js`` ``caretAfter`` keeps it among the characters around it).

Found with these tests and fixed in ``tempest_core``:

- An ``async`` ``on_input`` handler that sets the state after an ``await`` (a look-up) was
  answered with ``patch.ack`` of every event dispatched so far, so the value it set, computed
  from older text, was written over what the person typed since: the text went back, and the keys
  typed meanwhile landed in the older text (``asyonnhltg`` for "asynchronous handler typing").
  A patch now acknowledges no edit whose ``async`` handler still runs (``Session.acknowledged``).

Kept as it is: a field inside a ``@component`` that a render skips (its props equal) keeps what
the person typed, even when the app's state cut it (a length limit): settling such fields against
their last render was tried and reverted, as it erased the text typed into TodoMVC's edit field
(``value=todo.title`` is where editing starts; the text typed goes to the state, not the props).
docs/guide.md says so.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest
from conftest import MODE_A_BOOT_TIMEOUT_MS
from playwright.sync_api import Browser, Page, expect
from typing_probe import APP, SAMPLER, WAIT_MS, compose, field_state, seen_values, settle, type_paced

pytestmark = pytest.mark.browser

SIXTY = "The quick brown fox jumps over the lazy dog 0123456789 abcde"
WIDE_X, WIDE_1 = "\N{FULLWIDTH LATIN SMALL LETTER X}", "\N{FULLWIDTH DIGIT ONE}"
"""What an input method in full-width mode types (``str.isdigit()`` holds for WIDE_1)."""


@pytest.fixture(scope="module")
def mode_a(browser: Browser, wasm_url: Callable[[str], str]) -> Iterator[Page]:
    """The typing app in Mode A, booted once for the module's tests (each uses its own fields)."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.add_init_script(SAMPLER)
    page.goto(wasm_url(APP))
    page.wait_for_selector("html[data-tw-ready]", state="attached", timeout=MODE_A_BOOT_TIMEOUT_MS)
    expect(page.locator("#tw-root")).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)
    yield page
    context.close()


def test_issue_14_typing_latency_mode_a_sixty_keys_arrive_whole(mode_a: Page) -> None:
    """60 keys at 20-40 ms: every frame shows a prefix of what was typed; the caret at the end."""
    mode_a.locator("#plain").click()
    type_paced(mode_a, SIXTY, random.Random(11))
    settle(mode_a)
    expect(mode_a.locator("#plain-echo")).to_have_text(SIXTY, timeout=WAIT_MS)
    assert field_state(mode_a, "plain") == (SIXTY, 60, 60)
    assert [v for v in seen_values(mode_a, "plain") if not SIXTY.startswith(v)] == []


def test_issue_14_typing_latency_mode_a_an_ime_composition_is_not_cut(mode_a: Page) -> None:
    """Compose 你好 after "ab" in the upper-casing field: no step's answer ends the composition."""
    cdp = mode_a.context.new_cdp_session(mode_a)
    mode_a.locator("#upper").click()
    type_paced(mode_a, "ab", random.Random(12))
    settle(mode_a)
    compose(mode_a, cdp, ["n", "ni", "nih", "niha", "nihao"])
    settle(mode_a)
    assert field_state(mode_a, "upper")[0] == "ABnihao"
    cdp.send("Input.insertText", {"text": "你好"})
    type_paced(mode_a, "cd", random.Random(13))
    settle(mode_a)
    expect(mode_a.locator("#upper-echo")).to_have_text("AB你好CD", timeout=WAIT_MS)
    assert field_state(mode_a, "upper") == ("AB你好CD", 6, 6)
    cdp.detach()


def test_issue_14_typing_latency_mode_a_digits_stripped_in_the_middle_keep_the_caret(mode_a: Page) -> None:
    """Type "1g2h3" at "abc|def" in the digit-stripping field: "abcghdef", the caret after "abcgh".

    Then compose a full-width x and 1 there: the digit goes when the composition ends (the answer
    to its last step came before ``compositionend``; the one to the ``input`` sent at its end is
    written).
    """
    mode_a.locator("#nodigits").click()
    type_paced(mode_a, "abcdef", random.Random(14))
    settle(mode_a)
    for _ in range(3):
        mode_a.keyboard.press("ArrowLeft")
    type_paced(mode_a, "1g2h3", random.Random(15))
    settle(mode_a)
    expect(mode_a.locator("#nodigits-echo")).to_have_text("abcghdef", timeout=WAIT_MS)
    assert field_state(mode_a, "nodigits") == ("abcghdef", 5, 5)
    cdp = mode_a.context.new_cdp_session(mode_a)
    compose(mode_a, cdp, [WIDE_X, WIDE_X + WIDE_1])
    cdp.send("Input.insertText", {"text": WIDE_X + WIDE_1})
    settle(mode_a)
    expect(mode_a.locator("#nodigits-echo")).to_have_text(f"abcgh{WIDE_X}def", timeout=WAIT_MS)
    assert field_state(mode_a, "nodigits") == (f"abcgh{WIDE_X}def", 6, 6)
    cdp.detach()


def test_issue_14_typing_latency_mode_a_an_async_input_handler_does_not_take_keys_back(mode_a: Page) -> None:
    """Type into a field whose ``on_input`` awaits 150 ms before it sets the state: nothing is lost."""
    text = "asynchronous handler typing"
    mode_a.locator("#slow").click()
    type_paced(mode_a, text, random.Random(16))
    expect(mode_a.locator("#slow-echo")).to_have_text(text, timeout=WAIT_MS)
    assert field_state(mode_a, "slow") == (text, len(text), len(text))
    assert [v for v in seen_values(mode_a, "slow") if not text.startswith(v)] == []
