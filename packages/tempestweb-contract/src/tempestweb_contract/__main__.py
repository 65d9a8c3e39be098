"""Command line of the contract package: ``python -m tempestweb_contract <command>``.

Commands:
    ``schema [--out FILE]``: print (or write) the JSON Schema 2020-12 of the contract.
    ``js-constants [--out FILE] [--check]``: write (or check) the client's ``constants.js``.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from collections.abc import Sequence

from tempestweb_contract import client_dir
from tempestweb_contract._jsgen import render_constants_js
from tempestweb_contract.schema import schema_json

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tempestweb_contract", description="tempestweb wire contract tools"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{schema,js-constants}")
    schema = commands.add_parser("schema", help="print the JSON Schema (2020-12) of the wire contract")
    schema.add_argument("--out", type=pathlib.Path, help="write the schema to this file instead of stdout")
    js = commands.add_parser("js-constants", help="write or check the JS client's constants.js")
    js.add_argument("--out", type=pathlib.Path, help="target file (default: <client dir>/constants.js)")
    js.add_argument("--check", action="store_true", help="exit 1 when the file differs instead of writing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one contract command.

    Args:
        argv: Command line arguments without the program name; ``None`` reads ``sys.argv``.

    Returns:
        The process exit status: 0 on success, 1 when ``js-constants --check`` finds drift.

    Raises:
        SystemExit: With status 2 on an unknown command or bad option (argparse's usage error).

    """
    args = _parser().parse_args(argv)
    if args.command == "schema":
        text = schema_json()
        if args.out is None:
            sys.stdout.write(text)
        else:
            args.out.write_text(text, encoding="utf-8")
        return 0
    target: pathlib.Path = args.out if args.out is not None else client_dir() / "constants.js"
    expected = render_constants_js()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != expected:
            sys.stderr.write(f"{target} is out of date: run `python -m tempestweb_contract js-constants`\n")
            return 1
        return 0
    target.write_text(expected, encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
