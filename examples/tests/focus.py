"""Where keyboard focus is, for the browser tests: read it, and wait for it (a condition, not a sleep)."""

from __future__ import annotations

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ACTIVE = """() => {
  const a = document.activeElement;
  if (a === null || a === document.body) return "body";
  return a.id || a.getAttribute("aria-label") || a.textContent || a.tagName;
}"""
"""A page function naming the focused element: its id, else its accessible label, else its text
(``"body"`` when nothing is focused)."""


def active(page: Page) -> str:
    """Return the id (else the accessible label, else the text) of the focused element."""
    result = page.evaluate(ACTIVE)
    assert isinstance(result, str)
    return result


def wait_active(page: Page, want: str, *, timeout_ms: float = 10_000) -> None:
    """Wait until the focused element is ``want`` (as :func:`active` names it).

    Raises:
        AssertionError: Naming the element that has focus instead, after ``timeout_ms``.

    """
    try:
        page.wait_for_function(f"want => ({ACTIVE})() === want", arg=want, timeout=timeout_ms)
    except PlaywrightTimeoutError as error:
        raise AssertionError(f"focus is on {active(page)!r}, not {want!r}") from error
