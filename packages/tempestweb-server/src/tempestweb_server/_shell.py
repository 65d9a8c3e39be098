"""The Mode B shell: the project's page template with a new session's prerendered first view."""

from __future__ import annotations

from collections.abc import Sequence

from tempestweb_contract.names import (
    ATTR_ENDPOINT,
    ATTR_SESSION,
    ATTR_TOKEN,
    ATTR_TRANSPORT,
    CLIENT_EARLY_FILE,
    CLIENT_ENTRY_FILE,
    CLIENT_PATH,
    ENDPOINT_PREFIX,
)
from tempestweb_contract.shell import render_page
from tempestweb_server._error_page import DEV_SCRIPT_URL

__all__ = ["render_shell"]


def render_shell(
    *,
    title: str,
    styles: Sequence[str],
    body_html: str,
    session_id: str,
    token: str,
    head_extra: str = "",
    transport: str = "auto",
    scripts: Sequence[str] = (),
    dev: bool = False,
) -> str:
    """Render the shell document (:func:`tempestweb_contract.shell.render_page`, Mode B's root attributes).

    Args:
        title: Page title (escaped).
        styles: CSS rules for ``<style id="tw-styles">``.
        body_html: Prerendered, hydratable HTML of the first view (trusted: from the reconciler).
        session_id: Session id for ``data-tw-session``.
        token: Session-bound token for ``data-tw-token``.
        head_extra: Trusted HTML appended to ``<head>``.
        transport: ``data-tw-transport`` value (``auto``, ``ws`` or ``sse``).
        scripts: URL paths of the classic scripts loaded before the client, in order
            (``ServerConfig.scripts``, e.g. ``"/js/chart.js"``).
        dev: ``tempestweb dev``: also load the client's ``dev.js``, which reloads a saved
            stylesheet in place (:mod:`tempestweb_server._dev_events`).

    Returns:
        The complete document.

    """
    return render_page(
        title=title,
        body=body_html,
        styles=styles,
        root_attributes={
            ATTR_ENDPOINT: ENDPOINT_PREFIX,
            ATTR_SESSION: session_id,
            ATTR_TOKEN: token,
            ATTR_TRANSPORT: transport,
        },
        scripts=scripts,
        modules=[f"{ENDPOINT_PREFIX}{CLIENT_PATH}/{CLIENT_ENTRY_FILE}", *([DEV_SCRIPT_URL] if dev else [])],
        head=head_extra,
        early=f"{ENDPOINT_PREFIX}{CLIENT_PATH}/{CLIENT_EARLY_FILE}",  # clicks before the client runs
    )
