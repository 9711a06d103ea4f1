"""The report's lägesbild parts: reports by category and area against the same weeks a year earlier,
the category × area grid and the months (goal «trygg»); police events (full version only); reporting
coverage (goal «prioritera»)."""
from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd

from tsk.formatting import fmt_int, fmt_pct
from tsk.i18n import t
from tsk.pagedata import common
from tsk.pagedata import lagesbild as lagesbild_data
from tsk.parsing import week_monday
from tsk.report import charts
from tsk.report.common import protect, rate_verdicts, relative_change
from tsk.report.context import ReportContext
from tsk.report.model import Block, Chart, KeyFigure, Table, Window
from tsk.report.periods import iso_weeks


def lagesbild(ctx: ReportContext) -> list[Block]:
    """Reports in the year's lägesbild weeks against the same weeks a year earlier: key figure, by
    category (with chart), by area, category × area, and the months."""
    w, pw = ctx.window, ctx.prev_window
    if w is None:
        ctx.missing.append(t("rp_missing_lagesbild", year=ctx.year))
        ctx.sources.append({t("rp_col_source"): t("rp_source_lagesbild"),
                             t("rp_col_period"): t("rp_source_missing"), t("rp_col_extent"): "–"})
        return [t("rp_missing_lagesbild", year=ctx.year)]
    counts = _lb_counts(ctx, w, ("category", "area"))
    prev_counts = _lb_counts(ctx, pw, ("category", "area")) if pw else None
    total = int(counts["reports"].sum())
    prev_total = int(prev_counts["reports"].sum()) if prev_counts is not None else None
    (verdict,) = rate_verdicts([total], [prev_total], w.weeks, pw.weeks if pw else None)
    ctx.kf["trygg"].append(KeyFigure(
        ctx.goal("trygg"), t("rp_kf_reports", weeks=w.label()), ctx.count_text(total), ctx.count_text(total),
        t("rp_prev_value", year=ctx.year - 1, value=ctx.count_text(prev_total)) if pw else "–", verdict,
        t("rp_kf_reports_note")))
    reporters = _reporters(ctx, w)
    ctx.sources.append({t("rp_col_source"): t("rp_source_lagesbild"), t("rp_col_period"): w.label(),
                         t("rp_col_extent"): t("rp_extent_reports", n=ctx.count_text(total),
                                               reporters=ctx.count_text(reporters))})
    blocks: list[Block] = [t("rp_lb_intro", weeks=w.label(), n=fmt_int(w.weeks),
                             organisations=common.organisations_text(ctx.config),
                             prev=(t("rp_lb_prev", weeks=pw.label()) if pw else t("rp_lb_no_prev")))]
    if w.last < week_monday(ctx.year, iso_weeks(ctx.year)):
        blocks.append(t("rp_lb_partial", weeks=w.label(), year=ctx.year))
    blocks += _lb_by(ctx, counts, prev_counts, "category")
    blocks += _lb_by(ctx, counts, prev_counts, "area")
    blocks.append(_lb_cross(ctx, counts))
    chart = _lb_monthly(ctx)
    if chart:
        blocks.append(chart)
    return blocks


def _lb_counts(ctx: ReportContext, w: Window, by) -> pd.DataFrame:
    return ctx.store.lagesbild_counts(areas=ctx.areas, orgs=ctx.orgs, cats=ctx.cats, week_from=w.first,
                                       week_to=w.last, by=by)


def _reporters(ctx: ReportContext, w: Window) -> int:
    cov = ctx.store.reporting_coverage(areas=ctx.areas + ("",), orgs=ctx.orgs, week_from=w.first,
                                        week_to=w.last)
    return int(cov.loc[cov["status"] != "saknas", "reporter"].nunique()) if not cov.empty else 0


def _lb_by(ctx: ReportContext, counts: pd.DataFrame, prev_counts: pd.DataFrame | None, by: str) -> list[Block]:
    y, p = ctx.year, ctx.year - 1
    keys = list(ctx.cats) if by == "category" else list(ctx.areas)
    now = counts.groupby(by)["reports"].sum()
    before = prev_counts.groupby(by)["reports"].sum() if prev_counts is not None else None
    c_now, c_prev = t("rp_col_reports", year=y), t("rp_col_reports", year=p)
    c_change, c_verdict = t("rp_col_change"), t("col_verdict")
    name_col = t("col_category") if by == "category" else t("col_area")
    rows = []
    for k in keys:
        row = {name_col: ctx.labels.get(k, k) if by == "category" else k, c_now: int(now.get(k, 0))}
        if before is not None:
            row[c_prev] = int(before.get(k, 0))
        if by == "area":
            pop = ctx.config.area(k).population
            row[t("col_population")] = int(pop) if pop else math.nan
            row[t("rp_col_per_1000")] = 1000 * row[c_now] / pop if pop else math.nan
        rows.append(row)
    frame = pd.DataFrame(rows)
    if before is not None:
        frame[c_change] = [relative_change(a, b) for a, b in zip(frame[c_now], frame[c_prev])]
        frame[c_verdict] = rate_verdicts(list(frame[c_now]), list(frame[c_prev]), ctx.window.weeks,
                                          ctx.prev_window.weeks)
    count_cols = [c for c in (c_now, c_prev) if c in frame]
    if ctx.public:
        hide = protect(frame[count_cols], ctx.min_n)
        frame = frame.astype({c: object for c in frame.columns if c != name_col})
        for col in count_cols:
            for i in frame.index[hide[col]]:
                frame.at[i, col] = ctx.hidden
                for derived in (c_change, c_verdict, t("rp_col_per_1000")):
                    if derived in frame:
                        frame.at[i, derived] = (t("rp_verdict_hidden", n=ctx.min_n) if derived == c_verdict
                                                else ctx.hidden)
    kinds = {name_col: "text", c_now: "int", c_prev: "int", c_change: "change", c_verdict: "text",
             t("col_population"): "int", t("rp_col_per_1000"): "dec"}
    if by == "category":
        table = Table("lagesbild_by_category", t("rp_tbl_lb_category", weeks=ctx.window.label()),
                      t("rp_sheet_lb_category"), frame, {c: kinds[c] for c in frame.columns},
                      note=t("rp_note_lb") + (" " + ctx.hidden_note() if ctx.public else ""))
        order = frame.assign(_n=pd.to_numeric(frame[c_now], errors="coerce").fillna(0)).sort_values(
            "_n", ascending=False)
        series = [(str(y), [None if isinstance(v, str) else v for v in order[c_now]])]
        if c_prev in order:
            series.append((str(p), [None if isinstance(v, str) else v for v in order[c_prev]]))
        png = charts.grouped_bars(list(order[name_col]), series, axis_label=t("rp_axis_reports"),
                                         share=False, hidden_text=ctx.hidden)
        chart = Chart("lagesbild_by_category", t("rp_chart_lb_category", weeks=ctx.window.label()), png,
                      t("rp_alt_lb_category", year=y))
        return [table, chart]
    note = t("rp_note_lb_area") + (" " + ctx.hidden_note() if ctx.public else "")
    return [Table("lagesbild_by_area", t("rp_tbl_lb_area", weeks=ctx.window.label()), t("rp_sheet_lb_area"),
                  frame, {c: kinds[c] for c in frame.columns}, note=note)]


def _lb_cross(ctx: ReportContext, counts: pd.DataFrame) -> Table:
    grid = (counts.pivot_table(index="category", columns="area", values="reports", aggfunc="sum", fill_value=0)
            .reindex(index=list(ctx.cats), columns=list(ctx.areas), fill_value=0).astype(int))
    frame = grid.copy()
    if ctx.public:
        hide = protect(grid, ctx.min_n, rows=True)
        frame = frame.astype(object).mask(hide, ctx.hidden)
    frame.index = [ctx.labels.get(k, k) for k in frame.index]
    frame = frame.rename_axis(t("col_category")).reset_index()
    kinds = {c: "int" for c in frame.columns}
    kinds[t("col_category")] = "text"
    return Table("lagesbild_cross", t("rp_tbl_lb_cross", weeks=ctx.window.label()), t("rp_sheet_lb_cross"),
                 frame, kinds, note=ctx.hidden_note() if ctx.public else "")


def _lb_monthly(ctx: ReportContext) -> Chart | None:
    series = []
    for label, w in ((str(ctx.year), ctx.window), (str(ctx.year - 1), ctx.prev_window)):
        if w is None:
            continue
        m = ctx.store.lagesbild_counts(areas=ctx.areas, orgs=ctx.orgs, cats=ctx.cats, week_from=w.first,
                                        week_to=w.last, period="month", by="category")
        per = m.groupby(pd.to_datetime(m["period_start"]).dt.month)["reports"].sum()
        # the months of the window's Thursdays: each ISO week counts in the month of its Thursday
        months = {d.month for d in pd.date_range(w.first + timedelta(days=3), w.last + timedelta(days=3), freq="7D")}
        values = [int(per.get(i, 0)) if i in months else None for i in range(1, 13)]
        if ctx.public:
            values = [None if v is not None and 0 < v < ctx.min_n else v for v in values]
        series.append((label, values))
    if not series:
        return None
    png = charts.monthly_lines(series, axis_label=t("rp_axis_reports"))
    # A month the year's window cuts (the year is not over) would read as a drop: the note names it.
    cut = lagesbild_data.partial_months(ctx.window.first, ctx.window.last) if ctx.window else {}
    note = " ".join(x for x in (t("rp_chart_lb_monthly_note"),
                                lagesbild_data.partial_months_text(cut, sentence="rp_partial_months")) if x)
    return Chart("lagesbild_monthly", t("rp_chart_lb_monthly"), png, t("rp_alt_lb_monthly", year=ctx.year),
                 note=note)


def police(ctx: ReportContext) -> list[Block]:
    """Police events by category this year against the same dates a year earlier (full version only)."""
    last = ctx.store.source_periods().get("police")
    start = date(ctx.year, 1, 1)
    if last is None or last < start:
        return [t("rp_police_none", year=ctx.year)]
    end = min(date(ctx.year, 12, 31), last)
    events = ctx.store.police_weekly(areas=ctx.areas, date_from=start, date_to=end)
    if events.empty:
        return [t("rp_police_none", year=ctx.year)]
    prev_end = date(ctx.year - 1, end.month, min(end.day, 28 if end.month == 2 else 31))
    before = ctx.store.police_weekly(areas=ctx.areas, date_from=date(ctx.year - 1, 1, 1), date_to=prev_end)
    other = t("rp_police_other")

    def per_cat(frame):
        return frame.assign(category=frame["category"].map(lambda c: ctx.labels.get(c, c) if isinstance(c, str)
                                                           else other)).groupby("category")["events"].sum()

    now, prev = per_cat(events), per_cat(before)
    keys = sorted(set(now.index) | set(prev.index), key=lambda k: (k == other, -now.get(k, 0), k))
    c_now, c_prev = t("rp_col_events", year=ctx.year), t("rp_col_events", year=ctx.year - 1)
    frame = pd.DataFrame([{t("col_category"): k, c_now: int(now.get(k, 0)), c_prev: int(prev.get(k, 0))}
                          for k in keys])
    period = t("rp_period_dates", first=start.isoformat(), last=end.isoformat())
    ctx.sources.append({t("rp_col_source"): t("rp_source_police"), t("rp_col_period"): period,
                         t("rp_col_extent"): t("rp_extent_events", n=fmt_int(int(now.sum())))})
    ctx.kf["trygg"].append(KeyFigure(ctx.goal("trygg"), t("rp_kf_police", period=period), fmt_int(int(now.sum())),
                                      fmt_int(int(now.sum())),
                                      t("rp_prev_value", year=ctx.year - 1, value=fmt_int(int(prev.sum()))), "",
                                      t("rp_kf_police_note")))
    return [Table("police", t("rp_tbl_police", period=period), t("rp_sheet_police"), frame,
                  {t("col_category"): "text", c_now: "int", c_prev: "int"}, note=t("rp_note_police"))]


def coverage(ctx: ReportContext) -> list[Block]:
    """How many of the expected weekly reports came in; per reporter in the full version only."""
    w, pw = ctx.window, ctx.prev_window
    if w is None:
        return []
    cov = ctx.store.reporting_coverage(areas=ctx.areas + ("",), orgs=ctx.orgs, week_from=w.first,
                                        week_to=w.last)
    if cov.empty:
        return []
    share = float((cov["status"] != "saknas").mean())
    prev_text = "–"
    if pw:
        pc = ctx.store.reporting_coverage(areas=ctx.areas + ("",), orgs=ctx.orgs, week_from=pw.first,
                                           week_to=pw.last)
        if not pc.empty:
            prev_share = float((pc["status"] != "saknas").mean())
            prev_text = t("rp_prev_value", year=ctx.year - 1, value=fmt_pct(prev_share))
    status = cov["status"].value_counts()
    ctx.kf["prioritera"].append(KeyFigure(
        ctx.goal("prioritera"), t("rp_kf_coverage", weeks=w.label()), fmt_pct(share), fmt_int(len(cov)),
        prev_text, "", t("kf_coverage_note")))
    blocks: list[Block] = [t("rp_cov_intro", weeks=w.label(), share=fmt_pct(share), expected=fmt_int(len(cov)),
                             reported=fmt_int(int(status.get("rapporterat", 0))),
                             nothing=fmt_int(int(status.get("inget_att_rapportera", 0))),
                             missing=fmt_int(int(status.get("saknas", 0))))]
    if ctx.public:
        return blocks
    summary = lagesbild_data.coverage_summary(cov)
    labels = {k: t(f"status_{k}") for k in lagesbild_data.COVERAGE_STATUSES}
    frame = summary.rename(columns={
        "reporter": t("col_reporter"), "organisation": t("col_organisation"), "area": t("col_area"),
        **labels, "silent_now": t("col_silent_now")})
    frame[t("col_area")] = frame[t("col_area")].replace("", "–")
    kinds = {c: "int" for c in frame.columns}
    kinds.update({t("col_reporter"): "text", t("col_organisation"): "text", t("col_area"): "text"})
    blocks.append(Table("coverage", t("rp_tbl_coverage", weeks=w.label()), t("rp_sheet_coverage"), frame, kinds,
                        note=t("lb_coverage_caption")))
    return blocks
