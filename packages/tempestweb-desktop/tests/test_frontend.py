"""The window's assets: the shell at app routes, the unchanged client, nothing else under /_tw/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tempestweb_contract import PROTOCOL_VERSION, client_dir
from tempestweb_contract.names import DESKTOP_PLUGINS_META
from tempestweb_desktop._frontend import Frontend, Prerendered, render_shell


def test_shell_at_every_app_route() -> None:
    frontend = Frontend(title="A <b>")
    shell = frontend.get("/index.html")
    assert shell is not None
    for key in ("index.html", "/", "/todos/3?x=1", "/active#x"):
        assert frontend.get(key) == shell
    text = shell.decode()
    assert "<title>A &lt;b&gt;</title>" in text
    assert 'data-tw-transport="ipc"' in text and 'data-tw-endpoint="/_tw"' in text
    assert '<script type="module" src="/_tw/client/boot.js">' in text
    assert render_shell(title="A <b>") == text


def test_client_files_are_the_contract_client() -> None:
    frontend = Frontend(title="t")
    for name in ("boot.js", "tempestweb.js", "transport_ipc.js", "constants.js"):
        assert frontend.get(f"/_tw/client/{name}") == (client_dir() / name).read_bytes()


def test_nothing_else_is_served(tmp_path: Path) -> None:
    (tmp_path / "boot.js").write_text("x")
    (tmp_path / "secret.txt").write_text("s")
    frontend = Frontend(title="t", client=tmp_path, files={"/logo.svg": tmp_path / "missing.svg"})
    assert frontend.get("/_tw/client/boot.js") == b"x"
    for key in ("/_tw/client/secret.txt", "/_tw/client/../secret.txt", "/_tw/client/.hidden.js",
                "/_tw/client/nope.js", "/_tw/other", "/favicon.ico", "/logo.svg"):  # fmt: skip
        assert frontend.get(key) is None, key


def test_enabled_plugins_are_listed_for_the_capability_modules() -> None:
    text = render_shell(title="t", plugins=("clipboard-manager", "dialog"))
    assert f'<meta name="{DESKTOP_PLUGINS_META}" content="clipboard-manager dialog">' in text
    assert DESKTOP_PLUGINS_META not in render_shell(title="t")  # none enabled: no list, the Web APIs


def test_capability_modules_read_the_contract_meta_name() -> None:
    """``client/native/_tauri.js`` spells the meta name itself (it cannot import the client's constants)."""
    tauri_js = Path(__file__).parents[3] / "client" / "native" / "_tauri.js"
    if not tauri_js.is_file():
        pytest.skip("needs the repository checkout (client/native)")
    assert f'export const DESKTOP_PLUGINS_META = "{DESKTOP_PLUGINS_META}";' in tauri_js.read_text()


def test_a_page_request_carries_a_prerendered_session() -> None:
    asked: list[str] = []

    def prerender(path: str) -> Prerendered | None:
        asked.append(path)
        if path.startswith("/broken"):
            return None
        return Prerendered(html='<p id="n">0</p>', styles=(".a{color:red}",), session="S1", token="T1")

    frontend = Frontend(title="t", prerender=prerender)
    page = frontend.get("/todos?x=1")
    assert page is not None
    text = page.decode()
    assert 'data-tw-session="S1"' in text and 'data-tw-token="T1"' in text
    assert '<p id="n">0</p>' in text and ".a{color:red}" in text
    assert frontend.get("/broken") == render_shell(title="t").encode()  # no view: the plain shell
    assert frontend.get("/_tw/client/boot.js") is not None
    assert asked == ["/todos?x=1", "/broken"]  # assets open no session


def test_issue_14_the_rehearsal_is_recorded_once_and_served_as_json() -> None:
    frontend = Frontend(title="t")
    body = frontend.get("/_tw/rehearsal")
    assert body is not None
    script = json.loads(body)
    assert script["v"] == PROTOCOL_VERSION and len(script["answers"]) == len(script["actions"]) == 10
    assert frontend.get("/_tw/rehearsal?x=1") is body  # played once per window process


def test_issue_14_a_recording_that_fails_is_no_asset(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempest_core.host._rehearsal as rehearsal

    async def broken() -> str:
        raise RuntimeError("the rehearsal's session answered scroll with an error")

    monkeypatch.setattr(rehearsal, "recorded", broken)
    frontend = Frontend(title="t")
    assert frontend.get("/_tw/rehearsal") is None
    assert frontend.get("/_tw/rehearsal") is None  # not played again
    assert frontend.get("/") is not None  # the page is served
