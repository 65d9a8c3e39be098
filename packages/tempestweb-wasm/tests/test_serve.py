"""``_serve``: the static server's typed bind error (issue 12, "Busy port")."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

import pytest

from tempestweb_wasm._serve import serve
from tempestweb_wasm.errors import AddressInUseError, WasmError


def test_issue_12_busy_port_raises_before_on_ready(tmp_path: Path) -> None:
    announced: list[str] = []
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(AddressInUseError) as raised:
            serve(tmp_path, host="127.0.0.1", port=port, on_ready=announced.append)
    assert isinstance(raised.value, WasmError) and raised.value.errno == errno.EADDRINUSE
    assert str(raised.value) == f"port {port} on 127.0.0.1 is in use"
    assert announced == []
