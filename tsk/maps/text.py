"""Text on the maps: HTML escaping of every name that comes from data (folium puts tooltip texts into
innerHTML and into JavaScript template literals) and Swedish number formatting."""
from __future__ import annotations

import html
import math
import string
from collections.abc import Callable

import pandas as pd


def esc(text) -> str:
    """HTML-escape text that also lands inside a JavaScript template literal (folium tooltips)."""
    return (html.escape(str(text), quote=True)
            .replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;"))


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or bool(pd.isna(x))


def format_number(x, fmt: str | Callable[[float], str] = "{:.1f}") -> str:
    """Format with Swedish decimal comma and a no-break space as thousands separator.

    `fmt` is a callable, or a format string with one field ("{:.1f}", "{:.0f} %", "{:,.0f}");
    only the number is localised, the literal text around it is kept as written.
    """
    if _missing(x):
        return "–"
    if callable(fmt):
        return fmt(x)
    out = []
    for literal, field, spec, conversion in string.Formatter().parse(fmt):
        out.append(literal)
        if field is not None:
            if field not in ("", "0") or conversion:
                raise ValueError(f"fmt must have one plain field, got {fmt!r}")
            out.append(format(x, spec).replace(",", "\u00a0").replace(".", ","))
    return "".join(out)


def _format_int(n) -> str:
    if _missing(n):
        return "–"
    return f"{int(n):,}".replace(",", "\u00a0")


def _plural(n: int, one: str, many: str) -> str:
    return f"{_format_int(n)} {one if int(n) == 1 else many}"


def _first_upper(s: str) -> str:
    return s[:1].upper() + s[1:]


def _truthy(x) -> bool:
    return False if _missing(x) else bool(x)
