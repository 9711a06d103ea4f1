"""A quarantined row corrected with a suggestion is imported and marked resolved; a still-wrong one stays."""
from pathlib import Path

from tsk.ingest.corrections import guess_column, reimport_corrected
from tsk.ingest.run import run_import
from tsk.store import open_store

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
    from tsk.ingest.corrections import (
        quarantine_group,
        reimport_corrected_many,
        review_list,
    )

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


def _row_by_row_review(store, config):
    """The quarantine half of review_list as it was written first: every open row brought to Python."""
    import json

    from tsk.text import normalise_name

    groups = {}
    for r in store.open_quarantine().to_dict("records"):
        key_ = r.get("reason_key") if isinstance(r.get("reason_key"), str) else None
        value = r.get("reason_value") if isinstance(r.get("reason_value"), str) else None
        group = (r["source"], key_, normalise_name(value, config.abbreviations) if value else None) if key_ \
            else (r["source"], None, r["reason"])
        e = groups.setdefault(group, {"source": r["source"], "reason_key": key_, "value": value, "reason": r["reason"],
                                      "rows": 0, "suggestions": json.loads(r["suggestions"] or "[]"), "import_ids": []})
        e["rows"] += 1
        if int(r["import_id"]) not in e["import_ids"]:
            e["import_ids"].append(int(r["import_id"]))
    return sorted(groups.values(), key=lambda e: (-e["rows"], e["source"], e["reason"]))


def _plain(rows):
    """Rows with every missing value as None (an all-empty column comes back as NaN or None by its dtype)."""
    return [{k: None if isinstance(v, float) and v != v else v for k, v in r.items()} for r in rows]


def _row_by_row_group(store, config, e):
    from tsk.text import normalise_name

    want = normalise_name(e["value"], config.abbreviations) if e["value"] else None
    out = []
    for r in store.open_quarantine().to_dict("records"):
        key_ = r.get("reason_key") if isinstance(r.get("reason_key"), str) else None
        if e["reason_key"] is None:
            if key_ is None and r["reason"] == e["reason"]:
                out.append(r)
            continue
        v = r.get("reason_value") if isinstance(r.get("reason_value"), str) else None
        if key_ == e["reason_key"] and v is not None and normalise_name(v, config.abbreviations) == want:
            out.append(r)
    return out


def test_the_review_groups_are_counted_by_the_store_as_they_were_row_by_row(config, tmp_db, tmp_path):
    """Counted in SQL (a file quarantined whole must not bring a million rows to the page), the groups,
    their first reason and suggestions, counts and imports are those of the row-by-row version; spellings
    that normalise alike stay one group, and rows without a reason key group by their reason."""
    from tsk.ingest.corrections import quarantine_group, review_list

    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    data = tmp_path / "export.csv"
    data.write_text("Vecka;Organisation;Inrapportör;Ort;Kategori;Bedömning\n"
                    "v3 2026;Polisen;Kommunpolis Svenljunga;Kalv;Klotter;Jättemycket\n"
                    "v4 2026;Polisen;Kommunpolis Svenljunga;Kalv;Klotter;jättemycket \n"
                    "v5 2026;Polisen;Kommunpolis Svenljunga;Atlantis;Klotter;1\n"
                    "v6 2026;Polisen;Kommunpolis Svenljunga;Kalv;Klotter;JÄTTEMYCKET\n", encoding="utf-8")
    run_import("lagesbild", data, db=tmp_db, config=config)
    with open_store(tmp_db) as store:  # rows quarantined before reason keys existed (schema < 5)
        store.run("""UPDATE quarantine SET reason_key = NULL, reason_value = NULL
                     WHERE row_number = (SELECT min(row_number) FROM quarantine)""")
    with open_store(tmp_db, read_only=True) as store:
        new = review_list(store, config)["quarantine"]
        old = _row_by_row_review(store, config)
        assert new == old
        assert len(new) >= 3 and any(e["reason_key"] is None for e in new)
        # «jättemycket » and «JÄTTEMYCKET» are one group (the first «Jättemycket» row was made keyless above).
        grade = next(e for e in new if e["reason_key"] == "unknown_grade" and e["value"] != "7")
        assert grade["rows"] == 2 and grade["value"].strip().casefold() == "jättemycket"
        # Each group's rows, fetched by the store, are the rows the row-by-row filter found: all that were
        # counted, except a keyed group without a value (a bad week), which it never matched either.
        for e in new:
            rows = quarantine_group(store, config, source=e["source"], reason_key=e["reason_key"], value=e["value"],
                                    reason=e["reason"])
            assert _plain(rows) == _plain(_row_by_row_group(store, config, e)), e
            if e["value"] is not None or e["reason_key"] is None:
                assert len(rows) == e["rows"] and sorted({r["import_id"] for r in rows}) == e["import_ids"]
