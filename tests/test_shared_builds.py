"""Work that does not depend on the session is done once (issue 15): ten people in a meeting open the
same page with the same selection, and its figures and map pages are built for the first of them and
shared by the rest. A different selection (Mötesläge here) builds its own; a map that is only looked at
is a page of its own in Swedish with a name for screen readers."""
from __future__ import annotations

import functools

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk import figures, maps
from tsk.config import ROOT

BUILDERS = {figures: ["trend_figure", "heat_table_figure", "arshjul_figure", "coverage_figure", "share_figure",
                      "grouped_share_bars", "contribution_figure", "rate_change_figure"],
            maps: ["places_map", "area_map"]}
SHARED_PAGES = ["pages/lagesbild.py", "pages/trygghetsundersokning.py", "pages/vandring.py", "pages/traffpunkt.py"]


@pytest.fixture
def builds(demo_db, monkeypatch) -> dict[str, int]:
    """Counts the calls of every figure and map builder from here on (caches emptied first)."""
    monkeypatch.setenv("TSK_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    calls: dict[str, int] = {}
    for module, names in BUILDERS.items():
        for name in names:
            original = getattr(module, name)

            # Bound as defaults, not closed over: a shared builder is keyed by what it closes over.
            @functools.wraps(original)
            def counted(*args, _original=original, _name=name, _calls=calls, **kwargs):
                _calls[_name] = _calls.get(_name, 0) + 1
                return _original(*args, **kwargs)

            monkeypatch.setattr(module, name, counted)
    yield calls
    st.cache_resource.clear()  # nothing built by the counting wrappers outlives the test


def open_page(page: str, query: dict | None = None) -> AppTest:
    """A new session (a new AppTest) on the page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(page)  # straight to the page, as a shared link does
    at.run()
    assert not at.exception, at.exception[0].stack_trace
    return at


@pytest.mark.parametrize("page", SHARED_PAGES)
def test_a_second_session_with_the_same_selection_builds_no_figure_and_no_map(builds, page):
    open_page(page)
    assert sum(builds.values()) > 0, f"{page}: the first session builds its figures"
    builds.clear()
    second = open_page(page)
    assert builds == {}, f"{page}: built again for a second session: {builds}"
    assert second.get("plotly_chart"), page
    builds.clear()
    open_page(page, {"mote": "1"})
    assert sum(builds.values()) > 0, f"{page}: Mötesläge (another selection) must build its own figures"


def test_a_map_only_looked_at_is_a_swedish_page_with_a_name(builds):
    at = open_page("pages/lagesbild.py")
    frames = at.get("iframe")
    assert len(frames) == 1
    frame = frames[0].proto
    assert frame.alt == "Karta över platser"
    assert '<html lang="sv">' in frame.srcdoc and "leaflet" in frame.srcdoc
    assert "cdn" not in frame.srcdoc.lower(), "Leaflet comes from the app, never from a CDN"


def test_the_clickable_overview_map_is_built_for_each_run(builds):
    """st_folium changes the map it draws: sharing one map object would draw its layers twice."""
    at = open_page("pages/oversikt.py")
    assert builds.get("area_map") == 1
    at.run()
    assert builds.get("area_map") == 2
