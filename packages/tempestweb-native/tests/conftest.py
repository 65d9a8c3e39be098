from __future__ import annotations

from collections.abc import Iterator

import pytest

from tempestweb.native.testing import FakeNative, fake_native


@pytest.fixture
def fake() -> Iterator[FakeNative]:
    with fake_native() as installed:
        yield installed
