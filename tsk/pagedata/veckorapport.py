"""Page Veckorapport, the reporter's side: the weeks a report can be written for (Swedish labels), the
reporter's own list, each report's history (what changed between versions) and the «återkoppling»:
what was proposed and decided about the places the unit reported.

No Streamlit and no SQL: the frames come from the store (Store.app_reports_of, app_report_history,
all_measures) through tsk.ui.reads.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from tsk.config import KommunConfig
from tsk.formatting import MONTHS_SV, fmt_date
from tsk.i18n import t
from tsk.importers.lagesbild_rules import NOTHING, REPORTED
from tsk.ingest.veckorapport import REMOVED, open_weeks, week_state
from tsk.pagedata.feedback import measures_at, report_places
from tsk.parsing import iso_week_of, week_monday

STATUS_KEYS = {REPORTED: "vk_status_reported", NOTHING: "vk_status_nothing", REMOVED: "vk_status_removed"}


# --- weeks ---------------------------------------------------------------------------------------------------
def _day_month(d: date) -> str:
    return f"{d.day} {MONTHS_SV[d.month - 1][:3]}"


def week_span(iso_year: int, iso_week: int) -> str:
    """«30 nov–6 dec», «23–29 nov»."""
    monday = week_monday(iso_year, iso_week)
    sunday = monday + timedelta(days=6)
    if monday.month == sunday.month:
        return f"{monday.day}–{_day_month(sunday)}"
    return f"{_day_month(monday)}–{_day_month(sunday)}"


def week_options(today: date, config: KommunConfig) -> dict[tuple[int, int], str]:
    """The open weeks, this week first, with their labels: «Denna vecka (v49, 30 nov–6 dec)»."""
    this = iso_week_of(today)
    return {w: t("vk_week_this" if w == this else "vk_week_last", week=w[1], span=week_span(*w))
            for w in open_weeks(today, config)}


def list_since(today: date, config: KommunConfig) -> tuple[int, int]:
    """The first week of the reporter's list (list_weeks weeks back, this week included)."""
    return iso_week_of(today - timedelta(days=7 * (config.veckorapport.list_weeks - 1)))


# --- one report's content ----------------------------------------------------------------------------------
def content(raw: str | None) -> dict:
    """A version's content (JSON as stored), {} when missing or unreadable."""
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def where_text(c: dict) -> str:
    """«Ort / plats»: the ort and the place (a configured one, or the text typed as «annan plats»)."""
    if c.get("nothing") is not False:
        return "–"
    ort = c.get("ort") or "–"
    place = c.get("place") or c.get("place_text")
    return f"{ort} / {place}" if place else f"{ort} / {t('vk_whole_ort')}"


def grades_text(c: dict, config: KommunConfig) -> str:
    """«Klotter: 2 Förhöjt; Nedskräpning: 1 Lite», in the configured category order."""
    grades = c.get("grades") or {}
    labels = {cat.key: cat.label for cat in config.categories}
    order = [cat.key for cat in config.categories]
    keys = sorted(grades, key=lambda k: order.index(k) if k in order else len(order))
    return "; ".join(f"{labels.get(k, k)}: {grades[k]} {config.grades.get(grades[k], '')}".rstrip() for k in keys)


def changed_text(value) -> str:
    """«4 december 2026 kl. 10:12»."""
    if value is None or pd.isna(value):
        return "–"
    stamp = pd.Timestamp(value).to_pydatetime()
    return f"{fmt_date(stamp.date())} kl. {stamp:%H:%M}"


def status_text(status: str) -> str:
    return t(STATUS_KEYS[status]) if status in STATUS_KEYS else str(status)


# --- the reporter's own list -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class OwnReport:
    """One submission as the list shows it, and what the page needs to change or remove it."""

    report_id: str
    unit: str
    iso_year: int
    iso_week: int
    week: str          # «v49 2026»
    where: str         # «Ort / plats» (– for «Inget att rapportera»)
    grades: str
    status: str        # in words
    changed: str
    versions: int
    editable: bool     # week still open and not removed
    nothing: bool
    removed: bool
    content: dict


def own_reports(reports: pd.DataFrame, config: KommunConfig, today: date) -> list[OwnReport]:
    """The current version of each submission (Store.app_reports_of), newest week first."""
    out = []
    for r in reports.itertuples(index=False):
        c = content(r.content)
        removed = r.status == REMOVED
        is_open = week_state(int(r.iso_year), int(r.iso_week), today, config) == "open"
        out.append(OwnReport(
            report_id=str(r.report_id), unit=str(r.reporter), iso_year=int(r.iso_year), iso_week=int(r.iso_week),
            week=f"v{int(r.iso_week)} {int(r.iso_year)}", where=where_text(c), grades=grades_text(c, config),
            status=status_text(r.status), changed=changed_text(r.changed_at), versions=int(r.versions),
            editable=is_open and not removed, nothing=r.status == NOTHING, removed=removed, content=c))
    return out


def own_table(rows: list[OwnReport], *, with_unit: bool) -> pd.DataFrame:
    """The list as a table: week, (unit,) ort / plats, bedömningar, status, changed, versions."""
    columns = [t("col_week")] + ([t("vk_col_unit")] if with_unit else []) + [
        t("vk_col_where"), t("vk_col_grades"), t("vk_col_status"), t("vk_col_changed"), t("vk_col_versions")]
    data = [[r.week] + ([r.unit] if with_unit else []) + [r.where, r.grades, r.status, r.changed, r.versions]
            for r in rows]
    return pd.DataFrame(data, columns=columns)


# --- history ------------------------------------------------------------------------------------------------
def _changes(before: dict, after: dict, status: str, config: KommunConfig) -> str:
    """What one version changed against the one before, in words."""
    if status == REMOVED:
        return t("vk_hist_removed")
    if not before:
        if after.get("nothing") is not False:
            return t("vk_hist_created_nothing")
        return t("vk_hist_created", where=where_text(after), grades=grades_text(after, config))
    parts = []
    if where_text(before) != where_text(after):
        parts.append(t("vk_hist_where", before=where_text(before), after=where_text(after)))
    labels = {cat.key: cat.label for cat in config.categories}
    old, new = before.get("grades") or {}, after.get("grades") or {}
    for key in [c.key for c in config.categories] + sorted((set(old) | set(new)) - set(labels)):
        if old.get(key) == new.get(key):
            continue
        label = labels.get(key, key)
        if key not in new:
            parts.append(t("vk_hist_grade_gone", category=label))
        elif key not in old:
            parts.append(t("vk_hist_grade_new", category=label, grade=new[key]))
        else:
            parts.append(t("vk_hist_grade", category=label, before=old[key], after=new[key]))
    if (before.get("comment") or "") != (after.get("comment") or ""):
        parts.append(t("vk_hist_comment"))
    if (before.get("nothing") is not False) != (after.get("nothing") is not False):
        parts.append(t("vk_hist_kind"))
    return "; ".join(parts) or t("vk_hist_same")


def history_table(history: pd.DataFrame, config: KommunConfig) -> pd.DataFrame:
    """One row per version (Store.app_report_history): version, when, who, what changed."""
    rows, before = [], {}
    for v in history.itertuples(index=False):
        after = content(v.content)
        rows.append([int(v.version), changed_text(v.changed_at), str(v.actor),
                     _changes(before, after, v.status, config)])
        before = after
    return pd.DataFrame(rows, columns=[t("vk_col_version"), t("vk_col_changed"), t("vk_col_actor"),
                                       t("vk_col_what")])


# --- återkoppling -----------------------------------------------------------------------------------------------
def _date_text(value) -> str:
    if value is None or pd.isna(value):
        return "–"
    return pd.Timestamp(value).date().isoformat()


def feedback_table(measures: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """The proposals and measures (Store.all_measures) at the places the unit reported on, in the app or
    through the form tool (`reports`: Store.unit_reports rows; chosen by tsk.pagedata.feedback.measures_at).
    Columns: ort, plats, förslag, status, beslutsdatum, beslut."""
    columns = [t("col_ort"), t("col_plats"), t("vk_col_proposal"), t("vk_col_status"), t("ag_col_decided"),
               t("ag_col_outcome")]
    rows = []
    for m in measures_at(measures, report_places(reports)).itertuples(index=False):
        place = None if m.place is None or pd.isna(m.place) else str(m.place)
        outcome = getattr(m, "outcome", None)
        rows.append([m.ort, place or t("vk_whole_ort"), m.description, m.status,
                     _date_text(getattr(m, "decision_date", None)),
                     "–" if outcome is None or pd.isna(outcome) else str(outcome)])
    return pd.DataFrame(rows, columns=columns)


def feedback_period(today: date, config: KommunConfig) -> tuple[date, date]:
    """The Mondays of the first and the last week the reporter's återkoppling looks at (the list's weeks)."""
    return week_monday(*list_since(today, config)), week_monday(*iso_week_of(today))
