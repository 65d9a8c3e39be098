"""Fixtures of the tempestweb_server tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from server_fakes import make_client
from starlette.testclient import TestClient


@pytest.fixture
def client() -> Iterator[TestClient]:
    with make_client() as test_client:
        yield test_client
