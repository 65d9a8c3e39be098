"""Mode A hot reload: dev builds, the SSE reload stream, the rebuild loop, and a reload in Chromium."""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
import watchfiles

from tempestweb_wasm import WasmError, build
from tempestweb_wasm._dev import ChangeFilter, DevBuilder, run_dev
from tempestweb_wasm._serve import DEV_EVENTS_PATH, ReloadEvents, StaticServer

WAIT_S = 30.0
BOOT_TIMEOUT_MS = 120_000


# --- helpers ---------------------------------------------------------------------------------


class SseReader:
    """A blocking Server-Sent Events client on ``http.client`` (one event per :meth:`next`)."""

    def __init__(self, url: str, *, timeout: float = WAIT_S) -> None:
        host, port = url.split("//", 1)[1].rstrip("/").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
        self.conn.request("GET", DEV_EVENTS_PATH)
        self.response = self.conn.getresponse()

    def next(self) -> dict[str, str]:
        """Read up to the next blank line; return its fields (a comment line is ``{":": text}``)."""
        fields: dict[str, str] = {}
        while True:
            raw = self.response.fp.readline()
            if raw == b"":
                raise EOFError("event stream closed")
            line = raw.decode("utf-8").rstrip("\n")
            if line == "":
                return fields
            key, _, value = line.partition(":")
            fields[key or ":"] = value.removeprefix(" ")

    def next_named(self, name: str) -> str:
        """Skip keep-alives and other events until event ``name``; return its data."""
        while True:
            event = self.next()
            if event.get("event") == name:
                return event["data"]

    def close(self) -> None:
        self.response.close()  # the response holds the socket's last reference
        self.conn.close()


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=WAIT_S) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


SIMPLE_APP = """
from tempest_core import App, html


def view(state: int):  # noqa: ANN201
    return html.main(html.h1("{text}", id="headline"))


app = App(view=view, state=0, title="Dev")
"""


def app_source(text: str) -> str:
    return SIMPLE_APP.replace("{text}", text)


def write_app(folder: Path, text: str) -> None:
    (folder / "app.py").write_text(app_source(text))


class DevLoop:
    """``run_dev`` in a background thread, its log lines in a queue."""

    def __init__(self, target: Path, out: Path | None, *, keepalive: float = 15.0) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.url = ""
        self.error: list[BaseException] = []

        def on_ready(url: str) -> None:
            self.url = url
            self.ready.set()

        def log(line: str) -> None:
            self.log.append(line)
            self.lines.put(line)

        def main() -> None:
            try:
                run_dev(
                    target, host="127.0.0.1", port=0, out=out, stop=self.stop, log=log,
                    on_ready=on_ready, keepalive=keepalive,
                )  # fmt: skip
            except BaseException as exc:
                self.error.append(exc)
                self.ready.set()

        self.thread = threading.Thread(target=main, name="dev-loop", daemon=True)
        self.thread.start()
        assert self.ready.wait(WAIT_S), "dev loop never served"
        assert not self.error, self.error

    def expect_line(self, prefix: str, timeout: float = WAIT_S) -> str:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no log line starting {prefix!r}; got {self.log}")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line.startswith(prefix):
                return line

    def save_until(self, folder: Path, source: str, prefix: str) -> str:
        """Write ``app.py`` until a log line ``prefix`` appears (the watcher may still be starting)."""
        for _ in range(10):
            (folder / "app.py").write_text(source)
            try:
                return self.expect_line(prefix, timeout=4.0)
            except AssertionError:
                continue
        raise AssertionError(f"no {prefix!r} after saving; log: {self.log}")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(WAIT_S)
        assert not self.thread.is_alive(), "dev loop did not stop"


@pytest.fixture
def dev_app(tmp_path: Path) -> Path:
    folder = tmp_path / "devapp"
    folder.mkdir()
    write_app(folder, "Hello v1")
    return folder


# --- dev build --------------------------------------------------------------------------------


def test_dev_build_has_reload_script_and_no_precaching_worker(dev_app: Path, tmp_path: Path) -> None:
    normal = build(dev_app, out=tmp_path / "normal", csp=True)
    again = build(dev_app, out=tmp_path / "again", csp=True)
    dev = build(dev_app, out=tmp_path / "dev", csp=True, dev=True)
    # A normal build is unchanged: no dev files, a precaching worker, deterministic output.
    assert normal.dev_build is None and "client/dev.js" not in normal.files
    assert not (normal.out / "client" / "dev.js").exists()
    assert "tw-dev" not in normal.index.read_text() and "_tw/dev" not in normal.index.read_text()
    assert normal.cache_name.startswith("tw-") and "./index.html" in normal.precache
    normal_sw = (normal.out / "sw.js").read_text()
    assert normal.cache_name in normal_sw and "unregister" not in normal_sw
    assert normal.index.read_text() == again.index.read_text()
    assert normal_sw == (again.out / "sw.js").read_text()
    # The dev build: index.html names the build and loads client/dev.js as an external module.
    assert dev.dev_build is not None and re.fullmatch(r"[0-9a-f]{16}", dev.dev_build)
    index = dev.index.read_text()
    meta = f'<meta name="tw-dev-build" content="{dev.dev_build}">\n'
    script = '<script type="module" src="./client/dev.js"></script>\n'
    assert meta in index and script in index
    assert index.index(script) < index.index('src="./bootstrap.js"')
    assert index.replace(meta, "").replace(script, "") == normal.index.read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)", index) == []  # nothing inline: works under the CSP
    dev_js = (dev.out / "client" / "dev.js").read_text()
    assert "new EventSource" in dev_js and "DEV_EVENTS_PATH" in dev_js and "location.reload()" in dev_js
    # Its sw.js retires workers and caches; nothing is precached.
    dev_sw = (dev.out / "sw.js").read_text()
    assert "self.registration.unregister()" in dev_sw and "caches.delete" in dev_sw
    assert 'addEventListener("fetch"' not in dev_sw
    assert dev.precache == () and dev.cache_name == ""
    assert build(dev_app, out=tmp_path / "dev", dev=True).dev_build != dev.dev_build


# --- SSE endpoint -----------------------------------------------------------------------------


def test_sse_stream_hello_reload_keepalive_and_disconnect(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "index.html").write_text("hi")
    events = ReloadEvents("build-1", keepalive=0.2)
    with StaticServer(tmp_path, events=events) as server:
        reader = SseReader(server.url)
        assert reader.response.status == 200
        assert reader.response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        assert reader.response.headers["Cache-Control"] == "no-cache"
        assert reader.next() == {"retry": "1000", "event": "hello", "data": "build-1"}
        wait_until(lambda: events.streams == 1, "the stream to be counted")
        assert reader.next() == {":": "keep-alive"}  # idle: a comment every keepalive seconds
        second = SseReader(server.url)
        assert second.next_named("hello") == "build-1"
        events.publish("build-2")
        assert reader.next_named("reload") == "build-2"
        assert second.next_named("reload") == "build-2"
        assert events.build_id == "build-2"
        third = SseReader(server.url)  # a late page learns the current build on connect
        assert third.next_named("hello") == "build-2"
        for client in (reader, second):
            client.close()
        # The server notices a closed client at its next keep-alive write and ends the thread.
        wait_until(lambda: events.streams == 1, "closed streams to end")
        # Static files are still served next to the stream.
        assert get(server.url + "index.html") == (200, "hi")
    # Stopping the server ends the remaining stream (EOF, no hang).
    with pytest.raises(EOFError):
        third.next_named("reload")
    third.close()
    assert "Traceback" not in capfd.readouterr().err


def test_sse_only_in_dev_and_dev_never_answers_304(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("hi")
    future = "Sun, 01 Jan 2090 00:00:00 GMT"
    with StaticServer(tmp_path) as plain:
        assert get(plain.url + DEV_EVENTS_PATH.lstrip("/"))[0] == 404
        assert get(plain.url + "index.html", {"If-Modified-Since": future})[0] == 304
    with StaticServer(tmp_path, events=ReloadEvents("x")) as dev:
        # A rebuild within the same second must not be answered "not modified".
        assert get(dev.url + "index.html", {"If-Modified-Since": future}) == (200, "hi")


def test_reload_events_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="keepalive"):
        ReloadEvents("a", keepalive=0)
    events = ReloadEvents("a")
    for bad in ("", "two\nlines", "cr\r"):
        with pytest.raises(ValueError, match="single line"):
            events.publish(bad)
    assert events.build_id == "a"


# --- what triggers a rebuild ------------------------------------------------------------------


def test_change_filter(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    staging = tmp_path / ".dist.tw-staging"
    relevant = ChangeFilter(tmp_path, (out, staging))
    relevant.update(("static/**/*.svg",), ("js/a.js",))
    modified = watchfiles.Change.modified
    assert relevant(modified, str(tmp_path / "app.py"))
    assert relevant(modified, str(tmp_path / "pkg" / "helpers.py"))
    assert relevant(watchfiles.Change.deleted, str(tmp_path / "tempestweb.toml"))
    assert relevant(modified, str(tmp_path / "static" / "x" / "logo.svg"))
    assert relevant(watchfiles.Change.added, str(tmp_path / "js" / "a.js"))
    assert not relevant(modified, str(tmp_path / "js" / "b.js"))
    assert not relevant(modified, str(tmp_path / "notes.txt"))
    assert not relevant(modified, str(out / "app" / "app.py"))
    assert not relevant(modified, str(out))
    assert not relevant(modified, str(staging / "tempestweb.toml"))
    assert not relevant(modified, str(tmp_path / "__pycache__" / "app.cpython-311.py"))
    assert not relevant(modified, str(tmp_path / "pkg" / "__pycache__" / "x.py"))
    assert relevant(modified, str(tmp_path / "distribution.py"))  # a sibling of dist/, not inside


# --- the rebuild loop -------------------------------------------------------------------------


def test_failed_rebuild_keeps_the_last_good_build(dev_app: Path, tmp_path: Path) -> None:
    builder = DevBuilder(dev_app, tmp_path / "site", cache=None, csp=False)
    first = builder.rebuild()
    assert first.out == tmp_path / "site" and "Hello v1" in first.index.read_text()
    files = sorted(p.relative_to(first.out).as_posix() for p in first.out.rglob("*"))
    (dev_app / "app.py").write_text("def (:\n")
    with pytest.raises(WasmError, match=r"app\.py:1: importing the app failed: SyntaxError"):
        builder.rebuild()
    (dev_app / "tempestweb.toml").write_text("[wasm\n")
    with pytest.raises(WasmError):
        builder.rebuild()
    assert sorted(p.relative_to(first.out).as_posix() for p in first.out.rglob("*")) == files
    assert "Hello v1" in first.index.read_text()
    (dev_app / "tempestweb.toml").unlink()
    write_app(dev_app, "Hello v2")
    second = builder.rebuild()
    assert "Hello v2" in second.index.read_text() and second.dev_build != first.dev_build
    assert not builder.staging.exists() and not builder.retired.exists()


def test_vendored_module_edits_reach_the_prerender(tmp_path: Path) -> None:
    folder = tmp_path / "vendored"
    folder.mkdir()
    (folder / "words_for_dev_test.py").write_text('WORD = "alpha"\n')
    (folder / "tempestweb.toml").write_text('[wasm]\nmodules = ["words_for_dev_test"]\n')
    write_app(folder, "x")
    (folder / "app.py").write_text(
        (folder / "app.py").read_text().replace('"x"', "words_for_dev_test.WORD")
        .replace("from tempest_core", "import words_for_dev_test\nfrom tempest_core")
    )  # fmt: skip
    builder = DevBuilder(folder, tmp_path / "site", cache=None, csp=False)
    assert "alpha" in builder.rebuild().index.read_text()
    (folder / "words_for_dev_test.py").write_text('WORD = "omega"\n')
    assert "omega" in builder.rebuild().index.read_text()


def test_code_below_the_app_folder_on_another_path_entry_is_kept(dev_app: Path, tmp_path: Path) -> None:
    (dev_app / "src" / "srcpkg_for_dev_test").mkdir(parents=True)
    (dev_app / "src" / "srcpkg_for_dev_test" / "__init__.py").write_text("")
    sys.path.insert(0, str(dev_app / "src"))
    try:
        import srcpkg_for_dev_test  # type: ignore[import-not-found]

        DevBuilder(dev_app, tmp_path / "site", cache=None, csp=False).rebuild()
        assert sys.modules["srcpkg_for_dev_test"] is srcpkg_for_dev_test
    finally:
        sys.path.remove(str(dev_app / "src"))
        sys.modules.pop("srcpkg_for_dev_test", None)


def test_dev_refuses_to_erase_a_foreign_folder(dev_app: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "precious"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("years of work")
    with pytest.raises(WasmError, match="not a previous build") as caught:
        run_dev(dev_app, host="127.0.0.1", port=0, out=foreign, log=lambda _: None)
    assert (foreign / "thesis.tex").read_text() == "years of work"
    assert "choose another --out, or empty that folder first" in str(caught.value)  # what to do


def test_build_and_dev_refuse_a_foreign_output_with_the_same_words(dev_app: Path, tmp_path: Path) -> None:
    """One rule for the output folder (``builder.check_out``), in ``build`` and in ``dev``."""
    foreign = tmp_path / "precious"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("years of work")
    with pytest.raises(WasmError) as by_build:
        build(dev_app, out=foreign)
    with pytest.raises(WasmError) as by_dev:
        DevBuilder(dev_app, foreign, cache=None, csp=False).rebuild()
    assert str(by_build.value) == str(by_dev.value)
    assert "choose another --out" in str(by_build.value)
    file = tmp_path / "a-file"
    file.write_text("x")
    with pytest.raises(WasmError, match="exists and is not a folder; choose another --out"):
        build(dev_app, out=file)
    assert (foreign / "thesis.tex").read_text() == "years of work" and file.read_text() == "x"


def test_first_build_failure_raises(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("def (:\n")
    with pytest.raises(WasmError, match="SyntaxError"):
        run_dev(tmp_path, host="127.0.0.1", port=0, log=lambda _: None)


def test_dev_loop_rebuilds_reloads_and_survives_errors(dev_app: Path) -> None:
    out = dev_app / "dist"  # inside the watched folder: writing the build must not trigger one
    loop = DevLoop(dev_app, out, keepalive=0.5)
    try:
        assert loop.log[0].startswith("tempestweb: built ")
        assert loop.log[1].startswith("tempestweb: serving on")
        stream = SseReader(loop.url)
        first_id = stream.next_named("hello")
        assert f'content="{first_id}"' in get(loop.url)[1]
        loop.save_until(dev_app, app_source("Hello v2"), "tempestweb: rebuilt after changes to app.py")
        second_id = stream.next_named("update")  # only Python changed: pages update in place
        assert second_id != first_id
        status, page = get(loop.url)
        assert status == 200 and "Hello v2" in page and f'content="{second_id}"' in page
        # A syntax error: one line with the error; the last good build stays served, with the
        # saved app file in it, announced so that the pages show the error (newuser walk).
        line = loop.save_until(dev_app, "def (:\n", "tempestweb: rebuild failed")
        assert "\n" not in line and "Traceback" not in line
        assert re.fullmatch(
            r"tempestweb: rebuild failed, 1 open page\(s\) show the error and keep the last good "
            r"version: \S+app\.py:1: importing the app failed: SyntaxError: invalid syntax",
            line,
        ), line
        failed_id = stream.next_named("update")
        status, page = get(loop.url)
        assert status == 200 and "Hello v2" in page and f'content="{failed_id}"' in page
        assert get(loop.url + "client/dev.js")[0] == 200
        # The next good save rebuilds and announces it.
        loop.save_until(dev_app, app_source("Hello v3"), "tempestweb: rebuilt")
        third_id = stream.next_named("update")
        assert third_id not in (first_id, second_id, failed_id)
        assert "Hello v3" in get(loop.url)[1]
        # A change beyond the app's Python: pages reload.
        (dev_app / "tempestweb.toml").write_text('[app]\ntitle = "Dev"\n')
        assert stream.next_named("reload") not in (first_id, second_id, third_id)
        assert loop.expect_line("tempestweb: rebuilt after changes to tempestweb.toml").endswith(
            "reloading 1 page(s)"
        )
        # Writes into dist/ and __pycache__ never caused a rebuild of their own.
        assert sum(line.startswith("tempestweb: rebuilt") for line in loop.log) == 3
    finally:
        loop.close()
    assert loop.log[-1] == "tempestweb: dev server stopped"
    with pytest.raises(EOFError):
        stream.next_named("reload")
    stream.close()


def test_ctrl_c_stops_watcher_and_server_cleanly(dev_app: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    code = (
        "import sys; from tempestweb_wasm._mode import MODE; "
        "MODE.dev(sys.argv[1], host='127.0.0.1', port=0, options={})"
    )
    proc = subprocess.Popen(
        [sys.executable, "-u", "-c", code, str(dev_app)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        assert lines[1].startswith("tempestweb: serving on"), lines
        url = lines[1].split()[3]
        assert get(url)[0] == 200
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=WAIT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "tempestweb: dev server stopped" in stdout
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)


# --- in Chromium ------------------------------------------------------------------------------


@pytest.mark.browser
def test_open_page_reloads_into_the_new_build(dev_app: Path, browser: object) -> None:
    loop = DevLoop(dev_app, None)
    try:
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(loop.url)
        page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
        assert page.text_content("#headline") == "Hello v1"
        page.evaluate("window.twMarker = 'before reload'")
        # A change beyond the app's Python (tempestweb.toml here; an asset or script alike):
        # the page reloads itself: the new title, a fresh document, and the app boots again.
        (dev_app / "tempestweb.toml").write_text('[app]\ntitle = "Dev reloaded"\n')
        page.wait_for_function("() => document.title === 'Dev reloaded'", timeout=BOOT_TIMEOUT_MS)
        assert page.evaluate("window.twMarker") is None
        page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
        assert loop.expect_line("tempestweb: rebuilt").endswith("reloading 1 page(s)")
        # The dev build's sw.js retired itself: nothing controls the page, nothing is cached.
        page.wait_for_function(
            "async () => (await navigator.serviceWorker.getRegistrations()).length === 0"
            " && (await caches.keys()).length === 0",
            timeout=BOOT_TIMEOUT_MS,
        )
        assert page.evaluate("navigator.serviceWorker.controller") is None
        assert errors == []
        context.close()
    finally:
        loop.close()


HOT_V1 = """
from dataclasses import dataclass, replace

from tempest_core import App, html


@dataclass(frozen=True)
class State:
    count: int = 0


def bump() -> None:
    app.set_state(lambda s: replace(s, count=s.count + 1))


def view(s: State):  # noqa: ANN201
    return html.main(
        html.h1("v1", id="headline"),
        html.button(str(s.count), id="inc", type="button", on_click=bump),
        html.input(id="free", type="text"),
    )


app = App(view=view, state=State(), title="Dev")
"""

HOT_V2 = HOT_V1.replace(
    "    count: int = 0\n", "    count: int = 0\n    note: str = 'a new field'\n"
).replace('html.h1("v1", id="headline")', 'html.h1("v2", id="headline"), html.p(s.note, id="note")')


@pytest.mark.browser
def test_issue_12_a_python_change_updates_the_page_in_place_keeping_state(
    tmp_path: Path, browser: object
) -> None:
    """``dev --mode wasm``: a save of app.py is applied without reloading the page (issue 12)."""
    folder = tmp_path / "hot"
    folder.mkdir()
    (folder / "app.py").write_text(HOT_V1)
    loop = DevLoop(folder, None)
    try:
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        errors: list[str] = []
        console: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda message: console.append(message.text))
        page.goto(loop.url)
        page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
        for expected in ("1", "2"):
            page.click("#inc")
            page.wait_for_selector(f"#inc:text-is('{expected}')")
        page.fill("#free", "typed, not bound")
        page.evaluate("window.twMarker = 'same document'")
        saved = time.monotonic()
        (folder / "app.py").write_text(HOT_V2)
        page.wait_for_selector("#headline:text-is('v2')", timeout=BOOT_TIMEOUT_MS)
        usable_s = time.monotonic() - saved
        assert page.evaluate("window.twMarker") == "same document"  # no page reload
        assert page.text_content("#inc") == "2"  # the state was carried over
        assert page.text_content("#note") == "a new field"  # the added field's default
        assert page.input_value("#free") == "typed, not bound"
        notice = page.locator(".tw-overlay h2")
        notice.wait_for()
        assert notice.inner_text() == "hot reload: State changed: added 'note' (initial value); kept 'count'"
        line = loop.expect_line("tempestweb: rebuilt")
        assert line.endswith("updating the app in place in 1 page(s)"), line
        page.click("#inc")
        page.wait_for_selector("#inc:text-is('3')")
        applied = [text for text in console if text.startswith("tempestweb dev: app updated in place in ")]
        assert len(applied) == 1, console
        print(f"\ndev --mode wasm: save to updated view {usable_s:.2f} s; {applied[0]}; {line}")
        assert errors == []
        context.close()
    finally:
        loop.close()
