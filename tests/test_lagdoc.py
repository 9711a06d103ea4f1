"""Lägesbild och åtgärdsplan enligt lag (2023:196): the document generated from the store (DOCX re-opened
with python-docx: headings, the sources table with periods and n, the åtgärdsplan rows from the register,
the stated dates; the XLSX sheets), the public version without measure descriptions, the record of when
it was made (the import log), the CLI (exit 0 and the file; a bad year, no year, an unknown file type, an
empty store: exit 2 with the Swedish message), the second kommun's store, and the Uppföljning page's
section with its two downloads."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from functools import cache

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from docx import Document
from streamlit.testing.v1 import AppTest

from tsk.config import ROOT, load_config
from tsk.errors import TskError
from tsk.formatting import fmt_int
from tsk.i18n import t
from tsk.pagedata import scoring
from tsk.pagedata.candidates import ranked_candidates
from tsk.report import report_docx, report_xlsx
from tsk.report.build_lag import build_lag
from tsk.report.lag_files import (
    LAG_SOURCE,
    lag_bytes,
    lag_dates,
    lag_report,
    previous_date,
    record,
)
from tsk.store import open_store

TODAY = date(2026, 11, 30)
HEADINGS = [t("lg_h_about"), t("lg_h_samlad"), t("lg_h_problems"), t("lg_h_plan"), t("lg_h_follow"),
            t("lg_h_method")]
DECIDED_OPEN = (t("measure_status_decided"), t("measure_status_ongoing"))


@pytest.fixture(scope="module")
def built(demo_db):
    config = load_config(ROOT / "tsk.toml")

    @cache
    def get(public: bool, previous: date | None = None):
        with open_store(demo_db, read_only=True) as store:
            rep = build_lag(store, config, 2026, public=public, today=TODAY, previous=previous)
        return rep, report_docx(rep), report_xlsx(rep)

    return get


def docx_text(data: bytes) -> tuple[list[tuple[str, str]], list[list[list[str]]], str]:
    doc = Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    tables = [[[c.text for c in row.cells] for row in tb.rows] for tb in doc.tables]
    text = "\n".join([p.text for p in doc.paragraphs] + [c for tb in tables for row in tb for c in row])
    return headings, tables, text


def table_after_header(tables, first_cells: list[str]):
    found = [tb for tb in tables if tb[0][:len(first_cells)] == first_cells]
    assert len(found) == 1, first_cells
    return found[0]


def xlsx_sheets(data: bytes) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def expected_plan(measures: pd.DataFrame, year: int) -> pd.DataFrame:
    done = (measures["status"] == t("measure_status_done")) & \
        pd.to_datetime(measures["completed_date"]).dt.year.isin([year - 1, year])
    return measures[measures["status"].isin(DECIDED_OPEN) | done]


# --------------------------------------------------------------------------------------------------
# The document on the demo
# --------------------------------------------------------------------------------------------------


def test_full_docx_has_the_parts_the_sources_with_period_and_n_and_the_dates(built, demo_db):
    rep, docx, _ = built(False)
    headings, tables, text = docx_text(docx)
    assert [h for s, h in headings if s == "Heading 1"] == HEADINGS
    assert rep.title == t("lg_title") and t("lg_title") in text
    sources = table_after_header(tables, [t("rp_col_source"), t("rp_col_period"), t("rp_col_extent")])
    by_source = {r[0]: (r[1], r[2]) for r in sources[1:]}
    with open_store(demo_db, read_only=True) as store:
        respondents = store.table("survey_respondents")
        n_survey = int((respondents["year"] == 2026).sum())
        police_last = store.source_periods()["police"]
    assert by_source[t("rp_source_survey")] == ("2026", t("rp_extent_answers", n=fmt_int(n_survey)))
    assert by_source[t("rp_source_lagesbild")][0].startswith("v1–v")
    assert t("rp_source_traffpunkt") in by_source
    assert by_source[t("rp_source_police")][0].endswith(pd.Timestamp(police_last).date().isoformat())
    # the dates: this one, none before, the next one due within two years
    assert t("lg_date_this", date=TODAY.isoformat()) in text
    assert t("lg_previous_none") in text
    assert t("lg_next_due", date="2028-11-30") in text


def test_the_plan_rows_are_the_registers_decided_measures_with_owner_path_status_and_due_date(built, demo_db):
    _, docx, xlsx = built(False)
    with open_store(demo_db, read_only=True) as store:
        measures = store.all_measures()
    plan = expected_plan(measures, 2026)
    assert not plan.empty, "the demo has decided measures"
    # In Word the plan is cards (twelve columns broke words letter by letter on A4): per measure a bold
    # line «id. plats – område – …», its description as a bullet and a labelled line with the rest.
    paragraphs = [(p.style.name, p.text) for p in Document(io.BytesIO(docx)).paragraphs]
    start = next(i for i, (_, text) in enumerate(paragraphs) if text == t("lg_tbl_plan", year=2026))
    paragraphs = paragraphs[start:]  # the candidate lists above are numbered too
    for m in plan.itertuples():
        at = next(i for i, (_, text) in enumerate(paragraphs) if text.startswith(f"{int(m.measure_id)}. "))
        style, bullet = paragraphs[at + 1]
        assert (style, bullet) == ("List Bullet", m.description)
        due = "" if pd.isna(m.due_date) else pd.Timestamp(m.due_date).date().isoformat()
        tail = paragraphs[at + 2][1]
        assert f"{t('lg_col_owner')}: {m.owner}" in tail and f"{t('vr_col_path')}: {m.decision_path}" in tail
        assert f"{t('col_status')}: {m.status}" in tail and (not due or f"{t('vr_col_due')}: {due}" in tail)
    sheet = xlsx_sheets(xlsx)[t("lg_sheet_plan")]
    assert len(sheet) - 1 == len(plan)


def test_follow_up_counts_every_status_and_lists_the_overdue(built, demo_db):
    _, docx, _ = built(False)
    _, tables, text = docx_text(docx)
    with open_store(demo_db, read_only=True) as store:
        measures = store.all_measures()
    status = table_after_header(tables, [t("col_status"), t("lg_col_count")])
    assert {r[0]: r[1] for r in status[1:]} == {s: fmt_int(n) for s, n in measures["status"].value_counts().items()}
    open_ = measures[measures["status"].isin((t("measure_status_proposed"), *DECIDED_OPEN))]
    due = pd.to_datetime(open_["due_date"])
    late = open_[due.notna() & (due.dt.date < TODAY)]
    if late.empty:
        assert t("lg_overdue_none", today=TODAY.isoformat()) in text
    else:
        rows = table_after_header(tables, [t("ag_col_id"), t("col_plats"), t("lg_col_owner")])
        assert sorted(int(r[0]) for r in rows[1:]) == sorted(int(x) for x in late["measure_id"])


def test_xlsx_has_a_sheet_per_table(built):
    rep, _, xlsx = built(False)
    sheets = xlsx_sheets(xlsx)
    for name in (t("rp_sheet_about"), t("lg_sheet_sources"), t("lg_sheet_plan"), t("lg_sheet_status"),
                 t("lg_sheet_places"), t("lg_sheet_orter")):
        assert name in sheets, name
    about = {r[0]: r[1] for r in sheets[t("rp_sheet_about")][1:]}
    assert about[t("rp_about_title")] == t("lg_title")
    assert len(sheets) == 2 + len(rep.tables())


def test_public_version_has_no_measure_description_and_keeps_owner_and_status(built, demo_db):
    rep, docx, xlsx = built(True)
    _, tables, text = docx_text(docx)
    cells = "\n".join(str(v) for rows in xlsx_sheets(xlsx).values() for r in rows for v in r if v is not None)
    with open_store(demo_db, read_only=True) as store:
        measures = store.all_measures()
    descriptions = [d for d in measures["description"] if isinstance(d, str) and len(d) >= 12]
    assert descriptions
    assert [d for d in descriptions if d in text or d in cells] == []
    plan = rep.table("lag_plan")
    assert t("vr_col_measure") not in plan.frame.columns
    assert {t("lg_col_owner"), t("col_status"), t("col_category")} <= set(plan.frame.columns)
    assert all(f"{t('lg_col_owner')}: {o}" in text for o in plan.frame[t("lg_col_owner")])  # the labelled line
    assert t("lg_m_public") in text
    sources = table_after_header(tables, [t("rp_col_source"), t("rp_col_period"), t("rp_col_extent")])
    assert t("rp_source_police") not in [r[0] for r in sources]  # police only in the full version, as yearly
    ranked = [tb for tb in tables if tb[0][:3] == [t("col_rank"), t("col_unit"), t("col_area")]]
    assert len(ranked) == 2 and all(t("col_reasons") not in tb[0] for tb in ranked)
    with open_store(demo_db, read_only=True) as store:
        orter = ranked_candidates(store, load_config(ROOT / "tsk.toml"), level="ort")
    top = orter[orter["status"] == scoring.STATUS_OK].head(len(ranked[0]) - 1)
    assert [r[1] for r in ranked[0][1:]] == list(top["unit"])  # the candidate scoring's order, orter first


def test_previous_date_is_stated_and_a_late_one_says_so(built):
    _, docx, _ = built(False, TODAY - timedelta(days=200))
    assert t("lg_previous", date=(TODAY - timedelta(days=200)).isoformat(), months="6") in docx_text(docx)[2]
    _, docx, _ = built(False, date(2024, 3, 1))
    assert t("lg_previous_late", date="2024-03-01", months="32") in docx_text(docx)[2]


# --------------------------------------------------------------------------------------------------
# The record (the import log)
# --------------------------------------------------------------------------------------------------


def test_each_generation_writes_a_log_line_and_the_next_one_names_it(demo_copy, config):
    with open_store(demo_copy, read_only=True) as store:
        assert lag_dates(store.import_log()) == []
        before = len(store.import_log())
    data = lag_bytes(demo_copy, year=2026, public=True, fmt="docx", actor="test@kommun.se", config=config)
    assert data[:2] == b"PK"
    with open_store(demo_copy, read_only=True) as store:
        log = store.import_log()
        line = log[log["source"] == LAG_SOURCE]
        assert len(log) == before + 1 and len(line) == 1
        assert line.iloc[0]["actor"] == "test@kommun.se" and line.iloc[0]["rows_accepted"] == 0
        made = pd.Timestamp(line.iloc[0]["imported_at"]).date()
        assert previous_date(store, made) is None  # made the same day: that is this one
        assert previous_date(store, made + timedelta(days=400)) == made
        rep = lag_report(store, config, year=2026, public=False, today=made + timedelta(days=400))
    text = "\n".join(str(b) for b in rep.sections[0].blocks[2].items)
    assert made.isoformat() in text


# --------------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------------


def tsk(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tsk", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_cli_writes_the_docx_and_the_public_xlsx_and_records_them(demo_copy, tmp_path):
    out = tmp_path / "lag" / "lagesbild_2026.docx"
    result = tsk("report", "lag", "--year", 2026, "--out", out, "--db", demo_copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == t("lg_written", path=out, year=2026, version=t("rp_footer_full"))
    headings, _, _ = docx_text(out.read_bytes())
    assert [h for s, h in headings if s == "Heading 1"] == HEADINGS
    xlsx = tmp_path / "lagesbild_2026_offentlig.xlsx"
    result = tsk("report", "lag", "--year", 2026, "--public", "--out", xlsx, "--db", demo_copy)
    assert result.returncode == 0, result.stderr
    assert t("lg_sheet_plan") in xlsx_sheets(xlsx.read_bytes())
    assert not list(tmp_path.rglob("*.tmp"))
    with open_store(demo_copy, read_only=True) as store:
        log = store.import_log()
    lines = log[log["source"] == LAG_SOURCE]
    assert list(lines["file_name"]) == [t("lg_log_line", year=2026, version=t("rp_footer_full")),
                                        t("lg_log_line", year=2026, version=t("rp_footer_public"))]
    assert set(lines["actor"]) == {t("lg_actor_cli")}


def test_cli_bad_input_exits_2_with_a_swedish_message_and_writes_nothing(demo_copy, tmp_path):
    out = tmp_path / "x.docx"
    cases = [
        (("report", "lag", "--year", 2019, "--out", out), t("lg_no_data", year=2019, years="2021–2026")),
        (("report", "lag", "--out", out), t("lg_year_missing")),
        (("report", "lag", "--year", 2026, "--out", tmp_path / "x.pdf"),
         t("lg_bad_suffix", path=tmp_path / "x.pdf", allowed=".docx, .xlsx")),
        (("report", 2026, "--out", out), t("rp_format_missing")),
        (("report", 2026, "--year", 2026, "--format", "docx", "--out", out), t("lg_year_not_lag")),
    ]
    for args, message in cases:
        result = tsk(*args, "--db", demo_copy)
        assert result.returncode == 2, args
        assert result.stderr.strip() == message
        assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists() and not (tmp_path / "x.pdf").exists()
    with open_store(demo_copy, read_only=True) as store:
        assert lag_dates(store.import_log()) == []


def test_the_yearly_report_cli_is_unchanged(demo_db, tmp_path):
    out = tmp_path / "u.docx"
    result = tsk("report", 2026, "--format", "docx", "--out", out, "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK"


# --------------------------------------------------------------------------------------------------
# The second kommun, and an empty store
# --------------------------------------------------------------------------------------------------


def test_second_kommun_one_year_of_data(kommun2_stores, kommun2_config, tmp_path):
    from tests.kommun2.builder import YEAR

    db = shutil.copy(kommun2_stores["en_omgang"], tmp_path / "k2.duckdb")
    with open_store(db, read_only=True) as store:
        rep = build_lag(store, kommun2_config, YEAR, public=False, today=date(YEAR, 12, 1))
    headings, tables, text = docx_text(report_docx(rep))
    assert [h for s, h in headings if s == "Heading 1"] == HEADINGS
    assert kommun2_config.name in text
    assert load_config(ROOT / "tsk.toml").name not in text
    sources = table_after_header(tables, [t("rp_col_source"), t("rp_col_period"), t("rp_col_extent")])
    assert {r[0] for r in sources[1:]} >= {t("rp_source_lagesbild"), t("rp_source_survey")}
    assert t("lg_plan_none", year=YEAR) in text  # a first year: no measures decided yet, said plainly
    assert t("lg_follow_none") in text
    out = tmp_path / "k2.xlsx"
    result = tsk("report", "lag", "--year", YEAR, "--out", out, "--db", db,
                 env={"TSK_CONFIG": str(ROOT / "tests" / "kommun2" / "tsk.toml")})
    assert result.returncode == 0, result.stderr
    assert t("lg_sheet_sources") in xlsx_sheets(out.read_bytes())


def test_an_empty_store_says_so_plainly(kommun2_stores, kommun2_config, tmp_path):
    db = kommun2_stores["tom"]
    with open_store(db, read_only=True) as store, pytest.raises(TskError) as e:
        build_lag(store, kommun2_config, 2025, public=True)
    assert e.value.message == t("lg_no_data", year=2025, years=t("rp_no_years"))
    result = tsk("report", "lag", "--year", 2025, "--out", tmp_path / "tom.docx", "--db", db,
                 env={"TSK_CONFIG": str(ROOT / "tests" / "kommun2" / "tsk.toml")})
    assert result.returncode == 2
    assert result.stderr.strip() == t("lg_no_data", year=2025, years=t("rp_no_years"))
    assert not (tmp_path / "tom.docx").exists()


# --------------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------------

HARNESS = f"""
import streamlit as st
from tsk import ui
st.set_page_config(layout="wide")
ui.navigating(True)
try:
    st.navigation([st.Page({str(ROOT / "pages" / "uppfoljning.py")!r}, title="Uppföljning", default=True)]).run()
finally:
    ui.navigating(False)
"""


def test_page_has_the_section_with_both_downloads_and_the_last_date(demo_copy, monkeypatch, config):
    monkeypatch.setenv("TSK_DB", str(demo_copy))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_string(HARNESS, default_timeout=120)
    at.run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert t("up_lag_heading") in [s.value for s in at.subheader]
    labels = [b.label for b in at.get("download_button")]
    assert labels[-2:] == [t("up_lag_docx"), t("up_lag_xlsx")]
    assert t("up_lag_none") in [m.value for m in at.markdown]
    made = record(demo_copy, year=2026, public=False, actor="test", config=config)
    assert made
    st.cache_data.clear()
    at.run()
    assert not at.exception
    assert t("up_lag_last", date=date.today().isoformat()) in [m.value for m in at.markdown]


def test_a_reader_gets_the_section_with_the_public_version_only(demo_copy, monkeypatch, config):
    """A läsare (may not see the full report) has the section, with the version switch locked on public
    (the lag document's downloads are built with that same switch)."""
    from dataclasses import replace

    from tsk import access
    from tsk.ui import gate

    raw = {**config.raw, "access": {"default_role": "läsare", "users": {}, "groups": {}}}
    monkeypatch.setenv("TSK_DB", str(demo_copy))
    monkeypatch.setattr(gate, "auth_configured", lambda: True)
    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    monkeypatch.setattr(gate, "load_config", lambda *a, **k: replace(config, raw=raw))
    monkeypatch.setattr(gate, "current_user", lambda: {"email": "invanare@example.se", "groups": []})
    assert not access.may("läsare", "full_report")
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "uppfoljning.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    toggle = at.toggle(key="up_public")
    assert toggle.value is True and toggle.proto.disabled
    assert t("up_lag_heading") in [s.value for s in at.subheader]
    assert [b.label for b in at.get("download_button")][-2:] == [t("up_lag_docx"), t("up_lag_xlsx")]
