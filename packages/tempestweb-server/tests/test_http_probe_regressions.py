"""Defects found by a black-box probe of the Mode B server's HTTP surface (``tempestweb run``).

Each was found against ``examples/gallery`` and ``examples/todomvc`` from outside (curl, raw
sockets, an HTTP/2 client without TLS) and is checked here the same way, on a real Hypercorn
server on loopback (:func:`server_live.live_server`) or, for the upload endpoint's own logic,
Starlette's ``TestClient``:

- HTTP/2: a request answered before its body was read (``PUT /`` is a 405) killed the whole
  connection with a traceback (Hypercorn's ``KeyError`` on the DATA frame of a finished stream);
- WebSocket upgrade: a non-ASCII byte in ``Sec-WebSocket-Protocol``, ``Sec-WebSocket-Extensions``
  or ``Connection`` got no answer and a traceback (Hypercorn's ``UnicodeDecodeError``);
- ``POST /_tw/upload`` with a ``Content-Length`` of 16 digits or more was taken as no length at
  all: the declared size was not checked against the drop zone's limit.

(:mod:`tempestweb_server._protocol_guards`, :mod:`tempestweb_server._upload`.)
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Iterator

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.settings
import httpx
import pytest
from server_live import counter_app, live_server
from starlette.testclient import TestClient

from tempest_core import App
from tempest_core.nodes import Element
from tempest_core.widgets import Column, FileUpload, Text
from tempestweb_contract.names import ENDPOINT_PREFIX, UPLOAD_PATH
from tempestweb_server import create_app

UPLOAD_URL = f"{ENDPOINT_PREFIX}{UPLOAD_PATH}"
KEY = b"dGhlIHNhbXBsZSBub25jZQ=="


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


def _h2_events(sock: socket.socket, connection: h2.connection.H2Connection) -> list[h2.events.Event]:
    """Flush what ``connection`` has to send, then read one batch of the server's frames."""
    sock.sendall(connection.data_to_send())
    data = sock.recv(65536)
    assert data, "the server closed the connection"
    events = connection.receive_data(data)
    sock.sendall(connection.data_to_send())
    return events


def _h2_answer(sock: socket.socket, connection: h2.connection.H2Connection, stream_id: int) -> int:
    """Read frames until stream ``stream_id`` has ended; return its status."""
    status = 0
    while True:
        for event in _h2_events(sock, connection):
            if isinstance(event, h2.events.ResponseReceived) and event.stream_id == stream_id:
                status = int(dict(event.headers)[b":status"])
            if isinstance(event, h2.events.StreamEnded) and event.stream_id == stream_id:
                return status


def test_http2_request_answered_before_its_body_keeps_the_connection(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """``PUT /`` over HTTP/2 is a 405 sent before its body; the body comes, the connection goes on."""
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        host, port = base.split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
            connection.initiate_connection()
            request = [(":authority", base), (":scheme", "http"), (":path", "/")]
            connection.send_headers(1, [(":method", "PUT"), *request, ("content-length", "1")])
            refused = _h2_answer(sock, connection, 1)  # answered while its body has not come
            connection.send_data(1, b"x", end_stream=True)
            connection.send_headers(
                3, [(":method", "GET"), *request[:2], (":path", "/favicon.ico")], end_stream=True
            )
            after = _h2_answer(sock, connection, 3)
    assert (refused, after) == (405, 204)
    assert not _errors(caplog), caplog.text[-3000:]


def test_http2_unread_bodies_give_the_connection_window_back(caplog: pytest.LogCaptureFixture) -> None:
    """Bodies far past the 64 KiB connection window, all refused unread, do not stall the connection."""
    with (
        caplog.at_level(logging.ERROR),
        live_server(counter_app()) as base,
        httpx.Client(http1=False, http2=True, timeout=9) as http,
    ):
        statuses = [
            http.post(f"http://{base}/_tw/nothing", content=b"z" * 60_000).status_code for _ in range(6)
        ]
        after = http.get(f"http://{base}/_tw/client/boot.js")
    assert statuses == [405] * 6
    assert (after.http_version, after.status_code) == ("HTTP/2", 200)
    assert not _errors(caplog), caplog.text[-3000:]


def _h2_connection(base: str) -> tuple[socket.socket, h2.connection.H2Connection]:
    host, port = base.split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    connection = h2.connection.H2Connection(
        h2.config.H2Configuration(client_side=True, validate_outbound_headers=False)
    )
    connection.initiate_connection()
    return sock, connection


@pytest.mark.parametrize(
    "headers",
    [
        [(":method", "GET"), (":scheme", "http"), (":path", b"/\xff\xfe")],
        [(":method", b"G\xffT"), (":scheme", "http"), (":path", "/")],
        [(":method", "CONNECT"), (":authority", "example.com:443")],
    ],
    ids=["non-ascii-path", "non-ascii-method", "connect-without-path"],
)
def test_http2_malformed_request_resets_its_stream_only(
    headers: list[tuple[str, str | bytes]], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        sock, connection = _h2_connection(base)
        with sock:
            authority = [] if any(name == ":authority" for name, _ in headers) else [(":authority", base)]
            connection.send_headers(1, [*headers[:1], *authority, *headers[1:]], end_stream=True)
            reset = None
            while reset is None:
                for event in _h2_events(sock, connection):
                    if isinstance(event, h2.events.StreamReset) and event.stream_id == 1:
                        reset = event.error_code
            request = [(":method", "GET"), (":authority", base), (":scheme", "http")]
            connection.send_headers(3, [*request, (":path", "/favicon.ico")], end_stream=True)
            after = _h2_answer(sock, connection, 3)
    assert (reset, after) == (h2.errors.ErrorCodes.PROTOCOL_ERROR, 204)
    assert not _errors(caplog), caplog.text[-3000:]


def test_http2_rapid_reset_gets_goaway_without_a_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """2,000 streams opened and reset in one write: ``GOAWAY(ENHANCE_YOUR_CALM)``, nothing logged."""
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        sock, connection = _h2_connection(base)
        with sock:
            request = [(":method", "GET"), (":authority", base), (":scheme", "http"), (":path", "/")]
            for stream_id in range(1, 4001, 2):
                connection.send_headers(stream_id, request)
                connection.reset_stream(stream_id)
            sock.sendall(connection.data_to_send())
            goaway = None
            while goaway is None:
                data = sock.recv(65536)
                assert data, "closed without GOAWAY"
                for event in connection.receive_data(data):
                    if isinstance(event, h2.events.ConnectionTerminated):
                        goaway = event.error_code
        healthy = httpx.get(f"http://{base}/_tw/client/boot.js", timeout=9)
    assert goaway == h2.errors.ErrorCodes.ENHANCE_YOUR_CALM
    assert healthy.status_code == 200
    assert not _errors(caplog), caplog.text[-3000:]


def _upgrade(base: str, field: bytes) -> bytes:
    """Send a WebSocket upgrade with one more header field line; return the answer's status line.

    A ``Connection`` line replaces the request's own (Hypercorn reads the last one).
    """
    host, port = base.split(":")
    request = (
        b"GET /_tw/ws HTTP/1.1\r\nHost: "
        + base.encode()
        + b"\r\nUpgrade: websocket\r\n"
        + (b"" if field.startswith(b"Connection:") else b"Connection: Upgrade\r\n")
        + b"Sec-WebSocket-Key: "
        + KEY
        + b"\r\nSec-WebSocket-Version: 13\r\n"
        b"Origin: http://" + base.encode() + b"\r\n" + field + b"\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n", 1)[0]


@pytest.mark.parametrize(
    "field",
    [
        b"Sec-WebSocket-Protocol: tw, a\xff",
        b"Sec-WebSocket-Extensions: permessage-deflate; x=\xe9",
        b"Connection: Upgrade, \xc0\xae",
    ],
    ids=["protocol", "extensions", "connection"],
)
def test_websocket_upgrade_with_a_non_ascii_token_is_400(
    field: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        status = _upgrade(base, field)
        healthy = _upgrade(base, b"Sec-WebSocket-Protocol: tw")
    assert status.startswith(b"HTTP/1.1 400"), status
    assert healthy.startswith(b"HTTP/1.1 101"), healthy
    assert not _errors(caplog), caplog.text[-3000:]


def _upload_view(_state: None) -> Element:
    return Column(Text("files"), FileUpload(max_bytes=16, accept=[".txt"]))


@pytest.fixture
def upload_client() -> Iterator[TestClient]:
    with TestClient(create_app(App(view=_upload_view)), base_url="http://testserver") as test_client:
        yield test_client


@pytest.mark.parametrize("declared", ["1000000000000000", "9" * 19])
def test_upload_declaring_a_length_of_16_or_more_digits_is_too_large(
    upload_client: TestClient, declared: str
) -> None:
    page = upload_client.get("/").text
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    zone = re.search(r'<div data-tw="(\d+)"[^>]*data-tw-upload=""', page)
    assert session and token and zone, page
    params = {
        "session": session[1],
        "token": token[1],
        "node": zone[1],
        "upload": "upload-0001",
        "name": "a.txt",
    }
    response = upload_client.post(
        UPLOAD_URL,
        params=params,
        content=b"abc",
        headers={"origin": "http://testserver", "content-type": "text/plain", "content-length": declared},
    )
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "too_large"


def test_stop_with_connections_still_open_logs_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """Connections Hypercorn cancels after its graceful timeout end without an "Exception in callback"."""
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        host, port = base.split(":")
        page = httpx.get(f"http://{base}/", timeout=9).text
        session = re.search(r'data-tw-session="([^"]+)"', page)
        token = re.search(r'data-tw-token="([^"]+)"', page)
        assert session and token, page
        stream = socket.create_connection((host, int(port)), timeout=10)  # an SSE stream, no hello yet
        target = f"/_tw/sse?session={session[1]}&token={token[1]}"
        stream.sendall(f"GET {target} HTTP/1.1\r\nHost: {base}\r\n\r\n".encode())
        assert stream.recv(65536).startswith(b"HTTP/1.1 200")
        idle, connection = _h2_connection(base)  # an HTTP/2 connection with no request
        idle.sendall(connection.data_to_send())
    stream.close()
    idle.close()
    assert not _errors(caplog), caplog.text[-3000:]


def test_http2_client_that_gives_no_window_is_closed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Ten responses waiting for a window of 0: ``GOAWAY`` after ``send_timeout_s``, then a close."""
    with caplog.at_level(logging.ERROR), live_server(counter_app(), send_timeout_s=1) as base:
        assert httpx.get(f"http://{base}/_tw/rehearsal", timeout=30).status_code == 200  # recorded now
        sock, connection = _h2_connection(base)
        connection.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})
        request = [(":method", "GET"), (":authority", base), (":scheme", "http"), (":path", "/_tw/rehearsal")]
        for stream_id in range(1, 21, 2):
            connection.send_headers(stream_id, request, end_stream=True)
        sock.sendall(connection.data_to_send())
        goaway = None
        with sock:
            while goaway is None:
                data = sock.recv(65536)  # a 10 s timeout: the old code never answered
                assert data, "closed without GOAWAY"
                for event in connection.receive_data(data):
                    if isinstance(event, h2.events.ConnectionTerminated):
                        goaway = event.error_code
            while data:  # then the server closes the connection
                data = sock.recv(65536)
    assert goaway == h2.errors.ErrorCodes.ENHANCE_YOUR_CALM
    assert not _errors(caplog), caplog.text[-3000:]


@pytest.mark.parametrize(
    "key",
    [b"x", b"dGhlIHNhbXBsZSBub25jZQ", b"dGhlIHNhbXBsZSBub25jZQ==dGhl", b"!!!!!!!!!!!!!!!!!!!!!!==", b"AAAA"],
    ids=["short", "unpadded", "trailing", "not-base64", "three-bytes"],
)
def test_websocket_upgrade_with_a_malformed_key_is_400(key: bytes, caplog: pytest.LogCaptureFixture) -> None:
    """RFC 6455 §4.2.1: the key must be the base64 of 16 bytes, or the server must not accept."""
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        host, port = base.split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(_upgrade_request(base, key, b""))
            status = sock.recv(65536).split(b"\r\n", 1)[0]
        healthy = _upgrade(base, b"Sec-WebSocket-Protocol: tw")
    assert status.startswith(b"HTTP/1.1 400"), status
    assert healthy.startswith(b"HTTP/1.1 101"), healthy
    assert not _errors(caplog), caplog.text[-3000:]


def _raw(base: str, method: bytes, target: bytes, host: bytes) -> tuple[bytes, bytes, bytes]:
    """Send ``<method> <target>`` with ``Host: <host>`` over a socket; return status line, head, body."""
    address, port = base.split(":")
    with socket.create_connection((address, int(port)), timeout=10) as sock:
        head = b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n"
        sock.sendall(method + b" " + target + head)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0], head, body


def _raw_get(base: str, target: bytes, host: bytes) -> tuple[bytes, bytes]:
    """Send ``GET <target>`` with ``Host: <host>`` over a socket; return the status line and the body."""
    status, _, body = _raw(base, b"GET", target, host)
    return status, body


def test_an_absolute_form_target_is_served_as_its_path(caplog: pytest.LogCaptureFixture) -> None:
    """RFC 9112 §3.2.2: a server must accept ``GET http://host/path`` (it was a 404), taking the
    authority from the target, not from ``Host`` (so the DNS rebinding guard judges that one)."""
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        page, body = _raw_get(base, f"http://{base}/".encode(), b"ignored.example")
        missing, _ = _raw_get(base, f"http://{base}/_tw/client/no-such-file.js".encode(), base.encode())
        client, _ = _raw_get(base, f"http://{base}/_tw/client/boot.js?v=1".encode(), base.encode())
        rebound, rebound_body = _raw_get(base, b"http://evil.example/", base.encode())
        refused = [
            _raw_get(base, target, base.encode())[0]
            for target in (b"ftp://" + base.encode() + b"/", b"http://user@" + base.encode() + b"/", b"x/y")
        ]
    assert page.startswith(b"HTTP/1.1 200") and b"data-tw-session" in body, page
    assert missing.startswith(b"HTTP/1.1 404"), missing
    assert client.startswith(b"HTTP/1.1 200"), client
    assert rebound.startswith(b"HTTP/1.1 400") and b"evil.example" in rebound_body, rebound
    assert all(status.startswith(b"HTTP/1.1 400") for status in refused), refused
    assert not _errors(caplog), caplog.text[-3000:]


def test_options_asterisk_is_answered_with_allow(caplog: pytest.LogCaptureFixture) -> None:
    """RFC 9110 §9.3.7: ``OPTIONS *`` asks about the server (it reached the app: a 404); the
    asterisk-form with another method is a 400 (RFC 9112 §3.2.4); the Host guard still applies."""
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        status, head, body = _raw(base, b"OPTIONS", b"*", base.encode())
        get_status, _, _ = _raw(base, b"GET", b"*", base.encode())
        rebound, _, _ = _raw(base, b"OPTIONS", b"*", b"evil.example")
    assert status.startswith(b"HTTP/1.1 204"), status
    fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n")[1:])
    allow = {m.strip() for m in fields[b"allow"].split(b",")}
    assert allow == {b"GET", b"HEAD", b"POST", b"OPTIONS"}, fields
    assert b"content-length" not in fields and body == b"", (fields, body)
    assert get_status.startswith(b"HTTP/1.1 400"), get_status
    assert rebound.startswith(b"HTTP/1.1 400"), rebound
    assert not _errors(caplog), caplog.text[-3000:]


@pytest.mark.parametrize("suffix", [b"%0a", b"%0d%0a", b"%00", b"%09", b"%7f"])
def test_a_path_with_a_control_character_is_404(suffix: bytes, caplog: pytest.LogCaptureFixture) -> None:
    """``/_tw/client/boot.js%0a`` was served as ``boot.js`` (a route pattern's ``$`` matches before
    a final newline); a page path with one was served as the page. No resource has such a name."""
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        client, _ = _raw_get(base, b"/_tw/client/boot.js" + suffix, base.encode())
        page, _ = _raw_get(base, b"/" + suffix, base.encode())
        plain, _ = _raw_get(base, b"/_tw/client/boot.js", base.encode())
    assert client.startswith(b"HTTP/1.1 404"), client
    assert page.startswith(b"HTTP/1.1 404"), page
    assert plain.startswith(b"HTTP/1.1 200"), plain
    assert not _errors(caplog), caplog.text[-3000:]


def _upgrade_request(base: str, key: bytes, fields: bytes) -> bytes:
    """A WebSocket upgrade request to ``/_tw/ws`` with ``key`` and more header ``fields`` (CRLF-ended)."""
    return (
        b"GET /_tw/ws HTTP/1.1\r\nHost: " + base.encode() + b"\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n"
        + fields + b"Origin: http://" + base.encode() + b"\r\n\r\n"
    )


def _masked(first: int, payload: bytes) -> bytes:
    """A client frame: first byte ``first`` (FIN, RSV, opcode), masked ``payload`` (< 126 bytes)."""
    key = b"\x01\x02\x03\x04"
    return bytes([first, 0x80 | len(payload)]) + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def _close_after(base: str, frame: bytes) -> tuple[int | None, bytes]:
    """Open a WebSocket, send ``frame``; return the Close frame's code and reason (``None``: none came)."""
    host, port = base.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(_upgrade_request(base, KEY, b"Sec-WebSocket-Protocol: tw\r\n"))
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, data = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        sock.sendall(frame)
        while chunk := sock.recv(65536):
            data += chunk
    while len(data) >= 2:  # the server's frames (unmasked, short lengths): find the Close frame
        opcode, length = data[0] & 0x0F, data[1] & 0x7F
        body, data = data[2 : 2 + length], data[2 + length :]
        if opcode == 0x8:
            return int.from_bytes(body[:2], "big"), body[2:]
    return None, b""


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (_masked(0x81 | 0x20, b"hi"), 1002),  # RSV2 set, no extension negotiated it
        (_masked(0x81 | 0x40, b"hi"), 1002),  # RSV1 without permessage-deflate
        (b"\x81\x02hi", 1002),  # an unmasked client frame (RFC 6455 5.1)
        (_masked(0x83, b"hi"), 1002),  # a reserved opcode
        (_masked(0x81, b"\xff\xfe"), 1007),  # text that is not UTF-8 (RFC 6455 8.1)
        (_masked(0x89, b"x" * 126)[:2] + b"\x00\x7e" + b"\x00" * 130, 1002),  # a control frame over 125
    ],
    ids=["rsv2", "rsv1", "unmasked", "opcode", "utf8", "long-ping"],
)
def test_a_frame_that_cannot_be_parsed_gets_a_close_frame_with_its_code(
    frame: bytes, code: int, caplog: pytest.LogCaptureFixture
) -> None:
    """RFC 6455 7.1.7: failing the connection, the server should send a Close frame with the reason;
    it dropped the TCP connection without one (the client saw 1006 and no reason)."""
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        got, reason = _close_after(base, frame)
        healthy = _upgrade(base, b"Sec-WebSocket-Protocol: tw")
    assert got == code, (got, reason)
    assert reason, "the Close frame says what was wrong"
    assert healthy.startswith(b"HTTP/1.1 101"), healthy
    assert not _errors(caplog), caplog.text[-3000:]
