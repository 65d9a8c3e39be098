"""Two Mode A apps on one origin, each in its own folder (GitHub Pages: ``/a/`` and ``/b/``).

Each build's service worker used to delete, on activation, every Cache Storage entry named
``tw-*`` but its own: visiting ``/b/`` deleted the precache of ``/a/``, whose next offline visit
then failed with ``net::ERR_FAILED``. A build's caches now carry its scope in their name, and
activation deletes only the earlier builds of the same scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tempestweb_wasm import build
from tempestweb_wasm._serve import StaticServer

BOOT_TIMEOUT_MS = 90_000
SITE: list[str] = []
"""The served folder (the ``origin`` fixture's), where a test writes a new build of ``/a/``."""

pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

_APP = """\
from tempest_core import App, Text


def view(state: int):  # noqa: ANN201
    return Text("{title}", id="title")


app = App(view=view, state=0, title="{title}")
"""

# Resolves once this page's worker is active, controls the page and its precache is complete
# (every entry of the build, under this page's scope), whatever the cache is named.
_WAIT_PRECACHED = """async (expected) => {
  const registration = await navigator.serviceWorker.ready;
  for (;;) {
    const active = registration.active;
    if (active && active.state === "activated" && navigator.serviceWorker.controller) {
      for (const name of await caches.keys()) {
        const keys = await (await caches.open(name)).keys();
        const own = keys.filter((request) => request.url.startsWith(registration.scope));
        if (name.startsWith("tw-") && own.length >= expected) return registration.scope;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}"""


_UPDATED = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  const before = registration.active;
  await registration.update();
  for (;;) {
    const active = registration.active;
    if (active !== before && active && active.state === "activated") return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}"""


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    """Serve ``/a/`` and ``/b/``, two different builds, from one origin: ``(url, precache sizes)``."""
    site = tmp_path_factory.mktemp("site")
    SITE[:] = [str(site)]
    sizes: dict[str, int] = {}
    for name in ("a", "b"):
        folder = tmp_path_factory.mktemp(f"app_{name}")
        (folder / "app.py").write_text(_APP.replace("{title}", f"App {name.upper()}"), encoding="utf-8")
        sizes[name] = len(build(folder, out=site / name).precache)
    with StaticServer(site) as server:
        yield server.url, sizes


def test_newuser_sibling_apps_both_work_offline(origin: tuple[str, dict[str, int]], browser: Any) -> None:
    url, sizes = origin
    context = browser.new_context()
    try:
        page = context.new_page()
        for name in ("a", "b"):
            page.goto(f"{url}{name}/")
            page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
            assert page.evaluate(_WAIT_PRECACHED, sizes[name]) == f"{url}{name}/"
        context.set_offline(True)
        for name in ("a", "b"):
            page.goto(f"{url}{name}/")
            page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
            assert page.inner_text("#title") == f"App {name.upper()}"
    finally:
        context.close()


def test_newuser_a_new_build_replaces_only_its_own_scope_cache(
    origin: tuple[str, dict[str, int]], browser: Any, tmp_path: Path
) -> None:
    url, sizes = origin
    context = browser.new_context()
    try:
        page = context.new_page()
        for name in ("a", "b"):
            page.goto(f"{url}{name}/")
            page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
            page.evaluate(_WAIT_PRECACHED, sizes[name])
        old = set(page.evaluate("caches.keys()"))
        # A legacy unscoped cache of another app (tempestweb before scoped names) is left alone.
        page.evaluate("caches.open('tw-0000000000000000').then((c) => c.put('/x/y', new Response('x')))")
        (tmp_path / "app.py").write_text(_APP.replace("{title}", "App A2"), encoding="utf-8")
        build(tmp_path, out=Path(SITE[0]) / "a")
        page.goto(f"{url}a/")
        page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
        # The update check a visit makes, without waiting for the browser's own timing: the new
        # worker installs, activates at once (skipWaiting) and deletes the earlier caches.
        page.evaluate(_UPDATED)
        page.goto(f"{url}a/")
        page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
        assert page.inner_text("#title") == "App A2"
        new = set(page.evaluate("caches.keys()"))
        assert {n for n in old if n.endswith(f"@{url}b/")} <= new, (old, new)  # b's kept
        assert not {n for n in old if n.endswith(f"@{url}a/")} & new, (old, new)  # a's old one gone
        assert "tw-0000000000000000" in new
    finally:
        context.close()
