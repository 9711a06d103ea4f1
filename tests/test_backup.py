"""Backups and restores (tsk.store.backup): a backup opens with the database's counts, a restore brings the
earlier state back atomically and keeps the current one, a file that is not a TSK database is refused
with the exact Swedish message and nothing changes, automatic backups are pruned to the newest N, and
writers work on a copy under one lock."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tsk.cli import main
from tsk.config import ROOT
from tsk.errors import TskError
from tsk.i18n import t
from tsk.ingest.run import run_import
from tsk.store import backup, open_store

FILES = Path(__file__).parent / "files"
SURVEY = (
    '"Tidstämpel","Hur gammal är du ?  ","Kön","Var bor du?","Hur trygg känner du dig i Svenljunga kommun?",'
    '"Hur trygg känner du dig om du går ut ensam sent en kväll i området där du bor?",'
    '"Hur stort problem är skadegörelse i området där du bor?","Finns det platser där du känner dig otrygg? Vilka?"\n'
    '"2022/11/08 8:53:03 fm CET","20–39 år","Kvinna","Svenljunga","Trygg","Otrygg","Litet problem",""\n'
    '"2022/11/08 1:53:03 em CET","65 år eller äldre","Man","Högvad","Mycket trygg","Vet ej","Inget problem",""\n'
)


def counts(db: Path) -> dict:
    with open_store(db, read_only=True) as store:
        return store.counts()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(config, tmp_path) -> Path:
    """A database holding one small lägesbild import."""
    path = tmp_path / "data" / "tsk.duckdb"
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=path, config=config)
    return path


def import_more(config, db: Path, tmp_path: Path) -> None:
    survey = tmp_path / "enkat.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    run_import("survey", survey, db=db, config=config)
    run_import("lagesbild", FILES / "lagesbild_standard_cp1252.csv", db=db, config=config)


def test_backup_import_more_restore_gives_the_earlier_counts(config, db, tmp_path):
    earlier = counts(db)
    copy = backup.backup_database(db)
    assert copy.parent == db.parent / "backup" and copy.suffix == ".duckdb"
    assert counts(copy) == earlier  # the copy opens on its own, with the same counts
    import_more(config, db, tmp_path)
    later = counts(db)
    assert later["survey"] == 2 and later["imports"] == earlier["imports"] + 2

    previous = backup.restore_database(copy, db)
    assert counts(db) == earlier
    assert previous is not None and previous.parent == db.parent / "backup"
    assert counts(previous) == later  # the state replaced by the restore is kept
    assert not Path(str(db) + ".wal").exists()
    # The restored database is an ordinary, writable store again.
    run_import("lagesbild", FILES / "lagesbild_standard_cp1252.csv", db=db, config=config)
    assert counts(db)["imports"] == earlier["imports"] + 1


def test_backup_and_restore_through_the_cli(config, db, tmp_path, capsys):
    out = tmp_path / "kopia.duckdb"
    assert main(["backup", "--db", str(db), "--out", str(out)]) == 0
    size = f"{out.stat().st_size / (1 << 20):.1f}".replace(".", ",")
    assert capsys.readouterr().out == t("backup_done", path=out, size=size, imports=1) + "\n"
    import_more(config, db, tmp_path)

    assert main(["restore", str(out), "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == t("restore_done", db=db, path=out, imports=1)
    saved = sorted((db.parent / "backup").glob("tsk-fore-aterstallning-*.duckdb"))
    assert len(saved) == 1 and lines[1] == t("restore_previous_saved", path=saved[0])
    assert counts(db)["imports"] == 1 and counts(saved[0])["imports"] == 3


def test_backup_as_a_separate_process_exits_0(db):
    result = subprocess.run([sys.executable, "-m", "tsk", "backup", "--db", str(db)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    written = list((db.parent / "backup").glob("tsk-*.duckdb"))
    assert len(written) == 1 and counts(written[0]) == counts(db)
    size = f"{written[0].stat().st_size / (1 << 20):.1f}".replace(".", ",")
    assert result.stdout == t("backup_done", path=written[0], size=size, imports=1) + "\n"


def test_backup_never_overwrites_a_file(db, tmp_path, capsys):
    out = tmp_path / "finns.duckdb"
    out.write_bytes(b"viktig fil")
    assert main(["backup", "--db", str(db), "--out", str(out)]) == 2
    assert capsys.readouterr().err == t("backup_exists", path=out) + "\n"
    assert out.read_bytes() == b"viktig fil"


def test_backup_of_a_missing_database_exits_2(tmp_path, capsys):
    missing = tmp_path / "saknas.duckdb"
    assert main(["backup", "--db", str(missing)]) == 2
    assert capsys.readouterr().err == t("db_missing", path=missing) + "\n"


NOT_DATABASES = {
    "text": b"Vecka;Datum;Organisation\nv47 2026;;Polisen\n",
    "empty": b"",
    "random": bytes(range(256)) * 64,
    # the first bytes of a DuckDB file and then nothing usable
    "truncated": b"\x00" * 8 + b"DUCK" + b"\x00" * 4084,
}


@pytest.mark.parametrize("kind", NOT_DATABASES)
def test_restore_of_a_file_that_is_not_a_database_exits_2_and_changes_nothing(db, tmp_path, capsys, kind):
    bad = tmp_path / f"{kind}.duckdb"
    bad.write_bytes(NOT_DATABASES[kind])
    before, before_digest = counts(db), digest(db)
    assert main(["restore", str(bad), "--db", str(db)]) == 2
    assert capsys.readouterr().err == t("not_tsk_database", path=bad) + "\n"
    assert digest(db) == before_digest and counts(db) == before
    assert not (db.parent / "backup").exists()  # refused before anything was saved or moved
    names = {p.name for p in db.parent.iterdir()}
    assert "tsk.duckdb" in names and names <= {"tsk.duckdb", "tsk.duckdb.lock"}


def test_restore_of_a_duckdb_file_from_another_program_exits_2(db, tmp_path, capsys):
    import duckdb  # only to make a foreign database file; the app itself goes through tsk.store

    other = tmp_path / "annat.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE kunder AS SELECT range AS id FROM range(10)")
    con.close()
    before_digest, other_digest = digest(db), digest(other)
    assert main(["restore", str(other), "--db", str(db)]) == 2
    assert capsys.readouterr().err == t("not_tsk_database", path=other) + "\n"
    assert digest(db) == before_digest and digest(other) == other_digest


def test_restore_of_a_missing_file_exits_2(db, tmp_path, capsys):
    missing = tmp_path / "saknas.duckdb"
    assert main(["restore", str(missing), "--db", str(db)]) == 2
    assert capsys.readouterr().err == t("file_missing", path=missing) + "\n"


def test_restore_into_a_place_without_a_database(db, tmp_path):
    target = tmp_path / "ny" / "tsk.duckdb"
    assert backup.restore_database(db, target) is None
    assert counts(target) == counts(db)


def test_automatic_backups_keep_the_newest_n(config, db, tmp_path):
    manual = backup.backup_database(db)
    made = [backup.auto_backup(db, keep=3) for _ in range(5)]
    kept = backup.auto_backups(db)
    assert kept == made[-3:]
    assert all(p.name.startswith("tsk-auto-") for p in kept)
    assert manual.exists()  # manual backups are never pruned
    assert all(counts(p) == counts(db) for p in kept)
    assert backup.auto_backup(tmp_path / "ingen.duckdb") is None


def kill_after_commit(db: Path) -> None:
    """A process that writes in place (not through atomic_write), commits and is killed before
    DuckDB checkpoints: it leaves a WAL next to the database."""
    code = f"""
import os, signal
import duckdb
con = duckdb.connect({str(db)!r})
con.execute("SET checkpoint_threshold = '1GB'")
con.execute("INSERT INTO quarantine (import_id, source, row_number, original_row, reason, suggestions) "
            "VALUES (99, 'lagesbild', 1, '{{}}', 'Efter krasch', '[]')")
os.kill(os.getpid(), signal.SIGKILL)
"""
    subprocess.run([sys.executable, "-c", code], timeout=60)
    assert Path(str(db) + ".wal").exists()


def reasons(db: Path) -> set[str]:
    with open_store(db, read_only=True) as store:
        return set(store.table("quarantine")["reason"])


def test_a_wal_left_by_a_killed_writer_is_part_of_backups_and_kept_on_restore(config, db, tmp_path):
    copy = backup.backup_database(db, tmp_path / "kopia.duckdb")
    kill_after_commit(db)
    assert "Efter krasch" in reasons(db)
    with_wal = backup.backup_database(db, tmp_path / "med-wal.duckdb")
    assert "Efter krasch" in reasons(with_wal) and not Path(str(with_wal) + ".wal").exists()

    previous = backup.restore_database(copy, db)
    assert not Path(str(db) + ".wal").exists()  # a WAL that does not match makes DuckDB refuse the file
    assert "Efter krasch" not in reasons(db)
    assert "Efter krasch" in reasons(previous)  # saved together with its WAL


def test_a_writer_folds_a_left_over_wal_in_before_copying(config, db):
    kill_after_commit(db)
    run_import("lagesbild", FILES / "lagesbild_standard_cp1252.csv", db=db, config=config)
    assert not Path(str(db) + ".wal").exists()
    assert "Efter krasch" in reasons(db) and counts(db)["imports"] == 2


def test_a_failed_write_leaves_the_file_byte_for_byte(config, db):
    before = digest(db)
    with pytest.raises(RuntimeError):
        with backup.atomic_write(db) as work, open_store(work, config=config) as store:
            store.run("INSERT INTO organisations VALUES ('Halvvägs', 'annan')")
            raise RuntimeError("simulated failure")
    assert digest(db) == before
    assert [p.name for p in db.parent.iterdir() if backup.WORK_MARK in p.name] == []


def test_readers_of_the_old_file_keep_their_state_while_a_write_replaces_it(config, db):
    before = counts(db)
    with open_store(db, read_only=True) as reader:
        run_import("lagesbild", FILES / "lagesbild_standard_cp1252.csv", db=db, config=config)
        assert reader.counts() == before
    assert counts(db)["imports"] == before["imports"] + 1


def test_a_second_writer_waits_and_then_gives_up_with_a_swedish_message(db):
    held, release = threading.Event(), threading.Event()

    def hold():
        with backup.writer_lock(db):
            held.set()
            release.wait(30)

    other = threading.Thread(target=hold)
    other.start()
    try:
        assert held.wait(30)
        with pytest.raises(TskError) as err:
            with backup.writer_lock(db, timeout=0.3):
                pass
        assert err.value.message == t("db_busy", path=db)
    finally:
        release.set()
        other.join()
    with backup.writer_lock(db, timeout=0.3):  # free again
        with backup.writer_lock(db):  # and re-entrant within a thread
            pass


def test_the_apps_shared_snapshot_sees_an_import_on_the_next_question_and_old_cursors_keep_theirs(
        config, db, monkeypatch):
    import streamlit as st

    from tsk.ui import cache, reads

    monkeypatch.setenv("TSK_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    before = counts(db)
    assert reads.counts() == before
    old = cache._reader(str(db), cache._stamp(db))  # a question still running on the old file
    try:
        run_import("lagesbild", FILES / "lagesbild_standard_cp1252.csv", db=db, config=config)
        after = reads.counts()
        assert after["imports"] == before["imports"] + 1
        assert after == counts(db)
        assert old.counts() == before
    finally:
        old.close()
    assert reads.counts() == after  # answered from the cache, same snapshot


def test_a_snapshot_of_a_file_that_is_not_a_database_is_refused_in_swedish(tmp_path):
    from tsk.store import open_snapshot

    bad = tmp_path / "trasig.duckdb"
    bad.write_bytes(b"inte en databas" * 100)
    with pytest.raises(TskError) as err:
        open_snapshot(bad)
    assert err.value.key in {"db_broken", "db_unavailable"}
    assert str(bad) in err.value.message
