"""The ``tempestweb`` command line: ``new``, ``run``, ``dev``, ``doctor``."""

from __future__ import annotations

import difflib
import errno
import math
import platform
import re
import shutil
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Final

import click

from tempestweb_cli._doctor import check_distributions, fix_lines, installed_distributions
from tempestweb_cli._port import check_port, port_error
from tempestweb_cli.constants import DEFAULT_HOST, DEFAULT_MODE, DEFAULT_PORT, HELP_WIDTH, TEMPLATES
from tempestweb_cli.errors import CliError, ConfigError, UnknownModeError
from tempestweb_cli.modes import Mode, available_modes, load_mode
from tempestweb_cli.scaffold import create_project
from tempestweb_cli.sync import sync_command
from tempestweb_contract.constants import MAX_FRAME_BYTES, MIN_FRAME_BYTES
from tempestweb_contract.project import (
    PROJECT_FILE,
    AppTarget,
    ProjectConfigError,
    ProjectError,
    ServerSection,
    load_project,
    parse_target,
)

__all__ = ["cli"]


def _version() -> str:
    try:
        return version("tempestweb-cli")
    except PackageNotFoundError:
        return "0+source"


_COMMAND_GUESSES: Final[dict[str, str]] = {
    "serve": "run",
    "start": "run",
    "init": "new",
    "create": "new",
    "export": "build",
    "check": "doctor",
}
"""Commands a new user may guess from other tools, and the command of this CLI that does that."""


class _Commands(click.Group):
    """The command group; an unknown command also gets a suggestion click's own misses.

    Click 8.2 and later suggest by spelling (``runn`` -> ``run``); this adds a name that differs
    only in case (``RUN``), a command of another tool (``serve`` -> ``run``,
    :data:`_COMMAND_GUESSES`), and the spelling for click 8.1.
    """

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Return the command ``args[0]`` names, as click does.

        Raises:
            click.UsageError: No such command; with ``Did you mean ...?`` when one is close.

        """
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            name = args[0] if args else ""
            hint = _command_hint(name, self.list_commands(ctx))
            if hint is None or "did you mean" in exc.format_message().lower():
                raise
            raise click.UsageError(f"No such command {name!r}. Did you mean {hint!r}?", ctx) from None


def _command_hint(name: str, commands: list[str], /) -> str | None:
    """Return the command ``name`` most likely meant, when click suggests none.

    The same name in other case, a command of another tool (:data:`_COMMAND_GUESSES`), else the
    closest spelling (``difflib``, as click 8.2 and later suggest it themselves; click 8.1 does not).
    """
    lowered = name.lower()
    if lowered in commands:
        return lowered
    guess = _COMMAND_GUESSES.get(lowered)
    if guess in commands:
        return guess
    close = difflib.get_close_matches(lowered, commands, n=1)
    return close[0] if close else None


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": HELP_WIDTH},
)
@click.version_option(_version(), prog_name="tempestweb")
def cli() -> None:
    """Write a typed web UI in Python once; run it on a server or in the browser."""


@cli.command(short_help="Create a project NAME from a template.")
@click.argument("name")
@click.option(
    "--template", type=click.Choice(TEMPLATES), default="counter", show_default=True, help="Project template."
)
@click.option(
    "--dir",
    "parent",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Parent directory (default: the current directory).",
)
def new(name: str, template: str, parent: Path | None) -> None:
    """Create a new project NAME with app.py, tempestweb.toml and README.md.

    NAME is a letter, then letters, digits, _ or - (at most 64); the project folder NAME is
    made in --dir, else the current directory.
    """
    target = create_project(name, template=template, parent=parent)
    click.echo(f"Created {target} from the '{template}' template.")
    click.echo(f"Next: tempestweb dev {target}")


@dataclass(frozen=True)
class _Launch:
    """Everything a mode needs to start: mode name, app target, address and CLI options."""

    mode: str
    target: AppTarget
    host: str
    port: int
    options: dict[str, object]
    mode_origin: str | None = None
    """Where the mode came from when not from ``--mode``: ``"app/tempestweb.toml: [app] mode"``."""


def _load_mode(launch: _Launch) -> Mode:
    """Load the launch's mode; an unknown mode from ``tempestweb.toml`` names the file and key.

    A typo there (``mode = "wsam"``) is then found where it was written; a published mode that
    is not installed keeps its own message, which says what to install.

    Raises:
        CliError: The mode is unknown, not installed or fails to load (see ``load_mode``).

    """
    try:
        return load_mode(launch.mode)
    except UnknownModeError as exc:
        if launch.mode_origin is None:
            raise
        raise UnknownModeError(f"{launch.mode_origin}: {exc.message}") from None


def _resolve(
    path: Path,
    *,
    mode: str | None,
    host: str | None,
    port: int | None,
    allowed_origins: tuple[str, ...],
    debug: bool,
) -> _Launch:
    """Combine the target ``PATH[:ATTR]``, its ``tempestweb.toml`` and the CLI flags (flags win).

    The mode, host and port are chosen here; the mode reads the rest of the project file
    itself (``tempestweb_contract.project``), so ``options`` holds only the flags given.
    """
    try:
        target = parse_target(path)
        project = load_project(target.app_dir)
    except ProjectConfigError as exc:
        raise ConfigError(exc.message) from None
    except ProjectError as exc:
        raise CliError(exc.message) from None
    options: dict[str, object] = _given_limits(click.get_current_context())
    if allowed_origins:
        options["allowed_origins"] = list(allowed_origins)
    if debug:
        options["debug"] = True
    return _Launch(
        mode=mode or project.app.mode or DEFAULT_MODE,
        target=target,
        host=host or project.server.host or DEFAULT_HOST,
        port=next(value for value in (port, project.server.port, DEFAULT_PORT) if value is not None),
        options=options,
        mode_origin=(
            f"{target.app_dir / PROJECT_FILE}: [app] mode" if mode is None and project.app.mode else None
        ),
    )


_SECONDS = click.FloatRange(min=0, min_open=True)
"""A positive number of seconds (``_remember_limit`` also refuses ``nan`` and ``inf``)."""


_LIMIT_FLAGS: tuple[tuple[str, str, click.IntRange | click.FloatRange | click.Choice[str], str], ...] = (
    ("--max-sessions", "max_sessions", click.IntRange(min=1), "Most live sessions of one process"),
    (
        "--max-queue-bytes",
        "max_queue_bytes",
        click.IntRange(min=1),
        "Bytes queued for one connection before it ends with queue_overflow",
    ),
    (
        "--max-total-replay-bytes",
        "max_total_replay_bytes",
        click.IntRange(min=1),
        "Bytes of unacknowledged patches all sessions keep for a resume, per process; "
        "past it the largest resume with a full resync",
    ),
    (
        "--max-total-queue-bytes",
        "max_total_queue_bytes",
        click.IntRange(min=1),
        "Bytes queued by all connections of one process; past it the connection whose frame "
        "does not fit ends with queue_overflow",
    ),
    (
        "--max-frame-bytes",
        "max_frame_bytes",
        click.IntRange(min=MIN_FRAME_BYTES, max=MAX_FRAME_BYTES),
        "Largest inbound frame (a WebSocket message, an SSE POST body); a larger one ends its connection",
    ),
    (
        "--max-inbox-bytes",
        "max_inbox_bytes",
        click.IntRange(min=1),
        "Bytes of received frames one session holds before its handlers take them; "
        "past it the connection ends with queue_overflow",
    ),
    ("--ping-interval", "ping_interval_s", _SECONDS, "Seconds between keep-alive pings"),
    (
        "--handshake-timeout",
        "handshake_timeout_s",
        _SECONDS,
        "Seconds a new connection may wait for its hello before it is closed",
    ),
    (
        "--send-timeout",
        "send_timeout_s",
        _SECONDS,
        "Seconds a write may wait for a client that stopped reading before its connection is aborted",
    ),
    (
        "--worker-timeout",
        "worker_timeout_s",
        _SECONDS,
        "Seconds a worker (--workers) may send no heartbeat before it is killed and restarted",
    ),
    (
        "--max-handshakes",
        "max_handshakes",
        click.IntRange(min=1),
        "Most connections waiting for their hello at once; past it new ones get server_busy",
    ),
    (
        "--body-timeout",
        "body_timeout_s",
        _SECONDS,
        "Seconds a POST body has, plus one per --body-min-rate bytes that arrived; past it: 408",
    ),
    (
        "--body-min-rate",
        "body_min_rate",
        click.IntRange(min=1),
        "Bytes per second of a POST body that extend its time by a second",
    ),
    (
        "--max-upload-bytes",
        "max_upload_bytes",
        click.IntRange(min=1),
        "Bytes of uploaded files waiting for their handler, per process; past it: too_many_uploads",
    ),
    (
        "--recovery-window",
        "recovery_window_s",
        _SECONDS,
        "Seconds a disconnected session is kept for a resume",
    ),
    (
        "--max-loop-lag",
        "max_loop_lag_s",
        _SECONDS,
        "Smoothed event-loop lag (seconds) past which new sessions are refused",
    ),
    (
        "--server",
        "asgi_server",
        click.Choice(["hypercorn", "uvicorn", "granian"]),
        "ASGI server; uvicorn and granian need the tempestweb-server extra of that name",
    ),
    (
        "--loop",
        "event_loop",
        click.Choice(["auto", "uvloop", "asyncio"]),
        "Event loop; auto: uvloop where installed (not under granian)",
    ),
    (
        "--ws-compression",
        "ws_compression",
        click.Choice(["no_context_takeover", "context_takeover", "off"]),
        "WebSocket permessage-deflate (granian needs off)",
    ),
)
"""Mode B settings as flags: flag, ``[server]`` key (the ``ServerConfig`` field), type,
help. A given flag wins over ``tempestweb.toml``, which wins over the server's default; the
server mode applies that order (``ServerConfig.from_project``), the CLI only passes the flags."""


_SETTING_NAMES: Final[dict[str, str]] = {
    **{key: f"{flag} / [server] {key}" for flag, key, _kind, _help in _LIMIT_FLAGS},
    "workers": "--workers / [server] workers",
    "redis": "--redis / [server] redis",
    "host": "--host / [server] host",
    "port": "--port / [server] port",
    "allowed_origins": "--allowed-origin / [server] allowed_origins",
    "allowed_hosts": "--allowed-host / [server] allowed_hosts",
    "assets": "[server] assets / [wasm] assets",
    "scripts": "[wasm] scripts",
}
"""What a user sets, for each ``ServerConfig`` field a mode's error may name: the flag and the
``tempestweb.toml`` key (``ServerConfig.workers`` means nothing to someone who typed ``--workers``)."""


def _user_names(message: str) -> str:
    """Replace ``ServerConfig.<field>`` in a mode's error by the flag and key a user sets."""
    return re.sub(
        r"\bServerConfig\.([a-z_]+)",
        lambda match: _SETTING_NAMES.get(match.group(1), f"[server] {match.group(1)}"),
        message,
    )


def _remember_limit(ctx: click.Context, param: click.Parameter, value: object) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise click.BadParameter(f"expected a finite number of seconds, got {value}")
    if value is not None and param.name is not None:
        ctx.meta.setdefault("tempestweb.server_limits", {})[param.name] = value


def _not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse ``--host ""`` and ``--mode ""``, which would otherwise fall back to the default unseen."""
    if value is not None and not value.strip():
        raise click.BadParameter("expected a non-empty value; leave the option out for the default")
    return value


def _check_origins(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """Refuse an ``--allowed-origin`` no browser sends (``example.com``, ``""``), as the toml does."""
    for origin in value:
        try:
            ServerSection(allowed_origins=(origin,))
        except ProjectConfigError as exc:
            raise click.BadParameter(exc.message.partition(": ")[2] or exc.message) from None
    return value


def _remember_hosts(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> None:
    if value:  # none given: [server] allowed_hosts, else the server's default
        ctx.meta.setdefault("tempestweb.server_limits", {})["allowed_hosts"] = list(value)


def _given_limits(ctx: click.Context) -> dict[str, object]:
    limits: dict[str, object] = ctx.meta.get("tempestweb.server_limits", {})
    return dict(limits)


def _launch_options(func: click.decorators.FC) -> click.decorators.FC:
    decorators = [
        click.argument("path", type=click.Path(path_type=Path), default=Path(".")),
        click.option(
            "--mode",
            default=None,
            callback=_not_blank,
            help="Mode to run in (default: [app] mode, else server).",
        ),
        click.option(
            "--host",
            default=None,
            callback=_not_blank,
            help=f"Interface to bind (default: [server] host, else {DEFAULT_HOST}).",
        ),
        click.option(
            "--port",
            type=click.IntRange(0, 65535),
            default=None,
            help=f"TCP port (default: [server] port, else {DEFAULT_PORT}).",
        ),
        click.option(
            "--allowed-origin",
            "allowed_origins",
            multiple=True,
            callback=_check_origins,
            help="Extra accepted Origin (repeatable), e.g. https://app.example.com.",
        ),
        click.option(
            "--allowed-host",
            "allowed_hosts",
            multiple=True,
            expose_value=False,
            callback=_remember_hosts,
            help="Name browsers reach this server by (repeatable; .example.com: a domain and its "
            "subdomains), besides IP addresses and localhost (default: [server] allowed_hosts).",
        ),
        click.option("--debug", is_flag=True, help="Verbose logs and error details."),
        *(
            click.option(
                flag,
                key,
                type=kind,
                default=None,
                expose_value=False,
                callback=_remember_limit,
                help=f"{text} (default: [server] {key}, else the server's default).",
            )
            for flag, key, kind, text in _LIMIT_FLAGS
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _start(launch: _Launch, *, dev: bool) -> None:
    """Start the mode; Ctrl+C stops it quietly (exit 0), whether it came while starting or running.

    A mode's config error (every mode's is a ``ProjectConfigError``) exits with status 2, as a
    bad ``tempestweb.toml`` does; its other typed errors with 1.
    """
    try:
        mode = _load_mode(launch)
        if getattr(mode, "listens", False) is True:
            check_port(launch.host, launch.port)
        runner = mode.dev if dev else mode.run
        runner(str(launch.target), host=launch.host, port=launch.port, options=launch.options)
    except KeyboardInterrupt:
        return
    except click.ClickException:
        raise
    except ProjectConfigError as exc:
        if launch.options.get("debug"):
            raise
        raise ConfigError(f"{type(exc).__name__}: {_user_names(str(exc))}") from exc
    except Exception as exc:  # a mode's typed error (bad app, bad option): one line, no traceback
        if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
            # Taken between check_port and the mode's own bind: the same one line.
            raise port_error(exc, host=launch.host, port=launch.port) from exc
        if launch.options.get("debug"):
            raise
        raise CliError(f"{type(exc).__name__}: {_user_names(str(exc))}") from exc


@cli.command(short_help="Serve the app at PATH[:ATTR] until Ctrl+C.")
@_launch_options
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes on one port (default: [server] workers, else 1); more than one needs --redis.",
)
@click.option(
    "--redis",
    "redis_url",
    default=None,
    metavar="URL",
    help="Redis the workers share sessions through (default: [server] redis), e.g. redis://localhost:6379/0.",
)
def run(
    path: Path,
    *,
    mode: str | None,
    host: str | None,
    port: int | None,
    allowed_origins: tuple[str, ...],
    debug: bool,
    workers: int | None,
    redis_url: str | None,
) -> None:
    """Serve the app at PATH[:ATTR]: an app folder (tempestweb.toml, app.py) or a .py file.

    ATTR names the module attribute holding the app (default: app), e.g. guide.py:todo_app.
    With --redis (and --workers N) a supervisor runs N worker processes on one port that share
    the sessions: a client resumes from any worker, and a session outlives its worker.
    """
    launch = _resolve(path, mode=mode, host=host, port=port, allowed_origins=allowed_origins, debug=debug)
    if workers is not None:
        launch.options["workers"] = workers
    if redis_url is not None:
        launch.options["redis"] = redis_url
    _start(launch, dev=False)


@cli.command(short_help="Serve the app and reload open pages on every change.")
@_launch_options
def dev(
    path: Path,
    *,
    mode: str | None,
    host: str | None,
    port: int | None,
    allowed_origins: tuple[str, ...],
    debug: bool,
) -> None:
    """Like run, but reload open pages when a .py or .toml file changes.

    Mode B reloads the app into live sessions (assets are served fresh on the next request); Mode A
    rebuilds the static folder, also when a [wasm] asset or script changes, and the pages reload.
    """
    _start(
        _resolve(path, mode=mode, host=host, port=port, allowed_origins=allowed_origins, debug=debug),
        dev=True,
    )


@cli.command(short_help="Build the app into a static folder (Mode A).")
@click.argument("path", type=click.Path(path_type=Path), default=Path("."))
@click.option(
    "--out", "out", type=click.Path(path_type=Path), default=None, help="Output folder (default: PATH/dist)."
)
@click.option("--mode", default="wasm", show_default=True, help="Mode that builds the static folder.")
@click.option("--csp", is_flag=True, help="Add a Content-Security-Policy <meta> to index.html.")
@click.option("--debug", is_flag=True, help="Show the full traceback of a failed build.")
def build(path: Path, *, out: Path | None, mode: str, csp: bool, debug: bool) -> None:
    """Build the app at PATH[:ATTR] into a static folder any static file server can host (Mode A)."""
    launch = _resolve(path, mode=mode, host=None, port=None, allowed_origins=(), debug=debug)
    builder = _load_mode(launch)
    build_fn = getattr(builder, "build", None)
    if not callable(build_fn):
        raise CliError(f"mode '{launch.mode}' does not build static folders; use --mode wasm")
    target = out if out is not None else launch.target.app_dir / "dist"
    try:
        written = build_fn(str(launch.target), out=target, options={"csp": csp})
    except Exception as exc:  # the mode's typed build error: one line, no traceback
        if debug:
            raise
        if isinstance(exc, OSError) and exc.filename is not None:  # a read-only or missing --out
            reason = exc.strerror or type(exc).__name__
            where = "" if Path(exc.filename) == target else f" ({exc.filename})"
            raise CliError(f"cannot write the build into {target}: {reason}{where}") from exc
        raise CliError(f"{type(exc).__name__}: {exc}") from exc
    click.echo(f"tempestweb: built {launch.target} into {written}")


cli.add_command(sync_command)


@cli.command(short_help="Check the installed packages, modes and tools.")
def doctor() -> None:
    """Show installed tempestweb packages, modes, Python and Chromium; check the packages match.

    Under each mode come its own checks (its optional ``check()``): the desktop mode's webview
    and display; Mode A's Pyodide download cache, and Node.js and npm, which fetch Pyodide on
    the first build.

    Every installed tempestweb package must be ours, not an unrelated project of the same name
    from the package index, and at tempestweb-cli's version. Otherwise doctor says which, prints
    the fix and exits with status 1.
    """
    click.echo(f"Python {platform.python_version()} ({sys.executable})")
    reports = check_distributions(installed_distributions())
    click.echo("Packages:")
    for report in reports:
        status = "" if report.status == "ok" else f"  {report.status.upper()}: {report.detail}"
        click.echo(f"  {report.name} {report.version}{status}")
    if not reports:
        click.echo("  (none installed; running from source?)")
    click.echo("Modes:")
    modes = available_modes()
    for name, entry in modes.items():
        click.echo(f"  {name}: {entry.value}")
        for line in _mode_checks(name):
            click.echo(f"    {line}")
    if not modes:
        click.echo("  (none; install one with: pip install tempestweb-server)")
    chromium = next(
        (path for path in (shutil.which("chromium"), "/usr/bin/chromium") if path and Path(path).exists()),
        None,
    )
    click.echo(f"Chromium: {chromium or 'not found (browser tests fall back to Playwright`s own browser)'}")
    fixes = fix_lines(reports)
    if fixes:
        click.echo("Fix:")
        for line in fixes:
            click.echo(f"  {line}")
        raise CliError("foreign or mismatched tempestweb packages are installed; run the fix above")


def _mode_checks(name: str) -> list[str]:
    """Return doctor's lines for a mode's own environment checks (its optional ``check()``).

    A mode may provide ``check()`` returning objects with ``name``, ``ok``, ``detail`` and
    ``required`` (the desktop mode checks Python, the webview library, the display and the tray
    library); a mode that fails to load gets one line saying why.
    """
    try:
        mode = load_mode(name)
    except CliError as exc:
        return [f"not loadable: {exc.message}"]
    check = getattr(mode, "check", None)
    if not callable(check):
        return []
    lines = []
    for item in check():
        label, detail = getattr(item, "name", "?"), getattr(item, "detail", "")
        if getattr(item, "ok", False):
            status = "ok"
        else:
            status = "MISSING" if getattr(item, "required", True) else "missing (optional)"
        lines.append(f"{label}: {status}: {detail}")
    return lines


if __name__ == "__main__":  # pragma: no cover
    cli()
