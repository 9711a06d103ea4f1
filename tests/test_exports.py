"""tsk.exports: CSV and XLSX for Swedish Excel, formula injection neutralised in both."""
from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from tsk.exports import (
    neutralise_formula,
    safe_filename,
    sheet_names,
    to_csv_bytes,
    to_xlsx_bytes,
)

BOM = b"\xef\xbb\xbf"

# Text that a spreadsheet would run as a formula (OWASP examples plus the tab/CR variants).
DANGEROUS = [
    "=HYPERLINK(\"http://evil.example\",\"Klicka\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Område": ["Högvad", "Kindaholm", "Axelfors"],
            "Svar": [173, 12, 0],
            "Andel": [0.1329, 0.5, np.nan],
            "Förändring": [-3, 2, -1],
            "Kvot": [-0.25, 1.5, -np.inf],
            "Vecka": pd.to_datetime(["2026-11-16", "2026-11-09", None]),
            "Plats": [DANGEROUS[0], "Torget", "-vid ICA"],
        }
    )


def _csv_rows(data: bytes) -> list[str]:
    assert data.startswith(BOM)
    text = data[len(BOM):].decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return text.split("\r\n")


# --- neutralise_formula --------------------------------------------------------------------------


@pytest.mark.parametrize("text", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_neutralise_formula_prefixes_dangerous_text(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["Torget", "", "1+1", " =1", -3, -2.5, 0, None, dt.date(2026, 11, 16), np.float64(-1.0)],
    ids=["plain", "empty", "formula-not-first", "leading-space", "neg-int", "neg-float", "zero", "none",
         "date", "numpy-neg"],
)
def test_neutralise_formula_leaves_safe_values_alone(value):
    assert neutralise_formula(value) is value


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_is_swedish_excel_csv():
    rows = _csv_rows(to_csv_bytes(_table()))
    assert rows[0] == "Område;Svar;Andel;Förändring;Kvot;Vecka;Plats"
    # float with decimal comma; negative numbers stay numbers (no apostrophe); ISO dates; the
    # formula-looking text is quoted by CSV rules (it contains '"' and ',') and prefixed with "'".
    assert rows[1] == 'Högvad;173;0,1329;-3;-0,25;2026-11-16;"\'=HYPERLINK(""http://evil.example"",""Klicka"")"'
    assert rows[2] == "Kindaholm;12;0,5;2;1,5;2026-11-09;Torget"
    # NaN and NaT are empty; -inf is text with U+2212 (not a formula); text "-vid ICA" is neutralised.
    assert rows[3] == "Axelfors;0;;-1;\u2212∞;;'-vid ICA"
    assert rows[4] == ""  # the file ends with CRLF
    assert len(rows) == 5


@pytest.mark.parametrize("text", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_csv_neutralises_every_dangerous_text_cell_and_header(text):
    df = pd.DataFrame({text: [text], "n": [-5]})
    data = to_csv_bytes(df)
    import csv

    parsed = list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline=""), delimiter=";"))
    assert parsed == [["'" + text, "n"], ["'" + text, "-5"]]


def test_csv_formats_timestamps_nullable_types_and_booleans():
    df = pd.DataFrame(
        {
            "tid": pd.to_datetime(["2026-03-01 13:45:10", None]).tz_localize("UTC"),
            "antal": pd.array([3, None], dtype="Int64"),
            "andel": pd.array([0.25, None], dtype="Float64"),
            "flagga": [True, False],
            "datum": [dt.date(2026, 1, 2), None],
            "stor": [1234567.5, 1e-7],
        }
    )
    rows = _csv_rows(to_csv_bytes(df))
    # 13:45:10 UTC on 1 March is 14:45:10 in Stockholm (CET, UTC+1).
    assert rows[1] == "2026-03-01 14:45:10;3;0,25;1;2026-01-02;1234567,5"
    assert rows[2] == ";;;0;;1e-07"


def test_csv_of_an_empty_table_has_the_header_only():
    assert to_csv_bytes(pd.DataFrame({"a": [], "b": []})) == BOM + b"a;b\r\n"


# --- XLSX ----------------------------------------------------------------------------------------


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_xlsx_round_trips_values_types_and_formats():
    data = to_xlsx_bytes({"Lägesbild": _table()}, number_formats={"Andel": "0.0%", "Kvot": "0.00"})
    ws = _open(data)["Lägesbild"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Område", "Svar", "Andel", "Förändring", "Kvot", "Vecka", "Plats")
    assert rows[1] == ("Högvad", 173, 0.1329, -3, -0.25, dt.datetime(2026, 11, 16), "'" + DANGEROUS[0])
    assert rows[2] == ("Kindaholm", 12, 0.5, 2, 1.5, dt.datetime(2026, 11, 9), "Torget")
    assert rows[3] == ("Axelfors", 0, None, -1, "\u2212∞", None, "'-vid ICA")
    assert ws["B2"].number_format == "0" and ws["B2"].data_type == "n"
    assert ws["C2"].number_format == "0.0%"
    assert ws["E2"].number_format == "0.00" and ws["E2"].data_type == "n"
    assert ws["D2"].data_type == "n" and ws["D2"].value == -3  # a negative number stays a number
    assert ws["F2"].is_date and ws["F2"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])
    assert ws.auto_filter.ref == "A1:G4"
    width_g = ws.column_dimensions["G"].width
    assert width_g >= len(DANGEROUS[0]) and ws.column_dimensions["B"].width < width_g


def test_xlsx_timestamps_with_time_keep_the_time():
    df = pd.DataFrame({"tid": pd.to_datetime(["2026-07-01 10:00:00"]).tz_localize("UTC")})
    ws = _open(to_xlsx_bytes({"a": df})).active
    # 10:00 UTC in July is 12:00 in Stockholm (CEST, UTC+2).
    assert ws["A2"].value == dt.datetime(2026, 7, 1, 12, 0)
    assert ws["A2"].number_format == "yyyy-mm-dd hh:mm"


@pytest.mark.parametrize("text", [*DANGEROUS, "#N/A", "=A1"], ids=["equals", "plus", "minus", "at", "tab",
                                                                   "cr", "error-code", "short-formula"])
def test_xlsx_never_stores_a_formula(text):
    df = pd.DataFrame({text: [text, "Torget"], "tal": [-1.5, 2]})
    wb = _open(to_xlsx_bytes({"Blad": df}))
    cells = [c for row in wb.active.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type in ("f", "e")] == []
    expected = text if text == "#N/A" else "'" + text
    # Depending on the XML library (lxml or not), a stored CR may come back as LF; the apostrophe in
    # front is what matters.
    def same(value):
        return value is not None and value.replace("\r", "\n") == expected.replace("\r", "\n")

    assert same(wb.active["A1"].value) and same(wb.active["A2"].value)
    assert wb.active["A1"].data_type == "s" and wb.active["A2"].data_type == "s"
    assert wb.active["B2"].value == -1.5 and wb.active["B2"].data_type == "n"


def test_xlsx_drops_control_characters_excel_cannot_store():
    ws = _open(to_xlsx_bytes({"a": pd.DataFrame({"t": ["Tor\x00get\x1f"]})})).active
    assert ws["A2"].value == "Torget"


def test_xlsx_several_sheets_in_order():
    sheets = {"Översikt": _table(), "Lägesbild: v.47 [Högvad]": pd.DataFrame({"x": [1]})}
    wb = _open(to_xlsx_bytes(sheets))
    assert wb.sheetnames == ["Översikt", "Lägesbild_ v.47 _Högvad_"]
    assert wb["Lägesbild_ v.47 _Högvad_"]["A2"].value == 1


def test_xlsx_needs_a_sheet():
    with pytest.raises(ValueError):
        to_xlsx_bytes({})


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["Lägesbild/Högvad: v?47*"], ["Lägesbild_Högvad_ v_47_"]),
        (["a[1]\\b"], ["a_1__b"]),
        (["x" * 40], ["x" * 31]),
        (["Trygghet", "trygghet", "TRYGGHET"], ["Trygghet", "trygghet (2)", "TRYGGHET (3)"]),
        (["y" * 40, "y" * 35], ["y" * 31, "y" * 27 + " (2)"]),
        (["", "  ", "'citat'"], ["Blad1", "Blad2", "citat"]),
        (["History"], ["History_"]),
    ],
    ids=["invalid-chars", "brackets-backslash", "too-long", "case-insensitive-duplicates",
         "duplicates-after-cut", "empty-and-apostrophes", "reserved"],
)
def test_sheet_names_are_valid_and_unique(titles, expected):
    names = sheet_names(titles)
    assert names == expected
    assert all(len(n) <= 31 for n in names)
    # and openpyxl accepts them
    _open(to_xlsx_bytes({t: pd.DataFrame({"a": [1]}) for t in dict.fromkeys(titles)}))


# --- file names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "ext", "expected"),
    [
        ("Lägesbild – Högvad v.47", "csv", "lagesbild-hogvad-v-47.csv"),
        ("Trygghetsundersökning 2020", ".xlsx", "trygghetsundersokning-2020.xlsx"),
        ("ÅÄÖ åäö é ü", "CSV", "aao-aao-e-u.csv"),
        ("../../etc/passwd", "csv", "etc-passwd.csv"),
        ("???", "csv", "export.csv"),
    ],
    ids=["swedish", "dot-ext", "letters", "path-traversal", "empty-slug"],
)
def test_safe_filename(title, ext, expected):
    assert safe_filename(title, ext) == expected


def test_safe_filename_is_short_and_rejects_odd_extensions():
    assert len(safe_filename("ö" * 200, "csv")) == 80 + len(".csv")
    with pytest.raises(ValueError):
        safe_filename("x", "cs/v")


def test_positive_infinity_is_the_infinity_sign():
    df = pd.DataFrame({"kvot": [np.inf]})
    assert _csv_rows(to_csv_bytes(df))[1] == "∞"
    assert _open(to_xlsx_bytes({"a": df})).active["A2"].value == "∞"
