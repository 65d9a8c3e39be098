"""Discovery of installed modes through ``importlib.metadata`` entry points.

A mode package registers ``[project.entry-points."tempestweb.modes"] NAME = "pkg.module:OBJ"``
where ``OBJ`` satisfies :class:`Mode`. The CLI never imports a mode package directly.
"""

from __future__ import annotations

import difflib
from importlib.metadata import EntryPoint, entry_points
from typing import Protocol, runtime_checkable

from tempestweb_cli.constants import KNOWN_MODES, MODE_ENTRY_POINT_GROUP
from tempestweb_cli.errors import CliError, ModeNotInstalledError, UnknownModeError

__all__ = ["Mode", "available_modes", "load_mode"]


@runtime_checkable
class Mode(Protocol):
    """What a mode entry point resolves to.

    Attributes:
        name: Mode name, e.g. ``"server"``.
        description: One-line description for ``tempestweb doctor``.

    A mode that listens on ``host``/``port`` may also set ``listens = True`` (optional): ``run``
    and ``dev`` then check that the port is free before calling it, and a taken port is one line
    and exit status 1 (:class:`~tempestweb_cli.errors.PortInUseError`).

    """

    name: str
    description: str

    def run(self, target: str, *, host: str, port: int, options: dict[str, object]) -> None:
        """Run the app file ``target`` until interrupted."""
        ...

    def dev(self, target: str, *, host: str, port: int, options: dict[str, object]) -> None:
        """Run the app file ``target`` with reload on source changes."""
        ...


def available_modes() -> dict[str, EntryPoint]:
    """List installed modes.

    Returns:
        Mode name -> entry point (not loaded), sorted by name.

    """
    found = {ep.name: ep for ep in entry_points(group=MODE_ENTRY_POINT_GROUP)}
    return dict(sorted(found.items()))


def load_mode(name: str, /) -> Mode:
    """Load the mode called ``name``.

    Args:
        name: Mode name, e.g. ``"server"``.

    Returns:
        The mode object.

    Raises:
        ModeNotInstalledError: ``name`` is a published mode (:data:`KNOWN_MODES`) that is not
            installed; the message says what to install.
        UnknownModeError: ``name`` is no mode at all; the message suggests the closest one,
            e.g. ``unknown mode 'sever'; did you mean 'server'?``.
        CliError: The entry point fails to import or does not satisfy :class:`Mode`.

    """
    installed = available_modes()
    entry = installed.get(name)
    if entry is None:
        raise _missing_mode(name, installed=sorted(installed))
    try:
        mode = entry.load()
    except Exception as exc:
        raise CliError(f"mode '{name}' ({entry.value}) failed to load: {type(exc).__name__}: {exc}") from exc
    if not isinstance(mode, Mode):
        raise CliError(f"mode '{name}' ({entry.value}) does not provide name, description, run() and dev()")
    return mode


def _missing_mode(name: str, *, installed: list[str]) -> CliError:
    """Return the error for a mode ``name`` that has no entry point installed."""
    if name in KNOWN_MODES:
        return ModeNotInstalledError(
            f"mode '{name}' is not installed. Install it with: pip install tempestweb-{name}"
        )
    candidates = sorted({*installed, *KNOWN_MODES})
    close = difflib.get_close_matches(name, candidates, n=1)
    if close:
        return UnknownModeError(f"unknown mode '{name}'; did you mean '{close[0]}'?")
    return UnknownModeError(f"unknown mode '{name}'; installed modes: {', '.join(installed) or 'none'}")
