"""A ``hello`` whose session's first view raises gets a fatal error the client can show.

The connection's fatal ``error{handler_error}`` dropped the failure's error id (so the client's
overlay, which shows errors with an id, showed nothing: a page reconnecting into a new session
whose view raised just went dead) and sent the exception text whatever the host's ``debug``
(a production host leaked it). It now follows the rule of every app failure
(``error_frame``): the id always, the text and traceback only with error details.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_host_render_inline import _frames

from tempest_core import App, Node, html
from tempest_core.host import Connection, FrameQueue, SessionTable


def _broken_app() -> App[int]:
    def view(count: int) -> Node:
        if count == 0:  # the first view raises
            raise ValueError("secret detail of the failure")
        return html.p(str(count))

    return App(view=view, state=0)


async def _fatal(debug: bool) -> dict[str, Any]:
    queue = FrameQueue()
    connection = Connection(SessionTable(_broken_app(), debug=debug), queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    (frame,) = await _frames(queue)
    assert connection.state == "closed"
    return frame


@pytest.mark.parametrize("debug", [False, True])
async def test_a_first_view_that_raises_is_a_fatal_error_with_its_id(debug: bool) -> None:
    frame = await _fatal(debug)
    assert frame["type"] == "error" and frame["code"] == "handler_error" and frame["fatal"] is True
    assert isinstance(frame["id"], str) and frame["id"]  # the overlay shows it, the log has it
    if debug:
        assert "secret detail of the failure" in frame["message"]
        assert "ValueError" in frame["detail"]
    else:
        assert "secret detail" not in frame["message"] and "detail" not in frame
