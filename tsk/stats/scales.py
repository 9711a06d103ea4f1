"""Answer scales: the mean answer rescaled to an index, and the t interval for a mean."""
from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from tsk.stats.checks import _check_count, _check_level


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
