"""Encoding and decoding of wire frames, with the contract's limits enforced.

Decoding never raises anything but :class:`~tempestweb_contract.errors.ContractError`: any
malformed, oversized, too deep or unknown frame becomes one typed error with a stable code.
"""

from __future__ import annotations

from typing import Final, Literal, Union, overload

import msgspec

from tempestweb_contract.constants import (
    MAX_DEPTH,
    MAX_EVENT_DATA_ITEMS,
    MAX_FRAME_BYTES,
    MAX_FRAME_VALUES,
    MAX_OPS_PER_FRAME,
)
from tempestweb_contract.errors import ContractError
from tempestweb_contract.messages import ClientMessage, Event, Init, Message, Patch, ServerMessage
from tempestweb_contract.ops import Create, DefineTemplate, ElementNode, NodeSpec, Op, TemplateNode, TextNode

__all__ = [
    "SURROGATES_REPLACED",
    "Sender",
    "check_ops",
    "check_values",
    "decode",
    "encode",
    "frame_size",
    "json_values",
]

Sender = Literal["client", "server", "any"]
"""Which peer sent a frame: selects the union a frame is decoded into."""

_ENCODER: Final = msgspec.json.Encoder()
# Annotated: the three decoders' types differ, and mypy joins them to ``object`` otherwise.
_DECODERS: Final[dict[Sender, msgspec.json.Decoder[Message]]] = {
    "client": msgspec.json.Decoder(ClientMessage),
    "server": msgspec.json.Decoder(ServerMessage),
    "any": msgspec.json.Decoder(Message),
}


def encode(message: Message, /) -> bytes:
    """Encode one message as a UTF-8 JSON frame.

    Args:
        message: Any wire message.

    A surrogate code point in a string (app text from a file name decoded with
    ``surrogateescape``, say) has no UTF-8 form: it is sent as U+FFFD, the replacement character
    a browser shows for a lone surrogate, instead of failing the frame (and with it every later
    render and resync of the session).

    Returns:
        The frame, e.g. ``b'{"type":"ack","seq":3}'``.

    """
    try:
        return _ENCODER.encode(message)
    except UnicodeEncodeError:  # the rare frame with a lone surrogate: one more pass, then encoded
        return _ENCODER.encode(_without_surrogates(msgspec.to_builtins(message)))


SURROGATES_REPLACED: Final = dict.fromkeys(range(0xD800, 0xE000), "\ufffd")
"""A ``str.translate`` table: every surrogate code point (never valid in UTF-8, so never in a
frame or a page) to U+FFFD. The frames (:func:`encode`) and the prerendered HTML use it alike."""


def _without_surrogates(value: object, /) -> object:
    """Return ``value`` (builtins: dicts, lists, tuples, scalars) with surrogates as U+FFFD."""
    if isinstance(value, str):
        return value.translate(SURROGATES_REPLACED)
    if isinstance(value, dict):
        return {_without_surrogates(key): _without_surrogates(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_surrogates(item) for item in value]
    return value


def frame_size(data: Union[bytes, str], /) -> int:
    """Return a frame's size in bytes as it travels: UTF-8 for text (lone surrogates included).

    Args:
        data: A frame as bytes or text.

    Returns:
        Its length in bytes; an ASCII text's is its length, counted without encoding it.

    """
    if isinstance(data, bytes) or data.isascii():
        return len(data)
    return len(data.encode("utf-8", "surrogatepass"))


def json_values(data: Union[bytes, str], /) -> int:
    r"""Count the JSON values and object keys of a JSON text without decoding it (an upper bound).

    Every value but the outermost, and every key, follows one of ``[ { , :`` outside a string,
    so their number is one plus the count of those characters outside strings. Strings are found
    by their quotes once the escapes that can hold a quote or a backslash (``\"`` and ``\\``) are
    taken out: in valid JSON every quote left opens or closes a string, and a decoder that goes
    on past invalid JSON builds no more values than the valid text before it holds. The text is
    passed over at C speed: ``bytes.count`` of those characters, strings' included, and only
    when they are more than ``MAX_FRAME_VALUES``, ``bytes.replace`` and a ``split`` into at most
    ``2 * MAX_FRAME_VALUES + 1`` pieces (past that many strings the count stops there).

    Args:
        data: A JSON text, as bytes or text.

    Returns:
        At least the number of values and keys a decoder would build; more than
        ``MAX_FRAME_VALUES`` when it would build more than that.

    Example:
        >>> json_values(b'{"type":"ack","seq":3}')
        5
        >>> json_values(b'["a", 1]')
        3

    """
    text = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    marks = (b"[", b"{", b",", b":")
    values = 1 + sum(text.count(mark) for mark in marks)  # those in strings counted too
    if values <= MAX_FRAME_VALUES:  # a bound already: a long frame is mostly one long string
        return values
    if b"\\" in text:
        text = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    strings = text.count(b'"') // 2
    if strings > MAX_FRAME_VALUES:
        return strings
    outside = b"".join(text.split(b'"')[::2])
    return 1 + sum(outside.count(mark) for mark in marks)


def check_values(data: Union[bytes, str], /) -> None:
    """Refuse a client's frame of more than ``MAX_FRAME_VALUES`` JSON values, before decoding it.

    A frame of ``n`` characters holds at most ``n`` values, so only longer ones are counted
    (:func:`json_values`).

    Args:
        data: A frame (or a JSON text of several, an SSE POST body) as a client sent it.

    Raises:
        ContractError: ``frame_too_large``, naming the count.

    """
    if len(data) > MAX_FRAME_VALUES and (values := json_values(data)) > MAX_FRAME_VALUES:
        raise ContractError("frame_too_large", f"frame of {values} JSON values exceeds {MAX_FRAME_VALUES}")


@overload
def decode(data: Union[bytes, str], /, *, sender: Literal["client"]) -> ClientMessage: ...
@overload
def decode(data: Union[bytes, str], /, *, sender: Literal["server"]) -> ServerMessage: ...
@overload
def decode(data: Union[bytes, str], /, *, sender: Literal["any"] = ...) -> Message: ...
def decode(data: Union[bytes, str], /, *, sender: Sender = "any") -> Message:
    """Decode and validate one JSON frame.

    Args:
        data: The frame as bytes or text (a WebSocket text frame, an SSE/POST body).
        sender: ``"client"`` accepts only client messages, ``"server"`` only host messages,
            ``"any"`` both.

    Returns:
        The decoded message.

    Raises:
        ContractError: ``frame_too_large`` over ``MAX_FRAME_BYTES``, or a client's frame of
            more than ``MAX_FRAME_VALUES`` JSON values (:func:`check_values`, before
            decoding); ``malformed_frame`` for invalid
            JSON, an unknown ``type`` or a field of the wrong type; ``too_many_ops`` over
            ``MAX_OPS_PER_FRAME``; ``too_deep`` past ``MAX_DEPTH``.

    """
    if not isinstance(data, (bytes, str)):
        raise ContractError("malformed_frame", f"frame must be bytes or str, not {type(data).__name__}")
    size = frame_size(data)
    if size > MAX_FRAME_BYTES:
        raise ContractError("frame_too_large", f"frame of {size} bytes exceeds {MAX_FRAME_BYTES}")
    if sender == "client":
        check_values(data)
    try:
        message: Message = _DECODERS[sender].decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ContractError("malformed_frame", str(exc)) from None
    except RecursionError:
        raise ContractError("too_deep", "frame nests deeper than the decoder allows") from None
    except (UnicodeError, ValueError, OverflowError) as exc:
        raise ContractError("malformed_frame", str(exc)) from None
    if isinstance(message, (Init, Patch)):
        check_ops(message.ops)
    elif isinstance(message, Event) and len(message.data) > MAX_EVENT_DATA_ITEMS:
        raise ContractError(
            "malformed_frame", f"event data has {len(message.data)} keys, limit {MAX_EVENT_DATA_ITEMS}"
        )
    return message


def check_ops(ops: tuple[Op, ...], /) -> None:
    """Check a batch of ops against ``MAX_OPS_PER_FRAME`` and ``MAX_DEPTH``.

    A template instance counts as the nodes of its template's markup, at the depth it is created
    at, so a batch is held to the limits of the trees its instances stand for.

    Args:
        ops: The ops of one ``init`` or ``patch`` frame.

    Raises:
        ContractError: ``too_many_ops`` when ops plus created nodes exceed ``MAX_OPS_PER_FRAME``;
            ``too_deep`` when a created subtree (or a template's markup) is deeper than
            ``MAX_DEPTH``; ``malformed_frame`` when an instance's template is not defined
            earlier in the batch (docs/protocol.md, the ``template`` op).

    """
    count = len(ops)
    if count > MAX_OPS_PER_FRAME:
        raise ContractError("too_many_ops", f"{count} ops exceed {MAX_OPS_PER_FRAME}")
    templates: dict[int, tuple[int, int]] = {}
    for op in ops:
        t = type(op)
        if t is DefineTemplate:
            templates[op.template] = _extent(op.node, {})  # type: ignore[union-attr]  # markup holds no instance
        elif t is Create and type(op.node) is not TextNode:  # type: ignore[union-attr]
            count += _extent(op.node, templates)[0] - 1  # type: ignore[union-attr]
            if count > MAX_OPS_PER_FRAME:
                raise ContractError("too_many_ops", f"ops and node specs exceed {MAX_OPS_PER_FRAME}")


def _extent(spec: NodeSpec, templates: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """Return ``(nodes, deepest level of a node with children)`` of a created subtree (root: 1).

    Raises:
        ContractError: ``too_deep`` past ``MAX_DEPTH``; ``malformed_frame`` for an instance of a
            template not in ``templates``.

    """
    nodes = 0
    deepest = 0
    stack: list[tuple[NodeSpec, int]] = [(spec, 1)]
    while stack:
        node, depth = stack.pop()
        if type(node) is TemplateNode:
            known = templates.get(node.template)
            if known is None:
                raise ContractError(
                    "malformed_frame", f"template {node.template} is not defined earlier in the batch"
                )
            size, inner = known
            nodes += size
            if inner:
                depth += inner - 1
            else:
                continue
        else:
            nodes += 1
            if type(node) is not ElementNode or not node.children:
                continue
            stack.extend((child, depth + 1) for child in node.children)
        if depth > MAX_DEPTH:
            raise ContractError("too_deep", f"created subtree deeper than {MAX_DEPTH}")
        deepest = max(deepest, depth)
    return nodes, deepest
