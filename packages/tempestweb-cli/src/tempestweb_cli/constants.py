"""Names, defaults and patterns of the ``tempestweb`` command."""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MODE",
    "DEFAULT_PORT",
    "EXIT_CONFIG",
    "EXIT_FAILURE",
    "HELP_WIDTH",
    "KNOWN_MODES",
    "MODE_ENTRY_POINT_GROUP",
    "NAME_PATTERN",
    "TEMPLATES",
]

DEFAULT_MODE: Final = "server"
"""Mode used when neither ``--mode`` nor ``[app] mode`` is given."""

DEFAULT_HOST: Final = "127.0.0.1"
"""Interface ``run``/``dev`` bind to by default."""

DEFAULT_PORT: Final = 8000
"""TCP port ``run``/``dev`` listen on by default."""

HELP_WIDTH: Final = 100
"""Widest ``--help`` text in columns (click's default is 80); a narrower terminal wraps it.
Each command also has a ``short_help`` for the command list, which click never truncates."""

KNOWN_MODES: Final = ("desktop", "server", "wasm")
"""Modes published as ``tempestweb-<mode>``: a missing one gets an install hint, any other
unknown name a "did you mean" suggestion among these and the installed modes."""

MODE_ENTRY_POINT_GROUP: Final = "tempestweb.modes"
"""``importlib.metadata`` entry point group through which mode packages register."""

TEMPLATES: Final = ("counter", "todo", "blank")
"""Project templates of ``tempestweb new``."""

NAME_PATTERN: Final = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
"""Valid project name: a letter, then up to 63 letters, digits, ``_`` or ``-``."""

EXIT_FAILURE: Final = 1
"""Exit status of a failed command (app failed to load, target exists...)."""

EXIT_CONFIG: Final = 2
"""Exit status of a usage or configuration error (bad ``tempestweb.toml``, missing mode)."""
