"""``file.save``'s file-name rule: one table of names, checked in Python and in the page's ``file.js``.

The rule is written in ``tempestweb/native/file.py`` (the typed error before the data is sent,
and under the fake) and in ``client/native/file.js`` (the page cannot trust its caller: a direct
``tempestweb_contract.native.call("file", "save", ...)`` and page code importing the module skip
Python, and a line break in a download's name ends a desktop window's IPC). The two used to
differ: the page saved a blank name such as ``"   "`` that Python refused, and Python saved a
name holding U+0085 (NEL), U+2028 or U+FEFF alone. Both now answer ``tests/file_names.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_browser import bridged, origin  # noqa: F401  (origin: a fixture used below)

from tempestweb.native import file
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.file import _BAD_CHARACTER, _BLANK
from tempestweb.native.plugins import capability_modules
from tempestweb.native.testing import FakeNative

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "file_names.json").read_text(encoding="utf-8")
)["cases"]


def _case_id(case: dict[str, Any]) -> str:
    return ascii(case["name"])[:40]


def test_the_table_has_both_outcomes_and_no_name_twice() -> None:
    names = [json.dumps(case["name"]) for case in CASES]
    assert len(set(names)) == len(names)
    assert {case["ok"] for case in CASES} == {True, False}


@pytest.mark.parametrize("case", CASES, ids=_case_id)
async def test_python_applies_the_table(fake: FakeNative, case: dict[str, Any]) -> None:
    if case["ok"]:
        result = await file.save(case["name"], b"x", prefer="download")
        assert result.method == "download"
        assert [call.args["filename"] for call in fake.calls] == [case["name"]]  # sent as given
    else:
        with pytest.raises(InvalidArgumentError, match="bad file name"):
            await file.save(case["name"], b"x", prefer="download")
        assert fake.calls == []


def test_the_page_spells_the_same_character_classes() -> None:
    source = (capability_modules()["file"].root / "native" / "file.js").read_text(encoding="utf-8")
    bad = re.search(r"^const BAD_NAME = /(.*)/;$", source, re.MULTILINE)
    blank = re.search(r"^const BLANK_NAME = /\^(.*)\$/;$", source, re.MULTILINE)
    assert bad is not None and blank is not None
    assert bad.group(1) == _BAD_CHARACTER.pattern
    assert blank.group(1) == _BLANK.pattern


_SAVE_EACH = """async ([url, names]) => {
    const module = await import(url);
    const outcomes = [];
    for (const filename of names) {
        try {
            await module.save({ filename, data: "eA==", prefer: "download" });
            outcomes.push("ok");
        } catch (e) {
            outcomes.push(String(e.code ?? e.name));
        }
    }
    return outcomes;
}"""


@pytest.mark.browser
async def test_the_page_applies_the_table(origin: str) -> None:  # noqa: F811
    url = f"{origin}/{capability_modules()['file'].relative}"
    async with bridged(origin + "/", accept_downloads=False) as page:
        outcomes = await page.evaluate(_SAVE_EACH, [url, [case["name"] for case in CASES]])
    expected = ["ok" if case["ok"] else "invalid_argument" for case in CASES]
    wrong = [
        (case["name"], got) for case, got, want in zip(CASES, outcomes, expected, strict=True) if got != want
    ]
    assert wrong == []
