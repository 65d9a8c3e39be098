"""``ServerConfig.assets``: the app's static files served in Mode B, safely and ahead of the pages."""

from __future__ import annotations

import asyncio
import hashlib
import os
import struct
import zlib
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from server_fakes import FakeApp, fake_factory, make_client
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tempestweb_server import ServerConfig, create_app
from tempestweb_server._static import resolve_served_files
from tempestweb_server.errors import ConfigError

SECRET = b"SECRET-NOT-AN-ASSET"
APP_SOURCE = b"# SECRET-APP-SOURCE\n"
CSS = b"body { color: red }\n"
JS = b"export const x = 1;\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
ROBOTS = b"User-agent: *\n"
PATTERNS = ("static/*.png", "static/*.css", "static/sub/**/*.js", "static/my logo.svg", "robots.txt")


def png(width: int, height: int) -> bytes:
    """Encode a red ``width`` x ``height`` RGB PNG (RFC 2083)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PIXEL = png(3, 2)


def resolve_assets(app_dir: Path, patterns: tuple[str, ...]) -> dict[str, Path]:
    """The URL path -> file map Mode B serves for ``patterns`` (no scripts)."""
    return resolve_served_files(ServerConfig(assets=patterns, app_dir=str(app_dir)))[0]


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    files = {
        "app.py": APP_SOURCE,
        "static/pixel.png": PIXEL,
        "static/app.css": CSS,
        "static/secret.txt": SECRET,
        "static/sub/deep/mod.js": JS,
        "static/my logo.svg": SVG,
        "robots.txt": ROBOTS,
    }
    for relative, body in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(body)
    return root


@pytest.fixture
def assets_client(app_dir: Path) -> Iterator[TestClient]:
    with make_client(ServerConfig(assets=PATTERNS, app_dir=str(app_dir))) as client:
        yield client


def sessions(client: TestClient) -> int:
    return len(client.app.state.manager)  # type: ignore[attr-defined]


def raw_get(asgi: Starlette, path: str, raw_path: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    """Call the ASGI app with an exact (decoded) ``path``, bypassing any client-side normalisation."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": raw_path if raw_path is not None else path.encode("utf-8", "surrogateescape"),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    messages: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        messages.append(message)

    asyncio.run(asgi(scope, receive, send))
    start = messages[0]
    headers = {key.decode().lower(): value.decode() for key, value in start["headers"]}
    body = b"".join(message.get("body", b"") for message in messages[1:])
    return start["status"], headers, body


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        ("/static/pixel.png", PIXEL, "image/png"),
        ("/static/app.css", CSS, "text/css; charset=utf-8"),
        ("/static/sub/deep/mod.js", JS, "text/javascript; charset=utf-8"),
        ("/static/my%20logo.svg", SVG, "image/svg+xml"),
        ("/robots.txt", ROBOTS, "text/plain; charset=utf-8"),
    ],
)
def test_asset_is_served_with_type_and_headers(
    assets_client: TestClient, path: str, body: bytes, content_type: str
) -> None:
    response = assets_client.get(path)
    assert response.status_code == 200
    assert response.content == body
    assert response.headers["content-type"] == content_type
    assert response.headers["content-length"] == str(len(body))
    assert response.headers["etag"] == f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert sessions(assets_client) == 0  # an asset never opens a session


def test_if_none_match_revalidates(assets_client: TestClient) -> None:
    etag = assets_client.get("/static/pixel.png").headers["etag"]
    for header in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        response = assets_client.get("/static/pixel.png", headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["etag"] == etag
        assert response.headers["cache-control"] == "no-cache"
    stale = assets_client.get("/static/pixel.png", headers={"If-None-Match": '"0123"'})
    assert stale.status_code == 200
    assert stale.content == PIXEL


def test_changed_file_gets_a_new_etag(assets_client: TestClient, app_dir: Path) -> None:
    before = assets_client.get("/static/app.css").headers["etag"]
    css = app_dir / "static" / "app.css"
    css.write_bytes(b"body { color: blue }\n")
    stat = css.stat()
    os.utime(css, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    response = assets_client.get("/static/app.css", headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response.content == b"body { color: blue }\n"
    assert response.headers["etag"] != before


def test_head_has_the_headers_and_no_body(assets_client: TestClient) -> None:
    response = assets_client.head("/static/pixel.png")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(PIXEL))
    assert response.headers["content-type"] == "image/png"
    assert response.headers["etag"] == assets_client.get("/static/pixel.png").headers["etag"]
    assert sessions(assets_client) == 0


def test_range_request_gets_the_requested_bytes(assets_client: TestClient) -> None:
    response = assets_client.get("/static/pixel.png", headers={"Range": "bytes=0-7"})
    assert response.status_code == 206
    assert response.content == PIXEL[:8]


def test_other_methods_get_405(assets_client: TestClient) -> None:
    response = assets_client.post("/static/pixel.png", content=b"x")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/static/secret.txt", "/static/", "/static/sub/", "/static/missing.png"])
def test_unlisted_paths_in_an_asset_folder_are_404(assets_client: TestClient, path: str) -> None:
    response = assets_client.get(path)
    assert response.status_code == 404
    assert SECRET not in response.content
    assert response.headers["content-type"].startswith("text/plain")
    assert sessions(assets_client) == 0  # no page, no session


@pytest.mark.parametrize("path", ["/", "/about", "/static-info", "/robots.txt/x", "/staticx/pixel.png"])
def test_other_paths_still_get_the_page(assets_client: TestClient, path: str) -> None:
    response = assets_client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert 'id="tw-root"' in response.text


def test_asset_wins_over_the_favicon_route(app_dir: Path) -> None:
    (app_dir / "favicon.ico").write_bytes(b"\x00\x00\x01\x00icon")
    config = ServerConfig(assets=("favicon.ico",), app_dir=str(app_dir))
    with make_client(config) as client:
        response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.content == b"\x00\x00\x01\x00icon"
    assert response.headers["content-type"] == "image/x-icon"


def test_no_assets_keeps_static_paths_on_the_page(client: TestClient) -> None:
    response = client.get("/static/pixel.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("path", "raw_path"),
    [
        ("/static/../app.py", b"/static/../app.py"),
        ("/static/../app.py", b"/static/%2e%2e/app.py"),
        ("/static/../static/secret.txt", b"/static/%2E%2E/static/secret.txt"),
        ("/static/sub/../../app.py", b"/static/sub/%2e%2e/%2e%2e/app.py"),
        ("/static/..\\app.py", b"/static/..%5capp.py"),
        ("/static/./secret.txt", b"/static/./secret.txt"),
        ("/../app.py", b"/../app.py"),
        ("/%2e%2e/app.py", b"/%252e%252e/app.py"),
        ("//etc/passwd", b"//etc/passwd"),
    ],
)
def test_traversal_is_refused(app_dir: Path, path: str, raw_path: bytes) -> None:
    asgi = create_app(
        FakeApp(), config=ServerConfig(assets=PATTERNS, app_dir=str(app_dir)), session_factory=fake_factory
    )
    status, headers, body = raw_get(asgi, path, raw_path)
    assert SECRET not in body
    assert APP_SOURCE.strip() not in body
    if path.startswith(("/static/", "//")):  # "//host/...": not a path of this app (issue 13)
        assert status == 404
    else:  # outside the asset folders: an ordinary (HTML) page, never a file
        assert headers["content-type"] == "text/html; charset=utf-8"


def test_absolute_file_path_is_not_served(app_dir: Path) -> None:
    asgi = create_app(
        FakeApp(), config=ServerConfig(assets=PATTERNS, app_dir=str(app_dir)), session_factory=fake_factory
    )
    for target in (app_dir / "static" / "secret.txt", app_dir / "static" / "pixel.png"):
        _status, headers, body = raw_get(asgi, str(target))
        assert body not in (SECRET, PIXEL)
        assert headers["content-type"] == "text/html; charset=utf-8"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    segments=st.lists(
        st.one_of(
            st.sampled_from(["..", ".", "", "static", "sub", "secret.txt", "app.py"]), st.text(max_size=8)
        ),
        min_size=1,
        max_size=6,
    )
)
@example(segments=["\n", ""])  # "/\n/": was a 307 to "/%0A" (Starlette's trailing-slash redirect)
def test_only_listed_files_are_ever_served(app_dir: Path, segments: list[str]) -> None:
    path = "/" + "/".join(segments)
    asgi = create_app(
        FakeApp(), config=ServerConfig(assets=PATTERNS, app_dir=str(app_dir)), session_factory=fake_factory
    )
    listed = {
        "/static/pixel.png",
        "/static/app.css",
        "/static/sub/deep/mod.js",
        "/static/my logo.svg",
        "/robots.txt",
    }
    status, headers, body = raw_get(asgi, path)
    assert SECRET not in body
    assert APP_SOURCE.strip() not in body
    if path in listed:
        assert status == 200
        assert headers["cache-control"] == "no-cache"
    else:
        assert status == 404 or headers["content-type"] == "text/html; charset=utf-8"
        assert "location" not in headers  # never a redirect built from the request's path


def test_issue_13_a_path_no_route_matches_is_a_404_not_a_redirect(app_dir: Path) -> None:
    asgi = create_app(
        FakeApp(), config=ServerConfig(assets=PATTERNS, app_dir=str(app_dir)), session_factory=fake_factory
    )
    for path in ("/\n/", "/a\nb/c/", "/\r\n/x/"):
        status, headers, _body = raw_get(asgi, path)
        assert status == 404 and "location" not in headers, (path, status, headers)


def test_deleted_asset_is_404_not_a_crash(assets_client: TestClient, app_dir: Path) -> None:
    (app_dir / "static" / "app.css").unlink()
    response = assets_client.get("/static/app.css")
    assert response.status_code == 404


# --- configuration errors ---------------------------------------------------------------------


def test_pattern_matching_nothing_is_a_config_error(app_dir: Path) -> None:
    with pytest.raises(ConfigError, match=r"ServerConfig.assets: 'img/\*\.png' matches no file under"):
        create_app(FakeApp(), config=ServerConfig(assets=("static/*.css", "img/*.png"), app_dir=str(app_dir)))


def test_file_outside_the_app_folder_is_a_config_error(app_dir: Path) -> None:
    (app_dir.parent / "outside.txt").write_bytes(b"x")
    with pytest.raises(ConfigError, match=r"ServerConfig.assets: '\.\./\*\.txt' leaves the app folder"):
        resolve_assets(app_dir, ("../*.txt",))


def test_symlink_out_of_the_app_folder_is_a_config_error(app_dir: Path) -> None:
    (app_dir.parent / "elsewhere.png").write_bytes(PIXEL)
    (app_dir / "static" / "link.png").symlink_to(app_dir.parent / "elsewhere.png")
    with pytest.raises(
        ConfigError, match=r"'static/\*\.png': static/link\.png is a symlink to .*, outside the app folder"
    ):
        resolve_assets(app_dir, ("static/*.png",))


def test_asset_under_the_reserved_prefix_is_a_config_error(app_dir: Path) -> None:
    (app_dir / "_tw").mkdir()
    (app_dir / "_tw" / "boot.js").write_bytes(JS)
    with pytest.raises(ConfigError, match=r"ServerConfig.assets: '_tw/\*': _tw/boot.js is under /_tw/"):
        create_app(FakeApp(), config=ServerConfig(assets=("_tw/*",), app_dir=str(app_dir)))


@pytest.mark.parametrize("pattern", ["/etc/*", "", "  "])
def test_absolute_or_empty_pattern_is_a_config_error(app_dir: Path, pattern: str) -> None:
    with pytest.raises(ConfigError, match=r"^ServerConfig\.assets: ('/etc/\*' is absolute|empty path)"):
        resolve_assets(app_dir, (pattern,))


def test_assets_need_an_app_dir() -> None:
    with pytest.raises(ConfigError, match=r"ServerConfig.assets: needs ServerConfig.app_dir"):
        ServerConfig(assets=("static/*",))
    with pytest.raises(ConfigError, match=r"ServerConfig.assets: needs ServerConfig.app_dir"):
        ServerConfig.from_options({"assets": ["static/*"]})


def test_app_dir_must_be_a_directory(app_dir: Path) -> None:
    with pytest.raises(ConfigError, match=r"ServerConfig.assets: the app folder .* is not a directory"):
        resolve_assets(app_dir / "robots.txt", ("*",))


def test_from_options_types(app_dir: Path) -> None:
    config = ServerConfig.from_options({"assets": ["static/*.png"], "app_dir": app_dir})
    assert config.assets == ("static/*.png",)
    assert config.app_dir == str(app_dir)
    with pytest.raises(ConfigError, match=r"ServerConfig.*assets"):
        ServerConfig.from_options({"assets": "static/*.png", "app_dir": str(app_dir)})
    with pytest.raises(ConfigError, match=r"ServerConfig.*assets"):
        ServerConfig.from_options({"assets": [1], "app_dir": str(app_dir)})


def test_server_mode_passes_the_app_folder(app_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tempestweb_server import _mode

    (app_dir / "app.py").write_text(
        "from tempest_core import App, html\napp = App(view=lambda _: html.p('hi'), title='A')\n"
    )
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(_mode, "serve", lambda app, **kwargs: calls.append(kwargs))
    _mode.ServerMode().run(str(app_dir), host="127.0.0.1", port=0, options={"assets": ["static/*.png"]})
    (call,) = calls
    assert (call["host"], call["port"], call["assets"]) == ("127.0.0.1", 0, ("static/*.png",))
    assert call["app_dir"] == str(app_dir.resolve())


# --- a real browser ---------------------------------------------------------------------------


@pytest.mark.browser
def test_browser_loads_an_asset_image(app_dir: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    from server_live import live_server

    from tempest_core import App, html
    from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

    view = html.div(html.img(src="static/pixel.png", id="pixel", alt="pixel"), html.p("ready", id="ready"))
    app: App[None] = App(view=lambda _: view, title="Assets")
    with (
        live_server(app, assets=PATTERNS, app_dir=str(app_dir)) as base,
        playwright_api.sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page()
            failed: list[str] = []
            page.on("requestfailed", lambda request: failed.append(request.url))
            with page.expect_response(lambda response: response.url.endswith("/static/pixel.png")) as info:
                page.goto(f"http://{base}/")
            assert info.value.status == 200
            assert info.value.headers["content-type"] == "image/png"
            page.wait_for_function("document.getElementById('pixel').complete")
            assert page.eval_on_selector("#pixel", "img => img.naturalWidth") == 3
            assert page.eval_on_selector("#pixel", "img => img.naturalHeight") == 2
            assert failed == []
        finally:
            browser.close()
