"""Shared pieces of the trust boundary: the base model of results, base64 bytes, JSON values."""

from __future__ import annotations

import base64
import binascii
import math
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, PlainSerializer, PlainValidator, WithJsonSchema
from typing_extensions import TypeAliasType

from tempestweb.native.constants import MAX_SAFE_INTEGER

__all__ = [
    "B64Bytes",
    "JSONValue",
    "WireModel",
    "b64decode",
    "b64encode",
    "check_timeout",
    "unsafe_integer",
]

JSONValue = TypeAliasType(
    "JSONValue", "Union[bool, int, float, str, list[JSONValue], dict[str, JSONValue], None]"
)
"""A value JSON can carry (what crosses the bridge as arguments and results)."""


def b64encode(data: bytes, /) -> str:
    """Return standard base64 (RFC 4648 section 4) of ``data``, without line breaks."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str, /) -> bytes:
    """Decode standard base64 strictly.

    Raises:
        ValueError: ``text`` is not valid base64.

    """
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"invalid base64: {exc}") from None


def _bytes_of(value: object) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return b64decode(value)
    raise ValueError(f"expected bytes or a base64 string, got {type(value).__name__}")


B64Bytes = Annotated[
    bytes,
    PlainValidator(_bytes_of),
    PlainSerializer(b64encode, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "contentEncoding": "base64"}),
]
"""Bytes that cross the bridge as a standard base64 string (validated strictly)."""


class WireModel(BaseModel):
    """Base of every result model: frozen, strict types, unknown keys ignored (newer clients)."""

    model_config = ConfigDict(frozen=True, strict=True, extra="ignore")


def check_timeout(timeout_s: Any, /) -> float:
    """Return ``timeout_s`` as a float if it is a positive finite number of seconds.

    Raises:
        ValueError: It is not.

    """
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, (int, float)):
        raise ValueError(f"timeout_s must be a number of seconds, got {timeout_s!r}")
    if not (math.isfinite(timeout_s) and timeout_s > 0):
        raise ValueError(f"timeout_s must be a positive finite number of seconds, got {timeout_s!r}")
    return float(timeout_s)


def unsafe_integer(value: object, /) -> int | None:
    """Return the first integer of ``value`` (a JSON value) beyond ``±MAX_SAFE_INTEGER``, if any.

    Such an integer would reach the page as a rounded JavaScript number (``10**30`` came back
    as ``1e+30``); ``bool`` is not an integer here.
    """
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, int) and not isinstance(item, bool):
            if abs(item) > MAX_SAFE_INTEGER:
                return item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return None
