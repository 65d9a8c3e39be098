"""Prerender (SSR): the first view of an app as hydratable HTML."""

from __future__ import annotations

from typing import Any

from tempest_core.app import App
from tempest_core.session import Session
from tempestweb_contract.names import STYLE_ELEMENT_ID
from tempestweb_contract.shell import style_text

__all__ = ["render_to_html"]


def render_to_html(app: App[Any], *, path: str = "/") -> str:
    """Render the first view of ``app`` at ``path`` as hydratable HTML.

    Effects do not run (as in React SSR). The output is ``<style id="tw-styles">`` with the
    generated rules (omitted when there are none) followed by the markup of the view, with the
    hydration markers of docs/design.md; node ids are those a fresh :class:`Session` assigns, so
    a host that prerenders with a session hydrates that same session.

    Args:
        app: The application.
        path: Location to render (``pathname + search + hash``).

    Returns:
        An HTML fragment to place inside the host's mount element.

    Raises:
        SessionError: ``handler_error`` when the view raises.
        WidgetError: An attribute or tag name cannot be written as HTML.
        ValueError: ``path`` is not a same-document location.

    """
    session = Session(app, path=path)
    session._run_effects = False
    session.mount()
    html = session.render_html()
    styles = session.styles
    if not styles:
        return html
    return f'<style id="{STYLE_ELEMENT_ID}">{style_text(styles)}</style>{html}'
