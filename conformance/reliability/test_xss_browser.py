"""An XSS corpus through the prerendered page, patches and a resync, in real Chromium under CSP + TT.

The app renders every payload of ``PAYLOADS`` as text, as attribute values (``title``,
``data-x``, ``alt``, ``aria-label``, ``placeholder``, ``class``), as a ``textarea`` value and,
where the widget layer accepts it, as an ``href`` (``javascript:`` URLs are refused there and
counted). The page is served with its real ``Content-Security-Policy`` (``script-src 'self'``,
``require-trusted-types-for 'script'``, ``trusted-types 'none'``). The payloads arrive three
ways: in the prerendered HTML; in patches (every click rotates them over the elements); and in a
full ``init`` after the server dropped the session (the client reconnects and gets the whole
tree again). An execution is a call of ``window.__twx`` (every script payload calls it); a
violation is a ``securitypolicyviolation`` event or a console ``Refused to`` message. Both must
be 0, and every element must show its payload as text, exactly.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from harness import Figures, free_port, wait_for_port

from tempest_core import App, Button, Column, Text, html
from tempest_core.errors import WidgetError
from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable
from tempestweb_server import ServerConfig, create_app, serve_asgi

pytestmark = pytest.mark.browser

_VECTORS = [
    "<script>__twx({n})</script>",
    "<img src=x onerror=__twx({n})>",
    "<svg onload=__twx({n})>",
    "<svg><script>__twx({n})</script></svg>",
    '"><script>__twx({n})</script>',
    "'><img src=x onerror=__twx({n})>",
    "javascript:__twx({n})",
    " javascript:__twx({n})",
    "JaVaScRiPt:__twx({n})",
    "java\tscript:__twx({n})",
    "data:text/html,<script>__twx({n})</script>",
    "<iframe srcdoc='<script>parent.__twx({n})</script>'>",
    "<a href=javascript:__twx({n})>x</a>",
    "<body onload=__twx({n})>",
    "<details open ontoggle=__twx({n})>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__twx({n})>",
    "<style>@import 'javascript:__twx({n})';</style>",
    "<object data=javascript:__twx({n})>",
    "<embed src=javascript:__twx({n})>",
    "<form><button formaction=javascript:__twx({n})>x",
    "<input autofocus onfocus=__twx({n})>",
    "<video><source onerror=__twx({n})>",
    "<marquee onstart=__twx({n})>",
    "<!--<img src=--><img src=x onerror=__twx({n})//-->",
    '<noscript><p title="</noscript><img src=x onerror=__twx({n})>">',
    "<template><script>__twx({n})</script></template>",
    "{{{{constructor.constructor('__twx({n})')()}}}}",
    "${{__twx({n})}}",
    "&lt;script&gt;__twx({n})&lt;/script&gt;",
    "\u2028\u2029<script>__twx({n})</script>",
    "<scr<script>ipt>__twx({n})</scr</script>ipt>",
    "<base href=javascript:__twx({n})//>",
    "<meta http-equiv=refresh content='0;url=javascript:__twx({n})'>",
    "<link rel=import href=data:text/html,<script>__twx({n})</script>>",
    '"onmouseover="__twx({n})',
    "' onfocus='__twx({n})' autofocus '",
]
PAYLOADS = [vector.format(n=index) for index, vector in enumerate(_VECTORS * 3)]  # 108
ROUNDS = 4


def xss_app() -> App[int]:
    """Shows every payload in every context; each click rotates the payloads by one."""

    def rotate() -> None:
        app.set_state(lambda n: n + 1)

    def link(payload: str, index: int) -> Any:
        try:
            return html.a("link", href=payload, id=f"a{index}")
        except WidgetError:
            return html.a("link", id=f"a{index}")

    def view(round_: int) -> Any:
        shown = PAYLOADS[round_ % len(PAYLOADS) :] + PAYLOADS[: round_ % len(PAYLOADS)]
        rows = [
            html.li(
                html.span(payload, id=f"t{index}", title=payload, data_x=payload, class_=payload),
                html.img(alt=payload, attrs={"aria-label": payload}),
                html.textarea(value=payload, placeholder=payload),
                link(payload, index),
                key=index,
            )
            for index, payload in enumerate(shown)
        ]
        return Column(Text(f"Round: {round_}", id="round"), Button("Rotate", on_click=rotate, id="rotate"),
                      html.ul(*rows))  # fmt: skip

    app: App[int] = App(view=view, state=0, title="XSS corpus")
    return app


def rejected_hrefs() -> int:
    rejected = 0
    for payload in PAYLOADS:
        try:
            html.a("x", href=payload)
        except WidgetError:
            rejected += 1
    return rejected


class Server:
    """The server in a thread of this process, so the test can drop a session to force a resync."""

    def __init__(self) -> None:
        self.port = free_port()
        self.config = ServerConfig(port=self.port)
        self.asgi = create_app(xss_app(), config=self.config)
        self.loop = asyncio.new_event_loop()
        self.stop = asyncio.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(serve_asgi(self.asgi, self.config, shutdown_trigger=self.stop.wait))

    def drop_sessions(self) -> None:
        """Close every session (as after a restart): clients reconnect to a new one, full init."""
        manager = self.asgi.state.manager
        future = asyncio.run_coroutine_threadsafe(manager.close_all(), self.loop)
        future.result(10)


@pytest.fixture
def server() -> Iterator[Server]:
    instance = Server()
    instance.thread.start()
    wait_for_port(instance.port)
    yield instance
    instance.loop.call_soon_threadsafe(instance.stop.set)
    instance.thread.join(15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if chromium_executable() is None and not os.environ.get("TEMPESTWEB_REQUIRE_BROWSER"):
        pytest.skip("needs a system Chromium")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        try:
            yield instance
        finally:
            instance.close()


def test_xss_corpus_never_executes_or_violates_the_policy(
    browser: Any, server: Server, figures: Figures
) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    executions: list[Any] = []
    violations: list[str] = []
    frames_with_payloads = 0
    inits = 0
    page = browser.new_page()

    def on_frame(payload: str | bytes) -> None:
        nonlocal frames_with_payloads, inits
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        if "__twx" in text:
            frames_with_payloads += 1
            inits += '"type":"init"' in text

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    # Playwright wraps each as a Python function (a bound list.append cannot carry its tag).
    page.expose_function("__twx", lambda n: executions.append(n))  # noqa: PLW0108
    page.expose_function("__twv", lambda text: violations.append(text))  # noqa: PLW0108
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__twv(e.violatedDirective + ' ' + e.blockedURI), true);"
    )
    page.on("console", lambda msg: violations.append(msg.text) if "Refused to" in msg.text else None)
    page.on("pageerror", lambda exc: violations.append(f"pageerror: {exc}"))
    response = page.goto(f"http://127.0.0.1:{server.port}/")
    assert response is not None and "require-trusted-types-for" in response.headers["content-security-policy"]
    round_ = page.locator("#round")
    expect(round_).to_have_text("Round: 0", timeout=15_000)

    def check_texts(rotation: int) -> None:
        for index in (0, 7, len(PAYLOADS) - 1):
            expected = PAYLOADS[(index + rotation) % len(PAYLOADS)]
            expect(page.locator(f"#t{index}")).to_have_text(expected, timeout=15_000)
            assert page.locator(f"#t{index}").get_attribute("title") == expected

    check_texts(0)  # the prerendered page, hydrated
    for rotation in range(1, ROUNDS + 1):  # patches
        page.locator("#rotate").click()
        expect(round_).to_have_text(f"Round: {rotation}", timeout=15_000)
        check_texts(rotation)
    server.drop_sessions()  # the client reconnects to a new session: the whole tree in an init
    expect(round_).to_have_text("Round: 0", timeout=30_000)
    check_texts(0)
    page.locator("#rotate").click()
    expect(round_).to_have_text("Round: 1", timeout=15_000)
    corpus_violations = list(violations)
    # Control: the same listeners do see a violation (an innerHTML write under Trusted Types).
    control: list[str] = []
    page.expose_function("__twc", lambda text: control.append(text))  # noqa: PLW0108
    page.evaluate(
        "document.addEventListener('securitypolicyviolation', (e) => window.__twc(e.violatedDirective));"
        "try { document.body.innerHTML = '<b>x</b>'; } catch (e) {}"
    )
    expect(page.locator("#round")).to_have_text("Round: 1")  # the sink was refused: page unchanged
    page.wait_for_function("1", timeout=1_000)  # one more turn for the event's binding call
    page.close()
    assert control and len(violations) > len(corpus_violations), "the violation detector does not work"
    figures.add(
        "xss_corpus",
        payloads=len(PAYLOADS),
        contexts_per_payload=9,
        payload_placements=len(PAYLOADS) * 9 * (ROUNDS + 3),
        frames_with_payloads=frames_with_payloads,
        full_inits_with_payloads=inits,
        hrefs_refused_by_widgets=rejected_hrefs(),
        executions=len(executions),
        policy_violations=len(corpus_violations),
    )
    assert inits >= 1 and frames_with_payloads > ROUNDS
    assert executions == [] and corpus_violations == [], (executions, corpus_violations[:5])
