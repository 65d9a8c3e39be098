"""Property: applying the ops of diff(a, b) to the DOM of a gives exactly the DOM of b."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from treegen import Harness, fresh_dom, gen, mutate

from tempestweb_contract import Create, ElementNode, NodeSpec, decode, encode
from tempestweb_contract import Patch as PatchMsg

PAIRS = 10_000


def _ids(spec: NodeSpec) -> list[int]:
    out = [spec.id]
    if isinstance(spec, ElementNode):
        for c in spec.children:
            out.extend(_ids(c))
    return out


async def _check_pair(rng: random.Random) -> None:
    a = gen(rng)
    b = mutate(rng, a)
    h = Harness(a)
    max_id = max(h.dom.nodes)
    ops = await h.show(b)
    want = fresh_dom(b)
    assert h.dom.serialize() == want.serialize(), (a, b, ops)
    assert set(want.styles) <= set(h.dom.styles)
    # ids are fresh: never reused within a session
    created = [i for op in ops if isinstance(op, Create) for i in _ids(op.node)]
    assert all(i > max_id for i in created)
    # the ops survive the wire codec
    assert decode(encode(PatchMsg(seq=1, ops=ops)), sender="server") == PatchMsg(seq=1, ops=ops)
    # a second render of an equal tree is a no-op
    assert await h.show(b) == ()


async def test_diff_applies_to_dom_seeded_10k_pairs() -> None:
    rng = random.Random(20260101)
    for _ in range(PAIRS):
        await _check_pair(rng)


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False))
async def test_diff_applies_to_dom_hypothesis(rng: random.Random) -> None:
    await _check_pair(rng)


async def test_chains_of_mutations_stay_consistent() -> None:
    rng = random.Random(7)
    for _ in range(200):
        tree = gen(rng)
        h = Harness(tree)
        for _ in range(10):
            tree = mutate(rng, tree)
            await h.show(tree)
            assert h.dom.serialize() == fresh_dom(tree).serialize()
