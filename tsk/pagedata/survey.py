"""Trygghetsundersökning page data: share otrygg per year and group, year-on-year change, each area
against the rest, the problem index, numeric items' means, breakdowns and the unsafe places named.

No Streamlit and no SQL: the store's named queries give the counts, tsk.stats the tests.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from tsk import stats
from tsk.config import KommunConfig
from tsk.formatting import fmt_dec, fmt_int, fmt_pct
from tsk.i18n import t
from tsk.pagedata.common import _shares
from tsk.store import KOMMUN_GROUP, UNKNOWN_GROUP, Store

# A change between two years of at least [survey] large_change_pp percentage points (default 10) is
# "large": big enough that a reader would act on it if it held, yet out of reach of a survey area with a
# few dozen answers a year (a 10-point difference around 20-30 % needs a few hundred answers per year),
# which is when a bare «Ingen säkerställd förändring» misleads. Such a change that is not significant
# gets the precision note (precision_verdict).


def survey_intro(config: KommunConfig, years: list[int]) -> str:
    """The survey page's introduction: the configured month, and the survey years shown."""
    span = str(years[0]) if len(set(years)) == 1 else f"{min(years)}–{max(years)}"
    when = t("survey_when", month=config.survey_month) if config.survey_month else ""
    return t("trygghet_intro", when=when, years=span)


def with_group_words(frame: pd.DataFrame) -> pd.DataFrame:
    """The store's kommun-wide group key as the words the pages and the report show ("Hela kommunen")."""
    return frame.assign(group=frame["group"].replace({KOMMUN_GROUP: t("group_kommun")}))


def survey_shares(store: Store, config: KommunConfig, *, item: str, year_from: int, year_to: int,
                  by: str = "area", groups: tuple[str, ...] = ()) -> pd.DataFrame:
    """Share "otrygg" (per the item's scale) per year and group, with Wilson 95 % CI and n.

    Columns: year, group, scale, k, n, share, low, high, suppressed, small_sample. Groups under the
    suppression threshold have k/share/low/high missing and suppressed = True."""
    counts = with_group_words(store.survey_value_counts(item=item, year_from=year_from, year_to=year_to, by=by))
    out = _shares(counts, ["year", "group"], config)
    if groups:
        out = out[out["group"].isin(groups)]
    return out.reset_index(drop=True)


def survey_number_means(store: Store, config: KommunConfig, *, item: str, year_from: int, year_to: int,
                        groups: tuple[str, ...] = ()) -> pd.DataFrame:
    """A numeric item's mean per year, kommun-wide and per area, with its 95 % t interval and n.

    Columns: year, group, n, mean, low, high, suppressed, small_sample. Groups with fewer answers than
    the suppression threshold have mean/low/high missing and suppressed = True, as shares do."""
    df = with_group_words(store.survey_number_stats(item=item, year_from=year_from, year_to=year_to))
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
    (the answers behind each share), diff, ci_low, ci_high, p_value, verdict (Swedish), answers_needed
    (the precision note's answers per year, nan without a note: see precision_verdict), q_value. Years on
    different scales are not compared."""
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
    out["answers_needed"] = np.nan
    if out.empty:
        return out.assign(q_value=pd.Series(dtype=float))
    reject, q = stats.fdr(out["p_value"].astype(float))
    out["q_value"] = q
    for i in out.index[out["p_value"].notna()]:
        d = out.at[i, "diff"]
        if reject[i]:
            out.at[i, "verdict"] = t("verdict_up" if d > 0 else "verdict_down", diff=f"{abs(100 * d):.0f}")
        else:
            out.at[i, "answers_needed"], out.at[i, "verdict"] = precision_verdict(
                out.at[i, "from_share"], out.at[i, "from_n"], out.at[i, "to_share"], out.at[i, "to_n"],
                large=config.large_change_pp / 100)
    return out


def precision_verdict(from_share, from_n, to_share, to_n, *, large: float = 0.10) -> tuple[float, str]:
    """The verdict of a change the test did not support, and the answers per year it would need (nan
    when no note is given). A large change (`large`, a share, or more) on fewer answers than a two-sided test
    at 5 % with 80 % power needs to see it gets the precision note; otherwise the plain verdict. When the
    years already had that many answers the note is left out: more answers would not be the answer."""
    if abs(float(to_share) - float(from_share)) >= large - 1e-12:
        note = stats.answers_per_year(float(from_share), int(from_n), float(to_share), int(to_n))
        if note is not None and note.too_few:
            return float(note.needed), t("verdict_no_change_power", n=fmt_int(about(note.needed)))
    return np.nan, t("verdict_no_change")


def has_precision_note(changes: pd.DataFrame) -> bool:
    """True when a year_on_year row of the latest year compared (what change_table shows) carries the
    precision note, so its caption is shown."""
    if changes.empty:
        return False
    latest = changes[changes["to_year"] == changes["to_year"].max()]
    return bool(latest["answers_needed"].notna().any())


def about(n: int) -> int:
    """A number of answers as said after «omkring»: exact under 100, else rounded up to two significant
    digits (2 213 → 2 300), since the formula's answer is itself an approximation."""
    if n < 100:
        return int(n)
    step = 10 ** (len(str(int(n))) - 2)
    return int(-(-int(n) // step) * step)


def two_year_shares(shares: pd.DataFrame, config: KommunConfig, *, years=None) -> pd.DataFrame:
    """For every survey_shares row with fewer answers than the small-sample threshold: that year and the
    year before taken together (k and n summed, Wilson 95 % CI; tsk.stats.two_year_share), or why not.

    `shares` must hold the year before each small year for it to be pooled (read one year more than is
    shown); `years` limits the rows returned to the years shown. Columns: year, group, scale, years
    («2025–2026»), k, n, share, low, high (missing when not pooled) and reason (Swedish, "" when pooled).
    Never pooled across a change of scale, nor with a year under the suppression threshold."""
    columns = ["year", "group", "scale", "years", "k", "n", "share", "low", "high", "reason"]
    rows = []
    by_year_group: dict[tuple[int, str], list] = {}
    for r in shares.itertuples():
        by_year_group.setdefault((int(r.year), r.group), []).append(r)
    for r in shares.itertuples():
        year = int(r.year)
        if not r.small_sample or (years is not None and year not in years):
            continue
        earlier = by_year_group.get((year - 1, r.group), [])
        before = next((b for b in earlier if b.scale == r.scale), earlier[0] if earlier else None)
        result = stats.two_year_share(_year_count(r), _year_count(before) if before is not None else None,
                                      small=config.small_sample, minimum=config.suppression_min)
        row = {"year": year, "group": r.group, "scale": r.scale, "years": result.years,
               "reason": _pool_reason(result, config)}
        if result.pooled is not None:
            p = result.pooled
            row.update(k=p.k, n=p.n, share=p.share, low=p.low, high=p.high)
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _year_count(r) -> stats.YearCount:
    return stats.YearCount(int(r.year), r.scale, None if r.suppressed else int(r.k), int(r.n))


def _pool_reason(result: stats.TwoYearShare, config: KommunConfig) -> str:
    if result.reason is None:
        return ""
    before = result.year - 1
    return {stats.small_areas.NO_YEAR_BEFORE: t("pool_no_year_before", year=before),
            stats.small_areas.SCALE_CHANGE: t("pool_scale_change", year=before),
            stats.small_areas.SUPPRESSED: t("pool_suppressed", n=config.suppression_min)}.get(result.reason, "")


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


# --- display frames of the Trygghetsundersökning page (Swedish labels, numbers as shown) ----------------

def scale_labels(config: KommunConfig) -> dict[str, str]:
    """Each answer scale's description, as the page names the scale a share was computed on."""
    return {k: s.description for k, s in config.scales.items()}


def share_table(shares: pd.DataFrame, config: KommunConfig, pooled: pd.DataFrame | None = None) -> pd.DataFrame:
    """survey_shares rows (kommun and areas) as the share table: year, area, share otrygg (or the
    suppression note), its interval, n, a small-sample note and the scale. With `pooled`
    (two_year_shares) holding any row, four columns follow the single year's: the two years' share, its
    interval and n, and «sammanslaget 2025–2026» or why the years were not pooled."""
    suppressed_text = t("suppressed_short", n=config.suppression_min)
    table = shares.assign(
        share=[suppressed_text if s else fmt_pct(v) for v, s in zip(shares["share"], shares["suppressed"])],
        ci=[("" if s else f"{fmt_pct(lo)}–{fmt_pct(hi)}") for lo, hi, s in
            zip(shares["low"], shares["high"], shares["suppressed"])],
        small=shares["small_sample"].map({True: t("tr_small"), False: ""}),
    )
    columns = ["year", "group", "share", "ci", "n", "small", "scale"]
    names = {"year": t("col_year"), "group": t("col_area"), "share": t("col_share_otrygg"), "ci": t("col_ci"),
             "n": "n", "small": t("col_note"), "scale": t("col_scale")}
    if pooled is not None and not pooled.empty:
        table = table.merge(_pooled_cells(pooled), on=["year", "group", "scale"], how="left")
        for col in ("pool_share", "pool_ci", "pool_n"):
            table[col] = table[col].fillna("–")
        table["pool_note"] = table["pool_note"].fillna("")
        columns += ["pool_share", "pool_ci", "pool_n", "pool_note"]
        names |= {"pool_share": t("pool_col_share"), "pool_ci": t("pool_col_ci"), "pool_n": t("pool_col_n"),
                  "pool_note": t("pool_col_note")}
    table["scale"] = table["scale"].map(scale_labels(config))
    return table[columns].rename(columns=names)


def _pooled_cells(pooled: pd.DataFrame) -> pd.DataFrame:
    """two_year_shares rows as the share table's four pooled cells, keyed by year, group and scale."""
    done = pooled["share"].notna()
    return pd.DataFrame({
        "year": pooled["year"], "group": pooled["group"], "scale": pooled["scale"],
        "pool_share": [fmt_pct(v) if ok else "–" for v, ok in zip(pooled["share"], done)],
        "pool_ci": [f"{fmt_pct(lo)}–{fmt_pct(hi)}" if ok else "–" for lo, hi, ok in
                    zip(pooled["low"], pooled["high"], done)],
        # text, so a group that was not pooled shows «–» like the other empty cells (not «None»)
        "pool_n": [f"{int(v)}" if ok else "–" for v, ok in zip(pooled["n"], done)],
        "pool_note": [t("pool_marked", years=y) if ok else why for y, why, ok in
                      zip(pooled["years"], pooled["reason"], done)]})


def small_area_table(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a share_table with a pooled note (the small groups), without the scale column: shown
    as its own table under the chart, so the pooled shares are in view, not only in the table view."""
    if t("pool_col_note") not in table:
        return table.iloc[0:0]
    rows = table[table[t("pool_col_note")] != ""]
    return rows.drop(columns=[t("col_scale"), t("col_note")]).reset_index(drop=True)


def change_table(changes: pd.DataFrame) -> pd.DataFrame:
    """year_on_year rows of the latest year compared, as the change table: area, both years with their
    shares and n, and the verdict."""
    latest = changes[changes["to_year"] == changes["to_year"].max()] if not changes.empty else changes
    return latest.assign(
        from_share=latest["from_share"].map(fmt_pct),
        to_share=latest["to_share"].map(fmt_pct))[
        ["group", "from_year", "from_share", "from_n", "to_year", "to_share", "to_n", "verdict"]].rename(columns={
            "group": t("col_area"), "from_year": t("col_from_year"), "from_share": t("col_from_share"),
            "from_n": t("col_n_of", what=t("col_from_year")), "to_year": t("col_to_year"),
            "to_share": t("col_to_share"), "to_n": t("col_n_of", what=t("col_to_year")),
            "verdict": t("col_verdict")})


def index_table(index: pd.DataFrame, config: KommunConfig) -> pd.DataFrame:
    """problem_index rows as the index table: item, year, index (one decimal), n and the scale."""
    return index.assign(index=index["index"].map(lambda v: fmt_dec(v)),
                        scale=index["scale"].map(scale_labels(config)))[["label", "year", "index", "n", "scale"]].rename(
        columns={"label": t("col_item"), "year": t("col_year"), "index": t("col_index"), "n": "n",
                 "scale": t("col_scale")})


def number_means_table(means: pd.DataFrame, config: KommunConfig) -> pd.DataFrame:
    """survey_number_means rows as the means table: year, area, mean (or the suppression note), its
    interval, n and a small-sample note."""
    suppressed_text = t("suppressed_short", n=config.suppression_min)
    return means.assign(
        mean=[suppressed_text if s else fmt_dec(v) for v, s in zip(means["mean"], means["suppressed"])],
        ci=["" if s or lo != lo else f"{fmt_dec(lo)}–{fmt_dec(hi)}"
            for lo, hi, s in zip(means["low"], means["high"], means["suppressed"])],
        small=means["small_sample"].map({True: t("tr_small"), False: ""}),
    )[["year", "group", "mean", "ci", "n", "small"]].rename(columns={
        "year": t("col_year"), "group": t("col_area"), "mean": t("col_mean"), "ci": t("col_ci"), "n": "n",
        "small": t("col_note")})


def mention_points(mentions: pd.DataFrame) -> pd.DataFrame:
    """survey_mentions rows as points for the places map, which counts `reports`."""
    return mentions.rename(columns={"mentions": "reports"})


def mentions_table(mentions: pd.DataFrame) -> pd.DataFrame:
    """survey_mentions rows as the unsafe-places table: place, ort, area, times named."""
    return mentions[["plats", "ort", "area", "mentions"]].rename(columns={
        "plats": t("col_plats"), "ort": t("col_ort"), "area": t("col_area"), "mentions": t("col_mentions")})


def breakdown_table(result: pd.DataFrame, by: str) -> pd.DataFrame:
    """A breakdown's rows (by "age_group" or "gender") as its table: group, share otrygg, n."""
    return result.assign(share=result["share"].map(fmt_pct))[["group", "share", "n"]].rename(
        columns={"group": t(f"col_{by}"), "share": t("col_share_otrygg"), "n": "n"})
