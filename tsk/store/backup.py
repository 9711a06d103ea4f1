"""Crash-safe writes, backups and restores of the store file. No duckdb here: the store is opened
through tsk.store.open_store; this module only moves whole, closed database files.

Why writers work on a copy (measured with DuckDB 2.0.1): a DuckDB file open for writing in one
process cannot be opened at all by another, not even read-only ("Could not set lock on file …
Conflicting lock is held"), for as long as the writer's connection is open; and a writer cannot open
the file while any other process has it open read-only. Within one process a read-only and a
read-write connection to the same file refuse each other too. So an import writing in place would
make every page of the running app fail for the whole import, and an app page being read would make
a scheduled import fail.

Instead every writer (`atomic_write`):
1. takes the writer lock, a lock file next to the database (`<db>.lock`): one writer at a time;
2. copies the database file to a private work file next to it and writes there, through the
   ordinary store, in one transaction;
3. closes it (DuckDB checkpoints, so the work file is complete without a WAL) and moves it over the
   database with `os.replace`, which is atomic.
Readers never take the writer lock. A reader that opened the file before the replace keeps reading
the old file (the state before); one that opens it after reads the new one (the state after). A
writer killed at any moment (kill -9, power cut) leaves the old file in place plus a stray work file
that the next writer removes. The lock is a `flock`, released by the kernel when its process dies.

Backups are whole copies of the closed file, checked by opening the copy and comparing its counts
with the database's. `auto_backup` keeps the newest N automatic copies in `backup/` next to the
database. A restore checks that the file is a TSK database, saves the current database first, and
replaces the database the same atomic way.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from tsk.config import load_config, setting_int, setting_path, setting_value
from tsk.errors import TskError
from tsk.i18n import t
from tsk.store import open_store
from tsk.store.schema import SCHEMA_VERSION

DEFAULT_KEEP = 10              # automatic backups kept per database (TSK_BACKUP_KEEP's default)
LOCK_TIMEOUT_S = 120.0         # how long a writer waits for another writer to finish
LOCK_POLL_S = 0.005            # how often a waiting writer tries the lock again (a report's write is ~0.1 s)
BACKUP_DIR = "backup"          # next to the database: data/backup/ for data/tsk.duckdb
AUTO_TAG = "auto"              # automatic backups: <stem>-auto-<stamp>.duckdb (the only ones pruned)
BEFORE_RESTORE_TAG = "fore-aterstallning"
NIGHTLY_TAG = "natt"            # scheduled backups (backup --nightly): the newest TSK_BACKUP_KEEP are kept
DUCKDB_MAGIC = b"DUCK"         # bytes 8-11 of every DuckDB database file
WORK_MARK = ".writing-"        # <db>.writing-<pid>-<thread>: a writer's private copy

_held = threading.local()      # writer locks this thread holds (the lock is re-entrant per thread)


# --- paths ---------------------------------------------------------------------------------------------
def backup_dir(db: Path) -> Path:
    """TSK_BACKUP_DIR when set (relative paths from the project root), else backup/ next to the database."""
    if setting_value("backup_dir"):
        return setting_path("backup_dir")
    return Path(db).parent / BACKUP_DIR


def _wal(path: Path) -> Path:
    return Path(str(path) + ".wal")


def _lock_path(db: Path) -> Path:
    return Path(str(db) + ".lock")


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def _backup_name(db: Path, tag: str | None) -> Path:
    stem = Path(db).stem
    parts = [stem, tag, _stamp()] if tag else [stem, _stamp()]
    return backup_dir(db) / ("-".join(parts) + ".duckdb")


def _remove(path: Path) -> None:
    for p in (path, _wal(path)):
        p.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- the writer lock -------------------------------------------------------------------------------------
if os.name == "posix":
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
else:  # Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


@contextmanager
def writer_lock(db: Path, timeout: float = LOCK_TIMEOUT_S):
    """Hold the one-writer-at-a-time lock of `db` (re-entrant within a thread). Waits up to
    `timeout` seconds for another writer, then raises TskError("db_busy")."""
    db = Path(db)
    key = str(db.resolve())
    held: set[str] = getattr(_held, "paths", None) or set()
    _held.paths = held
    if key in held:
        yield
        return
    db.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(_lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise TskError("db_busy", path=db)
            time.sleep(LOCK_POLL_S)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            _unlock(fd)
    finally:
        os.close(fd)


def _remove_leftovers(db: Path) -> None:
    """Work files of writers that died (only called with the writer lock held, so none is alive)."""
    for stray in db.parent.glob(db.name + WORK_MARK + "*"):
        stray.unlink(missing_ok=True)


def clean_leftovers(db: Path | str) -> int:
    """Remove the work copies (`<db>.writing-*`, each as large as the database) of writers that were
    killed, when no writer is running now (the lock is free); with a writer running, nothing is
    touched. Called when the app or the CLI starts, so a kill's copies do not wait for the next write.
    Returns the number removed."""
    db = Path(db)
    strays = list(db.parent.glob(db.name + WORK_MARK + "*")) if db.parent.is_dir() else []
    if not strays:
        return 0
    try:
        with writer_lock(db, timeout=0):
            strays = list(db.parent.glob(db.name + WORK_MARK + "*"))
            _remove_leftovers(db)
    except TskError:  # a writer is at work: its copy is not a leftover
        return 0
    return len(strays)


def _recover_wal(db: Path) -> None:
    """Fold a WAL left next to the database into it.

    Writers here never leave one (they write a copy and close it before it replaces the database), but
    a process that wrote in place and was killed does. DuckDB replays the WAL when a read-write
    connection opens and checkpoints it away on close. This needs the file to itself: if the app is
    reading it just now, open_store raises db_unavailable and nothing has changed.
    """
    if db.exists() and _wal(db).exists():
        with open_store(db):
            pass


# --- crash-safe writes -------------------------------------------------------------------------------------
@contextmanager
def atomic_write(db: Path | str):
    """Yield the path of a private copy of `db` to write to; on normal exit the copy replaces `db`
    atomically, on an exception `db` is left exactly as it was.

    The caller opens the copy with `open_store(work, …)` and must have closed it when the block ends.
    The writer lock is held throughout, so writers run one after another. A missing `db` starts as a
    new, empty database.
    """
    db = Path(db)
    key = str(db.resolve())
    writing: set[str] = getattr(_held, "writing", None) or set()
    _held.writing = writing
    if key in writing:
        raise RuntimeError("atomic_write is not re-entrant: finish the outer write first")
    with writer_lock(db):
        writing.add(key)
        _remove_leftovers(db)
        work = db.with_name(f"{db.name}{WORK_MARK}{os.getpid()}-{threading.get_ident()}")
        try:
            _recover_wal(db)
            if db.exists():
                shutil.copyfile(db, work)
            yield work
            if _wal(work).exists():  # the caller's writes are in the WAL until a checkpoint
                with open_store(work):
                    pass
                if _wal(work).exists():
                    raise RuntimeError("close the store on the work copy before the copy replaces the database")
            if work.exists():
                _fsync(work)
                os.replace(work, db)
                _fsync_dir(db.parent)
        finally:
            writing.discard(key)
            _remove(work)


# --- checking a file ---------------------------------------------------------------------------------------
def _is_duckdb_file(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(12)
    except OSError:
        return False
    return len(head) == 12 and head[8:12] == DUCKDB_MAGIC


def _schema_version(path: Path, shown: Path) -> int:
    """The TSK schema version of a database file; TskError("not_tsk_database") for anything else."""
    if not _is_duckdb_file(path):
        raise TskError("not_tsk_database", path=shown)
    try:
        with open_store(path, read_only=True) as store:
            version = store.schema_version()
    except Exception:  # noqa: BLE001 - whatever DuckDB says about the file, it is not a usable TSK database
        raise TskError("not_tsk_database", path=shown) from None
    if version < 1:
        raise TskError("not_tsk_database", path=shown)
    if version > SCHEMA_VERSION:
        raise TskError("db_newer_schema", path=shown, version=version, supported=SCHEMA_VERSION)
    return version


def _counts(path: Path, shown: Path) -> dict[str, int]:
    try:
        with open_store(path, read_only=True) as store:
            return store.counts()
    except Exception:  # noqa: BLE001 - a TSK schema_version table but not the TSK tables
        raise TskError("not_tsk_database", path=shown) from None


def database_counts(path: Path | str) -> dict[str, int]:
    """The store counts of a TSK database file (a backup, say), opened read-only."""
    path = Path(path)
    _schema_version(path, path)
    return _counts(path, path)


# --- backups -----------------------------------------------------------------------------------------------
def backup_database(db: Path | str, out: Path | str | None = None) -> Path:
    """Write a consistent copy of `db` to `out` (default: a time-stamped file in backup/ next to the
    database) and return its path. The copy is opened and its counts compared with the database's
    before it is kept; an existing file is never overwritten."""
    db = Path(db)
    if not db.is_file():
        raise TskError("db_missing", path=db)
    out = Path(out) if out else _backup_name(db, None)
    return _backup(db, out)


def _backup(db: Path, out: Path) -> Path:
    if out.exists():
        raise TskError("backup_exists", path=out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with writer_lock(db):
        _remove(tmp)
        try:
            # A read-only connection on the database while copying: DuckDB then lets no writer in,
            # even one that does not take our lock, and it tells whether the file is a TSK database.
            version = _schema_version(db, db)
            with open_store(db, read_only=True) as store:
                expected = store.counts() if version == SCHEMA_VERSION else None
                shutil.copyfile(db, tmp)
                if _wal(db).exists():  # left by a writer that was killed: part of the database's state
                    shutil.copyfile(_wal(db), _wal(tmp))
            if _wal(tmp).exists():
                with open_store(tmp):  # replays the WAL and checkpoints it into the copy
                    pass
            _schema_version(tmp, out)
            if expected is not None and _counts(tmp, out) != expected:
                raise TskError("backup_mismatch", path=out)
            _fsync(tmp)
            os.replace(tmp, out)
            _fsync_dir(out.parent)
        finally:
            _remove(tmp)
    return out


def auto_backups(db: Path | str) -> list[Path]:
    """The automatic backups of `db`, oldest first."""
    db = Path(db)
    return sorted(backup_dir(db).glob(f"{db.stem}-{AUTO_TAG}-*.duckdb"))


def auto_backup(db: Path | str, keep: int | None = None) -> Path | None:
    """Back up `db` into backup/ next to it before an import and keep only the newest `keep`
    automatic backups (manual ones and those made before a restore are never pruned). Returns the new
    backup, or None when there is no database yet. `keep` defaults to TSK_BACKUP_KEEP; with
    TSK_BACKUP_MAX_MB set, the oldest automatic backups also go while their total is over it (the newest
    always stays)."""
    keep = setting_int("backup_keep") if keep is None else keep
    max_bytes = setting_int("backup_max_mb") * 1024 * 1024
    if keep < 1:
        raise ValueError("keep must be at least 1")
    db = Path(db)
    if not db.is_file():
        return None
    with writer_lock(db):
        for stray in backup_dir(db).glob(f"{db.stem}-{AUTO_TAG}-*.duckdb.tmp*"):
            stray.unlink(missing_ok=True)  # a backup interrupted by a crash
        out = _backup(db, _backup_name(db, AUTO_TAG))
        for old in auto_backups(db)[:-keep]:
            _remove(old)
        if max_bytes:
            kept = auto_backups(db)
            while len(kept) > 1 and sum(p.stat().st_size for p in kept) > max_bytes:
                _remove(kept.pop(0))
    return out


def newest_backup(db: Path | str) -> dict | None:
    """The newest backup of `db` (any kind) with its age, for `status --json`; None when there is none."""
    db = Path(db)
    found = [p for p in backup_dir(db).glob(f"{db.stem}-*.duckdb") if p.is_file()]
    if not found:
        return None
    newest = max(found, key=lambda p: p.stat().st_mtime)
    mtime = newest.stat().st_mtime
    return {"path": str(newest), "modified_at": datetime.fromtimestamp(mtime).astimezone().isoformat(),
            "age_hours": round((time.time() - mtime) / 3600, 2), "size_bytes": newest.stat().st_size}


# --- restore -----------------------------------------------------------------------------------------------
def _verify(work: Path, shown: Path, config) -> None:
    """Before anything is replaced: every table read in full (a truncated or corrupted backup fails its
    checksums here), and the backup is about the configured kommun: its kommunkod (schema 7 on), else
    its orter, synced from its own configuration, and the kommuner of its police events."""
    try:
        with open_store(work, read_only=True) as store:
            store.read_every_table()
            orter, police = store.kommun_evidence()
            identity = store.kommun_identity()
    except TskError:
        raise
    except Exception as e:  # noqa: BLE001 - whatever DuckDB says about a damaged file
        raise TskError("restore_damaged", path=shown, detail=str(e).splitlines()[0][:200] if str(e) else
                       type(e).__name__) from None
    if config is None:
        return
    if identity is not None:  # written for a kommun: its kommunkod decides
        if str(identity[0]) != str(config.kommunkod):
            raise TskError("restore_other_kommun", path=shown, kommun=config.name, kommunkod=config.kommunkod,
                           found=f"{identity[1]} ({identity[0]})")
        return
    # Older databases (schema < 7) name no kommun: judge by their orter and police events.
    ours = {o.name for o in config.orter}
    other_police = [k for k in police if k != config.name]
    if (orter and not ours & set(orter)) or other_police:
        shown_orter = ", ".join(orter[:5]) + (" …" if len(orter) > 5 else "")
        raise TskError("restore_other_kommun", path=shown, kommun=config.name, kommunkod=config.kommunkod,
                       found=", ".join(other_police) or shown_orter)


def restore_database(backup: Path | str, db: Path | str, config=None) -> Path | None:
    """Replace `db` by the TSK database in `backup`, atomically. The current database is saved first
    in backup/ (returned; None when there was none). A file that is not a TSK database is refused
    with TskError("not_tsk_database"), one whose schema is newer than this code with
    TskError("db_newer_schema"), one that does not read in full with TskError("restore_damaged"),
    one about another kommun than `config`'s with TskError("restore_other_kommun"); nothing changes
    then. An older schema is migrated."""
    backup, db = Path(backup), Path(db)
    if not backup.is_file():
        raise TskError("file_missing", path=backup)
    if not _is_duckdb_file(backup):  # before touching anything
        raise TskError("not_tsk_database", path=backup)
    db.parent.mkdir(parents=True, exist_ok=True)
    previous = None
    with writer_lock(db):
        _remove_leftovers(db)
        work = db.with_name(f"{db.name}{WORK_MARK}{os.getpid()}-{threading.get_ident()}")
        _remove(work)
        try:
            # Check and install a private copy, so the file checked is the file installed.
            shutil.copyfile(backup, work)
            if _wal(backup).exists():
                shutil.copyfile(_wal(backup), _wal(work))
            version = _schema_version(work, backup)
            if version < SCHEMA_VERSION or _wal(work).exists():
                try:
                    with open_store(work):  # migrates, and checkpoints a WAL into the file
                        pass
                except Exception:  # noqa: BLE001 - a file the store cannot open or migrate
                    raise TskError("not_tsk_database", path=backup) from None
            _counts(work, backup)
            _verify(work, backup, config)
            if db.exists():
                previous = _backup_name(db, BEFORE_RESTORE_TAG)
                previous.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(db, previous)  # as it is, even when it is broken: kept as evidence
                if _wal(db).exists():
                    # The old file's WAL: it must not stay next to the restored file (DuckDB refuses a
                    # WAL that does not match its database), so it goes with the saved copy.
                    os.replace(_wal(db), _wal(previous))
            _fsync(work)
            os.replace(work, db)
            _fsync_dir(db.parent)
        finally:
            _remove(work)
    return previous


# --- CLI -----------------------------------------------------------------------------------------------------
def _mb(path: Path) -> str:
    return f"{path.stat().st_size / (1 << 20):.1f}".replace(".", ",")


def nightly_backup(db: Path | str, keep: int | None = None) -> Path:
    """A scheduled backup (`python -m tsk backup --nightly`, deploy/tsk-backup.timer): written like a
    manual one, named <stem>-natt-<stamp>.duckdb, and only the newest `keep` (TSK_BACKUP_KEEP) scheduled
    backups are kept. Manual, automatic and before-restore backups are never touched here."""
    keep = setting_int("backup_keep") if keep is None else keep
    if keep < 1:
        raise ValueError("keep must be at least 1")
    db = Path(db)
    if not db.is_file():
        raise TskError("db_missing", path=db)
    out = _backup(db, _backup_name(db, NIGHTLY_TAG))
    for old in sorted(backup_dir(db).glob(f"{db.stem}-{NIGHTLY_TAG}-*.duckdb"))[:-keep]:
        _remove(old)
    return out


def run_backup(*, db: Path, out: Path | None = None, nightly: bool = False) -> int:
    """`python -m tsk backup`: 0 when written; TskError (exit 2) otherwise."""
    path = nightly_backup(db) if nightly else backup_database(db, out)
    counts = database_counts(path)
    print(t("backup_done", path=path, size=_mb(path), imports=counts["imports"]))
    return 0


def run_restore(path: Path, *, db: Path) -> int:
    """`python -m tsk restore FILE`: 0 when restored; TskError (exit 2, nothing changed) otherwise."""

    previous = restore_database(path, db, config=load_config())
    counts = database_counts(db)
    print(t("restore_done", db=db, path=path, imports=counts["imports"]))
    if previous is not None:
        print(t("restore_previous_saved", path=previous))
    return 0
