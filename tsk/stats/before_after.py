"""Before/after at a place against the rest of its ort: the ratio of rate ratios with its exact
conditional interval and Fisher's p-value."""
from __future__ import annotations

import math
from dataclasses import dataclass

from tsk.stats.checks import _check_count, _check_level


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
