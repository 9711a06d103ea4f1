"""Reading CSV and XLSX exports into a table of strings, without guessing types.

Every cell stays text so nothing is mangled (leading zeros, "v47 2026", decimal comma); the importers
parse the values they need. Lines that do not fit the header are returned as bad rows for quarantine.

This is the general reader, the reference: tsk.importers.columnar reads plain UTF-8 CSV files faster
(column at a time) and leaves every file it cannot read exactly as this module would to this module.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from tsk.errors import FileRejected
from tsk.text import normalise_header

MB = 1 << 20
MAX_FILE_BYTES = 500 * MB  # ten years of weekly reports for a whole region stay well below; checked before reading
SNIFF_CHARS = 64 * 1024  # the delimiter is told from the start of the file
MAX_FIELD = 1_000_000  # characters in one cell; longer is not a form export
MAX_COLUMNS = 2_000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """A read file: `frame` has one str column per header (original header text), `row_numbers`
    the 1-based line/row in the file of each frame row (the header is row 1)."""

    frame: pd.DataFrame
    row_numbers: list[int]
    bad_rows: list[tuple[int, dict, str]] = field(default_factory=list)  # (row, original, reason key)
    encoding: str = ""
    delimiter: str = ""

    def column(self, header: str) -> str | None:
        """The frame's column whose header equals `header`, ignoring case and stray spaces."""
        want = normalise_header(header)
        return next((c for c in self.frame.columns if normalise_header(c) == want), None)

    @property
    def headers(self) -> list[str]:
        return list(self.frame.columns)


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) if it decodes, else Windows-1252, the two encodings Swedish exports use."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise FileRejected("file_not_text") from None


def sniff_other_source(raw_start: bytes) -> str | None:
    """JSON or GeoJSON handed to a tabular importer: say which source it belongs to."""
    head = raw_start.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if head[:1] in (b"[", b"{"):
        if b"FeatureCollection" in head or b'"geometry"' in head:
            return "areas"
        if b'"datetime"' in head or b'"location"' in head:
            return "police"
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\r\n\t")
    return control > max(2, len(sample) // 100)


def sniff_delimiter(text: str) -> str:
    """`;`, `,` or tab: whichever splits the header line into the most fields, consistently."""
    lines = [ln for ln in text[:SNIFF_CHARS].splitlines()[:20] if ln.strip()]
    if not lines:
        raise FileRejected("file_empty")
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in ";,\t"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_csv_text(text: str, encoding: str = "utf-8") -> Table:
    if _looks_binary(text):
        raise FileRejected("file_not_text")
    if not text.strip():
        raise FileRejected("file_empty")
    delimiter = sniff_delimiter(text)
    csv.field_size_limit(MAX_FIELD)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise FileRejected("file_csv_broken", detail=str(e)) from None
    return _table_from_rows(rows, encoding=encoding, delimiter=delimiter)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != time(0) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(raw: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise FileRejected("file_xlsx_broken", detail=type(e).__name__) from None
    try:
        ws = wb.worksheets[0]
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return _table_from_rows(rows, encoding="xlsx", delimiter="")


def _table_from_rows(rows: list[list[str]], *, encoding: str, delimiter: str) -> Table:
    # Skip leading blank lines; the first non-blank row is the header.
    start = next((i for i, r in enumerate(rows) if any(str(c).strip() for c in r)), None)
    if start is None:
        raise FileRejected("file_empty")
    header = [str(h).replace("\ufeff", "").strip() for h in rows[start]]
    while header and not header[-1]:  # spreadsheets pad rows with empty cells
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise FileRejected("file_too_many_columns", n=len(header), max=MAX_COLUMNS)
    if not any(header):
        raise FileRejected("file_no_header")
    seen: dict[str, int] = {}
    unique = []
    for h in header:
        h = h or "kolumn"
        seen[h] = seen.get(h, 0) + 1
        unique.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    good, numbers, bad = [], [], []
    for i, row in enumerate(rows[start + 1:], start=start + 2):
        cells = [str(c) for c in row]
        if not any(c.strip() for c in cells):
            continue
        while len(cells) > len(unique) and not cells[-1].strip():
            cells.pop()
        if len(cells) > len(unique):
            original = {f"fält {j + 1}": c for j, c in enumerate(cells)}
            bad.append((i, original, ("row_too_many_fields", {"n": len(cells), "expected": len(unique)})))
            continue
        cells += [""] * (len(unique) - len(cells))
        good.append(cells)
        numbers.append(i)
    frame = pd.DataFrame(good, columns=unique, dtype="string").fillna("") if good else pd.DataFrame(
        columns=unique, dtype="string"
    )
    return Table(frame=frame, row_numbers=numbers, bad_rows=bad, encoding=encoding, delimiter=delimiter)


def read_table(path: Path) -> Table:
    """Read a CSV or XLSX file. Raises FileRejected for empty, binary or unreadable files."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileRejected("file_too_large", size=f"{size / MB:.0f}", max=f"{MAX_FILE_BYTES / MB:.0f}")
        raw = Path(path).read_bytes()
    except OSError as e:
        raise FileRejected("file_unreadable", detail=e.strerror or str(e)) from None
    if not raw.strip():
        raise FileRejected("file_empty")
    if raw.startswith(XLSX_MAGIC):
        return read_xlsx(raw)
    text, encoding = decode(raw)
    return read_csv_text(text, encoding)
