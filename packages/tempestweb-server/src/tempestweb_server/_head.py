"""Answers to ``HEAD`` requests of responses whose content is only known once it is made.

A page's HTML is the prerender of a new session and an event stream never ends, so neither can
be made for a ``HEAD``: a probe (a monitor, a link checker, a flood) would open a session or a
stream and send nothing. The answer carries the ``GET``'s status and header fields but no
``Content-Length``: RFC 9110, section 9.3.2 lets a server leave out fields "whose value is
determined only while generating the content", and section 8.6 forbids a ``Content-Length``
other than the ``GET``'s (Starlette sets ``0`` on an empty body).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

__all__ = ["head_response"]


def head_response(*, media_type: str, headers: Mapping[str, str], status_code: int = 200) -> Response:
    """Return the header fields of a ``GET`` whose content is not made for a ``HEAD``.

    Args:
        media_type: The ``GET``'s ``Content-Type`` (``text/html``, ``text/event-stream``).
        headers: The ``GET``'s other header fields.
        status_code: The ``GET``'s status.

    Returns:
        A response without content and without ``Content-Length`` (the HTTP/1.1 server then
        frames it as the ``GET`` of unknown length would be: ``Transfer-Encoding: chunked``;
        RFC 9112, section 6.1).

    """
    response = Response(status_code=status_code, media_type=media_type, headers=dict(headers))
    response.raw_headers = [
        (name, value) for name, value in response.raw_headers if name != b"content-length"
    ]
    return response
