"""Fixtures of the tempestweb_server tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from server_cluster import redis_server
from server_fakes import make_client
from starlette.testclient import TestClient


@pytest.fixture
def client() -> Iterator[TestClient]:
    with make_client() as test_client:
        yield test_client


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A private ``redis-server`` for one test (the cluster tests); its ``redis://`` URL."""
    with redis_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """System Chromium through Playwright's sync API, one per test module (a browser test module
    leaves no Playwright loop behind for the asyncio tests of the next module)."""
    from playwright import sync_api as playwright_api

    from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        try:
            yield instance
        finally:
            instance.close()
