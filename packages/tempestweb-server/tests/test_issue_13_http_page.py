"""The page route probed from outside (issue 13): a ``HEAD`` answers with the status a ``GET`` gets.

Found with ``tempestweb run examples/counter --max-sessions 3`` and three connected sessions:
``GET /`` answered 503 with ``Retry-After`` (admission control) while ``HEAD /`` answered 200,
so a monitor or load balancer probing with ``HEAD`` saw a healthy server that refused every
page (RFC 9110, section 9.3.2: a HEAD's answer is the GET's without the content).
"""

from __future__ import annotations

import json
import math

from starlette.testclient import TestClient

from tempest_core import App, html
from tempestweb_contract.constants import BUSY_RETRY_MS
from tempestweb_server import ServerConfig, create_app

HELLO = json.dumps({"type": "hello", "v": 1, "path": "/"})


def _app() -> App[None]:
    return App(view=lambda _: html.p("page", id="page"), state=None)


def test_head_of_a_page_is_503_when_a_get_would_be_refused() -> None:
    with TestClient(create_app(_app(), config=ServerConfig(max_sessions=1))) as client:
        assert client.head("/").status_code == 200  # room: the GET's 200, no session opened
        with client.websocket_connect("/_tw/ws") as ws:
            ws.send_text(HELLO)
            assert json.loads(ws.receive_text())["type"] == "init"  # the one session, connected
            get, head = client.get("/deep/link?q=1"), client.head("/deep/link?q=1")
            assert get.status_code == 503 and head.status_code == 503  # the old HEAD: 200
            assert head.headers["retry-after"] == get.headers["retry-after"] == str(BUSY_RETRY_MS // 1000)
            assert head.headers["content-security-policy"] == get.headers["content-security-policy"]
            assert head.headers["cache-control"] == "no-store" and head.content == b""
            manager = client.app.state.manager  # type: ignore[attr-defined]
            assert len(manager) == 1  # a HEAD never evicts nor opens
            refused = manager.load.refused
            client.head("/")
            assert manager.load.refused == refused  # a probe is not counted as a refused session
        assert client.head("/").status_code == 200  # the session is idle now: a GET would get room


def test_head_of_a_page_is_503_when_the_process_is_overloaded() -> None:
    with TestClient(create_app(_app(), config=ServerConfig(max_loop_lag_s=0.05))) as client:
        manager = client.app.state.manager  # type: ignore[attr-defined]
        manager.load.lag_s = math.inf  # the probe measured a loop far behind
        assert client.get("/").status_code == 503
        head = client.head("/")
        assert head.status_code == 503 and "retry-after" in head.headers
        manager.load.lag_s = 0.0
        assert client.head("/").status_code == 200
