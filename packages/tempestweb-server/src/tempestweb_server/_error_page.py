"""The responses of a page that gets no shell: its first view failed, or the server is busy.

With error details on (``tempestweb dev``, ``--debug``: ``ServerConfig.errors == "traceback"``)
it is an HTML page with the message, the error id and the traceback, the app's own frames first;
otherwise a plain-text 500 naming only the error id. The traceback is in the server log once,
under that id, either way. Under ``tempestweb dev`` the page also loads the client's ``dev.js``,
which reloads it once a save reloads the app (:mod:`tempestweb_server._dev_events`).
"""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse, PlainTextResponse, Response

from tempestweb_contract.constants import BUSY_RETRY_MS
from tempestweb_contract.names import CLIENT_PATH, DEV_BUILD_META, ENDPOINT_PREFIX

__all__ = ["DEV_SCRIPT_URL", "render_busy_response", "render_error_response"]

DEV_SCRIPT_URL = f"{ENDPOINT_PREFIX}{CLIENT_PATH}/dev.js"
"""The client's dev reload script, as the error page loads it under ``tempestweb dev``."""

_BUSY_STYLE = (
    "body{margin:0;font:15px/1.5 system-ui,sans-serif;background:#f8fafc;color:#1f2937}"
    "main{max-width:40rem;margin:4rem auto;padding:0 1.25rem}"
    "h1{font-size:1.3rem;margin:0 0 .5rem}"
)

_STYLE = (
    "body{margin:0;font:15px/1.5 system-ui,sans-serif;background:#fef2f2;color:#1f2937}"
    "main{max-width:64rem;margin:2rem auto;padding:0 1.25rem}"
    "h1{font-size:1.3rem;color:#991b1b;margin:0 0 .5rem}"
    "pre{background:#111827;color:#f9fafb;padding:1rem;border-radius:.5rem;overflow:auto;"
    "font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap}"
    ".id{color:#6b7280;font-size:.9rem}"
)


def render_error_response(
    *,
    message: str,
    error_id: str | None,
    detail: str | None,
    show_detail: bool,
    headers: dict[str, str],
    dev_version: str | None = None,
) -> Response:
    """Build the 500 response of a failed first render.

    Args:
        message: What failed, e.g. ``"the view raised KeyError: 'x'"`` (shown only with details).
        error_id: The id of the log line holding the traceback.
        detail: The traceback, the app's frames first (shown only with details).
        show_detail: Whether this server shows error details (dev, debug).
        headers: Response headers (the shell's security headers).
        dev_version: Under ``tempestweb dev``: the app version this page failed to render
            (:attr:`DevEvents.version <tempestweb_server._dev_events.DevEvents.version>`); the
            page then reloads itself when the dev server runs another (an external module, so
            the shell's ``script-src 'self'`` holds). ``None``: no reload.

    Returns:
        An HTML page with the traceback, or a plain-text 500 with the error id.

    """
    reference = f" (error id {error_id})" if error_id else ""
    if not show_detail:
        text = f"500 internal server error: the app failed to render{reference}"
        return PlainTextResponse(text, status_code=500, headers=headers)
    reload_hint = "reload the page after the fix"
    dev_head = ""
    if dev_version is not None:
        reload_hint = "this page reloads itself when you save a fix"
        dev_head = (
            f'<meta name="{DEV_BUILD_META}" content="{escape(dev_version)}">\n'
            f'<script type="module" src="{DEV_SCRIPT_URL}"></script>\n'
        )
    body = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"{dev_head}"
        "<title>The app failed to render</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        "<h1>The app failed to render this page</h1>\n"
        f"<p>{escape(message)}</p>\n"
        f'<p class="id">error id {escape(error_id or "-")} (the server log has it too); '
        f"{reload_hint}</p>\n"
        f"<pre>{escape(detail or message)}</pre>\n"
        "</main>\n</body>\n</html>\n"
    )
    return HTMLResponse(body, status_code=500, headers=headers)


def render_busy_response(*, reason: str, headers: dict[str, str]) -> Response:
    """Build the ``503`` of a page refused by admission control (the server is at capacity).

    The page says so in words and loads itself again after ``BUSY_RETRY_MS`` (a
    ``<meta http-equiv="refresh">``, no script, so the shell's CSP holds);
    ``Retry-After`` carries the same delay in seconds for other clients (RFC 9110
    section 10.2.3).

    Args:
        reason: Why (from the refusal; never client input).
        headers: Response headers (the shell's security headers).

    Returns:
        An HTML ``503 Service Unavailable``.

    """
    retry_s = max(1, BUSY_RETRY_MS // 1000)
    body = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="{retry_s}">\n'
        "<title>Server busy</title>\n"
        f"<style>{_BUSY_STYLE}</style>\n</head>\n<body>\n<main>\n"
        "<h1>The server is busy</h1>\n"
        f"<p>It cannot open a new page right now: {escape(reason)}.</p>\n"
        f"<p>This page tries again in {retry_s} seconds.</p>\n"
        "</main>\n</body>\n</html>\n"
    )
    return HTMLResponse(body, status_code=503, headers={**headers, "Retry-After": str(retry_s)})
