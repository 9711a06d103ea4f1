"""AppTest of every page on the demo database: no exception and no st.error; key figures equal what
the tsk functions return; no displayed group below the suppression threshold; Mötesläge shows no free
text."""
from __future__ import annotations

import html

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk.config import ROOT
from tsk.pagedata import overview
from tsk.store import open_store

PAGES = ["pages/oversikt.py", "pages/lagesbild.py", "pages/trygghetsundersokning.py", "pages/traffpunkt.py", "pages/vandring.py",
         "pages/analysgrupp.py", "pages/uppfoljning.py"]


def run_page(page: str, query: dict | None = None) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    return at


@pytest.fixture(autouse=True)
def demo_env(demo_db, monkeypatch):
    monkeypatch.setenv("TSK_DB", str(demo_db))


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "motesla"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception_or_error(page, meeting):
    at = run_page(page, {"mote": "1"} if meeting else None)
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert [e.value for e in at.error] == []
    assert at.title, "every page has a title"


def test_oversikt_key_figures_equal_the_analysis_function(demo_db, config):
    at = run_page(PAGES[0])
    with open_store(demo_db, read_only=True) as store:
        expected = overview.key_figures(store, config)
    shown = {m.label: m.value for m in at.metric}
    for kf in expected:
        assert shown[kf["label"]] == kf["value"]


def test_oversikt_highlights_the_planted_rising_problem(demo_db, config):
    """The rising rural place (Överlida, Högvad) shows in "Sedan förra mötet" without searching."""
    at = run_page(PAGES[0])
    headlines = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert any("Högvad" in h and "▲" in h for h in headlines), headlines


def _all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.info]
    parts += [w.value for w in at.warning]
    for df in at.dataframe:
        parts.append(df.value.to_csv())
    return "\n".join(str(p) for p in parts)


def test_meeting_mode_shows_no_free_text(demo_db, config):
    from tsk.gazetteer import Gazetteer
    from tsk.text import normalise_name

    with open_store(demo_db, read_only=True) as store:
        comments = store.query("SELECT DISTINCT comment FROM lagesbild WHERE comment IS NOT NULL")["comment"]
        texts = store.query("SELECT DISTINCT text FROM survey_texts UNION SELECT DISTINCT text FROM traffpunkt_texts")
    # An answer that is nothing but a configured place name ("tunneln vid Elmo") is a place, not free text.
    place_names = set(Gazetteer(config).place_homes)
    free_text = [c for c in list(comments) + list(texts["text"])
                 if len(c) > 12 and normalise_name(c) not in place_names]
    assert free_text, "the demo has free text to hide"
    for page in PAGES:
        at = run_page(page, {"mote": "1"})
        shown = _all_text(at)
        leaked = [c for c in free_text if c in shown]
        assert leaked == [], (page, leaked[:3])
    # …while the normal Lägesbild view offers the (redacted) comments of a place.
    assert any(e.label.startswith("Kommentarer") for e in run_page(PAGES[1]).expander)


def test_no_displayed_share_rests_on_fewer_answers_than_the_threshold(config):
    for page in (PAGES[2], PAGES[3]):
        at = run_page(page)
        for df in at.dataframe:
            table = df.value
            if "n" not in table.columns:
                continue
            share_cols = [c for c in table.columns if str(c).startswith("Andel")]
            for col in share_cols:
                small = table[pd.to_numeric(table["n"], errors="coerce") < config.suppression_min]
                assert all(str(v).startswith("färre än") for v in small[col]), (page, col, small)


def test_traffpunkt_marks_the_planted_small_group_as_suppressed():
    at = run_page(PAGES[3])
    tables = [df.value for df in at.dataframe]
    shown = pd.concat([t for t in tables if "Omgång" in t.columns and "n" in t.columns])
    small = shown[pd.to_numeric(shown["n"]) < 5]
    assert not small.empty, "the demo plants an area with fewer than 5 answers in one round"


def test_missing_database_gives_a_swedish_error_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("TSK_DB", str(tmp_path / "none.duckdb"))
    at = run_page(PAGES[0])
    assert not at.exception
    assert at.error[0].value.startswith("Databasen")


# --- Trygghetsvandring ------------------------------------------------------------------------------------

def _candidate_headings(at: AppTest) -> list[str]:
    """As the browser shows them (stored names reach Markdown as character references, tsk.safe_text)."""
    return [html.unescape(m.value) for m in at.markdown if m.value.startswith("#### ")]


def test_vandring_puts_the_planted_rising_place_first():
    at = run_page("pages/vandring.py")
    headings = _candidate_headings(at)
    assert headings[0].startswith("#### 1. Badplatsen, Överlida"), headings[:3]


def test_vandring_what_if_weights_change_the_ranking_and_restore_brings_it_back(config):
    at = run_page("pages/vandring.py")
    before = _candidate_headings(at)
    # Only place mentions and time since the last walk count: the much-named bus station in the
    # centralort, whose last walk is more than a year ago, comes first.
    for key in config.vandring.weights:
        at.number_input(key=f"w_{key}").set_value(1.0 if key in ("survey_mentions", "time_since_walk") else 0.0)
    at.run()
    assert not at.exception
    what_if = _candidate_headings(at)
    assert what_if[0].startswith("#### 1. Busstationen, Svenljunga"), what_if[:3]
    assert any("prövat alternativ" in i.value for i in at.info)
    at.button(key="vc_restore").click()
    at.run()
    assert _candidate_headings(at) == before


def test_an_older_database_is_migrated_when_the_app_opens_it(tmp_path, monkeypatch, config):
    """After an upgrade the app must not fail on a database built by the previous version."""
    from pathlib import Path

    from tsk.ingest.run import run_import
    from tsk.store import schema as tskdb

    old = tmp_path / "old.duckdb"
    monkeypatch.setattr(tskdb, "MIGRATIONS", tskdb.MIGRATIONS[:1])
    monkeypatch.setattr(tskdb, "SCHEMA_VERSION", 1)
    # Rows as version 1 wrote them (today's importer writes columns version 1 does not have).
    with open_store(old, config=config) as store:
        store.run("""INSERT INTO imports VALUES (nextval('import_id_seq'), 'lagesbild', 'gammal.csv', 'abc', NULL, TIMESTAMP '2026-11-25 10:00',
                                                 1, 0, 0, NULL)""")
        store.run("""INSERT INTO lagesbild VALUES (1, 'gammal.csv#2', 2026, 47, DATE '2026-11-16', NULL, 'Polisen',
                                                   'Kommunpolis Svenljunga', 'Högvad', 'Överlida', 'Badplatsen',
                                                   'skadegorelse', 2, NULL)""")
        store.run("""INSERT INTO coverage VALUES (1, 'Kommunpolis Svenljunga', 'Polisen', 2026, 47,
                                                  DATE '2026-11-16', 'rapporterat')""")
    monkeypatch.undo()
    monkeypatch.setenv("TSK_DB", str(old))
    at = run_page(PAGES[0])
    assert not at.exception and [e.value for e in at.error] == []
    with open_store(old, read_only=True) as store:
        assert store.schema_version() == tskdb.SCHEMA_VERSION
        assert store.counts()["lagesbild"] == 1
    run_import("lagesbild", Path(__file__).parent / "files" / "lagesbild_standard_utf8.csv", db=old, config=config)


def test_a_link_with_weeks_outside_the_data_falls_back_to_the_default():
    at = run_page(PAGES[1], {"veckor": "2019-W01..2019-W10"})
    assert not at.exception and [e.value for e in at.error] == []


def test_an_import_into_an_older_database_migrates_it(tmp_path, monkeypatch, config):
    """The CLI's first, read-only look at an older store (is the file imported already?) must not need
    the columns a newer schema added."""
    from pathlib import Path

    from tsk.ingest.run import run_import
    from tsk.store import schema as tskdb

    old = tmp_path / "v4.duckdb"
    monkeypatch.setattr(tskdb, "MIGRATIONS", tskdb.MIGRATIONS[:4])
    monkeypatch.setattr(tskdb, "SCHEMA_VERSION", 4)
    with open_store(old, config=config):
        pass
    monkeypatch.undo()
    outcome = run_import("lagesbild", Path(__file__).parent / "files" / "lagesbild_standard_utf8.csv", db=old,
                         config=config)
    assert outcome.accepted == 2
    with open_store(old, read_only=True) as store:
        assert store.schema_version() == tskdb.SCHEMA_VERSION


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "motesla"])
def test_every_compared_share_has_its_n_beside_it(meeting):
    """The survey's year-on-year table and Träffpunkt's comparison show the answers behind every share
    they compare, in both modes (Mötesläge draws the tables as HTML tables)."""
    for page, wanted in (("pages/trygghetsundersokning.py", {"n (Från år)", "n (Till år)"}),
                         ("pages/traffpunkt.py", {"n", "n (Övriga områden)", "n (Föregående omgång)"})):
        at = run_page(page, {"mote": "1"} if meeting else None)
        assert not at.exception
        tables = at.table if meeting else at.dataframe
        headers = [set(map(str, tb.value.columns)) for tb in tables]
        assert any(wanted <= h for h in headers), (page, headers)


def test_tables_show_empty_cells_as_a_dash_and_numbers_the_swedish_way():
    from tsk import ui

    df = pd.DataFrame({"År": [2024, 2025, None], "Antal": [12345, 7, None], "Andel": [0.25, None, 1.5],
                       "Plats": ["Torget", None, ""], "Datum": pd.to_datetime(["2026-12-09", None, "2026-01-05"])})
    grid = ui.display_frame(df)
    # The grid keeps number columns as numbers (it sorts them); text and date columns with a gap become text.
    assert pd.api.types.is_numeric_dtype(grid["Antal"]) and pd.isna(grid.loc[2, "Antal"])
    assert list(grid["Plats"]) == ["Torget", ui.EMPTY_CELL, ui.EMPTY_CELL]
    assert grid.loc[1, "Datum"] == ui.EMPTY_CELL and grid.loc[0, "Datum"].startswith("2026-12-09")
    meeting = ui.display_frame(df, numbers_too=True)
    assert list(meeting["År"]) == ["2024", "2025", ui.EMPTY_CELL]            # a year has no thousands space
    assert list(meeting["Antal"]) == ["12\u00a0345", "7", ui.EMPTY_CELL]
    assert list(meeting["Andel"]) == ["0,25", ui.EMPTY_CELL, "1,5"]
