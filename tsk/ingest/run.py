"""`run_import`: one file into the store, in one transaction, once per file content (sha256).

The file is parsed by its importer (tsk.importers.parse_file: pure, file -> Batch or FileRejected),
rows an earlier file already brought are left out (tsk.ingest.dedup), and the batch is written with the
review decisions in force, after a backup, through an atomic copy of the store (tsk.store.backup).
"""
from __future__ import annotations

import getpass
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from tsk import importers
from tsk.config import KommunConfig, load_config
from tsk.errors import FileRejected
from tsk.importers.base import ImportContext
from tsk.ingest import places
from tsk.ingest.dedup import drop_already_stored, flag_app_doubles
from tsk.parsing import set_year_window
from tsk.store import open_store
from tsk.store.backup import atomic_write, auto_backup


@dataclass
class ImportOutcome:
    source: str
    file_name: str
    import_id: int | None
    accepted: int
    quarantined: int
    skipped: dict[str, int] = field(default_factory=dict)
    already_imported: bool = False
    notes: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def current_actor() -> str:
    """Who runs an import or a review decision from the command line (TSK_ACTOR, else the OS user)."""

    try:
        return os.environ.get("TSK_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "okänd"


def stored_decisions(db: Path | str | None) -> list[dict]:
    """The review decisions in the store at `db` (none when there is no store yet)."""
    if db is None or not Path(db).is_file():
        return []
    with open_store(db, read_only=True) as store:
        if store.schema_version() < 5:
            return []
        return store.review_decisions().to_dict("records")


def stored_areas(db: Path | str | None):
    """The area geometries in the store at `db` (Store.area_geometries; None when there is no store)."""
    if db is None or not Path(db).is_file():
        return None
    with open_store(db, read_only=True) as store:
        return store.area_geometries()


def _same_areas(before, now) -> bool:
    if before is None or now is None:
        return (before is None or before.empty) and (now is None or now.empty)
    return before[["name", "geometry_wkt"]].equals(now[["name", "geometry_wkt"]])


def run_import(source: str, path: Path | str, *, db: Path | str, config: KommunConfig | None = None,
               mapping: Path | str | None = None, name_field: str | None = None, backup: bool = True,
               actor: str | None = None, _fail_after_table: str | None = None) -> ImportOutcome:
    """Import one file. A file already imported (same source and sha256) changes nothing.

    Raises FileRejected (nothing written) for file-level problems.
    """
    config = config or load_config()
    set_year_window(config.first_year, config.years_ahead)  # the plausible years of this kommun's files
    path = Path(path)
    if not path.is_file():
        raise FileRejected("file_missing", path=path)
    sha = sha256_of(path)
    if Path(db).exists():  # already imported: answer without copying the store (nor replacing the file)
        with open_store(db, read_only=True) as store:
            previous = store.find_import(source, sha)
        if previous is not None:
            return ImportOutcome(source, path.name, previous.import_id, 0, 0, already_imported=True)
    # Parsed before the writer lock: a big file never holds up other writers, a rejected one copies nothing.
    decisions = stored_decisions(db)
    areas = stored_areas(db) if source == "places" else None
    # importers.parse_file is looked up per call on the package: a benchmark times it by replacing it there.
    batch, ctx = importers.parse_file(source, path, config=config, mapping=Path(mapping) if mapping else None,
                                      name_field=name_field, decisions=decisions, areas=areas)
    with atomic_write(db) as work, open_store(work, config=config) as store:
        previous = store.find_import(source, sha)  # another writer may have imported it meanwhile
        if previous is not None:
            return ImportOutcome(source, path.name, previous.import_id, 0, 0, already_imported=True)
        now = store.review_decisions().to_dict("records")
        areas_now = store.area_geometries() if source == "places" else None
        if [d["import_id"] for d in now] != [d["import_id"] for d in decisions] or not _same_areas(areas, areas_now):
            # a review decision (or, for places, an import of areas) came meanwhile
            batch, ctx = importers.parse_file(source, path, config=config, mapping=Path(mapping) if mapping else None,
                                              name_field=name_field, decisions=now, areas=areas_now)
        if backup:
            auto_backup(db)
        import_id = write_batch(store, source, path.name, sha, batch, ctx, actor=actor,
                                _fail_after_table=_fail_after_table, path=path)
    return ImportOutcome(source, path.name, import_id, batch.accepted, len(batch.quarantine), batch.skipped,
                         notes=batch.notes)


def preview(source: str, path: Path, *, db: Path | str, config: KommunConfig, mapping: Path | None = None,
            name_field: str | None = None):
    """What an import of `path` would do, without writing: the Batch after the doubles of in-app reports
    are kept aside (read from the store at `db`, when there is one), as run_import would write it."""
    batch, ctx = importers.parse_file(source, path, config=config, mapping=mapping, name_field=name_field,
                                      decisions=stored_decisions(db),
                                      areas=stored_areas(db) if source == "places" else None)
    if source == "lagesbild" and Path(db).is_file():
        with open_store(db, read_only=True) as store:
            if store.schema_version() >= 8:
                flag_app_doubles(batch, store, ctx, path)
    return batch, ctx


def write_batch(store, source: str, file_name: str, sha: str, batch, ctx: ImportContext, *, actor: str | None = None,
                _fail_after_table: str | None = None, path: Path | None = None) -> int:
    """Write a parsed batch to an open store (rows already stored left out) in one transaction, which
    joins the caller's; returns the import_id. A lägesbild submission that doubles an in-app report is
    kept in quarantine instead (tsk.ingest.dedup.flag_app_doubles; `path`, the file, gives those rows
    their own cells)."""
    if source == "lagesbild":
        flag_app_doubles(batch, store, ctx, path)
    drop_already_stored(source, batch, store)
    created = places.plan_created(store, batch, ctx)  # rows stored with a name the layer makes a place
    with store.transaction():  # the places' positions and the import log line: all or nothing
        import_id = store.write_import(
            source=source,
            file_name=file_name,
            sha256=sha,
            mapping=ctx.mapping_name or batch.mapping_name,
            tables=batch.tables,
            accepted=batch.accepted,
            quarantine=batch.quarantine,
            skipped=sum(batch.skipped.values()),
            notes=batch.notes + [f"{k}: {v}" for k, v in batch.skipped.items()],
            area_geometries=batch.area_geometries,
            mapping_text=ctx.mapping_text,
            actor=actor or current_actor(),
            _fail_after_table=_fail_after_table,
        )
        if batch.place_positions is not None:
            store.save_place_positions(batch.place_positions, import_id)
            places.apply_created(store, created, ctx)
    return import_id
