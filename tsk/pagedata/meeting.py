"""The analysgrupp's meeting: the samlad lägesbild per organisation, where the sources disagree, a frozen
snapshot of the figures shown, the proposals register, and the agenda for the next meeting.

No Streamlit and no SQL: the store's named queries give the numbers, tsk.stats the tests.
"""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pandas as pd

from tsk import stats
from tsk.config import KommunConfig
from tsk.exports import to_xlsx_bytes
from tsk.formatting import fmt_dec, fmt_int, fmt_pct
from tsk.i18n import t
from tsk.pagedata.common import (
    category_labels,
    latest_week_start,
    problem_categories,
    rate_verdict,
)
from tsk.pagedata.lagesbild import since_last_meeting
from tsk.pagedata.scoring import STATUS_OK
from tsk.pagedata.survey import area_vs_rest
from tsk.registers.statuses import OPEN_STATUSES
from tsk.store import Store


def samlad_lagesbild(store: Store, config: KommunConfig, *, areas: tuple[str, ...], orgs: tuple[str, ...],
                     week_from: date, week_to: date) -> pd.DataFrame:
    """Each organisation's picture side by side, against the previous period of equal length, and the
    combined picture ("Samtliga"). Columns: organisation, area, reports, previous, verdict."""
    weeks = (week_to - week_from).days // 7 + 1
    prev_to = week_from - timedelta(weeks=1)
    prev_from = prev_to - timedelta(weeks=weeks - 1)
    cats = problem_categories(config)
    now = store.lagesbild_by_organisation(areas=areas, orgs=orgs, cats=cats, week_from=week_from, week_to=week_to)
    before = store.lagesbild_by_organisation(areas=areas, orgs=orgs, cats=cats, week_from=prev_from, week_to=prev_to)
    combined = t("ag_all_orgs")
    frames = []
    for frame in (now, before):
        per_org = frame.groupby(["organisation", "area"], as_index=False)["reports"].sum()
        total = frame.groupby("area", as_index=False)["reports"].sum().assign(organisation=combined)
        frames.append(pd.concat([per_org, total], ignore_index=True))
    grid = pd.MultiIndex.from_product([[*orgs, combined], areas], names=["organisation", "area"]).to_frame(index=False)
    out = grid.merge(frames[0], how="left").merge(frames[1].rename(columns={"reports": "previous"}), how="left")
    out[["reports", "previous"]] = out[["reports", "previous"]].fillna(0).astype(int)
    out["verdict"] = [t("ag_too_few") if now_ + before_ < config.windows.min_reports_for_verdict
                      else rate_verdict(stats.poisson_rate_test(now_, weeks, before_, weeks))
                      for now_, before_ in zip(out["reports"], out["previous"])]
    return out


def disagreements(store: Store, config: KommunConfig, *, areas: tuple[str, ...], week_from: date,
                  week_to: date) -> list[str]:
    """Where the sources disagree, in plain Swedish: an area whose residents are notably more often
    otrygg than the rest of the kommun while its lägesbild rate is below the kommun's (possible
    under-reporting), or the reverse (many reports where residents feel safe)."""
    years = store.survey_years()
    if not years:
        return []
    survey = area_vs_rest(store, config, item=config.headline_item, year=years[-1])
    if survey.empty:
        return []
    overview = store.area_overview(list(problem_categories(config)), (week_to - week_from).days // 7 + 1)
    rates = overview.set_index("area")["per_1000"]
    kommun_rate = overview["reports"].sum() / max(1, overview["population"].sum()) * 1000
    out = []
    for r in survey.itertuples():
        if r.group not in areas or getattr(r, "suppressed", False) or r.group not in rates or pd.isna(rates[r.group]):
            continue
        rate = rates[r.group]
        if r.notable and r.diff > 0 and rate < kommun_rate:
            out.append(t("ag_disagree_under", area=r.group, share=fmt_pct(r.share), rest=fmt_pct(r.rest_share),
                         n=fmt_int(r.n), rate=fmt_dec(rate), kommun=fmt_dec(kommun_rate)))
        elif rate > 2 * kommun_rate and r.diff <= 0:
            out.append(t("ag_disagree_over", area=r.group, share=fmt_pct(r.share), rest=fmt_pct(r.rest_share),
                         n=fmt_int(r.n), rate=fmt_dec(rate), kommun=fmt_dec(kommun_rate)))
    return out


def snapshot(store: Store, config: KommunConfig, *, areas: tuple[str, ...], orgs: tuple[str, ...],
             week_from: date, week_to: date, candidates: pd.DataFrame | None = None) -> dict:
    """The figures a meeting looks at, as plain JSON-ready data, frozen into the meeting record so a
    later reader sees what the group saw then, whatever has been imported since."""
    samlad = samlad_lagesbild(store, config, areas=areas, orgs=orgs, week_from=week_from, week_to=week_to)
    changes = since_last_meeting(store, config, areas=areas, orgs=orgs)
    notable = changes[changes["notable"]] if not changes.empty else changes
    snap = {
        "period": [week_from.isoformat(), week_to.isoformat()],
        "samlad_lagesbild": samlad.to_dict("records"),
        "changes": [{"label": r.label, "text": r.text} for r in notable.itertuples()],
        "disagreements": disagreements(store, config, areas=areas, week_from=week_from, week_to=week_to),
        "counts": {k: int(v) for k, v in store.counts().items()},
    }
    if candidates is not None and not candidates.empty:
        top = _top_candidates(candidates, 5)
        snap["candidates"] = [{"unit": r.unit, "total": round(float(r.total), 2), "reasons": list(r.reasons)}
                              for r in top.itertuples()]
    return json.loads(json.dumps(snap, default=str))


def _samlad_columns() -> dict[str, str]:
    return {"organisation": t("col_organisation"), "area": t("col_area"), "reports": t("ag_col_reports"),
            "previous": t("ag_col_previous"), "verdict": t("col_verdict")}


def samlad_table(samlad: pd.DataFrame) -> pd.DataFrame:
    """samlad_lagesbild rows (or a snapshot's) as shown and exported: organisation, area, reports, the
    previous period and the verdict, with Swedish headers."""
    return samlad.rename(columns=_samlad_columns())


def samlad_org_table(samlad: pd.DataFrame, organisation: str) -> pd.DataFrame:
    """One organisation's part of samlad_lagesbild as its table: area, reports, previous, verdict."""
    part = samlad[samlad["organisation"] == organisation][["area", "reports", "previous", "verdict"]]
    return part.rename(columns=_samlad_columns())


def meeting_labels(meetings: pd.DataFrame) -> dict:
    """Each recorded meeting's label for the chooser: "2026-11-20 (Kommunen, Polisen)"."""
    return {r.meeting_id: f"{pd.Timestamp(r.meeting_date).date()} ({', '.join(json.loads(r.organisations))})"
            for r in meetings.itertuples()}


def overdue(measures: pd.DataFrame, today: date) -> pd.DataFrame:
    """Open proposals (föreslagen, beslutad, pågår) whose due date has passed."""
    if measures.empty:
        return measures
    due = pd.to_datetime(measures["due_date"])
    return measures[measures["status"].isin(OPEN_STATUSES) & due.notna() & (due.dt.date < today)]


def agenda(store: Store, config: KommunConfig, *, today: date) -> dict:
    """The next meeting's agenda: what is new since the last meeting (notable changes over the weeks since
    then, at least 2 and at most 8) and the open proposals past their due date (the places the
    trygghetsvandring scoring flags: `flagged_places`). Returns {"since": date|None, "weeks": int,
    "new": [...], "overdue": DataFrame}"""
    last, weeks = last_meeting_window(store, config)
    areas = tuple(a.name for a in config.areas)
    orgs = tuple(o.name for o in config.organisations)
    changes = since_last_meeting(store, config, areas=areas, orgs=orgs, recent_weeks=weeks)
    new = [f"{r.label}: {r.text}" for r in changes[changes["notable"]].itertuples()] if not changes.empty else []
    return {"since": last, "weeks": weeks, "new": new, "overdue": overdue(store.all_measures(), today)}


def weeks_since(last: date | None, end: date | None, config: KommunConfig) -> int:
    """The weeks «since the last meeting» compares: from the meeting's week to the latest week with
    reports, kept within [windows] since_min_weeks (fewer says nothing) and since_max_weeks;
    since_default_weeks when no meeting is recorded."""
    w = config.windows
    if last is None or end is None:
        return w.since_default_weeks
    return max(w.since_min_weeks, min(w.since_max_weeks, (end - last).days // 7 + 1))


def last_meeting_window(store: Store, config: KommunConfig) -> tuple[date | None, int]:
    """(date of the last recorded analysgrupp meeting or None, the weeks to compare since then)."""
    meetings = store.meetings()
    last = pd.Timestamp(meetings["meeting_date"].max()).date() if not meetings.empty else None
    return last, weeks_since(last, latest_week_start(store), config)


def proposal_rows(measures: pd.DataFrame, config: KommunConfig, *, public: bool = False) -> pd.DataFrame:
    """The proposal list as shown and exported (Swedish headers)."""
    labels = category_labels(config)
    cols = {
        "measure_id": t("ag_col_id"), "origin": t("ag_col_origin"), "area": t("col_area"), "ort": t("col_ort"),
        "place": t("col_plats"), "category": t("col_category"), "description": t("vr_col_measure"),
        "owner": t("vr_col_owner"), "decision_path": t("vr_col_path"), "decision_date": t("ag_col_decided"),
        "outcome": t("ag_col_outcome"), "due_date": t("vr_col_due"), "status": t("col_status"),
        "completed_date": t("vr_col_completed"),
    }
    if measures.empty:
        return pd.DataFrame(columns=list(cols.values()))
    out = measures.assign(category=measures["category"].map(lambda c: labels.get(c, c) if isinstance(c, str) else ""))
    for col in ("decision_date", "due_date", "completed_date"):  # dates, not timestamps at midnight
        out[col] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in out[col]]
    if public:  # Mötesläge and public exports: no free text (the description and the outcome)
        out = out.drop(columns=["outcome", "description"])
        cols.pop("outcome")
        cols.pop("description")
    return out[list(cols)].rename(columns=cols)


def _top_candidates(candidates: pd.DataFrame, n: int) -> pd.DataFrame:
    return candidates[candidates["status"] == STATUS_OK].sort_values("rank").head(n)


def flagged_places(candidates: pd.DataFrame, n: int = 5) -> list[str]:
    """The top candidates for a trygghetsvandring as agenda lines, each with its strongest reason."""
    if candidates is None or candidates.empty:
        return []
    top = _top_candidates(candidates, n)
    return [f"{r.unit} ({fmt_dec(r.total)} {t('vc_points')}): {r.reasons[0] if r.reasons else ''}"
            for r in top.itertuples()]


def _meeting_frames(meetings: pd.DataFrame, measures: pd.DataFrame, config: KommunConfig) -> dict[str, pd.DataFrame]:
    """The latest meeting record and the proposal list as tables for the minutes."""
    sheets: dict[str, pd.DataFrame] = {}
    if not meetings.empty:
        m = meetings.iloc[0]
        snap = json.loads(m["snapshot"])
        sheets[t("ag_sheet_meeting")] = pd.DataFrame([
            (t("col_date"), str(pd.Timestamp(m["meeting_date"]).date())),
            (t("ag_sheet_period"), f"{pd.Timestamp(m['period_from']).date()} – {pd.Timestamp(m['period_to']).date()}"),
            (t("ag_meeting_orgs"), ", ".join(json.loads(m["organisations"]))),
            (t("ag_meeting_notes"), m["notes"] or ""),
        ], columns=[t("ag_sheet_field"), t("ag_sheet_value")])
        sheets[t("at_samlad")] = samlad_table(pd.DataFrame(snap.get("samlad_lagesbild", [])))
        sheets[t("ag_snapshot_changes")] = pd.DataFrame(snap.get("changes", []), columns=["label", "text"]).rename(
            columns={"label": t("col_compared"), "text": t("col_verdict")})
    sheets[t("at_proposals")] = proposal_rows(measures, config)
    return sheets


def record_xlsx(meetings: pd.DataFrame, measures: pd.DataFrame, config: KommunConfig) -> bytes:
    """The latest meeting record (with its frozen figures) and the proposal list, one sheet each."""

    return to_xlsx_bytes(_meeting_frames(meetings, measures, config))


def record_docx(meetings: pd.DataFrame, measures: pd.DataFrame, config: KommunConfig) -> bytes:
    """The same as a Word document for the minutes (python-docx, as the uppföljning report)."""

    from docx import Document

    doc = Document()
    doc.add_heading(t("ag_docx_title", kommun=config.name), level=0)
    for title, frame in _meeting_frames(meetings, measures, config).items():
        doc.add_heading(title, level=1)
        if frame.empty:
            doc.add_paragraph(t("ag_nothing"))
            continue
        table = doc.add_table(rows=1, cols=len(frame.columns))
        table.style = "Light Grid Accent 1"
        for cell, name in zip(table.rows[0].cells, frame.columns):
            cell.text = str(name)
        for row in frame.itertuples(index=False):
            cells = table.add_row().cells
            for cell, value in zip(cells, row):
                cell.text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
