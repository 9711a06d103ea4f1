"""The two light registers' sections and forms (issue 18): Träffpunkt's dialogue steps 2–4 on the
Träffpunkt page, the Samhällskris robustness meetings on the Trygghetsvandring page.

Each form checks through tsk.registers.dialog before anything is written and writes through
tsk.ui.forms.write (one transaction on a copy that replaces the file: all or nothing). Free text is
redacted before storage and never shown in Mötesläge or to a reader (tsk.pagedata.dialog `public`).
"""
from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from tsk.i18n import t
from tsk.pagedata import dialog as pd_dialog
from tsk.pagedata.common import category_labels
from tsk.registers import dialog
from tsk.registers.statuses import MEASURE_PROPOSED
from tsk.safe_text import say
from tsk.store.dialog import KRIS_TABLE, STEPS_TABLE
from tsk.ui import gate, reads
from tsk.ui.display import XLSX, data_table, download, refused
from tsk.ui.forms import saved_and_rerun, show_saved_message, write


def _actor() -> str | None:
    """Who writes: the signed-in address, when login is configured."""
    user = gate.current_user() if gate.auth_configured() else None
    return (user or {}).get("email")


def _public(role: str, meeting: bool) -> bool:
    return meeting or not gate.may(role, "see_comments")


# --- Träffpunkt page ------------------------------------------------------------------------------------

def traffpunkt_section(cfg, sel, role: str) -> None:
    """«Dialog efter enkäten (steg 2–4)»: the steps held per area and round, their follow-ups, the need for
    a walk per ort, the XLSX of both registers and, for an admin outside Mötesläge, the form."""
    meeting, public = sel.meeting, _public(role, sel.meeting)
    st.header(t("dl_heading"))
    st.caption(t("dl_intro"))
    show_saved_message()
    steps = reads.traffpunkt_steps()
    table = pd_dialog.steps_table(steps, cfg, areas=sel.areas, public=public)
    if table.empty:
        st.info(t("dl_none"))
    else:
        data_table(table, meeting=meeting)
        shown = steps[steps["area"].isin(list(sel.areas))]
        followups = pd_dialog.followups_table(reads.dialog_followups(origin=dialog.TRAFFPUNKT_ORIGIN), shown,
                                              where="area", public=public)
        if not followups.empty:
            st.subheader(t("dl_followups_heading"))
            data_table(followups, meeting=meeting)
    st.subheader(t("dl_need_heading"))
    need = pd_dialog.walk_need_table(steps[steps["area"].isin(list(sel.areas))] if not steps.empty else steps, cfg)
    if need.empty:
        st.info(t("dl_need_none"))
    else:
        data_table(need, meeting=meeting)
        st.caption(t("dl_need_caption"))
    _download(cfg, public, key="dl_xlsx")
    if not meeting and gate.may(role, "edit_registers"):
        st.subheader(t("dl_form_heading"))
        step_form(cfg)


def step_form(cfg) -> None:
    """Register a step meeting, or change or remove one: area, round, step, date, participants by kind,
    the questions raised, the follow-ups (as measures with origin traffpunkt) and notes. A change keeps
    the record's id and its follow-ups' ids (their status history goes on); every write is in its history."""
    s = dialog.settings(cfg)
    steps = reads.traffpunkt_steps()
    picked = _pick(pd_dialog.step_choices(steps), key="dl_pick")
    old = dialog.step_of(steps.set_index("dialog_id", drop=False).loc[picked]) if picked else None
    sfx = f"_e{picked}" if picked else ""  # a changed record's fields: their own keys, started from it
    areas = [a.name for a in cfg.areas if a.kind == "traffpunkt"]
    area = st.selectbox(t("col_area"), areas, key=f"dl_area{sfx}", placeholder=t("choose_option"),
                        index=areas.index(old.area) if old and old.area in areas else 0)
    where = [o.name for o in cfg.orter if o.area == area]
    where += [f"{p.ort}/{p.name}" for p in cfg.platser if p.ort in where]
    labels = category_labels(cfg)
    with st.form(f"dl_form{sfx}"):
        c1, c2, c3 = st.columns(3)
        round_ = c1.text_input(t("dl_form_round"), value=old.round if old else str(date.today().year), key=f"dl_round{sfx}")
        step = c2.selectbox(t("dl_col_step"), list(dialog.STEPS), format_func=lambda n: t(f"dl_step_{n}"), key=f"dl_step{sfx}",
                            index=list(dialog.STEPS).index(old.step) if old else 0)
        when = c3.date_input(t("col_date"), value=old.meeting_date if old else date.today(), format="YYYY-MM-DD",
                             help=t("date_help"), key=f"dl_date{sfx}")
        participants = _participant_inputs(f"dl_kind{sfx}", pd_dialog.step_labels(), s.step_max,
                                           old.participants if old else {})
        st.markdown(t("dl_form_questions"))
        asked_before = [(labels.get(q.category, q.category), q.ort + (f"/{q.place}" if q.place else ""))
                        for q in (old.questions if old else ())]
        questions = st.data_editor(
            pd.DataFrame({"kategori": pd.Series([a for a, _ in asked_before], dtype="string"),
                          "plats": pd.Series([w for _, w in asked_before], dtype="string")}),
            num_rows="dynamic", key=_editor_key(f"dl_questions{sfx}"), width="stretch",
            column_config={"kategori": st.column_config.SelectboxColumn(t("col_category"), options=list(labels.values()),
                                                                        required=True),
                           "plats": st.column_config.SelectboxColumn(t("dl_form_where"), options=where, required=True)})
        st.markdown(t("dl_form_followups"))
        followups = _followups_editor(cfg, _editor_key(f"dl_followups{sfx}"), _followups_before(dialog.TRAFFPUNKT_ORIGIN, picked))
        notes = st.text_area(t("dl_form_notes"), value=(old.notes or "") if old else "", key=f"dl_notes{sfx}",
                             help=t("vf_notes_help"))
        submitted = st.form_submit_button(t("dl_form_save"), type="primary", key=f"dl_save{sfx}")
    if picked:
        _remove_and_history(STEPS_TABLE, picked, old.meeting_date, sfx)
    if not submitted:
        return
    key_of = {label: key for key, label in labels.items()}
    asked = tuple(dialog.Question(key_of.get(_text(r["kategori"]), _text(r["kategori"])), *_ort_place(_text(r["plats"])))
                  for r in questions.to_dict("records"))
    record = dialog.Step(area=area, round=round_.strip(), step=int(step), meeting_date=when,
                         participants=participants, questions=asked, notes=notes or None, dialog_id=picked or None)
    follow = _followups_from(cfg, followups)
    if refused(dialog.check_step, record, follow, cfg):
        return
    ort = asked[0].ort if asked else ""
    write(lambda store: store.save_traffpunkt_step(dialog.step_row(record), dialog.followup_rows(follow, area=area, ort=ort),
                                                   actor=_actor()))
    _saved(picked, "dl_pick", "dl_saved", {"area": area, "step": t(f"dl_step_{step}"), "date": when},
           {"dl_round": str(date.today().year), "dl_step": next(iter(dialog.STEPS)), "dl_date": date.today(),
            "dl_notes": "", **{f"dl_kind_{k}": 0 for k in dialog.STEP_KINDS}})


# --- Samhällskris (Trygghetsvandring page) ----------------------------------------------------------------

def samhallskris_section(cfg, role: str, meeting: bool) -> None:
    """The robustness meetings listed per ort, the handlingsplan's link and, for an admin, the form."""
    public = _public(role, meeting)
    st.header(t("sk_heading"))
    st.caption(t("sk_intro"))
    link = pd_dialog.handlingsplan(cfg)
    if link:
        st.markdown(say("sk_handlingsplan", link=link))  # the text as configured, shown literally
        if link.startswith(("https://", "http://")):
            st.link_button(t("sk_handlingsplan_open"), link)
    else:
        st.info(t("sk_handlingsplan_missing"))
    meetings = reads.samhallskris_meetings()
    data_table(pd_dialog.kris_per_ort(meetings, cfg), meeting=meeting)
    if meetings.empty:
        st.info(t("sk_none"))
    else:
        data_table(pd_dialog.kris_table(meetings, cfg, public=public), meeting=meeting)
        followups = pd_dialog.followups_table(reads.dialog_followups(origin=dialog.SAMHALLSKRIS_ORIGIN), meetings,
                                              where="ort", public=public)
        if not followups.empty:
            data_table(followups, meeting=meeting)
    _download(cfg, public, key="sk_xlsx")
    if not meeting and gate.may(role, "edit_registers"):
        with st.expander(t("sk_form_heading"), expanded=False):
            kris_form(cfg)


def kris_form(cfg) -> None:
    """Register a robustness meeting, or change or remove one: ort, date, participants by kind, topics,
    follow-ups, notes."""
    s = dialog.settings(cfg)
    meetings = reads.samhallskris_meetings()
    picked = _pick(pd_dialog.kris_choices(meetings), key="sk_pick")
    old = dialog.kris_of(meetings.set_index("dialog_id", drop=False).loc[picked]) if picked else None
    sfx = f"_e{picked}" if picked else ""
    orter = [o.name for o in cfg.orter]
    with st.form(f"sk_form{sfx}"):
        c1, c2 = st.columns(2)
        ort = c1.selectbox(t("col_ort"), orter, key=f"sk_ort{sfx}", placeholder=t("choose_option"),
                           index=orter.index(old.ort) if old and old.ort in orter else 0)
        when = c2.date_input(t("col_date"), value=old.meeting_date if old else date.today(), format="YYYY-MM-DD",
                             help=t("date_help"), key=f"sk_date{sfx}")
        participants = _participant_inputs(f"sk_kind{sfx}", s.kris_kinds, s.kris_max, old.participants if old else {})
        topics = st.text_area(t("sk_form_topics"), value="\n".join(old.topics) if old else "", key=f"sk_topics{sfx}",
                              help=t("vf_notes_help"))
        st.markdown(t("dl_form_followups"))
        followups = _followups_editor(cfg, _editor_key(f"sk_followups{sfx}"), _followups_before(dialog.SAMHALLSKRIS_ORIGIN, picked))
        notes = st.text_area(t("dl_form_notes"), value=(old.notes or "") if old else "", key=f"sk_notes{sfx}",
                             help=t("vf_notes_help"))
        submitted = st.form_submit_button(t("sk_form_save"), type="primary", key=f"sk_save{sfx}")
    if picked:
        _remove_and_history(KRIS_TABLE, picked, old.meeting_date, sfx)
    if not submitted:
        return
    record = dialog.KrisMeeting(ort=ort, meeting_date=when, participants=participants,
                                topics=tuple(line.strip() for line in (topics or "").splitlines() if line.strip()),
                                notes=notes or None, dialog_id=picked or None)
    follow = _followups_from(cfg, followups)
    if refused(dialog.check_kris_meeting, record, follow, cfg):
        return
    area = next((o.area for o in cfg.orter if o.name == ort), None)
    write(lambda store: store.save_samhallskris_meeting(dialog.kris_row(record),
                                                        dialog.followup_rows(follow, area=area, ort=ort), actor=_actor()))
    _saved(picked, "sk_pick", "sk_saved", {"ort": ort, "date": when},
           {"sk_ort": cfg.orter[0].name if cfg.orter else None, "sk_date": date.today(), "sk_topics": "",
            "sk_notes": "", **{f"sk_kind_{k}": 0 for k in s.kris_kinds}})


# --- changing a registered record ------------------------------------------------------------------------
NEW = 0  # the choice «Registrera ett nytt» (dialog ids start at 1)


def _pick(choices: dict[int, str], *, key: str) -> int:
    """«Registrera ett nytt» or a registered record to change: its dialog_id, NEW for a new one."""
    return st.selectbox(t("dl_pick"), [NEW, *choices], key=key,
                        format_func=lambda i: t("dl_pick_new") if i == NEW else choices[i])


def _saved(picked: int, pick_key: str, message: str, params: dict, empty_new: dict) -> None:
    """After a write: a change says so and goes back to «Registrera ett nytt»; a new record is named and
    the new-record form is emptied. Either way the data editors start empty."""
    if picked:
        saved_and_rerun("dl_changed", {}, {pick_key: NEW}, drop=_new_editors())  # st.rerun: the run ends here
    saved_and_rerun(message, params, empty_new, drop=_new_editors())


def _followups_before(origin: str, picked: int) -> list[dialog.FollowUp]:
    if not picked:
        return []
    rows = reads.dialog_followups(origin=origin)
    return dialog.followups_of(rows[rows["dialog_id"] == picked].to_dict("records"))


def _remove_and_history(table: str, dialog_id: int, meeting_date: date, sfx: str) -> None:
    """Under a record opened for a change: «Ta bort» (after a confirming tick) and its history."""
    c1, c2 = st.columns([3, 1])
    sure = c1.checkbox(t("dl_delete_confirm"), key=f"{table}_del_ok{sfx}")
    if c2.button(t("dl_delete"), key=f"{table}_del{sfx}"):
        if not sure:
            st.warning(t("dl_delete_needs_confirm"))
        else:
            write(lambda store: store.delete_dialog(table, dialog_id, actor=_actor()))
            saved_and_rerun("dl_deleted", {"date": meeting_date},
                            {"dl_pick" if table == STEPS_TABLE else "sk_pick": NEW}, drop=_new_editors())
    # Not an expander: the Samhällskris form is inside one already, and expanders do not nest.
    st.markdown(f"**{t('dl_history')}**")
    data_table(pd_dialog.history_table(reads.dialog_history(table=table, dialog_id=dialog_id)), meeting=False)


# --- the data editors' keys -------------------------------------------------------------------------------
EDITORS = "dl_editor_generation"  # part of the data editors' keys: a new number gives empty editors


def _editor_key(name: str) -> str:
    return f"{name}_{st.session_state.get(EDITORS, 0)}"


def _new_editors() -> tuple[str, ...]:
    """After a save: the data editors get new keys, so the browser draws them empty (a data editor's
    state cannot be assigned, and a deleted key leaves the browser showing its rows). Returns the old
    keys, for saved_and_rerun to forget."""
    old = st.session_state.get(EDITORS, 0)
    st.session_state[EDITORS] = old + 1
    return tuple(key for key in st.session_state
                 if str(key).startswith(("dl_questions", "dl_followups", "sk_followups")) and str(key).endswith(f"_{old}"))


# --- shared parts -----------------------------------------------------------------------------------------

def _download(cfg, public: bool, *, key: str) -> None:
    """Both registers as XLSX, built on click from the frames read in this run (public: no free text)."""
    frames = (reads.traffpunkt_steps(), reads.dialog_followups(origin=dialog.TRAFFPUNKT_ORIGIN),
              reads.samhallskris_meetings(), reads.dialog_followups(origin=dialog.SAMHALLSKRIS_ORIGIN))
    download(st, t("dl_download"), partial(pd_dialog.registers_xlsx, *frames, cfg, public=public),
             file_name="dialog_och_samhallskris.xlsx", mime=XLSX, key=key)


def _participant_inputs(prefix: str, labels: dict[str, str], most: int, before: dict) -> dict[str, int]:
    st.markdown(t("dl_form_participants", max=most))
    cols = st.columns(min(len(labels), 6) or 1)
    return {kind: int(cols[i % len(cols)].number_input(label, min_value=0, max_value=most,
                                                       value=min(int(before.get(kind, 0)), most), step=1,
                                                       key=f"{prefix}_{kind}"))
            for i, (kind, label) in enumerate(labels.items())}


def _followups_editor(cfg, key: str, before: list[dialog.FollowUp]) -> pd.DataFrame:
    """The follow-ups as an editable table, started from `before`; the measure id rides along hidden, so a
    follow-up kept keeps its id (and status history) and one deleted here is removed from the register."""
    v = cfg.vandring
    return st.data_editor(
        pd.DataFrame({"beskrivning": pd.Series([f.description for f in before], dtype="string"),
                      "ansvarig": pd.Series([f.owner for f in before], dtype="string"),
                      "beslutsvag": pd.Series([f.decision_path for f in before], dtype="string"),
                      "status": pd.Series([f.status for f in before], dtype="string"),
                      "klart_senast": pd.Series([f.due_date for f in before], dtype="datetime64[ns]"),
                      "measure_id": pd.Series([f.measure_id for f in before], dtype="Int64")}),
        num_rows="dynamic", key=key, width="stretch",
        column_config={
            "beskrivning": st.column_config.TextColumn(t("dl_col_followup"), required=True),
            "ansvarig": st.column_config.SelectboxColumn(t("vr_col_owner"), options=list(v.owners)),
            "beslutsvag": st.column_config.SelectboxColumn(t("vr_col_path"), options=list(v.decision_paths)),
            "status": st.column_config.SelectboxColumn(t("col_status"), options=list(v.statuses)),
            "klart_senast": st.column_config.DateColumn(t("vr_col_due"), format="YYYY-MM-DD"),
            "measure_id": None})


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _ort_place(where: str) -> tuple[str, str | None]:
    ort, _, place = where.partition("/")
    return ort, place or None


def _followups_from(cfg, frame: pd.DataFrame) -> list[dialog.FollowUp]:
    """The follow-ups typed in the editor; a row without status is «föreslagen», without decision path
    the configuration's first."""
    v = cfg.vandring
    return [dialog.FollowUp(description=_text(r["beskrivning"]), owner=_text(r["ansvarig"]),
                            status=_text(r["status"]) or MEASURE_PROPOSED,
                            decision_path=_text(r["beslutsvag"]) or v.decision_paths[0],
                            due_date=None if pd.isna(r["klart_senast"]) else pd.Timestamp(r["klart_senast"]).date(),
                            measure_id=None if pd.isna(r.get("measure_id")) else int(r["measure_id"]))
            for r in frame.to_dict("records")]
