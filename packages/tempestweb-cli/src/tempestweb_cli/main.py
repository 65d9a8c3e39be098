"""The ``tempestweb`` command line: ``new``, ``run``, ``dev``, ``doctor``."""

from __future__ import annotations

import platform
import shutil
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distributions, version
from pathlib import Path

import click

from tempestweb_cli.config import ProjectConfig, load_config
from tempestweb_cli.constants import CONFIG_FILE, DEFAULT_HOST, DEFAULT_MODE, DEFAULT_PORT, TEMPLATES
from tempestweb_cli.errors import CliError
from tempestweb_cli.modes import available_modes, load_mode
from tempestweb_cli.scaffold import create_project
from tempestweb_cli.sync import sync_command

__all__ = ["cli"]


def _version() -> str:
    try:
        return version("tempestweb-cli")
    except PackageNotFoundError:
        return "0+source"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), prog_name="tempestweb")
def cli() -> None:
    """Write a typed web UI in Python once; run it on a server or in the browser."""


@cli.command()
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
    """Create a new project NAME with app.py, tempestweb.toml and README.md."""
    target = create_project(name, template=template, parent=parent)
    click.echo(f"Created {target} from the '{template}' template.")
    click.echo(f"Next: tempestweb dev {target}")


@dataclass(frozen=True)
class _Launch:
    """Everything a mode needs to start: mode name, app file, address and options."""

    mode: str
    target: str
    host: str
    port: int
    options: dict[str, object]


def _resolve(
    path: Path,
    *,
    mode: str | None,
    host: str | None,
    port: int | None,
    allowed_origins: tuple[str, ...],
    debug: bool,
) -> _Launch:
    """Combine PATH, ``tempestweb.toml`` and CLI options (CLI wins) into a launch plan."""
    if path.is_dir():
        directory, file = path, None
    elif path.suffix == ".py":
        directory, file = path.parent, path
    else:
        raise CliError(f"{path}: expected an app directory or a .py file")
    if not path.exists():
        raise CliError(f"{path}: no such file or directory")
    config_path = directory / CONFIG_FILE
    config = load_config(config_path) if config_path.is_file() else ProjectConfig(directory=directory)
    if file is None:
        file = config.app_file(directory)
        if not file.is_file():
            raise CliError(f"{file}: app module not found (set [app] module in {config_path})")
    chosen = mode or config.app.mode or DEFAULT_MODE
    options = config.mode_options(chosen)
    resolved_host = host or str(options.pop("host", None) or DEFAULT_HOST)
    options.pop("host", None)
    toml_port = options.pop("port", None)
    resolved_port = port if port is not None else (toml_port if isinstance(toml_port, int) else DEFAULT_PORT)
    if allowed_origins:
        options["allowed_origins"] = list(allowed_origins)
    if config.app.title is not None:
        options["title"] = config.app.title
    if debug:
        options["debug"] = True
    return _Launch(chosen, str(file), resolved_host, resolved_port, options)


def _launch_options(func: click.decorators.FC) -> click.decorators.FC:
    decorators = [
        click.argument("path", type=click.Path(path_type=Path), default=Path(".")),
        click.option("--mode", default=None, help="Mode to run in (default: [app] mode, else server)."),
        click.option(
            "--host", default=None, help=f"Interface to bind (default: [server] host, else {DEFAULT_HOST})."
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
            help="Extra accepted Origin (repeatable), e.g. https://app.example.com.",
        ),
        click.option("--debug", is_flag=True, help="Verbose logs and error details."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _start(launch: _Launch, *, dev: bool) -> None:
    mode = load_mode(launch.mode)
    runner = mode.dev if dev else mode.run
    try:
        runner(launch.target, host=launch.host, port=launch.port, options=launch.options)
    except KeyboardInterrupt:
        return
    except click.ClickException:
        raise
    except Exception as exc:  # a mode's typed error (bad app, bad option): one line, no traceback
        if launch.options.get("debug"):
            raise
        raise CliError(f"{type(exc).__name__}: {exc}") from exc


@cli.command()
@_launch_options
def run(
    path: Path,
    *,
    mode: str | None,
    host: str | None,
    port: int | None,
    allowed_origins: tuple[str, ...],
    debug: bool,
) -> None:
    """Serve the app at PATH (an app directory with tempestweb.toml / app.py, or a .py file)."""
    _start(
        _resolve(path, mode=mode, host=host, port=port, allowed_origins=allowed_origins, debug=debug),
        dev=False,
    )


@cli.command()
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


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=Path("."))
@click.option(
    "--out", "out", type=click.Path(path_type=Path), default=None, help="Output folder (default: PATH/dist)."
)
@click.option("--mode", default="wasm", show_default=True, help="Mode that builds the static folder.")
@click.option("--csp", is_flag=True, help="Add a Content-Security-Policy <meta> to index.html.")
@click.option("--debug", is_flag=True, help="Show the full traceback of a failed build.")
def build(path: Path, *, out: Path | None, mode: str, csp: bool, debug: bool) -> None:
    """Build the app at PATH into a static folder any static file server can host (Mode A)."""
    launch = _resolve(path, mode=mode, host=None, port=None, allowed_origins=(), debug=debug)
    builder = load_mode(launch.mode)
    build_fn = getattr(builder, "build", None)
    if not callable(build_fn):
        raise CliError(
            f"mode '{launch.mode}' does not build static folders; use --mode wasm"
        )
    target = out if out is not None else Path(launch.target).parent / "dist"
    try:
        written = build_fn(launch.target, out=target, options={"csp": csp})
    except Exception as exc:  # the mode's typed build error: one line, no traceback
        if debug:
            raise
        raise CliError(f"{type(exc).__name__}: {exc}") from exc
    click.echo(f"tempestweb: built {launch.target} into {written}")


cli.add_command(sync_command)


@cli.command()
def doctor() -> None:
    """Show installed tempestweb packages, modes, Python and Chromium."""
    click.echo(f"Python {platform.python_version()} ({sys.executable})")
    names = sorted(
        {
            (dist.metadata["Name"] or "", dist.version)
            for dist in distributions()
            if (dist.metadata["Name"] or "")
            .lower()
            .replace("_", "-")
            .startswith(("tempestweb", "tempest-core"))
        }
    )
    click.echo("Packages:")
    for name, dist_version in names or [("(none installed; running from source?)", "")]:
        click.echo(f"  {name} {dist_version}".rstrip())
    click.echo("Modes:")
    modes = available_modes()
    for name, entry in modes.items():
        click.echo(f"  {name}: {entry.value}")
    if not modes:
        click.echo("  (none; install one with: pip install tempestweb-server)")
    chromium = next(
        (path for path in (shutil.which("chromium"), "/usr/bin/chromium") if path and Path(path).exists()),
        None,
    )
    click.echo(f"Chromium: {chromium or 'not found (browser tests fall back to Playwright`s own browser)'}")


if __name__ == "__main__":  # pragma: no cover
    cli()
