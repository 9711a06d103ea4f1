"""Every page on thin stores of a second, fictional kommun (tests/kommun2: Björkdala, three dialogue areas
and a centralort, one year of data): no exception, no st.error, and a plain sentence about what is
missing instead of an empty chart."""
from __future__ import annotations

import json
import os
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.kommun2.builder import CONFIG_PATH, SCENARIOS
from tests.test_app import run_page  # every page through app.py, caches cleared
from tsk.config import ROOT
from tsk.i18n import t
from tsk.pagedata.common import missing_text
from tsk.store import open_store

PAGES = ["pages/oversikt.py", "pages/lagesbild.py", "pages/trygghetsundersokning.py", "pages/traffpunkt.py", "pages/vandring.py",
         "pages/analysgrupp.py", "pages/uppfoljning.py", "pages/data.py"]


@pytest.fixture
def store(request, kommun2_stores, monkeypatch):
    monkeypatch.setenv("TSK_CONFIG", str(CONFIG_PATH))
    monkeypatch.setenv("TSK_DB", str(kommun2_stores[request.param]))
    return request.param


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [s.value for s in at.success] + [h.value for h in at.header]
    parts += [h.value for h in at.subheader] + [h.value for h in at.title]
    return "\n".join(str(p) for p in parts)


def check_page(at: AppTest) -> str:
    """No exception, no error, a title, no first-kommun text, no 'nan', no empty chart; returns the text."""
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert [e.value for e in at.error] == []
    assert at.title, "every page has a title"
    shown = texts(at)
    assert "Svenljunga" not in shown
    assert "nan" not in shown.split(), "a missing value shown as 'nan'"
    for chart in at.get("plotly_chart"):
        traces = json.loads(chart.proto.spec)["data"]
        assert traces, "an empty chart: say what is missing instead"
    return shown


@pytest.mark.parametrize("store", list(SCENARIOS), indirect=True)
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_a_thin_store(page, store):
    check_page(run_page(page))


@pytest.mark.parametrize("store", ["tom", "en_omgang", "en_vecka"], indirect=True)
@pytest.mark.parametrize("page", PAGES[:-1])  # the Data page is not part of Mötesläge's navigation
def test_page_runs_on_a_thin_store_in_meeting_mode(page, store):
    check_page(run_page(page, {"mote": "1"}))


# What each thin store lacks, page by page, and the sentence that must say so.
MISSING = [
    ("tom", "pages/oversikt.py", t("onb_intro")),          # the Kom igång steps, no empty map
    ("tom", "pages/oversikt.py", t("onb_step_areas")),
    ("tom", "pages/lagesbild.py", missing_text("lagesbild")),
    ("tom", "pages/trygghetsundersokning.py", missing_text("survey")),
    ("enkat_ett_ar", "pages/traffpunkt.py", missing_text("traffpunkt")),
    ("enkat_ett_ar", "pages/oversikt.py", missing_text("lagesbild")),
    ("bara_lagesbild", "pages/oversikt.py", t("onb_areas_missing")),
    ("utan_traffpunkt", "pages/traffpunkt.py", missing_text("traffpunkt")),
    ("utan_polis", "pages/lagesbild.py", t("lb_police_missing")),
    ("en_omgang", "pages/traffpunkt.py", t("tp_first_round", round=2025)),
    ("tom", "pages/analysgrupp.py", t("ag_disagree_needs", missing="svar från trygghetsundersökningen och "
                                                                "lägesbildsrapporter (EST)")),
    ("bara_lagesbild", "pages/analysgrupp.py", t("ag_disagree_needs", missing="svar från trygghetsundersökningen")),
    ("en_omgang", "pages/trygghetsundersokning.py", t("tr_change_one_year", year=2025)),
    ("en_vecka", "pages/oversikt.py", t("since_too_short", have="1 vecka", need=16, weeks=4)),
    ("en_vecka", "pages/lagesbild.py", t("lb_arshjul_too_short", have="1 vecka")),
    ("en_vecka", "pages/lagesbild.py", t("lb_trend_one_period", period="månad")),
]


@pytest.mark.parametrize("store, page, sentence", [pytest.param(*m, id=f"{m[0]}-{m[1][6:-3]}") for m in MISSING],
                         indirect=["store"])
def test_a_thin_store_says_what_is_missing(store, page, sentence):
    assert sentence in check_page(run_page(page))


@pytest.mark.parametrize("store", ["en_omgang"], indirect=True)
def test_survey_page_years_come_from_the_survey_only(store):
    """The store holds police events into 2026 but only the 2025 survey: the page speaks of 2025 alone,
    not of 2025–2026, and breaks down 2025."""
    with open_store(os.environ["TSK_DB"], read_only=True) as s:
        assert s.years_present() == [2025, 2026] and s.survey_years() == [2025]
    at = run_page("pages/trygghetsundersokning.py")
    intro = at.caption[0].value
    assert "2025" in intro and "–2025" not in intro and "mars" in intro, intro
    breakdowns = [h.value for h in at.subheader if h.value in (t("tr_by_age_group", year=2025),
                                                                  t("tr_by_gender", year=2025))]
    assert len(breakdowns) == 2, [h.value for h in at.subheader]


@pytest.mark.parametrize("store", ["bara_lagesbild"], indirect=True)
def test_lagesbild_place_picker_names_reports_without_a_place_and_never_nan(store):
    at = run_page("pages/lagesbild.py")
    options = at.selectbox(key="lb_place").options
    assert options and not any("nan" in o.split(", ") or "nan" in o for o in options), options
    assert "Torget, Björkdala" in options
    no_place = [o for o in options if o.endswith("rapporter utan angiven plats")]
    assert "Granlid – rapporter utan angiven plats" in no_place, options
    # Choosing the ort-level entry titles the chart the same way, not "nan (Granlid)".
    at.selectbox(key="lb_place").select(("Granlid", None)).run()
    assert not at.exception
    titles = [str(json.loads(c.proto.spec)["layout"].get("title", {}).get("text")) for c in at.get("plotly_chart")]
    assert any("Granlid – rapporter utan angiven plats" in title for title in titles), titles
    assert not any("nan" in title.split() or "nan (" in title for title in titles), titles


def test_place_option_label_treats_nan_and_none_alike():
    from tsk.pagedata.lagesbild import place_option_label

    assert place_option_label(("Granlid", float("nan"))) == place_option_label(("Granlid", None))
    assert place_option_label(("Granlid", None)) == "Granlid – rapporter utan angiven plats"
    assert place_option_label(("Granlid", "Badplatsen")) == "Badplatsen, Granlid"


def _docx_text(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:  # every part: body, headers, footers, core properties
        return "\n".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8")) for n in z.namelist()
                         if n.endswith(".xml"))


def _xlsx_text(data: bytes) -> str:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
                     if c is not None) + "\n".join(wb.sheetnames)


@pytest.mark.parametrize("public", [False, True], ids=["full", "public"])
def test_the_yearly_report_for_the_second_kommun_holds_none_of_the_first_kommuns_text(kommun2_stores, kommun2_config,
                                                                                       public):
    from tests.test_no_kommun_in_code import kommun_names
    from tsk import report
    from tsk.config import load_config
    from tsk.store import open_store

    with open_store(kommun2_stores["en_omgang"], read_only=True) as store:
        rep = report.build_report(store, kommun2_config, 2025, public=public)
    text = _docx_text(report.report_docx(rep)) + "\n" + _xlsx_text(report.report_xlsx(rep))
    first_kommun = kommun_names(load_config(ROOT / "tsk.toml"))
    assert [n for n in first_kommun if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)] == []
    assert not re.search(r"(?<!\w)KLG(?!\w)", text), "the first kommun's decision body"
    # The second kommun's own words are there instead: its name and its policy goals.
    assert "Björkdala" in text
    for goal in kommun2_config.goals.values():
        assert goal in text
    if not public:
        assert "trygghetsrådet och kommunstyrelsen" in text


@pytest.mark.parametrize("store", ["bara_lagesbild"], indirect=True)
def test_oversikt_without_areas_shows_no_empty_map(store):
    at = run_page("pages/oversikt.py")
    assert t("onb_areas_missing") in check_page(at)
    assert not [c for c in at.get("component_instance")], "a map with no areas on it"


def test_the_places_map_names_lagesbild_rows_without_a_place_as_such():
    import pandas as pd

    from tsk import maps

    places = pd.DataFrame({"ort": ["Granlid"], "plats": [float("nan")], "lat": [58.23], "lon": [14.96],
                           "reports": [3], "approximate": [True]})
    areas = pd.DataFrame({"name": [], "geometry_wkt": []})
    html = maps.places_map(areas, places, None, no_place_text=t("lb_no_place_short")).get_root().render()
    assert "Granlid (rapporter utan angiven plats)" in html and "hela orten" not in html



@pytest.mark.parametrize("store", ["bara_lagesbild"], indirect=True)
def test_oversikt_opens_on_a_measure_the_store_has_data_for(store):
    """Lägesbilder but no survey yet: the map starts on reports per 1 000, not on an all-grey survey share."""
    at = run_page("pages/oversikt.py")
    assert at.radio(key="oversikt_metric").value == "rapporter"


def test_the_default_map_measure_follows_the_sources():
    from tsk.pagedata.overview import default_metric

    assert default_metric({"survey": 3, "lagesbild": 10}) == "otrygg"
    assert default_metric({"survey": 0, "lagesbild": 10}) == "rapporter"
    assert default_metric({"survey": 0, "lagesbild": 0}) == "otrygg"


@pytest.mark.parametrize("store", ["en_omgang"], indirect=True)
def test_the_survey_years_in_the_sidebar_come_from_the_surveys(store):
    """Police events reach 2026 in the test kommun, the survey only 2025: the sidebar's «År (enkäter)»
    offers the survey's year, not every year any source has."""
    at = run_page("pages/trygghetsundersokning.py")
    assert not [s for s in at.sidebar.select_slider if s.key == "sel_years"], "one survey year: no slider"
    import os

    from tsk.store import open_store

    with open_store(os.environ["TSK_DB"], read_only=True) as s:
        assert s.survey_years_present() == [2025] and 2026 in s.years_present()
