"""Issue 13: a POST refused before its body arrived is answered after the body, on a kept connection.

Found by the reliability suite's fuzzer on a loaded machine (once in six runs): a ``POST
/_tw/send`` for a session with no open stream was answered ``404`` as soon as its headers were
read, and Hypercorn then closed the connection, since the request's body had not all arrived.
The body arriving after that close made the kernel reset the connection, and the client read
"server disconnected without sending a response" instead of the typed ``404`` (RFC 9112, section
9.6, "lingering close"). Every refusal of a POST endpoint now reads and discards the rest of the
body first, within bounds (``tempestweb_server._body.discard_body``): the client gets the answer
and the connection goes on to its next request.

The test sends a request's head, waits, then its body, as a client on a slow or loaded link
does, then a second request on the same connection.
"""

from __future__ import annotations

import json
import socket
import time

import pytest
from server_live import counter_app, live_server

BODY = b'{"type":"event","eid":1,"node":1,"name":"click","data":{}}'


def _read_response(sock: socket.socket) -> tuple[int, bytes]:
    """Read one response with a Content-Length body; return its status and body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection closed after {data[:200]!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = {name.lower(): value for name, value in (line.split(": ", 1) for line in lines[1:])}
    length = int(fields.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed inside the body")
        rest += chunk
    return int(lines[0].split()[1]), rest[:length]


def _nothing_for(sock: socket.socket, seconds: float) -> bytes:
    """What the server sent within ``seconds`` (b"" when nothing, or when it closed)."""
    sock.settimeout(seconds)
    try:
        return sock.recv(65536)
    except TimeoutError:
        return b""
    finally:
        sock.settimeout(10)


@pytest.mark.parametrize(
    ("target", "status", "code"),
    [
        ("/_tw/send?session=nosuch&token=t", 404, "not_found"),  # no open stream
        ("/_tw/send?session=nosuch", 400, "malformed_frame"),  # no token
        ("/_tw/upload?session=nosuch&token=t", 400, "upload_failed"),  # parameters missing
        ("/_tw/upload?session=s&token=t&node=1&upload=u&name=f", 403, "unauthorized"),  # bad token
    ],
)
def test_issue_13_a_refused_post_is_answered_after_its_body_and_keeps_the_connection(
    target: str, status: int, code: str
) -> None:
    with live_server(counter_app()) as base:
        host, port = base.split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            head = (
                f"POST {target} HTTP/1.1\r\nHost: {base}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(BODY)}\r\n\r\n"
            )
            sock.sendall(head.encode())
            early = _nothing_for(sock, 0.5)  # the old code answered here, then closed
            assert early == b"", early[:200]
            sock.sendall(BODY)
            answered, body = _read_response(sock)
            assert answered == status
            assert json.loads(body)["code"] == code
            # the same connection serves the next request (the old code had closed it)
            sock.sendall(f"GET /_tw/client/boot.js HTTP/1.1\r\nHost: {base}\r\n\r\n".encode())
            started = time.monotonic()
            again, script = _read_response(sock)
            assert again == 200 and script, (again, time.monotonic() - started)
