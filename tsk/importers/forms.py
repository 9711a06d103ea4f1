"""Shared pieces of the tabular importers: finding a mapping for a file, resolving mapped columns,
translating answer labels to scale values, and telling one source's file from another's."""
from __future__ import annotations

import codecs
import csv
import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from tsk.config import KommunConfig, setting_path
from tsk.errors import FileRejected, RowProblem
from tsk.i18n import t
from tsk.importers import reading
from tsk.importers.reading import Table, read_table
from tsk.text import normalise_header, normalise_name


def source_label(source: str) -> str:
    return t(f"source_{source}")


def shipped_mappings(source: str | None = None) -> list[tuple[Path, dict]]:
    """The mapping files in data/mappings (optionally of one source), sorted by name."""
    out = []
    for path in sorted(setting_path("mappings_dir").glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if source is None or data.get("source") == source:
            out.append((path, data))
    return out


def _mapped_headers(mapping: dict) -> list[str]:
    heads = [h for h in mapping.get("columns", {}).values() if isinstance(h, str)]
    heads += list(mapping.get("categories", {}))
    heads += [i["column"] for i in mapping.get("items", []) if "column" in i]
    return heads


def _coverage(table: Table, mapping: dict) -> float:
    heads = _mapped_headers(mapping)
    if not heads:
        return 0.0
    present = {normalise_header(h) for h in table.headers}
    return sum(normalise_header(h) in present for h in heads) / len(heads)


def sniff_other_source(raw_start: bytes) -> str | None:
    """JSON or GeoJSON handed to a tabular importer: say which source it belongs to."""
    head = raw_start.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if head[:1] in (b"[", b"{"):
        if b"FeatureCollection" in head or b'"geometry"' in head:
            return "areas"
        if b'"datetime"' in head or b'"location"' in head:
            return "police"
    return None


def read_for(source: str, path: Path) -> Table:
    """Read a CSV/XLSX for `source`, rejecting JSON files meant for another source first."""
    with open(path, "rb") as f:
        other = sniff_other_source(f.read(4096))
    if other:
        raise FileRejected("file_other_source", other=source_label(other), source=source_label(source), other_key=other)
    table = read_table(path)
    if table.frame.empty and not table.bad_rows:
        raise FileRejected("file_no_rows")
    return table


def choose_mapping(source: str, table: Table, given: dict | None, given_name: str | None) -> tuple[dict, str]:
    """The mapping to read `table` with: the given one, or the shipped one that fits the headers best.

    A file that fits another source's mapping better than any of this source's is rejected as that
    source's file, so an operator who picked the wrong source gets told which one is right.
    """
    if given is not None:
        if given.get("source") not in (None, source):
            raise FileRejected("mapping_wrong_source", path=given_name, mapped=given.get("source"), source=source)
        return given, given_name or "mapping"
    scored = [(_coverage(table, m), path.name, m) for path, m in shipped_mappings()]
    ours = [s for s in scored if s[2].get("source") == source]
    best_ours = max(ours, key=lambda s: s[0], default=(0.0, None, None))
    best_any = max(scored, key=lambda s: s[0], default=(0.0, None, None))
    if best_any[0] >= 0.5 and best_any[2].get("source") != source and best_any[0] > best_ours[0]:
        other = best_any[2]["source"]
        raise FileRejected("file_other_source", other=source_label(other), source=source_label(source), other_key=other)
    if best_ours[0] < 0.5:
        raise FileRejected("file_no_mapping_match", found=headers_text(table))
    return best_ours[2], best_ours[1]


def headers_text(table: Table, limit: int = 12) -> str:
    heads = [h for h in table.headers if h]
    text = ", ".join(f"«{h}»" for h in heads[:limit])
    return text + (" …" if len(heads) > limit else "")


def resolve_columns(source: str, table: Table, mapping: dict, required: list[str]) -> dict[str, str]:
    """Field name -> actual column header in the file, for every mapped column that is present.

    Missing required fields reject the file (it is not this export).
    """
    cols = {}
    for field, header in mapping.get("columns", {}).items():
        actual = table.column(header)
        if actual is not None:
            cols[field] = actual
    missing = [mapping["columns"].get(f, f) for f in required if f not in cols]
    if missing:
        raise FileRejected("file_wrong_columns", source=source_label(source),
                           missing=", ".join(f"«{m}»" for m in missing), found=headers_text(table))
    return cols


@dataclass
class ScaleReader:
    """Answer label -> scale value for each item of a mapping, using the configured scale labels
    (value 1 = first label) plus the mapping's extra labels. Blank and 'missing' labels give None."""

    config: KommunConfig
    mapping: dict
    mapping_name: str

    def __post_init__(self):
        self._keys: dict[str, str] = {}  # cell -> normalise_name(cell): forms repeat a handful of labels
        self.missing = {normalise_name(x) for x in self.mapping.get("missing", {}).get("labels", [])} | {""}
        self.labels: dict[str, dict[str, int]] = {}
        for key, scale in self.config.scales.items():
            table = {normalise_name(label): i + 1 for i, label in enumerate(scale.labels)}
            for label, value in self.mapping.get("labels", {}).get(key, {}).items():
                table[normalise_name(label)] = self._mapped_value(key, label, value, len(scale.labels))
            self.labels[key] = table

    def _mapped_value(self, scale: str, label: str, value, steps: int) -> int:
        """A mapping's extra label must name a step of the scale: anything else rejects the file (a
        value 0 would read as the last label, a value past the end would stop the import halfway)."""
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= steps:
            raise FileRejected("mapping_label_value", path=self.mapping_name, label=label, value=value,
                               scale=scale, steps=steps)
        return value

    def validate(self, allowed_items: set[str]) -> list[dict]:
        """The mapping's items, checked against the configuration (rejects the file if wrong)."""
        items = self.mapping.get("items", [])
        if not items:
            raise FileRejected("mapping_bad", path=self.mapping_name, detail="inga [[items]]")
        for item in items:
            if item.get("key") not in allowed_items:
                raise FileRejected("mapping_unknown_item", path=self.mapping_name, item=item.get("key"))
            if item.get("type", "scale") != "text" and item.get("scale") not in self.config.scales:
                raise FileRejected("mapping_unknown_scale", path=self.mapping_name, scale=item.get("scale"),
                                   item=item["key"])
        return items

    def value(self, item: dict, cell: str, question: str) -> tuple[int, str] | None:
        key = self._keys.get(cell)
        if key is None:
            key = self._keys[cell] = normalise_name(cell)
        if key in self.missing:
            return None
        scale = item["scale"]
        value = self.labels[scale].get(key)
        if value is None:
            if key.isascii() and key.isdigit() and 1 <= int(key) <= len(self.config.scales[scale].labels):
                value = int(key)
            else:
                allowed = ", ".join(self.config.scales[scale].labels)
                raise RowProblem("unknown_label", value=cell, question=question.strip(), allowed=allowed)
        return value, self.config.scales[scale].labels[value - 1]


def row_original(table: Table, i: int, mapping: dict | None = None) -> dict:
    """A row's cells for quarantine, without the columns the mapping names as personal data
    (a form's "E-post" and "Namn"), which are never stored."""
    personal = {normalise_header(h) for h in (mapping or {}).get("personal_columns", [])}
    return {c: str(v) for c, v in table.frame.iloc[i].items() if normalise_header(c) not in personal}


# --- column-at-a-time reading (survey and Träffpunkt) ------------------------------------------------------

@dataclass
class Coded:
    """One text column as codes into its distinct *trimmed* values: cells are compared after strip(),
    as the row loops compare them, and each distinct value is trimmed (and later resolved) once."""

    codes: np.ndarray  # int32, one per row
    values: list[str]  # distinct stripped values, in order of first appearance

    @classmethod
    def blank_column(cls, n: int) -> "Coded":
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


@dataclass
class TextColumns:
    """A file's rows as text columns, the rows and cells `read_for` gives, read column-wise.

    `table` is what choose_mapping, resolve_columns and headers_text look at: the general reader's
    Table, or (when the fast CSV reader read the file) a Table with the same headers and an empty
    frame. `row_numbers` are the file's row numbers of the rows kept (blank rows are skipped, as the
    general reader skips them), `bad_rows` the lines that do not fit the header (general reader only:
    the fast reader leaves such files to it).
    """

    table: Table
    arrow: pa.Table  # every column as read (raw cells), before blank rows are dropped
    keep: np.ndarray | None  # positions in `arrow` of the rows kept; None: all of them
    row_numbers: np.ndarray
    bad_rows: list = field(default_factory=list)
    fast: bool = False
    _coded: dict = field(default_factory=dict, repr=False)

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
        """row_original of each kept row at positions `rows`: the raw cells without personal columns."""
        rows = [int(i) for i in rows]
        if not self.fast:
            return [row_original(self.table, i, mapping) for i in rows]
        personal = {normalise_header(h) for h in (mapping or {}).get("personal_columns", [])}
        at = rows if self.keep is None else [int(self.keep[i]) for i in rows]
        picked = self.arrow.take(pa.array(at, pa.int64())).to_pylist() if at else []
        return [{c: str(v) for c, v in row.items() if normalise_header(c) not in personal} for row in picked]


def read_columns_for(source: str, path: Path) -> TextColumns:
    """Like `read_for` (same checks, same rejections, same rows and cells), column-wise.

    A UTF-8 CSV file whose every line fits the header is read with pyarrow; anything else (XLSX,
    Windows-1252, lines with too few or too many fields, blank or duplicate headers, files over the size
    cap, …) is read by `read_for` itself, so a refused file gets the general reader's message.
    """
    fast = _read_csv_arrow(Path(path))
    if fast is not None:
        arrow, names = fast
        arrow = arrow.rename_columns(names)
        blank = np.ones(arrow.num_rows, dtype=bool)
        columns = TextColumns(Table(pd.DataFrame(columns=names, dtype="string"), []), arrow, None,
                              np.zeros(0, dtype=np.int64), fast=True)
        for name in names:
            c = columns._coded[name] = code_column(arrow.column(name))
            blank &= c.blank[c.codes]
        keep = np.flatnonzero(~blank)
        if len(keep):  # a file of blank rows only: the general reader rejects it
            columns.keep = None if len(keep) == arrow.num_rows else keep
            columns.row_numbers = keep.astype(np.int64) + 2  # the header is row 1
            return columns
    table = read_for(source, path)
    arrow = pa.table({c: pa.array(table.frame[c].tolist(), pa.string()) for c in table.frame.columns}) \
        if len(table.frame.columns) else pa.table({})
    return TextColumns(table, arrow, None, np.asarray(table.row_numbers, dtype=np.int64), list(table.bad_rows))


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


def _read_csv_arrow(path: Path) -> tuple[pa.Table, list[str]] | None:
    """(every column as text, the headers as the general reader cleans them), or None when the file
    needs the general reader (tsk.importers.reading).

    Every line is kept: pyarrow gives an empty line as a row of empty cells where the csv module gives
    an empty record, so row i of the table is record i + 2 of the file either way, and both are blank
    rows. Whatever the csv module would read differently or refuse makes pyarrow fail (a line with too
    few or too many fields, not UTF-8 further on) or is checked here first.
    """
    try:
        size = path.stat().st_size
        if size > reading.MAX_FILE_BYTES:
            return None
        with open(path, "rb") as f:
            raw_start = f.read(4096)
        if not raw_start.strip() or raw_start.startswith(reading.XLSX_MAGIC) or sniff_other_source(raw_start):
            return None
        text = _head_text(path)
    except OSError:
        return None
    if text is None or reading._looks_binary(text) or not text.split("\n", 1)[0].strip():
        return None
    try:
        delimiter = reading.sniff_delimiter(text)
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except (FileRejected, csv.Error, StopIteration):
        return None
    names = [h.replace("\ufeff", "").strip() for h in header]
    if not names or not all(names) or len(set(names)) != len(names) or len(names) > reading.MAX_COLUMNS:
        return None
    if any(len(h) > reading.MAX_FIELD for h in header):
        return None
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowException, ValueError, OSError):
        return None
    if table.column_names != header:
        return None
    if size > reading.MAX_FIELD:
        for column in table.columns:
            longest = pc.max(pc.utf8_length(column)).as_py()
            if longest is not None and longest > reading.MAX_FIELD:
                return None  # the csv module refuses it
    return table, names
