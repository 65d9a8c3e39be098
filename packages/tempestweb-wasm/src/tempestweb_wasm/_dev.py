"""``tempestweb dev --mode wasm``: serve a dev build, rebuild it on change, reload open pages.

The loop, in one thread:

1. Build with ``dev=True`` (``index.html`` loads ``client/dev.js``; ``sw.js`` retires any service
   worker) and serve it with :class:`~tempestweb_wasm._serve.StaticServer`, which also streams
   reload notifications (Server-Sent Events at ``/_tw/dev/events``).
2. Watch the app folder with :func:`watchfiles.watch`. Relevant: ``.py`` and ``.toml`` files
   and the files ``[wasm].assets`` / ``[wasm].scripts`` match; never the output folder, its
   staging folders or ``__pycache__`` (nor what :class:`watchfiles.DefaultFilter` ignores).
   ``watchfiles`` groups a burst of events (an editor writing several files) into one batch,
   and the next batch is only read once the rebuild finished, so one burst is one rebuild and
   rebuilds never overlap; events arriving during a rebuild make up the next batch.
3. Rebuild into a staging folder next to the output and swap it in (two renames), so a page
   loading meanwhile sees a complete build, old or new, never a half-written one. Then
   announce the new build id. When only ``.py`` files changed it is an ``update``: every open
   page fetches the new app files, writes them into Pyodide and the runtime hot-reloads the app
   into its session (the state carried over, as in Mode B), without reloading the page;
   ``.css`` files among the ``[wasm].assets`` are announced as ``stylesheets``: every open page
   loads the ``<link rel="stylesheet">`` elements naming them again, in place (a batch of
   nothing but such stylesheets skips the rebuild: they are copied into the served build);
   otherwise (``tempestweb.toml``, another asset or a script) every open page reloads itself.
4. A failed rebuild prints one line (the :class:`~tempestweb_wasm.errors.WasmError`'s message)
   and leaves the last good build served; the next good save rebuilds and reloads. When the
   failure is in the app's own saved code (its import or its first render) and only Python
   changed, the served build takes the saved app files under a new id, announced as an
   ``update`` (:meth:`DevBuilder.patch_app`): open pages show the error in their overlay and
   keep the previous version, as in Mode B, and a page opened meanwhile shows it too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from tempestweb_contract.dev import changed_stylesheets
from tempestweb_contract.names import BUILD_MANIFEST_FILE, DEV_BUILD_META
from tempestweb_contract.project import (
    ProjectError,
    asset_glob_regex,
    load_project,
    parse_target,
    resolve_assets,
)
from tempestweb_wasm._serve import KEEPALIVE_SECONDS, ReloadEvents, StaticServer
from tempestweb_wasm.builder import PRERENDER_FAILED, BuildResult, build, check_out
from tempestweb_wasm.constants import APP_DIR_NAME
from tempestweb_wasm.errors import AppLoadError, ConfigError, WasmError

__all__ = ["ChangeFilter", "DevBuilder", "one_line", "run_dev"]

_SOURCE_SUFFIXES = frozenset({".py", ".toml"})


class ChangeFilter(watchfiles.DefaultFilter):
    """Which file events trigger a rebuild (a :func:`watchfiles.watch` ``watch_filter``).

    Args:
        app_dir: The watched app folder.
        excluded: Folders whose events never count (the output folder and its staging folders).

    """

    def __init__(self, app_dir: Path, excluded: tuple[Path, ...]) -> None:
        super().__init__()
        self.app_dir = app_dir.resolve()
        self.excluded = tuple(path.resolve() for path in excluded)
        self._assets: tuple[re.Pattern[str], ...] = ()
        self._scripts: frozenset[str] = frozenset()

    def update(self, assets: tuple[str, ...], scripts: tuple[str, ...]) -> None:
        """Track the ``[wasm].assets`` globs and ``[wasm].scripts`` of the last good config.

        Args:
            assets: Glob patterns relative to the app folder.
            scripts: Script paths relative to the app folder.

        """
        self._assets = tuple(asset_glob_regex(pattern) for pattern in assets)
        self._scripts = frozenset(Path(script).as_posix() for script in scripts)

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        """Return whether a change to ``path`` (absolute) needs a rebuild."""
        if not super().__call__(change, path):
            return False
        file = Path(path)
        if any(file == folder or file.is_relative_to(folder) for folder in self.excluded):
            return False
        if file.suffix in _SOURCE_SUFFIXES:
            return True
        if not file.is_relative_to(self.app_dir):
            return False
        rel = file.relative_to(self.app_dir).as_posix()
        return rel in self._scripts or any(regex.fullmatch(rel) for regex in self._assets)


class DevBuilder:
    """Builds ``target`` in dev mode into ``out``, swapping each new build in whole.

    Args:
        target: App file or folder (``PATH[:ATTR]``).
        out: The output folder the server serves.
        cache: Download cache root (``None``: the default).
        csp: Add the CSP ``<meta>`` (see :func:`tempestweb_wasm.build`).

    Raises:
        AppLoadError: ``target`` names no app file.

    """

    def __init__(self, target: str | Path, out: Path, *, cache: Path | None, csp: bool) -> None:
        self.target = target
        try:
            parsed = parse_target(target)
        except ProjectError as exc:
            raise AppLoadError(exc.message) from None
        self.app_dir = parsed.app_dir
        self.app_file = parsed.file
        self.out = out.resolve()
        self.staging = self.out.with_name(f".{self.out.name}.tw-staging")
        self.retired = self.out.with_name(f".{self.out.name}.tw-old")
        self.cache = cache
        self.csp = csp

    def rebuild(self) -> BuildResult:
        """Build into the staging folder, then swap it in as the output folder.

        Returns:
            The build, with ``out`` and ``index`` pointing at the output folder.

        Raises:
            WasmError: The build failed (any subclass, see :func:`tempestweb_wasm.build`), or
                the output folder exists and is not a previous build. The output is untouched.
            OSError: The folders cannot be renamed or removed.

        """
        self._check_out()
        for leftover in (self.staging, self.retired):
            if leftover.exists():
                shutil.rmtree(leftover)
        result = build(self.target, out=self.staging, cache=self.cache, csp=self.csp, dev=True)
        if self.out.exists():
            self.out.rename(self.retired)
        self.staging.rename(self.out)
        shutil.rmtree(self.retired, ignore_errors=True)
        return dataclasses.replace(result, out=self.out, index=self.out / "index.html")

    def patch_app(self, build_id: str) -> str | None:
        """Put the app's saved sources into the served build, after a rebuild failed in them.

        A save that breaks the app (a syntax error, a failing import, a view raising on its first
        render) fails the rebuild, which imports and prerenders the app. The pages must still
        be told, as Mode B tells them: the served build takes the saved app files (the rest of
        it, the prerendered ``index.html`` included, stays the last good build's) under a new
        build id, which :func:`run_dev` announces as an ``update``. An open page applies it in
        place, its runtime fails to load the app and the page shows that error in its overlay,
        keeping the previous version; a page opened now fails to boot with the error in its
        overlay. The next good save rebuilds the whole folder.

        Args:
            build_id: Id of the build served now.

        Returns:
            The new build id, or ``None`` when the served build cannot be patched (no previous
            build, or its ``index.html`` or manifest is not the one expected); files are then
            left as they were.

        Raises:
            OSError: A file cannot be read or written.

        """
        index = self.out / "index.html"
        manifest = self.out / BUILD_MANIFEST_FILE
        if not index.is_file() or not manifest.is_file() or not self.app_file.is_file():
            return None
        old_meta = f'<meta name="{DEV_BUILD_META}" content="{html.escape(build_id)}">'
        text = index.read_text("utf-8")
        try:
            files = json.loads(manifest.read_text("utf-8"))["app"]["files"]
        except (ValueError, KeyError, TypeError):
            return None
        if old_meta not in text or not isinstance(files, list):
            return None
        new_id = secrets.token_hex(8)
        for rel in files:
            source = self.app_dir / str(rel)
            if source.is_file():  # the app file and the vendored modules next to it
                _replace_file(self.out / APP_DIR_NAME / str(rel), source.read_bytes())
        new_meta = f'<meta name="{DEV_BUILD_META}" content="{html.escape(new_id)}">'
        _replace_file(index, text.replace(old_meta, new_meta, 1).encode("utf-8"))
        return new_id

    def _check_out(self) -> None:
        check_out(self.out)


def run_dev(
    target: str | Path,
    *,
    host: str,
    port: int,
    out: Path | None = None,
    cache: Path | None = None,
    csp: bool = False,
    stop: threading.Event | None = None,
    log: Callable[[str], None] = print,
    on_ready: Callable[[str], None] | None = None,
    keepalive: float = KEEPALIVE_SECONDS,
) -> None:
    """Build, serve and rebuild on change until Ctrl+C (or ``stop`` is set).

    Args:
        target: App file or folder (``PATH[:ATTR]``).
        host: Interface to bind, e.g. ``"127.0.0.1"``.
        port: TCP port (0 picks a free one).
        out: Output folder (default: a temporary folder removed on exit).
        cache: Download cache root.
        csp: Add the CSP ``<meta>`` to ``index.html``.
        stop: Set it (from another thread) to stop watching and serving.
        log: Receives one line per event (built, serving, rebuilt, rebuild failed, stopped).
        on_ready: Receives the base URL once serving, e.g. ``"http://127.0.0.1:8000/"``.
        keepalive: Seconds between keep-alive comments on idle event streams.

    Raises:
        WasmError: The first build failed (there is nothing to serve yet).
        OSError: The address cannot be bound, or a build folder cannot be written.

    """
    with tempfile.TemporaryDirectory(prefix="tempestweb-wasm-dev-") as tmp:
        builder = DevBuilder(target, out or Path(tmp) / "site", cache=cache, csp=csp)
        first = builder.rebuild()
        log(f"tempestweb: built {len(first.files)} files into {first.out} in {first.seconds:.1f} s")
        if first.dev_build is None:  # pragma: no cover - build(dev=True) always names its build
            raise WasmError("the dev build has no build id")
        events = ReloadEvents(first.dev_build, keepalive=keepalive)
        watch_filter = ChangeFilter(builder.app_dir, (builder.out, builder.staging, builder.retired))
        watch_filter.update(*_asset_globs(builder.app_dir))
        assets = _served_assets(builder.app_dir)
        server = StaticServer(builder.out, host=host, port=port, events=events).start()
        try:
            log(f"tempestweb: serving on {server.url} (dev: watching {builder.app_dir} for changes)")
            if on_ready is not None:
                on_ready(server.url)
            for changes in watchfiles.watch(builder.app_dir, watch_filter=watch_filter, stop_event=stop):
                names = ", ".join(sorted({Path(path).name for _, path in changes}))
                saved = [path for change, path in changes if change != watchfiles.Change.deleted]
                sheets = changed_stylesheets(saved, assets)
                sheet_files = {assets[url].resolve() for url in sheets}
                rest = [path for _, path in changes if Path(path).resolve() not in sheet_files]
                if sheets and not rest and _copy_assets(sheets, assets, builder.out):
                    # Nothing but stylesheets: no rebuild, the pages load them again in place.
                    events.publish_stylesheets(events.build_id, sheets)
                    log(
                        f"tempestweb: copied {', '.join(sheets)} into the build; "
                        f"reloading stylesheets in place in {events.streams} page(s)"
                    )
                    continue
                try:
                    result = builder.rebuild()
                except WasmError as exc:
                    patched = None
                    if _in_app_code(exc) and all(Path(path).suffix == ".py" for path in rest):
                        patched = builder.patch_app(events.build_id)
                    if patched is None:
                        log(f"tempestweb: rebuild failed, still serving the last good build: {one_line(exc)}")
                        continue
                    events.publish(patched, hot=True)
                    log(
                        f"tempestweb: rebuild failed, {events.streams} open page(s) show the error and "
                        f"keep the last good version: {one_line(exc)}"
                    )
                    continue
                with contextlib.suppress(WasmError):  # edited again since: the next batch updates it
                    watch_filter.update(*_asset_globs(builder.app_dir))
                    assets = _served_assets(builder.app_dir)
                build_id = result.dev_build or events.build_id
                # Only Python and stylesheets changed: open pages hot-reload the app in place,
                # keeping its state, and load the stylesheets again; anything else reloads them.
                in_place = all(Path(path).suffix == ".py" for path in rest)
                if not in_place:
                    events.publish(build_id)
                if in_place and rest:
                    events.publish(build_id, hot=True)
                if in_place and sheets:
                    events.publish_stylesheets(build_id, sheets)
                verb = "updating the app in place in" if in_place else "reloading"
                log(
                    f"tempestweb: rebuilt after changes to {names} in {result.seconds:.1f} s; "
                    f"{verb} {events.streams} page(s)"
                )
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
            log("tempestweb: dev server stopped")


def _in_app_code(error: WasmError, /) -> bool:
    """Whether a failed build failed in the app's own code: its import or its first render."""
    return isinstance(error, AppLoadError) or error.message.startswith(PRERENDER_FAILED)


def _replace_file(path: Path, data: bytes, /) -> None:
    """Write ``path`` whole: a page loading meanwhile reads the old file or the new one."""
    staging = path.with_name(f".{path.name}.tw-staging")
    staging.write_bytes(data)
    os.replace(staging, path)


def one_line(error: WasmError, /) -> str:
    """Return a build error's message on one line.

    Args:
        error: The failed build's error.

    Returns:
        E.g. ``"/p/app.py:3: importing the app failed: SyntaxError: invalid syntax"``.

    """
    return " ".join(line.strip() for line in error.message.splitlines() if line.strip())


def _served_assets(app_dir: Path) -> dict[str, Path]:
    """Return the ``[wasm].assets`` of the app's project by path relative to the site root.

    Raises:
        ConfigError: ``tempestweb.toml`` is invalid or an asset glob matches no file.

    """
    try:
        return resolve_assets(app_dir, load_project(app_dir).wasm.assets, where="[wasm] assets")
    except ProjectError as exc:
        raise ConfigError(exc.message) from None


def _copy_assets(paths: list[str], assets: dict[str, Path], out: Path) -> bool:
    """Copy saved assets over their copies in the served build, each replaced at once.

    Args:
        paths: Paths relative to the site root, keys of ``assets``.
        assets: The assets by path relative to the site root (the app's files).
        out: The served build folder.

    Returns:
        Whether every file was copied (``False``: rebuild instead, e.g. a file deleted since).

    """
    for path in paths:
        target = out / path
        staging = target.with_name(f".{target.name}.tw-staging")
        try:
            shutil.copyfile(assets[path], staging)
            os.replace(staging, target)  # a page loading it meanwhile gets the old or the new file
        except OSError:
            with contextlib.suppress(OSError):
                staging.unlink()
            return False
    return True


def _asset_globs(app_dir: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    try:
        wasm = load_project(app_dir).wasm
    except ProjectError as exc:
        raise ConfigError(exc.message) from None
    return wasm.assets, wasm.scripts
