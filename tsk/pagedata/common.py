"""Shared page-data helpers: the kommun's own texts from the configuration, category keys and labels,
Swedish wording of counts and changes, ISO-week arithmetic, and the share computation (k of n negative
answers, Wilson interval, suppression) that the survey and Träffpunkt pages both use.

No Streamlit and no SQL here.
"""
from __future__ import annotations

import math
from datetime import date

import pandas as pd

from tsk import stats
from tsk.config import KommunConfig
from tsk.formatting import fmt_int
from tsk.i18n import t
from tsk.parsing import week_monday
from tsk.store import Store

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


# --- wording of counts and changes ------------------------------------------------------------------

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


# --- weeks ------------------------------------------------------------------------------------------

def latest_week_start(store: Store) -> date | None:
    week = store.latest_week()
    return week_monday(*week) if week else None


def weeks_text(n: int) -> str:
    """"1 vecka", "16 veckor"."""
    return t("weeks_one") if n == 1 else t("weeks_many", n=fmt_int(n))


def weeks_between(first: tuple[int, int] | None, last: tuple[int, int] | None) -> int:
    """How many ISO weeks from `first` to `last`, both included; 0 when either is missing."""
    if not first or not last:
        return 0
    return (week_monday(*last) - week_monday(*first)).days // 7 + 1
