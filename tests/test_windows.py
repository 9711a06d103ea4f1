"""[windows] in the config is what the pages count and say: a kommun that compares 8 weeks instead of 12
sees 8 in every key figure, map legend and chart title, and numbers counted over 8 weeks."""
from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk import analysis
from tsk.config import ROOT, load_config
from tsk.db import open_store

WINDOWS = {"overview_weeks": 8, "since_baseline_weeks": 10, "silent_weeks": 3, "silent_warning_weeks": 5,
           "heat_weeks": 6, "coverage_weeks": 9}


@pytest.fixture
def other_windows(tmp_path, demo_db, monkeypatch):
    """The shipped config with other windows, on the demo store."""
    path = tmp_path / "tsk.toml"
    path.write_text((ROOT / "tsk.toml").read_text(encoding="utf-8") + "\n[windows]\n"
                    + "".join(f"{k} = {v}\n" for k, v in WINDOWS.items()), encoding="utf-8")
    monkeypatch.setenv("TSK_CONFIG", str(path))
    monkeypatch.setenv("TSK_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield load_config(path)
    st.cache_data.clear()
    st.cache_resource.clear()


def run(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception[0].stack_trace
    return at


def shown_text(at: AppTest) -> str:
    parts = [m.label + " " + str(m.value) for m in at.metric] + [e.value for e in at.markdown] + \
            [e.value for e in at.caption] + [r.label + " " + " ".join(map(str, r.options)) for r in at.radio]
    charts = [str(c.proto.spec) for c in at.get("plotly_chart")]
    return " ".join(parts + charts)


def test_the_overview_counts_and_says_the_configured_weeks(other_windows, demo_db):
    at = run("pages/oversikt.py")
    text = shown_text(at)
    assert "12 veckor" not in text and "senaste 8 veckorna" in text
    assert "minst 3 veckor" in text and "(8 veckor)" in text
    with open_store(demo_db, read_only=True) as store:
        expected = analysis.key_figures(store, other_windows)
        default = analysis.key_figures(store, load_config(ROOT / "tsk.toml"))
    shown = {m.label: m.value for m in at.metric}
    for kf in expected:
        assert shown[kf["label"]] == kf["value"]
    reports = [kf["value"] for kf in expected if kf["label"].startswith("Lägesbildsrapporter")]
    assert reports and reports != [kf["value"] for kf in default if kf["label"].startswith("Lägesbildsrapporter")]


def test_the_since_comparison_uses_the_configured_baseline(other_windows, demo_db):
    at = run("pages/oversikt.py")
    assert "de 10 veckorna före" in shown_text(at)
    with open_store(demo_db, read_only=True) as store:
        ten = analysis.since_last_meeting(store, other_windows, areas=tuple(a.name for a in other_windows.areas),
                                          orgs=tuple(o.name for o in other_windows.organisations))
    assert (ten["base"] >= 0).all() and not ten.empty
    assert set((ten["expected"] * 10 / 4).round(6)) == set(ten["base"].astype(float).round(6))


def test_lagesbild_shows_the_configured_weeks(other_windows):
    at = run("pages/lagesbild.py")
    text = shown_text(at)
    assert "senaste 6 veckorna" in text and "16 veckor" not in text
    heat = next(c for c in at.get("plotly_chart") if "senaste 6 veckorna" in str(c.proto.spec))
    weeks_drawn = set(re.findall(r"\d{4}-\d{2}-\d{2}", str(heat.proto.spec)))
    assert 0 < len(weeks_drawn) <= 6
