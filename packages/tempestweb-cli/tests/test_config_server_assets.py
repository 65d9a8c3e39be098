"""``[server] assets`` in ``tempestweb.toml`` reach the server mode (parsing: tempestweb-contract's tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tempestweb_cli.main import cli
from tempestweb_cli.modes import available_modes

APP = "from tempest_core import App, html\napp = App(view=lambda _: html.p('hi'), title='A')\n"


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
    assert call["assets"] == ("static/*.svg",)
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
    assert result.exit_code == 2  # a mode's config error: one line, the config status (see main._start)
    expected = "Error: ConfigError: [server] assets / [wasm] assets: 'img/*.png' matches no file under"
    assert expected in result.output
    assert "Traceback" not in result.output
