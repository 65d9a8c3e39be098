"""Issue 14, a Mode A build at a sub-path in Chromium: deep links, successive deploys, the manifest.

- A deep link (``/app/users/2``, reloaded or opened) used to load the app's ``index.html`` at that
  path, whose relative URLs then named ``/app/users/bootstrap.js`` and so on: nothing loaded,
  and the page stayed on the prerendered view of ``/`` for good, without a word. That was so
  offline (the worker's fallback to ``index.html``), and online both on a host that answers
  unknown paths with ``index.html`` (as docs/cookbook/deployment.md asks) and on one that
  answers 404. The worker now serves such a navigation its cached ``index.html`` with a
  ``<base href>`` of the app's folder.
- Ten deploys in a row leave one cache for the app, and the storage used stays that of one build.
- The web app manifest of a build at a sub-path passes Chromium's installability checks.
"""

from __future__ import annotations

import http.server
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from pwa_site import (
    ACTION_TIMEOUT_MS,
    CONTROLLED,
    UPDATE,
    Host,
    deploy,
    make_build,
    send_html,
    version,
    wait_for_build,
)

from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable
from tempestweb_wasm import build

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

_ROUTER_APP = """\
from tempest_core import App, Column, Link, Node, html, routes


def home() -> Node:
    return Column(html.h1("Home", id="title"), Link("Grace", href="/users/2", id="user-2"))


def user(id: str) -> Node:
    return Column(html.h1(f"User {id}", id="title"), Link("Home", href="/", id="home"))


def view(_: None) -> Node:
    return routes({"/": home, "/users/{id}": user}, fallback=lambda: html.h1("Not found", id="title"))


app = App(view=view, state=None, title="Router")
"""


def _try_files(site: Path) -> Any:
    """nginx's ``try_files $uri $uri/ /app/index.html`` under ``/app/``: unknown paths get the index."""

    def hook(handler: http.server.SimpleHTTPRequestHandler, path: str) -> bool:
        if not path.startswith("/app/") or (site / path.lstrip("/")).exists():
            return False
        body = (site / "app" / "index.html").read_bytes()
        send_html(handler, body)
        return True

    return hook


_FETCHED = "async (src) => { const r = await fetch(src); return [r.status, r.headers.get('content-type')]; }"


def _title(page: Any) -> dict[str, object]:
    state = wait_for_build(page)
    return {"ready": state["ready"], "title": page.text_content("#title"), "url": page.url}


def test_issue_14_deep_links_load_the_app_online_and_offline(browser: Any, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "app.py").write_text(_ROUTER_APP, encoding="utf-8")
    site = tmp_path / "site"
    build(source, out=site / "app")
    (site / "app" / "notes").mkdir()  # a page of the host's own inside the app's folder
    (site / "app" / "notes" / "index.html").write_text("<!doctype html><title>Notes</title><p id=notes>notes")
    with Host(site) as host:
        url = f"{host.url}app/"
        deep = f"{url}users/2"
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(url)
            assert _title(page) == {"ready": True, "title": "Home", "url": url}
            page.evaluate(CONTROLLED)
            page.click("#user-2")
            page.wait_for_selector("#title:text-is('User 2')", timeout=ACTION_TIMEOUT_MS)
            assert page.url == deep
            # Reloaded on a host that answers unknown paths with 404 (GitHub Pages, http.server).
            page.reload()
            assert _title(page) == {"ready": True, "title": "User 2", "url": deep}
            assert page.evaluate("document.baseURI") == url
            # Opened on a host that answers them with index.html (the documented nginx setup).
            host.hooks.append(_try_files(site))
            page.goto(f"{url}users/1")
            assert _title(page) == {"ready": True, "title": "User 1", "url": f"{url}users/1"}
            # The host's own pages under the folder are still the host's.
            page.goto(f"{url}notes/")
            assert page.text_content("#notes") == "notes"
            # Offline, and the app's links work from there.
            context.set_offline(True)
            page.goto(deep)
            assert _title(page) == {"ready": True, "title": "User 2", "url": deep}
            page.click("#home")
            page.wait_for_selector("#title:text-is('Home')", timeout=ACTION_TIMEOUT_MS)
            assert page.url == url
            context.set_offline(False)
            # The folder without its trailing slash: the host redirects to it.
            page.goto(f"{host.url}app")
            assert _title(page) == {"ready": True, "title": "Home", "url": url}
        finally:
            context.close()


def test_issue_14_ten_deploys_keep_one_cache(browser: Any, tmp_path: Path) -> None:
    builds = {build_id: make_build(tmp_path / "builds", build_id) for build_id in ("v1", "v2")}
    site = tmp_path / "site"
    deploy(builds["v1"], site / "app")
    with Host(site) as host:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"{host.url}app/")
            assert wait_for_build(page) == version("v1")
            assert len(page.evaluate(CONTROLLED)) == 1
            usage: list[int] = []
            for release in range(10):  # v2, v1, v2, ...: each one a new build to install
                deploy(builds["v2" if release % 2 == 0 else "v1"], site / "app")
                assert page.evaluate(UPDATE) == "activated", release
                assert len(page.evaluate(CONTROLLED)) == 1, release
                assert page.evaluate("caches.keys()") == page.evaluate(CONTROLLED)
                usage.append(page.evaluate("navigator.storage.estimate().then((e) => e.usage)"))
            assert max(usage) <= usage[0] * 1.2, usage  # one build's worth, not ten
            page.reload()
            assert wait_for_build(page) == version("v1")  # the tenth deploy
        finally:
            context.close()


def test_issue_14_the_manifest_of_a_sub_path_build_is_installable(playwright: Any, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "app.py").write_text(_ROUTER_APP, encoding="utf-8")
    site = tmp_path / "site"
    build(source, out=site / "app")
    with Host(site) as host:
        url = f"{host.url}app/"
        profile = tempfile.mkdtemp(prefix="tw-profile-")  # installability is off in incognito contexts
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium_executable(), args=list(CHROMIUM_ARGS)
        )
        try:
            page = context.new_page()
            page.goto(url)
            wait_for_build(page)
            page.evaluate(CONTROLLED)
            cdp = context.new_cdp_session(page)
            assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
            answer = cdp.send("Page.getAppManifest")
            assert answer["url"] == f"{url}manifest.webmanifest" and answer["errors"] == []
            manifest = answer["manifest"]
            assert (manifest["startUrl"], manifest["scope"], manifest["id"]) == (url, url, url)
            declared = json.loads(answer["data"])
            assert declared["name"] == "Router" and manifest["display"] == "kStandalone"
            for icon in declared["icons"]:
                served = page.evaluate(_FETCHED, icon["src"])
                assert served == [200, icon["type"]], icon
                assert icon["sizes"] == "any" and icon["type"] == "image/svg+xml"  # a vector: every size
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
