"""Mötesläge shows no free text anywhere: every page, run with ?mote=1 on the demo database, is scanned
for every stored free-text value (lägesbild comments, survey and Träffpunkt answers, what the walks saw,
measure and proposal descriptions, outcomes, follow-up notes, meeting notes). The same pages without
Mötesläge do show some of them, so the scan can find what it looks for."""
from __future__ import annotations

import html

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk.config import ROOT
from tsk.gazetteer import Gazetteer
from tsk.store import open_store
from tsk.text import normalise_name

PAGES = ["pages/oversikt.py", "pages/lagesbild.py", "pages/trygghetsundersokning.py", "pages/traffpunkt.py", "pages/vandring.py",
         "pages/analysgrupp.py", "pages/uppfoljning.py"]
FREE_TEXT_SQL = """
    SELECT comment AS text FROM lagesbild UNION SELECT text FROM survey_texts UNION SELECT text FROM traffpunkt_texts
    UNION SELECT problem FROM walk_observations UNION SELECT description FROM measures
    UNION SELECT outcome FROM measures UNION SELECT followup_notes FROM walks UNION SELECT notes FROM meetings
"""


def run_page(page: str, query: dict) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def shown_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader", "header", "title",
                 "text", "metric"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    parts += [e.label for e in at.expander] + [str(e.options) for e in at.selectbox]
    parts += [df.value.to_csv() for df in at.dataframe]
    # Stored text reaches Markdown through tsk.safe_text.lit (punctuation as character references):
    # the scan reads it as the browser shows it.
    return html.unescape("\n".join(parts))


@pytest.fixture(scope="module")
def free_text(demo_db) -> list[str]:
    from tsk.config import load_config

    config = load_config(ROOT / "tsk.toml")
    with open_store(demo_db, read_only=True) as store:
        values = [v for v in store.query(FREE_TEXT_SQL)["text"] if isinstance(v, str)]
    places = set(Gazetteer(config).place_homes)  # an answer that is only a place name is a place
    out = [v for v in values if len(v) > 12 and normalise_name(v) not in places]
    assert len(out) > 20
    return out


@pytest.fixture(autouse=True)
def demo_env(demo_db, monkeypatch):
    monkeypatch.setenv("TSK_DB", str(demo_db))


@pytest.mark.parametrize("page", PAGES)
def test_no_stored_free_text_on_any_page_in_motesläge(page, free_text):
    shown = shown_text(run_page(page, {"mote": "1"}))
    leaked = [v for v in free_text if v in shown]
    assert leaked == [], leaked[:3]


def test_the_scan_finds_free_text_where_it_is_allowed(free_text):
    """Without Mötesläge, Trygghetsvandring shows the walk's measures and Analysgrupp the proposals'
    descriptions: the scan sees them, so its silence above means something."""
    for page in ("pages/vandring.py", "pages/analysgrupp.py"):
        shown = shown_text(run_page(page, {}))
        assert any(v in shown for v in free_text), page
