"""[windows] in the config is what the pages count and say: a kommun that compares 8 weeks instead of 12
sees 8 in every key figure, map legend and chart title, and numbers counted over 8 weeks."""
from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk.config import ROOT, load_config
from tsk.pagedata import common, lagesbild, overview
from tsk.store import open_store

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
        expected = overview.key_figures(store, other_windows)
        default = overview.key_figures(store, load_config(ROOT / "tsk.toml"))
    shown = {m.label: m.value for m in at.metric}
    for kf in expected:
        assert shown[kf["label"]] == kf["value"]
    reports = [kf["value"] for kf in expected if kf["label"].startswith("Lägesbildsrapporter")]
    assert reports and reports != [kf["value"] for kf in default if kf["label"].startswith("Lägesbildsrapporter")]


def test_the_since_comparison_uses_the_configured_baseline(other_windows, demo_db):
    at = run("pages/oversikt.py")
    assert "de 10 veckorna före" in shown_text(at)
    with open_store(demo_db, read_only=True) as store:
        ten = lagesbild.since_last_meeting(store, other_windows, areas=tuple(a.name for a in other_windows.areas),
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


def test_the_since_weeks_follow_the_configured_bounds(config):
    import copy
    from datetime import date

    from tsk.config import parse_config
    from tsk.pagedata.meeting import weeks_since

    data = copy.deepcopy(config.raw)
    data["windows"] = {"since_min_weeks": 3, "since_max_weeks": 6, "since_default_weeks": 5}
    other = parse_config(data, ROOT / "tsk.toml")
    end = date(2026, 11, 16)
    assert weeks_since(None, end, other) == 5
    assert weeks_since(date(2026, 11, 10), end, other) == 3          # 2 weeks: raised to the minimum
    assert weeks_since(date(2026, 6, 1), end, other) == 6            # months ago: cut to the maximum
    assert weeks_since(date(2026, 6, 1), end, config) == 8 and weeks_since(None, end, config) == 4


def test_a_default_outside_the_since_bounds_is_refused(config):
    import copy

    from tsk.config import parse_config
    from tsk.errors import TskError

    data = copy.deepcopy(config.raw)
    data["windows"] = {"since_min_weeks": 3, "since_max_weeks": 6, "since_default_weeks": 8}
    with pytest.raises(TskError) as e:
        parse_config(data, ROOT / "tsk.toml")
    assert "since_default_weeks = 8 ligger utanför since_min_weeks–since_max_weeks (3–6)" in e.value.message


def test_effects_and_the_meeting_verdict_follow_the_configured_thresholds(other_windows, demo_db):
    import copy

    from tsk.config import parse_config
    from tsk.pagedata import candidates, meeting

    data = copy.deepcopy(other_windows.raw)
    data["windows"] = {**WINDOWS, "effect_min_weeks": 1000, "min_reports_for_verdict": 10**9}
    strict = parse_config(data, ROOT / "tsk.toml")
    with open_store(demo_db, read_only=True) as store:
        effects = candidates.measure_effects(store, strict)
        end = common.latest_week_start(store)
        from datetime import timedelta
        picture = meeting.samlad_lagesbild(store, strict, areas=tuple(a.name for a in strict.areas),
                                           orgs=tuple(o.name for o in strict.organisations),
                                           week_from=end - timedelta(weeks=3), week_to=end)
        usual = candidates.measure_effects(store, load_config(ROOT / "tsk.toml"))
    assert len(effects) > 0 and set(effects["verdict"]) == {"För kort tid sedan åtgärden för att bedöma"}
    assert set(usual["verdict"]) != set(effects["verdict"])
    assert set(picture["verdict"]) == {"För få rapporter för att bedöma"}


def test_the_few_reports_mark_of_the_candidates_follows_the_configured_threshold(config, demo_db):
    """[vandring] min_reports_for_trend: under it a candidate's trend is marked uncertain."""
    from dataclasses import replace

    from tsk.config import parse_vandring
    from tsk.pagedata import candidates

    assert parse_vandring({"min_reports_for_trend": 3}).min_reports_for_trend == 3
    with open_store(demo_db, read_only=True) as store:
        evidence = candidates.candidate_evidence(store, config, level="plats")
    shipped = candidates.score(evidence, config)
    strict = candidates.score(evidence, replace(config, vandring=replace(config.vandring, min_reports_for_trend=10**6)))
    tested = strict["uncertainty"] != shipped["uncertainty"]  # units whose trend was tested at all
    assert not shipped["few_reports"].all() and tested.any()
    assert strict.loc[tested, "few_reports"].all() and strict["few_reports"].sum() > shipped["few_reports"].sum()
