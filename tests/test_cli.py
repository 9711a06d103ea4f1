"""The CLI contract: commands, exit codes (0 done, 2 rejected), Swedish messages on stderr, no
traceback, and the JSON keys of `status`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tsk.config import ROOT
from tsk.i18n import t

FILES = Path(__file__).parent / "files"


def tsk(*args, db: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "tsk", *map(str, args)]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=300)


def status(db: Path) -> dict:
    result = tsk("status", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_import_prints_counts_and_exits_0(tmp_db):
    result = tsk("import", "lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db)
    assert result.returncode == 0, result.stderr
    assert "2 godkända, 4 i karantän" in result.stdout
    s = status(tmp_db)
    assert set(s["counts"]) >= {"lagesbild", "survey", "traffpunkt", "police", "areas", "quarantine", "imports"}
    assert s["counts"]["lagesbild"] == 2 and s["counts"]["quarantine"] == 4 and s["counts"]["imports"] == 1
    (entry,) = s["imports"]
    assert entry["file_name"] == "lagesbild_standard_utf8.csv" and entry["rows_accepted"] == 2
    assert entry["rows_quarantined"] == 4 and len(entry["sha256"]) == 64


def test_rejected_files_exit_2_with_swedish_reason_and_change_nothing(tmp_db):
    tsk("import", "lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db)
    before = status(tmp_db)
    for source, name, message in [
        ("lagesbild", "empty.csv", t("file_empty")),
        ("survey", "random_bytes.csv", t("file_not_text")),
        ("lagesbild", "survey_as_lagesbild.csv",
         t("file_other_source", other=t("source_survey"), source=t("source_lagesbild"), other_key="survey")),
    ]:
        result = tsk("import", source, FILES / name, db=tmp_db)
        assert result.returncode == 2
        assert result.stderr.strip() == message
        assert "Traceback" not in result.stderr + result.stdout
    assert status(tmp_db) == before


def test_reimport_exits_0_and_says_nothing_changed(tmp_db):
    tsk("import", "lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db)
    before = status(tmp_db)
    result = tsk("import", "lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db)
    assert result.returncode == 0
    assert "redan importerad" in result.stdout
    assert status(tmp_db) == before


def test_tsk_db_environment_variable_sets_the_default_database(tmp_path):
    db = tmp_path / "env.duckdb"
    result = tsk("import", "lagesbild", FILES / "lagesbild_standard_utf8.csv", env={"TSK_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_status_of_a_missing_database_exits_2(tmp_path):
    result = tsk("status", "--json", db=tmp_path / "none.duckdb")
    assert result.returncode == 2
    assert result.stderr.strip() == t("db_missing", path=tmp_path / "none.duckdb")


def test_unknown_source_is_refused_by_the_parser(tmp_db):
    result = tsk("import", "brott", FILES / "empty.csv", db=tmp_db)
    assert result.returncode == 2  # argparse's usage error code
    assert "Traceback" not in result.stderr



def test_output_cut_by_the_reader_is_no_error(demo_db, monkeypatch, capsys):
    """`python -m tsk status | head -1`: the reader closes the pipe early; the command is done, so no
    «oväntat fel» and exit 0. (A real pipe whose reading end is closed: every write fails.)"""
    import os

    from tsk.cli import main

    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "w", encoding="utf-8") as closed:
        monkeypatch.setattr("sys.stdout", closed)
        assert main(["status", "--db", str(demo_db)]) == 0
        monkeypatch.undo()
    assert "oväntat fel" not in capsys.readouterr().err
