"""Downloads of exactly what a page shows: CSV and Excel files that open correctly in Swedish Excel.

No Streamlit. The page builds the DataFrame it displays (already rounded, with Swedish column names
and Swedish text for yes/no values) and hands that same frame here. The index is not written: call
`reset_index()` first if it carries data.

Every text cell, in both formats, goes through `neutralise_formula` (OWASP "CSV injection"): imported
free text or place names could otherwise start with `=` and run as a formula when the file is opened.
Real numbers (also negative ones) are written as numbers and never touched.

Cell conventions shared by both formats:
- missing values (None, NaN, NaT, pd.NA) are empty cells;
- timezone-aware timestamps are converted to Swedish local time (Europe/Stockholm) and written
  without offset, because Excel has no time zones;
- a date/datetime column whose times are all midnight is written as dates only;
- +inf / -inf (e.g. a rate ratio against a zero baseline) are written as the text "∞" / "−∞"
  (U+2212 minus, so it is not read as a formula); Excel has no infinite numbers.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import numbers
import re
import unicodedata
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

LOCAL_TZ = ZoneInfo("Europe/Stockholm")

# OWASP CSV injection: a cell starting with one of these may be read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel limits.
MAX_SHEET_NAME = 31
MAX_CELL_TEXT = 32767
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
_INVALID_SHEET_CHARS = re.compile(r"[\\/*?:\[\]]")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
INT_FORMAT = "0"
FLOAT_FORMAT = "General"

POS_INF_TEXT = "∞"
NEG_INF_TEXT = "\u2212∞"


def neutralise_formula(value):
    """Make a text cell safe against formula injection.

    A `str` starting with `=`, `+`, `-`, `@`, a tab or a carriage return, also after a byte-order mark,
    or zero-width characters, gets a leading apostrophe (OWASP CSV-injection guidance), so
    spreadsheet programs show it as text. Anything that is not a
    `str` (numbers, including negative numbers, dates, None) is returned unchanged.
    """
    if isinstance(value, str) and value.lstrip(_INVISIBLE).startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# Characters a spreadsheet may skip before reading a formula ("\ufeff=1+1" is a formula in Excel).
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


def safe_filename(title: str, ext: str) -> str:
    """A download file name from a Swedish title: lower-case ASCII slug plus extension.

    å/ä → a, ö → o (other accents lose their accent), every run of other characters becomes one `-`,
    at most 80 characters; an empty result becomes "export". `ext` may be given with or without the dot
    and must be letters/digits. Example: `safe_filename("Lägesbild – Östra området v.47", "csv")` →
    `"lagesbild-ostra-omradet-v-47.csv"`.
    """
    ext = ext.lstrip(".").lower()
    if not re.fullmatch(r"[a-z0-9]+", ext):
        raise ValueError(f"invalid file extension {ext!r}")
    text = str(title).translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    return f"{slug or 'export'}.{ext}"


# --------------------------------------------------------------------------------------------------
# Cell normalisation shared by CSV and XLSX
# --------------------------------------------------------------------------------------------------


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(value))
    return False


def _normalise(value):
    """One cell -> None | bool | int | float | dt.date | dt.datetime | str (text not yet neutralised)."""
    if _is_missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if math.isinf(f):
            return POS_INF_TEXT if f > 0 else NEG_INF_TEXT
        return f
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, numbers.Real):  # Decimal, Fraction
        return _normalise(float(value))
    return str(value)


def _column_cells(series: pd.Series) -> list:
    """Normalised cells of one column. A column whose datetimes are all at midnight becomes dates."""
    cells = [_normalise(v) for v in series.tolist()]
    stamps = [c for c in cells if isinstance(c, dt.datetime)]
    if stamps and all(c.time() == dt.time(0) for c in stamps):
        cells = [c.date() if isinstance(c, dt.datetime) else c for c in cells]
    return cells


def _header(column) -> str:
    if isinstance(column, tuple):  # MultiIndex columns
        column = " – ".join(str(part) for part in column if str(part) != "")
    return str(column)


def _clean_text(text: str) -> str:
    """Text Excel can store: no XML-illegal control characters, at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_TEXT]


# --------------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------------


def _csv_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        # 15 significant digits (Excel's precision), no thousands separator, decimal comma.
        return format(cell, ".15g").replace(".", ",")
    if isinstance(cell, dt.datetime):
        return cell.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return neutralise_formula(cell)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """The table as CSV for Swedish Excel.

    Input: the DataFrame the page shows (columns as displayed; index not written).
    Output: UTF-8 with BOM (so Excel detects the encoding), `;` as separator, CRLF line endings,
    fields quoted only when needed. Floats with decimal comma and up to 15 significant digits, ints as
    digits, booleans as 1/0, dates as YYYY-MM-DD and timestamps as YYYY-MM-DD HH:MM:SS, missing values
    empty. Header and text cells are passed through `neutralise_formula`.
    """
    lines = [";".join(_csv_quoted(neutralise_formula(_header(c))) for c in df.columns)]
    columns = [[_csv_field(c) for c in _column_cells(df.iloc[:, i])] for i in range(df.shape[1])]
    lines += [";".join(row) for row in zip(*columns)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


# A text cell holding any of these is quoted: `;`, quotes and line breaks as CSV requires, and `,` and
# tab too, so a program that splits on them (Excel in an English locale) never starts a new cell with
# what follows ("x,=2+5" would become a cell "=2+5", a formula).
_QUOTE_IF = re.compile(r'[;,"\t\r\n]')


def _csv_quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if _QUOTE_IF.search(text) else text


def _csv_field(cell) -> str:
    text = _csv_text(cell)
    if isinstance(cell, str):
        return _csv_quoted(text)
    return '"' + text + '"' if ";" in text else text  # numbers and dates: "1,5" stays a number


# --------------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------------


def sheet_names(titles) -> list[str]:
    """Valid, unique Excel sheet names for the given titles, in order.

    Characters Excel forbids (`\\ / * ? : [ ]` and control characters) become `_`; leading/trailing
    apostrophes and spaces are removed; an empty name becomes "Blad<n>"; "History" (reserved by Excel)
    gets a trailing `_`; names are cut to 31 characters; duplicates (Excel compares case-insensitively)
    get " (2)", " (3)" … within the 31 characters.
    """
    used: set[str] = set()
    out = []
    for i, title in enumerate(titles, start=1):
        name = ILLEGAL_CHARACTERS_RE.sub("_", _INVALID_SHEET_CHARS.sub("_", str(title)))
        name = name.strip().strip("'").strip()[:MAX_SHEET_NAME].rstrip().rstrip("'") or f"Blad{i}"
        if name.casefold() == "history":
            name += "_"
        candidate, k = name, 1
        while candidate.casefold() in used:
            k += 1
            suffix = f" ({k})"
            candidate = name[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        used.add(candidate.casefold())
        out.append(candidate)
    return out


def _display_width(cell, fmt: str) -> int:
    """Approximate number of characters Excel shows for a cell (for column widths)."""
    if cell is None:
        return 0
    if isinstance(cell, float) and fmt.endswith("%"):
        return len(f"{cell * 100:.1f}%")
    if isinstance(cell, float) and fmt not in (FLOAT_FORMAT, ""):
        decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
        return len(f"{cell:.{decimals}f}")
    if isinstance(cell, dt.datetime):
        return 16
    if isinstance(cell, dt.date):
        return 10
    text = _csv_text(cell)
    return max((len(line) for line in text.splitlines()), default=0)


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], number_formats: dict[str, str] | None = None) -> bytes:
    """An Excel workbook (.xlsx) with one sheet per table.

    Input: `sheets` maps a sheet title to the DataFrame the page shows (index not written); titles are
    made valid by `sheet_names`. `number_formats` maps a column name (as in the DataFrame, in any
    sheet) to an Excel number format code, e.g. `{"Andel": "0.0%", "Index": "0.0"}` for shares stored
    as 0..1 and indices; format codes use `.` and Excel shows the reader's decimal comma.

    Output: xlsx bytes. Header row bold, frozen and with an autofilter; column widths fitted to the
    content (capped at 60). Numbers stay numeric: ints get format `0`, floats `General` unless
    `number_formats` says otherwise; dates are Excel dates shown as yyyy-mm-dd (timestamps as
    yyyy-mm-dd hh:mm). Header and text cells go through `neutralise_formula` and are stored as strings
    (data type "s"), never as formulas or error values.
    """
    if not sheets:
        raise ValueError("at least one sheet is needed")
    number_formats = number_formats or {}
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for name, df in zip(sheet_names(sheets.keys()), sheets.values()):
        if len(df) + 1 > MAX_ROWS or df.shape[1] > MAX_COLUMNS:
            raise ValueError(f"table {name!r} is too large for an Excel sheet ({df.shape[0]} x {df.shape[1]})")
        ws = wb.create_sheet(name)
        for j, column in enumerate(df.columns, start=1):
            header = _header(column)
            fmt_override = number_formats.get(header)
            cell = ws.cell(row=1, column=j, value=neutralise_formula(_clean_text(header)))
            cell.data_type = "s"
            cell.font = bold
            width = len(header)
            for i, value in enumerate(_column_cells(df.iloc[:, j - 1]), start=2):
                if value is None:
                    continue
                if isinstance(value, str):
                    value = neutralise_formula(_clean_text(value))
                    cell = ws.cell(row=i, column=j, value=value)
                    cell.data_type = "s"
                    fmt = ""
                else:
                    cell = ws.cell(row=i, column=j, value=value)
                    if isinstance(value, bool):
                        fmt = ""
                    elif isinstance(value, int):
                        fmt = fmt_override or INT_FORMAT
                    elif isinstance(value, float):
                        fmt = fmt_override or FLOAT_FORMAT
                    elif isinstance(value, dt.datetime):
                        fmt = fmt_override or DATETIME_FORMAT
                    else:  # dt.date
                        fmt = fmt_override or DATE_FORMAT
                    if fmt:
                        cell.number_format = fmt
                width = max(width, _display_width(value, fmt))
            ws.column_dimensions[get_column_letter(j)].width = min(width + 2, 60)
        ws.freeze_panes = "A2"
        if df.shape[1]:
            ws.auto_filter.ref = f"A1:{get_column_letter(df.shape[1])}{max(len(df) + 1, 1)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
