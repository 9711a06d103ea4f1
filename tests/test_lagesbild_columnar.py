"""The column-at-a-time lägesbild parser (tsk/importers/lagesbild_columnar.py) against the row loop
(lagesbild.parse_rows): for every lägesbild file in the fixtures, the demo data and generated files
with planted problems, `parse` and `parse_rows` give the same accepted rows, coverage, quarantine
(row numbers, reasons, original cells), notes, or the same rejection; and the files it does not
handle fall back to the row loop."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tsk.config import ROOT
from tsk.errors import FileRejected
from tsk.gazetteer import Gazetteer
from tsk.importers import lagesbild, lagesbild_columnar, reading
from tsk.importers.base import ImportContext, load_mapping
from tsk.ingest.run import run_import
from tsk.store import open_store

TESTS = Path(__file__).parent
FILES = TESTS / "files"
HOSTILE = TESTS / "hostile"
DEMO = ROOT / "data" / "demo"
MAPPINGS = ROOT / "data" / "mappings"
COLUMNAR = lagesbild_columnar.COLUMNAR
ROW_LOOP = "row loop"

FIXTURES = sorted([*FILES.iterdir(), *HOSTILE.glob("*.csv"), *DEMO.glob("lagesbild_*.csv")])


# --- comparing the two parsers ---------------------------------------------------------------------------

def _plain(v):
    """A cell as a plain Python value, whatever the frame's dtype (ArrowDtype, str, object, int64)."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(_plain(v) for v in row) for row in frame.itertuples(index=False, name=None)]


def outcome(fn, path: Path, ctx: ImportContext):
    """Everything a parser's answer says, in plain values (file order kept: both keep it)."""
    return answer(fn, path, ctx)[0]


def answer(fn, path: Path, ctx: ImportContext) -> tuple[dict, str | None]:
    """(the outcome, the parse path the batch or the rejection reports)."""
    try:
        batch = fn(path, ctx)
    except FileRejected as e:
        return {"rejected": e.key, "message": e.message}, getattr(e, "parse_path", None)
    return {
        "tables": {name: (list(frame.columns), _rows(frame)) for name, frame in sorted(batch.tables.items())},
        "accepted": batch.accepted,
        "quarantine": [(q.row_number, q.original, q.reason, q.suggestions) for q in batch.quarantine],
        "skipped": batch.skipped,
        "notes": batch.notes,
        "mapping_name": batch.mapping_name,
    }, batch.parse_path


def context(config, name: str = "lagesbild.csv", mapping: dict | None = None, mapping_name: str | None = None):
    return ImportContext(config=config, gazetteer=Gazetteer(config), file_name=name, mapping=mapping,
                         mapping_name=mapping_name)


def both(path: Path, ctx: ImportContext) -> tuple[dict, str]:
    """(the outcome, which path `parse` took), after asserting that parse and parse_rows agree."""
    new, taken = answer(lagesbild.parse, path, ctx)
    old = outcome(lagesbild.parse_rows, path, ctx)
    assert new == old, f"{path.name} via {taken}"
    return new, taken


# --- the committed files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_parses_or_is_rejected_the_same(config, path):
    ctx = context(config, path.name)
    both(path, ctx)


def test_the_utf8_fixtures_really_take_the_columnar_path(config):
    """The test above proves nothing about the columnar parser for files it hands to the row loop."""
    for path in (FILES / "lagesbild_standard_utf8.csv", HOSTILE / "lagesbild_html_and_formulas.csv",
                 DEMO / "lagesbild_svenbo.csv"):
        result, taken = both(path, context(config, path.name))
        assert taken == COLUMNAR, path.name
        assert result["accepted"] > 0, path.name


def test_the_demo_files_with_their_manifest_mapping(config):
    mapping = MAPPINGS / "lagesbild_standard.toml"
    for name in ("lagesbild_polisen.csv", "lagesbild_svenbo.csv"):
        both(DEMO / name, context(config, name, load_mapping(mapping), mapping.name))


# --- a generated file with planted problems ----------------------------------------------------------------

HEADER = ["ID", "Vecka", "Datum", "Organisation", "Inrapportör", "Område", "Ort", "Plats", "Kategori", "Bedömning",
          "Kommentar", "E-post"]
PERSONNUMMER = "19811218-9876"
ROWS = [
    ["A-1", "v47 2026", "24/11/2026", "Polisen", "Kommunpolis Svenljunga", "", "Överlida", "Badet", "Skadegörelse",
     "2", "Krossade rutor", "polis@example.se"],
    ["", "v47 2026", "", "Polis", "Kommunpolis Svenljunga", "", "Ö Frölunda", "", "Störande samlingar", "Förhöjt",
     f"Samling, ring 070-123 45 67 eller fråga {PERSONNUMMER}", ""],
    None,  # a blank line in the middle
    ["", "2026-W47", "", "Polisen", "Kommunpolis Svenljunga", "", "", "", "Inget att rapportera", "", "", ""],
    ["", "v47 2026", "", "Polisen", "Kommunpolis Svenljunga", "", "", "", "Inget att rapportera", "", "", ""],
    ["", "v48 2026", "", "Svenbo", "Svenbo kundcenter", "", "", "", "inget", "", "", ""],
    ["", "v48 2026", "", "Svenbo", "Svenbo kundcenter", "", "Atlantis", "", "Klotter", "1", "okänd ort", ""],
    ["", "v99 2026", "", "Svenbo", "Svenbo kundcenter", "", "Kalv", "", "Klotter", "1", "", ""],
    ["", "", "31/02/2026", "Svenbo", "Svenbo kundcenter", "", "Kalv", "", "Klotter", "1", "", ""],
    ["", "", "", "Svenbo", "Svenbo kundcenter", "", "Kalv", "", "Klotter", "1", "", ""],
    ["", "v48 2026", "", "Svenbo", "", "", "Kalv", "", "Klotter", "1", f"saknar inrapportör {PERSONNUMMER}", ""],
    ["", "v48 2026", "", "Svenbo", "Svenbo kundcenter", "", "Kalv", "", "Klotter", "Jättemycket",
     f"fel bedömning, {PERSONNUMMER}", "namn@example.se"],
    ["", "v48 2026", "", "Okänd förening", "Någon", "", "Kalv", "", "Klotter", "1", "", ""],
    ["", "v48 2026", "", "Svenbo", "Svenbo kundcenter", "", "Kalv", "", "Graffitimålning", "1", "", ""],
    ["", "v48 2026", "", "Svenbo", "Svenbo kundcenter", "Högvad", "Svenljunga", "Torget", "Klotter", "1", "", ""],
    ["", "  v48 2026 ", "", " Svenbo ", "\u00a0Svenbo kundcenter", "", "  Kalv\t", "", " klotter ", " 1 ",
     "  mellanslag  ", ""],
    ["B-7", "v48 2026", "", "Svenbo", "Svenbo kundcenter", "", "Kalv", "Bygdegården", "Klotter", "Lite",
     "rad ett\nrad två med \"citat\"", ""],
    ["B-7", "v48 2026", "", "Svenbo", "Svenbo kundcenter", "", "Kalv", "Bygdegården", "Klotter", "Lite",
     "rad ett\nrad två med \"citat\"", ""],  # a duplicate row
    [""] * len(HEADER),  # a line of delimiters only
    [" ", "", "  ", "", "", "", "", "", "", "", "", "\t"],  # blank cells only
    ["", "v49 2026", "03/12/2026", "Kommunen", "Fritidsgården Sexdrega", "", "Sexdrega", "Idrottsplatsen", "Hot/våld", "3",
     "=HYPERLINK(\"http://x\")", ""],
    ["", "v49 2026", "03/12/2026", "Kommunen", "Fritidsgården Sexdrega", "", "Sexdrega", "Idrottsplatsen", "Hot/våld", "3",
     "=HYPERLINK(\"http://x\")", ""],  # another duplicate, without an id
    ["", "v49", "03/12/2026", "Svenljunga kommun", "Fritidsgården Sexdrega", "", "Sexdrega", "", "Inget att rapportera", "",
     "", ""],
]
STANDARD = load_mapping(MAPPINGS / "lagesbild_standard.toml")
CUSTOM = {**STANDARD,
          "columns": {**STANDARD["columns"], "id": "ID", "area": "Område"},
          "personal_columns": ["E-post"],
          "grades": {"Jättemycket": 3}}
CONSTANT = {**STANDARD, "columns": {k: v for k, v in STANDARD["columns"].items() if k != "organisation"},
            "constants": {"organisation": "Svenbo"}}


def _quote(cell: str, delimiter: str) -> str:
    if any(c in cell for c in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_planted(path: Path, *, repeat: int = 1, delimiter: str = ";", newline: str = "\n",
                  encoding: str = "utf-8", bom: bool = False) -> Path:
    lines = [delimiter.join(HEADER)]
    for _ in range(repeat):
        for row in ROWS:
            lines.append("" if row is None else delimiter.join(_quote(c, delimiter) for c in row))
    text = newline.join(lines) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


@pytest.mark.parametrize("mapping", [None, CUSTOM, CONSTANT], ids=["auto", "id-area-personal", "constant-org"])
@pytest.mark.parametrize("layout", [{}, {"newline": "\r\n", "bom": True}, {"delimiter": ",", "repeat": 40},
                                    {"delimiter": "\t", "newline": "\r"}],
                         ids=["semicolon", "crlf-bom", "comma", "tab-cr"])
@pytest.mark.parametrize("units", [True, False], ids=["units", "no-units"])
def test_planted_problems_give_the_same_rows_quarantine_and_notes(config, tmp_path, mapping, layout, units):
    if not units:  # a kommun without [[reporting_units]]: reporters as written, organisation from the file
        config = dataclasses.replace(config, reporting_units=())
    path = write_planted(tmp_path / "lagesbild.csv", **layout)
    result, taken = both(path, context(config, path.name, mapping, "test.toml" if mapping else None))
    assert taken == COLUMNAR
    repeat = layout.get("repeat", 1)
    reasons = [q[2] for q in result["quarantine"]]
    assert len(reasons) >= 7 * repeat and result["accepted"] >= 8 * repeat
    reports = result["tables"]["lagesbild"]
    columns = reports[0]
    everything = json.dumps([result["quarantine"], reports[1]], default=str, ensure_ascii=False)
    assert PERSONNUMMER not in everything and "070-123 45 67" not in everything
    if mapping is CUSTOM:
        assert all("E-post" not in q[1] for q in result["quarantine"])  # a personal column: never kept
        ids = [r[columns.index("report_id")] for r in reports[1]]
        assert "lagesbild.csv#A-1" in ids and ids.count("lagesbild.csv#B-7") == 2 * repeat
    # Blank lines and records with a newline inside a quoted cell count as the csv module counts them.
    lines = 1 + repeat * len(ROWS)
    assert max(q[0] for q in result["quarantine"]) <= lines


def test_planted_problems_write_the_same_store_either_way(config, tmp_path, monkeypatch):
    """Through run_import into two stores: the columnar frames (Arrow-backed) are stored as the row
    loop's are."""
    path = write_planted(tmp_path / "lagesbild.csv", repeat=3)
    mapping_path = tmp_path / "custom.toml"
    mapping_path.write_text(
        (MAPPINGS / "lagesbild_standard.toml").read_text(encoding="utf-8").replace(
            'comment = "Kommentar"', 'comment = "Kommentar"\nid = "ID"\narea = "Område"'), encoding="utf-8")
    stored = {}
    taken = []

    def recording(parser):
        def parse(path, ctx):
            batch = parser(path, ctx)
            taken.append(batch.parse_path)
            return batch
        return parse

    for name, parser in (("columnar", lagesbild.parse), ("rows", lagesbild.parse_rows)):
        monkeypatch.setattr(lagesbild, "parse", recording(parser))
        taken.clear()
        db = tmp_path / f"{name}.duckdb"
        run_import("lagesbild", path, db=db, config=config, mapping=mapping_path, backup=False)
        with open_store(db, read_only=True) as store:
            stored[name] = {t: sorted((_rows(store.table(t).drop(columns=["import_id"]))), key=repr)
                            for t in ("lagesbild", "coverage", "quarantine")}
            stored[name]["imports"] = _rows(store.table("imports")[["mapping", "rows_accepted", "rows_quarantined",
                                                                     "rows_skipped", "notes"]])
        if name == "columnar":
            assert taken[-1] == COLUMNAR
    assert stored["columnar"] == stored["rows"]
    assert len(stored["rows"]["lagesbild"]) > 10 and len(stored["rows"]["quarantine"]) > 20


def test_a_windows_1252_file_falls_back_and_imports_as_its_utf8_twin(config, tmp_path):
    utf8 = write_planted(tmp_path / "utf8.csv", repeat=2)
    cp1252 = write_planted(tmp_path / "cp1252.csv", repeat=2, encoding="cp1252")
    ctx = context(config, "lagesbild.csv")  # the same name: report ids carry it
    from_utf8, taken_utf8 = both(utf8, ctx)
    from_cp1252, taken_cp1252 = both(cp1252, ctx)
    assert taken_utf8 == COLUMNAR and taken_cp1252.startswith(ROW_LOOP)
    assert from_cp1252 == from_utf8
    # and the committed pair
    from_utf8, taken_utf8 = both(FILES / "lagesbild_standard_utf8.csv", ctx)
    from_cp1252, taken_cp1252 = both(FILES / "lagesbild_standard_cp1252.csv", ctx)
    assert taken_utf8 == COLUMNAR and taken_cp1252 == "row loop: not UTF-8"
    assert from_cp1252 == from_utf8


# --- files the columnar parser must hand to the row loop, or reject as it does -----------------------------

H = "Vecka;Datum;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning;Kommentar"
GOOD = "v47 2026;;Polisen;Kommunpolis Svenljunga;Kalv;;Klotter;1;bra"
EDGE_CASES = {
    "too_few_fields": (f"{H}\n{GOOD}\nv47 2026;;Polisen;Kommunpolis Svenljunga;Kalv\n", ROW_LOOP),
    "too_many_fields": (f"{H}\n{GOOD}\n{GOOD};extra;mer\n{GOOD}\n", ROW_LOOP),
    "trailing_empty_fields": (f"{H}\n{GOOD};;;\n{GOOD}\n", ROW_LOOP),
    "unterminated_quote": (f'{H}\n{GOOD}\n{GOOD[:-3]}"öppen\n', COLUMNAR),
    "unterminated_quote_swallowing_lines": (f'{H}\n{GOOD[:-3]}"bra\n{GOOD}\n{GOOD}\n', COLUMNAR),
    "quote_inside_a_field": (f'{H}\n{GOOD[:-3]}b"r"a\n{GOOD[:-3]}"b"ra\n', COLUMNAR),
    "header_with_empty_cell": (f"{H};\n{GOOD}\n", ROW_LOOP),
    "duplicate_headers": (f"{H};Kommentar\n{GOOD};x\n", ROW_LOOP),
    "blank_line_before_header": (f"\n{H}\n{GOOD}\n", ROW_LOOP),
    "only_blank_rows": (f"{H}\n;;;;;;;;\n\n  ;;;;;;;;\n", ROW_LOOP),
    "only_blank_rows_unrelated_header": ("Namn;Adress\n;\n\n", ROW_LOOP),
    "unrelated_columns": ("Namn;Adress\nA;B\n", COLUMNAR),
    "no_week_or_date": (H.replace("Vecka;Datum;", "") + "\n" + GOOD.split(";", 2)[2] + "\n", COLUMNAR),
    "no_category": (H.replace(";Kategori", ";Typ") + f"\n{GOOD}\n", COLUMNAR),
    "nul_in_a_cell": (f"{H}\n" + f"{GOOD}\n" * 200 + f"{GOOD[:-3]}b\x00ra\n", COLUMNAR),
    "whitespace_line": (f"{H}\n{GOOD}\n   \n{GOOD}\n", ROW_LOOP),
    "quoted_blank_row": (f'{H}\n{GOOD}\n"";"";"";"";"";"";"";" ";""\n{GOOD}\n', COLUMNAR),
    "everything_quarantined": (f"{H}\n" + GOOD.replace("Kalv", "Atlantis") + "\n", COLUMNAR),
}


@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_edge_cases_read_and_reject_as_the_row_loop(config, tmp_path, name):
    text, expected = EDGE_CASES[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(text.encode("utf-8"))
    _, taken = both(path, context(config, path.name))
    assert taken == COLUMNAR if expected == COLUMNAR else taken.startswith(ROW_LOOP)


def test_a_wide_mapping_on_a_csv_falls_back(config, tmp_path):
    path = tmp_path / "forms.csv"
    path.write_text("ID;Slutförandetid;E-post;Namn\n1;2026-11-24 10:00:00;a@b.se;A\n", encoding="utf-8")
    mapping = MAPPINGS / "lagesbild_msforms.toml"
    _, taken = both(path, context(config, path.name, load_mapping(mapping), mapping.name))
    assert taken == "row loop: wide layout"


def test_the_size_cap_field_limit_and_column_limit_are_the_shipped_readers(config, tmp_path, monkeypatch):
    path = write_planted(tmp_path / "lagesbild.csv")
    size = path.stat().st_size
    ctx = context(config, path.name)

    monkeypatch.setattr(reading, "MAX_FILE_BYTES", size - 1)
    result, taken = both(path, ctx)
    assert result["rejected"] == "file_too_large" and taken == "row loop: over the size cap"
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", size)
    _, taken = both(path, ctx)
    assert taken == COLUMNAR

    monkeypatch.setattr(reading, "MAX_FIELD", 40)  # the planted comments are longer
    result, taken = both(path, ctx)
    assert result["rejected"] == "file_csv_broken" and taken.startswith("row loop")
    monkeypatch.setattr(reading, "MAX_FIELD", 1_000_000)

    monkeypatch.setattr(reading, "MAX_COLUMNS", len(HEADER) - 1)
    result, taken = both(path, ctx)
    assert result["rejected"] == "file_too_many_columns" and taken.startswith("row loop")


def test_utf8_at_the_start_and_windows_1252_further_on_falls_back(config, tmp_path):
    """The shipped reader decodes the whole file as Windows-1252 when any byte is not UTF-8 (here that
    garbles «Inrapportör»: the file mixes encodings, and is refused saying so)."""
    lines = [H] + [GOOD.replace("bra", f"rad {i}") for i in range(6000)]
    path = tmp_path / "mixed.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + GOOD.replace("Kalv", "Överlida").encode("cp1252"))
    assert path.stat().st_size > 4 * reading.SNIFF_CHARS
    result, taken = both(path, context(config, path.name))
    assert taken == "row loop: lines the general reader must judge" and result["rejected"] == "file_mixed_encoding"


def test_coverage_counts_an_organisation_alias_and_a_week_spelling_once(config, tmp_path):
    path = tmp_path / "alias.csv"
    path.write_text(f"{H}\n"
                    "v47 2026;;Polisen;Kommunpolis Svenljunga;;;Inget att rapportera;;\n"
                    "2026-W47;;Polis;Kommunpolis Svenljunga;;;Inget att rapportera;;\n"
                    "v47 2026;23/11/2026;LPO Borås;Kommunpolis Svenljunga;;;inget;;\n", encoding="utf-8")
    result, taken = both(path, context(config, path.name))
    assert taken == COLUMNAR
    assert len(result["tables"]["coverage"][1]) == 1 and result["notes"] == ["inrapporteringar: 1"]


def test_report_dates_and_weeks_are_plain_dates(config):
    ctx = context(config, "x.csv")
    batch = lagesbild.parse(FILES / "lagesbild_standard_utf8.csv", ctx)
    assert batch.parse_path == COLUMNAR
    first = _rows(batch.tables["lagesbild"])[0]
    cols = list(batch.tables["lagesbild"].columns)
    assert first[cols.index("week_start")] == dt.date(2026, 11, 16)
    assert first[cols.index("report_date")] == dt.date(2026, 11, 24)
