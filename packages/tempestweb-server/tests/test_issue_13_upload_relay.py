"""FileUpload in a cluster (issues 13 and 14): an upload landing on any worker reaches its session.

Without sticky sessions ``POST /_tw/upload`` reaches any worker; the one that does not hold the
session's tree streams the bytes to the one that does over Redis, a few chunks at a time, and
answers what a local upload answers. Every test starts its own ``redis-server`` (Debian package
``redis-server``): two workers in this process on two ports (fast), or a supervised worker
process (to kill or freeze the session's owner mid-upload).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import websockets
from server_cluster import redis_server_path, worker_pool
from server_live import lapsed_lease, live_server

from tempest_core import App
from tempestweb_contract.names import ENDPOINT_PREFIX, UPLOAD_PATH
from tempestweb_server import _upload_relay
from tempestweb_server.constants import UPLOAD_RELAY_CHUNK_BYTES, UPLOAD_RELAY_WINDOW_CHUNKS
from tempestweb_server.loader import AppLoader

pytestmark = pytest.mark.skipif(
    redis_server_path() is None, reason="redis-server is not installed (Debian package redis-server)"
)

MIB = 1024 * 1024
LIMIT = 8 * MIB
SMALL = 64 * 1024  # a second drop zone's limit: a body this size fits in the sockets' buffers
UPLOAD_APP = f"""
import hashlib
import json
import os

from tempest_core import App, Column, FileUpload, Text

RECEIVED = []  # (name, size, sha256) of every file the handler got, in this process


def on_upload(upload):
    RECEIVED.append((upload.name, upload.size, hashlib.sha256(upload.read()).hexdigest()))
    if os.environ.get("UPLOAD_LOG"):  # a worker process tells the test what it got
        with open(os.environ["UPLOAD_LOG"], "a") as log:
            log.write(json.dumps(RECEIVED[-1]) + "\\n")


def on_error(error):
    RECEIVED.append(("error", error.code, error.message))


def view(state):
    return Column(
        Text("files"),
        FileUpload(max_bytes={LIMIT}, on_upload=on_upload, on_error=on_error),
        FileUpload(max_bytes={SMALL}, on_upload=on_upload, on_error=on_error, input_id="small"),
    )


app = App(view=view, state=0, title="Uploads")
"""
_ZONE = re.compile(r'<div data-tw="(\d+)"[^>]*data-tw-upload=""')


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(UPLOAD_APP)
    return tmp_path


def load(app_dir: Path) -> tuple[App[object], list[Any]]:
    """The upload app (a fresh module) and the list its handler appends to."""
    app = AppLoader(str(app_dir / "app.py")).load()
    received: list[Any] = app.view.__globals__["RECEIVED"]
    return app, received


def record(monkeypatch: pytest.MonkeyPatch, owner: type, method: str, into: list[Any]) -> None:
    """Append every object ``owner.method`` is called on to ``into`` (after the real call)."""
    real = getattr(owner, method)

    def recorded(self: Any, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        into.append(self)

    monkeypatch.setattr(owner, method, recorded)


def zones(base: str) -> tuple[str, str, list[int]]:
    """Open a page on ``base``: its session id, token and the node ids of its two drop zones."""
    html = httpx.get(f"http://{base}/").text
    session = re.search(r'data-tw-session="([^"]+)"', html)
    token = re.search(r'data-tw-token="([^"]+)"', html)
    found = [int(node) for node in _ZONE.findall(html)]
    assert session and token and len(found) == 2, html
    return session[1], token[1], found


def page(base: str) -> tuple[str, str, int]:
    """Open a page on ``base``: its session id, token and the big drop zone's node id."""
    session, token, (node, _) = zones(base)
    return session, token, node


async def body_of(data: bytes, piece: int = 100_000) -> AsyncIterator[bytes]:
    """Stream ``data`` in pieces that are not the relay's chunk size (chunked, no Content-Length)."""
    for start in range(0, len(data), piece):
        yield data[start : start + piece]


async def upload(
    base: str, session: str, token: str, node: int, body: bytes | AsyncIterator[bytes], *,
    upload_id: str = "upload-0001", name: str = "data.bin", timeout_s: float = 30.0,
) -> tuple[int, dict[str, Any]]:  # fmt: skip
    params = {"session": session, "token": token, "node": str(node), "upload": upload_id, "name": name}
    async with httpx.AsyncClient(timeout=timeout_s) as http:
        response = await http.post(
            f"http://{base}{ENDPOINT_PREFIX}{UPLOAD_PATH}", params=params, content=body
        )
    return response.status_code, response.json()


async def done(base: str, session: str, token: str, node: int, files: dict[str, int]) -> None:
    """Send the page's ``tw-upload`` ``done`` event of each file (id: size) over a WebSocket, as
    the page does once the POST answered; wait for their acknowledgement."""
    hello = {"type": "hello", "v": 1, "path": "/", "session": session, "token": token, "last_seq": 0}
    async with websockets.connect(f"ws://{base}/_tw/ws", max_size=None) as ws:
        await ws.send(json.dumps(hello))
        for eid, (upload_id, size) in enumerate(files.items(), 1):
            data = {
                "id": upload_id,
                "phase": "done",
                "name": "data.bin",
                "size": size,
                "type": "",
                "loaded": size,
            }
            event = {"type": "event", "eid": eid, "node": node, "name": "tw-upload", "data": data}
            await ws.send(json.dumps(event))
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert message["type"] != "error", message
            if message["type"] == "patch" and message.get("ack", 0) >= len(files):
                return


async def test_issue_13_an_upload_landing_on_another_worker_reaches_the_handler(
    app_dir: Path, redis_url: str
) -> None:
    app, received = load(app_dir)
    with live_server(app, redis=redis_url) as a, live_server(app, redis=redis_url) as b:
        session, token, node = page(a)  # A holds the session's tree
        data = os.urandom(6 * MIB + 12_345)
        status, body = await upload(b, session, token, node, body_of(data))  # the POST lands on B
        assert (status, body) == (200, {"id": "upload-0001", "size": len(data)})
        await done(b, session, token, node, {"upload-0001": len(data)})  # the event lands on B too
    assert received == [("data.bin", len(data), hashlib.sha256(data).hexdigest())]


async def test_issue_13_a_relayed_upload_gets_the_typed_errors_of_a_local_one(
    app_dir: Path, redis_url: str
) -> None:
    app, received = load(app_dir)
    with live_server(app, redis=redis_url) as a, live_server(app, redis=redis_url) as b:
        session, token, (node, small) = zones(a)
        over = os.urandom(LIMIT + 1)
        local = await upload(a, session, token, node, body_of(over), upload_id="upload-local")
        relayed = await upload(b, session, token, node, body_of(over), upload_id="upload-big1")
        assert (
            relayed
            == local
            == (413, {"code": "too_large", "message": f"the file is larger than {LIMIT} bytes"})
        )
        # A Content-Length over the limit is refused before any byte is read (the small zone's limit:
        # a refused body must fit in the sockets' buffers for this client to read the answer).
        over_small = os.urandom(SMALL + 1)
        declared = await upload(b, session, token, small, over_small, upload_id="upload-big1")
        assert declared == await upload(a, session, token, small, over_small, upload_id="upload-big1")
        assert declared == (413, {"code": "too_large", "message": f"the file is larger than {SMALL} bytes"})
        assert (await upload(b, session, token, node, b"x", upload_id="../../etc"))[1]["code"] == "not_found"
        status, body = await upload(b, session, token, node + 1, b"x")
        assert (status, body["code"]) == (404, "not_found") and "no FileUpload at node" in body["message"]
        status, body = await upload(b, session, "0" * len(token), node, b"x")
        assert (status, body["code"]) == (403, "unauthorized")
        # Nothing of the refused file was kept: its id is free, and its done event finds no bytes.
        await done(b, session, token, node, {"upload-big1": len(over)})
        assert received == [("error", "upload_failed", "the file's bytes did not arrive")]
        assert await upload(b, session, token, node, b"small", upload_id="upload-big1") == (
            200,
            {"id": "upload-big1", "size": 5},
        )


async def test_issue_13_an_upload_landing_on_a_stale_copy_reaches_the_sessions_owner(
    app_dir: Path, redis_url: str
) -> None:
    """A worker whose session another worker took over (its lease lapsed) holds a stale copy:
    an upload landing there must reach the owner, as a resuming ``hello`` does, not that copy."""
    app, received = load(app_dir)
    store = redis.Redis.from_url(redis_url)
    with live_server(app, redis=redis_url) as a, live_server(app, redis=redis_url) as b:
        session, token, node = page(a)  # A holds the session's tree
        owner = store.hget(f"tempestweb:s:{session}", "owner")
        assert isinstance(owner, bytes)
        hello = {"type": "hello", "v": 1, "path": "/", "session": session, "token": token, "last_seq": None}

        async with lapsed_lease(store, owner):  # A's lease lapses (Redis paused past its TTL, A frozen)
            for _ in range(20):  # B takes the session over from its checkpoint
                async with websockets.connect(f"ws://{b}/_tw/ws") as ws:
                    await ws.send(json.dumps(hello))
                    while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "init":
                        pass
                if store.hget(f"tempestweb:s:{session}", "owner") != owner:
                    break
            else:
                pytest.fail("B never took the session over")
        # A still holds its copy. The upload lands on A; its bytes must reach B's session.
        data = os.urandom(300_000)
        answer = await upload(a, session, token, node, body_of(data))
        assert answer == (200, {"id": "upload-0001", "size": len(data)})
        await done(b, session, token, node, {"upload-0001": len(data)})
    store.close()
    assert received == [("data.bin", len(data), hashlib.sha256(data).hexdigest())], (
        "the upload was stored in A's stale copy of the session"
    )


@pytest.mark.parametrize("uploads", [1, 12])
async def test_issue_13_relayed_uploads_stay_within_their_window(
    app_dir: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch, uploads: int
) -> None:
    """The owner is slow to acknowledge: the pipe waits instead of queueing bytes.

    The owner holds back every acknowledgement of written chunks (the "ready" one goes out at
    once) until the bound under test is reached, so the bound is hit whatever the scheduling:
    one upload fills its window (``UPLOAD_RELAY_WINDOW_CHUNKS``); twelve fill the pipe's budget
    (``max_chunks_in_flight``, below twelve windows), where no single upload need fill its window.
    """
    relays: list[_upload_relay.UploadRelays] = []
    sent: list[_upload_relay._Sending] = []
    hosted: list[_upload_relay._Hosted] = []
    record(monkeypatch, _upload_relay.UploadRelays, "__init__", relays)
    record(monkeypatch, _upload_relay._Sending, "settle", sent)
    record(monkeypatch, _upload_relay._Hosted, "__init__", hosted)

    def reached() -> bool:  # read from the owner's thread; the pipe's counters only grow
        pipe = [r for r in relays if r.sending]
        if uploads == 1:
            return any(
                s.high_water_chunks >= UPLOAD_RELAY_WINDOW_CHUNKS for r in pipe for s in r.sending.values()
            )
        return any(r.high_water_chunks >= r.max_chunks_in_flight for r in pipe)

    real_publish = _upload_relay._Hosted._publish

    async def held_publish(
        self: _upload_relay._Hosted, kind: Any, data: bytes = b"", *, code: int = 0
    ) -> None:
        if kind == "upload_ack" and code > 0:
            deadline = asyncio.get_running_loop().time() + 3.0  # below UPLOAD_RELAY_TIMEOUT_S
            while not reached() and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.002)
        await real_publish(self, kind, data, code=code)

    monkeypatch.setattr(_upload_relay._Hosted, "_publish", held_publish)
    app, received = load(app_dir)
    with live_server(app, redis=redis_url) as a, live_server(app, redis=redis_url) as b:
        sessions = [page(a) for _ in range(uploads)]
        files = [os.urandom(2 * MIB) for _ in sessions]
        answers = await asyncio.gather(
            *(upload(b, s, t, n, body_of(f, 300_000)) for (s, t, n), f in zip(sessions, files, strict=True))
        )
    assert [status for status, _ in answers] == [200] * uploads
    assert len(sent) == len(hosted) == uploads
    assert max(s.high_water_chunks for s in sent) <= UPLOAD_RELAY_WINDOW_CHUNKS
    assert max(h.high_water_chunks for h in hosted) <= UPLOAD_RELAY_WINDOW_CHUNKS
    pipe = next(r for r in relays if r.high_water_chunks > 0)
    assert pipe.high_water_chunks <= pipe.max_chunks_in_flight < 12 * UPLOAD_RELAY_WINDOW_CHUNKS
    if uploads == 1:
        assert sent[0].high_water_chunks == UPLOAD_RELAY_WINDOW_CHUNKS  # the window was reached
    else:
        assert pipe.high_water_chunks == pipe.max_chunks_in_flight  # the budget was reached
    assert pipe.high_water_chunks * UPLOAD_RELAY_CHUNK_BYTES <= 2 * MIB  # bytes in Redis at once, all uploads
    assert not pipe.sending and not pipe.hosted and pipe.chunks_in_flight == 0  # nothing left behind
    del received


@pytest.mark.parametrize("fate", ["killed", "frozen", "redis_lost"])
async def test_issue_13_an_upload_whose_owner_dies_gets_a_typed_error(
    app_dir: Path, redis_url: str, fate: str
) -> None:
    """The owner is a worker process, SIGKILLed (or SIGSTOPped, or Redis shuts down) while the
    bytes stream through B.

    The answer is ``upload_failed`` (400), never a hang: the client's own timeout is far above
    ``UPLOAD_RELAY_TIMEOUT_S`` and would fail the test.
    """
    app, _ = load(app_dir)
    with worker_pool(app_dir, redis_url, workers=1) as pool, live_server(app, redis=redis_url) as b:
        (owner,) = pool.wait_workers(1)
        session, token, node = page(f"127.0.0.1:{pool.port}")
        stopped = False

        async def body() -> AsyncIterator[bytes]:
            nonlocal stopped
            data = os.urandom(4 * MIB)
            for index, start in enumerate(range(0, len(data), 64 * 1024)):
                if index == 8:
                    if fate == "redis_lost":
                        with contextlib.suppress(redis.ConnectionError):
                            redis.Redis.from_url(redis_url).shutdown(nosave=True)
                    else:
                        os.kill(owner, signal.SIGKILL if fate == "killed" else signal.SIGSTOP)
                    stopped = True
                yield data[start : start + 64 * 1024]
                await asyncio.sleep(0.01)

        try:
            status, answer = await upload(b, session, token, node, body(), timeout_s=60.0)
        finally:
            if fate == "frozen":
                os.kill(owner, signal.SIGCONT)
        assert stopped
        assert status == 400 and answer["code"] == "upload_failed"
        assert "worker serving this session stopped" in answer["message"]


async def test_issue_13_with_two_worker_processes_every_upload_reaches_its_session(
    app_dir: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``tempestweb run --workers 2 --redis``: the kernel spreads connections over the workers."""
    log = app_dir / "received.jsonl"
    monkeypatch.setenv("UPLOAD_LOG", str(log))
    with worker_pool(app_dir, redis_url, workers=2) as pool:
        base = f"127.0.0.1:{pool.port}"
        session, token, node = page(base)
        files = {f"upload-{index:04d}": os.urandom(300_000 + index) for index in range(12)}
        for upload_id, data in files.items():  # a connection each: about half land on the other worker
            answer = await upload(base, session, token, node, body_of(data), upload_id=upload_id)
            assert answer == (200, {"id": upload_id, "size": len(data)})
        await done(base, session, token, node, {upload_id: len(data) for upload_id, data in files.items()})
    received = sorted(tuple(json.loads(line)) for line in log.read_text().splitlines())
    assert received == sorted(
        ("data.bin", len(data), hashlib.sha256(data).hexdigest()) for data in files.values()
    )
