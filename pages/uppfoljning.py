"""Uppföljning: the yearly follow-up report to the politicians. Choose a year and the full or public
version, preview it, and download it as Word (DOCX) or Excel (XLSX)."""
from functools import partial

import streamlit as st

from tsk import report, ui
from tsk.errors import TskError
from tsk.exports import safe_filename
from tsk.i18n import t
from tsk.safe_text import lit
from tsk.ui import reads

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
d1.download_button(t("up_download_docx"), partial(getattr, files, "docx"), file_name=safe_filename(name, "docx"), key="up_docx",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", type="primary")
d2.download_button(t("up_download_xlsx"), partial(getattr, files, "xlsx"), file_name=safe_filename(name, "xlsx"), key="up_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.divider()
st.subheader(t("up_preview"))
st.markdown(f"**{lit(rep.kommun)}** · {lit(rep.title)} **{rep.year}** · {lit(rep.version)}")
for section in rep.sections:
    (st.header if section.level == 1 else st.subheader)(lit(section.heading))
    for block in section.blocks:
        if isinstance(block, str):
            st.markdown(lit(block))
        elif isinstance(block, report.Lead):
            st.markdown(f"**{lit(block.lead)}.** {lit(block.text)}")
        elif isinstance(block, report.Bullets):
            st.markdown("\n".join(f"- {lit(item)}" for item in block.items))
        elif isinstance(block, report.KeyFigures):
            if not block.items:
                continue
            cols = st.columns(len(block.items))
            for col, kf in zip(cols, block.items):
                col.metric(kf.label, kf.value)
                col.markdown(f"**n = {lit(kf.n)}** · {lit(kf.previous)}" + (f" · {lit(kf.verdict)}" if kf.verdict else ""))
                if kf.note and not meeting:
                    col.caption(lit(kf.note))
        elif isinstance(block, report.Table):
            st.markdown(f"**{lit(block.title)}**")
            ui.data_table(report.display_frame(block), meeting=meeting)
            if block.note:
                st.caption(lit(block.note))
        elif isinstance(block, report.Chart):
            st.markdown(f"**{lit(block.title)}**")
            st.image(block.png, caption=lit(block.alt), alt=block.alt, width=760)
            if block.note:
                st.caption(lit(block.note))
