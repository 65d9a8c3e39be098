"""Issue 12 in Mode A, in real Chromium: the first visit takes input at once, errors reach the page.

The boot is held at ``tw-build.json`` (a route the test releases once it has typed), so typing
happens while the runtime is certainly not ready, however fast the machine: the prerendered input
is enabled from first paint and never disabled, every keystroke, Enter and click made during the
boot is replayed once the runtime is up, and a boot indicator shows meanwhile. A raising handler
opens the error overlay: generic with an error id in a build, the traceback in a dev build.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tempestweb_wasm import build
from tempestweb_wasm._serve import StaticServer

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

BOOT_TIMEOUT_MS = 90_000
ACTION_TIMEOUT_MS = 10_000

TODO_APP = textwrap.dedent(
    """
    from __future__ import annotations

    from dataclasses import dataclass, replace

    from tempest_core import App, InputEvent, KeyEvent, html


    @dataclass(frozen=True)
    class State:
        draft: str = ""
        items: tuple[str, ...] = ()
        clicks: int = 0


    def typed(event: InputEvent) -> None:
        app.set_state(lambda s: replace(s, draft=event.value))


    def key(event: KeyEvent) -> None:
        title = (event.value or "").strip()
        if event.key == "Enter" and title:
            app.set_state(lambda s: replace(s, items=(*s.items, title), draft=""))


    def click() -> None:
        app.set_state(lambda s: replace(s, clicks=s.clicks + 1))


    def boom() -> None:
        raise ValueError("kaboom in Mode A")


    def view(state: State):  # noqa: ANN201
        return html.main(
            html.input(
                id="new", type="text", value=state.draft, autofocus=True, on_input=typed, on_keydown=key
            ),
            html.ul([html.li(title, key=i) for i, title in enumerate(state.items)], id="items"),
            html.button(f"clicked {state.clicks}", id="inc", type="button", on_click=click),
            html.button("boom", id="boom", type="button", on_click=boom),
        )


    app = App(view=view, state=State(), title="Boot queue")
    """
)

# Installed before any page script (CDP): records every `disabled` ever set under #tw-root.
_WATCH_DISABLED = """
window.__disabledEver = [];
new MutationObserver((records) => {
  for (const r of records) {
    const node = r.target;
    if (node.closest && node.closest('#tw-root') && node.hasAttribute('disabled')) {
      window.__disabledEver.push(node.id || node.localName);
    }
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['disabled'] });
"""


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("todo")
    (folder / "app.py").write_text(TODO_APP)
    return folder


@pytest.fixture(scope="module")
def site(app_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    result = build(app_folder, out=tmp_path_factory.mktemp("site") / "out", csp=True)
    with StaticServer(result.out) as server:
        yield server.url


@pytest.fixture(scope="module")
def dev_site(app_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    result = build(app_folder, out=tmp_path_factory.mktemp("dev-site") / "out", csp=True, dev=True)
    with StaticServer(result.out) as server:
        yield server.url


def _items(page: Any) -> list[str]:
    items: list[str] = page.eval_on_selector_all("#items > li", "els => els.map(e => e.textContent)")
    return items


def test_issue_12_typing_during_boot_keeps_every_keystroke(site: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.add_init_script(_WATCH_DISABLED)
    held: list[Any] = []

    def hold(route: Any) -> None:  # the boot waits here until the test releases it
        held.append(route)

    page.route("**/tw-build.json", hold)
    page.goto(site, wait_until="domcontentloaded")  # the client module has run: it is mounted
    page.wait_for_selector(".tw-boot[role=status]")
    assert page.get_attribute("#tw-root", "aria-busy") == "true"
    assert page.evaluate("() => document.activeElement.id") == "new"  # autofocus at first paint
    page.keyboard.type("first todo")
    page.keyboard.press("Enter")
    page.click("#inc")
    page.click("#inc")
    assert page.get_attribute("#inc", "class") == "tw-loading"  # queued, shown as on its way
    assert page.input_value("#new") == "first todo" and _items(page) == []  # the runtime is not up yet
    assert not page.evaluate("() => document.documentElement.hasAttribute('data-tw-ready')")
    assert len(held) == 1  # the boot is still held
    held[0].continue_()
    page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
    page.wait_for_selector("#inc:text-is('clicked 2')", timeout=ACTION_TIMEOUT_MS)
    assert _items(page) == ["first todo"]  # every keystroke, then Enter, handled in order
    assert page.input_value("#new") == ""  # the app cleared its draft on Enter
    page.focus("#new")
    page.keyboard.type("second")
    page.keyboard.press("Enter")
    page.wait_for_selector("#items > li:nth-child(2)", timeout=ACTION_TIMEOUT_MS)
    assert _items(page) == ["first todo", "second"] and page.input_value("#new") == ""
    assert page.evaluate("() => window.__disabledEver") == []  # never an enabled flash
    assert page.locator(".tw-boot").count() == 0 and page.get_attribute("#tw-root", "aria-busy") is None
    assert not page.evaluate("() => document.getElementById('inc').hasAttribute('class')")
    # A raising handler: a build shows a generic overlay with the error id, never the exception.
    page.click("#boom")
    overlay = page.locator(".tw-overlay")
    overlay.wait_for(timeout=ACTION_TIMEOUT_MS)
    text = overlay.inner_text()
    assert "Something went wrong" in text and "kaboom" not in text
    assert re.search(r"Error id: [0-9a-f]{8}", text)
    assert problems == []
    context.close()


def test_issue_12_a_dev_build_shows_the_traceback(dev_site: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(dev_site)
    page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
    page.click("#boom")
    overlay = page.locator(".tw-overlay")
    overlay.wait_for(timeout=ACTION_TIMEOUT_MS)
    title = overlay.locator("h2").inner_text()
    assert title == "the 'click' handler 'boom' raised ValueError: kaboom in Mode A"
    trace = overlay.locator("pre").inner_text()
    assert re.search(r"app\.py:\d+ in boom\n\s+raise ValueError", trace), trace
    page.get_by_role("button", name="Dismiss").click()
    overlay.wait_for(state="detached")
    page.click("#inc")
    page.wait_for_selector("#inc:text-is('clicked 1')", timeout=ACTION_TIMEOUT_MS)
    context.close()
