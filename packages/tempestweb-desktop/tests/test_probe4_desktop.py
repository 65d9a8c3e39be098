"""Fourth outside probe of the desktop mode: cases no other suite covers.

- a ``WAYLAND_DISPLAY`` naming no socket is a one-line ``NoDisplayError`` before the native
  library loads (it was a Rust panic backtrace, then a misleading ``WebViewMissingError``);
- an ``eval_js`` answer nested too deep for ``json`` is dropped like any malformed answer (the
  ``answer`` command raised ``RecursionError`` into pytauri);
- ``tempestweb.native`` in a real window: an ``http.request`` timeout is ``NativeTimeoutError``
  as in Chromium (WebKit rejects the fetch with an ``AbortError``), and ``file.save``'s module
  refuses a name with a CR or LF (WebKitGTK's download then cut the window's IPC for good).
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import APPS

from tempestweb_desktop import NoDisplayError
from tempestweb_desktop._preflight import check_display, wayland_socket
from tempestweb_desktop.testing import VirtualDisplay, WebDriverServer, WebDriverSession
from tempestweb_desktop.window import Answers

PROBE = str(APPS / "probe4_native.py")
SLOW_ANSWER_S = 4.0


def _never(_: str) -> bool:
    return False


def _always(_: str) -> bool:
    return True


def test_wayland_display_without_a_socket_is_no_display() -> None:
    env = {"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": "/run/user/1000"}
    assert wayland_socket(env) == "/run/user/1000/wayland-9"
    assert wayland_socket({"WAYLAND_DISPLAY": "/tmp/sock"}) == "/tmp/sock"
    assert wayland_socket({"WAYLAND_DISPLAY": "wayland-0"}) is None
    no_socket = r"Wayland display 'wayland-9' \(no socket at /run/user/1000/wayland-9\)"
    with pytest.raises(NoDisplayError, match=no_socket):
        check_display(env, "linux", wayland_opens=_never)
    with pytest.raises(NoDisplayError, match="XDG_RUNTIME_DIR is unset"):
        check_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux", wayland_opens=_always)
    check_display(env, "linux", wayland_opens=_always)
    # GTK falls back to X when Wayland does not answer, unless GDK_BACKEND forbids it.
    check_display({**env, "DISPLAY": ":1"}, "linux", opens=_always, wayland_opens=_never)
    with pytest.raises(
        NoDisplayError, match=r"Wayland display 'wayland-9'.*; cannot connect to X display ':1'"
    ):
        check_display({**env, "DISPLAY": ":1"}, "linux", opens=_never, wayland_opens=_never)
    with pytest.raises(NoDisplayError, match="GDK_BACKEND='x11'"):
        check_display({**env, "GDK_BACKEND": "x11"}, "linux", opens=_always, wayland_opens=_always)


def test_wayland_display_pointing_nowhere_exits_with_one_line_and_no_panic(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "WAYLAND_DISPLAY": str(tmp_path / "no-socket")}
    done = subprocess.run(
        [sys.executable, "-m", "tempestweb_desktop", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "panicked" not in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"tempestweb desktop: NoDisplayError: no display: cannot connect to Wayland display "
        f"'{tmp_path / 'no-socket'}' (no socket at {tmp_path / 'no-socket'})"
    ]


def test_an_answer_nested_too_deep_is_dropped_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    answers = Answers()
    for body in (b"[" * 100_000, b'{"id":' * 50_000, b"[" * 100_000 + b"]" * 100_000):
        answers.settle(body)  # RecursionError escaped into pytauri's command handler
    assert caplog.text.count("malformed eval_js answer dropped") == 3


class _Slow(http.server.BaseHTTPRequestHandler):
    """Answers every GET after ``SLOW_ANSWER_S``, to any origin (the window's is tauri://localhost)."""

    def log_message(self, format: str, *args: object) -> None:
        del format, args

    def do_GET(self) -> None:
        time.sleep(SLOW_ANSWER_S)
        try:
            self.send_response(200)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Content-Length", "4")
            self.end_headers()
            self.wfile.write(b"late")
        except OSError:  # the page gave up first
            pass


@pytest.fixture
def slow_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/slow"
    finally:
        server.shutdown()
        server.server_close()


def _open(display: VirtualDisplay, slow_url: str) -> tuple[WebDriverServer, WebDriverSession]:
    driver = WebDriverServer(display=display.name, env={"PROBE4_SLOW_URL": slow_url}).start()
    try:
        page = driver.launch(sys.executable, ["-m", "tempestweb_desktop", PROBE])
        page.wait_for(
            "return document.getElementById('tw-root')?.dataset.twStatus === 'open'",
            timeout_s=30,
            what="the live first view",
        )
    except BaseException:
        driver.stop()
        raise
    return driver, page


def _round_trips(page: WebDriverSession) -> None:
    before = page.execute("return document.getElementById('count').textContent")
    page.find("#inc").click()
    page.wait_for(
        "return document.getElementById('count').textContent !== arguments[0]",
        before,
        timeout_s=10,
        what="a click's patch over IPC",
    )


@pytest.mark.window
def test_http_timeout_in_the_window_is_native_timeout_error(display: VirtualDisplay, slow_url: str) -> None:
    driver, page = _open(display, slow_url)
    with driver, page:
        page.find("#timeout").click()
        out = page.wait_for("return document.getElementById('out').textContent", timeout_s=15)
        assert out == "NativeTimeoutError timeout"  # was "AbortedError aborted" under WebKit
        _round_trips(page)


@pytest.mark.window
def test_file_module_refuses_a_name_with_a_line_break_and_the_window_keeps_working(
    display: VirtualDisplay, slow_url: str
) -> None:
    driver, page = _open(display, slow_url)
    with driver, page:
        href = page.execute("return document.querySelector('link[data-tw-capability=file]')?.href ?? null")
        assert isinstance(href, str), "the file capability module is linked"
        outcomes = page.execute_async(
            "const done = arguments[arguments.length - 1];"
            "import(arguments[0]).then(async (file) => {"
            "  const out = [];"
            "  for (const filename of ['a\\nb', 'a\\rb', '..', 'a/b']) {"
            "    const args = {filename, data: '', prefer: 'download'};"
            "    try { out.push('ok ' + JSON.stringify(await file.save(args))); }"
            "    catch (error) { out.push(String(error.code)); }"
            "  }"
            "  return out;"
            "}).then(done, (error) => done('import failed: ' + error));",
            href,
        )
        assert outcomes == ["invalid_argument"] * 4
        time.sleep(1.0)  # a broken download cut the IPC a moment after the click
        assert page.execute("return document.getElementById('tw-root').dataset.twStatus") == "open"
        _round_trips(page)
