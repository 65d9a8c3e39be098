"""A static host a user deploys Mode A builds to, for the PWA lifecycle tests (issue 14).

:class:`Host` is ``python -m http.server`` (``SimpleHTTPRequestHandler``: ``Last-Modified`` and
``If-Modified-Since``, no ``Cache-Control``) over one folder, plus what a test needs to play a
deploy or a misconfigured server: a hook per request, MIME overrides, extra headers. Builds
carry a version in three places, so a page that mixes two builds shows it: the app's code
(``#ver``), the ``tempestweb_wasm`` wheel (``#wheel``, a module added to it) and ``bootstrap.js``
(``globalThis.__twBoot``), the last two standing for "changed tempestweb assets".
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tempestweb_wasm import build
from tempestweb_wasm._sw import write_service_worker

BOOT_TIMEOUT_MS = 120_000
"""A cold boot compiles Pyodide (about 10 MB of WebAssembly): generous for a loaded machine."""

ACTION_TIMEOUT_MS = 15_000

_APP = """\
from dataclasses import dataclass, replace

from tempest_core import App, html

VERSION = "{version}"
try:
    from tempestweb_wasm._lifecycle_probe import WHEEL
except ImportError:
    WHEEL = "none"


@dataclass(frozen=True)
class State:
    count: int = 0


def inc() -> None:
    app.set_state(lambda s: replace(s, count=s.count + 1))


def view(state: State):  # noqa: ANN201
    return html.main(
        html.h1(VERSION, id="ver"),
        html.p(WHEEL, id="wheel"),
        html.span(str(state.count), id="count"),
        html.button("+", id="inc", type="button", on_click=inc),
    )


app = App(view=view, state=State(), title="Lifecycle {version}")
"""

STATE = """() => ({
  boot: globalThis.__twBoot ?? null,
  app: document.getElementById('ver')?.textContent ?? null,
  wheel: document.getElementById('wheel')?.textContent ?? null,
  ready: document.documentElement.hasAttribute('data-tw-ready'),
  failed: document.documentElement.hasAttribute('data-tw-failed'),
})"""
"""What build a page runs: ``{boot, app, wheel, ready, failed}``."""

CONTROLLED = """async () => {
  const registration = await navigator.serviceWorker.ready;
  while (!(registration.active?.state === "activated" && navigator.serviceWorker.controller)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (await caches.keys()).filter((name) => name.endsWith("@" + registration.scope));
}"""
"""Wait until the page's worker is active, controls it and has precached its build (install
only ends once every file is in the cache); answer this scope's cache names."""

UPDATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  const worker = registration.installing ?? registration.waiting;
  if (worker === null) return "no new worker";
  while (worker.state !== "activated" && worker.state !== "redundant") {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return worker.state;
}"""
"""The update check a navigation makes, without waiting for the browser's timing: ``activated``
(the new build took over), ``redundant`` (its install failed) or ``no new worker``."""


def version(build_id: str) -> dict[str, object]:
    """The :data:`STATE` of a page running build ``build_id`` whole, interactive."""
    return {"boot": build_id, "app": build_id, "wheel": f"wheel-{build_id}", "ready": True, "failed": False}


def make_build(workdir: Path, build_id: str) -> Path:
    """Build the probe app as version ``build_id`` into ``workdir/<build_id>``, return the folder.

    The ``tempestweb_wasm`` wheel gets a module naming the version and ``bootstrap.js`` sets
    ``globalThis.__twBoot``; ``sw.js`` is written again over the changed files, as the builder
    would have.
    """
    source = workdir / f"src-{build_id}"
    source.mkdir(parents=True)
    (source / "app.py").write_text(_APP.format(version=build_id), encoding="utf-8")
    out = build(source, out=workdir / build_id).out
    wheel = next((out / "wheels").glob("tempestweb_wasm-*.whl"))
    data = io.BytesIO(wheel.read_bytes())
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("tempestweb_wasm/_lifecycle_probe.py", f'WHEEL = "wheel-{build_id}"\n')
    wheel.write_bytes(data.getvalue())
    boot = out / "bootstrap.js"
    boot.write_text(f'globalThis.__twBoot = "{build_id}";\n{boot.read_text("utf-8")}', "utf-8")
    write_service_worker(out)
    return out


_uploaded = [0.0]


def deploy(build_dir: Path, target: Path, *, keep: tuple[str, ...] = ()) -> None:
    """Upload ``build_dir`` over ``target``: every file replaced, with a fresh modification time.

    ``http.server`` answers ``If-Modified-Since`` with whole seconds, so two uploads within one
    second would look unchanged (304); each upload is stamped at least 2 s after the last.

    Args:
        build_dir: The build to upload.
        target: The folder the host serves it from.
        keep: Paths (relative, POSIX) left as they are: an upload not finished yet.

    """
    stamp = max(time.time(), _uploaded[0] + 2)
    _uploaded[0] = stamp
    for source in sorted(build_dir.rglob("*")):
        rel = source.relative_to(build_dir).as_posix()
        if not source.is_file() or rel in keep:
            continue
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        os.utime(dest, (stamp, stamp))


Hook = Callable[[http.server.SimpleHTTPRequestHandler, str], bool]
"""Called with each GET or HEAD and its path; answers it and returns True, or returns False."""


class Host:
    """``python -m http.server`` over ``root`` on 127.0.0.1, in a daemon thread (context manager).

    Attributes:
        url: ``http://127.0.0.1:<port>/``.
        hooks: Tried in order before the file is served.
        types: File suffix -> ``Content-Type`` overriding the standard table.
        headers: Sent with every answer.

    """

    def __init__(self, root: Path) -> None:
        self.hooks: list[Hook] = []
        self.types: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        host = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                del format, args

            def _hooked(self) -> bool:
                path = self.path.split("?", 1)[0]
                return any(hook(self, path) for hook in list(host.hooks))

            def do_GET(self) -> None:
                if not self._hooked():
                    super().do_GET()

            def do_HEAD(self) -> None:
                if not self._hooked():
                    super().do_HEAD()

            def guess_type(self, path: str | os.PathLike[str]) -> str:
                for suffix, media in host.types.items():
                    if os.fspath(path).endswith(suffix):
                        return media
                return super().guess_type(path)

            def end_headers(self) -> None:
                for name, value in host.headers.items():
                    self.send_header(name, value)
                super().end_headers()

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a browser that cancels a download resets the socket

        self._server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Host:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def not_found(suffix: str) -> Hook:
    """A hook answering 404 to GET and HEAD of every path ending with ``suffix``."""

    def hook(handler: http.server.SimpleHTTPRequestHandler, path: str) -> bool:
        if not path.endswith(suffix):
            return False
        handler.send_error(404)
        return True

    return hook


def send_html(handler: http.server.SimpleHTTPRequestHandler, body: bytes) -> None:
    """Answer the handler's GET or HEAD with ``200`` and the HTML ``body`` (a host's fallback page)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command == "GET":
        handler.wfile.write(body)


def wait_for_build(page: Any, *, timeout_ms: int = BOOT_TIMEOUT_MS) -> dict[str, object]:
    """Wait until the page's app is interactive or failed, across reloads; answer its :data:`STATE`.

    A page may reload itself meanwhile (a new build taking it while it starts), which destroys
    the document an ``evaluate`` runs in: such a failure is retried until the deadline.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            left_ms = max(1, int((deadline - time.monotonic()) * 1000))
            page.wait_for_selector("html[data-tw-ready], html[data-tw-failed]", timeout=left_ms)
            state: dict[str, object] = page.evaluate(STATE)
        except Exception:
            if time.monotonic() >= deadline:
                raise
            page.wait_for_timeout(200)
            continue
        return state
