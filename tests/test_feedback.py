"""The samordnare's återkoppling (Analysgrupp, tab Inrapportering; issue 17, item 4): a unit's reports of a
period (weeks, places, categories, grades; never a comment) and what the analysgrupp decided about those
places, as Swedish text, a mailto: to the unit's address and a .txt; in Mötesläge no address and no free
text. And the per-unit table of in-app, imported and flagged reports. On the second kommun with units."""
from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

from tests.test_app import run_page
from tests.test_app_doubles import fresh_store, in_app, lb_file, units_config
from tsk.i18n import t
from tsk.ingest.run import run_import
from tsk.pagedata import feedback
from tsk.store import open_store

PAGE = "pages/analysgrupp.py"
SECRET = "Grannen Olle langar"  # a comment: never in the återkoppling
DESCRIPTION = "Bättre belysning vid torget"


def small_store(tmp_path):
    """Fritidsgården: an import for week 9 (with a comment), in the app Torget in week 10 and «inget att
    rapportera» in week 11; Skolorna at Granlid. Measures at Torget, at Björkdala as a whole, and at
    Granlid; two meetings."""
    db, cfg = fresh_store(tmp_path)
    run_import("lagesbild", lb_file(tmp_path / "forms.csv",
                                    f"v9 2025;Björkdala kommun;Fritidsgården;Björkdala;Stationen;Klotter;3;{SECRET}",
                                    "v9 2025;Björkdala kommun;Skolorna;Granlid;Badplatsen;Narkotika;2;"),
               db=db, config=cfg, backup=False)
    in_app(db, cfg, "Fritidsgården", 10, ort="Björkdala", place="Torget", grades={"klotter": 2, "narkotika": 1},
           comment=SECRET)
    in_app(db, cfg, "Fritidsgården", 11, nothing=True)
    with open_store(db, config=cfg) as store:
        base = {"origin": "analysgrupp", "area": None, "category": "klotter", "owner": "Gatuenheten",
                "decision_path": "KLG", "evidence": "[]", "outcome": None}
        store.save_proposal({**base, "ort": "Björkdala", "place": "Torget", "description": DESCRIPTION,
                             "status": "beslutad", "decision_date": date(2025, 3, 6), "due_date": date(2025, 5, 30)})
        store.save_proposal({**base, "ort": "Björkdala", "place": None, "description": "Nattvandring i centrum",
                             "status": "föreslagen", "owner": "Fritidsförvaltningen", "category": None})
        store.save_proposal({**base, "ort": "Granlid", "place": "Badplatsen", "description": "Staket",
                             "status": "klar", "owner": "Tekniska"})
        for day in (date(2025, 2, 3), date(2025, 3, 7)):
            store.save_meeting({"meeting_date": day, "period_from": day, "period_to": day,
                                "organisations": json.dumps(["Björkdala kommun"]), "notes": None, "snapshot": "{}"})
    return db, cfg


def test_the_summary_names_the_weeks_places_grades_and_decisions_never_a_comment(tmp_path):
    db, cfg = small_store(tmp_path)
    with open_store(db, read_only=True) as store:
        back = feedback.unit_feedback(store, cfg, unit="Fritidsgården", week_from=date(2025, 2, 24),
                                      week_to=date(2025, 3, 12))
    lines = back.text.splitlines()
    assert lines[0] == "Återkoppling till Fritidsgården, vecka 9 2025 till vecka 11 2025"
    assert "- Vecka 9 2025, Björkdala, Stationen: Klotter: Allvarligt (3)" in lines
    assert "- Vecka 10 2025, Björkdala, Torget: Klotter: Förhöjt (2), Narkotika: Lite (1)" in lines
    assert "- Vecka 11 2025: inget att rapportera" in lines
    # The decision at Torget with Swedish dates, the ort-wide proposal, and not Granlid's measure.
    assert (f"- Björkdala, Torget – {DESCRIPTION} (Klotter): beslutad, beslutsdatum 6 mars 2025, "
            "ansvarig: Gatuenheten, klart senast 30 maj 2025") in lines
    assert "- Björkdala (hela orten) – Nattvandring i centrum: föreslagen, ansvarig: Fritidsförvaltningen" in lines
    assert "Staket" not in back.text and "Granlid" not in back.text and "Skolorna" not in back.text
    assert "Analysgruppen möttes senast 7 mars 2025." in lines
    assert SECRET not in back.text and "Grannen" not in back.text
    # Mail to the unit's own address, subject and text url-encoded; a text file to download.
    parts = urlsplit(back.mailto)
    assert parts.scheme == "mailto" and unquote(parts.path) == "fritidsgarden@bjorkdala.example"
    query = parse_qs(parts.query)
    assert query["subject"] == [back.subject] and query["body"] == [back.text]
    assert back.subject == "Återkoppling från analysgruppen: Fritidsgården, vecka 9 2025 till vecka 11 2025"
    assert back.file_name.endswith(".txt") and "fritidsgarden" in back.file_name


def test_in_meeting_mode_no_address_and_no_free_text(tmp_path):
    db, cfg = small_store(tmp_path)
    in_app(db, cfg, "Skolorna", 11, ort="Björkdala", other="Bakom sporthallen", grades={"klotter": 1})
    with open_store(db, read_only=True) as store:
        shown = feedback.unit_feedback(store, cfg, unit="Fritidsgården", week_from=date(2025, 2, 24),
                                       week_to=date(2025, 3, 10), public=True)
        other = feedback.unit_feedback(store, cfg, unit="Skolorna", week_from=date(2025, 3, 10),
                                       week_to=date(2025, 3, 10), public=True)
        private = feedback.unit_feedback(store, cfg, unit="Skolorna", week_from=date(2025, 3, 10),
                                         week_to=date(2025, 3, 10))
    assert shown.mailto is None and "@" not in shown.text
    assert DESCRIPTION not in shown.text and "Nattvandring" not in shown.text
    assert "- Björkdala, Torget (Klotter): beslutad, beslutsdatum 6 mars 2025" in shown.text
    assert "Bakom sporthallen" not in other.text and "Björkdala, annan plats: Klotter: Lite (1)" in other.text
    assert "Björkdala, Bakom sporthallen: Klotter: Lite (1)" in private.text
    assert private.mailto is None  # Skolorna has no address


def test_the_units_table_counts_app_imported_and_doubles(tmp_path):
    db, cfg = small_store(tmp_path)
    out = run_import("lagesbild", lb_file(tmp_path / "forms2.csv",
                                          "v10 2025;Björkdala kommun;Fritidsgården;Björkdala;Torget;Klotter;1;",
                                          "v10 2025;Björkdala kommun;Fritidsgården;Björkdala;Stationen;Klotter;1;"),
                     db=db, config=cfg, backup=False)
    assert out.quarantined == 1
    with open_store(db, read_only=True) as store:
        rows = feedback.unit_sources(store, 8)
    got = {(r.reporter, r.week_start.isocalendar()[1]): (r.in_app, r.imported, r.doubles) for r in rows.itertuples()}
    assert got == {("Fritidsgården", 9): (0, 1, 0), ("Skolorna", 9): (0, 1, 0),
                   ("Fritidsgården", 10): (1, 1, 1), ("Fritidsgården", 11): (1, 0, 0)}
    table = feedback.unit_sources_table(rows, cfg).set_index(t("col_reporter"))
    assert list(table.columns) == ["v9 2025", "v10 2025", "v11 2025"]
    assert list(table.index) == [u.name for u in cfg.reporting_units]  # Kommunpolis wrote nothing: still listed
    assert table.loc["Fritidsgården"].tolist() == ["1", "2 · 1 i appen · 1 dubblett", "1 · 1 i appen"]
    assert table.loc["Skolorna"].tolist() == ["1", "–", "–"]
    assert table.loc["Kommunpolis"].tolist() == ["–", "–", "–"]


def test_the_tab_shows_the_summary_and_the_mail_and_no_address_in_meeting_mode(tmp_path, monkeypatch):
    db, cfg = small_store(tmp_path)
    monkeypatch.setenv("TSK_CONFIG", str(units_config(tmp_path)))
    monkeypatch.setenv("TSK_DB", str(db))
    at = run_page(PAGE)
    assert not at.exception and [e.value for e in at.error] == []
    assert at.selectbox(key="fb_unit").value is None and not at.code  # nothing before a unit is chosen
    at.selectbox(key="fb_unit").set_value("Fritidsgården").run()
    code = "\n".join(c.value for c in at.code)
    assert "Återkoppling till Fritidsgården, vecka 8 2025 till vecka 11 2025" in code
    assert "- Vecka 10 2025, Björkdala, Torget: Klotter: Förhöjt (2), Narkotika: Lite (1)" in code
    assert SECRET not in code
    links = [b.proto.url for b in at.get("link_button")]
    assert any(u.startswith("mailto:fritidsgarden@bjorkdala.example?subject=") for u in links)
    assert any("1 · 1 i appen" in d.value.values for d in at.dataframe)  # week 10: the app's report
    at.selectbox(key="fb_unit").set_value("Skolorna").run()
    assert say_no_email("Skolorna") in [c.value for c in at.caption]

    meeting = run_page(PAGE, {"mote": "1"})
    meeting.selectbox(key="fb_unit").set_value("Fritidsgården").run()
    assert not meeting.exception and [e.value for e in meeting.error] == []
    assert t("fb_meeting") in [c.value for c in meeting.caption]
    assert not meeting.get("link_button")
    shown = "\n".join(str(x.value) for x in [*meeting.markdown, *meeting.caption, *meeting.code])
    assert "@bjorkdala.example" not in shown and DESCRIPTION not in shown
    assert "Återkoppling till Fritidsgården" in shown


def say_no_email(unit: str) -> str:
    return t("fb_no_email", unit=unit)


def test_the_period_choice_spans_the_configured_weeks_up_to_the_newest_report(tmp_path):
    """[windows] feedback_weeks: the Mondays a period can start or end on, oldest first."""
    from datetime import timedelta

    from tsk.config import load_config

    db, cfg = small_store(tmp_path)
    assert load_config().windows.feedback_weeks == 26
    with open_store(db, read_only=True) as store:
        newest = feedback.newest_week(store)
        four = feedback.feedback_weeks(store, 4)
    assert four == [newest - timedelta(weeks=k) for k in (3, 2, 1, 0)] and all(d.weekday() == 0 for d in four)
