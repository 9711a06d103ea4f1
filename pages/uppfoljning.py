"""Uppföljning: the yearly follow-up report to the politicians. Choose a year and the full or public
version, preview it (tsk.ui.report shows the report's blocks, walked as the Word document walks them), and
download it as Word (DOCX) or Excel (XLSX). Below the downloads, the lägesbild and åtgärdsplan the law
(2023:196) asks for (tsk.report.build_lag), for the same year and version, built on click and recorded in
the import log (tsk.report.lag_files)."""
from functools import partial

import streamlit as st

from tsk import ui
from tsk.config import db_path
from tsk.errors import TskError
from tsk.exports import safe_filename
from tsk.i18n import t
from tsk.report import lag_files
from tsk.safe_text import lit
from tsk.ui import reads
from tsk.ui import report as ui_report

sel, cfg, role = ui.page("uppfoljning")
meeting = sel.meeting
# The full version (free text, the analysgrupp's material) only for roles that may see it, and never
# in Mötesläge, which shows no free text.
full_allowed = ui.may(role, "full_report") and not meeting

st.title(t("page_uppfoljning"))
st.caption(t("up_intro"))

years = reads.report_years()
if not years:
    st.info(t("up_no_years"))
    st.stop()
c1, c2 = st.columns(2)
year = c1.selectbox(t("up_year"), list(reversed(years)), key="up_year", placeholder=t("choose_option"))
public = c2.toggle(t("up_public"), value=not full_allowed, disabled=not full_allowed, key="up_public",
                   help=t("up_public_help", n=cfg.suppression_min)) or not full_allowed
if meeting:
    c2.caption(t("up_meeting_public"))
elif not full_allowed:
    c2.caption(t("up_role_public"))

try:
    files = reads.report_files(year=int(year), public=bool(public))
except TskError as e:
    ui.show_error(e)
    st.stop()

rep = files.report
name = f"{rep.title} {rep.year} {t('rp_footer_public') if rep.public else t('rp_footer_full')}"
d1, d2 = st.columns(2)
ui.download(d1, t("up_download_docx"), partial(getattr, files, "docx"), file_name=safe_filename(name, "docx"),
            mime=ui.DOCX, key="up_docx", type="primary")
ui.download(d2, t("up_download_xlsx"), partial(getattr, files, "xlsx"), file_name=safe_filename(name, "xlsx"),
            mime=ui.XLSX, key="up_xlsx")

st.divider()
st.subheader(t("up_lag_heading"))
st.caption(t("up_lag_intro"))
made = lag_files.lag_dates(reads.import_log())
st.markdown(t("up_lag_last", date=made[-1].isoformat()) if made else t("up_lag_none"))
lag_name = f"{t('lg_title')} {rep.year} {t('rp_footer_public') if rep.public else t('rp_footer_full')}"
lag = partial(lag_files.lag_bytes, db_path(), year=int(year), public=bool(public), actor=ui.actor())
l1, l2 = st.columns(2)
ui.download(l1, t("up_lag_docx"), partial(lag, fmt="docx"), file_name=safe_filename(lag_name, "docx"), mime=ui.DOCX,
            key="up_lag_docx")
ui.download(l2, t("up_lag_xlsx"), partial(lag, fmt="xlsx"), file_name=safe_filename(lag_name, "xlsx"), mime=ui.XLSX,
            key="up_lag_xlsx")

st.divider()
st.subheader(t("up_preview"))
st.markdown(f"**{lit(rep.kommun)}** · {lit(rep.title)} **{rep.year}** · {lit(rep.version)}")
ui_report.show_report(rep, meeting=meeting)
