"""``tempestweb new``: create a runnable project from a template shipped as package data."""

from __future__ import annotations

import contextlib
import shlex
from importlib import resources
from pathlib import Path

import click

from tempestweb_cli.constants import NAME_PATTERN, TEMPLATES
from tempestweb_cli.errors import CliError

__all__ = ["create_project"]

_FILES = ("app.py", "tempestweb.toml", "README.md")


def create_project(name: str, /, *, template: str = "counter", parent: Path | None = None) -> Path:
    """Write ``app.py``, ``tempestweb.toml`` and ``README.md`` of a new project.

    Args:
        name: Project name: a letter, then letters, digits, ``_`` or ``-`` (at most 64).
        template: One of :data:`~tempestweb_cli.constants.TEMPLATES`.
        parent: Directory to create the project in; ``None`` is the working directory.

    Returns:
        The new project directory ``parent / name``.

    Raises:
        CliError: An invalid name or template, a target that exists and is not an empty
            directory (nothing is overwritten), or the files could not be written.
        click.BadParameter: ``parent`` is below a file (``--dir afile/sub``; exit status 2, as
            for ``--dir afile``).

    """
    if NAME_PATTERN.fullmatch(name) is None:
        raise CliError(
            f"invalid project name {name!r}: use a letter followed by letters, digits, '_' or '-' (max 64)"
            f"{_path_hint(name)}"
        )
    if template not in TEMPLATES:
        raise CliError(f"unknown template {template!r} (expected one of: {', '.join(TEMPLATES)})")
    target = (parent or Path.cwd()) / name
    blocker = _file_above(target)
    if blocker is not None:
        raise click.BadParameter(f"{str(blocker)!r} is a file, not a directory.", param_hint="'--dir'")
    if target.exists() and not target.is_dir():
        raise CliError(f"{target} already exists and is a file; choose another name or --dir")
    if target.exists() and any(target.iterdir()):
        raise CliError(f"{target} already exists and is not empty; choose another name or --dir")
    title = name.replace("-", " ").replace("_", " ").title()
    source = resources.files("tempestweb_cli") / "templates" / template
    texts = {
        file: (source / f"{file}.tmpl")
        .read_text(encoding="utf-8")
        .replace("__NAME__", name)
        .replace("__TITLE__", title)
        for file in _FILES
    }
    created = _missing_folders(target)
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for file, text in texts.items():
            written.append(target / file)
            written[-1].write_text(text, encoding="utf-8")
    except OSError as exc:  # a read-only or full disk, no permission
        _remove(written, created)  # no half-written project that blocks the next try
        raise CliError(f"cannot write {exc.filename or target}: {exc.strerror or exc}") from exc
    return target


def _path_hint(name: str, /) -> str:
    """Say how to create a project in another folder when ``name`` is a path (``/srv/app``, ``a/b``)."""
    path = Path(name)
    if len(path.parts) < 2 or NAME_PATTERN.fullmatch(path.name) is None:
        return ""
    folder = shlex.quote(str(path.parent))
    return f"; to create it in another folder: tempestweb new {path.name} --dir {folder}"


def _missing_folders(target: Path, /) -> list[Path]:
    """Return ``target`` and its ancestors that do not exist yet, innermost first."""
    return [folder for folder in (target, *target.parents) if not folder.exists()]


def _remove(files: list[Path], folders: list[Path], /) -> None:
    """Remove what a failed ``create_project`` wrote: its files, then the folders it created.

    Best effort: what cannot be removed stays (the error already names the cause).
    """
    for file in files:
        with contextlib.suppress(OSError):
            file.unlink(missing_ok=True)
    for folder in folders:  # innermost first; a folder someone else filled meanwhile stays
        try:
            folder.rmdir()
        except OSError:
            break


def _file_above(target: Path, /) -> Path | None:
    """Return the nearest existing folder of ``target`` when it is not a folder (a file), else ``None``."""
    for ancestor in target.parents:
        if ancestor.exists():
            return None if ancestor.is_dir() else ancestor
    return None
