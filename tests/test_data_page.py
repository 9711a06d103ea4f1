"""The Data page: quarantine review and correction through the form, and the import log."""
import html

import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk.config import ROOT
from tsk.i18n import t
from tsk.store import open_store


def test_correcting_a_quarantined_row_from_the_page(demo_copy, monkeypatch):
    db = demo_copy
    monkeypatch.setenv("TSK_DB", str(db))
    from tsk.ui import gate

    monkeypatch.setattr(gate, "ensure_app", lambda: None)  # open the page file itself
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=120)
    at.run()
    assert not at.exception and [e.value for e in at.error] == []
    with open_store(db, read_only=True) as store:
        waiting = store.open_quarantine().to_dict("records")
    target = next(i for i, r in enumerate(waiting) if "Överlidda" in r["reason"] and r["source"] == "lagesbild")
    at.selectbox(key="dt_qrow").set_value(target).run()
    assert at.selectbox[-1].value == "Överlida"  # the suggestion is offered first
    at.button[-1].click().run()  # "Rätta och läs in raden"
    assert not at.exception
    assert [s.value for s in at.success] == ["Raden är rättad och inläst."]
    with open_store(db, read_only=True) as store:
        assert len(store.open_quarantine()) == len(waiting) - 1


def test_the_upload_preview_says_what_an_import_would_do_and_rejects_in_swedish(config):
    from pathlib import Path

    from tsk.i18n import t
    from tsk.importers import parse_file
    from tsk.ui import review

    files = Path(__file__).parent / "files"
    good = files / "lagesbild_standard_utf8.csv"
    batch, _ = parse_file("lagesbild", good, config=config)
    preview, error = review._preview("lagesbild", good.name, good.read_bytes(), None, None)
    assert error is None and preview == (batch.accepted, [(q.row_number, q.reason) for q in batch.quarantine])
    preview, error = review._preview("lagesbild", "tom.csv", b"", None, None)
    assert preview is None and error == t("file_empty")


def test_reviewing_new_names_and_a_quarantine_group_from_the_page(demo_copy, config, monkeypatch):
    """The review tab: a free-typed place of the demo becomes an alias (its rows move), and the unknown
    ort spelling becomes an alias of an ort (its quarantined rows are imported again)."""
    from tsk.ingest import corrections
    from tsk.ui import gate

    db = demo_copy
    monkeypatch.setenv("TSK_DB", str(db))
    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    st.cache_data.clear()
    with open_store(db, read_only=True) as store:
        review = corrections.review_list(store, config)
        before_q = len(store.open_quarantine())
    name = next(i for i, e in enumerate(review["places"]) if e["name"] == "Sporthallen" and e["ort"] == "Svenljunga")
    rows = review["places"][name]["reports"]
    group = next(i for i, g in enumerate(review["quarantine"]) if g["value"] == "Överlidda")
    n_group = sum(g["rows"] for g in review["quarantine"] if g["value"] == "Överlidda")  # survey and lägesbild

    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=120)
    at.run()
    assert not at.exception and [e.value for e in at.error] == []
    at.selectbox(key="rv_name").set_value(name).run()
    at.radio(key="rv_action").set_value("alias").run()
    at.selectbox(key=f"rv_target_{name}").set_value("Torget").run()
    at.button(key="rv_go_alias").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    # Shown through the text helper: names and punctuation as character references.
    assert any(f"Rader som fått platsen: {rows}." in html.unescape(s.value) for s in at.success)
    with open_store(db, read_only=True) as store:
        moved = store.scalar("SELECT count(*) FROM lagesbild WHERE place_text = 'Sporthallen' AND place = 'Torget'")
        log = store.import_log()
    assert moved == rows and log["source"].iloc[-1] == "granskning"
    assert log["actor"].iloc[-1] == "administratör (lokalt)"

    st.cache_data.clear()
    at.run()
    at.selectbox(key="rv_group").set_value(group).run()
    assert at.selectbox(key=f"rv_ort_target_{group}").value == "Överlida"  # the suggestion first
    at.button(key="rv_go_ort").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    with open_store(db, read_only=True) as store:
        assert len(store.open_quarantine()) == before_q - n_group


def test_a_reporter_and_a_category_group_are_fixed_from_the_review_tab(config, tmp_path, monkeypatch):
    from tsk.ingest.run import run_import
    from tsk.ui import gate

    db = tmp_path / "groups.duckdb"
    csv = tmp_path / "lb.csv"
    csv.write_text("Vecka;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning\n"
                   "v3 2026;Svenljunga kommun;Fältgrupp;Kalv;;Klotter;1\n"
                   "v4 2026;Svenljunga kommun;Fältgrupp;Kalv;;Klotter;2\n"
                   "v4 2026;Polisen;Kommunpolis Svenljunga;Kalv;;Cykelstölder;1\n", encoding="utf-8")
    run_import("lagesbild", csv, db=db, config=config)
    monkeypatch.setenv("TSK_DB", str(db))
    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=120)
    at.run()
    assert not at.exception and [e.value for e in at.error] == []
    # group 0: the unknown reporter (2 rows), offered its closest unit first
    assert at.selectbox(key="rv_unit_0").value == "Fältgruppen"
    at.button(key="rv_go_unit").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    with open_store(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM lagesbild WHERE reporter = 'Fältgruppen'") == 2
        assert len(store.open_quarantine()) == 1
    st.cache_data.clear()
    at.run()
    at.selectbox(key="rv_group").set_value(0).run()
    assert at.selectbox[-2].value == "Kategori"  # the column the reason quotes
    assert at.selectbox[-1].value == "narkotika"  # the suggestion is offered, not applied
    at.selectbox[-1].set_value("Klotter").run()  # a value of one's own (accept_new_options)
    next(b for b in at.button if b.label.startswith("Rätta och läs in")).click().run()
    assert not at.exception and [e.value for e in at.error] == []
    with open_store(db, read_only=True) as store:
        assert store.open_quarantine().empty
        assert store.scalar("SELECT count(*) FROM lagesbild WHERE reporter = 'Kommunpolis Svenljunga'") == 1


def test_doubles_of_in_app_reports_are_closed_from_the_review_tab(config, tmp_path, monkeypatch):
    """The samordnare closes a form export's copy of an in-app report as a double; it is never counted."""
    from datetime import date

    from tsk.ingest.run import run_import
    from tsk.ingest.veckorapport import Submission, submit
    from tsk.ui import gate

    db = tmp_path / "doubles.duckdb"
    unit = config.reporting_units[0]
    with open_store(db, config=config):
        pass
    submit(db, Submission(unit.name, 2026, 48, ort="Kalv", grades={"klotter": 1}), actor="a@kommun.example",
           allowed=(unit,), config=config, today=date(2026, 11, 25))
    csv = tmp_path / "lb.csv"
    csv.write_text("Vecka;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning\n"
                   f"v48 2026;{unit.organisation};{unit.name};Kalv;;Klotter;1\n", encoding="utf-8")
    assert run_import("lagesbild", csv, db=db, config=config, backup=False).quarantined == 1
    monkeypatch.setenv("TSK_DB", str(db))
    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=120)
    at.run()
    at.selectbox(key="rv_group").set_value(0).run()
    next(b for b in at.button if b.label.startswith("Stäng som dubbletter")).click().run()
    assert not at.exception and [e.value for e in at.error] == []
    assert t("rv_doubles_done", n=1) in [s.value for s in at.success]
    with open_store(db, read_only=True) as store:
        assert store.open_quarantine().empty
        assert store.scalar("SELECT count(*) FROM lagesbild WHERE reporter = ?", [unit.name]) == 1
