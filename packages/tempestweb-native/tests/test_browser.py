"""The installed JS modules in real Chromium, driven through the Python API (no host needed).

A bridge runs each call as ``import(<module>)[method](args)`` in a page served from the
installed capability root (plus an echo endpoint), so these tests exercise exactly the files
the wheel ships: binary bodies both ways through ``fetch``, error mapping to typed classes,
IndexedDB, the secure-context check.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import pytest

from tempestweb.native import (
    InsecureContextError,
    InvalidArgumentError,
    NativeNetworkError,
    NativeNotFoundError,
    NotSupportedError,
    PermissionDeniedError,
    QuotaExceededError,
    clipboard,
    geolocation,
    notification,
    storage,
)
from tempestweb.native import http as native_http
from tempestweb.native.errors import native_error
from tempestweb.native.plugins import capability_modules
from tempestweb_contract.native import CURRENT_BRIDGE
from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

pytestmark = pytest.mark.browser

ALL_BYTES = bytes(range(256)) * 64


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        del format, args

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/echo":
            self.send_response(200)
            self.send_header("content-type", "application/octet-stream")
            self.send_header("x-seen-key", self.headers.get("idempotency-key", ""))
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[::-1])
        else:
            self.send_error(404)


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    root = capability_modules()["http"].root
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class PageBridge:
    """Runs ``<capability>.<method>(args)`` with the installed module of each capability."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base

    async def call(
        self, capability: str, method: str, args: Mapping[str, Any], /, *, timeout_s: float
    ) -> Any:
        url = f"{self.base}/{capability_modules()[capability].relative}"
        answer = await self.page.evaluate(
            """async ([url, method, args]) => {
                const module = await import(url);
                try { return { ok: true, value: await module[method](args) }; }
                catch (e) {
                    const code = String(e.code ?? "?");
                    return { ok: false, code, name: String(e.name), message: String(e.message) };
                }
            }""",
            [url, method, dict(args)],
        )
        if answer["ok"]:
            return answer["value"]
        assert answer["code"] != "?", f"{capability}.{method} threw an error without a native code: {answer}"
        raise native_error(answer["code"], answer["message"], capability=capability, method=method)


@contextlib.asynccontextmanager
async def bridged(url: str, **context: Any) -> AsyncIterator[Any]:
    playwright = pytest.importorskip("playwright.async_api", reason="Playwright drives Chromium here")
    async with playwright.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        try:
            page = await (await browser.new_context(**context)).new_page()
            await page.goto(url)
            token = CURRENT_BRIDGE.set(PageBridge(page, url.rstrip("/")))
            try:
                yield page
            finally:
                CURRENT_BRIDGE.reset(token)
        finally:
            await browser.close()


async def test_binary_bodies_and_the_idempotency_key_cross_fetch_intact(origin: str) -> None:
    async with bridged(origin + "/"):
        key = native_http.generate_idempotency_key()
        response = await native_http.request("POST", "/echo", body=ALL_BYTES, idempotency_key=key)
        assert response.status == 200 and response.content == ALL_BYTES[::-1]
        assert response.headers["x-seen-key"] == key
        missing = await native_http.request("GET", "/no-such-file")
        assert missing.status == 404 and not missing.ok


async def test_a_refused_connection_is_a_typed_network_error(origin: str) -> None:
    async with bridged(origin + "/"):
        with pytest.raises(NativeNetworkError):
            await native_http.request("GET", "http://127.0.0.1:9/unreachable")


async def test_storage_in_indexeddb_with_bytes_and_json(origin: str) -> None:
    async with bridged(origin + "/"):
        await storage.put("b", ALL_BYTES)
        await storage.put("j", {"x": [1, 2.5, None]})
        assert await storage.get("b") == ALL_BYTES
        assert await storage.get("j") == {"x": [1, 2.5, None]}
        assert await storage.list() == ["b", "j"]
        await storage.delete("b")
        assert await storage.get("b", default="gone") == "gone"


async def test_permissions_denied_and_granted_are_typed(origin: str) -> None:
    async with bridged(origin + "/"):
        with pytest.raises(PermissionDeniedError):
            await geolocation.get(timeout_s=5)
        with pytest.raises(PermissionDeniedError):
            await clipboard.read()
    granted = {"permissions": ["geolocation"], "geolocation": {"latitude": 10.5, "longitude": -20.25}}
    async with bridged(origin + "/", **granted):
        pos = await geolocation.get(timeout_s=5)
        assert (pos.lat, pos.lon) == (10.5, -20.25)


async def test_insecure_context_is_checked_before_the_call(origin: str) -> None:
    # A non-loopback host over http is not a secure context; Playwright routes it to 127.0.0.1.
    insecure = origin.replace("127.0.0.1", "tempestweb-insecure.test")
    async with bridged(origin + "/") as page:

        async def to_loopback(route: Any) -> None:
            await route.continue_(url=route.request.url.replace("tempestweb-insecure.test", "127.0.0.1"))

        await page.route("http://tempestweb-insecure.test:*/**", to_loopback)
        await page.goto(insecure + "/")
        token = CURRENT_BRIDGE.set(PageBridge(page, insecure))
        assert await page.evaluate("isSecureContext") is False
        with pytest.raises(InsecureContextError):
            await geolocation.get()
        with pytest.raises(InsecureContextError):
            await clipboard.write("x")
        with pytest.raises(InsecureContextError):
            await notification.permission()
        CURRENT_BRIDGE.reset(token)


async def test_bad_arguments_and_missing_things_are_typed(origin: str) -> None:
    async with bridged(origin + "/"):
        bridge = CURRENT_BRIDGE.get()
        assert bridge is not None
        with pytest.raises(InvalidArgumentError):
            await bridge.call("storage", "put", {"key": "", "kind": "json", "value": 1}, timeout_s=5)
        with pytest.raises(NativeNotFoundError):
            await bridge.call("http", "upload_wait", {"id": "nope", "seen": 0}, timeout_s=5)


async def test_a_full_quota_is_a_typed_quota_error(origin: str) -> None:
    async with bridged(origin + "/") as page:
        cdp = await page.context.new_cdp_session(page)
        await cdp.send("Storage.overrideQuotaForOrigin", {"origin": origin, "quotaSize": 64 * 1024})
        with pytest.raises(QuotaExceededError):
            await storage.put("big", ALL_BYTES * 16)  # 256 KiB > the 64 KiB quota
        await cdp.send("Storage.overrideQuotaForOrigin", {"origin": origin})  # back to the default
        await storage.put("small", "still fits")
        assert await storage.get("small") == "still fits"


async def _followed(page: Any, origin: str) -> int:
    url = f"{origin}/{capability_modules()['notification'].relative}"
    count: int = await page.evaluate("async (url) => (await import(url)).followed_count()", url)
    return count


async def test_notification_granted_shows_and_follows_its_events(origin: str) -> None:
    async with bridged(origin + "/", permissions=["notifications"]) as page:
        assert await notification.permission() == "granted"
        assert await notification.request_permission() == "granted"
        handle = await notification.show("Saved", body="3 files", tag="save", silent=True)
        assert handle is not None
        assert await handle.next_event(wait_s=10) == "show"
        assert await _followed(page, origin) == 1
        await handle.close()
        assert await handle.next_event(wait_s=10) == "close"
        assert await _followed(page, origin) == 0  # the last event read: the page forgot it
        with pytest.raises(NativeNotFoundError):
            await handle.next_event(wait_s=1)
        await handle.close()  # closing a closed notification does nothing


async def test_notification_denied_is_typed_and_a_later_grant_applies(origin: str) -> None:
    async with bridged(origin + "/") as page:
        assert await notification.permission() == "default"  # not asked yet
        with pytest.raises(PermissionDeniedError, match="call request_permission first"):
            await notification.show("x")
        # Headless Chromium answers the prompt itself: denied (and remembered).
        assert await notification.request_permission() == "denied"
        assert await notification.permission() == "denied"
        with pytest.raises(PermissionDeniedError, match='"denied"'):
            await notification.show("x")
        assert await _followed(page, origin) == 0
        await page.context.grant_permissions(["notifications"])
        assert await notification.permission() == "granted"
        handle = await notification.show("now allowed")
        assert handle is not None and await handle.next_event(wait_s=10) == "show"
        await handle.close()


async def test_notification_without_the_api_is_not_supported(origin: str) -> None:
    async with bridged(origin + "/") as page:
        await page.add_init_script("delete window.Notification")
        await page.reload()
        assert await page.evaluate("typeof Notification") == "undefined"
        for call in (notification.permission, notification.request_permission):
            with pytest.raises(NotSupportedError):
                await call()
        with pytest.raises(NotSupportedError):
            await notification.show("x")
