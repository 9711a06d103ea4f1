"""Reading CSV and XLSX exports into a table of strings, without guessing types.

Every cell stays text so nothing is mangled (leading zeros, "v47 2026", decimal comma); the importers
parse the values they need. Lines that do not fit the header are returned as bad rows for quarantine.

This is the general reader, the reference: tsk.importers.columnar reads plain UTF-8 CSV files faster
(column at a time) and leaves every file it cannot read exactly as this module would to this module.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

import pandas as pd

from tsk.errors import FileRejected
from tsk.i18n import t
from tsk.text import normalise_header

MB = 1 << 20
MAX_FILE_BYTES = 500 * MB  # ten years of weekly reports for a whole region stay well below; checked before reading
SNIFF_CHARS = 64 * 1024  # the delimiter is told from the start of the file
MAX_FIELD = 1_000_000  # characters in one cell (some 400 pages of text); longer is not a form export
MAX_COLUMNS = 2_000
XLSX_MAGIC = b"PK\x03\x04"
# XLSX budgets, checked from the zip directory and the sheet XML before openpyxl reads a cell: a file of
# a few KB can declare gigabytes of XML, a cell at XFD1048576 or one 400 MB string.
MAX_XLSX_UNPACKED = 200 * MB  # all members together, as declared (zipfile never reads past a declared size)
MAX_XLSX_SHARED = 50 * MB  # the shared strings (every text cell of the workbook), unpacked
MAX_XLSX_CELLS = 10_000_000  # rows × columns of a sheet's extent (openpyxl pads every row to the widest)
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")


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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            detail = t("file_cell_too_long", row=reader.line_num, max=_thousands(MAX_FIELD))
        else:
            detail = str(e)
        raise FileRejected("file_csv_broken", detail=detail) from None
    if encoding != "utf-8" and _mixed_encoding(text):
        raise FileRejected("file_mixed_encoding")
    return _table_from_rows(rows, encoding=encoding, delimiter=delimiter)


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _mixed_encoding(text: str) -> bool:
    """A file read as Windows-1252 (it is not all UTF-8) that still holds UTF-8 sequences for å, ä, ö, é
    ("Ã¥", "Ã¤", "Ã¶", "Ã©"): parts were saved in different encodings, so some text would be garbled."""
    return any(s in text for s in ("Ã¥", "Ã¤", "Ã¶", "Ã©", "Ã…", "Ã„", "Ã–"))


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_xlsx_budget(zf: zipfile.ZipFile) -> None:
    """Refuse an XLSX over the budgets before openpyxl reads it: the unpacked size of all members and of
    the shared strings (from the zip directory), each sheet's extent as declared (<dimension>) and as
    its cells really reach, the number of cells, and the length of every cell text. The sheet and
    string XML are streamed, never held whole."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNPACKED:
        raise FileRejected("xlsx_too_large_unpacked", size=f"{total / MB:.0f}", max=f"{MAX_XLSX_UNPACKED / MB:.0f}")
    for info in infos:
        name = info.filename
        if name.lower().endswith("sharedstrings.xml"):
            if info.file_size > MAX_XLSX_SHARED:
                raise FileRejected("xlsx_shared_strings_too_large", size=f"{info.file_size / MB:.0f}",
                                   max=f"{MAX_XLSX_SHARED / MB:.0f}")
            _check_texts(zf, name, "")
        elif name.lower().startswith("xl/worksheets/") and name.lower().endswith(".xml"):
            _check_sheet(zf, name)


def _too_big(sheet: str, ref: str, rows: int, cols: int) -> FileRejected:
    return FileRejected("xlsx_sheet_too_big", sheet=sheet, ref=ref, cells=_thousands(rows * cols),
                        cols=_thousands(cols), max=_thousands(MAX_XLSX_CELLS), max_cols=_thousands(MAX_COLUMNS))


def _check_extent(sheet: str, ref: str, row: int, col: int) -> None:
    if col > MAX_COLUMNS or row * col > MAX_XLSX_CELLS:
        raise _too_big(sheet, ref, row, col)


def _check_sheet(zf: zipfile.ZipFile, name: str) -> None:
    sheet = name.rsplit("/", 1)[-1].removesuffix(".xml")
    max_row = max_col = 0
    with zf.open(name) as f:
        for _, el in iterparse(f, events=("end",)):
            tag = _local(el.tag)
            if tag == "dimension":
                last = (el.get("ref") or "").split(":")[-1].replace("$", "")
                m = _CELL_REF.fullmatch(last)
                if m:
                    _check_extent(sheet, last, int(m.group(2)), _column_number(m.group(1)))
            elif tag == "c":
                ref = el.get("r")
                if ref:
                    m = _CELL_REF.fullmatch(ref)
                    if not m:
                        raise FileRejected("file_xlsx_broken", detail=f"cell {ref[:20]}")
                    max_row, max_col = max(max_row, int(m.group(2))), max(max_col, _column_number(m.group(1)))
                    _check_extent(sheet, ref, max_row, max_col)
                el.clear()
            elif tag in ("v", "t") and el.text and len(el.text) > MAX_FIELD:
                raise FileRejected("xlsx_cell_too_long", sheet=sheet, n=_thousands(len(el.text)),
                                   max=_thousands(MAX_FIELD))
            elif tag == "row":
                el.clear()


def _check_texts(zf: zipfile.ZipFile, name: str, sheet: str) -> None:
    with zf.open(name) as f:
        for _, el in iterparse(f, events=("end",)):
            if _local(el.tag) == "t" and el.text and len(el.text) > MAX_FIELD:
                raise FileRejected("xlsx_cell_too_long", sheet=sheet or "delade texter", n=_thousands(len(el.text)),
                                   max=_thousands(MAX_FIELD))
            if _local(el.tag) == "si":
                el.clear()


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


_XLSX_ERRORS = (zipfile.BadZipFile, zlib.error, ParseError, KeyError, OSError, ValueError, TypeError, EOFError,
                IndexError, AttributeError)


def read_xlsx(raw: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            check_xlsx_budget(zf)
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except _XLSX_ERRORS as e:
        raise FileRejected("file_xlsx_broken", detail=type(e).__name__) from None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # the extent from the cells themselves, never a declared one
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    except _XLSX_ERRORS as e:  # malformed sheet XML found while reading it
        raise FileRejected("file_xlsx_broken", detail=type(e).__name__) from None
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
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header, start=1):
        if h:
            positions.setdefault(normalise_header(h), []).append(i)
    twice = next((cols for cols in positions.values() if len(cols) > 1), None)
    if twice:  # both would be read as one field and the second dropped: refused, nothing guessed
        raise FileRejected("file_duplicate_header", name=header[twice[0] - 1],
                           cols=", ".join(str(c) for c in twice))
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
