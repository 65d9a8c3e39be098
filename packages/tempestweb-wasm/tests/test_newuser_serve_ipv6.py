"""``_serve``: a Mode A static server on an IPv6 address (``tempestweb run --mode wasm --host ::1``).

The server used to bind an ``AF_INET`` socket whatever the host, so ``--host ::1`` passed the
CLI's port check and then failed with ``gaierror: [Errno -9] Address family for hostname not
supported``.
"""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest

from tempestweb_wasm._serve import StaticServer


def _ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="this machine has no IPv6 loopback (::1) to bind")
def test_newuser_static_server_listens_on_ipv6_loopback(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>ok</title>", encoding="utf-8")
    with StaticServer(tmp_path, host="::1", port=0) as server:
        assert server.url.startswith("http://[::1]:"), server.url
        with urllib.request.urlopen(server.url + "index.html", timeout=10) as response:
            assert response.status == 200
            assert b"<title>ok</title>" in response.read()


def test_newuser_static_server_url_of_ipv4_host_has_no_brackets(tmp_path: Path) -> None:
    with StaticServer(tmp_path, host="127.0.0.1", port=0) as server:
        assert server.url.startswith("http://127.0.0.1:"), server.url
