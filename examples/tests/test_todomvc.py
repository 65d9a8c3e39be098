"""TodoMVC behaviour suite in Chromium: against the tempestweb example (Mode B) and the vanilla reference.

The reference page validates the suite itself: every check must pass on it, and each deliberately broken
variant (``?broken=...``) must make the check that covers the defect fail.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MODE_A_BOOT_TIMEOUT_MS, REFERENCE
from playwright.sync_api import Page, expect
from todomvc_checks import ALL_CHECKS, Check
from todomvc_driver import WAIT_MS, open_app

pytestmark = pytest.mark.browser


@pytest.fixture(params=["reference", "mode-b", "mode-a"])
def todomvc_url(
    request: pytest.FixtureRequest,
    static_url: Callable[[Path], str],
    app_url: Callable[[str], str],
    wasm_url: Callable[[str], str],
) -> tuple[str, int]:
    """(base URL, readiness timeout in ms) of the TodoMVC: the reference, Mode B (server), Mode A (static)."""
    if request.param == "reference":
        return static_url(REFERENCE / "todomvc") + "index.html", WAIT_MS
    if request.param == "mode-b":
        return app_url("todomvc"), WAIT_MS
    return wasm_url("todomvc"), MODE_A_BOOT_TIMEOUT_MS


@pytest.mark.parametrize("check", list(ALL_CHECKS.values()), ids=list(ALL_CHECKS))
def test_todomvc(page: Page, todomvc_url: tuple[str, int], check: Check) -> None:
    url, ready_timeout_ms = todomvc_url
    open_app(page, url, ready_timeout_ms=ready_timeout_ms)
    check(page)


@pytest.mark.parametrize(
    ("defect", "check", "symptom"),
    [
        ("plural", "counter", "1 items left"),
        ("escape_blur", "edit_escape", "discarded text"),
        ("toggle_all", "add", "toggle_all"),
        ("trim", "add", "walk the dog  "),
    ],
)
def test_suite_detects_broken_reference(
    page: Page, static_url: Callable[[Path], str], defect: str, check: str, symptom: str
) -> None:
    """Self-check: opening + the check fail on a reference page with one deliberate defect, naming it."""
    with pytest.raises(AssertionError, match=symptom):
        open_app(page, static_url(REFERENCE / "todomvc") + f"index.html?broken={defect}")
        ALL_CHECKS[check](page)


def test_typing_sends_only_the_keys_the_app_listens_to(page: Page, app_url: Callable[[str], str]) -> None:
    """Mode B: the new-todo field's and a checkbox's keydown listeners are filtered
    (``handler(..., keys=...)``): typing a title sends its ``input`` events and one ``keydown``
    (Enter), where every keystroke used to send a ``keydown`` too; a checkbox sends Enter and F2
    only (Space still toggles it through ``change``)."""
    sent: list[dict[str, object]] = []

    def on_frame(payload: str | bytes) -> None:
        if isinstance(payload, str) and '"event"' in payload:
            frame = json.loads(payload)
            if frame.get("type") == "event":
                sent.append(frame)

    page.on("websocket", lambda ws: ws.on("framesent", on_frame))
    open_app(page, app_url("todomvc"))  # adds and deletes a probe todo
    sent.clear()
    page.click(".new-todo")
    page.keyboard.type("milk")
    page.keyboard.press("Enter")
    page.wait_for_selector(".todo-list li label:text-is('milk')", timeout=WAIT_MS)
    toggle = page.locator(".todo-list li .toggle")
    toggle.focus()
    page.keyboard.press("x")
    page.keyboard.press("Space")
    expect(toggle).to_be_checked(timeout=WAIT_MS)
    page.keyboard.press("F2")
    expect(page.locator(".todo-list li .edit")).to_be_focused(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(toggle).to_be_focused(timeout=WAIT_MS)
    keys = [frame["data"]["key"] for frame in sent if frame["name"] == "keydown"]  # type: ignore[index]
    assert keys == ["Enter", "F2", "Escape"]
    typed = [frame["data"]["value"] for frame in sent if frame["name"] == "input"]  # type: ignore[index]
    assert typed == ["m", "mi", "mil", "milk"]
