"""Servers for the end-to-end benchmark: the same ones the example suites use.

``examples/tests/servers.py`` owns them (a stdlib static server for the anchor and Mode A builds,
``tempestweb run`` for Mode B); the benchmark imports that module instead of keeping a copy.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "tests"))

from servers import REPO, AppServer, StaticServer

__all__ = ["REPO", "AppServer", "StaticServer"]
