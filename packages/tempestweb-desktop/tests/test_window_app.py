"""A tempestweb app in a real desktop window, driven through WebKitWebDriver.

The app runs with ``python -m tempestweb_desktop`` (what the CLI's desktop mode runs); the page
is the unchanged JS client over the IPC transport.
"""

from __future__ import annotations

import sys

import pytest
from conftest import APPS

from tempestweb_desktop.testing import WebDriverServer, WebDriverSession

PROBE = str(APPS / "probe.py")

pytestmark = pytest.mark.window


def _open(driver: WebDriverServer) -> WebDriverSession:
    page = driver.launch(sys.executable, ["-m", "tempestweb_desktop", PROBE])
    page.wait_for(
        "return document.getElementById('tw-root')?.dataset.twStatus === 'open'"
        " && document.getElementById('count')?.textContent === '0'",
        what="the first view over IPC",
    )
    return page


def _text(page: WebDriverSession, selector: str, want: str) -> None:
    page.wait_for(
        "return document.querySelector(arguments[0])?.textContent === arguments[1]",
        selector,
        want,
        what=f"{selector} == {want!r}",
    )


def test_clicks_round_trip_over_ipc(driver: WebDriverServer) -> None:
    with _open(driver) as page:
        assert page.url.startswith("tauri://localhost")
        assert page.title == "Probe"
        assert page.execute("return document.getElementById('tw-root').dataset.twTransport") == "ipc"
        for want in ("1", "2", "3"):
            page.find("#inc").click()
            _text(page, "#count", want)


def test_the_page_is_prerendered_and_its_session_resumed_over_ipc(driver: WebDriverServer) -> None:
    """The window's page carries a new session's first view; the client hydrates it (issue 11)."""
    with _open(driver) as page:
        served = page.execute_async(
            "const done = arguments[arguments.length - 1];"
            "fetch(location.href).then((r) => r.text()).then(done, (e) => done(String(e)));"
        )
        assert isinstance(served, str) and 'id="count"' in served  # the view is in the document
        root = page.execute("return document.getElementById('tw-root').dataset.twSession")
        assert isinstance(root, str) and len(root) > 16  # the prerendered session's id
        page.find("#inc").click()
        _text(page, "#count", "1")  # that session answers: hydrated, not rebuilt


def test_a_burst_of_events_arrives_in_order_exactly_once(driver: WebDriverServer) -> None:
    """Hundreds of events sent in one task: one pyInvoke in flight, batches keep the order."""
    with _open(driver) as page:
        page.execute(
            "const buttons = document.querySelectorAll('.burst');"
            "for (let i = 0; i < 300; i++) buttons[i % 5].click();"
        )
        want = ",".join(str(i % 5) for i in range(300))
        _text(page, "#log", want)


def test_pushes_and_replies_interleave_in_order_without_a_resume(driver: WebDriverServer) -> None:
    """Channel pushes and reply-carried patches reach the page in seq order (issue 11).

    A patch out of order is a gap for the client, which would drop the connection and resume:
    the status events on the root show whether that happened.
    """
    with _open(driver) as page:
        page.execute(
            "window.__states = [];"
            "document.getElementById('tw-root').addEventListener("
            "'tempestweb:status', (e) => window.__states.push(e.detail.state));"
        )
        page.find("#tick").click()
        page.execute(
            "const buttons = document.querySelectorAll('.burst');"
            "let i = 0;"
            "const click = () => { buttons[i % 5].click(); i += 1; if (i < 100) setTimeout(click, 1); };"
            "click();"
        )
        want = ",".join(str(i % 5) for i in range(100))
        _text(page, "#log", want)
        _text(page, "#ticks", "200")
        assert page.execute("return window.__states") == []  # never reconnected


def test_typing_goes_through_the_controlled_input(driver: WebDriverServer) -> None:
    with _open(driver) as page:
        field = page.find("#expr")
        field.send_keys("hello desktop")
        page.wait_for("return document.getElementById('expr').value === 'hello desktop'")
        page.find("#title").click()
        _text(page, "#eval-out", "title:hello desktop")
        assert page.title == "Probe"  # the document title; the OS window title changed


def test_eval_js_returns_values_awaits_promises_and_raises_typed_errors(driver: WebDriverServer) -> None:
    with _open(driver) as page:
        cases = [
            ("1 + 2", "ok:3"),
            ("({a: [1, 'x', null]})", 'ok:{"a": [1, "x", null]}'),
            ("new Promise((r) => setTimeout(() => r(document.title), 10))", 'ok:"Probe"'),
            ("undefined", "ok:null"),
            ("(() => { throw new TypeError('boom') })()", "EvalError:TypeError: boom"),
            ("this is not js", "EvalError:SyntaxError: "),
            ("Promise.reject(new RangeError('late'))", "EvalError:RangeError: late"),
            ("document.body", "ok:{}"),
            ("({}).x.y", "EvalError:TypeError: "),
            ("new Promise(() => {})", "EvalTimeoutError:window 'main' did not answer eval_js in 2.0 s"),
        ]
        for number, (expression, want) in enumerate(cases, start=1):
            page.execute(
                "const input = document.getElementById('expr');"
                "input.value = arguments[0]; input.dispatchEvent(new Event('input', {bubbles: true}));",
                expression,
            )
            page.wait_for("return document.getElementById('expr').value === arguments[0]", expression)
            page.find("#eval").click()
            out = page.wait_for(
                "const t = document.getElementById('eval-out').textContent;"
                "return t.startsWith(arguments[0] + '|') && t",
                str(number),
                timeout_s=5,
                what=expression,
            )
            assert isinstance(out, str)
            assert out.removeprefix(f"{number}|").startswith(want), (expression, out)


def test_window_state_queries(driver: WebDriverServer) -> None:
    with _open(driver) as page:
        page.find("#state-btn").click()
        _text(
            page,
            "#state",
            '{"fullscreen": false, "label": "main", "maximized": false, "visible": true}',
        )


def test_issue_14_idle_rehearsal_replays_the_recording_in_the_window(driver: WebDriverServer) -> None:
    """The window's client replays the rehearsal's recording (the asset ``/_tw/rehearsal``), as Mode B's."""
    with _open(driver) as page:
        page.wait_for(
            "return performance.getEntriesByName('tw:rehearsed').length === 1", what="the idle rehearsal"
        )
        assert page.execute("return performance.getEntriesByName('tw:rehearsed')[0].detail") == {
            "patches": 10,
            "errors": [],
        }
        # It ran in an inert document: nothing of it is in the window's page, which still works.
        rehearsal_nodes = "return document.querySelectorAll('[role=region], [id^=tw-rehearsal]').length"
        assert page.execute(rehearsal_nodes) == 0
        page.find("#inc").click()
        _text(page, "#count", "1")
