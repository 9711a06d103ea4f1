"""Pure statistics for the dashboard: proportion intervals, rate comparisons, multiple testing, scale
indices and the week windows behind "Sedan förra mötet".

No Streamlit, no DuckDB, no I/O. The maths is delegated to scipy and statsmodels; this module
validates inputs, handles the edge cases the libraries do not (n = 0, zero counts, NaN p-values) and
documents what each result means. The functions on plain numbers come first; the DataFrame adapters
(`add_share_columns`, `suppress`) are kept apart at the end and only call the number functions.

Invalid input (k > n, negative counts, a non-positive exposure, an answer outside its scale) raises
`ValueError`: these are programming errors in the caller, not something an end user can fix.

A note for readers of the results: the kommun's own surveys are self-selected samples. Intervals and
tests below are computed as if the answers were a random sample; they describe sampling noise only and
say nothing about who chose to answer. Show n next to every share.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy.stats import binomtest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    samplesize_proportions_2indep_onetail,
    test_proportions_2indep,
)

# --------------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------------


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must be between 0 and 1, got {level!r}")


def _check_count(value, name: str) -> int:
    """A non-negative whole number (int or integral float) -> int."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(f) or f < 0 or f != int(f):
        raise ValueError(f"{name} must be a non-negative whole number, got {value!r}")
    return int(f)


def _check_k_n(k, n) -> tuple[int, int]:
    k, n = _check_count(k, "k"), _check_count(n, "n")
    if k > n:
        raise ValueError(f"k ({k}) cannot exceed n ({n})")
    return k, n


# --------------------------------------------------------------------------------------------------
# Proportions
# --------------------------------------------------------------------------------------------------


def wilson_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a share k/n.

    Inputs: `k` answers in the category out of `n` answers (whole numbers, 0 <= k <= n), `level` the
    two-sided confidence level. Computed by statsmodels `proportion_confint(method="wilson")`.

    Returns `(low, high)` as shares in [0, 1] (exactly 0 when k = 0, exactly 1 when k = n). With n = 0
    there is no information and the result is `(nan, nan)`. The Wilson interval stays inside [0, 1] and behaves well for k = 0 and k = n, which is
    why it is used instead of the normal ("Wald") interval for the small bases of a kommun survey.
    """
    _check_level(level)
    k, n = _check_k_n(k, n)
    if n == 0:
        return (math.nan, math.nan)
    low, high = proportion_confint(k, n, alpha=1.0 - level, method="wilson")
    # The exact bounds at k = 0 and k = n are 0 and 1; floating point can land a hair away.
    low = 0.0 if k == 0 else float(np.clip(low, 0.0, 1.0))
    high = 1.0 if k == n else float(np.clip(high, 0.0, 1.0))
    return (low, high)


class PooledShare(NamedTuple):
    """A share over several survey years taken together (k and n summed), with its Wilson interval."""

    k: int
    n: int
    share: float
    low: float
    high: float


def pooled_share(counts: Iterable[tuple[int, int]], level: float = 0.95) -> PooledShare:
    """One share from the answers of several years: `counts` is (k, n) per year, summed before dividing.

    This is how Brå's Nationella trygghetsundersökningen reports areas too small for one year's sample:
    years pooled, each answer counted once (no weighting between the years). The result describes the
    pooled period, not either year; show it beside the single year and say which years it covers."""
    pairs = [_check_k_n(k, n) for k, n in counts]
    k = sum(p[0] for p in pairs)
    n = sum(p[1] for p in pairs)
    low, high = wilson_interval(k, n, level)
    return PooledShare(k, n, k / n if n else math.nan, low, high)


def answers_needed(share1: float, share2: float, *, alpha: float = 0.05, power: float = 0.80) -> int | None:
    """How many answers per group a two-sided test at `alpha` would need to tell `share1` from `share2`
    with probability `power`: the precision note for a large change that was not significant.

    Normal approximation for two independent proportions of equal size (Fleiss' formula without
    continuity correction, statsmodels `samplesize_proportions_2indep_onetail`):
    n = (z_{1-alpha/2} * sqrt(2 * pbar * (1 - pbar)) + z_{power} * sqrt(p1 q1 + p2 q2))^2 / (p1 - p2)^2,
    rounded up. None when the shares are equal or unknown (no difference to detect). It answers "how
    large must the sample be for a real difference of this size to show", not "is this one real"."""
    if not (0.0 < alpha < 1.0 and 0.0 < power < 1.0):
        raise ValueError("alpha and power must lie strictly between 0 and 1")
    if any(math.isnan(x) for x in (share1, share2)) or share1 == share2:
        return None
    if not (0.0 <= share1 <= 1.0 and 0.0 <= share2 <= 1.0):
        raise ValueError("shares must lie in [0, 1]")
    n = samplesize_proportions_2indep_onetail(share2 - share1, share1, power, ratio=1, alpha=alpha,
                                              alternative="two-sided")
    return int(math.ceil(n - 1e-9))


@dataclass(frozen=True)
class ProportionComparison:
    """Result of `two_proportion_test`: group 1 against group 2.

    Attributes:
        share1, share2: k1/n1 and k2/n2 (nan when that n is 0).
        diff: share1 - share2 (percentage points / 100).
        ci_low, ci_high: confidence interval for `diff` (Newcombe hybrid score interval, built from the
            two Wilson intervals; always inside [-1, 1]).
        p_value: two-sided p-value of the score test of diff = 0 (Miettinen-Nurminen, with the
            N/(N-1) variance correction). 1.0 when both groups are all 0 or all 1 (no difference can be
            seen); nan when either n is 0.
        level: the confidence level of the interval.
        method: a short description of the methods, for footnotes.
    """

    share1: float
    share2: float
    diff: float
    ci_low: float
    ci_high: float
    p_value: float
    level: float
    method: str = "score test (Miettinen-Nurminen); Newcombe hybrid score interval"

    def is_change(self, alpha: float = 0.05) -> bool:
        """True when the test rejects diff = 0 at `alpha` (False when the p-value is nan)."""
        return bool(self.p_value < alpha)


def two_proportion_test(k1: int, n1: int, k2: int, n2: int, level: float = 0.95) -> ProportionComparison:
    """Compare two independent shares k1/n1 and k2/n2: a p-value for "no difference" and a CI for the
    difference share1 - share2.

    Used for "a change only when the data say so": a survey share this year against last year, or an
    area against **the rest of the kommun**. The groups must be disjoint (independent samples): compare
    an area with the kommun minus that area, never with the whole kommun that contains it.

    Methods (statsmodels): p-value from `test_proportions_2indep(method="score", compare="diff")`, the
    Miettinen-Nurminen score test; the interval from `confint_proportions_2indep(method="newcomb")`,
    Newcombe's hybrid score interval (Newcombe 1998, method 10), which is well defined at 0 % and 100 %
    where the score interval's root finding fails. The two can disagree in borderline cases; decide on
    the p-value (it is what goes into `fdr`).

    Edge cases: if n1 or n2 is 0 every number that needs it is nan. If both groups are all 0 or all 1
    the observed difference is exactly 0 and the test statistic is 0/0; the p-value is then 1.0 (as
    Fisher's exact test gives) and the interval still comes from Newcombe's method.
    """
    _check_level(level)
    k1, n1 = _check_k_n(k1, n1)
    k2, n2 = _check_k_n(k2, n2)
    share1 = k1 / n1 if n1 else math.nan
    share2 = k2 / n2 if n2 else math.nan
    if n1 == 0 or n2 == 0:
        return ProportionComparison(share1, share2, share1 - share2, math.nan, math.nan, math.nan, level)
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=1.0 - level)
    pooled = k1 + k2
    if pooled == 0 or pooled == n1 + n2:
        p_value = 1.0
    else:
        res = test_proportions_2indep(k1, n1, k2, n2, method="score", compare="diff", alternative="two-sided")
        p_value = float(res.pvalue)
    return ProportionComparison(
        share1=share1,
        share2=share2,
        diff=share1 - share2,
        ci_low=float(np.clip(low, -1.0, 1.0)),
        ci_high=float(np.clip(high, -1.0, 1.0)),
        p_value=p_value,
        level=level,
    )


# --------------------------------------------------------------------------------------------------
# Rates (counts per week)
# --------------------------------------------------------------------------------------------------

Direction = Literal["up", "down", "flat"]


@dataclass(frozen=True)
class RateComparison:
    """Result of `poisson_rate_test`: the recent rate against the baseline rate.

    Attributes:
        count_recent, exposure_recent, count_base, exposure_base: the inputs.
        rate_ratio: (count_recent / exposure_recent) / (count_base / exposure_base). inf when the
            baseline count is 0 and the recent one is not; 0 when the recent count is 0; nan when both
            are 0.
        ci_low, ci_high: exact conditional confidence interval for the rate ratio (see
            `poisson_rate_test`). One bound can be 0 or inf; the other is then finite.
        p_value: two-sided exact conditional p-value for rate ratio = 1 (1.0 when both counts are 0).
        expected_recent: the recent count expected if the rate had not changed.
        direction: "up" / "down" / "flat", the direction of the point estimate only. Whether it is a
            change the data support is `p_value` (or a q-value from `fdr` when many are tested).
        level: the confidence level.
    """

    count_recent: int
    exposure_recent: float
    count_base: int
    exposure_base: float
    rate_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    expected_recent: float
    direction: Direction
    level: float

    def is_change(self, alpha: float = 0.05) -> bool:
        """True when the test rejects "same rate" at `alpha`."""
        return bool(self.p_value < alpha)


def _rate_ratio_from_share(share: float, exposure_recent: float, exposure_base: float) -> float:
    """Map the binomial share of recent events, share = RR*e1 / (RR*e1 + e0), back to RR."""
    if share <= 0.0:
        return 0.0
    if share >= 1.0:
        return math.inf
    return share / (1.0 - share) * exposure_base / exposure_recent


def poisson_rate_test(
    count_recent: int,
    exposure_recent: float,
    count_base: int,
    exposure_base: float,
    level: float = 0.95,
) -> RateComparison:
    """Exact comparison of two Poisson rates, e.g. reports in the last 4 weeks against the 12 before.

    Inputs: event counts (non-negative whole numbers) and their exposures (positive numbers, e.g. the
    number of weeks each window covers; weeks without any reporting should not be counted as exposure).

    Method: conditional on the total N = count_recent + count_base, count_recent is binomial with
    success probability p = RR*e_recent / (RR*e_recent + e_base). scipy `binomtest(count_recent, N,
    p0 = e_recent / (e_recent + e_base))` gives the two-sided p-value for RR = 1 (scipy's default
    two-sided rule: sum of the outcomes no more likely than the observed one, as in R's `poisson.test`)
    and the Clopper-Pearson ("exact") interval for p, which is mapped to the rate ratio by
    RR = p / (1 - p) * e_base / e_recent.

    Zero counts: count_recent = 0 gives RR = 0, ci_low = 0 and a finite ci_high; count_base = 0 gives
    RR = inf, ci_high = inf and a finite ci_low. Both 0: RR = nan, CI (0, inf), p-value 1.0.

    Results are memoised (the pages test thousands of units that share a few hundred distinct inputs,
    and one exact test costs a few milliseconds): the inputs are validated and normalised to
    (int, float, int, float, float) here, and the test itself is cached on those. The result is a
    frozen dataclass, so sharing it between callers is safe. `poisson_rate_test.cache_info()` and
    `poisson_rate_test.cache_clear()` reach the cache.
    """
    _check_level(level)
    c1 = _check_count(count_recent, "count_recent")
    c0 = _check_count(count_base, "count_base")
    e1, e0 = float(exposure_recent), float(exposure_base)
    for name, e in (("exposure_recent", e1), ("exposure_base", e0)):
        if not math.isfinite(e) or e <= 0:
            raise ValueError(f"{name} must be a positive number, got {e!r}")
    return _poisson_rate_test(c1, e1, c0, e0, float(level))


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper–Pearson) interval for a binomial proportion k/n, from the beta quantiles that
    define it. The same interval as scipy's `binomtest(...).proportion_ci(method="exact")` (which
    finds these quantiles by root search: to within 1e-12, and ~20x slower)."""
    from scipy.stats import beta

    alpha = 1.0 - level
    low = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high


@functools.lru_cache(maxsize=65536)
def _poisson_rate_test(c1: int, e1: float, c0: int, e0: float, level: float) -> RateComparison:
    """`poisson_rate_test` on validated, normalised inputs (memoised)."""
    total = c1 + c0
    p0 = e1 / (e1 + e0)
    expected = total * p0
    if total == 0:
        return RateComparison(c1, e1, c0, e0, math.nan, 0.0, math.inf, 1.0, 0.0, "flat", level)
    res = binomtest(c1, total, p0, alternative="two-sided")
    ci_low, ci_high = clopper_pearson(c1, total, level)
    rate_ratio = _rate_ratio_from_share(c1 / total, e1, e0)
    direction: Direction = "up" if rate_ratio > 1 else "down" if rate_ratio < 1 else "flat"
    return RateComparison(
        count_recent=c1,
        exposure_recent=e1,
        count_base=c0,
        exposure_base=e0,
        rate_ratio=rate_ratio,
        ci_low=_rate_ratio_from_share(ci_low, e1, e0),
        ci_high=_rate_ratio_from_share(ci_high, e1, e0),
        p_value=float(min(1.0, res.pvalue)),
        expected_recent=expected,
        direction=direction,
        level=level,
    )


poisson_rate_test.cache_info = _poisson_rate_test.cache_info
poisson_rate_test.cache_clear = _poisson_rate_test.cache_clear


# --------------------------------------------------------------------------------------------------
# Multiple testing
# --------------------------------------------------------------------------------------------------


def fdr(p_values: Iterable[float], alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg false discovery rate control over many tests (areas x categories).

    Input: p-values in [0, 1]; nan marks a test that was not performed (e.g. a suppressed group).
    Computed by statsmodels `multipletests(method="fdr_bh")` on the non-nan p-values only, so the
    number of tests m is the number of non-nan values.

    Returns `(reject, q_values)`, arrays in the input order: `reject` is bool (False where the p-value
    is nan), `q_values` the BH-adjusted p-values (nan where the p-value is nan). reject[i] is
    q_values[i] <= alpha.
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    p = np.asarray(list(p_values) if not isinstance(p_values, np.ndarray) else p_values, dtype=float).ravel()
    finite = ~np.isnan(p)
    if np.any((p[finite] < 0) | (p[finite] > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    reject = np.zeros(p.shape, dtype=bool)
    q = np.full(p.shape, np.nan)
    if finite.any():
        rej, q_finite, _, _ = multipletests(p[finite], alpha=alpha, method="fdr_bh")
        reject[finite] = rej
        q[finite] = q_finite
    return reject, q


# --------------------------------------------------------------------------------------------------
# Answer scales
# --------------------------------------------------------------------------------------------------


class ScaleIndex(NamedTuple):
    """Result of `scale_index`: the index (nan when n = 0) and the number of answers it rests on."""

    index: float
    n: int


def scale_index(values: Iterable[float], n_steps: int, top: float = 10.0) -> ScaleIndex:
    """Mean answer on an ordinal scale, rescaled to 0..`top`.

    Inputs: `values` answers coded 1..n_steps (nan = no answer, dropped); `n_steps` the number of steps
    of the scale version the answers were given on; `top` the upper end of the index.

    Each answer v becomes (v - 1) / (n_steps - 1) * top and the index is their mean, so 0 means everyone
    gave the first step and `top` everyone gave the last. The orientation follows the coding: with
    1 = mycket trygg ... 5 = mycket otrygg a higher index means less safe.

    The index is comparable only within one scale version (same steps, same wording). A 5-step and a
    4-step question rescaled to 0-10 are NOT the same measure, and this is not the police's 0-6
    problem index either.
    """
    if int(n_steps) != n_steps or n_steps < 2:
        raise ValueError(f"n_steps must be a whole number >= 2, got {n_steps!r}")
    v = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=float).ravel()
    v = v[~np.isnan(v)]
    if np.any((v < 1) | (v > n_steps) | (v != np.round(v))):
        raise ValueError(f"answers must be whole numbers between 1 and {n_steps}")
    if v.size == 0:
        return ScaleIndex(math.nan, 0)
    return ScaleIndex(float(np.mean((v - 1) / (n_steps - 1) * top)), int(v.size))


# --------------------------------------------------------------------------------------------------
# Week windows
# --------------------------------------------------------------------------------------------------


def _week_monday(dates) -> pd.DatetimeIndex:
    """Each date -> the Monday (00:00) of its ISO week; NaT stays NaT."""
    idx = pd.DatetimeIndex(pd.to_datetime(dates))
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    return idx.normalize() - pd.to_timedelta(idx.day_of_week, unit="D")


def weeks_with_reports(week_starts: Iterable, window_end, n_weeks: int = 12) -> int:
    """Recurrence: in how many of the last `n_weeks` ISO weeks was there at least one report?

    Inputs: `week_starts` one date per report (the report's week start or any date in that week; NaT
    ignored); `window_end` any date in the last week of the window (that week is included); `n_weeks`
    the window length. Reports outside the window (before it or after `window_end`'s week) are ignored.

    Returns an int between 0 and n_weeks.
    """
    if int(n_weeks) != n_weeks or n_weeks < 1:
        raise ValueError(f"n_weeks must be a positive whole number, got {n_weeks!r}")
    end = _week_monday([window_end])[0]
    if pd.isna(end):
        raise ValueError("window_end must be a date")
    start = end - pd.Timedelta(weeks=int(n_weeks) - 1)
    mondays = _week_monday(list(week_starts)).dropna()
    return int(mondays[(mondays >= start) & (mondays <= end)].nunique())


class Baseline(NamedTuple):
    """Result of `rolling_baseline`: counts and covered weeks of the recent window and the baseline."""

    recent_count: int
    recent_weeks: int
    base_count: int
    base_weeks: int


def rolling_baseline(
    counts_by_week: pd.Series,
    recent_weeks: int,
    baseline_weeks: int,
    *,
    end=None,
    missing: Literal["zero", "unknown"] = "zero",
) -> Baseline:
    """Counts for "Sedan förra mötet": the last `recent_weeks` weeks against the `baseline_weeks` weeks
    just before them (e.g. 4 against 12). Feed the result to `poisson_rate_test`.

    Input `counts_by_week`: a Series indexed by week start dates (any date in the week is moved to its
    Monday; several entries in one week are added), values = number of reports (non-negative whole
    numbers). A nan value means "that week was not covered" (no reporting), which is not zero reports:
    it adds neither count nor exposure. `missing` says what a week absent from the index means:
    "zero" (the series only lists weeks with reports, as after a groupby) or "unknown" (the series
    lists every covered week, so an absent week was not covered).

    `end`: any date in the last recent week (included); default the latest week in the index. If the
    current week is still in progress, pass the previous week as `end`.

    Returns `Baseline(recent_count, recent_weeks, base_count, base_weeks)` where the *_weeks are the
    numbers of covered weeks in each window (at most `recent_weeks` / `baseline_weeks`).
    """
    for name, w in (("recent_weeks", recent_weeks), ("baseline_weeks", baseline_weeks)):
        if int(w) != w or w < 1:
            raise ValueError(f"{name} must be a positive whole number, got {w!r}")
    if missing not in ("zero", "unknown"):
        raise ValueError(f"missing must be 'zero' or 'unknown', got {missing!r}")
    values = pd.Series(counts_by_week.to_numpy(), dtype="float64")
    finite = values.dropna()
    if ((finite < 0) | (finite != finite.round())).any():
        raise ValueError("weekly counts must be non-negative whole numbers")
    weekly = pd.Series(values.to_numpy(), index=_week_monday(counts_by_week.index))
    weekly = weekly[weekly.index.notna()]
    weekly = weekly.groupby(level=0).sum(min_count=1)
    if end is None:
        if weekly.empty:
            raise ValueError("counts_by_week is empty; pass `end` to say which weeks to look at")
        end_monday = weekly.index.max()
    else:
        end_monday = _week_monday([end])[0]
    recent_start = end_monday - pd.Timedelta(weeks=int(recent_weeks) - 1)
    base_start = recent_start - pd.Timedelta(weeks=int(baseline_weeks))
    full = pd.date_range(base_start, end_monday, freq="7D")
    window = weekly.reindex(full, fill_value=0.0 if missing == "zero" else math.nan)
    recent = window[window.index >= recent_start]
    base = window[window.index < recent_start]
    return Baseline(
        recent_count=int(recent.sum()),
        recent_weeks=int(recent.notna().sum()),
        base_count=int(base.sum()),
        base_weeks=int(base.notna().sum()),
    )


# --------------------------------------------------------------------------------------------------
# DataFrame adapters (kept apart from the maths above)
# --------------------------------------------------------------------------------------------------


def add_share_columns(df: pd.DataFrame, k: str = "k", n: str = "n", level: float = 0.95) -> pd.DataFrame:
    """Add a share and its Wilson interval to every row.

    Input columns: `k` (answers in the category) and `n` (all answers), whole numbers with 0 <= k <= n;
    other columns are kept as they are. Output: a copy with three float columns added (or replaced):
    - `share`: k / n,
    - `low`, `high`: the Wilson interval at `level` (statsmodels `proportion_confint`, vectorised).
    All three are nan where n is 0 or missing.
    """
    _check_level(level)
    for col in (k, n):
        if col not in df.columns:
            raise KeyError(f"column {col!r} not in DataFrame")
    out = df.copy()
    kk = pd.to_numeric(out[k]).astype("float64").to_numpy()
    nn = pd.to_numeric(out[n]).astype("float64").to_numpy()
    known = ~np.isnan(kk) & ~np.isnan(nn)
    if np.any(known & ((kk < 0) | (kk > nn))):
        raise ValueError(f"every row needs 0 <= {k} <= {n}")
    ok = known & (nn > 0)
    share = np.full(len(out), np.nan)
    low = np.full(len(out), np.nan)
    high = np.full(len(out), np.nan)
    if ok.any():
        share[ok] = kk[ok] / nn[ok]
        lo, hi = proportion_confint(kk[ok], nn[ok], alpha=1.0 - level, method="wilson")
        low[ok] = np.where(kk[ok] == 0, 0.0, np.clip(lo, 0.0, 1.0))
        high[ok] = np.where(kk[ok] == nn[ok], 1.0, np.clip(hi, 0.0, 1.0))
    out["share"] = share
    out["low"] = low
    out["high"] = high
    return out


def suppress(
    df: pd.DataFrame,
    n_col: str = "n",
    minimum: int = 5,
    value_cols: Sequence[str] | None = None,
    small: int = 30,
) -> pd.DataFrame:
    """Privacy suppression and small-base flagging for a table of groups.

    Input: one row per group with the base in column `n_col` (number of respondents) and the values
    to hide in `value_cols` (default: every numeric column except `n_col`, e.g. k, share, low, high).
    The thresholds come from the kommun configuration; the defaults (5 and 30) are only the common
    practice described in DOMAIN.md §6.

    Output: a copy with
    - the `value_cols` set to missing (nan) in rows where n < `minimum` or n is missing (integer
      columns become float to hold nan; `n_col` itself is kept),
    - a bool column `suppressed`: True in those rows,
    - a bool column `small_sample`: True where n < `small` (this includes the suppressed rows, or a
      missing n), for an "osäker" marker.
    """
    if minimum > small:
        raise ValueError(f"minimum ({minimum}) cannot exceed small ({small})")
    if n_col not in df.columns:
        raise KeyError(f"column {n_col!r} not in DataFrame")
    if value_cols is None:
        value_cols = [c for c in df.select_dtypes("number").columns if c != n_col]
    else:
        value_cols = list(value_cols)
        absent = [c for c in value_cols if c not in df.columns]
        if absent:
            raise KeyError(f"columns not in DataFrame: {absent}")
        if n_col in value_cols:
            raise ValueError(f"{n_col!r} is the base column and cannot also be a value column")
    out = df.copy()
    n = pd.to_numeric(out[n_col]).astype("float64")
    hide = (n.isna() | (n < minimum)).to_numpy()
    for col in value_cols:
        out[col] = out[col].where(~hide)
    out["suppressed"] = hide
    out["small_sample"] = (n.isna() | (n < small)).to_numpy()
    return out


# --------------------------------------------------------------------------------------------------
# Before/after at a place against the rest of its ort
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelativeChange:
    """Result of `relative_change`: how counts at a place changed after a measure, relative to the
    change in the surrounding comparison area over the same windows.

    ratio: (place_after / place_before) / (rest_after / rest_before) — below 1 means the place improved
        more than its surroundings. It is the odds ratio of the 2×2 table of counts, estimated by
        conditional maximum likelihood (scipy), with its exact conditional confidence interval.
    place_ratio: place_after / place_before on its own (nan when place_before is 0).
    p_value: Fisher's exact test of the same table (two-sided).
    """

    place_before: int
    place_after: int
    rest_before: int
    rest_after: int
    ratio: float
    ci_low: float
    ci_high: float
    place_ratio: float
    p_value: float
    level: float

    def is_change(self) -> bool:
        return bool(self.ci_high < 1.0 or self.ci_low > 1.0)


def relative_change(place_before: int, place_after: int, rest_before: int, rest_after: int,
                    level: float = 0.95) -> RelativeChange:
    """Compare a place's before/after counts with the rest of its ort over windows of equal length.

    Under Poisson counts with equal windows, the ratio of the two rate ratios equals the odds ratio of
    the table [[place_after, place_before], [rest_after, rest_before]]; conditioning on the margins
    gives scipy's exact conditional estimate and interval (`scipy.stats.contingency.odds_ratio`,
    kind="conditional") and Fisher's exact p-value. Displacement to the rest of the ort shows as a
    rising rest count, which pulls the ratio towards 1."""
    from scipy.stats import fisher_exact
    from scipy.stats.contingency import odds_ratio

    _check_level(level)
    a, b = _check_count(place_after, "place_after"), _check_count(place_before, "place_before")
    c, d = _check_count(rest_after, "rest_after"), _check_count(rest_before, "rest_before")
    table = [[a, b], [c, d]]
    if min(a + b, c + d, a + c, b + d) == 0:
        return RelativeChange(b, a, d, c, math.nan, 0.0, math.inf, a / b if b else math.nan, 1.0, level)
    result = odds_ratio(table, kind="conditional")
    ci = result.confidence_interval(confidence_level=level)
    return RelativeChange(
        place_before=b, place_after=a, rest_before=d, rest_after=c,
        ratio=float(result.statistic), ci_low=float(ci.low), ci_high=float(ci.high),
        place_ratio=a / b if b else math.nan, p_value=float(fisher_exact(table).pvalue), level=level,
    )


def mean_interval(n: int, mean: float, sd: float, level: float = 0.95) -> tuple[float, float]:
    """Two-sided t interval for a mean from n values with sample standard deviation sd:
    mean ± t(1 − (1 − level)/2, n − 1) · sd / √n. (nan, nan) when n < 2 (no spread to estimate)."""
    from scipy.stats import t as student_t

    _check_level(level)
    n = _check_count(n, "n")
    if n < 2 or sd is None or not math.isfinite(float(sd)):
        return math.nan, math.nan
    half = float(student_t.ppf(1 - (1 - level) / 2, n - 1)) * float(sd) / math.sqrt(n)
    return float(mean) - half, float(mean) + half
