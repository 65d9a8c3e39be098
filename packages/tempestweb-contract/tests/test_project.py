"""The project schema: ``tempestweb.toml``, app targets, app loading, asset globs, media types, shell."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tempestweb_contract import names
from tempestweb_contract.project import (
    AppLoader,
    AppLoadError,
    AppTarget,
    AssetError,
    ProjectConfig,
    ProjectConfigError,
    ServerSection,
    WasmSection,
    asset_glob_regex,
    import_app,
    load_app,
    load_project,
    media_type,
    parse_project,
    parse_target,
    resolve_assets,
    resolve_scripts,
)
from tempestweb_contract.shell import render_page

FULL = """
[app]
name = "todo"
module = "main.py"
title = "Todo"
mode = "server"

[server]
host = "0.0.0.0"
port = 8080
allowed_origins = ["https://a.example"]
recovery_window_s = 30
assets = ["static/*.css", "static/*.png"]
max_sessions = 50
max_queue_bytes = 1048576
ping_interval_s = 5

[wasm]
packages = ["attrs==24.2.0"]
modules = ["helpers", "pkg.sub"]
assets = ["static/**/*.png"]
scripts = ["js/a.js"]
"""

# --- tempestweb.toml --------------------------------------------------------------------------


def test_full_config_is_typed() -> None:
    config = parse_project(FULL, directory=Path("/p"))
    assert config.app.name == "todo" and config.app.mode == "server" and config.app.title == "Todo"
    assert config.server.port == 8080 and config.server.recovery_window_s == 30.0
    assert config.server.allowed_origins == ("https://a.example",)
    assert config.server.max_sessions == 50 and config.server.max_queue_bytes == 1 << 20
    assert config.server.ping_interval_s == 5.0
    assert config.wasm.packages == ("attrs==24.2.0",) and config.wasm.modules == ("helpers", "pkg.sub")
    assert config.wasm.scripts == ("js/a.js",)
    assert config.app_file() == Path("/p/main.py")
    # [wasm].assets apply in Mode B too, first; [server] adds its own
    assert config.server_assets == ("static/**/*.png", "static/*.css", "static/*.png")


def test_empty_config_uses_defaults() -> None:
    config = parse_project("")
    assert config == ProjectConfig()
    assert config.server == ServerSection() and config.wasm == WasmSection()
    assert config.app_file(Path("/p")) == Path("/p/app.py")
    assert config.server_assets == ()
    with pytest.raises(ValueError, match="no directory"):
        config.app_file()


def test_dotted_module_resolves_to_a_file() -> None:
    assert parse_project('[app]\nmodule = "pkg.main"\n').app_file(Path("/p")) == Path("/p/pkg/main.py")
    assert parse_project('[app]\nmodule = "src/main.py"\n').app_file(Path("/p")) == Path("/p/src/main.py")


@pytest.mark.parametrize(
    ("text", "message", "key"),
    [
        (
            "[server]\nmax_sesions = 3\n",
            "proj/tempestweb.toml: [server] max_sesions: unknown key (did you mean 'max_sessions'?)",
            "server.max_sesions",
        ),
        (
            "[server]\nzzz = 3\n",
            "proj/tempestweb.toml: [server] zzz: unknown key (expected one of: allowed_hosts, "
            "allowed_origins, asgi_server, assets, body_min_rate, body_timeout_s, event_loop, "
            "handshake_timeout_s, host, max_frame_bytes, max_handshakes, max_inbox_bytes, "
            "max_loop_lag_s, max_queue_bytes, max_sessions, "
            "max_total_queue_bytes, max_total_replay_bytes, max_upload_bytes, ping_interval_s, port, "
            "recovery_window_s, redis, send_timeout_s, worker_timeout_s, workers, ws_compression)",
            "server.zzz",
        ),
        (
            "[serve]\nport = 80\n",
            "proj/tempestweb.toml: [serve]: unknown section (did you mean 'server'?)",
            "serve",
        ),
        (  # a key above the first [section] header belongs to no section (not "unknown section")
            "port = 8000\n[app]\n",
            "proj/tempestweb.toml: port = 8000 is not in a section: keys like port belong under [server]",
            "port",
        ),
        (
            'title = "Hi"\n',
            'proj/tempestweb.toml: title = "Hi" is not in a section: keys like title belong under [app] '
            "or [desktop]",
            "title",
        ),
        (
            "prot = 8000\n",
            "proj/tempestweb.toml: prot = 8000 is not in a section (did you mean port under [server]?)",
            "prot",
        ),
        (
            "zzz = [1]\n",
            "proj/tempestweb.toml: zzz = [...] is not in a section (expected sections: app, desktop, "
            "server, wasm)",
            "zzz",
        ),
        (
            "[mobile]\nx = 1\n",
            "proj/tempestweb.toml: [mobile]: unknown section (expected one of: app, desktop, server, wasm)",
            "mobile",
        ),
        (
            '[server]\nport = "80a"\n',
            'proj/tempestweb.toml: [server] port: expected int, got str "80a"',
            "server.port",
        ),
        (
            "[server]\nport = true\n",
            "proj/tempestweb.toml: [server] port: expected int, got bool true",
            "server.port",
        ),
        (
            "[server]\nport = 8.5\n",
            "proj/tempestweb.toml: [server] port: expected int, got float 8.5",
            "server.port",
        ),
        (
            "[server]\nport = 70000\n",
            "proj/tempestweb.toml: [server] port: expected an int in 0..65535, got 70000",
            "server.port",
        ),
        (
            '[server]\nallowed_origins = "x"\n',
            'proj/tempestweb.toml: [server] allowed_origins: expected list of str, got str "x"',
            "server.allowed_origins",
        ),
        (
            "[server]\nassets = { dir = 1 }\n",
            "proj/tempestweb.toml: [server] assets: expected list of str, got table",
            "server.assets",
        ),
        (
            '[wasm]\npackages = ["a", 3]\n',
            "proj/tempestweb.toml: [wasm] packages[1]: expected str, got int 3",
            "wasm.packages",
        ),
        ("[app]\ntitle = 5\n", "proj/tempestweb.toml: [app] title: expected str, got int 5", "app.title"),
        ("[app]\nmode = []\n", "proj/tempestweb.toml: [app] mode: expected str, got array", "app.mode"),
        ("app = 3\n", "proj/tempestweb.toml: [app]: expected a table, got int 3", "app"),
        (
            "[server]\nrecovery_window_s = -1\n",
            "proj/tempestweb.toml: [server] recovery_window_s: "
            "expected a positive number of seconds, got -1.0",
            "server.recovery_window_s",
        ),
        (
            "[server]\nping_interval_s = 0\n",
            "proj/tempestweb.toml: [server] ping_interval_s: expected a positive number of seconds, got 0.0",
            "server.ping_interval_s",
        ),
        (
            "[server]\nmax_sessions = 0\n",
            "proj/tempestweb.toml: [server] max_sessions: expected an int >= 1, got 0",
            "server.max_sessions",
        ),
        (
            "[server]\nmax_queue_bytes = -5\n",
            "proj/tempestweb.toml: [server] max_queue_bytes: expected an int >= 1, got -5",
            "server.max_queue_bytes",
        ),
        (
            '[wasm]\nmodules = ["not-a-module"]\n',
            "proj/tempestweb.toml: [wasm] modules[0]: "
            "'not-a-module' is not a module name (e.g. 'helpers' or 'pkg.sub')",
            "wasm.modules",
        ),
        (
            '[wasm]\npackages = [" "]\n',
            "proj/tempestweb.toml: [wasm] packages[0]: empty requirement string",
            "wasm.packages",
        ),
        (
            '[wasm]\nassets = ["/etc/passwd"]\n',
            "proj/tempestweb.toml: [wasm] assets[0]: "
            "'/etc/passwd' is absolute; give a path relative to the app folder",
            "wasm.assets",
        ),
        (
            '[server]\nassets = ["ok/*", "../secret/*"]\n',
            "proj/tempestweb.toml: [server] assets[1]: '../secret/*' leaves the app folder ('..')",
            "server.assets",
        ),
        (
            '[wasm]\nscripts = ["https://cdn.example/x.js"]\n',
            "proj/tempestweb.toml: [wasm] scripts[0]: 'https://cdn.example/x.js' is a URL; "
            "only files inside the app folder can be used",
            "wasm.scripts",
        ),
        ('[wasm]\nscripts = [""]\n', "proj/tempestweb.toml: [wasm] scripts[0]: empty path", "wasm.scripts"),
        (
            '[app]\nmodule = "a-b"\n',
            "proj/tempestweb.toml: [app] module: 'a-b' is neither a relative .py path nor a module name "
            "(e.g. 'pkg.main')",
            "app.module",
        ),
    ],
)
def test_errors_name_file_key_and_expectation(text: str, message: str, key: str) -> None:
    with pytest.raises(ProjectConfigError) as error:
        parse_project(text, source="proj/tempestweb.toml")
    assert error.value.message == message == str(error.value)
    assert error.value.file == "proj/tempestweb.toml"
    assert error.value.key == key


def test_sections_built_in_code_are_checked_too() -> None:
    with pytest.raises(ProjectConfigError, match=r"^\[server\] port: expected an int in 0\.\.65535, got -1$"):
        ServerSection(port=-1)
    with pytest.raises(ProjectConfigError, match=r"^\[wasm\] assets\[0\]: '\.\./x' leaves the app folder"):
        WasmSection(assets=("../x",))


def test_load_project(tmp_path: Path) -> None:
    assert load_project(tmp_path) == ProjectConfig(directory=tmp_path)
    path = tmp_path / "tempestweb.toml"
    path.write_text(FULL)
    config = load_project(tmp_path)
    assert config.file == path and config.directory == tmp_path and config.server.port == 8080
    path.write_text("[server\n")
    with pytest.raises(ProjectConfigError) as error:
        load_project(tmp_path)
    assert error.value.message.startswith(f"{path}: invalid TOML: ")
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(ProjectConfigError, match="cannot be read"):
        load_project(tmp_path)


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=5)  # what TOML strings hold


@given(
    st.dictionaries(
        st.sampled_from(["app", "server", "wasm", "x"]),
        st.dictionaries(
            st.sampled_from(["name", "port", "assets", "modules", "scripts", "host", "max_sessions", "y"]),
            st.one_of(st.integers(), TEXT, st.booleans(), st.lists(TEXT, max_size=2)),
            max_size=3,
        ),
        max_size=3,
    )
)
def test_any_table_either_parses_or_raises_a_config_error(data: dict[str, dict[str, object]]) -> None:
    lines = []
    for section, table in data.items():
        lines.append(f"[{section}]")
        lines.extend(
            f"{json.dumps(key)} = {json.dumps(value, ensure_ascii=False)}" for key, value in table.items()
        )
    try:
        config = parse_project("\n".join(lines))
    except ProjectConfigError as error:
        assert error.message.startswith("tempestweb.toml: [")
        assert error.key is not None and error.key.split(".")[0] in data
    else:
        assert isinstance(config, ProjectConfig)


# --- app targets ------------------------------------------------------------------------------


def test_targets(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("app = 1\n")
    (tmp_path / "guide.py").write_text("todo_app = 1\n")
    assert parse_target(tmp_path) == AppTarget(tmp_path.resolve() / "app.py", "app")
    assert parse_target(str(tmp_path / "app.py")) == AppTarget(tmp_path.resolve() / "app.py")
    target = parse_target(f"{tmp_path}/guide.py:todo_app")
    assert target == AppTarget(tmp_path.resolve() / "guide.py", "todo_app")
    assert target.app_dir == tmp_path.resolve() and target.module == "guide"
    assert parse_target(str(target)) == target
    assert parse_target(f"{tmp_path}:main").attr == "main"  # a folder with an attribute


def test_folder_target_follows_app_module(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "main.py").write_text("app = 1\n")
    (tmp_path / "tempestweb.toml").write_text('[app]\nmodule = "pkg.main"\n')
    assert parse_target(tmp_path).file == tmp_path.resolve() / "pkg" / "main.py"


def test_a_file_whose_name_has_a_colon_is_not_split(tmp_path: Path) -> None:
    odd = tmp_path / "a.py:b"
    odd.write_text("app = 1\n")
    with pytest.raises(AppLoadError, match=r"expected an app folder or a \.py file"):
        parse_target(odd)


@pytest.mark.parametrize(
    ("files", "target", "message"),
    [
        ({}, ".", "app.py: not found; an app folder must hold its app module"),
        ({}, "missing.py", "missing.py: no such file or folder"),
        ({}, "missing.py:app", "missing.py: no such file or folder"),
        ({"notes.txt": ""}, "notes.txt", "notes.txt: expected an app folder or a .py file"),
    ],
)
def test_target_errors_name_the_path(
    tmp_path: Path, files: dict[str, str], target: str, message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(AppLoadError) as error:
        parse_target(f"{tmp_path}/{target}")
    assert message in error.value.message
    assert error.value.file is not None and str(tmp_path) in error.value.file


# --- app loading ------------------------------------------------------------------------------


class Thing:
    """Stands in for ``tempest_core.App`` (the contract does not know it)."""


@pytest.fixture(autouse=True)
def isolated_imports() -> Iterator[None]:
    path, modules = list(sys.path), set(sys.modules)
    yield
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        del sys.modules[name]


def write_app(folder: Path, greeting: str = "hi", body: str = "") -> None:
    folder.mkdir(exist_ok=True)
    (folder / "app.py").write_text(
        "from test_project import Thing\nfrom helper import GREETING\n"
        f"{body}\napp = Thing()\napp.greeting = GREETING\n"
    )
    (folder / "helper.py").write_text(f"GREETING = {greeting!r}\n")


def test_load_and_reload_pick_up_sibling_edits(tmp_path: Path) -> None:
    write_app(tmp_path, "first")
    loader = AppLoader(tmp_path)
    first = loader.load(expect=Thing)
    assert first.greeting == "first"  # type: ignore[attr-defined]
    (tmp_path / "helper.py").write_text("GREETING = 'second'\n")
    assert loader.load(expect=Thing).greeting == "second"  # type: ignore[attr-defined]
    assert isinstance(load_app(tmp_path / "app.py", expect=Thing), Thing)


def test_import_error_shows_the_users_file_and_line(tmp_path: Path) -> None:
    write_app(tmp_path, body="x = 1\ny = 1 / 0\n")
    with pytest.raises(AppLoadError) as error:
        load_app(tmp_path, expect=Thing)
    app_file = tmp_path.resolve() / "app.py"
    assert (
        error.value.message == f"{app_file}:4: importing the app failed: ZeroDivisionError: division by zero"
    )
    assert error.value.file == str(app_file)
    assert isinstance(error.value.__cause__, ZeroDivisionError)


def test_error_in_a_sibling_module_names_the_sibling(tmp_path: Path) -> None:
    write_app(tmp_path)
    (tmp_path / "helper.py").write_text("\n\nraise RuntimeError('bad helper')\n")
    with pytest.raises(AppLoadError) as error:
        load_app(tmp_path, expect=Thing)
    message = error.value.message
    assert message.startswith(f"{tmp_path.resolve() / 'helper.py'}:3: importing the app failed: RuntimeError")
    assert "_project_target" not in message and "importlib" not in message


def test_syntax_error_shows_file_and_line_on_one_line(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\ndef broken(:\n")
    with pytest.raises(AppLoadError) as error:
        load_app(tmp_path, expect=Thing)
    assert error.value.message.startswith(
        f"{tmp_path.resolve() / 'app.py'}:2: importing the app failed: SyntaxError"
    )
    assert "\n" not in error.value.message


def test_missing_module_and_wrong_attribute(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import nonexistent_module_xyz\n")
    with pytest.raises(AppLoadError, match=r"app\.py:1: importing the app failed: ModuleNotFoundError"):
        load_app(tmp_path, expect=Thing)
    (tmp_path / "app.py").write_text("x = 1\n")
    with pytest.raises(AppLoadError, match=r"app\.py: no module-level `app`; expected `app = Thing\(...\)`"):
        load_app(tmp_path, expect=Thing)
    (tmp_path / "app.py").write_text("app = 42\n")
    with pytest.raises(AppLoadError, match=r"app\.py: `app` is of type int, expected a test_project\.Thing"):
        load_app(tmp_path, expect=Thing)


def test_import_app_by_module_name(tmp_path: Path) -> None:
    (tmp_path / "named_app_mod.py").write_text("from test_project import Thing\n\nmain = Thing()\n")
    sys.path.insert(0, str(tmp_path))
    assert isinstance(import_app("named_app_mod", "main", expect=Thing), Thing)
    (tmp_path / "broken_app_mod.py").write_text("\nraise KeyError('k')\n")
    with pytest.raises(AppLoadError, match=r"broken_app_mod\.py:2: importing the app failed: KeyError: 'k'"):
        import_app("broken_app_mod", "app", expect=Thing)
    with pytest.raises(AppLoadError, match="not found"):
        import_app("no_such_app_mod_xyz", "app", expect=Thing)


# --- assets -----------------------------------------------------------------------------------


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    for rel in ("static/a.png", "static/b.css", "static/img/deep/c.png", "static/.hidden.png", "robots.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    return root


def test_globs_resolve_to_relative_paths(app_dir: Path) -> None:
    found = resolve_assets(app_dir, ("static/**/*.png", "robots.txt"))
    assert list(found) == ["robots.txt", "static/.hidden.png", "static/a.png", "static/img/deep/c.png"]
    assert found["static/a.png"] == (app_dir / "static" / "a.png").resolve()
    assert list(resolve_assets(app_dir, ("static/**",))) == [
        "static/.hidden.png",
        "static/a.png",
        "static/b.css",
        "static/img/deep/c.png",
    ]
    assert list(resolve_assets(app_dir, ("./static/[ab].*",))) == ["static/a.png", "static/b.css"]


def test_symlinks_inside_the_app_folder_keep_their_own_path(app_dir: Path) -> None:
    (app_dir / "static" / "link.png").symlink_to("a.png")
    (app_dir / "media").symlink_to("static/img", target_is_directory=True)
    (app_dir / "static" / "img" / "loop").symlink_to("..", target_is_directory=True)
    found = resolve_assets(app_dir, ("static/*.png", "media/deep/*.png", "static/**/c.png"))
    assert found["static/link.png"] == (app_dir / "static" / "a.png").resolve()
    assert found["media/deep/c.png"] == (app_dir / "static" / "img" / "deep" / "c.png").resolve()
    assert "static/img/deep/c.png" in found
    assert not any("loop" in path for path in found)  # ** does not descend into symlinked folders
    assert list(resolve_assets(app_dir, ("media/**/*.png",))) == ["media/deep/c.png"]
    assert "media/loop/a.png" in resolve_assets(app_dir, ("media/*/*.png",))  # named segments follow links


def test_symlink_escaping_the_app_folder_is_refused(app_dir: Path) -> None:
    (app_dir.parent / "secret.png").write_text("secret")
    (app_dir / "static" / "leak.png").symlink_to(app_dir.parent / "secret.png")
    with pytest.raises(
        AssetError,
        match=r"^\[wasm\] assets: 'static/\*\.png': static/leak\.png is a symlink to .*secret\.png, outside",
    ):
        resolve_assets(app_dir, ("static/*.png",), where="[wasm] assets")
    (app_dir / "static" / "leak.png").unlink()
    (app_dir / "outside").symlink_to(app_dir.parent, target_is_directory=True)
    with pytest.raises(AssetError, match="outside the app folder"):
        resolve_assets(app_dir, ("outside/*.png",))


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("img/*.png", r"^assets: 'img/\*\.png' matches no file under "),
        ("../*.txt", r"^assets: '\.\./\*\.txt' leaves the app folder"),
        ("/etc/*", r"^assets: '/etc/\*' is absolute"),
        ("  ", r"^assets: empty path$"),
        ("_tw/*", r"^assets: '_tw/\*': _tw/boot\.js is under /_tw/, which is reserved for the host$"),
    ],
)
def test_asset_errors(app_dir: Path, pattern: str, message: str) -> None:
    (app_dir / "_tw").mkdir()
    (app_dir / "_tw" / "boot.js").write_text("")
    with pytest.raises(AssetError, match=message):
        resolve_assets(app_dir, (pattern,))


def test_app_folder_must_exist(app_dir: Path) -> None:
    with pytest.raises(AssetError, match=r"the app folder .* is not a directory"):
        resolve_assets(app_dir / "robots.txt", ("*",))


def test_scripts(app_dir: Path) -> None:
    (app_dir / "js").mkdir()
    (app_dir / "js" / "b.js").write_text("")
    (app_dir / "js" / "a.js").write_text("")
    assert list(resolve_scripts(app_dir, ("js/b.js", "js/a.js"))) == ["js/b.js", "js/a.js"]
    with pytest.raises(AssetError, match=r"^scripts: 'js/c\.js' does not exist under "):
        resolve_scripts(app_dir, ("js/c.js",))
    with pytest.raises(AssetError, match="is a URL"):
        resolve_scripts(app_dir, ("https://x.example/a.js",))
    (app_dir.parent / "evil.js").write_text("")
    (app_dir / "js" / "evil.js").symlink_to(app_dir.parent / "evil.js")
    with pytest.raises(AssetError, match="outside the app folder"):
        resolve_scripts(app_dir, ("js/evil.js",))


TREE = ["a.png", "b.css", "s/a.png", "s/t/a.png", "s/t/u/b.png", ".h/a.png", "s/.x.png", "s/[x].png"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(["s", "t", "*", "**", "?.png", "*.png", "a.png", "[ab].*", "[!a]*", "u"]),
        min_size=1,
        max_size=4,
    )
)
def test_matching_agrees_with_resolution(tmp_path: Path, segments: list[str]) -> None:
    """One glob language: a file is resolved exactly when its path matches the glob's regex."""
    root = tmp_path / "tree"
    if not root.exists():
        for rel in TREE:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(rel)
    pattern = "/".join(segments)
    regex = asset_glob_regex(pattern)
    expected = sorted(rel for rel in TREE if regex.fullmatch(rel))
    try:
        found = sorted(resolve_assets(root, (pattern,)))
    except AssetError:
        found = []
    assert found == expected


@pytest.mark.parametrize(
    ("pattern", "rel", "expected"),
    [
        ("static/*.svg", "static/a.svg", True),
        ("static/*.svg", "static/sub/a.svg", False),
        ("static/**/*.svg", "static/a.svg", True),
        ("static/**/*.svg", "static/x/y/a.svg", True),
        ("**/*.svg", "a.svg", True),
        ("img/?.png", "img/a.png", True),
        ("img/?.png", "img/ab.png", False),
        ("img/[!a]*.png", "img/b.png", True),
        ("img/[!a]*.png", "img/a.png", False),
        ("static/**", "static/x/y.txt", True),
    ],
)
def test_glob_regex_agrees_with_path_glob(tmp_path: Path, pattern: str, rel: str, expected: bool) -> None:
    assert bool(asset_glob_regex(pattern).fullmatch(rel)) is expected
    (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / rel).write_text("x")
    pathlib_found = {p.relative_to(tmp_path).as_posix() for p in tmp_path.glob(pattern) if p.is_file()}
    if not pattern.endswith("**"):  # pathlib before 3.13 lists only folders for a trailing **
        assert (rel in pathlib_found) is expected


# --- media types and the shell ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.js", "text/javascript; charset=utf-8"),
        ("A.MJS", "text/javascript; charset=utf-8"),
        ("pyodide.asm.wasm", "application/wasm"),
        ("x.whl", "application/zip"),
        ("m.webmanifest", "application/manifest+json"),
        ("logo.svg", "image/svg+xml"),
        ("app.py", "text/x-python; charset=utf-8"),
        ("x.tar.gz", "application/octet-stream"),
        ("noext", "application/octet-stream"),
    ],
)
def test_media_types(name: str, expected: str) -> None:
    assert media_type(name) == expected


def test_page_template() -> None:
    page = render_page(
        title="A <b>",
        body='<p data-tw="1"><!--2-->hi</p>',
        styles=(".tw-1{color:red}", "x{content:'</style>'}"),
        root_attributes={names.ATTR_SESSION: 'S"1', names.ATTR_TRANSPORT: "auto"},
        scripts=("/js/a.js", "/js/b.js"),
        modules=("/_tw/client/boot.js",),
        head='<link rel="stylesheet" href="/x.css">',
        csp="script-src 'self'",
    )
    assert "<title>A &lt;b&gt;</title>" in page
    assert "<style id=\"tw-styles\">.tw-1{color:red}\nx{content:'<\\/style>'}</style>" in page
    assert (
        '<div id="tw-root" data-tw-session="S&quot;1" data-tw-transport="auto">'
        '<p data-tw="1"><!--2-->hi</p></div>' in page
    )
    assert (
        page.index('<script src="/js/a.js">')
        < page.index('<script src="/js/b.js">')
        < page.index('<script type="module" src="/_tw/client/boot.js">')
    )
    assert '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">' in page
    assert page.index("</style>") < page.index('<link rel="stylesheet"') < page.index("</head>")
    assert "onload" not in page and "<script>" not in page  # nothing inline


def test_event_field_names_are_every_payload_key() -> None:
    keys = {key for fields in names.EVENT_FIELDS.values() for key in fields}
    assert set(names.EVENT_FIELD.values()) == keys


def test_the_cross_mode_asset_oracle_is_what_the_rule_resolves(tmp_path: Path) -> None:
    from tempestweb_contract.testing import write_asset_project

    folder = tmp_path / "proj"
    expected = write_asset_project(folder)
    wasm = load_project(folder).wasm
    found = {**resolve_assets(folder, wasm.assets), **resolve_scripts(folder, wasm.scripts)}
    assert sorted(found) == sorted(expected)
    assert {relative: path.read_bytes() for relative, path in found.items()} == expected
