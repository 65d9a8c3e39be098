"""Mode A's path for FileUpload bytes: ``Runtime.upload`` stores them, the ``done`` event hands
them to ``on_upload`` (run on CPython, as the runtime is tested without a browser)."""

from __future__ import annotations

import json

from tempest_core import App, render_to_html
from tempest_core.host import UploadedFile, upload_store
from tempest_core.nodes import Node
from tempest_core.widgets import FileUpload
from tempestweb_contract import PROTOCOL_VERSION, Init, decode
from tempestweb_wasm.runtime import Runtime

received: list[tuple[str, int, str, bytes]] = []


def on_upload(file: UploadedFile) -> None:
    received.append((file.name, file.size, file.content_type, file.read()))


def view(_state: None) -> Node:
    return FileUpload(on_upload=on_upload, max_bytes=8, accept=[".txt"], id="zone")


def zone_node(app: App[None]) -> int:
    markup = render_to_html(app)
    head = markup[: markup.index('id="zone"')]
    return int(head[head.rindex('data-tw="') + len('data-tw="') :].split('"', 1)[0])


def start() -> tuple[Runtime, list[str], int]:
    app: App[None] = App(view=view)
    frames: list[str] = []
    runtime = Runtime(app, send=frames.append, base="/", prerender_sha256=None)
    runtime.receive(json.dumps({"type": "hello", "v": PROTOCOL_VERSION, "path": "/"}))
    assert isinstance(decode(frames[-1], sender="server"), Init)
    return runtime, frames, zone_node(app)


async def test_bytes_reach_on_upload() -> None:
    received.clear()
    runtime, _frames, node = start()
    answer = json.loads(runtime.upload(node, "file-0001", "a.txt", "text/plain", b"1234"))
    assert answer == {"id": "file-0001", "size": 4}
    event = {
        "type": "event", "eid": 1, "node": node, "name": "tw-upload",
        "data": {"id": "file-0001", "phase": "done", "name": "a.txt", "size": 4, "type": "text/plain"},
    }  # fmt: skip
    runtime.receive(json.dumps(event))
    await runtime.flush()
    assert received == [("a.txt", 4, "text/plain", b"1234")]
    assert len(upload_store(runtime.session)) == 0
    await runtime.close()


async def test_limits_of_the_file_upload_apply() -> None:
    runtime, _frames, node = start()
    too_large = json.loads(runtime.upload(node, "file-0002", "a.txt", "text/plain", b"123456789"))
    assert too_large == {"code": "too_large", "message": "the file is larger than 8 bytes"}
    refused = json.loads(runtime.upload(node, "file-0003", "a.pdf", "application/pdf", b"%PDF"))
    assert refused["code"] == "not_accepted"
    elsewhere = json.loads(runtime.upload(node + 1, "file-0004", "a.txt", "text/plain", b"1"))
    assert elsewhere["code"] == "not_found"
    assert len(upload_store(runtime.session)) == 0
    await runtime.close()


def test_before_hello_there_is_no_session() -> None:
    runtime = Runtime(App(view=view), send=lambda _text: None, base="/", prerender_sha256=None)
    assert json.loads(runtime.upload(1, "file-0005", "a.txt", "", b"x"))["code"] == "not_found"
