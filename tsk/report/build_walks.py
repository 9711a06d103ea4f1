"""The report's parts on the safety walks: the year's walks and what they saw (goal «demokrati»), the
measures and their effect, and next year's planned walks and candidates (goal «prioritera»)."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd

from tsk.formatting import fmt_int
from tsk.i18n import t
from tsk.pagedata import scoring
from tsk.pagedata.candidates import measure_effects, ranked_candidates
from tsk.registers.statuses import OPEN_STATUSES, WALK_DONE, WALK_PLANNED
from tsk.report.common import as_date, count_participants, protect
from tsk.report.context import ReportContext
from tsk.report.model import Block, Bullets, KeyFigure, Table

TOP_CANDIDATES = 10


def walks(ctx: ReportContext) -> list[Block]:
    """The year's walks (participants, observations, measures) and what they saw."""
    walks = ctx.store.walks()
    walks = walks.assign(walk_date=pd.to_datetime(walks["walk_date"]))
    in_year = walks[walks["walk_date"].dt.year == ctx.year].sort_values(["walk_date", "walk_id"])
    prev_year = walks[walks["walk_date"].dt.year == ctx.year - 1]
    done = in_year[in_year["status"] == WALK_DONE]
    participants = int(sum(count_participants(p) for p in done["participants"]))
    ctx.kf["demokrati"].append(KeyFigure(
        ctx.goal("demokrati"), t("rp_kf_walks", year=ctx.year), fmt_int(len(done)), ctx.count_text(participants),
        t("rp_prev_value", year=ctx.year - 1, value=fmt_int(int((prev_year["status"] == WALK_DONE).sum()))), "",
        t("rp_kf_walks_note")))
    ctx.sources.append({t("rp_col_source"): t("rp_source_walks"), t("rp_col_period"): str(ctx.year),
                         t("rp_col_extent"): t("rp_extent_walks", n=fmt_int(len(done)),
                                               planned=fmt_int(int((in_year["status"] == WALK_PLANNED).sum())))})
    if in_year.empty:
        return [t("rp_walks_none", year=ctx.year)]
    blocks: list[Block] = [t("rp_walks_intro", year=ctx.year, n=fmt_int(len(done)),
                             people=ctx.count_text(participants)) if len(done)
                           else t("rp_walks_none_done", year=ctx.year)]
    c_part, c_res = t("vr_col_participants"), t("rp_col_residents")
    frame = pd.DataFrame({
        t("col_date"): [d.date() for d in in_year["walk_date"]],
        t("col_ort"): list(in_year["ort"]), t("col_status"): list(in_year["status"]),
        c_part: [count_participants(p) for p in in_year["participants"]],
        c_res: [count_participants(p, role="boende") for p in in_year["participants"]],
        t("vr_col_observations"): [int(x) for x in in_year["observations"]],
        t("vr_col_measures"): [int(x) for x in in_year["measures"]],
        t("vr_col_done"): [int(x) for x in in_year["measures_done"]],
    })
    if ctx.public:
        hide = protect(frame[[c_part, c_res]], ctx.min_n)
        frame = frame.astype({c_part: object, c_res: object}).mask(
            hide.reindex(columns=frame.columns, fill_value=False), ctx.hidden)
    kinds = {c: "int" for c in frame.columns}
    kinds.update({t("col_date"): "date", t("col_ort"): "text", t("col_status"): "text"})
    blocks.append(Table("walks", t("rp_tbl_walks", year=ctx.year), t("rp_sheet_walks"), frame, kinds,
                        note=t("rp_note_walks") + (" " + ctx.hidden_note() if ctx.public else "")))
    blocks += _observations(ctx, in_year)
    return blocks


def _observations(ctx: ReportContext, in_year: pd.DataFrame) -> list[Block]:
    causes = {c.key: c.label for c in ctx.config.vandring.checklist}
    rows = []
    for w in in_year.itertuples():
        found = ctx.store.walk(int(w.walk_id))
        if found is None:
            continue
        _, obs, _ = found
        for o in obs.itertuples():
            row = {t("col_date"): w.walk_date.date(), t("col_ort"): w.ort,
                   t("col_plats"): o.place if isinstance(o.place, str) else t("whole_ort"),
                   t("vr_col_causes"): ", ".join(causes.get(c, c) for c in json.loads(o.causes))}
            if not ctx.public:
                row[t("rp_col_observation")] = o.problem
            rows.append(row)
    if not rows:
        return []
    frame = pd.DataFrame(rows)
    kinds = {c: "text" for c in frame.columns}
    kinds[t("col_date")] = "date"
    note = t("rp_note_obs_public") if ctx.public else t("rp_note_obs_full")
    return [Table("observations", t("rp_tbl_obs", year=ctx.year), t("rp_sheet_obs"), frame, kinds, note=note)]


def measures(ctx: ReportContext) -> list[Block]:
    """The measures of this year's walks, those completed this year and those still open, with effect."""
    m = ctx.store.all_measures()
    end = pd.Timestamp(date(ctx.year, 12, 31))
    walk_date = pd.to_datetime(m["walk_date"])
    completed = pd.to_datetime(m["completed_date"])
    # This year's walks' measures, measures completed this year, and those still open: from a walk up
    # to this year, or (no walk date to place them by) in the report for the latest year.
    open_now = m["status"].isin(OPEN_STATUSES)
    relevant = ((walk_date.dt.year == ctx.year) | (completed.dt.year == ctx.year)
                | (open_now & (walk_date <= end))
                | (open_now & walk_date.isna() & (ctx.year == ctx.latest_year)))
    m = m[relevant]
    done_year = int((completed.dt.year == ctx.year).sum())
    done_prev = int((completed.dt.year == ctx.year - 1).sum())
    ctx.kf["prioritera"].append(KeyFigure(
        ctx.goal("prioritera"), t("rp_kf_measures_done", year=ctx.year), fmt_int(done_year), fmt_int(len(m)),
        t("rp_prev_value", year=ctx.year - 1, value=fmt_int(done_prev)), "", t("rp_kf_measures_note")))
    if m.empty:
        return [t("rp_measures_none", year=ctx.year)]
    effects = measure_effects(ctx.store, ctx.config)
    effect = dict(zip(effects["measure_id"], effects["verdict"]))
    causes = _causes_by_place(ctx)
    rows = []
    for r in m.itertuples():
        row = {t("col_plats"): f"{r.place}, {r.ort}" if isinstance(r.place, str) else r.ort,
               t("col_status"): r.status}
        if ctx.public:
            category = getattr(r, "category", None)
            row[t("rp_col_concerns")] = (causes.get((r.ort, r.place if isinstance(r.place, str) else None,
                                                     as_date(r.walk_date)))
                                         or (ctx.labels.get(category, "") if isinstance(category, str) else ""))
        else:
            row[t("vr_col_measure")] = r.description
        row.update({
            t("vr_col_owner"): r.owner, t("vr_col_path"): r.decision_path, t("vr_col_due"): as_date(r.due_date),
            t("vr_col_completed"): as_date(r.completed_date),
            t("rp_col_effect"): effect.get(r.measure_id, ""),
        })
        rows.append(row)
    frame = pd.DataFrame(rows)
    kinds = {c: "text" for c in frame.columns}
    kinds.update({t("vr_col_due"): "date", t("vr_col_completed"): "date"})
    counts = m["status"].value_counts()
    parts = [t("rp_status_count", n=fmt_int(int(counts[s])), status=s)
             for s in ctx.config.vandring.statuses if s in counts]
    text = t("rp_measures_intro", n=fmt_int(len(m)), parts=", ".join(parts), created=date.today().isoformat())
    note = (t("rp_note_measures_public") if ctx.public else t("rp_note_measures_full")) + " " + t("ve_method")
    return [text, Table("measures", t("rp_tbl_measures", year=ctx.year), t("rp_sheet_measures"), frame, kinds,
                        note=note, layout="cards",
                        card_bullets=t("rp_col_concerns") if ctx.public else t("vr_col_measure"))]


def _causes_by_place(ctx: ReportContext) -> dict:
    labels = {c.key: c.label for c in ctx.config.vandring.checklist}
    out: dict = {}
    for r in ctx.store.observed_causes().itertuples():
        key = (r.ort, r.place if isinstance(r.place, str) else None, as_date(r.walk_date))
        names = [labels.get(c, c) for c in json.loads(r.causes)]
        out[key] = ", ".join(dict.fromkeys([*(out[key].split(", ") if out.get(key) else []), *names]))
    return out


def next_year(ctx: ReportContext) -> list[Block]:
    """Planned walks, and in the full version for the latest year the top candidates for next year."""
    blocks: list[Block] = []
    walks = ctx.store.walks()
    when = pd.to_datetime(walks["walk_date"])
    planned = walks[(walks["status"] == WALK_PLANNED) & when.dt.year.isin([ctx.year, ctx.year + 1])]
    if planned.empty:
        blocks.append(t("rp_planned_none"))
    else:
        blocks.append(t("rp_planned"))
        blocks.append(Bullets([t("rp_planned_item", date=as_date(r.walk_date).isoformat(), ort=r.ort)
                               for r in planned.sort_values("walk_date").itertuples()]))
    if ctx.public:
        return blocks
    if ctx.year != ctx.latest_year:
        blocks.append(t("rp_candidates_other_year", latest=ctx.latest_year))
        return blocks
    v = ctx.config.vandring
    scored = ranked_candidates(ctx.store, ctx.config, level="plats")
    top = scored[scored["status"] == scoring.STATUS_OK].head(TOP_CANDIDATES)  # already in rank order
    if top.empty:
        return blocks
    frame = pd.DataFrame({
        t("col_rank"): [int(x) for x in top["rank"]], t("col_unit"): list(top["unit"]),
        t("col_area"): list(top["area"]), t("col_total"): [round(float(x), 1) for x in top["total"]],
        t("col_reasons"): [" · ".join(rs) for rs in top["reasons"]],
        t("col_uncertainty"): list(top["uncertainty"]),
    })
    kinds = {c: "text" for c in frame.columns}
    kinds.update({t("col_rank"): "int", t("col_total"): "dec"})
    blocks += [t("rp_candidates_intro", n=len(top)),
               Table("candidates", t("rp_tbl_candidates", year=ctx.year + 1), t("rp_sheet_candidates"), frame,
                     kinds, note=t("vc_method", recent=v.recent_weeks, base=v.baseline_weeks,
                                   months=v.centralort_interval_months),
                     layout="cards", card_bullets=t("col_reasons"))]
    return blocks
