"""Träffpunkt: per area and round, the safety questions against the other areas and the previous
round, with n. Träffpunkt covers the configured rural areas, not the centralort."""
import streamlit as st

from tsk import figures, ui
from tsk.i18n import t
from tsk.pagedata import common, traffpunkt
from tsk.ui import dialog_forms, reads

sel, cfg, role = ui.page("traffpunkt")
meeting = sel.meeting
suppressed_text = t("suppressed_short", n=cfg.suppression_min)

st.title(t("page_traffpunkt"))
st.caption(traffpunkt.traffpunkt_intro(cfg))
if not reads.counts()["traffpunkt"]:
    st.info(common.missing_text("traffpunkt"))
    dialog_forms.traffpunkt_section(cfg, sel, role)  # steps 2–4 are registered before any answers are imported
    st.stop()

items = [i for i in cfg.traffpunkt_items if i.kind != "text"]
item = st.selectbox(t("tr_item"), [i.key for i in items], format_func=lambda k: cfg.item(k).label, key="tp_item", placeholder=t("choose_option"))
measure = traffpunkt.measure_label(cfg, item)

shares = reads.traffpunkt_shares(item=item)
shares = shares[shares["area"].isin(sel.areas)]
if shares.empty:
    st.info(t("no_data"))
    dialog_forms.traffpunkt_section(cfg, sel, role)
    st.stop()

st.header(t("tp_rounds_heading", measure=measure))
fig = ui.shared(figures.grouped_share_bars, shares.assign(round=shares["round"].astype(str)), x="area", group="round",
                title=t("tp_chart_title", measure=measure, item=cfg.item(item).label),
                y_title=measure, meeting=meeting, suppressed_text=suppressed_text)
table = traffpunkt.rounds_table(shares, cfg, measure)
ui.chart_with_table(fig, table, name="traffpunkt", key="tp_chart", meeting=meeting)
st.caption(t("tp_caption", small=cfg.small_sample, n=cfg.suppression_min))

st.header(t("tp_compare_heading"))
comparison = traffpunkt.traffpunkt_comparison(shares, cfg)
if not comparison.empty:
    first_round = shares["round"].nunique() == 1  # nothing to compare with yet: say so below
    ct = traffpunkt.comparison_table(comparison, cfg, measure, first_round=first_round)
    ui.table_with_downloads(ct, name="traffpunkt_jamforelse", key="tp_compare", meeting=meeting)
    st.caption(t("tp_compare_caption"))
    if first_round:
        st.info(t("tp_first_round", round=int(shares["round"].iloc[0])))

st.header(t("tp_respondents_heading"))
resp = reads.traffpunkt_respondents_per_area()
resp = traffpunkt.respondents_table(resp, sel.areas)
ui.data_table(resp, meeting=meeting)

dialog_forms.traffpunkt_section(cfg, sel, role)
