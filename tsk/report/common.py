"""Helpers the section builders share: which counts the public version hides (`protect`), the
year-on-year verdict on counts, and small conversions of cells."""
from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pandas as pd

from tsk import stats
from tsk.formatting import fmt_pct
from tsk.pagedata import common
from tsk.report import charts
from tsk.report.model import is_missing


def protect(values: pd.DataFrame, minimum: int, *, rows: bool = False) -> pd.DataFrame:
    """Which count cells to hide in the public version: every count from 1 to minimum − 1 (primary),
    and, in each column (and each row when `rows`), one more cell wherever exactly one is hidden, so it
    cannot be worked out from a published total (secondary: the smallest other non-zero count).
    Zeros are shown. Returns a boolean frame of the same shape."""
    v = values.apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy(dtype=float)
    hide = (v > 0) & (v < minimum)
    lines = [(0, j) for j in range(v.shape[1])] + ([(1, i) for i in range(v.shape[0])] if rows else [])
    changed = True
    while changed:
        changed = False
        for axis, k in lines:
            cells = v[:, k] if axis == 0 else v[k, :]
            hidden = hide[:, k] if axis == 0 else hide[k, :]
            if hidden.sum() != 1:
                continue
            candidates = np.where((cells > 0) & ~hidden)[0]
            if candidates.size == 0:
                continue
            pick = candidates[np.argmin(cells[candidates])]
            if axis == 0:
                hide[pick, k] = True
            else:
                hide[k, pick] = True
            changed = True
    return pd.DataFrame(hide, index=values.index, columns=values.columns)


def rate_verdicts(current: list[int], previous: list[int | None], weeks: int, prev_weeks: int | None
                   ) -> list[str]:
    """Count this year against the same weeks last year: an exact Poisson test per row,
    Benjamini–Hochberg across the rows; a change is only called when it holds."""
    tests = []
    for c, p in zip(current, previous):
        if p is None or prev_weeks is None or (c + p) == 0:
            tests.append(None)
        else:
            tests.append(stats.poisson_rate_test(int(c), weeks, int(p), prev_weeks))
    reject, _ = stats.fdr([x.p_value if x else math.nan for x in tests])
    return [common.rate_verdict(test, bool(rej)) for test, rej in zip(tests, reject)]


def interval_text(low, high) -> str:
    """"15–22 %": a 95 % interval of two shares."""
    return f"{fmt_pct(low).replace(chr(0xA0) + '%', '')}–{fmt_pct(high)}"


def relative_change(current, previous) -> float:
    if is_missing(previous) or is_missing(current) or previous == 0:
        return math.nan
    return float(current) / float(previous) - 1.0


def as_date(v) -> date | None:
    if is_missing(v):
        return None
    return pd.Timestamp(v).date()


def count_participants(raw, role: str | None = None) -> int:
    data = json.loads(raw) if isinstance(raw, str) else (raw or {})
    if role is not None:
        return int(data.get(role, 0))
    return int(sum(int(n) for n in data.values()))


def share_bars(frame: pd.DataFrame, labels: list[str], now: pd.DataFrame, *, current: tuple[str, str],
               previous: tuple[str, str] | None, axis_label: str, hidden: str) -> bytes:
    """The PNG of a report table's shares as grouped bars: `current` = (legend, column) with each
    group's 95 % interval from `now` (indexed by label; columns low, high), `previous` = (legend, column)
    without. A cell the table hides (text) is drawn as hidden, never as a bar."""
    def values(col: str) -> list[float | None]:
        if col not in frame:
            return []
        return [None if isinstance(v, str) or is_missing(v) else float(v) for v in frame[col]]

    legend, col = current
    series = [(legend, values(col))]
    intervals = [[(now.loc[g, "low"], now.loc[g, "high"])
                  if g in now.index and not isinstance(frame.iloc[i][col], str) else (None, None)
                  for i, g in enumerate(labels)]]
    if previous:
        series.append((previous[0], values(previous[1])))
        intervals.append(None)
    return charts.grouped_bars(labels, series, axis_label=axis_label, share=True, hidden_text=hidden,
                               intervals=intervals)
