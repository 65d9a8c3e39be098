"""A rehearsal of the event path in a throwaway session, while the page is idle (private).

Under Pyodide the app's Python runs in the browser's WebAssembly engine, and the client in its
JavaScript engine. Both compile a function the first time it runs (V8's lazy compilation:
Liftoff for WebAssembly, Ignition and Sparkplug for JavaScript; https://v8.dev/blog/wasm-dynamic-tiering),
so the first scroll of a page, its first click and its first keystroke run code no render ran
before: the validation of an event model, a keyed diff that moves, creates and removes, a
template instance, a patch application in the client. Measured in Chromium 156 under 4x CPU
throttling (docs/benchmarks.md, "The first steps of a page"): the first scroll step of the
virtual table took 74-157 ms, of which about 25-55 ms compiled WebAssembly functions of the
interpreter and 20-33 ms JavaScript functions, where later steps take 9-12 ms.

``bootstrap.js`` therefore runs this rehearsal once the page is idle after it became interactive:
a private app (:data:`REHEARSAL_APP`: a virtual :func:`~tempest_core.Table` of :data:`ROWS` rows,
a keyed list, a button, a text field) is opened in a session of its own (its own
:class:`~tempest_core.host.SessionTable`, never the page's session), and a second JS client
session (``mount`` with the page's own ``PyodideTransport`` class) is mounted on a root in an
inert document (``document.implementation.createHTMLDocument``: nothing is rendered, styled or
shown, and the page's own document and stylesheet are not touched). That client sends ``hello``,
applies the ``init``, and then the page performs the DOM actions of :meth:`Rehearsal.actions` on
the inert elements in idle callbacks (scroll steps and jumps, typing, clicks, a selection): each
is a real DOM event, so the client's own path runs (the delegated listener, the event's payload,
the session's send with its acknowledgement, ``pyodide.ffi``, this session's render and diff,
the patch's application). The same functions then run, and are compiled, as on a person's first
scroll, click and keystroke, before that comes. The rehearsal changes nothing the app sees: its
session, state and handlers are its own, and both sessions are closed when done.

Where the host is not in the page (Mode B's server, the desktop window's Python), the client's
half is what a first scroll compiles: a Mode B page under 4x CPU throttling applied its first
scroll patch 13-16 ms after the message arrived, against 2-5 ms once warm (docs/benchmarks.md).
A live rehearsal there would cost the host a throwaway session per page load, so the host plays
it once per process instead (:func:`recorded`): the frames its session answers to ``hello`` and
to each action, which the client replays in the same inert document (``client/src/rehearsal.js``)
while it performs the same DOM actions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Final

import msgspec

from tempest_core import App, Button, Column, Node, Table, TableColumn, Text, TextField, html
from tempest_core.host import Connection, SessionTable
from tempestweb_contract import (
    PROTOCOL_VERSION,
    Create,
    ElementNode,
    Error,
    Event,
    Hello,
    Init,
    NodeSpec,
    Op,
    Patch,
    decode,
    encode,
)
from tempestweb_contract.names import EVENT_FIELD

__all__ = [
    "CLICKS",
    "RECORDED_SESSION",
    "REHEARSAL_APP",
    "ROWS",
    "SCROLL_TOPS",
    "SELECT_ALL",
    "TYPED",
    "Rehearsal",
    "recorded",
]

RECORDED_SESSION: Final = "rehearsal"
"""The session id a recording's ``init`` carries (its token is ``null``): every process records
the same bytes, so a page revalidating the recording (its ETag) on another worker gets a 304."""

ROWS: Final = 1_000
"""Rows of the rehearsal's virtual table."""
SCROLL_TOPS: Final = (96, 192, 288, 16_000, 31_000)
"""``scrollTop`` (px) of the rehearsal's scroll events: three wheel steps down (rows enter and
leave, the window leads the scroll), a jump (every row recycled), another jump."""
TYPED: Final = ("a", "ab")
"""Values typed into the rehearsal's text field (its ``input`` events; a controlled field)."""
CLICKS: Final = 2
"""Clicks on the rehearsal's button (each moves, removes and adds keyed items)."""
SELECT_ALL: Final = 1
"""``change`` events of the table's "Select all rows" checkbox (every row's checkbox then set)."""

_ROWS: Final = tuple({"id": i, "name": f"Row {i}", "value": (i * 7919) % ROWS} for i in range(ROWS))
_COLUMNS: Final = (
    TableColumn(key="id", header="ID", sortable=True, align="end", width=96),
    TableColumn(key="name", header="Name"),
    TableColumn(key="value", header="Value", sortable=True, align="end", width=120),
)


@dataclass(frozen=True, slots=True)
class _State:
    clicks: int = 0
    text: str = ""
    items: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6, 7)
    selected: frozenset[object] = frozenset()


def _click() -> None:
    # A click moves the keyed list's first item to the end, drops one and adds one: a keyed
    # diff that moves, removes and creates.
    def step(state: _State) -> _State:
        items = (*state.items[2:], state.items[0], max(state.items) + 1)
        return replace(state, clicks=state.clicks + 1, items=items)

    REHEARSAL_APP.set_state(step)


def _type(text: str) -> None:
    REHEARSAL_APP.set_state(lambda s: replace(s, text=text))


def _select(selected: frozenset[object]) -> None:
    REHEARSAL_APP.set_state(lambda s: replace(s, selected=selected))


def _view(state: _State) -> Node:
    return Column(
        Text(f"{state.clicks} clicks, {state.text!r}", id="tw-rehearsal-log"),
        Button("Step", on_click=_click, id="tw-rehearsal-step"),
        TextField(value=state.text, on_input=_type, label="Text", id="tw-rehearsal-text"),
        html.ul(*(html.li(f"Item {i}", key=i) for i in state.items)),
        Table(
            _ROWS,
            columns=_COLUMNS,
            row_key="id",
            label="Rehearsal",
            virtual=True,
            height=400,
            selectable=True,
            selected=state.selected,
            on_select=_select,
        ),
    )


REHEARSAL_APP: Final = App(view=_view, state=_State(), title="rehearsal")
"""The rehearsal's app: private to this module, never the page's."""


class _Port:
    """Hands the rehearsal session's frames to the page's callback, as JSON text."""

    def __init__(self, send: Callable[[str], object], rehearsal: Rehearsal) -> None:
        self._send = send
        self._rehearsal = rehearsal

    def send(self, frame: bytes, /) -> None:
        self._rehearsal._seen(frame)
        self._send(frame.decode("utf-8"))

    def close(self, code: int, reason: str, /) -> None:
        self._rehearsal._end()  # a fatal error ends the rehearsal


def _walk(spec: NodeSpec) -> Iterator[NodeSpec]:
    yield spec
    if isinstance(spec, ElementNode):
        for child in spec.children:
            yield from _walk(child)


def _listening(ops: Iterable[Op], event: str, **attrs: str) -> int:
    """Return the id of the first created element listening to ``event`` with these attributes."""
    for op in ops:
        if isinstance(op, Create):
            for spec in _walk(op.node):
                if (
                    isinstance(spec, ElementNode)
                    and event in spec.events
                    and all(spec.attrs.get(name) == value for name, value in attrs.items())
                ):
                    return spec.id
    raise LookupError(f"the rehearsal's view has no {event} listener with {attrs}")


class Rehearsal:
    """One throwaway session of :data:`REHEARSAL_APP`, and the DOM actions a page performs on it.

    The page's rehearsal client sends its frames to :meth:`receive` (``hello`` first, then the
    events of the actions, carrying acknowledgements as every JS client does); every frame the
    session answers goes to ``send``. Once the ``init`` was answered, :meth:`actions` says what to
    do, in idle callbacks.

    Args:
        send: Receives every frame the session answers, as JSON text (a JS function under
            Pyodide): ``init`` for ``hello``, then a ``patch`` per render, or an ``error``.

    """

    def __init__(self, send: Callable[[str], object]) -> None:
        self.table = SessionTable(REHEARSAL_APP)
        self._connection = Connection(self.table, _Port(send, self), transport="rehearsal")
        self._init: Init | None = None
        self._ended = False

    def _seen(self, frame: bytes) -> None:
        if self._init is None and frame.startswith(b'{"type":"init"'):
            message = decode(frame, sender="server")
            assert isinstance(message, Init)
            self._init = message

    def _end(self) -> None:
        self._ended = True

    def receive(self, text: str, /) -> None:
        """Hand one client frame (JSON text) to the session; its answers go to ``send``.

        Args:
            text: A frame of the rehearsal's JS client.

        """
        self._connection.receive(text)

    def actions(self) -> str:
        """Return the DOM actions of the rehearsal, once its ``init`` was answered.

        Returns:
            JSON text: a list of ``{"node", "type", "props", "data"}``, in order. ``node`` is the
            wire id of the element, ``type`` the DOM event type to dispatch on it (``scroll``,
            ``input``, ``click``, ``change``), ``props`` the DOM properties (``scrollTop``,
            ``clientHeight``, ``value``, ``checked``... as the DOM names them) the element shows
            first: an inert document lays nothing out, so the page defines them on the element.
            The client turns them into the event's payload as for a person's event; ``data`` is
            that payload (``tempestweb_contract.EVENT_FIELDS``), which :func:`recorded` sends in
            the client's place. ``[]`` before the ``init``, or once the session ended on a fatal
            error.

        Raises:
            LookupError: The view lost an element an action needs (a change to
                :data:`REHEARSAL_APP` that this module did not follow).

        """
        init = self._init
        if init is None or self._ended:
            return "[]"
        region = _listening(init.ops, "scroll", role="region")
        text = _listening(init.ops, "input", id="tw-rehearsal-text")
        button = _listening(init.ops, "click", id="tw-rehearsal-step")
        select_all = _listening(init.ops, "change", type="checkbox")  # the table's header box
        height, width = 400, 600
        viewport = {"scrollLeft": 0, "clientHeight": height, "clientWidth": width}
        mouse = {EVENT_FIELD["BUTTON"]: 0} | dict.fromkeys(
            (EVENT_FIELD["ALT"], EVENT_FIELD["CTRL"], EVENT_FIELD["SHIFT"], EVENT_FIELD["META"]), False
        )
        actions: list[dict[str, object]] = [
            *(
                {
                    "node": region,
                    "type": "scroll",
                    "props": {"scrollTop": top, **viewport},
                    "data": {
                        EVENT_FIELD["SCROLL_TOP"]: top,
                        EVENT_FIELD["SCROLL_LEFT"]: 0,
                        EVENT_FIELD["CLIENT_HEIGHT"]: height,
                        EVENT_FIELD["CLIENT_WIDTH"]: width,
                    },
                }
                for top in SCROLL_TOPS
            ),
            *(
                {
                    "node": text,
                    "type": "input",
                    "props": {"value": value},
                    "data": {EVENT_FIELD["VALUE"]: value},
                }
                for value in TYPED
            ),
            *({"node": button, "type": "click", "props": {}, "data": mouse} for _ in range(CLICKS)),
            *(
                {
                    "node": select_all,
                    "type": "change",
                    "props": {"checked": True},
                    "data": {EVENT_FIELD["VALUE"]: "on", EVENT_FIELD["CHECKED"]: True},
                }
                for _ in range(SELECT_ALL)
            ),
        ]
        return json.dumps(actions)

    async def close(self) -> None:
        """Close the session and forget it (its state, its mounted tree)."""
        self._ended = True
        self._connection.detach()
        await self.table.close_all()


async def recorded() -> str:
    """Play the rehearsal once in the client's place and return what the client replays.

    The host's side of the rehearsal where the host is not in the page (Mode B, desktop): a
    throwaway session of :data:`REHEARSAL_APP` answers ``hello`` and then one ``event`` per
    action (event ids from 1, each carrying the acknowledgement of the patch before it, as the JS
    client sends them), and every frame it answers is kept as text.

    Returns:
        JSON text: ``{"v": PROTOCOL_VERSION, "init": <init frame>, "actions": <the actions of
        Rehearsal.actions()>, "answers": [[<frames answering action 0>], ...]}``, about 42 KB,
        the same bytes in every process (the ``init`` names :data:`RECORDED_SESSION`, no token).

    Raises:
        RuntimeError: The session answered an action with an ``error`` (a change to
            :data:`REHEARSAL_APP` that this module did not follow).

    """
    frames: list[str] = []
    rehearsal = Rehearsal(frames.append)
    try:
        rehearsal.receive(encode(Hello(v=PROTOCOL_VERSION, path="/")).decode())
        # The throwaway session's id and token mean nothing to a replay, and would make each
        # process's recording (and so its ETag) differ: one placeholder for every process.
        opened = decode(frames.pop(0), sender="server")
        assert isinstance(opened, Init)
        init = encode(msgspec.structs.replace(opened, session=RECORDED_SESSION, token=None)).decode()
        actions = json.loads(rehearsal.actions())
        answers: list[list[str]] = []
        seq = 0
        for eid, action in enumerate(actions, start=1):
            event = Event(eid=eid, node=action["node"], name=action["type"], data=action["data"], ack=seq)
            rehearsal.receive(encode(event).decode())
            for frame in frames:
                answer = decode(frame, sender="server")
                if isinstance(answer, Error):
                    raise RuntimeError(f"the rehearsal's session answered {action['type']} with {frame}")
                if isinstance(answer, Patch):
                    seq = answer.seq
            answers.append(frames[:])
            frames.clear()
    finally:
        await rehearsal.close()
    return json.dumps({"v": PROTOCOL_VERSION, "init": init, "actions": actions, "answers": answers})
