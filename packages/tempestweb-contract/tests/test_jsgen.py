"""The committed client/src/constants.js matches the generator, and the CLI behaves."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import typing
from pathlib import Path

import msgspec
import pytest

from tempestweb_contract import ERROR_CODES, Message, NodeSpec, Op, client_dir
from tempestweb_contract import constants as contract_constants
from tempestweb_contract.__main__ import main
from tempestweb_contract._jsgen import render_constants_js


def test_committed_constants_js_does_not_drift() -> None:
    committed = (client_dir() / "constants.js").read_text("utf-8")
    assert committed == render_constants_js(), "run `python -m tempestweb_contract js-constants`"


def test_every_constant_and_tag_is_exported() -> None:
    text = render_constants_js()
    for name in contract_constants.__all__:
        assert re.search(rf"^export const {name} = {getattr(contract_constants, name)!r};$", text, re.M)
    for cls in typing.get_args(Message) + typing.get_args(Op) + typing.get_args(NodeSpec):
        assert f'"{cls.__struct_config__.tag}"' in text
    for code in ERROR_CODES:
        assert f'"{code}"' in text


def test_op_field_positions_follow_the_structs() -> None:
    text = render_constants_js()
    for cls in typing.get_args(Op):
        fields = ", ".join(f"{f.name}: {i}" for i, f in enumerate(msgspec.structs.fields(cls), start=1))
        assert f'"{cls.__struct_config__.tag}": Object.freeze({{ {fields} }})' in text


def test_check_detects_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "constants.js"
    assert main(["js-constants", "--out", str(target), "--check"]) == 1  # missing file
    assert main(["js-constants", "--out", str(target)]) == 0
    assert main(["js-constants", "--out", str(target), "--check"]) == 0
    text = target.read_text("utf-8")
    drifted = re.sub(r"(ACK_INTERVAL_MS = )(\d+)", lambda m: f"{m[1]}{int(m[2]) + 1}", text, count=1)
    assert drifted != text
    target.write_text(drifted, "utf-8")
    assert main(["js-constants", "--out", str(target), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err


def test_cli_check_on_the_repository_copy() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tempestweb_contract", "js-constants", "--check"],
        env=dict(os.environ),  # the interpreter's own tempestweb_contract (installed or on PYTHONPATH)
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_unknown_subcommand_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tempestweb_contract", "bogus"],
        env=dict(os.environ),  # the interpreter's own tempestweb_contract (installed or on PYTHONPATH)
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "invalid choice: 'bogus'" in result.stderr
    assert "Traceback" not in result.stderr
