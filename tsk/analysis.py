"""The page-level functions moved to tsk.pagedata (one module per page); this keeps the old import path."""
# shim for the issue-16 merge; removed by the integrator
from tsk.pagedata.common import (  # noqa: F401
    SHARE_COLUMNS,
    _negative_values,
    _shares,
    _verdict,
    and_list,
    category_labels,
    goal,
    latest_week_start,
    missing_text,
    number_word,
    organisations_text,
    problem_categories,
    rate_verdict,
    report_recipients_text,
    reports_word,
    weeks_between,
    weeks_text,
)
from tsk.pagedata.lagesbild import (  # noqa: F401
    COVERAGE_STATUSES,
    SINCE_FAMILIES,
    _fill,
    _unit_label,
    coverage_summary,
    fill_months,
    fill_weeks,
    partial_months,
    partial_months_text,
    place_option_label,
    since_last_meeting,
)
from tsk.pagedata.overview import (  # noqa: F401
    METRICS,
    area_metric,
    default_metric,
    key_figures,
)
from tsk.pagedata.survey import (  # noqa: F401
    area_vs_rest,
    breakdown,
    problem_index,
    survey_intro,
    survey_mentions,
    survey_number_means,
    survey_shares,
    year_on_year,
)
from tsk.pagedata.traffpunkt import (  # noqa: F401
    traffpunkt_comparison,
    traffpunkt_intro,
    traffpunkt_shares,
)
