"""tsk.ui: the only Streamlit-aware package of tsk (pages -> tsk.ui -> tsk.*).

- reads.py   typed reads: one cached function per question a page asks (`reads.lagesbild_counts(…)`),
             calling the store method (tsk/store/) or page-data function (tsk/pagedata/).
- cache.py   the caches, keyed on the database file's version; `shared` builds a figure once for all.
- gate.py    every page's preamble (`page`), login, roles.
- sidebar.py the shared selection sidebar and Mötesläge (projector view); the app's styles.
- display.py errors, tables, charts with their table view, downloads, maps.
- forms.py   the register forms (walks, measures, meetings, proposals) and uploads; review.py the review
             of new names and quarantined rows (Data page).
- report.py  the Uppföljning preview: the report's blocks walked as the Word document walks them.

Pages use the names below as `ui.<name>`.
"""
from tsk.formatting import fmt_dec as format_decimal
from tsk.formatting import fmt_int as format_int
from tsk.formatting import fmt_pct as format_pct
from tsk.i18n import t
from tsk.ui.cache import shared
from tsk.ui.display import (
    DOCX,
    EMPTY_CELL,
    XLSX,
    Card,
    chart_with_table,
    data_table,
    display_frame,
    download,
    download_buttons,
    key_figure_cards,
    show_error,
    show_map,
    table_with_downloads,
)
from tsk.ui.gate import (
    ALLOW_ANONYMOUS_ENV,
    access_banner,
    account_box,
    actor,
    auth_configured,
    config,
    current_role,
    current_user,
    ensure_app,
    listens_on_loopback_only,
    may,
    may_report,
    navigating,
    page,
    require_page,
    require_store,
    user_units,
)
from tsk.ui.reads import scored_candidates
from tsk.ui.sidebar import (
    BASE_CSS,
    MEETING_CSS,
    base_css,
    keep_meeting_without_sidebar,
    meeting_css,
    meeting_on,
    select_area,
    sidebar,
)

__all__ = [
    "ALLOW_ANONYMOUS_ENV", "BASE_CSS", "DOCX", "EMPTY_CELL", "MEETING_CSS", "XLSX",
    "Card", "access_banner", "account_box", "actor", "auth_configured", "base_css", "chart_with_table", "config",
    "current_role", "current_user", "data_table", "display_frame", "download", "download_buttons", "ensure_app", "key_figure_cards",
    "format_decimal", "format_int", "format_pct", "keep_meeting_without_sidebar", "listens_on_loopback_only",
    "may", "may_report", "meeting_css", "meeting_on", "navigating", "page", "require_page", "require_store",
    "scored_candidates", "select_area", "shared", "show_error", "show_map", "sidebar", "t", "table_with_downloads",
    "user_units",
]
