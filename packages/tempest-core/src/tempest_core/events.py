"""Typed event models: the payload of a DOM event, validated before user code runs.

The JS client sends, per DOM event type, exactly the keys listed in ``docs/design.md``:

=================  ==============================================================
DOM event          data keys
=================  ==============================================================
click, dblclick    ``button``, ``alt``, ``ctrl``, ``shift``, ``meta``
input              ``value`` (checkbox/radio also ``checked``)
change             ``value``, ``checked`` (select multiple: ``values``)
keydown, keyup     ``key``, ``code``, ``alt``, ``ctrl``, ``shift``, ``meta``, ``repeat``, ``value``
submit             ``form.<name>`` -> value, one key per form field
focus, blur        ``value``
scroll             ``scroll_top``, ``scroll_left``, ``client_height``, ``client_width``
=================  ==============================================================

Keys the browser may omit have defaults, so an empty payload is valid for every kind; unknown
keys are ignored. Scalars are validated strictly (``"1"`` is not an int, ``1`` is not a bool).
See https://dom.spec.whatwg.org/#interface-event and https://w3c.github.io/uievents/.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tempest_core.errors import SessionError, WidgetError
from tempest_core.nodes import EventBinding, Handler
from tempestweb_contract import EVENT_PREVENT_DEFAULT, EVENT_STOP_PROPAGATION, EventValue
from tempestweb_contract.constants import MAX_ERROR_MESSAGE_CHARS
from tempestweb_contract.names import EVENT_UPLOAD, FORM_FIELD_PREFIX

__all__ = [
    "EVENT_MODELS",
    "MAX_KEYS",
    "MAX_KEY_CHARS",
    "BaseEvent",
    "ChangeEvent",
    "ClickEvent",
    "FocusEvent",
    "GenericEvent",
    "InputEvent",
    "KeyEvent",
    "ScrollEvent",
    "SubmitEvent",
    "UploadEvent",
    "build_event_models",
    "handler",
    "model_for",
    "parse_event",
]

_GOT_MAX_CHARS: Final = 40


class BaseEvent(BaseModel):
    """Base of every event model: frozen, strict scalars, unknown keys ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True, defer_build=True)


class ClickEvent(BaseEvent):
    """A mouse/pointer event (``click``, ``dblclick``, ``contextmenu``, ``mousedown``...).

    Attributes:
        button: ``MouseEvent.button`` (0 main, 1 auxiliary, 2 secondary).
        alt: Alt/Option key held.
        ctrl: Control key held.
        shift: Shift key held.
        meta: Meta/Command key held.

    """

    button: int = 0
    alt: bool = False
    ctrl: bool = False
    shift: bool = False
    meta: bool = False


class InputEvent(BaseEvent):
    """An ``input`` event: the control's current text after each edit.

    Attributes:
        value: The control's ``value``.
        checked: The ``checked`` state for checkboxes and radios, else ``None``.

    """

    value: str = ""
    checked: bool | None = None


class ChangeEvent(BaseEvent):
    """A ``change`` event: a committed value.

    Attributes:
        value: The control's ``value`` (``None`` if the control has none).
        checked: The ``checked`` state for checkboxes and radios, else ``None``.
        values: The selected option values of a ``<select multiple>``, else ``None``.

    """

    value: str | None = None
    checked: bool | None = None
    values: tuple[str, ...] | None = None

    @field_validator("values", mode="before")
    @classmethod
    def _list_to_tuple(cls, value: object) -> object:
        return tuple(value) if isinstance(value, list) else value


class KeyEvent(BaseEvent):
    """A ``keydown``/``keyup`` event (https://w3c.github.io/uievents/#interface-keyboardevent).

    Attributes:
        key: ``KeyboardEvent.key``, e.g. ``"Enter"``, ``"a"``, ``"Escape"``.
        code: ``KeyboardEvent.code`` (physical key), e.g. ``"KeyA"``.
        alt: Alt/Option key held.
        ctrl: Control key held.
        shift: Shift key held.
        meta: Meta/Command key held.
        repeat: The key is held down and auto-repeating.
        value: The target control's ``value`` if it has one, else ``None``.

    """

    key: str = ""
    code: str = ""
    alt: bool = False
    ctrl: bool = False
    shift: bool = False
    meta: bool = False
    repeat: bool = False
    value: str | None = None


class SubmitEvent(BaseEvent):
    """A form ``submit`` event.

    Attributes:
        fields: Form field name -> value, built from the payload's ``form.<name>`` keys.

    """

    fields: dict[str, str] = {}

    @model_validator(mode="before")
    @classmethod
    def _collect_fields(cls, data: object) -> object:
        if isinstance(data, Mapping) and "fields" not in data:
            return {
                "fields": {
                    key[len(FORM_FIELD_PREFIX) :]: value
                    for key, value in data.items()
                    if isinstance(key, str) and key.startswith(FORM_FIELD_PREFIX)
                }
            }
        return data


class FocusEvent(BaseEvent):
    """A ``focus``/``blur``/``focusin``/``focusout`` event.

    Attributes:
        value: The target control's ``value`` if it has one, else ``None``.

    """

    value: str | None = None


class ScrollEvent(BaseEvent):
    """A ``scroll`` event of a scrolling element, in CSS px.

    The client sends at most one per animation frame per element, carrying the position after
    the frame's last scroll (https://drafts.csswg.org/cssom-view/#dom-element-scrolltop), so a
    fast scroll delivers a few absolute positions, never a backlog of deltas.

    Attributes:
        scroll_top: ``Element.scrollTop``: px scrolled from the top (>= 0, may be fractional).
        scroll_left: ``Element.scrollLeft``: px scrolled from the inline start.
        client_height: ``Element.clientHeight``: height of the visible area (padding box).
        client_width: ``Element.clientWidth``: width of the visible area.

    """

    scroll_top: float = 0.0
    scroll_left: float = 0.0
    client_height: float = 0.0
    client_width: float = 0.0


class UploadEvent(BaseEvent):
    """One step of one file of a FileUpload (the ``tw-upload`` event ``client/src/upload.js`` sends).

    Attributes:
        id: The page's id of the file (8-64 of ``A-Za-z0-9_-``): the key of its bytes in the
            session's upload store once ``phase`` is ``done``.
        phase: ``progress`` (``loaded`` bytes sent), ``done`` (the bytes are stored) or ``error``.
        name: ``File.name``.
        size: ``File.size``, in bytes.
        type: ``File.type`` (MIME type, ``""`` when the browser does not know).
        loaded: Bytes sent so far.
        code: Error code of an ``error`` (``tempestweb_contract.names.UPLOAD_ERROR``).
        message: Error message of an ``error``.

    """

    id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    phase: Literal["progress", "done", "error"]
    name: str = Field(max_length=1024)
    size: int = Field(ge=0)
    type: str = Field(default="", max_length=255)
    loaded: int = Field(default=0, ge=0)
    code: str = Field(default="", max_length=64)
    message: str = Field(default="", max_length=MAX_ERROR_MESSAGE_CHARS)


class GenericEvent(BaseEvent):
    """Any other DOM event: its name and the raw scalar payload.

    Attributes:
        name: The DOM event type, e.g. ``"scroll"``.
        data: The payload as sent by the client.

    """

    model_config = ConfigDict(frozen=True, extra="ignore", strict=False, defer_build=True)

    name: str
    data: dict[str, EventValue] = {}


_MOUSE = (
    "click dblclick auxclick contextmenu mousedown mouseup mouseover mouseout mouseenter mouseleave "
    "pointerdown pointerup pointerover pointerout pointerenter pointerleave"
)
_MODELS: dict[str, type[BaseEvent]] = dict.fromkeys(_MOUSE.split(), ClickEvent)
_MODELS.update(
    input=InputEvent,
    change=ChangeEvent,
    keydown=KeyEvent,
    keyup=KeyEvent,
    submit=SubmitEvent,
    focus=FocusEvent,
    blur=FocusEvent,
    focusin=FocusEvent,
    focusout=FocusEvent,
    scroll=ScrollEvent,
)
_MODELS[EVENT_UPLOAD] = UploadEvent

EVENT_MODELS: Final[Mapping[str, type[BaseEvent]]] = MappingProxyType(_MODELS)
"""DOM event name -> model; names not listed parse to :class:`GenericEvent`."""


def model_for(name: str) -> type[BaseEvent]:
    """Return the event model used for DOM event ``name``.

    Args:
        name: A DOM event type, e.g. ``"click"``.

    Returns:
        The model class; :class:`GenericEvent` for names without a dedicated model.

    """
    return _MODELS.get(name, GenericEvent)


def _summarise(model: type[BaseEvent], exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    loc = ".".join(str(part) for part in first["loc"]) or "data"
    got = repr(first.get("input"))
    if len(got) > _GOT_MAX_CHARS:
        got = got[: _GOT_MAX_CHARS - 3] + "..."
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{model.__name__}.{loc}: {first['msg']}, got {got}{more}"


def parse_event(name: str, data: Mapping[str, object]) -> BaseEvent:
    """Validate a DOM event payload into its typed model.

    Args:
        name: The DOM event type, e.g. ``"click"``, ``"input"``, ``"keydown"``.
        data: The payload the client sent (see the module docstring for the keys).

    Returns:
        An instance of the model for ``name`` (see :data:`EVENT_MODELS`), or a
        :class:`GenericEvent` carrying ``name`` and the raw data for other events.

    Raises:
        SessionError: ``invalid_event_data`` when ``data`` is not a mapping or a field has the
            wrong type; the message names the model and the field.

    Example:
        >>> parse_event("keydown", {"key": "Enter", "value": "milk"}).key
        'Enter'

    """
    if type(data) is not dict and not isinstance(data, Mapping):
        raise SessionError("invalid_event_data", f"{name}: expected an object, got {type(data).__name__}")
    model = _MODELS.get(name)
    if model is None:
        try:
            return GenericEvent(name=name, data=dict(data))  # type: ignore[arg-type]
        except ValidationError as exc:
            raise SessionError("invalid_event_data", _summarise(GenericEvent, exc)) from None
    key = _parsed_key(name, data)
    if key is not None:
        parsed = _PARSED.get(key)
        if parsed is not None:
            return parsed
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise SessionError("invalid_event_data", _summarise(model, exc)) from None
    if key is not None and all(type(v) in _SCALARS for v in parsed.__dict__.values()):
        if len(_PARSED) >= PARSED_MAX_ENTRIES:
            _PARSED.clear()
        _PARSED[key] = parsed
    return parsed


PARSED_MAX_ENTRIES: Final = 512
"""Validated events kept for reuse at most (:func:`parse_event`); the table is emptied when full."""
_PARSED_MAX_ITEMS: Final = 8
_PARSED_MAX_TEXT: Final = 64
_SCALARS: Final = frozenset({str, int, bool, type(None)})
"""Value types of a payload that is kept (a float is a position, a scroll's: it rarely repeats)."""
_PARSED: dict[tuple[object, ...], BaseEvent] = {}
"""Payload -> its validated model, for payloads that repeat (a click's buttons and modifiers)."""


def _parsed_key(name: str, data: Mapping[str, object]) -> tuple[object, ...] | None:
    """Key of a payload of short strings, ints, bools and ``None`` (types in the key: ``True == 1``).

    A model validated from such a payload holds only scalars and is frozen, so one instance can
    answer every equal payload: a click validates once per process, not once per click.
    """
    values = tuple(data.values())
    if len(values) > _PARSED_MAX_ITEMS:
        return None
    types = tuple(map(type, values))
    if not _SCALARS.issuperset(types):
        return None
    if str in types and any(type(v) is str and len(v) > _PARSED_MAX_TEXT for v in values):
        return None
    return (name, tuple(data), values, types)


def build_event_models() -> int:
    """Build every event model's validator now, ahead of the first event.

    The models are declared with pydantic's ``defer_build`` (importing them stays cheap: the
    page's or server's start-up does not pay for schemas it may never use), so the first event
    of a process builds its model, and the first model built also loads pydantic's plugins, which
    reads the metadata of every installed distribution: about 11 ms on CPython, over 100 ms under
    Pyodide, inside the first click or scroll. Hosts call this where time is free: Mode A while
    the page is idle after it became interactive, Mode B at start-up, desktop while the webview
    loads the page. Idempotent.

    Returns:
        How many models were built by this call (0 once every model is built).

    """
    built = 0
    models: set[type[BaseEvent]] = {*_MODELS.values(), GenericEvent}
    for model in models:
        if model.model_rebuild() is not None:  # None: already complete
            built += 1
    return built


def handler(
    fn: Handler,
    *,
    prevent_default: bool = False,
    stop_propagation: bool = False,
    keys: Iterable[str] | None = None,
) -> EventBinding:
    """Bind ``fn`` with listener flags, for ``on_<event>=`` arguments of html elements and widgets.

    Args:
        fn: The handler; called with the event model (or no argument), may be async.
        prevent_default: Call ``Event.preventDefault()`` in the client
            (https://dom.spec.whatwg.org/#dom-event-preventdefault).
        stop_propagation: Call ``Event.stopPropagation()`` in the client.
        keys: For ``on_keydown``/``on_keyup`` only: the ``KeyboardEvent.key`` values
            (https://w3c.github.io/uievents-key/, e.g. ``"Enter"``, ``"Escape"``, ``"ArrowDown"``,
            ``" "`` for the space bar, ``"a"``) the client sends the event for, as LiveView's
            ``phx-key``. Any other key is not sent and the flags do not apply to it (an arrow
            key handler with ``prevent_default=True`` leaves Tab alone); the event goes on to
            the element's ancestors. ``None``: every key. At most :data:`MAX_KEYS` values, each
            1 to :data:`MAX_KEY_CHARS` characters; the comparison is exact (``"a"`` is not
            ``"A"``).

    Returns:
        An :class:`EventBinding` with ``EVENT_PREVENT_DEFAULT``/``EVENT_STOP_PROPAGATION`` bits
        and the key filter.

    Raises:
        WidgetError: If ``fn`` is not callable, a flag is not a bool, or ``keys`` is a string,
            empty, too long, or holds something other than a key value. Passing ``keys`` to an
            event other than ``keydown``/``keyup`` raises when the element is built.

    """
    if not callable(fn):
        raise WidgetError(f"handler(fn=...): expected a callable, got {type(fn).__name__} ({fn!r:.40})")
    if not isinstance(prevent_default, bool) or not isinstance(stop_propagation, bool):
        raise WidgetError("handler(prevent_default=..., stop_propagation=...): expected bool flags")
    flags = (EVENT_PREVENT_DEFAULT if prevent_default else 0) | (
        EVENT_STOP_PROPAGATION if stop_propagation else 0
    )
    return EventBinding(fn, flags, None if keys is None else _key_values(keys))


MAX_KEYS: Final = 32
"""Most key values one ``handler(keys=...)`` may name."""
MAX_KEY_CHARS: Final = 32
"""Longest key value (the longest named key of UI Events KeyboardEvent key values is 27)."""


def _key_values(keys: object) -> tuple[str, ...]:
    """Validate ``handler(keys=...)``: a collection of key values, duplicates dropped, order kept."""
    if isinstance(keys, str) or not isinstance(keys, Iterable):
        hint = f" (one key: keys=({keys!r},))" if isinstance(keys, str) else ""
        raise WidgetError(f"handler(keys=...): expected a collection of key values{hint}, got {keys!r:.40}")
    values: list[str] = []
    for key in keys:
        if not isinstance(key, str) or not 0 < len(key) <= MAX_KEY_CHARS:
            raise WidgetError(
                f"handler(keys=...): a key value is a KeyboardEvent.key string of 1 to {MAX_KEY_CHARS}"
                f" characters such as 'Enter' or 'a', got {key!r:.40}"
            )
        if key not in values:
            if len(values) == MAX_KEYS:
                raise WidgetError(f"handler(keys=...): at most {MAX_KEYS} key values")
            values.append(str(key))
    if not values:
        raise WidgetError("handler(keys=...): expected at least one key value (None: every key)")
    return tuple(values)
