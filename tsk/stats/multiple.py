"""Multiple testing: Benjamini–Hochberg false discovery rate over many tests."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from statsmodels.stats.multitest import multipletests


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
