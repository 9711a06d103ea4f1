"""Trygghetsundersökning importer: wide form exports (one row per respondent, one column per question)
read through a mapping file. Each answer is stored with its scale version, so years asked on different
scales are never mixed; free-text answers are redacted and linked to a configured place they name.

The file is read column-wise (tsk.importers.forms.read_columns_for: the fast reader in
tsk.importers.columnar where it can): every column becomes codes of its distinct trimmed values, each
distinct value (timestamp, answer label, ort, free text) is resolved once, and the results are mapped
back to the rows with numpy. The rules are checked in the order a row loop checks them — timestamp,
year, the items in the mapping's order, then the place — and a row goes to quarantine with the first
problem it meets, so row numbers, reasons and accepted rows are what reading the file row by row gives
(tests/test_survey_fast.py holds the two to that).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tsk.errors import FileRejected, RowProblem
from tsk.importers.base import Batch, ImportContext, Quarantined, bad_row, quarantined
from tsk.importers.columnar import (
    Coded,
    Failed,
    TextColumns,
    combine,
    frame,
    resolve_each,
    results,
    take_values,
)
from tsk.importers.forms import (
    ScaleReader,
    choose_mapping,
    headers_text,
    read_columns_for,
    resolve_columns,
    source_label,
)
from tsk.parsing import parse_timestamp
from tsk.text import redact

SOURCE = "survey"


# --- the rows of a form export ------------------------------------------------------------------------------

@dataclass
class Responses:
    """The rows of a survey or Träffpunkt file, column-wise, with each row's first problem so far."""

    ctx: ImportContext
    columns: TextColumns
    mapping: dict
    mapping_name: str
    cols: dict[str, str]  # field -> header in the file
    problem: np.ndarray  # per row: index into `problems` of its first problem, -1: none yet
    problems: list = field(default_factory=list)
    year: np.ndarray | None = None  # per row (rows without a problem)
    stamps: Coded | None = None  # the timestamp column, and the datetime (or None) of each distinct value
    submitted: list = field(default_factory=list)
    scale_items: list = field(default_factory=list)  # (item, Coded, (value, label) or None per distinct)
    text_items: list = field(default_factory=list)  # (item, Coded, redacted text or None per distinct)
    number_items: list = field(default_factory=list)  # (item, Coded, float or None per distinct)

    @property
    def n(self) -> int:
        return len(self.problem)

    @property
    def without_problem(self) -> np.ndarray:
        """Rows without a problem so far."""
        return self.problem < 0

    def field(self, name: str) -> Coded:
        """A mapped field (stripped cells); "" in every row when the file does not have it."""
        return self.columns.coded(self.cols.get(name))

    def flag(self, codes: np.ndarray, outcomes: list) -> None:
        """Rows without a problem yet whose distinct value's outcome is a RowProblem or Failed get it."""
        bad = np.array([isinstance(o, (RowProblem, Failed)) for o in outcomes] or [False], dtype=bool)
        hit = (self.problem < 0) & bad[codes]
        if hit.any():
            base = len(self.problems)
            self.problems.extend(outcomes)
            self.problem[hit] = base + codes[hit]

    def raise_failed(self) -> None:
        """Stop with the exception of the first row (in file order) whose first problem is Failed."""
        failed = np.array([isinstance(p, Failed) for p in self.problems] or [False], dtype=bool)
        rows = np.flatnonzero((self.problem >= 0) & failed[np.maximum(self.problem, 0)])
        if len(rows):
            raise self.problems[self.problem[rows[0]]].error

    def respondent_ids(self, rows: np.ndarray) -> pa.Array:
        """f"{file}#{id}" of `rows`: the id column, else respondent_id, else the row number."""
        text = pa.large_string()
        out = pa.array(self.columns.row_numbers[rows]).cast(text)
        for name in ("respondent_id", "id"):
            if name in self.cols:
                c = self.field(name)
                codes = c.codes[rows]
                out = pc.if_else(pa.array(~c.blank[codes]), take_values(c.values, codes, text), out)
        return pc.binary_join_element_wise(pa.scalar(f"{self.ctx.file_name}#", text), out, pa.scalar("", text))

    def submitted_at(self, rows: np.ndarray) -> pa.Array:
        return take_values(self.submitted, self.stamps.codes[rows], pa.timestamp("us"))

    def answers(self, rows: np.ndarray) -> tuple[np.ndarray, dict]:
        """The answers of `rows`, respondent by respondent and item by item in the mapping's order:
        (position in `rows` of each answer, its item, scale, value and label columns)."""
        got = [g for _, _, g in self.scale_items]
        at, which, flat = _flatten(rows, [c for _, c, _ in self.scale_items], got)
        results = [g for results in got for g in results]
        return at, {
            "item": take_values([item["key"] for item, _, _ in self.scale_items], which, pa.string()),
            "scale": take_values([item["scale"] for item, _, _ in self.scale_items], which, pa.string()),
            "value": np.array([g[0] if g else 0 for g in results], dtype=np.int64)[flat],
            "label": take_values([g[1] if g else None for g in results], flat, pa.string()),
        }

    def numbers(self, rows: np.ndarray) -> tuple[np.ndarray, dict]:
        """The numeric answers of `rows` (`type = "number"` items), respondent by respondent: (position in
        `rows` of each answer, its item and value columns)."""
        got = [g for _, _, g in self.number_items]
        at, which, flat = _flatten(rows, [c for _, c, _ in self.number_items], got)
        values = [g for per_item in got for g in per_item]
        return at, {
            "item": take_values([item["key"] for item, _, _ in self.number_items], which, pa.string()),
            "value": np.array([v if v is not None else 0.0 for v in values] or [0.0], dtype=np.float64)[flat],
        }

    def texts(self, rows: np.ndarray) -> tuple[np.ndarray, dict, np.ndarray]:
        """The free-text answers of `rows` in the same order: (position in `rows` of each answer, its
        item and text columns, and its code among the distinct texts of all text items one after the
        other, to look up what was found per distinct text)."""
        texts = [t for _, _, t in self.text_items]
        at, which, flat = _flatten(rows, [c for _, c, _ in self.text_items], texts)
        return at, {
            "item": take_values([item["key"] for item, _, _ in self.text_items], which, pa.string()),
            "text": take_values([t for per_item in texts for t in per_item], flat, pa.string()),
        }, flat

    def quarantine(self) -> list[Quarantined]:
        """The lines that did not fit the header and every row with a problem, in row order."""
        out = [bad_row(n, orig, reason) for n, orig, reason in self.columns.bad_rows]
        rows = np.flatnonzero(self.problem >= 0)
        originals = self.columns.originals(rows, self.mapping)
        out += [quarantined(int(self.columns.row_numbers[i]), original, self.problems[self.problem[i]])
                for i, original in zip(rows, originals)]
        return sorted(out, key=lambda q: q.row_number)


def _flatten(rows: np.ndarray, coded: list[Coded], results: list[list]) -> tuple[np.ndarray, ...]:
    """Where the values of several items are, respondent by respondent and item by item within a
    respondent: (position in `rows`, item index, code among the distinct values of all items numbered one
    after the other) of every cell whose per-distinct result (`results`, per item) is not None."""
    if not coded or not len(rows):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    sizes = [len(c.values) for c in coded]
    offsets = np.cumsum([0] + sizes)
    codes = np.empty((len(rows), len(coded)), dtype=np.int64)
    for j, c in enumerate(coded):
        codes[:, j] = c.codes[rows] + offsets[j]
    has = np.array([r is not None for per_item in results for r in per_item], dtype=bool)[codes]
    flat = codes[has]  # row-major: respondent by respondent, items in order
    at = np.repeat(np.arange(len(rows), dtype=np.int64), has.sum(axis=1))
    which = np.repeat(np.arange(len(coded)), sizes)[flat]
    return at, which, flat


def read_responses(source: str, path: Path, ctx: ImportContext, allowed_items: set[str], required: list[str],
                   period_key: str) -> Responses:
    """Shared by the survey and Träffpunkt importers: the file's rows, checked up to the place.

    `period_key` is the mapping key that fixes the period for the whole file ("year" or "round"); without
    it the year of each row's timestamp is used.
    """
    columns = read_columns_for(source, path)
    table = columns.table
    mapping, mapping_name = choose_mapping(source, table, ctx.mapping, ctx.mapping_name)
    reader = ScaleReader(ctx.config, mapping, mapping_name)
    items = reader.validate(allowed_items)
    fixed_period = mapping.get(period_key)
    cols = resolve_columns(source, table, mapping, required + ([] if fixed_period else ["timestamp"]))
    item_cols = [(item, table.column(item["column"])) for item in items]
    if not any(col for _, col in item_cols):
        raise FileRejected("file_wrong_columns", source=source_label(source),
                           missing=", ".join(f"«{i['column']}»" for i in items), found=headers_text(table))
    r = Responses(ctx, columns, mapping, mapping_name, cols, np.full(columns.n, -1, dtype=np.int64))

    # 1. the timestamp: parsed when given, required unless the mapping fixes the period
    def stamp(value: str) -> datetime | None:
        if value:
            try:
                return parse_timestamp(value)
            except ValueError as e:
                raise RowProblem("bad_timestamp", detail=str(e)) from None
        if not fixed_period:
            raise RowProblem("missing_value", field=mapping["columns"].get("timestamp", "timestamp"))
        return None

    r.stamps = r.field("timestamp")
    r.submitted = resolve_each(r.stamps.values, stamp)
    r.flag(r.stamps.codes, r.submitted)
    r.submitted = [s if isinstance(s, datetime) else None for s in r.submitted]
    # 2. the year
    if fixed_period:
        year = resolve_each([fixed_period], lambda p: int(str(p)[:4]))
        r.flag(np.zeros(r.n, dtype=np.int64), year)
        r.year = np.full(r.n, year[0] if isinstance(year[0], int) else 0, dtype=np.int64)
    else:
        years = np.array([s.year if s else 0 for s in r.submitted] or [0], dtype=np.int64)
        r.year = years[r.stamps.codes]
    # 3. the items, in the mapping's order: free text is redacted, answer labels become scale values
    for item, col in item_cols:
        if col is None:
            continue
        c = columns.coded(col)
        if item.get("type") == "text":
            texts = resolve_each(c.values, lambda v: redact(v) if v else None)
            r.flag(c.codes, texts)
            r.text_items.append((item, c, results(texts)))
            continue
        if item.get("type") == "number":
            numbers = resolve_each(c.values, lambda v, item=item: reader.number(item, v, item["column"]) if v else None)
            r.flag(c.codes, numbers)
            r.number_items.append((item, c, results(numbers)))
            continue
        got = resolve_each(c.values, lambda v, item=item: reader.value(item, v, item["column"]))
        r.flag(c.codes, got)
        r.scale_items.append((item, c, results(got)))
    r.raise_failed()
    return r


def parse(path: Path, ctx: ImportContext) -> Batch:
    allowed = {i.key for i in ctx.config.survey_items}
    r = read_responses(SOURCE, path, ctx, allowed, required=[], period_key="year")
    gaz = ctx.gazetteer
    # 4. where the respondent lives: the ort column, else the area column
    ort, area = r.field("ort"), r.field("area")
    where_codes, first = combine(ort.codes, area.codes)
    where_text = [ort.values[ort.codes[i]] or area.values[area.codes[i]] or "" for i in first]
    places = resolve_each(where_text, lambda text: gaz.resolve(ort=text) if text else None)
    r.flag(where_codes, places)
    places = results(places)
    # 5. the place each free-text answer names (only a failure can come of it)
    mentions = [resolve_each(texts, lambda text: gaz.mentioned_place(text) if text is not None else (None, None))
                for _, _, texts in r.text_items]
    for (_, c, _), got in zip(r.text_items, mentions):
        r.flag(c.codes, [g if isinstance(g, Failed) else None for g in got])
    r.raise_failed()

    rows = np.flatnonzero(r.without_problem)
    ids = r.respondent_ids(rows)
    years = r.year[rows]
    where = where_codes[rows]
    age, gender = r.field("age_group"), r.field("gender")
    people = frame({
        "year": years,
        "respondent_id": ids,
        "submitted_at": r.submitted_at(rows),
        "area": take_values([p.area if p else None for p in places], where, pa.string()),
        "ort": take_values([p.ort if p else None for p in places], where, pa.string()),
        "age_group": take_values([v or None for v in age.values], age.codes[rows], pa.string()),
        "gender": take_values([v or None for v in gender.values], gender.codes[rows], pa.string()),
    }, ["year", "respondent_id", "submitted_at", "area", "ort", "age_group", "gender"])
    at, cols = r.answers(rows)
    answers = frame({"year": years[at], "respondent_id": ids.take(at), **cols},
                    ["year", "respondent_id", "item", "scale", "value", "label"])
    at, cols, flat = r.texts(rows)
    found = [m or (None, None) for got in mentions for m in results(got)]
    texts = frame({"year": years[at], "respondent_id": ids.take(at), "item": cols["item"],
                   "text": cols["text"], "ort": take_values([m[0] for m in found], flat, pa.string()),
                   "place": take_values([m[1] for m in found], flat, pa.string())},
                  ["year", "respondent_id", "item", "text", "ort", "place"])
    at, cols = r.numbers(rows)
    numbers = frame({"year": years[at], "respondent_id": ids.take(at), **cols},
                    ["year", "respondent_id", "item", "value"])
    return Batch(
        tables={"survey_respondents": people, "survey_answers": answers, "survey_texts": texts,
                "survey_numbers": numbers},
        accepted=len(people),
        quarantine=r.quarantine(),
        mapping_name=r.mapping_name,
        notes=[f"år: {', '.join(str(y) for y in np.unique(years).tolist())}"] if len(rows) else [],
    )
