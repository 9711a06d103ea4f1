"""Rates (counts per week): the exact comparison of two Poisson rates, memoised."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Literal

from scipy.stats import binomtest

from tsk.stats.checks import _check_count, _check_level
from tsk.stats.proportions import clopper_pearson

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
