"""HTTP from the page: ``fetch`` with retries, uploads with live progress, polling.

Each attempt is one native call that runs ``fetch`` in the browser (``client/native/http.js``),
so a request behaves the same in every mode: same origin, cookies and service worker as the
page. The retry loop runs here, in Python, between attempts.

Example:
    >>> from tempestweb.native import http
    >>> from tempestweb.native.http import RetryOptions
    >>> from tempestweb.native.testing import fake_native
    >>> import asyncio
    >>> async def main() -> int:
    ...     with fake_native() as fake:
    ...         fake.set_result("http", "fetch", http.fake_response(200, json={"id": 7}))
    ...         response = await http.request("POST", "/api/orders", json={"qty": 1},
    ...                                       retry=RetryOptions(attempts=3, backoff=0.5),
    ...                                       idempotency_key=http.generate_idempotency_key())
    ...         return response.json()["id"]
    >>> asyncio.run(main())
    7

"""

from __future__ import annotations

import asyncio
import codecs
import inspect
import json as _json
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import Field

from tempestweb.native._retry import RetryOptions, backoff_delay, may_retry, retry_after_s
from tempestweb.native._wire import B64Bytes, JSONValue, WireModel, b64encode, check_timeout
from tempestweb.native.constants import (
    BRIDGE_MARGIN_S,
    HTTP_TIMEOUT_S,
    IDEMPOTENCY_KEY_HEADER,
    UPLOAD_TIMEOUT_S,
    WAIT_SLICE_S,
)
from tempestweb.native.errors import InvalidArgumentError, NativeNetworkError, NativeTimeoutError
from tempestweb.native.plugins import Capability, register

__all__ = [
    "Credentials",
    "Response",
    "RetryOptions",
    "UploadProgress",
    "fake_response",
    "generate_idempotency_key",
    "poll",
    "request",
    "upload",
]

CAPABILITY = register(Capability("http"))
"""The ``http`` capability handle (``client/native/http.js``)."""

Credentials = Literal["same-origin", "include", "omit"]
"""``RequestInit.credentials`` (WHATWG Fetch): when cookies and HTTP auth are sent."""

_METHOD_RE = re.compile(r"^[A-Za-z!#$%&'*+.^_`|~0-9-]+$")  # RFC 9110 token
_HEADER_NAME_RE = _METHOD_RE
_CHARSET_RE = re.compile(r"charset=\"?([\w.:-]+)", re.IGNORECASE)


class _Fetched(WireModel):
    """What ``http.fetch`` answers (one attempt)."""

    status: int = Field(ge=0, le=999)
    status_text: str = ""
    url: str = ""
    redirected: bool = False
    headers: list[Annotated[list[str], Field(min_length=2, max_length=2)]] = Field(default_factory=list)
    body: B64Bytes = b""


@dataclass(frozen=True, slots=True)
class Response:
    """A typed HTTP response (built from a validated answer of the page).

    Attributes:
        status: HTTP status code (0 for an opaque response).
        status_text: Reason phrase.
        url: Final URL after redirects.
        redirected: Whether a redirect was followed.
        headers: Header names in lower case -> value (repeated headers joined by ``", "``).
        content: The body's bytes.
        attempts: How many attempts :func:`request` made (1 = no retry).

    """

    status: int
    status_text: str = ""
    url: str = ""
    redirected: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""
    attempts: int = 1

    @property
    def ok(self) -> bool:
        """Whether ``status`` is 200..299 (``Response.ok`` of WHATWG Fetch)."""
        return 200 <= self.status <= 299

    def text(self, encoding: str | None = None) -> str:
        """Return the body decoded as text.

        Args:
            encoding: Codec; ``None`` uses the ``charset`` of ``Content-Type`` when Python knows
                it as a text encoding, else UTF-8 (a label the server made up is no error).

        Raises:
            UnicodeDecodeError: The body is not text in that encoding.
            LookupError: ``encoding`` (given by the caller) is not a text encoding.

        """
        if encoding is None:
            found = _CHARSET_RE.search(self.headers.get("content-type", ""))
            encoding = found.group(1) if found is not None and _is_text_encoding(found.group(1)) else "utf-8"
        return self.content.decode(encoding)

    def json(self) -> Any:
        """Return the body decoded as JSON (synchronous: the body is already here).

        Raises:
            ValueError: The body is not JSON (``json.JSONDecodeError``).

        """
        return _json.loads(self.content)


class UploadProgress(WireModel):
    """Progress of an upload (``XMLHttpRequestUpload`` ``progress`` events).

    Attributes:
        loaded: Bytes sent so far.
        total: Bytes to send (``None`` when unknown).
        done: Whether the upload finished (the response is being read or is here).

    """

    loaded: int = Field(ge=0)
    total: int | None = Field(default=None, ge=0)
    done: bool = False

    @property
    def fraction(self) -> float | None:
        """``loaded / total`` in ``[0, 1]``, or ``None`` when the total is unknown."""
        if not self.total:
            return None
        return min(1.0, self.loaded / self.total)


class _UploadState(UploadProgress):
    response: _Fetched | None = None


class _Started(WireModel):
    id: str


def _is_text_encoding(name: str) -> bool:
    try:
        info = codecs.lookup(name)
    except LookupError:
        return False
    # The flag bytes.decode() checks: False for the bytes-to-bytes codecs (hex, zlib, rot13...).
    return bool(getattr(info, "_is_text_encoding", True))


def generate_idempotency_key() -> str:
    """Return a fresh idempotency key (a random UUID4, 122 bits of entropy)."""
    return str(uuid.uuid4())


def _headers(
    headers: Mapping[str, str] | None, idempotency_key: str | None, content_type: str | None
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    names: set[str] = set()
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not _HEADER_NAME_RE.match(name) or not isinstance(value, str):
            raise InvalidArgumentError(f"bad header {name!r}: {value!r}", capability="http", method="fetch")
        out.append((name, value))
        names.add(name.lower())
    if content_type is not None and "content-type" not in names:
        out.append(("Content-Type", content_type))
    if idempotency_key:
        if IDEMPOTENCY_KEY_HEADER.lower() in names:
            raise InvalidArgumentError(
                f"give the key either as idempotency_key= or as the {IDEMPOTENCY_KEY_HEADER} header",
                capability="http",
                method="fetch",
            )
        out.append((IDEMPOTENCY_KEY_HEADER, idempotency_key))
    return out


def _response(fetched: _Fetched, attempts: int) -> Response:
    headers: dict[str, str] = {}
    for name, value in fetched.headers:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return Response(
        status=fetched.status,
        status_text=fetched.status_text,
        url=fetched.url,
        redirected=fetched.redirected,
        headers=headers,
        content=fetched.body,
        attempts=attempts,
    )


def _method(method: str) -> str:
    if not isinstance(method, str) or not _METHOD_RE.match(method):
        raise InvalidArgumentError(f"bad HTTP method {method!r}", capability="http", method="fetch")
    return method.upper()


def _timeout(timeout_s: float, method: str = "fetch") -> float:
    try:
        return check_timeout(timeout_s)
    except ValueError as exc:
        raise InvalidArgumentError(str(exc), capability="http", method=method) from None


async def request(
    method: str,
    url: str,
    /,
    *,
    json: JSONValue = None,
    body: bytes | str | None = None,
    headers: Mapping[str, str] | None = None,
    retry: RetryOptions | None = None,
    idempotency_key: str | None = None,
    credentials: Credentials = "same-origin",
    timeout_s: float = HTTP_TIMEOUT_S,
) -> Response:
    """Send an HTTP request from the page (WHATWG Fetch), retrying as ``retry`` says.

    A retry follows only a network error or a status in ``retry.statuses`` (408, 425, 429,
    5xx), waits ``Retry-After`` when the response has one (else the jittered exponential
    backoff), and never re-sends a non-idempotent method (POST, PATCH) without an
    ``idempotency_key``. The key is sent as the ``Idempotency-Key`` header, the same on every
    attempt, so the server applies the effect once.

    Args:
        method: HTTP method, e.g. ``"GET"`` (case-insensitive).
        url: Absolute URL, or relative to the page.
        json: A JSON body (sent with ``Content-Type: application/json``); ``None``: none.
        body: A raw body (bytes, or text sent as UTF-8); not together with ``json``.
        headers: Request headers.
        retry: Retry policy; ``None``: one attempt.
        idempotency_key: Key making a non-idempotent request safe to retry
            (:func:`generate_idempotency_key`).
        credentials: When cookies are sent (``RequestInit.credentials``).
        timeout_s: Seconds each attempt may take in the page, > 0.

    Returns:
        The last response, whatever its status (check :attr:`Response.ok`); its ``attempts``
        says how many were made.

    Raises:
        InvalidArgumentError: Bad method, header, timeout, or both ``json`` and ``body``.
        NativeNetworkError: The last attempt failed at the network level (DNS, refused
            connection, CORS, offline).
        NativeTimeoutError: An attempt took longer than ``timeout_s``.
        MalformedResultError: The page answered something that is not a response.
        NoSessionError: Called outside a session.
        NativeCallError: Another failure of the call.

    """
    verb = _method(method)
    timeout = _timeout(timeout_s)
    if json is not None and body is not None:
        raise InvalidArgumentError("give json= or body=, not both", capability="http", method="fetch")
    content_type: str | None = None
    payload: bytes | None = None
    if json is not None:
        payload = _json.dumps(json, separators=(",", ":"), allow_nan=False).encode()
        content_type = "application/json"
    elif isinstance(body, str):
        payload = body.encode()
        content_type = "text/plain;charset=UTF-8"
    elif body is not None:
        payload = bytes(body)
    args = {
        "method": verb,
        "url": str(url),
        "headers": _headers(headers, idempotency_key, content_type),
        "body": None if payload is None else b64encode(payload),
        "credentials": credentials,
        "timeout_ms": round(timeout * 1000),
    }
    options = retry or RetryOptions(attempts=1)
    attempts = options.attempts if may_retry(verb, idempotency_key) else 1
    for attempt in range(1, attempts + 1):
        try:
            fetched = await CAPABILITY.call(
                "fetch", args, result=_Fetched, timeout_s=timeout + BRIDGE_MARGIN_S
            )
        except NativeNetworkError:
            if attempt == attempts:
                raise
            await asyncio.sleep(backoff_delay(options, attempt))
            continue
        response = _response(fetched, attempt)
        if attempt == attempts or response.status not in options.statuses:
            return response
        wait = retry_after_s(response.headers)
        if wait is None:
            wait = backoff_delay(options, attempt)
        elif wait > options.max_retry_after:
            return response
        await asyncio.sleep(wait)
    raise AssertionError("unreachable: the loop returns or raises on its last attempt")  # pragma: no cover


ProgressCallback = Callable[[UploadProgress], "Awaitable[None] | None"]


async def upload(
    url: str,
    data: bytes,
    /,
    *,
    filename: str = "file",
    field: str = "file",
    mime_type: str = "application/octet-stream",
    fields: Mapping[str, str] | None = None,
    method: Literal["POST", "PUT"] = "POST",
    headers: Mapping[str, str] | None = None,
    on_progress: ProgressCallback | None = None,
    timeout_s: float = UPLOAD_TIMEOUT_S,
) -> Response:
    """Upload bytes as ``multipart/form-data`` from the page, reporting progress as it goes.

    Runs ``XMLHttpRequest`` in the page (its ``upload.onprogress`` gives live progress, which
    ``fetch`` does not); Python waits for each progress step with a long-poll call, so
    ``on_progress`` sees the upload advance in every mode. Not retried.

    Args:
        url: Target URL (absolute or relative to the page).
        data: File content.
        filename: File name of the form part.
        field: Form field name of the file part.
        mime_type: MIME type of the file part.
        fields: Extra text fields of the form.
        method: ``"POST"`` or ``"PUT"``.
        headers: Request headers (not ``Content-Type``: the browser sets the boundary).
        on_progress: Called with each :class:`UploadProgress` (may be async).
        timeout_s: Seconds the whole upload may take, > 0.

    Returns:
        The server's response.

    Raises:
        InvalidArgumentError: Bad header or timeout.
        NativeNetworkError: The upload failed at the network level.
        NativeTimeoutError: It took longer than ``timeout_s``.
        NoSessionError: Called outside a session.
        NativeCallError: Another failure of the call.

    """
    timeout = _timeout(timeout_s, "upload_start")
    deadline = time.monotonic() + timeout
    started = await CAPABILITY.call(
        "upload_start",
        {
            "url": str(url),
            "method": method,
            "data": b64encode(bytes(data)),
            "filename": filename,
            "field": field,
            "mime_type": mime_type,
            "fields": dict(fields or {}),
            "headers": _headers(headers, None, None),
            "timeout_ms": round(timeout * 1000),
        },
        result=_Started,
    )
    seen = -1
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            await CAPABILITY.call("upload_abort", {"id": started.id}, result=type(None))
            raise NativeTimeoutError(
                f"upload took longer than {timeout} s", capability="http", method="upload"
            )
        wait = min(WAIT_SLICE_S, remaining)
        state = await CAPABILITY.call(
            "upload_wait",
            {"id": started.id, "seen": seen, "wait_ms": round(wait * 1000)},
            result=_UploadState,
            timeout_s=wait + BRIDGE_MARGIN_S,
        )
        if state.loaded != seen or state.done:
            seen = state.loaded
            if on_progress is not None:
                outcome = on_progress(UploadProgress(loaded=state.loaded, total=state.total, done=state.done))
                if inspect.isawaitable(outcome):
                    await outcome
        if state.response is not None:
            return _response(state.response, 1)


async def poll(
    url: str,
    /,
    *,
    until: Callable[[Response], bool],
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    interval_s: float = 1.0,
    max_polls: int = 60,
    retry: RetryOptions | None = None,
    timeout_s: float = HTTP_TIMEOUT_S,
) -> Response:
    """Request ``url`` every ``interval_s`` until ``until(response)`` is true, or a bound is hit.

    Args:
        url: URL to poll.
        until: Predicate on each response; the first response it accepts is returned.
        method: HTTP method (an idempotent one: it is sent repeatedly).
        headers: Request headers.
        interval_s: Wait between two polls, in seconds, >= 0.
        max_polls: Most requests to send, >= 1.
        retry: Retry policy of each poll's request.
        timeout_s: Seconds each request may take.

    Returns:
        The first response ``until`` accepted.

    Raises:
        InvalidArgumentError: ``max_polls`` < 1, ``interval_s`` < 0, or a non-idempotent method.
        NativeTimeoutError: ``max_polls`` responses were all rejected by ``until``.
        NativeCallError: A request failed (see :func:`request`).

    """
    verb = _method(method)
    if max_polls < 1 or interval_s < 0 or not may_retry(verb, None):
        raise InvalidArgumentError(
            f"poll needs max_polls >= 1, interval_s >= 0 and an idempotent method "
            f"(got {max_polls}, {interval_s}, {verb})",
            capability="http",
            method="fetch",
        )
    for index in range(max_polls):
        response = await request(verb, url, headers=headers, retry=retry, timeout_s=timeout_s)
        if until(response):
            return response
        if index + 1 < max_polls:
            await asyncio.sleep(interval_s)
    raise NativeTimeoutError(
        f"{url}: no accepted response after {max_polls} polls", capability="http", method="fetch"
    )


def fake_response(
    status: int = 200,
    /,
    *,
    json: JSONValue = None,
    body: bytes | str = b"",
    headers: Mapping[str, str] | None = None,
    url: str = "",
) -> dict[str, Any]:
    """Return what ``http.fetch`` answers for a response, to set on the fake backend.

    Args:
        status: HTTP status.
        json: A JSON body (sets ``Content-Type: application/json``).
        body: A raw body, when ``json`` is ``None``.
        headers: Response headers.
        url: Final URL.

    Returns:
        The wire value (a JSON object).

    """
    pairs = [[name, value] for name, value in (headers or {}).items()]
    if json is not None:
        data = _json.dumps(json).encode()
        pairs.append(["content-type", "application/json"])
    else:
        data = body.encode() if isinstance(body, str) else bytes(body)
    return {
        "status": status,
        "status_text": "",
        "url": url,
        "redirected": False,
        "headers": pairs,
        "body": b64encode(data),
    }


def __dir__() -> list[str]:
    return list(__all__)
