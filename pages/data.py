"""Data (admin): upload a file with a preview of what will be imported and quarantined, review and
correct the quarantine, and read the import log."""
import json

import pandas as pd
import streamlit as st

from tsk import ui
from tsk.config import db_path
from tsk.errors import TskError
from tsk.i18n import t
from tsk.importers import SOURCES
from tsk.importers.forms import shipped_mappings
from tsk.ingest import corrections
from tsk.pagedata import imports
from tsk.safe_text import lit, say
from tsk.ui import reads, review

_, cfg, role = ui.page("data", with_sidebar=False)
st.title(t("page_data"))
st.caption(t("data_intro"))
tab_upload, tab_review, tab_quarantine, tab_log = st.tabs([t("dt_upload"), t("rv_tab"), t("dt_quarantine"),
                                                           t("dt_log")])

with tab_upload:
    c1, c2 = st.columns(2)
    source = c1.selectbox(t("data_source"), SOURCES, format_func=lambda s: t(f"source_{s}"), key="dt_source", placeholder=t("choose_option"))
    mappings = {p.name: p for p, _ in shipped_mappings(source)}
    mapping = c2.selectbox(t("data_mapping"), [None, *mappings], key="dt_mapping",
                           format_func=lambda m: t("data_mapping_auto") if m is None else m, placeholder=t("choose_option"))
    name_field = st.text_input(t("data_name_field" if source == "areas" else "places_data_name_field"),
                               key="dt_name_field") if source in ("areas", "places") else None
    review.upload_with_preview(source, mappings.get(mapping) and str(mappings[mapping]), name_field or None,
                                 key="dt_file", types=["csv", "txt", "xlsx", "json", "geojson", "gpkg", "zip"])

with tab_review:
    st.subheader(t("rv_places_heading"))
    st.caption(t("rv_places_caption"))
    review.review_places_form(cfg)
    st.subheader(t("rv_quarantine_heading"))
    st.caption(t("rv_quarantine_caption"))
    review.review_quarantine_form(cfg)

with tab_quarantine:
    waiting = reads.open_quarantine()
    if waiting.empty:
        st.success(t("data_quarantine_none"))
    else:
        st.dataframe(imports.quarantine_table(waiting), hide_index=True, width="stretch")
        rows = waiting.to_dict("records")
        index = st.selectbox(t("data_row_choose"), range(len(rows)), key="dt_qrow",
                             format_func=lambda i: t("data_row_label", file=rows[i]['file_name'], row=rows[i]['row_number']), placeholder=t("choose_option"))
        row = rows[index]
        original = json.loads(row["original_row"])
        st.markdown(f"**{t('data_original')}**")
        st.dataframe(pd.DataFrame([original]), hide_index=True, width="stretch")
        st.warning(lit(row["reason"]))
        columns = list(original)
        guessed = corrections.guess_column(original, row["reason"])
        with st.form("dt_fix"):
            column = st.selectbox(t("data_column"), columns, index=columns.index(guessed) if guessed else 0, placeholder=t("choose_option"))
            suggestions = json.loads(row["suggestions"])
            value = st.selectbox(t("data_value"), suggestions, accept_new_options=True, placeholder=t("choose_or_add_option")) if suggestions else \
                st.text_input(t("data_value"))
            fix = st.form_submit_button(t("data_fix"), type="primary")
        if fix and value:
            try:
                outcome = corrections.reimport_corrected(db_path(), cfg, row, column, value)
            except TskError as e:
                ui.show_error(e)
            else:
                if outcome.quarantined:
                    st.error(say("data_still_bad", reason=outcome.notes[0]))
                else:
                    st.success(t("data_fixed"))

with tab_log:
    log = reads.import_log()
    in_app = int(imports.app_report_lines(log).sum())
    with_app = bool(in_app) and st.toggle(t("data_log_with_app", n=in_app), value=False, key="data_log_app")
    st.dataframe(imports.import_log_table(log, with_app_reports=with_app), hide_index=True, width="stretch")
