"""FileUpload in real Chromium (issue 14): a real file through the picker, a real drop through a
DataTransfer and an over-size file refused, in Mode B (bytes POSTed to ``/_tw/upload``) and Mode
A (bytes handed to Python in the page); progress while the bytes travel over a throttled network
(Mode B: Mode A reads a local file, there is nothing to wait for).

The app is ``examples/tests/apps/content``; its ``on_upload`` logs ``name|size|type|sha256[:12]``
of each file it received in ``#log-uploads``, its ``on_error`` the error codes in
``#log-upload-errors``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import pytest
from conftest import MODE_A_BOOT_TIMEOUT_MS
from playwright.sync_api import ConsoleMessage, Error, Page, expect

pytestmark = pytest.mark.browser

WAIT_MS = 10_000
APP = "tests/apps/content"
MAX_UPLOAD_BYTES = 2_000_000


def line(name: str, data: bytes, content_type: str) -> str:
    return f"{name}|{len(data)}|{content_type}|{hashlib.sha256(data).hexdigest()[:12]}"


def open_app(page: Page, url: str, timeout: float) -> Iterator[Page]:
    """Open the app, fail the test on any console error or page error."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console.error: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"pageerror: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.goto(url)
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=timeout)
    yield page
    assert problems == []


@pytest.fixture(params=["mode-b", "mode-a"])
def app(
    request: pytest.FixtureRequest, page: Page, app_url: Callable[[str], str], wasm_url: Callable[[str], str]
) -> Iterator[Page]:
    """The content app in one mode."""
    if request.param == "mode-b":
        yield from open_app(page, app_url(APP), WAIT_MS)
    else:
        yield from open_app(page, wasm_url(APP), MODE_A_BOOT_TIMEOUT_MS)


@pytest.fixture
def app_b(page: Page, app_url: Callable[[str], str]) -> Iterator[Page]:
    """The content app in Mode B."""
    yield from open_app(page, app_url(APP), WAIT_MS)


def test_picker_uploads_a_real_file(app: Page) -> None:
    data = b"hello, upload\n" * 3
    app.locator("#files").set_input_files({"name": "hello.txt", "mimeType": "text/plain", "buffer": data})
    expect(app.locator("#log-uploads")).to_have_text(line("hello.txt", data, "text/plain"), timeout=WAIT_MS)
    item = app.locator("#zone li[data-status=done]")
    expect(item).to_contain_text("hello.txt", timeout=WAIT_MS)
    expect(item).to_contain_text(f"Uploaded, {len(data)} bytes")
    progress = item.locator("progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == str(len(data))


def test_choose_button_opens_the_picker(app: Page) -> None:
    data = b"\x89PNG fake"
    with app.expect_file_chooser(timeout=WAIT_MS) as chooser:
        app.get_by_role("button", name="Choose files").click()
    assert chooser.value.is_multiple()
    chooser.value.set_files({"name": "pic.png", "mimeType": "image/png", "buffer": data})
    expect(app.locator("#log-uploads")).to_have_text(line("pic.png", data, "image/png"), timeout=WAIT_MS)


def test_drop_through_a_data_transfer(app: Page) -> None:
    transfer = app.evaluate_handle(
        """() => {
            const dt = new DataTransfer();
            dt.items.add(new File(["dropped bytes"], "drop.txt", { type: "text/plain" }));
            dt.items.add(new File(["second"], "two.csv", { type: "text/csv" }));
            return dt;
        }"""
    )
    zone = app.locator("#zone")
    zone.dispatch_event("dragenter", {"dataTransfer": transfer})
    zone.dispatch_event("dragover", {"dataTransfer": transfer})
    assert zone.get_attribute("data-tw-dragover") == ""
    zone.dispatch_event("drop", {"dataTransfer": transfer})
    log = app.locator("#log-uploads")
    expect(log).to_contain_text(line("drop.txt", b"dropped bytes", "text/plain"), timeout=WAIT_MS)
    expect(log).to_contain_text(line("two.csv", b"second", "text/csv"), timeout=WAIT_MS)
    assert zone.get_attribute("data-tw-dragover") is None


def test_progress_is_shown_while_the_bytes_travel(app_b: Page) -> None:
    app = app_b
    cdp = app.context.new_cdp_session(app)
    cdp.send("Network.enable")
    # 1.5 MB at 500 kB/s: about three seconds on the wire, so progress events arrive in between
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 500_000},
    )
    data = bytes(range(256)) * 6000
    app.locator("#files").set_input_files(
        {"name": "big.bin", "mimeType": "application/octet-stream", "buffer": data}
    )
    app.wait_for_function(
        """() => {
            const bar = document.querySelector("#zone li[data-status=uploading] progress");
            return bar !== null && Number(bar.getAttribute("value")) > 0
                && Number(bar.getAttribute("value")) < Number(bar.getAttribute("max"));
        }""",
        timeout=WAIT_MS,
    )
    expect(app.locator("#zone li[data-status=uploading]")).to_contain_text("Uploading, ")
    expect(app.locator("#log-uploads")).to_have_text(
        line("big.bin", data, "application/octet-stream"), timeout=4 * WAIT_MS
    )
    expect(app.locator("#zone li[data-status=done]")).to_contain_text("Uploaded, 1.5 MB")


def test_over_size_file_is_refused_with_a_typed_error(app: Page) -> None:
    data = b"x" * (MAX_UPLOAD_BYTES + 1)
    app.locator("#files").set_input_files(
        {"name": "huge.bin", "mimeType": "application/octet-stream", "buffer": data}
    )
    item = app.locator("#zone li[data-status=error]")
    expect(item).to_contain_text(f"Failed: the file is larger than {MAX_UPLOAD_BYTES} bytes", timeout=WAIT_MS)
    expect(app.locator("#log-upload-errors")).to_have_text("too_large")
    expect(app.locator("#log-uploads")).to_have_text("")
    assert item.locator("progress").count() == 0
