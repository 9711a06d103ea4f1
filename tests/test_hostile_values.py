"""Hostile values, one file per attack (tests/hostile/): dates and weeks outside the plausible years
(tsk.toml [import]), a police id past the store's 64-bit integer, coordinates that are infinite or off
the globe, NaN in GeoJSON, an unknown CRS, a polygon covering Europe named like an area, mapping files
of the wrong shape or 3,000 levels deep. A bad record is quarantined with its reason and the rest of the
file imported; a bad file is refused with exit 2 and the store stays byte-identical. A row of year 9999
already in a store (from before the check) does not break the sidebar.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.hostile_support import (
    HOSTILE,
    assert_refused,
    quarantine_reasons,
    small_store,
)
from tsk.config import ROOT
from tsk.i18n import t
from tsk.ingest.run import run_import
from tsk.parsing import year_window
from tsk.store import open_store


@pytest.fixture
def store(config, tmp_path) -> Path:
    return small_store(config, tmp_path / "tsk.duckdb")


def outside(year, value) -> str:
    first, last = year_window()
    return (f"året {year} i «{value}» ligger utanför {first}–{last} "
            f"(inställningen [import] first_year och years_ahead i tsk.toml)")


# --- one bad record never loses the file ------------------------------------------------------------------

def test_weeks_and_dates_outside_the_plausible_years_are_quarantined(config, store):
    out = run_import("lagesbild", HOSTILE / "lagesbild_year_9999.csv", db=store, config=config)
    assert (out.accepted, out.quarantined) == (1, 3)
    reasons = quarantine_reasons(store, out.import_id)
    assert [outside(9999, "v47 9999") in reasons[0], outside(1, "v1 0001") in reasons[1],
            outside(1, "0001-01-01") in reasons[2]] == [True, True, True]


def test_survey_timestamps_outside_the_plausible_years_are_quarantined(config, store):
    out = run_import("survey", HOSTILE / "survey_year_9999.csv", db=store, config=config)
    assert (out.accepted, out.quarantined) == (1, 2)
    reasons = quarantine_reasons(store, out.import_id)
    assert outside(9999, "9999/11/08 8:53:03 fm CET") in reasons[0]
    assert outside(1, "0001/11/08 1:53:03 em CET") in reasons[1]


def test_police_ids_past_64_bits_are_quarantined_and_the_rest_imported(config, store):
    out = run_import("police", HOSTILE / "police_id_too_big.json", db=store, config=config)
    assert (out.accepted, out.quarantined) == (1, 3)
    assert quarantine_reasons(store, out.import_id) == [
        t("police_id_out_of_range", value=str(2 ** 64)), t("police_id_out_of_range", value=str(2 ** 63)),
        t("police_id_out_of_range", value="-5")]
    with open_store(store, read_only=True) as s:
        assert s.table("police_events")["event_id"].tolist() == [7]


def test_police_events_dated_9999_or_0001_are_quarantined(config, store):
    out = run_import("police", HOSTILE / "police_year_9999.json", db=store, config=config)
    assert (out.accepted, out.quarantined) == (1, 2)
    reasons = quarantine_reasons(store, out.import_id)
    assert reasons[0] == t("police_implausible_date", detail=outside(9999, "9999-09-19 15:19:03 +02:00"))
    assert reasons[1] == t("police_implausible_date", detail=outside(1, "0001-09-19 15:19:03 +02:00"))


def test_police_coordinates_off_the_globe_are_quarantined(config, store):
    out = run_import("police", HOSTILE / "police_gps_infinite.json", db=store, config=config)
    assert (out.accepted, out.quarantined) == (1, 2)
    reasons = quarantine_reasons(store, out.import_id)
    assert reasons == [t("police_bad_value", field="location.gps", value=("9" * 400 + ",13.1")[:60]),
                       t("police_bad_value", field="location.gps", value="57.4,500")]


def test_a_polygon_covering_europe_named_hogvad_does_not_replace_hogvad(config, store):
    with open_store(store, read_only=True) as s:
        before = s.area_geometries().set_index("name")
    out = run_import("areas", HOSTILE / "areas_europe_named_hogvad.geojson", db=store, config=config,
                     name_field="omrade")
    assert (out.accepted, out.quarantined) == (0, 1)
    [reason] = quarantine_reasons(store, out.import_id)
    assert reason.startswith("Området «Högvad» ligger till ") and "utanför Svenljunga kommun" in reason
    with open_store(store, read_only=True) as s:
        after = s.area_geometries().set_index("name")
    assert after.loc["Högvad"].equals(before.loc["Högvad"])


# --- bad files: exit 2, exact message, store byte-identical ---------------------------------------------

REFUSED = [
    ("areas", "areas_nan_coordinates.geojson", [], t("geo_not_finite", value="NaN")),
    ("areas", "areas_epsg_99999.geojson", [],
     t("geo_unknown_crs", crs="urn:ogc:def:crs:EPSG::99999")),
    ("lagesbild", "mapping_labels_5.toml", ["labels"], None),
    ("lagesbild", "mapping_layout_list.toml", ["layout"], None),
    ("lagesbild", "mapping_3000_deep.toml", [], None),
]


def mapping_message(name: str) -> str:
    path = HOSTILE / name
    if name == "mapping_labels_5.toml":
        return t("mapping_bad_shape", path=path, field="labels", want=t("mapping_want_tables"),
                 got=t("mapping_got", value="5", type="int"))
    if name == "mapping_layout_list.toml":
        return t("mapping_bad_shape", path=path, field="layout", want=t("mapping_want_layout"),
                 got=t("mapping_got", value="['wide']", type="list"))
    return t("mapping_unreadable", path=path, detail=t("mapping_too_deep"))


@pytest.mark.parametrize("source,name,_,message", REFUSED, ids=[r[1] for r in REFUSED])
def test_a_bad_file_is_refused_with_exit_2_and_nothing_changes(store, capsys, source, name, _, message):
    if name.startswith("mapping_"):
        args = ["import", source, str(HOSTILE / "lagesbild_year_9999.csv"), "--mapping", str(HOSTILE / name)]
        message = mapping_message(name)
    else:
        args = ["import", source, str(HOSTILE / name)] + (["--name-field", "omrade"] if source == "areas" else [])
    assert_refused(store, args, message, capsys)


def test_the_mapping_messages_name_the_key_and_its_shape():
    assert mapping_message("mapping_labels_5.toml").endswith("«labels» ska vara en tabell med en tabell per skala "
                                                            "(t.ex. [labels.trygg5]), men är 5 (int).")
    assert "«layout» ska vara \"long\" eller \"wide\"" in mapping_message("mapping_layout_list.toml")


# --- a year-9999 row already in a store ---------------------------------------------------------------------

def test_a_year_9999_row_in_the_store_never_breaks_the_sidebar(config, store, monkeypatch):
    """Stored before the years were checked (imported here with a window reaching 9999): every page's
    sidebar still builds its week range, which stops at the plausible years."""
    wide = dataclasses.replace(config, first_year=1, years_ahead=9999 - year_window()[1] + 1 + 10)
    out = run_import("lagesbild", HOSTILE / "lagesbild_year_9999.csv", db=store, config=wide)
    assert out.accepted == 4
    monkeypatch.setenv("TSK_DB", str(store))
    st.cache_data.clear()
    st.cache_resource.clear()
    for page in ("pages/oversikt.py", "pages/lagesbild.py"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        if page != "pages/oversikt.py":
            at.switch_page(page)
            at.run()
        assert not at.exception, at.exception[0].stack_trace if at.exception else ""
        assert [e.value for e in at.error] == []
        [slider] = [s for s in at.select_slider if s.key == "sel_weeks"]
        first, last = year_window()
        assert (slider.options[0], slider.options[-1]) == (f"v1 {first}", f"v52 {last}")
