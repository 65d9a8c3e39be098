"""tempestweb wire contract v1: messages, patch ops, limits, error codes and the codec.

Every host (server, wasm runtime, desktop) and the JS client speak exactly this contract.
"""

from __future__ import annotations

import pathlib

from tempestweb_contract.codec import Sender, check_ops, decode, encode, frame_size
from tempestweb_contract.constants import (
    EVENT_PREVENT_DEFAULT,
    EVENT_STOP_PROPAGATION,
    MAX_DEPTH,
    MAX_FRAME_BYTES,
    MAX_OPS_PER_FRAME,
    PROTOCOL_VERSION,
    ROOT_ID,
)
from tempestweb_contract.errors import (
    ERROR_CODES,
    NATIVE_ERROR_CODES,
    ContractError,
    ErrorCode,
    NativeErrorCode,
)
from tempestweb_contract.messages import (
    Ack,
    ClientMessage,
    Error,
    Event,
    EventValue,
    Hello,
    Init,
    Message,
    NativeCall,
    NativeError,
    NativeResult,
    Navigate,
    Patch,
    Ping,
    Pong,
    Reload,
    Rows,
    RowsColumn,
    ServerMessage,
)
from tempestweb_contract.ops import (
    AddStyles,
    Create,
    DefineTemplate,
    ElementNode,
    Listen,
    Move,
    NodeSpec,
    Op,
    Remove,
    RemoveAttrs,
    Scalar,
    SetAttrs,
    SetProps,
    SetText,
    TemplateNode,
    TextNode,
    Unlisten,
    expand_template,
)

__all__ = [
    "ERROR_CODES",
    "EVENT_PREVENT_DEFAULT",
    "EVENT_STOP_PROPAGATION",
    "MAX_DEPTH",
    "MAX_FRAME_BYTES",
    "MAX_OPS_PER_FRAME",
    "NATIVE_ERROR_CODES",
    "PROTOCOL_VERSION",
    "ROOT_ID",
    "Ack",
    "AddStyles",
    "DefineTemplate",
    "ClientMessage",
    "ContractError",
    "Create",
    "ElementNode",
    "Error",
    "ErrorCode",
    "Event",
    "EventValue",
    "Hello",
    "Init",
    "Listen",
    "Message",
    "Move",
    "NativeCall",
    "NativeError",
    "NativeErrorCode",
    "NativeResult",
    "Navigate",
    "NodeSpec",
    "Op",
    "Patch",
    "Ping",
    "Pong",
    "Reload",
    "Remove",
    "Rows",
    "RowsColumn",
    "RemoveAttrs",
    "Scalar",
    "Sender",
    "ServerMessage",
    "SetAttrs",
    "SetProps",
    "SetText",
    "TemplateNode",
    "TextNode",
    "Unlisten",
    "expand_template",
    "check_ops",
    "client_dir",
    "decode",
    "encode",
    "frame_size",
]


def client_dir() -> pathlib.Path:
    """Return the directory holding the JS client's ES modules (``tempestweb.js`` and friends).

    In an installed wheel this is ``tempestweb_contract/client``; in a source checkout it is
    the repository's ``client/src``.

    Returns:
        An existing directory path.

    Raises:
        FileNotFoundError: Neither location exists (a broken install).

    """
    here = pathlib.Path(__file__).resolve().parent
    candidates = [here / "client"]
    if len(here.parents) > 3:  # <repo>/packages/tempestweb-contract/src/tempestweb_contract
        candidates.append(here.parents[3] / "client" / "src")
    for candidate in candidates:
        if (candidate / "tempestweb.js").is_file():
            return candidate
    raise FileNotFoundError(f"tempestweb client assets not found next to {here}")


def __dir__() -> list[str]:
    return list(__all__)
