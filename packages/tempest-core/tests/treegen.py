"""Random vnode trees and correlated mutations, for the reconciler property tests."""

from __future__ import annotations

import random
from typing import Any

from tempest_core import App, Session, Style, component
from tempest_core.nodes import Component, Element, EventBinding, Node, Text
from tempest_core.testing import DomModel
from tempestweb_contract import Op

TAGS = ("div", "span", "p", "li", "ul")
TEXTS = ("", "a", "b", "hello", "<&>", "é😀")
ATTR_NAMES = ("class", "id", "title", "data-x", "aria-label")
ATTR_VALUES = ("x", "y", "z z", '"q"', "")
PROP_NAMES = ("value", "checked", "disabled", "selected")
PROP_VALUES: tuple[Any, ...] = ("", "v", 1, 0, 1.5, True, False, None)
EVENT_NAMES = ("click", "input", "keydown")
STYLES = (None, None, Style(color="red"), Style(color="blue"), Style(display="flex"))


@component
def item(*, label: str, n: int) -> Node:
    if n % 3 == 0:
        return Text(f"{label}:{n}")
    return Element("li" if n % 2 else "span", {"data-n": str(n)}, children=(Text(label),))


@component
def wrapper(*, label: str) -> Node:
    return item(label=label, n=len(label))


def _attrs(rng: random.Random) -> dict[str, str]:
    return {rng.choice(ATTR_NAMES): rng.choice(ATTR_VALUES) for _ in range(rng.randint(0, 3))}


def _props(rng: random.Random) -> dict[str, Any]:
    props = {rng.choice(PROP_NAMES): rng.choice(PROP_VALUES) for _ in range(rng.randint(0, 2))}
    return {k: v for k, v in props.items() if v is not None}


def _events(rng: random.Random) -> dict[str, EventBinding]:
    return {
        rng.choice(EVENT_NAMES): EventBinding(lambda: None, rng.randint(0, 3))
        for _ in range(rng.randint(0, 2))
    }


def _leaf(rng: random.Random, key: Any) -> Node:
    r = rng.random()
    if key is None and r < 0.5:
        return Text(rng.choice(TEXTS))
    if r < 0.75:
        return item(label=rng.choice(("a", "b", "c")), n=rng.randint(0, 5), key=key)
    if r < 0.85:
        return wrapper(label=rng.choice(("a", "bb", "ccc")), key=key)
    return Element(rng.choice(TAGS), _attrs(rng), key=key)


def gen(rng: random.Random, depth: int = 0, key: Any = None) -> Node:
    """Return a random tree (elements, text, components; keyed/unkeyed/mixed children)."""
    if depth >= 3 or rng.random() < 0.25:
        return _leaf(rng, key)
    return Element(
        rng.choice(TAGS),
        _attrs(rng),
        _props(rng),
        _events(rng),
        _children(rng, depth + 1),
        key,
        None,
        rng.choice(STYLES),
    )


def _children(rng: random.Random, depth: int) -> tuple[Node, ...]:
    n = rng.randint(0, 6)
    mode = rng.choice(("keyed", "unkeyed", "mixed"))
    keys: list[Any] = rng.sample(range(12), n)
    out = []
    for k in keys:
        if mode == "unkeyed" or (mode == "mixed" and rng.random() < 0.4):
            out.append(gen(rng, depth, None))
        else:
            out.append(gen(rng, depth, k))
    return tuple(out)


def mutate(rng: random.Random, node: Node, depth: int = 0) -> Node:
    """Return a tree derived from ``node`` (shared keys, moved/inserted/removed children...)."""
    r = rng.random()
    if r < 0.15:
        return node  # the very same object
    if r < 0.2:
        return gen(rng, depth, node.key)
    if isinstance(node, Text):
        return Text(rng.choice(TEXTS)) if rng.random() < 0.5 else Text(node.text)
    if isinstance(node, Component):
        if rng.random() < 0.5:
            return Component(node.fn, dict(node.props), node.key)  # equal props: memoized
        if node.fn is item.__tempest_component__:  # type: ignore[attr-defined]
            return item(label=rng.choice(("a", "b", "c")), n=rng.randint(0, 5), key=node.key)
        return wrapper(label=rng.choice(("a", "bb", "ccc")), key=node.key)
    assert isinstance(node, Element)
    kids = [mutate(rng, c, depth + 1) for c in node.children]
    used = {c.key for c in kids if c.key is not None}
    for _ in range(rng.randint(0, 3)):
        op = rng.random()
        if op < 0.3 and kids:
            rng.shuffle(kids)
        elif op < 0.5 and kids:
            kids.pop(rng.randrange(len(kids)))
        elif op < 0.8:
            free = [k for k in range(20) if k not in used]
            key = rng.choice(free) if free and rng.random() < 0.6 else None
            if key is not None:
                used.add(key)
            kids.insert(rng.randint(0, len(kids)), gen(rng, depth + 1, key))
        elif kids:
            i, j = rng.randrange(len(kids)), rng.randrange(len(kids))
            kids[i], kids[j] = kids[j], kids[i]
    return Element(
        rng.choice(TAGS) if rng.random() < 0.1 else node.tag,
        node.attrs if rng.random() < 0.5 else _attrs(rng),
        node.props if rng.random() < 0.5 else _props(rng),
        _events(rng)
        if rng.random() < 0.5
        else {k: EventBinding(lambda: None, b.flags) for k, b in node.events.items()},
        tuple(kids),
        node.key,
        None,
        node.style if rng.random() < 0.7 else rng.choice(STYLES),
    )


class Harness:
    """One session whose view returns whatever tree it is given."""

    def __init__(self, tree: Node) -> None:
        self.tree = tree
        self.patches: list[tuple[Op, ...]] = []
        self.session = Session(
            App(view=lambda _: self.tree, state=None, theme=None),
            on_patch=lambda ops, ack: self.patches.append(ops),
        )
        self.dom = DomModel()
        self.mount_ops = self.session.mount()
        self.dom.apply_all(self.mount_ops)

    async def show(self, tree: Node) -> tuple[Op, ...]:
        """Render ``tree``; return the ops of that render (also applied to ``self.dom``)."""
        self.tree = tree
        self.patches.clear()
        self.session.set_state(lambda s: s)
        await self.session.flush()
        ops = tuple(op for batch in self.patches for op in batch)
        self.dom.apply_all(ops)
        return ops


def fresh_dom(tree: Node) -> DomModel:
    """The DOM of a fresh mount of ``tree``."""
    dom = DomModel()
    dom.apply_all(Session(App(view=lambda _: tree, state=None, theme=None)).mount())
    return dom
