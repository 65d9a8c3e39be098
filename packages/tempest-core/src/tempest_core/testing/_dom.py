"""A reference DOM model that applies every contract op, strictly, and serializes the result."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Union

from tempest_core.errors import TempestError
from tempestweb_contract import (
    ROOT_ID,
    AddStyles,
    Create,
    DefineTemplate,
    ElementNode,
    Listen,
    Move,
    NodeSpec,
    Op,
    Remove,
    RemoveAttrs,
    Scalar,
    SetAttrs,
    SetProps,
    SetText,
    TemplateNode,
    TextNode,
    Unlisten,
)
from tempestweb_contract.names import ATTR_NODE_ID
from tempestweb_contract.ops import expand_template

__all__ = ["DomElement", "DomModel", "DomModelError", "DomNode", "DomText"]


class DomModelError(TempestError, AssertionError):
    """An op that a browser could not apply as written (unknown id, bad ``before``, ...)."""


class DomText:
    """A text node of the model."""

    __slots__ = ("id", "parent", "text")

    def __init__(self, id: int, text: str) -> None:
        self.id = id
        self.text = text
        self.parent: DomElement | None = None

    @property
    def text_content(self) -> str:
        """The node's text."""
        return self.text

    def __repr__(self) -> str:
        return f"DomText({self.id}, {self.text!r})"


class DomElement:
    """An element of the model: what the client's DOM node would hold.

    Attributes:
        id: Stable node id (``ROOT_ID`` for the mount point).
        tag: Lower-case tag name (``"#root"`` for the mount point).
        attrs / props / events: Attributes, DOM properties, listened event names -> flags.
        children: Child nodes in document order.

    """

    __slots__ = ("attrs", "children", "events", "id", "ns", "parent", "props", "tag")

    def __init__(self, id: int, tag: str, ns: str | None = None) -> None:
        self.id = id
        self.tag = tag
        self.ns = ns
        self.attrs: dict[str, str] = {}
        self.props: dict[str, Scalar] = {}
        self.events: dict[str, int] = {}
        self.children: list[DomNode] = []
        self.parent: DomElement | None = None

    @property
    def classes(self) -> tuple[str, ...]:
        """The class names of the ``class`` attribute."""
        return tuple(self.attrs.get("class", "").split())

    @property
    def text_content(self) -> str:
        """Concatenated text of every descendant text node (``Node.textContent``)."""
        return "".join(c.text_content for c in self.children)

    def iter_descendants(self) -> Iterator[DomElement]:
        """Yield descendant elements in document order."""
        for c in self.children:
            if isinstance(c, DomElement):
                yield c
                yield from c.iter_descendants()

    def __repr__(self) -> str:
        return f"DomElement({self.id}, {self.tag!r}, attrs={self.attrs!r})"


DomNode = Union[DomElement, DomText]


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class DomModel:
    """A client-side DOM as the ops describe it: ``Map<id, Node>`` plus the stylesheet.

    Every op is checked as strictly as a browser would fail on it (and stricter: removing an
    absent attribute or listener is reported, since it means the reconciler's view drifted).
    """

    def __init__(self) -> None:
        self.root = DomElement(ROOT_ID, "#root")
        self.nodes: dict[int, DomNode] = {ROOT_ID: self.root}
        self.styles: list[str] = []
        self.templates: dict[int, DefineTemplate] = {}

    def _element(self, node_id: int, op: str) -> DomElement:
        node = self.nodes.get(node_id)
        if not isinstance(node, DomElement):
            raise DomModelError(f"{op}: no element with id {node_id}")
        return node

    def _build(self, spec: NodeSpec) -> DomNode:
        if isinstance(spec, TemplateNode):
            definition = self.templates.get(spec.template)
            if definition is None:
                raise DomModelError(f"create: template {spec.template} is not defined")
            try:
                spec = expand_template(definition, spec)
            except ValueError as exc:
                raise DomModelError(f"create: {exc}") from exc
        if spec.id in self.nodes:
            raise DomModelError(f"create: id {spec.id} already exists")
        if isinstance(spec, TextNode):
            node: DomNode = DomText(spec.id, spec.text)
        else:
            assert isinstance(spec, ElementNode)
            el = DomElement(spec.id, spec.tag, spec.ns)
            el.attrs = dict(spec.attrs)
            el.props = dict(spec.props)
            el.events = dict(spec.events)
            for child in spec.children:
                c = self._build(child)
                c.parent = el
                el.children.append(c)
            node = el
        self.nodes[spec.id] = node
        return node

    def _insert(self, parent: DomElement, node: DomNode, before: int | None, op: str) -> None:
        if before is None:
            parent.children.append(node)
        else:
            ref = self.nodes.get(before)
            if ref is None or ref.parent is not parent:
                raise DomModelError(f"{op}: before={before} is not a child of {parent.id}")
            parent.children.insert(parent.children.index(ref), node)
        node.parent = parent

    def _detach(self, node: DomNode) -> None:
        parent = node.parent
        if parent is not None:
            parent.children.remove(node)
            node.parent = None

    def _forget(self, node: DomNode) -> None:
        del self.nodes[node.id]
        if isinstance(node, DomElement):
            for c in node.children:
                self._forget(c)

    def apply(self, op: Op) -> None:
        """Apply one op.

        Args:
            op: Any contract op.

        Raises:
            DomModelError: The op addresses a node that does not exist, inserts before a node
                that is not a child of the parent, moves a node into itself, recreates an id,
                sets text on an element, or removes an absent attribute or listener.

        """
        if isinstance(op, Create):
            parent = self._element(op.parent, "create")
            self._insert(parent, self._build(op.node), op.before, "create")
        elif isinstance(op, Remove):
            if op.id == ROOT_ID or op.id not in self.nodes:
                raise DomModelError(f"remove: no node with id {op.id}")
            node = self.nodes[op.id]
            self._detach(node)
            self._forget(node)
        elif isinstance(op, Move):
            moved = self.nodes.get(op.id)
            if moved is None or op.id == ROOT_ID:
                raise DomModelError(f"move: no node with id {op.id}")
            parent = self._element(op.parent, "move")
            anc: DomElement | None = parent
            while anc is not None:
                if anc is moved:
                    raise DomModelError(f"move: {op.id} would become its own descendant")
                anc = anc.parent
            if op.before == op.id:
                raise DomModelError(f"move: node {op.id} cannot be inserted before itself")
            self._detach(moved)
            self._insert(parent, moved, op.before, "move")
        elif isinstance(op, SetAttrs):
            self._element(op.id, "attrs").attrs.update(op.attrs)
        elif isinstance(op, RemoveAttrs):
            el = self._element(op.id, "rmattrs")
            for name in op.names:
                if name not in el.attrs:
                    raise DomModelError(f"rmattrs: {op.id} has no attribute {name!r}")
                del el.attrs[name]
        elif isinstance(op, SetProps):
            el = self._element(op.id, "props")
            for name, value in op.props.items():
                if value is None:
                    el.props.pop(name, None)
                else:
                    el.props[name] = value
        elif isinstance(op, SetText):
            text_node = self.nodes.get(op.id)
            if not isinstance(text_node, DomText):
                raise DomModelError(f"text: no text node with id {op.id}")
            text_node.text = op.text
        elif isinstance(op, Listen):
            self._element(op.id, "listen").events.update(op.events)
        elif isinstance(op, Unlisten):
            el = self._element(op.id, "unlisten")
            for name in op.names:
                if name not in el.events:
                    raise DomModelError(f"unlisten: {op.id} does not listen to {name!r}")
                del el.events[name]
        elif isinstance(op, AddStyles):
            self.styles.extend(op.rules)
        elif isinstance(op, DefineTemplate):
            known = self.templates.setdefault(op.template, op)
            if known != op:
                raise DomModelError(f"template: number {op.template} redefined with other markup")
        else:
            raise DomModelError(f"unknown op {op!r}")

    def apply_all(self, ops: Iterable[Op]) -> None:
        """Apply ops in order (see :meth:`apply`)."""
        for op in ops:
            self.apply(op)

    def reset(self) -> None:
        """Drop every node under the root and the stylesheet (an ``init`` with ``reset``)."""
        self.__init__()  # type: ignore[misc]

    def serialize(self, *, ids: bool = False) -> str:
        """Return a canonical HTML-like serialization of the tree under the root.

        Args:
            ids: Include node ids (the :data:`~tempestweb_contract.names.ATTR_NODE_ID`
                attribute), to compare identity as well as content.

        Returns:
            Attributes, properties (``.name``) and listeners (``@name``) sorted by name.

        """
        out: list[str] = []
        for c in self.root.children:
            self._ser(c, out, ids)
        return "".join(out)

    def _ser(self, node: DomNode, out: list[str], ids: bool) -> None:
        if isinstance(node, DomText):
            out.append(f"<!--{node.id}-->" if ids else "")
            out.append(_esc(node.text) if node.text else "<!---->")
            return
        parts = [node.tag]
        if ids:
            parts.append(f'{ATTR_NODE_ID}="{node.id}"')
        parts.extend(f'{k}="{_esc(v)}"' for k, v in sorted(node.attrs.items()))
        parts.extend(f".{k}={v!r}" for k, v in sorted(node.props.items()))
        parts.extend(f"@{k}={v}" for k, v in sorted(node.events.items()))
        out.append("<" + " ".join(parts) + ">")
        for c in node.children:
            self._ser(c, out, ids)
        out.append(f"</{node.tag}>")
