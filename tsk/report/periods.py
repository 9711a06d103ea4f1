"""Which years a report can be made for, and which lägesbild weeks it compares."""
from __future__ import annotations

from datetime import date

import pandas as pd

from tsk.config import KommunConfig
from tsk.i18n import t
from tsk.parsing import week_monday
from tsk.report.model import Window
from tsk.store import Store


def iso_weeks(year: int) -> int:
    return date(year, 12, 28).isocalendar().week


def lagesbild_windows(store: Store, year: int) -> tuple[Window | None, Window | None]:
    """The ISO weeks of `year` the store holds lägesbild for, and the same week numbers a year earlier
    (None when the store does not reach back that far, so a part year is never compared with less)."""
    first, latest = store.first_week(), store.latest_week()
    if not first or not latest:
        return None, None
    first_m, last_m = week_monday(*first), week_monday(*latest)
    a = max(first_m, week_monday(year, 1))
    b = min(last_m, week_monday(year, iso_weeks(year)))
    if a > b:
        return None, None
    wa, wb = a.isocalendar().week, b.isocalendar().week
    p_from = week_monday(year - 1, wa)
    p_to = week_monday(year - 1, min(wb, iso_weeks(year - 1)))
    return Window(a, b), (Window(p_from, p_to) if first_m <= p_from else None)


def years_span(years: list[int]) -> str:
    if not years:
        return t("rp_no_years")
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def report_years(store: Store, config: KommunConfig | None = None) -> list[int]:
    """Every year with data in any source, or a walk. (Takes config as every page-data function does, for tsk.ui.reads.report_years.)"""
    years = set(store.years_present())
    walks = store.walks()
    if not walks.empty:
        years |= {int(y) for y in pd.to_datetime(walks["walk_date"]).dt.year}
    return sorted(years)
