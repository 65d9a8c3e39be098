"""Discovery of installed modes through ``importlib.metadata`` entry points.

A mode package registers ``[project.entry-points."tempestweb.modes"] NAME = "pkg.module:OBJ"``
where ``OBJ`` satisfies :class:`Mode`. The CLI never imports a mode package directly.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import Protocol, runtime_checkable

from tempestweb_cli.constants import MODE_ENTRY_POINT_GROUP
from tempestweb_cli.errors import CliError, ModeNotInstalledError

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
        ModeNotInstalledError: No entry point of that name is installed.
        CliError: The entry point fails to import or does not satisfy :class:`Mode`.

    """
    entry = available_modes().get(name)
    if entry is None:
        raise ModeNotInstalledError(
            f"mode '{name}' is not installed. Install it with: pip install tempestweb-{name}"
        )
    try:
        mode = entry.load()
    except Exception as exc:
        raise CliError(f"mode '{name}' ({entry.value}) failed to load: {type(exc).__name__}: {exc}") from exc
    if not isinstance(mode, Mode):
        raise CliError(f"mode '{name}' ({entry.value}) does not provide name, description, run() and dev()")
    return mode
