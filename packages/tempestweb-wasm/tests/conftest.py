from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

COUNTER_APP = textwrap.dedent(
    """
    from __future__ import annotations

    from dataclasses import dataclass, replace

    from tempest_core import App, html

    import helpers


    @dataclass(frozen=True)
    class State:
        count: int = 0


    def increment() -> None:
        app.set_state(lambda s: replace(s, count=s.count + 1))


    def explode() -> None:
        raise RuntimeError("kaboom from the handler")


    def view(state: State):  # noqa: ANN201
        return html.main(
            html.h1(helpers.TITLE),
            html.p("Count: ", html.span(str(state.count), id="count")),
            html.button("+", id="inc", type="button", on_click=increment),
            html.button("Explode", id="boom", type="button", on_click=explode),
            html.input(id="name", type="text"),
        )


    app = App(view=view, state=State(), title="Counter")
    """
)


@pytest.fixture
def counter_app(tmp_path: Path) -> Path:
    """A counter app folder: app.py, a vendored helpers module, an asset and tempestweb.toml."""
    folder = tmp_path / "counter"
    (folder / "static" / "img").mkdir(parents=True)
    (folder / "app.py").write_text(COUNTER_APP)
    (folder / "helpers.py").write_text('TITLE = "Counter"\n')
    (folder / "static" / "img" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (folder / "static" / "notes.txt").write_text("not an asset")
    (folder / "tempestweb.toml").write_text(
        '# project config\n[wasm]\nmodules = ["helpers"]\nassets = ["static/**/*.svg"]\n'
    )
    return folder


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    """Playwright's sync API, one per test module (skips without the ``playwright`` package)."""
    playwright_sync = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")
    with playwright_sync.sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright: Any) -> Iterator[Any]:
    """The system Chromium (``tempestweb_contract.testing``), headless, one per test module.

    Each test opens its own context (``browser.new_context()``), so no state is shared.
    """
    instance = playwright.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
    yield instance
    instance.close()
