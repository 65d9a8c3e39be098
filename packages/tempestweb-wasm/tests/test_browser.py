"""End to end in Chromium: build the counter app, serve it statically, boot it under Pyodide."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tempestweb_wasm import BuildResult, build
from tempestweb_wasm._serve import StaticServer

pytestmark = pytest.mark.browser

BOOT_TIMEOUT_MS = 90_000
ACTION_TIMEOUT_MS = 10_000

pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuildResult, str]]:
    from conftest import COUNTER_APP

    folder = tmp_path_factory.mktemp("counter")
    (folder / "app.py").write_text(COUNTER_APP)
    (folder / "helpers.py").write_text('TITLE = "Counter"\n')
    (folder / "tempestweb.toml").write_text('[wasm]\nmodules = ["helpers"]\n')
    result = build(folder, out=tmp_path_factory.mktemp("site") / "out", csp=True)
    with StaticServer(result.out) as server:
        yield result, server.url


def _ready_page(browser: Any, url: str) -> tuple[Any, Any]:
    """Open ``url`` in a new context and wait until the app is interactive: ``(context, page)``."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
    return context, page


def _marks(page: object) -> dict[str, float]:
    entries = page.evaluate(  # type: ignore[attr-defined]
        "[...performance.getEntriesByType('mark'), ...performance.getEntriesByType('paint')]"
        ".map(m => [m.name, m.startTime])"
    )
    return {name: value for name, value in entries}


def test_prerendered_view_then_interactive(site: tuple[BuildResult, str], browser: object) -> None:
    _, url = site
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Whether the boot indicator was ever in the page: a check right after DOMContentLoaded races
    # the bootstrap module on a loaded machine (and a fast boot removes it again).
    page.add_init_script(
        """new MutationObserver(() => {
             if (document.querySelector('.tw-boot[role=status]') !== null) window.__twBootSeen = true;
           }).observe(document, {childList: true, subtree: true});"""
    )
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    # The first view is in index.html: visible before Python runs, busy, with a boot indicator;
    # its controls are never disabled (issue 12: input before the runtime is ready is queued).
    assert page.text_content("#count") == "0"
    assert page.get_attribute("#tw-root", "aria-busy") == "true"
    assert page.get_attribute("#inc", "disabled") is None
    page.wait_for_function("() => window.__twBootSeen === true", timeout=BOOT_TIMEOUT_MS)
    # Tag the prerendered node: hydration adopts it, a full resync would replace it.
    page.evaluate("document.getElementById('count').twMarker = 'prerendered'")
    page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
    assert page.evaluate("document.getElementById('count').twMarker") == "prerendered"
    interactive_s = time.perf_counter() - started
    assert page.get_attribute("#inc", "disabled") is None
    assert page.get_attribute("#tw-root", "aria-busy") is None
    assert page.locator("[role=status]").count() == 0
    page.click("#inc")
    page.click("#inc")
    page.wait_for_selector("#count:text-is('2')", timeout=ACTION_TIMEOUT_MS)
    page.fill("#name", "typed")
    assert page.input_value("#name") == "typed"
    # Once idle, the page built the event models the first event would have built (Runtime.warm).
    warmed = "() => performance.getEntriesByName('tw:warm').length === 1"
    page.wait_for_function(warmed, timeout=ACTION_TIMEOUT_MS)
    marks = _marks(page)
    print(f"\nMode A counter: first paint {marks.get('first-contentful-paint', -1):.0f} ms, "
          f"pyodide {marks['tw:pyodide']:.0f} ms, interactive {marks['tw:interactive']:.0f} ms "
          f"(wall {interactive_s:.1f} s)")  # fmt: skip
    assert errors == []
    context.close()


def test_issue_14_idle_rehearsal_runs_in_an_inert_document_and_leaves_the_page_alone(
    site: tuple[BuildResult, str], browser: object
) -> None:
    _, url = site
    context, page = _ready_page(browser, url)
    errors: list[str] = []  # from the moment the page is ready: the rehearsal starts after it
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type in ("error", "warning", "debug") else None,
    )
    before = page.evaluate("[document.title, history.length, location.href]")
    rehearsed = "() => performance.getEntriesByName('tw:rehearsed').length === 1"
    page.wait_for_function(rehearsed, timeout=ACTION_TIMEOUT_MS, polling=50)
    detail = page.evaluate("performance.getEntriesByName('tw:rehearsed')[0].detail")
    # 5 scroll steps, 2 keystrokes, 2 clicks and a selection: DOM events dispatched in the inert
    # document, delivered by the rehearsal's own JS client (its events reach Python only that
    # way), each answered with a patch that client applied (under this build's CSP and Trusted
    # Types), none with an error frame or a rejected op.
    assert detail == {"patches": 10, "errors": []}
    # The rehearsal's table, list and field never entered the page; its own view is intact, and
    # its client changed neither the title, the history nor the location.
    assert page.evaluate("document.querySelectorAll('[role=region], ul, [id^=tw-rehearsal]').length") == 0
    assert page.evaluate("[document.title, history.length, location.href]") == before
    assert page.text_content("#count") == "0"
    page.click("#inc")
    page.wait_for_selector("#count:text-is('1')", timeout=ACTION_TIMEOUT_MS)
    assert errors == []
    context.close()


def test_issue_14_the_rehearsals_python_session_closes_only_once_the_page_is_quiet(
    site: tuple[BuildResult, str], browser: object
) -> None:
    """Closing the throwaway Python session (20-67 ms under 4x CPU throttling) waits for a quiet page.

    It used to run as soon as the rehearsal ended, which is often inside the first scroll steps
    of a person who starts at once (the first one stops the rehearsal). Now it waits until no
    pointer, key, wheel, touch, scroll or input event came for ``REHEARSAL_QUIET_MS`` (1 s).
    """
    _, url = site
    context, page = _ready_page(browser, url)
    page.evaluate(
        """() => { window.__acts = [];
        addEventListener('keydown', () => window.__acts.push(performance.now()), true); }"""
    )
    rehearsed = "() => performance.getEntriesByName('tw:rehearsed').length === 1"
    page.wait_for_function(rehearsed, timeout=ACTION_TIMEOUT_MS, polling=50)
    closed = "performance.getEntriesByName('tw:rehearsal-closed').length"
    for _ in range(6):  # a person acting every 300 ms, for longer than the quiet time
        page.keyboard.press("Shift")
        page.wait_for_timeout(300)
        assert page.evaluate(closed) == 0
    page.wait_for_function(f"() => {closed} === 1", timeout=ACTION_TIMEOUT_MS, polling=50)
    last_act = page.evaluate("window.__acts.at(-1)")
    closed_at = page.evaluate("performance.getEntriesByName('tw:rehearsal-closed')[0].startTime")
    assert closed_at - last_act >= 1000, (last_act, closed_at)
    page.click("#inc")
    page.wait_for_selector("#count:text-is('1')", timeout=ACTION_TIMEOUT_MS)
    context.close()


def test_handler_error_shows_the_overlay_and_app_keeps_working(
    site: tuple[BuildResult, str], browser: object
) -> None:
    _, url = site
    context, page = _ready_page(browser, url)
    assert page.locator("[role=alert]").count() == 0
    page.click("#boom")
    alert = page.wait_for_selector(".tw-overlay[role=alert]", timeout=ACTION_TIMEOUT_MS)
    text = alert.text_content() or ""  # a build shows no details: a generic message and the error id
    assert "Something went wrong" in text and "Error id: " in text and "kaboom" not in text
    page.click("#inc")
    page.wait_for_selector("#count:text-is('1')", timeout=ACTION_TIMEOUT_MS)
    context.close()


_WAIT_PRECACHED = """async (expected) => {
  const registration = await navigator.serviceWorker.ready;
  for (;;) {
    const names = await caches.keys();
    const name = names.find((n) => n.startsWith("tw-"));
    if (name && registration.active && navigator.serviceWorker.controller) {
      const keys = await (await caches.open(name)).keys();
      if (keys.length >= expected) return [name, keys.length];
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}"""


def test_works_offline_after_first_visit(site: tuple[BuildResult, str], browser: object) -> None:
    result, url = site
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
    name, count = page.evaluate(_WAIT_PRECACHED, len(result.precache))
    assert name == f"{result.cache_name}@{url}" and count == len(result.precache)  # scoped (sw.js)
    context.set_offline(True)
    page.reload()
    assert page.text_content("#count") == "0"
    page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
    page.click("#inc")
    page.wait_for_selector("#count:text-is('1')", timeout=ACTION_TIMEOUT_MS)
    context.close()


def test_static_server_mime_types(site: tuple[BuildResult, str]) -> None:
    import urllib.request

    _, url = site
    expected_types = [
        ("pyodide/pyodide.asm.wasm", "application/wasm"),
        ("pyodide/pyodide.mjs", "text/javascript; charset=utf-8"),  # the one table, as Mode B
        ("bootstrap.js", "text/javascript; charset=utf-8"),
        ("manifest.webmanifest", "application/manifest+json"),
    ]
    for path, expected in expected_types:
        with urllib.request.urlopen(url + path) as response:
            assert response.headers["Content-Type"] == expected, path
