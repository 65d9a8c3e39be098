"""``tempestweb dev`` on an app that cannot be imported keeps running until the fix is saved.

Found by probing as a new user: a syntax error in ``app.py`` when ``dev`` started printed
``Error: AppLoadError: ...`` and exited, with nothing watching the files, where the same error
saved while ``dev`` ran was shown on the page and reloaded once fixed.
"""

from __future__ import annotations

import html
import re
import signal
import time
from pathlib import Path

import httpx
from server_live import MODE_SCRIPT, free_port, python_server

BROKEN = 'from tempest_core import App, Text\n\ndef view(count: int)\n    return Text(f"n={count}")\n\n'
TAIL = 'app = App(view=view, state=0, title="Fixed")\n'


def test_issue_12_dev_started_on_a_syntax_error_shows_it_and_serves_the_fix(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(BROKEN + TAIL)
    port = free_port()
    with python_server(MODE_SCRIPT, "dev", str(app), str(port), port=port) as process:
        broken = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert broken.status_code == 500
        page = html.unescape(broken.text)
        assert "importing the app failed: SyntaxError" in page
        assert f"{app}:3" in page  # the app's own file:line
        again = html.unescape(httpx.get(f"http://127.0.0.1:{port}/", timeout=10).text)
        error_ids = {re.search(r"error id ([0-9a-f]+)", text).group(1) for text in (page, again)}  # type: ignore[union-attr]
        app.write_text(BROKEN.replace("def view(count: int)\n", "def view(count: int) -> Text:\n") + TAIL)
        deadline = time.monotonic() + 20
        while True:  # the watcher loads the fixed app
            fixed = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
            if fixed.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert fixed.status_code == 200 and "n=0" in fixed.text and "<title>Fixed</title>" in fixed.text
        assert process.poll() is None  # dev never exited
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "importing the app failed: SyntaxError" in output.splitlines()[0], output
    # logged once, with its traceback, under the id both page loads show (it was logged again,
    # traceback and all, under a new id at each page load)
    assert len(error_ids) == 1 and f"(error {error_ids.pop()})" in output.splitlines()[0], output
    assert output.count(f'File "{app}", line 3') == 1, output
