"""The weekly report written in the app (page Veckorapport): checks, and one atomic write per change.

A submission is read by the lägesbild importer itself — written as one small file in the standard long
format and parsed with the same rules as every imported file (reporting units, orter and places from
the gazetteer, a place typed as «annan plats» kept at ort level for review, grades, redaction) — so the
app cannot store what an import would refuse. What an import would quarantine is refused here instead,
with its reason: the reporter is at the form and can correct it.

Each submission, change or removal is one write through `atomic_write` (a copy of the store, replaced
atomically; the writer lock puts concurrent writers one after another), with no backup of its own: the
nightly backup covers the day's reports. bench/ measures what that write costs.
"""
from __future__ import annotations

import csv
import json
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from tsk import importers
from tsk.config import KommunConfig, ReportingUnit
from tsk.errors import TskError
from tsk.importers.lagesbild_rules import NOTHING, REPORTED
from tsk.parsing import iso_week_of, week_monday
from tsk.store import open_store
from tsk.store.backup import atomic_write

REMOVED = "borttagen"                # app_reports.status of a removed submission (its rows are gone)
MAPPING_NAME = "veckorapport (appen)"  # the imports line of an in-app report names this as its mapping
NOTHING_LABEL = "Inget att rapportera"
# The standard long format with a report id column: every category row of one submission shares it.
MAPPING_TEXT = """source = "lagesbild"
description = "Veckorapport skriven i appen"
layout = "long"

[columns]
id = "Rapport-id"
week = "Vecka"
organisation = "Organisation"
reporter = "Inrapportör"
ort = "Ort"
place = "Plats"
category = "Kategori"
grade = "Bedömning"
comment = "Kommentar"

[nothing_to_report]
values = ["Inget att rapportera"]
"""
HEADERS = ["Rapport-id", "Vecka", "Organisation", "Inrapportör", "Ort", "Plats", "Kategori", "Bedömning", "Kommentar"]
# Markup in a comment: a tag or a script URL. A comment is plain text about a place.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Submission:
    """What the form sends: one unit's report for one week and place, or «Inget att rapportera»."""

    unit: str
    iso_year: int
    iso_week: int
    nothing: bool = False
    ort: str | None = None
    place: str | None = None          # a configured place of the ort; None = the ort in general
    other_place: str = ""             # «annan plats», as typed (reviewed like a new name in an import)
    grades: dict[str, int] = field(default_factory=dict)  # EST category key -> grade
    comment: str = ""


# --- weeks ----------------------------------------------------------------------------------------------
def week_state(iso_year: int, iso_week: int, today: date, config: KommunConfig) -> str:
    """«future», «open» or «closed». A week is open from its Monday until `close_after_days` after
    its Sunday; reports are written for this week or the one before. A week the calendar does not have
    (week 0, week 53 of a year with 52) is refused with TskError("bad_week")."""
    try:
        monday = week_monday(int(iso_year), int(iso_week))
    except (TypeError, ValueError):
        raise TskError("bad_week", detail=f"v{iso_week} {iso_year}") from None
    if monday > today:
        return "future"
    closes = monday + timedelta(days=6 + config.veckorapport.close_after_days)
    this_monday = today - timedelta(days=today.weekday())
    if today > closes or monday < this_monday - timedelta(days=7):
        return "closed"
    return "open"


def open_weeks(today: date, config: KommunConfig) -> list[tuple[int, int]]:
    """The weeks a report can be written for today: this week, and last week while it is open."""
    weeks = [iso_week_of(today), iso_week_of(today - timedelta(days=7))]
    return [w for w in weeks if week_state(*w, today, config) == "open"]


# --- checks that need no store --------------------------------------------------------------------------
def unit_of(name: str, allowed: tuple[ReportingUnit, ...]) -> ReportingUnit:
    unit = next((u for u in allowed if u.name == name), None)
    if unit is None:
        raise TskError("vr_not_your_unit", unit=name)
    return unit


def check(sub: Submission, allowed: tuple[ReportingUnit, ...], config: KommunConfig, today: date) -> ReportingUnit:
    """Refuse what a form can still send wrong (another unit, a closed week, a bad comment …) with
    its Swedish message; return the unit."""
    unit = unit_of(sub.unit, allowed)
    state = week_state(sub.iso_year, sub.iso_week, today, config)
    if state == "future":
        raise TskError("vr_week_future", week=sub.iso_week, year=sub.iso_year)
    if state == "closed":
        raise TskError("vr_week_closed", week=sub.iso_week, year=sub.iso_year,
                       days=config.veckorapport.close_after_days)
    if sub.nothing:
        return unit
    if not sub.ort:
        raise TskError("vr_no_ort")
    if sub.place and sub.other_place.strip():
        raise TskError("vr_place_and_other")
    known = {c.key for c in config.categories}
    unknown = sorted(set(sub.grades) - known)
    if unknown:
        raise TskError("vr_unknown_category", category=", ".join(unknown))
    graded = {k: v for k, v in sub.grades.items() if v is not None}
    if not graded:
        raise TskError("vr_no_grades")
    bad = [v for v in graded.values() if v not in config.grades]
    if bad:
        raise TskError("vr_bad_grade", grade=bad[0], grades=", ".join(str(g) for g in sorted(config.grades)))
    _check_text(sub.comment, config, "vr_comment")
    _check_text(sub.other_place, config, "vr_other_place")
    return unit


def _check_text(text: str, config: KommunConfig, what: str) -> None:
    limit = config.veckorapport.max_comment_chars
    if len(text) > limit:
        raise TskError(f"{what}_too_long", chars=f"{len(text):,}".replace(",", " "), limit=limit)
    if MARKUP.search(text):
        raise TskError(f"{what}_markup")


# --- the submission as the importer reads it ----------------------------------------------------------------
def _rows(sub: Submission, unit: ReportingUnit, config: KommunConfig) -> list[list[str]]:
    week = f"{sub.iso_year}-W{sub.iso_week:02d}"
    head = ["1", week, unit.organisation, unit.name]
    if sub.nothing:
        return [head + ["", "", NOTHING_LABEL, "", ""]]
    place = sub.place or sub.other_place.strip()
    labels = {c.key: c.label for c in config.categories}
    return [head + [sub.ort or "", place, labels[key], str(grade), sub.comment.strip()]
            for key, grade in sub.grades.items() if grade is not None]


def parse(sub: Submission, unit: ReportingUnit, config: KommunConfig, decisions: list[dict], report_id: str):
    """The Batch the lägesbild importer makes of the submission (its rows carry `report_id`); TskError
    with the importer's reason when it would quarantine the submission."""
    with tempfile.TemporaryDirectory(prefix="tsk-veckorapport-") as tmp:
        path = Path(tmp) / "veckorapport.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADERS)
            writer.writerows(_rows(sub, unit, config))
        batch, ctx = importers.parse_file("lagesbild", path, config=config, decisions=decisions,
                                          mapping_text=MAPPING_TEXT, mapping_name=MAPPING_NAME)
    if batch.quarantine:
        raise TskError("vr_refused", reason=batch.quarantine[0].reason)
    reports = batch.tables.get("lagesbild")
    if reports is not None and not reports.empty:
        batch.tables["lagesbild"] = reports.assign(report_id=report_id)
    return batch, ctx


def content_of(sub: Submission, batch) -> dict:
    """What the history keeps of a version: where, the grades and the comment as stored (redacted)."""
    reports = batch.tables.get("lagesbild")
    if sub.nothing or reports is None or reports.empty:
        return {"nothing": True}
    first = reports.iloc[0]

    def text(key):  # a missing cell (None, NaN or pandas' NA) is JSON null
        value = first[key]
        return None if value is None or pd.isna(value) else str(value)

    return {
        "nothing": False,
        "area": text("area"),
        "ort": text("ort"),
        "place": text("place"),
        "place_text": text("place_text"),
        "grades": {str(r.category): int(r.grade) for r in reports.itertuples()},
        "comment": text("comment"),
    }


# --- writes ------------------------------------------------------------------------------------------------------
def submit(db: Path | str, sub: Submission, *, actor: str, allowed: tuple[ReportingUnit, ...],
           config: KommunConfig, today: date | None = None, report_id: str | None = None) -> str:
    """Store a new submission and return its report_id. `report_id` is the form's token: the same token
    sent twice (a double click, a resend) is refused, never stored twice."""
    today = today or date.today()
    unit = check(sub, allowed, config, today)
    report_id = report_id or uuid.uuid4().hex
    return _write(db, sub, unit, actor=actor, config=config, report_id=report_id, today=today, allowed=allowed,
                  editing=False)


def change(db: Path | str, report_id: str, sub: Submission, *, actor: str, allowed: tuple[ReportingUnit, ...],
           config: KommunConfig, today: date | None = None) -> str:
    """Replace a submission with a new version (while its week and the new week are open)."""
    today = today or date.today()
    unit = check(sub, allowed, config, today)
    return _write(db, sub, unit, actor=actor, config=config, report_id=report_id, today=today, allowed=allowed,
                  editing=True)


def remove(db: Path | str, report_id: str, *, actor: str, allowed: tuple[ReportingUnit, ...],
           config: KommunConfig, today: date | None = None) -> None:
    """Take a submission back (while its week is open): its rows go, the history keeps that it was."""
    today = today or date.today()
    with atomic_write(Path(db)) as work, open_store(work) as store, store.transaction():
        current = _current_editable(store, report_id, allowed, config, today)
        store.delete_import_rows(int(current["import_id"]))
        import_id = store.log_app_report(file_name=_file_name(current["reporter"], current["iso_year"],
                                                              current["iso_week"]),
                                         sha256=f"app:{report_id}:{int(current['version']) + 1}",
                                         mapping_text=MAPPING_TEXT, actor=actor, removed=True)
        store.save_app_report_version(
            report_id=report_id, version=int(current["version"]) + 1, import_id=import_id,
            reporter=current["reporter"], organisation=current["organisation"], iso_year=int(current["iso_year"]),
            iso_week=int(current["iso_week"]), status=REMOVED, content=json.dumps({"nothing": None}), actor=actor)


def _file_name(unit: str, year: int, week: int) -> str:
    return f"Veckorapport {unit}, v{int(week)} {int(year)}"


def _current_editable(store, report_id: str, allowed, config: KommunConfig, today: date) -> dict:
    current = store.app_report(report_id)
    if current is None or current["status"] == REMOVED:
        raise TskError("vr_no_such_report")
    unit_of(current["reporter"], allowed)
    if week_state(int(current["iso_year"]), int(current["iso_week"]), today, config) != "open":
        raise TskError("vr_week_closed", week=int(current["iso_week"]), year=int(current["iso_year"]),
                       days=config.veckorapport.close_after_days)
    return current


def _write(db, sub: Submission, unit: ReportingUnit, *, actor: str, config: KommunConfig, report_id: str,
           today: date, allowed: tuple[ReportingUnit, ...], editing: bool) -> str:
    db = Path(db)
    # Parsed before the writer lock (the review decisions change rarely; re-read under the lock below).
    with open_store(db, read_only=True) as reader:
        decisions = reader.review_decisions().to_dict("records") if reader.schema_version() >= 5 else []
    batch, ctx = parse(sub, unit, config, decisions, report_id)
    with atomic_write(db) as work, open_store(work) as store, store.transaction():
        now = store.review_decisions().to_dict("records")
        # Compared by their log lines, as run_import does: the records hold NaN (a decision without a
        # position), and NaN never equals NaN, so comparing the records would parse every time.
        if [d["import_id"] for d in now] != [d["import_id"] for d in decisions]:
            batch, ctx = parse(sub, unit, config, now, report_id)
        version = 1
        if editing:
            current = _current_editable(store, report_id, allowed, config, today)
            if current["reporter"] != unit.name:  # a report changes its content, never its unit
                raise TskError("vr_not_your_unit", unit=unit.name)
            store.delete_import_rows(int(current["import_id"]))
            version = int(current["version"]) + 1
        elif store.app_report(report_id) is not None:
            raise TskError("vr_already_saved")
        _refuse_doubles(store, sub, batch, report_id)
        content = content_of(sub, batch)
        import_id = store.write_import(
            source="lagesbild", file_name=_file_name(unit.name, sub.iso_year, sub.iso_week),
            sha256=f"app:{report_id}:{version}", mapping=MAPPING_NAME, tables=batch.tables, accepted=batch.accepted,
            quarantine=[], skipped=0, notes=batch.notes, mapping_text=MAPPING_TEXT, actor=actor)
        store.save_app_report_version(
            report_id=report_id, version=version, import_id=import_id, reporter=unit.name,
            organisation=unit.organisation, iso_year=sub.iso_year, iso_week=sub.iso_week,
            status=NOTHING if sub.nothing else REPORTED, content=json.dumps(content, ensure_ascii=False),
            actor=actor)
    return report_id


def _refuse_doubles(store, sub: Submission, batch, report_id: str) -> None:
    """One unit, one week, one place: a second report of it (in the app or from the form tool) would be
    counted twice. «Inget att rapportera» cannot stand beside reports of the same week."""
    content = content_of(sub, batch)
    others = store.unit_week_reports(sub.unit, sub.iso_year, sub.iso_week)
    others = others[others["report_id"] != report_id]
    if others.empty:
        return
    if sub.nothing:
        raise TskError("vr_double_nothing", week=sub.iso_week)
    if (others["status"] == NOTHING).any():
        raise TskError("vr_double_after_nothing", week=sub.iso_week)
    same = others[(others["ort"].fillna("") == (content["ort"] or ""))
                  & (others["place"].fillna("") == (content["place"] or ""))
                  & (others["place_text"].fillna("") == (content["place_text"] or ""))]
    if same.empty:
        return
    where = content["place"] or content["place_text"] or content["ort"]
    if (same["in_app"]).any():
        raise TskError("vr_double_app", place=where, week=sub.iso_week)
    raise TskError("vr_double_import", place=where, week=sub.iso_week)
