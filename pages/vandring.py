"""Trygghetsvandring: an explainable candidate list, the walk register, and the effect of measures."""
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from tsk import figures, maps, ui
from tsk.i18n import t
from tsk.maps import route as map_route
from tsk.pagedata import candidates, route, scoring, vandring
from tsk.registers import summary as registers_summary
from tsk.registers import walks
from tsk.safe_text import lit, say
from tsk.ui import dialog_forms, forms, reads, review

sel, cfg, role = ui.page("vandring")
v = cfg.vandring
meeting = sel.meeting

st.title(t("page_vandring"))
st.caption(t("vandring_intro"))
tab_candidates, tab_register, tab_effect = st.tabs([t("vt_candidates"), t("vt_register"), t("vt_effect")],
                                                  key="vt_tab")
forms.show_saved_message()

# --- candidates -------------------------------------------------------------------------------------------
with tab_candidates:
    level = st.radio(t("vc_level"), ["plats", "ort"], horizontal=True, key="vc_level",
                     format_func=lambda x: t(f"vc_level_{x}"))
    defaults = scoring.default_weights(cfg)
    for key, value in defaults.items():
        st.session_state.setdefault(f"w_{key}", float(value))

    def restore_weights():
        for k, val in defaults.items():
            st.session_state[f"w_{k}"] = float(val)

    with st.expander(t("vc_weights"), expanded=False):
        st.caption(t("vc_weights_help"))
        cols = st.columns(3)
        for i, key in enumerate(scoring.COMPONENTS):
            cols[i % 3].number_input(scoring.COMPONENT_LABELS[key], min_value=0.0, max_value=10.0, step=0.5,
                                     key=f"w_{key}")
        st.button(t("vc_restore"), on_click=restore_weights, key="vc_restore")
    weights = {key: st.session_state[f"w_{key}"] for key in scoring.COMPONENTS}
    if weights != {k: float(defaults[k]) for k in scoring.COMPONENTS}:
        st.info(t("vc_whatif"))

    scored = reads.scored_candidates(level, weights)
    scored = scored[scored["area"].isin(sel.areas)]  # score_candidates returns rank order
    ok = scored[scored["status"] == scoring.STATUS_OK]
    thin = scored[scored["status"] != scoring.STATUS_OK]
    top = ok.head(8)

    st.subheader(t("vc_top", n=len(top)))
    for r in top.itertuples():
        # Thin evidence keeps its place in the list but says so in its heading, in both modes.
        st.markdown(f"#### {int(r.rank)}. {lit(r.unit)} — {ui.format_decimal(r.total)} {t('vc_points')}"
                    + (" · :orange-badge[" + t("vc_few_reports") + "]" if r.few_reports else ""))
        st.markdown("\n".join(f"- {lit(reason)}" for reason in r.reasons) or t("vc_no_reasons"))
        st.caption(lit(r.uncertainty))
    if not top.empty:
        drawn = vandring.contribution_rows(top)
        fig = ui.shared(figures.contribution_figure, drawn, components=list(scoring.COMPONENTS),
                        labels=scoring.COMPONENT_LABELS, title=t("vc_chart_title"),
                        meeting=meeting)
        ui.chart_with_table(fig, vandring.candidate_table(top), name="kandidater_trygghetsvandring", key="vc_chart", meeting=meeting)
    if not thin.empty:
        st.warning(say("vc_thin", units=", ".join(thin["unit"])))

    st.subheader(t("vc_map"))
    # the shown units only (no second evidence pass), where the store has its places
    where = candidates.unit_positions(cfg, top, level=level, places=reads.places_reference())
    on_map = vandring.candidates_on_map(top, where)
    shown_walk = route.route_walk(reads.walks(), sel.areas, date.today())  # the next planned walk, else the last held
    map_words = dict(meeting=meeting, count_words=(t("vc_points"), t("vc_points")), legend_text=t("vc_map_legend"),
                     alt=t("vc_map"), key="vc_map", height=560 if meeting else 480)
    if shown_walk is None:
        ui.show_map(maps.places_map, reads.area_geometries(), on_map, None, **map_words)
    else:
        walk_obj, _, walk_measures = walks.from_store_rows(*reads.walk(walk_id=shown_walk))
        walked = route.walk_route(walk_obj, walk_measures, reads.places_reference())
        ui.show_map(map_route.candidates_with_route, reads.area_geometries(), on_map, None, walked.stops,
                    walked.measures, planned=walked.planned, route_title=walked.title, **map_words)
        st.caption(t("rt_candidate_caption", ort=walk_obj.ort, date=walk_obj.walk_date.isoformat(),
                     status=walk_obj.status))

    with st.expander(t("vc_all"), expanded=False):
        everything = vandring.all_candidates_table(scored)
        ui.table_with_downloads(everything, name="kandidater_alla", key="vc_all", meeting=meeting)
    st.caption(t("vc_method", recent=v.recent_weeks, base=v.baseline_weeks, months=v.centralort_interval_months))

# --- the walk register ----------------------------------------------------------------------------------------
with tab_register:
    register = reads.walks()
    if not register.empty:  # a date, not a timestamp at midnight
        register = register.assign(walk_date=pd.to_datetime(register["walk_date"]).dt.date)
    if register.empty:
        st.info(t("vr_empty"))
    else:
        ui.data_table(vandring.register_table(register), meeting=meeting)

        options = list(register["walk_id"])
        label = {r.walk_id: f"{r.walk_date} – {r.ort} ({r.status})" for r in register.itertuples()}
        chosen = st.selectbox(t("vr_choose"), options, format_func=label.get, key="vr_choose", placeholder=t("choose_option"))
        walk_obj, obs, measures = walks.from_store_rows(*reads.walk(walk_id=int(chosen)))
        causes = {c.key: c.label for c in v.checklist}
        obs_table = vandring.observations_table(obs, causes, meeting=meeting)
        st.markdown(f"**{t('vr_route')}:** {lit(', '.join(walk_obj.route)) or '–'}")
        walked = route.walk_route(walk_obj, measures, reads.places_reference())
        if walked.stops.empty:
            st.info(t("rt_no_route"))
        else:
            st.markdown(f"**{t('rt_heading')}**")
            ui.show_map(map_route.route_map, reads.area_geometries(), walked.stops, walked.measures,
                        planned=walked.planned, meeting=meeting, title=walked.title, alt=walked.title,
                        key="vr_route_map", height=520 if meeting else 440)
            ui.data_table(route.stops_table(walked.stops, list(walked.missing)), meeting=meeting)
        if not obs_table.empty:
            ui.data_table(obs_table, meeting=meeting)
        measure_table = vandring.measures_table(measures, meeting=meeting)  # Mötesläge: no free text
        if not measure_table.empty:
            ui.data_table(measure_table, meeting=meeting)
        c1, c2 = st.columns(2)
        ui.download(c1, t("vr_download_protocol"), partial(route.protocol_with_route, walk_obj, obs, measures, cfg,
                                                           walked, reads.area_geometries()),
                    file_name=f"trygghetsvandring_{walk_obj.walk_date}_{walk_obj.ort}.xlsx", mime=ui.XLSX, key="vr_dl")
        summary = registers_summary.public_summary(walk_obj, obs, measures, cfg)
        ui.download(c2, t("vr_download_summary"), partial(str.encode, summary, "utf-8"),
                    file_name=f"trygghetsvandring_{walk_obj.walk_date}_sammanfattning.md", mime="text/markdown",
                    key="vr_dl_summary")
        if not meeting:  # the summary quotes the walk's free text
            with st.expander(t("vr_summary"), expanded=False):
                st.markdown(summary)
        if not meeting and measures and ui.may(role, "edit_registers"):
            with st.expander(t("mf_heading"), expanded=False):
                forms.measure_status_form(cfg, int(chosen))
        if not meeting and ui.may(role, "edit_registers"):
            with st.expander(t("vr_edit"), expanded=False):
                forms.walk_form(cfg, existing=(walk_obj, obs, measures))

    if not meeting and ui.may(role, "edit_registers"):
        st.subheader(t("vr_new"))
        forms.walk_form(cfg)
        st.subheader(t("vr_import"))
        review.import_upload("vandring", key="vr_upload", types=["xlsx"])

# --- effect of measures -------------------------------------------------------------------------------------------
with tab_effect:
    st.caption(t("ve_intro", n=v.min_reports_for_effect))
    effects = reads.measure_effects()
    if effects.empty:
        st.info(t("ve_none"))
    else:
        # The verdict next to the place, the measure's own text last; Mötesläge shows no free text.
        table = vandring.effects_table(effects, meeting=meeting)
        ui.table_with_downloads(table, name="effekt_av_atgarder", key="ve_table", meeting=meeting, widths={t("col_verdict"): 640})
    st.caption(t("ve_method"))

# --- Samhällskris: the parallel wheel's robustness meetings per ort (below the tabs) ---------------------------
dialog_forms.samhallskris_section(cfg, role, meeting)
