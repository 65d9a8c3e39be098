"""The HTML shell: the page every non-``/_tw/`` GET returns, with the prerendered first view."""

from __future__ import annotations

from html import escape

from tempestweb_server.constants import CLIENT_ENTRY_FILE, ENDPOINT_PREFIX

__all__ = ["render_shell"]


def render_shell(
    *,
    title: str,
    styles: tuple[str, ...],
    body_html: str,
    session_id: str,
    token: str,
    head_extra: str = "",
    transport: str = "auto",
) -> str:
    """Render the shell document (binding layout shared with the JS client).

    Args:
        title: Page title (escaped).
        styles: CSS rules for ``<style id="tw-styles">``.
        body_html: Prerendered, hydratable HTML of the first view (trusted: from the reconciler).
        session_id: Session id for ``data-tw-session``.
        token: Session-bound token for ``data-tw-token``.
        head_extra: Trusted HTML appended to ``<head>``.
        transport: ``data-tw-transport`` value (``auto``, ``ws`` or ``sse``).

    Returns:
        The complete document.

    """
    rules = "".join(styles).replace("</", "<\\/")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        f'<style id="tw-styles">{rules}</style>'
        f'<script type="module" src="{ENDPOINT_PREFIX}/client/{CLIENT_ENTRY_FILE}"></script>'
        f"{head_extra}</head><body>"
        f'<div id="tw-root" data-tw-endpoint="{ENDPOINT_PREFIX}" data-tw-session="{escape(session_id)}"'
        f' data-tw-token="{escape(token)}" data-tw-transport="{escape(transport)}">{body_html}</div>'
        "</body></html>"
    )
