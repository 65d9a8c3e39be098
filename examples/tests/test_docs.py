"""Every code block of the docs site (docs/**/*.md) and of the README is true.

- ``python`` blocks run **alone**, each in a fresh module namespace, as a reader copying one
  block would run it (no name leaks from a previous block). A block whose first line is
  ``# <name>.py`` is a file: the page's file blocks are written side by side into a temporary
  folder first, so ``from app import app`` in a test file finds the ``app.py`` block.
- ``test_*.py`` file blocks are run by pytest in a subprocess, in that folder; every test in
  them must pass (pytest-asyncio is turned off unless the block uses ``pytest.mark.asyncio``,
  so a snippet that claims to need nothing else really needs nothing else).
- ``toml`` blocks with tempestweb sections parse and validate with the project schema
  (``tempestweb_contract.project.parse_project``), as ``tempestweb.toml`` would.
- ``bash`` lines that run ``tempestweb ...`` parse with the real command line (click): the
  command and every option exist and take the values shown.
- the deployment recipe's nginx and Caddy blocks route the contract's endpoints (WebSocket
  upgrade, unbuffered SSE, the original ``Host``), and docs/protocol.md's limits and close codes
  are the contract's constants;
- ``pyi`` blocks are signature summaries (not runnable, on purpose); any other Python-like fence
  (``py``, ``python3``, ``pycon``) is refused, so no Python block escapes this test.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PAGES = [*sorted(DOCS.rglob("*.md")), REPO / "README.md"]
FENCE = re.compile(
    r"^(?P<indent>[ ]*)```(?P<lang>[\w+-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ ]*$", re.DOTALL | re.M
)
FILE_NAME = re.compile(r"#\s*(?P<name>[\w/.-]+\.py)\b")
UNTESTED_PYTHON = {"py", "python3", "pycon", "py3"}
PROJECT_SECTIONS = {"app", "server", "wasm", "desktop"}


@dataclass(frozen=True)
class Block:
    page: Path
    number: int  # 1-based, among the page's blocks of this language
    lang: str
    code: str

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(REPO).as_posix()}:{self.lang}{self.number}"

    @property
    def file_name(self) -> str | None:
        """``app.py`` when the block's first line is ``# app.py`` (maybe with a comment after)."""
        first = self.code.lstrip("\n").partition("\n")[0]
        match = FILE_NAME.fullmatch(first.strip()) or FILE_NAME.match(first.strip())
        return match.group("name") if match and first.strip().startswith("#") else None


def _blocks(page: Path) -> list[Block]:
    found: list[Block] = []
    counts: dict[str, int] = {}
    for match in FENCE.finditer(page.read_text("utf-8")):
        lang = match.group("lang").lower()
        indent = len(match.group("indent"))
        body = "".join(line[indent:] for line in match.group("body").splitlines(keepends=True))
        counts[lang] = counts.get(lang, 0) + 1
        found.append(Block(page, counts[lang], lang, body))
    return found


BLOCKS = [block for page in PAGES for block in _blocks(page)]
PYTHON = [block for block in BLOCKS if block.lang == "python"]


def _files_dir(page: Path, tmp_path: Path) -> Path:
    """Write every file block of ``page`` into ``tmp_path``; return it."""
    for block in _blocks(page):
        if block.lang == "python" and block.file_name:
            target = tmp_path / block.file_name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.code, "utf-8")
    return tmp_path


def test_every_page_has_its_blocks_found() -> None:
    """The collector sees the pages' blocks (a fence regex that matches nothing tests nothing)."""
    assert len(PAGES) >= 15
    assert len(PYTHON) >= 25
    by_page = {block.page.name for block in PYTHON}
    assert {"guide.md", "README.md", "forms.md", "testing.md", "native.md"} <= by_page


def test_no_untested_python_fence() -> None:
    untested = [block.id for block in BLOCKS if block.lang in UNTESTED_PYTHON]
    assert not untested, f"use ```python (run) or ```pyi (a signature summary): {untested}"


SCRIPTS = [block for block in PYTHON if not (block.file_name or "").startswith("test_")]
TEST_FILES = [block for block in PYTHON if (block.file_name or "").startswith("test_")]


@pytest.mark.parametrize("block", SCRIPTS, ids=lambda b: b.id)
def test_python_block_runs_alone(
    block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each block runs on its own, in a fresh module (``dataclasses`` look their module up)."""
    defines_tests = re.search(r"^(?:async )?def test_", block.code, re.MULTILINE)
    assert not defines_tests, "a block defining tests must be a '# test_<name>.py' file: pytest runs those"
    folder = _files_dir(block.page, tmp_path)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.chdir(folder)
    module = types.ModuleType(f"tempestweb_doc_block_{block.number}")
    module.__file__ = str(folder / (block.file_name or "block.py"))
    monkeypatch.setitem(sys.modules, module.__name__, module)
    for name in ("app", "test_app"):  # a previous page's app.py must not answer this page's import
        monkeypatch.delitem(sys.modules, name, raising=False)
    exec(compile(block.code, block.id, "exec"), module.__dict__)


@pytest.mark.parametrize("block", TEST_FILES, ids=lambda b: b.id)
def test_test_file_block_passes_under_pytest(block: Block, tmp_path: Path) -> None:
    """A ``# test_*.py`` block passes as written: ``python -m pytest test_x.py`` next to its app."""
    folder = _files_dir(block.page, tmp_path)
    plugins = [] if "pytest.mark.asyncio" in block.code else ["-p", "no:asyncio"]
    options = ["-q", "-p", "no:cacheprovider", *plugins]
    command = [sys.executable, "-m", "pytest", *options, block.file_name or ""]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    output = result.stdout + result.stderr
    expected = len(re.findall(r"^(?:async )?def test_", block.code, re.MULTILINE))
    assert result.returncode == 0, output
    assert re.search(rf"\b{expected} passed\b", output), output
    assert "skipped" not in output and "xfail" not in output, output


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.lang == "toml"], ids=lambda b: b.id)
def test_toml_block_is_a_valid_project_file(block: Block) -> None:
    data = tomllib.loads(block.code)
    if set(data) & PROJECT_SECTIONS:
        from tempestweb_contract.project import parse_project

        parse_project(block.code)


def _command_lines(block: Block) -> list[list[str]]:
    lines, pending = [], ""
    for raw in block.code.splitlines():
        line = pending + raw.split(" #", 1)[0].rstrip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        words = shlex.split(line, comments=True)
        if words and words[0] == "tempestweb":
            lines.append(words[1:])
    return lines


CLI_LINES = [
    pytest.param(words, id=f"{block.id}:{' '.join(words)[:40]}")
    for block in BLOCKS
    if block.lang in ("bash", "console", "sh")
    for words in _command_lines(block)
]


@pytest.mark.parametrize("words", CLI_LINES)
def test_cli_line_parses(words: list[str]) -> None:
    """``tempestweb <command> [options]`` as shown: the command and options exist (not run)."""
    import click

    from tempestweb_cli import cli

    with cli.make_context("tempestweb", list(words), resilient_parsing=False) as group_ctx:
        command = cli.get_command(group_ctx, words[0])
        assert isinstance(command, click.Command), f"no command {words[0]!r}"
        command.make_context(words[0], list(words[1:]), parent=group_ctx)


def test_cli_lines_found() -> None:
    assert len(CLI_LINES) >= 10


def test_proxy_configs_route_the_transports() -> None:
    """The nginx and Caddy configurations of the deployment recipe match the server's endpoints."""
    from tempestweb_cli.constants import DEFAULT_PORT
    from tempestweb_contract.names import ENDPOINT_PREFIX, SSE_PATH, WS_PATH

    page = DOCS / "cookbook" / "deployment.md"
    nginx = [block.code for block in _blocks(page) if block.lang == "nginx"]
    caddy = [block.code for block in _blocks(page) if block.lang == "caddyfile"]
    assert len(nginx) == 2 and len(caddy) == 2
    locations = dict(re.findall(r"location (\S+) \{(.*?)\n    \}", nginx[0], re.DOTALL))
    ws, sse = locations[f"{ENDPOINT_PREFIX}{WS_PATH}"], locations[f"{ENDPOINT_PREFIX}{SSE_PATH}"]
    for needed in ("proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;",
                   'proxy_set_header Connection "upgrade";', "proxy_set_header Host $host;"):  # fmt: skip
        assert needed in ws, needed
    for needed in ("proxy_buffering off;", "proxy_set_header Host $host;"):
        assert needed in sse, needed
    assert re.search(r"^    proxy_set_header Host \$host;", nginx[0], re.MULTILINE)  # for every other path
    assert f"server 127.0.0.1:{DEFAULT_PORT};" in nginx[0]
    assert f"reverse_proxy 127.0.0.1:{DEFAULT_PORT}" in caddy[0]
    assert "try_files $uri $uri/ /index.html;" in nginx[1] and "try_files {path} /index.html" in caddy[1]


def _number(text: str) -> int:
    units = {"KiB": 1024, "MiB": 1024 * 1024}
    value, _, unit = text.strip().replace(",", "").partition(" ")
    return int(value) * units.get(unit, 1)


def test_protocol_page_states_the_contract_constants() -> None:
    """docs/protocol.md's limits and close codes are the contract's (a changed limit updates the page)."""
    from tempestweb_contract import constants

    text = (DOCS / "protocol.md").read_text("utf-8")
    rows = re.findall(r"^\|[^|\n]*\| `([A-Z_]+)` \| ([^|\n]+) \|$", text, re.MULTILINE)
    assert len(rows) >= 5
    for name, value in rows:
        assert _number(value) == getattr(constants, name), name
    stated = dict(re.findall(r"`((?:CLOSE|MAX)_[A-Z_]+)`\s+\(?(\d+)\)?", text))
    assert {"CLOSE_NORMAL", "CLOSE_POLICY_VIOLATION", "MAX_ERROR_MESSAGE_CHARS"} <= set(stated)
    for name, value in stated.items():
        assert int(value) == getattr(constants, name), name
