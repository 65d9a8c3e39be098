"""tempestweb Mode B host: serve a tempest_core App from Starlette on Hypercorn.

The server prerenders the first view into an HTML shell, then streams DOM patches to the JS
client over WebSocket (or SSE + POST), with session resume, origin checks and bounded queues.
"""

from __future__ import annotations

from tempestweb_server._asgi import create_app
from tempestweb_server.config import ServerConfig
from tempestweb_server.errors import AppLoadError, ConfigError, ServerError
from tempestweb_server.loader import AppLoader, load_app
from tempestweb_server.runner import serve, serve_asgi
from tempestweb_server.sessions import SessionManager

__all__ = [
    "AppLoadError",
    "AppLoader",
    "ConfigError",
    "ServerConfig",
    "ServerError",
    "SessionManager",
    "create_app",
    "load_app",
    "serve",
    "serve_asgi",
]


def __dir__() -> list[str]:
    return list(__all__)
