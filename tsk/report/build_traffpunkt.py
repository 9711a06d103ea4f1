"""The report's Träffpunkt part (goal «demokrati»): answers in the year's round, and each item's share
by area against the round before and the other areas."""
from __future__ import annotations

import math

import pandas as pd

from tsk.i18n import t
from tsk.pagedata import traffpunkt as traffpunkt_data
from tsk.report.common import protect, share_bars
from tsk.report.context import ReportContext
from tsk.report.model import Block, Chart, KeyFigure, Table, is_missing


def traffpunkt(ctx: ReportContext) -> list[Block]:
    """The year's latest Träffpunkt round: answers, and each item by area (the first with a chart)."""
    resp = ctx.store.table("traffpunkt_respondents")
    rounds = (resp[["round", "year"]].drop_duplicates() if not resp.empty
              else pd.DataFrame(columns=["round", "year"]))
    in_year = sorted(rounds.loc[rounds["year"] == ctx.year, "round"])
    all_rounds = sorted(rounds["round"].unique())
    if not in_year:
        earlier = [r for r in all_rounds if r < str(ctx.year)]
        text = (t("rp_tp_none_latest", year=ctx.year, round=earlier[-1]) if earlier
                else t("rp_tp_none", year=ctx.year))
        ctx.sources.append({t("rp_col_source"): t("rp_source_traffpunkt"),
                             t("rp_col_period"): t("rp_source_missing"), t("rp_col_extent"): "–"})
        return [text]
    rnd = in_year[-1]
    earlier = [r for r in all_rounds if r < rnd]
    prev = earlier[-1] if earlier else None
    per_round = resp.groupby("round").size()
    ctx.kf["demokrati"].append(KeyFigure(
        ctx.goal("demokrati"), t("kf_traffpunkt", round=rnd), ctx.count_text(per_round[rnd]),
        ctx.count_text(per_round[rnd]),
        t("rp_prev_round", round=prev, value=ctx.count_text(per_round[prev])) if prev else "–", "",
        t("kf_selfselected")))
    ctx.sources.append({t("rp_col_source"): t("rp_source_traffpunkt"), t("rp_col_period"): str(rnd),
                         t("rp_col_extent"): t("rp_extent_answers", n=ctx.count_text(per_round[rnd]))})
    blocks: list[Block] = [t("rp_tp_intro", round=rnd, n=ctx.count_text(per_round[rnd]))]
    for i, item in enumerate(i for i in ctx.config.traffpunkt_items if i.kind != "text"):
        shares = traffpunkt_data.traffpunkt_shares(ctx.store, ctx.config, item=item.key)
        if shares.empty:
            continue
        shares = shares[shares["round"] <= rnd]
        blocks += _tp_item(ctx, item, shares, rnd, prev, chart=(i == 0))
    return blocks


def _tp_item(ctx: ReportContext, item, shares: pd.DataFrame, rnd: str, prev: str | None, *, chart: bool) -> list[Block]:
    measure = t("tp_measure_worse") if item.kind == "forandring" else t("tp_measure_otrygg")
    comparison = traffpunkt_data.traffpunkt_comparison(shares, ctx.config)
    comp = comparison.set_index("area") if not comparison.empty else pd.DataFrame()
    now = shares[shares["round"] == rnd].set_index("area")
    before = shares[shares["round"] == prev].set_index("area") if prev else pd.DataFrame()
    tp_areas = [a.name for a in ctx.config.areas if a.kind != "centralort"]
    c_s, c_n = t("rp_col_measure", measure=measure, round=rnd), t("rp_col_n", year=rnd)
    p_s, p_n = t("rp_col_measure", measure=measure, round=prev), t("rp_col_n", year=prev)
    rows = []
    for a in tp_areas:
        r = now.loc[a] if a in now.index else None
        row = {t("col_area"): a, c_s: r["share"] if r is not None else math.nan,
               c_n: int(r["n"]) if r is not None else 0}
        if prev:
            b = before.loc[a] if a in before.index else None
            row[p_s] = b["share"] if b is not None else math.nan
            row[p_n] = int(b["n"]) if b is not None else 0
            row[t("tp_col_vs_previous")] = comp.at[a, "vs_previous"] if a in comp.index else t("verdict_none")
        row[t("tp_col_vs_others")] = comp.at[a, "vs_others"] if a in comp.index else t("verdict_none")
        rows.append(row)
    frame = pd.DataFrame(rows)
    n_cols = [c for c in (c_n, p_n) if c in frame]
    hide = protect(frame[n_cols], ctx.min_n) if ctx.public else pd.DataFrame(False, index=frame.index,
                                                                                  columns=n_cols)
    frame = frame.astype({c: object for c in frame.columns if c != t("col_area")})
    for s_col, n_col in ((c_s, c_n), (p_s, p_n)):
        if n_col not in frame:
            continue
        for i in frame.index:
            if hide.at[i, n_col]:
                frame.at[i, n_col] = ctx.hidden
            if hide.at[i, n_col] or (is_missing(frame.at[i, s_col]) and frame.at[i, n_col] != 0):
                frame.at[i, s_col] = ctx.hidden
                for v in (t("tp_col_vs_previous"), t("tp_col_vs_others")):
                    if v in frame:
                        frame.at[i, v] = t("rp_verdict_hidden", n=ctx.min_n)
            elif is_missing(frame.at[i, s_col]):
                frame.at[i, s_col] = None
    kinds = {t("col_area"): "text", c_s: "pct", c_n: "int", p_s: "pct", p_n: "int",
             t("tp_col_vs_previous"): "text", t("tp_col_vs_others"): "text"}
    key = f"traffpunkt_{item.key}"
    blocks: list[Block] = [Table(key, t("rp_tbl_tp", measure=measure, item=item.label, round=rnd),
                                 t("rp_sheet_tp_forandring") if item.kind == "forandring"
                                 else t("rp_sheet_tp_trygghet"), frame, {c: kinds[c] for c in frame.columns},
                                 note=t("tp_caption", small=ctx.config.small_sample, n=ctx.min_n) + " "
                                 + t("tp_compare_caption") + " " + ctx.hidden_note())]
    if chart:
        png = share_bars(frame, tp_areas, now, current=(str(rnd), c_s), previous=(str(prev), p_s) if prev else None,
                         axis_label=measure, hidden=ctx.hidden)
        blocks.append(Chart(key, t("rp_chart_tp", measure=measure, round=rnd), png,
                            t("rp_alt_tp", measure=measure, round=rnd), note=t("rp_chart_ci_note")))
    return blocks
