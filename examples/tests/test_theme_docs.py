"""docs/theme.md lists every design token with its current default values (light and dark)."""

from __future__ import annotations

from pathlib import Path

from tempest_core.theme import DEFAULT_THEME, TOKEN_NAMES

PAGE = Path(__file__).resolve().parents[2] / "docs" / "theme.md"


def test_token_table_matches_the_default_theme() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for name in TOKEN_NAMES:
        prop = f"--tw-{name}"
        light, dark = DEFAULT_THEME.light[prop], DEFAULT_THEME.dark[prop]
        row = f"| `{prop}` | `{light}` | `{dark}` |" if light != dark else f"| `{prop}` | `{light}` |"
        assert row in text, f"docs/theme.md: no row {row!r}"
    rules = DEFAULT_THEME.stylesheet().rules
    size_kb = sum(map(len, rules)) / 1000
    assert f"{len(rules)} rules, about {size_kb:.1f} KB" in text
