"""``tempestweb run`` in a subprocess: real server mode, prerendered shell, stop on SIGINT.

The server mode is found through a real ``tempestweb.modes`` entry point: the test writes a
``.dist-info`` with the entry point declared in ``packages/tempestweb-server/pyproject.toml``
onto the subprocess's ``PYTHONPATH`` (no global install needed).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[3]
SOURCES = [
    REPO / "packages" / name / "src"
    for name in ("tempestweb-contract", "tempest-core", "tempestweb-server", "tempestweb-cli")
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def entry_points_dir(tmp_path: Path) -> Path:
    pyproject = tomllib.loads((REPO / "packages" / "tempestweb-server" / "pyproject.toml").read_text())
    modes = pyproject["project"]["entry-points"]["tempestweb.modes"]
    dist = tmp_path / "site" / "tempestweb_server-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tempestweb-server\nVersion: 0.1.0\n")
    lines = "".join(f"{name} = {value}\n" for name, value in modes.items())
    (dist / "entry_points.txt").write_text(f"[tempestweb.modes]\n{lines}")
    return dist.parent


def test_run_serves_the_app_and_stops_on_sigint(tmp_path: Path, entry_points_dir: Path) -> None:
    app_dir = tmp_path / "proj"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, [entry_points_dir, *SOURCES]))}
    created = subprocess.run(
        [sys.executable, "-m", "tempestweb_cli", "new", "proj", "--dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tempestweb_cli", "run", str(app_dir), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/some/deep/link", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.05)
        assert response.status_code == 200
        assert "<title>Proj</title>" in response.text
        assert "Count: 0</span>" in response.text and 'data-tw-session="' in response.text
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert f"serving on http://127.0.0.1:{port}/" in output
    assert "Traceback" not in output


def test_run_reports_a_broken_app_without_traceback(tmp_path: Path, entry_points_dir: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, [entry_points_dir, *SOURCES]))}
    result = subprocess.run(
        [sys.executable, "-m", "tempestweb_cli", "run", str(tmp_path), "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert f"{tmp_path / 'app.py'}: no module-level `app`" in result.stderr
    assert "Traceback" not in result.stderr


async def test_dev_reloads_the_app_into_open_sessions(tmp_path: Path, entry_points_dir: Path) -> None:
    import asyncio
    import json

    import websockets

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, [entry_points_dir, *SOURCES]))}
    created = subprocess.run(
        [sys.executable, "-m", "tempestweb_cli", "new", "live", "--dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    app_file = tmp_path / "live" / "app.py"
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tempestweb_cli", "dev", str(tmp_path / "live"), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                async with websockets.connect(f"ws://127.0.0.1:{port}/_tw/ws") as ws:
                    await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
                    first = json.loads(await ws.recv())
                    assert first["type"] == "init" and "Count: 0" in json.dumps(first["ops"])
                    app_file.write_text(
                        app_file.read_text().replace('f"Count: {count}"', 'f"Total: {count}"')
                    )

                    async def reloaded() -> dict[str, object]:
                        while True:
                            message: dict[str, object] = json.loads(await ws.recv())
                            if message["type"] == "init":
                                return message

                    init = await asyncio.wait_for(reloaded(), timeout=30)
                    assert init["reset"] is True and "Total: 0" in json.dumps(init["ops"])
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                await asyncio.sleep(0.05)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "reloaded app.py into 1 session(s)" in output


def _both_modes_app(tmp_path: Path) -> dict[str, str]:
    """An app folder in ``tmp_path`` and the environment of a CLI that has both modes installed."""
    site = tmp_path / "site"
    for package in ("tempestweb-server", "tempestweb-wasm"):
        group = package.replace("-", "_")
        pyproject = tomllib.loads((REPO / "packages" / package / "pyproject.toml").read_text())
        modes = pyproject["project"]["entry-points"]["tempestweb.modes"]
        dist = site / f"{group}-0.1.0.dist-info"
        dist.mkdir(parents=True)
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.1.0\n")
        lines = "".join(f"{name} = {value}\n" for name, value in modes.items())
        (dist / "entry_points.txt").write_text(f"[tempestweb.modes]\n{lines}")
    sources = [*SOURCES, REPO / "packages" / "tempestweb-wasm" / "src"]
    (tmp_path / "app.py").write_text(
        "from tempest_core import App, Text\n\n"
        "def view(state: None) -> Text:\n    return Text('hi')\n\n"
        "app = App(view=view, state=None, title='Busy')\n"
    )
    return {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, [site, *sources]))}


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tempestweb_cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("command", "mode"), [("run", "server"), ("dev", "server"), ("run", "wasm"), ("dev", "wasm")]
)
def test_issue_12_busy_port_is_one_line_and_a_failure(tmp_path: Path, command: str, mode: str) -> None:
    """``run`` and ``dev`` in both modes on a taken port: one line, exit 1, nothing served or built."""
    env = _both_modes_app(tmp_path)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = _cli(env, command, str(tmp_path), "--mode", mode, "--port", str(port))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == f"Error: port {port} on 127.0.0.1 is in use; pick another with --port\n"


@pytest.mark.parametrize(("command", "mode"), [("run", "server"), ("dev", "wasm")])
@pytest.mark.parametrize("host", ["999.1.1.1", "no-such-host.invalid"])
def test_issue_12_unresolvable_host_is_one_line_and_a_failure(
    tmp_path: Path, command: str, mode: str, host: str
) -> None:
    """A ``--host`` that is no address and no name the machine resolves: one line naming it, exit 1.

    It was the server's own ``gaierror`` (``Error: gaierror: [Errno -2] Name or service not known``).
    """
    env = _both_modes_app(tmp_path)
    result = _cli(env, command, str(tmp_path), "--mode", mode, "--host", host, "--port", "8000")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        f"Error: cannot listen on {host!r}: not an IP address or a host name this machine resolves ("
    ), lines[0]
    assert lines[0].endswith("); pick another with --host"), lines[0]
