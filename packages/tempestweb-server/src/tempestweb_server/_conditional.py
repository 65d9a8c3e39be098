"""Conditional requests and content codings for the host's own files (RFC 9110, sections 12.5.3 and 13).

The app's assets, the JS client's files and the rehearsal are each served with an ETag and
``Cache-Control: no-cache``, so a page revalidates them on every load. Those checks were exact
string comparisons of the first ``If-None-Match`` field line, so:

- a cache that weakens ETags (nginx does when it compresses a response: ``W/"..."``), a list of
  ETags, ``*``, or a second field line never matched, and the client's 2.5 KB ``boot.js`` and
  the 42 KB rehearsal were sent whole again on every revalidation;
- ``gzip;q=0`` (gzip not acceptable) got the rehearsal gzip-encoded, ``x-gzip2`` matched as a
  substring, and ``GZIP`` (content codings are case-insensitive) did not;
- ``If-Match`` and ``If-Unmodified-Since`` on an asset were ignored: a client resuming a
  download after the file changed got the new bytes' range spliced onto the old ones instead
  of ``412``; the JS client's files and the rehearsal ignored ``If-Match`` until they went
  through the same evaluation.

(Found by probing ``tempestweb run examples/gallery`` from outside with curl.)
"""

from __future__ import annotations

import email.utils
from collections.abc import Iterator

from starlette.datastructures import Headers

__all__ = ["accepts_gzip", "evaluate_preconditions", "none_match"]


def _tags(headers: Headers, name: str, /) -> Iterator[str]:
    """Yield the entity tags (or ``*``) of every field line of ``name`` (a list header)."""
    for line in headers.getlist(name):
        for tag in line.split(","):
            if tag := tag.strip():
                yield tag


def none_match(headers: Headers, etag: str, /) -> bool:
    """Return whether ``If-None-Match`` matches ``etag`` (the condition is false: answer 304).

    Weak comparison (RFC 9110, section 8.8.3.2): ``W/"x"`` matches ``"x"``; ``*`` matches any
    current representation; every field line and every member of the list counts.

    Args:
        headers: The request's header fields.
        etag: The representation's entity tag, quoted (``"abc"``).

    Returns:
        True when a 304 is the answer to a GET or HEAD; False without the field.

    """
    opaque = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == opaque for tag in _tags(headers, "if-none-match"))


def _http_date(value: str | None) -> int | None:
    """Return an HTTP-date (RFC 9110, section 5.6.7) as POSIX seconds, or None when it is not one."""
    if value is None:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        return int(parsed.timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def evaluate_preconditions(headers: Headers, *, etag: str, modified_s: float | None) -> int | None:
    """Evaluate a GET's or HEAD's preconditions on a file in RFC 9110's order (section 13.2.2).

    The one rule for every file the host serves: the app's assets, the JS client's files and the
    rehearsal.

    Args:
        headers: The request's header fields.
        etag: The file's strong entity tag, quoted.
        modified_s: The file's modification time, in POSIX seconds (its ``Last-Modified``), or
            ``None`` for a response sent without one: the date conditions are then ignored
            (sections 13.1.3 and 13.1.4: no modification date is available).

    Returns:
        412 when ``If-Match`` (strong comparison) or, without it, ``If-Unmodified-Since`` is
        false; 304 when ``If-None-Match`` or, without it, ``If-Modified-Since`` is false;
        ``None`` to serve the file (an invalid date is ignored, as the RFC requires).

    """
    modified = None if modified_s is None else int(modified_s)
    if headers.getlist("if-match"):
        if not any(tag in ("*", etag) for tag in _tags(headers, "if-match")):
            return 412
    elif modified is not None:
        since = _http_date(headers.get("if-unmodified-since"))
        if since is not None and modified > since:
            return 412
    if headers.getlist("if-none-match"):
        return 304 if none_match(headers, etag) else None
    if modified is not None:
        since = _http_date(headers.get("if-modified-since"))
        if since is not None and modified <= since:
            return 304
    return None


def accepts_gzip(header: str | None, /) -> bool:
    """Return whether an ``Accept-Encoding`` field value accepts ``gzip`` (RFC 9110, section 12.5.3).

    Codings are case-insensitive, ``x-gzip`` is ``gzip``, a weight of 0 means "not acceptable",
    and ``*`` stands for every coding the field does not name.

    Args:
        header: The field value (several field lines joined with ``,``), or None.

    Returns:
        True when gzip has a weight above 0.

    """
    if not header:
        return False
    star: float | None = None
    for member in header.split(","):
        coding, _, parameters = member.partition(";")
        coding = coding.strip().lower()
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0  # not a weight: not a reason to send gzip
        if coding in ("gzip", "x-gzip"):
            return weight > 0
        if coding == "*":
            star = weight
    return star is not None and star > 0
