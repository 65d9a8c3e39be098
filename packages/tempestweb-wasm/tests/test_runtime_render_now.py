"""Mode A renders an event's update inside the page's call (issue 14).

The page calls ``Runtime.receive`` for each event and waits; the render runs before it returns,
so the patch (delivered to the DOM in a microtask by ``bootstrap.js``) lands before the browser
paints its next frame: a virtual Table's rows appear in the frame that paints the scroll.
"""

from __future__ import annotations

import json
from pathlib import Path

from tempest_core import App, render_to_html
from tempestweb_contract import PROTOCOL_VERSION, Init, Patch, SetText, decode
from tempestweb_contract.project import load_app
from tempestweb_wasm._digest import html_digest
from tempestweb_wasm.runtime import Runtime


def _node_id(markup: str, element_id: str) -> int:
    head = markup[: markup.index(f'id="{element_id}"')]
    return int(head[head.rindex('data-tw="') + len('data-tw="') :].split('"', 1)[0])


async def test_an_event_is_rendered_before_receive_returns(counter_app: Path) -> None:
    app = load_app(counter_app, expect=App)
    markup = render_to_html(app)
    body = markup[markup.index("</style>") + len("</style>") :] if markup.startswith("<style") else markup
    frames: list[str] = []
    runtime = Runtime(app, send=frames.append, base="/", prerender_sha256=html_digest(body))
    runtime.receive(json.dumps({"type": "hello", "v": PROTOCOL_VERSION, "path": "/"}))
    assert isinstance(decode(frames[-1], sender="server"), Init)
    node = _node_id(body, "inc")
    for eid in (1, 2):
        sent = len(frames)
        event = {"type": "event", "eid": eid, "node": node, "name": "click", "data": {"button": 0}}
        runtime.receive(json.dumps(event))  # no await: the loop does not run in between
        patch = decode(frames[-1], sender="server")
        assert len(frames) == sent + 1 and isinstance(patch, Patch) and patch.ack == eid
        assert [op.text for op in patch.ops if isinstance(op, SetText)] == [str(eid)]
    await runtime.flush()
    assert len(frames) == 3  # the loop's scheduled render found nothing left: no empty patch
