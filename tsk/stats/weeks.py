"""Week windows: recurrence (weeks with reports) and the rolling baseline behind «Sedan förra mötet»."""
from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal, NamedTuple

import pandas as pd


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
