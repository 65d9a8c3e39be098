"""Value validation and serialisation for :mod:`tempest_core.style` (private).

Every function here turns one Python value into CSS value text or raises
:class:`~tempest_core.errors.StyleError`. The rules follow CSS Syntax Level 3
(https://www.w3.org/TR/css-syntax-3/): a declaration value ends at ``;`` or ``}`` outside a
block, and a string or function token ends at its matching quote or parenthesis, so a value
that contains neither those delimiters nor an unbalanced quote/parenthesis cannot leave its
declaration.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from tempest_core.errors import StyleError

__all__ = [
    "Serializer",
    "check_text",
    "fmt_number",
    "ser_color",
    "ser_int",
    "ser_keyword",
    "ser_length",
    "ser_length_sides",
    "ser_number",
    "ser_text",
    "ser_font_family",
    "ser_font_weight",
]

Serializer = Callable[[str, object], str]
"""Turns ``(field name, value)`` into CSS value text; raises StyleError on a bad value."""

_FORBIDDEN_CHARS = frozenset(";{}<>\\\n\r\t\f\x00`")
_NUMERIC_RE = re.compile(r"^(-?)(\d+\.?\d*|\.\d+)([a-zA-Z%]*)$")
_HEX_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_IDENT_RE = re.compile(r"^-?[a-zA-Z][a-zA-Z0-9-]*$")
_FUNC_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]*\(.*\)$", re.DOTALL)
_LENGTH_UNITS = frozenset(
    [
        "px",
        "em",
        "rem",
        "%",
        "vh",
        "vw",
        "vmin",
        "vmax",
        "svh",
        "svw",
        "lvh",
        "lvw",
        "dvh",
        "dvw",
        "ch",
        "ex",
        "lh",
        "rlh",
        "cap",
        "ic",
        "fr",
        "pt",
        "pc",
        "cm",
        "mm",
        "q",
        "in",
        "cqw",
        "cqh",
        "cqi",
        "cqb",
        "cqmin",
        "cqmax",
    ]
)
_LENGTH_KEYWORDS = frozenset(
    [
        "auto",
        "none",
        "normal",
        "inherit",
        "initial",
        "unset",
        "revert",
        "min-content",
        "max-content",
        "fit-content",
        "thin",
        "medium",
        "thick",
    ]
)
_FONT_WEIGHT_MIN = 1
_FONT_WEIGHT_MAX = 1000


def _got(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} ({text})"


def check_text(name: str, text: str) -> str:
    r"""Validate free CSS value text so that it cannot leave its declaration.

    Args:
        name: Field name, used in the error message.
        text: The value text.

    Returns:
        The stripped text.

    Raises:
        StyleError: If the text is empty, contains ``; { } < > \\``, a control character, a
            comment, or has unbalanced quotes or parentheses.

    """
    stripped = text.strip()
    if not stripped:
        raise StyleError(f"Style({name}=...): empty string is not a CSS value")
    bad = _FORBIDDEN_CHARS.intersection(stripped)
    if bad:
        raise StyleError(
            f"Style({name}=...): character {sorted(bad)[0]!r} is not allowed in a CSS value, got {stripped!r}"
        )
    if "/*" in stripped or "*/" in stripped:
        raise StyleError(f"Style({name}=...): CSS comments are not allowed in a value, got {stripped!r}")
    depth = 0
    quote = ""
    for ch in stripped:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                break
    if quote or depth != 0:
        raise StyleError(f"Style({name}=...): unbalanced quotes or parentheses in {stripped!r}")
    return stripped


def fmt_number(value: float) -> str:
    """Format a finite number as a CSS number token (``2.0`` -> ``"2"``, ``0.5`` -> ``"0.5"``).

    Args:
        value: A finite int or float.

    Returns:
        The shortest round-tripping decimal text.

    """
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _check_number(name: str, value: object, *, nonneg: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StyleError(f"Style({name}=...): expected a number, got {_got(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise StyleError(f"Style({name}=...): expected a finite number, got {value!r}")
    if nonneg and value < 0:
        raise StyleError(f"Style({name}=...): must not be negative, got {value!r}")
    return value


def _length(name: str, value: object, *, nonneg: bool) -> str:
    if isinstance(value, str):
        text = check_text(name, value)
        match = _NUMERIC_RE.match(text)
        if match:
            sign, number, unit = match.groups()
            if unit and unit.lower() not in _LENGTH_UNITS:
                raise StyleError(f"Style({name}=...): unknown CSS unit {unit!r} in {text!r}")
            if nonneg and sign and float(number) != 0:
                raise StyleError(f"Style({name}=...): must not be negative, got {text!r}")
            return text
        if text.lower() in _LENGTH_KEYWORDS or _FUNC_RE.match(text) or _IDENT_RE.match(text):
            return text
        raise StyleError(
            f"Style({name}=...): expected a CSS length such as '8px', '50%' or 'auto', got {text!r}"
        )
    number = _check_number(name, value, nonneg=nonneg)
    return "0" if number == 0 else fmt_number(number) + "px"


def ser_length(name: str, value: object) -> str:
    """Serialise a non-negative length: numbers are px, strings are CSS length text.

    Args:
        name: Field name, used in error messages.
        value: ``int``/``float`` (pixels, >= 0) or a string like ``"1.5rem"``, ``"50%"``, ``"auto"``.

    Returns:
        CSS value text, e.g. ``"8px"``.

    Raises:
        StyleError: On a wrong type, a negative number, an unknown unit or unsafe text.

    """
    return _length(name, value, nonneg=True)


def ser_signed_length(name: str, value: object) -> str:
    """Serialise a length that may be negative (margins, offsets, letter spacing).

    Args:
        name: Field name, used in error messages.
        value: ``int``/``float`` (pixels) or CSS length text.

    Returns:
        CSS value text.

    Raises:
        StyleError: On a wrong type, an unknown unit or unsafe text.

    """
    return _length(name, value, nonneg=False)


def _sides(name: str, value: object, one: Serializer) -> str:
    if isinstance(value, tuple | list):
        if not 1 <= len(value) <= 4:
            raise StyleError(f"Style({name}=...): expected 1 to 4 values, got {len(value)}")
        return " ".join(one(name, item) for item in value)
    return one(name, value)


def ser_length_sides(name: str, value: object) -> str:
    """Serialise a non-negative box shorthand: one length or a tuple of 1-4 (top right bottom left).

    Args:
        name: Field name, used in error messages.
        value: A length or a tuple of 1-4 lengths, per CSS box shorthand order.

    Returns:
        CSS value text, e.g. ``"4px 8px"``.

    Raises:
        StyleError: On a wrong count, type or a negative value.

    """
    return _sides(name, value, ser_length)


def ser_signed_length_sides(name: str, value: object) -> str:
    """Serialise a box shorthand whose lengths may be negative (``margin``).

    Args:
        name: Field name, used in error messages.
        value: A length or a tuple of 1-4 lengths.

    Returns:
        CSS value text.

    Raises:
        StyleError: On a wrong count or type.

    """
    return _sides(name, value, ser_signed_length)


def ser_number(name: str, value: object) -> str:
    """Serialise a unitless non-negative number (``flex-grow``, ``line-height``...).

    Args:
        name: Field name, used in error messages.
        value: A finite number >= 0, or CSS text (e.g. ``"1.5"`` or ``"normal"``).

    Returns:
        CSS value text.

    Raises:
        StyleError: On a wrong type, a negative or non-finite number, or unsafe text.

    """
    if isinstance(value, str):
        return check_text(name, value)
    return fmt_number(_check_number(name, value, nonneg=True))


def ser_opacity(name: str, value: object) -> str:
    """Serialise an opacity between 0 and 1 (unitless).

    Args:
        name: Field name, used in error messages.
        value: A number in ``[0, 1]``.

    Returns:
        CSS value text.

    Raises:
        StyleError: On a wrong type or a value outside ``[0, 1]``.

    """
    number = _check_number(name, value, nonneg=True)
    if number > 1:
        raise StyleError(f"Style({name}=...): expected a number between 0 and 1, got {value!r}")
    return fmt_number(number)


def ser_int(name: str, value: object) -> str:
    """Serialise an integer (``z-index``, ``order``).

    Args:
        name: Field name, used in error messages.
        value: An ``int`` (not ``bool``).

    Returns:
        CSS value text.

    Raises:
        StyleError: If the value is not an int.

    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise StyleError(f"Style({name}=...): expected int, got {_got(value)}")
    return str(value)


def ser_text(name: str, value: object) -> str:
    """Serialise free CSS value text (``border``, ``box-shadow``, ``transition``...).

    Args:
        name: Field name, used in error messages.
        value: A string of CSS value text.

    Returns:
        The validated text.

    Raises:
        StyleError: If the value is not a string or is unsafe (see :func:`check_text`).

    """
    if not isinstance(value, str):
        raise StyleError(f"Style({name}=...): expected str, got {_got(value)}")
    return check_text(name, value)


def ser_keyword(allowed: frozenset[str]) -> Serializer:
    """Build a serializer accepting one of ``allowed`` CSS keywords (or a ``var(...)`` reference).

    Args:
        allowed: The keywords the property accepts.

    Returns:
        A serializer raising StyleError for anything else.

    """
    listing = ", ".join(sorted(allowed))

    def serialize(name: str, value: object) -> str:
        if isinstance(value, str):
            if value in allowed:
                return value
            if value.startswith("var(") and _FUNC_RE.match(value):
                return check_text(name, value)
        raise StyleError(f"Style({name}=...): expected one of {listing}; got {_got(value)}")

    return serialize


def ser_color(name: str, value: object) -> str:
    """Serialise a CSS colour: ``#rgb[a]``/``#rrggbb[aa]``, a named colour, or a colour function.

    Args:
        name: Field name, used in error messages.
        value: Colour text, e.g. ``"#3fa9c1"``, ``"rebeccapurple"``, ``"rgb(0 0 0 / 50%)"``.

    Returns:
        The validated colour text.

    Raises:
        StyleError: If the value is not a string or not a colour form (CSS Color 4).

    """
    if not isinstance(value, str):
        raise StyleError(f"Style({name}=...): expected a CSS colour string, got {_got(value)}")
    text = check_text(name, value)
    if _HEX_COLOR_RE.match(text) or _IDENT_RE.match(text) or _FUNC_RE.match(text):
        return text
    raise StyleError(
        f"Style({name}=...): expected a CSS colour like '#fff', 'red' or 'rgb(...)', got {text!r}"
    )


def ser_font_family(name: str, value: object) -> str:
    """Serialise a font family list; names with spaces are quoted.

    Args:
        name: Field name, used in error messages.
        value: CSS text (``"Inter, sans-serif"``) or a tuple of family names.

    Returns:
        CSS value text.

    Raises:
        StyleError: On a wrong type, an empty tuple, or a family name with quotes or unsafe characters.

    """
    if isinstance(value, str):
        return check_text(name, value)
    if isinstance(value, tuple | list) and value:
        parts = []
        for family in value:
            if not isinstance(family, str):
                raise StyleError(f"Style({name}=...): expected str family names, got {_got(family)}")
            text = check_text(name, family)
            if _IDENT_RE.match(text):
                parts.append(text)
            elif '"' in text or "'" in text:
                raise StyleError(f"Style({name}=...): quotes are not allowed in a family name, got {text!r}")
            else:
                parts.append(f'"{text}"')
        return ",".join(parts)
    raise StyleError(f"Style({name}=...): expected str or a non-empty tuple of str, got {_got(value)}")


def ser_font_weight(name: str, value: object) -> str:
    """Serialise a font weight: an int 1-1000 (unitless) or ``normal``/``bold``/``bolder``/``lighter``.

    Args:
        name: Field name, used in error messages.
        value: The weight.

    Returns:
        CSS value text.

    Raises:
        StyleError: On a wrong type or an out-of-range number (CSS Fonts 4, font-weight).

    """
    if isinstance(value, str) and value in ("normal", "bold", "bolder", "lighter"):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if _FONT_WEIGHT_MIN <= value <= _FONT_WEIGHT_MAX:
            return str(value)
        raise StyleError(f"Style({name}=...): expected a weight between 1 and 1000, got {value}")
    raise StyleError(
        f"Style({name}=...): expected an int 1-1000 or normal/bold/bolder/lighter, got {_got(value)}"
    )
