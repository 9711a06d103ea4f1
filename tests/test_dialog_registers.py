"""Träffpunkt's dialogue steps 2–4 and the Samhällskris robustness meetings (issue 18): the Swedish
validation messages, all-or-nothing writes, the history kept, the forms in the app (an admin adds a
step-2 meeting; a reader gets no form and no free text), the XLSX export, the need for a walk per ort,
and the second kommun with its own areas and orter."""
from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import duckdb
import openpyxl
import pandas as pd
import pytest

from tsk.config import parse_config
from tsk.errors import TskError
from tsk.formatting import fmt_date
from tsk.i18n import t
from tsk.pagedata import dialog as pdd
from tsk.registers import dialog as d
from tsk.safe_text import say
from tsk.store import open_store
from tsk.store.backup import atomic_write


def _area(cfg, i: int = 0) -> str:
    return [a.name for a in cfg.areas if a.kind == "traffpunkt"][i]


def _ort(cfg, area: str) -> str:
    return next(o.name for o in cfg.orter if o.area == area)


def _step(cfg, **changes) -> d.Step:
    area = _area(cfg)
    ort = _ort(cfg, area)
    place = next((p.name for p in cfg.platser if p.ort == ort), None)
    base = d.Step(area=area, round="2026", step=2, meeting_date=date(2026, 3, 4),
                  participants={"tjanstepersoner": 4, "invanare": 12},
                  questions=(d.Question(cfg.categories[0].key, ort, place),), notes="Möte med Kalle, 070-123 45 67")
    return replace(base, **changes)


def _followup(cfg, **changes) -> d.FollowUp:
    v = cfg.vandring
    return replace(d.FollowUp("Belysning vid busshållplatsen", v.owners[0], v.statuses[0], v.decision_paths[0]), **changes)


def _kris(cfg, **changes) -> d.KrisMeeting:
    return replace(d.KrisMeeting(ort=cfg.orter[0].name, meeting_date=date(2026, 5, 6),
                                 participants={"orter": 3, "naringsliv": 2}, topics=("Reservkraft", "Vattenförsörjning"),
                                 notes="Ring Lisa på 070-765 43 21"), **changes)


# --- validation -----------------------------------------------------------------------------------------

def test_a_good_step_and_meeting_pass(config):
    d.check_step(_step(config), [_followup(config)], config)
    d.check_kris_meeting(_kris(config), [_followup(config)], config, today=date(2026, 12, 1))


@pytest.mark.parametrize("changes, expected", [
    (dict(meeting_date=date(2025, 12, 30)),
     lambda c: t("dl_date_outside_round", date="2025-12-30", round="2026", year=2026)),
    (dict(round="höst"), lambda c: t("dl_round_not_year", round="höst")),
    (dict(area="Ingenstans"), lambda c: t("dl_unknown_area", area="Ingenstans",
                                          areas=", ".join(a.name for a in c.areas if a.kind == "traffpunkt"))),
    (dict(step=5), lambda c: t("dl_unknown_step", step=5)),
    (dict(participants={"tjanstepersoner": -1}), lambda c: t("dl_participants_negative", kind="tjanstepersoner", n=-1)),
    (dict(participants={"invanare": 101}), lambda c: t("dl_participants_over_max", kind="invanare", n=101, max=100)),
    (dict(participants={}), lambda c: t("dl_no_participants")),
    (dict(participants={"namn": 1}), lambda c: t("dl_unknown_kind", kind="namn", kinds=", ".join(d.STEP_KINDS))),
])
def test_a_bad_step_gets_its_swedish_message(config, changes, expected):
    with pytest.raises(TskError) as e:
        d.check_step(_step(config, **changes), [], config)
    assert e.value.message == expected(config)


def test_the_centralort_is_no_traffpunkt_area(config):
    central = next(a.name for a in config.areas if a.kind == "centralort")
    with pytest.raises(TskError, match="finns inte bland Träffpunkts områden"):
        d.check_step(_step(config, area=central, questions=()), [], config)


def test_a_question_about_an_ort_of_another_area_or_an_unknown_place_is_refused(config):
    other = _ort(config, _area(config, 1))
    with pytest.raises(TskError) as e:
        d.check_step(_step(config, questions=(d.Question(config.categories[0].key, other),)), [], config)
    assert e.value.message == t("dl_ort_not_in_area", no=1, ort=other, area=_area(config))
    ort = _ort(config, _area(config))
    with pytest.raises(TskError, match="Fråga 1: platsen «Månen» finns inte"):
        d.check_step(_step(config, questions=(d.Question(config.categories[0].key, ort, "Månen"),)), [], config)
    with pytest.raises(TskError, match="kategorin «spöken» finns inte"):
        d.check_step(_step(config, questions=(d.Question("spöken", ort),)), [], config)


def test_a_follow_up_without_owner_or_description_is_refused(config):
    with pytest.raises(TskError) as e:
        d.check_step(_step(config), [_followup(config), _followup(config, owner=" ")], config)
    assert e.value.message == "Uppföljning 2 saknar ansvarig: ange vem som äger den."
    with pytest.raises(TskError, match="Uppföljning 1 saknar beskrivning"):
        d.check_kris_meeting(_kris(config), [_followup(config, description="")], config, today=date(2026, 12, 1))
    with pytest.raises(TskError, match="statusen «kanske» finns inte"):
        d.check_step(_step(config), [_followup(config, status="kanske")], config)


def test_a_bad_robustness_meeting_gets_its_swedish_message(config):
    today = date(2026, 12, 1)
    with pytest.raises(TskError) as e:
        d.check_kris_meeting(_kris(config, ort="Atlantis"), [], config, today=today)
    assert e.value.message == "Orten «Atlantis» finns inte i konfigurationen. Välj en av kommunens orter."
    with pytest.raises(TskError, match="Datumet 1999-05-06 är inte rimligt"):
        d.check_kris_meeting(_kris(config, meeting_date=date(1999, 5, 6)), [], config, today=today)
    with pytest.raises(TskError, match="Ange minst ett ämne"):
        d.check_kris_meeting(_kris(config, topics=(" ",)), [], config, today=today)
    with pytest.raises(TskError) as e:
        d.check_kris_meeting(_kris(config, participants={"naringsliv": 61}), [], config, today=today)
    assert e.value.message == t("dl_participants_over_max", kind="naringsliv", n=61, max=60)


# --- writes: redaction, all or nothing, history -------------------------------------------------------------

@pytest.fixture
def store(tmp_db, config):
    with open_store(tmp_db, config=config) as s:
        yield s


def _save_step(store, cfg, step=None, followups=None) -> int:
    step = step or _step(cfg)
    follow = [_followup(cfg)] if followups is None else followups
    return store.save_traffpunkt_step(d.step_row(step), d.followup_rows(follow, area=step.area, ort=step.questions[0].ort),
                                      actor="admin@kommun.se")


def test_free_text_is_redacted_and_participants_are_counts(store, config):
    dialog_id = _save_step(store, config)
    row = store.traffpunkt_steps().iloc[0]
    assert row["dialog_id"] == dialog_id and row["notes"] == "Möte med [namn borttaget], [telefonnummer borttaget]"
    assert row["participants"] == '{"tjanstepersoner": 4, "invanare": 12}'
    assert (row["followups"], row["followups_done"]) == (1, 0)
    kris_id = store.save_samhallskris_meeting(d.kris_row(_kris(config)), [])
    kris = store.samhallskris_meetings().iloc[0]
    assert kris["dialog_id"] == kris_id != dialog_id  # one sequence: a dialog_id names one record
    assert kris["notes"] == "Ring [namn borttaget] på [telefonnummer borttaget]"


def test_a_failing_write_leaves_nothing_half_written(store, config):
    bad = d.followup_rows([_followup(config)], area=_area(config), ort="x")
    bad[0]["owner"] = None  # measures.owner is NOT NULL: the follow-up fails after the step row went in
    with pytest.raises(duckdb.ConstraintException):
        store.save_traffpunkt_step(d.step_row(_step(config)), bad)
    assert store.traffpunkt_steps().empty and store.dialog_followups("traffpunkt").empty
    assert store.dialog_history().empty and store.measure_history().empty


def test_a_refused_write_through_atomic_write_leaves_the_file_unchanged(tmp_db, config):
    with open_store(tmp_db, config=config) as s:
        _save_step(s, config)
    before = tmp_db.read_bytes()
    with pytest.raises(TskError), atomic_write(tmp_db) as work, open_store(work, config=config) as s:
        s.save_samhallskris_meeting(d.kris_row(_kris(config)), [])
        d.check_kris_meeting(_kris(config, ort="Atlantis"), [], config)  # refused after a write in the copy
    assert tmp_db.read_bytes() == before
    with open_store(tmp_db, read_only=True) as s:
        assert s.samhallskris_meetings().empty and len(s.traffpunkt_steps()) == 1


def test_an_edit_keeps_the_record_its_follow_ups_and_their_history(store, config):
    dialog_id = _save_step(store, config)
    (measure_id,) = store.dialog_followups("traffpunkt")["measure_id"]
    done = config.vandring.statuses[3]
    edited = _step(config, dialog_id=dialog_id, participants={"tjanstepersoner": 5})
    _save_step(store, config, edited, [_followup(config, measure_id=int(measure_id), status=done,
                                                 completed_date=date(2026, 4, 1))])
    steps = store.traffpunkt_steps()
    assert len(steps) == 1 and steps.iloc[0]["participants"] == '{"tjanstepersoner": 5}'
    assert (steps.iloc[0]["followups"], steps.iloc[0]["followups_done"]) == (1, 1)
    history = store.dialog_history("traffpunkt_steps", dialog_id)
    assert list(history["action"]) == ["created", "changed"] and set(history["actor"]) == {"admin@kommun.se"}
    assert '"tjanstepersoner": 4' in history.iloc[0]["content"] and f"[{int(measure_id)}]" in history.iloc[1]["content"]
    assert list(store.measure_history(int(measure_id))["status"]) == [config.vandring.statuses[0], done]
    store.delete_dialog("traffpunkt_steps", dialog_id)
    assert store.traffpunkt_steps().empty and store.dialog_followups("traffpunkt").empty
    assert list(store.dialog_history("traffpunkt_steps", dialog_id)["action"]) == ["created", "changed", "deleted"]


# --- the need for a walk per ort, the tables, the export ------------------------------------------------

def test_walk_need_counts_the_questions_raised_per_ort(store, config):
    area = _area(config)
    orter = [o.name for o in config.orter if o.area == area]
    cat = config.categories[0].key
    def raised(*orts):
        return json.dumps([{"category": cat, "ort": o, "place": None} for o in orts])

    frame = pd.DataFrame({"questions": [raised(orter[0]), raised(orter[-1], orter[0])]})
    assert pdd.walk_need_from_steps(frame) == ({orter[0]: 2, orter[-1]: 1} if len(orter) > 1 else {orter[0]: 3})
    assert pdd.walk_need_by_ort(store) == {}
    _save_step(store, config)
    _save_step(store, config, _step(config, step=3))
    assert pdd.walk_need_by_ort(store) == {orter[0]: 2}
    need = pdd.walk_need_table(store.traffpunkt_steps(), config)
    assert need.iloc[0][t("col_ort")] == orter[0] and need.iloc[0][t("dl_col_questions_n")] == 2


def test_the_export_has_both_registers_and_the_public_one_no_free_text(store, config):
    _save_step(store, config)
    store.save_samhallskris_meeting(d.kris_row(_kris(config)),
                                    d.followup_rows([_followup(config, description="Reservkraft i bygdegården")],
                                                    area=None, ort=config.orter[0].name))
    for public in (False, True):
        book = openpyxl.load_workbook(io.BytesIO(pdd.dialog_xlsx(store, config, public=public)))
        assert book.sheetnames == [t("dl_sheet_steps"), t("dl_sheet_step_followups"), t("dl_sheet_kris"),
                                   t("dl_sheet_kris_followups")]
        cells = {str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None}
        assert t("dl_step_2") in cells and config.orter[0].name in cells
        free = {"Möte med [namn borttaget], [telefonnummer borttaget]", "Reservkraft i bygdegården",
                "Reservkraft; Vattenförsörjning", "Belysning vid busshållplatsen"}
        assert (free & cells) == (set() if public else free)


def test_meetings_are_listed_per_configured_ort(store, config):
    store.save_samhallskris_meeting(d.kris_row(_kris(config)), [])
    store.save_samhallskris_meeting(d.kris_row(_kris(config, meeting_date=date(2026, 9, 1))), [])
    per_ort = pdd.kris_per_ort(store.samhallskris_meetings(), config)
    assert list(per_ort[t("col_ort")]) == [o.name for o in config.orter]
    first = per_ort.iloc[0]
    assert first[t("dl_col_meetings")] == 2 and first[t("dl_col_latest")] == fmt_date(date(2026, 9, 1))
    assert (per_ort[t("dl_col_meetings")].iloc[1:] == 0).all()


# --- the second kommun ------------------------------------------------------------------------------------

def test_kommun2_has_its_own_areas_orter_and_handlingsplan(kommun2_config, config, tmp_path):
    k2 = kommun2_config
    step = _step(k2, round="2025", meeting_date=date(2025, 10, 2), participants={"politiker": 3})
    d.check_step(step, [_followup(k2)], k2)
    with pytest.raises(TskError, match="finns inte bland Träffpunkts områden"):
        d.check_step(_step(config), [], k2)  # the demo's area is not kommun2's
    with pytest.raises(TskError, match="över|fler än konfigurationens högsta antal 40"):
        d.check_step(replace(step, participants={"politiker": 41}), [], k2)
    with pytest.raises(TskError, match="finns inte bland de ansvariga"):
        d.check_step(step, [_followup(config)], k2)  # the demo's owner is not kommun2's
    assert pdd.handlingsplan(k2).startswith("https://") and pdd.handlingsplan(config)
    with open_store(tmp_path / "k2.duckdb", config=k2) as s:
        s.save_traffpunkt_step(d.step_row(step), d.followup_rows([_followup(k2)], area=step.area, ort=step.questions[0].ort))
        s.save_samhallskris_meeting(d.kris_row(_kris(k2)), [])
        assert pdd.walk_need_by_ort(s) == {step.questions[0].ort: 1}
        assert list(pdd.kris_per_ort(s.samhallskris_meetings(), k2)[t("col_ort")]) == [o.name for o in k2.orter]


# --- the forms in the app ---------------------------------------------------------------------------------

def _app(db, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tsk.config import ROOT

    monkeypatch.setenv("TSK_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/traffpunkt.py")
    at.run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def test_an_admin_adds_a_step_2_meeting_and_a_bad_date_changes_nothing(demo_copy, monkeypatch, config):
    db = demo_copy
    at = _app(db, monkeypatch)
    area = _area(config, 1)
    assert t("dl_heading") in [h.value for h in at.header]
    at.selectbox(key="dl_area").set_value(area).run()
    at.text_input(key="dl_round").set_value("2026")
    at.selectbox(key="dl_step").set_value(2)
    at.date_input(key="dl_date").set_value(date(2025, 11, 20))
    at.number_input(key="dl_kind_tjanstepersoner").set_value(6)
    before = db.read_bytes()
    at.button(key="dl_save").click().run()
    assert [e.value for e in at.error] == [say("dl_date_outside_round", date="2025-11-20", round="2026", year=2026)]
    assert db.read_bytes() == before
    at.date_input(key="dl_date").set_value(date(2026, 2, 10))
    at.button(key="dl_save").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    with open_store(db, read_only=True) as s:
        steps = s.traffpunkt_steps()
        history = s.dialog_history()
    assert len(steps) == 1 and steps.iloc[0]["area"] == area and steps.iloc[0]["step"] == 2
    assert steps.iloc[0]["participants"] == '{"tjanstepersoner": 6}' and str(steps.iloc[0]["round"]) == "2026"
    assert list(history["action"]) == ["created"]
    assert [s.value for s in at.success] == [say("dl_saved", area=area, step=t("dl_step_2"), date=date(2026, 2, 10))]
    assert t("dl_download") in [b.label for b in at.get("download_button")]  # beside the register


def test_a_reader_sees_the_steps_but_no_form_and_no_notes(demo_copy, monkeypatch, config):
    from tsk.ui import gate

    db = demo_copy
    with open_store(db, config=config) as s:
        _save_step(s, config)
    raw = {**config.raw, "access": {"default_role": "läsare", "users": {"admin@kommun.se": "admin"}}}
    monkeypatch.setattr(gate, "auth_configured", lambda: True)
    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    monkeypatch.setattr(gate, "load_config", lambda *a, **k: replace(config, raw=raw))
    monkeypatch.setattr(gate, "current_user", lambda: {"email": "invanare@example.se", "groups": []})
    monkeypatch.setenv("TSK_DB", str(db))
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tsk.config import ROOT

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "traffpunkt.py"), default_timeout=120).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert t("dl_heading") in [h.value for h in at.header]
    assert t("dl_form_heading") not in [h.value for h in at.subheader]
    assert not [b for b in at.button if b.key == "dl_save"]
    shown = [df.value for df in at.dataframe]
    steps = next(f for f in shown if t("dl_col_step") in f.columns)
    assert t("dl_col_notes") not in steps.columns and steps.iloc[0][t("dl_col_step")] == t("dl_step_2")
    assert not any("borttaget" in str(v) for f in shown for v in f.to_numpy().ravel())


def test_an_admin_registers_a_robustness_meeting_on_the_vandring_page(demo_copy, monkeypatch, config):
    db = demo_copy
    at = _app(db, monkeypatch)
    at.switch_page("pages/vandring.py").run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert t("sk_heading") in [h.value for h in at.header]
    assert say("sk_handlingsplan", link=pdd.handlingsplan(config)) in [m.value for m in at.markdown]
    ort = config.orter[-1].name
    at.selectbox(key="sk_ort").set_value(ort)
    at.date_input(key="sk_date").set_value(date(2026, 10, 15))
    at.number_input(key="sk_kind_naringsliv").set_value(4)
    at.button(key="sk_save").click().run()
    assert [e.value for e in at.error] == [say("dl_no_topics")]  # no topic: refused, nothing written
    with open_store(db, read_only=True) as s:
        assert s.samhallskris_meetings().empty
    at.text_area(key="sk_topics").set_value("Reservkraft\nTrygghetspunkt vid strömavbrott")
    at.button(key="sk_save").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    with open_store(db, read_only=True) as s:
        meetings = s.samhallskris_meetings()
    assert len(meetings) == 1 and meetings.iloc[0]["ort"] == ort
    assert meetings.iloc[0]["topics"] == '["Reservkraft", "Trygghetspunkt vid strömavbrott"]'
    assert meetings.iloc[0]["participants"] == '{"naringsliv": 4}'


def test_the_dialog_section_is_there_before_any_answers_are_imported(tmp_path, monkeypatch, config):
    db = tmp_path / "empty.duckdb"
    with open_store(db, config=config) as s:
        assert not s.counts()["traffpunkt"]
    at = _app(db, monkeypatch)
    assert t("dl_heading") in [h.value for h in at.header]
    assert t("dl_none") in [i.value for i in at.info]
    assert at.button(key="dl_save").label == t("dl_form_save")


def test_the_annual_report_counts_the_year_s_steps_and_meetings_without_their_text(demo_copy, config):

    from tsk.report import build as report_build
    from tsk.report.model import Section, Table

    db = demo_copy
    store = open_store(db, config=config)
    _save_step(store, config)
    store.save_samhallskris_meeting(d.kris_row(_kris(config)), [])
    store.save_samhallskris_meeting(d.kris_row(_kris(config, meeting_date=date(2025, 9, 1))), [])  # another year
    for public in (False, True):
        rep = report_build.build_report(store, config, 2026, public=public)
        section = next(s for s in rep.sections if isinstance(s, Section) and s.heading == t("rp_h_dialog", year=2026))
        texts = [b for b in section.blocks if isinstance(b, str)]
        assert texts == [t("rp_dialog_steps", year=2026, n=1, areas=1), t("rp_kris_meetings", year=2026, n=1, orter=1)]
        table = next(b for b in section.blocks if isinstance(b, Table)).frame.set_index(t("col_ort"))
        assert table.loc[config.orter[0].name, t("dl_col_meetings")] == 1  # only 2026's meeting
        shown = repr(section.blocks)
        assert "Reservkraft" not in shown and "Lisa" not in shown and "070" not in shown
    store.close()


@pytest.mark.parametrize("section, key, value, message", [
    ("traffpunkt.dialog", "max_participants", "många", "config_bad_number"),
    ("traffpunkt.dialog", "max_participants", 0, "config_bad_number"),
    ("samhallskris", "max_participants", True, "config_bad_number"),
    ("samhallskris", "handlingsplan", 12, "config_bad_text"),
])
def test_a_bad_dialog_setting_is_refused_at_load_in_swedish(tmp_path, section, key, value, message):
    """The registers' settings are checked when the config is read: a bad value is the config's Swedish
    error naming the key, never a Python error when a form is opened."""
    data = _config_data()
    table = data
    for part in section.split("."):
        table = table.setdefault(part, {})
    table[key] = value
    with pytest.raises(TskError) as e:
        parse_config(data, tmp_path / "tsk.toml")
    assert e.value.key == message and f"[{section}] {key}" in str(e.value)


def _config_data() -> dict:
    import tomllib

    from tsk.config import ROOT

    return tomllib.loads((ROOT / "tsk.toml").read_text(encoding="utf-8"))


def test_participant_kinds_without_texts_are_refused(tmp_path):
    data = _config_data()
    data["samhallskris"]["participant_kinds"] = {"orter": ""}
    with pytest.raises(TskError) as e:
        parse_config(data, tmp_path / "tsk.toml")
    assert e.value.key == "config_bad_kinds" and "Näringsliv" in str(e.value)
    data["samhallskris"]["participant_kinds"] = {"orter": "Orterna", "naringsliv": "Näringsliv"}
    assert d.settings(parse_config(data, tmp_path / "tsk.toml")).kris_kinds["orter"] == "Orterna"


def test_a_stored_step_reads_back_as_the_record_that_was_saved(store, config):
    step = _step(config)
    dialog_id = _save_step(store, config, step)
    row = store.traffpunkt_steps().iloc[0]
    back = d.step_of(row)
    assert back == replace(step, dialog_id=dialog_id, notes=row["notes"])  # notes come back redacted
    follow = d.followups_of(store.dialog_followups(d.TRAFFPUNKT_ORIGIN).to_dict("records"))
    assert len(follow) == 1 and follow[0].measure_id and follow[0].owner == _followup(config).owner


def test_an_admin_changes_a_step_in_the_form_and_then_removes_it_with_history(demo_copy, monkeypatch, config):
    """«Nytt eller ändra»: the form opens a registered step with its values; saving keeps its id and its
    follow-up's id (the status history goes on); «Ta bort» needs the tick; each write is in the history
    shown under the form."""
    db = demo_copy
    with open_store(db, config=config) as s:
        dialog_id = _save_step(s, config)
        measure_id = int(s.dialog_followups(d.TRAFFPUNKT_ORIGIN)["measure_id"].iloc[0])
    at = _app(db, monkeypatch)
    at.selectbox(key="dl_pick").set_value(dialog_id).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    sfx = f"_e{dialog_id}"
    assert at.number_input(key=f"dl_kind{sfx}_invanare").value == 12
    assert at.text_input(key=f"dl_round{sfx}").value == _step(config).round
    at.number_input(key=f"dl_kind{sfx}_invanare").set_value(15)
    at.button(key=f"dl_save{sfx}").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    assert [m.value for m in at.success] == [t("dl_changed")]
    assert at.selectbox(key="dl_pick").value == 0  # back to «Registrera ett nytt»
    with open_store(db, read_only=True) as s:
        steps, follow = s.traffpunkt_steps(), s.dialog_followups(d.TRAFFPUNKT_ORIGIN)
        history = s.dialog_history("traffpunkt_steps", dialog_id)
    assert list(steps["dialog_id"]) == [dialog_id] and steps.iloc[0]["participants"] == '{"tjanstepersoner": 4, "invanare": 15}'
    assert list(follow["measure_id"]) == [measure_id]
    assert list(history["action"]) == ["created", "changed"]
    # Remove: without the tick nothing happens; with it the step and its follow-up go, the history stays.
    at.selectbox(key="dl_pick").set_value(dialog_id).run()
    shown = [df.value for df in at.dataframe]
    assert any(list(f.columns) == [t("col_when"), t("dl_col_action"), t("dl_col_actor")] and len(f) == 2 for f in shown)
    at.button(key=f"traffpunkt_steps_del{sfx}").click().run()
    assert [w.value for w in at.warning] == [t("dl_delete_needs_confirm")]
    at.checkbox(key=f"traffpunkt_steps_del_ok{sfx}").check()
    at.button(key=f"traffpunkt_steps_del{sfx}").click().run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    with open_store(db, read_only=True) as s:
        assert s.traffpunkt_steps().empty and s.dialog_followups(d.TRAFFPUNKT_ORIGIN).empty
        assert list(s.dialog_history("traffpunkt_steps", dialog_id)["action"]) == ["created", "changed", "deleted"]


def test_an_admin_changes_a_robustness_meeting_s_topics(demo_copy, monkeypatch, config):
    db = demo_copy
    with open_store(db, config=config) as s:
        kris_id = s.save_samhallskris_meeting(d.kris_row(_kris(config)), [], actor="admin@kommun.se")
    at = _app(db, monkeypatch)
    at.switch_page("pages/vandring.py").run()
    at.selectbox(key="sk_pick").set_value(kris_id).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    sfx = f"_e{kris_id}"
    assert at.text_area(key=f"sk_topics{sfx}").value == "\n".join(_kris(config).topics)
    at.text_area(key=f"sk_topics{sfx}").set_value("Reservvatten")
    at.button(key=f"sk_save{sfx}").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    with open_store(db, read_only=True) as s:
        meetings = s.samhallskris_meetings()
    assert list(meetings["dialog_id"]) == [kris_id] and meetings.iloc[0]["topics"] == '["Reservvatten"]'
