"""Page Veckorapport with a mocked signed-in inrapportör (AppTest): the form for their own unit, a report
stored and listed, «Inget att rapportera», no other unit, closed weeks read-only, bad comments and
double submits refused with nothing written, no other page by URL, and changes kept as history."""
from __future__ import annotations

import html
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk.config import ROOT
from tsk.errors import TskError
from tsk.i18n import t
from tsk.ingest import veckorapport as core
from tsk.pagedata import veckorapport as vk
from tsk.store import open_store
from tsk.ui import gate
from tsk.ui import veckorapport as vkui

TODAY = date(2026, 12, 2)             # a Wednesday of week 49; week 48 is open until Sunday 6 December
REPORTER = "fritidsledare@svenljunga.example"
UNIT = "Fritidsgården Svenljunga"     # the unit listing REPORTER in tsk.toml
OTHER_UNIT = "Skolan Överlida"
PAGE = "pages/veckorapport.py"


@pytest.fixture
def db(demo_copy) -> Path:
    return demo_copy


@pytest.fixture
def login(db, monkeypatch, config):
    """Login configured, the page opened on its own (as by a URL typed by hand), today fixed; returns a
    function that signs a user in."""
    raw = {**config.raw, "access": {"default_role": "läsare",
                                    "users": {REPORTER: "inrapportör", "admin@kommun.example": "admin",
                                              "utan.enhet@svenljunga.example": "inrapportör"},
                                    "groups": {"TSK-Faltgruppen": "inrapportör"}}}
    cfg = replace(config, raw=raw)
    monkeypatch.setenv("TSK_DB", str(db))
    monkeypatch.setattr(gate, "auth_configured", lambda: True)
    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    monkeypatch.setattr(gate, "load_config", lambda *a, **k: cfg)
    monkeypatch.setattr(vkui, "today", lambda: TODAY)

    def sign_in(email: str | None = REPORTER, groups: tuple[str, ...] = ()):
        monkeypatch.setattr(gate, "current_user", lambda: {"email": email, "groups": list(groups)})
        return cfg
    return sign_in


def open_page(page: str = PAGE, **state) -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def shown(at: AppTest) -> str:
    """Everything written on the page, as the reader sees it (character references resolved)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.success]
    parts += [e.label for e in at.expander] + [i.value for i in at.info]
    return html.unescape("\n".join(parts)).replace("**", "")


def errors(at: AppTest) -> list[str]:
    return [html.unescape(e.value) for e in at.error]


def fill(at: AppTest, *, ort: str, place: str | None = None, grades: dict[str, int], comment: str = "") -> AppTest:
    at.selectbox(key=vkui.ORT).set_value(ort).run()
    if place:
        at.selectbox(key=vkui.PLACE).set_value(place).run()
    for key, grade in grades.items():
        at.radio(key=f"vk_grade_{key}").set_value(grade)
    at.text_area(key=vkui.COMMENT).set_value(comment)
    return at


def submit(at: AppTest) -> AppTest:
    at.button(key="vk_submit").click().run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def app_reports(db: Path):
    with open_store(db, read_only=True) as store:
        return store.query("SELECT * FROM app_reports ORDER BY report_id, version")


def lagesbild_rows(db: Path, unit: str):
    with open_store(db, read_only=True) as store:
        return store.query("SELECT * FROM lagesbild WHERE reporter = ? AND iso_year = 2026 AND iso_week >= 48",
                           [unit])


def test_the_inrapportor_sees_the_form_for_their_unit(login):
    login()
    at = open_page()
    assert errors(at) == []
    assert UNIT in shown(at) and OTHER_UNIT not in shown(at)
    assert not [s for s in at.selectbox if s.label == t("vk_unit")]  # one unit: shown as text, no choice
    week = at.radio(key=vkui.WEEK)
    assert week.options == ["Denna vecka (v49, 30 nov–6 dec)", "Förra veckan (v48, 23–29 nov)"]
    assert [b.label for b in at.button][:2] == ["Inget att rapportera", "Skicka rapport"]
    cats = [r for r in at.radio if r.key.startswith("vk_grade_")]
    assert len(cats) == 12 and all(r.value is None and r.options == ["Lugnt", "Lite", "Förhöjt", "Allvarligt"]
                                   for r in cats)
    comment = at.text_area(key=vkui.COMMENT)
    assert comment.label == "Kommentar (valfri)"
    # The limit is said (a longer comment is refused whole by the core, never cut by the widget).
    assert "aldrig namn" in shown(at) and "Högst 2000 tecken." in shown(at)


def test_a_report_is_stored_shown_in_the_list_and_the_form_clears(login, db):
    login()
    at = fill(open_page(), ort="Överlida", place="Badplatsen", grades={"klotter": 2, "nedskrapning": 1},
              comment="Nytt klotter på omklädningsrummet.")
    submit(at)
    assert errors(at) == []
    assert [s.value for s in at.success][0].startswith("Rapporten är sparad")
    rows = lagesbild_rows(db, UNIT)
    assert sorted(rows["category"]) == ["klotter", "nedskrapning"] and set(rows["ort"]) == {"Överlida"}
    assert set(rows["place"]) == {"Badplatsen"} and set(rows["iso_week"]) == {49}
    saved = app_reports(db)
    assert len(saved) == 1 and saved["actor"].tolist() == [REPORTER] and saved["reporter"].tolist() == [UNIT]
    text = shown(at)
    assert "Dina rapporter" in [h.value for h in at.subheader]
    assert "v49 2026 · Överlida / Badplatsen · Rapporterat" in text and "Klotter: 2 Förhöjt" in text
    # The form is empty again, ready for the next place.
    assert at.selectbox(key=vkui.ORT).value is None and at.text_area(key=vkui.COMMENT).value == ""
    assert at.radio(key="vk_grade_klotter").value is None


def test_nothing_to_report_is_one_action(login, db):
    login()
    at = open_page()
    at.radio(key=vkui.WEEK).set_value((2026, 48)).run()
    at.button(key="vk_nothing").click().run()
    assert not at.exception and errors(at) == []
    assert [s.value for s in at.success][0].startswith("Rapporten är sparad")
    with open_store(db, read_only=True) as store:
        coverage = store.query("SELECT status FROM coverage WHERE reporter = ? AND iso_year = 2026 AND iso_week = 48",
                               [UNIT])
    assert coverage["status"].tolist() == ["inget_att_rapportera"]
    assert "v48 2026 · – · Inget att rapportera" in shown(at)
    assert app_reports(db)["status"].tolist() == ["inget_att_rapportera"]


def test_another_units_report_is_impossible(login, db):
    cfg = login()
    at = open_page()
    assert OTHER_UNIT not in shown(at)
    units = vkui.gate.user_units("inrapportör")
    assert [u.name for u in units] == [UNIT]
    crafted = core.Submission(unit=OTHER_UNIT, iso_year=2026, iso_week=49, ort="Överlida", grades={"klotter": 1})
    with pytest.raises(TskError) as e:
        core.submit(db, crafted, actor=REPORTER, allowed=units, config=cfg, today=TODAY)
    assert e.value.key == "vr_not_your_unit" and e.value.message.startswith("Du rapporterar inte")
    assert app_reports(db).empty and lagesbild_rows(db, OTHER_UNIT).empty


def test_a_user_reporting_for_two_units_chooses_one(login, db, config):
    """A group member of one unit who is also listed by e-mail for another: a select of exactly those two."""
    cfg = login("fritidsledare@svenljunga.example", ("TSK-Faltgruppen",))
    at = open_page()
    unit = next(s for s in at.selectbox if s.label == t("vk_unit"))
    assert unit.options == [UNIT, "Fältgruppen"]
    assert len(cfg.reporting_units) > 2


def test_a_user_without_a_unit_gets_no_access(login, db):
    login("utan.enhet@svenljunga.example")
    at = open_page()
    assert errors(at) == [t("no_access")]
    assert not at.button and not at.radio


def test_a_closed_week_is_read_only(login, db):
    cfg = login()
    units = gate.user_units("inrapportör")
    early = date(2026, 11, 18)  # week 47
    report_id = core.submit(db, core.Submission(unit=UNIT, iso_year=2026, iso_week=47, ort="Kalv",
                                                grades={"klotter": 1}),
                            actor=REPORTER, allowed=units, config=cfg, today=early)
    at = open_page()
    assert "v47 2026 · Kalv / Hela orten · Rapporterat" in shown(at)
    assert t("vk_closed") in [c.value for c in at.caption]
    assert not [b for b in at.button if b.key in (f"vk_edit_{report_id}", f"vk_remove_{report_id}")]
    assert (2026, 47) not in at.radio(key=vkui.WEEK).options
    with pytest.raises(TskError) as e:  # and a crafted change is refused by the core
        core.remove(db, report_id, actor=REPORTER, allowed=units, config=cfg, today=TODAY)
    assert e.value.key == "vr_week_closed"
    assert app_reports(db)["version"].tolist() == [1]


@pytest.mark.parametrize("comment, message", [
    ("Se <script>alert(1)</script> vid torget", t("vr_comment_markup")),
    ("x" * 1_000_000, t("vr_comment_too_long", chars="1 000 000", limit=2000)),
], ids=["script", "1MB"])
def test_a_bad_comment_is_refused_and_nothing_is_written(login, db, comment, message):
    login()
    before = db.stat().st_mtime_ns, db.stat().st_ino
    at = submit(fill(open_page(), ort="Överlida", grades={"klotter": 1}, comment=comment))
    assert errors(at) == [message]
    assert not at.success
    assert (db.stat().st_mtime_ns, db.stat().st_ino) == before
    assert app_reports(db).empty and lagesbild_rows(db, UNIT).empty
    # Nothing lost: the form still holds what was written.
    assert at.text_area(key=vkui.COMMENT).value == comment and at.radio(key="vk_grade_klotter").value == 1


def test_a_double_submit_with_the_same_token_stores_once(login, db):
    login()
    at = submit(fill(open_page(**{vkui.TOKEN_REPORT: "samma-formular"}), ort="Överlida", grades={"klotter": 1}))
    assert errors(at) == []
    assert at.session_state[vkui.TOKEN_REPORT] != "samma-formular"  # a fresh token after the save
    # The same form sent again (a resend of the first request): another place, so only the token refuses it.
    at.session_state[vkui.TOKEN_REPORT] = "samma-formular"
    submit(fill(at, ort="Svenljunga", grades={"brand": 2}))
    assert errors(at) == [t("vr_already_saved")]
    saved = app_reports(db)
    assert saved["report_id"].tolist() == ["samma-formular"]
    assert set(lagesbild_rows(db, UNIT)["ort"]) == {"Överlida"}


@pytest.mark.parametrize("page", ["pages/lagesbild.py", "pages/oversikt.py", "pages/data.py"])
def test_another_page_by_url_gives_no_access(login, page):
    login()
    at = open_page(page)
    assert errors(at) == [t("no_access")]
    assert not at.dataframe and not at.metric


def test_change_and_remove_keep_the_history(login, db):
    login()
    at = submit(fill(open_page(), ort="Överlida", place="Badplatsen", grades={"klotter": 1}))
    report_id = app_reports(db)["report_id"].iloc[0]
    at.button(key=f"vk_edit_{report_id}").click().run()
    assert at.button(key="vk_submit").label == "Spara ändringen"
    assert at.selectbox(key=vkui.PLACE).value == "Badplatsen" and at.radio(key="vk_grade_klotter").value == 1
    at.radio(key="vk_grade_klotter").set_value(3)
    at.text_area(key=vkui.COMMENT).set_value("Mer klotter.")
    submit(at)
    assert errors(at) == [] and [s.value for s in at.success][0].startswith("Rapporten är sparad")
    assert set(lagesbild_rows(db, UNIT)["grade"]) == {3}
    at.button(key=f"vk_remove_{report_id}").click().run()
    at.button(key=f"vk_remove_yes_{report_id}").click().run()
    assert not at.exception and errors(at) == []
    assert lagesbild_rows(db, UNIT).empty
    history = app_reports(db)
    assert history["version"].tolist() == [1, 2, 3]
    assert history["status"].tolist() == ["rapporterat", "rapporterat", "borttagen"]
    assert set(history["actor"]) == {REPORTER}
    text = shown(at)
    assert "Borttagen" in text
    table = next(d.value for d in at.dataframe if t("vk_col_what") in d.value.columns)
    assert table[t("vk_col_what")].tolist() == ["Skickad: Överlida / Badplatsen; Klotter: 1 Lite",
                                                "Klotter: 1 → 3; Kommentaren ändrad", "Borttagen"]
    assert table[t("vk_col_actor")].tolist() == [REPORTER] * 3


def test_a_change_can_take_a_grade_away(login, db):
    login()
    at = submit(fill(open_page(), ort="Överlida", place="Badplatsen", grades={"klotter": 1, "narkotika": 2}))
    report_id = app_reports(db)["report_id"].iloc[0]
    assert t("vk_no_grade") not in at.radio(key="vk_grade_klotter").options  # only when changing
    at.button(key=f"vk_edit_{report_id}").click().run()
    assert at.radio(key="vk_grade_narkotika").value == 2
    at.radio(key="vk_grade_narkotika").set_value(None)
    submit(at)
    assert errors(at) == []
    rows = lagesbild_rows(db, UNIT)
    assert set(rows["category"]) == {"klotter"}  # narkotika's grade taken away, klotter kept


def test_feedback_lists_the_proposals_at_the_reported_places(login, db, config):
    login()
    with open_store(db, config=config) as store:
        store.save_proposal({"measure_id": None, "origin": "analysgrupp", "area": "Högvad", "ort": "Överlida",
                             "place": "Badplatsen", "category": "klotter", "description": "Belysning vid badplatsen.",
                             "evidence": "[]", "owner": "Samhällsbyggnadsförvaltningen", "decision_path": "KS",
                             "due_date": date(2027, 3, 31), "status": "beslutad",
                             "decision_date": date(2026, 11, 30), "outcome": "KS beslutade att genomföra"})
    at = submit(fill(open_page(), ort="Överlida", place="Badplatsen", grades={"klotter": 2}))
    table = next(d.value for d in at.dataframe if t("vk_col_proposal") in d.value.columns)
    mine = table[table[t("vk_col_proposal")] == "Belysning vid badplatsen."]
    assert mine[[t("vk_col_status"), t("ag_col_decided")]].values.tolist() == [["beslutad", "2026-11-30"]]
    # Only orter the unit reported on (in the app or through its imported form exports) are shown.
    assert set(table[t("col_ort")]) <= set(reported_orter(db))


def test_week_labels_and_history_words():
    assert vk.week_span(2026, 49) == "30 nov–6 dec" and vk.week_span(2026, 48) == "23–29 nov"
    assert vk.week_span(2026, 53) == "28 dec–3 jan"


def test_a_reporter_of_the_second_kommun_can_submit(kommun2_stores, kommun2_config, tmp_path, monkeypatch):
    """The second kommun (other names, other [veckorapport] values): its reporter writes for their unit."""
    db = tmp_path / "k2.duckdb"
    shutil.copy(kommun2_stores["en_omgang"], db)
    cfg = replace(kommun2_config, raw={**kommun2_config.raw,
                                       "access": {"users": {"ungdomsledare@bjorkdala.example": "inrapportör"}}})
    today = date(2026, 1, 8)
    monkeypatch.setenv("TSK_DB", str(db))
    monkeypatch.setattr(gate, "auth_configured", lambda: True)
    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    monkeypatch.setattr(gate, "load_config", lambda *a, **k: cfg)
    monkeypatch.setattr(gate, "current_user", lambda: {"email": "ungdomsledare@bjorkdala.example", "groups": []})
    monkeypatch.setattr(vkui, "today", lambda: today)
    at = open_page()
    assert errors(at) == []
    assert "Fritidsgården" in shown(at)
    # close_after_days = 3: on Thursday of week 2 last week (closed after Wednesday) is not offered.
    assert at.radio(key=vkui.WEEK).options == ["Denna vecka (v2, 5–11 jan)"]
    assert "Högst 1000 tecken." in shown(at)
    ort = cfg.orter[0].name
    submit(fill(at, ort=ort, grades={cfg.categories[0].key: 1}))
    assert errors(at) == [] and [s.value for s in at.success][0].startswith("Rapporten är sparad")
    saved = app_reports(db)
    assert saved[["reporter", "organisation", "iso_week"]].values.tolist() == [["Fritidsgården", "Björkdala kommun", 2]]
    assert f"v2 2026 · {ort} / Hela orten · Rapporterat" in shown(at)


@pytest.mark.parametrize("email, expected", [
    (REPORTER, ["Veckorapport", "Tillgänglighet"]),
    ("admin@kommun.example", ["Översikt", "Lägesbild", "Trygghetsundersökning", "Träffpunkt", "Trygghetsvandring",
                              "Analysgrupp", "Uppföljning", "Data", "Veckorapport", "Tillgänglighet"]),
    ("utan.enhet@svenljunga.example", ["Tillgänglighet"]),
], ids=["inrapportor", "admin", "inrapportor-utan-enhet"])
def test_the_navigation_of_an_inrapportor_holds_only_veckorapport(login, monkeypatch, email, expected):
    """app.py: an inrapportör's navigation is Veckorapport (the start page) and Tillgänglighet; one
    without a unit gets only Tillgänglighet; admin everything, starting on Översikt."""
    login(email)
    listed, registered = [], []
    navigation = st.navigation

    def spy(pages, **kwargs):
        listed.append([(p.title, p._default) for p in pages if p._visibility == "visible"])
        registered.append(len(pages))
        return navigation(pages, **kwargs)
    monkeypatch.setattr(st, "navigation", spy)
    at = open_page("app.py")
    assert [title for title, _ in listed[0]] == expected
    # Every page is registered (the others hidden), so a URL typed by hand reaches the page's own check.
    assert registered[0] == 10
    start = next(title for title, default in listed[0] if default)
    assert start == ("Översikt" if "Översikt" in expected else expected[0])
    assert not at.exception and errors(at) == []
    if start == "Veckorapport":  # the start page is drawn: the form for the reporter's unit
        assert at.title[0].value == "Veckorapport" and UNIT in shown(at)


def test_without_login_the_local_admin_reports_for_any_unit(login, db, monkeypatch, config):
    """No login (the app on this computer only): admin, every unit to choose from, recorded as the local
    administrator."""
    login()
    monkeypatch.setattr(gate, "auth_configured", lambda: False)
    monkeypatch.setattr(gate, "listens_on_loopback_only", lambda: True)
    at = open_page()
    unit = next(s for s in at.selectbox if s.label == t("vk_unit"))
    assert unit.options == [u.name for u in config.reporting_units]
    unit.set_value(OTHER_UNIT).run()
    submit(fill(at, ort="Överlida", grades={"otrygg_plats": 2}))
    assert errors(at) == []
    saved = app_reports(db)
    assert saved[["reporter", "actor"]].values.tolist() == [[OTHER_UNIT, gate.LOCAL_ACTOR]]


def test_feedback_also_covers_places_the_unit_reported_through_the_form_tool(login, db, config, tmp_path):
    """A unit reporting partly through an imported form export sees the decisions about those places too."""
    from tsk.ingest.run import run_import

    login()
    with open_store(db, config=config) as store:
        store.save_proposal({"measure_id": None, "origin": "analysgrupp", "area": "Högvad", "ort": "Överlida",
                             "place": "Badplatsen", "category": "klotter", "description": "Belysning vid badplatsen.",
                             "evidence": "[]", "owner": "Samhällsbyggnadsförvaltningen", "decision_path": "KS",
                             "due_date": None, "status": "beslutad", "decision_date": date(2026, 11, 30),
                             "outcome": None})
    unit = next(u for u in config.reporting_units if u.name == UNIT)
    csv = tmp_path / "forms.csv"
    csv.write_text("Vecka;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning\n"
                   f"v48 2026;{unit.organisation};{UNIT};Överlida;Badplatsen;Klotter;2\n", encoding="utf-8")
    run_import("lagesbild", csv, db=db, config=config, backup=False)
    at = open_page()
    assert app_reports(db).empty  # nothing written in the app
    table = next(d.value for d in at.dataframe if t("vk_col_proposal") in d.value.columns)
    assert "Belysning vid badplatsen." in table[t("vk_col_proposal")].tolist()
    assert set(table[t("col_ort")]) <= set(reported_orter(db))


def reported_orter(db) -> list[str]:
    """The orter the unit reported on in the list's weeks, from either source."""
    monday = TODAY - timedelta(days=TODAY.weekday())
    with open_store(db, read_only=True) as store:
        rows = store.unit_reports(UNIT, monday - timedelta(weeks=7), monday)
    return rows["ort"].dropna().tolist()
