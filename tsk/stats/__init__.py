"""Pure statistics for the dashboard: proportion intervals, rate comparisons, multiple testing, scale
indices and the week windows behind "Sedan förra mötet".

No Streamlit, no DuckDB, no I/O. The maths is delegated to scipy and statsmodels; this package
validates inputs, handles the edge cases the libraries do not (n = 0, zero counts, NaN p-values) and
documents what each result means. The functions on plain numbers are in `proportions`, `rates`,
`multiple`, `scales`, `weeks`, `before_after` and `small_areas` (two-year pooled shares, the answers
a test would need); the DataFrame adapters (`add_share_columns`,
`suppress`) are kept apart in `frames` and only call the number functions. `checks` validates inputs.

Invalid input (k > n, negative counts, a non-positive exposure, an answer outside its scale) raises
`ValueError`: these are programming errors in the caller, not something an end user can fix.

A note for readers of the results: the kommun's own surveys are self-selected samples. Intervals and
tests below are computed as if the answers were a random sample; they describe sampling noise only and
say nothing about who chose to answer. Show n next to every share.
"""
from __future__ import annotations

from tsk.stats.before_after import RelativeChange, relative_change
from tsk.stats.frames import add_share_columns, suppress
from tsk.stats.multiple import fdr
from tsk.stats.proportions import (
    PooledShare,
    ProportionComparison,
    answers_needed,
    clopper_pearson,
    pooled_share,
    two_proportion_test,
    wilson_interval,
)
from tsk.stats.rates import (
    Direction,
    RateComparison,
    _poisson_rate_test,
    poisson_rate_test,
)
from tsk.stats.scales import ScaleIndex, mean_interval, scale_index
from tsk.stats.small_areas import (
    PrecisionNote,
    TwoYearShare,
    YearCount,
    answers_per_year,
    two_year_share,
)
from tsk.stats.weeks import Baseline, rolling_baseline, weeks_with_reports

__all__ = [
    "Baseline", "Direction", "PooledShare", "ProportionComparison", "RateComparison", "RelativeChange",
    "ScaleIndex", "_poisson_rate_test", "add_share_columns", "answers_needed", "clopper_pearson", "fdr",
    "mean_interval", "pooled_share", "poisson_rate_test", "relative_change", "rolling_baseline",
    "scale_index", "suppress", "two_proportion_test", "weeks_with_reports", "wilson_interval",
    "PrecisionNote", "TwoYearShare", "YearCount", "answers_per_year", "two_year_share",
]
