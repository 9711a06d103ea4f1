"""Page data: each function takes the store, the configuration and a few plain arguments, asks the
store's named queries, applies tsk.stats, and returns a DataFrame (or a small dict) ready to show.

No Streamlit and no SQL here. Thresholds (suppression, small samples) come from the configuration, so
no displayed group can fall below them by accident.
"""
from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd

from tsk import stats
from tsk.config import KommunConfig
from tsk.db import Store
from tsk.formatting import fmt_dec, fmt_int, fmt_pct
from tsk.i18n import t
from tsk.parsing import week_monday
from tsk.store import UNKNOWN_GROUP

SHARE_COLUMNS = ["k", "share", "low", "high"]


# --- kommun-specific texts from the configuration ------------------------------------------------------

def goal(config: KommunConfig, key: str) -> str:
    """The policy goal (mål) `key` in the kommun's own words ([policy] goals), else a neutral text."""
    return config.goals.get(key) or t(f"goal_{key}")


def and_list(items) -> str:
    """"a", "a och b", "a, b och c"."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return t("and_list", first=", ".join(items[:-1]), last=items[-1])


def number_word(n: int) -> str:
    """Swedish style: numbers up to twelve in words ("tre områden"), larger ones in digits."""
    words = t("number_words").split(",")
    return words[n] if 0 <= n < len(words) else fmt_int(n)


def organisations_text(config: KommunConfig) -> str:
    """The reporting organisations as a phrase: "X kommun, Polisen och bostadsbolaget"."""
    return and_list(o.name for o in config.organisations)


def report_recipients_text(config: KommunConfig) -> str:
    """Who the full report is for: "analysgruppen, KLG och KS"."""
    return and_list([t("analysgruppen"), *config.report_recipients])


def survey_intro(config: KommunConfig, years: list[int]) -> str:
    """The survey page's introduction: the configured month, and the survey years shown."""
    span = str(years[0]) if len(set(years)) == 1 else f"{min(years)}–{max(years)}"
    when = t("survey_when", month=config.survey_month) if config.survey_month else ""
    return t("trygghet_intro", when=when, years=span)


def traffpunkt_intro(config: KommunConfig) -> str:
    """The Träffpunkt page's introduction: how many dialogue areas, which, and what they leave out."""
    rural = [a.name for a in config.areas if a.kind == "traffpunkt"]
    central = [a.name for a in config.areas if a.kind == "centralort"]
    count = t("tp_areas_one") if len(rural) == 1 else t("tp_areas_many", n=number_word(len(rural)))
    return t("tp_intro", count=count, areas=", ".join(rural),
             outside=t("tp_outside", central=and_list(central)) if central else "")


def missing_text(source: str) -> str:
    """A plain sentence saying that a source is missing from the store and how to import it."""
    return t("missing_source", what=t(f"missing_what_{source}"), source=source)


def category_labels(config: KommunConfig) -> dict[str, str]:
    return {c.key: c.label for c in config.categories}


def problem_categories(config: KommunConfig) -> tuple[str, ...]:
    return tuple(c.key for c in config.categories if c.problem)


def _negative_values(config: KommunConfig) -> dict[str, set[int]]:
    return {key: set(scale.otrygg) for key, scale in config.scales.items()}


def _shares(counts: pd.DataFrame, keys: list[str], config: KommunConfig) -> pd.DataFrame:
    """value counts (keys…, scale, value, n) -> one row per keys+scale with k, n, share, Wilson CI,
    suppressed and small_sample."""
    negative = _negative_values(config)
    if counts.empty:
        return pd.DataFrame(columns=[*keys, "scale", "k", "n", "share", "low", "high", "suppressed", "small_sample"])
    counts = counts.assign(neg=[v in negative.get(s, ()) for s, v in zip(counts["scale"], counts["value"])])
    grouped = counts.groupby([*keys, "scale"], sort=True).apply(
        lambda g: pd.Series({"k": int(g.loc[g["neg"], "n"].sum()), "n": int(g["n"].sum())}), include_groups=False
    ).reset_index()
    with_ci = stats.add_share_columns(grouped)
    return stats.suppress(with_ci, minimum=config.suppression_min, small=config.small_sample,
                          value_cols=SHARE_COLUMNS)


# --- trygghetsundersökning --------------------------------------------------------------------------

def survey_shares(store: Store, config: KommunConfig, *, item: str, year_from: int, year_to: int,
                  by: str = "area", groups: tuple[str, ...] = ()) -> pd.DataFrame:
    """Share "otrygg" (per the item's scale) per year and group, with Wilson 95 % CI and n.

    Columns: year, group, scale, k, n, share, low, high, suppressed, small_sample. Groups under the
    suppression threshold have k/share/low/high missing and suppressed = True."""
    counts = store.survey_value_counts(item=item, year_from=year_from, year_to=year_to, by=by)
    out = _shares(counts, ["year", "group"], config)
    if groups:
        out = out[out["group"].isin(groups)]
    return out.reset_index(drop=True)


def survey_number_means(store: Store, config: KommunConfig, *, item: str, year_from: int, year_to: int,
                        groups: tuple[str, ...] = ()) -> pd.DataFrame:
    """A numeric item's mean per year, kommun-wide and per area, with its 95 % t interval and n.

    Columns: year, group, n, mean, low, high, suppressed, small_sample. Groups with fewer answers than
    the suppression threshold have mean/low/high missing and suppressed = True, as shares do."""
    df = store.survey_number_stats(item=item, year_from=year_from, year_to=year_to)
    if groups:
        df = df[df["group"].isin((t("group_kommun"), *groups))]
    rows = []
    for r in df.itertuples():
        n = int(r.n)
        suppressed = n < config.suppression_min
        low, high = stats.mean_interval(n, r.mean, r.sd)
        rows.append({"year": int(r.year), "group": r.group, "n": n,
                     "mean": None if suppressed else float(r.mean), "low": None if suppressed else low,
                     "high": None if suppressed else high, "suppressed": suppressed,
                     "small_sample": n < config.small_sample})
    return pd.DataFrame(rows, columns=["year", "group", "n", "mean", "low", "high", "suppressed", "small_sample"])


def year_on_year(shares: pd.DataFrame, config: KommunConfig) -> pd.DataFrame:
    """Change between consecutive years per group, called a change only when the data say so.

    Input: survey_shares output. Columns: group, from_year, to_year, from_share, to_share, from_n, to_n
    (the answers behind each share), diff, ci_low, ci_high, p_value, q_value, verdict (Swedish). Years on different scales are not compared."""
    rows = []
    for group, part in shares.sort_values("year").groupby("group", sort=False):
        part = part.reset_index(drop=True)
        for a, b in zip(part.index[:-1], part.index[1:]):
            ra, rb = part.loc[a], part.loc[b]
            base = {"group": group, "from_year": int(ra["year"]), "to_year": int(rb["year"]),
                    "from_share": ra["share"], "to_share": rb["share"], "from_n": ra["n"], "to_n": rb["n"]}
            if ra["scale"] != rb["scale"]:
                rows.append({**base, "verdict": t("verdict_scale_change")})
                continue
            if ra["suppressed"] or rb["suppressed"]:
                rows.append({**base, "verdict": t("verdict_suppressed", n=config.suppression_min)})
                continue
            test = stats.two_proportion_test(int(rb["k"]), int(rb["n"]), int(ra["k"]), int(ra["n"]))
            rows.append({**base, "diff": test.diff, "ci_low": test.ci_low, "ci_high": test.ci_high,
                         "p_value": test.p_value})
    out = pd.DataFrame(rows, columns=["group", "from_year", "to_year", "from_share", "to_share", "from_n", "to_n",
                                      "diff", "ci_low", "ci_high", "p_value", "verdict"])
    out["verdict"] = out["verdict"].astype(object)  # all-NaN until filled below; pandas 3 would make it float
    if out.empty:
        return out.assign(q_value=pd.Series(dtype=float))
    reject, q = stats.fdr(out["p_value"].astype(float))
    out["q_value"] = q
    for i in out.index[out["p_value"].notna()]:
        d = out.at[i, "diff"]
        if reject[i]:
            out.at[i, "verdict"] = t("verdict_up" if d > 0 else "verdict_down", diff=f"{abs(100 * d):.0f}")
        else:
            out.at[i, "verdict"] = t("verdict_no_change")
    return out


def area_vs_rest(store: Store, config: KommunConfig, *, item: str, year: int) -> pd.DataFrame:
    """Each area's share otrygg against the rest of the kommun in one year (two-proportion test, FDR).

    Columns: group, k, n, share, rest_share, diff, p_value, q_value, notable, suppressed."""
    shares = survey_shares(store, config, item=item, year_from=year, year_to=year, by="area")
    shares = shares[shares["group"] != UNKNOWN_GROUP]
    raw = _shares(store.survey_value_counts(item=item, year_from=year, year_to=year, by="area"), ["group"], config)
    total_k, total_n = raw["k"].sum(), raw["n"].sum()
    rows = []
    for r in shares.itertuples():
        if r.suppressed:
            rows.append({"group": r.group, "n": r.n, "suppressed": True})
            continue
        rest_k, rest_n = total_k - r.k, total_n - r.n
        test = stats.two_proportion_test(int(r.k), int(r.n), int(rest_k), int(rest_n))
        rows.append({"group": r.group, "k": r.k, "n": r.n, "share": r.share, "rest_share": test.share2,
                     "diff": test.diff, "p_value": test.p_value, "suppressed": False})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    reject, q = stats.fdr(out["p_value"].astype(float) if "p_value" in out else [np.nan] * len(out))
    out["q_value"], out["notable"] = q, reject
    return out


def problem_index(store: Store, config: KommunConfig, *, year_from: int, year_to: int) -> pd.DataFrame:
    """Problem items as an index 0–10 (0 = no problem at all, 10 = everyone says a very big problem),
    per year and item, with n and the scale it was computed on. Columns: item, label, year, scale,
    steps, index, n, suppressed."""
    rows = []
    items = [i for i in config.survey_items if i.kind == "problem"]
    every = store.survey_items_value_counts(items=[i.key for i in items], year_from=year_from, year_to=year_to)
    for item in items:
        counts = every[every["item"] == item.key]
        for (year, scale), g in counts.groupby(["year", "scale"]):
            steps = len(config.scales[scale].labels)
            values = np.repeat(g["value"].to_numpy(), g["n"].to_numpy())
            idx = stats.scale_index(values, steps)
            rows.append({"item": item.key, "label": item.label, "year": int(year), "scale": scale, "steps": steps,
                         "index": idx.index, "n": idx.n})
    out = pd.DataFrame(rows, columns=["item", "label", "year", "scale", "steps", "index", "n"])
    return stats.suppress(out, minimum=config.suppression_min, small=config.small_sample, value_cols=["index"])


def breakdown(store: Store, config: KommunConfig, *, item: str, year: int, by: str) -> pd.DataFrame | None:
    """Share otrygg by age group or gender for one year, or None when any group — including those who
    did not say — has fewer answers than the suppression threshold. The breakdown is then not shown at
    all: the small group's answers could be worked out from the total and the other groups."""
    counts = store.survey_value_counts(item=item, year_from=year, year_to=year, by=by)
    shares = _shares(counts, ["group"], config)
    if shares.empty or shares["suppressed"].any():
        return None
    return shares[shares["group"] != UNKNOWN_GROUP].reset_index(drop=True)


def survey_mentions(store: Store, config: KommunConfig, *, year_from: int, year_to: int) -> pd.DataFrame:
    """Places named in free-text answers about where people feel unsafe, summed over the years.
    Columns: ort, plats, area, lat, lon, mentions. Places named fewer times than the suppression
    threshold are dropped (a rare mention could identify who wrote it)."""
    m = store.survey_place_mentions(year_from=year_from, year_to=year_to)
    if m.empty:
        return m
    out = m.groupby(["ort", "plats", "area", "lat", "lon"], as_index=False)["mentions"].sum()
    return out[out["mentions"] >= config.suppression_min].sort_values("mentions", ascending=False)


def partial_months(week_from: date, week_to: date) -> dict[pd.Timestamp, tuple[int, int]]:
    """The months the window covers only in part, as {first day of month: (weeks in the window, weeks of
    the month)}. An ISO week belongs to the month of its Thursday (as the store counts it), so a month has
    four or five weeks; a month cut by the window's first or last week would look like a drop."""
    thursdays = pd.date_range(pd.Timestamp(week_from) - pd.Timedelta(days=35),
                              pd.Timestamp(week_to) + pd.Timedelta(days=38), freq="7D") + pd.Timedelta(days=3)
    monday = thursdays - pd.Timedelta(days=3)
    inside = (monday >= pd.Timestamp(week_from)) & (monday <= pd.Timestamp(week_to))
    frame = pd.DataFrame({"month": thursdays.to_period("M").to_timestamp(), "inside": inside})
    per = frame.groupby("month")["inside"].agg(["sum", "size"])
    per = per[(per["sum"] > 0) & (per["sum"] < per["size"])]
    return {m: (int(r["sum"]), int(r["size"])) for m, r in per.iterrows()}


def partial_months_text(partial: dict[pd.Timestamp, tuple[int, int]], *, sentence: str = "lb_partial_months") -> str:
    """The caption under a month chart naming its cut months (`sentence`: the i18n key that frames the
    list, the app's rings or the report's plain lines); empty when every month is whole."""
    from tsk.formatting import fmt_month

    if not partial:
        return ""
    months = ", ".join(t("lb_partial_month", month=fmt_month(m), weeks=w, of=n) for m, (w, n) in sorted(partial.items()))
    return t(sentence, months=months)


def fill_weeks(counts: pd.DataFrame, *, group: str, week_from: date, week_to: date,
               value: str = "reports") -> pd.DataFrame:
    """Weekly counts with the weeks without reports as explicit zeros, so a line never jumps over
    quiet weeks. Input columns: period_start (Monday), group, value. Same columns out."""
    return _fill(counts, pd.date_range(pd.Timestamp(week_from), pd.Timestamp(week_to), freq="7D"), group, value)


def fill_months(counts: pd.DataFrame, *, group: str, week_from: date, week_to: date,
                value: str = "reports") -> pd.DataFrame:
    """Monthly counts (period_start: the first of the month of each ISO week's Thursday, as the store
    counts them) with the months without reports as explicit zeros."""
    first, last = (pd.Timestamp(d) + pd.Timedelta(days=3) for d in (week_from, week_to))
    months = pd.date_range(first.to_period("M").to_timestamp(), last.to_period("M").to_timestamp(), freq="MS")
    return _fill(counts, months, group, value)


def _fill(counts: pd.DataFrame, periods: pd.DatetimeIndex, group: str, value: str) -> pd.DataFrame:
    if counts.empty:
        return counts
    frame = counts.assign(period_start=pd.to_datetime(counts["period_start"]))
    full = (frame.pivot_table(index="period_start", columns=group, values=value, aggfunc="sum")
            .reindex(periods, fill_value=0).fillna(0).astype(int))
    full.index.name = "period_start"
    return full.reset_index().melt(id_vars="period_start", var_name=group, value_name=value)


# --- Träffpunkt -----------------------------------------------------------------------------------

def traffpunkt_shares(store: Store, config: KommunConfig, *, item: str) -> pd.DataFrame:
    """Per round and area: the share answering negatively (otrygg / sämre) with CI and n.
    Columns: round, area, scale, k, n, share, low, high, suppressed, small_sample."""
    counts = store.traffpunkt_value_counts(item=item)
    return _shares(counts, ["round", "area"], config)


def traffpunkt_comparison(shares: pd.DataFrame, config: KommunConfig) -> pd.DataFrame:
    """Each area in the latest round against the other areas of that round and its own previous round.
    Columns: area, round, share, n, others_share, others_n, vs_others, previous_round, previous_share,
    previous_n, vs_previous (each share with the answers behind it)."""
    if shares.empty:
        return pd.DataFrame()
    rounds = sorted(shares["round"].unique())
    latest = shares[shares["round"] == rounds[-1]]
    previous = shares[shares["round"] == rounds[-2]] if len(rounds) > 1 else shares.iloc[0:0]
    rows = []
    for r in latest.itertuples():
        row = {"area": r.area, "round": r.round, "share": r.share, "n": r.n, "suppressed": r.suppressed}
        others = latest[(latest["area"] != r.area) & ~latest["suppressed"]]
        if not r.suppressed and not others.empty:
            test = stats.two_proportion_test(int(r.k), int(r.n), int(others["k"].sum()), int(others["n"].sum()))
            row.update(others_share=test.share2, others_n=int(others["n"].sum()), p_others=test.p_value)
        prev = previous[(previous["area"] == r.area) & ~previous["suppressed"]]
        if not r.suppressed and not prev.empty:
            p = prev.iloc[0]
            if p["scale"] == r.scale:
                test = stats.two_proportion_test(int(r.k), int(r.n), int(p["k"]), int(p["n"]))
                row.update(previous_round=p["round"], previous_share=test.share2, previous_n=int(p["n"]),
                           p_previous=test.p_value)
        rows.append(row)
    out = pd.DataFrame(rows)
    # Every documented column, also when nothing could be compared (a first round, one area only).
    for col in ("others_share", "others_n", "p_others", "previous_round", "previous_share", "previous_n", "p_previous"):
        if col not in out:
            out[col] = np.nan
    reject, q = stats.fdr(pd.concat([out["p_others"], out["p_previous"]]).astype(float))
    n = len(out)
    out["vs_others"] = [_verdict(rej, d) for rej, d in zip(reject[:n], out["share"] - out["others_share"])]
    out["vs_previous"] = [_verdict(rej, d) for rej, d in zip(reject[n:], out["share"] - out["previous_share"])]
    return out


def reports_word(n: int) -> str:
    return t("word_report") if n == 1 else t("word_reports")


def rate_verdict(test: stats.RateComparison | None, notable: bool | None = None) -> str:
    """A change in a count, in Swedish, said only when the exact test supports it: `notable` is the
    decision (the test's own 5 % level by default; pass the FDR decision where several are tested). A
    rise from nothing is said as such, never as an infinite per cent. Used by every page and report
    that words a count's change, so they all say it alike."""
    if test is None or test.rate_ratio != test.rate_ratio:
        return t("verdict_none")
    if not (test.is_change() if notable is None else notable):
        return t("verdict_no_change")
    if math.isinf(test.rate_ratio):
        return t("verdict_rate_from_zero")
    key = "verdict_rate_up" if test.rate_ratio > 1 else "verdict_rate_down"
    return t(key, pct=f"{abs(100 * (test.rate_ratio - 1)):.0f}")


def _verdict(notable: bool, diff: float) -> str:
    if diff != diff:  # nan: no comparison possible
        return t("verdict_none")
    if not notable:
        return t("verdict_no_change")
    return t("verdict_up" if diff > 0 else "verdict_down", diff=f"{abs(100 * diff):.0f}")


# --- lägesbild ------------------------------------------------------------------------------------

def latest_week_start(store: Store) -> date | None:
    week = store.latest_week()
    return week_monday(*week) if week else None


SINCE_FAMILIES = {
    # family: the columns that identify one compared unit
    "area": ("area",),
    "place": ("area", "ort", "place"),
    "category": ("area", "category"),
}


def weeks_text(n: int) -> str:
    """"1 vecka", "16 veckor"."""
    return t("weeks_one") if n == 1 else t("weeks_many", n=fmt_int(n))


def weeks_between(first: tuple[int, int] | None, last: tuple[int, int] | None) -> int:
    """How many ISO weeks from `first` to `last`, both included; 0 when either is missing."""
    if not first or not last:
        return 0
    return (week_monday(*last) - week_monday(*first)).days // 7 + 1


def since_last_meeting(store: Store, config: KommunConfig, *, areas: tuple[str, ...], orgs: tuple[str, ...],
                       recent_weeks: int | None = None, baseline_weeks: int | None = None,
                       alpha: float = 0.05) -> pd.DataFrame:
    """What changed in the last `recent_weeks` weeks against the `baseline_weeks` weeks before (by default
    [windows] since_default_weeks and since_baseline_weeks).

    Three families of comparisons: each area (all problem categories together), each place, and each
    area × category. Each comparison is an exact Poisson test of the two rates; Benjamini–Hochberg
    controls the false discovery rate within each family. Units with no report in either window are
    left out. Columns: family, area, ort, place, category, label, recent, base, expected, rate_ratio,
    ci_low, ci_high, p_value, q_value, notable, text.

    The store sums each unit's recent and baseline counts (Store.lagesbild_window_sums). Weeks without
    reports count as zero (as `stats.rolling_baseline(missing="zero")`), so the exposures are the same
    for every unit and units with equal counts share one exact test."""
    end = latest_week_start(store)
    columns = ["family", "area", "ort", "place", "category", "label", "recent", "base", "expected", "rate_ratio",
               "ci_low", "ci_high", "p_value", "q_value", "notable", "text"]
    if end is None:
        return pd.DataFrame(columns=columns)
    recent_weeks = recent_weeks or config.windows.since_default_weeks
    baseline_weeks = baseline_weeks or config.windows.since_baseline_weeks
    start = end - timedelta(weeks=recent_weeks + baseline_weeks - 1)
    recent_start = end - timedelta(weeks=recent_weeks - 1)
    labels = category_labels(config)
    tests: dict[tuple[int, int], stats.RateComparison] = {}
    frames = []
    for family, keys in SINCE_FAMILIES.items():
        keys = list(keys)
        sums = store.lagesbild_window_sums(areas=areas, orgs=orgs, cats=problem_categories(config), week_from=start,
                                           recent_from=recent_start, week_to=end, by=tuple(keys))
        if sums.empty:
            continue
        # One row per unit, in sorted key order with missing keys (ort-level reports) last.
        per_unit = sums.groupby(keys, dropna=False)[["recent", "base"]].sum().reset_index()
        rows = []
        for *key, rc, bc in per_unit.itertuples(index=False, name=None):
            unit = dict(zip(keys, key))
            rc, bc = int(rc), int(bc)
            test = tests.get((rc, bc))
            if test is None:
                test = tests[(rc, bc)] = stats.poisson_rate_test(rc, recent_weeks, bc, baseline_weeks)
            normal = bc * recent_weeks / baseline_weeks
            what = labels.get(unit.get("category"), t("word_problems")).lower()
            rows.append({
                "family": family, **unit, "label": _unit_label(unit, labels), "recent": rc, "base": bc,
                "expected": normal, "rate_ratio": test.rate_ratio, "ci_low": test.ci_low, "ci_high": test.ci_high,
                "p_value": test.p_value,
                "text": t("change_text", n=rc, reports=reports_word(rc), category=what, weeks=recent_weeks,
                          normal=fmt_dec(normal)),
            })
        family_frame = pd.DataFrame(rows)
        reject, q = stats.fdr(family_frame["p_value"], alpha=alpha)
        family_frame["q_value"], family_frame["notable"] = q, reject
        frames.append(family_frame)
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True).reindex(columns=columns)
    out["notable"] = out["notable"].astype(bool)
    return out.sort_values(["notable", "p_value"], ascending=[False, True]).reset_index(drop=True)


def place_option_label(option: tuple[str, str | None]) -> str:
    """(ort, place) as a label: "Torget, Byn"; with no place (NaN or None), the ort's reports that name
    no place ("Byn – rapporter utan angiven plats"), which are not all of the ort's reports."""
    ort, place = option
    return f"{place}, {ort}" if isinstance(place, str) and place else t("lb_no_place_label", ort=ort)


def _unit_label(unit: dict, labels: dict[str, str]) -> str:
    if "category" in unit:
        return f"{unit['area']} – {labels.get(unit['category'], unit['category'])}"
    if "ort" in unit:
        return place_option_label((unit["ort"], unit.get("place")))
    return unit["area"]


# Reporter-week states of Store.reporting_coverage, reported first. A submission waiting in quarantine
# (vantar_pa_rattning) was reported: only "saknas" is silence.
COVERAGE_STATUSES = ("rapporterat", "vantar_pa_rattning", "inget_att_rapportera", "saknas")


def coverage_summary(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per reporter: weeks reported, waiting for a correction, nothing to report, missing, and the current
    run of missing weeks. Input: reporting_coverage rows. Columns: reporter, organisation, area,
    rapporterat, vantar_pa_rattning, inget_att_rapportera, saknas, silent_now (consecutive missing weeks
    up to the window's end)."""
    if coverage.empty:
        return pd.DataFrame(columns=["reporter", "organisation", "area", *COVERAGE_STATUSES, "silent_now"])
    counts = coverage.pivot_table(index=["reporter", "organisation", "area"], columns="status", values="week_start",
                                  aggfunc="count", fill_value=0)
    for col in COVERAGE_STATUSES:
        if col not in counts:
            counts[col] = 0
    counts = counts[list(COVERAGE_STATUSES)].reset_index()

    # The current run of missing weeks: per reporter in week order, the rows after its last week that
    # was not "saknas" (a reversed cumulative count of such weeks is still 0 there).
    ordered = coverage[["reporter", "week_start", "status"]].sort_values(["reporter", "week_start"], kind="stable")
    reported = (ordered["status"] != "saknas").astype("int64")
    reported_from_here = reported.iloc[::-1].groupby(ordered["reporter"].iloc[::-1]).cumsum().iloc[::-1]
    runs = (reported_from_here == 0).groupby(ordered["reporter"]).sum().astype("int64").rename("silent_now")
    out = counts.merge(runs, left_on="reporter", right_index=True)
    return out.sort_values(["saknas", "reporter"], ascending=[False, True]).reset_index(drop=True)


# --- Översikt -------------------------------------------------------------------------------------

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
