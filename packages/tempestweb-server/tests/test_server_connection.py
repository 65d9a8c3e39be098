"""The protocol state machine over the WebSocket transport (Starlette TestClient, fake session)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from server_fakes import BUTTON_ID, FakeSession, frame, hello, make_client, shell_session
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tempestweb_contract.constants import MIN_FRAME_BYTES
from tempestweb_server import ServerConfig
from tempestweb_server.sessions import SessionManager


def recv(ws: Any) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.receive_text())
    while message["type"] == "ping":  # keep-alive pings may interleave
        message = json.loads(ws.receive_text())
    return message


def click(ws: Any, eid: int, node: int = BUTTON_ID, name: str = "click") -> None:
    ws.send_text(frame(type="event", eid=eid, node=node, name=name, data={}))


def manager_of(client: TestClient) -> SessionManager:
    manager: SessionManager = client.app.state.manager  # type: ignore[attr-defined]
    return manager


def test_new_client_without_session_gets_reset_init(client: TestClient) -> None:
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(path="/x"))
        init = recv(ws)
    assert init["type"] == "init"
    assert init["reset"] is True and init["seq"] == 0 and init["v"] == 1
    assert init["ops"][0][0] == "create"
    assert manager_of(client).verify(init["session"], init["token"])


def test_hydrated_client_resumes_with_empty_init(client: TestClient) -> None:
    session, token = shell_session(client)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token, last_seq=0))
        init = recv(ws)
    assert init == {"type": "init", "v": 1, "session": session, "seq": 0, "token": token}


def test_event_produces_patch_with_seq_and_ack(client: TestClient) -> None:
    session, token = shell_session(client)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token))
        recv(ws)
        click(ws, eid=7)
        patch = recv(ws)
        click(ws, eid=8)
        patch2 = recv(ws)
    assert patch == {"type": "patch", "seq": 1, "ops": [["text", 2, "1"]], "ack": 7}
    assert patch2["seq"] == 2 and patch2["ops"] == [["text", 2, "2"]] and patch2["ack"] == 8


def test_resume_replays_exactly_the_missed_batches(client: TestClient) -> None:
    session, token = shell_session(client)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token))
        recv(ws)
        for eid in (1, 2, 3):
            click(ws, eid)
            recv(ws)
        ws.send_text(frame(type="ack", seq=1))
        ws.send_text(frame(type="ping", ts=1.5))
        assert recv(ws) == {"type": "pong", "ts": 1.5}
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token, last_seq=1))
        init = recv(ws)
        replay = [recv(ws), recv(ws)]
    assert init["seq"] == 1 and "ops" not in init and "reset" not in init
    assert [p["seq"] for p in replay] == [2, 3]
    assert replay[1]["ops"] == [["text", 2, "3"]]


def test_resume_after_trimmed_buffer_resyncs(client: TestClient) -> None:
    session, token = shell_session(client)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token))
        recv(ws)
        click(ws, 1)
        recv(ws)
        click(ws, 2)
        recv(ws)
        ws.send_text(frame(type="ack", seq=2))
        ws.send_text(frame(type="ping"))
        recv(ws)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token, last_seq=1))  # batch 2 applied but not seen
        init = recv(ws)
    assert init["reset"] is True and init["seq"] == 2 and init["session"] == session
    assert init["ops"] == [
        ["create", 0, None, ["e", 1, "button", {}, {}, {"click": 0}, [["t", 2, "2"]], None]]
    ]


def test_resume_with_future_seq_resyncs(client: TestClient) -> None:
    session, token = shell_session(client)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token, last_seq=99))
        init = recv(ws)
    assert init["reset"] is True and init["seq"] == 0


def test_bad_token_gets_a_new_session(client: TestClient) -> None:
    session, _ = shell_session(client)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token="forged", last_seq=0))
        init = recv(ws)
    assert init["reset"] is True and init["session"] != session


def test_expired_session_gets_a_new_session() -> None:
    now = [1000.0]
    with make_client(ServerConfig(recovery_window_s=10)) as client:
        manager = manager_of(client)
        manager.clock = lambda: now[0]
        session, token = shell_session(client)
        now[0] += 11
        assert client.portal.call(manager.sweep) == 1  # type: ignore[union-attr]
        assert FakeSession.instances[-1].closed
        with client.websocket_connect("/_tw/ws") as ws:
            ws.send_text(hello(session=session, token=token, last_seq=0))
            init = recv(ws)
    assert init["reset"] is True and init["session"] != session


def test_connected_session_is_not_expired() -> None:
    now = [1000.0]
    with make_client(ServerConfig(recovery_window_s=10)) as client:
        manager = manager_of(client)
        manager.clock = lambda: now[0]
        session, token = shell_session(client)
        with client.websocket_connect("/_tw/ws") as ws:
            ws.send_text(hello(session=session, token=token))
            recv(ws)
            now[0] += 100
            assert client.portal.call(manager.sweep) == 0  # type: ignore[union-attr]
        now[0] += 5
        assert client.portal.call(manager.sweep) == 0  # type: ignore[union-attr]
        now[0] += 6
        assert client.portal.call(manager.sweep) == 1  # type: ignore[union-attr]


def test_version_mismatch_sends_error_then_reload_and_closes(client: TestClient) -> None:
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(v=99))
        error = recv(ws)
        reload = recv(ws)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
    assert error["type"] == "error" and error["code"] == "version_mismatch" and error["fatal"] is True
    assert reload["type"] == "reload"
    assert closed.value.code == 1000


FIRST_FRAMES = [frame(type="ping"), "not json", frame(type="init", v=1, session="s", seq=0)]


@pytest.mark.parametrize("first", FIRST_FRAMES)
def test_first_frame_must_be_hello(client: TestClient, first: str) -> None:
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(first)
        error = recv(ws)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
    assert error["type"] == "error" and error["code"] == "malformed_frame" and error["fatal"] is True
    assert closed.value.code == 1008


def test_malformed_frame_is_reported_and_other_sessions_are_unaffected(client: TestClient) -> None:
    a_session, a_token = shell_session(client)
    b_session, b_token = shell_session(client)
    with client.websocket_connect("/_tw/ws") as a, client.websocket_connect("/_tw/ws") as b:
        a.send_text(hello(session=a_session, token=a_token))
        b.send_text(hello(session=b_session, token=b_token))
        recv(a)
        recv(b)
        for garbage in ("{", "[1,2]", frame(type="event", eid="x", node=1, name="click"), frame(type="nope")):
            a.send_bytes(garbage.encode()) if garbage == "{" else a.send_text(garbage)
            error = recv(a)
            assert error["type"] == "error" and error["code"] == "malformed_frame"
            assert not error.get("fatal", False)
        click(a, 1)
        assert recv(a)["ops"] == [["text", 2, "1"]]  # a still works
        click(b, 1)
        assert recv(b)["ops"] == [["text", 2, "1"]]  # b saw nothing of a's events


def test_events_are_isolated_between_sessions(client: TestClient) -> None:
    a_session, a_token = shell_session(client)
    b_session, b_token = shell_session(client)
    with client.websocket_connect("/_tw/ws") as a, client.websocket_connect("/_tw/ws") as b:
        a.send_text(hello(session=a_session, token=a_token))
        b.send_text(hello(session=b_session, token=b_token))
        recv(a)
        recv(b)
        for eid in range(1, 4):
            click(a, eid)
            assert recv(a)["seq"] == eid
        b.send_text(frame(type="ping", ts=2.0))
        assert recv(b) == {"type": "pong", "ts": 2.0}  # no patch of a's reached b
    a_record = manager_of(client).resume(a_session, a_token)
    b_record = manager_of(client).resume(b_session, b_token)
    assert a_record is not None and b_record is not None
    assert a_record.seq == 3 and b_record.seq == 0


def test_unknown_handler_is_an_error_frame_and_connection_stays_open(client: TestClient) -> None:
    session, token = shell_session(client)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token))
        recv(ws)
        click(ws, 1, node=42)
        error = recv(ws)
        click(ws, 2, name="boom")
        handler_error = recv(ws)
        click(ws, 3)
        patch = recv(ws)
    assert error["type"] == "error" and error["code"] == "unknown_handler" and "42" in error["message"]
    assert handler_error["code"] == "handler_error"
    assert patch["type"] == "patch" and patch["ack"] == 3


def test_frame_too_large_is_rejected() -> None:
    with make_client(ServerConfig(max_frame_bytes=MIN_FRAME_BYTES)) as client:
        session, token = shell_session(client)
        with client.websocket_connect("/_tw/ws") as ws:
            ws.send_text(hello(session=session, token=token))
            recv(ws)
            big = {"value": "x" * (MIN_FRAME_BYTES + 1)}
            ws.send_text(frame(type="event", eid=1, node=1, name="click", data=big))
            error = recv(ws)
            click(ws, 2)
            patch = recv(ws)
    assert error["code"] == "frame_too_large" and not error.get("fatal", False)
    assert patch["type"] == "patch"


def test_frame_too_large_as_first_frame_closes() -> None:
    config = ServerConfig(max_frame_bytes=MIN_FRAME_BYTES)
    with make_client(config) as client, client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello() + " " * MIN_FRAME_BYTES)  # JSON whitespace: a hello over the limit
        error = recv(ws)
        with pytest.raises(WebSocketDisconnect):
            ws.receive_text()
    assert error["code"] == "frame_too_large" and error["fatal"] is True


def test_cross_origin_websocket_is_rejected(client: TestClient) -> None:
    with client.websocket_connect("/_tw/ws", headers={"origin": "http://evil.example"}) as ws:
        error = recv(ws)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
    assert error["code"] == "origin_rejected" and error["fatal"] is True
    assert closed.value.code == 1008


def test_same_origin_and_allowed_origins_are_accepted() -> None:
    config = ServerConfig(allowed_origins=("https://app.example",))
    with make_client(config) as client:
        for origin in ("http://testserver", "https://app.example"):
            with client.websocket_connect("/_tw/ws", headers={"origin": origin}) as ws:
                ws.send_text(hello())
                assert recv(ws)["type"] == "init"
        with client.websocket_connect("/_tw/ws", headers={"origin": "https://other.example"}) as ws:
            assert recv(ws)["code"] == "origin_rejected"


def test_second_connection_takes_over_the_session(client: TestClient) -> None:
    session, token = shell_session(client)
    with client.websocket_connect("/_tw/ws") as first:
        first.send_text(hello(session=session, token=token))
        recv(first)
        with client.websocket_connect("/_tw/ws") as second:
            second.send_text(hello(session=session, token=token, last_seq=0))
            assert recv(second)["type"] == "init"
            with pytest.raises(WebSocketDisconnect):
                first.receive_text()
            click(second, 1)
            assert recv(second)["seq"] == 1


def test_navigate_reaches_the_session(client: TestClient) -> None:
    session, token = shell_session(client, "/start")
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token, path="/start"))
        recv(ws)
        ws.send_text(frame(type="navigate", path="/next?q=1#h"))
        ws.send_text(frame(type="ping"))
        recv(ws)
    fake = FakeSession.instances[-1]
    assert fake.path == "/next?q=1#h" and fake.navigations == ["/next?q=1#h"]


def test_duplicate_hello_and_unexpected_native_result_are_errors(client: TestClient) -> None:
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello())
        recv(ws)
        ws.send_text(hello())
        duplicate = recv(ws)
        ws.send_text(frame(type="native_result", id=5, ok=True, value=1))
        native = recv(ws)
    assert duplicate["code"] == "malformed_frame"
    assert native["code"] == "unknown_message" and "5" in native["message"]


def test_resume_without_last_seq_is_a_full_resync(client: TestClient) -> None:
    """A client that trusts none of its DOM (``last_seq: null``) gets ops, never a replay onto it."""
    session, token = shell_session(client)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token, last_seq=0))
        recv(ws)
        click(ws, 1)
        recv(ws)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(hello(session=session, token=token, last_seq=None))
        init = recv(ws)
    assert init["reset"] is True and init["seq"] == 1 and init["session"] == session
    assert init["ops"] == [
        ["create", 0, None, ["e", 1, "button", {}, {}, {"click": 0}, [["t", 2, "1"]], None]]
    ]
