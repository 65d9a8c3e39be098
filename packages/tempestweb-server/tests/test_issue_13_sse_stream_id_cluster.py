"""Issue 13, SSE fallback with several workers: the stream id travels with a relayed POST.

With workers on Redis a ``POST /_tw/send`` may reach a worker that does not hold the stream; it
is passed to the worker that does. The stream id (``QUERY_STREAM``) goes with it, and the
holder applies the same rule as for a POST it received itself (``_Channel.takes``): a POST of an
earlier stream that the network held across a reconnect is not handled, and the session's new
stream still waits for its own ``hello`` (the old code took it for the new stream's first frame:
a fatal ``malformed_frame``). The receiving worker refuses it itself (409, as the holder would:
``test_sse_stream_cluster_409.py`` tests it, the held POST included). A POST reaching a worker
whose own stream of the session is an older one is passed to the worker holding the newer
stream it names.

Two apps in this process on two ports sharing one private ``redis-server``.
"""

from __future__ import annotations

import httpx
import msgspec
import pytest
from server_cluster import redis_server_path
from server_live import count_of, counter_app, live_server, shell
from test_issue_13_sse_stream_id import NEW, OLD, WAIT_S, _event, _hello, _post, _query, _stream

from tempestweb_server._relay import RelayMessage, decode_message, encode_message

pytestmark = pytest.mark.skipif(
    redis_server_path() is None, reason="redis-server is not installed (Debian package redis-server)"
)


async def test_issue_13_sse_stream_id_a_post_for_a_newer_stream_elsewhere_is_passed_on(
    redis_url: str,
) -> None:
    """A's stream of the session is the dropped one (not yet noticed); the new one is on B."""
    with live_server(counter_app(), redis=redis_url) as a, live_server(counter_app(), redis=redis_url) as b:
        session, token, node = shell(a)
        old, new = _query(session, token, OLD), _query(session, token, NEW)
        async with (
            httpx.AsyncClient(timeout=WAIT_S) as http,
            _stream(http, a, old) as first,
            _stream(http, b, new) as second,
        ):
            # The new stream's hello lands on A, which holds the old stream of the same key.
            assert (await _post(http, a, new, _hello(session, token, 0))).status_code == 204
            init = await second.next_of("init")  # old code: fed to A's old stream
            assert init["session"] == session
            assert (await _post(http, a, new, _event(1, node))).status_code == 204
            assert count_of(await second.next_of("patch")) == 1
            assert first.frames == []


def test_issue_13_sse_stream_id_relay_messages_of_another_version_still_decode() -> None:
    """A rolling deploy mixes versions: an older worker's ``post`` has no stream (fed unchecked)."""

    class Older(msgspec.Struct, array_like=True, frozen=True):  # RelayMessage before the stream id
        kind: str
        link: str
        sender: str
        data: bytes = b""
        code: int = 0

    older = decode_message(msgspec.msgpack.encode(Older("post", "s\0t", "w1", b"{}")))
    assert older is not None and older.stream is None
    newer = encode_message(RelayMessage("post", "s\0t", "w2", b"{}", stream=NEW))
    assert msgspec.msgpack.decode(newer, type=Older) == Older("post", "s\0t", "w2", b"{}")
    assert decode_message(newer) == RelayMessage("post", "s\0t", "w2", b"{}", stream=NEW)
