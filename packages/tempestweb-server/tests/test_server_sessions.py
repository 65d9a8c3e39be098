"""Session records and the manager: seq numbering, replay buffer, expiry, tokens, hot reload."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from server_fakes import FakeApp, FakeSession, fake_factory

from tempestweb_contract import SetText
from tempestweb_contract.constants import MAX_UNACKED_BATCHES
from tempestweb_server import Connection, ServerConfig, SessionManager


def manager(**config: Any) -> SessionManager:
    return SessionManager(FakeApp(), config=ServerConfig(**config), session_factory=fake_factory)


def batch(record: Any, n: int) -> None:
    for i in range(n):
        record.on_patch((SetText(id=2, text=str(i)),), i)


def test_tokens_are_session_bound_and_per_process() -> None:
    one, two = manager(), manager()
    record = one.create("/")
    assert one.verify(record.id, record.token)
    assert not one.verify(record.id, one.token_for("other"))
    assert not two.verify(record.id, record.token)
    assert not one.verify(None, record.token) and not one.verify(record.id, None)
    assert one.get(record.id, "0" * 64) is None


def test_missed_batches_and_trim() -> None:
    record = manager().create("/")
    batch(record, 5)
    assert record.seq == 5
    assert [p.seq for p in record.missed(2) or ()] == [3, 4, 5]
    assert record.missed(5) == ()
    record.trim(3)
    assert [p.seq for p in record.buffer] == [4, 5]
    assert record.missed(2) is None  # batch 3 is gone
    assert [p.seq for p in record.missed(3) or ()] == [4, 5]
    assert record.missed(6) is None and record.missed(-1) is None


def test_replay_buffer_is_bounded_then_resync_is_needed() -> None:
    record = manager().create("/")
    batch(record, MAX_UNACKED_BATCHES + 3)
    assert len(record.buffer) == MAX_UNACKED_BATCHES
    assert record.missed(0) is None
    assert record.missed(3) is not None and len(record.missed(3) or ()) == MAX_UNACKED_BATCHES


def test_empty_renders_do_not_consume_a_seq() -> None:
    record = manager().create("/")
    record.on_patch((), 0)
    assert record.seq == 0 and not record.buffer


async def test_queue_overflow_closes_the_connection() -> None:
    mgr = manager(max_queue=3)
    connection = Connection(mgr)
    await connection.receive('{"type":"hello","v":1,"path":"/"}')
    record = connection.record
    assert record is not None
    batch(record, 5)  # init + 5 patches > 3
    frames = []
    while (frame := await connection.outgoing()) is not None:
        frames.append(frame)
    assert len(frames) == 1 and '"code":"queue_overflow"' in frames[0] and '"fatal":true' in frames[0]
    assert connection.state == "closed" and connection.close_code == 1013
    assert record.connection is None and record.disconnected_at is not None  # resumable
    assert record.seq == 5 and len(record.buffer) == 5  # a resume replays them


async def test_pending_navigate_is_delivered_on_resume() -> None:
    mgr = manager()
    record = mgr.create("/")
    record.core.mount()
    record.on_navigate("/elsewhere", False)
    connection = Connection(mgr)
    await connection.receive(
        f'{{"type":"hello","v":1,"path":"/","session":"{record.id}","token":"{record.token}"}}'
    )
    frames = [await connection.outgoing(), await connection.outgoing()]
    assert frames[1] == '{"type":"navigate","path":"/elsewhere"}'
    assert record.path == "/elsewhere"


async def test_sweep_and_close_all_close_core_sessions() -> None:
    now = [0.0]
    mgr = SessionManager(
        FakeApp(),
        config=ServerConfig(recovery_window_s=5),
        session_factory=fake_factory,
        clock=lambda: now[0],
    )
    old = mgr.create("/")
    now[0] = 3.0
    young = mgr.create("/")
    now[0] = 5.5
    assert await mgr.sweep() == 1
    assert old.closed and not young.closed and len(mgr) == 1
    assert isinstance(old.session, FakeSession) and old.session.closed
    await mgr.close_all()
    assert len(mgr) == 0 and young.closed


async def test_janitor_runs_sweeps() -> None:
    mgr = manager(recovery_window_s=0.02)
    mgr.create("/")
    janitor = asyncio.create_task(mgr.run_janitor())
    try:
        for _ in range(200):
            if len(mgr) == 0:
                break
            await asyncio.sleep(0.01)
    finally:
        janitor.cancel()
    assert len(mgr) == 0


async def test_reload_app_swaps_sessions_and_resyncs_connected_clients() -> None:
    mgr = manager()
    connection = Connection(mgr)
    await connection.receive('{"type":"hello","v":1,"path":"/p"}')
    await connection.outgoing()
    record = connection.record
    assert record is not None
    old = record.session
    assert isinstance(old, FakeSession)
    old.state = 5  # the user's state before the reload
    await mgr.reload_app(FakeApp(start=41))
    frame = await connection.outgoing()
    assert frame is not None and '"type":"init"' in frame and '"reset":true' in frame
    assert '"5"' in frame and '"41"' not in frame  # state kept
    assert isinstance(old, FakeSession) and old.closed
    assert record.session is not old and mgr.app.start == 41


async def test_reload_failure_keeps_the_old_view_and_reports() -> None:
    mgr = manager()
    connection = Connection(mgr)
    await connection.receive('{"type":"hello","v":1,"path":"/"}')
    await connection.outgoing()
    record = connection.record
    assert record is not None
    old = record.session
    await mgr.reload_app(FakeApp(broken=True))
    frame = await connection.outgoing()
    assert frame is not None and '"code":"handler_error"' in frame and "view exploded" in frame
    assert record.session is old and isinstance(old, FakeSession) and not old.closed


async def test_reload_uses_replace_app_when_the_core_supports_it() -> None:
    mgr = manager()
    record = mgr.create("/")
    swapped: list[Any] = []
    record.session.replace_app = swapped.append  # type: ignore[union-attr]
    new_app = FakeApp(start=7)
    await mgr.reload_app(new_app)
    assert swapped == [new_app]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"port": 70000}, "ServerConfig.port: expected 0..65535, got 70000"),
        ({"recovery_window_s": 0}, "ServerConfig.recovery_window_s"),
        ({"max_frame_bytes": 0}, "ServerConfig.max_frame_bytes"),
        ({"max_queue": 0}, "ServerConfig.max_queue"),
        ({"port": "x"}, "Expected `int`, got `str` - at `$.port`"),
        ({"nope": 1}, "nope"),
    ],
)
def test_config_errors_are_typed(options: dict[str, Any], message: str) -> None:
    from tempestweb_server import ConfigError

    with pytest.raises(ConfigError) as error:
        ServerConfig.from_options(options)
    assert message in str(error.value)
