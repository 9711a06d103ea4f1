"""The demo database: built from the shipped export files through the ordinary importers, holding
every source, with bad rows in quarantine rather than dropped; real police data adds to it."""
from __future__ import annotations

from tsk.cli import status_dict
from tsk.ingest.run import run_import
from tsk.store import open_store


def test_demo_database_holds_every_source(demo_db, config):
    s = status_dict(demo_db)
    c = s["counts"]
    assert c["lagesbild"] > 10_000
    assert 6 * 200 <= c["survey"] <= 6 * 600
    assert c["traffpunkt"] > 0 and c["police"] > 0
    assert c["areas"] == len(config.areas)
    assert c["quarantine"] > 0  # the demo plants a few bad rows: kept aside, not dropped
    assert {a["name"] for a in s["areas"]} == {a.name for a in config.areas}
    for a in s["areas"]:
        minlon, minlat, maxlon, maxlat = a["bbox"]
        assert 12.79 <= minlon < maxlon <= 13.30 and 57.14 <= minlat < maxlat <= 57.68, a
        assert a["schematic"]


def test_demo_has_at_least_25_reporters_from_three_organisations(demo_db):
    with open_store(demo_db, read_only=True) as store:
        cov = store.table("coverage")
    assert cov["reporter"].nunique() >= 25
    assert set(cov["organisation"]) == {"Svenljunga kommun", "Polisen", "Svenbo"}
    assert (cov["status"] == "inget_att_rapportera").any()


def test_demo_survey_has_a_year_on_another_scale(demo_db):
    with open_store(demo_db, read_only=True) as store:
        answers = store.table("survey_answers")
    scales = answers[answers["item"] == "trygg_kvall"].groupby("year")["scale"].unique()
    assert {y: list(v) for y, v in scales.items()} == {
        2021: ["trygg5"], 2022: ["trygg5"], 2023: ["trygg4"], 2024: ["trygg5"], 2025: ["trygg5"], 2026: ["trygg5"]}


def test_real_police_history_adds_its_33_events_to_a_demo_database(demo_copy, realdata, config):
    db = demo_copy
    before = status_dict(db)["counts"]["police"]
    outcome = run_import("police", realdata / "polisen_events_svenljunga_2023_2026.json", db=db, config=config)
    assert outcome.accepted == 33
    assert status_dict(db)["counts"]["police"] == before + 33
    with open_store(db, read_only=True) as store:
        events = store.table("police_events")
    real = events[events["event_id"] == 548113].iloc[0]
    assert str(real["incident_at"]) == "2024-09-14 18:13:00"
