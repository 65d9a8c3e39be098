"""Issue 13, second probe: client-file paths the file system refuses are a 404, not a 500.

Found by probing ``tempestweb run examples/todomvc`` from outside with raw requests:
``GET /_tw/client/<5,000 characters>.js`` and ``GET /_tw/client/a/a/.../x.js`` (a path longer
than the file system's ``PATH_MAX``) reached ``Path.is_file()``, which raises ``OSError``
(``ENAMETOOLONG``) on Python 3.11: the server answered ``500 Internal Server Error`` and logged a
traceback per request. Such a path names no client file, so it is a plain 404 like any other.
"""

from __future__ import annotations

import logging

import httpx
import pytest
from server_live import counter_app, live_server

LONG_PATHS = (
    "/_tw/client/" + "a" * 5_000 + ".js",  # one name past NAME_MAX (255)
    "/_tw/client/" + "a/" * 3_000 + "x.js",  # a path past PATH_MAX (4096)
    "/_tw/client/" + "%61" * 300 + ".css",  # an encoded name past NAME_MAX
)


@pytest.mark.parametrize("path", LONG_PATHS, ids=["long-name", "long-path", "encoded-name"])
def test_client_file_path_the_file_system_refuses_is_404(path: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR), live_server(counter_app()) as base, httpx.Client(timeout=9) as http:
        response = http.get(f"http://{base}{path}")
        healthy = http.get(f"http://{base}/_tw/client/boot.js")
    assert response.status_code == 404, response.text[:200]
    assert response.text == "not found"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert healthy.status_code == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text[-2000:]
