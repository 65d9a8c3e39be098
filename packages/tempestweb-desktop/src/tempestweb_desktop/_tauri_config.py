"""The ``tauri.conf.json`` a desktop app runs with, written to a temporary folder at start.

Windows are created from Python (none in the config); the frontend comes from Python too
(``Context.set_assets``), so ``frontendDist`` names an empty folder. One capability grants every
window the core permissions, the IPC commands (``pytauri:default``) and exactly the plugin
permissions of ``[desktop] permissions``; anything else a page asks for is denied.
"""

from __future__ import annotations

from pathlib import Path

from tempestweb_desktop.config import DesktopConfig

__all__ = ["BASE_PERMISSIONS", "CAPABILITY", "tauri_config"]

BASE_PERMISSIONS = ("core:default", "pytauri:default")
"""Permissions every window has: Tauri's core defaults and the ``pyInvoke`` IPC."""

CAPABILITY = "tempestweb"
"""Identifier of the one capability granted to every window."""


def tauri_config(config: DesktopConfig, *, product: str, frontend_dir: Path) -> dict[str, object]:
    """Return the Tauri configuration object.

    Args:
        config: The desktop options.
        product: Product name (the app's title).
        frontend_dir: An existing, empty folder.

    Returns:
        A JSON-able ``tauri.conf.json`` (Tauri 2 schema).

    """
    capability = {
        "identifier": CAPABILITY,
        "description": "tempestweb windows: core, IPC and the permissions of [desktop] permissions",
        "windows": ["*"],
        "permissions": [*BASE_PERMISSIONS, *config.permissions],
    }
    return {
        "productName": product,
        "version": "0.1.0",
        "identifier": config.identifier,
        "build": {"frontendDist": str(frontend_dir)},
        "app": {
            "withGlobalTauri": True,
            "windows": [],
            "security": {"capabilities": [capability]},
        },
    }
