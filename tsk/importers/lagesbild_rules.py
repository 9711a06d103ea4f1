"""The lägesbild rules both parse paths share: the row loop (lagesbild.parse_rows) and the column-at-a-time
parser (lagesbild_columnar.parse) read the mapping, check the columns, resolve weeks, grades and
organisations, and build the Batch and its notes with these functions, so a file gives the same rows,
quarantine reasons and notes whichever path reads it.

Which path read a file is reported on what `lagesbild.parse` answers: the Batch's `parse_path`, or the
`parse_path` attribute of the FileRejected it raises (COLUMNAR, or ROW_LOOP + why the columnar parser
left the file to the row loop).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pandas as pd

from tsk.errors import FileRejected, RowProblem
from tsk.importers.base import Batch, ImportContext, Quarantined
from tsk.importers.forms import headers_text, source_label
from tsk.parsing import parse_date, parse_week
from tsk.text import normalise_name, redact

SOURCE = "lagesbild"
REPORT_COLUMNS = ["report_id", "iso_year", "iso_week", "week_start", "report_date", "organisation", "reporter",
                  "area", "ort", "place", "category", "grade", "comment", "place_text"]
COVERAGE_COLUMNS = ["reporter", "organisation", "iso_year", "iso_week", "week_start", "status"]
# Coverage statuses an import writes. A submission kept in quarantine for its place, category or grade
# was reported all the same: it waits for a correction, it is not missing.
REPORTED, NOTHING, WAITING = "rapporterat", "inget_att_rapportera", "vantar_pa_rattning"
NEW_NAMES_NOTE = "nya platsnamn: "  # the lägesbild importers' note: distinct free-typed place names kept
# The paths `lagesbild.parse` may take (for tests and the benchmark; never read by the app).
COLUMNAR = "columnar"
ROW_LOOP = "row loop: "


@contextmanager
def path_taken(path: str) -> Iterator[None]:
    """Mark a FileRejected raised inside with the parse path that raised it (`parse_path`)."""
    try:
        yield
    except FileRejected as rejected:
        rejected.parse_path = path
        raise


# --- the mapping and the columns -----------------------------------------------------------------------------

def required_fields(mapping: dict, ctx: ImportContext, *, wide: bool) -> list[str]:
    """The fields a file must have columns for. The organisation comes from the mapping's constant, the
    reporting units in config, or a column; the long layout names the category and grade per row."""
    constants = mapping.get("constants", {})
    required = ["reporter"] + ([] if "organisation" in constants or ctx.config.reporting_units else ["organisation"])
    return required if wide else required + ["category", "grade"]


def check_week_or_date(cols: dict[str, str], table) -> None:
    """Refuse a file with neither a week nor a date column."""
    if "week" not in cols and "date" not in cols:
        raise FileRejected("file_wrong_columns", source=source_label(SOURCE), missing="«Vecka» eller «Datum»",
                           found=headers_text(table))


def nothing_values(mapping: dict) -> set[str]:
    """The normalised cells that mean "inget att rapportera"."""
    return {normalise_name(v) for v in mapping.get("nothing_to_report", {}).get("values", [])}


# --- one value ------------------------------------------------------------------------------------------------

def unit_organisation(unit_org: str, cell: str, ctx: ImportContext) -> str:
    """A configured reporting unit's organisation; an organisation the row gives must be the same one."""
    if cell:
        given = ctx.gazetteer.organisation(cell)
        if given != unit_org:
            raise RowProblem("unit_other_organisation", name=cell, expected=unit_org)
    return unit_org


def written_place(where) -> str | None:
    """The place name a row gave that is no known place, redacted (None when placed or not given)."""
    return redact(where.written) if where.written else None


def grade_table(ctx: ImportContext, mapping: dict) -> dict[str, int]:
    """Normalised grade labels and numbers (config's, then the mapping's own labels) -> grade."""
    table = {normalise_name(label): g for g, label in ctx.config.grades.items()}
    table.update({normalise_name(str(g)): g for g in ctx.config.grades})
    for label, g in mapping.get("grades", {}).items():
        table[normalise_name(label)] = int(g)
    return table


def grade(cell: str, grades: dict[str, int], ctx: ImportContext) -> int:
    key = normalise_name(cell).replace(",0", "").replace(" 0", "")
    if key in grades:
        return grades[key]
    allowed = ", ".join(f"{g} = {label}" for g, label in sorted(ctx.config.grades.items()))
    raise RowProblem("unknown_grade", value=cell, allowed=allowed)


def week(raw_week: str, raw_date: str) -> tuple[int, int, date | None]:
    """(iso_year, iso_week, report_date) from the week column, the date column, or both."""
    report_date = None
    if raw_date:
        try:
            report_date = parse_date(raw_date)
        except ValueError as e:
            raise RowProblem("bad_date", detail=str(e)) from None
    if raw_week:
        try:
            year, week_no = parse_week(raw_week,
                                       default_year=report_date.isocalendar().year if report_date else None)
        except ValueError as e:
            raise RowProblem("bad_week", detail=str(e)) from None
        return year, week_no, report_date
    if report_date:
        iso = report_date.isocalendar()
        return iso.year, iso.week, report_date
    raise RowProblem("missing_value", field="vecka eller datum")


# --- the batch ------------------------------------------------------------------------------------------------

def count_new_names(places, ctx: ImportContext) -> int:
    """Distinct new place names among (area, ort, place_text) triples: one per normalised name and ort
    (or area), as the review lists them."""
    abbr = ctx.config.abbreviations
    return len({(area, ort, normalise_name(text, abbr)) for area, ort, text in places if isinstance(text, str)})


def lagesbild_batch(reports: pd.DataFrame, coverage: pd.DataFrame, quarantine: list[Quarantined],
                    mapping_name: str | None, *, submissions: int, new_names: int) -> Batch:
    """The Batch of a lägesbild file, with its notes: the submissions read, and the new place names kept."""
    batch = Batch(tables={"lagesbild": reports, "coverage": coverage}, accepted=len(reports),
                  quarantine=quarantine, mapping_name=mapping_name)
    batch.notes.append(f"inrapporteringar: {submissions}")
    if new_names:
        batch.notes.append(f"{NEW_NAMES_NOTE}{new_names}")
    return batch
