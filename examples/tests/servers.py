"""Local servers for the browser suites: a stdlib static file server and a ``tempestweb run`` subprocess."""

from __future__ import annotations

import functools
import http.server
import importlib.metadata
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

__all__ = ["REPO", "AppServer", "StaticServer", "cli_available", "free_port", "package_src_paths"]

REPO = Path(__file__).resolve().parents[2]
APP_START_TIMEOUT_S = 60.0
APP_POLL_INTERVAL_S = 0.1


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def package_src_paths() -> list[str]:
    """Return every ``packages/*/src`` directory of the monorepo (for ``PYTHONPATH``)."""
    return sorted(str(p) for p in (REPO / "packages").glob("*/src") if p.is_dir())


def entry_point_shims() -> str | None:
    """Make the monorepo's packages discoverable as installed distributions (entry points) from source.

    The CLI finds modes through ``importlib.metadata`` entry points, which a bare ``PYTHONPATH`` does not
    provide. For every ``packages/*`` distribution that is not installed, write a minimal ``.dist-info``
    (``METADATA`` + ``entry_points.txt`` from its ``pyproject.toml``) into a temporary folder.

    Returns:
        The folder to put on ``PYTHONPATH``, or ``None`` when every distribution is installed.
    """
    folder = Path(tempfile.mkdtemp(prefix="tw-dist-"))
    wrote = False
    for pyproject in sorted((REPO / "packages").glob("*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text()).get("project", {})
        name, version = project.get("name"), project.get("version", "0")
        if not name:
            continue
        try:
            importlib.metadata.distribution(name)
            continue
        except importlib.metadata.PackageNotFoundError:
            pass
        info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        groups = project.get("entry-points", {})
        lines = [
            f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) for group, eps in groups.items()
        ]
        (info / "entry_points.txt").write_text("\n".join(lines))
        wrote = True
    return str(folder) if wrote else None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        del format, args

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class StaticServer:
    """Serve one directory over HTTP on 127.0.0.1 in a daemon thread (context manager).

    Args:
        directory: Folder to serve.
    """

    def __init__(self, directory: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def __enter__(self) -> StaticServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


def cli_available() -> bool:
    """Return whether the ``tempestweb`` CLI package (``python -m tempestweb_cli``) is in the source tree."""
    return (REPO / "packages" / "tempestweb-cli" / "src" / "tempestweb_cli" / "__main__.py").is_file()


class AppServer:
    """Run ``python -m tempestweb_cli run <example dir> --port N`` as a user would, until closed.

    While the CLI package is not there, it runs ``tempestweb_server.serve(load_app(dir), ...)`` in a
    subprocess instead (same server, same process model).

    Args:
        example: Folder of the example app (holds ``app.py`` and ``tempestweb.toml``).
        extra_args: More CLI arguments.

    Raises:
        RuntimeError: On enter, when the process exits early or does not answer HTTP in time (the message
            carries the process output).
    """

    def __init__(self, example: Path, *extra_args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        if cli_available():
            self._cmd = [
                sys.executable, "-m", "tempestweb_cli", "run", str(example),
                "--host", "127.0.0.1", "--port", str(self.port), *extra_args,
            ]  # fmt: skip
        else:
            code = (
                "import sys; from tempestweb_server import load_app, serve; "
                "serve(load_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]))"
            )
            self._cmd = [sys.executable, "-c", code, str(example), str(self.port)]
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = Path(tempfile.gettempdir()) / f"tempestweb-e2e-{example.name}-{self.port}.log"

    def __enter__(self) -> AppServer:
        env = dict(os.environ)
        shims = entry_point_shims()
        paths = [*package_src_paths(), *([shims] if shims else []), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        self._log.parent.mkdir(parents=True, exist_ok=True)
        log = self._log.open("wb")
        self._proc = subprocess.Popen(self._cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + APP_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(
                    f"{' '.join(self._cmd)} exited with {self._proc.returncode}:\n{self.output()}"
                )
            try:
                with urllib.request.urlopen(self.url, timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(APP_POLL_INTERVAL_S)  # polling a process that is starting up, not a page condition
        self.__exit__(None, None, None)
        raise RuntimeError(
            f"{' '.join(self._cmd)} did not answer within {APP_START_TIMEOUT_S} s:\n{self.output()}"
        )

    def output(self) -> str:
        """Return what the server process printed so far."""
        try:
            return self._log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


class WasmSite(AppServer):
    """Build ``examples/<name>`` for Mode A with ``tempestweb build`` and serve the folder with
    ``python -m http.server``, as the Mode A issue asks (any static file server must do).

    Args:
        example: Folder of the example app.
        out: Empty folder for the build.

    Raises:
        RuntimeError: The build failed (the message carries its output), or the static server
            did not answer in time.
    """

    def __init__(self, example: Path, out: Path) -> None:
        super().__init__(example)
        self._build = [sys.executable, "-m", "tempestweb_cli", "build", str(example), "--out", str(out)]
        self._cmd = [
            sys.executable, "-m", "http.server", str(self.port),
            "--bind", "127.0.0.1", "--directory", str(out),
        ]  # fmt: skip

    def __enter__(self) -> AppServer:
        env = dict(os.environ)
        shims = entry_point_shims()
        paths = [*package_src_paths(), *([shims] if shims else []), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        built = subprocess.run(self._build, cwd=REPO, env=env, capture_output=True, text=True, check=False)
        if built.returncode != 0:
            raise RuntimeError(f"{' '.join(self._build)} failed:\n{built.stdout}\n{built.stderr}")
        return super().__enter__()
