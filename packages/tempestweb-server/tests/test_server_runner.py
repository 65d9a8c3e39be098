"""``runner.serve_asgi``: the bind check before the startup message (issue 12, "Busy port")."""

from __future__ import annotations

import errno
import socket

import pytest
from starlette.applications import Starlette

from tempestweb_server.config import ServerConfig
from tempestweb_server.errors import AddressInUseError, ServerError
from tempestweb_server.runner import serve_asgi


async def test_issue_12_busy_port_raises_before_serving(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        config = ServerConfig.from_options({"host": "127.0.0.1", "port": port})
        with caplog.at_level("INFO", logger="tempestweb"), pytest.raises(AddressInUseError) as raised:
            await serve_asgi(Starlette(), config)
    assert isinstance(raised.value, ServerError) and raised.value.errno == errno.EADDRINUSE
    assert f"port {port} on 127.0.0.1 is in use" in str(raised.value)
    assert "serving on" not in caplog.text
