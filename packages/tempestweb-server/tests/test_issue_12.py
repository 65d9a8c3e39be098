"""Issue 12: a view that raises on the first render shows its traceback under ``dev``/``--debug``.

Without error details the page is a plain 500 naming an error id; the traceback is in the
server log once, under that id, either way. The browser half of the issue (overlay, connection
banner, loading class) is in ``test_issue_12_browser.py``.
"""

from __future__ import annotations

import html as html_module
import logging
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from tempest_core import App, html
from tempest_core.nodes import Node
from tempestweb_server import ServerConfig, create_app


def _broken_app() -> App[None]:
    labels: dict[str, str] = {}

    def view(_: None) -> Node:
        return html.p(labels["missing"])

    return App(view=view)


def _get(config: ServerConfig) -> Any:
    with TestClient(create_app(_broken_app(), config=config)) as client:
        return client.get("/")


def _logged(caplog: pytest.LogCaptureFixture, error_id: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if error_id in r.getMessage() and r.exc_info is not None]


@pytest.mark.parametrize("config", [ServerConfig(errors="traceback"), ServerConfig(debug=True)])
def test_issue_12_first_render_error_shows_the_traceback_page_in_dev(
    config: ServerConfig, caplog: pytest.LogCaptureFixture
) -> None:
    response = _get(config)
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "The app failed to render this page" in page
    assert "the view raised KeyError: &#x27;missing&#x27;" in page
    assert re.search(r"test_issue_12\.py:\d+ in view", page)  # the app's frame first, file:line
    assert "Traceback (most recent call last)" in page
    match = re.search(r"error id ([0-9a-f]{8})", page)
    assert match is not None
    assert len(_logged(caplog, match.group(1))) == 1  # the traceback in the log once, with the id
    assert "script-src 'self'" in response.headers["content-security-policy"]  # no inline script needed


def test_issue_12_first_render_error_is_generic_with_an_error_id_otherwise(
    caplog: pytest.LogCaptureFixture,
) -> None:
    response = _get(ServerConfig())
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/plain")
    expected = r"500 internal server error: the app failed to render \(error id ([0-9a-f]{8})\)"
    match = re.fullmatch(expected, response.text)
    assert match is not None, response.text
    assert "missing" not in response.text
    assert len(_logged(caplog, match.group(1))) == 1


def _state_fails() -> int:
    raise RuntimeError("no database")


@pytest.mark.parametrize("config", [ServerConfig(), ServerConfig(errors="traceback")])
def test_issue_12_a_state_factory_that_raises_is_the_error_page_with_an_id(
    config: ServerConfig, caplog: pytest.LogCaptureFixture
) -> None:
    # Found by probing as a new user: App(state=make_state) whose make_state raised answered a
    # bare "Internal Server Error" (Starlette's) with no error id, its traceback from the ASGI
    # server on every request.
    app: App[int] = App(view=lambda s: html.p(str(s)), state=_state_fails)
    with TestClient(create_app(app, config=config), raise_server_exceptions=False) as client:
        response = client.get("/")
    assert response.status_code == 500
    text = html_module.unescape(response.text)
    match = re.search(r"error id ([0-9a-f]{8})", text)
    assert match is not None, text
    assert len(_logged(caplog, match.group(1))) == 1  # its traceback in the log once, with the id
    if config.errors == "traceback":
        assert "the app's initial state raised RuntimeError: no database" in text
        assert re.search(r"test_issue_12\.py:\d+ in _state_fails", text)  # the app's frame first
    else:
        assert "the app failed to render" in text and "no database" not in text
