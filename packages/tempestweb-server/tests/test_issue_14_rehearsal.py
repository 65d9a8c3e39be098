"""``GET /_tw/rehearsal`` (issue 14): the host's recording of the idle-time rehearsal.

A Mode B page replays it in an inert document once idle (``client/src/rehearsal.js``); the
browser half is ``test_server_browser.py``.
"""

from __future__ import annotations

import gzip
import logging

import pytest
from starlette.testclient import TestClient

import tempestweb_server._rehearsal as rehearsal_module
from tempest_core import App, html
from tempestweb_contract import PROTOCOL_VERSION, Init, Patch, decode
from tempestweb_server import create_app

URL = "/_tw/rehearsal"


def app() -> App[None]:
    return App(view=lambda _: html.p("page", id="page"), state=None)


def test_issue_14_the_recording_is_json_gzip_when_accepted_and_revalidated_by_etag() -> None:
    asgi = create_app(app())
    with TestClient(asgi) as client:
        plain = client.get(URL, headers={"accept-encoding": "identity"})
        assert plain.status_code == 200 and plain.headers["content-type"] == "application/json"
        assert plain.headers["cache-control"] == "no-cache" and "content-encoding" not in plain.headers
        script = plain.json()
        assert script["v"] == PROTOCOL_VERSION
        assert isinstance(decode(script["init"], sender="server"), Init)
        assert all(isinstance(decode(frames[0], sender="server"), Patch) for frames in script["answers"])
        packed = client.get(URL, headers={"accept-encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip" and packed.json() == script  # httpx decodes it
        assert len(gzip.compress(plain.content)) < len(plain.content) // 4
        etag = plain.headers["etag"]
        assert packed.headers["etag"] == etag
        again = client.get(URL, headers={"if-none-match": etag})
        assert again.status_code == 304 and again.content == b""
        # Played once per process: every page gets the same recording.
        assert client.get(URL, headers={"accept-encoding": "identity"}).content == plain.content
        # No session of the app was opened for it (admission control never counts it).
        assert len(asgi.state.manager) == 0
        assert client.post(URL).status_code == 405


def test_issue_14_every_worker_serves_the_same_recording_so_an_etag_revalidates_anywhere() -> None:
    # Two apps, each recording its own throwaway session, as two worker processes do: a page
    # that got the recording from one revalidates it on the other with a 304. The recordings
    # differed by the throwaway session's id and token before, so that was a full 200.
    with TestClient(create_app(app())) as one, TestClient(create_app(app())) as two:
        first = one.get(URL, headers={"accept-encoding": "identity"})
        second = two.get(URL, headers={"accept-encoding": "identity"})
        assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
        again = two.get(URL, headers={"if-none-match": first.headers["etag"]})
        assert again.status_code == 304


def test_issue_14_a_recording_that_fails_is_a_404_and_the_page_is_served(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken() -> str:
        raise RuntimeError("the rehearsal's session answered scroll with an error")

    monkeypatch.setattr(rehearsal_module, "_record", broken)
    with TestClient(create_app(app())) as client, caplog.at_level(logging.ERROR, "tempestweb.server"):
        first = client.get(URL)
        assert first.status_code == 404 and "Traceback" not in first.text
        assert client.get(URL).status_code == 404
        page = client.get("/")
        assert page.status_code == 200 and 'id="page"' in page.text
    logged = [r for r in caplog.records if "rehearsal" in r.getMessage()]
    assert len(logged) == 1  # once per process, not once per page
