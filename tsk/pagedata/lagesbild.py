"""Lägesbild page data: months cut by the window, weeks and months filled with zeros, what changed since
the last meeting (exact Poisson tests with FDR per family), place labels, and reporting coverage.

No Streamlit and no SQL: the store's named queries give the counts, tsk.stats the tests.
"""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote, urlencode

import pandas as pd

from tsk import stats
from tsk.config import KommunConfig, Windows
from tsk.formatting import fmt_dec, fmt_month
from tsk.i18n import t
from tsk.pagedata.common import (
    category_labels,
    latest_week_start,
    problem_categories,
    reports_word,
)
from tsk.stats.hexbins import HexBins, hex_bins
from tsk.store import Store


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


SINCE_FAMILIES = {
    # family: the columns that identify one compared unit
    "area": ("area",),
    "place": ("area", "ort", "place"),
    "category": ("area", "category"),
}


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


# --- the samordnare's reminder (Analysgrupp) -------------------------------------------------------------

REMINDER_COLUMNS = ["reporter", "organisation", "silent_now", "email"]


def reporting_reminders(store: Store, config: KommunConfig) -> tuple[pd.DataFrame, date | None]:
    """Every reporting unit that has neither reported nor answered «inget att rapportera» in the newest
    week of the store, with the weeks in a row it has been silent (counted back over the configured
    coverage window) and its configured e-mail (None when it has none); longest silence first.
    Returns (rows with REMINDER_COLUMNS, Monday of that newest week or None when nothing is reported)."""
    newest = store.latest_coverage_week()
    if newest is None:
        return pd.DataFrame(columns=REMINDER_COLUMNS), None
    newest = pd.Timestamp(newest).date()
    coverage = store.reporting_coverage(
        areas=[a.name for a in config.areas] + [""], orgs=[o.name for o in config.organisations],
        week_from=newest - timedelta(weeks=config.windows.coverage_weeks - 1), week_to=newest)
    summary = coverage_summary(coverage)
    silent = summary[summary["silent_now"] >= 1]
    emails = {u.name: u.email for u in config.reporting_units}
    rows = silent.assign(email=silent["reporter"].map(emails).astype(object))
    rows = rows.where(rows.notna(), None)[REMINDER_COLUMNS]
    return rows.sort_values(["silent_now", "reporter"], ascending=[False, True]).reset_index(drop=True), newest


def reminder_table(rows: pd.DataFrame, *, with_email: bool) -> pd.DataFrame:
    """The reminder rows as shown: unit, organisation, weeks in a row without a report (and the e-mail)."""
    shown = rows if with_email else rows.drop(columns="email")
    return shown.rename(columns={"reporter": t("col_reporter"), "organisation": t("col_organisation"),
                                 "silent_now": t("col_silent_now"), "email": t("col_email")})


def reminder_addresses(rows: pd.DataFrame) -> list[str]:
    """The configured addresses of these units (units without one left out)."""
    return [a for a in rows["email"] if isinstance(a, str) and a]


def units_without_address(rows: pd.DataFrame) -> list[str]:
    return [r for r, a in zip(rows["reporter"], rows["email"]) if not (isinstance(a, str) and a)]


def reminder_mailto(rows: pd.DataFrame, week: str) -> str | None:
    """A mailto: link to every silent unit with an address, as blind copies (no unit sees the others'
    addresses), with the reminder's subject and text; None when no unit has an address."""
    addresses = reminder_addresses(rows)
    if not addresses:
        return None
    query = urlencode({"bcc": ",".join(addresses), "subject": t("ag_remind_subject", week=week),
                       "body": t("ag_remind_body", week=week)}, safe="@,", quote_via=quote)
    return f"mailto:?{query}"


# --- display frames of the Lägesbild page (Swedish labels, as shown) ---------------------------------------

def ranked_groups(trend: pd.DataFrame, by: str) -> list:
    """The trend's groups (categories or areas), the most reports first."""
    return list(trend.groupby(by)["reports"].sum().sort_values(ascending=False).index)


def trend_table(shown: pd.DataFrame, by: str, labels: dict[str, str]) -> pd.DataFrame:
    """The trend's filled counts as its table: period, group (category label or area), reports."""
    return shown.assign(**{by: shown[by].map(lambda k: labels.get(k, k))}).rename(columns={
        "period_start": t("col_period"), by: t(f"lb_by_{by}"), "reports": t("col_reports"),
        "weighted": t("col_weighted")})


def heat_rows(weekly: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """The weekly counts per area of the last `weeks` weeks that have reports."""
    return weekly[weekly["period_start"] >= weekly["period_start"].max() - timedelta(weeks=weeks - 1)]


def heat_table(recent: pd.DataFrame) -> pd.DataFrame:
    """Area × week as a table: one row per area, one column per week ("v12 2026"), zeros filled."""
    table = recent.pivot_table(index="area", columns="period_start", values="reports", fill_value=0)
    table.columns = [f"v{c.isocalendar().week} {c.isocalendar().year}" for c in table.columns]
    return table.reset_index().rename(columns={"area": t("col_area")})


def wheel_top(wheel: pd.DataFrame, n: int = 6) -> pd.DataFrame:
    """The årshjul's rows of the `n` categories with the most reports (more circles are unreadable)."""
    top = wheel.groupby("category")["reports"].sum().nlargest(n).index
    return wheel[wheel["category"].isin(top)]


def wheel_table(wheel: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The årshjul as a table: month, category, reports, years and reports per year."""
    return wheel.assign(category=wheel["category"].map(labels), per_year=wheel["per_year"].round(1)).rename(
        columns={"month": t("col_month"), "category": t("col_category"), "reports": t("col_reports"),
                 "years": t("col_years"), "per_year": t("col_per_year")})


def places_table(places: pd.DataFrame) -> pd.DataFrame:
    """The places map's rows as a table; a report naming no place says so in the place column."""
    return places.assign(plats=places["plats"].fillna(t("lb_no_place_cell")))[
        ["area", "ort", "plats", "reports", "weeks"]].rename(
        columns={"area": t("col_area"), "ort": t("col_ort"), "plats": t("col_plats"), "reports": t("col_reports"),
                 "weeks": t("col_weeks_with_reports")})


def coverage_status_labels() -> dict[str, str]:
    """Each reporter-week state in Swedish, in COVERAGE_STATUSES order."""
    return {k: t(f"status_{k}") for k in COVERAGE_STATUSES}


def coverage_table(summary: pd.DataFrame) -> pd.DataFrame:
    """coverage_summary rows as the coverage table: reporter, organisation, area, weeks per state and
    the current run of missing weeks."""
    return summary.rename(columns={"reporter": t("col_reporter"), "organisation": t("col_organisation"),
                                   "area": t("col_area"), **coverage_status_labels(),
                                   "silent_now": t("col_silent_now")})


def place_weeks(timeline: pd.DataFrame, *, week_from: date, week_to: date) -> pd.DataFrame:
    """One place's reports (Store.place_timeline rows) counted per week and category, quiet weeks as zeros."""
    return fill_weeks(
        timeline.groupby(["week_start", "category"], as_index=False).size().rename(
            columns={"size": "reports", "week_start": "period_start"}),
        group="category", week_from=week_from, week_to=week_to)


def place_table(weekly_place: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """place_weeks rows with reports as the place's table: week, category, reports."""
    table = weekly_place[weekly_place["reports"] > 0]
    return table.assign(category=table["category"].map(labels)).rename(
        columns={"period_start": t("col_week"), "category": t("col_category"), "reports": t("col_reports")})


def comments_table(timeline: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """One place's reports that carry a comment: year, week, organisation, category, grade, comment."""
    comments = timeline.dropna(subset=["comment"])
    return comments.assign(category=comments["category"].map(labels))[
        ["iso_year", "iso_week", "organisation", "category", "grade", "comment"]].rename(columns={
            "iso_year": t("col_year"), "iso_week": t("col_week"), "organisation": t("col_organisation"),
            "category": t("col_category"), "grade": t("col_grade"), "comment": t("col_comment")})


# --- the map: its own period, categories and hot spots ------------------------------------------------------
def map_period_options(week_from: date, week_to: date, windows: Windows) -> list[str]:
    """The map's period choices inside the sidebar's window: the last [windows] map_short_weeks and
    map_long_weeks when the window is longer, and the whole window ("all", last)."""
    weeks = (week_to - week_from).days // 7 + 1
    short = sorted({windows.map_short_weeks, windows.map_long_weeks})
    return [str(n) for n in short if n < weeks] + ["all"]


def map_period_label(choice: str) -> str:
    return t("events_period_all") if choice == "all" else t("events_period_weeks", n=int(choice))


def map_window(week_from: date, week_to: date, choice: str) -> tuple[date, date]:
    """The first and last week start the map counts: the last 4 or 12 weeks of the window, or all of it."""
    if choice == "all":
        return week_from, week_to
    return max(week_from, week_to - timedelta(weeks=int(choice) - 1)), week_to


# Beyond this many shown cells the map's HTML would pass its size target (~56 bytes a cell, next to ~185 KB
# of capped points at a region or the country): the cells are made twice as wide until they fit, and the
# legend and caption state the width used.
MAX_HOTSPOT_CELLS = 1500


def hotspot_bins(places: pd.DataFrame, config: KommunConfig, *, max_cells: int = MAX_HOTSPOT_CELLS) -> HexBins:
    """The hot-spot layer's hexagons: reports per hexagon of [map] hotspot_cell_m metres at the places'
    positions, cells under [privacy] suppression_min dropped; wider cells when more than `max_cells`
    would be shown (a region's or the country's data)."""
    cell_m = config.map.hotspot_cell_m
    while True:
        bins = hex_bins(places, cell_m=cell_m, min_count=config.suppression_min, weight="reports")
        if len(bins.cells) <= max_cells:
            return bins
        cell_m *= 2


def hotspot_caption(bins: HexBins, config: KommunConfig) -> str:
    if bins.cells.empty:
        return t("events_hotspot_none", min=bins.min_count)
    text = t("events_hotspot_caption", cell=f"{round(bins.cell_m):,}".replace(",", "\u00a0"), min=bins.min_count,
             hidden=bins.hidden_cells)
    if bins.cell_m != config.map.hotspot_cell_m:
        text += " " + t("events_hotspot_widened", set=f"{config.map.hotspot_cell_m:,}".replace(",", "\u00a0"))
    return text
