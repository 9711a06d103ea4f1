"""Träffpunkt: per area and round, the safety questions against the other areas and the previous
round, with n. Träffpunkt covers the configured rural areas, not the centralort."""
import streamlit as st

from tsk import analysis, figures, ui
from tsk.i18n import t
from tsk.ui import reads

sel, cfg, role = ui.page("traffpunkt")
meeting = sel.meeting
suppressed_text = t("suppressed_short", n=cfg.suppression_min)

st.title(t("page_traffpunkt"))
st.caption(analysis.traffpunkt_intro(cfg))
if not reads.counts()["traffpunkt"]:
    st.info(analysis.missing_text("traffpunkt"))
    st.stop()

items = [i for i in cfg.traffpunkt_items if i.kind != "text"]
item = st.selectbox(t("tr_item"), [i.key for i in items], format_func=lambda k: cfg.item(k).label, key="tp_item", placeholder=t("choose_option"))
measure = t("tp_measure_worse") if cfg.item(item).kind == "forandring" else t("tp_measure_otrygg")

shares = reads.traffpunkt_shares(item=item)
shares = shares[shares["area"].isin(sel.areas)]
if shares.empty:
    st.info(t("no_data"))
    st.stop()

st.header(t("tp_rounds_heading", measure=measure))
fig = ui.shared(figures.grouped_share_bars, shares.assign(round=shares["round"].astype(str)), x="area", group="round",
                title=t("tp_chart_title", measure=measure, item=cfg.item(item).label),
                y_title=measure, meeting=meeting, suppressed_text=suppressed_text)
table = shares.assign(
    share=[suppressed_text if s else ui.format_pct(v) for v, s in zip(shares["share"], shares["suppressed"])],
    small=shares["small_sample"].map({True: t("tr_small"), False: ""}),
)[["round", "area", "share", "n", "small"]].rename(columns={
    "round": t("col_round"), "area": t("col_area"), "share": measure, "n": "n", "small": t("col_note")})
ui.chart_with_table(fig, table, name="traffpunkt", key="tp_chart", meeting=meeting)
st.caption(t("tp_caption", small=cfg.small_sample, n=cfg.suppression_min))

st.header(t("tp_compare_heading"))
comparison = analysis.traffpunkt_comparison(shares, cfg)
if not comparison.empty:
    ct = comparison.assign(
        share=[suppressed_text if s else ui.format_pct(v) for v, s in zip(comparison["share"], comparison["suppressed"])],
        others=comparison["others_share"].map(ui.format_pct),
        previous=comparison["previous_share"].map(ui.format_pct),
    )[["area", "round", "share", "n", "others", "others_n", "vs_others", "previous", "previous_n", "vs_previous"]]
    first_round = shares["round"].nunique() == 1
    if first_round:  # nothing to compare with yet: say so instead of a column of "–"
        ct = ct.drop(columns=["previous", "previous_n", "vs_previous"])
    ct = ct.rename(columns={
        "area": t("col_area"), "round": t("col_round"), "share": measure, "n": "n", "others": t("tp_col_others"),
        "others_n": t("col_n_of", what=t("tp_col_others")), "vs_others": t("tp_col_vs_others"),
        "previous": t("tp_col_previous"), "previous_n": t("col_n_of", what=t("tp_col_previous")),
        "vs_previous": t("tp_col_vs_previous")})
    ui.data_table(ct, meeting=meeting)
    ui.download_buttons(ct, "traffpunkt_jamforelse", "tp_compare")
    st.caption(t("tp_compare_caption"))
    if first_round:
        st.info(t("tp_first_round", round=int(shares["round"].iloc[0])))

st.header(t("tp_respondents_heading"))
resp = reads.traffpunkt_respondents_per_area()
resp = resp[resp["area"].isin(sel.areas)].rename(columns={
    "round": t("col_round"), "area": t("col_area"), "respondents": t("tp_col_respondents"),
    "companies": t("tp_col_companies")})
ui.data_table(resp, meeting=meeting)
