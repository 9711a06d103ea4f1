"""Moved to tsk.report.charts."""
# shim for the issue-16 merge; removed by the integrator
from tsk.report.charts import (  # noqa: F401
    ACCENT,
    CURRENT,
    DPI,
    GRID,
    MONTHS_SHORT,
    PREVIOUS,
    TEXT,
    WIDTH_IN,
    Value,
    grouped_bars,
    monthly_lines,
    share_trend,
)
