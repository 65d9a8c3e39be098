"""Every limit and timing of the wire protocol, as named constants with units.

These values are shared by every transport (WebSocket, SSE + POST, pyodide.ffi) and are
exported to the JS client through the generated ``client/src/constants.js``.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACK_INTERVAL_MS",
    "ACK_MAX_PENDING",
    "CLOSE_GOING_AWAY",
    "CLOSE_INTERNAL_ERROR",
    "CLOSE_NORMAL",
    "CLOSE_POLICY_VIOLATION",
    "CLOSE_TRY_AGAIN_LATER",
    "MAX_ERROR_DETAIL_CHARS",
    "MAX_ERROR_MESSAGE_CHARS",
    "MAX_INBOX_BYTES",
    "MAX_OUTBOX_BYTES",
    "MAX_PENDING_NATIVE_CALLS",
    "MAX_REPLAY_BYTES",
    "EVENT_ACK_PROBE_MS",
    "EVENT_PREVENT_DEFAULT",
    "EVENT_STOP_PROPAGATION",
    "MAX_DEPTH",
    "MAX_EVENT_DATA_ITEMS",
    "MAX_FEED_ROWS",
    "MAX_FRAME_BYTES",
    "MAX_FRAMES_PER_POST",
    "MAX_FRAME_VALUES",
    "MAX_LOCATION_CHARS",
    "MIN_FRAME_BYTES",
    "MAX_OPS_PER_FRAME",
    "MAX_UNACKED_BATCHES",
    "NATIVE_CALL_TIMEOUT_S",
    "PING_INTERVAL_S",
    "PROTOCOL_VERSION",
    "BUSY_RETRY_MS",
    "RECONNECT_BASE_DELAY_MS",
    "RECONNECT_MAX_DELAY_MS",
    "ROOT_ID",
    "SCROLL_LEAD_FRAMES",
    "SCROLL_LEAD_VIEWPORTS",
    "SESSION_RECOVERY_WINDOW_S",
    "STATUS_BANNER_DELAY_MS",
    "STATUS_NOTICE_MS",
    "UPLOAD_PROGRESS_INTERVAL_MS",
]

PROTOCOL_VERSION: Final = 1
"""Wire protocol version; a peer speaking another version gets ``version_mismatch``."""

ROOT_ID: Final = 0
"""Node id of the mount point (the element the app renders into); never created or removed."""

MAX_FRAME_BYTES: Final = 16 * 1024 * 1024
"""Largest encoded frame accepted by :func:`tempestweb_contract.decode`, in bytes."""

MIN_FRAME_BYTES: Final = 64 * 1024
"""Smallest frame limit a host may set (a Mode B ``max_frame_bytes``), in bytes: a ``hello`` or
``navigate`` with the longest location (``MAX_LOCATION_CHARS`` characters, at most 3 bytes each
in UTF-8) fits under it, so a client is never refused the frames it needs to connect (a
refused ``hello`` would be sent again on every reconnect)."""

MAX_FRAME_VALUES: Final = 100_000
"""Most JSON values (objects, arrays, strings, numbers, literals, object keys) in one frame a
client sends; a frame with more is refused with ``frame_too_large`` before it is decoded. Each
decoded value costs the host a Python object whatever its bytes: under the 16 MiB frame limit a
``native_result`` whose value was ``[[],[],...]`` (5.6 million arrays) grew a server by 395 MiB
and held its event loop for a second, an event whose ``data`` had 1.6 million keys by 217 MiB.
A frame of ``n`` bytes holds at most ``n`` values, so only frames longer than this are counted."""

MAX_FRAMES_PER_POST: Final = 256
"""Most frames in one SSE ``POST /send`` body (a JSON array of frames); a client with more
waiting sends them in several POSTs, one after the other. A host answers a body with more with
``413`` and ``error{frame_too_large}`` and handles none of it: each element of the array costs
the host Python objects whatever its size, so a 16 MiB body of ``[0,0,0,...]`` (8 million
elements) grew a server by 940 MiB and held its event loop for 5 s before the bound."""

MAX_OPS_PER_FRAME: Final = 500_000
"""Most patch ops plus created node specs in one ``init`` or ``patch`` frame."""

MAX_DEPTH: Final = 256
"""Deepest nesting of node specs inside one ``create`` op (the root node counts as 1)."""

MAX_EVENT_DATA_ITEMS: Final = 64
"""Most keys in one event's ``data`` object."""

MAX_LOCATION_CHARS: Final = 16_384
"""Longest location (``pathname + search + hash``) a session takes, from a ``hello``, a
``navigate`` or a page load, in characters: what a request line may carry through Hypercorn's
HTTP/1.1 parser (16 KiB). A session keeps several copies of its location (path, query, search),
so a 900 KB path in each of 100 WebSocket hellos grew a server by 439 MiB before the bound."""

MAX_UNACKED_BATCHES: Final = 1024
"""Patch batches a server keeps for replay; past this a resuming client gets a full resync."""

ACK_INTERVAL_MS: Final = 2000
"""Longest a client waits before acknowledging applied patch batches, in milliseconds.

Until then the acknowledgement rides in the client's next ``event`` (``event.ack``): a person
clicking or typing about once a second or faster sends one frame per action, not an ``event``
and an ``ack`` (on a Mode B server each inbound WebSocket frame costs about as much CPU as the
echo of a click: docs/benchmarks.md, "Acknowledgements in the next event"). An acknowledgement
only lets the host drop batches it keeps for a resume (bounded by ``MAX_REPLAY_BYTES``), so
waiting costs memory, which :data:`ACK_MAX_PENDING` bounds when patches stream."""

ACK_MAX_PENDING: Final = 8
"""Applied, unacknowledged patch batches at which a client acknowledges at once instead of
waiting for :data:`ACK_INTERVAL_MS` or its next event (a host pushing patches by itself then gets
one ``ack`` per this many batches)."""

UPLOAD_PROGRESS_INTERVAL_MS: Final = 100
"""Shortest time between two ``progress`` events of one uploading file, in milliseconds (each is
an event round trip re-rendering the FileUpload's progress bar)."""

EVENT_ACK_PROBE_MS: Final = 1000
"""How long a client waits for a ``patch`` acknowledging a sent event before it asks with a
``ping``: a host answers pings in order, after the events before them were handled, so the
``pong`` acknowledges them (an event whose handler renders nothing gets no ``patch``)."""

PING_INTERVAL_S: Final = 20.0
"""Interval between keep-alive pings on an idle connection, in seconds."""

RECONNECT_BASE_DELAY_MS: Final = 250
"""First reconnect delay of the client's jittered exponential backoff, in milliseconds."""

RECONNECT_MAX_DELAY_MS: Final = 10_000
"""Upper bound of the client's reconnect delay, in milliseconds."""

SESSION_RECOVERY_WINDOW_S: Final = 120.0
"""How long a server keeps a disconnected session so that the client can resume it, in seconds."""

NATIVE_CALL_TIMEOUT_S: Final = 30.0
"""Default time a ``native_call`` may take before it fails with ``timeout``, in seconds."""

EVENT_PREVENT_DEFAULT: Final = 1
"""Listener flag bit: call ``Event.preventDefault()`` in the client before sending the event."""

EVENT_STOP_PROPAGATION: Final = 2
"""Listener flag bit: call ``Event.stopPropagation()`` in the client."""

CLOSE_NORMAL: Final = 1000
"""Close code of an orderly close (RFC 6455 section 7.4.1); the client may resume."""

CLOSE_GOING_AWAY: Final = 1001
"""Close code when the host is shutting down (RFC 6455 section 7.4.1, "going away"): the client
reconnects with backoff to the restarted host and resumes where it can."""

CLOSE_POLICY_VIOLATION: Final = 1008
"""Close code after a fatal protocol error (bad first frame, rejected origin or path)."""

CLOSE_INTERNAL_ERROR: Final = 1011
"""Close code when the host failed unexpectedly; the client reconnects and resumes."""

CLOSE_TRY_AGAIN_LATER: Final = 1013
"""Close code after ``queue_overflow`` or ``server_busy`` (a new session refused by a host at
capacity): the client reconnects after its backoff and resumes; its unacknowledged events are
sent again."""

BUSY_RETRY_MS: Final = 5_000
"""Least time a client refused with ``server_busy`` waits before it tries again, in
milliseconds (a random share of it more, so refused clients do not return together); a page
GET refused for the same reason answers ``503`` with ``Retry-After`` of the same time in
seconds (RFC 9110 section 10.2.3)."""

MAX_ERROR_MESSAGE_CHARS: Final = 300
"""Longest ``error.message`` a host sends; client-supplied text (event names, paths, field
names) is clipped to fit, so an error never echoes unbounded client input."""

MAX_ERROR_DETAIL_CHARS: Final = 16_000
"""Longest ``error.detail`` (a traceback, sent only by a host showing error details), in
characters; a longer one keeps its start and end."""

STATUS_BANNER_DELAY_MS: Final = 500
"""How long a client stays disconnected before its connection status banner shows, in
milliseconds: a connection that comes back at once shows nothing."""

STATUS_NOTICE_MS: Final = 2_000
"""How long the "reconnected" notice of the connection status banner stays, in milliseconds."""

MAX_INBOX_BYTES: Final = 4 * 1024 * 1024
"""Most bytes of received frames (events, navigations, pings) a session holds before its
handlers take them, in bytes; past it the connection ends with ``queue_overflow``. One frame
is always accepted into an empty inbox, however large (up to the frame limit)."""

MAX_OUTBOX_BYTES: Final = 8 * 1024 * 1024
"""Most encoded bytes queued for one connection's transport before the connection ends with
``queue_overflow`` (a client that does not read), in bytes."""

MAX_REPLAY_BYTES: Final = 8 * 1024 * 1024
"""Most encoded bytes of unacknowledged patch batches a session keeps for replay, in bytes;
past it the oldest are dropped and a resuming client gets a full resync."""

MAX_PENDING_NATIVE_CALLS: Final = 256
"""Most native calls one session may have waiting for their ``native_result``."""


SCROLL_LEAD_FRAMES: Final = 4
"""Frames of a continuous scroll that a virtual table's rows ahead of it cover
(``tempest_core``'s ``scroll_lead``, and the client's copy of it in ``speculation.js``)."""

SCROLL_LEAD_VIEWPORTS: Final = 2
"""Largest lead and largest continuous move of a virtual table's scroll, in viewports."""

MAX_FEED_ROWS: Final = 100_000
"""Most rows of a virtual table whose rows a host sends ahead (``rows`` messages): the 100,000-row
test table's feed is 3.9 MB of JSON (0.9 MB with permessage-deflate) and 8 MB of the page's
JavaScript heap; a larger table gets none (its jumps show the overscan, then the host's rows)."""
