"""Issue 12: ``tempestweb run|dev --mode wasm`` stopped with SIGTERM removes its temporary build folder.

A real subprocess builds a real Mode A site (from the Pyodide cache) into a fresh ``TMPDIR``,
serves it, answers an HTTP request, then gets SIGTERM (what ``kill``, systemd and ``docker
stop`` send). Before the fix the process died at once and left a ``tempestweb-wasm-*`` folder
of about 16 MB behind per run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[3]
SOURCES = [
    REPO / "packages" / name / "src"
    for name in ("tempestweb-contract", "tempest-core", "tempestweb-wasm", "tempestweb-cli")
]
BUILD_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wasm_entry_point(site: Path) -> None:
    pyproject = tomllib.loads((REPO / "packages" / "tempestweb-wasm" / "pyproject.toml").read_text())
    modes = pyproject["project"]["entry-points"]["tempestweb.modes"]
    dist = site / "tempestweb_wasm-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tempestweb-wasm\nVersion: 0.1.0\n")
    lines = "".join(f"{name} = {value}\n" for name, value in modes.items())
    (dist / "entry_points.txt").write_text(f"[tempestweb.modes]\n{lines}")


@pytest.mark.parametrize("command", ["run", "dev"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_issue_12_wasm_run_stopped_by_signal_removes_its_temp_folder(
    tmp_path: Path, signum: signal.Signals, command: str
) -> None:
    site = tmp_path / "site"
    _wasm_entry_point(site)
    temp = tmp_path / "tmp"
    temp.mkdir()
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.py").write_text(
        "from tempest_core import App, Text\n\n"
        "def view(state: None) -> Text:\n    return Text('hi')\n\n"
        "app = App(view=view, state=None, title='Signal')\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(map(str, [site, *SOURCES])),
        "TMPDIR": str(temp),
        "PYTHONUNBUFFERED": "1",
    }
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tempestweb_cli", command, str(app), "--mode", "wasm", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "serving on" in line:
                break
        else:
            pytest.fail("the run ended before serving:\n" + "".join(lines))
        built = [path.name for path in temp.iterdir()]
        assert len(built) == 1 and built[0].startswith("tempestweb-wasm-"), built
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=30)
        assert page.status_code == 200 and "Signal" in page.text
        process.send_signal(signum)
        rest, _ = process.communicate(timeout=60)
        lines.append(rest)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = "".join(lines)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output
    assert list(temp.iterdir()) == [], output
