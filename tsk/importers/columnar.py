"""The fast CSV reader: a plain UTF-8 CSV file read a column at a time, for the importers of long files.

pyarrow reads the file with every column as text, and each column becomes codes of its distinct
*trimmed* values (`Coded`), so an importer resolves each distinct value once and maps the answers back
to the rows with numpy. The lägesbild parser (lagesbild_columnar.py) and the survey and Träffpunkt
importers (forms.read_columns_for, survey.py) read their files through `read_csv_columns`.

It must give what the general reader (reading.read_table, through forms.read_for) gives for the same
file: the same rows and cells, the same row numbers (blank rows skipped but counted, a quoted cell with a
newline one record), the same rejections. So it reads only the files it is sure to read the same way,
and hands every other file back (None and the reason) for the general reader to read, accept or reject
with its own message. These are the one set of rules for that:

- over reading.MAX_FILE_BYTES (read at call time), blank at the start, XLSX, JSON meant for another
  source (forms.read_for rejects it as that source's file);
- not UTF-8 at the start (Windows-1252 or not text) or further on (pyarrow checks the whole file; the
  general reader then decodes all of it as Windows-1252);
- binary-looking, or a blank first line (the general reader skips leading blank lines);
- no delimiter to be told from the start (the general reader decides: it may reject the file as empty,
  or, where the rest is not UTF-8, decode the start differently and read it);
- a header cell that is blank, padded, duplicated or longer than reading.MAX_FIELD, more than
  reading.MAX_COLUMNS columns, a header pyarrow reads differently from the csv module;
- a line with too few or too many fields (the general reader pads or quarantines it);
- a cell longer than reading.MAX_FIELD (the csv module refuses the file);
- no row that is not blank (the general reader rejects the file).

This is a module of its own, not part of reading.py: reading.py is the general reader every importer
uses and the reference this one is tested against (tests/test_columnar_reader.py,
test_lagesbild_columnar.py, test_survey_fast.py); it stays small and needs neither numpy nor pyarrow.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from tsk.errors import FileRejected, RowProblem
from tsk.importers import reading
from tsk.importers.reading import Table
from tsk.text import normalise_header


@dataclass
class Coded:
    """One text column as codes into its distinct *trimmed* values: cells are compared after strip(),
    as the row loops compare them, and each distinct value is trimmed (and later resolved) once."""

    codes: np.ndarray  # int32, one per row
    values: list[str]  # distinct stripped values, in order of first appearance

    @classmethod
    def blank_column(cls, n: int) -> Coded:
        """A mapped field the file does not have: "" in every row."""
        return cls(np.zeros(n, dtype=np.int32), [""])

    @property
    def blank(self) -> np.ndarray:
        """Per distinct value: is it blank?"""
        return np.array([v == "" for v in self.values], dtype=bool)


def code_column(arr: pa.ChunkedArray | pa.Array) -> Coded:
    """Codes of the distinct stripped values of a text column (nulls read as "")."""
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr], type=arr.type)
    index: dict[str, int] = {}
    parts = []
    for chunk in arr.chunks:
        if chunk.null_count:
            chunk = pc.fill_null(chunk, "")
        enc = pc.dictionary_encode(chunk)
        remap = np.array([index.setdefault(v.strip(), len(index)) for v in enc.dictionary.to_pylist()] or [0],
                         dtype=np.int32)
        parts.append(remap[enc.indices.to_numpy(zero_copy_only=False)])
    codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return Coded(codes.astype(np.int32, copy=False), list(index) or [""])


def combine(*codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct combinations of several code arrays: (int64 code of each row's combination, first row of
    each combination). Combinations are numbered in lexicographic order of the codes; the keys are
    re-densified whenever the next column could overflow int64."""
    key = np.asarray(codes[0]).astype(np.int64)
    for c in codes[1:]:
        width = int(c.max(initial=0)) + 1
        if (int(key.max(initial=0)) + 1) * width >= 1 << 62:
            key = np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)
        key = key * width + c
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64, copy=False), first


@dataclass
class TextColumns:
    """A file's rows as text columns: the rows and cells `forms.read_for` gives, read column-wise.

    `table` is what choose_mapping, resolve_columns and headers_text look at: the general reader's
    Table, or (when the fast reader read the file) a Table with the same headers and an empty frame.
    `row_numbers` are the file's row numbers of the rows kept (blank rows are skipped, as the general
    reader skips them), `bad_rows` the lines that do not fit the header (general reader only: the fast
    reader leaves such files to it).
    """

    table: Table
    arrow: pa.Table  # every column as read (raw cells), before blank rows are dropped
    keep: np.ndarray | None  # positions in `arrow` of the rows kept; None: all of them
    row_numbers: np.ndarray
    bad_rows: list = field(default_factory=list)
    fast: bool = False
    _coded: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_table(cls, table: Table) -> TextColumns:
        """The general reader's Table, column-wise (its frame holds the kept rows only)."""
        arrow = pa.table({c: pa.array(table.frame[c].tolist(), pa.string()) for c in table.frame.columns}) \
            if len(table.frame.columns) else pa.table({})
        return cls(table, arrow, None, np.asarray(table.row_numbers, dtype=np.int64), list(table.bad_rows))

    @property
    def n(self) -> int:
        return len(self.row_numbers)

    def coded(self, header: str | None) -> Coded:
        """The column `header` (a header of `table`; None: a field the file does not have), kept rows."""
        if header is None:
            return Coded.blank_column(self.n)
        got = self._coded.get(header)
        if got is None:
            got = self._coded[header] = code_column(self.arrow.column(header))
        return got if self.keep is None else Coded(got.codes[self.keep], got.values)

    def originals(self, rows, mapping: dict | None = None) -> list[dict]:
        """The raw cells of each kept row at positions `rows`, without the columns the mapping names as
        personal data (forms.row_original of the general reader's Table)."""
        personal = {normalise_header(h) for h in (mapping or {}).get("personal_columns", [])}
        at = [int(i) for i in rows]
        if self.keep is not None:
            at = [int(self.keep[i]) for i in at]
        picked = self.arrow.take(pa.array(at, pa.int64())).to_pylist() if at else []
        return [{c: str(v) for c, v in row.items() if normalise_header(c) not in personal} for row in picked]


# --- the fast reader -----------------------------------------------------------------------------------------

def _head_text(path: Path) -> str | None:
    """The start of the file as the general reader decodes it (UTF-8, BOM dropped): at least
    reading.SNIFF_CHARS characters, so the delimiter is sniffed from the same text. None when the start
    is not UTF-8 (the general reader decides: Windows-1252 or not text)."""
    want = 4 * reading.SNIFF_CHARS + 4  # a UTF-8 character is at most 4 bytes
    with open(path, "rb") as f:
        head = f.read(want)
        at_end = not f.read(1)
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=at_end)
    except UnicodeDecodeError:
        return None


def _read_arrow(path: Path) -> tuple[pa.Table | None, str]:
    """(every column as text, headers as the general reader cleans them) or (None, why the general
    reader must read the file).

    Every line is kept: pyarrow gives an empty line as a row of empty cells where the csv module gives
    an empty record, so row i of the table is record i + 2 of the file either way, and both are blank
    rows. Whatever the csv module would read differently or refuse makes pyarrow fail (a line with too
    few or too many fields, not UTF-8 further on) or is checked here first.
    """
    try:
        size = path.stat().st_size
        if size > reading.MAX_FILE_BYTES:
            return None, "over the size cap"
        with open(path, "rb") as f:
            raw_start = f.read(4096)
        if not raw_start.strip() or raw_start.startswith(reading.XLSX_MAGIC) or reading.sniff_other_source(raw_start):
            return None, "empty, XLSX or JSON"
        text = _head_text(path)
    except OSError:
        return None, "unreadable"
    if text is None:
        return None, "not UTF-8"
    if reading._looks_binary(text) or not text.split("\n", 1)[0].strip():
        return None, "binary, or blank first line"
    try:
        delimiter = reading.sniff_delimiter(text)
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except (FileRejected, csv.Error, StopIteration):
        return None, "header needs the general reader"
    names = [h.replace("\ufeff", "").strip() for h in header]
    if (not names or not all(names) or len({normalise_header(h) for h in names}) != len(names)
            or len(names) > reading.MAX_COLUMNS
            or any(len(h) > reading.MAX_FIELD for h in header)):
        return None, "header needs the general reader"
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowException, ValueError, OSError):
        return None, "lines the general reader must judge"  # too few/many fields, not UTF-8 further on …
    if table.column_names != header:
        return None, "header read differently"
    if size > reading.MAX_FIELD:
        for column in table.columns:
            longest = pc.max(pc.utf8_length(column)).as_py()
            if longest is not None and longest > reading.MAX_FIELD:
                return None, "a cell over the field limit"  # the csv module refuses it
    return table.rename_columns(names), ""


def read_csv_columns(path: Path) -> tuple[TextColumns | None, str]:
    """(the file column-wise, "") when the fast reader reads it exactly as the general reader would,
    else (None, why the general reader must read it): see the module docstring for the rules.

    Every column is coded here (a row is blank when all its trimmed cells are), so `coded` is free."""
    arrow, why = _read_arrow(Path(path))
    if arrow is None:
        return None, why
    names = arrow.column_names
    columns = TextColumns(Table(pd.DataFrame(columns=names, dtype="string"), []), arrow, None,
                          np.zeros(0, dtype=np.int64), fast=True)
    blank = np.ones(arrow.num_rows, dtype=bool)
    for name in names:
        c = columns._coded[name] = code_column(arrow.column(name))
        blank &= c.blank[c.codes]
    keep = np.flatnonzero(~blank)
    if not len(keep):
        return None, "no rows"  # the general reader rejects it (file_no_rows)
    columns.keep = None if len(keep) == arrow.num_rows else keep
    columns.row_numbers = keep.astype(np.int64) + 2  # the header is record 1; blank records count
    return columns, ""


# --- resolving distinct values (shared by the columnar parsers) ------------------------------------------------------------------------------

@dataclass
class Failed:
    """An exception other than RowProblem raised for a distinct value. It stops the import, as it did
    in a row loop, but only if a row reaches it (a row quarantined earlier never does)."""

    error: Exception


def resolve_each(values: list, fn) -> list:
    """fn of each distinct value: its result, the RowProblem it raised, or Failed."""
    out = []
    for v in values:
        try:
            out.append(fn(v))
        except RowProblem as problem:
            out.append(problem)
        except Exception as e:  # noqa: BLE001 - raised again where a row loop would have met it
            out.append(Failed(e))
    return out


def results(outcomes: list) -> list:
    """The outcomes of resolve_each with problems (RowProblem, Failed) as None."""
    return [None if isinstance(o, (RowProblem, Failed)) else o for o in outcomes]


def take_values(values: list, codes: np.ndarray, typ: pa.DataType) -> pa.Array:
    """Per-row values from per-distinct `values` (None is null). Text comes out as large_string, the
    type pandas keeps its str columns in."""
    if typ == pa.string():
        typ = pa.large_string()
    return pa.array(values, typ).take(np.asarray(codes, dtype=np.int64))


# What pandas infers for a column of Python str (None as NaN), as in pd.DataFrame(list_of_tuples).
STR = pd.StringDtype("pyarrow", na_value=np.nan)


def frame(columns: dict[str, pa.Array | np.ndarray], names: list[str]) -> pd.DataFrame:
    """A result table with the dtypes pandas gives the same rows as Python tuples: int64, str (None as
    NaN), datetime64[us]; a column without a single value is object (None), and an empty table is
    object throughout."""
    n = len(columns[names[0]])
    if n == 0:
        return pd.DataFrame([], columns=names)
    data = {}
    for name in names:
        col = columns[name]
        if isinstance(col, np.ndarray):
            data[name] = col
        elif col.null_count == n:
            data[name] = np.full(n, None, dtype=object)
        elif pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            data[name] = pd.arrays.ArrowStringArray(pa.chunked_array([col.cast(pa.large_string())]), dtype=STR)
        else:  # int64, timestamp[us] (null as NaT)
            data[name] = col.to_numpy(zero_copy_only=False)
    return pd.DataFrame(data, columns=names)
