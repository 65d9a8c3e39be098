"""Codec properties: round trips, garbage input and the contract's limits."""

from __future__ import annotations

import random
from typing import Any

import msgspec
import pytest
from contract_strategies import CLIENT_MESSAGES, MESSAGES, OPS, SERVER_MESSAGES
from hypothesis import given, settings

from tempestweb_contract import (
    MAX_DEPTH,
    MAX_FRAME_BYTES,
    MAX_OPS_PER_FRAME,
    Ack,
    ContractError,
    Create,
    DefineTemplate,
    ElementNode,
    Event,
    Hello,
    Init,
    Message,
    Op,
    Patch,
    Remove,
    SetText,
    TemplateNode,
    TextNode,
    check_ops,
    decode,
    encode,
)
from tempestweb_contract.constants import MAX_EVENT_DATA_ITEMS


@settings(max_examples=400)
@given(MESSAGES)
def test_round_trip_any(message: Message) -> None:
    assert decode(encode(message)) == message


@given(CLIENT_MESSAGES)
def test_round_trip_client_union(message: Message) -> None:
    assert decode(encode(message), sender="client") == message


@given(SERVER_MESSAGES)
def test_round_trip_server_union(message: Message) -> None:
    assert decode(encode(message), sender="server") == message
    assert decode(encode(message).decode("utf-8"), sender="server") == message


@given(OPS)
def test_round_trip_every_op_in_a_patch(op: Op) -> None:
    patch = Patch(seq=1, ops=(op,), ack=0)
    assert decode(encode(patch)) == patch


def test_ops_are_tagged_arrays() -> None:
    frame = encode(Patch(seq=2, ops=(SetText(7, "hi"), Remove(3)), ack=1))
    assert msgspec.json.decode(frame) == {
        "type": "patch",
        "seq": 2,
        "ops": [["text", 7, "hi"], ["remove", 3]],
        "ack": 1,
    }


def test_an_event_may_carry_an_ack() -> None:
    frame = b'{"type":"event","eid":4,"node":2,"name":"click","data":{},"ack":3}'
    assert decode(frame, sender="client") == Event(eid=4, node=2, name="click", ack=3)
    assert decode(b'{"type":"event","eid":4,"node":2,"name":"click"}').ack == 0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "frame",
    [
        b'{"type":"event","eid":0,"node":2,"name":"click"}',
        b'{"type":"event","eid":-1,"node":2,"name":"click"}',
        b'{"type":"event","eid":9007199254740992,"node":2,"name":"click"}',
        b'{"type":"event","eid":1,"node":-2,"name":"click"}',
        b'{"type":"event","eid":1,"node":2,"name":"click","ack":-1}',
        b'{"type":"ack","seq":-1}',
        b'{"type":"ack","seq":1180591620717411303424}',
        b'{"type":"hello","v":1,"path":"/","session":"s","last_seq":-5}',
    ],
)
def test_issue_13_client_numbers_out_of_range_are_malformed_not_ignored(frame: bytes) -> None:
    # An eid of -1 was taken for an event already handled and dropped without a word; a
    # negative ack, seq or node id, or one past what a JavaScript client can count, is now a
    # typed error naming the field.
    with pytest.raises(ContractError) as info:
        decode(frame, sender="client")
    assert info.value.code == "malformed_frame"
    assert any(field in info.value.message for field in ("eid", "node", "ack", "seq", "last_seq"))


def test_client_numbers_at_their_bounds_decode() -> None:
    top = 2**53 - 1
    event = decode(
        b'{"type":"event","eid":%d,"node":0,"name":"click","ack":%d}' % (top, top), sender="client"
    )
    assert event == Event(eid=top, node=0, name="click", ack=top)
    assert decode(b'{"type":"ack","seq":0}', sender="client") == Ack(seq=0)


def test_direction_is_enforced() -> None:
    with pytest.raises(ContractError) as info:
        decode(encode(Ack(seq=1)), sender="server")
    assert info.value.code == "malformed_frame"
    with pytest.raises(ContractError):
        decode(encode(Patch(seq=1, ops=())), sender="client")


@pytest.mark.parametrize(
    "frame",
    [
        b"",
        b"null",
        b"[]",
        b"{}",
        b'{"type":"nope"}',
        b'{"type":"ack"}',
        b'{"type":"ack","seq":"1"}',
        b'{"type":"ack","seq":1,"extra":2}',
        b'{"type":"event","eid":1,"node":1,"name":"click","ack":"1"}',
        b'{"type":"event","eid":1,"node":1,"name":"click","ack":1.5}',
        b'{"type":"patch","seq":1,"ops":[["bogus",1]]}',
        b'{"type":"patch","seq":1,"ops":[["text",1]]}',
        b"\xff\xfe",
        "\ud800",
    ],
)
def test_malformed_frames(frame: bytes | str) -> None:
    with pytest.raises(ContractError) as info:
        decode(frame)
    assert info.value.code == "malformed_frame"


def test_non_text_input_is_a_contract_error() -> None:
    with pytest.raises(ContractError):
        decode(12)  # type: ignore[call-overload]


def _valid_frames() -> list[bytes]:
    node = ElementNode(1, "div", {"class": "a"}, {"value": "x"}, {"click": 1}, (TextNode(2, "héllo ✓"),))
    return [
        encode(Hello(v=1, path="/a?b#c", session="s", last_seq=3, token="t")),
        encode(Init(v=1, session="s", seq=1, ops=(Create(0, None, node),))),
        encode(Patch(seq=2, ops=(SetText(2, "x"), Remove(1)), ack=4)),
        encode(Event(eid=1, node=1, name="input", data={"value": "ü", "values": ("a", "b")})),
    ]


def test_ten_thousand_garbage_frames_raise_only_contract_error() -> None:
    rng = random.Random(20261121)
    valid = _valid_frames()
    failures = 0
    for i in range(10_000):
        kind = i % 4
        if kind == 0:
            frame = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 64)))
        elif kind == 1:
            source = rng.choice(valid)
            frame = source[: rng.randrange(0, len(source))]
        elif kind == 2:
            mutated = bytearray(rng.choice(valid))
            for _ in range(rng.randrange(1, 4)):
                mutated[rng.randrange(len(mutated))] = rng.getrandbits(8)
            frame = bytes(mutated)
        else:
            grown = bytearray(rng.choice(valid))
            position = rng.randrange(len(grown))
            grown[position:position] = rng.choice([b"[", b"{", b'"', b",", b"]]]", b"1e999", b"-"])
            frame = bytes(grown)
        try:
            decode(frame)
        except ContractError:
            failures += 1
    assert failures > 9_000  # nearly every mangled frame is rejected, and only with ContractError


def test_frame_too_large() -> None:
    frame = b'{"type":"ack","seq":1}' + b" " * (MAX_FRAME_BYTES - 21)
    with pytest.raises(ContractError) as info:
        decode(frame)
    assert info.value.code == "frame_too_large"
    assert decode(frame[:-1]) == Ack(seq=1)  # exactly MAX_FRAME_BYTES is accepted


def test_frame_too_large_counts_utf8_bytes_of_text() -> None:
    text = '{"type":"navigate","path":"' + "é" * (MAX_FRAME_BYTES // 2) + '"}'
    assert len(text) < MAX_FRAME_BYTES
    with pytest.raises(ContractError) as info:
        decode(text)
    assert info.value.code == "frame_too_large"


def test_too_many_ops() -> None:
    ops = (Remove(1),) * (MAX_OPS_PER_FRAME + 1)
    with pytest.raises(ContractError) as info:
        decode(encode(Patch(seq=1, ops=ops)))
    assert info.value.code == "too_many_ops"
    check_ops(ops[:-1])


def test_created_node_specs_count_towards_the_op_limit() -> None:
    children = tuple(TextNode(i, "") for i in range(MAX_OPS_PER_FRAME))
    with pytest.raises(ContractError) as info:
        check_ops((Create(0, None, ElementNode(1, "ul", children=children)),))
    assert info.value.code == "too_many_ops"


def _nested(depth: int) -> ElementNode:
    node = ElementNode(depth, "div")
    for level in range(depth - 1, 0, -1):
        node = ElementNode(level, "div", children=(node,))
    return node


def test_max_depth_is_accepted() -> None:
    patch = Patch(seq=1, ops=(Create(0, None, _nested(MAX_DEPTH)),))
    assert decode(encode(patch)) == patch


_ROW = DefineTemplate(1, ElementNode(0, "tr", children=tuple(ElementNode(k, "td") for k in range(1, 10))))


def test_template_instances_count_as_the_nodes_of_their_markup() -> None:
    """A 10-node template's instances count 10 each towards ``MAX_OPS_PER_FRAME``."""
    fits = (MAX_OPS_PER_FRAME - 2) // 10
    rows = tuple(TemplateNode(100 + 10 * i, 1, ()) for i in range(fits))
    check_ops((_ROW, Create(0, None, ElementNode(1, "tbody", children=rows))))
    with pytest.raises(ContractError) as info:
        check_ops((_ROW, Create(0, None, ElementNode(1, "tbody", children=(*rows, rows[0])))))
    assert info.value.code == "too_many_ops"


def test_template_markup_and_instances_are_held_to_max_depth() -> None:
    deep = DefineTemplate(2, _nested(MAX_DEPTH + 2))  # as in a create: a node with children past MAX_DEPTH
    with pytest.raises(ContractError) as info:
        check_ops((deep,))
    assert info.value.code == "too_deep"
    # a template two levels deep, created at the deepest level a node with children may have
    row_at = _nested(MAX_DEPTH - 1)
    leaf: Any = row_at
    while leaf.children:
        leaf = leaf.children[0]
    at_limit = msgspec.structs.replace(leaf, children=(TemplateNode(10_000, 1, ()),))
    check_ops((_ROW, Create(0, None, _replace_leaf(row_at, at_limit))))
    below = msgspec.structs.replace(
        leaf, children=(ElementNode(9_999, "div", children=(TemplateNode(10_000, 1, ()),)),)
    )
    with pytest.raises(ContractError) as info:
        check_ops((_ROW, Create(0, None, _replace_leaf(row_at, below))))
    assert info.value.code == "too_deep"


def _replace_leaf(tree: ElementNode, leaf: ElementNode) -> ElementNode:
    if not tree.children:
        return leaf
    child = tree.children[0]
    assert isinstance(child, ElementNode)
    return msgspec.structs.replace(tree, children=(_replace_leaf(child, leaf),))


def test_an_instance_needs_its_definition_earlier_in_the_batch() -> None:
    instance = Create(0, None, TemplateNode(5, 1, ()))
    for ops in ((instance,), (instance, _ROW)):
        with pytest.raises(ContractError) as info:
            decode(encode(Patch(seq=1, ops=ops)))
        assert info.value.code == "malformed_frame"
    check_ops((_ROW, instance))


def test_three_hundred_levels_are_too_deep() -> None:
    frame = encode(Patch(seq=1, ops=(Create(0, None, _nested(300)),)))
    with pytest.raises(ContractError) as info:
        decode(frame)
    assert info.value.code == "too_deep"


@pytest.mark.parametrize("opener", [b"[", b'{"a":'])
def test_pathological_nesting_is_a_contract_error(opener: bytes) -> None:
    with pytest.raises(ContractError):
        decode(opener * 100_000)
    with pytest.raises(ContractError):
        decode(b'{"type":"native_result","id":1,"ok":true,"value":' + opener * 100_000)


def test_event_data_item_limit() -> None:
    data: dict[str, str | int | float | bool | tuple[str, ...] | None] = {
        f"k{i}": i for i in range(MAX_EVENT_DATA_ITEMS + 1)
    }
    with pytest.raises(ContractError) as info:
        decode(encode(Event(eid=1, node=1, name="x", data=data)))
    assert info.value.code == "malformed_frame"
    data.pop("k0")
    message = decode(encode(Event(eid=1, node=1, name="x", data=data)), sender="client")
    assert isinstance(message, Event)
    assert message.data == data
