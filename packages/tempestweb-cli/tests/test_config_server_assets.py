"""``[server] assets`` in ``tempestweb.toml``: parsed, type-checked and handed to the server mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tempestweb_cli.config import ServerSection, parse_config
from tempestweb_cli.errors import ConfigError
from tempestweb_cli.main import cli
from tempestweb_cli.modes import available_modes

SOURCE = "proj/tempestweb.toml"
APP = "from tempest_core import App, html\napp = App(view=lambda _: html.p('hi'), title='A')\n"


def test_assets_key_is_parsed_and_passed_to_the_server_mode() -> None:
    config = parse_config('[server]\nassets = ["static/*", "fonts/**/*.woff2"]\n', source=SOURCE)
    assert config.server.assets == ("static/*", "fonts/**/*.woff2")
    assert config.mode_options("server") == {"assets": ["static/*", "fonts/**/*.woff2"]}


def test_absent_assets_key_is_not_passed() -> None:
    config = parse_config("[server]\nport = 8001\n", source=SOURCE)
    assert config.server.assets is None
    assert "assets" not in config.mode_options("server")
    assert ServerSection().assets is None


def test_empty_assets_list_is_allowed() -> None:
    assert parse_config("[server]\nassets = []\n", source=SOURCE).mode_options("server") == {"assets": []}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[server]\nassets = "static/*"\n',
            'proj/tempestweb.toml: [server].assets: expected list of str, got str "static/*"',
        ),
        ("[server]\nassets = [1]\n", "proj/tempestweb.toml: [server].assets[0]: expected str, got int 1"),
        (
            '[server]\nassets = ["a", true]\n',
            "proj/tempestweb.toml: [server].assets[1]: expected str, got bool true",
        ),
        (
            "[server]\nassets = { dir = 1 }\n",
            "proj/tempestweb.toml: [server].assets: expected list of str, got table",
        ),
    ],
)
def test_wrong_type_is_a_precise_config_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, source=SOURCE)
    assert str(caught.value) == message


def test_unknown_server_key_lists_assets() -> None:
    with pytest.raises(ConfigError, match=r"\[server\]\.asset: unknown key \(expected one of: .*assets"):
        parse_config('[server]\nasset = ["x"]\n', source=SOURCE)


def _project(tmp_path: Path, assets: str) -> Path:
    project = tmp_path / "proj"
    (project / "static").mkdir(parents=True)
    (project / "static" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (project / "app.py").write_text(APP)
    (project / "tempestweb.toml").write_text(f"[server]\nassets = {assets}\n")
    return project


def test_run_resolves_assets_against_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if "server" not in available_modes():
        pytest.skip("the server mode's entry point is not installed")
    from starlette.testclient import TestClient

    from tempestweb_server import ServerConfig, _mode, create_app

    project = _project(tmp_path, '["static/*.svg"]')
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(_mode, "serve", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    result = CliRunner().invoke(cli, ["run", str(project), "--port", "0"])
    assert result.exit_code == 0, result.output
    (call,) = calls
    app = call.pop("app")
    assert call["assets"] == ["static/*.svg"]
    assert call["app_dir"] == str(project.resolve())
    config = ServerConfig.from_options({key: value for key, value in call.items()})
    with TestClient(create_app(app, config=config)) as client:
        response = client.get("/static/logo.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text == '<svg xmlns="http://www.w3.org/2000/svg"/>'


def test_run_with_a_pattern_matching_nothing_fails_cleanly(tmp_path: Path) -> None:
    if "server" not in available_modes():
        pytest.skip("the server mode's entry point is not installed")
    project = _project(tmp_path, '["img/*.png"]')
    result = CliRunner().invoke(cli, ["run", str(project), "--port", "0"])
    assert result.exit_code == 1  # a mode's typed error: one line, exit status 1 (see main._start)
    assert "Error: ConfigError: ServerConfig.assets: 'img/*.png' matches no file under" in result.output
    assert "Traceback" not in result.output
