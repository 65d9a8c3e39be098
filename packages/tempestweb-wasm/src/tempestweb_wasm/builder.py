"""The Mode A static builder: one folder any static file server can host, offline-capable.

Layout of a build::

    index.html              prerendered first view, styles, <div id="tw-root" data-tw-mode="wasm">
    bootstrap.js            boots Pyodide, installs the wheels, starts the runtime, mounts the client
    sw.js                   service worker precaching every file below
    manifest.webmanifest    web app manifest (installable PWA) + icon.svg
    tw-build.json           what bootstrap.js loads: wheels, app files, app entry, prerender hash
    client/                 the JS client modules (tempestweb_contract.client_dir())
    native/                 capability modules of tempestweb.native and plugins (linked in <head>)
    pyodide/                Pyodide 314.0.7, same-origin
    wheels/                 pydantic, pydantic_core, msgspec (+ deps) for pyemscripten, the framework
                            packages as pure-Python wheels, [wasm].packages
    app/                    app.py and the [wasm].modules, put on sys.path
    <assets>, <scripts>     [wasm].assets and [wasm].scripts at their paths relative to the app
                            folder (tempestweb_contract.project.resolve_assets: Mode B serves the
                            same files at the same paths)
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import secrets
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

from tempestweb_contract import client_dir
from tempestweb_contract.names import BUILD_MANIFEST_FILE, STYLE_ELEMENT_ID
from tempestweb_contract.plugins import (
    NATIVE_DIR_NAME,
    CapabilityModule,
    PluginError,
    capability_links,
    capability_modules,
    js_files,
)
from tempestweb_contract.project import (
    ProjectConfigError,
    ProjectError,
    load_app,
    load_project,
    parse_target,
    resolve_assets,
    resolve_scripts,
)
from tempestweb_wasm._cache import ensure_pyodide, ensure_wheels
from tempestweb_wasm._digest import html_digest
from tempestweb_wasm._html import (
    BOOTSTRAP_FILE,
    DEV_SCRIPT_FILE,
    ICON_FILE,
    WEB_MANIFEST_FILE,
    render_icon,
    render_index,
    render_web_manifest,
)
from tempestweb_wasm._modules import ResolvedModule, resolve_module
from tempestweb_wasm._sw import SW_FILE, write_service_worker
from tempestweb_wasm._wheels import build_pure_wheel
from tempestweb_wasm.constants import (
    APP_DIR_NAME,
    BASE_REQUIREMENTS,
    CLIENT_DIR_NAME,
    PYODIDE_DIR_NAME,
    PYODIDE_FILES,
    PYODIDE_VERSION,
    WHEELS_DIR_NAME,
)
from tempestweb_wasm.errors import AppLoadError, ConfigError, WasmError

__all__ = ["FRAMEWORK_PACKAGES", "BuildResult", "build", "check_out"]

FRAMEWORK_PACKAGES = (
    ("tempestweb-contract", "tempestweb_contract"),
    ("tempest-core", "tempest_core"),
    ("tempestweb-wasm", "tempestweb_wasm"),
)
"""``(distribution, import name)`` of the framework packages shipped as pure-Python wheels."""

_RESERVED = {
    "index.html", BOOTSTRAP_FILE, SW_FILE, WEB_MANIFEST_FILE, ICON_FILE, BUILD_MANIFEST_FILE,
    APP_DIR_NAME, CLIENT_DIR_NAME, PYODIDE_DIR_NAME, WHEELS_DIR_NAME, DEV_SCRIPT_FILE, NATIVE_DIR_NAME,
}  # fmt: skip
_DEV_SW_TEMPLATE = "sw-dev.js"


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What :func:`build` wrote.

    Attributes:
        out: The build folder.
        index: ``out / "index.html"``.
        files: Every file written, relative to ``out`` (POSIX), sorted.
        precache: The service worker's precache list (``./``-relative URLs).
        cache_name: Cache Storage name of this build, e.g. ``"tw-3f2a..."``.
        wheels: Wheel file names, in install order.
        modules: How each ``[wasm].modules`` entry was resolved.
        seconds: Wall time of the build, in seconds.
        dev_build: Dev builds only: a random id of this build (in ``<meta name="tw-dev-build">``),
            which the dev server announces so open pages reload; ``None`` for a normal build.

    """

    out: Path
    index: Path
    files: tuple[str, ...]
    precache: tuple[str, ...]
    cache_name: str
    wheels: tuple[str, ...]
    modules: tuple[ResolvedModule, ...] = field(default=())
    seconds: float = 0.0
    dev_build: str | None = None


_STYLE_OPEN = f'<style id="{STYLE_ELEMENT_ID}">'

PRERENDER_FAILED: Final = "prerendering the first view failed"
"""How the message of a build whose app view raised in the prerender starts (its cause is the
app's exception): ``tempestweb dev`` tells such a failure, in the app's own code, to the pages."""


def _prerender(app: Any) -> tuple[str, tuple[str, ...]]:
    """Prerender with ``tempest_core.render_to_html`` and split its style element off the markup.

    Run in a private thread so any caller (sync code or a running event loop) can build.
    """
    from tempest_core import render_to_html

    result: list[str] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(render_to_html(app, path="/"))
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, name="tempestweb-prerender")
    thread.start()
    thread.join()
    if failure:
        raise WasmError(f"{PRERENDER_FAILED}: {failure[0]!r}") from failure[0]
    markup = result[0]
    if not markup.startswith(_STYLE_OPEN):
        return markup, ()
    # render_to_html escapes "</" inside the rules, so the first "</style>" closes the element.
    close = markup.index("</style>")
    return markup[close + len("</style>") :], (markup[len(_STYLE_OPEN) : close],)


def _capabilities() -> dict[str, CapabilityModule]:
    """Installed capability modules (``tempestweb.capabilities`` entry points)."""
    try:
        return capability_modules()
    except PluginError as exc:
        raise ConfigError(f"capability plugins: {exc.message}") from None


def _capability_packages(modules: dict[str, CapabilityModule]) -> list[tuple[str, str]]:
    """``(distribution, import package)`` of each distribution providing capabilities.

    The import package is the shortest prefix of a module's root that is a regular package
    (``tempestweb.native`` for ``tempestweb.native._client``: ``tempestweb`` is a namespace).
    """
    found: dict[str, str] = {}
    for module in modules.values():
        if module.distribution in found:
            continue
        parts = module.root_key.split(".")
        for end in range(1, len(parts) + 1):
            name = ".".join(parts[:end])
            spec = importlib.util.find_spec(name)
            if (
                spec is not None
                and spec.origin not in (None, "namespace")
                and spec.submodule_search_locations
            ):
                found[module.distribution] = name
                break
    return sorted(found.items())


def check_out(out: Path) -> None:
    """Refuse a build output that is not a folder, or a folder a build would erase but did not make.

    A build replaces its output folder whole; only an earlier build's (it holds
    ``BUILD_MANIFEST_FILE``) or an empty one is erased.

    Raises:
        WasmError: ``out`` is a file, or a non-empty folder without a build manifest.

    """
    if not out.exists():
        return
    if not out.is_dir():
        raise WasmError(f"build output {out} exists and is not a folder; choose another --out")
    if any(out.iterdir()) and not (out / BUILD_MANIFEST_FILE).is_file():
        raise WasmError(
            f"build output {out} is a non-empty folder that is not a previous build; refusing to erase "
            "it: choose another --out, or empty that folder first"
        )


def _prepare_out(out: Path) -> None:
    check_out(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _check_reserved(kind: str, rel: str) -> None:
    if rel.split("/", 1)[0] in _RESERVED:
        raise ConfigError(f"[wasm] {kind}: {rel!r} collides with a file or folder the build owns")


@contextlib.contextmanager
def _as_wasm_errors() -> Iterator[None]:
    """Raise the project schema's errors (``tempestweb_contract.project``) as this package's, same text."""
    try:
        yield
    except ProjectConfigError as exc:
        raise ConfigError(exc.message) from None
    except ProjectError as exc:
        raise AppLoadError(exc.message) from exc


def _write_dev_files(out: Path) -> None:
    """Dev builds: a self-retiring ``sw.js`` instead of the precaching one.

    The reload script (:data:`DEV_SCRIPT_FILE`) is the client's own ``dev.js``, copied with
    the client (and left out of builds for production).
    """
    static = resources.files("tempestweb_wasm").joinpath("static")
    (out / SW_FILE).write_text(static.joinpath(_DEV_SW_TEMPLATE).read_text("utf-8"), "utf-8")


def build(
    target: str | Path,
    /,
    *,
    out: Path,
    cache: Path | None = None,
    csp: bool = False,
    dev: bool = False,
    debug: bool = False,
) -> BuildResult:
    """Build a Mode A app into a static, offline-capable folder.

    Args:
        target: ``PATH[:ATTR]``: the app file, or an app folder (its ``[app] module``, else
            ``app.py``); see :func:`tempestweb_contract.project.parse_target`.
        out: Output folder; created, or replaced if it holds a previous build.
        cache: Download cache root; defaults to the user cache dir (``TEMPESTWEB_CACHE_DIR``).
        csp: Put a ``<meta>`` Content-Security-Policy (``script-src 'self' 'wasm-unsafe-eval'``)
            in ``index.html``. Off by default because it also blocks the string evaluation that
            test and benchmark drivers (Playwright ``wait_for_function``) inject; prefer sending
            the same policy as a header from the static host.
        dev: A ``tempestweb dev`` build: ``index.html`` also loads ``client/dev.js``, which reloads
            the page when the dev server announces a new build (Server-Sent Events), and
            ``sw.js`` unregisters any service worker instead of precaching (see
            ``static/sw-dev.js``); ``precache`` is empty and ``cache_name`` is ``""``. A failure
            of app code shows its traceback in the page (``tw-build.json``: ``"errors":
            "traceback"``). Never ship a dev build: it expects the dev server.
        debug: Show the traceback of a failure of app code in the page (the error overlay),
            as a dev build does, in an otherwise normal build (``tempestweb run --mode wasm
            --debug``). Do not ship it either: tracebacks name the app's files and code.

    Returns:
        What was written.

    Raises:
        AppLoadError: The target has no app, fails to import (the message shows the user's
            ``file:line``), or holds no ``App``.
        ConfigError: ``tempestweb.toml`` is invalid, an asset glob matches nothing or a file
            outside the app folder (the project schema's rule, the same as Mode B's), a script
            is missing, or a path collides with the build's own files.
        ModuleResolutionError: A ``[wasm].modules`` entry is neither vendored nor installed.
        ToolMissingError: npm or pip is needed for a download and missing.
        FetchError: Downloading Pyodide or a wheel failed.
        CacheIntegrityError: A download does not match its pinned or recorded SHA-256.
        WasmError: The output folder is unsafe to overwrite, or the prerender raised.

    """
    from tempest_core import App

    started = time.perf_counter()
    with _as_wasm_errors():
        app_target = parse_target(target)
        app_dir = app_target.app_dir
        project = load_project(app_dir)
        assets = resolve_assets(app_dir, project.wasm.assets, where="[wasm] assets")
        scripts = resolve_scripts(app_dir, project.wasm.scripts, where="[wasm] scripts")
    if not app_target.module.isidentifier():
        raise AppLoadError(
            f"{app_target.file}: not importable under Pyodide (the file name must be an identifier)"
        )
    modules = tuple(resolve_module(name, app_dir) for name in project.wasm.modules)
    for kind, rels in (("assets", assets), ("scripts", scripts)):
        for rel in rels:
            _check_reserved(kind, rel)
    with _as_wasm_errors():
        app = load_app(app_target, expect=App)
    body, rules = _prerender(app)
    pyodide_dir = ensure_pyodide(cache=cache)
    wheel_files = ensure_wheels([*BASE_REQUIREMENTS, *project.wasm.packages], cache=cache)

    out = out.resolve()
    _prepare_out(out)
    for name in PYODIDE_FILES:
        _copy(pyodide_dir / name, out / PYODIDE_DIR_NAME / name)
    wheels_out = out / WHEELS_DIR_NAME
    for wheel in wheel_files:
        _copy(wheel, wheels_out / wheel.name)
    wheel_names = [wheel.name for wheel in wheel_files]
    wheel_names += [build_pure_wheel(dist, imp, wheels_out).name for dist, imp in FRAMEWORK_PACKAGES]
    # tempestweb.native and its plugins: their Python as wheels, their JS under native/ (precached)
    capabilities = _capabilities()
    wheel_names += [
        build_pure_wheel(d, imp, wheels_out).name for d, imp in _capability_packages(capabilities)
    ]
    for rel, source in js_files(capabilities).items():
        _copy(source, out / NATIVE_DIR_NAME / rel)
    dev_only = () if dev else (Path(DEV_SCRIPT_FILE).name,)  # the reload script
    ignored = shutil.ignore_patterns("*.map", "*.ts", ".*", *dev_only)
    shutil.copytree(client_dir(), out / CLIENT_DIR_NAME, ignore=ignored)
    app_files = {app_target.file.name: app_target.file}
    for module in modules:
        app_files.update({rel: source for source, rel in module.files})
    for rel, source in app_files.items():
        _copy(source, out / APP_DIR_NAME / rel)
    for rel, source in {**assets, **scripts}.items():
        _copy(source, out / rel)
    bootstrap = resources.files("tempestweb_wasm").joinpath("static", BOOTSTRAP_FILE).read_text("utf-8")
    (out / BOOTSTRAP_FILE).write_text(bootstrap, "utf-8")

    dev_build = secrets.token_hex(8) if dev else None
    title = project.app.title or str(getattr(app, "title", "tempestweb"))
    manifest = {
        "pyodide": {
            "version": PYODIDE_VERSION,
            "index": f"./{PYODIDE_DIR_NAME}/",
            "files": list(PYODIDE_FILES),  # named when one fails to load
        },
        "wheels": [f"./{WHEELS_DIR_NAME}/{name}" for name in wheel_names],
        "app": {
            "dir": f"./{APP_DIR_NAME}/",
            "files": sorted(app_files),
            "module": app_target.module,
            "attr": app_target.attr,
        },
        "prerender": {"path": "/", "sha256": html_digest(body)},
        "errors": "traceback" if dev or debug else "generic",  # what the page shows when app code fails
    }
    (out / BUILD_MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
    index = render_index(
        title=title,
        body=body,
        rules=rules,
        scripts=tuple(scripts),
        csp=csp,
        dev_build=dev_build,
        head_extra=capability_links(capabilities, base=f"./{NATIVE_DIR_NAME}"),
    )
    (out / "index.html").write_text(index, "utf-8")
    (out / WEB_MANIFEST_FILE).write_text(render_web_manifest(title=title), "utf-8")
    (out / ICON_FILE).write_text(render_icon(title=title), "utf-8")
    precache: list[str] = []
    if dev:
        _write_dev_files(out)
        cache_name = ""
    else:
        cache_name, precache = write_service_worker(out)
    files = tuple(sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()))
    return BuildResult(
        out=out,
        index=out / "index.html",
        files=files,
        precache=tuple(precache),
        cache_name=cache_name,
        wheels=tuple(wheel_names),
        modules=modules,
        seconds=time.perf_counter() - started,
        dev_build=dev_build,
    )
