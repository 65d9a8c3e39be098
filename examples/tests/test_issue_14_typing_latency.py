"""Issue 14, typing probe in Mode B: real keys in Chromium over a slow link (150-400 ms each way, jittered).

The app is ``examples/tests/apps/typing``: controlled fields whose value is state set on every
``input``, some transformed by the app. :class:`~latency_proxy.LatencyProxy` delays the
WebSocket, or the SSE fallback's stream and POSTs, both ways. The rule under test is LiveView's:
the field is the person's while they type; a value the host computed from older text is not
written (``patch.ack`` below the field's latest ``input``), and the host's value is applied once
the acknowledgement of the latest keystroke came.

Regressions found there:

- An input method's composition (Chinese pinyin, Japanese romaji) in a field the app transforms:
  the host's answer to a composition step came while the person was still composing and was
  written into the field, which ends the composition in Chromium and commits the half-composed
  romaji: "ab" + 你好吗 gave ``ABNIHAO你好吗`` instead of ``AB你好吗``. The client now leaves a
  composing control's value alone (``events.js`` ``composing``, checked by ``dom.js``); the
  composition's last ``input`` (the committed text) is answered after it ended.

What held is checked too: 60 keys arrive whole, in order, never visibly taken back, over the
WebSocket and the SSE fallback, and five more keys in the middle keep the caret where they went.
The edits and transforms are in ``test_issue_14_typing_latency_edits.py``, Mode A in
``test_issue_14_typing_latency_mode_a.py``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from typing import Literal

import pytest
from playwright.sync_api import Page, expect
from typing_probe import WAIT_MS, compose, field_state, seen_values, settle, slow_typing_page, type_paced

pytestmark = pytest.mark.browser

SIXTY = "The quick brown fox jumps over the lazy dog 0123456789 abcde"


@pytest.mark.parametrize("transport", ["ws", "sse"])
def test_issue_14_typing_latency_sixty_keys_arrive_whole_and_never_go_back(
    page: Page, app_url: Callable[[str], str], transport: Literal["ws", "sse"]
) -> None:
    """60 keys at 20-40 ms: every frame shows a prefix of what was typed, growing; nothing lost."""
    with slow_typing_page(page, app_url, transport) as slow_link:
        sixty_keys(page)
        assert slow_link.chunks >= 20  # the typing crossed the slow link (SSE batches its POSTs)


def sixty_keys(page: Page) -> None:
    """Type SIXTY, then five more keys five characters back, and check every frame."""
    page.locator("#plain").click()
    type_paced(page, SIXTY, random.Random(1))
    settle(page)
    expect(page.locator("#plain-echo")).to_have_text(SIXTY, timeout=WAIT_MS)
    assert field_state(page, "plain") == (SIXTY, 60, 60)
    seen = seen_values(page, "plain")
    assert [v for v in seen if not SIXTY.startswith(v)] == []
    assert all(len(a) <= len(b) for a, b in itertools.pairwise(seen)), seen
    assert len(seen) >= 30  # the frames saw the text grow, not only its end
    # Edit in the middle: five keys back, five more keys; the caret stays where they went.
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    type_paced(page, "WXYZ!", random.Random(2))
    settle(page)
    want = SIXTY[:55] + "WXYZ!" + SIXTY[55:]
    expect(page.locator("#plain-echo")).to_have_text(want, timeout=WAIT_MS)
    assert field_state(page, "plain") == (want, 60, 60)


@pytest.mark.parametrize("transport", ["ws", "sse"])
def test_issue_14_typing_latency_an_ime_composition_is_not_cut_by_a_patch(
    page: Page, app_url: Callable[[str], str], transport: Literal["ws", "sse"]
) -> None:
    """Compose 你好吗 after "ab" in the upper-casing field, pausing mid-composition for the acks."""
    with slow_typing_page(page, app_url, transport):
        ime_composition(page)


def ime_composition(page: Page) -> None:
    """Type "ab", compose "nihao" and wait for the host's answers, go on composing, commit 你好吗."""
    cdp = page.context.new_cdp_session(page)
    page.locator("#upper").click()
    type_paced(page, "ab", random.Random(3))
    compose(page, cdp, ["n", "ni", "nih", "niha", "nihao"])
    settle(page)  # the host answered every step ("ABNIHAO") while the person still composes
    assert field_state(page, "upper")[0] in {"abnihao", "ABnihao"}  # "ab" answered before, or not yet
    compose(page, cdp, ["nihaom", "nihaoma"])
    cdp.send("Input.insertText", {"text": "你好吗"})  # the candidate chosen: the composition ends
    type_paced(page, "cd", random.Random(4))
    settle(page)
    expect(page.locator("#upper-echo")).to_have_text("AB你好吗CD", timeout=WAIT_MS)
    assert field_state(page, "upper") == ("AB你好吗CD", 7, 7)
    assert not [v for v in seen_values(page, "upper") if "NIHAO" in v.upper() and "你" in v]
