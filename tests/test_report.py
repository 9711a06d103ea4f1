"""Uppföljning: the yearly follow-up report. The DOCX and XLSX re-open and hold the expected headings
and figures equal to what the store and tsk.pagedata give; the public version has no group under the
suppression threshold and none of the store's free text; a year with partial data (no survey yet)
still gives a report that says so; the CLI exits 0 or 2 with a Swedish message; the page runs."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from docx import Document
from streamlit.testing.v1 import AppTest

from tsk import report
from tsk.config import ROOT, load_config
from tsk.errors import TskError
from tsk.formatting import fmt_int, fmt_pct
from tsk.i18n import t
from tsk.ingest.run import run_import
from tsk.pagedata import common, traffpunkt
from tsk.pagedata import survey as pagedata_survey
from tsk.parsing import week_monday
from tsk.safe_text import lit
from tsk.store import open_store

FILES = Path(__file__).parent / "files"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Count columns that are the kommun's own work items, not groups of people or events (the public
# version shows them as they are; see the method section).
OWN_WORK_COLUMNS = {t("vr_col_observations"), t("vr_col_measures"), t("vr_col_done")}


def goal(key: str) -> str:
    """The policy goal as the shipped config words it (the report's level-1 headings)."""
    return common.goal(load_config(ROOT / "tsk.toml"), key)


# --------------------------------------------------------------------------------------------------
# Fixtures and helpers
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(demo_db):
    """Reports of the demo database, built once per (year, public)."""
    config = load_config(ROOT / "tsk.toml")

    @cache
    def get(year: int, public: bool):
        with open_store(demo_db, read_only=True) as store:
            rep = report.build_report(store, config, year, public=public)
        return rep, report.report_docx(rep), report.report_xlsx(rep)

    return get


def docx_parts(data: bytes) -> tuple[list[tuple[str, str]], list[tuple[str, list[list[str]]]], str]:
    """(headings as (style, text), tables as (the caption paragraph just before it, rows), all text)."""
    doc = Document(io.BytesIO(data))
    headings, tables, texts, last = [], [], [], ""
    body_tables = iter(doc.tables)
    for child in doc.element.body.iterchildren():
        if child.tag == f"{W}p":
            text = "".join(x.text or "" for x in child.iter(f"{W}t"))
            style = child.find(f"{W}pPr/{W}pStyle")
            name = style.get(f"{W}val") if style is not None else ""
            if name.startswith("Heading"):
                headings.append((name, text))
            if text:
                last = text
                texts.append(text)
        elif child.tag == f"{W}tbl":
            table = next(body_tables)
            rows = [[c.text for c in r.cells] for r in table.rows]
            tables.append((last, rows))
            texts += [c for r in rows for c in r]
    return headings, tables, "\n".join(texts)


def table_rows(tables, caption: str) -> list[list[str]]:
    """The first table whose caption starts with `caption`."""
    return next(rows for cap, rows in tables if cap.startswith(caption))


def rows_by_first_cell(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    header = rows[0]
    return {r[0]: dict(zip(header, r)) for r in rows[1:]}


def free_texts(db: Path, config) -> list[str]:
    """Every free text the store holds (redacted at import), except texts that are only (part of) a
    configured place or ort name or alias (those may rightly appear as a place)."""
    with open_store(db, read_only=True) as store:
        texts = [
            *store.table("walk_observations")["problem"], *store.table("measures")["description"],
            *store.table("walks")["followup_notes"], *store.table("lagesbild")["comment"],
            *store.table("survey_texts")["text"], *store.table("traffpunkt_texts")["text"],
        ]
    names = [n.casefold() for n in [*(p.name for p in config.platser), *(o.name for o in config.orter),
                                    *(a for p in config.platser for a in p.aliases),
                                    *(a for o in config.orter for a in o.aliases)]]
    out = {str(x).strip() for x in texts if isinstance(x, str)}
    return sorted(x for x in out if len(x) >= 12 and not any(x.casefold() in n for n in names))


def xlsx_sheets(data: bytes) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def lagesbild_by_category(store, config, year: int) -> dict[str, int]:
    cats = common.problem_categories(config)
    labels = common.category_labels(config)
    last = min(week_monday(*store.latest_week()), week_monday(year, 52))
    counts = store.lagesbild_counts(areas=tuple(a.name for a in config.areas),
                                    orgs=tuple(o.name for o in config.organisations), cats=cats,
                                    week_from=week_monday(year, 1), week_to=last, by="category")
    per = counts.groupby("category")["reports"].sum()
    return {labels[c]: int(per.get(c, 0)) for c in cats}


# --------------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------------


def test_docx_reopens_with_title_page_goal_headings_and_page_numbers(built):
    rep, data, _ = built(2026, False)
    headings, _, text = docx_parts(data)
    h1 = [h for s, h in headings if s == "Heading1"]
    assert h1 == [t("rp_h_summary"), goal("demokrati"), goal("trygg"), goal("prioritera"), t("rp_h_method")]
    h2 = [h for s, h in headings if s == "Heading2"]
    for sub in ("rp_h_traffpunkt", "rp_h_walks", "rp_h_survey", "rp_h_lagesbild", "rp_h_police", "rp_h_coverage",
                "rp_h_measures"):
        assert t(sub) in h2
    assert t("rp_h_next_year", year=2027) in h2
    doc = Document(io.BytesIO(data))
    first = [p.text for p in doc.paragraphs[:6]]
    assert "Svenljunga kommun" in first and t("rp_title") in first and "2026" in first
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    # Every chart is in the document as a PNG with alt text.
    images = [doc.part.related_parts[r] for r in doc.part.rels if "image" in doc.part.rels[r].reltype]
    assert len(images) == len(rep.charts()) >= 5
    assert all(img.blob.startswith(PNG_MAGIC) for img in images)
    descr = [d.get("descr") for d in doc.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert descr == [c.alt for c in rep.charts()]
    # The method section explains the points the issue names.
    for key in ("rp_ml_scales", "rp_ml_selfselected", "rp_ml_suppression", "rp_ml_nothing"):
        assert t(key) in text


def test_docx_figures_equal_store_queries(built, demo_db, config):
    _, data, _ = built(2026, False)
    _, tables, _ = docx_parts(data)
    with open_store(demo_db, read_only=True) as store:
        kommun = pagedata_survey.survey_shares(store, config, item="trygg_kvall", year_from=2025, year_to=2026, by="kommun")
        areas = pagedata_survey.survey_shares(store, config, item="trygg_kvall", year_from=2026, year_to=2026, by="area")
        by_category = lagesbild_by_category(store, config, 2026)
        tp = traffpunkt.traffpunkt_shares(store, config, item="tp_trygg_omrade")
        latest = store.latest_week()
    now = kommun[kommun["year"] == 2026].iloc[0]
    before = kommun[kommun["year"] == 2025].iloc[0]

    # Key figures, with n and last year.
    key_figures = {}
    for caption, rows in tables:
        if caption == t("rp_kf_caption"):
            assert rows[0][0] == t("rp_col_key_figure")
            key_figures.update(rows_by_first_cell(rows))
    kf = key_figures[t("rp_kf_otrygg", year=2026)]
    assert kf[t("rp_col_value")] == fmt_pct(now["share"])
    assert kf["n"] == fmt_int(now["n"])
    assert kf[t("rp_col_previous")] == t("rp_prev_value", year=2025, value=fmt_pct(before["share"]))
    weeks = report.Window(week_monday(2026, 1), week_monday(*latest)).label()
    assert key_figures[t("rp_kf_reports", weeks=weeks)][t("rp_col_value")] == fmt_int(sum(by_category.values()))

    # The survey by area: share and n per area.
    survey = rows_by_first_cell(table_rows(tables, t("rp_tbl_survey", item=config.item("trygg_kvall").label,
                                                     year=2026)))
    for r in areas[areas["group"].isin([a.name for a in config.areas])].itertuples():
        assert survey[r.group][t("rp_col_share", year=2026)] == fmt_pct(r.share)
        assert survey[r.group][t("rp_col_n", year=2026)] == fmt_int(r.n)
    assert survey["Hela kommunen"][t("rp_col_n", year=2025)] == fmt_int(before["n"])

    # The lägesbild by category against the same weeks last year.
    lb = rows_by_first_cell(table_rows(tables, t("rp_tbl_lb_category", weeks=weeks)))
    assert {k: v[t("rp_col_reports", year=2026)] for k, v in lb.items()} == {k: fmt_int(v) for k, v in
                                                                           by_category.items()}

    # Träffpunkt 2026 per area.
    tp_rows = rows_by_first_cell(table_rows(tables, "Träffpunkt 2026:"))
    for r in tp[tp["round"] == "2026"].itertuples():
        assert tp_rows[r.area][t("rp_col_n", year="2026")] == fmt_int(r.n)
        assert tp_rows[r.area][t("rp_col_measure", measure=t("tp_measure_otrygg"), round="2026")] == fmt_pct(r.share)


def test_docx_walks_measures_and_observations_equal_the_register(built, demo_db):
    _, data, _ = built(2024, False)
    _, tables, text = docx_parts(data)
    with open_store(demo_db, read_only=True) as store:
        walks = store.walks()
        measures = store.all_measures()
        observations = store.table("walk_observations")
    walks_2024 = walks[pd.to_datetime(walks["walk_date"]).dt.year == 2024]
    rows = table_rows(tables, t("rp_tbl_walks", year=2024))[1:]
    assert [r[0] for r in rows] == [d.isoformat() for d in pd.to_datetime(walks_2024["walk_date"]).dt.date]
    # Measures completed in 2024 (in Word one short block each: place and status, then what is done),
    # with their status and description (the full version has the text).
    done_2024 = measures[pd.to_datetime(measures["completed_date"]).dt.year == 2024]
    assert len(done_2024) == 3
    lines = text.splitlines()
    for m in done_2024.itertuples():
        head = f"{m.place}, {m.ort} – {m.status}"
        assert head in lines and lines[lines.index(head) + 1] == m.description
    sheet = xlsx_sheets(built(2024, False)[2])[t("rp_sheet_measures")]
    header = sheet[0]
    shown = {r[header.index(t("vr_col_measure"))]: r[header.index(t("col_status"))] for r in sheet[1:]}
    assert dict(zip(done_2024["description"], done_2024["status"])).items() <= shown.items()
    # The full version carries the walk's (redacted) observations: the control for the public test.
    problems = observations[observations["walk_id"].isin(walks_2024["walk_id"])]["problem"]
    assert len(problems) == 3 and all(p in text for p in problems)


# --------------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------------


def test_xlsx_has_one_sheet_per_table_with_the_report_values_and_swedish_formats(built, demo_db, config):
    rep, _, data = built(2026, False)
    sheets = xlsx_sheets(data)
    assert list(sheets) == [t("rp_sheet_about"), t("rp_sheet_key_figures"), *[tb.sheet for tb in rep.tables()]]
    for tb in rep.tables():
        rows = sheets[tb.sheet]
        assert rows[0] == list(tb.frame.columns), tb.key
        assert len(rows) - 1 == len(tb.frame), tb.key
        for col_index, col in enumerate(tb.frame.columns):
            if tb.kinds[col] not in ("int", "pct", "change", "dec"):
                continue
            for value, got in zip(tb.frame[col], (r[col_index] for r in rows[1:])):
                if isinstance(value, str) or value is None or pd.isna(value):
                    assert got == (value if isinstance(value, str) else None), (tb.key, col)
                else:
                    assert got == pytest.approx(value), (tb.key, col)
    # Figures equal to the store.
    with open_store(demo_db, read_only=True) as store:
        by_category = lagesbild_by_category(store, config, 2026)
        kommun = pagedata_survey.survey_shares(store, config, item="trygg_kvall", year_from=2026, year_to=2026, by="kommun")
    lb = sheets[t("rp_sheet_lb_category")]
    col = lb[0].index(t("rp_col_reports", year=2026))
    assert {r[0]: r[col] for r in lb[1:]} == by_category
    survey = {r[0]: r for r in sheets[t("rp_sheet_survey")]}
    header = sheets[t("rp_sheet_survey")][0]
    assert survey["Hela kommunen"][header.index(t("rp_col_share", year=2026))] == pytest.approx(kommun["share"].iloc[0])
    assert survey["Hela kommunen"][header.index(t("rp_col_n", year=2026))] == kommun["n"].iloc[0]
    # Swedish-displayed number formats: thousands separated, shares as per cent, decimals with one digit.
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[t("rp_sheet_survey")]
    share_col = header.index(t("rp_col_share", year=2026)) + 1
    n_col = header.index(t("rp_col_n", year=2026)) + 1
    assert ws.cell(row=2, column=share_col).number_format == "0%"
    assert ws.cell(row=2, column=n_col).number_format == "#,##0"
    area = wb[t("rp_sheet_lb_area")]
    per_1000 = [c.value for c in area[1]].index(t("rp_col_per_1000")) + 1
    assert area.cell(row=2, column=per_1000).number_format == "0.0"
    about = dict((r[0], r[1]) for r in sheets[t("rp_sheet_about")][1:])
    assert about[t("rp_about_year")] == "2026"
    assert about[t("rp_about_version")] == t("rp_version_label_full", recipients="analysgruppen, KLG och KS")


# --------------------------------------------------------------------------------------------------
# The public version
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2022, 2024, 2026])
def test_public_version_has_no_small_group_and_no_free_text(built, demo_db, config, year):
    rep, docx_data, xlsx_data = built(year, True)
    minimum = config.suppression_min
    # No count of people or events from 1 to minimum - 1, in any table or key figure.
    for tb in rep.tables():
        for col, kind in tb.kinds.items():
            if kind != "int" or col in OWN_WORK_COLUMNS:
                continue
            values = [v for v in tb.frame[col] if not isinstance(v, str) and not pd.isna(v)]
            assert all(v == 0 or v >= minimum for v in values), (tb.key, col, values)
    for kf in rep.key_figures():
        if kf.label == t("rp_kf_measures_done", year=year):  # n = measures: the kommun's own work
            continue
        n = kf.n.replace("\u00a0", "")
        assert not n.isdigit() or int(n) == 0 or int(n) >= minimum, kf
    # The same in the workbook.
    for name, rows in xlsx_sheets(xlsx_data).items():
        header = rows[0]
        for j, col in enumerate(header):
            if col in OWN_WORK_COLUMNS or col in (t("col_population"),):
                continue
            ints = [r[j] for r in rows[1:] if isinstance(r[j], int) and not isinstance(r[j], bool)]
            assert all(v == 0 or v >= minimum or v >= 1900 for v in ints), (name, col)
    # No analysgrupp-only material.
    keys = {tb.key for tb in rep.tables()}
    assert not keys & {"candidates", "police", "coverage"}
    assert t("rp_h_police") not in rep.headings()
    # No free text, in Word or Excel.
    _, _, text = docx_parts(docx_data)
    cells = "\n".join(str(v) for rows in xlsx_sheets(xlsx_data).values() for r in rows for v in r if v is not None)
    texts = free_texts(demo_db, config)
    assert len(texts) > 500  # distinct texts: walks, measures, comments, survey answers
    leaked = [x for x in texts if x in text or x in cells]
    assert leaked == []


def test_public_version_hides_the_small_traffpunkt_group_and_one_more(built):
    """Träffpunkt Lysjö norra 2022 had 4 respondents: hidden, with a second area so that it cannot be
    worked out from the round's total. The full version shows n but never the share."""
    hidden = t("rp_hidden")
    rep, _, _ = built(2022, True)
    table = rep.table("traffpunkt_tp_trygg_omrade").frame.set_index(t("col_area"))
    n_col = t("rp_col_n", year="2022")
    assert table.at["Lysjö norra", n_col] == hidden
    assert (table[n_col] == hidden).sum() == 2
    full, _, _ = built(2022, False)
    table = full.table("traffpunkt_tp_trygg_omrade").frame.set_index(t("col_area"))
    assert table.at["Lysjö norra", n_col] == 4
    assert table.at["Lysjö norra", t("rp_col_measure", measure=t("tp_measure_otrygg"), round="2022")] == hidden


def test_protect_hides_small_counts_and_one_more_per_line():
    frame = pd.DataFrame({"a": [3, 10, 20, 0], "b": [12, 7, 6, 30]})
    hidden = report.protect(frame, 5)
    # Column a: 3 is hidden, and the next smallest non-zero (10) so that 3 cannot be derived from the sum.
    assert hidden["a"].tolist() == [True, True, False, False]
    assert hidden["b"].tolist() == [False, False, False, False]
    grid = report.protect(frame, 5, rows=True)
    # With row totals too, row 0 needs a second hidden cell (12), and column b then needs another (6).
    assert grid["a"].tolist() == [True, True, False, False]
    assert grid["b"].tolist() == [True, True, False, False]
    assert report.protect(pd.DataFrame({"a": [0, 5, 6]}), 5)["a"].tolist() == [False, False, False]


# --------------------------------------------------------------------------------------------------
# Partial data and no data
# --------------------------------------------------------------------------------------------------


def test_year_with_partial_data_still_gives_a_report_that_says_so(tmp_db, config):
    """Only a small lägesbild file for 2026: no survey, no Träffpunkt, no walks yet."""
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    with open_store(tmp_db, read_only=True) as store:
        rep = report.build_report(store, config, 2026, public=False)
        reports = int(store.lagesbild_counts(areas=tuple(a.name for a in config.areas),
                                             orgs=tuple(o.name for o in config.organisations),
                                             cats=common.problem_categories(config),
                                             week_from=week_monday(2026, 1), week_to=week_monday(2026, 53),
                                             by="category")["reports"].sum())
    assert reports > 0
    data = report.report_docx(rep)
    headings, tables, text = docx_parts(data)
    assert t("rp_missing_survey", year=2026, when=t("rp_survey_when", month=config.survey_month)) in text
    assert "november" in text  # the configured survey month
    assert t("rp_tp_none", year=2026) in text
    assert t("rp_walks_none", year=2026) in text
    assert [h for s, h in headings if s == "Heading1"][1:4] == [goal("demokrati"), goal("trygg"),
                                                                goal("prioritera")]
    kf = {k.label: k for k in rep.key_figures()}
    assert kf[t("rp_kf_otrygg", year=2026)].value == "–"
    assert kf[t("rp_kf_otrygg", year=2026)].verdict == t("rp_kf_no_survey", year=2026)
    (lb_label,) = [label for label in kf if label.startswith(t("rp_kf_reports", weeks="")[:20])]
    assert kf[lb_label].value == fmt_int(reports)
    sheets = xlsx_sheets(report.report_xlsx(rep))
    assert t("rp_sheet_lb_category") in sheets and t("rp_sheet_survey") not in sheets


def test_year_without_any_data_is_refused(demo_db, config):
    with open_store(demo_db, read_only=True) as store, pytest.raises(TskError) as e:
        report.build_report(store, config, 2019, public=True)
    assert e.value.key == "rp_no_data"
    assert e.value.message == t("rp_no_data", year=2019, years="2021–2026")


# --------------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------------


def tsk(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tsk", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ}, timeout=300)


def test_cli_writes_docx_and_public_xlsx_and_exits_0(demo_db, tmp_path):
    out = tmp_path / "rapporter" / "uppfoljning_2026.docx"
    result = tsk("report", 2026, "--format", "docx", "--out", out, "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    headings, _, _ = docx_parts(out.read_bytes())
    assert ("Heading1", goal("trygg")) in headings
    out = tmp_path / "uppfoljning_2026_offentlig.xlsx"
    result = tsk("report", 2026, "--format", "xlsx", "--public", "--out", out, "--db", demo_db)
    assert result.returncode == 0, result.stderr
    sheets = xlsx_sheets(out.read_bytes())
    assert dict((r[0], r[1]) for r in sheets[t("rp_sheet_about")][1:])[t("rp_about_version")] == \
        t("rp_version_label_public")
    assert t("rp_sheet_candidates") not in sheets
    assert not list(tmp_path.glob("*.tmp"))


def test_cli_year_without_data_exits_2_with_a_swedish_message(demo_db, tmp_path):
    out = tmp_path / "x.docx"
    result = tsk("report", 2019, "--format", "docx", "--out", out, "--db", demo_db)
    assert result.returncode == 2
    assert result.stderr.strip() == t("rp_no_data", year=2019, years="2021–2026")
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()
    missing = tmp_path / "finns_inte.duckdb"
    result = tsk("report", 2026, "--format", "xlsx", "--out", out, "--db", missing)
    assert result.returncode == 2
    assert result.stderr.strip() == t("db_missing", path=missing)


# --------------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------------

# The page inside st.navigation, the way app.py runs every page (until app.py lists it).
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


def run_page(query: dict | None = None) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_string(HARNESS, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at


@pytest.fixture
def page_env(demo_db, monkeypatch):
    monkeypatch.setenv("TSK_DB", str(demo_db))


def test_page_previews_the_report_and_offers_both_downloads(page_env, built):
    at = run_page()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert [e.value for e in at.error] == []
    assert [x.value for x in at.title] == [t("page_uppfoljning")]
    assert at.selectbox(key="up_year").value == 2026
    assert at.toggle(key="up_public").value is False
    headers = [h.value for h in at.header]
    assert [goal("demokrati"), goal("trygg"), goal("prioritera")] == [h for h in headers if h.startswith("Att ")]
    labels = [b.label for b in at.get("download_button")]
    assert labels == [t("up_download_docx"), t("up_download_xlsx"), t("up_lag_docx"), t("up_lag_xlsx")]
    rep, _, _ = built(2026, False)
    shown = {m.label: m.value for m in at.metric}
    assert shown == {k.label: k.value for k in rep.key_figures()}
    at.toggle(key="up_public").set_value(True).run()
    assert [e.value for e in at.error] == [] and not at.exception
    public, _, _ = built(2026, True)
    assert len(at.dataframe) == len(public.tables())


def test_page_in_meeting_mode_shows_only_the_public_version(page_env, demo_db, config):
    at = run_page({"mote": "1"})
    assert not at.exception and [e.value for e in at.error] == []
    toggle = at.toggle(key="up_public")
    assert toggle.value is True or toggle.proto.disabled
    shown = "\n".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())
    assert [x for x in free_texts(demo_db, config) if x in shown] == []


def test_the_preview_puts_consecutive_text_in_one_element_and_leaves_none_out(page_env, built):
    """The report's ~90 one-paragraph elements made a switch to Uppföljning the slowest in the browser:
    text between two headings, tables, charts or key figures now goes out as one markdown element. Every
    text block is still shown, each run of them in one element, in the report's order."""
    from tsk.report.model import Bullets, Lead

    def first_words(block) -> str | None:
        if isinstance(block, str):
            return lit(block)
        if isinstance(block, Lead):
            return f"**{lit(block.lead)}.** {lit(block.text)}"
        if isinstance(block, Bullets):
            return f"- {lit(block.items[0])}"
        return None  # a heading, table, chart or key figures ends a run

    rep, _, _ = built(2026, False)
    at = run_page()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    runs: list[list[str]] = []
    for section in rep.sections:
        runs.append([])
        for block in section.blocks:
            text = first_words(block)
            if text is None:
                runs.append([])
            else:
                runs[-1].append(text)
    runs = [run for run in runs if run]
    assert sum(len(run) for run in runs) > len(runs) >= 5  # the demo report has runs of several blocks
    where = []
    for run in runs:
        holding = [i for i, value in enumerate(shown) if all(text in value for text in run)]
        assert holding, run[0][:80]  # the whole run is in one element
        where.append(holding[0])
    assert where == sorted(where) and len(set(where)) == len(runs)  # in order, one element per run
