"""The analysgrupp's loop: meeting records keep their frozen figures after new imports, proposal status
changes are kept as history, the agenda lists exactly the overdue proposals, and the page works in
both views without free text in Mötesläge."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk.config import ROOT
from tsk.i18n import t
from tsk.ingest.run import run_import
from tsk.pagedata import meeting as mtg
from tsk.parsing import week_monday
from tsk.store import open_store

FILES = Path(__file__).parent / "files"
TODAY = date(2026, 11, 25)


@pytest.fixture
def db(demo_copy) -> Path:
    return demo_copy


def _snapshot(store, config):
    areas = tuple(a.name for a in config.areas)
    orgs = tuple(o.name for o in config.organisations)
    return mtg.snapshot(store, config, areas=areas, orgs=orgs, week_from=week_monday(2026, 36),
                        week_to=week_monday(2026, 47))


def test_meeting_keeps_its_frozen_figures_after_a_new_import(db, config):
    with open_store(db, config=config) as store:
        snap = _snapshot(store, config)
        meeting_id = store.save_meeting({
            "meeting_date": TODAY, "period_from": week_monday(2026, 36), "period_to": week_monday(2026, 47),
            "organisations": json.dumps(["Svenljunga kommun", "Polisen", "Svenbo"]), "notes": "Genomgång.",
            "snapshot": json.dumps(snap, ensure_ascii=False)})
    # New reports arrive after the meeting (v47 2026 in Högvad and Kindaholm).
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=db, config=config)
    with open_store(db, read_only=True) as store:
        record = store.meetings().set_index("meeting_id").loc[meeting_id]
        assert json.loads(record["snapshot"]) == snap
        assert record["notes"] == "Genomgång." and str(record["meeting_date"])[:10] == "2026-11-25"
        now = _snapshot(store, config)
    assert now["counts"]["lagesbild"] == snap["counts"]["lagesbild"] + 2  # the figures today differ …
    assert json.loads(record["snapshot"])["counts"]["lagesbild"] == snap["counts"]["lagesbild"]  # … the record not


def test_status_changes_are_kept_as_history(db, config):
    proposal = {"measure_id": None, "origin": "analysgrupp", "area": "Högvad", "ort": "Överlida",
                "place": "Badplatsen", "category": "storande_samlingar", "description": "Belysning vid badplatsen.",
                "evidence": json.dumps(["Badplatsen, Överlida: 27 rapporter"]), "owner": "Samhällsbyggnadsförvaltningen",
                "decision_path": "KS", "due_date": date(2027, 3, 31), "status": "föreslagen"}
    with open_store(db, config=config) as store:
        mid = store.save_proposal(proposal)
        store.save_proposal({**proposal, "measure_id": mid, "status": "beslutad", "decision_date": date(2026, 12, 7),
                             "outcome": "KS beslutade att genomföra"})
        store.save_proposal({**proposal, "measure_id": mid, "status": "beslutad", "outcome": "oförändrat"})
        store.save_proposal({**proposal, "measure_id": mid, "status": "klar", "completed_date": date(2027, 2, 1)})
        history = store.measure_history(mid)
        row = store.all_measures().set_index("measure_id").loc[mid]
    assert history["status"].tolist() == ["föreslagen", "beslutad", "klar"]  # an unchanged status adds nothing
    assert row["status"] == "klar" and row["origin"] == "analysgrupp" and row["area"] == "Högvad"


def test_agenda_lists_exactly_the_overdue_proposals(db, config):
    with open_store(db, config=config) as store:
        store.save_proposal({"measure_id": None, "origin": "traffpunkt", "area": "Kindaholm", "ort": None,
                             "place": None, "category": "buskorning", "description": "Dialog om mopedåkning.",
                             "owner": "Kultur och fritid", "decision_path": "KLG", "due_date": date(2027, 1, 31),
                             "status": "föreslagen"})
        measures = store.all_measures()
        agenda = mtg.agenda(store, config, today=TODAY)
    open_past_due = measures[measures["status"].isin(["föreslagen", "beslutad", "pågår"])
                             & (measures["due_date"].dt.date < TODAY)]
    assert sorted(agenda["overdue"]["measure_id"]) == sorted(open_past_due["measure_id"]) != []
    # The demo's walk measures due 2026-03-31 (pågår) and 2026-06-30 (beslutad) are overdue; the
    # avslagen one and the new one (due 2027) are not.
    assert set(agenda["overdue"]["status"]) == {"pågår", "beslutad"}
    assert agenda["since"] is None and agenda["new"]


@pytest.mark.parametrize("meeting_view", [False, True], ids=["normal", "motesla"])
def test_page_in_both_views_and_no_free_text_in_meeting_mode(db, config, monkeypatch, meeting_view):
    secret = "Anteckning som bara analysgruppen ska läsa"
    with open_store(db, config=config) as store:
        store.save_meeting({"meeting_date": TODAY, "period_from": week_monday(2026, 36),
                            "period_to": week_monday(2026, 47), "organisations": json.dumps(["Polisen"]),
                            "notes": secret, "snapshot": json.dumps(_snapshot(store, config), ensure_ascii=False)})
    monkeypatch.setenv("TSK_DB", str(db))
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if meeting_view:
        at.query_params["mote"] = "1"
    at.run()
    at.switch_page("pages/analysgrupp.py")
    at.run()
    assert not at.exception and [e.value for e in at.error] == []
    shown = "\n".join(m.value for m in at.markdown)
    assert (secret in shown) is (not meeting_view)
    # The meeting can be recorded without leaving Mötesläge (issue 15); the recorded notes stay hidden
    # there (above), and so do the proposals' own texts (the update form lists them).
    assert "Registrera ett möte" in [h.value for h in at.subheader]
    assert ("Uppdatera status eller beslut" in [e.label for e in at.expander]) is (not meeting_view)


def test_the_demo_shows_where_the_sources_disagree(demo_db, config):
    """Planted in the demo: Kindaholm's residents are notably more often otrygg in 2026 while its
    lägesbild stays below the kommun's rate (data/demo/README.md, pattern 5). Only Kindaholm."""
    areas = tuple(a.name for a in config.areas)
    with open_store(demo_db, read_only=True) as store:
        end = week_monday(*store.latest_week())
        notes = mtg.disagreements(store, config, areas=areas, week_from=week_monday(2025, 48), week_to=end)
    assert len(notes) == 1 and notes[0].startswith("Kindaholm: 48\u00a0% otrygga")
    with open_store(demo_db, read_only=True) as store:
        without = mtg.disagreements(store, config, areas=tuple(a for a in areas if a != "Kindaholm"),
                                    week_from=week_monday(2025, 48), week_to=end)
    assert without == []


def test_the_meeting_record_exports_as_word_and_excel(db, config):
    import io

    from docx import Document
    from openpyxl import load_workbook

    with open_store(db, config=config) as store:
        store.save_meeting({"meeting_date": TODAY, "period_from": week_monday(2026, 36),
                            "period_to": week_monday(2026, 47), "organisations": json.dumps(["Polisen", "Svenbo"]),
                            "notes": "Vi går till Badplatsen", "snapshot": json.dumps(_snapshot(store, config),
                                                                                    ensure_ascii=False)})
    with open_store(db, read_only=True) as store:
        meetings, measures = store.meetings(), store.all_measures()
    doc = Document(io.BytesIO(mtg.record_docx(meetings, measures, config)))
    assert doc.paragraphs[0].text == f"Trygg och säker {config.name} – analysgruppens möte"
    assert len(doc.tables) >= 1
    book = load_workbook(io.BytesIO(mtg.record_xlsx(meetings, measures, config)))
    assert len(book.sheetnames) == len(doc.tables) >= 1
    first = [str(c.value) for row in book[book.sheetnames[0]].iter_rows() for c in row]
    assert str(TODAY) in first and not any("00:00:00" in v for v in first)  # dates, not midnight timestamps


def test_the_proposal_list_shows_dates_not_timestamps(demo_db, config):
    import datetime as dt

    with open_store(demo_db, read_only=True) as store:
        rows = mtg.proposal_rows(store.all_measures(), config)
    due = rows["Klart senast"].dropna()
    assert len(due) > 0 and all(type(d) is dt.date for d in due)


def test_saving_a_meeting_clears_the_form_and_the_list_shows_it_at_once(db, config, monkeypatch):
    """After «Spara mötet» the meeting list reads the new database (it was drawn before the write), the
    notes field is empty again, and the free text typed is stored redacted."""
    monkeypatch.setenv("TSK_DB", str(db))
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/analysgrupp.py")
    at.run()
    with open_store(db, read_only=True) as store:
        before = len(store.meetings())
    at.text_area(key="mt_notes").input("Ring Anna Svensson på 070-123 45 67 om belysningen")
    next(b for b in at.button if b.label == "Spara mötet med dagens siffror").click()
    at.run()
    assert not at.exception and [e.value for e in at.error] == []
    with open_store(db, read_only=True) as store:
        meetings = store.meetings()
    assert len(meetings) == before + 1
    assert "070-123 45 67" not in meetings.iloc[0]["notes"]
    assert at.text_area(key="mt_notes").value == ""
    assert any("sparat" in s.value.casefold() or "sparades" in s.value.casefold() for s in at.success)
    assert len(at.selectbox(key="ag_meeting").options) == before + 1


def test_a_meeting_without_organisations_and_an_empty_proposal_are_refused_and_write_nothing(db, monkeypatch):
    """The forms run the registers' checks before writing: the Swedish message, and the file untouched."""
    monkeypatch.setenv("TSK_DB", str(db))
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/analysgrupp.py")
    at.run()
    before = db.stat().st_mtime_ns
    at.multiselect(key="mt_orgs").set_value([])
    next(b for b in at.button if b.label == "Spara mötet med dagens siffror").click()
    at.run()
    assert [e.value for e in at.error] == [t("ag_meeting_no_orgs")]
    at.text_area(key="pf_description").input("   ")
    next(b for b in at.button if b.label == t("ag_proposal_save")).click()
    at.run()
    assert t("ag_proposal_empty") in [e.value for e in at.error]
    assert not at.exception and db.stat().st_mtime_ns == before
