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
    "TextNode",
    "Unlisten",
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
    children: tuple[Union[ElementNode, TextNode], ...] = ()
    ns: Union[str, None] = None


NodeSpec = Union[ElementNode, TextNode]
"""A node to create: an element (with its subtree) or a text node."""


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


Op = Union[
    Create, Remove, Move, SetAttrs, RemoveAttrs, SetProps, SetText, Listen, Unlisten, AddStyles
]
"""Any patch op."""
