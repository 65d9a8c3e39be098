"""``tempestweb new``: create a runnable project from a template shipped as package data."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

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
        CliError: An invalid name or template, or a target that exists and is not an empty
            directory (nothing is overwritten).

    """
    if NAME_PATTERN.fullmatch(name) is None:
        raise CliError(
            f"invalid project name {name!r}: use a letter followed by letters, digits, '_' or '-' (max 64)"
        )
    if template not in TEMPLATES:
        raise CliError(f"unknown template {template!r} (expected one of: {', '.join(TEMPLATES)})")
    target = (parent or Path.cwd()) / name
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
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
    target.mkdir(parents=True, exist_ok=True)
    for file, text in texts.items():
        (target / file).write_text(text, encoding="utf-8")
    return target
