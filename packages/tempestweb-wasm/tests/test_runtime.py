from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Literal

import pytest

from tempest_core import App, render_to_html
from tempest_core.events import EVENT_MODELS, GenericEvent
from tempestweb_contract import PROTOCOL_VERSION, Error, Init, Patch, SetText, decode
from tempestweb_contract.project import load_app
from tempestweb_wasm._digest import html_digest
from tempestweb_wasm.runtime import Runtime, start


class Host:
    def __init__(
        self,
        app: Any,
        *,
        digest: str | None,
        base: str = "/",
        errors: Literal["generic", "traceback"] = "generic",
    ) -> None:
        self.frames: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.runtime = Runtime(
            app,
            send=self.frames.append,
            base=base,
            prerender_sha256=digest,
            on_error=lambda code, message: self.errors.append((code, message)),
            errors=errors,
        )

    def hello(self, path: str = "/") -> Init:
        self.runtime.receive(json.dumps({"type": "hello", "v": PROTOCOL_VERSION, "path": path}))
        message = decode(self.frames[-1], sender="server")
        assert isinstance(message, Init)
        return message

    def click(self, eid: int, node: int) -> None:
        frame = {"type": "event", "eid": eid, "node": node, "name": "click", "data": {"button": 0}}
        self.runtime.receive(json.dumps(frame))


def _load(folder: Path) -> Any:
    return load_app(folder, expect=App)


def _node_id(markup: str, element_id: str) -> int:
    head = markup[: markup.index(f'id="{element_id}"')]
    return int(head[head.rindex('data-tw="') + len('data-tw="') :].split('"', 1)[0])


def _body(app: Any) -> str:
    markup = render_to_html(app)
    return markup[markup.index("</style>") + len("</style>") :] if markup.startswith("<style") else markup


async def test_hello_hydrates_when_prerender_matches(counter_app: Path) -> None:
    app = _load(counter_app)
    host = Host(app, digest=html_digest(_body(app)), base="/site/")
    init = host.hello("/site/index.html")
    assert init.ops == () and init.reset is False and init.seq == 0


async def test_hello_resyncs_when_prerender_differs(counter_app: Path) -> None:
    host = Host(_load(counter_app), digest="0" * 64)
    init = host.hello()
    assert init.reset is True and init.ops


async def test_click_produces_one_patch_frame(counter_app: Path) -> None:
    app = _load(counter_app)
    body = _body(app)
    host = Host(app, digest=html_digest(body))
    host.hello()
    host.click(1, _node_id(body, "inc"))
    host.click(2, _node_id(body, "inc"))
    await host.runtime.flush()
    patches = [m for m in map(lambda f: decode(f, sender="server"), host.frames) if isinstance(m, Patch)]
    assert [p.seq for p in patches] == list(range(1, len(patches) + 1))
    texts = [op.text for p in patches for op in p.ops if isinstance(op, SetText)]
    assert texts[-1] == "2"
    assert patches[-1].ack == 2
    assert host.errors == []


async def test_handler_error_reported_and_app_keeps_running(counter_app: Path) -> None:
    app = _load(counter_app)
    body = _body(app)
    host = Host(app, digest=html_digest(body))
    host.hello()
    host.click(1, _node_id(body, "boom"))
    await host.runtime.flush()
    errors = [m for m in (decode(f, sender="server") for f in host.frames) if isinstance(m, Error)]
    assert [e.code for e in errors] == ["handler_error"]
    assert "kaboom" not in errors[0].message and errors[0].detail is None  # a build: no details
    assert errors[0].id is not None and len(errors[0].id) == 8  # the console has it, with the traceback
    assert host.errors and host.errors[0][0] == "handler_error"
    host.click(2, _node_id(body, "inc"))
    await host.runtime.flush()
    assert any(isinstance(op, SetText) and op.text == "1" for f in host.frames
               for m in [decode(f, sender="server")] if isinstance(m, Patch) for op in m.ops)  # fmt: skip


async def test_issue_9_bad_frames_before_hello_are_fatal_as_in_mode_b(counter_app: Path) -> None:
    # Mode A used to answer `unknown_message` and stay open; every host now closes the
    # connection (the next frame opens a new one, as a WebSocket reconnect would).
    host = Host(_load(counter_app), digest=None)
    host.runtime.receive("{not json")
    host.runtime.receive(json.dumps({"type": "event", "eid": 1, "node": 1, "name": "click"}))
    host.runtime.receive(json.dumps({"type": "hello", "v": PROTOCOL_VERSION + 1, "path": "/"}))
    codes = [
        (m.code, m.fatal) for m in (decode(f, sender="server") for f in host.frames) if isinstance(m, Error)
    ]
    assert codes == [("malformed_frame", True), ("malformed_frame", True), ("version_mismatch", True)]


async def test_unknown_handler_is_an_error_frame(counter_app: Path) -> None:
    host = Host(_load(counter_app), digest=None)
    host.hello()
    host.click(1, 9999)
    await host.runtime.flush()
    last = decode(host.frames[-1], sender="server")
    assert isinstance(last, Error) and last.code == "unknown_handler"


def test_app_path_strips_base() -> None:
    runtime = Runtime.__new__(Runtime)
    runtime._base = "/site/"
    assert runtime.app_path("/site/") == "/"
    assert runtime.app_path("/site") == "/"
    assert runtime.app_path("/site/index.html?x=1") == "/?x=1"
    assert runtime.app_path("/site/todos#a") == "/todos#a"


async def test_issue_4_event_arriving_during_a_flush_is_not_left_queued(counter_app: Path) -> None:
    """Regression: TodoMVC's first Enter in Mode A waited in the queue until the next keystroke."""
    import asyncio

    app = _load(counter_app)
    body = _body(app)
    host = Host(app, digest=html_digest(body))
    host.hello()
    inc = _node_id(body, "inc")
    for step in range(1, 6):
        host.click(2 * step - 1, inc)
        for _ in range(step):  # let the drain task reach a different await point each round
            await asyncio.sleep(0)
        host.click(2 * step, inc)
        await host.runtime.flush()
        patches = [m for m in map(lambda f: decode(f, sender="server"), host.frames) if isinstance(m, Patch)]
        texts = [op.text for p in patches for op in p.ops if isinstance(op, SetText)]
        assert texts[-1] == str(2 * step), f"round {step}: {texts}"


async def test_issue_12_a_dev_build_sends_the_traceback(counter_app: Path) -> None:
    app = _load(counter_app)
    body = _body(app)
    host = Host(app, digest=html_digest(body), errors="traceback")
    host.hello()
    host.click(1, _node_id(body, "boom"))
    await host.runtime.flush()
    (error,) = [m for m in (decode(f, sender="server") for f in host.frames) if isinstance(m, Error)]
    assert "RuntimeError: kaboom from the handler" in error.message
    assert error.detail is not None and re.search(r"app\.py:\d+ in explode", error.detail)


def test_issue_12_start_reads_the_errors_setting(counter_app: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(counter_app))
    config = {"module": "app", "attr": "app", "base": "/"}
    try:
        generic = start(json.dumps(config), lambda _: None)
        dev = start(json.dumps({**config, "errors": "traceback"}), lambda _: None)
    finally:
        for name in ("app", "helpers"):  # imported as the page imports them; not for other tests
            sys.modules.pop(name, None)
    assert generic.table.debug is False and dev.table.debug is True


def test_warm_builds_the_event_models_before_the_first_event() -> None:
    # A fresh interpreter: in this one earlier tests already built the models they used.
    script = (
        "from tempest_core.events import EVENT_MODELS, GenericEvent\n"
        "from tempestweb_wasm.runtime import Runtime\n"
        "from tempest_core import App, Text\n"
        "models = {*EVENT_MODELS.values(), GenericEvent}\n"
        "assert not any(m.__pydantic_complete__ for m in models)\n"
        "runtime = Runtime(App(view=lambda s: Text('x'), state=None), send=lambda text: None)\n"
        "print(runtime.warm(), runtime.warm(), all(m.__pydantic_complete__ for m in models))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(len({*EVENT_MODELS.values(), GenericEvent})), "0", "True"]
