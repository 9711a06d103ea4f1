"""A quarantined row corrected with a suggestion is imported and marked resolved; a still-wrong one stays."""
from pathlib import Path

from tsk.corrections import guess_column, reimport_corrected
from tsk.db import open_store
from tsk.importers import run_import

FILES = Path(__file__).parent / "files"


def test_correcting_an_unknown_ort_with_its_suggestion(config, tmp_db):
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    with open_store(tmp_db, read_only=True) as store:
        rows = store.open_quarantine().to_dict("records")
        before = store.counts()
    row = next(r for r in rows if "Överlidda" in r["reason"])
    import json

    column = guess_column(json.loads(row["original_row"]), row["reason"])
    assert column == "Ort"
    outcome = reimport_corrected(tmp_db, config, row, column, "Överlida")
    assert (outcome.accepted, outcome.quarantined) == (1, 0)
    with open_store(tmp_db, read_only=True) as store:
        after = store.counts()
        assert len(store.open_quarantine()) == len(rows) - 1
        placed = store.query("SELECT ort, category FROM lagesbild WHERE report_id LIKE 'rattad_%'")
    assert after["lagesbild"] == before["lagesbild"] + 1 and after["quarantine"] == before["quarantine"] - 1
    assert placed.values.tolist() == [["Överlida", "klotter"]]


def test_a_correction_that_is_still_wrong_stays_in_quarantine(config, tmp_db):
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    with open_store(tmp_db, read_only=True) as store:
        row = next(r for r in store.open_quarantine().to_dict("records") if "Överlidda" in r["reason"])
    outcome = reimport_corrected(tmp_db, config, row, "Ort", "Atlantis")
    assert outcome.quarantined == 1
    with open_store(tmp_db, read_only=True) as store:
        assert any(r["row_number"] == row["row_number"] and r["import_id"] == row["import_id"]
                   for r in store.open_quarantine().to_dict("records"))
