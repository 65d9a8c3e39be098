"""``python -m tempestweb_desktop PATH[:ATTR]``: open an app in a window without the CLI package.

Options: ``--dev`` (reload on change), ``--title``, ``--width``, ``--height``, ``--debug``.
Errors are one line on stderr and exit status 1 (2 for usage errors).
"""

from __future__ import annotations

import argparse
import logging
import sys

from tempest_core import App
from tempestweb_contract.project import AppLoader, ProjectError, load_project, parse_target
from tempestweb_desktop.app import run
from tempestweb_desktop.config import DesktopConfig
from tempestweb_desktop.errors import DesktopError


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, run the app and return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tempestweb_desktop", description=__doc__)
    parser.add_argument("target", help="app folder (with app.py) or .py file, optionally :ATTR")
    parser.add_argument("--dev", action="store_true", help="reload the app when a .py/.toml file changes")
    parser.add_argument("--title", default=None)
    parser.add_argument("--width", type=int, default=None)
    parser.add_argument("--height", type=int, default=None)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
    options: dict[str, object] = {"debug": True} if args.debug else {}
    for key in ("title", "width", "height"):
        if getattr(args, key) is not None:
            options[key] = getattr(args, key)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO, format="%(message)s")
    try:
        target = parse_target(args.target)
        project = load_project(target.app_dir)
        config = DesktopConfig.from_project(project, options)
        loader = AppLoader(target)
        app = loader.load(expect=App)
        return run(app, config=config, project=project, reload_from=loader if args.dev else None)
    except (DesktopError, ProjectError) as exc:
        if args.debug:
            raise
        print(f"tempestweb desktop: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
