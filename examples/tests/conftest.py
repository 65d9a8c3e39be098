"""Fixtures of the example browser suites: Chromium, a 1000x900 page, static and app servers."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).parent))

from servers import REPO, AppServer, StaticServer, WasmSite, package_src_paths

from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

REFERENCE = Path(__file__).parent / "reference"
VANILLA_JSFB = REPO / "bench" / "e2e" / "vanilla"

for _src in package_src_paths():
    if _src not in sys.path:
        sys.path.append(_src)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests without the ``browser`` mark first, in their order, then the browser tests.

    The session's Chromium comes from Playwright's sync API, which keeps an event loop running in
    the main thread from the first browser test to the end of the session; an ``async`` test or
    an ``asyncio.run()`` after it cannot start its own loop there ("Cannot run the event loop
    while another loop is running"). Ordering the headless tests first lets one pytest process
    run this whole folder (nox's e2e session runs the two groups apart as well).
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the session (system Chromium when present)."""
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh profile (new context, no cookies or storage) and page, viewport 1000x900."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def servers() -> Iterator[ExitStack]:
    """Owner of every server started during the session; all are stopped at the end."""
    with ExitStack() as stack:
        yield stack


@pytest.fixture(scope="session")
def static_url(servers: ExitStack) -> Callable[[Path], str]:
    """Factory: base URL of a stdlib static server for a directory (one server per directory)."""
    cache: dict[Path, str] = {}

    def get(directory: Path) -> str:
        if directory not in cache:
            cache[directory] = servers.enter_context(StaticServer(directory)).url
        return cache[directory]

    return get


def _missing_host() -> str | None:
    for mod in ("tempestweb_server", "tempest_core"):
        if importlib.util.find_spec(mod) is None:
            return mod
    if not (REPO / "client" / "src" / "boot.js").exists():
        return "client/src/boot.js"
    return None


@pytest.fixture(scope="session")
def app_url(servers: ExitStack) -> Callable[[str], str]:
    """Factory: base URL of ``tempestweb run examples/<name>`` (one CLI subprocess per example)."""
    cache: dict[str, str] = {}

    def get(name: str) -> str:
        missing = _missing_host()
        if missing is not None:
            pytest.skip(f"Mode B host not available: {missing} is missing")
        if name not in cache:
            cache[name] = servers.enter_context(AppServer(REPO / "examples" / name)).url
        return cache[name]

    return get


MODE_A_BOOT_TIMEOUT_MS = 180_000
"""First (cold) boot of a Mode A page: Pyodide compiles ~10 MB of wasm; generous for loaded CI."""


@pytest.fixture(scope="session")
def wasm_url(servers: ExitStack, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """Factory: base URL of ``examples/<name>`` built for Mode A and served by ``python -m http.server``."""
    cache: dict[str, str] = {}

    def get(name: str) -> str:
        if importlib.util.find_spec("tempestweb_wasm") is None:
            pytest.skip("Mode A builder not available: tempestweb_wasm is missing")
        if name not in cache:
            out = tmp_path_factory.mktemp("wasm-" + name.replace("/", "-")) / "site"
            cache[name] = servers.enter_context(WasmSite(REPO / "examples" / name, out)).url
        return cache[name]

    return get
