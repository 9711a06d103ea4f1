"""EST lägesbild importer.

Two layouts, both described by a mapping file (data/mappings/lagesbild_*.toml):
- long: one row per report × category (the standard format; police and housing company files);
- wide: one row per submission with one column per category (form exports such as Microsoft Forms).
Every submission also records reporting coverage: "rapporterat" or "inget att rapportera", so that a
week without a report is never read as a calm week.

`parse` reads the long layout in a UTF-8 CSV column at a time (lagesbild_columnar.py, with this module's
rules) and everything else with the row loop `parse_rows`.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from tsk.errors import FileRejected, RowProblem
from tsk.importers.base import Batch, ImportContext, bad_row, quarantined
from tsk.importers.forms import (
    choose_mapping,
    headers_text,
    read_for,
    resolve_columns,
    row_original,
    source_label,
)
from tsk.parsing import parse_date, parse_week, week_monday
from tsk.text import normalise_name, redact

SOURCE = "lagesbild"
REPORT_COLUMNS = ["report_id", "iso_year", "iso_week", "week_start", "report_date", "organisation", "reporter",
                  "area", "ort", "place", "category", "grade", "comment", "place_text"]
COVERAGE_COLUMNS = ["reporter", "organisation", "iso_year", "iso_week", "week_start", "status"]
# Coverage statuses an import writes. A submission kept in quarantine for its place, category or grade
# was reported all the same: it waits for a correction, it is not missing.
REPORTED, NOTHING, WAITING = "rapporterat", "inget_att_rapportera", "vantar_pa_rattning"


def unit_organisation(unit_org: str, cell: str, ctx: ImportContext) -> str:
    """A configured reporting unit's organisation; an organisation the row gives must be the same one."""
    if cell:
        given = ctx.gazetteer.organisation(cell)
        if given != unit_org:
            raise RowProblem("unit_other_organisation", name=cell, expected=unit_org)
    return unit_org


def count_new_names(places, ctx: ImportContext) -> int:
    """Distinct new place names among (area, ort, place_text) triples: one per normalised name and ort
    (or area), as the review lists them."""
    abbr = ctx.config.abbreviations
    return len({(area, ort, normalise_name(text, abbr)) for area, ort, text in places if isinstance(text, str)})


def written_place(where) -> str | None:
    """The place name a row gave that is no known place, redacted (None when placed or not given)."""
    return redact(where.written) if where.written else None


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


def _grade_table(ctx: ImportContext, mapping: dict) -> dict[str, int]:
    table = {normalise_name(label): g for g, label in ctx.config.grades.items()}
    table.update({normalise_name(str(g)): g for g in ctx.config.grades})
    for label, g in mapping.get("grades", {}).items():
        table[normalise_name(label)] = int(g)
    return table


def _grade(cell: str, grades: dict[str, int], ctx: ImportContext) -> int:
    key = normalise_name(cell).replace(",0", "").replace(" 0", "")
    if key in grades:
        return grades[key]
    allowed = ", ".join(f"{g} = {label}" for g, label in sorted(ctx.config.grades.items()))
    raise RowProblem("unknown_grade", value=cell, allowed=allowed)


def _week(raw_week: str, raw_date: str) -> tuple[int, int, date | None]:
    """(iso_year, iso_week, report_date) from the week column, the date column, or both."""
    report_date = None
    if raw_date:
        try:
            report_date = parse_date(raw_date)
        except ValueError as e:
            raise RowProblem("bad_date", detail=str(e)) from None
    if raw_week:
        try:
            year, week = parse_week(raw_week, default_year=report_date.isocalendar().year if report_date else None)
        except ValueError as e:
            raise RowProblem("bad_week", detail=str(e)) from None
        return year, week, report_date
    if report_date:
        iso = report_date.isocalendar()
        return iso.year, iso.week, report_date
    raise RowProblem("missing_value", field="vecka eller datum")


def parse(path: Path, ctx: ImportContext) -> Batch:
    """Parse a lägesbild file: column at a time where it can (tsk/importers/lagesbild_columnar.py, the
    long layout in a UTF-8 CSV: a region's file of millions of rows in seconds), else the row loop.

    Both give the same Batch for the same file and reject the same files with the same message; a file
    the columnar parser does not handle (see its module docstring) is read by the row loop as before.
    """
    from tsk.importers import (
        lagesbild_columnar,  # imports this module's rules; imported here, not at the top
    )

    batch = lagesbild_columnar.parse(path, ctx)
    return batch if batch is not None else parse_rows(path, ctx)


def parse_rows(path: Path, ctx: ImportContext) -> Batch:
    """The row loop: every layout and encoding the readers accept (XLSX, Windows-1252, the wide form
    layout), one row at a time, each distinct value resolved once (`_Memo`)."""
    table = read_for(SOURCE, path)
    mapping, mapping_name = choose_mapping(SOURCE, table, ctx.mapping, ctx.mapping_name)
    wide = mapping.get("layout", "long") == "wide"
    constants = mapping.get("constants", {})
    # The organisation comes from the mapping's constant, the reporting units in config, or a column.
    required = ["reporter"] + ([] if "organisation" in constants or ctx.config.reporting_units else ["organisation"])
    if not wide:
        required += ["category", "grade"]
    cols = resolve_columns(SOURCE, table, mapping, required)
    if "week" not in cols and "date" not in cols:
        raise FileRejected("file_wrong_columns", source=source_label(SOURCE), missing="«Vecka» eller «Datum»",
                           found=headers_text(table))
    category_cols = {}
    if wide:
        for header, key in mapping.get("categories", {}).items():
            actual = table.column(header)
            if actual is not None:
                category_cols[actual] = ctx.gazetteer.category(key) if key else key
        if not category_cols:
            raise FileRejected("file_wrong_columns", source=source_label(SOURCE), missing="kategorikolumnerna",
                               found=headers_text(table))
    nothing_values = {normalise_name(v) for v in mapping.get("nothing_to_report", {}).get("values", [])}
    grades = _grade_table(ctx, mapping)
    rows = _Rows(table.frame, cols)
    week_of = _Memo(_week)
    place_of = _Memo(lambda area, ort, plats: ctx.gazetteer.resolve(area=area, ort=ort, plats=plats))
    organisation_of = _Memo(ctx.gazetteer.organisation)
    reporter_of = _Memo(ctx.gazetteer.reporter)
    unit_organisation_of = _Memo(lambda unit_org, cell: unit_organisation(unit_org, cell, ctx))
    place_text_of = _Memo(written_place)
    category_of = _Memo(ctx.gazetteer.category)
    grade_of = _Memo(lambda cell: _grade(cell, grades, ctx))
    category_cells = {col: [str(v).strip() for v in table.frame[col].tolist()] for col in category_cols}

    reports, coverage, quarantine = [], [], [bad_row(n, orig, reason) for n, orig, reason in table.bad_rows]
    for i, row_number in enumerate(table.row_numbers):
        reported = None  # (reporter, organisation, year, week, monday) once those are known
        try:
            reporter = rows.get(i, "reporter")
            if not reporter:
                raise RowProblem("missing_reporter")
            reporter, unit_org = reporter_of(reporter)
            organisation = unit_organisation_of(unit_org, rows.get(i, "organisation")) if unit_org \
                else constants.get("organisation") or organisation_of(rows.get(i, "organisation"))
            year, week, report_date = week_of(rows.get(i, "week"), rows.get(i, "date"))
            monday = week_monday(year, week)
            reported = (reporter, organisation, year, week, monday)
            nothing_cell = rows.get(i, "nothing_to_report") if wide else rows.get(i, "category")
            if normalise_name(nothing_cell) in nothing_values:
                coverage.append((*reported, NOTHING))
                continue
            where = place_of(rows.get(i, "area"), rows.get(i, "ort"), rows.get(i, "place"))
            place_text = place_text_of(where)
            comment = redact(rows.get(i, "comment")) or None
            report_id = f"{ctx.file_name}#{rows.get(i, 'id') or row_number}"
            if wide:
                graded = [(key, grade_of(category_cells[col][i])) for col, key in category_cols.items()
                          if category_cells[col][i]]
                if not graded:
                    raise RowProblem("no_categories")
            else:
                graded = [(category_of(rows.get(i, "category")), grade_of(rows.get(i, "grade")))]
            for category, grade in graded:
                reports.append((report_id, year, week, monday, report_date, organisation, reporter, where.area,
                                where.ort, where.plats, category, grade, comment, place_text))
            coverage.append((*reported, REPORTED))
        except RowProblem as problem:
            quarantine.append(quarantined(row_number, row_original(table, i, mapping), problem))
            if reported is not None:
                coverage.append((*reported, WAITING))

    report_frame = pd.DataFrame(reports, columns=REPORT_COLUMNS)
    coverage_frame = pd.DataFrame(coverage, columns=COVERAGE_COLUMNS).drop_duplicates()
    n_submissions = report_frame["report_id"].nunique() + int((coverage_frame["status"] == NOTHING).sum())
    batch = Batch(
        tables={"lagesbild": report_frame, "coverage": coverage_frame},
        accepted=len(report_frame),
        quarantine=quarantine,
        mapping_name=mapping_name,
    )
    batch.notes.append(f"inrapporteringar: {n_submissions}")
    from tsk.importers import (
        NEW_NAMES_NOTE,  # the package imports this module's rules: imported here
    )

    typed = report_frame[report_frame["place_text"].notna()]
    new_names = count_new_names(zip(typed["area"], typed["ort"], typed["place_text"]), ctx)
    if new_names:
        batch.notes.append(f"{NEW_NAMES_NOTE}{new_names}")
    return batch
