"""Argument normalisation for :mod:`tempest_core.html` (private; the hot path lives in html.py).

Everything here either returns normalised values or raises WidgetError naming the element,
the argument, what was expected and what was given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable, Iterable, Mapping
from types import GeneratorType
from typing import Final

from tempest_core._hole import Hole
from tempest_core.errors import WidgetError
from tempest_core.nodes import Component, Element, EventBinding, KeyedChildren, Node, TemplateInstance, Text
from tempestweb_contract import Scalar, names
from tempestweb_contract.names import ATTR_KEYS

__all__ = [
    "FORBIDDEN_ATTRS",
    "INLINE_HANDLER_RE",
    "KEY_EVENTS",
    "SAFE_URL_SCHEMES",
    "URL_ATTRS",
    "add_kwargs",
    "add_on",
    "add_raw_attrs",
    "attr_name",
    "check_key",
    "checks_value",
    "class_value",
    "describe",
    "fail",
    "normalize_children",
    "plain_attr_name",
    "set_key_filter",
]

_ATTR_NAME_RE: Final = re.compile(r"^[A-Za-z_:][-A-Za-z0-9_:.]*$")
INLINE_HANDLER_RE: Final = re.compile(r"^on[a-z]+$", re.IGNORECASE)
_EVENT_NAME_RE: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")
URL_ATTRS: Final = frozenset(names.URL_ATTRIBUTES)
"""Attributes (lower-case; names match in any case) whose value is a URL the browser may load or
navigate to (the contract's ``URL_ATTRIBUTES``, which the client checks too)."""
SAFE_URL_SCHEMES: Final = frozenset(names.SAFE_URL_SCHEMES)
"""Schemes a URL attribute may use (relative URLs have none)."""
FORBIDDEN_ATTRS: Final = frozenset(names.FORBIDDEN_ATTRIBUTES)
"""Attributes never set, whatever their value (markup, a custom-element upgrade)."""
_IMAGE_URL_ATTRS: Final = frozenset(names.IMAGE_URL_ATTRIBUTES)
"""URL attributes where ``data:image/<raster>;...`` is allowed as well."""
_URL_LIST_ATTRS: Final = frozenset(names.URL_LIST_ATTRIBUTES)
"""URL attributes holding a list: every token with a scheme is checked."""
_CHECKED_ATTRS: Final = URL_ATTRS | {"attributename"}
"""Attributes whose value is checked (lower-case): URLs, and the attribute an SVG animation sets."""
_BAD_SCHEME_RE: Final = re.compile(r"^(?:javascript|vbscript):", re.IGNORECASE)
_URL_IGNORED_RE: Final = re.compile(r"[\x00-\x20]")
_URL_EDGE_CHARS: Final = "".join(map(chr, range(0x21)))
_URL_TAB_NEWLINE_RE: Final = re.compile(r"[\t\n\r]")
_URL_LIST_SPLIT_RE: Final = re.compile(r"[\s,]+")
_SCHEME_RE: Final = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_SAFE_DATA_IMAGE_RE: Final = re.compile(
    r"^data:image/(?:" + "|".join(map(re.escape, names.SAFE_DATA_IMAGE_TYPES)) + ");", re.IGNORECASE
)
_REPR_MAX_CHARS: Final = 40
_ATTR_NAMES: dict[str, str] = {}
_NODE_TYPES: Final = frozenset((Element, Text, Component, TemplateInstance))
"""The vnode classes a child list may hold as they are (exact types; subclasses take the slow path)."""


def describe(value: object) -> str:
    """Return ``"<type> (<short repr>)"`` for error messages."""
    text = repr(value)
    if len(text) > _REPR_MAX_CHARS:
        text = text[: _REPR_MAX_CHARS - 3] + "..."
    return f"{type(value).__name__} ({text})"


def fail(where: str, arg: str, expected: str, value: object) -> WidgetError:
    """Build the standard WidgetError ``where(arg=...): expected X, got T (repr)``."""
    return WidgetError(f"{where}({arg}=...): expected {expected}, got {describe(value)}")


def attr_name(name: str) -> str:
    """Map a keyword name to an attribute name: ``class_`` -> ``class``, ``data_x`` -> ``data-x``."""
    mapped = _ATTR_NAMES.get(name)
    if mapped is None:
        mapped = name[:-1] if name.endswith("_") else name
        mapped = mapped.replace("_", "-")
        _ATTR_NAMES[name] = mapped
    return mapped


def _append_child(where: str, child: object, out: list[Node]) -> None:
    if child is None or child is False:
        return
    if isinstance(child, Element | Text | Component | TemplateInstance):
        out.append(child)
    elif isinstance(child, str) or (isinstance(child, int | float) and not isinstance(child, bool)):
        out.append(Text(str(child)))
    elif isinstance(child, list | tuple | GeneratorType) or (
        isinstance(child, Iterable) and not isinstance(child, bytes | bytearray | Mapping)
    ):
        for item in child:
            t = type(item)
            if t is str:
                out.append(Text(item))
            elif t is Element or t is Component or t is TemplateInstance or t is Text:
                out.append(item)
            else:
                _append_child(where, item, out)
    else:
        raise fail(where, "children", "a Node, str, number, None/False or an iterable of them", child)


def normalize_children(where: str, children: tuple[object, ...]) -> tuple[Node, ...]:
    """Flatten children: str/numbers become Text, None/False are dropped, iterables are flattened.

    Args:
        where: ``html.<tag>``, for error messages.
        children: The positional arguments.

    Returns:
        The normalised child nodes.

    Raises:
        WidgetError: If a child has an unsupported type (``True``, ``bytes``, a dict, an object...).

    """
    if len(children) == 1:
        only = children[0]
        if type(only) is KeyedChildren:
            return only  # built and checked by use_keyed_children; kept as is for its fast path
        if type(only) is list and only and set(map(type, only)) <= _NODE_TYPES:
            # One list of vnodes (``html.tbody([row(...) for r in rows])``): the common shape
            # of a long list; its items are checked in C and kept as they are.
            return tuple(only)
        if type(only) in _NODE_TYPES:
            return children  # type: ignore[return-value]
    elif set(map(type, children)) <= _NODE_TYPES:
        return children  # type: ignore[return-value]  # nodes only (no str, list, None): as they are
    out: list[Node] = []
    for child in children:
        t = type(child)
        if t is str:
            out.append(Text(child))  # type: ignore[arg-type]
        elif t is Element or t is Text:
            out.append(child)  # type: ignore[arg-type]
        else:
            _append_child(where, child, out)
    return tuple(out)


def class_value(where: str, class_: object, classes: object) -> str:
    """Join ``class_`` (a str) and ``classes`` (a mapping name -> bool, or an iterable of names).

    Raises:
        WidgetError: On a non-str ``class_`` or a malformed ``classes``.

    """
    parts: list[str] = []
    if class_ is not None:
        if not isinstance(class_, str):
            raise fail(where, "class_", "str", class_)
        if class_:
            parts.append(class_)
    if classes is not None:
        if isinstance(classes, Mapping):
            for on in classes.values():
                if isinstance(on, Hole):
                    raise on.refuse("a classes={...} condition")
            names = [name for name, on in classes.items() if on]
        elif isinstance(classes, Iterable) and not isinstance(classes, str | bytes):
            names = list(classes)
        else:
            raise fail(where, "classes", "a mapping of class name to bool or an iterable of str", classes)
        for name in names:
            if not isinstance(name, str) or not name or any(ch.isspace() for ch in name):
                raise fail(where, "classes", "class names (non-empty str without spaces)", name)
            parts.append(name)
    return " ".join(parts)


def check_key(where: str, key: object) -> Hashable:
    """Return ``key`` if it is hashable.

    Raises:
        WidgetError: If ``key`` is unhashable.

    """
    try:
        hash(key)
    except TypeError:
        raise fail(where, "key", "a hashable value (str, int, tuple...)", key) from None
    return key


def _binding(where: str, arg: str, value: object) -> EventBinding | None:
    if type(value) is EventBinding:
        return value
    if value is None:
        return None
    if isinstance(value, EventBinding):
        return value
    if callable(value):
        return EventBinding(value)
    raise fail(where, arg, "a callable or an EventBinding (events.handler(...))", value)


def _attr_value(where: str, arg: str, name: str, value: object) -> str | None:
    t = type(value)
    if t is str:
        text: str = value  # type: ignore[assignment]
    elif value is True:
        return ""
    elif value is False or value is None:
        return None
    elif t is int or t is float or isinstance(value, str):
        text = str(value)
    else:
        hint = "; event handlers are passed as on_<event>=" if callable(value) else ""
        raise WidgetError(
            f"{where}({arg}=...): expected str, int, float, bool or None, got {describe(value)}{hint}"
        )
    lower = name.lower()
    if lower in _CHECKED_ATTRS and type(value) is not Hole:  # a @template parameter: per instance
        problem = _value_problem(lower, text)
        if problem is not None:
            raise WidgetError(f"{where}({arg}=...): {problem}, got {text[:40]!r}")
    return text


def checks_value(name: str) -> bool:
    """Tell whether a value of attribute ``name`` is checked (a URL or an animation target)."""
    return name.lower() in _CHECKED_ATTRS


def plain_attr_name(name: str) -> bool:
    """Tell whether attribute ``name`` is valid and takes any value (no check on it or its value)."""
    if not _ATTR_NAME_RE.match(name):
        return False
    lower = name.lower()
    return not lower.startswith("on") and lower not in FORBIDDEN_ATTRS and lower not in _CHECKED_ATTRS


def _url_problem(url: str, image: bool) -> str | None:
    """Why the client would drop ``url`` (see ``isSafeUrl`` in ``client/src/urls.js``), or ``None``.

    The browser strips leading and trailing C0 controls and spaces and removes tabs and newlines
    before it reads a scheme (https://url.spec.whatwg.org/#concept-basic-url-parser).
    """
    if _BAD_SCHEME_RE.match(_URL_IGNORED_RE.sub("", url)):
        return "javascript:/vbscript: URLs are not allowed"
    cleaned = _URL_TAB_NEWLINE_RE.sub("", url).strip(_URL_EDGE_CHARS)
    match = _SCHEME_RE.match(cleaned)
    if match is None or match.group(1).lower() in SAFE_URL_SCHEMES:
        return None
    if image and _SAFE_DATA_IMAGE_RE.match(cleaned):
        return None
    *schemes, last = (f"{scheme}:" for scheme in names.SAFE_URL_SCHEMES)
    allowed = f"relative, {', '.join(schemes)} or {last}" + (
        f" (or data:image/<{'|'.join(names.SAFE_DATA_IMAGE_TYPES)}>;)" if image else ""
    )
    return f"{match.group(1).lower()}: URLs are not allowed here (expected a {allowed} URL)"


def _value_problem(name: str, text: str) -> str | None:
    """Why ``text`` may not be the value of the checked attribute ``name`` (lower-case), or ``None``."""
    if name == "attributename":
        target = text.strip(_URL_EDGE_CHARS).lower()
        if target in URL_ATTRS:
            return f"an animation may not set the URL attribute {target!r} (its values are not checked)"
        return None
    image = name in _IMAGE_URL_ATTRS
    if name in _URL_LIST_ATTRS:
        for token in _URL_LIST_SPLIT_RE.split(text):
            if token and (problem := _url_problem(token, image)) is not None:
                return problem
        return None
    return _url_problem(text, image)


def _check_attr_name(where: str, arg: str, name: str) -> None:
    """Refuse what the client never sets: a malformed name, ``on*`` names, ``srcdoc`` and ``is``.

    Raises:
        WidgetError: Naming ``arg`` (``attrs`` for the ``attrs=`` mapping) and the attribute.

    """
    if not _ATTR_NAME_RE.match(name):
        raise WidgetError(f"{where}({arg}=...): invalid attribute name {name!r}")
    lower = name.lower()
    if INLINE_HANDLER_RE.match(name):
        raise WidgetError(
            f"{where}({name}=...): inline event handler attributes are not allowed; "
            f"pass a callable as on_{lower[2:]}=..."
        )
    if lower.startswith("on"):
        raise WidgetError(
            f"{where}({arg}=...): attribute names starting with 'on' are not allowed (the client "
            f"refuses them as event handler attributes), got {name!r}"
        )
    if lower in FORBIDDEN_ATTRS:
        raise WidgetError(
            f"{where}({arg}=...): the {lower!r} attribute is not allowed (markup, a custom-element "
            "upgrade, a <meta> pragma or a hydration marker of the prerender; the client refuses it)"
        )


def _prop_value(where: str, name: str, value: object) -> Scalar:
    if isinstance(value, Hole):
        return value  # a @template parameter: checked per instance
    if name == "value":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise fail(where, name, "str or a number", value)
    if isinstance(value, bool):
        return value
    raise fail(where, name, "bool", value)


def add_raw_attrs(where: str, attrs: dict[str, str], raw: object) -> None:
    """Copy the ``attrs=`` mapping (names used verbatim) into ``attrs``.

    Raises:
        WidgetError: If ``raw`` is not a mapping, a name is invalid or an inline handler, or a
            value has an unsupported type.

    """
    if not isinstance(raw, Mapping):
        raise fail(where, "attrs", "a mapping of attribute name to value", raw)
    for name, value in raw.items():
        if not isinstance(name, str):
            raise fail(where, "attrs", "str attribute names", name)
        _check_attr_name(where, "attrs", name)
        text = _attr_value(where, f"attrs[{name!r}]", name, value)
        if text is None:
            attrs.pop(name, None)
        else:
            attrs[name] = text


def add_kwargs(
    where: str,
    attrs: dict[str, str],
    props: dict[str, Scalar],
    events: dict[str, EventBinding],
    kwargs: dict[str, object],
    *,
    prop_names: frozenset[str],
) -> None:
    """Sort keyword arguments into attributes, controlled properties and ``on_<event>`` bindings.

    Raises:
        WidgetError: On an unsupported value type, a bad handler or an inline handler name.

    """
    for arg, value in kwargs.items():
        if arg.startswith("on_"):
            event = arg[3:].replace("_", "")
            if not event:
                raise WidgetError(f"{where}({arg}=...): missing event name after on_")
            binding = _binding(where, arg, value)
            if binding is not None:
                events[event] = binding
            continue
        name = attr_name(arg)
        if name in prop_names:
            if value is not None:
                props[name] = _prop_value(where, arg, value)
            continue
        _check_attr_name(where, arg, name)
        text = _attr_value(where, arg, name, value)
        if text is None:
            attrs.pop(name, None)
        else:
            attrs[name] = text


KEY_EVENTS: Final = frozenset({"keydown", "keyup"})
"""The DOM events a ``handler(keys=...)`` filter applies to."""


def set_key_filter(where: str, attrs: dict[str, str], events: Mapping[str, EventBinding]) -> None:
    """Write the key filter of ``events``' bindings to ``attrs`` (``ATTR_KEYS``).

    The attribute holds ``{"keydown": [...], "keyup": [...]}`` for the key events whose binding
    has ``keys``; with none, ``attrs`` is left as it is.

    Raises:
        WidgetError: A binding with ``keys`` is on an event other than ``keydown``/``keyup``.

    """
    filters: dict[str, list[str]] = {}
    for event, binding in events.items():
        if binding.keys is None:
            continue
        if event not in KEY_EVENTS:
            raise WidgetError(
                f"{where}(on_{event}=handler(..., keys=...)): keys filter keydown and keyup only, "
                f"not {event!r}"
            )
        filters[event] = list(binding.keys)
    if filters:
        attrs[ATTR_KEYS] = json.dumps(filters, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def add_on(where: str, events: dict[str, EventBinding], on: object) -> None:
    """Add the ``on={"click": fn}`` mapping to ``events``.

    Raises:
        WidgetError: If ``on`` is not a mapping, a name is not a DOM event name, or a handler is bad.

    """
    if not isinstance(on, Mapping):
        raise fail(where, "on", "a mapping of DOM event name to handler", on)
    for event, value in on.items():
        if not isinstance(event, str) or not _EVENT_NAME_RE.match(event):
            raise fail(where, "on", "DOM event names such as 'click'", event)
        binding = _binding(where, f"on[{event!r}]", value)
        if binding is not None:
            events[event] = binding
