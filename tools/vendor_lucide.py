"""Vendor the Lucide icon set into tempest_core as a compact data file.

Runs ``npm pack lucide-static@<LUCIDE_VERSION>`` (the npm client, in a temporary folder), reads
the package's ``icon-nodes.json`` (icon name -> list of ``[tag, {attribute: value}]`` SVG child
nodes on a 24x24 viewBox) and writes:

- ``packages/tempest-core/src/tempest_core/_icons/lucide.json``: ``{"version": ..., "icons":
  {name: [[tag, [attr, value, attr, value, ...]], ...]}}`` with sorted names and no whitespace;
- ``packages/tempest-core/src/tempest_core/_icons/LICENSE.lucide``: the package's ISC licence.

Usage (from the repository root)::

    python tools/vendor_lucide.py            # pack the pinned version with npm
    python tools/vendor_lucide.py --tarball lucide-static-1.62.0.tgz   # an already packed file

The version is pinned here and recorded in the data file (``tempest_core.icons.LUCIDE_VERSION``
reads it back).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

LUCIDE_VERSION = "1.62.0"
"""The pinned ``lucide-static`` release."""

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "packages" / "tempest-core" / "src" / "tempest_core" / "_icons"
ALLOWED_TAGS = frozenset({"path", "circle", "rect", "line", "ellipse", "polyline", "polygon"})


def _pack(workdir: Path) -> Path:
    subprocess.run(
        ["npm", "pack", f"lucide-static@{LUCIDE_VERSION}", "--silent"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return workdir / f"lucide-static-{LUCIDE_VERSION}.tgz"


def _member(tar: tarfile.TarFile, name: str) -> bytes:
    handle = tar.extractfile(f"package/{name}")
    if handle is None:
        raise SystemExit(f"vendor_lucide: package/{name} is missing from the tarball")
    return handle.read()


def vendor(tarball: Path) -> tuple[int, int]:
    """Write the data file and licence from ``tarball``; return (icons, bytes written)."""
    with tarfile.open(tarball) as tar:
        meta = json.loads(_member(tar, "package.json"))
        if meta.get("version") != LUCIDE_VERSION:
            raise SystemExit(
                f"vendor_lucide: expected {LUCIDE_VERSION}, the tarball holds {meta.get('version')}"
            )
        nodes = json.loads(_member(tar, "icon-nodes.json"))
        licence = _member(tar, "LICENSE")
    icons: dict[str, list[list[object]]] = {}
    for name in sorted(nodes):
        children: list[list[object]] = []
        for tag, attrs in nodes[name]:
            if tag not in ALLOWED_TAGS:
                raise SystemExit(f"vendor_lucide: icon {name!r} uses <{tag}>, not in {sorted(ALLOWED_TAGS)}")
            flat: list[str] = []
            for key, value in attrs.items():
                flat.extend((str(key), str(value)))
            children.append([tag, flat])
        icons[name] = children
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    data = json.dumps(
        {"version": LUCIDE_VERSION, "license": "ISC", "icons": icons},
        separators=(",", ":"),
        ensure_ascii=True,
    )
    (OUT_DIR / "lucide.json").write_text(data + "\n", encoding="ascii")
    (OUT_DIR / "LICENSE.lucide").write_bytes(licence)
    return len(icons), len(data)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="an already packed lucide-static tarball")
    args = parser.parse_args(argv)
    if args.tarball is not None:
        count, size = vendor(args.tarball)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            count, size = vendor(_pack(Path(tmp)))
    print(f"vendor_lucide: {count} icons of lucide-static {LUCIDE_VERSION}, {size} bytes -> {OUT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
