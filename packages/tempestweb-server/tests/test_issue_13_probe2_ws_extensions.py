"""Issue 13, second probe: a WebSocket upgrade offering permessage-deflate with a parameter that is no number.

Found by probing ``tempestweb run examples/counter`` with raw upgrade requests: ``Sec-WebSocket-
Extensions: permessage-deflate; client_max_window_bits=abc`` made wsproto's ``int()`` raise
``ValueError`` inside Hypercorn's accept of the upgrade. The client got no answer at all (the
connection was dropped) and the server logged two tracebacks per request ("Error in ASGI
Framework", then "Unhandled exception in client_connected_cb"), for anyone to repeat. RFC 7692
§5: the server declines such an offer, and the connection goes on uncompressed.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import socket
from importlib import metadata
from typing import Any

import pytest
import websockets
from server_live import counter_app, live_server

BAD_OFFERS = (
    "permessage-deflate; client_max_window_bits=abc",
    "permessage-deflate; server_max_window_bits=",
    "permessage-deflate; client_no_context_takeover; server_max_window_bits=" + "9" * 5_000,
)


LEGACY_CLIENT = int(metadata.version("websockets").split(".")[0]) < 14
"""websockets before 14 (the lowest version the test extra declares is 12) connects with its
legacy client: ``extra_headers=`` and ``response_headers`` where the new one has
``additional_headers=`` and ``response.headers``."""


async def _hello_with(base: str, offer: str) -> tuple[str | None, dict[str, object]]:
    headers = {"Sec-WebSocket-Extensions": offer}
    keyword = "extra_headers" if LEGACY_CLIENT else "additional_headers"
    connect: Any = websockets.connect
    async with connect(f"ws://{base}/_tw/ws", compression=None, **{keyword: headers}) as ws:
        response_headers = ws.response_headers if LEGACY_CLIENT else ws.response.headers
        accepted = response_headers.get("Sec-WebSocket-Extensions")
        await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
        init: dict[str, object] = json.loads(await asyncio.wait_for(ws.recv(), 10))
    return accepted, init


def _upgrade_head(base: str, offer: str) -> str:
    """Send a WebSocket upgrade offering ``offer`` over a raw socket; return the response head."""
    host, port = base.split(":")
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_tw/ws HTTP/1.1\r\nHost: {base}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Extensions: {offer}\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
    return head.decode("latin-1").lower()


@pytest.mark.parametrize("offer", BAD_OFFERS, ids=["letters", "empty", "too-many-digits"])
def test_an_offer_that_does_not_parse_is_declined(offer: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base:
        accepted, init = asyncio.run(_hello_with(base, offer))
        # a later offer in the same header is still negotiated as usual
        fallback = _upgrade_head(base, f"{offer}, permessage-deflate")
    assert accepted is None  # declined: the connection is uncompressed
    assert init["type"] == "init"
    assert fallback.startswith("http/1.1 101"), fallback
    assert "sec-websocket-extensions: permessage-deflate" in fallback, fallback
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text[-3000:]
