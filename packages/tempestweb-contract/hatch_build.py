"""Hatch build hook: ship the JS client (the repository's ``client/src``) with the contract.

In the monorepo the client lives two levels up, at ``<repo>/client/src``; an sdist carries a copy
at ``client/src`` next to its ``pyproject.toml``, so that a wheel built from the unpacked sdist
still carries the client. Static ``force-include`` tables cannot express "whichever exists"
(hatchling fails on a missing source), hence this hook.

Wheel: ``<client>/*`` -> ``tempestweb_contract/client/*``. Sdist: ``<client>/*`` -> ``client/src/*``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

WHEEL_TARGET = "tempestweb_contract/client"
SDIST_TARGET = "client/src"
ENTRY = "tempestweb.js"


class ClientAssetsHook(BuildHookInterface):  # type: ignore[type-arg]
    """Add the JS client's files to the wheel and the sdist (hatch ``custom`` build hook)."""

    PLUGIN_NAME = "custom"

    def client_source(self) -> Path:
        """Return the directory holding the client's ES modules for this build.

        Returns:
            ``client/src`` inside the project (an unpacked sdist) if present, else the
            monorepo's ``<repo>/client/src``.

        Raises:
            FileNotFoundError: Neither location holds ``tempestweb.js``.

        """
        root = Path(self.root).resolve()
        candidates = (root / SDIST_TARGET, root.parent.parent / "client" / "src")
        for candidate in candidates:
            if (candidate / ENTRY).is_file():
                return candidate
        tried = ", ".join(str(candidate) for candidate in candidates)
        raise FileNotFoundError(f"tempestweb JS client not found (looked for {ENTRY} in: {tried})")

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Map the client directory into the artifact being built.

        Args:
            version: The build version (``standard`` or ``editable``), unused.
            build_data: Hatchling's mutable build data; its ``force_include`` map is extended.

        Raises:
            FileNotFoundError: The client sources are missing (see ``client_source``).

        """
        source = self.client_source()
        root = Path(self.root).resolve()
        if self.target_name == "wheel":
            build_data["force_include"][str(source)] = WHEEL_TARGET
        elif self.target_name == "sdist" and source != root / SDIST_TARGET:
            build_data["force_include"][str(source)] = SDIST_TARGET
