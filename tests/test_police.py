"""The police events importer: real API samples, hand-made edge cases and whole-file rejections."""
from __future__ import annotations

import json
import random
from datetime import datetime

import pandas as pd
import pytest

from tsk.errors import FileRejected
from tsk.i18n import t
from tsk.importers import parse_file
from tsk.ingest.run import run_import
from tsk.store import open_store

OTHER = "händelser i andra kommuner"
DUPLICATE = "dubbletter i filen"
KNOWN = "redan inlästa händelser"


def event(id=1, datetime="2025-09-19 15:19:03 +02:00", name="19 september 14.59, Trafikolycka, Svenljunga",
          type="Trafikolycka", location="Svenljunga", gps="57.495572,13.114623",
          summary="SOS larmas om en olycka.", url="/aktuellt/handelser/2025/september/19/x/") -> dict:
    """One event exactly as the API shapes it."""
    return {"id": id, "datetime": datetime, "name": name, "summary": summary, "url": url, "type": type,
            "location": {"name": location, "gps": gps}}


def write_json(tmp_path, data, name="events.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def parse(path, config):
    batch, _ = parse_file("police", path, config=config)
    return batch


def by_id(batch) -> pd.DataFrame:
    return batch.tables["police_events"].set_index("event_id")


def counts(db, config) -> dict:
    with open_store(db, config=config) as store:
        return store.counts()


# --- real samples -----------------------------------------------------------------------------------

def test_svenljunga_history_gives_all_33_events(realdata, config):
    batch = parse(realdata / "polisen_events_svenljunga_2023_2026.json", config)
    events = by_id(batch)
    assert batch.accepted == len(events) == 33
    assert batch.quarantine == [] and batch.skipped == {}
    assert (events["location_name"] == "Svenljunga").sum() == 25
    assert (events["location_name"] == "Västra Götalands län").sum() == 8
    assert set(events["kommun"]) == {"Svenljunga"}
    assert events["gps_is_centroid"].all()
    assert events["url"].str.startswith("https://polisen.se/aktuellt/handelser/").all()

    # Published the day after the incident.
    assert events.loc[548113, "published_at"] == datetime(2024, 9, 15, 12, 48, 43)
    assert events.loc[548113, "incident_at"] == datetime(2024, 9, 14, 18, 13)
    # 2026: county-level location and a day without leading zero.
    assert events.loc[648520, "incident_at"] == datetime(2026, 8, 3, 11, 10)
    assert events.loc[648520, "location_name"] == "Västra Götalands län"
    # 2023 used ':' in the time.
    assert events.loc[425517, "incident_at"] == datetime(2023, 5, 11, 18, 14)
    # Hour without leading zero in `datetime` ("2023-10-17 1:11:11 +02:00").
    assert events.loc[462223, "published_at"] == datetime(2023, 10, 17, 1, 11, 11)
    # Types with commas are kept whole and mapped.
    assert events.loc[526316, "type"] == "Misshandel, grov"
    assert events.loc[526316, "category"] == "hot_vald"
    assert events.loc[642060, "category"] == "brand"
    assert pd.isna(events.loc[425517, "category"])  # "Trafikolycka, personskada" is not mapped
    assert (events.loc[601403, ["lat", "lon"]] == [57.495572, 13.114623]).all()
    # The gps is the kommun's centroid; an ort named in the summary places the event in its area.
    assert events.loc[425517, ["ort", "area"]].tolist() == ["Örsås", "Axelfors"]  # "… i Örsås …"
    assert events.loc[432684, ["ort", "area"]].tolist() == ["Sandsjön och Sågbacken", "Lysjö norra"]  # "Sandsjön"


def test_sample_with_municipality_locations_has_one_svenljunga_event(realdata, config):
    batch = parse(realdata / "polisen_events_sample.json", config)
    assert list(batch.tables["police_events"]["event_id"]) == [601403]
    assert batch.accepted == 1
    assert batch.skipped == {OTHER: 499}
    assert batch.quarantine == []


def test_county_level_sample_has_two_svenljunga_events(realdata, config):
    batch = parse(realdata / "polisen_events_sample_2026_countylevel.json", config)
    assert sorted(batch.tables["police_events"]["event_id"]) == [648902, 649618]
    assert batch.accepted == 2
    assert batch.skipped == {OTHER: 498}
    assert batch.quarantine == []


def test_run_import_counts_reimport_and_dedup_by_id(realdata, config, tmp_db):
    history = realdata / "polisen_events_svenljunga_2023_2026.json"
    first = run_import("police", history, db=tmp_db, config=config)
    assert (first.accepted, first.quarantined, first.already_imported) == (33, 0, False)
    assert counts(tmp_db, config)["police"] == 33

    again = run_import("police", history, db=tmp_db, config=config)
    assert again.already_imported and again.import_id == first.import_id
    assert counts(tmp_db, config)["police"] == 33
    assert counts(tmp_db, config)["imports"] == 1

    # Both Svenljunga events of the county-level sample are already in the history file.
    county = run_import("police", realdata / "polisen_events_sample_2026_countylevel.json", db=tmp_db, config=config)
    assert county.accepted == 0 and not county.already_imported
    assert county.skipped == {OTHER: 498, KNOWN: 2}
    after = counts(tmp_db, config)
    assert after["police"] == 33 and after["imports"] == 2 and after["quarantine"] == 0
    with open_store(tmp_db, config=config) as store:
        log = store.import_log().set_index("import_id")
        assert log.loc[county.import_id, "rows_skipped"] == 500
        assert f"{KNOWN}: 2" in log.loc[county.import_id, "notes"]


def test_run_import_county_sample_first_then_history_adds_the_rest(realdata, config, tmp_db):
    run_import("police", realdata / "polisen_events_sample_2026_countylevel.json", db=tmp_db, config=config)
    outcome = run_import("police", realdata / "polisen_events_svenljunga_2023_2026.json", db=tmp_db, config=config)
    assert outcome.accepted == 31 and outcome.skipped == {KNOWN: 2}
    assert counts(tmp_db, config)["police"] == 33


# --- hand-made edge cases ---------------------------------------------------------------------------

def test_year_rollover_published_in_january_about_december(tmp_path, config):
    path = write_json(tmp_path, [event(id=7, datetime="2024-01-02 0:15:00 +01:00",
                                       name="31 december 23.50, Brand, Svenljunga", type="Brand")])
    events = by_id(parse(path, config))
    assert events.loc[7, "incident_at"] == datetime(2023, 12, 31, 23, 50)
    assert events.loc[7, "published_at"] == datetime(2024, 1, 2, 0, 15)


def test_same_day_keeps_publication_year(tmp_path, config):
    path = write_json(tmp_path, [event(id=8, datetime="2024-12-31 23:59:00 +01:00",
                                       name="31 december 23.50, Brand, Svenljunga", type="Brand")])
    assert by_id(parse(path, config)).loc[8, "incident_at"] == datetime(2024, 12, 31, 23, 50)


def test_hour_without_leading_zero_and_offset_dropped(tmp_path, config):
    path = write_json(tmp_path, [event(id=9, datetime="2025-06-07 7:32:06 +02:00",
                                       name="7 juni 6.05, Trafikolycka, Svenljunga")])
    events = by_id(parse(path, config))
    assert events.loc[9, "published_at"] == datetime(2025, 6, 7, 7, 32, 6)
    assert events.loc[9, "incident_at"] == datetime(2025, 6, 7, 6, 5)


def test_type_with_commas_before_and_after_2026(tmp_path, config):
    path = write_json(tmp_path, [
        event(id=10, name="25 maj 18.22, Misshandel, grov, Svenljunga", type="Misshandel, grov"),
        event(id=11, datetime="2026-03-01 12:00:00 +01:00", name="1 mars 11.00, Rån, försök, Svenljunga",
              type="Rån, försök", location="Västra Götalands län", gps="58.252793,13.059643"),
    ])
    batch = parse(path, config)
    events = by_id(batch)
    assert batch.accepted == 2
    assert events.loc[10, "type"] == "Misshandel, grov" and events.loc[10, "category"] == "hot_vald"
    assert events.loc[11, "type"] == "Rån, försök" and events.loc[11, "category"] == "hot_vald"
    assert events.loc[11, "location_name"] == "Västra Götalands län"
    assert events.loc[11, "kommun"] == "Svenljunga"
    assert (events.loc[11, "lat"], events.loc[11, "lon"]) == (58.252793, 13.059643)


def test_unmapped_type_has_no_category(tmp_path, config):
    assert "Trafikolycka, vilt" not in config.police_type_map
    path = write_json(tmp_path, [event(id=12, name="19 september 14.59, Trafikolycka, vilt, Svenljunga",
                                       type="Trafikolycka, vilt")])
    events = by_id(parse(path, config))
    assert events.loc[12, "type"] == "Trafikolycka, vilt"
    assert pd.isna(events.loc[12, "category"])


def test_summary_is_redacted_and_urls_made_absolute(tmp_path, config):
    path = write_json(tmp_path, [
        event(id=13, summary="Vittnen kan ringa 070-123 45 67 eller 114 14."),
        event(id=14, url="https://polisen.se/aktuellt/handelser/2025/september/19/y/"),
    ])
    events = by_id(parse(path, config))
    assert "070-123 45 67" not in events.loc[13, "summary"]
    assert events.loc[13, "summary"] == "Vittnen kan ringa [telefonnummer borttaget] eller 114 14."
    assert events.loc[13, "url"] == "https://polisen.se/aktuellt/handelser/2025/september/19/x/"
    assert events.loc[14, "url"] == "https://polisen.se/aktuellt/handelser/2025/september/19/y/"


def test_only_the_configured_kommun_is_kept(tmp_path, config):
    county = "Västra Götalands län"
    path = write_json(tmp_path, [
        event(id=20, location="Tranemo", name="19 september 14.59, Trafikolycka, Tranemo"),
        event(id=21, datetime="2026-08-15 8:00:00 +02:00", name="15 augusti 07.47, Trafikolycka, Tranemo",
              location=county),
        # A county-wide summary is not about the kommun.
        event(id=22, datetime="2026-08-16 7:10:00 +02:00", type="Sammanfattning natt", location=county,
              name="16 augusti 07.00, Sammanfattning natt, Västra Götalands län"),
        # The kommun's name in another county's event is someone else's place.
        event(id=23, datetime="2026-08-16 9:00:00 +02:00", name="16 augusti 08.00, Brand, Svenljunga",
              type="Brand", location="Hallands län"),
        # Names are compared case- and diacritic-insensitively.
        event(id=24, location="SVENLJUNGA"),
        event(id=25, datetime="2026-08-16 9:00:00 +02:00", name="16 augusti 08.00, Brand, svenljunga",
              type="Brand", location="Vastra Gotalands lan"),
    ])
    batch = parse(path, config)
    assert sorted(batch.tables["police_events"]["event_id"]) == [24, 25]
    assert batch.skipped == {OTHER: 4}
    assert batch.quarantine == []


def test_duplicate_ids_in_file_keep_the_first(tmp_path, config):
    path = write_json(tmp_path, [event(id=30, summary="först"), event(id=30, summary="sedan"),
                                 event(id=30, summary="sist")])
    batch = parse(path, config)
    assert batch.accepted == 1
    assert by_id(batch).loc[30, "summary"] == "först"
    assert batch.skipped == {DUPLICATE: 2}


def test_broken_events_are_quarantined_with_reason(tmp_path, config, tmp_db):
    bad_name = "igår kväll, Brand, Svenljunga"
    broken_location = event(id=44)
    del broken_location["location"]
    events = [
        event(id=40),
        event(id=41, name=bad_name, type="Brand", summary="Ring 073-123 45 67."),
        event(id=42, datetime="19/9 kl 15"),
        {k: v for k, v in event(id=43).items() if k != "datetime"},
        broken_location,
        event(id=45, name="31 februari 10.00, Brand, Svenljunga", type="Brand"),
        event(id=46, location="Borås"),  # another kommun: skipped, not quarantined
    ]
    path = write_json(tmp_path, events)
    batch = parse(path, config)
    assert batch.accepted == 1 and list(batch.tables["police_events"]["event_id"]) == [40]
    assert batch.skipped == {OTHER: 1}
    reasons = {q.row_number: q.reason for q in batch.quarantine}
    assert reasons == {
        2: t("police_bad_name", name=bad_name),
        3: t("police_bad_datetime", value="19/9 kl 15"),
        4: t("missing_value", field="datetime"),
        5: t("missing_value", field="location"),
        6: t("police_bad_name", name="31 februari 10.00, Brand, Svenljunga"),
    }
    first = batch.quarantine[0]
    # The original is kept as str cells, location spread out, free text redacted.
    assert first.original["id"] == "41"
    assert first.original["name"] == bad_name
    assert first.original["location.name"] == "Svenljunga"
    assert first.original["location.gps"] == "57.495572,13.114623"
    assert first.original["summary"] == "Ring [telefonnummer borttaget]."
    assert all(isinstance(v, str) for q in batch.quarantine for v in q.original.values())

    outcome = run_import("police", path, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (1, 5)
    with open_store(tmp_db, config=config) as store:
        stored = store.quarantine_rows(outcome.import_id)
    assert list(stored["row_number"]) == [2, 3, 4, 5, 6]
    assert stored["reason"].iloc[0] == t("police_bad_name", name=bad_name)
    assert json.loads(stored["original_row"].iloc[0])["name"] == bad_name


def test_non_event_inside_an_event_list_is_quarantined(tmp_path, config):
    path = write_json(tmp_path, [event(id=50), 17, "text"])
    batch = parse(path, config)
    assert batch.accepted == 1
    assert [(q.row_number, q.reason, q.original) for q in batch.quarantine] == [
        (2, t("police_not_event"), {"värde": "17"}),
        (3, t("police_not_event"), {"värde": '"text"'}),
    ]


# --- whole-file rejections: exact Swedish message, nothing written ------------------------------------

def _geojson() -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kommunnamn": "Svenljunga"},
         "geometry": {"type": "Point", "coordinates": [13.1, 57.5]}}]}


REJECTED = {
    "invalid_json": (b'[{"id": 1, "name": "19 september', "police_not_json"),
    "random_bytes": (random.Random(1465).randbytes(4096), "police_not_json"),
    "latin1_text": ('[{"name": "Trafikolycka, Skövde"}]'.encode("latin-1"), "police_not_json"),
    "object": (json.dumps({"events": [event()]}).encode(), "police_not_events"),
    "geojson": (json.dumps(_geojson()).encode(), "police_not_events"),
    "geojson_features": (json.dumps(_geojson()["features"]).encode(), "police_not_events"),
    "numbers": (b"[1, 2, 3]", "police_not_events"),
    "empty_array": (b"[ ]", "police_empty"),
    "empty_file": (b"", "file_empty"),
    "nested_100000": (b"[" * 100_000 + b"]" * 100_000, "police_too_deep"),
}


@pytest.mark.parametrize("content,key", REJECTED.values(), ids=REJECTED.keys())
def test_file_level_problems_reject_the_whole_file(tmp_path, config, tmp_db, content, key):
    good = write_json(tmp_path, [event(id=1)], name="good.json")
    run_import("police", good, db=tmp_db, config=config)
    before = counts(tmp_db, config)

    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(FileRejected) as raised:
        run_import("police", bad, db=tmp_db, config=config)
    assert raised.value.key == key
    assert raised.value.message == t(key)
    assert not t(key).startswith(key)  # the key has a Swedish text
    assert counts(tmp_db, config) == before
