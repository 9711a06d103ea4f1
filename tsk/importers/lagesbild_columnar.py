"""Column-at-a-time parser for the long lägesbild layout in a UTF-8 CSV file.

A region's lägesbild file is millions of rows, and the row loop (`lagesbild.parse_rows`) reads it with
the csv module into Python lists and walks every row in Python: minutes and ~15× the file size in
memory. This parser reads the file with the fast reader (tsk.importers.columnar: pyarrow, every column
as codes of its distinct trimmed values), resolves each *distinct* value (or distinct combination: date
+ week, area + ort + plats) once and maps the answers back to the rows with numpy.

The values are resolved with the row loop's own functions (Gazetteer, `lagesbild._week`, `_grade`,
`redact`), checked in the row loop's order, so the rules and the Swedish messages are the row loop's: a
row goes to quarantine with the first problem the row loop would have raised, and the accepted rows,
coverage and notes are the same. tests/test_lagesbild_columnar.py holds the two to that.

Whatever this parser does not handle returns None (`parse`), and `lagesbild.parse` runs the row loop,
which reads, accepts or rejects the file exactly as before: every file the fast reader leaves to the
general reader (XLSX, Windows-1252, files over the size cap, lines that do not fit the header, blank or
duplicate headers, a file without rows, …: the rules are in tsk.importers.columnar), and the wide layout.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tsk.errors import FileRejected, RowProblem
from tsk.importers.base import Batch, ImportContext, quarantined
from tsk.importers.columnar import (
    Coded,
    Failed,
    combine,
    read_csv_columns,
    resolve_each,
    results,
    take_values,
)
from tsk.importers.forms import (
    choose_mapping,
    headers_text,
    resolve_columns,
    source_label,
)
from tsk.importers.lagesbild import (
    NOTHING,
    REPORTED,
    SOURCE,
    WAITING,
    _grade,
    _grade_table,
    _week,
    count_new_names,
    unit_organisation,
    written_place,
)
from tsk.parsing import week_monday
from tsk.text import normalise_name, redact

COLUMNAR = "columnar"
# Which parser the last `lagesbild.parse` call used: COLUMNAR or "row loop: <why>" (for tests and the
# benchmark; never read by the app).
last_path = ""


def _fall_back(why: str) -> None:
    global last_path
    last_path = f"row loop: {why}"


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

def parse(path: Path, ctx: ImportContext) -> Batch | None:
    """The Batch `lagesbild.parse_rows` would return for `path`, or None where the row loop must
    parse it (see the module docstring). Raises the row loop's FileRejected for a file whose mapping
    or columns do not fit (the same functions on the same headers)."""
    global last_path
    columns, why = read_csv_columns(path)
    if columns is None:  # incl. a file without rows: the row loop rejects it before looking at the headers
        _fall_back(why)
        return None
    last_path = COLUMNAR  # from here on this parser accepts, quarantines or rejects, as the row loop would

    probe = columns.table  # the headers, an empty frame
    mapping, mapping_name = choose_mapping(SOURCE, probe, ctx.mapping, ctx.mapping_name)
    if mapping.get("layout", "long") == "wide":
        _fall_back("wide layout")
        return None
    constants = mapping.get("constants", {})
    # The organisation comes from the mapping's constant, the reporting units in config, or a column.
    required = ["reporter"] + ([] if "organisation" in constants or ctx.config.reporting_units else ["organisation"]) + ["category", "grade"]
    cols = resolve_columns(SOURCE, probe, mapping, required)
    if "week" not in cols and "date" not in cols:
        raise FileRejected("file_wrong_columns", source=source_label(SOURCE), missing="«Vecka» eller «Datum»",
                           found=headers_text(probe))
    nothing_values = {normalise_name(v) for v in mapping.get("nothing_to_report", {}).get("values", [])}
    grades = _grade_table(ctx, mapping)
    gaz = ctx.gazetteer

    row_numbers = columns.row_numbers  # of the kept rows; blank records are counted, as the csv module does
    n = columns.n

    def field(name: str) -> Coded:
        """A mapped field (stripped cells, kept rows); "" in every row when the file does not have it."""
        return columns.coded(cols.get(name))

    err_at = np.full(n, -1, dtype=np.int64)  # index into `problems` of the row's first problem
    problems: list = []

    def flag(mask: np.ndarray, codes: np.ndarray, per_value: list) -> None:
        """Give rows in `mask` without a problem yet the problem of their distinct value (if any)."""
        base = len(problems)
        problems.extend(per_value)
        has = np.array([p is not None for p in per_value] or [False], dtype=bool)
        hit = mask & (err_at < 0) & has[codes]
        err_at[hit] = base + codes[hit]

    # The checks in the row loop's order; each only gives a problem to rows without one yet.
    everyone = np.ones(n, dtype=bool)
    # 1. reporter: given, and a configured reporting unit when units are configured
    rep = field("reporter")
    units, unit_problems = _resolve(rep.values, lambda v: gaz.reporter(v) if v else None)
    flag(everyone, rep.codes, [RowProblem("missing_reporter") if not v else p for v, p in zip(rep.values, unit_problems)])
    rep_units = [u[0] if u else None for u in units]
    # 2. organisation: the unit's, else the mapping's constant, else the file's column
    if ctx.config.reporting_units:
        org = field("organisation")
        org_codes, first = combine(rep.codes, org.codes)
        pairs = [(units[rep.codes[i]], org.values[org.codes[i]]) for i in first]
        org_names, org_problems = _resolve(
            pairs, lambda p: unit_organisation(p[0][1], p[1], ctx) if p[0] else None)
        flag(everyone, org_codes, org_problems)
    elif constants.get("organisation"):
        org_codes, org_names = np.zeros(n, dtype=np.int32), [constants["organisation"]]
    else:
        org = field("organisation")
        org_codes = org.codes
        org_names, org_problems = _resolve(org.values, gaz.organisation)
        flag(everyone, org_codes, org_problems)
    # 3. week, from the date and week cells together
    d, w = field("date"), field("week")
    wk_codes, first = combine(d.codes, w.codes)
    pairs = [(w.values[w.codes[i]], d.values[d.codes[i]]) for i in first]
    weeks, week_problems = _resolve(pairs, lambda p: _week(p[0], p[1]))
    flag(everyone, wk_codes, week_problems)
    known_reporter_week = err_at < 0  # a later problem leaves the submission waiting, not missing
    # 4. "inget att rapportera": coverage only, no further checks
    cat = field("category")
    is_nothing = np.array([normalise_name(v) in nothing_values for v in cat.values] or [False])[cat.codes]
    nothing = is_nothing & (err_at < 0)
    later = (err_at < 0) & ~is_nothing
    # 5. where
    a, o, pl = field("area"), field("ort"), field("place")
    where_codes, first = combine(a.codes, o.codes, pl.codes)
    triples = [(a.values[a.codes[i]], o.values[o.codes[i]], pl.values[pl.codes[i]]) for i in first]
    places, where_problems = _resolve(triples, lambda t: gaz.resolve(area=t[0], ort=t[1], plats=t[2]))
    flag(later, where_codes, where_problems)
    # 6. comment (never a problem), 7. category, 8. grade
    com = field("comment")
    comments = [redact(v) or None for v in com.values]
    categories, cat_problems = _resolve(cat.values, gaz.category)
    flag(later, cat.codes, cat_problems)
    gr = field("grade")
    grade_values, grade_problems = _resolve(gr.values, lambda v: _grade(v, grades, ctx))
    flag(later, gr.codes, grade_problems)

    ok = (err_at < 0) & ~is_nothing
    waiting = known_reporter_week & (err_at >= 0) & ~is_nothing
    place_texts = [written_place(p) if p else None for p in places]
    idx = np.flatnonzero(ok)
    week_year = [x[0] if x else 0 for x in weeks]
    week_no = [x[1] if x else 0 for x in weeks]
    week_mon = [week_monday(x[0], x[1]) if x else None for x in weeks]
    week_date = [x[2] if x else None for x in weeks]
    suffix = pa.array(row_numbers[idx]).cast(pa.string())  # the row loop's id: the file's, else the row number
    if cols.get("id"):
        ids = field("id")
        given = take_values(ids.values, ids.codes[idx], pa.string()).cast(pa.string())
        suffix = pc.if_else(pc.equal(given, ""), suffix, given)
    report_ids = pc.binary_join_element_wise(pa.scalar(f"{ctx.file_name}#"), suffix, "")
    wk_ok, where_ok = wk_codes[idx], where_codes[idx]
    report = pa.table({
        "report_id": report_ids,
        "iso_year": take_values(week_year, wk_ok, pa.int64()),
        "iso_week": take_values(week_no, wk_ok, pa.int64()),
        "week_start": take_values(week_mon, wk_ok, pa.date32()),
        "report_date": take_values(week_date, wk_ok, pa.date32()),
        "organisation": _dict(org_names, org_codes[idx]),
        "reporter": _dict(rep_units, rep.codes[idx]),
        "area": _dict([p.area if p else None for p in places], where_ok),
        "ort": _dict([p.ort if p else None for p in places], where_ok),
        "place": _dict([p.plats if p else None for p in places], where_ok),
        "category": _dict(categories, cat.codes[idx]),
        "grade": take_values(grade_values, gr.codes[idx], pa.int64()),
        "comment": _dict(comments, com.codes[idx]),
        "place_text": _dict(place_texts, where_ok),
    })

    # Coverage: one row per (reporter, organisation, week, status) in file order, the first occurrence
    # kept (the row loop's drop_duplicates). Organisations are compared by resolved name, weeks by
    # (year, week): different cells ("Polis", "Polisen"; "v47 2026", "2026-W47") can mean the same.
    cov_rows = np.flatnonzero(ok | nothing | waiting)
    org_ids, week_ids, unit_ids = _ids(org_names), _ids([x[:2] if x else None for x in weeks]), _ids(rep_units)
    status_codes = nothing.astype(np.int64) + 2 * waiting.astype(np.int64)  # 0 reported, 1 nothing, 2 waiting
    _, first = combine(unit_ids[rep.codes[cov_rows]], org_ids[org_codes[cov_rows]], week_ids[wk_codes[cov_rows]],
                       status_codes[cov_rows])
    firsts = cov_rows[np.sort(first)]
    status_first = status_codes[firsts].astype(np.int32)
    coverage = pa.table({
        "reporter": _dict(rep_units, rep.codes[firsts]).cast(pa.string()),
        "organisation": _dict(org_names, org_codes[firsts]).cast(pa.string()),
        "iso_year": take_values(week_year, wk_codes[firsts], pa.int64()),
        "iso_week": take_values(week_no, wk_codes[firsts], pa.int64()),
        "week_start": take_values(week_mon, wk_codes[firsts], pa.date32()),
        "status": _dict([REPORTED, NOTHING, WAITING], status_first).cast(pa.string()),
    })

    bad = np.flatnonzero(err_at >= 0)
    quarantine = [quarantined(int(row_numbers[i]), original, problems[err_at[i]])
                  for i, original in zip(bad, columns.originals(bad, mapping))]
    columns = None  # the file's columns are done with: free them before the frames are built
    n_submissions = pc.count_distinct(report_ids).as_py() + int((status_first == 1).sum())
    new_names = count_new_names(((places[c].area, places[c].ort, place_texts[c]) for c in np.unique(where_ok).tolist()
                                 if place_texts[c] is not None), ctx)
    report_frame = report.to_pandas(types_mapper=pd.ArrowDtype)
    coverage_frame = coverage.to_pandas(types_mapper=pd.ArrowDtype)
    batch = Batch(tables={"lagesbild": report_frame, "coverage": coverage_frame}, accepted=len(report_frame),
                  quarantine=quarantine, mapping_name=mapping_name)
    batch.notes.append(f"inrapporteringar: {n_submissions}")
    from tsk.importers import (
        NEW_NAMES_NOTE,  # imported here, as lagesbild.parse imports this module
    )

    if new_names:
        batch.notes.append(f"{NEW_NAMES_NOTE}{new_names}")
    return batch
