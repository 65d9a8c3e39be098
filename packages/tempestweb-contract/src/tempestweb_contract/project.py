r"""The project schema, one definition for every mode and the CLI.

- ``tempestweb.toml``: :class:`ProjectConfig` (``[app]``, ``[server]``, ``[wasm]``, ``[desktop]``), read by
  :func:`load_project`; errors name the file and the key.
- App targets ``PATH[:ATTR]``: :func:`parse_target`; loading the app: :class:`AppLoader`,
  :func:`load_app`, :func:`import_app` (errors show the user's ``file:line``).
- Asset globs and scripts: :func:`resolve_assets`, :func:`resolve_scripts`,
  :func:`asset_glob_regex` (the same files served by Mode B and shipped by Mode A).
- Media types: :func:`media_type`, :data:`MEDIA_TYPES`.
- Mode A's interpreter: :data:`WASM_PYTHON_VERSION`, :data:`WASM_MARKER_ENVIRONMENT` (PEP 508
  markers, for the dependencies a Mode A build ships).

Mode packages turn the section they need into their own config (``ServerConfig``...); none of
them parses the file itself.

Example:
    >>> config = parse_project('[wasm]\nassets = ["static/*.png"]\n[server]\nport = 8080\n')
    >>> config.server.port, config.server_assets
    (8080, ('static/*.png',))

"""

from __future__ import annotations

from tempestweb_contract._project_assets import (
    MEDIA_TYPES,
    asset_glob_regex,
    media_type,
    relative_path_problem,
    resolve_assets,
    resolve_scripts,
)
from tempestweb_contract._project_errors import AppLoadError, AssetError, ProjectConfigError, ProjectError
from tempestweb_contract._project_target import (
    DEFAULT_APP_ATTR,
    AppLoader,
    AppTarget,
    forget_folder_modules,
    import_app,
    load_app,
    parse_target,
)
from tempestweb_contract._project_toml import (
    DEFAULT_APP_FILE,
    PROJECT_FILE,
    WASM_MARKER_ENVIRONMENT,
    WASM_PYTHON_VERSION,
    AppSection,
    DesktopSection,
    ProjectConfig,
    ServerSection,
    WasmSection,
    load_project,
    parse_project,
)

__all__ = [
    "DEFAULT_APP_ATTR",
    "DEFAULT_APP_FILE",
    "MEDIA_TYPES",
    "PROJECT_FILE",
    "WASM_MARKER_ENVIRONMENT",
    "WASM_PYTHON_VERSION",
    "AppLoadError",
    "AppLoader",
    "AppSection",
    "AppTarget",
    "AssetError",
    "DesktopSection",
    "ProjectConfig",
    "ProjectConfigError",
    "ProjectError",
    "ServerSection",
    "WasmSection",
    "asset_glob_regex",
    "forget_folder_modules",
    "import_app",
    "load_app",
    "load_project",
    "media_type",
    "parse_project",
    "parse_target",
    "relative_path_problem",
    "resolve_assets",
    "resolve_scripts",
]

for _name in __all__:  # documented and pickled as tempestweb_contract.project.<name>
    _value = globals()[_name]
    if isinstance(_value, type) or callable(_value):
        _value.__module__ = __name__


def __dir__() -> list[str]:
    return list(__all__)
