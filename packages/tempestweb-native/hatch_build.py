"""Hatch build hook: ship the capability JS modules (``client/native``, ``client/pwa``) with the wheel.

In the monorepo they live two levels up, at ``<repo>/client/native`` and ``<repo>/client/pwa``;
an sdist carries a copy at ``client/`` next to its ``pyproject.toml`` so that a wheel built from
the unpacked sdist carries them too (the same scheme as tempestweb-contract's hook).

Wheel: ``<client>/native/*`` -> ``tempestweb/native/_client/native/*`` and ``<client>/pwa/*`` ->
``tempestweb/native/_client/pwa/*`` (the root of the ``tempestweb.capabilities`` entry points).
Sdist: ``<client>/{native,pwa}/*`` -> ``client/{native,pwa}/*``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

WHEEL_TARGET = "tempestweb/native/_client"
SDIST_TARGET = "client"
FOLDERS = ("native", "pwa")
ENTRY = "native/http.js"


class CapabilityAssetsHook(BuildHookInterface):  # type: ignore[type-arg]
    """Add the capability JS modules to the wheel and the sdist (hatch ``custom`` build hook)."""

    PLUGIN_NAME = "custom"

    def client_source(self) -> Path:
        """Return the directory holding ``native/`` and ``pwa/`` for this build.

        Returns:
            ``client`` inside the project (an unpacked sdist) if present, else ``<repo>/client``.

        Raises:
            FileNotFoundError: Neither location holds ``native/http.js``.

        """
        root = Path(self.root).resolve()
        candidates = (root / SDIST_TARGET, root.parent.parent / "client")
        for candidate in candidates:
            if (candidate / ENTRY).is_file():
                return candidate
        tried = ", ".join(str(candidate) for candidate in candidates)
        raise FileNotFoundError(f"capability JS modules not found (looked for {ENTRY} in: {tried})")

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Map ``native/`` and ``pwa/`` into the artifact being built.

        Args:
            version: The build version (``standard`` or ``editable``), unused.
            build_data: Hatchling's mutable build data; its ``force_include`` map is extended.

        Raises:
            FileNotFoundError: The JS sources are missing (see ``client_source``).

        """
        source = self.client_source()
        root = Path(self.root).resolve()
        for folder in FOLDERS:
            if self.target_name == "wheel":
                build_data["force_include"][str(source / folder)] = f"{WHEEL_TARGET}/{folder}"
            elif self.target_name == "sdist" and source != root / SDIST_TARGET:
                build_data["force_include"][str(source / folder)] = f"{SDIST_TARGET}/{folder}"
