"""Backup folder, retention and total size as settings; `status --json` reports the newest backup."""
from __future__ import annotations

import json
import os

import pytest

from tsk.cli import main
from tsk.store import open_store
from tsk.store.backup import auto_backup, auto_backups, newest_backup


@pytest.fixture
def store(tmp_path, config):
    db = tmp_path / "data" / "tsk.duckdb"
    db.parent.mkdir()
    with open_store(db, config=config):
        pass
    return db


def test_folder_and_retention_come_from_the_settings(store, tmp_path, monkeypatch):
    elsewhere = tmp_path / "backups-elsewhere"
    monkeypatch.setenv("TSK_BACKUP_DIR", str(elsewhere))
    monkeypatch.setenv("TSK_BACKUP_KEEP", "2")
    made = [auto_backup(store) for _ in range(4)]
    assert all(p.parent == elsewhere for p in made)
    assert auto_backups(store) == made[-2:]
    assert not (store.parent / "backup").exists()


def test_total_size_cap_prunes_the_oldest_but_keeps_the_newest(store, monkeypatch):
    monkeypatch.setenv("TSK_BACKUP_KEEP", "10")
    size = auto_backup(store).stat().st_size
    # A cap just over two backups keeps two; a cap under one keeps the newest anyway.
    monkeypatch.setenv("TSK_BACKUP_MAX_MB", str(max(1, (2 * size + size // 2) // (1024 * 1024))))
    cap = int(os.environ["TSK_BACKUP_MAX_MB"]) * 1024 * 1024
    for _ in range(4):
        newest = auto_backup(store)
    kept = auto_backups(store)
    assert kept[-1] == newest
    assert sum(p.stat().st_size for p in kept) <= cap or len(kept) == 1
    assert len(kept) == max(1, min(5, cap // size))


@pytest.mark.parametrize("value", ["tio", "-1", "2.5"])
def test_a_bad_retention_setting_is_rejected_in_swedish(store, monkeypatch, value):
    monkeypatch.setenv("TSK_BACKUP_KEEP", value)
    before = store.read_bytes()
    from tsk.errors import TskError
    with pytest.raises(TskError) as e:
        auto_backup(store)
    assert "TSK_BACKUP_KEEP" in e.value.message and "heltal" in e.value.message
    assert store.read_bytes() == before


def test_status_json_reports_the_newest_backup_and_its_age(store, capsys):
    assert main(["status", "--db", str(store), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["backup"] is None
    made = auto_backup(store)
    assert newest_backup(store)["path"] == str(made)
    assert main(["status", "--db", str(store), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["backup"]["path"] == str(made)
    assert 0 <= status["backup"]["age_hours"] < 1
    assert status["backup"]["size_bytes"] == made.stat().st_size
    assert "counts" in status and "schema_version" in status  # existing keys unchanged


def test_the_nightly_backup_keeps_only_the_newest_scheduled_copies(store, monkeypatch, capsys):
    """`backup --nightly` (deploy/tsk-backup.timer): retention TSK_BACKUP_KEEP among the scheduled copies;
    a manual backup and the automatic ones before imports are left alone."""
    monkeypatch.setenv("TSK_BACKUP_KEEP", "2")
    assert main(["backup", "--db", str(store)]) == 0          # manual: never pruned
    auto = auto_backup(store)
    for _ in range(3):
        assert main(["backup", "--nightly", "--db", str(store)]) == 0
    folder = store.parent / "backup"
    nightly = sorted(folder.glob("tsk-natt-*.duckdb"))
    assert len(nightly) == 2
    assert auto.is_file()
    assert len([p for p in folder.glob("tsk-*.duckdb") if "-natt-" not in p.name and "-auto-" not in p.name]) == 1
