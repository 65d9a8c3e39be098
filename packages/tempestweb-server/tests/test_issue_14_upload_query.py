"""``POST /_tw/upload`` with a node id that is not a number (issue 14): a typed 400, never a 500.

``"²".isdigit()`` is true but ``int("²")`` raises; a node id of hundreds of digits would not fit
the msgpack message that relays an upload to another worker (a ``Content-Length`` that long is
ignored: the bytes are counted).
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from test_upload import ORIGIN, URL, client, open_page

__all__ = ["client"]  # the fixture, shared with test_upload


@pytest.mark.parametrize("node", ["²", "1" * 400, "-1", " 1"])
def test_issue_14_a_node_that_is_not_a_small_number_is_a_typed_400(client: TestClient, node: str) -> None:
    session, token, _ = open_page(client)
    params = {"session": session, "token": token, "node": node, "upload": "upload-0001", "name": "a.txt"}
    response = client.post(URL, params=params, content=b"x", headers=ORIGIN)
    assert response.status_code == 400 and response.json()["code"] == "upload_failed"
