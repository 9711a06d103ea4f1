"""Trygghetsundersökning: share otrygg per year and area with Wilson intervals and n (groups under the
small-sample threshold also with the year before pooled), problem items as an index, year-on-year change
only where the data support it (a large change that is not significant with the answers per year it
would need), unsafe places named, and breakdowns where every cell meets the threshold."""
import pandas as pd
import streamlit as st

from tsk import figures, maps, ui
from tsk.i18n import t
from tsk.pagedata import common, survey
from tsk.ui import reads

sel, cfg, role = ui.page("trygghet")
meeting = sel.meeting
suppressed_text = t("suppressed_short", n=cfg.suppression_min)
scale_labels = survey.scale_labels(cfg)

st.title(t("page_trygghet"))
# The years of the survey itself, not of every source: the sidebar's years also cover Träffpunkt rounds.
available = reads.survey_years()
if not available:
    st.info(common.missing_text("survey"))
    st.stop()
survey_years = [y for y in available if sel.year_from <= y <= sel.year_to]
if not survey_years:
    st.info(t("missing_survey_in_years", years=f"{sel.year_from}–{sel.year_to}",
              available=", ".join(map(str, available))))
    st.stop()
year_from, year_to = survey_years[0], survey_years[-1]
st.caption(survey.survey_intro(cfg, survey_years))

items = [i for i in cfg.survey_items if i.kind == "trygghet"]
keys = [i.key for i in items]
# The headline question, as in Brå's NTU: feeling unsafe out alone late in the evening.
item = st.selectbox(t("tr_item"), keys, index=keys.index(cfg.headline_item) if cfg.headline_item in keys else 0,
                    format_func=lambda k: cfg.item(k).label, key="tr_item", placeholder=t("choose_option"))

# --- share otrygg per year and area ---------------------------------------------------------------------
st.header(t("tr_share_heading"))
shares = reads.survey_shares(item=item, year_from=year_from, year_to=year_to, by="area",
                    groups=sel.areas)
kommun = reads.survey_shares(item=item, year_from=year_from, year_to=year_to, by="kommun")
if shares.empty:
    st.info(t("no_data"))
else:
    both = pd.concat([kommun, shares], ignore_index=True)
    fig = ui.shared(figures.share_figure, both, title=t("tr_share_title", item=cfg.item(item).label),
                    y_title=t("tr_share_axis"), meeting=meeting, scale_labels=scale_labels,
                    suppressed_text=suppressed_text)
    # A group under the small-sample threshold is also shown with the year before pooled; the first
    # year shown pools with the year before the selection, so that year is read too.
    wider = both
    if year_from - 1 in available:
        wider = pd.concat([reads.survey_shares(item=item, year_from=year_from - 1, year_to=year_to, by=by,
                                               groups=sel.areas if by == "area" else ())
                           for by in ("kommun", "area")], ignore_index=True)
    pooled = survey.two_year_shares(wider, cfg, years=survey_years)
    table = survey.share_table(both, cfg, pooled)
    ui.chart_with_table(fig, table, name="andel_otrygga", key="tr_share", meeting=meeting)
    st.caption(t("tr_share_caption", small=cfg.small_sample, n=cfg.suppression_min))
    small_areas = survey.small_area_table(table)
    if not small_areas.empty:
        st.subheader(t("tr_pool_heading"))
        ui.table_with_downloads(small_areas, name="tva_ar_sammanslagna", key="tr_pooled", meeting=meeting)
        st.caption(t("tr_pool_caption", small=cfg.small_sample, n=cfg.suppression_min))

    st.subheader(t("tr_change_heading"))
    if len(survey_years) == 1:
        st.info(t("tr_change_one_year", year=survey_years[0]))
    else:
        changes = survey.year_on_year(both, cfg)
        ch = survey.change_table(changes)
        ui.table_with_downloads(ch, name="forandring_mot_foregaende_ar", key="tr_changes", meeting=meeting,
                                widths={t("col_verdict"): 560})
        st.caption(t("tr_change_caption"))
        if survey.has_precision_note(changes):
            st.caption(t("tr_power_caption", pp=cfg.large_change_pp))

# --- problem index ------------------------------------------------------------------------------------------
st.header(t("tr_index_heading"))
index = reads.problem_index(year_from=year_from, year_to=year_to)
if not index.empty:
    shown = index[~index["suppressed"]]
    fig = ui.shared(figures.trend_figure, shown.assign(year=shown["year"].astype(str)), x="year", y="index",
                    group="label", labels={}, title=t("tr_index_title"), y_title=t("tr_index_axis"),
                    period="year", meeting=meeting)
    table = survey.index_table(index, cfg)
    ui.chart_with_table(fig, table, name="problemindex", key="tr_index", meeting=meeting)
    st.caption(t("tr_index_caption"))

# --- numeric items (type = "number" in the mapping): mean with 95 % interval and n per area ----------------
number_items = [i for i in cfg.survey_items if i.kind == "number"]
if number_items:
    st.header(t("tr_numbers_heading"))
    number_keys = [i.key for i in number_items]
    number_item = st.selectbox(t("tr_item"), number_keys, format_func=lambda k: cfg.item(k).label, key="tr_number", placeholder=t("choose_option"))
    means = reads.survey_number_means(item=number_item, year_from=sel.year_from,
                       year_to=sel.year_to, groups=sel.areas)
    if means.empty:
        st.info(t("no_data"))
    else:
        table = survey.number_means_table(means, cfg)
        ui.table_with_downloads(table, name="medelvarden", key="tr_numbers", meeting=meeting)
        st.caption(t("tr_numbers_caption", small=cfg.small_sample, n=cfg.suppression_min))

# --- unsafe places named ---------------------------------------------------------------------------------
st.header(t("tr_places_heading"))
mentions = reads.survey_mentions(year_from=year_from, year_to=year_to)
if mentions.empty:
    st.info(t("tr_places_none", n=cfg.suppression_min))
else:
    ui.show_map(maps.places_map, reads.area_geometries(), survey.mention_points(mentions), None,
                meeting=meeting, count_words=(t("word_answer"), t("word_answers")), legend_text=t("tr_places_legend"),
                alt=t("tr_places_heading"), key="tr_places_map", height=560 if meeting else 480)
    table = survey.mentions_table(mentions)
    with st.expander(t("table_view"), expanded=not meeting):
        ui.table_with_downloads(table, name="otrygga_platser", key="tr_places", meeting=meeting)
    st.caption(t("tr_places_caption", n=cfg.suppression_min))

# --- breakdowns ---------------------------------------------------------------------------------------------
st.header(t("tr_breakdown_heading"))
year = year_to  # the latest survey in the selection
for by in ("age_group", "gender"):
    result = reads.breakdown(item=item, year=year, by=by)
    st.subheader(t(f"tr_by_{by}", year=year))
    if result is None:
        st.info(t("tr_breakdown_hidden", n=cfg.suppression_min))
        continue
    fig = ui.shared(figures.grouped_share_bars, result.assign(x=result["group"]), x="x", group="scale",
                    title=t(f"tr_by_{by}", year=year), y_title=t("tr_share_axis"),
                    meeting=meeting, suppressed_text=suppressed_text, legend=False)
    table = survey.breakdown_table(result, by)
    ui.chart_with_table(fig, table, name=f"otrygga_per_{by}", key=f"tr_{by}", meeting=meeting)
