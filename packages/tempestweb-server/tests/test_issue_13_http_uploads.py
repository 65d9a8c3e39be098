"""``POST /_tw/upload`` probed from outside (issue 13): uploads arriving at once, encoded bodies.

Found by probing ``tempestweb run examples/gallery --max-upload-bytes 20000000`` with raw
sockets:

- Two uploads of one session with one upload id, arriving at once, were both kept (the store
  checks the id once a file is whole); the second replaced the first, and what the first held
  stayed counted in the process's byte budget for good: five such pairs of 4 MB files left
  16 MB counted for nobody after their sessions closed, and every later upload of every
  session was refused with ``too_many_uploads``.
- Files arriving at once passed a session's ``MAX_PENDING_UPLOADS`` (150 at once over 4
  sessions: 133 kept, against 128).
- A body with ``Content-Encoding: gzip`` was stored as it came and answered 200: the handler got
  the compressed bytes as the file's content.
"""

from __future__ import annotations

import contextlib
import re
import socket
import time
import urllib.parse
import zlib
from collections.abc import Iterator

import httpx
import pytest
from server_live import live_server
from starlette.testclient import TestClient
from test_upload import ORIGIN, URL, client, open_page

from tempest_core import App
from tempest_core.host import PENDING_UPLOADS
from tempest_core.host._uploads import MAX_PENDING_UPLOADS
from tempest_core.nodes import Element
from tempest_core.widgets import Column, FileUpload, Text

__all__ = ["client"]  # the fixture, shared with test_upload

HALF = 500
"""Bytes of a file sent before the test waits (the file is then arriving, not whole)."""


def _view(_state: None) -> Element:
    return Column(Text("files"), FileUpload(max_bytes=10_000, accept=[".txt"]))


@pytest.fixture
def base() -> Iterator[str]:
    with live_server(App(view=_view)) as served:
        yield served


def _page(base: str) -> tuple[str, str, int]:
    page = httpx.get(f"http://{base}/").text
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    zone = re.search(r'<div data-tw="(\d+)"[^>]*data-tw-upload=""', page)
    assert session and token and zone, page
    return session[1], token[1], int(zone[1])


def _start(base: str, page: tuple[str, str, int], upload_id: str, *, sent: int) -> socket.socket:
    """Open an upload of ``2 * HALF`` bytes and send its head and the first ``sent`` bytes."""
    session, token, node = page
    query = urllib.parse.urlencode(
        {"session": session, "token": token, "node": node, "upload": upload_id, "name": "a.txt"}
    )
    host, port = base.split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    head = (
        f"POST {URL}?{query} HTTP/1.1\r\nHost: {base}\r\nOrigin: http://{base}\r\n"
        f"Content-Type: text/plain\r\nContent-Length: {2 * HALF}\r\nConnection: close\r\n\r\n"
    )
    sock.sendall(head.encode() + b"x" * sent)
    return sock


def _finish(sock: socket.socket, *, sent: int) -> int:
    """Send the rest of the file (if the server still reads) and return the answer's status."""
    with contextlib.suppress(OSError):  # answered and closed already
        sock.sendall(b"x" * (2 * HALF - sent))
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    sock.close()
    return int(answer.split(b" ", 2)[1])


def _wait_for(used: int) -> None:
    deadline = time.monotonic() + 10
    while PENDING_UPLOADS.used < used:
        assert time.monotonic() < deadline, (PENDING_UPLOADS.used, used)
        time.sleep(0.01)


def test_two_uploads_with_one_id_at_once_keep_one_file_and_leak_nothing() -> None:
    baseline = PENDING_UPLOADS.used
    with live_server(App(view=_view)) as served:
        page = _page(served)
        first = _start(served, page, "same-id-0001", sent=HALF)
        _wait_for(baseline + HALF)  # the first file is arriving
        second = _start(served, page, "same-id-0001", sent=2 * HALF)
        assert _finish(second, sent=2 * HALF) == 429  # too_many_uploads: that id is arriving
        assert _finish(first, sent=HALF) == 200
        assert PENDING_UPLOADS.used == baseline + 2 * HALF  # one file waits for its handler
    # The server closed the session: everything it counted went back (the old code kept 1000).
    assert PENDING_UPLOADS.used == baseline


def test_files_arriving_at_once_count_towards_the_session_limit(base: str) -> None:
    baseline = PENDING_UPLOADS.used
    page = _page(base)
    arriving = [_start(base, page, f"upload-{index:04d}", sent=HALF) for index in range(MAX_PENDING_UPLOADS)]
    _wait_for(baseline + MAX_PENDING_UPLOADS * HALF)  # every one of them is arriving
    extra = _start(base, page, "upload-extra", sent=2 * HALF)
    assert _finish(extra, sent=2 * HALF) == 429  # the old code kept it: 33 files in one session
    assert [_finish(sock, sent=HALF) for sock in arriving] == [200] * MAX_PENDING_UPLOADS
    assert _finish(_start(base, _page(base), "upload-other", sent=2 * HALF), sent=2 * HALF) == 200


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "identity, gzip", "GZIP"])
def test_an_encoded_body_is_refused_not_stored_as_the_file(client: TestClient, encoding: str) -> None:
    session, token, node = open_page(client)
    params = {"session": session, "token": token, "node": str(node), "upload": "upload-0001", "name": "a.txt"}
    headers = {**ORIGIN, "content-type": "text/plain", "content-encoding": encoding}
    response = client.post(
        URL, params=params, content=zlib.compress(b"hi"), headers=headers
    )  # 10 bytes: under max_bytes
    assert response.status_code == 415
    body = response.json()
    assert body["code"] == "not_accepted" and "Content-Encoding" in body["message"], body
    # A plain body of the same session is stored as before.
    plain = client.post(
        URL,
        params={**params, "upload": "upload-0002"},
        content=b"hello",
        headers={**ORIGIN, "content-type": "text/plain"},
    )
    assert plain.status_code == 200 and plain.json() == {"id": "upload-0002", "size": 5}


def test_identity_encoding_is_the_file_as_it_is(client: TestClient) -> None:
    session, token, node = open_page(client)
    params = {"session": session, "token": token, "node": str(node), "upload": "upload-0001", "name": "a.txt"}
    headers = {**ORIGIN, "content-type": "text/plain", "content-encoding": "identity"}
    response = client.post(URL, params=params, content=b"hello", headers=headers)
    assert response.status_code == 200 and response.json() == {"id": "upload-0001", "size": 5}


def test_an_upload_whose_session_closes_meanwhile_is_not_found_and_leaves_nothing_counted() -> None:
    baseline = PENDING_UPLOADS.used
    with live_server(App(view=_view), max_sessions=2) as served:
        page = _page(served)
        arriving = _start(served, page, "upload-0001", sent=HALF)
        _wait_for(baseline + HALF)
        _page(served)
        _page(served)  # the table is full: the oldest page's session (the uploader's) makes room
        assert _finish(arriving, sent=HALF) == 404  # the old code: 200, for a file nobody can take
        assert PENDING_UPLOADS.used == baseline  # at once, not when a collection frees the session
        assert _finish(_start(served, _page(served), "upload-0002", sent=2 * HALF), sent=2 * HALF) == 200


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "identity, br"])
def test_an_encoded_sse_send_body_is_a_415_not_a_frame(encoding: str) -> None:
    """``POST /_tw/send`` with a ``Content-Encoding``: 415 at the POST (it was 204, then a
    ``malformed_frame`` on the stream; nothing is decoded, so a gzip bomb costs nothing)."""
    from tempestweb_server import create_app

    with TestClient(create_app(App(view=_view)), base_url="http://testserver") as http:
        session, token = open_page(http)[:2]
        body = zlib.compress(b'{"type": "hello", "v": 1, "path": "/"}')
        response = http.post(
            "/_tw/send",
            params={"session": session, "token": token},
            content=body,
            headers={"origin": "http://testserver", "content-encoding": encoding},
        )
    assert response.status_code == 415
    assert response.json()["code"] == "malformed_frame" and "Content-Encoding" in response.json()["message"]
