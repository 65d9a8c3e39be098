"""Patch ops: the only way a host changes the DOM of a client.

Every op addresses nodes by the stable integer ids the reconciler assigned when it created
them (:data:`~tempestweb_contract.constants.ROOT_ID` is the mount point). Ops are encoded as
JSON arrays whose first item is the op name, e.g. ``["text", 7, "hello"]``; a client keeps a
``Map<id, Node>`` so every op is O(1) apart from the size of the subtree it creates or removes.

Insertion positions are given as ``before``: the id of the sibling the node goes in front of,
or ``None`` to append. A host emits ops in an order where that sibling is already in place.
"""

from __future__ import annotations

from typing import Union

import msgspec

__all__ = [
    "AddStyles",
    "Create",
    "DefineTemplate",
    "ElementNode",
    "Listen",
    "Move",
    "NodeSpec",
    "Op",
    "Remove",
    "RemoveAttrs",
    "Scalar",
    "SetAttrs",
    "SetProps",
    "SetText",
    "TemplateNode",
    "TextNode",
    "SLOT_KINDS",
    "Unlisten",
    "expand_template",
]

Scalar = Union[str, int, float, bool, None]
"""A JSON scalar: the value of a DOM property or of an event data field."""


class TextNode(msgspec.Struct, tag="t", array_like=True, frozen=True):
    """A text node to create (``document.createTextNode``).

    Attributes:
        id: Stable node id assigned by the reconciler.
        text: The node's ``data``; any Unicode, never parsed as HTML.

    """

    id: int
    text: str


class ElementNode(msgspec.Struct, tag="e", array_like=True, frozen=True):
    """An element to create, with its whole subtree.

    Attributes:
        id: Stable node id assigned by the reconciler.
        tag: Lower-case tag name, e.g. ``"div"``.
        attrs: Attributes set with ``setAttribute``; the ``class`` attribute carries the
            class names (user classes and generated style classes).
        props: DOM properties assigned directly (``value``, ``checked``, ``selected``...).
        events: DOM event names this node listens to, mapped to listener flag bits
            (``EVENT_PREVENT_DEFAULT`` | ``EVENT_STOP_PROPAGATION``).
        children: Child nodes in document order.
        ns: Namespace URI for SVG/MathML elements, ``None`` for HTML.

    """

    id: int
    tag: str
    attrs: dict[str, str] = {}
    props: dict[str, Scalar] = {}
    events: dict[str, int] = {}
    children: tuple[Union[ElementNode, TextNode, TemplateNode], ...] = ()
    ns: Union[str, None] = None


class TemplateNode(msgspec.Struct, tag="i", array_like=True, frozen=True):
    """An instance of a template defined by a :class:`DefineTemplate` op of the same batch.

    The client clones the template's markup (``Node.cloneNode(true)``), gives its ``k``-th node in
    document order the id ``id + k``, then fills the slots: the result is the same subtree as the
    ``ElementNode`` it stands for, built in one clone instead of one call per node and attribute.

    Attributes:
        id: Id of the template's root; node ``k`` (document order) gets ``id + k``.
        template: Number of the template (:attr:`DefineTemplate.template`).
        slots: One value per slot of the definition, in its order: a text node's data (``str``),
            an attribute's value (``str``; ``None``: absent), a property's value (``None``: not
            set) or an event's listener flag bits (``int``; ``None``: no listener).

    """

    id: int
    template: int
    slots: tuple[Scalar, ...]


NodeSpec = Union[ElementNode, TextNode, TemplateNode]
"""A node to create: an element (with its subtree), a text node or a template instance."""

SLOT_KINDS = ("text", "attr", "prop", "event")
"""What a template slot sets (:attr:`DefineTemplate.slots`): a text node's data, an attribute,
a DOM property or an event listener."""


class Create(msgspec.Struct, tag="create", array_like=True, frozen=True):
    """Create ``node`` (and its subtree) and insert it into ``parent`` before ``before``."""

    parent: int
    before: Union[int, None]
    node: NodeSpec


class Remove(msgspec.Struct, tag="remove", array_like=True, frozen=True):
    """Detach node ``id`` and forget the ids of its whole subtree."""

    id: int


class Move(msgspec.Struct, tag="move", array_like=True, frozen=True):
    """Move existing node ``id`` into ``parent`` before ``before`` (``None``: append)."""

    id: int
    parent: int
    before: Union[int, None]


class SetAttrs(msgspec.Struct, tag="attrs", array_like=True, frozen=True):
    """Set attributes (``setAttribute``) on element ``id``."""

    id: int
    attrs: dict[str, str]


class RemoveAttrs(msgspec.Struct, tag="rmattrs", array_like=True, frozen=True):
    """Remove attributes (``removeAttribute``) from element ``id``."""

    id: int
    names: tuple[str, ...]


class SetProps(msgspec.Struct, tag="props", array_like=True, frozen=True):
    """Assign DOM properties on element ``id``; ``None`` resets a property to its default."""

    id: int
    props: dict[str, Scalar]


class SetText(msgspec.Struct, tag="text", array_like=True, frozen=True):
    """Replace the ``data`` of text node ``id``."""

    id: int
    text: str


class Listen(msgspec.Struct, tag="listen", array_like=True, frozen=True):
    """Start delivering the named DOM events of node ``id`` (name -> listener flag bits)."""

    id: int
    events: dict[str, int]


class Unlisten(msgspec.Struct, tag="unlisten", array_like=True, frozen=True):
    """Stop delivering the named DOM events of node ``id``."""

    id: int
    names: tuple[str, ...]


class AddStyles(msgspec.Struct, tag="styles", array_like=True, frozen=True):
    """Append CSS rules (complete rule text, e.g. ``.tw-1{color:red}``) to the session stylesheet."""

    rules: tuple[str, ...]


class DefineTemplate(msgspec.Struct, tag="template", array_like=True, frozen=True):
    """Define template ``template`` for the :class:`TemplateNode` instances of the same batch.

    Every batch that creates an instance carries the definition first, so a batch never depends
    on one the client may not have applied (a replay, a resync, a page that starts from its
    prerendered DOM). A host never gives one number two different definitions; a client may
    keep what it built for a number until its next full resync (``init`` with ``reset``).

    Attributes:
        template: The template's number, unique in the host process.
        node: The static markup: ids are the offsets ``0 .. size - 1`` in document order; no
            attribute, property or listener that a slot sets.
        slots: ``(offset, kind, name)`` of every slot, in the order of
            :attr:`TemplateNode.slots`; ``kind`` is one of :data:`SLOT_KINDS`, ``name`` the
            attribute, property or event name (``""`` for a text node).

    """

    template: int
    node: ElementNode
    slots: tuple[tuple[int, str, str], ...] = ()


Op = Union[
    Create,
    Remove,
    Move,
    SetAttrs,
    RemoveAttrs,
    SetProps,
    SetText,
    Listen,
    Unlisten,
    AddStyles,
    DefineTemplate,
]
"""Any patch op."""


def expand_template(definition: DefineTemplate, instance: TemplateNode) -> ElementNode:
    """Return the ``ElementNode`` tree a template instance stands for (what a client builds).

    Args:
        definition: The instance's template.
        instance: The instance; ``definition.template == instance.template``.

    Returns:
        The definition's markup with ids ``instance.id + offset`` and every slot filled.

    Raises:
        ValueError: The instance does not match the definition (number, slot count, a text slot
            that is not a string, a slot offset or kind that does not fit its node).

    """
    if definition.template != instance.template or len(definition.slots) != len(instance.slots):
        raise ValueError(f"template instance {instance.id} does not match template {definition.template}")
    filled: dict[int, list[tuple[str, str, Scalar]]] = {}
    for (offset, kind, name), value in zip(definition.slots, instance.slots, strict=True):
        if kind not in SLOT_KINDS:
            raise ValueError(f"template {definition.template}: unknown slot kind {kind!r}")
        filled.setdefault(offset, []).append((kind, name, value))
    base = instance.id

    def build(spec: ElementNode | TextNode) -> ElementNode | TextNode:
        slots = filled.get(spec.id, ())
        if isinstance(spec, TextNode):
            text = spec.text
            for kind, _name, value in slots:
                if kind != "text" or not isinstance(value, str):
                    raise ValueError(f"template {definition.template}: bad slot on text node {spec.id}")
                text = value
            return TextNode(base + spec.id, text)
        attrs, props, events = dict(spec.attrs), dict(spec.props), dict(spec.events)
        for kind, name, value in slots:
            if value is None:
                continue
            if kind == "attr" and isinstance(value, str):
                attrs[name] = value
            elif kind == "prop":
                props[name] = value
            elif kind == "event" and isinstance(value, int) and not isinstance(value, bool):
                events[name] = value
            else:
                raise ValueError(f"template {definition.template}: bad {kind} slot on node {spec.id}")
        children = []
        for child in spec.children:
            if isinstance(child, TemplateNode):
                raise ValueError(f"template {definition.template}: a template holds no template")
            children.append(build(child))
        return ElementNode(base + spec.id, spec.tag, attrs, props, events, tuple(children), spec.ns)

    node = build(definition.node)
    assert isinstance(node, ElementNode)
    return node
