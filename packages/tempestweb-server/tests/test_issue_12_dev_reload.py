"""Issue 12: ``tempestweb dev`` (Mode B) reloads survive a change of the state class, in Chromium.

A real dev server (the server mode's ``dev``, as the CLI runs it) in a child process, real
pages, real clicks and keystrokes, and saves of ``app.py``:

- adding and removing fields of the state class keeps the other fields' values, an added field
  starts from its default, and the page and the log say what happened, once;
- text typed into an input the app does not bind (no ``on_input``) is still there afterwards;
- a tab closed before the save is neither counted nor reloaded;
- a save whose view fails is logged once for all the open pages, each showing the same id.
"""

from __future__ import annotations

import re
import textwrap
import time
from typing import Any

import pytest
from server_live import free_port
from test_issue_12_browser import ServerProcess

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")

RELOAD_TIMEOUT_MS = 30_000
"""A save reaches the page after watchfiles' debounce and a re-import (slow on a loaded machine)."""

HEAD = textwrap.dedent(
    """
    from dataclasses import dataclass, replace

    from tempest_core import App, Button, Column, Text, html


    def bump() -> None:
        app.set_state(lambda s: replace(s, count=s.count + 1))

    """
)

V1 = HEAD + textwrap.dedent(
    """
    @dataclass(frozen=True)
    class State:
        count: int = 0
        label: str = "first"


    def view(s: State):
        return Column(
            Text(f"Count: {s.count}", id="count"),
            Text(f"Label: {s.label}", id="label"),
            Button("+", on_click=bump, id="inc"),
            html.input(id="free", type="text", name="free"),
        )


    app = App(view=view, state=State(), title="dev reload")
    """
)

V2 = HEAD + textwrap.dedent(
    """
    @dataclass(frozen=True)
    class State:
        count: int = 0
        tags: tuple[str, ...] = ("new",)


    def view(s: State):
        return Column(
            Text(f"Count: {s.count}", id="count"),
            Text(f"Tags: {','.join(s.tags)}", id="tags"),
            Button("+", on_click=bump, id="inc"),
            html.input(id="free", type="text", name="free"),
        )


    app = App(view=view, state=State(), title="dev reload")
    """
)

V3 = V2.replace(
    "    return Column(\n", '    raise RuntimeError("the v3 view broke")\n    return Column(\n', 1
)

NOTICE = "State changed: added 'tags' (initial value); removed 'label' (value dropped); kept 'count'"


def _open(browser: Any, url: str, problems: list[str]) -> Any:
    page = browser.new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(url)
    page.wait_for_selector("#tw-root[data-tw-status=open]")
    return page


def _wait_for_log(server: ServerProcess, text: str) -> str:
    deadline = time.monotonic() + RELOAD_TIMEOUT_MS / 1000
    while text not in server.output() and time.monotonic() < deadline:
        time.sleep(0.05)  # the child flushes its log on its own schedule
    return server.output()


def test_issue_12_dev_reload_carries_state_keeps_typed_text_and_reports_once(
    browser: Any, tmp_path: Any
) -> None:
    app_file = tmp_path / "app.py"
    app_file.write_text(V1)
    server = ServerProcess(app_file, "dev", free_port())
    server.start()
    problems: list[str] = []
    try:
        url = f"http://127.0.0.1:{server.port}/"
        closed = _open(browser, url, problems)
        closed.close()  # a tab closed long before the save
        page = _open(browser, url, problems)
        for expected in ("Count: 1", "Count: 2", "Count: 3"):
            page.click("#inc")
            page.wait_for_selector(f"#count:text-is('{expected}')")
        page.click("#free")
        page.keyboard.type("typed by hand")

        app_file.write_text(V2)  # add `tags`, remove `label`
        page.wait_for_selector("#tags:text-is('Tags: new')", timeout=RELOAD_TIMEOUT_MS)
        assert page.text_content("#count") == "Count: 3"  # the kept field kept its value
        assert page.locator("#label").count() == 0
        assert page.input_value("#free") == "typed by hand"  # not the app's: not clobbered
        notice = page.locator(".tw-overlay h2")
        notice.wait_for()
        assert notice.inner_text() == f"hot reload: {NOTICE}"
        explained = page.locator(".tw-overlay pre").inner_text()
        assert "Kept with their values: 'count'." in explained
        assert "Added, starting from the app's initial state: 'tags'." in explained
        match = re.search(r"Error id: ([0-9a-f]{8})", page.locator(".tw-overlay").inner_text())
        assert match is not None
        log = _wait_for_log(server, "reloaded app.py into")
        assert "reloaded app.py into 1 session(s); closed 1 disconnected session(s)" in log
        assert f"hot reload in 1 session(s) (notice {match.group(1)}): {NOTICE}" in log
        assert log.count(NOTICE) == 1
        page.get_by_role("button", name="Dismiss").click()
        page.click("#inc")  # the reloaded app runs
        page.wait_for_selector("#count:text-is('Count: 4')")

        second = _open(browser, url, problems)
        app_file.write_text(V3)  # the view raises: both pages keep the previous version
        ids = []
        for each in (page, second):
            title = each.locator(".tw-overlay h2", has_text="reload failed")
            title.wait_for(timeout=RELOAD_TIMEOUT_MS)
            assert title.inner_text() == (
                "reload failed, the page keeps the previous version: "
                "the view raised RuntimeError: the v3 view broke"
            )
            match = re.search(r"Error id: ([0-9a-f]{8})", each.locator(".tw-overlay").inner_text())
            assert match is not None
            ids.append(match.group(1))
        assert ids[0] == ids[1]
        log = _wait_for_log(server, f"(error {ids[0]})")
        assert log.count(f"(error {ids[0]})") == 1  # once, for both pages
        assert "hot reload failed in 2 session(s), they keep the previous version" in log
        assert log.count("Your code (most recent call last)") == 1  # one traceback
        assert "reloaded app.py into 0 session(s)" not in log
        assert page.text_content("#count") == "Count: 4"
        page.close()
        second.close()
    finally:
        server.kill()
    assert problems == []


def test_issue_12_the_500_page_reloads_itself_once_the_fix_is_saved(browser: Any, tmp_path: Any) -> None:
    app_file = tmp_path / "app.py"
    app_file.write_text(V3)  # the first render fails: the page is the error page
    server = ServerProcess(app_file, "dev", free_port())
    server.start()
    problems: list[str] = []
    try:
        page = browser.new_page()
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        response = page.goto(f"http://127.0.0.1:{server.port}/some/deep/path")
        assert response is not None and response.status == 500
        assert "the v3 view broke" in page.locator("pre").inner_text()
        assert "this page reloads itself when you save a fix" in page.inner_text("body")
        assert page.locator('script[type=module][src="/_tw/client/dev.js"]').count() == 1
        # No wait for the event stream: a version saved before it opens differs from the
        # page's own (its `hello` says so), which reloads the page all the same.
        app_file.write_text(V2)  # the fix
        page.wait_for_selector("#tags:text-is('Tags: new')", timeout=RELOAD_TIMEOUT_MS)
        page.wait_for_selector("#tw-root[data-tw-status=open]")
        page.click("#inc")
        page.wait_for_selector("#count:text-is('Count: 1')")
        page.close()
    finally:
        server.kill()
    assert problems == []


CLEAR = textwrap.dedent(
    """
    from tempest_core import App, Button, Column, Text


    def bump() -> None:
        app.set_state(lambda n: n + 1)


    def boom() -> None:
        raise ValueError("kaboom from the handler")


    def view(n: int):
        return Column(
            Text(f"Count: {n}", id="count"),
            Button("+", on_click=bump, id="inc"),
            Button("boom", on_click=boom, id="boom"),
        )


    app = App(view=view, state=0, title="dev reload")
    """
)


def test_issue_12_a_successful_reload_clears_the_failed_reload_from_the_overlay(
    browser: Any, tmp_path: Any
) -> None:
    """The fix of a failed reload takes its notice off the overlay; an unrelated error stays."""
    app_file = tmp_path / "app.py"
    app_file.write_text(CLEAR)
    server = ServerProcess(app_file, "dev", free_port())
    server.start()
    problems: list[str] = []
    try:
        page = _open(browser, f"http://127.0.0.1:{server.port}/", problems)
        page.click("#inc")
        page.wait_for_selector("#count:text-is('Count: 1')")
        page.click("#boom")  # an error of its own, not dismissed: it stays
        title = page.locator(".tw-overlay h2")
        title.filter(has_text="kaboom from the handler").wait_for()

        app_file.write_text(CLEAR + "\ndef broken(:\n")  # a SyntaxError
        title.filter(has_text="reload failed").wait_for(timeout=RELOAD_TIMEOUT_MS)
        assert "1 earlier error" in page.locator(".tw-overlay").inner_text()
        trace = page.locator(".tw-overlay pre").inner_text()  # the app's file:line, not tempestweb's
        your_code = r"Your code \(most recent call last\):\n\s+\S*app\.py:\d+\n\s+def broken\(:\n"
        assert re.search(your_code, trace), trace
        app_file.write_text(CLEAR.replace('f"Count: {n}"', 'f"Clicks: {n}"'))  # the fix
        page.wait_for_selector("#count:text-is('Clicks: 1')", timeout=RELOAD_TIMEOUT_MS)
        title.filter(has_text="kaboom from the handler").wait_for()
        assert page.locator(".tw-overlay", has_text="reload failed").count() == 0
        assert page.locator(".tw-overlay-more").count() == 0  # the failed reload is not counted
        page.get_by_role("button", name="Dismiss").click()

        raising = '    raise RuntimeError("the view broke")\n    return Column(\n'
        app_file.write_text(CLEAR.replace("    return Column(\n", raising))  # the view raises
        title.filter(has_text="reload failed").wait_for(timeout=RELOAD_TIMEOUT_MS)
        app_file.write_text(CLEAR.replace('f"Count: {n}"', 'f"Total: {n}"'))  # the fix
        page.wait_for_selector("#count:text-is('Total: 1')", timeout=RELOAD_TIMEOUT_MS)
        page.wait_for_selector(".tw-overlay", state="detached")
        page.click("#inc")  # the reloaded app runs
        page.wait_for_selector("#count:text-is('Total: 2')")
        page.close()
    finally:
        server.kill()
    assert problems == []


LIKES = textwrap.dedent(
    """
    from tempest_core import App, Button, Column, Text, component, use_state


    @component
    def like(*, name: str):
        n, set_n = use_state(0)
        return Button(f"Likes of {name}: {n}", id=name, on_click=lambda: set_n(lambda v: v + 1))


    def view(_: None):
        return Column(Text("Likes", id="title"), like(name="a", key="a"), like(name="b", key="b"))


    app = App(view=view, state=None, title="dev reload")
    """
)


def test_a_save_keeps_what_components_hold_in_use_state(browser: Any, tmp_path: Any) -> None:
    """Fast Refresh's rule under ``tempestweb dev``: the reloaded components keep their state."""
    app_file = tmp_path / "app.py"
    app_file.write_text(LIKES)
    server = ServerProcess(app_file, "dev", free_port())
    server.start()
    problems: list[str] = []
    try:
        page = _open(browser, f"http://127.0.0.1:{server.port}/", problems)
        for _ in range(2):
            page.click("#a")
        page.click("#b")
        page.wait_for_selector("#b:text-is('Likes of b: 1')")
        page.wait_for_selector("#a:text-is('Likes of a: 2')")
        app_file.write_text(LIKES.replace('f"Likes of {name}: {n}"', 'f"{name} has {n} likes"'))
        page.wait_for_selector("#a:text-is('a has 2 likes')", timeout=RELOAD_TIMEOUT_MS)
        assert page.locator("#b").inner_text() == "b has 1 likes"
        page.click("#b")  # the carried state goes on from where it was
        page.wait_for_selector("#b:text-is('b has 2 likes')")
        page.close()
    finally:
        server.kill()
    assert problems == []


def test_a_page_opened_after_a_broken_save_shows_the_failed_reload(browser: Any, tmp_path: Any) -> None:
    """A page opened (or reloaded) after a save that does not import showed the old version and
    no error at all: only the pages open at the save got the overlay."""
    app_file = tmp_path / "app.py"
    app_file.write_text(CLEAR)
    server = ServerProcess(app_file, "dev", free_port())
    server.start()
    problems: list[str] = []
    try:
        url = f"http://127.0.0.1:{server.port}/"
        page = _open(browser, url, problems)
        app_file.write_text(CLEAR + "\ndef broken(:\n")  # a SyntaxError
        page.locator(".tw-overlay h2").filter(has_text="reload failed").wait_for(timeout=RELOAD_TIMEOUT_MS)
        fresh = _open(browser, url, problems)  # a new tab, after the broken save
        fresh.locator(".tw-overlay h2").filter(has_text="reload failed").wait_for(timeout=RELOAD_TIMEOUT_MS)
        page.reload()
        page.wait_for_selector("#tw-root[data-tw-status=open]")
        page.locator(".tw-overlay h2").filter(has_text="reload failed").wait_for(timeout=RELOAD_TIMEOUT_MS)
        app_file.write_text(CLEAR.replace('f"Count: {n}"', 'f"Fixed: {n}"'))  # the fix
        fresh.wait_for_selector("#count:text-is('Fixed: 0')", timeout=RELOAD_TIMEOUT_MS)
        fresh.wait_for_selector(".tw-overlay", state="detached")
        later = _open(browser, url, problems)  # after the fix: no error
        later.wait_for_selector("#count:text-is('Fixed: 0')")
        assert later.locator(".tw-overlay").count() == 0
        for each in (page, fresh, later):
            each.close()
    finally:
        server.kill()
    assert problems == []


def test_a_successful_reload_clears_a_failure_of_the_view(browser: Any, tmp_path: Any) -> None:
    """The view raised on a later render ("the page still shows the last view that rendered");
    the saved fix rendered, yet the overlay went on saying so."""
    app_file = tmp_path / "app.py"
    app_file.write_text(CLEAR.replace('f"Count: {n}"', 'f"Count: {10 // (2 - n)}"'))
    server = ServerProcess(app_file, "dev", free_port())
    server.start()
    problems: list[str] = []
    try:
        page = _open(browser, f"http://127.0.0.1:{server.port}/", problems)
        page.click("#inc")
        page.wait_for_selector("#count:text-is('Count: 10')")
        page.click("#inc")  # 10 // 0: the view raises
        page.locator(".tw-overlay h2").filter(has_text="the view raised ZeroDivisionError").wait_for()
        app_file.write_text(CLEAR.replace('f"Count: {n}"', 'f"Fixed: {n}"'))  # the fix
        page.wait_for_selector("#count:text-is('Fixed: 2')", timeout=RELOAD_TIMEOUT_MS)
        page.wait_for_selector(".tw-overlay", state="detached")
        page.close()
    finally:
        server.kill()
    assert problems == []
