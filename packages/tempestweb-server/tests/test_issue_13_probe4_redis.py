"""Issue 13, a fourth pass at several workers on Redis from outside: what Redis failures did.

Found by driving 50 counter sessions on ``tempestweb run --workers 2 --redis`` while Redis was
paused, restarted or flushed, and by killing the supervisor:

- a worker whose session another worker took over (its lease lapsed while Redis was paused,
  or its loop was blocked) kept its copy in its table, and a client reconnecting to it was
  served that stale copy: the count it showed went back to where the takeover found it;
- a Redis that lost its keys (restarted without persistence, or ``FLUSHALL``) lost the shared
  token key; a worker started after that made a new one, and from then on every session
  moving between that worker and an older one was replaced by a new, empty session;
- while Redis was down every reconnect logged its own ``routing session ... failed`` line
  (918 lines in 5 s for 50 clients) beside the one line the outage is meant to cost;
- workers outlived a supervisor killed with SIGKILL and went on serving the port for good.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

import pytest
import websockets
from server_cluster import (
    COUNTER_APP,
    Client,
    Pool,
    find_button,
    redis_server_path,
    worker_pool,
    write_counter_app,
)
from server_live import (
    click,
    count_of,
    counter_app,
    frames,
    free_port,
    lapsed_lease,
    live_server,
    shell,
    wait_for_port,
)

pytestmark = pytest.mark.skipif(
    redis_server_path() is None, reason="redis-server is not installed (Debian package redis-server)"
)
async def test_issue_13_probe4_a_worker_never_serves_a_copy_taken_over_elsewhere(redis_url: str) -> None:
    import redis

    store = redis.Redis.from_url(redis_url)
    with live_server(counter_app(), redis=redis_url) as a, live_server(counter_app(), redis=redis_url) as b:
        session, token, node = shell(a)
        hello = {"type": "hello", "v": 1, "path": "/", "session": session, "token": token, "last_seq": None}
        async with websockets.connect(f"ws://{a}/_tw/ws") as ws:  # served by A, its owner
            await ws.send(json.dumps(hello))
            await frames(ws, "init")
            assert count_of(await click(ws, 1, node)) == 1
        owner = store.hget(f"tempestweb:s:{session}", "owner")
        assert isinstance(owner, bytes)

        async with lapsed_lease(store, owner):  # A's lease lapses (Redis paused past LEASE_TTL_S, A frozen)
            for _ in range(20):  # B takes the session over from its checkpoint (A's lease is gone)
                async with websockets.connect(f"ws://{b}/_tw/ws") as ws:
                    await ws.send(json.dumps(hello))
                    init = await frames(ws, "init")
                    if store.hget(f"tempestweb:s:{session}", "owner") != owner:
                        assert init["session"] == session and count_of(init) == 1
                        for eid in (2, 3):
                            patch = await click(ws, eid, find_button(init["ops"]) or 0)
                        assert count_of(patch) == 3
                        break
            else:
                pytest.fail("B never took the session over")
        # A is alive again and still holds its copy at 1. A client reconnecting to A must reach
        # the session as B serves it (count 3), never A's stale copy.
        async with websockets.connect(f"ws://{a}/_tw/ws") as ws:
            await ws.send(json.dumps(hello))
            init = await frames(ws, "init")
            assert init["session"] == session
            assert count_of(init) == 3, "A served its stale copy of a session B took over"
            patch = await click(ws, 4, find_button(init["ops"]) or 0)
            assert patch["ack"] == 4 and count_of(patch) == 4
    store.close()


async def test_issue_13_probe4_the_token_key_outlives_a_redis_that_lost_its_data(redis_url: str) -> None:
    import time

    import redis

    store = redis.Redis.from_url(redis_url)
    with live_server(counter_app(), redis=redis_url) as a:
        shell(a)
        store.flushall()  # Redis restarted without persistence, or FLUSHALL: the token key is gone
        deadline = time.monotonic() + 3.0  # A writes it back within a lease round
        while store.get("tempestweb:secret") is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        with live_server(counter_app(), redis=redis_url) as c:  # a worker started after the loss
            session, token, node = shell(c)
            hello = {"type": "hello", "v": 1, "path": "/", "session": session, "token": token, "last_seq": 0}
            async with websockets.connect(f"ws://{a}/_tw/ws") as ws:  # the reconnect lands on A
                await ws.send(json.dumps(hello))
                init = await frames(ws, "init")
                assert init["session"] == session, "A refused C's token: the workers sign with two keys"
                assert count_of(await click(ws, 1, node)) == 1
    store.close()


def test_issue_13_probe4_a_supervisors_workers_share_one_token_key_whatever_redis_lost(
    tmp_path: Path, redis_url: str
) -> None:
    import os
    import signal
    import time

    import redis

    store = redis.Redis.from_url(redis_url)
    with worker_pool(write_counter_app(tmp_path), redis_url, workers=2) as pool:
        first, _ = pool.wait_workers(2)
        deadline = time.monotonic() + 20
        while len(store.keys("tempestweb:lease:*")) < 2:  # both joined, so both said ready
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        # Redis lost its data and another machine's worker made a new key before this pool's
        # workers wrote theirs back; then a worker of this pool restarts.
        store.flushall()
        store.set("tempestweb:secret", "ab" * 32)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while first in (pids := pool.worker_pids()) or len(pids) < 2:
            assert time.monotonic() < deadline, pids
            time.sleep(0.05)
        wait_for_port(pool.port)
        time.sleep(1.5)  # the new worker serves

        async def reconnects() -> list[str]:
            clients = [Client(pool.port, page=True, receive_timeout_s=10) for _ in range(8)]
            for client in clients:
                await client.start()
                await client.click()
                for _ in range(3):  # each lands on either worker
                    await client._close()
                    await client.connect()
                    await client.click()
                await client._close()
            return [violation for client in clients for violation in client.ledger.violations]

        violations = asyncio.run(reconnects())
    store.close()
    assert violations == [], violations[:4]


def test_issue_13_probe4_another_apps_token_key_is_a_typed_error_before_any_worker(
    tmp_path: Path, redis_url: str
) -> None:
    import redis

    from tempestweb_server import ConfigError, ServerConfig
    from tempestweb_server._supervisor import Supervisor

    store = redis.Redis.from_url(redis_url)
    app = str(write_counter_app(tmp_path) / "app.py")
    for plant in (
        lambda: store.hset("tempestweb:secret", "a", "b"),
        lambda: store.set("tempestweb:secret", "abcd"),
    ):
        store.flushall()
        plant()
        supervisor = Supervisor(app, ServerConfig(port=0, workers=2, redis=redis_url))
        with pytest.raises(
            ConfigError, match=r"holds 'tempestweb:secret' with a value no tempestweb worker wrote"
        ):
            supervisor.run()
        assert supervisor.workers == {}
    store.close()


async def test_issue_13_probe4_a_workers_own_read_of_the_token_key_checks_it_the_same_way(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker started without a supervisor (``--redis``, one process) reads the key itself."""
    import redis

    from tempestweb_server import ConfigError, ServerConfig, SessionManager
    from tempestweb_server._cluster import SECRET_ENV, Cluster

    def joining() -> Cluster:
        return Cluster(SessionManager(counter_app(), config=ServerConfig(redis=redis_url)), redis_url)

    store = redis.Redis.from_url(redis_url)
    monkeypatch.delenv(SECRET_ENV, raising=False)
    for plant in (
        lambda: store.hset("tempestweb:secret", "a", "b"),
        lambda: store.rpush("tempestweb:secret", "a"),
        lambda: store.set("tempestweb:secret", "abcd"),
    ):
        store.flushall()
        plant()
        cluster = joining()
        with pytest.raises(ConfigError, match=r"holds 'tempestweb:secret' with a value no tempestweb worker"):
            await cluster._shared_secret()
        await cluster.redis.aclose()
    store.flushall()
    cluster = joining()
    made = await cluster._shared_secret()  # none yet: made, stored, and read back by the next one
    assert store.get("tempestweb:secret") == made.encode() and len(made) == 64
    assert await cluster._shared_secret() == made
    await cluster.redis.aclose()
    store.close()


async def test_issue_13_probe4_reconnects_during_a_redis_outage_cost_one_log_line(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    import redis

    with live_server(counter_app(), redis=redis_url) as a, live_server(counter_app(), redis=redis_url) as b:
        session, token, _ = shell(b)  # B's session: A must ask Redis where it is
        caplog.clear()
        caplog.set_level("WARNING", logger="tempestweb.server")
        with contextlib.suppress(redis.exceptions.ConnectionError):  # the connection drops with it
            redis.Redis.from_url(redis_url).shutdown(nosave=True)
        hello = {"type": "hello", "v": 1, "path": "/", "session": session, "token": token, "last_seq": 0}
        closes = []
        for _ in range(30):  # a client retrying, as the JS client does, while Redis is down
            async with websockets.connect(f"ws://{a}/_tw/ws") as ws:
                await ws.send(json.dumps(hello))
                with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
                    await frames(ws, "init")
                closes.append(closed.value.rcvd.code if closed.value.rcvd is not None else None)
        lines = [r.getMessage() for r in caplog.records if r.name.startswith("tempestweb")]
    assert closes == [1013] * 30  # each told to try again later
    assert not [line for line in lines if "routing session" in line], lines[:3]
    assert len([line for line in lines if "Redis unreachable" in line]) <= 2, lines  # A's and B's


def test_issue_13_probe4_workers_stop_when_their_supervisor_is_killed(tmp_path: Path, redis_url: str) -> None:
    import os
    import signal
    import time

    with worker_pool(write_counter_app(tmp_path), redis_url, workers=2) as pool:
        workers = pool.wait_workers(2)
        shell(f"127.0.0.1:{pool.port}")  # serving
        pool.process.send_signal(signal.SIGKILL)  # the supervisor crashed, or was OOM-killed
        pool.process.wait()
        deadline = time.monotonic() + 10  # a heartbeat (1 s) finds the supervisor gone, then a drain
        alive = workers
        try:
            while alive := [pid for pid in workers if Path(f"/proc/{pid}").exists() and _running(pid)]:
                assert time.monotonic() < deadline, f"workers {alive} outlived their supervisor"
                time.sleep(0.05)
        finally:
            for pid in alive:  # never leave them serving after the test
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    """``pid`` exists and is not a zombie (an orphan's zombie waits for init to reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_issue_13_probe4_sigterm_while_workers_start_stops_at_once(tmp_path: Path, redis_url: str) -> None:
    import signal
    import subprocess
    import sys
    import time

    # An app slow to import (8 s): SIGTERM comes while the supervisor waits for its workers.
    (tmp_path / "app.py").write_text("import time\ntime.sleep(8)\n" + COUNTER_APP)
    port = free_port()
    config = {"port": port, "workers": 2, "redis": redis_url}
    code = (
        "import json, sys\n"
        "from tempestweb_server._supervisor import serve_workers\n"
        "from tempestweb_server.config import ServerConfig\n"
        f"serve_workers({str(tmp_path / 'app.py')!r}, ServerConfig.from_options(json.loads(sys.argv[1])))\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code, json.dumps(config)], cwd=tmp_path)
    try:
        workers = Pool(process, port).wait_workers(2)
        time.sleep(0.3)
        asked = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(30)
        took = time.monotonic() - asked
        assert took < 4.0, f"the supervisor waited {took:.1f} s for its workers to be ready before stopping"
        assert not [pid for pid in workers if _running(pid)]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/abc", r"database of redis://127\.0\.0\.1:\d+/abc must be a number"),  # redis-py: database 0
        ("/1/2", r"must be a number .*got '1/2'"),  # redis-py: database 12
        ("/0?db=x", r"is not a Redis URL: Invalid value for .db."),  # quoted as 'db' or `db`
    ],
)
def test_issue_13_probe4_a_redis_url_read_otherwise_than_written_is_a_typed_error(
    tmp_path: Path, redis_url: str, path: str, message: str
) -> None:
    from tempestweb_server import ConfigError, ServerConfig, create_app
    from tempestweb_server._supervisor import Supervisor

    url = redis_url.rsplit("/", 1)[0] + path
    with pytest.raises(ConfigError, match=message):  # a worker of its own (create_app)
        create_app(counter_app(), config=ServerConfig(redis=url))
    app = str(write_counter_app(tmp_path) / "app.py")
    supervisor = Supervisor(app, ServerConfig(port=0, workers=2, redis=url))
    with pytest.raises(ConfigError, match=message):  # before any worker starts
        supervisor.run()
    assert supervisor.workers == {}
