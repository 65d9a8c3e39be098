from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tempestweb_contract.project import ProjectConfigError
from tempestweb_wasm import (
    AppLoadError,
    BuildResult,
    ConfigError,
    ModuleResolutionError,
    WasmError,
    build,
)


def test_asset_glob_without_match_is_an_error(counter_app: Path, tmp_path: Path) -> None:
    (counter_app / "tempestweb.toml").write_text('[wasm]\nassets = ["*.png"]\n')
    with pytest.raises(ConfigError, match=r"^\[wasm\] assets: '\*\.png' matches no file"):
        build(counter_app, out=tmp_path / "out", cache=tmp_path / "empty-cache")
    assert not (tmp_path / "empty-cache").exists()


def test_invalid_project_file_names_file_and_key(counter_app: Path, tmp_path: Path) -> None:
    (counter_app / "tempestweb.toml").write_text('[wasm]\nmodule = ["helpers"]\n')
    with pytest.raises(ConfigError) as error:
        build(counter_app, out=tmp_path / "out", cache=tmp_path / "empty-cache")
    assert str(error.value) == (
        f"{counter_app / 'tempestweb.toml'}: [wasm] module: unknown key (did you mean 'modules'?)"
    )


def test_unknown_module_fails_before_any_download(counter_app: Path, tmp_path: Path) -> None:
    (counter_app / "tempestweb.toml").write_text('[wasm]\nmodules = ["helpers", "nowhere_to_be_found"]\n')
    with pytest.raises(ModuleResolutionError, match="nowhere_to_be_found"):
        build(counter_app, out=tmp_path / "out", cache=tmp_path / "empty-cache")
    assert not (tmp_path / "empty-cache").exists()


def test_asset_colliding_with_build_files_is_rejected(counter_app: Path, tmp_path: Path) -> None:
    (counter_app / "index.html").write_text("mine")
    (counter_app / "tempestweb.toml").write_text('[wasm]\nassets = ["index.html"]\n')
    with pytest.raises(ConfigError, match="collides"):
        build(counter_app, out=tmp_path / "out", cache=tmp_path / "empty-cache")


def test_missing_app_and_missing_attr(tmp_path: Path) -> None:
    with pytest.raises(AppLoadError, match=r"app\.py: not found; an app folder must hold its app module"):
        build(tmp_path, out=tmp_path / "out")
    (tmp_path / "app.py").write_text("x = 1\n")
    with pytest.raises(AppLoadError, match="no module-level `app`"):
        build(tmp_path, out=tmp_path / "out")
    with pytest.raises(AppLoadError, match=r"`x` is of type int, expected a tempest_core\.App"):
        build(f"{tmp_path}:x", out=tmp_path / "out")
    (tmp_path / "app.py").write_text("x = 1\nraise ValueError('broken app')\n")
    with pytest.raises(AppLoadError, match=r"app\.py:2: importing the app failed: ValueError: broken app"):
        build(tmp_path, out=tmp_path / "out")


def test_refuses_to_erase_a_foreign_folder(counter_app: Path, tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(WasmError, match="refusing to erase"):
        build(counter_app, out=out)
    assert (out / "thesis.tex").exists()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A real build of the counter app (uses the user download cache; fetches on first use)."""
    from conftest import COUNTER_APP

    folder = tmp_path_factory.mktemp("app")
    (folder / "static" / "img").mkdir(parents=True)
    (folder / "app.py").write_text(COUNTER_APP)
    (folder / "helpers.py").write_text('TITLE = "Counter"\n')
    (folder / "static" / "img" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (folder / "js").mkdir()
    (folder / "js" / "pre.js").write_text("window.__preScript = true;\n")
    (folder / "tempestweb.toml").write_text(
        '[wasm]\nmodules = ["helpers", "tomlkit"]\nassets = ["static/**/*.svg"]\nscripts = ["js/pre.js"]\n'
    )
    return build(folder, out=tmp_path_factory.mktemp("site") / "out")


def test_build_layout(built: BuildResult) -> None:
    files = set(built.files)
    for name in ["index.html", "bootstrap.js", "sw.js", "manifest.webmanifest", "tw-build.json", "icon.svg",
                 "client/tempestweb.js", "pyodide/pyodide.mjs", "pyodide/pyodide.asm.wasm",
                 "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json", "app/app.py", "app/helpers.py",
                 "app/tomlkit/__init__.py", "static/img/logo.svg", "js/pre.js"]:  # fmt: skip
        assert name in files, name
    wheel_names = {name.split("-")[0] for name in built.wheels}
    assert {
        "pydantic",
        "pydantic_core",
        "msgspec",
        "tempestweb_contract",
        "tempest_core",
        "tempestweb_wasm",
    } <= wheel_names
    assert all(f"wheels/{name}" in files for name in built.wheels)


def test_precache_covers_every_built_file(built: BuildResult) -> None:
    assert set(built.precache) == {"./"} | {f"./{name}" for name in built.files if name != "sw.js"}
    assert built.cache_name in (built.out / "sw.js").read_text()


def test_index_has_prerendered_view_and_shell(built: BuildResult) -> None:
    text = built.index.read_text()
    assert '<div id="tw-root" data-tw-mode="wasm">' in text
    assert 'id="count"' in text and "Count: " in text
    assert '<style id="tw-styles">' in text
    assert "Content-Security-Policy" not in text  # opt-in: build(..., csp=True)
    assert '<link rel="manifest" href="./manifest.webmanifest">' in text
    assert text.index('src="./js/pre.js"') < text.index('<script type="module" src="./bootstrap.js">')
    manifest = json.loads((built.out / "manifest.webmanifest").read_text())
    assert manifest["name"] == "Counter" and manifest["start_url"] == "./"


def test_framework_wheels_are_valid_pure_wheels(built: BuildResult) -> None:
    wheel = next(built.out / "wheels" / n for n in built.wheels if n.startswith("tempestweb_wasm-"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/WHEEL"))
        assert "Root-Is-Purelib: true" in archive.read(info).decode()
        assert "tempestweb_wasm/runtime.py" in names
        assert "tempestweb_wasm/static/bootstrap.js" in names
        assert not any("__pycache__" in n for n in names)


def test_build_manifest_points_at_real_files(built: BuildResult) -> None:
    manifest = json.loads((built.out / "tw-build.json").read_text())
    for url in manifest["wheels"]:
        assert (built.out / url).is_file()
    assert manifest["app"]["module"] == "app" and "helpers.py" in manifest["app"]["files"]
    for name in manifest["app"]["files"]:
        assert (built.out / "app" / name).is_file()


def test_mode_object_builds_and_validates_options(counter_app: Path, tmp_path: Path) -> None:
    from tempestweb_wasm._mode import MODE

    assert MODE.name == "wasm"
    out = MODE.build(counter_app, out=tmp_path / "site", options={"csp": True})
    assert "script-src 'self' 'wasm-unsafe-eval'" in (out / "index.html").read_text()
    with pytest.raises(ConfigError, match="unknown option") as unknown:
        MODE.build(counter_app, out=tmp_path / "site", options={"bogus": 1})
    # the project schema's config error, as every mode's: the CLI exits 2 on it (tempestweb_cli.main._start)
    assert isinstance(unknown.value, ProjectConfigError) and unknown.value.message == str(unknown.value)
    with pytest.raises(ConfigError, match="true or false"):
        MODE.build(counter_app, out=tmp_path / "site", options={"csp": "yes"})


def test_issue_9_a_build_holds_the_same_asset_files_mode_b_serves(tmp_path: Path) -> None:
    """The cross-mode oracle: a build holds exactly the asset and script files Mode B serves
    (tempestweb-server's twin test), at the same paths with the same bytes, symlinks included."""
    from tempestweb_contract.testing import write_asset_project
    from tempestweb_wasm.builder import _RESERVED

    folder = tmp_path / "proj"
    expected = write_asset_project(folder)
    with (folder / "tempestweb.toml").open("a") as toml:
        toml.write('[app]\ntitle = "From toml"\n')
    result = build(folder, out=tmp_path / "site")
    project_files = sorted(name for name in result.files if name.split("/", 1)[0] not in _RESERVED)
    assert project_files == sorted(expected)
    for relative, body in expected.items():
        assert (result.out / relative).read_bytes() == body
        assert f"./{relative}" in result.precache
    index = result.index.read_text()
    assert index.index('<script src="./js/lib.js"></script>') < index.index('src="./bootstrap.js"')
    assert "<title>From toml</title>" in index
