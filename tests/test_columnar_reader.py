"""The fast CSV reader (tsk/importers/columnar.py) against the general reader (forms.read_for): a file
it reads gives the same headers, cells and row numbers; every file it cannot read exactly the same way
is left to the general reader (the one set of rules in its module docstring)."""
from __future__ import annotations

import numpy as np
import pytest

from tsk.config import ROOT
from tsk.errors import FileRejected
from tsk.gazetteer import Gazetteer
from tsk.importers import lagesbild, reading
from tsk.importers.base import ImportContext
from tsk.importers.columnar import TextColumns, combine, read_csv_columns
from tsk.importers.forms import read_columns_for, read_for, row_original

TESTS = ROOT / "tests"
FILES = sorted([*(TESTS / "files").iterdir(), *(TESTS / "hostile").glob("*.csv"),
                *(ROOT / "data" / "demo").glob("*.csv")])


def cells(columns: TextColumns, header: str) -> list[str]:
    c = columns.coded(header)
    return [c.values[k] for k in c.codes]


def assert_same_as_general_reader(columns: TextColumns, path) -> None:
    table = read_for("survey", path)
    assert columns.table.headers == table.headers
    assert columns.row_numbers.tolist() == table.row_numbers
    assert table.bad_rows == []
    for h in table.headers:
        assert cells(columns, h) == [str(v).strip() for v in table.frame[h]], h
    assert columns.originals(range(columns.n)) == [row_original(table, i) for i in range(len(table.frame))]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_file_it_reads_has_the_general_readers_rows_and_cells(path):
    columns, why = read_csv_columns(path)
    if columns is None:
        assert why
        return
    assert columns.fast and why == ""
    assert_same_as_general_reader(columns, path)


def test_the_committed_utf8_files_take_the_fast_path():
    fast = [p.name for p in FILES if read_csv_columns(p)[0] is not None]
    assert {"lagesbild_standard_utf8.csv", "lagesbild_html_and_formulas.csv", "survey_html_free_text.csv"} <= set(fast)


def test_blank_records_quoted_newlines_bom_and_padding_count_as_the_csv_module_counts(tmp_path):
    path = tmp_path / "udda.csv"
    path.write_bytes("\ufeffID;Ort;Kommentar\r\n"
                     " 1 ;Överlida;\"rad 1\r\nrad 2\"\r\n"
                     "\r\n"
                     ";  ;\r\n"
                     "2;  Kalv ;\"citat \"\"så\"\"\"\r\n"
                     "3;Kalv;x\"y\r\n".encode("utf-8"))
    columns, why = read_csv_columns(path)
    assert why == "" and columns is not None
    assert columns.row_numbers.tolist() == [2, 5, 6]
    assert cells(columns, "Ort") == ["Överlida", "Kalv", "Kalv"]
    assert columns.originals([1]) == [{"ID": "2", "Ort": "  Kalv ", "Kommentar": 'citat "så"'}]
    assert_same_as_general_reader(columns, path)


def test_originals_leave_out_personal_columns_on_both_paths(tmp_path):
    text = "ID,E-post,Ort\n1,a@example.se,Kalv\n\n2,b@example.se,Överlida\n"
    utf8, cp1252 = tmp_path / "utf8.csv", tmp_path / "cp1252.csv"
    utf8.write_text(text, encoding="utf-8")
    cp1252.write_text(text, encoding="cp1252")
    mapping = {"personal_columns": ["e-post"]}
    fast, general = read_columns_for("survey", utf8), read_columns_for("survey", cp1252)
    assert fast.fast and not general.fast
    expected = [{"ID": "1", "Ort": "Kalv"}, {"ID": "2", "Ort": "Överlida"}]
    assert fast.originals([0, 1], mapping) == general.originals([0, 1], mapping) == expected
    assert fast.row_numbers.tolist() == general.row_numbers.tolist() == [2, 4]


HEADER = "Vecka,Organisation,Ort\n"
FALLS_BACK = {
    # name: the file's bytes
    "windows_1252": (HEADER + "v47 2026,Polisen,Överlida\n").encode("cp1252"),
    "xlsx_magic": reading.XLSX_MAGIC + b"\x00" * 64,
    "police_json": b'[{"datetime": "2026-01-01 10:00:00 +01:00", "location": {}}]',
    "empty": b"  \r\n",
    "binary": b"A,B\n" + bytes(range(1, 32)) * 20,
    "blank_first_line": ("\n" + HEADER + "v47 2026,Polisen,Kalv\n").encode(),
    "duplicate_header": b"Ort,Ort\nKalv,Kalv\n",
    "blank_header_cell": b"Ort,,Vecka\nKalv,x,v47\n",
    "padded_header": b"Ort,Vecka,\nKalv,v47,\n",
    "short_line": (HEADER + "v47 2026\n").encode(),
    "long_line": (HEADER + "v47 2026,Polisen,Kalv,\n").encode(),
    "whitespace_line": (HEADER + "v47 2026,Polisen,Kalv\n   \n").encode(),
    "only_blank_rows": (HEADER + "\n,,\n , ,\n").encode(),
    "too_many_columns": (",".join(f"F{i}" for i in range(reading.MAX_COLUMNS + 1)) + "\n").encode(),
}


@pytest.mark.parametrize("name", list(FALLS_BACK))
def test_files_it_cannot_read_the_same_way_are_left_to_the_general_reader(tmp_path, name):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(FALLS_BACK[name])
    columns, why = read_csv_columns(path)
    assert columns is None and why


def test_over_the_size_cap_at_call_time(tmp_path, monkeypatch):
    path = tmp_path / "stor.csv"
    path.write_text(HEADER + "v47 2026,Polisen,Kalv\n", encoding="utf-8")
    assert read_csv_columns(path)[0] is not None
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", path.stat().st_size - 1)
    assert read_csv_columns(path) == (None, "over the size cap")


@pytest.mark.parametrize("where", ["cell", "header"])
def test_a_field_over_the_csv_field_limit_is_left_to_the_general_reader(tmp_path, monkeypatch, where):
    """The csv module refuses a field longer than reading.MAX_FIELD, a header cell too."""
    monkeypatch.setattr(reading, "MAX_FIELD", 40)
    long = "x" * 41
    path = tmp_path / "lang.csv"
    if where == "cell":
        path.write_text(HEADER + f"v47 2026,Polisen,{long}\n", encoding="utf-8")
    else:
        path.write_text(f"Vecka,{long}\nv47 2026,Kalv\n", encoding="utf-8")
    assert read_csv_columns(path)[0] is None


def test_a_start_without_a_sniffable_line_is_left_to_the_general_reader(config, tmp_path):
    """The first SNIFF_CHARS characters are one line of no-break spaces, and a byte far on is not UTF-8:
    the general reader decodes the whole file as Windows-1252, where "\xa0" in UTF-8 is "Â\xa0" (not
    blank), and reads it; the fast reader must not reject it as empty from its UTF-8 reading of the start
    (the lägesbild parser did, with file_empty, where the row loop said file_no_mapping_match)."""
    rows = "".join(f"v{1 + i % 52} 2026;Polisen;Kommunpolis;Kalv;;Klotter;2;\n" for i in range(4000))
    text = "\u00a0" * (reading.SNIFF_CHARS + 10) + "Vecka;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning;" \
        "Kommentar\n" + rows
    path = tmp_path / "lagesbild.csv"
    path.write_bytes(text.encode("utf-8") + b"v47 2026;Polisen;Kommunpolis;Kalv;;Klotter;2;S\xe5\n")
    assert path.stat().st_size > 4 * reading.SNIFF_CHARS + 4
    assert read_csv_columns(path)[0] is None
    with pytest.raises(FileRejected) as err:  # UTF-8 text ("Inrapportör") with one Windows-1252 byte
        read_for("lagesbild", path)
    assert err.value.key == "file_mixed_encoding"

    ctx = ImportContext(config=config, gazetteer=Gazetteer(config), file_name="lagesbild.csv")
    outcomes = []
    for parse in (lagesbild.parse, lagesbild.parse_rows):
        with pytest.raises(FileRejected) as err:
            parse(path, ctx)
        outcomes.append((err.value.key, err.value.message))
    assert outcomes[0] == outcomes[1] and outcomes[0][0] != "file_empty"


def test_combine_numbers_combinations_in_order_and_survives_wide_keys():
    rng = np.random.default_rng(7)
    small = [rng.integers(0, 5, 500).astype(np.int32) for _ in range(3)]
    wide = [rng.integers(0, 1 << 40, 500) // (1 << 38) * (1 << 38) for _ in range(3)]  # keys past int64
    for codes in (small, wide, [small[0]]):
        got, first = combine(*codes)
        _, want_first, want = np.unique(np.stack(codes, axis=1), axis=0, return_index=True, return_inverse=True)
        assert got.dtype == np.int64
        assert got.tolist() == want.reshape(-1).tolist() and first.tolist() == want_first.tolist()
