"""The samordnare's view of the reporting units (Analysgrupp, tab Inrapportering): per unit and week the
submissions written in the app, imported from a form tool and flagged as doubles of the two; and the
återkoppling, a per-unit summary to send back to the unit: its reports of a period (weeks, places,
categories and grades, never comments) and what the analysgrupp decided about those places.

No Streamlit and no SQL: the store's named queries give the rows (Store.unit_week_sources,
Store.quarantine_values, Store.unit_reports, Store.all_measures, Store.meetings).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote, urlencode

import pandas as pd

from tsk.config import KommunConfig
from tsk.exports import safe_filename
from tsk.formatting import fmt_date
from tsk.i18n import t
from tsk.ingest.dedup import DOUBLE_KEYS, parse_double_value
from tsk.pagedata.common import category_labels
from tsk.store import Store

SOURCE_COLUMNS = ["reporter", "week_start", "in_app", "imported", "doubles"]


def _monday(d) -> date:
    d = pd.Timestamp(d).date()
    return d - timedelta(days=d.weekday())


def week_label(monday) -> str:
    """«v49 2026» (the ISO week and its year)."""
    iso = pd.Timestamp(monday).isocalendar()
    return f"v{iso[1]} {iso[0]}"


def newest_week(store: Store) -> date | None:
    """Monday of the newest week any unit accounted for, or None."""
    newest = store.latest_coverage_week()
    return None if newest is None else _monday(newest)


# --- per unit and week: the app, the imports, the doubles -----------------------------------------------------

def unit_sources(store: Store, weeks: int) -> pd.DataFrame:
    """Per unit and week of the `weeks` newest weeks: submissions in the app (in_app), imported
    (imported) and imported ones kept in quarantine as doubles of an in-app report (doubles: distinct
    places, or «inget att rapportera»). Columns SOURCE_COLUMNS; newest week first, then unit."""
    newest = newest_week(store)
    if newest is None:
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    first = newest - timedelta(weeks=weeks - 1)
    counts = store.unit_week_sources(first)[["reporter", "week_start", "in_app", "imported"]]
    counts = counts.assign(week_start=[_monday(d) for d in counts["week_start"]])
    doubles: dict[tuple, int] = {}
    for value in store.quarantine_values(list(DOUBLE_KEYS))["reason_value"]:
        parsed = parse_double_value(value)
        if parsed is None:
            continue
        unit, year, week = parsed
        monday = date.fromisocalendar(year, week, 1)
        if monday >= first:
            doubles[(unit, monday)] = doubles.get((unit, monday), 0) + 1
    extra = pd.DataFrame([(u, m, 0, 0) for (u, m) in doubles], columns=["reporter", "week_start", "in_app", "imported"])
    rows = pd.concat([counts, extra]) if not extra.empty else counts
    rows = rows.groupby(["reporter", "week_start"], as_index=False)[["in_app", "imported"]].sum()
    rows["doubles"] = [doubles.get((u, m), 0) for u, m in zip(rows["reporter"], rows["week_start"])]
    rows = rows[rows["week_start"] <= newest].astype({"in_app": "int64", "imported": "int64", "doubles": "int64"})
    return rows.sort_values(["week_start", "reporter"], ascending=[False, True]).reset_index(drop=True)[SOURCE_COLUMNS]


def unit_sources_table(rows: pd.DataFrame, config: KommunConfig | None = None) -> pd.DataFrame:
    """unit_sources rows as shown: one row per unit (the configured units first, a unit that wrote nothing
    included), one column per week, oldest to newest; a cell says how many submissions, how many of them
    in the app, and the doubles kept aside («3 · 1 i appen · 1 dubblett»); «–» for none."""
    weeks = sorted(set(rows["week_start"]))
    configured = [u.name for u in config.reporting_units] if config is not None else []
    units = list(dict.fromkeys([*configured, *sorted(set(rows["reporter"]))]))
    cells = {(r.reporter, r.week_start): _sources_cell(r) for r in rows.itertuples()}
    table = pd.DataFrame({t("col_reporter"): units})
    for week in weeks:
        table[week_label(week)] = [cells.get((unit, week), "–") for unit in units]
    return table


def _sources_cell(r) -> str:
    total = int(r.in_app) + int(r.imported)
    parts = [str(total)] if total or not r.doubles else ["0"]
    if r.in_app:
        parts.append(t("fb_cell_in_app", n=int(r.in_app)))
    if r.doubles:
        parts.append(t("fb_cell_doubles", n=int(r.doubles)))
    return " · ".join(parts)


def feedback_units(store: Store, config: KommunConfig) -> list[str]:
    """The units an återkoppling can be written for: the configured units, then any other reporter
    in the store (a kommun without [[reporting_units]])."""
    configured = [u.name for u in config.reporting_units]
    seen = store.unit_week_sources(date(1900, 1, 1))["reporter"].tolist()
    return list(dict.fromkeys([*configured, *sorted(set(seen) - set(configured))]))


def feedback_weeks(store: Store, weeks: int = 26) -> list[date]:
    """The Mondays a period can start or end on: the `weeks` newest weeks up to the newest reported one."""
    newest = newest_week(store)
    if newest is None:
        return []
    return [newest - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]


# --- the återkoppling --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Feedback:
    """One unit's återkoppling: the text, its e-mail subject, the mailto: link (None without an address
    or in Mötesläge) and a file name for the download."""

    unit: str
    text: str
    subject: str
    mailto: str | None
    file_name: str


def _where(r, public: bool) -> str:
    """«Ort, Plats» of a report; a place typed freely is named only outside Mötesläge."""
    ort = r["ort"] if isinstance(r["ort"], str) else ""
    if isinstance(r["place"], str):
        return f"{ort}, {r['place']}"
    if isinstance(r["place_text"], str):
        return f"{ort}, {t('fb_other_place')}" if public else f"{ort}, {r['place_text']}"
    return f"{ort} ({t('fb_whole_ort')})"


def _report_lines(reports: pd.DataFrame, config: KommunConfig, public: bool) -> list[str]:
    """One line per week and place: the categories and grades; «inget att rapportera» weeks too."""
    labels = category_labels(config)
    lines = []
    for monday, week_rows in reports.groupby("week_start", sort=True):
        week = t("fb_week", week=week_label(monday)[1:])
        if week_rows["category"].isna().all():
            lines.append(f"- {week}: {t('fb_nothing')}")
            continue
        places = week_rows.dropna(subset=["category"])
        for _, rows in places.groupby([places["ort"].fillna(""), places["place"].fillna(""),
                                       places["place_text"].fillna("")], sort=True):
            graded = ", ".join(f"{labels.get(c, c)}: {config.grades.get(int(g), g)} ({int(g)})"
                               for c, g in zip(rows["category"], rows["grade"]))
            lines.append(f"- {week}, {_where(rows.iloc[0], public)}: {graded}")
    return lines


def report_places(reports: pd.DataFrame) -> set[tuple[str, str | None]]:
    """(ort, place) of Store.unit_reports rows that are reports (not «inget att rapportera»); place None
    for a report about the ort in general or a place typed freely."""
    placed = reports.dropna(subset=["category"])
    return {(o, p if isinstance(p, str) else None) for o, p in zip(placed["ort"], placed["place"]) if isinstance(o, str)}


def measures_at(measures: pd.DataFrame, places: set[tuple[str, str | None]]) -> pd.DataFrame:
    """The register's proposals and measures (Store.all_measures) at these places: one about the place
    itself or about its whole ort; for a report about a whole ort, every one in that ort. Both
    återkopplingar (the samordnare's text and the reporter's page) choose with this."""
    if measures.empty or not places:
        return measures.iloc[0:0]
    orter = {o for o, _ in places}
    whole = {o for o, p in places if p is None}
    keep = [isinstance(o, str) and o in orter and (not isinstance(p, str) or o in whole or (o, p) in places)
            for o, p in zip(measures["ort"], measures["place"])]
    return measures[keep]


def _decision_lines(reports: pd.DataFrame, measures: pd.DataFrame, config: KommunConfig, public: bool) -> list[str]:
    """The register's proposals and measures at the reports' places (measures_at): status, decision
    date, owner, due date; what it is outside Mötesläge."""
    hit = measures_at(measures, report_places(reports))
    if hit.empty:
        return []
    labels = category_labels(config)
    lines = []
    for m in hit.sort_values(["ort", "measure_id"]).to_dict("records"):
        where = f"{m['ort']}, {m['place']}" if isinstance(m["place"], str) else f"{m['ort']} ({t('fb_whole_ort')})"
        parts = [str(m["status"])]
        if m.get("decision_date") is not None and not pd.isna(m["decision_date"]):
            parts.append(t("fb_decided", date=fmt_date(pd.Timestamp(m["decision_date"]).date())))
        parts.append(t("fb_owner", owner=m["owner"]))
        if m.get("due_date") is not None and not pd.isna(m["due_date"]):
            parts.append(t("fb_due", date=fmt_date(pd.Timestamp(m["due_date"]).date())))
        what = "" if public or not isinstance(m.get("description"), str) else f" – {m['description']}"
        category = f" ({labels.get(m['category'], m['category'])})" if isinstance(m.get("category"), str) else ""
        lines.append(f"- {where}{what}{category}: {', '.join(parts)}")
    return lines


def feedback_text(unit: str, reports: pd.DataFrame, measures: pd.DataFrame, last_meeting, config: KommunConfig, *,
                  week_from: date, week_to: date, public: bool = False) -> str:
    """The återkoppling as Swedish plain text. `reports`: Store.unit_reports rows (no comments);
    `measures`: Store.all_measures rows; `last_meeting`: the newest meeting's date or None. In Mötesläge
    (`public`) no free text: no measure descriptions, no place names typed freely."""
    period = t("fb_period", wfrom=week_label(week_from)[1:], wto=week_label(week_to)[1:])
    lines = [t("fb_title", unit=unit, period=period), "", t("fb_reports_heading")]
    lines += _report_lines(reports, config, public) or [f"- {t('fb_no_reports')}"]
    lines += ["", t("fb_decisions_heading")]
    lines += _decision_lines(reports, measures, config, public) or [f"- {t('fb_no_decisions')}"]
    lines += ["", t("fb_last_meeting", date=fmt_date(last_meeting)) if last_meeting is not None
              else t("fb_no_meeting"), "", t("fb_footer")]
    return "\n".join(lines) + "\n"


def feedback_mailto(address: str | None, subject: str, text: str) -> str | None:
    """A mailto: link to the unit's address with the subject and the text (url-encoded), or None."""
    if not (isinstance(address, str) and address):
        return None
    query = urlencode({"subject": subject, "body": text}, quote_via=quote)
    return f"mailto:{quote(address, safe='@')}?{query}"


def unit_feedback(store: Store, config: KommunConfig, *, unit: str, week_from: date, week_to: date,
                  public: bool = False) -> Feedback:
    """The återkoppling of `unit` for the weeks week_from to week_to (Mondays): text, subject, mailto:
    (None in Mötesläge: no addresses there) and download file name."""
    week_from, week_to = sorted((_monday(week_from), _monday(week_to)))
    reports = store.unit_reports(unit, week_from, week_to)
    meetings = store.meetings()
    last = None if meetings.empty else pd.Timestamp(meetings["meeting_date"].max()).date()
    text = feedback_text(unit, reports, store.all_measures(), last, config, week_from=week_from, week_to=week_to,
                         public=public)
    period = t("fb_period", wfrom=week_label(week_from)[1:], wto=week_label(week_to)[1:])
    subject = t("fb_subject", unit=unit, period=period)
    address = next((u.email for u in config.reporting_units if u.name == unit), None)
    name = safe_filename(f"aterkoppling {unit} {week_label(week_from)}-{week_label(week_to)}", "txt")
    return Feedback(unit, text, subject, None if public else feedback_mailto(address, subject, text), name)
