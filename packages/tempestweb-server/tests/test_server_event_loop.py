"""``ServerConfig.event_loop``: uvloop where installed (``auto``), asyncio's loop on request."""

from __future__ import annotations

import asyncio
import signal
import sys

import httpx
import pytest
from server_live import free_port, python_server

from tempestweb_server import ServerConfig
from tempestweb_server._loop import loop_factory, run
from tempestweb_server.errors import ConfigError

uvloop = pytest.importorskip("uvloop")  # a dependency of tempestweb-server on CPython outside Windows


def test_auto_picks_uvloop_where_installed_and_asyncio_under_granian() -> None:
    assert loop_factory(ServerConfig()) is uvloop.new_event_loop
    assert loop_factory(ServerConfig(event_loop="uvloop")) is uvloop.new_event_loop
    assert loop_factory(ServerConfig(event_loop="asyncio")) is None
    assert loop_factory(ServerConfig(asgi_server="granian", ws_compression="off")) is None


def test_a_missing_uvloop_is_asyncio_under_auto_and_a_typed_error_when_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # as on Windows or PyPy: not importable
    assert loop_factory(ServerConfig()) is None
    with pytest.raises(ConfigError, match="'uvloop' is not installed here"):
        loop_factory(ServerConfig(event_loop="uvloop"))

    async def never() -> None:
        raise AssertionError("started")

    with pytest.raises(ConfigError):
        run(never(), ServerConfig(event_loop="uvloop"))  # the coroutine is closed, not leaked


def test_run_runs_on_the_chosen_loop() -> None:
    async def loop_kind() -> str:
        return type(asyncio.get_running_loop()).__module__.partition(".")[0]

    assert run(loop_kind(), ServerConfig()) == "uvloop"
    assert run(loop_kind(), ServerConfig(event_loop="asyncio")) == "asyncio"


# (not named event_loop: pytest-asyncio before 0.23 takes that name for its fixture)
@pytest.mark.parametrize(("setting", "expected"), [("auto", "uvloop"), ("asyncio", "asyncio")])
def test_serve_answers_pages_on_either_loop(setting: str, expected: str) -> None:
    script = (
        "import sys\n"
        "from tempest_core import App, Text\n"
        "from tempestweb_server import serve\n"
        "serve(App(view=lambda s: Text('hi'), title='T'), port=int(sys.argv[1]), event_loop=sys.argv[2])\n"
    )
    port = free_port()
    with python_server(script, str(port), setting, port=port) as process:
        response = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert response.status_code == 200 and ">hi<" in response.text
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert f"serving on http://127.0.0.1:{port}/ on {expected}" in output, output
    assert "Traceback" not in output
