"""Shared pieces of the tabular importers: finding a mapping for a file, resolving mapped columns,
translating answer labels to scale values, and telling one source's file from another's."""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tsk.config import KommunConfig, setting_path
from tsk.errors import FileRejected, RowProblem
from tsk.i18n import t
from tsk.importers.columnar import TextColumns, read_csv_columns
from tsk.importers.reading import Table, read_table, sniff_other_source
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
            if item.get("type") == "number":
                bounds = [item.get(b) for b in ("min", "max") if b in item]
                if any(isinstance(b, bool) or not isinstance(b, (int, float)) for b in bounds) or (
                        len(bounds) == 2 and bounds[0] > bounds[1]):
                    raise FileRejected("mapping_bad", path=self.mapping_name,
                                       detail=t("mapping_number_bounds", item=item["key"]))
                continue
            if item.get("type", "scale") != "text" and item.get("scale") not in self.config.scales:
                raise FileRejected("mapping_unknown_scale", path=self.mapping_name, scale=item.get("scale"),
                                   item=item["key"])
        return items

    def number(self, item: dict, cell: str, question: str) -> float | None:
        """A numeric answer (`type = "number"`): decimal comma or point, optional `min`/`max` (inclusive);
        blank and 'missing' labels give None; anything else is a RowProblem naming the value."""
        key = self._keys.get(cell)
        if key is None:
            key = self._keys[cell] = normalise_name(cell)
        if key in self.missing:
            return None
        text = cell.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise RowProblem("bad_number", value=cell, question=question.strip()) from None
        if not math.isfinite(value) or not text.lstrip("+-").replace(".", "", 1).isdigit():
            raise RowProblem("bad_number", value=cell, question=question.strip())
        low, high = item.get("min"), item.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            raise RowProblem("number_out_of_range", value=cell, question=question.strip(),
                             low="–" if low is None else low, high="–" if high is None else high)
        return value

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

def read_columns_for(source: str, path: Path) -> TextColumns:
    """Like `read_for` (same checks, same rejections, same rows and cells), column-wise.

    A UTF-8 CSV file the fast reader (tsk.importers.columnar) reads exactly as the general reader would
    is read with pyarrow; anything else (XLSX, Windows-1252, lines with too few or too many fields, blank
    or duplicate headers, files over the size cap, …) is read by `read_for` itself, so a refused file
    gets the general reader's message.
    """
    columns, _ = read_csv_columns(path)
    return columns if columns is not None else TextColumns.from_table(read_for(source, path))
