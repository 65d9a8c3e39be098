"""Mode A's page: ``index.html`` (the project's page template), the web app manifest, an icon."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Final

from tempestweb_contract.names import ATTR_MODE, CLIENT_EARLY_FILE, DEV_BUILD_META
from tempestweb_contract.shell import render_page
from tempestweb_wasm.constants import CLIENT_DIR_NAME

__all__ = [
    "BOOTSTRAP_FILE",
    "CSP",
    "DEV_SCRIPT_FILE",
    "ICON_FILE",
    "WEB_MANIFEST_FILE",
    "render_icon",
    "render_index",
    "render_web_manifest",
]

WEB_MANIFEST_FILE = "manifest.webmanifest"
"""Name of the web app manifest (https://www.w3.org/TR/appmanifest/)."""

ICON_FILE = "icon.svg"
"""Default app icon referenced by the manifest."""

DEV_SCRIPT_FILE = f"{CLIENT_DIR_NAME}/dev.js"
"""Dev builds only: the script reloading the page after a rebuild (the client's ``src/dev.js``,
which Mode B's error page loads too; builds for production leave it out of ``client/``)."""


CSP: Final = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'"
"""Content-Security-Policy a build works under (https://www.w3.org/TR/CSP3/); Pyodide needs
``'wasm-unsafe-eval'`` to compile its WebAssembly, nothing needs ``'unsafe-eval'``."""

BOOTSTRAP_FILE: Final = "bootstrap.js"
"""The Mode A entry module (``static/bootstrap.js``): boots Pyodide and mounts the client."""


def render_index(
    *,
    title: str,
    body: str,
    rules: Sequence[str],
    scripts: Sequence[str],
    csp: bool = False,
    dev_build: str | None = None,
    head_extra: str = "",
) -> str:
    """Return the text of ``index.html``: the project's page template with Mode A's head and entry.

    Args:
        title: Document title (escaped here).
        body: Prerendered, hydratable HTML of the first view (from ``Session.render_html``).
        rules: CSS rules of the first view, written into ``<style id="tw-styles">``.
        scripts: Paths of the project's scripts (``[wasm].scripts``) relative to the build,
            loaded in order before the bootstrap.
        csp: Add a ``<meta>`` Content-Security-Policy (``script-src 'self' 'wasm-unsafe-eval'``).
        dev_build: Dev builds only: this build's id, written to ``<meta name="tw-dev-build">``,
            and load :data:`DEV_SCRIPT_FILE` (an external file, so it runs under the CSP).
        head_extra: Trusted HTML appended to ``<head>`` (the capability module links).

    Returns:
        The HTML document (:func:`tempestweb_contract.shell.render_page`).

    """
    head = [
        f'<link rel="manifest" href="./{WEB_MANIFEST_FILE}">',
        f'<link rel="icon" href="./{ICON_FILE}" type="image/svg+xml">',
        '<meta name="theme-color" content="#1e293b">',
    ]
    modules = [f"./{BOOTSTRAP_FILE}"]
    if dev_build is not None:
        head.append(f'<meta name="{DEV_BUILD_META}" content="{html.escape(dev_build)}">')
        modules.insert(0, f"./{DEV_SCRIPT_FILE}")
    if head_extra:
        head.append(head_extra)
    return render_page(
        title=title,
        body=body,
        styles=rules,
        root_attributes={ATTR_MODE: "wasm"},
        scripts=[f"./{path}" for path in scripts],
        modules=modules,
        head="\n".join(head),
        csp=CSP if csp else None,
        early=f"./{CLIENT_DIR_NAME}/{CLIENT_EARLY_FILE}",  # clicks before bootstrap.js runs
    )


def render_web_manifest(*, title: str) -> str:
    """Return the web app manifest JSON making the build an installable PWA.

    Args:
        title: App name.

    Returns:
        The manifest text (https://www.w3.org/TR/appmanifest/).

    """
    manifest = {
        "name": title,
        "short_name": title[:12],
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1e293b",
        "icons": [{"src": f"./{ICON_FILE}", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    return json.dumps(manifest, indent=2) + "\n"


def render_icon(*, title: str) -> str:
    """Return a simple SVG icon showing the first letter of the title."""
    letter = html.escape((title.strip()[:1] or "t").upper())
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        '<rect width="512" height="512" rx="96" fill="#1e293b"/>'
        '<text x="256" y="340" font-size="280" text-anchor="middle" fill="#ffffff" '
        f'font-family="sans-serif">{letter}</text></svg>\n'
    )
