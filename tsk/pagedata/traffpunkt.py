"""Träffpunkt page data: the page's introduction, the share answering negatively per round and area,
and each area against the other areas and its own previous round.

No Streamlit and no SQL: the store's named queries give the counts, tsk.stats the tests.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from tsk import stats
from tsk.config import KommunConfig
from tsk.formatting import fmt_pct
from tsk.i18n import t
from tsk.pagedata.common import _shares, _verdict, and_list, number_word
from tsk.store import Store


def traffpunkt_intro(config: KommunConfig) -> str:
    """The Träffpunkt page's introduction: how many dialogue areas, which, and what they leave out."""
    rural = [a.name for a in config.areas if a.kind == "traffpunkt"]
    central = [a.name for a in config.areas if a.kind == "centralort"]
    count = t("tp_areas_one") if len(rural) == 1 else t("tp_areas_many", n=number_word(len(rural)))
    return t("tp_intro", count=count, areas=", ".join(rural),
             outside=t("tp_outside", central=and_list(central)) if central else "")


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


# --- display frames of the Träffpunkt page (Swedish labels, numbers as shown) ------------------------------

def measure_label(config: KommunConfig, item: str) -> str:
    """What the item's share counts: "sämre" answers for a change item, else "otrygg"."""
    return t("tp_measure_worse") if config.item(item).kind == "forandring" else t("tp_measure_otrygg")


def rounds_table(shares: pd.DataFrame, config: KommunConfig, measure: str) -> pd.DataFrame:
    """traffpunkt_shares rows as the rounds table: round, area, share (or the suppression note), n and
    a small-sample note; `measure` (measure_label) heads the share."""
    suppressed_text = t("suppressed_short", n=config.suppression_min)
    return shares.assign(
        share=[suppressed_text if s else fmt_pct(v) for v, s in zip(shares["share"], shares["suppressed"])],
        small=shares["small_sample"].map({True: t("tr_small"), False: ""}),
    )[["round", "area", "share", "n", "small"]].rename(columns={
        "round": t("col_round"), "area": t("col_area"), "share": measure, "n": "n", "small": t("col_note")})


def _n_or_dash(value) -> str | int:
    return "–" if value is None or pd.isna(value) else int(value)


def comparison_table(comparison: pd.DataFrame, config: KommunConfig, measure: str, *,
                     first_round: bool) -> pd.DataFrame:
    """traffpunkt_comparison rows as the comparison table: each area against the other areas and, after
    the first round (`first_round` False), against its own previous round, each share with its n."""
    suppressed_text = t("suppressed_short", n=config.suppression_min)
    ct = comparison.assign(
        share=[suppressed_text if s else fmt_pct(v) for v, s in zip(comparison["share"], comparison["suppressed"])],
        others=comparison["others_share"].map(fmt_pct),
        previous=comparison["previous_share"].map(fmt_pct),
        # an n that does not exist (a suppressed area, no previous round) reads «–», not «None»
        others_n=comparison["others_n"].map(_n_or_dash),
        previous_n=comparison["previous_n"].map(_n_or_dash),
    )[["area", "round", "share", "n", "others", "others_n", "vs_others", "previous", "previous_n", "vs_previous"]]
    if first_round:  # nothing to compare with yet: the page says so instead of a column of "–"
        ct = ct.drop(columns=["previous", "previous_n", "vs_previous"])
    return ct.rename(columns={
        "area": t("col_area"), "round": t("col_round"), "share": measure, "n": "n", "others": t("tp_col_others"),
        "others_n": t("col_n_of", what=t("tp_col_others")), "vs_others": t("tp_col_vs_others"),
        "previous": t("tp_col_previous"), "previous_n": t("col_n_of", what=t("tp_col_previous")),
        "vs_previous": t("tp_col_vs_previous")})


def respondents_table(respondents: pd.DataFrame, areas: tuple[str, ...]) -> pd.DataFrame:
    """Respondents and companies per round and area, for the selected areas."""
    return respondents[respondents["area"].isin(areas)].rename(columns={
        "round": t("col_round"), "area": t("col_area"), "respondents": t("tp_col_respondents"),
        "companies": t("tp_col_companies")})
