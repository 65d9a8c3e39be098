"""The wake_lock plugin: its wrapper against the fake backend, its entry point, its JS in Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import pytest
import tempestweb_wakelock
from tempestweb_wakelock import WakeLockState, release, request, state

from tempestweb.native import MalformedResultError, NotSupportedError, PermissionDeniedError
from tempestweb.native.errors import native_error
from tempestweb.native.plugins import capability_modules, registered
from tempestweb.native.testing import fake_native
from tempestweb_contract.native import CURRENT_BRIDGE
from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable


async def test_request_and_release_with_the_fake() -> None:
    with fake_native() as fake:
        fake.set_result("wake_lock", "request", {"active": True, "supported": True})
        fake.set_result("wake_lock", "release", {"active": False})
        assert await request() == WakeLockState(active=True, supported=True)
        assert await release() == WakeLockState(active=False, supported=True)
        assert [c.method for c in fake.calls_to("wake_lock")] == ["request", "release"]


async def test_denial_and_malformed_answers_are_typed() -> None:
    with fake_native() as fake:
        fake.deny("wake_lock")
        with pytest.raises(PermissionDeniedError):
            await request()
        fake.reset("wake_lock")
        fake.set_result("wake_lock", "state", {"active": "yes"})
        with pytest.raises(MalformedResultError):
            await state()
        fake.reset("wake_lock", "state")
        with pytest.raises(NotSupportedError):
            await state()  # nothing answers


def test_the_entry_point_names_the_shipped_js_module() -> None:
    module = capability_modules()["wake_lock"]
    assert module.distribution == "tempestweb-wakelock"
    text = module.path.read_text("utf-8")
    assert set(re.findall(r"^export (?:async )?function (\w+)", text, re.MULTILINE)) == {
        "request",
        "release",
        "state",
    }
    assert "wake_lock" in registered()
    assert tempestweb_wakelock.CAPABILITY.name == "wake_lock"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        del format, args


@pytest.fixture
def js_server() -> Iterator[str]:
    root = capability_modules()["wake_lock"].root
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class PageBridge:
    """A native bridge running each call in a real page: ``import(module)[method](args)``."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url

    async def call(
        self, capability: str, method: str, args: Mapping[str, Any], /, *, timeout_s: float
    ) -> Any:
        answer = await self.page.evaluate(
            """async ([url, method, args]) => {
                const module = await import(url);
                try { return { ok: true, value: await module[method](args) }; }
                catch (e) {
                    return { ok: false, code: String(e.code ?? "unknown"), message: String(e.message) };
                }
            }""",
            [self.url, method, dict(args)],
        )
        if answer["ok"]:
            return answer["value"]
        raise native_error(answer["code"], answer["message"], capability=capability, method=method)


@contextlib.asynccontextmanager
async def chromium_page(url: str) -> AsyncIterator[Any]:
    playwright = pytest.importorskip(
        "playwright.async_api", reason="playwright is needed for the browser test"
    )
    async with playwright.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        try:
            page = await browser.new_page()
            await page.goto(url)
            yield page
        finally:
            await browser.close()


@pytest.mark.browser
async def test_the_js_module_through_the_python_wrapper_in_chromium(js_server: str) -> None:
    async with chromium_page(js_server) as page:
        token = CURRENT_BRIDGE.set(PageBridge(page, js_server + "wake_lock.js"))
        try:
            assert await state() == WakeLockState(active=False, supported=True)
            held = await request()
            assert held == WakeLockState(active=True, supported=True)
            assert await state() == held
            assert await release() == WakeLockState(active=False, supported=True)
            assert await release() == WakeLockState(active=False, supported=True)  # idempotent
        finally:
            CURRENT_BRIDGE.reset(token)
