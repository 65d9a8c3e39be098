"""Wire messages: a tagged union per direction, encoded as JSON objects with a ``type`` key.

Client -> host: :class:`Hello`, :class:`Ack`, :class:`Event`, :class:`NativeResult`,
:class:`Navigate`, :class:`Ping`, :class:`Pong`.
Host -> client: :class:`Init`, :class:`Patch`, :class:`NativeCall`, :class:`Navigate`,
:class:`Error`, :class:`Reload`, :class:`Ping`, :class:`Pong`, :class:`Rows`.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

import msgspec

from tempestweb_contract.constants import MAX_FEED_ROWS
from tempestweb_contract.errors import ErrorCode, NativeErrorCode
from tempestweb_contract.ops import Op, Scalar

__all__ = [
    "Ack",
    "ClientMessage",
    "Error",
    "Event",
    "EventValue",
    "Hello",
    "Init",
    "Message",
    "NativeCall",
    "NativeError",
    "NativeResult",
    "Navigate",
    "Patch",
    "Ping",
    "Pong",
    "Reload",
    "Rows",
    "RowsColumn",
    "ServerMessage",
]

EventValue = Union[Scalar, tuple[str, ...]]
"""One field of an event payload: a JSON scalar, or a list of strings (multi-select values)."""

MAX_SAFE_INTEGER = 2**53 - 1
"""JavaScript's ``Number.MAX_SAFE_INTEGER``: the largest count a client can hold exactly."""
Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_SAFE_INTEGER)]
"""A sequence number, node id or acknowledgement a client sends (``0``: none yet)."""
EventNumber = Annotated[int, msgspec.Meta(ge=1, le=MAX_SAFE_INTEGER)]
"""An event's ``eid``: clients number their events from 1."""


class _Message(msgspec.Struct, tag_field="type", frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Base of every wire message."""


class Hello(_Message, tag="hello", frozen=True):
    """Client handshake, the first message on every new connection.

    Attributes:
        v: The client's protocol version.
        path: ``location.pathname + location.search + location.hash`` at connect time.
        session: Id of the session to resume (``None`` for a new session).
        last_seq: Highest patch ``seq`` the client applied, for replay on resume.
        token: Session-bound token issued with the page or the previous ``init``.

    """

    v: int
    path: str
    session: Union[str, None] = None
    last_seq: Union[Count, None] = None
    token: Union[str, None] = None


class Init(_Message, tag="init", frozen=True):
    """Host handshake reply.

    Attributes:
        v: The host's protocol version.
        session: Id of the (new or resumed) session.
        seq: ``seq`` of the state the client holds once ``ops`` are applied.
        ops: Ops that bring the client to that state; empty when the client hydrated the
            prerendered view or resumed with nothing missed.
        reset: ``True`` when the client must drop its DOM under the root and its id map
            before applying ``ops`` (a full resync).
        token: Token the client presents on its next resume.
        max_frame_bytes: The largest frame this host takes from the client, in bytes of UTF-8,
            when below ``MAX_FRAME_BYTES`` (a Mode B ``max_frame_bytes``); ``None`` means
            ``MAX_FRAME_BYTES``. A client does not send a larger frame: it reports
            ``frame_too_large`` and drops that event (a native result becomes a
            ``quota_exceeded`` failure), since the host would end the connection (close 1009)
            and a resume would send the same frame again.

    """

    v: int
    session: str
    seq: int
    ops: tuple[Op, ...] = ()
    reset: bool = False
    token: Union[str, None] = None
    max_frame_bytes: Union[Annotated[int, msgspec.Meta(ge=1)], None] = None


class Patch(_Message, tag="patch", frozen=True):
    """One batch of ops produced by one render.

    Attributes:
        seq: Monotonically increasing batch number, one more than the previous batch.
        ops: Ops to apply in order.
        ack: Highest client event ``eid`` handled before this batch was rendered; a client
            keeps its own input value for controls with events newer than this.

    """

    seq: int
    ops: tuple[Op, ...]
    ack: int = 0


class Ack(_Message, tag="ack", frozen=True):
    """Client acknowledgement: every batch up to and including ``seq`` is applied."""

    seq: Count


class Event(_Message, tag="event", frozen=True):
    """A DOM event the host listens to, fired on node ``node``.

    Attributes:
        eid: Client-assigned event number, strictly increasing per session, from 1 (at most
            ``MAX_SAFE_INTEGER``; another value is ``malformed_frame``).
        node: Id of the node whose listener fired (``currentTarget``), ``0..MAX_SAFE_INTEGER``.
        name: DOM event type, e.g. ``"click"``, ``"input"``, ``"keydown"``.
        data: Event payload (``value``, ``checked``, ``key``...); validated by the host
            against the handler's event type before user code runs.
        ack: The highest patch ``seq`` the client has applied, when it has not acknowledged
            it yet: the event carries the pending :class:`Ack` instead of a frame of its own
            (``0``: nothing to acknowledge). The host drops those batches from its replay
            buffer before it handles the event; an ``ack`` at or below one already received
            changes nothing.
        seen: The ``seq`` of the last patch (or ``init``) the client had applied when the person
            acted: the DOM the event came from. A host whose later batches, not yet applied
            then, removed ``node`` or re-bound its listener runs the handler the node had at
            ``seen`` (the one the person saw), not the current one; ``None`` (older clients):
            the current one.

    """

    eid: EventNumber
    node: Count
    name: str
    data: dict[str, EventValue] = {}
    ack: Count = 0
    seen: Union[Count, None] = None


class Navigate(_Message, tag="navigate", frozen=True):
    """Location change: client -> host after back/forward/hash change; host -> client to push.

    Attributes:
        path: New ``pathname + search + hash``.
        replace: Host -> client only: ``history.replaceState`` instead of ``pushState``.

    """

    path: str
    replace: bool = False


class NativeCall(_Message, tag="native_call", frozen=True):
    """Host asks the client to run a Web API capability.

    Attributes:
        id: Call id, unique per session; echoed by :class:`NativeResult`.
        capability: Capability name, e.g. ``"clipboard"``.
        method: Method of the capability, e.g. ``"write_text"``.
        args: JSON arguments.
        timeout_ms: Time after which the client gives up with ``timeout``, in milliseconds.

    """

    id: int
    capability: str
    method: str
    args: dict[str, Any] = {}
    timeout_ms: int = 30_000


class NativeError(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Why a native call failed.

    Attributes:
        code: One of ``NATIVE_ERROR_CODES``.
        message: Human-readable detail, e.g. the DOMException message.

    """

    code: NativeErrorCode
    message: str = ""


class NativeResult(_Message, tag="native_result", frozen=True):
    """Client reply to :class:`NativeCall`: ``value`` when ``ok``, else ``error``."""

    id: int
    ok: bool
    value: Any = None
    error: Union[NativeError, None] = None


class Error(_Message, tag="error", frozen=True):
    """A protocol error.

    A failure of app code (a handler, the view, an effect, a hot reload) carries an ``id``: the
    host logs the full traceback once with that id, and the page shows it, so a person can quote
    it. Only a host showing error details (``tempestweb dev``, ``--debug``) sends ``detail``;
    otherwise ``message`` is generic and the exception text stays in the log.

    Attributes:
        code: One of ``ERROR_CODES``.
        message: Human-readable detail.
        fatal: ``True`` when the sender closes the connection after this message.
        id: Error id of a failure of app code (short random text, e.g. ``"3f9c2a71"``), the one
            in the host's log line; ``None`` for protocol errors.
        detail: Dev only: the traceback, the app's own frames (``file:line``) first; at most
            ``MAX_ERROR_DETAIL_CHARS`` characters.

    """

    code: ErrorCode
    message: str = ""
    fatal: bool = False
    id: Union[str, None] = None
    detail: Union[str, None] = None


class Reload(_Message, tag="reload", frozen=True):
    """Host tells the client to reload the page (new version deployed, version mismatch)."""

    reason: str = ""


class Ping(_Message, tag="ping", frozen=True):
    """Keep-alive probe; the peer answers with :class:`Pong` carrying the same ``ts``."""

    ts: float = 0.0


class Pong(_Message, tag="pong", frozen=True):
    """Keep-alive answer."""

    ts: float = 0.0


RowsColumn = tuple[int, Any]
"""One slot's values in a :class:`Rows` chunk: ``(0, v)`` every row has ``v``; ``(1, n)`` row ``i``
has the text of the integer ``n + i`` (an ``aria-rowindex``, an id column in order); ``(2, [v0,
v1, ...])`` one value per row, in order."""


class Rows(_Message, tag="rows", frozen=True):
    """Host -> client: slot values of a virtual table's rows, for the client to show ahead of a patch.

    Not a patch: it changes no DOM, has no ``seq``, is not replayed and may be dropped (a client
    that missed some only shows fewer rows ahead). A virtual table whose rows are one template
    (no ``render`` column) gets its rows in chunks while the session is idle, each followed by
    ``ping{ts: -n}``; when a scroll moves past the rows the DOM holds, the client fills the rows
    of the new window from them in the scroll's own frame, then puts the host's patch in their
    place when it arrives (``client/src/speculation.js``; docs/protocol.md, "Row feeds").

    Attributes:
        node: Id of the table body (its ``rowgroup`` element: top spacer, rows, bottom spacer).
        version: The rows' version: a chunk of another version than the one the client holds
            replaces everything it holds for ``node``. A host sends a chunk of a new version
            (possibly empty) before the patch that shows the changed rows.
        count: Number of rows of the body (display positions ``0 .. count - 1``), at most
            ``MAX_FEED_ROWS``.
        row_height: Height of every row and of the sticky header, in px.
        overscan: The table's ``overscan`` (rows rendered beyond each edge).
        slots: The slots of the rows' template, as its ``template`` op defines them
            (``[offset, kind, name]``: node ``offset`` of a row in document order, ``text``,
            ``attr``, ``prop`` or ``event``): what each column sets.
        start: Display position of the chunk's first row.
        rows: Number of rows in the chunk (``0``: a new version, nothing yet).
        columns: One :data:`RowsColumn` per slot: the values an ``i`` spec of each row at its
            position carries, column by column.

    """

    node: Count
    version: Count
    count: Annotated[int, msgspec.Meta(ge=0, le=MAX_FEED_ROWS)]
    row_height: Annotated[int, msgspec.Meta(ge=1)]
    overscan: Count
    slots: tuple[tuple[Count, str, str], ...]
    start: Count = 0
    rows: Count = 0
    columns: tuple[RowsColumn, ...] = ()


ClientMessage = Union[Hello, Ack, Event, NativeResult, Navigate, Ping, Pong]
"""Any message a client sends."""

ServerMessage = Union[Init, Patch, NativeCall, Navigate, Error, Reload, Ping, Pong, Rows]
"""Any message a host sends."""

Message = Union[
    Hello, Init, Patch, Ack, Event, Navigate, NativeCall, NativeResult, Error, Reload, Ping, Pong, Rows
]
"""Any wire message."""
