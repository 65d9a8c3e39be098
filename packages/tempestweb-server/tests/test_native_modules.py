"""Mode B serves the capability modules of installed plugins under /_tw/native/ and links them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tempest_core import App, html
from tempestweb_contract import plugins
from tempestweb_contract.plugins import CAPABILITY_GROUP, capability_modules
from tempestweb_server import create_app


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    package = tmp_path / "twsrv_plugin"
    (package / "js").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "js" / "beep.js").write_text('import "./lib.js";\nexport function ring() { return "ring"; }\n')
    (package / "js" / "lib.js").write_text("export const x = 1;\n")
    (package / "js" / "secret.json").write_text("{}")
    point = EntryPoint(name="beep", value="twsrv_plugin.js:beep", group=CAPABILITY_GROUP)
    monkeypatch.syspath_prepend(str(tmp_path))
    found = capability_modules([point])
    monkeypatch.setattr("tempestweb_server._native.capability_modules", lambda: found)
    yield package
    sys.modules.pop("twsrv_plugin", None)


def client() -> TestClient:
    return TestClient(create_app(App(view=lambda s: html.p("hi"), state=None)))


def test_shell_links_and_serves_the_plugin(plugin: Path) -> None:
    with client() as c:
        page = c.get("/").text
        assert (
            '<link rel="modulepreload" href="/_tw/native/twsrv_plugin.js/beep.js" data-tw-capability="beep">'
            in page
        )
        module = c.get("/_tw/native/twsrv_plugin.js/beep.js")
        assert module.status_code == 200 and module.headers["content-type"].startswith("text/javascript")
        assert "ring" in module.text
        assert c.get("/_tw/native/twsrv_plugin.js/lib.js").status_code == 200
        etag = module.headers["etag"]
        assert (
            c.get("/_tw/native/twsrv_plugin.js/beep.js", headers={"If-None-Match": etag}).status_code == 304
        )


@pytest.mark.parametrize(
    "path",
    [
        "twsrv_plugin.js/secret.json",
        "twsrv_plugin.js/../__init__.py",
        "twsrv_plugin.js/missing.js",
        "other/beep.js",
    ],
)
def test_only_the_js_files_are_served(plugin: Path, path: str) -> None:
    with client() as c:
        assert c.get(f"/_tw/native/{path}").status_code == 404


def test_a_broken_plugin_disables_capabilities_not_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> dict[str, plugins.CapabilityModule]:
        raise plugins.PluginError("x", "capability 'x' is declared by both a and b")

    monkeypatch.setattr("tempestweb_server._native.capability_modules", broken)
    with client() as c:
        page = c.get("/")
        assert page.status_code == 200 and "data-tw-capability" not in page.text


def test_the_shell_allows_webassembly_for_declared_libraries() -> None:
    with client() as c:
        policy = c.get("/").headers["content-security-policy"]
        assert "script-src 'self' 'wasm-unsafe-eval';" in policy
        assert "'unsafe-eval'" not in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
