"""Proportions: Wilson and Clopper–Pearson intervals, pooled shares, two-proportion tests and the answers
needed to see a difference."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    samplesize_proportions_2indep_onetail,
    test_proportions_2indep,
)

from tsk.stats.checks import _check_k_n, _check_level


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


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper–Pearson) interval for a binomial proportion k/n, from the beta quantiles that
    define it. The same interval as scipy's `binomtest(...).proportion_ci(method="exact")` (which
    finds these quantiles by root search: to within 1e-12, and ~20x slower)."""
    from scipy.stats import beta

    alpha = 1.0 - level
    low = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high
