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


def test_a_file_imported_with_a_mapping_from_elsewhere_is_corrected_in_bulk(config, tmp_db, tmp_path):
    """The mapping text is stored with the import: the fix reads the rows the same way after the mapping
    file is gone, and every row with the same reason and value is fixed in one write."""
    from tsk.corrections import quarantine_group, reimport_corrected_many, review_list

    mapping = tmp_path / "elsewhere" / "var_form.toml"
    mapping.parent.mkdir()
    mapping.write_text(
        'source = "lagesbild"\nlayout = "wide"\n[columns]\nweek = "Veckonummer"\nreporter = "Enhet"\n'
        'ort = "Byn"\n[constants]\norganisation = "Polisen"\n[categories]\n"Klotter?" = "klotter"\n', encoding="utf-8")
    data = tmp_path / "export.csv"
    data.write_text("Veckonummer;Enhet;Byn;Klotter?\n"
                    "v3 2026;Kommunpolis Svenljunga;Kalv;Jättemycket\n"
                    "v4 2026;Kommunpolis Svenljunga;Kalv;Lite\n"
                    "v5 2026;Kommunpolis Svenljunga;Kalv;jättemycket\n"
                    "v6 2026;Kommunpolis Svenljunga;Kalv;Jättemycket\n", encoding="utf-8")
    outcome = run_import("lagesbild", data, db=tmp_db, config=config, mapping=mapping)
    assert (outcome.accepted, outcome.quarantined) == (1, 3)
    mapping.unlink()  # the fix must not need the file
    with open_store(tmp_db, read_only=True) as store:
        (group,) = review_list(store, config)["quarantine"]
        rows = quarantine_group(store, config, source=group["source"], reason_key=group["reason_key"],
                                value=group["value"])
        assert store.import_log()["actor"].notna().all()
    assert (group["reason_key"], group["rows"], len(rows)) == ("unknown_grade", 3, 3)
    got = reimport_corrected_many(tmp_db, config, rows, "Klotter?", "Allvarligt", actor="granskare")
    assert (got.accepted, got.quarantined) == (3, 0)
    with open_store(tmp_db, read_only=True) as store:
        assert store.open_quarantine().empty
        stored = store.query("SELECT iso_week, grade FROM lagesbild ORDER BY iso_week")
        log = store.import_log()
    assert stored.values.tolist() == [[3, 3], [4, 1], [5, 3], [6, 3]]
    assert log["actor"].tolist()[-1] == "granskare" and len(log) == 2
