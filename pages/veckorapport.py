"""Veckorapport: the reporter writes the unit's weekly EST report here (phone first), sees their own
reports of the last weeks (changeable while the week is open) and what was decided about their places."""
import streamlit as st

from tsk import ui
from tsk.i18n import t
from tsk.pagedata import veckorapport as vk
from tsk.ui import reads
from tsk.ui import veckorapport as form

_, cfg, role = ui.page("veckorapport", with_sidebar=False)
form.phone_css()
st.title(t("page_veckorapport"))
st.caption(t("vk_intro"))
units = ui.user_units(role)
if not units:
    st.info(t("vk_no_units"))
    st.stop()
day = form.today()
form.saved_message()

reports = reads.app_reports_of(units=tuple(u.name for u in units), since=vk.list_since(day, cfg))
rows = vk.own_reports(reports, cfg, day)
editing = form.editing_report(rows)
if editing:
    unit = next(u for u in units if u.name == editing.unit)
    st.subheader(t("vk_edit_heading", week=editing.iso_week, year=editing.iso_year))
    form.report_form(cfg, unit, (editing.iso_year, editing.iso_week), units, day, editing)
else:
    unit = form.choose_unit(units)
    week = form.choose_week(cfg, day)
    if week:
        form.nothing_button(cfg, unit, week, units, day)
        st.subheader(t("vk_new_heading"))
        form.report_form(cfg, unit, week, units, day)

form.own_list(cfg, rows, units, day)
form.feedback(cfg, units, day)
