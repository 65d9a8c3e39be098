"""Serialize the mounted tree: node specs (resync) and hydratable HTML (prerender).

HTML follows the hydration markers of docs/design.md (names from
:mod:`tempestweb_contract.names`): ``data-tw="<id>"`` on every element, ``data-tw-on="click:0
input:1"`` on elements with listeners, ``<!--<id>-->`` before every text node. Escaping follows
the HTML serialization algorithm
(https://html.spec.whatwg.org/multipage/parsing.html#serialising-html-fragments) plus ``<``/``>``
in attribute values for defence in depth, and a carriage return as ``&#13;`` (the parser turns a
literal one into a line feed: https://html.spec.whatwg.org/multipage/parsing.html#preprocessing-the-input-stream).
A ``value`` property has an attribute form where the parser gives it back: a textarea's text (with
an extra leading line feed, which the parser drops) and a select's ``selected`` option.
"""

from __future__ import annotations

import re
from collections import deque
from operator import is_
from typing import Final

import msgspec
from msgspec.structs import replace

from tempest_core._internal.mounted import MComponent, MElement, Mounted, MTemplate, MText
from tempest_core._internal.props import event_flags
from tempest_core.errors import WidgetError
from tempestweb_contract import MAX_DEPTH, Create, ElementNode, NodeSpec, Scalar, TextNode
from tempestweb_contract.codec import SURROGATES_REPLACED
from tempestweb_contract.names import ATTR_LISTENERS, ATTR_NODE_ID, ATTR_PROPS, ATTR_TEXT_ID

__all__ = [
    "ATTRIBUTE_PROPS",
    "BOOLEAN_PROPS",
    "VOID_ELEMENTS",
    "escape_attr",
    "escape_text",
    "spec_of",
    "split_creates",
    "to_html",
]

VOID_ELEMENTS: Final = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
"""Elements without an end tag (HTML Standard, "void elements")."""

BOOLEAN_PROPS: Final = frozenset({"checked", "selected", "disabled"})
"""Properties written as boolean attributes when truthy."""

ATTRIBUTE_PROPS: Final = frozenset({"value"}) | BOOLEAN_PROPS
"""Properties that have an attribute form in prerendered HTML."""

_ATTR_NAME: Final = re.compile(r"[^\s\"'>/=\x00-\x1f\x7f]+")
# Surrogates (no UTF-8 form: the page could not be encoded) become U+FFFD, as in frames.
_TEXT_ESCAPES: Final = {
    **SURROGATES_REPLACED,
    **str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\xa0": "&nbsp;", "\r": "&#13;"}),
}
_ATTR_ESCAPES: Final = {
    **SURROGATES_REPLACED,
    **str.maketrans({"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "\xa0": "&nbsp;", "\r": "&#13;"}),
}
_JSON: Final = msgspec.json.Encoder()
_ASCII_WHITESPACE: Final = re.compile(r"[\t\n\f\r ]+")
_RAW_TEXT: Final = frozenset({"style", "xmp", "iframe", "noembed", "noframes", "noscript"})
"""Elements whose content the HTML parser reads as raw text (with scripting enabled, as in every
page running the client; ``script`` and ``plaintext`` are never built)."""
_ESCAPABLE_RAW_TEXT: Final = frozenset({"textarea", "title"})
"""Elements whose content the HTML parser reads as text with character references decoded."""
_RAW_TEXT_CHANGED: Final = re.compile(r"</|[\r\x00]")
"""What raw text cannot hold as written: an end tag may close its element (``</`` is refused
whatever follows, to keep the rule simple), the parser turns a carriage return into a line feed
and NUL into U+FFFD."""


def escape_text(text: str) -> str:
    """Escape text content (``&``, ``<``, ``>``, no-break space, carriage return; a surrogate
    becomes U+FFFD)."""
    return text.translate(_TEXT_ESCAPES)


def escape_attr(value: str) -> str:
    """Escape a double-quoted attribute value (``&``, ``"``, ``<``, ``>``, no-break space,
    carriage return; a surrogate becomes U+FFFD)."""
    return value.translate(_ATTR_ESCAPES)


def _resolve(m: Mounted) -> MElement | MText | MTemplate:
    while type(m) is MComponent:
        assert m.child is not None
        m = m.child
    return m  # type: ignore[return-value]


def spec_of(m: Mounted) -> NodeSpec:
    """Return the node spec that recreates the mounted subtree ``m`` with the same ids."""
    n = _resolve(m)
    if type(n) is MText:
        return TextNode(n.id, n.text)
    if type(n) is MTemplate:
        return n.template.build(n.id, n.values, n.statics)  # type: ignore[no-any-return]
    el: MElement = n  # type: ignore[assignment]
    v = el.vnode
    return ElementNode(
        el.id,
        el.tag,
        el.attrs,
        v.props,
        event_flags(v.events) if v.events else {},
        tuple(spec_of(c) for c in el.children),
        el.ns,
    )


def split_creates(parent: int, spec: NodeSpec, /) -> list[Create]:
    """Return ``Create`` ops building ``spec`` under ``parent``, none deeper than ``MAX_DEPTH``.

    The contract bounds the depth of one created subtree (``MAX_DEPTH``, docs/protocol.md), and
    a mount never builds a deeper one; but a tree grown by patches, each within the bound, can
    be deeper as a whole, and a full resync recreates it at once. Such a tree is cut at depth
    ``MAX_DEPTH``: the element there is created without its children, and each child is then
    created under it by a later op, in order (a ``Create`` without ``before`` appends).

    Args:
        parent: Id of the node the tree goes under.
        spec: The whole tree (:func:`spec_of`).

    Returns:
        ``[Create(parent, None, spec)]`` for a tree within the bound; otherwise that op with the
        tree cut, then the ops of the cut subtrees (each cut again where needed).

    """
    creates: list[Create] = []
    todo: deque[tuple[int, NodeSpec]] = deque([(parent, spec)])
    while todo:
        under, node = todo.popleft()
        cut: list[tuple[int, NodeSpec]] = []
        creates.append(Create(under, None, _cut(node, 1, cut)))
        todo.extend(cut)
    return creates


def _cut(node: NodeSpec, depth: int, cut: list[tuple[int, NodeSpec]]) -> NodeSpec:
    if type(node) is not ElementNode or not node.children:
        return node
    if depth == MAX_DEPTH:
        cut.extend((node.id, child) for child in node.children)
        return replace(node, children=())
    kids = tuple(_cut(child, depth + 1, cut) for child in node.children)
    return node if all(map(is_, kids, node.children)) else replace(node, children=kids)


def _check_name(name: str, tag: str) -> str:
    if not _ATTR_NAME.fullmatch(name):
        raise WidgetError(f"<{tag}>: invalid attribute name {name!r}")
    return name


def _prop_text(value: Scalar) -> str:
    """``value`` as the client's ``String(value)`` writes it to a property."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _prop_attr(name: str, value: Scalar) -> str | None:
    if name in BOOLEAN_PROPS:
        return f" {name}" if value else None
    if value is None or value is False:
        return None
    return f' {name}="{escape_attr(_prop_text(value))}"'


def _option_value(el: ElementNode) -> str:
    """An option's value: its ``value`` attribute, else its text with whitespace collapsed
    (https://html.spec.whatwg.org/multipage/form-elements.html#concept-option-value)."""
    if "value" in el.attrs:
        return el.attrs["value"]
    text = "".join(c.text for c in el.children if type(c) is TextNode)
    return _ASCII_WHITESPACE.sub(" ", text).strip("\t\n\f\r ")


def _write(n: NodeSpec, out: list[str], select: list[str] | None = None) -> None:
    """Append the HTML of ``n`` to ``out``.

    ``select`` holds, inside a ``<select>`` whose ``value`` property is set, that value until an
    option takes it: the select's value is written as that option's ``selected`` (a ``value``
    attribute means nothing on a select), every other option of it unselected, as the client
    leaves them once it sets the property.
    """
    if type(n) is TextNode:
        out.append(f"<!--{n.id}-->")
        out.append(escape_text(n.text))
        return
    el: ElementNode = n  # type: ignore[assignment]
    tag = el.tag
    if not _ATTR_NAME.fullmatch(tag):
        raise WidgetError(f"invalid tag name {tag!r}")
    out.append(f'<{tag} {ATTR_NODE_ID}="{el.id}"')
    for name, value in el.attrs.items():
        out.append(f' {_check_name(name, tag)}="{escape_attr(value)}"')
    html = el.ns is None
    inner = select if html and tag in ("option", "optgroup") else None
    if html and tag == "select" and el.props.get("value") is not None and "value" not in el.attrs:
        inner = [_prop_text(el.props["value"])]
    textarea_value: str | None = None
    unwritten: dict[str, Scalar] | None = None
    for name, pv in el.props.items():
        if name not in ATTRIBUTE_PROPS:
            if pv is not None and pv is not False:  # the client's default: nothing to set
                unwritten = unwritten or {}
                unwritten[name] = pv
            continue
        if name in el.attrs:
            continue
        if html and tag == "textarea" and name == "value":
            textarea_value = "" if pv is None else _prop_text(pv)
            continue
        if inner is not None and (name, tag) in (("value", "select"), ("selected", "option")):
            continue  # written from the select's value
        attr = _prop_attr(name, pv)
        if attr is not None:
            out.append(attr)
    if inner and tag == "option" and "selected" not in el.attrs and _option_value(el) == inner[0]:
        inner.clear()  # the first option of that value takes it
        out.append(" selected")
    if unwritten:  # no attribute form (indeterminate): set by the client when it hydrates
        out.append(f' {ATTR_PROPS}="{escape_attr(_JSON.encode(unwritten).decode())}"')
    if el.events:
        on = " ".join(f"{name}:{flags}" for name, flags in el.events.items())
        out.append(f' {ATTR_LISTENERS}="{escape_attr(on)}"')
    if html and el.children and (tag in _RAW_TEXT or tag in _ESCAPABLE_RAW_TEXT or tag == "template"):
        _write_text_content(el, out)
        return
    out.append(">")
    if tag in VOID_ELEMENTS and html:
        return
    if textarea_value is not None and not el.children:
        out.append(_escapable_text(tag, textarea_value))
    for c in el.children:
        _write(c, out, inner)
    out.append(f"</{tag}>")


def _escapable_text(tag: str, text: str) -> str:
    """``text`` as the content of a ``<textarea>`` or ``<title>`` (escaped): the parser drops a
    line feed right after ``<textarea>``, so one more keeps the text's own."""
    return ("\n" if tag == "textarea" and text.startswith("\n") else "") + escape_text(text)


def _write_text_content(el: ElementNode, out: list[str]) -> None:
    """Finish an element whose content the parser reads as text, or puts in a ``<template>``'s
    content, where a ``<!--id-->`` marker cannot map its children: its one text child's id goes
    in ``ATTR_TEXT_ID``, or ``"-"`` (children left out: the client mounts the page afresh) when
    the parser would not give the text back as it is (several nodes, an element, a raw text that
    closes its element early or holds a carriage return or NUL, which the parser changes)."""
    tag = el.tag
    kids = el.children
    text = kids[0].text if len(kids) == 1 and type(kids[0]) is TextNode else None
    if text is not None and tag in _ESCAPABLE_RAW_TEXT:
        body = _escapable_text(tag, text)
    elif text is not None and tag != "template" and not _RAW_TEXT_CHANGED.search(text):
        body = text.translate(SURROGATES_REPLACED)
    else:
        out.append(f' {ATTR_TEXT_ID}="-"></{tag}>')
        return
    out.append(f' {ATTR_TEXT_ID}="{kids[0].id}">{body}</{tag}>')


def to_html(m: Mounted) -> str:
    """Return the hydratable HTML of the mounted subtree ``m``."""
    out: list[str] = []
    _write(spec_of(m), out)
    return "".join(out)
