"""Analysgrupp: the samlad lägesbild per organisation, the meeting record with its frozen figures,
åtgärdsanalys → proposals and decisions, the agenda for the next meeting, and the samordnare's reminder
to the reporting units that have not reported."""
import json
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from tsk import ui
from tsk.formatting import fmt_date
from tsk.i18n import t
from tsk.pagedata import arshjul as aj
from tsk.pagedata import common, feedback, lagesbild
from tsk.pagedata import meeting as mtg
from tsk.safe_text import lit, say
from tsk.ui import forms, reads

sel, cfg, role = ui.page("analysgrupp")
meeting = sel.meeting
window = dict(areas=sel.areas, orgs=sel.organisations, week_from=sel.week_start_from, week_to=sel.week_start_to)

st.title(t("page_analysgrupp"))
st.caption(t("analysgrupp_intro"))
# A key keeps the open tab through reruns, a save and a switch of Mötesläge.
tab_samlad, tab_record, tab_proposals, tab_agenda, tab_reporting, tab_arshjul = st.tabs(
    [t("at_samlad"), t("at_record"), t("at_proposals"), t("at_agenda"), t("at_reporting"), t("at_arshjul")],
    key="ag_tab")
forms.show_saved_message()
ranked = reads.scored_candidates("plats")  # the configured weights; shares its evidence with Trygghetsvandring

# --- samlad lägesbild ------------------------------------------------------------------------------------------
with tab_samlad:
    st.caption(t("ag_period", wfrom=f"v{sel.week_from[1]} {sel.week_from[0]}", wto=f"v{sel.week_to[1]} {sel.week_to[0]}"))
    if not reads.counts()["lagesbild"]:
        st.info(common.missing_text("lagesbild"))
    samlad = reads.samlad_lagesbild(**window)
    organisations = list(dict.fromkeys(samlad["organisation"]))
    cols = st.columns(min(2, len(organisations)))  # two a row: four columns leave no room for the verdict
    for i, org in enumerate(organisations):
        part = mtg.samlad_org_table(samlad, org)
        with cols[i % len(cols)]:
            st.subheader(say("ag_org_heading", org=org))
            ui.data_table(part, meeting=meeting)
    table = mtg.samlad_table(samlad)
    ui.download_buttons(table, "samlad_lagesbild", "ag_samlad")
    st.subheader(t("ag_disagree_heading"))
    counts = reads.counts()
    lacking = [t(f"missing_what_{s}") for s in ("survey", "lagesbild") if not counts[s]]
    if lacking:  # nothing to compare: never "the sources agree"
        st.info(t("ag_disagree_needs", missing=common.and_list(lacking)))
    else:
        notes = reads.disagreements(areas=sel.areas, week_from=sel.week_start_from,
                           week_to=sel.week_start_to)
        for note in notes:
            st.warning(lit(note))
        if not notes:
            st.success(t("ag_disagree_none"))

# --- meeting record ---------------------------------------------------------------------------------------------
with tab_record:
    meetings = reads.meetings()
    if meetings.empty:
        st.info(t("ag_meetings_none"))
    else:
        label = mtg.meeting_labels(meetings)
        chosen = st.selectbox(t("ag_meeting_choose"), list(meetings["meeting_id"]), format_func=label.get,
                              key="ag_meeting", placeholder=t("choose_option"))
        record = meetings[meetings["meeting_id"] == chosen].iloc[0]
        snap = json.loads(record["snapshot"])
        st.markdown(f"**{say('ag_snapshot', date=str(record['created_at']))}**")
        if not meeting and record["notes"]:
            st.markdown(f"{t('ag_meeting_notes')}: {lit(record['notes'])}")
        st.markdown(f"**{t('ag_snapshot_changes')}**")
        st.markdown("\n".join(f"- {lit(c['label'])}: {lit(c['text'])}" for c in snap.get("changes", [])) or t("ag_nothing"))
        ui.data_table(mtg.samlad_table(pd.DataFrame(snap.get("samlad_lagesbild", []))), meeting=meeting)
        if snap.get("candidates"):
            st.markdown(f"**{t('ag_snapshot_candidates')}**")
            st.markdown("\n".join(f"- {lit(c['unit'])}: {lit(c['reasons'][0]) if c['reasons'] else ''}" for c in snap["candidates"]))
    # Recorded in the meeting itself, Mötesläge too: typed notes are stored redacted and never shown there.
    if ui.may(role, "edit_registers"):
        st.subheader(t("ag_new_meeting"))
        forms.meeting_form(cfg, sel, ranked)

# --- proposals and decisions -------------------------------------------------------------------------------------
with tab_proposals:
    measures = reads.all_measures()
    if measures.empty:
        st.info(t("ag_proposals_none"))
    else:
        shown = mtg.proposal_rows(measures, cfg, public=meeting)
        ui.table_with_downloads(shown, name="forslag_och_beslut", key="ag_proposals", meeting=meeting)
    if ui.may(role, "edit_registers"):
        with st.expander(t("ag_new_proposal"), expanded=meeting):  # «Beslut och förslag» in the meeting
            forms.proposal_form(cfg, sel)
    if not meeting and ui.may(role, "edit_registers"):  # shows the proposals' own texts: not on the projector
        if not measures.empty:
            with st.expander(t("ag_update"), expanded=False):
                forms.proposal_update_form(cfg, measures)

# --- agenda for the next meeting --------------------------------------------------------------------------------
with tab_agenda:
    agenda = reads.agenda(today=date.today())
    since = agenda["since"]
    st.caption(t("ag_agenda_since", date=since) if since else t("ag_agenda_first", weeks=agenda["weeks"]))
    st.subheader(t("ag_agenda_new"))
    st.markdown("\n".join(f"- {lit(x)}" for x in agenda["new"]) or t("ag_nothing"))
    st.subheader(t("ag_agenda_overdue"))
    if agenda["overdue"].empty:
        st.markdown(t("ag_nothing"))
    else:
        ui.data_table(mtg.proposal_rows(agenda["overdue"], cfg, public=meeting), meeting=meeting)
    st.subheader(t("ag_agenda_flagged"))
    flagged = mtg.flagged_places(ranked)
    st.markdown("\n".join(f"- {lit(x)}" for x in flagged) or t("ag_nothing"))
    if cfg.arshjul:  # the routine: what is overdue and what comes next
        st.subheader(t("aj_agenda_heading"))
        items = aj.agenda(reads.arshjul(year=date.today().year, today=date.today()),
                          reads.arshjul_coming(today=date.today()))
        st.markdown("\n".join(f"- {lit(x)}" for x in items["overdue"]) or t("ag_nothing"))
        if items["next"]:
            st.markdown(lit(t("aj_agenda_next", items="; ".join(items["next"]))))
    st.subheader(t("ag_export"))
    latest, measures = reads.meetings(), reads.all_measures()  # both cached: the same frames as above
    c1, c2 = st.columns(2)
    ui.download(c1, t("ag_export_xlsx"), partial(mtg.record_xlsx, latest, measures, cfg),
                file_name="analysgrupp_mote.xlsx", mime=ui.XLSX, key="ag_xlsx")
    ui.download(c2, t("ag_export_docx"), partial(mtg.record_docx, latest, measures, cfg),
                file_name="analysgrupp_mote.docx", mime=ui.DOCX, key="ag_docx")

# --- the samordnare's reminder: who has not reported -------------------------------------------------------------
with tab_reporting:
    st.subheader(t("ag_remind_heading"))
    silent, newest = reads.reporting_reminders()
    if newest is None:
        st.info(t("ag_remind_no_data"))
    else:
        week = f"{newest.isocalendar()[1]} {newest.isocalendar()[0]}"
        if silent.empty:
            st.success(t("ag_remind_all", week=week))
        else:
            st.caption(t("ag_remind_intro", week=week, n=len(silent), weeks=cfg.windows.coverage_weeks))
            ui.data_table(lagesbild.reminder_table(silent, with_email=not meeting), meeting=meeting)
            if meeting:  # no addresses on the projector
                st.caption(t("ag_remind_meeting"))
            else:
                link = lagesbild.reminder_mailto(silent, week)
                if link:
                    st.link_button(t("ag_remind_mail"), link)
                    st.caption(t("ag_remind_copy"))
                    st.code("; ".join(lagesbild.reminder_addresses(silent)), language=None)
                lacking = lagesbild.units_without_address(silent)
                if lacking:
                    st.caption(say("ag_remind_no_email", units=", ".join(lacking)))

    # Per unit and week: written in the app, imported, and imported doubles kept in quarantine.
    st.subheader(t("fb_sources_heading"))
    sources = reads.unit_sources(weeks=cfg.veckorapport.list_weeks)
    if sources.empty:
        st.info(t("fb_sources_none"))
    else:
        st.caption(t("fb_sources_caption", weeks=cfg.veckorapport.list_weeks))
        ui.data_table(feedback.unit_sources_table(sources, cfg), meeting=meeting)

    # Återkoppling: what a unit reported and what the analysgrupp decided about those places.
    st.subheader(t("fb_heading"))
    st.caption(t("fb_intro"))
    units, weeks = reads.feedback_units(), reads.feedback_weeks()
    if units and weeks:
        c1, c2 = st.columns(2)
        unit = c1.selectbox(t("fb_unit"), units, index=None, key="fb_unit", placeholder=t("choose_option"))
        week_from, week_to = c2.select_slider(t("fb_weeks"), options=weeks, value=(weeks[-4], weeks[-1]),
                                              format_func=feedback.week_label, key="fb_weeks")
        if unit is not None:  # the samordnare chooses the unit: nothing is written before
            back = reads.unit_feedback(unit=unit, week_from=week_from, week_to=week_to, public=meeting)
            if meeting:  # no addresses and no free text on the projector
                st.caption(t("fb_meeting"))
            elif back.mailto:
                st.link_button(t("fb_mail"), back.mailto)
            else:
                st.caption(say("fb_no_email", unit=unit))
            st.caption(t("fb_copy"))
            st.code(back.text, language=None)
            ui.download(st, t("fb_download"), partial(str.encode, back.text, "utf-8"), file_name=back.file_name,
                        mime="text/plain", key="fb_txt")

# --- the TSK årshjul: the routine's items this year, their state and the coming dates as a calendar file ---------
with tab_arshjul:
    today = date.today()
    if not cfg.arshjul:
        st.info(t("aj_none"))
    else:
        wheel = reads.arshjul(year=today.year, today=today)
        st.subheader(t("aj_heading", year=today.year))
        st.caption(t("aj_intro", today=fmt_date(today)))
        for sentence in aj.policy_sentences(wheel, today.year):
            st.warning(lit(sentence))
        ui.table_with_downloads(aj.wheel_table(wheel), name=f"arshjul_{today.year}", key="ag_arshjul", meeting=meeting)
        coming = reads.arshjul_coming(today=today)
        if not coming:
            st.caption(t("aj_ics_none"))
        elif not meeting:
            ui.download(st, t("aj_ics_download"), partial(aj.ics, coming, cfg), file_name="tsk_arshjul.ics",
                        mime="text/calendar", help=t("aj_ics_help"), key="ag_ics")
