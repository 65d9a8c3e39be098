"""HTTP routes: the prerendered shell, security headers, client files, ``/_tw/`` 404s."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from server_fakes import FakeApp, make_client
from starlette.testclient import TestClient

from tempestweb_server import ServerConfig
from tempestweb_server.constants import CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/", "/deep/link", "/todos/3?filter=active", "/a%20b"])
def test_every_app_path_returns_the_prerendered_shell(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert page.startswith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')
    assert '<script type="module" src="/_tw/client/boot.js"></script>' in page
    assert '<style id="tw-styles">.tw-1{color:red}</style>' in page
    assert "<title>Fake</title>" in page
    root = re.search(
        r'<div id="tw-root" data-tw-endpoint="/_tw" data-tw-session="([^"]+)" '
        r'data-tw-token="([0-9a-f]+)" data-tw-transport="auto">(.*)</div>\n'
        r'<script type="module" src="/_tw/client/boot\.js"></script>\n</body>\n</html>\n$',
        page,
    )
    assert root is not None
    assert root.group(3) == '<button data-tw="1" data-tw-on="click:0"><!--2-->0</button>'


def test_shell_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "trusted-types 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == "no-store"


def test_each_get_creates_its_own_session(client: TestClient) -> None:
    pages = [client.get("/").text for _ in range(3)]
    ids = {re.search(r'data-tw-session="([^"]+)"', page).group(1) for page in pages}  # type: ignore[union-attr]
    assert len(ids) == 3
    assert len(client.app.state.manager) == 3  # type: ignore[attr-defined]


def test_title_and_head_extra_from_config() -> None:
    config = ServerConfig(title="A <b> & c", head_extra='<link rel="stylesheet" href="/_tw/client/x.css">')
    with make_client(config) as client:
        page = client.get("/").text
    assert "<title>A &lt;b&gt; &amp; c</title>" in page
    assert '<link rel="stylesheet" href="/_tw/client/x.css">\n</head>' in page


def test_render_failure_is_a_500_without_traceback() -> None:
    with make_client(app=FakeApp(broken=True)) as client:
        response = client.get("/")
        assert response.status_code == 500
        assert "Traceback" not in response.text
        assert len(client.app.state.manager) == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["/_tw", "/_tw/", "/_tw/nope", "/_tw/ws/extra"])
def test_unknown_endpoint_paths_are_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.fixture
def client_files(tmp_path: Path) -> Path:
    (tmp_path / "boot.js").write_text("export const x = 1;\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "mod.js").write_text("export {};\n")
    (tmp_path / "secret.py").write_text("password = 1\n")
    (tmp_path.parent / "outside.js").write_text("leak\n")
    return tmp_path


def test_client_files_are_served_as_javascript_with_etag(client_files: Path) -> None:
    with make_client(ServerConfig(client_dir=str(client_files))) as client:
        response = client.get("/_tw/client/boot.js")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/javascript; charset=utf-8"
        assert response.text == "export const x = 1;\n"
        assert response.headers["cache-control"] == "no-cache"
        etag = response.headers["etag"]
        assert client.get("/_tw/client/boot.js", headers={"if-none-match": etag}).status_code == 304
        versioned = client.get("/_tw/client/sub/mod.js?v=1")
        assert versioned.status_code == 200 and "immutable" in versioned.headers["cache-control"]


@pytest.mark.parametrize(
    "path",
    [
        "/_tw/client/secret.py",
        "/_tw/client/missing.js",
        "/_tw/client/../outside.js",
        "/_tw/client/%2e%2e/outside.js",
        "/_tw/client/sub",
        "/_tw/client/..%5coutside.js",
    ],
)
def test_client_files_refuse_everything_else(client_files: Path, path: str) -> None:
    with make_client(ServerConfig(client_dir=str(client_files))) as client:
        assert client.get(path).status_code == 404


def test_contract_client_dir_is_the_default(client: TestClient) -> None:
    from tempestweb_contract import client_dir

    response = client.get("/_tw/client/constants.js")
    assert response.status_code == 200
    assert response.content == (client_dir() / "constants.js").read_bytes()


def test_favicon_probe_does_not_create_a_session(client: TestClient) -> None:
    assert client.get("/favicon.ico").status_code == 204
    assert len(client.app.state.manager) == 0  # type: ignore[attr-defined]


def test_head_probe_does_not_create_a_session(client: TestClient) -> None:
    response = client.head("/some/page")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert len(client.app.state.manager) == 0  # type: ignore[attr-defined]


def test_session_table_is_bounded() -> None:
    """A flood of page loads never grows the table past max_sessions: the oldest idle goes first."""
    with make_client(ServerConfig(max_sessions=3)) as client:
        manager = client.app.state.manager  # type: ignore[attr-defined]
        first = re.search(r'data-tw-session="([^"]+)"', client.get("/").text).group(1)  # type: ignore[union-attr]
        for _ in range(5):
            assert client.get("/").status_code == 200
        assert len(manager) == 3
        assert manager.resume(first, manager.token_for(first)) is None  # the oldest idle session was closed


def test_full_table_of_connected_sessions_answers_503() -> None:
    from server_fakes import hello, shell_session

    with make_client(ServerConfig(max_sessions=1)) as client:
        session, token = shell_session(client)
        with client.websocket_connect("/_tw/ws", headers={"origin": "http://testserver"}) as ws:
            ws.send_text(hello(session=session, token=token, last_seq=0))
            ws.receive_text()  # init: the only session is now connected
            response = client.get("/")
            assert response.status_code == 503
            assert response.headers["retry-after"] == "5"
            assert "Traceback" not in response.text


def test_max_sessions_must_be_positive() -> None:
    from tempestweb_server import ConfigError

    with pytest.raises(ConfigError, match=r"ServerConfig.max_sessions: expected >= 1, got 0"):
        ServerConfig(max_sessions=0)
