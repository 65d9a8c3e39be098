"""Typing as a person does, for the issue 14 typing probes: paced keys, an IME, and what the field showed.

The page records, at every animation frame, each text control's value and selection when they
changed (``SAMPLER``, installed before the client runs): what the person saw, frame by frame,
including a value a patch wrote and a later one took back.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final, Literal
from urllib.parse import urlsplit

from latency_proxy import LatencyProxy
from playwright.sync_api import CDPSession, Page, expect
from test_issue_13_sse_probe_slow_link import NO_WEBSOCKET

__all__ = [
    "APP",
    "SAMPLER",
    "WAIT_MS",
    "compose",
    "field_state",
    "seen_values",
    "settle",
    "slow_typing_page",
    "type_paced",
]

APP: Final = "tests/apps/typing"
"""The typing app, under ``examples/``."""

WAIT_MS: Final = 10_000
"""Longest wait for a page condition (a value, the acknowledgements)."""

SAMPLER: Final = """
(() => {
  window.__twSeen = {};
  const tick = () => {
    for (const el of document.querySelectorAll("input[id], textarea[id]")) {
      const seen = (window.__twSeen[el.id] ||= []);
      let caret = null;
      try { caret = el.selectionStart; } catch { caret = null; }
      const last = seen[seen.length - 1];
      if (last === undefined || last[0] !== el.value || last[1] !== caret) seen.push([el.value, caret]);
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""
"""Init script: ``window.__twSeen[id]`` lists ``[value, selectionStart]`` per change seen at a frame."""

_KEY_DELAY_MS: Final = (20, 40)
"""A fast typist: 20 to 40 ms between keys."""


def type_paced(page: Page, text: str, rng: random.Random) -> None:
    """Type ``text`` one real key at a time, 20-40 ms apart (``rng`` draws each pause).

    Args:
        page: The page, with focus in the field.
        text: What to type.
        rng: The pauses' source (seeded by the test: the same pauses on every run).

    """
    for char in text:
        page.keyboard.type(char)
        page.wait_for_timeout(rng.randint(*_KEY_DELAY_MS))  # the typist's pace, not a page condition


def compose(page: Page, cdp: CDPSession, steps: list[str]) -> None:
    """Send an input method's composition steps (``Input.imeSetComposition``), caret at the end.

    Args:
        page: The page, with focus in the field.
        cdp: A CDP session of the page.
        steps: The composed text after each step, e.g. ``["n", "ni", "nih"]``.

    """
    for text in steps:
        cdp.send(
            "Input.imeSetComposition", {"text": text, "selectionStart": len(text), "selectionEnd": len(text)}
        )
        page.wait_for_timeout(30)  # the typist's pace


def settle(page: Page) -> None:
    """Wait until no event is in flight: every element's ``tw-loading`` mark went with its ack."""
    expect(page.locator(".tw-loading")).to_have_count(0, timeout=WAIT_MS)


def field_state(page: Page, field: str) -> tuple[str, int | None, int | None]:
    """Return the value, selection start and selection end of the control with id ``field``."""
    value, start, end = page.evaluate(
        """id => {
          const el = document.getElementById(id);
          let start = null, end = null;
          try { start = el.selectionStart; end = el.selectionEnd; } catch { /* no selection */ }
          return [el.value, start, end];
        }""",
        field,
    )
    return str(value), start, end


def seen_values(page: Page, field: str) -> list[str]:
    """Return every value the control with id ``field`` showed at a frame, in order."""
    seen = page.evaluate("id => (window.__twSeen[id] || []).map((entry) => entry[0])", field)
    return [str(value) for value in seen]


@contextmanager
def slow_typing_page(
    page: Page, app_url: Callable[[str], str], transport: Literal["ws", "sse"]
) -> Iterator[LatencyProxy]:
    """Open the typing app (Mode B) through a :class:`LatencyProxy` and slow the link to 150-400 ms.

    The page loads at full speed; the delays start once the session is open, for what the test
    types. ``transport`` ``"sse"`` blocks the page's WebSocket, so the client falls back to SSE.

    Args:
        page: A fresh page.
        app_url: The ``app_url`` fixture.
        transport: ``"ws"`` or ``"sse"``.

    Yields:
        The proxy (closed on exit).

    """
    port = urlsplit(app_url(APP)).port
    assert port is not None
    proxy = LatencyProxy(port, 0.0, 0.0)
    try:
        page.add_init_script(SAMPLER)
        if transport == "sse":
            page.add_init_script(NO_WEBSOCKET)
        page.goto(proxy.url)
        expect(page.locator("#tw-root")).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)
        proxy.min_delay_s, proxy.max_delay_s = 0.15, 0.4
        yield proxy
    finally:
        proxy.close()
