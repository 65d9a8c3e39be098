"""``@template``: markup whose structure is fixed, built once and instantiated with new values.

A template is a function of parameters that returns one ``html`` element. tempest_core calls it
once, at decoration time, with placeholder values ("holes") and records where each parameter
lands: a whole text node, a whole attribute value, a DOM property or an event handler. Calling
the decorated function afterwards builds no element at all: it returns a
:class:`~tempest_core.nodes.TemplateInstance` holding the template and a tuple of values.

The reconciler mounts an instance with one record, and patches it by comparing the value
tuples, emitting ops only for the holes whose value changed. The static part is never rebuilt
nor re-diffed. This is the static/dynamic split of Phoenix LiveView's rendered templates and of
lit-html's ``TemplateResult``, done at runtime, and on the wire too: a batch that creates
instances carries the template's static markup once (:class:`~tempestweb_contract.DefineTemplate`,
:meth:`Template.define`) and each instance is its slot values
(:class:`~tempestweb_contract.TemplateNode`, from the generated :attr:`Template.slots`), which
the client clones and fills. An instance stands for the same ``ElementNode`` tree, with the same
ids, as the markup built with ``html.*`` (:attr:`Template.build`, used by resync and prerender), so
hydration, resync and both modes give the same DOM. See docs/design.md ("Templates") for the
measurements.

Rules, each checked when the template is captured (a :class:`~tempest_core.errors.TemplateError`
names the template and the parameter):

- A parameter is used as a whole value: ``html.td(label)``, ``class_=row_class``,
  ``on_click=on_select``, ``value=text``. ``f"#{n}"`` or ``label.upper()`` is rejected (compute the
  final string outside and pass it).
- A parameter never decides structure: ``if selected:`` or ``classes={"x": flag}`` raises. Pass
  the final value instead (``row_class="danger" if selected else None``).
- The markup holds ``html`` elements and text only (no components, nested templates or keys).

Value rules at instantiation, as for ``html.*``: text holes take ``str`` or a number; attribute
holes ``str``, a number, ``True`` (empty attribute) or ``None``/``False`` (absent), except a
``class`` hole: class names, or ``None``/``""`` for none; event holes a
callable, an :class:`~tempest_core.nodes.EventBinding` or ``None`` (no listener); property
holes the property's type (``None``: not set).
"""

from __future__ import annotations

import inspect
import itertools
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from types import FunctionType
from typing import Any, Final, Protocol

from tempest_core._hole import MARK, Hole, holds_hole, hole_index
from tempest_core._html_build import _attr_value, _binding, _prop_value
from tempest_core._internal.codegen import compile_builder, compile_factory, compile_slots
from tempest_core._internal.props import with_style_class
from tempest_core.errors import TemplateError, WidgetError
from tempest_core.nodes import Component, Element, EventBinding, TemplateInstance, Text
from tempestweb_contract import DefineTemplate, ElementNode, Scalar, TextNode

__all__ = ["Template", "TemplateFactory", "template"]

_NUMBERS: Final = itertools.count(1)
"""Template numbers of this process (:class:`~tempestweb_contract.DefineTemplate`): one per template
and statics, never reused."""

_MANGLED: Final = re.compile(r"(?i)hole:(\d+)")
"""What is left of a hole's text after ``.upper()``, slicing and the like (to name the parameter)."""


@dataclass(slots=True)
class TNode:
    """One node of a captured template, in document order (its index is its id offset)."""

    offset: int
    tag: str | None  # None: a text node
    ns: str | None = None
    text: str = ""
    text_hole: int | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    attr_holes: dict[str, int] = field(default_factory=dict)
    attr_order: list[str] = field(default_factory=list)
    props: dict[str, Scalar] = field(default_factory=dict)
    prop_holes: dict[str, int] = field(default_factory=dict)
    events: dict[str, EventBinding] = field(default_factory=dict)
    event_holes: dict[str, int] = field(default_factory=dict)
    children: list[int] = field(default_factory=list)
    style: Any = None


Statics = tuple[tuple[dict[str, str], ...], tuple[str, ...]]
"""Per session: the static attributes of each node (style class merged into ``class``) and each
node's generated style class (``""`` when it has no style)."""


class Template:
    """A captured template: its nodes, where each parameter lands, and its spec builder.

    Attributes:
        name: Qualified name of the template function, for messages.
        params: Parameter names, in order.
        nodes: Captured nodes in document order; ``nodes[k]`` gets id ``base + k``.
        size: Number of DOM nodes an instance creates.
        positions: For each parameter, ``(kind, offset, name)`` of every place it lands;
            ``kind`` is ``"text"``, ``"attr"``, ``"prop"`` or ``"event"``.
        listen_offsets: Offsets of the elements that may listen to events.
        prop_offsets: Offsets of the elements with DOM properties (controlled inputs).
        styled: Whether any node has a :class:`~tempest_core.style.Style`.
        build: ``build(base, values, statics) -> ElementNode``: the generated spec builder.
        slot_spec: ``(offset, kind, name)`` of every place a value lands in the DOM, in document
            order (a text, then each attribute, property and event hole of an element).
        slots: ``slots(values, statics) -> tuple``: the generated values of ``slot_spec`` for one
            instance (what :class:`~tempestweb_contract.TemplateNode` carries).

    """

    __slots__ = (
        "_definitions",
        "build",
        "listen_offsets",
        "name",
        "nodes",
        "params",
        "plain_statics",
        "positions",
        "prop_offsets",
        "size",
        "slot_spec",
        "slots",
        "styled",
    )

    def __init__(self, fn: Callable[..., Element], params: list[inspect.Parameter]) -> None:
        self.name: str = getattr(fn, "__qualname__", repr(fn))
        self.params = tuple(p.name for p in params)
        holes = [Hole(i, p.name, self.name) for i, p in enumerate(params)]
        args = [h for h, p in zip(holes, params, strict=True) if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        kwargs = {
            p.name: h for h, p in zip(holes, params, strict=True) if p.kind is inspect.Parameter.KEYWORD_ONLY
        }
        try:
            root = fn(*args, **kwargs)
        except TemplateError:
            raise
        except Exception as exc:
            raise TemplateError(
                f"template {self.name}: calling it with placeholders raised {type(exc).__name__}: {exc}"
            ) from exc
        if type(root) is not Element:
            raise TemplateError(
                f"template {self.name} must return one html element, got {type(root).__name__}"
            )
        self.nodes: list[TNode] = []
        self.positions: tuple[list[tuple[str, int, str]], ...] = tuple([] for _ in params)
        self._capture(root)
        for i, spots in enumerate(self.positions):
            if not spots:
                raise TemplateError(
                    f"template {self.name}: parameter {self.params[i]!r} is not used in the markup "
                    "(a template parameter must be a text, an attribute, a property or a handler)"
                )
        self.size = len(self.nodes)
        self.listen_offsets = tuple(n.offset for n in self.nodes if n.events or n.event_holes)
        self.prop_offsets = tuple(n.offset for n in self.nodes if n.props or n.prop_holes)
        self.styled = any(n.style is not None for n in self.nodes)
        self.plain_statics: Statics = (
            tuple(n.attrs for n in self.nodes),
            tuple("" for _ in self.nodes),
        )
        self.build: Callable[[int, tuple[Any, ...], Statics], ElementNode] = compile_builder(self)
        spec: list[tuple[int, str, str]] = []
        for n in self.nodes:
            if n.text_hole is not None:
                spec.append((n.offset, "text", ""))
            spec += [(n.offset, "attr", name) for name in n.attr_order if name in n.attr_holes]
            spec += [(n.offset, "prop", name) for name in n.prop_holes]
            spec += [(n.offset, "event", name) for name in n.event_holes]
        self.slot_spec = tuple(spec)
        self.slots: Callable[[tuple[Any, ...], Statics], tuple[Scalar, ...]] = compile_slots(self)
        self._definitions: dict[Hashable, DefineTemplate] = {}

    def __repr__(self) -> str:
        return f"<Template {self.name}({', '.join(self.params)}): {self.size} nodes>"

    # -- capture -------------------------------------------------------------------------------
    def _capture(self, v: object) -> int:
        off = len(self.nodes)
        t = type(v)
        if t is Text:
            text: str = v.text  # type: ignore[attr-defined]
            node = TNode(off, None, text=text)
            self.nodes.append(node)
            hole = hole_index(text)
            if hole is not None:
                node.text_hole = hole
                self.positions[hole].append(("text", off, ""))
            elif holds_hole(text):
                raise self._embedded(text, "a text")
            elif "\x00" in text:
                raise self._transformed(off, "text", text)
            return off
        if t is Component or t is TemplateInstance:
            raise TemplateError(
                f"template {self.name}: node {off} is a {t.__name__}; a template holds html elements "
                "and text only (render components around templates, not inside them)"
            )
        if t is not Element:
            raise TemplateError(f"template {self.name}: node {off} is a {t.__name__}, not an html node")
        el: Element = v  # type: ignore[assignment]
        if el.key is not None:
            raise TemplateError(
                f"template {self.name}: <{el.tag}> has key={el.key!r}; keys inside a template have no "
                "effect (the structure never changes): key the template instance instead"
            )
        node = TNode(off, el.tag, ns=el.ns, style=el.style)
        self.nodes.append(node)
        for name, value in el.attrs.items():
            node.attr_order.append(name)
            hole = hole_index(value)
            if hole is not None:
                node.attr_holes[name] = hole
                self.positions[hole].append(("attr", off, name))
            elif holds_hole(value):
                raise self._embedded(value, f"the {name!r} attribute")
            elif "\x00" in value:
                raise self._transformed(off, f"the {name!r} attribute", value)
            else:
                node.attrs[name] = value
        for name, pv in el.props.items():
            hole = hole_index(pv)
            if hole is not None:
                node.prop_holes[name] = hole
                self.positions[hole].append(("prop", off, name))
            elif holds_hole(pv):
                raise self._embedded(str(pv), f"the {name!r} property")
            elif isinstance(pv, str) and "\x00" in pv:
                raise self._transformed(off, f"the {name!r} property", pv)
            else:
                node.props[name] = pv
        for name, binding in el.events.items():
            h = binding.handler
            if isinstance(h, Hole):
                if binding.flags:
                    raise TemplateError(
                        f"template {self.name}: the {name!r} handler parameter {h.param!r} cannot carry "
                        "listener flags in the markup; pass an events.handler(...) binding as its value"
                    )
                node.event_holes[name] = h.slot
                self.positions[h.slot].append(("event", off, name))
            else:
                node.events[name] = binding
        for child in el.children:
            node.children.append(self._capture(child))
        return off

    def _transformed(self, off: int, where: str, value: str) -> TemplateError:
        found = _MANGLED.search(value)
        param = f" {self.params[int(found.group(1))]!r}" if found else ""
        return TemplateError(
            f"template {self.name}: {where} of node {off} holds a transformed parameter{param} (a str method "
            "such as .upper(), slicing or replace() was applied to it); a parameter must be the whole "
            "value: compute the final string and pass it"
        )

    def _embedded(self, value: str, where: str) -> TemplateError:
        start = value.index(MARK) + len(MARK)
        index = int(value[start : value.index("\x00", start)])
        return TemplateError(
            f"template {self.name}: parameter {self.params[index]!r} is part of {where} "
            f"({value.replace(MARK + str(index) + chr(0), '{' + self.params[index] + '}')!r}); "
            "a parameter must be the whole value: compute the final string and pass it"
        )

    # -- values --------------------------------------------------------------------------------
    def text_value(self, index: int, value: object) -> str:
        """Normalize the value of a text hole (``str`` or a number)."""
        if type(value) is str:
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str):
            return str(value)
        raise WidgetError(
            f"template {self.name}({self.params[index]}=...): expected str or a number for a text, "
            f"got {type(value).__name__} ({value!r:.40})"
        )

    def attr_value(self, index: int, name: str, value: object) -> str | None:
        """Normalize the value of an attribute hole (``None`` when the attribute is absent)."""
        return _attr_value(f"template {self.name}", self.params[index], name, value)

    def class_value(self, index: int, value: object) -> str | None:
        """Normalize the value of a ``class`` hole: class names, or ``None``/``""`` for none."""
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return str(value)
        raise WidgetError(
            f"template {self.name}({self.params[index]}=...): expected str or None for a class, "
            f"got {type(value).__name__} ({value!r:.40})"
        )

    def binding_value(self, index: int, value: object) -> EventBinding | None:
        """Normalize the value of an event hole (``None``: no listener).

        Raises:
            WidgetError: Not a handler, or a binding with a key filter (the filter is markup:
                ``on_keydown=handler(param, keys=...)`` in the template).

        """
        binding = _binding(f"template {self.name}", self.params[index], value)
        if binding is not None and binding.keys is not None:
            raise WidgetError(
                f"template {self.name}({self.params[index]}=...): a key filter is part of the markup; "
                f"write on_keydown=handler({self.params[index]}, keys=...) in the template"
            )
        return binding

    def flags_value(self, index: int, value: object) -> int | None:
        """Return the listener flags of an event hole's value (``None``: no listener)."""
        if type(value) is FunctionType:
            return 0
        binding = self.binding_value(index, value)
        return None if binding is None else binding.flags

    def prop_value(self, index: int, name: str, value: object) -> Scalar:
        """Normalize the value of a property hole (``None``: not set)."""
        if value is None:
            return None
        return _prop_value(f"template {self.name}({self.params[index]}=...)", name, value)

    def statics_for(self, class_for: Callable[[Any], str]) -> Statics:
        """Return the per-session statics, turning each node's style into its class name."""
        if not self.styled:
            return self.plain_statics
        attrs: list[dict[str, str]] = []
        classes: list[str] = []
        for n in self.nodes:
            if n.style is None:
                attrs.append(n.attrs)
                classes.append("")
                continue
            cls = class_for(n.style)
            attrs.append(with_style_class(n.attrs, cls))
            classes.append(cls)
        return tuple(attrs), tuple(classes)

    def define(self, statics: Statics) -> DefineTemplate:
        """Return the wire definition of this template with these statics (built once per statics).

        Args:
            statics: :attr:`plain_statics` or a session's :meth:`statics_for`.

        Returns:
            A :class:`~tempestweb_contract.DefineTemplate` whose number no other template or
            statics of this process has (so a client may keep what it built for a number).

        """
        attrs, classes = statics
        key = (tuple(tuple(a.items()) for a in attrs), classes)
        found = self._definitions.get(key)
        if found is not None:
            return found
        nodes = self.nodes

        def spec(off: int) -> ElementNode | TextNode:
            n = nodes[off]
            if n.tag is None:
                return TextNode(off, "" if n.text_hole is not None else n.text)
            static = {k: v for k, v in attrs[off].items() if k not in n.attr_holes}
            events = {name: b.flags for name, b in n.events.items()}
            kids = tuple(spec(c) for c in n.children)
            return ElementNode(off, n.tag, static, dict(n.props), events, kids, n.ns)

        root = spec(0)
        assert isinstance(root, ElementNode)
        found = self._definitions[key] = DefineTemplate(next(_NUMBERS), root, self.slot_spec)
        return found

    def binding_at(self, values: tuple[Any, ...], offset: int, name: str) -> EventBinding | None:
        """Return the binding of event ``name`` on node ``offset`` for these values."""
        node = self.nodes[offset]
        static = node.events.get(name)
        if static is not None:
            return static
        hole = node.event_holes.get(name)
        if hole is None:
            return None
        value = values[hole]
        if type(value) is EventBinding:
            return value
        return self.binding_value(hole, value)

    def props_at(self, values: tuple[Any, ...], offset: int) -> dict[str, Scalar]:
        """Return the DOM properties node ``offset`` has for these values."""
        node = self.nodes[offset]
        if not node.prop_holes:
            return node.props
        props = dict(node.props)
        for name, hole in node.prop_holes.items():
            value = self.prop_value(hole, name, values[hole])
            if value is not None:
                props[name] = value
        return props


class TemplateFactory(Protocol):
    """What ``@template`` returns: call it with the template's parameters (and ``key=``)."""

    template: Template

    def __call__(self, *args: Any, key: Hashable | None = None, **kwargs: Any) -> TemplateInstance:
        """Return a :class:`TemplateInstance` of these values (nothing is built)."""
        ...


def template(fn: Callable[..., Element], /) -> TemplateFactory:
    """Capture ``fn``'s markup once and return a factory of cheap template instances.

    Args:
        fn: A function of positional or keyword parameters (no ``*args``/``**kwargs``, no
            parameter named ``key``) returning one ``html`` element, each parameter used as a whole
            text, attribute value, property or event handler (module docstring for the rules).

    Returns:
        A function with ``fn``'s parameters plus a keyword ``key=`` (identity among keyed
        siblings) returning a :class:`~tempest_core.nodes.TemplateInstance`.

    Raises:
        TemplateError: At decoration time, when the markup breaks a rule above.
        TypeError: At call time, for missing or unknown arguments (Python's own message).

    Example:
        >>> from tempest_core import html
        >>> @template
        ... def item(label: str, done_class: str | None) -> Element:
        ...     return html.li(html.span(label), class_=done_class)
        >>> item("milk", None, key=3).key
        3

    """
    if not callable(fn):
        raise TemplateError(f"@template expects a function, got {type(fn).__name__}")
    name = getattr(fn, "__qualname__", repr(fn))
    params = list(inspect.signature(fn).parameters.values())
    for p in params:
        if p.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            star = "*" if p.kind is inspect.Parameter.VAR_POSITIONAL else "**"
            raise TemplateError(
                f"template {name}: parameter {p.name!r} ({star}{p.name}): *args and **kwargs "
                "parameters are not supported (a template has a fixed list of parameters)"
            )
        if p.kind is inspect.Parameter.POSITIONAL_ONLY:
            raise TemplateError(f"template {name}: positional-only parameters are not supported")
        if p.name == "key" or p.name.startswith("_tw"):
            raise TemplateError(f"template {name}: parameter name {p.name!r} is reserved")
    tpl = Template(fn, params)
    make = compile_factory(tpl, params)
    make.__name__ = getattr(fn, "__name__", "template")
    make.__qualname__ = tpl.name
    make.__module__ = getattr(fn, "__module__", __name__)
    make.__doc__ = getattr(fn, "__doc__", None)
    make.__wrapped__ = fn  # type: ignore[attr-defined]
    make.template = tpl  # type: ignore[attr-defined]
    return make  # type: ignore[return-value]
