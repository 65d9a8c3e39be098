"""Revalidation and content codings of the host's own files, probed from outside (issue 13).

Found with curl against ``tempestweb run examples/gallery``: the JS client's files and the
rehearsal compared ``If-None-Match`` as one exact string (a ``W/`` tag as nginx sends it after
compressing, a list, ``*`` or a second field line re-sent the whole file); the rehearsal sent
gzip to ``gzip;q=0`` and not to ``GZIP``; an asset ignored ``If-Match``,
``If-Unmodified-Since`` and ``If-Modified-Since`` and answered ``400`` to a ``Range`` in an
unknown unit (RFC 9110, section 14.2: it must be ignored). See
:mod:`tempestweb_server._conditional`.
"""

from __future__ import annotations

import email.utils
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tempest_core import App, html
from tempestweb_server import ServerConfig, create_app

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
ASSET = "/static/dot.svg"
MTIME = 1_700_000_000  # the asset's modification time, in POSIX seconds


def _date(seconds: float) -> str:
    return email.utils.formatdate(seconds, usegmt=True)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    (tmp_path / "static").mkdir()
    dot = tmp_path / "static" / "dot.svg"
    dot.write_bytes(SVG)
    os.utime(dot, (MTIME, MTIME))
    config = ServerConfig(assets=("static/*.svg",), app_dir=str(tmp_path))
    with TestClient(create_app(App(view=lambda _: html.p("page"), state=None), config=config)) as test_client:
        yield test_client


def _tag_variants(etag: str) -> list[list[tuple[str, str]]]:
    """``If-None-Match`` field lines that all match ``etag`` (RFC 9110, section 13.1.2)."""
    return [
        [("if-none-match", etag)],
        [("if-none-match", f"W/{etag}")],  # a cache that weakened it (nginx's gzip)
        [("if-none-match", f'"other", {etag}')],
        [("if-none-match", "*")],
        [("if-none-match", '"other"'), ("if-none-match", etag)],  # two field lines
    ]


@pytest.mark.parametrize("path", ["/_tw/client/boot.js", "/_tw/rehearsal", ASSET])
def test_every_matching_if_none_match_revalidates_with_a_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    statuses = [client.get(path, headers=lines).status_code for lines in _tag_variants(etag)]
    assert statuses == [304] * 5  # the old client files and rehearsal: [304, 200, 200, 200, 200]
    assert client.get(path, headers={"if-none-match": '"other", W/"else"'}).status_code == 200


@pytest.mark.parametrize(
    ("accept", "gzip"),
    [
        ("gzip", True),
        ("GZIP", True),  # content codings are case-insensitive
        ("x-gzip", True),
        ("gzip;q=0.5, identity", True),
        ("*", True),
        ("gzip;q=0", False),  # weight 0: not acceptable
        ("gzip; q=0.000", False),
        ("identity, gzip;q=0", False),
        ("x-gzip2", False),  # not a substring match
        ("*;q=0", False),
        ("br, *;q=0", False),
        ("identity", False),
    ],
)
def test_the_rehearsal_is_gzip_exactly_when_accept_encoding_allows_it(
    client: TestClient, accept: str, gzip: bool
) -> None:
    response = client.get("/_tw/rehearsal", headers={"accept-encoding": accept})
    assert response.status_code == 200
    assert (response.headers.get("content-encoding") == "gzip") is gzip
    assert response.headers["vary"] == "Accept-Encoding"


def test_accept_encoding_on_two_field_lines_is_one_list(client: TestClient) -> None:
    lines = [("accept-encoding", "identity"), ("accept-encoding", "gzip")]
    assert client.get("/_tw/rehearsal", headers=lines).headers.get("content-encoding") == "gzip"


def test_asset_preconditions_follow_rfc_9110(client: TestClient) -> None:
    etag = client.get(ASSET).headers["etag"]

    def status(**headers: str) -> int:
        fields = {name.replace("_", "-"): value for name, value in headers.items()}
        code: int = client.get(ASSET, headers=fields).status_code
        return code

    assert status(if_match=etag) == 200
    assert status(if_match="*") == 200
    assert status(if_match='"changed"') == 412
    assert status(if_match=f"W/{etag}") == 412  # If-Match compares strongly
    assert status(if_unmodified_since=_date(MTIME - 3600)) == 412
    assert status(if_unmodified_since=_date(MTIME)) == 200
    assert status(if_match=etag, if_unmodified_since=_date(MTIME - 3600)) == 200  # If-Match wins
    assert status(if_modified_since=_date(MTIME)) == 304
    assert status(if_modified_since=_date(MTIME + 3600)) == 304
    assert status(if_modified_since=_date(MTIME - 3600)) == 200
    assert status(if_none_match='"other"', if_modified_since=_date(MTIME + 3600)) == 200  # INM wins
    for garbage in ("yesterday", "", "Sun, 06 Dec 99999 06:09:32 GMT", "\x7f"):
        assert status(if_modified_since=garbage, if_unmodified_since=garbage) == 200


def test_a_412_and_a_304_keep_the_validators(client: TestClient) -> None:
    etag = client.get(ASSET).headers["etag"]
    failed = client.get(ASSET, headers={"if-match": '"changed"'})
    assert failed.status_code == 412 and failed.headers["etag"] == etag
    assert failed.headers["x-content-type-options"] == "nosniff"
    revalidated = client.get(ASSET, headers={"if-modified-since": _date(MTIME)})
    assert revalidated.status_code == 304 and revalidated.headers["etag"] == etag


@pytest.mark.parametrize("unit", ["items=0-1", "pages=1", "Bytes2=0-1", "none"])
def test_a_range_in_an_unknown_unit_is_ignored(client: TestClient, unit: str) -> None:
    response = client.get(ASSET, headers={"range": unit})
    assert (response.status_code, response.content) == (200, SVG)  # the old code: 400


def test_a_bytes_range_is_still_honoured(client: TestClient) -> None:
    response = client.get(ASSET, headers={"range": "bytes=0-3"})
    assert (response.status_code, response.content) == (206, SVG[:4])
    assert response.headers["content-range"] == f"bytes 0-3/{len(SVG)}"
    assert client.get(ASSET, headers={"range": "BYTES=0-3"}).status_code == 206


@pytest.mark.parametrize("path", ["/_tw/client/boot.js", "/_tw/rehearsal"])
def test_client_files_and_the_rehearsal_answer_if_match_with_a_412(client: TestClient, path: str) -> None:
    """RFC 9110 §13.1.1: a request for another version is refused (they ignored If-Match)."""
    etag = client.get(path).headers["etag"]
    failed = client.get(path, headers={"if-match": '"changed"'})
    assert failed.status_code == 412 and failed.headers["etag"] == etag and not failed.content
    assert client.get(path, headers={"if-match": f"W/{etag}"}).status_code == 412  # strong comparison
    assert client.get(path, headers={"if-match": f'"changed", {etag}'}).status_code == 200
    assert client.get(path, headers={"if-match": "*"}).status_code == 200
    # no Last-Modified is sent for them: the date conditions are ignored (§13.1.3, §13.1.4)
    long_ago = _date(0)
    assert client.get(path, headers={"if-unmodified-since": long_ago}).status_code == 200
    assert client.get(path, headers={"if-modified-since": _date(4_000_000_000)}).status_code == 200
