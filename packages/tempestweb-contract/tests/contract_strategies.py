"""Hypothesis strategies building valid wire messages (nested node specs, any Unicode)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tempestweb_contract import (
    ERROR_CODES,
    NATIVE_ERROR_CODES,
    Ack,
    AddStyles,
    Create,
    ElementNode,
    Error,
    Event,
    Hello,
    Init,
    Listen,
    Message,
    Move,
    NativeCall,
    NativeError,
    NativeResult,
    Navigate,
    NodeSpec,
    Op,
    Patch,
    Ping,
    Pong,
    Reload,
    Remove,
    RemoveAttrs,
    SetAttrs,
    SetProps,
    SetText,
    TextNode,
    Unlisten,
)

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
IDS = st.integers(min_value=0, max_value=2**53)
COUNTS = st.integers(min_value=0, max_value=2**53 - 1)
"""What a client may send as a seq, node id or ack (``messages.Count``)."""
TEXT = st.text(max_size=20)
NAMES = st.text(min_size=1, max_size=12)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
SCALARS = st.one_of(st.none(), st.booleans(), INT64, FLOATS, TEXT)

JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.one_of(st.none(), st.booleans(), INT64, FLOATS, TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8,
)

TEXT_NODES = st.builds(TextNode, id=IDS, text=TEXT)


def _element(children: st.SearchStrategy[tuple[NodeSpec, ...]]) -> st.SearchStrategy[ElementNode]:
    return st.builds(
        ElementNode,
        id=IDS,
        tag=NAMES,
        attrs=st.dictionaries(NAMES, TEXT, max_size=4),
        props=st.dictionaries(NAMES, SCALARS, max_size=4),
        events=st.dictionaries(NAMES, st.integers(0, 3), max_size=4),
        children=children,
        ns=st.none() | st.just("http://www.w3.org/2000/svg"),
    )


NODE_SPECS: st.SearchStrategy[NodeSpec] = st.recursive(
    TEXT_NODES | _element(st.just(())),
    lambda inner: _element(st.lists(inner, max_size=3).map(tuple)),
    max_leaves=12,
)

BEFORE = st.none() | IDS
OPS: st.SearchStrategy[Op] = st.one_of(
    st.builds(Create, parent=IDS, before=BEFORE, node=NODE_SPECS),
    st.builds(Remove, id=IDS),
    st.builds(Move, id=IDS, parent=IDS, before=BEFORE),
    st.builds(SetAttrs, id=IDS, attrs=st.dictionaries(NAMES, TEXT, max_size=4)),
    st.builds(RemoveAttrs, id=IDS, names=st.lists(NAMES, max_size=3).map(tuple)),
    st.builds(SetProps, id=IDS, props=st.dictionaries(NAMES, SCALARS, max_size=4)),
    st.builds(SetText, id=IDS, text=TEXT),
    st.builds(Listen, id=IDS, events=st.dictionaries(NAMES, st.integers(0, 3), max_size=4)),
    st.builds(Unlisten, id=IDS, names=st.lists(NAMES, max_size=3).map(tuple)),
    st.builds(AddStyles, rules=st.lists(TEXT, max_size=3).map(tuple)),
)
OP_TUPLES = st.lists(OPS, max_size=5).map(tuple)

EVENT_VALUES = st.one_of(SCALARS, st.lists(TEXT, max_size=3).map(tuple))
OPTIONAL_TEXT = st.none() | TEXT

CLIENT_MESSAGES: st.SearchStrategy[Message] = st.one_of(
    st.builds(
        Hello, v=INT64, path=TEXT, session=OPTIONAL_TEXT, last_seq=st.none() | COUNTS, token=OPTIONAL_TEXT
    ),
    st.builds(Ack, seq=COUNTS),
    st.builds(
        Event,
        eid=COUNTS.map(lambda n: n or 1),
        node=COUNTS,
        ack=COUNTS,
        name=NAMES,
        data=st.dictionaries(TEXT, EVENT_VALUES, max_size=5),
    ),
    st.builds(
        NativeResult,
        id=INT64,
        ok=st.booleans(),
        value=JSON_VALUES,
        error=st.none() | st.builds(NativeError, code=st.sampled_from(NATIVE_ERROR_CODES), message=TEXT),
    ),
    st.builds(Navigate, path=TEXT, replace=st.booleans()),
    st.builds(Ping, ts=FLOATS),
    st.builds(Pong, ts=FLOATS),
)

SERVER_MESSAGES: st.SearchStrategy[Message] = st.one_of(
    st.builds(
        Init, v=INT64, session=TEXT, seq=INT64, ops=OP_TUPLES, reset=st.booleans(), token=OPTIONAL_TEXT
    ),
    st.builds(Patch, seq=INT64, ops=OP_TUPLES, ack=INT64),
    st.builds(
        NativeCall,
        id=INT64,
        capability=NAMES,
        method=NAMES,
        args=st.dictionaries(TEXT, JSON_VALUES, max_size=3),
        timeout_ms=INT64,
    ),
    st.builds(Navigate, path=TEXT, replace=st.booleans()),
    st.builds(
        Error,
        code=st.sampled_from(ERROR_CODES),
        message=TEXT,
        fatal=st.booleans(),
        id=st.none() | TEXT,
        detail=st.none() | TEXT,
    ),
    st.builds(Reload, reason=TEXT),
    st.builds(Ping, ts=FLOATS),
    st.builds(Pong, ts=FLOATS),
)

MESSAGES = CLIENT_MESSAGES | SERVER_MESSAGES
