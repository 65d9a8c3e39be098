"""The two sites a conformance run drives: the staged app built for Mode A, and served for Mode B."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["mode_a_site", "mode_b_site", "package_src_paths", "stage_app"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
APP_SRC = HERE / "cases" / "app"
EXAMPLES = ("counter", "todomvc", "jsfb")
SERVER_START_TIMEOUT_S = 60.0
POLL_INTERVAL_S = 0.1


def package_src_paths() -> list[str]:
    """Return every ``packages/*/src`` directory of the monorepo."""
    return sorted(str(p) for p in (REPO / "packages").glob("*/src") if p.is_dir())


def stage_app(dest: Path) -> Path:
    """Copy the conformance app and the example apps (as ``ex_<name>.py``) into ``dest``.

    Args:
        dest: An empty or missing folder.

    Returns:
        ``dest / "app.py"``, the app file both modes load.

    Raises:
        OSError: A source file is missing or ``dest`` cannot be written.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for src in APP_SRC.iterdir():
        if src.suffix in (".py", ".toml"):
            shutil.copy2(src, dest / src.name)
    for name in EXAMPLES:
        shutil.copy2(REPO / "examples" / name / "app.py", dest / f"ex_{name}.py")
    return dest / "app.py"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def mode_a_site(staged: Path, out: Path) -> Iterator[str]:
    """Build the staged app for Mode A and serve the folder; yield its URL.

    Raises:
        tempestweb_wasm.errors.WasmError: The build failed.
    """
    from tempestweb_wasm import build
    from tempestweb_wasm._serve import StaticServer

    build(staged, out=out)
    with StaticServer(out) as server:
        yield server.url


@contextmanager
def mode_b_site(staged: Path) -> Iterator[str]:
    """Serve the staged app with ``tempestweb_server.serve`` in a subprocess; yield its URL.

    Raises:
        RuntimeError: The server exited or did not answer within ``SERVER_START_TIMEOUT_S``
            (the message carries its output).
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    code = (
        "import sys; from tempestweb_server import load_app, serve; "
        "serve(load_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]))"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*package_src_paths(), env.get("PYTHONPATH", "")])
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(staged.parent), str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(
                        f"Mode B server did not start:\n{log.read().decode(errors='replace')[-4000:]}"
                    )
                try:
                    with urllib.request.urlopen(url, timeout=2) as resp:
                        if resp.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                time.sleep(POLL_INTERVAL_S)  # polling a starting process, not a page condition
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
