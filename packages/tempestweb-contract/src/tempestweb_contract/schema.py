"""JSON Schema (draft 2020-12) export of the whole wire contract.

The schema is derived from the msgspec structs with :func:`msgspec.json.schema_components`, so it
can never drift from the code: every message of both directions, every patch op, both node
spec kinds and both error-code enumerations appear under ``$defs``.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec

from tempestweb_contract import constants
from tempestweb_contract.errors import ErrorCode, NativeErrorCode
from tempestweb_contract.messages import ClientMessage, Message, ServerMessage
from tempestweb_contract.ops import NodeSpec, Op

__all__ = ["SCHEMA_DIALECT", "contract_schema", "schema_json"]

SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
"""The ``$schema`` dialect URI of the exported schema (JSON Schema 2020-12)."""

_NAMED_ROOTS: Final = (
    ("Message", Message),
    ("ClientMessage", ClientMessage),
    ("ServerMessage", ServerMessage),
    ("Op", Op),
    ("NodeSpec", NodeSpec),
    ("ErrorCode", ErrorCode),
    ("NativeErrorCode", NativeErrorCode),
)


def contract_schema() -> dict[str, Any]:
    """Build the JSON Schema of one wire frame (any message of either direction).

    The top-level schema validates a single frame; ``$defs`` additionally names the unions
    ``ClientMessage``, ``ServerMessage``, ``Op``, ``NodeSpec``, ``ErrorCode`` and
    ``NativeErrorCode`` so that tools can validate one direction or one op on its own, and
    ``x-tempestweb-limits`` records the protocol version and limits (which JSON Schema cannot
    express, e.g. ``MAX_FRAME_BYTES``).

    Returns:
        A JSON-compatible dict following JSON Schema 2020-12
        (https://json-schema.org/draft/2020-12/json-schema-core).

    """
    roots, components = msgspec.json.schema_components(
        [typ for _, typ in _NAMED_ROOTS], ref_template="#/$defs/{name}"
    )
    defs: dict[str, Any] = dict(components)
    for (name, _), root in zip(_NAMED_ROOTS, roots, strict=True):
        defs[name] = root
    limits = {name: getattr(constants, name) for name in constants.__all__}
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:tempestweb:contract:v{constants.PROTOCOL_VERSION}",
        "title": f"tempestweb wire contract v{constants.PROTOCOL_VERSION}",
        "description": "One JSON text frame exchanged between a tempestweb host and client.",
        "$ref": "#/$defs/Message",
        "$defs": defs,
        "x-tempestweb-limits": limits,
    }


def schema_json(*, indent: int = 2) -> str:
    """Serialise :func:`contract_schema` as JSON text with sorted keys (stable across runs).

    Args:
        indent: Spaces per indentation level; ``0`` gives compact output.

    Returns:
        The schema as JSON text ending with a newline.

    """
    raw = msgspec.json.encode(contract_schema(), order="sorted")
    return msgspec.json.format(raw, indent=indent).decode("utf-8") + "\n"
