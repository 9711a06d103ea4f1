"""Hostile files over the budgets (tsk/importers/reading.py), one per attack: an XLSX declaring a cell at
XFD1048576 or gigabytes of XML, a shared-strings bomb, one cell of a million characters, malformed
sheet XML, a CSV mixing encodings or naming a column twice. Each is refused through the CLI with exit 2
and its exact Swedish message, before anything is read into memory, and the store stays byte-identical.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile_support import digest
from tests.xlsx_build import shared_xml, sheet_xml, write_xlsx
from tsk.cli import main
from tsk.config import ROOT
from tsk.i18n import t
from tsk.importers import reading
from tsk.ingest.run import run_import

HOSTILE = Path(__file__).parent / "hostile"
FILES = Path(__file__).parent / "files"
MB = 1 << 20
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Vecka</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>Ort</t></is></c></row>')


def nb(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def too_big(ref: str, cols: int, cells: int) -> str:
    return t("xlsx_sheet_too_big", sheet="sheet1", ref=ref, cols=nb(cols), cells=nb(cells),
             max=nb(reading.MAX_XLSX_CELLS), max_cols=nb(reading.MAX_COLUMNS))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    from tsk.config import load_config

    path = tmp_path_factory.mktemp("budgets") / "tsk.duckdb"
    config = load_config(ROOT / "tsk.toml")
    run_import("areas", ROOT / "data" / "demo" / "omraden.geojson", db=path, config=config, name_field="omrade")
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=path, config=config)
    return path


def assert_refused(store: Path, path: Path, message: str, capsys, source: str = "lagesbild") -> None:
    before = digest(store)
    code = main(["import", source, str(path), "--db", str(store)])
    err = capsys.readouterr().err
    assert (code, err) == (2, message + "\n")
    assert digest(store) == before


COMMITTED = [
    ("xlsx_dimension_xfd.xlsx", too_big("XFD1048576", 16_384, 16_384 * 1_048_576)),
    ("xlsx_cell_far_away.xlsx", too_big("XFD1048576", 16_384, 16_384 * 1_048_576)),
    ("xlsx_3000_columns.xlsx", too_big("BXY1", 2_001, 2_001)),
    ("xlsx_malformed_sheet.xlsx", t("file_xlsx_broken", detail="ParseError")),
    ("xlsx_bad_cell_reference.xlsx", t("file_xlsx_broken", detail="cell 1A")),
    ("xlsx_not_a_zip.xlsx", t("file_xlsx_broken", detail="BadZipFile")),
    ("xlsx_long_shared_string.xlsx", t("xlsx_cell_too_long", sheet="delade texter", n=nb(1_100_000),
                                       max=nb(reading.MAX_FIELD))),
    ("xlsx_long_inline_string.xlsx", t("xlsx_cell_too_long", sheet="sheet1", n=nb(1_100_000),
                                       max=nb(reading.MAX_FIELD))),
    ("csv_mixed_encoding.csv", t("file_mixed_encoding")),
    ("csv_duplicate_header.csv", t("file_duplicate_header", name="Kommentar", cols="9, 10")),
]


@pytest.mark.parametrize("name,message", COMMITTED, ids=[c[0] for c in COMMITTED])
def test_a_committed_file_over_a_budget_is_refused_and_nothing_changes(store, capsys, name, message):
    assert "teckenkodning" in t("file_mixed_encoding")
    assert_refused(store, HOSTILE / name, message, capsys)


def test_a_shared_strings_bomb_is_refused_from_the_zip_directory(store, capsys, tmp_path):
    """60 MB of strings packed into a small file: refused from the declared size, never unpacked."""
    unit = "<si><t>" + "a" * 1000 + "</t></si>"
    parts = [b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    parts += [unit.encode() * 1000] * 60 + [b"</sst>"]
    path = tmp_path / "bomb.xlsx"
    with_bomb = write_xlsx(tmp_path / "base.xlsx", sheet_xml(HEADER_ROW))
    import zipfile
    with zipfile.ZipFile(with_bomb) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                dst.writestr(info.filename, src.read(info))
        with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            for part in parts:
                f.write(part)
    size = zipfile.ZipFile(path).getinfo("xl/sharedStrings.xml").file_size
    assert path.stat().st_size < MB < 50 * MB < size
    assert_refused(store, path, t("xlsx_shared_strings_too_large", size=f"{size / MB:.0f}",
                                  max=f"{reading.MAX_XLSX_SHARED / MB:.0f}"), capsys)


def test_an_xlsx_declaring_more_than_the_unpacked_budget_is_refused(store, capsys, tmp_path):
    chunk = b"<!-- " + b" " * (MB - 10) + b" -->"
    path = write_xlsx(tmp_path / "stor.xlsx", sheet_xml(HEADER_ROW),
                      chunks=("xl/media/padding.xml", [chunk] * (reading.MAX_XLSX_UNPACKED // MB + 1)))
    import zipfile
    total = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    assert path.stat().st_size < 2 * MB
    assert_refused(store, path, t("xlsx_too_large_unpacked", size=f"{total / MB:.0f}",
                                  max=f"{reading.MAX_XLSX_UNPACKED / MB:.0f}"), capsys)


def test_a_csv_cell_over_the_cell_cap_is_refused_saying_which_row(store, capsys, tmp_path):
    path = tmp_path / "lang_cell.csv"
    head = "Vecka;Datum;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning;Kommentar\n"
    good = "v47 2026;;Polisen;Kommunpolis Svenljunga;Kalv;;Klotter;1;bra\n"
    path.write_text(head + good + good[:-4] + "x" * (reading.MAX_FIELD + 1) + "\n" + good, encoding="utf-8")
    detail = t("file_cell_too_long", row=3, max=nb(reading.MAX_FIELD))
    assert_refused(store, path, t("file_csv_broken", detail=detail), capsys)


def test_a_small_valid_xlsx_is_still_read(tmp_path):
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>Kalv</t></is></c></row>'
    path = write_xlsx(tmp_path / "ok.xlsx", sheet_xml(rows, "A1:B2"), shared_xml(["v47 2026"]))
    table = reading.read_table(path)
    assert table.headers == ["Vecka", "Ort"] and table.frame.values.tolist() == [["v47 2026", "Kalv"]]
