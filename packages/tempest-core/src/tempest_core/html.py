"""Raw elements: ``html.div(...)``, ``html.tr(...)``, ``svg.path(...)`` build any standard element.

Call shape (every tag)::

    html.TAG(*children, key=None, style=None, class_=None, classes=None, id=None, attrs=None,
             on=None, on_<event>=handler, **attributes)

- children: nodes, ``str``/``int``/``float`` (become text), ``None``/``False`` (dropped), and
  lists/tuples/generators of those (flattened).
- attributes: keyword names lose a trailing underscore and map ``_`` to ``-`` (``class_`` ->
  ``class``, ``for_`` -> ``for``, ``data_id`` -> ``data-id``, ``aria_label`` -> ``aria-label``);
  ``True`` -> present (``""``), ``False``/``None`` -> absent, numbers -> ``str``. ``attrs=``
  takes names verbatim. What the browser client would refuse is rejected when the element is
  built (a prerendered page is parsed before the client runs): names starting with ``on``
  (``onclick="..."``), ``srcdoc`` and ``is``; in a URL attribute (``href``, ``src``,
  ``xlink:href``, ``srcset``... in any case) a scheme other than ``http``, ``https``, ``mailto``
  and ``tel`` (``data:image/<raster>`` where an image loads); an animation of a URL attribute
  (``svg.animate(attributeName="href")``); and ``html.script``, ``html.object``,
  ``html.embed``, ``html.base``.
- controlled properties go to ``Element.props``: ``value`` (textarea, select, and text-like
  inputs; on checkbox/radio/button/hidden inputs it is fixed data and stays an attribute),
  ``checked`` and ``indeterminate`` (input), ``selected`` (option).
- events: ``on_click=fn`` / ``on_keydown=fn`` / ``on={"click": fn}``; a handler is a callable
  or an :class:`EventBinding` from :func:`tempest_core.events.handler`; ``None`` is skipped.

Void elements (``input``, ``br``, ``img``...) reject children. Every bad argument raises
:class:`~tempest_core.errors.WidgetError` naming the element, argument, expectation and value.
Reference: https://html.spec.whatwg.org/multipage/indices.html#elements-3.

Example:
    >>> row = html.tr(html.td("1", class_="col-md-1"), key=1)
    >>> row.tag, row.key, row.children[0].attrs
    ('tr', 1, {'class': 'col-md-1'})

"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from types import FunctionType, MethodType
from typing import Final, Protocol, Union

from tempest_core._html_build import (
    add_kwargs,
    add_on,
    add_raw_attrs,
    attr_name,
    check_key,
    class_value,
    fail,
    normalize_children,
    plain_attr_name,
    set_key_filter,
)
from tempest_core._html_tags import (
    CONTROLLED_PROPS,
    HTML_TAGS,
    MATHML_NS,
    REFUSED_TAGS,
    SVG_NS,
    SVG_TAGS,
    VOID_TAGS,
)
from tempest_core.errors import WidgetError
from tempest_core.nodes import Element, EventBinding, Handler, Node, Text
from tempest_core.style import Style

__all__ = [
    "MATHML_NS",
    "SVG_NS",
    "AttrValue",
    "Child",
    "ElementFactory",
    "HandlerLike",
    "Namespace",
    "html",
    "svg",
]

Child = Union[Node, str, int, float, None, Iterable["Child"]]
"""Anything accepted as a child: a node, text, a number, ``None``/``False``, or an iterable of them."""
AttrValue = Union[str, int, float, bool, None]
"""An attribute value: ``str``, a number (stringified), ``True`` (present), ``False``/``None`` (absent)."""
HandlerLike = Union[Handler, EventBinding, None]
"""An event handler argument: a callable, an :class:`EventBinding`, or ``None`` (no listener)."""

_CUSTOM_TAG_RE: Final = re.compile(r"^[a-z][a-z0-9._]*-[a-z0-9._-]*$")
_EMPTY: Final[frozenset[str]] = frozenset()
_VALUE_ATTR_TYPES: Final = frozenset(("checkbox", "radio", "submit", "button", "reset", "image", "hidden"))
"""Input types whose ``value`` is fixed data, not user-edited text: kept as an attribute."""


class ElementFactory(Protocol):
    """The callable behind ``html.<tag>``: builds one :class:`Element` of that tag."""

    def __call__(
        self,
        *children: Child,
        key: Hashable | None = None,
        style: Style | None = None,
        class_: str | None = None,
        classes: Mapping[str, bool] | Iterable[str] | None = None,
        id: str | None = None,
        attrs: Mapping[str, AttrValue] | None = None,
        on: Mapping[str, HandlerLike] | None = None,
        **attributes: object,
    ) -> Element:
        """Build the element.

        Args:
            *children: Child nodes, text, numbers, ``None``/``False``, or iterables of them.
            key: Identity among keyed siblings (hashable), ``None`` to diff by position.
            style: A :class:`~tempest_core.style.Style`, turned into a generated class.
            class_: Space-separated class names.
            classes: ``{"name": enabled}`` or an iterable of class names, appended to ``class_``.
            id: The ``id`` attribute.
            attrs: Extra attributes with verbatim names (e.g. ``{"aria-hidden": "true"}``).
            on: DOM event name -> handler.
            **attributes: Attributes (see the module docstring) and ``on_<event>`` handlers.

        Returns:
            The element.

        Raises:
            WidgetError: On any argument of the wrong type, children of a void element, an
                ``on*``, ``srcdoc`` or ``is`` attribute, or a URL with a scheme the client refuses.

        """
        ...


_NO_PROPS: dict[str, object] = {}
_NO_EVENTS: dict[str, EventBinding] = {}
_NO_KWARGS: dict[str, object] = {}
_EVENT_ARGS: dict[str, str] = {}
"""``on_<event>`` keyword -> DOM event name, filled as keywords are first seen."""


def _vet_simple_attr(arg: str, prop_names: frozenset[str], simple_attrs: dict[str, str]) -> bool:
    """Classify a keyword once: an event (cached in ``_EVENT_ARGS``) or a plain attribute.

    A plain attribute has a valid name, is not a controlled property of the tag, not a URL
    attribute (its value needs the scheme check) and not an ``on*``, ``srcdoc`` or ``is`` name;
    the general pass handles (and refuses) the rest.

    Args:
        arg: The keyword name, e.g. ``aria_hidden`` or ``on_click``.
        prop_names: Controlled property names of the tag.
        simple_attrs: The tag's cache of vetted keywords, updated in place.

    Returns:
        ``True`` when ``arg`` is now in ``simple_attrs``.

    """
    if arg.startswith("on_"):
        event = arg[3:].replace("_", "")
        if event:
            _EVENT_ARGS[arg] = event
        return False
    name = attr_name(arg)
    if name in prop_names or not plain_attr_name(name):
        return False
    simple_attrs[arg] = name
    return True


def _make_factory(tag: str, ns: str | None, void: bool) -> ElementFactory:
    where = f"html.{tag}" if ns is None else f"svg.{tag}"
    prop_names = CONTROLLED_PROPS.get(tag, _EMPTY) if ns is None else _EMPTY
    is_input = ns is None and tag == "input"
    simple_attrs: dict[str, str] = {}
    """Keyword name -> attribute name, for keywords vetted as plain attributes of this tag."""

    def factory(
        *children: Child,
        key: Hashable | None = None,
        style: Style | None = None,
        class_: str | None = None,
        classes: Mapping[str, bool] | Iterable[str] | None = None,
        id: str | None = None,
        attrs: Mapping[str, AttrValue] | None = None,
        on: Mapping[str, HandlerLike] | None = None,
        **attributes: object,
    ) -> Element:
        attr_map: dict[str, str] = {}
        if classes is None and type(class_) is str:
            if class_:
                attr_map["class"] = class_
        elif class_ is not None or classes is not None:
            joined = class_value(where, class_, classes)
            if joined:
                attr_map["class"] = joined
        if id is not None:
            if type(id) is not str and not isinstance(id, str):
                raise fail(where, "id", "str", id)
            attr_map["id"] = id
        if attrs is not None:
            add_raw_attrs(where, attr_map, attrs)
        # Elements without properties or handlers (most of a table) share two empty dicts:
        # vnodes are never mutated once built, and the reconciler skips identical dicts.
        props: dict[str, object] = _NO_PROPS
        events: dict[str, EventBinding] = _NO_EVENTS
        if attributes:
            # Fast path: attributes whose names were vetted once, with str, bool, None, int or
            # float values (as _attr_value: True -> "", False/None -> absent, numbers -> str),
            # and on_<event> handlers that are functions, bindings or None. Anything else: the
            # general (validating) pass over every keyword, which rewrites the same entries
            # identically.
            fast_events: dict[str, EventBinding] | None = None
            for arg, value in attributes.items():
                name = simple_attrs.get(arg)
                if name is None:
                    event = _EVENT_ARGS.get(arg)
                    if event is not None:
                        kind = type(value)
                        if kind is FunctionType or kind is MethodType:
                            binding = EventBinding(value)  # type: ignore[arg-type]
                        elif kind is EventBinding and value.keys is None:  # type: ignore[attr-defined]
                            binding = value  # type: ignore[assignment]
                        elif value is None:
                            continue  # no handler (``on_click=None``)
                        else:
                            break
                        if fast_events is None:
                            fast_events = {event: binding}
                        else:
                            fast_events[event] = binding
                        continue
                    if not _vet_simple_attr(arg, prop_names, simple_attrs):
                        break
                    name = simple_attrs[arg]
                kind = type(value)
                if kind is str:
                    attr_map[name] = value  # type: ignore[assignment]
                elif value is None or value is False:
                    attr_map.pop(name, None)
                elif value is True:
                    attr_map[name] = ""
                elif kind is int or kind is float:
                    attr_map[name] = str(value)
                else:
                    break
            else:
                if fast_events is not None:
                    events = fast_events
                attributes = _NO_KWARGS
        if attributes:
            props = {}
            events = {}
            add_kwargs(where, attr_map, props, events, attributes, prop_names=prop_names)  # type: ignore[arg-type]
            if is_input and "value" in props and attr_map.get("type") in _VALUE_ATTR_TYPES:
                attr_map["value"] = str(props.pop("value"))
            if not props:
                props = _NO_PROPS
            if not events:
                events = _NO_EVENTS
        if on is not None:
            if events is _NO_EVENTS:
                events = {}
            add_on(where, events, on)
        if events is not _NO_EVENTS and (attributes or on is not None):
            set_key_filter(where, attr_map, events)  # a binding with keys= takes the general path
        if children:
            if void:
                raise WidgetError(f"{where}(*children): <{tag}> is a void element and cannot have children")
            if len(children) == 1:
                only = children[0]
                kind = type(only)
                if kind is str:
                    kids: tuple[Node, ...] = (Text(only),)  # type: ignore[arg-type]
                elif kind is Element or kind is Text:
                    kids = (only,)  # type: ignore[assignment]
                else:
                    kids = normalize_children(where, children)
            else:
                kids = normalize_children(where, children)
        else:
            kids = ()
        if style is not None and type(style) is not Style:
            _check_style(where, style)
        if key is not None and type(key) is not str and type(key) is not int:
            check_key(where, key)
        return Element(tag, attr_map, props, events, kids, key, ns, style)  # type: ignore[arg-type]

    factory.__name__ = factory.__qualname__ = tag
    factory.__doc__ = f"Build a ``<{tag}>`` element; see :class:`ElementFactory` for the arguments."
    return factory


def _refused_factory(tag: str) -> ElementFactory:
    """Return the factory of an element the client never creates: every call is a WidgetError."""

    def factory(*children: Child, **arguments: object) -> Element:
        raise WidgetError(
            f"html.{tag}(...): <{tag}> elements are not allowed: the client never creates script, "
            "object, embed or base elements (a page's own scripts are declared in tempestweb.toml, "
            "[wasm].scripts)"
        )

    factory.__name__ = factory.__qualname__ = tag
    factory.__doc__ = f"Refuse ``<{tag}>``: the client never creates it (a call raises WidgetError)."
    return factory


def _check_style(where: str, style: object) -> None:
    if not isinstance(style, Style):
        hint = " (inline CSS text goes in attrs={'style': ...})" if isinstance(style, str) else ""
        raise fail(where, "style", "Style" + hint, style)


class Namespace:
    """A set of element factories addressed as attributes: ``html.div``, ``svg.circle``.

    A trailing underscore is ignored, so Python keywords are reachable (``html.del_``).
    """

    def __init__(self, name: str, tags: Iterable[str], ns: str | None) -> None:
        """Create factories for ``tags``.

        Args:
            name: ``"html"`` or ``"svg"``, for error messages.
            tags: Element names.
            ns: Namespace URI for the elements, ``None`` for HTML.

        """
        self._name = name
        self._ns = ns
        self._tags = frozenset(tags)
        for tag in self._tags:
            self.__dict__[tag] = _make_factory(tag, ns, ns is None and tag in VOID_TAGS)
            self.__dict__[tag + "_"] = self.__dict__[tag]

    def __getattr__(self, name: str) -> ElementFactory:
        """Reject unknown element names with a suggestion.

        Raises:
            AttributeError: Always (known names never reach this method).

        """
        hint = difflib.get_close_matches(name, sorted(self._tags), n=1)
        suggestion = f"; did you mean {self._name}.{hint[0]}?" if hint else ""
        raise AttributeError(f"{self._name}.{name}: not a standard element name{suggestion}")

    def __dir__(self) -> list[str]:
        return sorted(self._tags)

    def __repr__(self) -> str:
        return f"<tempest_core.html namespace {self._name!r}: {len(self._tags)} elements>"

    def custom(self, tag: str) -> ElementFactory:
        """Return a factory for a custom element (https://html.spec.whatwg.org/#valid-custom-element-name).

        Args:
            tag: A lower-case name containing a hyphen, e.g. ``"my-chart"``.

        Returns:
            A factory with the standard call shape.

        Raises:
            WidgetError: If ``tag`` is not a valid custom element name.

        """
        if not isinstance(tag, str) or not _CUSTOM_TAG_RE.match(tag):
            raise fail(f"{self._name}.custom", "tag", "a lower-case custom element name with a hyphen", tag)
        return _make_factory(tag, self._ns, False)


html: Final = Namespace("html", HTML_TAGS, None)
"""HTML elements; ``html.svg`` and ``html.math`` create the SVG/MathML roots in their namespace."""
for _tag in REFUSED_TAGS:
    html.__dict__[_tag] = html.__dict__[_tag + "_"] = _refused_factory(_tag)
html.__dict__["svg"] = _make_factory("svg", SVG_NS, False)
html.__dict__["math"] = _make_factory("math", MATHML_NS, False)

svg: Final = Namespace("svg", SVG_TAGS, SVG_NS)
"""SVG 2 elements in the SVG namespace, e.g. ``svg.svg(svg.circle(cx=5, cy=5, r=4), viewBox="0 0 10 10")``."""


def __getattr__(name: str) -> ElementFactory:
    """Let the module itself act as the ``html`` namespace (``from tempest_core import html``)."""
    if name.startswith("__"):
        raise AttributeError(name)
    factory: ElementFactory = getattr(html, name)
    return factory


_: Callable[..., Element] = html.div  # the namespace exposes factories as plain attributes
