"""DataFrame adapters, kept apart from the maths: share columns with Wilson intervals, and privacy
suppression with small-base flags. They only call the number functions."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import (
    proportion_confint,
)

from tsk.stats.checks import _check_level


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
