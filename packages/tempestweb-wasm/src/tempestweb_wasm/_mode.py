"""The ``wasm`` mode object discovered by ``tempestweb`` through the ``tempestweb.modes`` entry point."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from tempestweb_wasm._preflight import Diagnosis, diagnose
from tempestweb_wasm._signals import terminate_as_interrupt
from tempestweb_wasm.builder import build
from tempestweb_wasm.errors import ConfigError

__all__ = ["MODE", "WasmMode"]

_OPTIONS = {"out", "cache", "csp", "debug"}
# Flags the CLI passes for every mode. The builder reads tempestweb.toml itself (the project
# schema) and a static folder has no origin policy, so this one is accepted and needs no action.
_CLI_KEYS = {"allowed_origins"}


def _path_option(options: Mapping[str, object], key: str) -> Path | None:
    unknown = set(options) - _OPTIONS - _CLI_KEYS
    if unknown:
        raise ConfigError(f"wasm mode: unknown option(s) {sorted(unknown)}; known: {sorted(_OPTIONS)}")
    value = options.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, Path)):
        raise ConfigError(f"wasm mode: option {key!r} must be a path, got {type(value).__name__}")
    return Path(value)


def _flag_option(options: Mapping[str, object], key: str) -> bool:
    value = options.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"wasm mode: option {key!r} must be true or false, got {value!r}")
    return value


def _csp_option(options: Mapping[str, object]) -> bool:
    return _flag_option(options, "csp")


class WasmMode:
    """Mode A: build a static, offline-capable folder and serve it (no Python server at runtime)."""

    name = "wasm"
    listens = True  # the CLI checks --host/--port is free first (issue 12, "Busy port")
    description = "Mode A: the app runs in the browser under Pyodide; static files, offline-capable PWA"

    def check(self) -> list[Diagnosis]:
        """Report what Mode A needs on this machine (``tempestweb doctor``).

        Returns:
            One :class:`~tempestweb_wasm._preflight.Diagnosis` each for the Pyodide cache,
            Node.js and npm (required only while Pyodide is not cached).

        """
        return diagnose()

    def build(self, target: str | Path, *, out: Path, options: Mapping[str, object] | None = None) -> Path:
        """Build ``target`` into ``out`` (``tempestweb build PATH --out DIR``).

        Args:
            target: App file or folder (``PATH[:ATTR]``).
            out: Output folder.
            options: ``cache`` (download cache folder) and ``csp`` (bool: CSP ``<meta>``).

        Returns:
            The output folder.

        Raises:
            WasmError: Any build failure (see :func:`tempestweb_wasm.build`).

        """
        opts = options or {}
        result = build(target, out=out, cache=_path_option(opts, "cache"), csp=_csp_option(opts))
        return result.out

    def run(
        self, target: str | Path, *, host: str, port: int, options: Mapping[str, object] | None = None
    ) -> None:
        """Build ``target`` (into ``options["out"]`` or a temporary folder) and serve it until stopped.

        Ctrl+C (SIGINT) and SIGTERM both stop it and remove the temporary folder.

        Args:
            target: App file or folder.
            host: Interface to bind, e.g. ``"127.0.0.1"``.
            port: TCP port (0 picks a free one).
            options: ``out`` (build folder, default a temporary one), ``cache``, ``csp`` and
                ``debug`` (bool: the page shows tracebacks of app code, as a dev build does).

        Raises:
            WasmError: Any build failure.
            OSError: The address cannot be bound.

        """
        from tempestweb_wasm._serve import serve

        opts = options or {}
        out = _path_option(opts, "out")
        cache = _path_option(opts, "cache")
        with terminate_as_interrupt(), tempfile.TemporaryDirectory(prefix="tempestweb-wasm-") as tmp:
            result = build(
                target,
                out=out or Path(tmp) / "site",
                cache=cache,
                csp=_csp_option(opts),
                debug=_flag_option(opts, "debug"),  # tracebacks of app code in the page
            )
            print(f"tempestweb: built {len(result.files)} files into {result.out} in {result.seconds:.1f} s")
            serve(
                result.out, host=host, port=port, on_ready=lambda url: print(f"tempestweb: serving on {url}")
            )

    def dev(
        self, target: str | Path, *, host: str, port: int, options: Mapping[str, object] | None = None
    ) -> None:
        """Serve a dev build; rebuild on change and reload every open page, until Ctrl+C or SIGTERM.

        Watches the app folder: a change to a ``.py`` or ``.toml`` file or to a file matched by
        ``[wasm].assets`` / ``[wasm].scripts`` rebuilds into the same output folder. When only
        ``.py`` files changed, every open page applies the new app in place, keeping its state
        (``bootstrap.js`` writes the new files into Pyodide and the runtime hot-reloads them);
        otherwise every open page reloads itself (Server-Sent Events from the dev server,
        ``client/dev.js`` in the page; production builds carry neither). A failed rebuild
        prints its error on one line and keeps serving the last good build. See
        :mod:`tempestweb_wasm._dev`.

        Args:
            target: App file or folder.
            host: Interface to bind.
            port: TCP port.
            options: As for :meth:`run`.

        Raises:
            ConfigError: An unknown or mistyped option.
            WasmError: The first build failed.
            OSError: The address cannot be bound.

        """
        from tempestweb_wasm._dev import run_dev

        opts = options or {}
        with terminate_as_interrupt():
            run_dev(
                target,
                host=host,
                port=port,
                out=_path_option(opts, "out"),
                cache=_path_option(opts, "cache"),
                csp=_csp_option(opts),
            )


MODE = WasmMode()
"""The mode object registered under ``tempestweb.modes`` as ``wasm``."""
