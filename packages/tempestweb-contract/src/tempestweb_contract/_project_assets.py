"""Asset globs and scripts: which files of the app folder a page may load, in every mode.

One rule, used by Mode B (served at ``/<path>``) and Mode A (copied to ``<build>/<path>``):

- globs use the :meth:`pathlib.Path.glob` language (``*``, ``?``, ``[...]`` within one path
  segment; a ``**`` segment is zero or more folders; a trailing ``**`` is every file below),
  relative to the app folder; ``*`` matches names starting with a dot;
- a file's path is its path *as matched* (a symlink keeps its own name), POSIX, relative to the
  app folder;
- symlinks are followed when their target is inside the app folder: a symlinked file, and a
  symlinked folder named by a glob segment (``media/*.png`` with ``media -> static/img``); a
  matched file whose real path is outside the app folder is an :class:`AssetError` (so is a
  ``..``). As with :meth:`pathlib.Path.glob`, ``**`` does not descend into symlinked folders
  (no loops, no second path to one file);
- a glob that matches no file is an error (a typo would ship a broken app), and nothing may be
  under the reserved ``/_tw/`` prefix.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Final

from tempestweb_contract._project_errors import AssetError
from tempestweb_contract.names import ENDPOINT_PREFIX

__all__ = [
    "MEDIA_TYPES",
    "asset_glob_regex",
    "media_type",
    "relative_path_problem",
    "resolve_assets",
    "resolve_scripts",
]

_URL_RE: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DRIVE_RE: Final = re.compile(r"^[A-Za-z]:")
_RESERVED: Final = ENDPOINT_PREFIX.strip("/")
_GLOB_CHARS: Final = frozenset("*?[")

MEDIA_TYPES: Final = MappingProxyType(
    {
        ".html": "text/html; charset=utf-8",
        ".htm": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".map": "application/json",
        ".webmanifest": "application/manifest+json",
        ".txt": "text/plain; charset=utf-8",
        ".md": "text/markdown; charset=utf-8",
        ".csv": "text/csv; charset=utf-8",
        ".py": "text/x-python; charset=utf-8",
        ".xml": "application/xml",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".gif": "image/gif",
        ".webp": "image/webp",
        ".avif": "image/avif",
        ".ico": "image/x-icon",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".ttf": "font/ttf",
        ".otf": "font/otf",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
        ".zip": "application/zip",
        ".mp4": "video/mp4",
        ".webm": "video/webm",
        ".mp3": "audio/mpeg",
        ".ogg": "audio/ogg",
        ".wav": "audio/wav",
        ".pdf": "application/pdf",
    }
)
"""Lower-case file suffix -> ``Content-Type`` for the common web formats, the same on every
platform (the system ``mime.types`` tables differ). ``.wasm`` must be ``application/wasm`` for
``WebAssembly.instantiateStreaming``; module scripts need a JavaScript type (HTML, "module
scripts")."""


def media_type(path: str, /) -> str:
    """Return the ``Content-Type`` a file is served with, in every mode.

    Args:
        path: File name or path; only its suffix matters.

    Returns:
        :data:`MEDIA_TYPES`' entry, else :func:`mimetypes.guess_type`'s guess (``charset=utf-8``
        added to ``text/*``), else ``application/octet-stream`` (also for compressed files
        such as ``x.tar.gz``, served as they are).

    Example:
        >>> media_type("static/logo.svg")
        'image/svg+xml'

    """
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in MEDIA_TYPES:
        return MEDIA_TYPES[suffix]
    guessed, encoding = mimetypes.guess_type(path, strict=True)
    if guessed is None or encoding is not None:
        return "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def relative_path_problem(value: str, /) -> str | None:
    """Say what is wrong with a path or glob that must stay inside the app folder.

    Args:
        value: An asset glob, a script path or an app module path, as written by the user.

    Returns:
        ``None`` when it is a non-empty path relative to the app folder, else the problem
        (empty, a URL, absolute, or leaving the folder with ``..``).

    """
    if not value.strip():
        return "empty path"
    if _URL_RE.match(value) and not re.match(r"^[A-Za-z]:[\\/]", value):
        return f"{value!r} is a URL; only files inside the app folder can be used"
    posix = PurePosixPath(value.replace("\\", "/"))
    if posix.is_absolute() or _DRIVE_RE.match(value):
        return f"{value!r} is absolute; give a path relative to the app folder"
    if ".." in posix.parts:
        return f"{value!r} leaves the app folder ('..')"
    return None


def _segment_regex(segment: str) -> str:
    regex, i = "", 0
    while i < len(segment):
        char = segment[i]
        close = segment.find("]", i + 2) if char == "[" else -1
        if char == "*":
            regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        elif close != -1:
            body = segment[i + 1 : close]
            body = "^" + body[1:] if body.startswith("!") else body
            regex += f"[{body.replace(chr(92), chr(92) * 2)}]"
            i = close
        else:
            regex += re.escape(char)
        i += 1
    return regex


def _segments(pattern: str) -> list[str]:
    return [part for part in pattern.replace("\\", "/").split("/") if part not in ("", ".")]


def asset_glob_regex(pattern: str, /) -> re.Pattern[str]:
    """Compile an asset glob to a regex over POSIX paths relative to the app folder.

    A path matches exactly when :func:`resolve_assets` would list it (symlinks aside).

    Args:
        pattern: The glob, e.g. ``"static/**/*.svg"``.

    Returns:
        A pattern to use with ``fullmatch`` on e.g. ``"static/img/logo.svg"``.

    Example:
        >>> bool(asset_glob_regex("static/**/*.svg").fullmatch("static/a/b/logo.svg"))
        True

    """
    parts: list[str] = []
    segments = _segments(pattern)
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            parts.append(".*" if last else "(?:[^/]+/)*")
        else:
            parts.append(_segment_regex(segment) + ("" if last else "/"))
    return re.compile("".join(parts))


def resolve_assets(
    app_dir: str | Path, patterns: tuple[str, ...], /, *, where: str = "assets"
) -> dict[str, Path]:
    """Expand asset globs to the files they name (see the module docstring for the rule).

    Args:
        app_dir: The app folder the globs are relative to.
        patterns: The globs, e.g. ``("static/*.png", "fonts/**/*.woff2")``.
        where: What the globs are, for error messages (``"[wasm] assets"``, ``"ServerConfig.assets"``).

    Returns:
        POSIX path relative to the app folder (``"static/logo.png"``) -> the real file it
        names, sorted by path. Mode B serves each at ``/<path>``, Mode A copies it to
        ``<build>/<path>``.

    Raises:
        AssetError: The app folder is not a directory; a glob is empty, absolute, a URL or
            has ``..``; a glob matches no file; a matched file is a symlink to a file outside the
            app folder, or is under ``_tw/``. The message names ``where`` and the glob.

    """
    base, root = _folder(app_dir, where)
    found: dict[str, Path] = {}
    for pattern in patterns:
        label = f"{where}: {pattern!r}"
        problem = relative_path_problem(pattern)
        if problem is not None:
            raise AssetError(f"{where}: {problem}")
        segments = _segments(pattern)
        matches = sorted(dict.fromkeys(_expand(base, (), segments, 0)))
        if not matches:
            raise AssetError(f"{label} matches no file under {base}")
        for parts in matches:
            relative = "/".join(parts)
            found[relative] = _admit(base, root, relative, label)
    return dict(sorted(found.items()))


def resolve_scripts(
    app_dir: str | Path, scripts: tuple[str, ...], /, *, where: str = "scripts"
) -> dict[str, Path]:
    """Check the script paths every page loads (``[wasm].scripts``) and find their files.

    Args:
        app_dir: The app folder the paths are relative to.
        scripts: Paths such as ``("js/chart.js",)``, in load order.
        where: What the paths are, for error messages.

    Returns:
        POSIX path relative to the app folder -> the real file, in the given order.

    Raises:
        AssetError: A path is empty, absolute, a URL, has ``..``, is not a file, is a symlink
            to a file outside the app folder, or is under ``_tw/``.

    """
    base, root = _folder(app_dir, where)
    found: dict[str, Path] = {}
    for script in scripts:
        problem = relative_path_problem(script)
        if problem is not None:
            raise AssetError(f"{where}: {problem}")
        relative = "/".join(_segments(script))
        if not (base / relative).is_file():
            raise AssetError(f"{where}: {script!r} does not exist under {base}")
        found[relative] = _admit(base, root, relative, f"{where}: {script!r}")
    return found


def _folder(app_dir: str | Path, where: str) -> tuple[Path, Path]:
    base = Path(app_dir).absolute()
    if not base.is_dir():
        raise AssetError(f"{where}: the app folder {base} is not a directory")
    return base, base.resolve()


def _admit(base: Path, root: Path, relative: str, label: str) -> Path:
    if relative.split("/", 1)[0] == _RESERVED:
        raise AssetError(f"{label}: {relative} is under {ENDPOINT_PREFIX}/, which is reserved for the host")
    real = (base / relative).resolve()
    if not real.is_relative_to(root):
        raise AssetError(f"{label}: {relative} is a symlink to {real}, outside the app folder {base}")
    return real


def _entries(directory: Path) -> list[tuple[str, bool, bool, bool]]:
    """``(name, is a folder, is a file, is a symlink)`` of each entry of ``directory``, sorted.

    Folders and files are told apart through symlinks; an unreadable folder has no entries.
    """
    try:
        with os.scandir(directory) as scan:
            entries = [
                (entry.name, _is(entry.is_dir), _is(entry.is_file), entry.is_symlink()) for entry in scan
            ]
    except OSError:
        return []
    return sorted(entries)


def _is(probe: Callable[[], bool]) -> bool:
    try:
        return probe()
    except OSError:
        return False


def _expand(base: Path, rel: tuple[str, ...], segments: list[str], index: int) -> Iterator[tuple[str, ...]]:
    """Yield the relative paths of the files below ``base/rel`` that ``segments[index:]`` match."""
    if index == len(segments):
        return
    segment = segments[index]
    last = index == len(segments) - 1
    directory = base.joinpath(*rel)
    if segment == "**":
        if not last:
            yield from _expand(base, rel, segments, index + 1)
        for name, is_dir, is_file, is_link in _entries(directory):
            if last and is_file:
                yield (*rel, name)
            if is_dir and not is_link:
                yield from _expand(base, (*rel, name), segments, index)
        return
    if not _GLOB_CHARS & set(segment):  # a literal name: no need to list the folder
        path = directory / segment
        if last and path.is_file():
            yield (*rel, segment)
        elif not last and path.is_dir():
            yield from _expand(base, (*rel, segment), segments, index + 1)
        return
    regex = re.compile(_segment_regex(segment))
    for name, is_dir, is_file, _ in _entries(directory):
        if not regex.fullmatch(name):
            continue
        if last and is_file:
            yield (*rel, name)
        elif not last and is_dir:
            yield from _expand(base, (*rel, name), segments, index + 1)
