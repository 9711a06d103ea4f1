"""EST lägesbild importer.

Two layouts, both described by a mapping file (data/mappings/lagesbild_*.toml):
- long: one row per report × category (the standard format; police and housing company files);
- wide: one row per submission with one column per category (form exports such as Microsoft Forms).
Every submission also records reporting coverage: "rapporterat" or "inget att rapportera", so that a
week without a report is never read as a calm week.

`parse` reads the long layout in a UTF-8 CSV column at a time (lagesbild_columnar.py) and everything else
with the row loop `parse_rows`; both apply the rules of lagesbild_rules.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tsk.errors import FileRejected, RowProblem
from tsk.importers import lagesbild_columnar
from tsk.importers.base import Batch, ImportContext, bad_row, quarantined
from tsk.importers.forms import (
    choose_mapping,
    headers_text,
    read_for,
    resolve_columns,
    row_original,
    source_label,
)
from tsk.importers.lagesbild_rules import (
    COLUMNAR,
    COVERAGE_COLUMNS,
    NOTHING,
    REPORT_COLUMNS,
    REPORTED,
    ROW_LOOP,
    SOURCE,
    WAITING,
    check_week_or_date,
    count_new_names,
    grade,
    grade_table,
    lagesbild_batch,
    nothing_values,
    path_taken,
    required_fields,
    unit_organisation,
    week,
    written_place,
)
from tsk.parsing import week_monday
from tsk.text import normalise_name, redact


def parse(path: Path, ctx: ImportContext) -> Batch:
    """Parse a lägesbild file: column at a time where it can (tsk/importers/lagesbild_columnar.py, the
    long layout in a UTF-8 CSV: a region's file of millions of rows in seconds), else the row loop.

    Both give the same Batch for the same file and reject the same files with the same message; a file
    the columnar parser does not handle (see its module docstring) is read by the row loop as before.
    The path taken is the Batch's `parse_path` (or the FileRejected's): COLUMNAR or ROW_LOOP + why.
    """
    with path_taken(COLUMNAR):
        answer = lagesbild_columnar.parse(path, ctx)
    if isinstance(answer, Batch):
        return answer
    taken = ROW_LOOP + answer.why
    with path_taken(taken):
        batch = parse_rows(path, ctx)
    batch.parse_path = taken
    return batch


class _Rows:
    """Reads the mapped fields of one table row (columns held as plain lists: cell access through
    the DataFrame per cell dominated the import time)."""

    def __init__(self, frame: pd.DataFrame, cols: dict[str, str]):
        self.values = {field: [str(v).strip() for v in frame[col].tolist()] for field, col in cols.items()}

    def get(self, i: int, field: str) -> str:
        column = self.values.get(field)
        return column[i] if column is not None else ""


class _Memo:
    """Remembers the answer (or the RowProblem) for each distinct input: a file repeats the same
    orter, weeks, categories and grades thousands of times, and each answer is the same every time."""

    def __init__(self, fn):
        self.fn = fn
        self.seen: dict = {}

    def __call__(self, *key):
        if key not in self.seen:
            try:
                self.seen[key] = (True, self.fn(*key))
            except RowProblem as problem:
                self.seen[key] = (False, problem)
        ok, value = self.seen[key]
        if not ok:
            raise value
        return value


@dataclass
class _Layout:
    """How a file's columns map to the fields: the mapping, the columns found, and for the wide layout
    the category columns (column -> category key)."""

    mapping: dict
    mapping_name: str | None
    wide: bool
    cols: dict[str, str]
    category_cols: dict[str, str]


def _layout(table, ctx: ImportContext) -> _Layout:
    """The mapping and the columns of `table`; FileRejected when the file lacks a column it needs."""
    mapping, mapping_name = choose_mapping(SOURCE, table, ctx.mapping, ctx.mapping_name)
    wide = mapping.get("layout", "long") == "wide"
    cols = resolve_columns(SOURCE, table, mapping, required_fields(mapping, ctx, wide=wide))
    check_week_or_date(cols, table)
    category_cols = {}
    if wide:
        for header, key in mapping.get("categories", {}).items():
            actual = table.column(header)
            if actual is not None:
                category_cols[actual] = ctx.gazetteer.category(key) if key else key
        if not category_cols:
            raise FileRejected("file_wrong_columns", source=source_label(SOURCE), missing="kategorikolumnerna",
                               found=headers_text(table))
    return _Layout(mapping, mapping_name, wide, cols, category_cols)


class _Resolver:
    """Each field of a row resolved by the shared rules, each distinct input once (`_Memo`)."""

    def __init__(self, ctx: ImportContext, mapping: dict):
        grades = grade_table(ctx, mapping)
        self.week = _Memo(week)
        self.place = _Memo(lambda area, ort, plats: ctx.gazetteer.resolve(area=area, ort=ort, plats=plats))
        self.organisation = _Memo(ctx.gazetteer.organisation)
        self.reporter = _Memo(ctx.gazetteer.reporter)
        self.unit_organisation = _Memo(lambda unit_org, cell: unit_organisation(unit_org, cell, ctx))
        self.place_text = _Memo(written_place)
        self.category = _Memo(ctx.gazetteer.category)
        self.grade = _Memo(lambda cell: grade(cell, grades, ctx))


def parse_rows(path: Path, ctx: ImportContext) -> Batch:
    """The row loop: every layout and encoding the readers accept (XLSX, Windows-1252, the wide form
    layout), one row at a time, each distinct value resolved once (`_Memo`)."""
    table = read_for(SOURCE, path)
    layout = _layout(table, ctx)
    reports, coverage, quarantine = _walk_rows(table, layout, ctx)
    report_frame = pd.DataFrame(reports, columns=REPORT_COLUMNS)
    coverage_frame = pd.DataFrame(coverage, columns=COVERAGE_COLUMNS).drop_duplicates()
    n_submissions = report_frame["report_id"].nunique() + int((coverage_frame["status"] == NOTHING).sum())
    typed = report_frame[report_frame["place_text"].notna()]
    new_names = count_new_names(zip(typed["area"], typed["ort"], typed["place_text"]), ctx)
    return lagesbild_batch(report_frame, coverage_frame, quarantine, layout.mapping_name,
                           submissions=n_submissions, new_names=new_names)


def _walk_rows(table, layout: _Layout, ctx: ImportContext) -> tuple[list, list, list]:
    """(report rows, coverage rows, quarantine) of the table, row by row in file order."""
    mapping, wide, category_cols = layout.mapping, layout.wide, layout.category_cols
    constants = mapping.get("constants", {})
    nothing = nothing_values(mapping)
    rows = _Rows(table.frame, layout.cols)
    of = _Resolver(ctx, mapping)
    category_cells = {col: [str(v).strip() for v in table.frame[col].tolist()] for col in category_cols}

    reports, coverage, quarantine = [], [], [bad_row(n, orig, reason) for n, orig, reason in table.bad_rows]
    for i, row_number in enumerate(table.row_numbers):
        reported = None  # (reporter, organisation, year, week, monday) once those are known
        try:
            reporter = rows.get(i, "reporter")
            if not reporter:
                raise RowProblem("missing_reporter")
            reporter, unit_org = of.reporter(reporter)
            organisation = of.unit_organisation(unit_org, rows.get(i, "organisation")) if unit_org \
                else constants.get("organisation") or of.organisation(rows.get(i, "organisation"))
            year, week_no, report_date = of.week(rows.get(i, "week"), rows.get(i, "date"))
            monday = week_monday(year, week_no)
            reported = (reporter, organisation, year, week_no, monday)
            nothing_cell = rows.get(i, "nothing_to_report") if wide else rows.get(i, "category")
            if normalise_name(nothing_cell) in nothing:
                coverage.append((*reported, NOTHING))
                continue
            where = of.place(rows.get(i, "area"), rows.get(i, "ort"), rows.get(i, "place"))
            place_text = of.place_text(where)
            comment = redact(rows.get(i, "comment")) or None
            report_id = f"{ctx.file_name}#{rows.get(i, 'id') or row_number}"
            if wide:
                graded = [(key, of.grade(category_cells[col][i])) for col, key in category_cols.items()
                          if category_cells[col][i]]
                if not graded:
                    raise RowProblem("no_categories")
            else:
                graded = [(of.category(rows.get(i, "category")), of.grade(rows.get(i, "grade")))]
            for category, grade_value in graded:
                reports.append((report_id, year, week_no, monday, report_date, organisation, reporter, where.area,
                                where.ort, where.plats, category, grade_value, comment, place_text))
            coverage.append((*reported, REPORTED))
        except RowProblem as problem:
            quarantine.append(quarantined(row_number, row_original(table, i, mapping), problem))
            if reported is not None:
                coverage.append((*reported, WAITING))
    return reports, coverage, quarantine
