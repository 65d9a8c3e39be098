"""Code generation for ``@template``: the instance factory and the spec builder of one template.

Generated source only ever contains identifiers, integers and ``repr()`` of tag and attribute
names that ``html.*`` vetted; every user value is reached through the values tuple or the
generated function's namespace, never pasted into source.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import FunctionType
from typing import TYPE_CHECKING, Any

from tempest_core._html_build import checks_value
from tempest_core._internal.props import join_class
from tempest_core.nodes import TemplateInstance
from tempestweb_contract import ElementNode, Scalar, TextNode

if TYPE_CHECKING:
    from tempest_core.templates import Statics, Template, TNode

__all__ = ["compile_builder", "compile_factory", "compile_slots"]

_NO_DICT: dict[str, Any] = {}


def compile_factory(tpl: Template, params: list[inspect.Parameter]) -> Callable[..., TemplateInstance]:
    ns: dict[str, Any] = {"_tw_TI": TemplateInstance, "_tw_tpl": tpl}
    sig: list[str] = []
    star = False
    for i, p in enumerate(params):
        if p.kind is inspect.Parameter.KEYWORD_ONLY and not star:
            sig.append("*")
            star = True
        if p.default is inspect.Parameter.empty:
            sig.append(p.name)
        else:
            ns[f"_tw_d{i}"] = p.default
            sig.append(f"{p.name}=_tw_d{i}")
    if not star:
        sig.append("*")
    sig.append("key=None")
    # Values are checked here, when the view is built (as html.* checks its arguments), so a bad
    # value raises in the user's view and mounting or patching an instance cannot fail halfway.
    ns["_tw_F"] = FunctionType
    checks: list[str] = []
    for i, p in enumerate(params):
        v = p.name
        for kind, _off, name in dict.fromkeys(tpl.positions[i]):
            if kind == "text":
                checks.append(f"if type({v}) is not str: _tw_tpl.text_value({i}, {v})")
            elif kind == "attr" and name == "class":
                checks.append(f"if type({v}) is not str: _tw_tpl.class_value({i}, {v})")
            elif kind == "attr" and checks_value(name):
                checks.append(f"_tw_tpl.attr_value({i}, {name!r}, {v})")
            elif kind == "attr":
                checks.append(f"if type({v}) is not str: _tw_tpl.attr_value({i}, {name!r}, {v})")
            elif kind == "prop":
                checks.append(f"_tw_tpl.prop_value({i}, {name!r}, {v})")
            else:
                checks.append(f"if type({v}) is not _tw_F: _tw_tpl.binding_value({i}, {v})")
    body = "".join(f"    {line}\n" for line in dict.fromkeys(checks))
    values = "".join(f"{p.name}, " for p in params)
    src = f"def make({', '.join(sig)}):\n{body}    return _tw_TI(_tw_tpl, ({values}), key)\n"
    exec(compile(src, f"<template {tpl.name}>", "exec"), ns)
    factory: Callable[..., TemplateInstance] = ns["make"]
    return factory


def compile_builder(tpl: Template) -> Callable[[int, tuple[Any, ...], Statics], ElementNode]:
    """Generate ``build(b, v, statics)``: the ``ElementNode`` tree of one instance."""
    ns: dict[str, Any] = {"_E": ElementNode, "_T": TextNode}
    lines = ["def build(b, v, statics):", *_holes(tpl, ns)]
    for node in tpl.nodes:
        k = node.offset
        if node.tag is None:
            continue
        ns[f"P{k}"] = node.props or _NO_DICT
        ns[f"V{k}"] = {name: b.flags for name, b in node.events.items()} or _NO_DICT
        # attributes, in the order html.* would have written them (see Reconciler.styled)
        if node.attr_holes:
            lines.append(f"    s = A[{k}]")
            lines.append(f"    a{k} = {{}}")
            for name in node.attr_order:
                hole = node.attr_holes.get(name)
                if hole is None:
                    lines.append(f"    a{k}[{name!r}] = s[{name!r}]")
                else:
                    lines.append(f"    x = {_attr(node, name, hole)}")
                    lines.append(f"    if x is not None: a{k}[{name!r}] = x")
            if node.style is not None and "class" not in node.attr_order:
                lines.append(f"    a{k}['class'] = S[{k}]")
        if node.prop_holes:
            lines.append(f"    p{k} = dict(P{k})")
            for name, hole in node.prop_holes.items():
                lines.append(f"    x = {_prop(name, hole)}")
                lines.append(f"    if x is not None: p{k}[{name!r}] = x")
        if node.event_holes:
            lines.append(f"    e{k} = dict(V{k})")
            for name, hole in node.event_holes.items():
                lines.append(f"    if f{hole} is not None: e{k}[{name!r}] = f{hole}")

    def expr(off: int) -> str:
        node = tpl.nodes[off]
        if node.tag is None:
            if node.text_hole is not None:
                return f"_T(b + {off}, t{node.text_hole})"
            ns[f"C{off}"] = node.text
            return f"_T(b + {off}, C{off})"
        attrs = f"a{off}" if node.attr_holes else f"A[{off}]"
        props = f"p{off}" if node.prop_holes else f"P{off}"
        events = f"e{off}" if node.event_holes else f"V{off}"
        kids = "".join(f"{expr(c)}, " for c in node.children)
        ns[f"G{off}"] = node.tag
        ns[f"M{off}"] = node.ns
        return f"_E(b + {off}, G{off}, {attrs}, {props}, {events}, ({kids}), M{off})"

    lines.append(f"    return {expr(0)}")
    src = "\n".join(lines) + "\n"
    exec(compile(src, f"<template {tpl.name} builder>", "exec"), ns)
    build: Callable[[int, tuple[Any, ...], Statics], ElementNode] = ns["build"]
    return build


def compile_slots(tpl: Template) -> Callable[[tuple[Any, ...], Statics], tuple[Scalar, ...]]:
    """Generate ``slots(v, statics)``: the values of ``tpl.slot_spec`` for one instance.

    Each value is what :func:`compile_builder`'s tree holds at that slot (the same generated
    expressions): a text, an attribute value or ``None`` (absent), a property value or ``None``
    (not set), listener flags or ``None`` (no listener).
    """
    ns: dict[str, Any] = {}
    lines = ["def slots(v, statics):", *_holes(tpl, ns)]
    items: list[str] = []
    for off, kind, name in tpl.slot_spec:
        node = tpl.nodes[off]
        if kind == "text":
            items.append(f"t{node.text_hole}")
        elif kind == "attr":
            items.append(f"({_attr(node, name, node.attr_holes[name])})")
        elif kind == "prop":
            items.append(_prop(name, node.prop_holes[name]))
        else:
            items.append(f"f{node.event_holes[name]}")
    lines.append(f"    return ({''.join(f'{item}, ' for item in items)})")
    src = "\n".join(lines) + "\n"
    exec(compile(src, f"<template {tpl.name} slots>", "exec"), ns)
    slots: Callable[[tuple[Any, ...], Statics], tuple[Scalar, ...]] = ns["slots"]
    return slots


def _holes(tpl: Template, ns: dict[str, Any]) -> list[str]:
    """Source lines unpacking ``statics`` into ``A, S`` and ``v`` into ``v<i>``, with each text
    hole's string in ``t<i>`` and each event hole's listener flags (``None``: none) in ``f<i>``."""
    ns.update({"_F": FunctionType, "_join": join_class, "_tpl": tpl})
    lines = ["    A, S = statics"]
    n_params = len(tpl.params)
    if n_params:
        lines.append(f"    {''.join(f'v{i}, ' for i in range(n_params))}= v")
    for i, spots in enumerate(tpl.positions):
        used = {kind for kind, _, _ in spots}
        if "text" in used:
            lines.append(f"    t{i} = v{i} if type(v{i}) is str else _tpl.text_value({i}, v{i})")
        if "event" in used:
            lines.append(f"    f{i} = 0 if type(v{i}) is _F else _tpl.flags_value({i}, v{i})")
    return lines


def _attr(node: TNode, name: str, hole: int) -> str:
    """The expression of attribute hole ``name``'s final value (``None``: absent) on ``node``.

    A ``class`` value is class names or ``None``, joined with the node's generated style class
    (``S[k]``, alone when the value is empty); a URL attribute's value has its scheme checked, as
    ``html.*`` checks it, on every value.
    """
    v = f"v{hole}"
    if name == "class":
        x = f"(({v} or None) if type({v}) is str else _tpl.class_value({hole}, {v}))"
        if node.style is None:
            return x
        return f"(_join(c, S[{node.offset}]) if (c := {x}) else S[{node.offset}])"
    if checks_value(name):
        return f"_tpl.attr_value({hole}, {name!r}, {v})"
    return f"({v} if type({v}) is str else _tpl.attr_value({hole}, {name!r}, {v}))"


def _prop(name: str, hole: int) -> str:
    """The expression of property hole ``name``'s final value (``None``: not set)."""
    return f"_tpl.prop_value({hole}, {name!r}, v{hole})"
