"""Sixth outside probe of ``tempestweb.native``: each scenario renders the same outcome in Mode A,
Mode B and under the fake backend (``examples/tests/apps/probe6_native``).

Before the fixes, Mode A and Mode B answered ``storage.put(10**30)`` with ``1e+30`` (the fake:
the exact int), ``[1.0, -0.0, 1e20]`` with ``[1, 0, 10**20]`` (the fake: the floats), and a
9 or 16 MB ``storage.put``/``file.save`` (or three concurrent 4 MiB puts) with ``AbortedError``
"connection was lost" (the fake: success).
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

sys.path.insert(0, str(Path(__file__).parent))

import native_servers
from native_servers import Api, ModeAServer, ModeBServer

from tempestweb.native import http
from tempestweb.native.testing import fake_native

pytestmark = pytest.mark.browser

APP_DIR = Path(__file__).parent / "apps" / "probe6_native"
BIG_RESPONSE_BYTES = 20 * 1024 * 1024
DONE = re.compile(r"^[^…]+$")
SCENARIO_MS = 60_000


def _probe_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location("native_probe6_app", APP_DIR / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


PROBE = _probe_app()


class ProbeApi(Api):
    """The endpoints of the HTTP scenarios: a 204, a HEAD, a 20 MiB body."""

    def handle(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        if path == "/api/204":
            return 204, {}, b""
        if path == "/api/head":
            return 200, {"x-probe": "yes", "content-type": "text/plain"}, b"" if method == "HEAD" else b"body"
        if path == "/api/big":
            return 200, {"content-type": "application/octet-stream"}, b"\x03" * BIG_RESPONSE_BYTES
        return super().handle(method, path, headers, body)


def _normal(text: str) -> str:
    # The frame of an oversized result is counted from its JSON, which differs by a few bytes.
    return re.sub(r"a result of \d+ bytes", "a result of N bytes", text)


def _fake_outcomes() -> dict[str, str]:
    async def run() -> dict[str, str]:
        with fake_native() as fake:
            fake.set_result(
                "http",
                "fetch",
                lambda args: {
                    "/api/204": http.fake_response(204),
                    "/api/head": http.fake_response(200, headers={"x-probe": "yes"}),
                    "/api/big": http.fake_response(200, body=b"\x03" * BIG_RESPONSE_BYTES),
                }[args["url"]],
            )
            return {name: _normal(await PROBE.outcome(name)) for name in PROBE.SCENARIOS}

    return asyncio.run(run())


FAKE = _fake_outcomes()  # before Playwright's loop starts (see conftest.py)


@pytest.fixture(scope="module")
def mode_b() -> Iterator[ModeBServer]:
    saved = native_servers.SERVED_ASSETS, native_servers.SCRIPT_TAGS
    native_servers.SERVED_ASSETS, native_servers.SCRIPT_TAGS = (), ""
    try:
        server = ModeBServer(APP_DIR)
    finally:
        native_servers.SERVED_ASSETS, native_servers.SCRIPT_TAGS = saved
    server.api = server._asgi.api = ProbeApi()
    with server:
        yield server


@pytest.fixture(scope="module")
def mode_a() -> Iterator[ModeAServer]:
    from tempestweb_wasm import build

    with tempfile.TemporaryDirectory() as out:
        site = Path(out) / "site"
        build(APP_DIR, out=site)
        server = ModeAServer(site)
        api = ProbeApi()
        handler: Any = server._httpd.RequestHandlerClass
        server.api = handler.func.api = api

        def do_head(self: Any) -> None:
            if not self._api():
                super(type(self), self).do_HEAD()

        handler.func.do_HEAD = do_head
        with server:
            yield server


@pytest.mark.parametrize("mode", ["a", "b"])
def test_every_scenario_renders_what_the_fake_answers(
    browser: Browser, mode: str, request: pytest.FixtureRequest
) -> None:
    server: ModeAServer | ModeBServer = request.getfixturevalue(f"mode_{mode}")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url)
        if mode == "a":
            page.wait_for_selector("html[data-tw-ready]", timeout=180_000)
        else:
            page.wait_for_selector("#tw-root[data-tw-status=open]", timeout=15_000)
        seen = {}
        for name in PROBE.SCENARIOS:
            page.click(f"#{name}")
            out = page.locator(f"#{name}-out")
            expect(out).to_have_text(DONE, timeout=SCENARIO_MS)
            seen[name] = _normal(out.inner_text())
        assert seen == FAKE
        assert FAKE["big-int"].startswith("InvalidArgumentError invalid_argument storage values are")
        assert FAKE["floats"] == "ok [1, 0, 0.5, 100000000000000000000, 1e+21, 2.5e-07]"
        assert FAKE["put-16mb"].startswith("QuotaExceededError quota_exceeded the arguments are")
        assert FAKE["concurrent-big"] == "ok [True, True, True]"
        assert page.evaluate("document.getElementById('tw-root').dataset.twStatus") == "open"
    finally:
        context.close()
