"""The writing side of the UI: the register forms (walks, measures, meetings, proposals).

Each form validates through the core (tsk.registers, tsk.pagedata.meeting) before anything is written, and writes
through `write`, one short transaction on a copy of the database that replaces the file
(tsk.store.backup.atomic_write), so readers never see half a change. The Data page's uploads and reviews are
in tsk/ui/review.py.
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from tsk.config import db_path, load_config
from tsk.i18n import t
from tsk.pagedata import common
from tsk.pagedata import meeting as mtg
from tsk.registers import measures as measures_rules
from tsk.registers import validation, walks
from tsk.registers.statuses import WALK_STATUSES
from tsk.safe_text import lit, say
from tsk.store import open_store
from tsk.store.backup import atomic_write
from tsk.text import redact
from tsk.ui import reads
from tsk.ui.display import refused


def write(fn):
    """Run `fn(store)` against a writable store (one short transaction; the cache refreshes itself,
    since it is keyed on the database file's modification time)."""

    with atomic_write(db_path()) as work, open_store(work, config=load_config()) as store:
        return fn(store)


FLASH_KEY = "_tsk_saved_message"
EMPTY_KEY = "_tsk_empty_form"  # the form's fields and their empty values, set by show_saved_message


def saved_and_rerun(message_key: str, params: dict, empty: dict | None = None, drop: tuple[str, ...] = ()) -> None:
    """After a register write: rerun so that every list on the page reads the new database (the lists
    above the form were drawn before the write), say «saved» once there, and give the form's fields
    (`empty`: key -> empty value) their empty values. The values are assigned at the start of the next
    run (show_saved_message, before the widgets): a key deleted from the session state leaves the
    browser showing — and sending back — what was typed; an assigned value is sent to the browser.
    `drop`: other state (not widgets) to forget."""
    st.session_state[FLASH_KEY] = (message_key, params)
    st.session_state[EMPTY_KEY] = dict(empty or {})
    for key in drop:
        st.session_state.pop(key, None)
    st.rerun()


def show_saved_message() -> None:
    """The «saved» line left by `saved_and_rerun`, shown once (its values escaped by say)."""

    for key, value in st.session_state.pop(EMPTY_KEY, {}).items():
        st.session_state[key] = value
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(say(flash[0], **flash[1]))


def walk_form(cfg, existing: tuple | None = None) -> None:
    """Plan or record a walk: the walk, what was seen per place, and the measures. Validated by
    tsk.registers.validation before anything is written; free text is redacted before storage.

    `existing` = (walk, observations, measures) from the register: the form starts from them and saving
    replaces that walk (same walk_id; measures keep their ids, so their status history goes on)."""

    old_walk, old_obs, old_measures = existing if existing else (None, [], [])
    prefix = "vf" if old_walk is None else f"ve{old_walk.walk_id}"
    if old_walk is None:
        ort = st.selectbox(t("col_ort"), [o.name for o in cfg.orter], key="vf_ort", placeholder=t("choose_option"))
    else:
        ort = old_walk.ort
        st.markdown(f"**{t('col_ort')}:** {lit(ort)}")
    places = [p.name for p in cfg.platser if p.ort == ort]
    with st.form(f"{prefix}_form"):
        fields = _walk_fields(cfg, old_walk, prefix, places)
        st.markdown(t("vf_observations"))
        obs_frame = _observations_editor(cfg, old_obs, prefix, places)
        st.markdown(t("vf_measures"))
        measure_frame = _measures_editor(cfg, old_measures, prefix, places)
        submitted = st.form_submit_button(t("vf_save"), type="primary", key=f"{prefix}_save")
    if not submitted:
        return
    walk, observations, measures = _walk_from_form(cfg, ort, old_walk, fields, obs_frame, measure_frame)
    if refused(validation.validate, walk, observations, measures, cfg):
        return
    walk, observations, measures = walks.redact_all(walk, observations, measures)
    write(lambda store: store.save_walk(*walks.to_store_rows(walk, observations, measures)))
    st.success(t("vf_saved", ort=ort, date=fields["walk_date"]))


def _walk_fields(cfg, old_walk, prefix: str, places: list[str]) -> dict:
    """The walk's own fields (inside the form): date, status, route, participants, follow-up and notes."""


    v = cfg.vandring
    c1, c2 = st.columns(2)
    walk_date = c1.date_input(t("col_date"), value=old_walk.walk_date if old_walk else date.today(),
                              format="YYYY-MM-DD", help=t("date_help"), key=f"{prefix}_date")
    statuses = list(WALK_STATUSES)
    status = c2.selectbox(t("col_status"), statuses, key=f"{prefix}_status",
                          index=statuses.index(old_walk.status) if old_walk and old_walk.status in statuses else 0, placeholder=t("choose_option"))
    route = st.multiselect(t("vr_route"), places, key=f"{prefix}_route",
                           placeholder=t("choose_options"), select_all=False, default=[r for r in (old_walk.route if old_walk else []) if r in places])
    st.markdown(t("vf_participants", max=v.max_participants))
    cols = st.columns(len(v.roles) or 1)
    before = old_walk.participants if old_walk else {}
    participants = {role: cols[i].number_input(label, min_value=0, max_value=99, value=int(before.get(role, 0)),
                                               step=1, key=f"{prefix}_role_{role}")
                    for i, (role, label) in enumerate(v.roles.items())}
    c3, c4 = st.columns(2)
    followup = c3.date_input(t("vf_followup"), value=old_walk.followup_date if old_walk else None,
                             format="YYYY-MM-DD", help=t("date_help"), key=f"{prefix}_followup")
    notes = c4.text_area(t("vf_notes"), value=(old_walk.followup_notes or "") if old_walk else "",
                         key=f"{prefix}_notes", help=t("vf_notes_help"))
    return {"walk_date": walk_date, "status": status, "route": route, "participants": participants,
            "followup": followup, "notes": notes}


def _observations_editor(cfg, old_obs, prefix: str, places: list[str]) -> pd.DataFrame:
    """What was seen per place: a row per observation, a checkbox per cause of the checklist."""
    checklist = list(cfg.vandring.checklist)
    return st.data_editor(
        pd.DataFrame({"plats": pd.Series([o.place for o in old_obs], dtype="string"),
                      "problem": pd.Series([o.problem for o in old_obs], dtype="string"),
                      **{c.key: pd.Series([c.key in o.causes for o in old_obs], dtype="bool") for c in checklist}}),
        num_rows="dynamic", key=f"{prefix}_obs", width="stretch",
        column_config={"plats": st.column_config.SelectboxColumn(t("col_plats"), options=places),
                       "problem": st.column_config.TextColumn(t("vr_col_problem"), required=True),
                       **{c.key: st.column_config.CheckboxColumn(c.label) for c in checklist}})


def _measures_editor(cfg, old_measures, prefix: str, places: list[str]) -> pd.DataFrame:
    """The walk's measures: a row per measure, its store id kept out of sight (it keeps the history)."""
    v = cfg.vandring
    return st.data_editor(
        pd.DataFrame({"plats": pd.Series([m.place for m in old_measures], dtype="string"),
                      "beskrivning": pd.Series([m.description for m in old_measures], dtype="string"),
                      "ansvarig": pd.Series([m.owner for m in old_measures], dtype="string"),
                      "beslutsvag": pd.Series([m.decision_path for m in old_measures], dtype="string"),
                      "klart_senast": pd.Series(pd.to_datetime([m.due_date for m in old_measures]),
                                                dtype="datetime64[ns]"),
                      "status": pd.Series([m.status for m in old_measures], dtype="string"),
                      "klart_datum": pd.Series(pd.to_datetime([m.completed_date for m in old_measures]),
                                               dtype="datetime64[ns]"),
                      "id": pd.Series([m.measure_id for m in old_measures], dtype="Int64")}),
        num_rows="dynamic", key=f"{prefix}_measures", width="stretch",
        column_config={
            "plats": st.column_config.SelectboxColumn(t("col_plats"), options=places),
            "beskrivning": st.column_config.TextColumn(t("vr_col_measure"), required=True),
            "ansvarig": st.column_config.SelectboxColumn(t("vr_col_owner"), options=list(v.owners), required=True),
            "beslutsvag": st.column_config.SelectboxColumn(t("vr_col_path"), options=list(v.decision_paths),
                                                           required=True),
            "klart_senast": st.column_config.DateColumn(t("vr_col_due"), format="YYYY-MM-DD"),
            "status": st.column_config.SelectboxColumn(t("col_status"), options=list(v.statuses), required=True),
            "klart_datum": st.column_config.DateColumn(t("vr_col_completed"), format="YYYY-MM-DD"),
            "id": None,  # the store's measure id: kept out of sight, keeps a measure's history
        })


def _walk_from_form(cfg, ort: str, old_walk, fields: dict, obs_frame: pd.DataFrame,
                    measure_frame: pd.DataFrame) -> tuple:
    """(walk, observations, measures) as tsk.registers.walks has them, from the submitted form."""

    def day(value):
        return None if value is None or pd.isna(value) else pd.Timestamp(value).date()

    def text(value) -> str:
        return "" if value is None or pd.isna(value) else str(value)

    checklist = list(cfg.vandring.checklist)
    area = next(o.area for o in cfg.orter if o.name == ort)
    walk = walks.Walk(ort=ort, area=area, walk_date=fields["walk_date"], status=fields["status"],
                      route=list(fields["route"]),
                      participants={k: int(n) for k, n in fields["participants"].items() if n},
                      followup_date=fields["followup"], followup_notes=fields["notes"] or None,
                      walk_id=old_walk.walk_id if old_walk else None,
                      import_id=old_walk.import_id if old_walk else None)
    observations = [
        walks.Observation(i + 1, None if pd.isna(r["plats"]) else r["plats"], text(r["problem"]),
                          [c.key for c in checklist if not pd.isna(r.get(c.key)) and bool(r.get(c.key))])
        for i, r in enumerate(obs_frame.to_dict("records"))]
    measures = [
        walks.Measure(ort=ort, place=None if pd.isna(r["plats"]) else r["plats"], description=text(r["beskrivning"]),
                      owner=text(r["ansvarig"]), decision_path=text(r["beslutsvag"]), due_date=day(r["klart_senast"]),
                      status=text(r["status"]), completed_date=day(r["klart_datum"]),
                      measure_id=None if pd.isna(r.get("id")) else int(r["id"]))
        for r in measure_frame.to_dict("records")]
    return walk, observations, measures


def measure_status_form(cfg, walk_id: int) -> None:
    """Update one measure of a walk: its status and, when done, the date it was completed."""


    found = reads.walk(walk_id=int(walk_id))
    if found is None:
        return
    walk, observations, measures = walks.from_store_rows(*found)
    if not measures:
        return
    v = cfg.vandring
    with st.form(f"measure_form_{walk_id}"):
        index = st.selectbox(t("vr_col_measure"), range(len(measures)), format_func=lambda i: measures[i].description,
                             key=f"mf_measure_{walk_id}", placeholder=t("choose_option"))
        status = st.selectbox(t("col_status"), list(v.statuses), key=f"mf_status_{walk_id}", placeholder=t("choose_option"))
        completed = st.date_input(t("vr_col_completed"), value=None, format="YYYY-MM-DD", help=t("date_help"),
                                  key=f"mf_done_{walk_id}")
        submitted = st.form_submit_button(t("mf_save"))
    if not submitted:
        return
    changed = replace(measures[index], status=status,
                       completed_date=measures_rules.completed_date_for(status, completed))
    updated = [changed if i == index else m for i, m in enumerate(measures)]
    if refused(validation.validate, walk, observations, updated, cfg, today=date.today()):
        return
    write(lambda store: store.save_walk(*walks.to_store_rows(walk, observations, updated)))
    st.success(say("mf_saved", measure=changed.description, status=status))


def meeting_form(cfg, sel, ranked) -> None:
    """Record a meeting: date, participating organisations (roles), notes (redacted) and a frozen snapshot
    of the figures for the selected period."""


    with st.form("meeting_form"):
        when = st.date_input(t("col_date"), value=date.today(), format="YYYY-MM-DD", help=t("date_help"),
                             key="mt_date")
        orgs = st.multiselect(t("ag_meeting_orgs"), [o.name for o in cfg.organisations],
                              default=[o.name for o in cfg.organisations], key="mt_orgs",
                              placeholder=t("choose_options"), select_all=False)
        notes = st.text_area(t("ag_meeting_notes"), key="mt_notes", help=t("vf_notes_help"))
        submitted = st.form_submit_button(t("ag_meeting_save"), type="primary")
    if not submitted:
        return
    if refused(measures_rules.check_meeting, orgs):
        return

    def save(store):
        snap = mtg.snapshot(store, cfg, areas=sel.areas, orgs=sel.organisations, week_from=sel.week_start_from,
                            week_to=sel.week_start_to, candidates=ranked)
        return store.save_meeting({"meeting_date": when, "period_from": sel.week_start_from,
                                   "period_to": sel.week_start_to, "organisations": json.dumps(orgs, ensure_ascii=False),
                                   "notes": redact(notes) or None, "snapshot": json.dumps(snap, ensure_ascii=False)})

    write(save)
    saved_and_rerun("ag_meeting_saved", {"date": when},
                    {"mt_date": date.today(), "mt_orgs": [o.name for o in cfg.organisations], "mt_notes": ""})


def proposal_form(cfg, sel) -> None:
    """A new proposal from the åtgärdsanalys (or from Träffpunkt dialogue), with the evidence it rests on."""


    v = cfg.vandring
    changes = reads.since_last_meeting(areas=sel.areas, orgs=sel.organisations, recent_weeks=4)
    evidence_options = [f"{r.label}: {r.text}" for r in changes[changes["notable"]].itertuples()] if not changes.empty else []
    with st.form("proposal_form"):
        c1, c2, c3 = st.columns(3)
        origin = c1.selectbox(t("ag_origin"), list(measures_rules.PROPOSAL_ORIGINS),
                              format_func=lambda o: t(f"ag_origin_{o}"), key="pf_origin", placeholder=t("choose_option"))
        area = c2.selectbox(t("col_area"), [a.name for a in cfg.areas], key="pf_area", placeholder=t("choose_option"))
        category = c3.selectbox(t("col_category"), [c.key for c in cfg.categories],
                                format_func=common.category_labels(cfg).get, key="pf_category", placeholder=t("choose_option"))
        place = st.text_input(t("col_plats"), key="pf_place")
        description = st.text_area(t("vr_col_measure"), key="pf_description", help=t("vf_notes_help"))
        evidence = st.multiselect(t("ag_evidence"), evidence_options, key="pf_evidence",
                                  placeholder=t("choose_options"), select_all=False)
        c4, c5, c6, c7 = st.columns(4)
        owner = c4.selectbox(t("vr_col_owner"), list(v.owners), key="pf_owner", placeholder=t("choose_option"))
        path = c5.selectbox(t("vr_col_path"), list(v.decision_paths), key="pf_path", placeholder=t("choose_option"))
        due = c6.date_input(t("vr_col_due"), value=None, format="YYYY-MM-DD", help=t("date_help"), key="pf_due")
        status = c7.selectbox(t("col_status"), list(v.statuses), key="pf_status", placeholder=t("choose_option"))
        submitted = st.form_submit_button(t("ag_proposal_save"), type="primary")
    if not submitted:
        return
    if refused(measures_rules.check_proposal, description):
        return
    ort = next((o.name for o in cfg.orter if o.area == area and o.name in (place or "")), None)
    write(lambda store: store.save_proposal({
        "measure_id": None, "origin": origin, "area": area, "ort": ort, "place": redact(place) or None,
        "category": category, "description": redact(description), "evidence": json.dumps(evidence, ensure_ascii=False),
        "owner": owner, "decision_path": path, "due_date": due, "status": status}))
    def first(options):
        return next(iter(options), None)
    saved_and_rerun("ag_proposal_saved", {}, {
        "pf_origin": first(measures_rules.PROPOSAL_ORIGINS), "pf_area": first(a.name for a in cfg.areas),
        "pf_category": first(c.key for c in cfg.categories), "pf_place": "", "pf_description": "", "pf_evidence": [],
        "pf_owner": first(v.owners), "pf_path": first(v.decision_paths), "pf_due": None, "pf_status": first(v.statuses)})


def proposal_update_form(cfg, measures: pd.DataFrame) -> None:
    """Change a proposal's status, decision and completion; every change is kept in the history."""

    v = cfg.vandring
    label = {r.measure_id: f"{r.measure_id}: {r.description}" for r in measures.itertuples()}
    with st.form("proposal_update"):
        chosen = st.selectbox(t("vr_col_measure"), list(label), format_func=label.get, key="pu_id", placeholder=t("choose_option"))
        c1, c2, c3 = st.columns(3)
        status = c1.selectbox(t("col_status"), list(v.statuses), key="pu_status", placeholder=t("choose_option"))
        decided = c2.date_input(t("ag_col_decided"), value=None, format="YYYY-MM-DD", help=t("date_help"),
                                key="pu_decided")
        completed = c3.date_input(t("vr_col_completed"), value=None, format="YYYY-MM-DD", help=t("date_help"),
                                  key="pu_completed")
        outcome = st.text_input(t("ag_col_outcome"), key="pu_outcome")
        submitted = st.form_submit_button(t("ag_update_save"), type="primary")
    history = reads.measure_history(measure_id=int(chosen))
    st.dataframe(history.rename(columns={"changed_at": t("ag_col_changed"), "status": t("col_status"),
                                         "note": t("ag_col_note")})[[t("ag_col_changed"), t("col_status"),
                                                                     t("ag_col_note")]],
                 hide_index=True, width="stretch")
    if not submitted:
        return
    row = measures[measures["measure_id"] == chosen].iloc[0].to_dict()
    clean = {k: (None if not isinstance(v_, (list, dict)) and pd.isna(v_) else v_) for k, v_ in row.items()}
    clean.update(status=status, decision_date=decided or clean.get("decision_date"),
                 outcome=redact(outcome) or clean.get("outcome"),
                 completed_date=measures_rules.completed_date_for(status, completed))
    write(lambda store: store.save_proposal(clean))
    st.success(t("ag_update_saved"))
