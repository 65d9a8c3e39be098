"""The static shell: ``index.html`` with the prerendered first view, the web app manifest, an icon."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Final

from tempestweb_wasm.constants import ROOT_ELEMENT_ID

__all__ = [
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

DEV_SCRIPT_FILE = "tw-dev.js"
"""Dev builds only: the script reloading the page after a rebuild (``static/dev.js``)."""


def _style_text(rules: Sequence[str]) -> str:
    # A rule can never close the <style> element early: "</" is not valid CSS outside strings,
    # and inside strings "<\/" is the same text to the CSS parser.
    return "\n".join(rule.replace("</", "<\\/") for rule in rules)


CSP: Final = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'"
"""Content-Security-Policy a build works under (https://www.w3.org/TR/CSP3/); Pyodide needs
``'wasm-unsafe-eval'`` to compile its WebAssembly, nothing needs ``'unsafe-eval'``."""


def _csp_meta() -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'


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
    """Return the text of ``index.html``.

    Args:
        title: Document title (escaped here).
        body: Prerendered, hydratable HTML of the first view (from ``Session.render_html``).
        rules: CSS rules of the first view, written into ``<style id="tw-styles">``.
        scripts: Build-relative URLs of user scripts loaded before the bootstrap, in order.
        csp: Add a ``<meta>`` Content-Security-Policy (``script-src 'self' 'wasm-unsafe-eval'``).
        dev_build: Dev builds only: this build's id, written to ``<meta name="tw-dev-build">``,
            and load :data:`DEV_SCRIPT_FILE` (an external file, so it runs under the CSP).
        head_extra: Trusted HTML appended to ``<head>`` (the capability module links).

    Returns:
        The HTML document.

    """
    dev_meta = dev_script = ""
    if dev_build is not None:
        dev_meta = f'<meta name="tw-dev-build" content="{html.escape(dev_build)}">\n'
        dev_script = f'<script type="module" src="./{DEV_SCRIPT_FILE}"></script>\n'
    user_scripts = "".join(f'<script src="./{html.escape(src)}"></script>\n' for src in scripts)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{_csp_meta() if csp else ''}"
        f"{dev_meta}"
        f"<title>{html.escape(title)}</title>\n"
        f'<link rel="manifest" href="./{WEB_MANIFEST_FILE}">\n'
        f'<link rel="icon" href="./{ICON_FILE}" type="image/svg+xml">\n'
        '<meta name="theme-color" content="#1e293b">\n'
        f'<style id="tw-styles">{_style_text(rules)}</style>\n'
        f"{head_extra}{chr(10) if head_extra else ''}"
        "</head>\n<body>\n"
        f'<div id="{ROOT_ELEMENT_ID}" data-tw-mode="wasm">{body}</div>\n'
        f"{user_scripts}"
        f"{dev_script}"
        '<script type="module" src="./bootstrap.js"></script>\n'
        "</body>\n</html>\n"
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
