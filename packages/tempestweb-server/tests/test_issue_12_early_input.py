"""Issue 12 in Mode B, in real Chromium: what a person does before the client module runs counts.

The client's entry module (``/_tw/client/boot.js``) is held back by route interception, so the
prerendered page is on screen with no client running, however fast the machine. Real clicks,
keystrokes and Enter made then are recorded by the early-input script (``early.js``, in
``<head>``) and, once the module is released, replayed into the session's queue and handled in
order: nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest
from server_live import live_server

from tempest_core import App, InputEvent, KeyEvent, html
from tempest_core.nodes import Node
from tempestweb_contract.names import CLIENT_ENTRY_FILE, CLIENT_PATH, ENDPOINT_PREFIX

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")


@dataclass(frozen=True)
class State:
    count: int = 0
    draft: str = ""
    items: tuple[str, ...] = ()


def _app() -> App[State]:
    def bump() -> None:
        app.set_state(lambda s: replace(s, count=s.count + 1))

    def typed(event: InputEvent) -> None:
        app.set_state(lambda s: replace(s, draft=event.value))

    def key(event: KeyEvent) -> None:
        title = (event.value or "").strip()
        if event.key == "Enter" and title:
            app.set_state(lambda s: replace(s, items=(*s.items, title), draft=""))

    def view(s: State) -> Node:
        return html.main(
            html.p(f"Count: {s.count}", id="count"),
            html.button("+", id="inc", type="button", on_click=bump),
            html.input(id="new", type="text", value=s.draft, on_input=typed, on_keydown=key),
            html.ul([html.li(title, key=i) for i, title in enumerate(s.items)], id="items"),
        )

    app: App[State] = App(view=view, state=State(), title="early input")
    return app


def test_issue_12_clicks_and_keys_before_the_client_runs_are_replayed(browser: Any) -> None:
    with live_server(_app()) as base:
        page = browser.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        held: list[Any] = []

        def hold(route: Any) -> None:  # Playwright needs a Python function here, not a builtin
            held.append(route)

        page.route(f"**{ENDPOINT_PREFIX}{CLIENT_PATH}/{CLIENT_ENTRY_FILE}", hold)
        page.goto(f"http://{base}/", wait_until="commit")
        page.wait_for_selector("#inc")  # the prerendered view is on screen
        page.wait_for_function("() => document.readyState === 'interactive'")
        assert held, "the client's entry module was requested"
        assert page.get_attribute("#tw-root", "data-tw-status") is None  # no client yet
        for _ in range(3):
            page.click("#inc")
        page.click("#new")
        page.keyboard.type("buy milk")
        page.keyboard.press("Enter")
        assert page.text_content("#count") == "Count: 0"  # nothing handled yet
        held[0].continue_()  # the client module arrives and mounts
        page.wait_for_selector("#tw-root[data-tw-status=open]")
        page.wait_for_selector("#count:text-is('Count: 3')")
        page.wait_for_selector("#items li:text-is('buy milk')")
        assert page.locator("#items li").all_inner_texts() == ["buy milk"]
        page.wait_for_function("() => document.getElementById('new').value === ''")  # the app cleared it
        page.keyboard.type("eggs")  # the live app goes on from there
        page.keyboard.press("Enter")
        page.wait_for_selector("#items li:text-is('eggs')")
        page.click("#inc")
        page.wait_for_selector("#count:text-is('Count: 4')")
        page.close()
        assert problems == []


def test_issue_12_the_early_input_script_names_match_the_contract() -> None:
    from pathlib import Path

    from tempestweb_contract import names

    source = (Path(__file__).resolve().parents[3] / "client" / "src" / names.CLIENT_EARLY_FILE).read_text()
    assert f'const ATTR_LISTENERS = "{names.ATTR_LISTENERS}";' in source
    assert f'const DOM_EVENT_EARLY_INPUT = "{names.DOM_EVENT_EARLY_INPUT}";' in source
