"""Swedish number formats for text shown to users: space as thousands separator, decimal comma."""
from __future__ import annotations

import math
import re

NBSP = "\u00a0"


def fmt_int(n) -> str:
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "–"
    return f"{int(n):,}".replace(",", NBSP)


def fmt_dec(x, decimals: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{decimals}f}".replace(",", NBSP).replace(".", ",")


def fmt_pct(x, decimals: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{100 * x:.{decimals}f}{NBSP}%".replace(".", ",")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")


def escape_markdown(text: str) -> str:
    """Text from a file (a quarantine reason quotes the cell) shown through Markdown, literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
             "november", "december")


def fmt_month(d) -> str:
    """«december 2026»."""
    return f"{MONTHS_SV[d.month - 1]} {d.year}"


def fmt_date(d) -> str:
    """A date in running Swedish text: «9 december 2026» (tables keep ISO 2026-12-09)."""
    if d is None:
        return "–"
    return f"{d.day} {MONTHS_SV[d.month - 1]} {d.year}"
