"""Översikt: a map of the kommun's areas with a metric selector, key figures per TSK goal, and what changed
since the last meeting."""
from datetime import date
from functools import partial

import streamlit as st

from tsk import figures, maps, onboarding, ui
from tsk.formatting import fmt_date
from tsk.i18n import t
from tsk.pagedata import arshjul as aj
from tsk.pagedata import common, overview
from tsk.safe_text import lit
from tsk.ui import reads

sel, cfg, role = ui.page("oversikt")
meeting = sel.meeting

st.title(t("oversikt_title", kommun=cfg.name))
if not meeting:
    st.caption(t("oversikt_intro"))
counts = reads.counts()

# --- a new kommun: what to do next instead of an empty map -------------------------------------------
if onboarding.is_empty(counts):
    st.header(t("onb_title"))
    st.info(t("onb_intro"))
    st.markdown(onboarding.steps_markdown(onboarding.next_steps(counts)))
    st.stop()
if not counts["areas"]:
    st.warning(t("onb_areas_missing") + "\n\n" + onboarding.steps_markdown(onboarding.next_steps(counts)[:1]))

# --- map ---------------------------------------------------------------------------------------------
overview_weeks = cfg.windows.overview_weeks
metric_names = overview.metric_names(cfg)
# Open on a measure the store has data for (a new kommun often has lägesbilder before its first survey).
metric = st.radio(t("map_metric"), list(metric_names), format_func=metric_names.get, horizontal=True,
                  index=overview.METRICS.index(overview.default_metric(counts)), key="oversikt_metric")
values = reads.area_metric(metric=metric)
areas = overview.areas_with_metric(reads.area_geometries(), values)
selected = sel.areas[0] if len(sel.areas) == 1 else None
formats = {"otrygg": ui.format_pct, "rapporter": ui.format_decimal, "forandring": lambda v: ui.format_decimal(v, 2)}
if counts["areas"]:  # no area polygons yet: the sentence above and the table below, not an empty map
    shown = ui.show_map(maps.area_map, areas, value_col="value", n_col="n", value_label=metric_names[metric],
                        fmt=formats[metric], meeting=meeting, selected=selected,
                        suppressed_text=t("suppressed_short", n=cfg.suppression_min),
                        key="oversikt_map", height=620 if meeting else 520, clickable=True)
    clicked = maps.clicked_area(shown, names=[a.name for a in cfg.areas])
    if clicked and clicked != selected:
        ui.select_area(clicked)
st.caption(t(f"metric_{metric}_help", weeks=overview_weeks))
table = overview.metric_table(values, metric_names[metric])
with st.expander(t("table_view"), expanded=False):
    ui.table_with_downloads(table, name=f"oversikt_{metric}", key="oversikt_map_table", meeting=meeting)

# --- key figures per goal -------------------------------------------------------------------------------
st.header(t("key_figures_heading"))
figures_by_goal = {}
for kf in reads.key_figures():
    figures_by_goal.setdefault(kf["goal"], []).append(kf)
if not figures_by_goal:
    st.info(t("missing_keyfigures"))
for goal, items in figures_by_goal.items():
    st.subheader(lit(goal))
    ui.key_figure_cards([ui.Card(kf["label"], kf["value"], kf["n"], (kf["trend"],), kf["note"]) for kf in items],
                        meeting=meeting)

# --- since the last meeting ------------------------------------------------------------------------------
st.header(t("since_heading"))
# By default the weeks since the analysgrupp's last recorded meeting (Analysgrupp's agenda counts the same).
last_meeting, meeting_weeks = reads.last_meeting_window()
fixed = sorted({cfg.windows.since_min_weeks, cfg.windows.since_default_weeks})
windows = (["meeting"] if last_meeting else []) + fixed
window = st.radio(t("since_weeks"), windows, index=0 if last_meeting else fixed.index(cfg.windows.since_default_weeks),
                  horizontal=True, key="since_weeks",
                  format_func=lambda w: t("since_from_meeting", date=fmt_date(last_meeting), weeks=meeting_weeks)
                  if w == "meeting" else t("n_weeks", n=w))
weeks = meeting_weeks if window == "meeting" else window
changes = reads.since_last_meeting(areas=sel.areas, orgs=sel.organisations, recent_weeks=weeks)
span = common.weeks_between(reads.first_week(), reads.latest_week())
baseline = cfg.windows.since_baseline_weeks
if not counts["lagesbild"]:
    st.info(common.missing_text("lagesbild"))
elif span < weeks + baseline:
    st.info(t("since_too_short", have=common.weeks_text(span), need=weeks + baseline, weeks=weeks))
elif changes.empty:
    st.info(t("since_no_reports", weeks=weeks))
else:
    notable = changes[changes["notable"]]
    if notable.empty:
        st.success(t("since_nothing", weeks=weeks, baseline=baseline))
    else:
        for r in notable.itertuples():
            arrow = "▲" if r.rate_ratio > 1 else "▼"
            st.markdown(f"### {arrow} {lit(r.label)}: {lit(r.text)}")
    st.caption(t("since_method", weeks=weeks, baseline=baseline))
    shown = overview.since_rows(changes)
    if not shown.empty:
        fig = ui.shared(figures.rate_change_figure, overview.since_points(shown), label="label",
                        title=t("since_chart_title", weeks=weeks, baseline=baseline), meeting=meeting)
        ui.chart_with_table(fig, overview.since_table(shown, weeks), name="sedan_forra_motet", key="since", meeting=meeting)

# --- the TSK årshjul: the routine's items this year and their state (tsk.pagedata.arshjul) ----------------
if cfg.arshjul:
    today = date.today()
    wheel = reads.arshjul(year=today.year, today=today)
    st.header(t("aj_heading", year=today.year))
    st.caption(t("aj_intro", today=fmt_date(today)) + " " + lit(aj.summary(wheel, today.year)))
    ui.data_table(aj.wheel_table(wheel), meeting=meeting, key="oversikt_arshjul")
    if not meeting:
        coming = reads.arshjul_coming(today=today)
        if coming:
            ui.download(st, t("aj_ics_download"), partial(aj.ics, coming, cfg), file_name="tsk_arshjul.ics",
                        mime="text/calendar", help=t("aj_ics_help"), key="oversikt_ics")

if counts["quarantine"] and not meeting:
    st.warning(t("quarantine_banner", n=ui.format_int(counts["quarantine"])))
