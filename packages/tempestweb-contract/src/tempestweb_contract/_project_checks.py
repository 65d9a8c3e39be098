"""Type and value checks of ``tempestweb.toml`` keys: what each key accepts, and the messages."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Final
from urllib.parse import urlsplit

import msgspec

from tempestweb_contract._project_assets import relative_path_problem
from tempestweb_contract.constants import MAX_FRAME_BYTES, MIN_FRAME_BYTES

__all__ = ["describe", "kind_of", "typed_value", "value_problem"]

_MAX_PORT: Final = 65535
_MAX_WINDOW_PX: Final = 16384
_MODULE_RE: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def kind_of(info: msgspec.inspect.Type) -> str:
    """Name the TOML type a model field takes.

    Returns:
        ``"str"``, ``"int"``, ``"float"``, ``"bool"`` or ``"list of str"``.

    """
    if isinstance(info, msgspec.inspect.UnionType):
        (info,) = (member for member in info.types if not isinstance(member, msgspec.inspect.NoneType))
    if isinstance(info, msgspec.inspect.VarTupleType):
        return "list of str"
    kinds = {
        msgspec.inspect.StrType: "str",
        msgspec.inspect.IntType: "int",
        msgspec.inspect.FloatType: "float",
        msgspec.inspect.BoolType: "bool",
    }
    return kinds[type(info)]


def typed_value(kind: str, value: object) -> tuple[object, str | None]:
    """Return ``(value as the model holds it, None)`` or ``(value, ": <problem>")``."""
    if kind == "str" and isinstance(value, str):
        return value, None
    if kind == "bool" and isinstance(value, bool):
        return value, None
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value, None
    if kind == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), None
    if kind == "list of str" and isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, str):
                return value, f"[{index}]: expected str, got {describe(item)}"
        return tuple(value), None
    return value, f": expected {kind}, got {describe(value)}"


def describe(value: object) -> str:
    """Describe a TOML value for an error message, e.g. ``str "80a"`` or ``bool true``."""
    if isinstance(value, bool):
        return f"bool {'true' if value else 'false'}"
    if isinstance(value, str):
        return f"str {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "table"
    return f"{type(value).__name__} {value}"


def _positive_seconds(value: object) -> str | None:
    if isinstance(value, float) and math.isfinite(value) and value > 0:
        return None
    return f"expected a positive number of seconds, got {value}"


def _one_of(*choices: str) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        return None if value in choices else f"expected one of {', '.join(map(repr, choices))}, got {value!r}"

    return check


def _at_least_one(value: object) -> str | None:
    return None if isinstance(value, int) and value >= 1 else f"expected an int >= 1, got {value}"


def _frame_bytes(value: object) -> str | None:
    if isinstance(value, int) and MIN_FRAME_BYTES <= value <= MAX_FRAME_BYTES:
        return None
    return f"expected an int in {MIN_FRAME_BYTES}..{MAX_FRAME_BYTES} (64 KiB to 16 MiB), got {value}"


def _port(value: object) -> str | None:
    if isinstance(value, int) and 0 <= value <= _MAX_PORT:
        return None
    return f"expected an int in 0..{_MAX_PORT}, got {value}"


def _redis_url(value: object) -> str | None:
    text = str(value)
    if text.startswith(("redis://", "rediss://", "unix://")):
        return None
    return f"expected a URL starting with redis://, rediss:// or unix://, got {json.dumps(text[:60])}"


def _origin(value: str) -> str | None:
    """Accept an ``Origin`` a browser sends (RFC 6454): ``scheme://host[:port]``, ``"*"`` or ``"null"``."""
    if value in ("*", "null"):
        return None
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError for a port that is not a number in 0..65535
    except ValueError:
        parts = None
    if (
        parts is not None
        and "://" in value
        and parts.scheme
        and parts.hostname
        and parts.path in ("", "/")
        and not (parts.query or parts.fragment or parts.username or parts.password)
    ):
        return None
    shown = json.dumps(value[:80], ensure_ascii=False)
    return f"{shown} is not an origin: expected scheme://host[:port] (e.g. 'https://app.example.com') or '*'"


def _non_empty(value: object) -> str | None:
    return None if isinstance(value, str) and value.strip() else "expected a non-empty string"


def _window_size(value: object) -> str | None:
    if isinstance(value, int) and 1 <= value <= _MAX_WINDOW_PX:
        return None
    return f"expected an int in 1..{_MAX_WINDOW_PX}, got {value}"


def _permission(value: str) -> str | None:
    plugin, sep, name = value.partition(":")
    if sep and plugin.strip() and name.strip():
        return None
    return f"{value!r} is not '<plugin>:<permission>' (e.g. 'dialog:default')"


def _app_module(value: object) -> str | None:
    text = str(value)
    if text.endswith(".py") or "/" in text:
        return relative_path_problem(text)
    if _MODULE_RE.match(text):
        return None
    return f"{text!r} is neither a relative .py path nor a module name (e.g. 'pkg.main')"


def _each(check: Callable[[str], str | None]) -> Callable[[object], str | None]:
    def run(values: object) -> str | None:
        for index, item in enumerate(values if isinstance(values, tuple) else ()):
            problem = check(item)
            if problem is not None:
                return f"[{index}]: {problem}"
        return None

    return run


def _requirement(value: str) -> str | None:
    return None if value.strip() else "empty requirement string"


def _module_name(value: str) -> str | None:
    if _MODULE_RE.match(value):
        return None
    return f"{value!r} is not a module name (e.g. 'helpers' or 'pkg.sub')"


_VALUE_CHECKS: Final[dict[tuple[str, str], Callable[[object], str | None]]] = {
    ("app", "module"): _app_module,
    ("app", "mode"): _non_empty,
    ("server", "host"): _non_empty,
    ("server", "port"): _port,
    ("server", "allowed_origins"): _each(_origin),
    ("server", "recovery_window_s"): _positive_seconds,
    ("server", "ping_interval_s"): _positive_seconds,
    ("server", "handshake_timeout_s"): _positive_seconds,
    ("server", "send_timeout_s"): _positive_seconds,
    ("server", "max_handshakes"): _at_least_one,
    ("server", "body_timeout_s"): _positive_seconds,
    ("server", "body_min_rate"): _at_least_one,
    ("server", "max_upload_bytes"): _at_least_one,
    ("server", "max_sessions"): _at_least_one,
    ("server", "max_loop_lag_s"): _positive_seconds,
    ("server", "asgi_server"): _one_of("hypercorn", "uvicorn", "granian"),
    ("server", "event_loop"): _one_of("auto", "uvloop", "asyncio"),
    ("server", "ws_compression"): _one_of("no_context_takeover", "context_takeover", "off"),
    ("server", "max_queue_bytes"): _at_least_one,
    ("server", "max_total_replay_bytes"): _at_least_one,
    ("server", "max_total_queue_bytes"): _at_least_one,
    ("server", "max_frame_bytes"): _frame_bytes,
    ("server", "max_inbox_bytes"): _at_least_one,
    ("server", "workers"): _at_least_one,
    ("server", "worker_timeout_s"): _positive_seconds,
    ("server", "redis"): _redis_url,
    ("server", "assets"): _each(relative_path_problem),
    ("wasm", "packages"): _each(_requirement),
    ("wasm", "modules"): _each(_module_name),
    ("wasm", "assets"): _each(relative_path_problem),
    ("wasm", "scripts"): _each(relative_path_problem),
    ("desktop", "width"): _window_size,
    ("desktop", "height"): _window_size,
    ("desktop", "plugins"): _each(lambda name: None if name.strip() else "empty plugin name"),
    ("desktop", "permissions"): _each(_permission),
    ("desktop", "identifier"): _non_empty,
}


def value_problem(section: str, key: str, value: object) -> str | None:
    """Return ``"<key>: <problem>"`` / ``"<key>[i]: <problem>"`` for a bad value, else ``None``."""
    check = _VALUE_CHECKS.get((section, key))
    problem = None if check is None else check(value)
    if problem is None:
        return None
    return f"{key}{problem}" if problem.startswith("[") else f"{key}: {problem}"
