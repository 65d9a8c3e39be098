"""Mode B reads the project schema: ``[wasm].assets`` and ``[wasm].scripts`` apply here too (issue 9)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from starlette.testclient import TestClient

from tempestweb_contract.project import load_project, media_type
from tempestweb_contract.testing import write_asset_project
from tempestweb_server import ConfigError, ServerConfig, create_app, load_app
from tempestweb_server._mode import ServerMode


def project_client(folder: Path) -> TestClient:
    config = ServerConfig.from_project(load_project(folder))
    return TestClient(create_app(load_app(folder), config=config))


def test_issue_9_mode_b_serves_the_same_asset_files_as_a_mode_a_build(tmp_path: Path) -> None:
    """The cross-mode oracle: every file a Mode A build holds (tempestweb-wasm's twin test) is
    served here at the same path with the same bytes, symlinks included, and nothing else."""
    folder = tmp_path / "proj"
    expected = write_asset_project(folder)
    with project_client(folder) as client:
        served = client.app.state.assets  # type: ignore[attr-defined]
        assert sorted(path.lstrip("/") for path in served._files) == sorted(expected)
        for relative, body in expected.items():
            response = client.get(f"/{relative}")
            assert response.status_code == 200, relative
            assert response.content == body
            assert response.headers["content-type"] == media_type(relative)
        assert client.get("/static/notes.txt").status_code == 404  # in an asset folder, not an asset
        assert client.get("/art/logo.svg").status_code == 200  # a page: /art is no asset folder
        assert "text/html" in client.get("/art/logo.svg").headers["content-type"]


def test_issue_9_the_shell_loads_the_wasm_scripts_before_the_client(tmp_path: Path) -> None:
    folder = tmp_path / "proj"
    write_asset_project(folder)
    (folder / "js" / "second.js").write_text("globalThis.twSecond = 2;\n")
    (folder / "tempestweb.toml").write_text(
        '[app]\ntitle = "From toml"\n[wasm]\nscripts = ["js/lib.js", "./js/second.js"]\n'
    )
    with project_client(folder) as client:
        page = client.get("/").text
        first = page.index('<script src="/js/lib.js"></script>')
        second = page.index('<script src="/js/second.js"></script>')
        entry = page.index('<script type="module" src="/_tw/client/boot.js"></script>')
        assert first < second < entry
        assert "<title>From toml</title>" in page
        script = client.get("/js/second.js")
        assert script.status_code == 200
        assert script.headers["content-type"] == "text/javascript; charset=utf-8"


def test_config_from_project_merges_sections_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "tempestweb.toml").write_text(
        '[server]\nport = 9001\nassets = ["static/*.css", "static/*.png"]\nmax_sessions = 7\n'
        "max_queue_bytes = 4096\nping_interval_s = 3\n"
        "max_frame_bytes = 65536\nmax_inbox_bytes = 131072\nmax_total_queue_bytes = 1048576\n"
        '[wasm]\nassets = ["static/*.png"]\nscripts = ["a.js"]\n'
    )
    config = ServerConfig.from_project(load_project(tmp_path), port=0, debug=True)
    assert (config.port, config.debug, config.max_sessions) == (0, True, 7)
    assert (config.max_queue_bytes, config.ping_interval_s) == (4096, 3.0)
    assert (config.max_frame_bytes, config.max_inbox_bytes, config.max_total_queue_bytes) == (
        65536,
        131072,
        1048576,
    )
    assert config.assets == ("static/*.png", "static/*.css")
    assert config.scripts == ("a.js",)
    assert config.app_dir == str(tmp_path.absolute())
    assert msgspec.structs.replace(config, port=1).port == 1


def test_missing_script_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    (tmp_path / "tempestweb.toml").write_text('[wasm]\nscripts = ["js/nope.js"]\n')
    config = ServerConfig.from_project(load_project(tmp_path))
    with pytest.raises(ConfigError, match=r"^ServerConfig\.scripts: 'js/nope\.js' does not exist under "):
        create_app(object(), config=config)


def test_invalid_project_file_is_a_config_error_naming_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    (tmp_path / "tempestweb.toml").write_text("[server]\nmax_sesions = 3\n")
    with pytest.raises(ConfigError) as error:
        ServerMode().run(str(tmp_path), host="127.0.0.1", port=0, options={})
    assert str(error.value) == (
        f"{tmp_path / 'tempestweb.toml'}: [server] max_sesions: unknown key (did you mean 'max_sessions'?)"
    )


def test_target_with_an_attribute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tempest_core import App
    from tempestweb_server import _mode

    (tmp_path / "guide.py").write_text(
        "from tempest_core import App, html\n\ntodo_app = App(view=lambda _: html.p('todo'), title='Todo')\n"
    )
    served: list[object] = []
    monkeypatch.setattr(_mode, "serve", lambda app, **_: served.append(app))
    ServerMode().run(f"{tmp_path}/guide.py:todo_app", host="127.0.0.1", port=0, options={})
    (app,) = served
    assert isinstance(app, App) and app.title == "Todo"
