"""Hostile backups: a restore reads the whole backup (DuckDB's checksums), checks its schema and its
kommun before anything is replaced. A truncated or corrupted file, another kommun's database, a schema
newer than the code or a file that is no database at all: exit 2 with the reason, the database
byte-identical, no work copy left behind."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from tests.hostile_support import digest, small_store
from tsk.cli import main
from tsk.config import Ort
from tsk.i18n import t
from tsk.store import SCHEMA_VERSION, backup, open_store


@pytest.fixture
def db(config, tmp_path) -> Path:
    return small_store(config, tmp_path / "tsk.duckdb")


@pytest.fixture
def good_backup(db, tmp_path) -> Path:
    return backup.backup_database(db, tmp_path / "kopia.duckdb")


def restore(db: Path, path: Path, capsys) -> tuple[int, str]:
    before = digest(db)
    code = main(["restore", str(path), "--db", str(db)])
    err = capsys.readouterr().err
    assert digest(db) == before, "nothing may change on a refused restore"
    assert sorted(p.name for p in db.parent.glob(db.name + ".writing-*")) == []
    return code, err


def test_a_good_backup_restores(db, good_backup, capsys):
    assert main(["restore", str(good_backup), "--db", str(db)]) == 0


def test_a_backup_cut_in_half_is_refused(db, good_backup, capsys, tmp_path):
    cut = tmp_path / "halv.duckdb"
    data = good_backup.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    code, err = restore(db, cut, capsys)
    assert code == 2
    assert err.startswith(f"Säkerhetskopian {cut} är skadad eller avkortad"), err  # found by the full read


def test_a_backup_with_damaged_data_blocks_is_refused(db, good_backup, capsys, tmp_path):
    bad = tmp_path / "skadad.duckdb"
    data = bytearray(good_backup.read_bytes())
    for at in range(3 * 4096 * 64 + 100, len(data) - 4096, 8192):  # every other page, past the headers
        data[at:at + 16] = b"\xff" * 16
    bad.write_bytes(bytes(data))
    code, err = restore(db, bad, capsys)
    assert code == 2
    assert err.startswith(f"Säkerhetskopian {bad} är skadad eller avkortad"), err
    assert "checksum" in err  # DuckDB's block checksum, found by reading every table


def another_kommun(config):
    """Another kommun's configuration: its own name, kommunkod and orter."""
    return dataclasses.replace(
        config, name="Tranemo", kommunkod="1452",
        orter=tuple(Ort(f"Annan ort {i}", o.area, o.lat, o.lon, None, False, ()) for i, o in enumerate(config.orter)),
        platser=())


def test_another_kommuns_database_is_refused(config, capsys, tmp_path, db):
    other_cfg = another_kommun(config)
    other = tmp_path / "tranemo.duckdb"
    with open_store(other) as store:
        store.sync_reference(other_cfg)
    code, err = restore(db, other, capsys)
    assert code == 2
    assert err.startswith(f"Säkerhetskopian {other} gäller inte Svenljunga kommun (kommunkod 1465)"), err
    assert "Tranemo (1452)" in err  # the kommunkod the database was written for


def test_a_database_with_the_same_orter_but_another_kommunkod_is_refused(config, capsys, tmp_path, db):
    """The orter could be alike (a copied config): the kommunkod stored since schema 7 decides."""
    other = tmp_path / "kopierad.duckdb"
    with open_store(other) as store:
        store.sync_reference(dataclasses.replace(config, name="Kopierad", kommunkod="9999"))
    code, err = restore(db, other, capsys)
    assert code == 2
    assert "Kopierad (9999)" in err, err


def test_an_older_database_without_kommunkod_is_judged_by_its_orter(config, capsys, tmp_path, db):
    other_cfg = another_kommun(config)
    other = tmp_path / "aldre.duckdb"
    with open_store(other) as store:
        store.sync_reference(other_cfg)
        store.run("DROP TABLE kommun")  # as written before schema version 7
    code, err = restore(db, other, capsys)
    assert code == 2
    assert "Annan ort 0" in err, err


def test_a_backup_with_a_newer_schema_is_refused_with_the_versions(db, good_backup, capsys, tmp_path):
    newer = tmp_path / "nyare.duckdb"
    shutil.copyfile(good_backup, newer)
    with open_store(newer) as store:
        store.run("INSERT INTO schema_version VALUES (?, now())", [SCHEMA_VERSION + 5])
    code, err = restore(db, newer, capsys)
    assert (code, err) == (2, t("db_newer_schema", path=newer, version=SCHEMA_VERSION + 5,
                                supported=SCHEMA_VERSION) + "\n")


def test_a_file_that_is_not_a_database_is_refused(db, capsys, tmp_path):
    text = tmp_path / "inte_en_databas.duckdb"
    text.write_text("Vecka;Ort\nv47 2026;Kalv\n", encoding="utf-8")
    code, err = restore(db, text, capsys)
    assert (code, err) == (2, t("not_tsk_database", path=text) + "\n")


# --- work copies left by a killed writer --------------------------------------------------------------------

def test_copies_left_by_a_killed_writer_are_removed_when_the_cli_starts(db, capsys):
    strays = [db.with_name(f"{db.name}{backup.WORK_MARK}4242-{i}") for i in range(2)]
    for s in strays:
        s.write_bytes(b"\0" * 1024)
    assert main(["status", "--db", str(db)]) == 0
    assert [s.exists() for s in strays] == [False, False]


def test_a_running_writers_copy_is_left_alone(db):
    stray = db.with_name(f"{db.name}{backup.WORK_MARK}4242-1")
    stray.write_bytes(b"\0" * 1024)
    with backup.writer_lock(db):  # a writer at work (this thread holds the lock; another process would wait)
        import threading

        got = []
        th = threading.Thread(target=lambda: got.append(backup.clean_leftovers(db)))
        th.start()
        th.join()
    assert got == [0] and stray.exists()
    assert backup.clean_leftovers(db) == 1 and not stray.exists()
