"""Take the gallery's screenshots (docs/images/*.png) of the example apps in Mode B. Run by hand.

    python docs/_screenshots.py                 # every example
    python docs/_screenshots.py todomvc jsfb    # some of them
    python docs/_screenshots.py gallery-light gallery-dark   # the component gallery, both schemes

Needs the packages installed (e.g. ``.nox/docs/bin/python docs/_screenshots.py`` after
``nox -s docs``), Playwright's Python package and a Chromium: the system one
(``/usr/bin/chromium``, Debian package ``chromium``) or Playwright's own, launched with the
flags of ``tempestweb_contract.testing``. Each example is served with
``python -m tempestweb_cli run examples/<name>`` on a free loopback port, driven the way a user
would (real clicks and keystrokes; every wait is on a condition), then captured at 1000 px wide
(the component gallery at 1280x800, once with Chromium emulating ``prefers-color-scheme: light``
and once ``dark``). Commit the PNGs it writes; docs/gallery.md shows them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from playwright.sync_api import Page, sync_playwright

from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
START_TIMEOUT_S = 60.0
READY_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1000, "height": 700}
GALLERY_VIEWPORT = {"width": 1280, "height": 800}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(example: str) -> Iterator[str]:
    """Run ``tempestweb run examples/<example>`` until the block ends; yield its URL."""
    port = _free_port()
    command = [sys.executable, "-m", "tempestweb_cli", "run", str(REPO / "examples" / example),
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        env = dict(os.environ)
        process = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"{example} exited early:\n{log.read().decode(errors='replace')}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{example} did not answer on {url}") from None
                    time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)


def _open(page: Page, url: str) -> None:  # predicates are functions: the page's CSP forbids eval
    page.goto(url)
    page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=READY_TIMEOUT_MS)


def counter(page: Page, url: str) -> None:
    _open(page, url)
    for _ in range(3):
        page.click("#increment")
    page.wait_for_function("() => document.querySelector('#count').textContent.includes('3')")


def todomvc(page: Page, url: str) -> None:
    _open(page, url)
    field = page.locator("input.new-todo")
    for text in ("Read the guide", "Write an app", "Deploy it behind Caddy"):
        field.click()
        field.type(text)
        field.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('ul.todo-list li').length === 3")
    page.locator("ul.todo-list li input.toggle").first.click()
    page.wait_for_selector("ul.todo-list li.completed")


def jsfb(page: Page, url: str) -> None:
    _open(page, url)
    page.click("#run")
    page.wait_for_function("() => document.querySelectorAll('tbody tr').length === 1000")
    page.locator("tbody tr:nth-child(3) td:nth-child(2) a").click()
    page.wait_for_selector("tbody tr.danger")


def native(page: Page, url: str) -> None:
    _open(page, url)
    for name in ("store-put", "store-get", "install-state", "share"):
        page.click(f"#{name}")
        page.wait_for_function(f"() => document.querySelector('#{name}-result').textContent !== ''")


def gallery(page: Page, url: str) -> None:
    _open(page, url)
    page.wait_for_selector("main section[data-gallery-section]")
    page.click("#toast-success")  # a toast in the corner (it stays 5 s: the shot is taken before)
    page.wait_for_selector("[role=status] >> text=Changes saved.")
    page.click("#demo-primary")
    page.wait_for_function("() => document.querySelector('#demo-clicks').textContent.includes('1 time')")
    page.mouse.move(0, 799)  # no hover look on the clicked button
    page.evaluate("() => window.scrollTo(0, 0)")  # the clicks scrolled their buttons into view
    page.wait_for_function("() => window.scrollY === 0")


EXAMPLES: dict[str, Callable[[Page, str], None]] = {
    "counter": counter,
    "todomvc": todomvc,
    "jsfb": jsfb,
    "native": native,
    "gallery-light": gallery,
    "gallery-dark": gallery,
}

SCHEMES: dict[str, Literal["light", "dark"]] = {"gallery-light": "light", "gallery-dark": "dark"}
"""Shots taken with Chromium emulating ``prefers-color-scheme`` (the rest use its default, light)."""


def _example_of(name: str) -> str:
    """Return the ``examples/`` folder a shot is taken of (``gallery-dark`` -> ``gallery``)."""
    return name.rsplit("-", 1)[0] if name in SCHEMES else name


def main(names: list[str]) -> int:
    """Capture ``names`` (default: every example present); return the exit status."""
    chosen = names or [
        name for name in EXAMPLES if (REPO / "examples" / _example_of(name) / "app.py").is_file()
    ]
    unknown = [name for name in chosen if name not in EXAMPLES]
    if unknown:
        print(f"unknown example(s): {', '.join(unknown)}; known: {', '.join(EXAMPLES)}", file=sys.stderr)
        return 2
    IMAGES.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        try:
            for name in chosen:
                with served(_example_of(name)) as url:
                    context = browser.new_context(
                        viewport=GALLERY_VIEWPORT if name in SCHEMES else VIEWPORT,  # type: ignore[arg-type]
                        color_scheme=SCHEMES.get(name, "light"),
                    )
                    page = context.new_page()
                    EXAMPLES[name](page, url)
                    target = IMAGES / f"{name}.png"
                    # CSS transitions (a colour scheme settling) end at once; spinners stand still
                    page.screenshot(path=str(target), animations="disabled" if name in SCHEMES else "allow")
                    context.close()
                    print(f"wrote {target.relative_to(REPO)}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
