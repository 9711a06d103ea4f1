"""Column-at-a-time parser for the long lägesbild layout in a UTF-8 CSV file.

A region's lägesbild file is millions of rows, and the row loop (`lagesbild.parse_rows`) reads it with
the csv module into Python lists and walks every row in Python: minutes and ~15× the file size in
memory. This parser reads the file with the fast reader (tsk.importers.columnar: pyarrow, every column
as codes of its distinct trimmed values), resolves each *distinct* value (or distinct combination: date
+ week, area + ort + plats) once and maps the answers back to the rows with numpy.

The values are resolved with the rules both paths share (lagesbild_rules.py: Gazetteer, `week`, `grade`,
`redact`), checked in the row loop's order, so the rules and the Swedish messages are the row loop's: a
row goes to quarantine with the first problem the row loop would have raised, and the accepted rows,
coverage and notes are the same. tests/test_lagesbild_columnar.py holds the two to that.

Whatever this parser does not handle it answers with RowLoop(why) (`parse`), and `lagesbild.parse` runs
the row loop, which reads, accepts or rejects the file exactly as before: every file the fast reader
leaves to the general reader (XLSX, Windows-1252, files over the size cap, lines that do not fit the
header, blank or duplicate headers, a file without rows, …: the rules are in tsk.importers.columnar), and
the wide layout.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tsk.errors import RowProblem
from tsk.importers.base import Batch, ImportContext, quarantined
from tsk.importers.columnar import (
    Coded,
    Failed,
    TextColumns,
    combine,
    read_csv_columns,
    resolve_each,
    results,
    take_values,
)
from tsk.importers.forms import choose_mapping, resolve_columns
from tsk.importers.lagesbild_rules import (
    COLUMNAR,
    NOTHING,
    REPORTED,
    SOURCE,
    WAITING,
    check_week_or_date,
    count_new_names,
    grade,
    grade_table,
    lagesbild_batch,
    nothing_values,
    required_fields,
    unit_organisation,
    week,
    written_place,
)
from tsk.parsing import week_monday
from tsk.text import normalise_name, redact

__all__ = ["COLUMNAR", "RowLoop", "parse"]


@dataclass(frozen=True)
class RowLoop:
    """This parser's answer for a file the row loop must read, and why."""

    why: str


# --- distinct values and output columns ----------------------------------------------------------------------

def _ids(values: list) -> np.ndarray:
    """An id per distinct *value* (equal results of different cells share one), -1 for None."""
    index: dict = {}
    return np.array([-1 if v is None else index.setdefault(v, len(index)) for v in values] or [-1], dtype=np.int64)


def _resolve(values: list, fn) -> tuple[list, list]:
    """`resolve_each` split into (results, RowProblems per value). Any other error is raised at once: the
    row loop met it at the first row with that value, before anything could be quarantined."""
    outcomes = resolve_each(values, fn)
    for o in outcomes:
        if isinstance(o, Failed):
            raise o.error
    return results(outcomes), [o if isinstance(o, RowProblem) else None for o in outcomes]


def _dict(values: list, codes: np.ndarray) -> pa.Array:
    """A text column of the output from per-distinct `values` and per-row `codes`, dictionary-encoded
    (no per-row Python strings; DuckDB reads it as text). None values become null rows."""
    index: dict = {}
    remap = np.array([-1 if v is None else index.setdefault(v, len(index)) for v in values] or [-1],
                     dtype=np.int32)
    indices = remap[codes]
    missing = indices < 0
    return pa.DictionaryArray.from_arrays(
        pa.array(np.where(missing, 0, indices), pa.int32(), mask=missing if missing.any() else None),
        pa.array(list(index), pa.string()))


# --- parsing -----------------------------------------------------------------------------------------------

def parse(path: Path, ctx: ImportContext) -> Batch | RowLoop:
    """The Batch `lagesbild.parse_rows` would return for `path` (its `parse_path` COLUMNAR), or RowLoop
    where the row loop must parse it (see the module docstring). Raises the row loop's FileRejected for
    a file whose mapping or columns do not fit (the same functions on the same headers)."""
    columns, why = read_csv_columns(path)
    if columns is None:  # incl. a file without rows: the row loop rejects it before looking at the headers
        return RowLoop(why)
    # From here on this parser accepts, quarantines or rejects, as the row loop would.
    probe = columns.table  # the headers, an empty frame
    mapping, mapping_name = choose_mapping(SOURCE, probe, ctx.mapping, ctx.mapping_name)
    if mapping.get("layout", "long") == "wide":
        return RowLoop("wide layout")
    cols = resolve_columns(SOURCE, probe, mapping, required_fields(mapping, ctx, wide=False))
    check_week_or_date(cols, probe)

    rows = _Checked(columns, cols, ctx, mapping.get("constants", {}))
    rows.check(nothing_values(mapping), grade_table(ctx, mapping))
    report, report_ids = rows.report_table()
    coverage, statuses = rows.coverage_table()
    quarantine = rows.quarantine(mapping)
    columns = rows.columns = None  # the file's columns are done with: free them before the frames are built
    n_submissions = pc.count_distinct(report_ids).as_py() + int((statuses == 1).sum())
    batch = lagesbild_batch(report.to_pandas(types_mapper=pd.ArrowDtype),
                            coverage.to_pandas(types_mapper=pd.ArrowDtype), quarantine, mapping_name,
                            submissions=n_submissions, new_names=rows.new_names())
    batch.parse_path = COLUMNAR
    return batch


class _Checked:
    """The rows of a file checked with the row loop's checks in its order, over distinct values: each row
    keeps the first problem the row loop would have raised (`err_at`), and the resolved values per
    distinct value (or combination) with each row's code into them."""

    def __init__(self, columns: TextColumns, cols: dict[str, str], ctx: ImportContext, constants: dict):
        self.columns, self.cols, self.ctx, self.constants = columns, cols, ctx, constants
        self.n = columns.n
        self.row_numbers = columns.row_numbers  # of the kept rows; blank records are counted, as the csv module does
        self.err_at = np.full(self.n, -1, dtype=np.int64)  # index into `problems` of the row's first problem
        self.problems: list = []

    def field(self, name: str) -> Coded:
        """A mapped field (stripped cells, kept rows); "" in every row when the file does not have it."""
        return self.columns.coded(self.cols.get(name))

    def flag(self, mask: np.ndarray, codes: np.ndarray, per_value: list) -> None:
        """Give rows in `mask` without a problem yet the problem of their distinct value (if any)."""
        base = len(self.problems)
        self.problems.extend(per_value)
        has = np.array([p is not None for p in per_value] or [False], dtype=bool)
        hit = mask & (self.err_at < 0) & has[codes]
        self.err_at[hit] = base + codes[hit]

    def check(self, nothing_values: set[str], grades: dict[str, int]) -> None:
        """The checks in the row loop's order; each only gives a problem to rows without one yet."""
        everyone = np.ones(self.n, dtype=bool)
        self._check_reporter(everyone)
        self._check_organisation(everyone)
        self._check_week(everyone)
        self.known_reporter_week = self.err_at < 0  # a later problem leaves the submission waiting, not missing
        # 4. "inget att rapportera": coverage only, no further checks
        self.cat = self.field("category")
        self.is_nothing = np.array([normalise_name(v) in nothing_values for v in self.cat.values]
                                   or [False])[self.cat.codes]
        self.nothing = self.is_nothing & (self.err_at < 0)
        later = (self.err_at < 0) & ~self.is_nothing
        self._check_where(later)
        self._check_comment_category_grade(later, grades)
        self.ok = (self.err_at < 0) & ~self.is_nothing
        self.waiting = self.known_reporter_week & (self.err_at >= 0) & ~self.is_nothing

    def _check_reporter(self, everyone: np.ndarray) -> None:
        """1. reporter: given, and a configured reporting unit when units are configured."""
        gaz = self.ctx.gazetteer
        self.rep = rep = self.field("reporter")
        self.units, unit_problems = _resolve(rep.values, lambda v: gaz.reporter(v) if v else None)
        self.flag(everyone, rep.codes,
                  [RowProblem("missing_reporter") if not v else p for v, p in zip(rep.values, unit_problems)])
        self.rep_units = [u[0] if u else None for u in self.units]

    def _check_organisation(self, everyone: np.ndarray) -> None:
        """2. organisation: the unit's, else the mapping's constant, else the file's column."""
        ctx, rep, units = self.ctx, self.rep, self.units
        constants = self.constants
        if ctx.config.reporting_units:
            org = self.field("organisation")
            self.org_codes, first = combine(rep.codes, org.codes)
            pairs = [(units[rep.codes[i]], org.values[org.codes[i]]) for i in first]
            self.org_names, org_problems = _resolve(
                pairs, lambda p: unit_organisation(p[0][1], p[1], ctx) if p[0] else None)
            self.flag(everyone, self.org_codes, org_problems)
        elif constants.get("organisation"):
            self.org_codes, self.org_names = np.zeros(self.n, dtype=np.int32), [constants["organisation"]]
        else:
            org = self.field("organisation")
            self.org_codes = org.codes
            self.org_names, org_problems = _resolve(org.values, ctx.gazetteer.organisation)
            self.flag(everyone, self.org_codes, org_problems)

    def _check_week(self, everyone: np.ndarray) -> None:
        """3. week, from the date and week cells together."""
        d, w = self.field("date"), self.field("week")
        self.wk_codes, first = combine(d.codes, w.codes)
        pairs = [(w.values[w.codes[i]], d.values[d.codes[i]]) for i in first]
        self.weeks, week_problems = _resolve(pairs, lambda p: week(p[0], p[1]))
        self.flag(everyone, self.wk_codes, week_problems)

    def _check_where(self, later: np.ndarray) -> None:
        """5. where: area, ort and place together."""
        gaz = self.ctx.gazetteer
        a, o, pl = self.field("area"), self.field("ort"), self.field("place")
        self.where_codes, first = combine(a.codes, o.codes, pl.codes)
        triples = [(a.values[a.codes[i]], o.values[o.codes[i]], pl.values[pl.codes[i]]) for i in first]
        self.places, where_problems = _resolve(triples, lambda t: gaz.resolve(area=t[0], ort=t[1], plats=t[2]))
        self.flag(later, self.where_codes, where_problems)

    def _check_comment_category_grade(self, later: np.ndarray, grades: dict[str, int]) -> None:
        """6. comment (never a problem), 7. category, 8. grade."""
        ctx, cat = self.ctx, self.cat
        self.com = self.field("comment")
        self.comments = [redact(v) or None for v in self.com.values]
        self.categories, cat_problems = _resolve(cat.values, ctx.gazetteer.category)
        self.flag(later, cat.codes, cat_problems)
        self.gr = self.field("grade")
        self.grade_values, grade_problems = _resolve(self.gr.values, lambda v: grade(v, grades, ctx))
        self.flag(later, self.gr.codes, grade_problems)

    def _week_parts(self) -> tuple[list, list, list, list]:
        """Per distinct week: (iso year, iso week, Monday, report date)."""
        weeks = self.weeks
        return ([x[0] if x else 0 for x in weeks], [x[1] if x else 0 for x in weeks],
                [week_monday(x[0], x[1]) if x else None for x in weeks], [x[2] if x else None for x in weeks])

    def report_table(self) -> tuple[pa.Table, pa.Array]:
        """(the accepted report rows, their report ids)."""
        self.place_texts = [written_place(p) if p else None for p in self.places]
        idx = np.flatnonzero(self.ok)
        week_year, week_no, week_mon, week_date = self._week_parts()
        suffix = pa.array(self.row_numbers[idx]).cast(pa.string())  # the row loop's id: the file's, else the row number
        if self.cols.get("id"):
            ids = self.field("id")
            given = take_values(ids.values, ids.codes[idx], pa.string()).cast(pa.string())
            suffix = pc.if_else(pc.equal(given, ""), suffix, given)
        report_ids = pc.binary_join_element_wise(pa.scalar(f"{self.ctx.file_name}#"), suffix, "")
        wk_ok, self.where_ok = self.wk_codes[idx], self.where_codes[idx]
        places, where_ok = self.places, self.where_ok
        report = pa.table({
            "report_id": report_ids,
            "iso_year": take_values(week_year, wk_ok, pa.int64()),
            "iso_week": take_values(week_no, wk_ok, pa.int64()),
            "week_start": take_values(week_mon, wk_ok, pa.date32()),
            "report_date": take_values(week_date, wk_ok, pa.date32()),
            "organisation": _dict(self.org_names, self.org_codes[idx]),
            "reporter": _dict(self.rep_units, self.rep.codes[idx]),
            "area": _dict([p.area if p else None for p in places], where_ok),
            "ort": _dict([p.ort if p else None for p in places], where_ok),
            "place": _dict([p.plats if p else None for p in places], where_ok),
            "category": _dict(self.categories, self.cat.codes[idx]),
            "grade": take_values(self.grade_values, self.gr.codes[idx], pa.int64()),
            "comment": _dict(self.comments, self.com.codes[idx]),
            "place_text": _dict(self.place_texts, where_ok),
        })
        return report, report_ids

    def coverage_table(self) -> tuple[pa.Table, np.ndarray]:
        """(the coverage rows, their status codes: 0 reported, 1 nothing, 2 waiting).

        One row per (reporter, organisation, week, status) in file order, the first occurrence kept (the
        row loop's drop_duplicates). Organisations are compared by resolved name, weeks by (year, week):
        different cells ("Polis", "Polisen"; "v47 2026", "2026-W47") can mean the same."""
        week_year, week_no, week_mon, _ = self._week_parts()
        cov_rows = np.flatnonzero(self.ok | self.nothing | self.waiting)
        org_ids, week_ids = _ids(self.org_names), _ids([x[:2] if x else None for x in self.weeks])
        unit_ids = _ids(self.rep_units)
        status_codes = self.nothing.astype(np.int64) + 2 * self.waiting.astype(np.int64)
        _, first = combine(unit_ids[self.rep.codes[cov_rows]], org_ids[self.org_codes[cov_rows]],
                           week_ids[self.wk_codes[cov_rows]], status_codes[cov_rows])
        firsts = cov_rows[np.sort(first)]
        status_first = status_codes[firsts].astype(np.int32)
        coverage = pa.table({
            "reporter": _dict(self.rep_units, self.rep.codes[firsts]).cast(pa.string()),
            "organisation": _dict(self.org_names, self.org_codes[firsts]).cast(pa.string()),
            "iso_year": take_values(week_year, self.wk_codes[firsts], pa.int64()),
            "iso_week": take_values(week_no, self.wk_codes[firsts], pa.int64()),
            "week_start": take_values(week_mon, self.wk_codes[firsts], pa.date32()),
            "status": _dict([REPORTED, NOTHING, WAITING], status_first).cast(pa.string()),
        })
        return coverage, status_first

    def quarantine(self, mapping: dict) -> list:
        """The rows with a problem, with the first one as the reason and their original cells."""
        bad = np.flatnonzero(self.err_at >= 0)
        return [quarantined(int(self.row_numbers[i]), original, self.problems[self.err_at[i]])
                for i, original in zip(bad, self.columns.originals(bad, mapping))]

    def new_names(self) -> int:
        """Distinct new place names among the accepted rows (after report_table)."""
        places, place_texts = self.places, self.place_texts
        return count_new_names(((places[c].area, places[c].ort, place_texts[c])
                                for c in np.unique(self.where_ok).tolist() if place_texts[c] is not None), self.ctx)
