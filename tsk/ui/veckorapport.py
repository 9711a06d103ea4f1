"""Page Veckorapport's form glue: the reporter's unit and week, «Inget att rapportera», the report form
(new or a change), the reporter's own list with its history, and the återkoppling.

Every write goes through tsk.ingest.veckorapport (submit, change, remove), which checks the submission
and writes it in one atomic write; a refusal is shown in Swedish (its TskError) and nothing is written
or cleared. Each form has a token in the session state, sent as the new report's id: the same form sent
twice (a double tap, a resend) is refused by the core instead of stored twice; a fresh token is made
after each save.
"""
from __future__ import annotations

import uuid
from datetime import date

import streamlit as st

from tsk.config import KommunConfig, ReportingUnit, db_path
from tsk.errors import TskError
from tsk.i18n import t
from tsk.ingest import veckorapport as core
from tsk.pagedata import veckorapport as vk
from tsk.safe_text import lit, say
from tsk.ui import gate, reads
from tsk.ui.display import data_table, show_error
from tsk.ui.forms import saved_and_rerun, show_saved_message

TOKEN_REPORT = "vk_token_report"
TOKEN_NOTHING = "vk_token_nothing"
EDITING = "vk_editing"      # report_id of the report being changed
REMOVING = "vk_removing"    # report_id of the report whose removal waits for «Ja, ta bort»
UNIT, WEEK, ORT, PLACE, OTHER, COMMENT = "vk_unit", "vk_week", "vk_ort", "vk_place", "vk_other", "vk_comment"

# Phone use (issue 17): touch targets at least 44 px high (WCAG 2.5.5), and one column on a narrow
# screen (390 px): Streamlit's columns wrap below 640 px, the form's own rows too.
PHONE_CSS = """
[data-testid="stButton"] button, [data-testid="stFormSubmitButton"] button,
[data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"],
[data-testid="stBaseButton-secondaryFormSubmit"], [data-testid="stBaseButton-primaryFormSubmit"] { min-height: 44px; }
[data-testid="stRadio"] [role="radiogroup"] label { min-height: 44px; min-width: 44px; display: flex;
  align-items: center; padding-right: 0.75rem; margin: 0; }
[data-testid="stSelectbox"] [data-baseweb="select"] > div, [data-testid="stSelectbox"] input,
[data-testid="stSelectbox"] [role="group"],
[data-testid="stTextInput"] input, [data-testid="stTextArea"] textarea { min-height: 44px; }
[data-testid="stHeader"] button, [data-testid="stExpandSidebarButton"] { min-height: 44px; min-width: 44px; }
[data-testid="stExpander"] summary { min-height: 44px; }
@media (max-width: 640px) {
  .block-container { padding-left: 1rem; padding-right: 1rem; }
  [data-testid="stHorizontalBlock"] { flex-direction: column; gap: 0.5rem; }
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] { width: 100% !important; flex: 1 1 100% !important; }
  [data-testid="stRadio"] [role="radiogroup"] { flex-wrap: wrap; row-gap: 0; column-gap: 0.25rem; }
}
"""


def today() -> date:
    """The day the page works with (tests replace this function)."""
    return date.today()


def phone_css() -> None:
    """This page's styles only (large touch targets, one column on a phone)."""
    st.html(f"<style>{PHONE_CSS}</style>")


def _token(key: str) -> str:
    if key not in st.session_state:
        st.session_state[key] = uuid.uuid4().hex
    return st.session_state[key]


def _new_token(key: str) -> None:
    st.session_state[key] = uuid.uuid4().hex


def _grade_key(category: str) -> str:
    return f"vk_grade_{category}"


def _empty_values(cfg: KommunConfig) -> dict:
    """Every field of the form with its empty value (see tsk.ui.forms.saved_and_rerun for why assigned)."""
    return {ORT: None, PLACE: t("vk_whole_ort"), OTHER: "", COMMENT: "",
            **{_grade_key(c.key): None for c in cfg.categories}}


def _empty_form(cfg: KommunConfig) -> None:
    """«Avbryt» while changing a report (a callback: before the widgets are drawn)."""
    for key, value in _empty_values(cfg).items():
        st.session_state[key] = value
    st.session_state.pop(EDITING, None)


def saved_message() -> None:
    """The «saved» line of the last write (and the form emptied after a saved report)."""
    show_saved_message()


# --- unit and week -----------------------------------------------------------------------------------------
def choose_unit(units: tuple[ReportingUnit, ...]) -> ReportingUnit:
    """A select when the user reports for more than one unit; one unit is shown as text."""
    if len(units) == 1:
        st.markdown(say("vk_unit_text", unit=units[0].name))
        return units[0]
    names = [u.name for u in units]
    name = st.selectbox(t("vk_unit"), names, key=UNIT)
    return units[names.index(name)] if name in names else units[0]


def choose_week(cfg: KommunConfig, day: date) -> tuple[int, int] | None:
    """The open weeks (this week, and last week while it is open) as a radio."""
    options = vk.week_options(day, cfg)
    if not options:
        st.info(t("vk_no_open_week"))
        return None
    if st.session_state.get(WEEK) not in options:
        st.session_state.pop(WEEK, None)
    return st.radio(t("vk_week"), list(options), format_func=options.get, key=WEEK)


# --- writes ----------------------------------------------------------------------------------------------
def _common(cfg: KommunConfig, units: tuple[ReportingUnit, ...], day: date) -> dict:
    return {"actor": gate.actor(), "allowed": units, "config": cfg, "today": day}


def nothing_button(cfg: KommunConfig, unit: ReportingUnit, week: tuple[int, int],
                   units: tuple[ReportingUnit, ...], day: date) -> None:
    """One action: the week stored as «Inget att rapportera» for the unit."""
    if not st.button(t("vk_nothing_button"), help=t("vk_nothing_help"), key="vk_nothing"):
        return
    sub = core.Submission(unit=unit.name, iso_year=week[0], iso_week=week[1], nothing=True)
    try:
        core.submit(db_path(), sub, report_id=_token(TOKEN_NOTHING), **_common(cfg, units, day))
    except TskError as e:
        show_error(e)
        return
    _new_token(TOKEN_NOTHING)
    saved_and_rerun("vk_saved_nothing", {"unit": unit.name, "week": week[1]})


def _place_fields(cfg: KommunConfig) -> tuple[str | None, str | None, str]:
    """Ort, place and «annan plats» (outside the form: the places follow the chosen ort)."""
    orter = [o.name for o in cfg.orter]
    ort = st.selectbox(t("vk_ort"), orter, index=None, key=ORT, placeholder=t("vk_choose"),
                       on_change=lambda: st.session_state.__setitem__(PLACE, t("vk_whole_ort")))
    whole, other = t("vk_whole_ort"), t("vk_other_place")
    choices = [whole, *(p.name for p in cfg.platser if p.ort == ort), other]
    if st.session_state.get(PLACE) not in choices:
        st.session_state.pop(PLACE, None)
    choice = st.selectbox(t("vk_place"), choices, key=PLACE)
    if choice == other:
        typed = st.text_input(t("vk_other_place"), key=OTHER, help=t("vk_other_place_help"))
        return ort, None, typed
    return ort, (None if choice == whole else choice), ""


def report_form(cfg: KommunConfig, unit: ReportingUnit, week: tuple[int, int], units: tuple[ReportingUnit, ...],
                day: date, editing: vk.OwnReport | None = None) -> None:
    """The report: ort and place, a grade per EST category (none chosen beforehand), a comment."""
    ort, place, other = _place_fields(cfg)
    with st.form("vk_form", border=True):
        st.markdown(t("vk_grades_heading"))
        # A radio cannot be unselected: when changing a report, «Ingen bedömning» takes a grade away.
        options = list(cfg.grades) + ([None] if editing else [])
        grades = {c.key: st.radio(c.label, options, index=None, horizontal=True,
                                  format_func=lambda g: t("vk_no_grade") if g is None else cfg.grades[g],
                                  key=_grade_key(c.key))
                  for c in cfg.categories}
        # No max_chars: Streamlit cuts a longer value to max_chars on the server without a word (its
        # TextAreaSerde), so a pasted or crafted overlong comment would be stored cut. The core refuses
        # it whole, with its length, and the form keeps the text to shorten.
        limit = cfg.veckorapport.max_comment_chars
        st.caption(t("vk_comment_reminder") + " " + t("vk_comment_limit", limit=limit))
        comment = st.text_area(t("vk_comment"), key=COMMENT, help=t("vk_comment_limit", limit=limit))
        label = t("vk_save_change") if editing else t("vk_submit")
        submitted = st.form_submit_button(label, type="primary", key="vk_submit")
    if editing:
        st.button(t("vk_cancel"), key="vk_cancel_edit", on_click=_empty_form, args=(cfg,))
    if not submitted:
        return
    sub = core.Submission(unit=unit.name, iso_year=week[0], iso_week=week[1], ort=ort, place=place,
                          other_place=other or "", grades={k: v for k, v in grades.items() if v is not None},
                          comment=comment or "")
    try:
        if editing:
            core.change(db_path(), editing.report_id, sub, **_common(cfg, units, day))
        else:
            core.submit(db_path(), sub, report_id=_token(TOKEN_REPORT), **_common(cfg, units, day))
    except TskError as e:
        show_error(e)
        return
    _new_token(TOKEN_REPORT)
    where = place or other.strip() or t("vk_whole_ort")
    saved_and_rerun("vk_changed" if editing else "vk_saved", {"where": f"{ort} / {where}", "week": week[1]},
                    _empty_values(cfg), drop=(EDITING,))


def _clear(keys: tuple[str, ...]) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def _start_edit(report: vk.OwnReport, cfg: KommunConfig) -> None:
    """«Ändra»: the form starts from the report's current version (a callback: before the form is drawn)."""
    c = report.content
    state = st.session_state
    state[EDITING] = report.report_id
    state[ORT] = c.get("ort")
    state[PLACE] = c.get("place") or (t("vk_other_place") if c.get("place_text") else t("vk_whole_ort"))
    state[OTHER] = "" if c.get("place") else (c.get("place_text") or "")
    grades = c.get("grades") or {}
    for cat in cfg.categories:
        state[_grade_key(cat.key)] = grades.get(cat.key)
    state[COMMENT] = c.get("comment") or ""
    state.pop(REMOVING, None)


def editing_report(rows: list[vk.OwnReport]) -> vk.OwnReport | None:
    """The report being changed, if it can still be (else the edit is dropped)."""
    report_id = st.session_state.get(EDITING)
    report = next((r for r in rows if r.report_id == report_id and r.editable and not r.nothing), None)
    if report_id and report is None:
        st.session_state.pop(EDITING, None)
    return report


def _remove(cfg: KommunConfig, report: vk.OwnReport, units: tuple[ReportingUnit, ...], day: date) -> None:
    try:
        core.remove(db_path(), report.report_id, **_common(cfg, units, day))
    except TskError as e:
        show_error(e)
        return
    saved_and_rerun("vk_removed", {"week": report.week}, drop=(REMOVING, EDITING))


# --- the reporter's own list -----------------------------------------------------------------------------------
def own_list(cfg: KommunConfig, rows: list[vk.OwnReport], units: tuple[ReportingUnit, ...], day: date) -> None:
    """«Dina rapporter»: one card per submission; open ones can be changed or removed; history below."""
    st.subheader(t("vk_own_heading"))
    weeks = cfg.veckorapport.list_weeks
    st.caption(t("vk_own_caption", weeks=weeks, days=cfg.veckorapport.close_after_days))
    if not rows:
        st.info(t("vk_own_empty", weeks=weeks))
        return
    for r in rows:
        with st.container(border=True):
            where = f"{r.unit}: {r.where}" if len(units) > 1 else r.where
            st.markdown(say("vk_card", week=r.week, where=where, status=r.status))
            if r.grades:
                st.markdown(lit(r.grades))
            st.caption(say("vk_card_details", changed=r.changed, versions=str(r.versions)))
            if r.editable:
                _actions(cfg, r, units, day)
            elif not r.removed:
                st.caption(t("vk_closed"))
            with st.expander(say("vk_history", week=r.week, where=r.where)):
                data_table(vk.history_table(reads.app_report_history(report_id=r.report_id), cfg), meeting=False,
                           widths={t("vk_col_what"): 420})


def _actions(cfg: KommunConfig, r: vk.OwnReport, units: tuple[ReportingUnit, ...], day: date) -> None:
    c1, c2 = st.columns(2)
    if not r.nothing:
        c1.button(t("vk_edit"), key=f"vk_edit_{r.report_id}", on_click=_start_edit, args=(r, cfg))
    c2.button(t("vk_remove"), key=f"vk_remove_{r.report_id}",
              on_click=lambda: st.session_state.__setitem__(REMOVING, r.report_id))
    if st.session_state.get(REMOVING) != r.report_id:
        return
    st.warning(say("vk_remove_confirm", week=r.week, where=r.where))
    y, n = st.columns(2)
    if y.button(t("vk_remove_yes"), key=f"vk_remove_yes_{r.report_id}", type="primary"):
        _remove(cfg, r, units, day)
    n.button(t("vk_cancel"), key=f"vk_remove_no_{r.report_id}", on_click=_clear, args=((REMOVING,),))


# --- återkoppling ----------------------------------------------------------------------------------------------
def feedback(cfg: KommunConfig, units: tuple[ReportingUnit, ...], day: date) -> None:
    """What was proposed and decided about the places the units reported on, in the app or otherwise."""
    st.subheader(t("vk_feedback_heading"))
    st.caption(t("vk_feedback_caption", weeks=cfg.veckorapport.list_weeks))
    week_from, week_to = vk.feedback_period(day, cfg)
    reports = reads.units_reports(units=tuple(u.name for u in units), week_from=week_from, week_to=week_to)
    table = vk.feedback_table(reads.all_measures(), reports)
    if table.empty:
        st.info(t("vk_feedback_empty"))
        return
    data_table(table, meeting=False, widths={t("vk_col_proposal"): 360})
