"""Issue 13, third probe: a checkpoint that cannot be restored gives the client a new session.

Found by writing records into a cluster's Redis by hand and resuming their sessions with valid
tokens: a checkpoint whose path this version refuses (``//evil.example/x``, which versions before
issue 13's fix stored; ``javascript:``; 100,000 characters) or whose state is JSON nested 100,000
deep made ``Cluster.locate`` raise (``SessionError``, ``RecursionError``); the connection was
closed 1013 ``session_unavailable`` without an ``error`` frame, and as the record stayed, every
reconnect of the client met the same refusal: the session could never be reached again. A
negative ``seq`` or ``last_event_id`` was restored as it was (``init{seq: -5}``, which the
client's next ``ack`` could not even express). Now such a record is not restorable, as a
garbled one already was: the client gets a new session and ``error{session_expired}`` (the lost
notice), at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
from typing import Any

import pytest
import websockets
from server_cluster import redis_server_path
from server_live import counter_app, live_server

pytestmark = pytest.mark.skipif(
    redis_server_path() is None, reason="redis-server is not installed (Debian package redis-server)"
)

SECRET = "s" * 32


def record(*, path: str = "/", seq: int = 3, last_event_id: int = 3, state: str = "5") -> bytes:
    """A checkpoint as :class:`~tempestweb_server._checkpoint.RedisCheckpointer` stores it."""
    return f'["msgspec","builtins:int",{state},{last_event_id},{json.dumps(path)},{seq}]'.encode()


CORRUPT = {
    "path with a host": record(path="//evil.example/x"),
    "javascript: path": record(path="javascript:alert(1)"),
    "path past MAX_LOCATION_CHARS": record(path="/" + "a" * 100_000),
    "state nested 100,000 deep": b'["msgspec","builtins:list",'
    + b"[" * 100_000
    + b"]" * 100_000
    + b',3,"/",3]',
    "negative seq": record(seq=-5),
    "negative last_event_id": record(last_event_id=-7),
    "seq past 2**53": record(seq=2**62),
}


def token(session: str) -> str:
    return hmac.new(SECRET.encode(), session.encode(), hashlib.sha256).hexdigest()


async def resume(base: str, session: str) -> list[Any]:
    """Resume ``session``; return the frames up to the first quiet second, or how it closed."""
    hello = {"type": "hello", "v": 1, "path": "/", "session": session, "token": token(session), "last_seq": 3}
    got: list[Any] = []
    async with websockets.connect(f"ws://{base}/_tw/ws", max_size=None) as ws:
        await ws.send(json.dumps(hello))
        try:
            while True:
                got.append(json.loads(await asyncio.wait_for(ws.recv(), 1.0)))
        except TimeoutError:
            pass
        except websockets.ConnectionClosed as closed:
            got.append(("closed", closed.rcvd.code if closed.rcvd is not None else None))
    return got


async def test_issue_13_probe3_an_unrestorable_checkpoint_gives_a_new_session(redis_url: str) -> None:
    import redis

    store = redis.Redis.from_url(redis_url)
    try:
        with live_server(counter_app(), redis=redis_url, secret=SECRET) as base:
            for name, checkpoint in CORRUPT.items():
                session = secrets.token_urlsafe(24)
                store.hset(f"tempestweb:s:{session}", mapping={"owner": "a-worker-gone", "cp": checkpoint})
                for attempt in (1, 2):  # the client's reconnect meets the same answer, not a refusal
                    got = await asyncio.wait_for(resume(base, session), 10)
                    kinds = [frame["type"] if isinstance(frame, dict) else frame for frame in got]
                    assert kinds[:2] == ["init", "error"], (name, attempt, got)
                    init, error = got[0], got[1]
                    assert init["session"] != session and init.get("reset"), (name, init)
                    assert error["code"] == "session_expired" and not error.get("fatal"), (name, error)
                    assert init["seq"] >= 0
    finally:
        store.close()


async def test_issue_13_probe3_a_sound_checkpoint_is_still_restored(redis_url: str) -> None:
    import redis

    store = redis.Redis.from_url(redis_url)
    try:
        with live_server(counter_app(), redis=redis_url, secret=SECRET) as base:
            session = secrets.token_urlsafe(24)
            store.hset(
                f"tempestweb:s:{session}", mapping={"owner": "a-worker-gone", "cp": record(state="41")}
            )
            got = await asyncio.wait_for(resume(base, session), 10)
            init = got[0]
            assert init["type"] == "init" and init["session"] == session and init["seq"] == 3
            assert "Count: 41" in json.dumps(init["ops"])
    finally:
        store.close()
