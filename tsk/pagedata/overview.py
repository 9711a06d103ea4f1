"""Översikt page data: the map's measure per area and the key figures per TSK goal.

No Streamlit and no SQL: the store's named queries give the counts, tsk.stats the tests.
"""
from __future__ import annotations

from datetime import timedelta

import pandas as pd

from tsk import stats
from tsk.config import KommunConfig
from tsk.formatting import fmt_dec, fmt_int, fmt_pct
from tsk.i18n import t
from tsk.pagedata.common import (
    _verdict,
    goal,
    latest_week_start,
    problem_categories,
    rate_verdict,
)
from tsk.pagedata.lagesbild import coverage_summary
from tsk.pagedata.survey import survey_shares
from tsk.parsing import week_monday
from tsk.store import Store

METRICS = ("otrygg", "rapporter", "forandring")


def default_metric(counts: dict) -> str:
    """The Översikt map's first measure: the survey's share when there are survey answers, else the
    lägesbild's reports (a new kommun's first months), else the survey's (which then says what is missing)."""
    if counts.get("survey"):
        return "otrygg"
    return "rapporter" if counts.get("lagesbild") else "otrygg"


def area_metric(store: Store, config: KommunConfig, *, metric: str, item: str | None = None,
                weeks: int | None = None) -> pd.DataFrame:
    """The Översikt map's value per area. Columns: name (area), value, n, text, suppressed.

    - otrygg: share otrygg in the latest survey year, n = respondents who answered;
    - rapporter: lägesbild problem reports per 1,000 inhabitants in the last `weeks` weeks, n = reports;
    - forandring: rate ratio of the last `weeks` weeks against the `weeks` before, n = recent reports.
    """
    areas = [a.name for a in config.areas]
    weeks = weeks or config.windows.overview_weeks
    if metric == "otrygg":
        years = store.survey_years()
        if not years:
            return pd.DataFrame(columns=["name", "value", "n", "text", "suppressed"])
        s = survey_shares(store, config, item=item or config.headline_item, year_from=years[-1], year_to=years[-1],
                          by="area", groups=tuple(areas))
        return pd.DataFrame({
            "name": s["group"], "value": s["share"], "n": s["n"], "suppressed": s["suppressed"],
            "text": [t("suppressed_short", n=config.suppression_min) if sup else fmt_pct(v)
                     for v, sup in zip(s["share"], s["suppressed"])],
        })
    end = latest_week_start(store)
    if end is None:
        return pd.DataFrame(columns=["name", "value", "n", "text", "suppressed"])
    overview = store.area_overview(list(problem_categories(config)), weeks)
    if metric == "rapporter":
        return pd.DataFrame({
            "name": overview["area"], "value": overview["per_1000"], "n": overview["reports"],
            "suppressed": False,
            "text": [fmt_dec(v) for v in overview["per_1000"]],
        })
    if metric == "forandring":
        rows = []
        for area in areas:
            counts = store.lagesbild_counts(areas=(area,), orgs=tuple(o.name for o in config.organisations),
                                            cats=problem_categories(config),
                                            week_from=end - timedelta(weeks=2 * weeks - 1), week_to=end)
            series = counts.groupby(pd.to_datetime(counts["period_start"]))["reports"].sum()
            b = stats.rolling_baseline(series, weeks, weeks, end=end)
            test = stats.poisson_rate_test(b.recent_count, b.recent_weeks, b.base_count, b.base_weeks)
            rows.append({"name": area, "value": test.rate_ratio, "n": b.recent_count, "suppressed": False,
                         "p_value": test.p_value,
                         "text": fmt_dec(test.rate_ratio, 2)})
        return pd.DataFrame(rows)
    raise ValueError(metric)


def key_figures(store: Store, config: KommunConfig) -> list[dict]:
    """Key figures per TSK goal (the policy's three goals), each with value, n, trend and a note.
    Each dict: goal, label, value (text), n (text), trend (text), note."""
    out = []
    years = store.survey_years()
    if years:
        kommun = survey_shares(store, config, item=config.headline_item, year_from=years[0], year_to=years[-1],
                               by="kommun")
        last = kommun.iloc[-1]
        comparable = kommun[(kommun["scale"] == last["scale"]) & (kommun["year"] < last["year"])]
        trend = t("trend_none")
        if not comparable.empty:
            prev = comparable.iloc[-1]
            test = stats.two_proportion_test(int(last["k"]), int(last["n"]), int(prev["k"]), int(prev["n"]))
            trend = t("trend_vs", year=int(prev["year"]), value=fmt_pct(prev["share"]),
                      verdict=_verdict(test.p_value < 0.05, test.diff))
        out.append({"goal": goal(config, "trygg"), "label": t("kf_otrygg", year=int(last["year"])),
                    "value": fmt_pct(last["share"]), "n": fmt_int(last["n"]), "trend": trend,
                    "note": t("kf_selfselected")})
    end = latest_week_start(store)
    if end is not None:
        cats = problem_categories(config)
        orgs = tuple(o.name for o in config.organisations)
        areas = tuple(a.name for a in config.areas)
        weeks = config.windows.overview_weeks
        recent = store.lagesbild_counts(areas=areas, orgs=orgs, cats=cats, week_from=end - timedelta(weeks=weeks - 1),
                                        week_to=end)["reports"].sum()
        year_ago_from = end - timedelta(weeks=52 + weeks - 1)  # the same weeks a year earlier
        a_year_ago = store.lagesbild_counts(areas=areas, orgs=orgs, cats=cats, week_from=year_ago_from,
                                            week_to=end - timedelta(weeks=52))["reports"].sum()
        test = stats.poisson_rate_test(int(recent), weeks, int(a_year_ago), weeks)
        first = store.first_week()
        # Zero reports a year ago only means something when the store reaches back that far.
        reaches_back = first is not None and week_monday(*first) <= year_ago_from
        trend = (t("trend_vs_last_year", value=fmt_int(a_year_ago), verdict=rate_verdict(test)) if reaches_back
                 else t("trend_none"))
        out.append({"goal": goal(config, "trygg"), "label": t("kf_reports", weeks=weeks), "value": fmt_int(recent),
                    "n": fmt_int(recent), "trend": trend, "note": ""})
        cov = store.reporting_coverage(areas=areas + ("",), orgs=orgs, week_from=end - timedelta(weeks=weeks - 1),
                                       week_to=end)
        if not cov.empty:
            share = (cov["status"] != "saknas").mean()
            summary = coverage_summary(cov)
            silent_weeks = config.windows.silent_weeks
            silent = int((summary["silent_now"] >= silent_weeks).sum())
            out.append({"goal": goal(config, "prioritera"), "label": t("kf_coverage", weeks=weeks),
                        "value": fmt_pct(share), "n": fmt_int(len(cov)),
                        "trend": t("kf_silent", n=silent, weeks=silent_weeks), "note": t("kf_coverage_note")})
    tp = store.traffpunkt_respondents_per_area()
    if not tp.empty:
        per_round = tp.groupby("round")["respondents"].sum()
        trend = (t("trend_vs_round", round=per_round.index[-2], value=fmt_int(per_round.iloc[-2]))
                 if len(per_round) > 1 else t("trend_none"))
        out.append({"goal": goal(config, "demokrati"), "label": t("kf_traffpunkt", round=per_round.index[-1]),
                    "value": fmt_int(per_round.iloc[-1]), "n": fmt_int(per_round.iloc[-1]), "trend": trend,
                    "note": t("kf_selfselected")})
    return out


# --- display frames of the Översikt page (Swedish labels, numbers as shown) -------------------------------

def metric_names(config: KommunConfig) -> dict[str, str]:
    """Each map measure's name, over the configured overview window."""
    return {m: t(f"metric_{m}", weeks=config.windows.overview_weeks) for m in METRICS}


def areas_with_metric(geometries: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Every area's outline with its area_metric row (value, text, n; missing where it has none)."""
    return geometries.merge(values, on="name", how="left")


def metric_table(values: pd.DataFrame, metric_name: str) -> pd.DataFrame:
    """area_metric rows as the map's table view: area, the measure as shown on the map, n."""
    return values.rename(columns={"name": t("col_area"), "text": metric_name, "n": "n"})[
        [t("col_area"), metric_name, "n"]]


def since_rows(changes: pd.DataFrame, *, p_below: float = 0.2, most: int = 12) -> pd.DataFrame:
    """since_last_meeting rows worth a point in the chart: the notable ones and those near it
    (p < `p_below`), at most `most` (the rows come sorted, notable first)."""
    return changes[changes["notable"] | (changes["p_value"] < p_below)].head(most)


def since_points(shown: pd.DataFrame) -> pd.DataFrame:
    """since_rows with each point's hover text: the recent count against the normal."""
    return shown.assign(text=[t("since_point", n=r.recent, normal=fmt_dec(r.expected)) for r in shown.itertuples()])


def since_table(shown: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """since_rows as the chart's table: what is compared, the recent count over `weeks` weeks, the
    normal, the rate ratio with its interval, q and whether it is notable."""
    return shown.assign(notable=shown["notable"].map({True: t("yes"), False: t("no")}))[
        ["label", "recent", "expected", "rate_ratio", "ci_low", "ci_high", "q_value", "notable"]
    ].round(3).rename(columns={
        "label": t("col_compared"), "recent": t("col_recent", weeks=weeks),
        "expected": t("col_expected"), "rate_ratio": t("col_rate_ratio"), "ci_low": t("col_ci_low"),
        "ci_high": t("col_ci_high"), "q_value": t("col_q"), "notable": t("col_notable")})
