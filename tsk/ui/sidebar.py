"""The shared sidebar (period, areas, sources, kept in the URL) and Mötesläge, the projector view: its
toggle, its way out, and the styles of every page."""
from __future__ import annotations

from dataclasses import replace as _replace
from datetime import timedelta

import pandas as pd
import streamlit as st

from tsk.config import load_config
from tsk.i18n import t
from tsk.parsing import week_monday, year_window
from tsk.selection import (
    P_AREAS,
    P_MEETING,
    Selection,
    default_selection,
    from_query_params,
    to_query_params,
)
from tsk.ui import reads


def _week_options(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:


    # A row dated outside the plausible years (stored before they were checked) never stretches the
    # range past them, nor past the last representable date.
    low, high = year_window()
    first, last = max(tuple(first), (low, 1)), min(tuple(last), (high, 52))
    if first > last:
        return []
    out, day, end = [], week_monday(*first), week_monday(*last)
    while day <= end:
        iso = day.isocalendar()
        out.append((iso.year, iso.week))
        day += timedelta(days=7)
    return out


AREAS_KEY = "sel_areas"


def select_area(area: str) -> None:
    """Make one area the sidebar's selection (a click on the map) and rerun: the area goes into the
    URL and the widget's own state is dropped, so the widget starts again from the URL."""

    st.session_state.pop(AREAS_KEY, None)
    st.query_params[P_AREAS] = area
    st.rerun()


def sidebar() -> Selection:
    """The shared sidebar: period, areas, sources and Mötesläge, kept in the URL query parameters."""
    cfg = load_config()

    low, high = year_window()
    # «År (enkäter)»: the years the surveys have answers for, not the years of the police events or the
    # lägesbild (a store with only the 2025 survey offers 2025, not 2025–2026).
    years = ([y for y in reads.survey_years_present() or [] if low <= y <= high]
             or [y for y in reads.years_present() or [] if low <= y <= high] or [pd.Timestamp.today().year])
    latest = reads.latest_week()
    first_week = reads.first_week() or latest
    if latest:  # a row dated outside the plausible years (stored before they were checked) is left out
        latest = min(tuple(latest), (high, 52))
        first_week = min(max(tuple(first_week), (low, 1)), latest)
    areas = [a.name for a in cfg.areas]
    orgs = [o.name for o in cfg.organisations]
    default = default_selection(years=years, latest_week=latest, areas=areas, organisations=orgs,
                                first_week=first_week)
    current = from_query_params(remembered_params(), default, years=years, areas=areas, organisations=orgs)
    week_options = _week_options(first_week, latest) if latest else []
    # A shared link may name weeks or years the data no longer covers: fall back to the default.
    if week_options and not {current.week_from, current.week_to} <= set(week_options):
        current = _replace(current, week_from=default.week_from, week_to=default.week_to)
    if not {current.year_from, current.year_to} <= set(years):
        current = _replace(current, year_from=default.year_from, year_to=default.year_to)

    with st.sidebar:
        st.header(t("sidebar_heading"))
        meeting = st.toggle(t("sidebar_meeting"), value=current.meeting, key=MEETING_KEY,
                            help=t("sidebar_meeting_help"))
        if len(years) > 1:
            year_from, year_to = st.select_slider(t("sidebar_years"), options=years, key="sel_years",
                                                  value=(current.year_from, current.year_to))
        else:
            year_from = year_to = years[0]
        if week_options:
            week_from, week_to = st.select_slider(t("sidebar_weeks"), options=week_options, key="sel_weeks",
                                                  value=(current.week_from, current.week_to),
                                                  format_func=lambda w: f"v{w[1]} {w[0]}")
        else:
            week_from, week_to = current.week_from, current.week_to
        chosen_areas = st.multiselect(t("sidebar_areas"), areas, default=list(current.areas), key=AREAS_KEY,
                                      placeholder=t("sidebar_areas_placeholder"), select_all=False)
        chosen_orgs = st.multiselect(t("sidebar_orgs"), orgs, default=list(current.organisations), key="sel_orgs",
                                     placeholder=t("choose_options"), select_all=False)
        police = st.checkbox(t("sidebar_police"), value=current.police, key="sel_police")
        st.caption(t("sidebar_link_hint"))
    sel = Selection(year_from, year_to, tuple(week_from), tuple(week_to), tuple(chosen_areas or areas),
                    tuple(chosen_orgs or orgs), police, meeting)
    wanted = to_query_params(sel, default)
    st.session_state[REMEMBERED_KEY] = wanted
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
    if meeting:
        meeting_css()
        leave_meeting_button()
    return sel


# The selection of the session's last page, as URL parameters. Streamlit's page links (the sidebar
# navigation) open a page without the query string, and the page's widgets start afresh: without this
# the presenter would lose Mötesläge and the chosen areas and weeks on every page change.
REMEMBERED_KEY = "_tsk_selection_params"
MEETING_KEY = "sel_meeting"


def remembered_params() -> dict[str, str]:
    """The URL's parameters, or, when the URL has none (a page link, a page opened without a sidebar in
    between), the selection this session had on its last page. A reload or a copied link carries the
    parameters in the URL itself."""
    params = dict(st.query_params)
    if not params:
        params = dict(st.session_state.get(REMEMBERED_KEY) or {})
        if params:
            st.query_params.from_dict(params)  # the address bar shows the view again, ready to copy
    return params


def meeting_on() -> bool:
    """Whether Mötesläge is on for this run, by the URL or the session's last page (app.py decides the
    sidebar's initial state from it before any page draws the sidebar)."""

    return remembered_params().get(P_MEETING) == "1"


def _leave_meeting() -> None:
    st.session_state[MEETING_KEY] = False


def leave_meeting_button() -> None:
    """The way out of Mötesläge where the presenter looks: the sidebar, with its toggle, is folded away."""
    st.button(t("meeting_leave"), key="leave_meeting", icon=":material/close_fullscreen:", on_click=_leave_meeting)


def keep_meeting_without_sidebar() -> bool:
    """For a page without the shared sidebar (Data): keep the session's selection in the URL and the
    projector view if it is on, so the next page still has both."""
    on = meeting_on()
    if on:
        meeting_css()
        st.button(t("meeting_leave"), key="leave_meeting", icon=":material/close_fullscreen:",
                  on_click=_leave_meeting_without_sidebar)
    return on


def _leave_meeting_without_sidebar() -> None:
    """Leave Mötesläge where no sidebar holds its toggle: drop it from the URL and from the selection the
    next page takes over, keeping the rest of the selection."""
    _leave_meeting()
    kept = {k: v for k, v in (st.session_state.get(REMEMBERED_KEY) or dict(st.query_params)).items() if k != P_MEETING}
    st.session_state[REMEMBERED_KEY] = kept
    st.query_params.from_dict(kept)


# Sizes for a 1280×720 projector seen from the back of the room (issue 15): key figures ≥ 40 px, table and
# chart text ≥ 18 px. The metric value holds a markdown paragraph, so its rule must be more specific than
# the paragraph rule, or the key figures shrink instead of growing.
MEETING_CSS = """
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.2rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div,
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 3.2rem !important; line-height: 1.15; }
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.4rem !important; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] div { font-size: 1.25rem !important; }
[data-testid="stTable"] th, [data-testid="stTable"] td { font-size: 1.25rem; line-height: 1.35; padding: 0.35rem 0.6rem; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.3rem !important; } h3 { font-size: 1.8rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.15rem !important; }
[data-testid="stExpander"] summary p { font-size: 1.3rem; }
[data-testid="stSelectbox"] input, [data-testid="stMultiSelect"] input, [data-testid="stMultiSelect"] [data-tag] span,
[data-testid="stDateInput"] input, [data-testid="stNumberInput"] input, [data-testid="stTextInput"] input,
[data-testid="stRadio"] label p, [data-testid="stCheckbox"] label p, [data-testid="stButton"] button p,
[data-testid="stTabs"] button p { font-size: 1.2rem !important; }
.block-container { padding-left: 2rem; padding-right: 2rem; max-width: 100%; }
/* The page names in the sidebar at the controls' size: at the text's 1.45rem «Trygghetsundersökning» was cut. */
[data-testid="stSidebarNav"] [data-testid="stMarkdownContainer"] p { font-size: 1.2rem; }
"""

# Every mode: text contrast ≥ 4.5:1 (WCAG 2.1 AA, 1.4.3). Streamlit draws captions and some labels in
# 60 % grey, 3.9:1 on white; these colours keep the look but meet the ratio on the white page and on the
# sidebar's grey.
BASE_CSS = """
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] p { color: #4b4e59 !important; opacity: 1 !important; }
[data-testid="stWidgetLabel"] p { color: #262730 !important; }
[data-testid="stTooltipIcon"] svg { color: #4b4e59 !important; }
/* Streamlit's file uploader speaks English and cannot be told otherwise (1.67): its two texts are
   replaced by Swedish ones; the size limit and file types are in the uploader's help (tsk/ui/review.py). */
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: "Dra hit filen eller välj den med knappen"; font-size: 0.875rem; color: #4b4e59; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after { content: "Välj fil"; font-size: 0.875rem; }
/* A text box being typed in shows «Press Ctrl+Enter to submit form» or «Press Enter to apply» (1.67, no
   option for it). Which of the four it is cannot be told apart in CSS, so the hint is hidden rather than
   misread; every form has its Swedish button. The app sets no max_chars, whose counter shares the element. */
[data-testid="InputInstructions"] { display: none !important; }
"""


def _style(css: str) -> None:
    st.html(f"<style>{css}</style>")  # a style-only html element takes no space on the page


def base_css() -> None:
    """The app's own styles for every page (app.py, before the page draws), and the page's language:
    Streamlit serves <html lang="en">, and a screen reader would read the Swedish text as English."""
    _style(BASE_CSS)
    st.html("<script>document.documentElement.lang = 'sv';</script>", unsafe_allow_javascript=True)


def meeting_css() -> None:
    """Projector view: larger type everywhere (charts set their own sizes, tsk/figures.py)."""
    _style(MEETING_CSS)
