"""The typed model of ``tempestweb.toml`` and its parser (TOML 1.0, https://toml.io/en/v1.0.0)."""

from __future__ import annotations

import difflib
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

import msgspec

from tempestweb_contract._project_checks import describe, kind_of, typed_value, value_problem
from tempestweb_contract._project_errors import ProjectConfigError

__all__ = [
    "DEFAULT_APP_FILE",
    "PROJECT_FILE",
    "WASM_MARKER_ENVIRONMENT",
    "WASM_PYTHON_VERSION",
    "AppSection",
    "DesktopSection",
    "ProjectConfig",
    "ServerSection",
    "WasmSection",
    "load_project",
    "parse_project",
]

PROJECT_FILE: Final = "tempestweb.toml"
"""Name of the project file, looked up in the app folder."""

UTF8_BOM: Final = "\ufeff"
"""A byte order mark some editors write at the start of a UTF-8 file; ``tempestweb.toml`` may have one."""

DEFAULT_APP_FILE: Final = "app.py"
"""App module of a folder target when ``[app] module`` is not set."""

WASM_PYTHON_VERSION: Final = "3.14"
"""``major.minor`` of the interpreter Mode A runs the app under (Pyodide 314 is CPython 3.14)."""

WASM_MARKER_ENVIRONMENT: Final[Mapping[str, str]] = MappingProxyType(
    {
        "implementation_name": "cpython",
        "implementation_version": f"{WASM_PYTHON_VERSION}.0",
        "os_name": "posix",
        "platform_machine": "wasm32",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Emscripten",
        "platform_version": "",
        "python_full_version": f"{WASM_PYTHON_VERSION}.0",
        "python_version": WASM_PYTHON_VERSION,
        "sys_platform": "emscripten",
    }
)
"""PEP 508 environment markers of Mode A's interpreter (Pyodide: CPython on Emscripten, wasm32).

A requirement whose marker is false here (``tomli; python_version < "3.11"``,
``colorama; sys_platform == "win32"``) is not needed in the browser. Values follow
https://packaging.python.org/en/latest/specifications/dependency-specifiers/#environment-markers
as Pyodide reports them (``sys.platform == "emscripten"``, ``platform.system() == "Emscripten"``).
"""


def _check(section: str, struct: msgspec.Struct) -> None:
    for field in msgspec.structs.fields(struct):
        value = getattr(struct, field.name)
        problem = None if value is None else value_problem(section, field.name, value)
        if problem is not None:
            raise ProjectConfigError(f"[{section}] {problem}", key=f"{section}.{field.name}")


class AppSection(msgspec.Struct, kw_only=True, frozen=True):
    """``[app]``: what the project is and how it starts.

    Attributes:
        name: Project name (informational).
        module: The app module of a folder target: a ``.py`` path relative to the folder
            (``"src/main.py"``) or a dotted module name (``"pkg.main"`` -> ``pkg/main.py``);
            ``None`` means ``app.py``.
        title: Page title in every mode; ``None`` uses the ``App``'s own title.
        mode: Mode the CLI runs without ``--mode`` (``"server"``, ``"wasm"``...); ``None``
            means ``server``.

    """

    name: str | None = None
    module: str | None = None
    title: str | None = None
    mode: str | None = None

    def __post_init__(self) -> None:
        """Check every value.

        Raises:
            ProjectConfigError: An empty ``mode`` or a ``module`` that is neither a relative
                ``.py`` path nor a dotted module name.

        """
        _check("app", self)


class ServerSection(msgspec.Struct, kw_only=True, frozen=True):
    """``[server]``: Mode B options; ``None`` leaves the server's default.

    Attributes:
        host: Interface to bind, e.g. ``"0.0.0.0"``.
        port: TCP port, 0..65535.
        allowed_origins: Extra accepted ``Origin`` values (``scheme://host[:port]``).
        allowed_hosts: Names a browser may use to reach a server on a loopback
            address besides IP addresses and ``localhost`` (``app.example.com``,
            ``.example.com``, or ``"*"``): the DNS rebinding guard.
        recovery_window_s: How long a disconnected session is kept for a resume, in seconds (> 0).
        assets: Globs of Mode B-only static files, relative to the app folder, served at their
            relative paths; ``[wasm].assets`` are served as well (see
            :attr:`ProjectConfig.server_assets`).
        max_sessions: Most live sessions of one process (>= 1).
        max_loop_lag_s: Admission control: smoothed event-loop lag past which a process
            refuses new sessions (``server_busy``), in seconds (> 0).
        asgi_server: The ASGI server: ``"hypercorn"`` (default), ``"uvicorn"`` or ``"granian"``
            (each but Hypercorn needs the ``tempestweb-server`` extra of its name).
        event_loop: The event loop: ``"auto"`` (default: uvloop where installed), ``"uvloop"``
            or ``"asyncio"``.
        ws_compression: WebSocket permessage-deflate: ``"no_context_takeover"`` (default),
            ``"context_takeover"`` or ``"off"`` (Granian needs ``"off"``).
        max_queue_bytes: Most bytes queued for one connection before it is closed with
            ``queue_overflow`` (>= 1), in bytes.
        max_total_replay_bytes: Most bytes of unacknowledged patch batches all sessions of one
            process keep for a resume (>= 1); past it the sessions keeping the most resume
            with a full resync instead of a replay.
        max_total_queue_bytes: Most bytes of outgoing frames queued by all connections of one
            process together (>= 1); past it the connection whose frame does not fit ends with
            ``queue_overflow``.
        max_frame_bytes: Largest inbound frame (a WebSocket message, an SSE ``POST`` body), in
            bytes (``MIN_FRAME_BYTES``..``MAX_FRAME_BYTES``, 64 KiB to 16 MiB); a larger one ends
            its connection (close 1009, HTTP 413).
        max_inbox_bytes: Most bytes of received frames one session holds before its handlers
            take them (>= 1); past it the connection ends with ``queue_overflow`` and the
            client resumes.
        ping_interval_s: Interval between keep-alive pings, in seconds (> 0).
        handshake_timeout_s: Seconds a new connection may wait for its ``hello`` before it is
            closed with ``handshake_timeout`` (> 0).
        send_timeout_s: Seconds a write may wait for the client to take data before the
            connection is aborted (> 0; Hypercorn and Uvicorn).
        max_handshakes: Most connections of one process waiting for their ``hello`` at once
            (>= 1); past it new ones get ``server_busy``.
        body_timeout_s: Seconds every POST body (SSE frames, uploads) has, plus a second per
            ``body_min_rate`` bytes that arrived; past it the POST gets ``408`` (> 0).
        body_min_rate: Bytes per second of a POST body that extend its time by a second (>= 1).
        max_upload_bytes: Most bytes of uploaded files waiting for their handler in one process,
            memory and disk (>= 1); past it uploads get ``too_many_uploads``.
        workers: Worker processes serving the app on one port (>= 1; more than one needs
            ``redis``).
        redis: Redis URL the workers share sessions through (``redis://``, ``rediss://`` or
            ``unix://``); a URL with a password belongs in the ``--redis`` flag or the
            environment, not in a committed file.
        worker_timeout_s: Seconds a worker may send its supervisor no heartbeat before it is
            killed and restarted (> 0; several workers only).

    """

    host: str | None = None
    port: int | None = None
    allowed_origins: tuple[str, ...] | None = None
    allowed_hosts: tuple[str, ...] | None = None
    recovery_window_s: float | None = None
    assets: tuple[str, ...] | None = None
    max_sessions: int | None = None
    max_loop_lag_s: float | None = None
    asgi_server: str | None = None
    event_loop: str | None = None
    ws_compression: str | None = None
    max_queue_bytes: int | None = None
    max_total_replay_bytes: int | None = None
    max_total_queue_bytes: int | None = None
    max_frame_bytes: int | None = None
    max_inbox_bytes: int | None = None
    ping_interval_s: float | None = None
    handshake_timeout_s: float | None = None
    send_timeout_s: float | None = None
    max_handshakes: int | None = None
    body_timeout_s: float | None = None
    body_min_rate: int | None = None
    max_upload_bytes: int | None = None
    workers: int | None = None
    redis: str | None = None
    worker_timeout_s: float | None = None

    def __post_init__(self) -> None:
        """Check every value.

        Raises:
            ProjectConfigError: A value out of range or an asset glob that is empty, absolute,
                a URL or leaves the app folder.

        """
        _check("server", self)


class WasmSection(msgspec.Struct, kw_only=True, frozen=True):
    """``[wasm]``: what a Mode A build bundles; ``assets`` and ``scripts`` apply in Mode B too.

    Attributes:
        packages: pip requirement strings (``"attrs==24.2.0"``) downloaded for the pyemscripten
            platform and installed before the app is imported.
        modules: Importable module names copied into the build: vendored next to the app
            first, else taken from the installed environment.
        assets: Globs relative to the app folder (``**`` recurses): copied into a build with
            their relative paths and precached; served at those paths in Mode B.
        scripts: Relative paths of local JS files every page loads with ``<script src>``
            before the client (a capability's JS library), in both modes.

    """

    packages: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check every value.

        Raises:
            ProjectConfigError: An empty requirement, a module name that is not a dotted
                identifier, or an asset glob or script that is empty, absolute, a URL or
                leaves the app folder (a build must be self-contained to work offline).

        """
        _check("wasm", self)


class DesktopSection(msgspec.Struct, kw_only=True, frozen=True):
    """``[desktop]``: desktop mode options (``tempestweb-desktop``); ``None`` leaves its default.

    Attributes:
        title: Title of the first window; ``None`` uses ``[app] title``, then the ``App``'s.
        width: Inner width of a new window in logical pixels, 1..16384.
        height: Inner height of a new window in logical pixels, 1..16384.
        resizable: Whether windows can be resized.
        plugins: Tauri plugins to load, e.g. ``["dialog", "clipboard-manager"]`` (the desktop
            package checks the names it knows).
        permissions: Permissions granted to the windows beyond the core ones, each
            ``"<plugin>:<permission>"`` (``"dialog:default"``, ``"clipboard-manager:allow-write-text"``);
            every other plugin command is denied.
        identifier: Reverse-DNS application identifier (``"org.example.todos"``).
        devtools: Allow the web inspector.
        close_with_main: Closing the main window closes the others.

    """

    title: str | None = None
    width: int | None = None
    height: int | None = None
    resizable: bool | None = None
    plugins: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()
    identifier: str | None = None
    devtools: bool | None = None
    close_with_main: bool | None = None

    def __post_init__(self) -> None:
        """Check every value.

        Raises:
            ProjectConfigError: A size out of range, an empty plugin name or identifier, or a
                permission that is not ``"<plugin>:<permission>"``.

        """
        _check("desktop", self)


class ProjectConfig(msgspec.Struct, kw_only=True, frozen=True):
    """A parsed ``tempestweb.toml``: the one file a user writes, read by every mode and the CLI.

    Attributes:
        app: The ``[app]`` section.
        server: The ``[server]`` section.
        wasm: The ``[wasm]`` section.
        desktop: The ``[desktop]`` section.
        directory: The app folder (where the file is, or would be); ``None`` for a config
            parsed from text without one.
        file: The file that was read; ``None`` when there is none (all defaults).

    """

    app: AppSection = msgspec.field(default_factory=AppSection)
    server: ServerSection = msgspec.field(default_factory=ServerSection)
    wasm: WasmSection = msgspec.field(default_factory=WasmSection)
    desktop: DesktopSection = msgspec.field(default_factory=DesktopSection)
    directory: Path | None = None
    file: Path | None = None

    @property
    def server_assets(self) -> tuple[str, ...]:
        """Every asset glob Mode B serves: ``[wasm].assets``, then ``[server].assets`` not already listed."""
        return tuple(dict.fromkeys((*self.wasm.assets, *(self.server.assets or ()))))

    def app_file(self, directory: Path | None = None, /) -> Path:
        """Resolve ``[app] module`` to the app file of a folder target.

        Args:
            directory: The app folder; ``None`` uses :attr:`directory`.

        Returns:
            ``directory / module`` for a ``.py`` path, ``directory / "a/b.py"`` for ``a.b``, or
            ``directory / "app.py"``.

        Raises:
            ValueError: Neither ``directory`` nor :attr:`directory` is set.

        """
        folder = directory if directory is not None else self.directory
        if folder is None:
            raise ValueError("ProjectConfig.app_file: no directory to resolve the app module in")
        module = self.app.module or DEFAULT_APP_FILE
        if module.endswith(".py") or "/" in module:
            return folder / module
        return folder / (module.replace(".", "/") + ".py")


_SECTIONS: Final[dict[str, type[msgspec.Struct]]] = {
    "app": AppSection,
    "server": ServerSection,
    "wasm": WasmSection,
    "desktop": DesktopSection,
}


def load_project(directory: str | Path, /) -> ProjectConfig:
    r"""Read ``<directory>/tempestweb.toml``.

    Args:
        directory: The app folder.

    Returns:
        The typed config with :attr:`~ProjectConfig.directory` set; all defaults (and
        :attr:`~ProjectConfig.file` ``None``) when the file does not exist.

    Raises:
        ProjectConfigError: The file is a folder, cannot be read, is not UTF-8 or valid TOML, or
            violates the schema; the message starts with the file's path.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "tempestweb.toml").write_text("[server]\nport = 8080\n")
        >>> load_project(folder).server.port
        8080

    """
    folder = Path(directory)
    path = folder / PROJECT_FILE
    if not path.is_file():
        if path.is_dir():  # read as "no file" it would drop every setting unseen
            raise ProjectConfigError(f"{path}: is a folder, not a file", file=str(path))
        return ProjectConfig(directory=folder)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:  # TOML 1.0: a TOML file is UTF-8
        message = f"{path}: cannot be read: not UTF-8 text (byte {exc.start}); save it as UTF-8"
        raise ProjectConfigError(message, file=str(path)) from None
    except OSError as exc:
        raise ProjectConfigError(f"{path}: cannot be read: {exc.strerror or exc}", file=str(path)) from None
    config = parse_project(text, source=str(path), directory=folder)
    return msgspec.structs.replace(config, file=path)


def parse_project(
    text: str, /, *, source: str = PROJECT_FILE, directory: Path | None = None
) -> ProjectConfig:
    """Parse and validate the text of a ``tempestweb.toml``.

    Args:
        text: The TOML document; a leading UTF-8 byte order mark is ignored.
        source: The file name used in error messages.
        directory: The app folder recorded in the result.

    Returns:
        The typed config.

    Raises:
        ProjectConfigError: Invalid TOML, an unknown section or key (with a suggestion when one
            is close), a key outside any section (naming the section it belongs in), a value
            of the wrong type or range; the message names the file and the key, e.g.
            ``tempestweb.toml: [server] max_sesions: unknown key (did you mean 'max_sessions'?)``.

    """
    try:
        # A UTF-8 byte order mark (Windows Notepad writes one) is not part of the document.
        data = tomllib.loads(text.removeprefix(UTF8_BOM))
    except tomllib.TOMLDecodeError as exc:
        raise ProjectConfigError(f"{source}: invalid TOML: {exc}", file=source) from None
    sections: dict[str, msgspec.Struct] = {}
    for name, table in data.items():
        cls = _SECTIONS.get(name)
        if cls is None and not isinstance(table, Mapping):
            message = f"{source}: {name} = {_shown(table)} is not in a section{_section_hint(name)}"
            raise ProjectConfigError(message, file=source, key=name)
        if cls is None:
            raise ProjectConfigError(
                f"{source}: [{name}]: unknown section {_suggest(name, _SECTIONS)}", file=source, key=name
            )
        if not isinstance(table, Mapping):
            raise ProjectConfigError(
                f"{source}: [{name}]: expected a table, got {describe(table)}", file=source, key=name
            )
        sections[name] = _section(cls, name, table, source)
    return ProjectConfig(**sections, directory=directory)  # type: ignore[arg-type]


def _section(
    cls: type[msgspec.Struct], name: str, table: Mapping[str, object], source: str
) -> msgspec.Struct:
    info = msgspec.inspect.type_info(cls)
    assert isinstance(info, msgspec.inspect.StructType)
    kinds = {field.name: kind_of(field.type) for field in info.fields}
    values: dict[str, object] = {}
    for key, raw in table.items():
        where = f"{source}: [{name}] {key}"
        kind = kinds.get(key)
        if kind is None:
            message = f"{where}: unknown key {_suggest(key, kinds)}"
            raise ProjectConfigError(message, file=source, key=f"{name}.{key}")
        value, problem = typed_value(kind, raw)
        if problem is None:
            problem = value_problem(name, key, value)
            problem = None if problem is None else problem.removeprefix(f"{key}")
        if problem is not None:
            raise ProjectConfigError(f"{where}{problem}", file=source, key=f"{name}.{key}")
        values[key] = value
    return cls(**values)


def _suggest(word: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if close:
        return f"(did you mean {close[0]!r}?)"
    return f"(expected one of: {', '.join(sorted(known))})"


def _section_hint(key: str, /) -> str:
    """Say where a key written above every ``[section]`` header belongs (TOML puts it in none)."""
    homes = [f"[{section}]" for section, cls in _SECTIONS.items() if key in cls.__struct_fields__]
    if homes:
        return f": keys like {key} belong under {' or '.join(homes)}"
    every = {(known, section) for section, cls in _SECTIONS.items() for known in cls.__struct_fields__}
    close = difflib.get_close_matches(key, sorted({known for known, _ in every}), n=1, cutoff=0.6)
    if close:
        section = min(section for known, section in every if known == close[0])
        return f" (did you mean {close[0]} under [{section}]?)"
    return f" (expected sections: {', '.join(sorted(_SECTIONS))})"


def _shown(value: object, /) -> str:
    """Write a top-level value as TOML does (``8000``, ``"Hi"``, ``true``); ``[...]`` for an array."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (int, float)):
        return str(value)
    return "[...]" if isinstance(value, list) else "..."
