"""Issue 12: ``tempestweb dev`` (Mode B) and saves of ``tempestweb.toml``.

The real command in a child process: a typo in a key is the schema's typed error with a
did-you-mean, on one line, and dev keeps serving on the last good config; a valid change the
running server cannot take (the port) says which setting changed and that a restart applies it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
from test_cli_e2e import free_port

APP = (
    "from tempest_core import App, Text\n\n"
    "def view(state: int) -> Text:\n    return Text(f'count {state}', id='count')\n\n"
    "app = App(view=view, state=0)\n"
)
LOG_TIMEOUT_S = 30.0
"""A save reaches the log after watchfiles' debounce (slow on a loaded machine)."""


def _wait_for_page(port: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"tempestweb dev on port {port} did not start") from None
            time.sleep(0.05)


def _wait_for(log: Path, text: str) -> str:
    deadline = time.monotonic() + LOG_TIMEOUT_S
    while text not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)  # the child writes its log on its own schedule
    return log.read_text()


def test_issue_12_a_tempestweb_toml_typo_is_one_typed_line_and_dev_keeps_running(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "app.py").write_text(APP)
    config = project / "tempestweb.toml"
    config.write_text('[app]\ntitle = "First"\n\n[server]\nmax_sessions = 50\n')
    port = free_port()
    log = tmp_path / "dev.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tempestweb_cli", "dev", str(project), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_page(port, timeout_s=60.0)
        _wait_for(log, "watching")
        config.write_text('[app]\ntitle = "First"\n\n[server]\nmax_sesions = 50\n')
        text = _wait_for(log, "dev keeps running")
        expected = (
            f"{config}: [server] max_sesions: unknown key (did you mean 'max_sessions'?); "
            "dev keeps running on the last good config"
        )
        assert expected in text.splitlines(), text
        assert "Traceback" not in text
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=30)
        assert page.status_code == 200 and "count 0" in page.text and "<title>First</title>" in page.text

        config.write_text('[app]\ntitle = "Second"\n\n[server]\nmax_sessions = 50\n')
        text = _wait_for(log, "restart tempestweb dev")
        assert (
            "tempestweb.toml: [app] title ('First' -> 'Second') changed; restart tempestweb dev to apply it"
            in text.splitlines()
        ), text
        assert text.count("dev keeps running on the last good config") == 1
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=30).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Traceback" not in log.read_text()
