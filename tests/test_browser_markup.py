"""Text stays text in the browser: a copy of the demo store gets hostile strings (Markdown images and
links to an outside address, HTML tags, Streamlit colour syntax, LaTeX, formulas) in every free-text and
name field the importers take (lägesbild reporter and comment, survey free text), and every page is
opened in Chromium with requests off this machine blocked, normally and in Mötesläge. No request may
leave for the hostile address, no image or link may be created from the data (in the page or in a map
frame), and on Lägesbild the reporter names are visible literally (the silent-reporter warning, the
coverage chart's labels). A second test keeps the server answering its health check while a hostile
upload is previewed on the Data page. Screenshots at 1920×1080 and 1280×720 go to test-artifacts/."""
from __future__ import annotations

import csv
import shutil
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from tests.browser_support import (
    ARTIFACTS,
    block_outside,
    chromium,
    download_table_csv,
    streamlit_server,
    wait_until_run_finished,
)
from tests.hostile_strings import HOSTILE_STRINGS
from tsk.config import ROOT, load_config
from tsk.i18n import t
from tsk.ingest.run import run_import

PAGES = {"oversikt": "/", "lagesbild": "/lagesbild", "trygghetsundersokning": "/trygghetsundersokning",
         "traffpunkt": "/traffpunkt", "vandring": "/vandring", "analysgrupp": "/analysgrupp",
         "uppfoljning": "/uppfoljning", "data": "/data"}
# One line each: names a chart label or a warning shows on one line. The last three are formulas.
FORMULAS = ['=HYPERLINK("http://evil.example";"Klicka")', "x,=2+5", "\ufeff=1+1"]
REPORTERS = [s.replace("\n", " ") for s in HOSTILE_STRINGS[:8]] + FORMULAS
HEADER = ["Vecka", "Datum", "Organisation", "Inrapportör", "Ort", "Plats", "Kategori", "Bedömning", "Kommentar"]


def hostile_lagesbild(path: Path) -> Path:
    """The hostile reporters report in weeks 30–33 of 2026 and then fall silent (so Lägesbild warns
    about them by name); every hostile string is also a comment."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(HEADER)
        for i, reporter in enumerate(REPORTERS):
            for week in range(30, 34):
                w.writerow([f"v{week} 2026", "", "Polisen", reporter, "Kalv", "", "Klotter", "1",
                            HOSTILE_STRINGS[(i + week) % len(HOSTILE_STRINGS)]])
    return path


def hostile_survey(path: Path) -> Path:
    source = (ROOT / "tests" / "hostile" / "survey_html_free_text.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(source))
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(rows[0])
        for i, text in enumerate(HOSTILE_STRINGS):
            row = list(rows[1])
            row[0] = f"2024/11/{1 + i % 28:02d} 8:53:03 fm CET"
            row[-1] = text
            w.writerow(row)
    return path


@pytest.fixture(scope="module")
def hostile_db(demo_db, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("markup")
    db = work / "hostile.duckdb"
    shutil.copyfile(demo_db, db)
    # Without configured reporting units the reporters are taken as written (redacted), so the hostile
    # names reach the pages; with them (tsk.toml) an unknown reporter would wait in review instead.
    config = replace(load_config(ROOT / "tsk.toml"), reporting_units=())
    out = run_import("lagesbild", hostile_lagesbild(work / "lagesbild.csv"), db=db, config=config)
    assert out.accepted == 4 * len(REPORTERS)
    run_import("survey", hostile_survey(work / "enkat.csv"), db=db, config=config)
    return db


@pytest.fixture(scope="module")
def server(hostile_db):
    with streamlit_server(hostile_db, log_name="streamlit_markup.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def created_from_data(page) -> list[str]:
    """Images, links and styled spans whose address or text comes from the hostile strings, in the
    page and in every frame (maps)."""
    found = []
    for frame in page.frames:
        found += frame.eval_on_selector_all(
            'img[src*="tsk-outside"], a[href*="tsk-outside"], script:not([src]), span[style*="80px"], '
            'iframe[src*="tsk-outside"]',
            "els => els.filter(e => e.tagName !== 'SCRIPT' || e.textContent.includes('tsk-xss'))"
            ".map(e => e.outerHTML.slice(0, 120))")
    return found


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "motesla"])
@pytest.mark.parametrize("name", list(PAGES))
def test_hostile_text_never_becomes_markup(server, browser, name, meeting):
    blocked: list[str] = []
    sizes = [(1920, 1080)] if name != "lagesbild" else [(1920, 1080), (1280, 720)]
    for width, height in sizes:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="sv-SE")
        block_outside(context, blocked)
        page = context.new_page()
        try:
            page.goto(server + PAGES[name] + ("?mote=1" if meeting else ""), wait_until="domcontentloaded")
            wait_until_run_finished(page)
            page.wait_for_timeout(1500)  # charts and map frames draw after the run
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"markup_{name}_{'mote' if meeting else 'normal'}_{width}.png"))
            assert created_from_data(page) == []
            assert page.locator('[data-testid="stException"]').count() == 0
            if name == "lagesbild":
                body = page.locator("body").inner_text()
                warned = [r for r in REPORTERS if r in body]
                assert len(warned) >= 3, "the silent hostile reporters are named literally"
                labels = " ".join(page.locator(".js-plotly-plot svg text").all_text_contents())
                assert "<b>fet</b>" in labels or "<b>fet</b> <i>kursiv</i>" in body
        finally:
            context.close()
    assert [u for u in blocked if "tsk-outside" in u] == []


def test_the_server_stays_responsive_while_a_hostile_upload_is_previewed(server, browser, tmp_path):
    """A 1 MB comment without a space (the redaction that once took minutes) and a row of year 9999,
    uploaded on the Data page: while the preview runs, /_stcore/health answers every time within 1 s."""
    upload = tmp_path / "fientlig.csv"
    with open(upload, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(HEADER)
        w.writerow(["v47 9999", "", "Polisen", "Kommunpolis Svenljunga", "Kalv", "", "Klotter", "1", "x"])
        for i in range(3):
            w.writerow(["v47 2025", "", "Polisen", "Kommunpolis Svenljunga", "Kalv", "", "Klotter", "1",
                        "anna" + "a.b-c_" * 160_000 + str(i)])
    slow: list[float] = []
    answered: list[float] = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            start = time.monotonic()
            try:
                with urllib.request.urlopen(server + "/_stcore/health", timeout=1) as r:
                    assert r.status == 200
                answered.append(time.monotonic() - start)
            except OSError:
                slow.append(time.monotonic() - start)
            time.sleep(0.1)

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(server + "/data", wait_until="domcontentloaded")
        wait_until_run_finished(page)
        poller = threading.Thread(target=poll)
        poller.start()
        try:
            page.locator('input[type="file"]').first.set_input_files(str(upload))
            # The preview's summary: the 9999 row to quarantine, the three long comments accepted (redacted).
            page.get_by_text(t("data_preview", accepted=3, quarantined=1)).wait_for(timeout=120_000)
            wait_until_run_finished(page)
        finally:
            stop.set()
            poller.join()
        page.screenshot(path=str(ARTIFACTS / "markup_data_preview.png"))
    finally:
        context.close()
    assert len(answered) >= 3 and slow == [], (len(answered), slow)


def test_a_download_of_hostile_reporter_names_has_no_formula(server, browser, tmp_path):
    """The coverage table's CSV, fetched through the page's own download button (built on click, served
    once from /media): the formula corpus in the reporter names comes out as text, for a reader that
    splits on ";" as for one that splits on ","."""
    from tsk.exports import FORMULA_TRIGGERS

    # (No request routing here: Playwright does not report downloads of routed requests.)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(server + "/lagesbild", wait_until="domcontentloaded")
        wait_until_run_finished(page)
        raw = download_table_csv(page, "lb_coverage")
    finally:
        context.close()
    text = raw.decode("utf-8-sig")
    for delimiter in (";", ","):
        cells = [c for row in csv.reader(text.splitlines(), delimiter=delimiter) for c in row]
        formulas = [c for c in cells if c.lstrip("\ufeff\u200b").startswith(FORMULA_TRIGGERS)]
        assert formulas == [], (delimiter, formulas[:3])
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    shown = {c for row in rows for c in row}
    assert {"'" + FORMULAS[0], "x,=2+5", "'\ufeff=1+1"} <= shown, sorted(shown)[:20]
