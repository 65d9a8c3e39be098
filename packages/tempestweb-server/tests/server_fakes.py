"""Shared helpers: a small fake core session for transport mechanics, and helpers."""

from __future__ import annotations

import asyncio
import json
from typing import Any, ClassVar

from starlette.testclient import TestClient

from tempest_core.errors import SessionError
from tempest_core.host import ErrorCallback, NavigateCallback, PatchCallback
from tempestweb_contract import Create, ElementNode, Event, Op, SetText, TextNode
from tempestweb_server import ServerConfig, create_app

BUTTON_ID = 1
TEXT_ID = 2


class FakeApp:
    """Stands in for ``tempest_core.App`` in transport tests: a title and a start count."""

    def __init__(self, *, start: int = 0, title: str = "Fake", broken: bool = False) -> None:
        self.start = start
        self.title = title
        self.broken = broken


class FakeSession:
    """A counter session honouring the host-facing ``tempest_core.Session`` contract."""

    instances: ClassVar[list[FakeSession]] = []

    def __init__(
        self,
        app: FakeApp,
        *,
        path: str,
        on_patch: PatchCallback,
        on_navigate: NavigateCallback,
        on_error: ErrorCallback,
    ) -> None:
        self.app = app
        self.path = path
        self.state = app.start
        self.on_patch = on_patch
        self.on_navigate = on_navigate
        self.on_error = on_error
        self.last_event_id = 0
        self.closed = False
        self.navigations: list[str] = []
        FakeSession.instances.append(self)

    def _tree(self) -> tuple[Op, ...]:
        button = ElementNode(
            id=BUTTON_ID,
            tag="button",
            events={"click": 0},
            children=(TextNode(id=TEXT_ID, text=str(self.state)),),
        )
        return (Create(parent=0, before=None, node=button),)

    def mount(self) -> tuple[Op, ...]:
        if self.app.broken:
            raise RuntimeError("view exploded")
        return self._tree()

    def resync(self) -> tuple[Op, ...]:
        return self._tree()

    def render_html(self) -> str:
        return f'<button data-tw="{BUTTON_ID}" data-tw-on="click:0"><!--{TEXT_ID}-->{self.state}</button>'

    @property
    def styles(self) -> tuple[str, ...]:
        return (".tw-1{color:red}",)

    async def dispatch(self, event: Event, /) -> None:
        self.dispatch_now(event)

    def dispatch_now(self, event: Event, /) -> None:
        if (event.node, event.name) == (BUTTON_ID, "boom"):
            self.on_error(SessionError("handler_error", "handler raised ValueError: boom"))
            return
        if (event.node, event.name) != (BUTTON_ID, "click"):
            raise SessionError("unknown_handler", f"no handler for {event.name} on node {event.node}")
        self.last_event_id = event.eid
        self.state += 1
        asyncio.get_running_loop().call_soon(self._render)

    def _render(self) -> None:
        self.on_patch((SetText(id=TEXT_ID, text=str(self.state)),), self.last_event_id)

    def dispatch_inline(self, event: Event, /) -> None:
        self.dispatch_now(event)  # this fake renders on the loop's next iteration, as a slow view would

    def navigate(self, path: str, /) -> None:
        self.navigations.append(path)
        self.path = path

    async def flush(self) -> None:
        await asyncio.sleep(0)

    def batch_sent(self, seq: int, /) -> None:
        pass  # its one listener is never re-bound: nothing to keep for older DOMs

    def batch_acknowledged(self, seq: int, /) -> None:
        pass

    async def close(self) -> None:
        self.closed = True


def fake_factory(app: Any, **kwargs: Any) -> FakeSession:
    return FakeSession(app, **kwargs)


def make_client(config: ServerConfig | None = None, app: FakeApp | None = None) -> TestClient:
    asgi = create_app(app or FakeApp(), config=config, session_factory=fake_factory)
    return TestClient(asgi, base_url="http://testserver")


def frame(**fields: Any) -> str:
    return json.dumps(fields)


def hello(**fields: Any) -> str:
    return frame(type="hello", v=fields.pop("v", 1), path=fields.pop("path", "/"), **fields)


def shell_session(client: TestClient, path: str = "/") -> tuple[str, str]:
    """GET the shell and return the (session id, token) it embeds."""
    import re

    page = client.get(path).text
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    assert session is not None and token is not None
    return session.group(1), token.group(1)
