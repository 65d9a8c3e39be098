"""The exported JSON Schema covers every tag and validates real frames."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import msgspec
import pytest
from contract_strategies import MESSAGES
from hypothesis import given, settings

from tempestweb_contract import (
    ERROR_CODES,
    NATIVE_ERROR_CODES,
    Create,
    ElementNode,
    Init,
    Message,
    NodeSpec,
    Op,
    Patch,
    TextNode,
    encode,
)
from tempestweb_contract.schema import SCHEMA_DIALECT, contract_schema, schema_json

jsonschema: Any
try:
    jsonschema = importlib.import_module("jsonschema")
except ImportError:  # pragma: no cover - jsonschema is a test-only extra
    jsonschema = None

needs_jsonschema = pytest.mark.skipif(jsonschema is None, reason="jsonschema (test-only) is not installed")


def _tags(union: object) -> list[str]:
    return [cls.__struct_config__.tag for cls in typing.get_args(union)]


def _schema_text() -> str:
    return json.dumps(contract_schema())


def test_dialect_and_root() -> None:
    schema = contract_schema()
    assert schema["$schema"] == SCHEMA_DIALECT
    assert schema["$ref"] == "#/$defs/Message"
    for name in ("ClientMessage", "ServerMessage", "Op", "NodeSpec", "ErrorCode", "NativeErrorCode"):
        assert name in schema["$defs"]
    if jsonschema is not None:
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("tag", _tags(Message) + _tags(Op) + _tags(NodeSpec))
def test_every_tag_appears(tag: str) -> None:
    assert f'"{tag}"' in _schema_text()


def test_error_codes_are_enumerated() -> None:
    defs = contract_schema()["$defs"]
    assert defs["ErrorCode"]["enum"] == sorted(ERROR_CODES)
    assert defs["NativeErrorCode"]["enum"] == sorted(NATIVE_ERROR_CODES)


_VALIDATOR: Any = None if jsonschema is None else jsonschema.Draft202012Validator(contract_schema())


@needs_jsonschema
@settings(max_examples=200)
@given(MESSAGES)
def test_schema_accepts_every_valid_frame(message: Message) -> None:
    errors = list(_VALIDATOR.iter_errors(json.loads(encode(message))))
    assert errors == []


@needs_jsonschema
@pytest.mark.parametrize(
    "frame",
    [
        {"type": "nope"},
        {"type": "ack"},
        {"type": "ack", "seq": "1"},
        {"type": "patch", "seq": 1, "ops": [["bogus", 1]]},
        {"type": "patch", "seq": 1, "ops": [["text", 1]]},
        {"type": "error", "code": "not_a_code"},
        {"type": "init", "v": 1, "session": "s", "seq": 1, "ops": [["create", 0, None, ["x", 1]]]},
    ],
)
def test_schema_rejects_invalid_frames(frame: dict[str, Any]) -> None:
    assert not _VALIDATOR.is_valid(frame)


@needs_jsonschema
def test_nested_node_spec_frame() -> None:
    node = ElementNode(1, "ul", children=(ElementNode(2, "li", children=(TextNode(3, "x"),)),))
    frame = json.loads(encode(Init(v=1, session="s", seq=0, ops=(Create(0, None, node),))))
    assert _VALIDATOR.is_valid(frame)
    frame["ops"][0][3][6][0][6][0] = ["t", "not-an-id", "x"]
    assert not _VALIDATOR.is_valid(frame)


def test_schema_json_is_stable_and_parseable() -> None:
    text = schema_json()
    assert text == schema_json()
    assert msgspec.json.decode(text) == json.loads(json.dumps(contract_schema(), sort_keys=True))


def test_cli_schema(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    result = subprocess.run(
        [sys.executable, "-m", "tempestweb_contract", "schema", "--out", str(out)],
        env=dict(os.environ),  # the interpreter's own tempestweb_contract (installed or on PYTHONPATH)
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text("utf-8"))["$schema"] == SCHEMA_DIALECT
    printed = subprocess.run(
        [sys.executable, "-m", "tempestweb_contract", "schema"],
        env=dict(os.environ),  # the interpreter's own tempestweb_contract (installed or on PYTHONPATH)
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout == out.read_text("utf-8")


@needs_jsonschema
def test_patch_frame_validates() -> None:
    assert _VALIDATOR.is_valid(json.loads(encode(Patch(seq=1, ops=(), ack=0))))
