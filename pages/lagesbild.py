"""Lägesbild: trends per category and area, a heat table, the årshjul, a map of places, reporting
coverage, and one place's timeline."""
from datetime import timedelta

import streamlit as st

from tsk import figures, maps, ui
from tsk.i18n import t
from tsk.pagedata import common, lagesbild
from tsk.safe_text import lit, say
from tsk.ui import reads

sel, cfg, role = ui.page("lagesbild")
meeting = sel.meeting
labels = common.category_labels(cfg)
cats = common.problem_categories(cfg)
window = dict(areas=sel.areas, orgs=sel.organisations, cats=cats, week_from=sel.week_start_from,
              week_to=sel.week_start_to)

st.title(t("page_lagesbild"))
if not reads.counts()["lagesbild"]:
    st.info(common.missing_text("lagesbild"))
    st.stop()
st.caption(t("lagesbild_period", wfrom=f"v{sel.week_from[1]} {sel.week_from[0]}",
             wto=f"v{sel.week_to[1]} {sel.week_to[0]}", areas=", ".join(sel.areas)))

# --- trend ---------------------------------------------------------------------------------------------
st.header(t("lb_trend_heading"))
c1, c2 = st.columns(2)
period = c1.radio(t("lb_period"), ["week", "month"], index=1, horizontal=True, key="lb_period",
                  format_func=lambda p: t(f"lb_period_{p}"))
by = c2.radio(t("lb_by"), ["category", "area"], horizontal=True, key="lb_by", format_func=lambda b: t(f"lb_by_{b}"))
trend = reads.lagesbild_counts(period=period, by=by, **window)
if trend.empty:
    st.info(t("lb_no_reports_in_window"))
else:
    ranked = lagesbild.ranked_groups(trend, by)
    # Few lines stay readable (and keep their own colour); the user can pick others.
    chosen = st.multiselect(t("lb_show_groups"), ranked, default=ranked[:5], key=f"lb_groups_{by}",
                            placeholder=t("choose_options"), select_all=False, format_func=lambda k: labels.get(k, k) if by == "category" else k)
    shown = trend[trend[by].isin(chosen or ranked[:5])]
    fill = lagesbild.fill_weeks if period == "week" else lagesbild.fill_months
    shown = fill(shown, group=by, week_from=sel.week_start_from, week_to=sel.week_start_to)
    table = lagesbild.trend_table(shown, by, labels)
    if shown["period_start"].nunique() < 2:  # one point is no development over time: the counts as a table
        st.info(t("lb_trend_one_period", period=t(f"lb_period_{period}")))
        ui.data_table(table, meeting=meeting)
    else:
        partial = lagesbild.partial_months(sel.week_start_from, sel.week_start_to) if period == "month" else {}
        fig = ui.shared(figures.trend_figure, shown, x="period_start", y="reports", group=by,
                        labels=labels if by == "category" else {}, title=t("lb_trend_title"),
                        y_title=t("lb_reports_axis"), period=period, meeting=meeting, partial=partial)
        ui.chart_with_table(fig, table, name="lagesbild_trend", key="lb_trend", meeting=meeting)
        st.caption(t("lb_trend_caption"))
        if partial:
            st.caption(lit(lagesbild.partial_months_text(partial)))

# --- heat table area × week ----------------------------------------------------------------------------
st.header(t("lb_heat_heading"))
weekly = reads.lagesbild_counts(period="week", by="area", **window)
heat_weeks = cfg.windows.heat_weeks
recent = lagesbild.heat_rows(weekly, heat_weeks)
if recent.empty:
    st.info(t("lb_no_reports_in_window"))
else:
    fig = ui.shared(figures.heat_table_figure, recent, row="area", col="period_start", value="reports",
                    title=t("lb_heat_title", weeks=heat_weeks), meeting=meeting)
    ui.chart_with_table(fig, lagesbild.heat_table(recent), name="lagesbild_omrade_vecka", key="lb_heat",
                        meeting=meeting)

# --- årshjul ---------------------------------------------------------------------------------------------
st.header(t("lb_arshjul_heading"))
wheel = reads.lagesbild_month_of_year(**window)
span = common.weeks_between(reads.first_week(), reads.latest_week())
if span < 52:  # a month-of-year pattern needs at least one whole year
    st.info(t("lb_arshjul_too_short", have=common.weeks_text(span)))
elif not wheel.empty:
    wheel = lagesbild.wheel_top(wheel)
    fig = ui.shared(figures.arshjul_figure, wheel, labels=labels, title=t("lb_arshjul_title"), meeting=meeting)
    ui.chart_with_table(fig, lagesbild.wheel_table(wheel, labels), name="arshjul", key="lb_wheel", meeting=meeting)
    st.caption(t("lb_arshjul_caption"))

# --- map of places ----------------------------------------------------------------------------------------
st.header(t("lb_map_heading"))
f1, f2 = st.columns([3, 2])
map_cats = tuple(f1.multiselect(t("events_filter_categories"), list(cats), default=list(cats), key="lb_map_cats",
                                format_func=lambda k: labels.get(k, k), placeholder=t("choose_options")))
period_options = lagesbild.map_period_options(sel.week_start_from, sel.week_start_to, cfg.windows)
map_period = f2.radio(t("events_filter_period"), period_options, index=len(period_options) - 1, horizontal=True,
                      key="lb_map_period", format_func=lagesbild.map_period_label)
map_from, map_to = lagesbild.map_window(sel.week_start_from, sel.week_start_to, map_period)
has_police = bool(reads.counts()["police"])
layer_options = ["points", "hotspots"] + (["police"] if sel.police and has_police else [])
shown_layers = st.pills(t("events_map_shows"), layer_options, selection_mode="multi", default=layer_options,
                        key="lb_map_layers", format_func=lambda k: t(f"events_show_{k}")) or []
map_window = dict(window, cats=map_cats, week_from=map_from, week_to=map_to)
places = reads.lagesbild_places(**map_window) if map_cats else reads.lagesbild_places(**window).iloc[0:0]
police = None
if "police" in shown_layers and map_cats:
    police = reads.police_by_ort(areas=sel.areas, date_from=map_from, date_to=map_to + timedelta(days=6),
                                 cats=None if set(map_cats) == set(cats) else map_cats)
    unplaced = int(police.loc[police["ort"].isna(), "events"].sum()) if not police.empty else 0
    police = police.dropna(subset=["ort"])  # events placed only at the kommun's centroid are counted, not drawn
# Binned once per selection for every session (a projection and a grouping), and only when shown.
hot = ui.shared(lagesbild.hotspot_bins, places, cfg) if "hotspots" in shown_layers else None
if not map_cats:
    st.info(t("events_no_categories"))
else:
    ui.show_map(maps.places_map, reads.area_geometries(), places, police, meeting=meeting,
                no_place_text=t("lb_no_place_short"),  # ort-level rows are reports naming no place
                hotspots=hot, show_places="points" in shown_layers,
                alt=t("lb_map_heading"), key="lb_places_map", height=620 if meeting else 520)
    if hot is not None:
        st.caption(lit(lagesbild.hotspot_caption(hot, cfg)))  # built from messages and numbers, shown literally
if police is not None:
    st.caption(t("lb_police_caption", n=unplaced))
elif sel.police and not has_police:
    st.caption(t("lb_police_missing"))
places = reads.lagesbild_places(**window)  # the table and the timeline below: the sidebar's whole window
table = lagesbild.places_table(places)
with st.expander(t("table_view"), expanded=False):
    ui.table_with_downloads(table, name="lagesbild_platser", key="lb_places", meeting=meeting)

# --- reporting coverage ------------------------------------------------------------------------------------
st.header(t("lb_coverage_heading"))
st.caption(t("lb_coverage_caption"))
coverage = reads.reporting_coverage(areas=sel.areas + ("",), orgs=sel.organisations,
                  week_from=max(sel.week_start_from, sel.week_start_to - timedelta(weeks=cfg.windows.coverage_weeks - 1)),
                  week_to=sel.week_start_to)
if not coverage.empty:
    summary = lagesbild.coverage_summary(coverage)
    silent = summary[summary["silent_now"] >= cfg.windows.silent_warning_weeks]
    for r in silent.itertuples():
        st.warning(say("lb_silent", reporter=r.reporter, weeks=r.silent_now))
    status_labels = lagesbild.coverage_status_labels()
    fig = ui.shared(figures.coverage_figure, coverage, title=t("lb_coverage_title"), status_labels=status_labels,
                    meeting=meeting)
    ui.chart_with_table(fig, lagesbild.coverage_table(summary), name="inrapportering", key="lb_coverage", meeting=meeting)

# --- one place's timeline -------------------------------------------------------------------------------------
st.header(t("lb_place_heading"))
if places.empty:
    st.info(t("no_data"))
else:
    # A missing place is NaN in the frame: make it None, so it is never shown as "nan".
    options = [(r.ort, r.plats if isinstance(r.plats, str) else None) for r in places.itertuples()]
    option_label = lagesbild.place_option_label
    choice = st.selectbox(t("lb_place_choose"), options, key="lb_place", format_func=option_label, placeholder=t("choose_option"))
    timeline = reads.place_timeline(ort=choice[0], plats=choice[1], orgs=sel.organisations, cats=cats,
                      week_from=sel.week_start_from, week_to=sel.week_start_to)
    weekly_place = lagesbild.place_weeks(timeline, week_from=sel.week_start_from, week_to=sel.week_start_to)
    fig = ui.shared(figures.trend_figure, weekly_place, x="period_start", y="reports", group="category", labels=labels,
                    title=option_label(choice),
                    y_title=t("lb_reports_axis"), period="week", meeting=meeting)
    ui.chart_with_table(fig, lagesbild.place_table(weekly_place, labels), name="plats_tidslinje", key="lb_place_chart", meeting=meeting)
    if not meeting and ui.may(role, "see_comments"):
        comments = lagesbild.comments_table(timeline, labels)
        with st.expander(t("lb_comments", n=len(comments)), expanded=False):
            st.caption(t("lb_comments_caption"))
            st.dataframe(comments, hide_index=True, width="stretch")
