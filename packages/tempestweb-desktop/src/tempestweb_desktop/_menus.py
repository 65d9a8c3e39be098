"""Building the declared menus and tray with PyTauri, and routing their events to callbacks.

Runs on the UI thread (menus are created there). Every item gets an id ``tw:<owner>:<n>``
(owner: a window label or ``tray``); a menu event names the id, which maps to the item's
callback and the window it runs for.
"""

from __future__ import annotations

import logging
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pytauri import AppHandle
from pytauri.image import Image
from pytauri.menu import CheckMenuItem, Menu, MenuItemKind, PredefinedMenuItem
from pytauri.menu import MenuItem as NativeMenuItem
from pytauri.menu import Submenu as NativeSubmenu

from tempestweb_desktop.errors import ConfigError
from tempestweb_desktop.menu import CheckItem, MenuEntry, MenuItem, Predefined, Separator, Submenu

__all__ = ["Binding", "MenuBuilder", "load_icon"]

logger = logging.getLogger("tempestweb.desktop")

_DEFAULT_ICON_PX = 32


@dataclass(frozen=True, slots=True)
class Binding:
    """What a menu id does: the callback and the window label it runs for."""

    owner: str
    item: MenuItem | CheckItem
    native: NativeMenuItem | CheckMenuItem


class MenuBuilder:
    """Creates native menus and remembers each item's binding.

    Args:
        handle: The app handle (menus belong to the app).

    """

    def __init__(self, handle: AppHandle) -> None:
        self._handle = handle
        self._count = 0
        self.bindings: dict[str, Binding] = {}

    def _id(self, owner: str) -> str:
        self._count += 1
        return f"tw:{owner}:{self._count}"

    def menu_bar(self, owner: str, submenus: Sequence[Submenu], /) -> Menu:
        """Build a window's menu bar.

        Args:
            owner: The window label callbacks run for.
            submenus: The top-level submenus.

        Returns:
            The native menu.

        Raises:
            ConfigError: A top-level entry is not a :class:`Submenu`.

        """
        for entry in submenus:
            if not isinstance(entry, Submenu):
                raise ConfigError(f"a menu bar holds Submenu entries, got {type(entry).__name__}")
        return Menu.with_items(self._handle, self.items(owner, submenus))

    def context_menu(self, owner: str, entries: Sequence[MenuEntry], /) -> Menu:
        """Build a menu of plain entries (the tray's)."""
        return Menu.with_items(self._handle, self.items(owner, entries))

    def items(self, owner: str, entries: Sequence[MenuEntry], /) -> list[MenuItemKind]:
        """Build native items for ``entries``, recording their bindings."""
        out: list[MenuItemKind] = []
        for entry in entries:
            out.append(self._item(owner, entry))
        return out

    def _item(self, owner: str, entry: MenuEntry) -> MenuItemKind:
        handle = self._handle
        if isinstance(entry, Submenu):
            return NativeSubmenu.with_items(handle, entry.text, entry.enabled, self.items(owner, entry.items))
        if isinstance(entry, Separator):
            return PredefinedMenuItem.separator(handle)
        if isinstance(entry, Predefined):
            factory = getattr(PredefinedMenuItem, entry.kind, None)
            if factory is None:
                raise ConfigError(f"unknown predefined menu item {entry.kind!r}")
            item: PredefinedMenuItem = factory(handle, entry.text)
            return item
        menu_id = self._id(owner)
        native: NativeMenuItem | CheckMenuItem
        if isinstance(entry, CheckItem):
            native = CheckMenuItem.with_id(
                handle, menu_id, entry.text, entry.enabled, entry.checked, entry.accelerator
            )
        else:
            native = NativeMenuItem.with_id(handle, menu_id, entry.text, entry.enabled, entry.accelerator)
        self.bindings[menu_id] = Binding(owner, entry, native)
        return native

    def callback(self, menu_id: str, /) -> tuple[str, Callable[[], object]] | None:
        """Return the window label and the zero-argument call a menu event ``menu_id`` makes.

        Args:
            menu_id: The event's id.

        Returns:
            ``(owner, call)``, or ``None`` for an item without a callback (or not ours).

        """
        binding = self.bindings.get(menu_id)
        if binding is None:
            return None
        item = binding.item
        if isinstance(item, CheckItem):
            on_toggle = item.on_toggle
            if on_toggle is None:
                return None
            native = binding.native
            checked = native.is_checked() if isinstance(native, CheckMenuItem) else False
            return binding.owner, lambda: on_toggle(checked)
        if item.on_click is None:
            return None
        return binding.owner, item.on_click


def load_icon(path: Path | None, /) -> Image:
    """Load a PNG (8-bit RGBA or RGB, non-interlaced) as a Tauri image; ``None`` gives a plain square.

    Args:
        path: The PNG file, or ``None``.

    Returns:
        The image.

    Raises:
        ConfigError: The file is missing or not a PNG this loader reads.

    """
    if path is None:
        size = _DEFAULT_ICON_PX
        return Image(bytes((0x63, 0x66, 0xF1, 0xFF)) * (size * size), size, size)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"tray icon {path}: {exc.strerror}") from None
    return _decode_png(path, data)


def _decode_png(path: Path, data: bytes) -> Image:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ConfigError(f"tray icon {path}: not a PNG file")
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or color not in (2, 6) or interlace:
        raise ConfigError(f"tray icon {path}: use an 8-bit RGB/RGBA non-interlaced PNG")
    channels = 4 if color == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytearray] = []
    previous = bytearray(stride)
    offset = 0
    for _ in range(height):
        filter_type, line = raw[offset], bytearray(raw[offset + 1 : offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filter_type == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(line)
        previous = line
    pixels = b"".join(rows)
    if channels == 3:
        pixels = b"".join(pixels[i : i + 3] + b"\xff" for i in range(0, len(pixels), 3))
    return Image(pixels, width, height)
