"""The report's survey part (goal «trygg»): the headline item's share by area against the year before,
its trend over the years, the problem index and the places mentioned; the survey's key figures."""
from __future__ import annotations

import math

import pandas as pd

from tsk.formatting import fmt_pct
from tsk.i18n import t
from tsk.pagedata import survey as survey_data
from tsk.report import charts
from tsk.report.common import interval_text, protect, share_bars
from tsk.report.context import ReportContext
from tsk.report.model import Block, Chart, KeyFigure, Table, is_missing


def survey(ctx: ReportContext) -> list[Block]:
    """The headline survey item by area against the previous survey year, its trend, the problem
    index and the places mentioned; key figures for «trygg» and «demokrati»."""
    cfg, year = ctx.config, ctx.year
    item_key = cfg.headline_item if cfg.item(cfg.headline_item) else next(
        (i.key for i in cfg.survey_items if i.kind == "trygghet"), None)
    blocks: list[Block] = []
    if item_key is None:
        return blocks
    item = cfg.item(item_key)
    earlier = [y for y in ctx.survey_years if y < year]
    prev = earlier[-1] if earlier else None
    has_year = year in ctx.survey_years
    respondents = _respondents(ctx)
    if not has_year:
        when = t("rp_survey_when", month=cfg.survey_month) if cfg.survey_month else ""
        ctx.missing.append(t("rp_missing_survey", year=year, when=when))
        blocks.append(t("rp_missing_survey", year=year, when=when))
        ctx.kf["trygg"].append(KeyFigure(ctx.goal("trygg"), t("rp_kf_otrygg", year=year), "–", "–",
                                          "–", t("rp_kf_no_survey", year=year)))
    else:
        kommun = survey_data.survey_shares(ctx.store, cfg, item=item_key, year_from=prev or year, year_to=year,
                                        by="kommun")
        areas = survey_data.survey_shares(ctx.store, cfg, item=item_key, year_from=prev or year, year_to=year,
                                       by="area", groups=ctx.areas)
        both = pd.concat([kommun, areas], ignore_index=True)
        both = both[both["year"].isin([year, prev])]
        verdict = _year_verdicts(ctx, both, prev) if prev else {}
        table, chart = _survey_table(ctx, both, verdict, item.label, prev)
        k_now = kommun[kommun["year"] == year].iloc[0]
        k_prev = kommun[kommun["year"] == prev].iloc[0] if prev else None
        ctx.kf["trygg"].append(KeyFigure(
            ctx.goal("trygg"), t("rp_kf_otrygg", year=year),
            ctx.hidden if k_now["suppressed"] else fmt_pct(k_now["share"]), ctx.count_text(k_now["n"]),
            (t("rp_prev_value", year=prev, value=ctx.hidden if k_prev["suppressed"] else fmt_pct(k_prev["share"]))
             if k_prev is not None else "–"),
            verdict.get(t("group_kommun"), t("verdict_none")), t("kf_selfselected")))
        blocks += [t("rp_survey_intro", year=year, item=item.label, n=ctx.count_text(respondents.get(year, 0))),
                   table, chart]
        pooled = _pooled_table(ctx, item_key, item.label, table)
        if pooled is not None:
            blocks.append(pooled)
    trend = _survey_trend(ctx, item_key, item.label)
    if trend:
        blocks.append(trend)
    blocks += _problem_index(ctx, prev)
    if has_year:
        blocks += _mentions(ctx)
    # Participation counts towards the goal of democracy and influence.
    if has_year:
        ctx.kf["demokrati"].append(KeyFigure(
            ctx.goal("demokrati"), t("rp_kf_survey_answers", year=year), ctx.count_text(respondents[year]),
            ctx.count_text(respondents[year]),
            t("rp_prev_value", year=prev, value=ctx.count_text(respondents.get(prev, 0))) if prev else "–",
            "", t("kf_selfselected")))
    ctx.sources.append({
        t("rp_col_source"): t("rp_source_survey"),
        t("rp_col_period"): str(year) if has_year else t("rp_source_missing"),
        t("rp_col_extent"): (t("rp_extent_answers", n=ctx.count_text(respondents[year])) if has_year else "–")})
    return blocks


def _year_verdicts(ctx: ReportContext, both: pd.DataFrame, prev: int) -> dict[str, str]:
    """Per group: this year against `prev`, worded by tsk.pagedata.survey.year_on_year (two-proportion test,
    Benjamini–Hochberg across the groups; other scales or groups under the threshold not compared)."""
    pairs = survey_data.year_on_year(both, ctx.config)
    return {r.group: r.verdict for r in pairs.itertuples() if r.from_year == prev and r.to_year == ctx.year}


def _respondents(ctx: ReportContext) -> dict[int, int]:
    r = ctx.store.table("survey_respondents")
    return {int(y): int(n) for y, n in r.groupby("year").size().items()} if not r.empty else {}


def _survey_table(ctx: ReportContext, both: pd.DataFrame, verdict: dict, item_label: str, prev: int | None
                  ) -> tuple[Table, Chart]:
    year = ctx.year
    order = [t("group_kommun"), *ctx.areas]
    groups = [g for g in order if g in set(both["group"])]
    rows = []
    now = both[both["year"] == year].set_index("group")
    before = both[both["year"] == prev].set_index("group") if prev else None
    c_share, c_ci, c_n = t("rp_col_share", year=year), t("rp_col_ci"), t("rp_col_n", year=year)
    p_share, p_n = t("rp_col_share", year=prev), t("rp_col_n", year=prev)
    for g in groups:
        r = now.loc[g] if g in now.index else None
        row = {t("col_area"): g}
        row[c_share] = r["share"] if r is not None else math.nan
        row[c_ci] = (interval_text(r["low"], r["high"])
                     if r is not None and not is_missing(r["low"]) else "")
        row[c_n] = int(r["n"]) if r is not None else 0
        if prev:
            p = before.loc[g] if g in before.index else None
            row[p_share] = p["share"] if p is not None else math.nan
            row[p_n] = int(p["n"]) if p is not None else 0
            row[t("col_verdict")] = verdict.get(g, t("verdict_none"))
        rows.append(row)
    frame = pd.DataFrame(rows).astype(object)
    n_cols = [c_n] + ([p_n] if prev else [])
    hide = (protect(frame[n_cols], ctx.min_n) if ctx.public
            else pd.DataFrame(False, index=frame.index, columns=n_cols))
    # Shares under the threshold are already missing (tsk.pagedata); mark them, and hide whole rows
    # the public version protects.
    for share_col, n_col, ci_col in ((c_share, c_n, c_ci), (p_share, p_n, None)):
        if share_col not in frame:
            continue
        for i in frame.index:
            hidden_row = bool(hide.at[i, n_col])
            if hidden_row:
                frame.at[i, n_col] = ctx.hidden
            if hidden_row or (is_missing(frame.at[i, share_col]) and frame.at[i, n_col] != 0):
                frame.at[i, share_col] = ctx.hidden
                if ci_col:
                    frame.at[i, ci_col] = ""
                if prev:
                    frame.at[i, t("col_verdict")] = t("rp_verdict_hidden", n=ctx.min_n)
    for col in (c_share, p_share):
        if col in frame:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    kinds = {t("col_area"): "text", c_share: "pct", c_ci: "text", c_n: "int", p_share: "pct", p_n: "int",
             t("col_verdict"): "text"}
    note = t("rp_note_survey", n=ctx.min_n, small=ctx.config.small_sample) + " " + ctx.hidden_note()
    if prev and any(v.startswith(t("verdict_no_change") + ";") for v in frame[t("col_verdict")]):
        note += " " + t("tr_power_caption", pp=ctx.config.large_change_pp)
    table = Table("survey_by_area", t("rp_tbl_survey", item=item_label, year=year), t("rp_sheet_survey"), frame,
                  {c: kinds[c] for c in frame.columns}, note=note)

    png = share_bars(frame, groups, now, current=(str(year), c_share), previous=(str(prev), p_share) if prev else None,
                     axis_label=t("rp_axis_share"), hidden=ctx.hidden)
    chart = Chart("survey_by_area", t("rp_chart_survey", year=year), png,
                  t("rp_alt_survey", year=year, item=item_label), note=t("rp_chart_ci_note"))
    return table, chart


def _pooled_table(ctx: ReportContext, item_key: str, item_label: str, main: Table) -> Table | None:
    """The groups with fewer answers than the small-sample threshold this year, beside the same year and
    the year before pooled (tsk.pagedata.survey.two_year_shares: never across a scale change, never with
    a year under the suppression threshold), or why not. None when no group is small. In the public
    version a group whose count the main table hides is hidden here too (the pooled n would give it)."""
    year, cfg = ctx.year, ctx.config
    shares = pd.concat([survey_data.survey_shares(ctx.store, cfg, item=item_key, year_from=year - 1, year_to=year,
                                                  by=by, groups=ctx.areas if by == "area" else ())
                        for by in ("kommun", "area")], ignore_index=True)
    shown = main.frame.set_index(t("col_area"))
    pooled = survey_data.two_year_shares(shares, cfg, years=[year])
    order = {g: i for i, g in enumerate(shown.index)}  # the groups of the main table, in its order
    pooled = pooled[pooled["group"].isin(order)].sort_values("group", key=lambda g: g.map(order), kind="stable")
    if pooled.empty:
        return None
    years = f"{year - 1}–{year}"
    c_share, c_n = t("rp_col_share", year=year), t("rp_col_n", year=year)
    q_share, q_ci, q_n = t("rp_col_pooled_share", years=years), t("rp_col_ci"), t("rp_col_pooled_n", years=years)
    n_cols = [c for c in (c_n, t("rp_col_n", year=year - 1)) if c in shown.columns]
    rows = []
    for r in pooled.itertuples():
        row = {t("col_area"): r.group, c_share: shown.at[r.group, c_share], c_n: shown.at[r.group, c_n]}
        if any(shown.at[r.group, c] == ctx.hidden for c in n_cols):
            row |= {q_share: ctx.hidden, q_ci: "", q_n: ctx.hidden}
        elif is_missing(r.share):
            row |= {q_share: r.reason, q_ci: "", q_n: None}
        else:
            row |= {q_share: r.share, q_ci: interval_text(r.low, r.high), q_n: int(r.n)}
        rows.append(row)
    frame = pd.DataFrame(rows).astype(object)
    kinds = {t("col_area"): "text", c_share: "pct", c_n: "int", q_share: "pct", q_ci: "text", q_n: "int"}
    return Table("survey_pooled", t("rp_tbl_pooled", item=item_label, year=year, years=years),
                 t("rp_sheet_pooled"), frame, kinds,
                 note=t("rp_note_pooled", small=cfg.small_sample, year=year, n=ctx.min_n))


def _survey_trend(ctx: ReportContext, item_key: str, item_label: str) -> Chart | None:
    years = [y for y in ctx.survey_years if y <= ctx.year]
    if len(years) < 2:
        return None
    k = survey_data.survey_shares(ctx.store, ctx.config, item=item_key, year_from=years[0], year_to=years[-1],
                               by="kommun").sort_values("year")
    png = charts.share_trend(
        [int(y) for y in k["year"]], [None if s else v for v, s in zip(k["share"], k["suppressed"])],
        list(k["low"]), list(k["high"]), list(k["scale"]), axis_label=t("rp_axis_share"),
        scale_note=t("rp_scale_change_mark"), highlight=ctx.year)
    return Chart("survey_trend", t("rp_chart_trend", first=years[0], last=years[-1]), png,
                 t("rp_alt_trend", item=item_label), note=t("rp_chart_trend_note"))


def _problem_index(ctx: ReportContext, prev: int | None) -> list[Block]:
    if ctx.year not in ctx.survey_years:
        return []
    idx = survey_data.problem_index(ctx.store, ctx.config, year_from=prev or ctx.year, year_to=ctx.year)
    if idx.empty:
        return []
    rows = []
    c_i, c_n = t("rp_col_index", year=ctx.year), t("rp_col_n", year=ctx.year)
    p_i, p_n = t("rp_col_index", year=prev), t("rp_col_n", year=prev)
    for _, g in idx.groupby("item", sort=False):
        now = g[g["year"] == ctx.year]
        before = g[g["year"] == prev] if prev else g.iloc[0:0]
        if now.empty:
            continue
        r = now.iloc[0]
        row = {t("col_item"): r["label"], c_i: r["index"], c_n: int(r["n"])}
        if prev:
            b = before.iloc[0] if not before.empty else None
            same = b is not None and b["scale"] == r["scale"]
            row[p_i] = b["index"] if same else math.nan
            row[p_n] = int(b["n"]) if same else 0
        rows.append(row)
    frame = pd.DataFrame(rows)
    n_cols = [c for c in (c_n, p_n) if c in frame]
    if ctx.public:
        hide = protect(frame[n_cols], ctx.min_n)
        for col, idx_col in ((c_n, c_i), (p_n, p_i)):
            if col in frame:
                frame[col] = frame[col].astype(object)
                frame[idx_col] = frame[idx_col].astype(object)
                for i in frame.index[hide[col]]:
                    frame.at[i, col] = ctx.hidden
                    frame.at[i, idx_col] = ctx.hidden
    for col in (c_i, p_i):
        if col in frame:
            frame[col] = [ctx.hidden if (not isinstance(v, str) and is_missing(v) and n not in (0, ctx.hidden))
                          else (None if not isinstance(v, str) and is_missing(v) else v)
                          for v, n in zip(frame[col], frame[c_n if col == c_i else p_n])]
    kinds = {t("col_item"): "text", c_i: "dec", c_n: "int", p_i: "dec", p_n: "int"}
    return [Table("problem_index", t("rp_tbl_index", year=ctx.year), t("rp_sheet_index"), frame,
                  {c: kinds[c] for c in frame.columns}, note=t("rp_note_index"))]


def _mentions(ctx: ReportContext) -> list[Block]:
    m = survey_data.survey_mentions(ctx.store, ctx.config, year_from=ctx.year, year_to=ctx.year)
    if m.empty:
        return [t("tr_places_none", n=ctx.min_n)]
    frame = m[["plats", "ort", "area", "mentions"]].rename(columns={
        "plats": t("col_plats"), "ort": t("col_ort"), "area": t("col_area"), "mentions": t("col_mentions")})
    frame = frame.reset_index(drop=True)
    return [Table("survey_places", t("rp_tbl_places", year=ctx.year), t("rp_sheet_places"), frame,
                  {t("col_plats"): "text", t("col_ort"): "text", t("col_area"): "text", t("col_mentions"): "int"},
                  note=t("tr_places_caption", n=ctx.min_n))]
