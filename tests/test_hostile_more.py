"""More hostile files, one per attack (tests/hostile/): NUL bytes, UTF-16, a header without rows, weeks
and dates that cannot be, police events with missing or non-integer ids, JSON that is not a list of
events, Infinity in GeoJSON, mapping files whose keys have the wrong shape. Rejected files: exit 2, the
exact message, the store byte-identical. Files with bad records: those records quarantined with their
reason, the rest imported."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile_support import (
    HOSTILE,
    assert_refused,
    quarantine_reasons,
    small_store,
)
from tsk.i18n import t
from tsk.ingest.run import run_import


@pytest.fixture
def store(config, tmp_path) -> Path:
    return small_store(config, tmp_path / "tsk.duckdb")


def mapping_message(name: str) -> str:
    path = HOSTILE / name
    if name == "mapping_personal_columns_text.toml":
        return t("mapping_bad_shape", path=path, field="personal_columns", want=t("mapping_want_list"),
                 got=t("mapping_got", value="'E-post'", type="str"))
    return t("mapping_no_columns", path=path)


REFUSED = [
    ("lagesbild", "csv_nul_bytes.csv", t("file_not_text")),
    ("lagesbild", "csv_utf16.csv", t("file_not_text")),
    ("lagesbild", "csv_only_header.csv", t("file_no_rows")),
    ("police", "police_not_a_list.json", t("police_not_events")),
    ("areas", "areas_infinite_coordinates.geojson", t("geo_not_finite", value="Infinity")),
    ("lagesbild", "mapping_personal_columns_text.toml", None),
    ("lagesbild", "mapping_columns_not_a_table.toml", None),
]


@pytest.mark.parametrize("source,name,message", REFUSED, ids=[r[1] for r in REFUSED])
def test_refused_with_exit_2_and_the_store_unchanged(store, capsys, source, name, message):
    if name.startswith("mapping_"):
        args = ["import", source, str(HOSTILE / "lagesbild_impossible_weeks.csv"), "--mapping", str(HOSTILE / name)]
        message = mapping_message(name)
    else:
        args = ["import", source, str(HOSTILE / name)] + (["--name-field", "omrade"] if source == "areas" else [])
    assert_refused(store, args, message, capsys)


def test_impossible_weeks_are_quarantined_and_the_good_row_kept(config, store):
    out = run_import("lagesbild", HOSTILE / "lagesbild_impossible_weeks.csv", db=store, config=config)
    assert (out.accepted, out.quarantined) == (1, 4)
    got = quarantine_reasons(store, out.import_id)
    assert "vecka 54 finns inte år 2026" in got[0] and "vecka 0 finns inte år 2026" in got[1]
    assert "«vecka 99»" in got[2] and "året 2101" in got[3]


def test_dates_that_cannot_be_are_quarantined_and_the_good_row_kept(config, store):
    out = run_import("lagesbild", HOSTILE / "lagesbild_dates_far_ahead.csv", db=store, config=config)
    assert (out.accepted, out.quarantined) == (1, 3)
    got = quarantine_reasons(store, out.import_id)
    assert "året 2100" in got[0] and "året 1999" in got[1] and "«2025-02-30» är inget datum" in got[2]


def test_police_events_without_a_usable_id_are_quarantined(config, store):
    out = run_import("police", HOSTILE / "police_missing_and_bad_ids.json", db=store, config=config)
    assert (out.accepted, out.quarantined) == (1, 4)
    assert quarantine_reasons(store, out.import_id) == [
        t("missing_value", field="id"), t("police_bad_value", field="id", value="abc"),
        t("police_bad_value", field="id", value="1.5"), t("police_bad_value", field="id", value="True")]
