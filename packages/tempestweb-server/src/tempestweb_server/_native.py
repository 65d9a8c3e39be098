"""Serving the capability modules of ``tempestweb.native`` and its plugins under ``/_tw/native/``.

The installed distributions declare them in the ``tempestweb.capabilities`` entry-point group
(:mod:`tempestweb_contract.plugins`); this module serves exactly the JS files of their roots and
writes the ``<link rel="modulepreload" data-tw-capability>`` elements the shell puts in
``<head>``, so the client registers each capability by name. Nothing of a plugin is imported.
"""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from tempestweb_contract.plugins import (
    NATIVE_URL_PREFIX,
    PluginError,
    capability_links,
    capability_modules,
    js_files,
)
from tempestweb_server._assets import ClientFiles

__all__ = ["NATIVE_URL_PREFIX", "NativeModules"]

logger = logging.getLogger("tempestweb.server")


class NativeModules:
    """The installed capability modules: the files to serve and the links for the shell.

    A broken plugin (malformed entry point, missing file, two distributions claiming one name)
    is logged and leaves the page without any capability module, rather than failing the app.

    Attributes:
        links: HTML for ``<head>``: one ``modulepreload`` link per capability.
        files: ``"<root key>/<path>"`` -> file, every JS file served under ``/_tw/native/``.

    """

    def __init__(self) -> None:
        try:
            modules = capability_modules()
        except PluginError as exc:
            logger.error("native capabilities disabled: %s", exc.message)
            modules = {}
        self.links = capability_links(modules, base=NATIVE_URL_PREFIX)
        self.files: dict[str, Path] = js_files(modules)
        self._roots = {module.root_key: ClientFiles(module.root) for module in modules.values()}

    async def response(self, request: Request) -> Response:
        """Serve ``/_tw/native/<root key>/<path>``: one of :attr:`files`, else 404.

        Args:
            request: The request; its ``path`` parameter is ``<root key>/<path>``.

        Returns:
            The file with the client files' caching (ETag, 304), or 404.

        """
        path = str(request.path_params["path"])
        if path not in self.files:
            return PlainTextResponse(
                "not found", status_code=404, headers={"X-Content-Type-Options": "nosniff"}
            )
        root_key, _, relative = path.partition("/")
        return self._roots[root_key].response(request, relative)
