"""jsfb browser suite: markup, keyed checks K1-K3 and every action, on the tempestweb example and the anchor.

The vanilla anchor (``bench/e2e/vanilla``) validates the checks themselves; a non-keyed variant that rewrites
row texts in place must fail K1, K2 and K3.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MODE_A_BOOT_TIMEOUT_MS, REFERENCE, VANILLA_JSFB
from jsfb_checks import ALL_CHECKS, WAIT_MS, Check, open_jsfb
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


@pytest.fixture(params=["vanilla", "mode-b", "mode-a"])
def jsfb_url(
    request: pytest.FixtureRequest,
    static_url: Callable[[Path], str],
    app_url: Callable[[str], str],
    wasm_url: Callable[[str], str],
) -> tuple[str, int]:
    """(base URL, readiness timeout in ms) of the jsfb app: vanilla JS, Mode B (server), Mode A (static)."""
    if request.param == "vanilla":
        return static_url(VANILLA_JSFB) + "index.html", WAIT_MS
    if request.param == "mode-b":
        return app_url("jsfb"), WAIT_MS
    return wasm_url("jsfb"), MODE_A_BOOT_TIMEOUT_MS


@pytest.mark.parametrize("check", list(ALL_CHECKS.values()), ids=list(ALL_CHECKS))
def test_jsfb(page: Page, jsfb_url: tuple[str, int], check: Check) -> None:
    url, ready_timeout_ms = jsfb_url
    open_jsfb(page, url, ready_timeout_ms=ready_timeout_ms)
    check(page)


@pytest.mark.parametrize(
    ("check", "symptom"),
    [("k1", "^K1:"), ("k2", "^K2:"), ("k3", "^K3:"), ("in_place", "^select made other mutations")],
)
def test_keyed_checks_fail_on_non_keyed_variant(
    page: Page, static_url: Callable[[Path], str], check: str, symptom: str
) -> None:
    """Self-check: a variant that recycles rows and rewrites all texts on every render fails these checks."""
    open_jsfb(page, static_url(REFERENCE / "jsfb_nonkeyed") + "index.html")
    with pytest.raises(AssertionError, match=symptom):
        ALL_CHECKS[check](page)


def test_non_keyed_variant_passes_the_non_keyed_checks(page: Page, static_url: Callable[[Path], str]) -> None:
    """The variant is otherwise correct, so the keyed failures above are about keying, not markup."""
    open_jsfb(page, static_url(REFERENCE / "jsfb_nonkeyed") + "index.html")
    ALL_CHECKS["actions"](page)
