"""Numeric answer items (issue 12): `type = "number"` in a survey mapping, with optional min/max, decimal
comma or point; stored, shown as a mean with its 95 % interval and n per area, suppressed under
suppression_min like shares. The interval is checked against a known answer."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk import stats
from tsk.config import ROOT
from tsk.errors import FileRejected
from tsk.i18n import t
from tsk.ingest.run import run_import
from tsk.pagedata import survey
from tsk.store import open_store

MAPPING = """
source = "survey"
year = 2026
[columns]
ort = "Var bor du?"
[missing]
labels = ["Vet ej"]
[[items]]
key = "trygghetsindex"
column = "Ditt trygghetsindex (0–10)"
type = "number"
min = 0
max = 10
"""
ITEM = """
[[survey.items]]
key = "trygghetsindex"
label = "Trygghetsindex (0–10)"
kind = "number"
"""


# Known answers: mean ± t · sd/√n with the t quantiles of a printed table (t(0.975; 4) = 2.776445,
# t(0.975; 3) = 3.182446). 1..5: mean 3, sd √2.5, the interval R's t.test(1:5) prints (1.036757, 4.963243).
@pytest.mark.parametrize("values, expected", [
    ([1, 2, 3, 4, 5], (1.036757, 4.963243)),
    ([4.5, 6, 7.25, 3], (5.1875 - 3.182446 * 0.9206825, 5.1875 + 3.182446 * 0.9206825)),  # (2.257477, 8.117523)
], ids=["one-to-five", "decimals"])
def test_mean_interval_matches_known_answers(values, expected):
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    low, high = stats.mean_interval(n, mean, sd)
    assert low == pytest.approx(expected[0], abs=1e-6) and high == pytest.approx(expected[1], abs=1e-6)


def test_mean_interval_needs_two_values():
    assert all(math.isnan(x) for x in stats.mean_interval(1, 3.0, float("nan")))
    with pytest.raises(ValueError):
        stats.mean_interval(-1, 3.0, 1.0)


@pytest.fixture
def number_config(tmp_path):
    """The shipped configuration with one numeric survey item added."""
    from tsk.config import load_config

    path = tmp_path / "tsk.toml"
    path.write_text((ROOT / "tsk.toml").read_text(encoding="utf-8") + ITEM, encoding="utf-8")
    return load_config(path)


def survey_file(tmp_path: Path) -> Path:
    rows = ["Överlida;4,5", "Överlida;6", "Mjöbäck;7.25", "Holsljunga;3", "Överlida;8",  # Högvad: 5 answers
            "Kalv;5", "Kalv;Vet ej",                                                  # Kindaholm: 1 answer
            "Kalv;11", "Kalv;mycket", "Kalv;",                                          # out of range, no number, blank
            "Svenljunga;1 234,5"]                                                        # over max
    path = tmp_path / "index.csv"
    path.write_text("Var bor du?;Ditt trygghetsindex (0–10)\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_numbers_are_read_stored_and_summarised_per_area(number_config, tmp_path):
    mapping = tmp_path / "index.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    db = tmp_path / "numbers.duckdb"
    outcome = run_import("survey", survey_file(tmp_path), db=db, config=number_config, mapping=mapping)
    assert (outcome.accepted, outcome.quarantined) == (8, 3)
    with open_store(db, read_only=True) as store:
        values = store.query("SELECT value FROM survey_numbers ORDER BY respondent_id")["value"].tolist()
        q = store.open_quarantine().set_index("row_number")["reason"]
        means = survey.survey_number_means(store, number_config, item="trygghetsindex", year_from=2026,
                                             year_to=2026)
    assert sorted(values) == [3.0, 4.5, 5.0, 6.0, 7.25, 8.0]  # "Vet ej" and the blank are no answer
    question = "Ditt trygghetsindex (0–10)"
    assert q[9] == t("number_out_of_range", value="11", question=question, low=0, high=10)
    assert q[10] == t("bad_number", value="mycket", question=question)
    assert q[12] == t("number_out_of_range", value="1 234,5", question=question, low=0, high=10)
    by_group = means.set_index("group")
    hogvad = by_group.loc["Högvad"]
    assert hogvad["n"] == 5 and hogvad["mean"] == pytest.approx(5.75) and not hogvad["suppressed"]
    assert hogvad["small_sample"]
    # mean 5.75, sd 2.031010, se 0.908295, t(0.975; 4) = 2.776445
    assert (hogvad["low"], hogvad["high"]) == pytest.approx((3.228168, 8.271832), abs=1e-5)
    kindaholm = by_group.loc["Kindaholm"]
    assert kindaholm["suppressed"] and kindaholm["n"] == 1 and math.isnan(kindaholm["mean"])
    kommun = by_group.loc[t("group_kommun")]
    assert kommun["n"] == 6 and kommun["mean"] == pytest.approx(33.75 / 6)


def test_a_number_item_with_bad_bounds_rejects_the_file(number_config, tmp_path):
    mapping = tmp_path / "bad.toml"
    mapping.write_text(MAPPING.replace("max = 10", 'max = "tio"'), encoding="utf-8")
    with pytest.raises(FileRejected) as e:
        run_import("survey", survey_file(tmp_path), db=tmp_path / "x.duckdb", config=number_config, mapping=mapping)
    assert "min/max" in e.value.message and not (tmp_path / "x.duckdb").exists()


def test_the_survey_page_shows_means_and_hides_small_groups(number_config, tmp_path, monkeypatch):
    mapping = tmp_path / "index.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    db = tmp_path / "page.duckdb"
    run_import("survey", survey_file(tmp_path), db=db, config=number_config, mapping=mapping)
    monkeypatch.setenv("TSK_DB", str(db))
    monkeypatch.setenv("TSK_CONFIG", str(number_config.path))
    from tsk import ui
    from tsk.ui import gate

    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "trygghetsundersokning.py"), default_timeout=120)
    at.run()
    assert not at.exception and [e.value for e in at.error] == []
    assert t("tr_numbers_heading") in [h.value for h in at.header]
    table = next(d.value for d in at.dataframe if t("col_mean") in d.value.columns)
    rows = table.set_index(t("col_area"))
    assert rows.loc["Högvad", t("col_mean")] == "5,8" and rows.loc["Högvad", t("col_ci")] == "3,2–8,3"
    assert rows.loc["Kindaholm", t("col_mean")] == t("suppressed_short", n=5)
    assert rows.loc["Kindaholm", t("col_ci")] == ui.EMPTY_CELL  # no interval for a hidden mean


def test_numbers_parse_as_the_row_by_row_reference(number_config, tmp_path):
    from test_survey_fast import assert_same

    from tsk.importers.base import mapping_from_text

    batch = assert_same("survey", survey_file(tmp_path), number_config, mapping_from_text(MAPPING, "index.toml"),
                        "index.toml")
    assert sorted(batch.tables["survey_numbers"]["value"]) == [3.0, 4.5, 5.0, 6.0, 7.25, 8.0]
