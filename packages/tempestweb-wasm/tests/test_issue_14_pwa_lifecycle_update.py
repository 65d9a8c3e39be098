"""Issue 14, a Mode A release cycle in Chromium: a new deploy reaches every page whole.

Each build is served from a sub-path (``/app/``) by ``http.server``, and each carries its version
in its app code, in a tempestweb wheel and in ``bootstrap.js`` (``pwa_site``), so a page made of
two builds shows it.

- A new build's worker activates at once (``skipWaiting``) and takes the open pages. A page it
  took while still starting used to go on with the previous build's ``bootstrap.js`` and app
  code and the new build's wheels (observed: v1, v1, ``wheel-v2``; app code and tempestweb
  then need not fit). Such a page now reloads onto the new build; a page already running keeps
  its build, works on, and gets the new one on reload.
- A deploy caught half uploaded (``sw.js`` new, a wheel still the previous one) used to install:
  the previous wheel was cached under the new build's name, and since ``sw.js`` no longer
  changed, the page ran the new shell with the old wheel for good, even after the upload
  completed. The install now checks each file's integrity and fails as a whole; the previous
  build keeps working (offline too) and the completed upload installs on the next check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pwa_site import (
    ACTION_TIMEOUT_MS,
    CONTROLLED,
    STATE,
    UPDATE,
    Host,
    deploy,
    make_build,
    not_found,
    version,
    wait_for_build,
)

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

# Installed before the page's scripts. Once armed (sessionStorage), the next document holds its
# build manifest request until a new worker takes the page: the page has loaded its shell
# (index.html, bootstrap.js, the client) and not yet its manifest, app code and wheels, which is
# where a boot is when a new build activates during it. Held at most 60 s.
_HOLD_UNTIL_TAKEN = """(() => {
  if (sessionStorage.getItem("tw-test-hold") !== "armed") return;
  sessionStorage.setItem("tw-test-hold", "held");
  const taken = new Promise((resolve) => {
    navigator.serviceWorker.addEventListener("controllerchange", () => setTimeout(resolve, 0));
    setTimeout(resolve, 60000);
  });
  const original = window.fetch;
  window.fetch = async (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith("/tw-build.json")) await taken;
    return original(input, init);
  };
})();"""


_WATCH_TAKEN = """() => {
  window.__taken = new Promise((resolve) => {
    navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
  });
}"""


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    workdir = tmp_path_factory.mktemp("builds")
    return {build_id: make_build(workdir, build_id) for build_id in ("v1", "v2")}


def _wheel(build_dir: Path) -> str:
    return next((build_dir / "wheels").glob("tempestweb_wasm-*.whl")).relative_to(build_dir).as_posix()


def test_issue_14_a_new_build_never_runs_with_the_previous_builds_shell(
    builds: dict[str, Path], browser: Any, tmp_path: Path
) -> None:
    deploy(builds["v1"], tmp_path / "app")
    with Host(tmp_path) as host:
        url = f"{host.url}app/"
        context = browser.new_context()
        try:
            running = context.new_page()  # a tab left open on v1
            running.goto(url)
            assert wait_for_build(running) == version("v1")
            assert len(running.evaluate(CONTROLLED)) == 1
            starting = context.new_page()  # a tab that is starting when v2 activates
            starting.add_init_script(_HOLD_UNTIL_TAKEN)
            starting.goto(url)
            assert wait_for_build(starting) == version("v1")
            running.evaluate(_WATCH_TAKEN)
            deploy(builds["v2"], tmp_path / "app")
            starting.evaluate("sessionStorage.setItem('tw-test-hold', 'armed')")
            starting.reload(wait_until="commit")  # v1's shell, from v1's cache; held at its manifest
            # v2 installs (this check, or the one the reload started), activates, takes both pages.
            running.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
            running.evaluate("window.__taken")
            assert wait_for_build(starting) == version("v2"), "a page mixing two builds"
            assert starting.evaluate("sessionStorage.getItem('tw-test-hold')") == "held"
            # The page that was already running keeps its build and works on ...
            assert running.evaluate(STATE) == version("v1")
            running.click("#inc")
            running.wait_for_selector("#count:text-is('1')", timeout=ACTION_TIMEOUT_MS)
            # ... and gets v2 whole on reload, as does a new visit; v1's cache is gone.
            running.reload()
            assert wait_for_build(running) == version("v2")
            visit = context.new_page()
            visit.goto(url)
            assert wait_for_build(visit) == version("v2")
            assert len(visit.evaluate(CONTROLLED)) == 1
        finally:
            context.close()


def test_issue_14_a_half_uploaded_deploy_keeps_the_previous_build(
    builds: dict[str, Path], browser: Any, tmp_path: Path
) -> None:
    v1, v2 = builds["v1"], builds["v2"]
    wheel = _wheel(v2)
    deploy(v1, tmp_path / "app")
    with Host(tmp_path) as host:
        url = f"{host.url}app/"
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(url)
            assert wait_for_build(page) == version("v1")
            [v1_cache] = page.evaluate(CONTROLLED)
            # Everything of v2 uploaded but one wheel, still v1's: the install must fail whole.
            deploy(v2, tmp_path / "app", keep=(wheel,))
            assert page.evaluate(UPDATE) == "redundant"
            page.reload()
            assert wait_for_build(page) == version("v1")
            # The wheel missing altogether (a 404 mid-upload): the same, and v1 works offline.
            host.hooks.append(not_found(wheel.rsplit("/", 1)[1]))
            assert page.evaluate(UPDATE) == "redundant"
            context.set_offline(True)
            page.reload()
            assert wait_for_build(page) == version("v1")
            page.click("#inc")
            page.wait_for_selector("#count:text-is('1')", timeout=ACTION_TIMEOUT_MS)
            context.set_offline(False)
            assert v1_cache in page.evaluate("caches.keys()")
            # The upload completes: the next update check installs v2, whole.
            host.hooks.clear()
            deploy(v2, tmp_path / "app")
            assert page.evaluate(UPDATE) == "activated"
            page.reload()
            assert wait_for_build(page) == version("v2")
            assert v1_cache not in page.evaluate(CONTROLLED)
        finally:
            context.close()
