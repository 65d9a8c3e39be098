"""Same-origin check for WebSocket, SSE and POST requests (defence against cross-site hijacking)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers

__all__ = ["origin_allowed"]


def origin_allowed(headers: Headers, allowed_origins: tuple[str, ...], /) -> bool:
    """Decide whether a request's ``Origin`` may talk to this host.

    Browsers always send ``Origin`` on WebSocket handshakes and cross-origin requests
    (RFC 6454, RFC 6455 section 10.2); a request without it comes from a non-browser client
    and cannot be a cross-site hijack, so it is allowed.

    Args:
        headers: The request headers.
        allowed_origins: Extra accepted origins (``scheme://host[:port]``); ``"*"`` allows all.

    Returns:
        ``True`` when ``Origin`` is absent, names the request's own ``Host``, or is listed.

    """
    origin = headers.get("origin")
    if origin is None or "*" in allowed_origins:
        return True
    origin = origin.strip().lower().rstrip("/")
    if origin in (allowed.lower().rstrip("/") for allowed in allowed_origins):
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    host = headers.get("host", "").strip().lower()
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.netloc == host
