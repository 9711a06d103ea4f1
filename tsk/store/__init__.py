"""The store: the only package that imports duckdb.

Schema with versioned migrations, the reference tables seeded from config, one all-or-nothing write
per import, and named, parameterised queries that read as questions. Pages and the CLI never write SQL.
Queries return data, never display labels (a respondent without an area is in UNKNOWN_GROUP, not
"Okänt"); the words are put on where the data are shown.

`Store` is one class made of one mixin per domain. From a number on a page to its SQL: the page calls a
read (tsk.ui.reads / tsk.pagedata) that calls `store.<method>`; the method's name says the module it is in:

    lagesbild_*, place_timeline, place_vs_rest_counts, reporting_coverage,
    first_week, latest_week, area_overview ........................... lagesbild.py
    survey_* (but survey_years_present), UNKNOWN_GROUP, KOMMUN_GROUP .... survey.py
    traffpunkt_* ...................................................... traffpunkt.py
    police_* .......................................................... police.py
    walks, walk, save_walk, delete_walk, last_walks, planned_walks, observed_causes,
    all_measures, save_proposal, measure_history, meetings, save_meeting .... registers.py
    find_import, already_stored*, write_import, import_log, *quarantine*, review_decisions,
    record_decision, created_places, unplaced_place_texts, place_rows,
    unlinked_survey_texts, link_survey_texts .............................. imports.py
    counts, area_extents, area_geometries, table, source_periods, years_present,
    survey_years_present, places_reference, orter_reference, kommun_identity,
    kommun_evidence, read_every_table ..................................... reference.py
    app_report*, unit_week_reports, delete_import_rows, log_app_report,
    save_app_report_version (the in-app Veckorapport) ..................... veckorapport.py
    arshjul_* (the TSK årshjul's evidence) ................................ arshjul.py
    traffpunkt_steps, samhallskris_meetings, save_traffpunkt_step,
    save_samhallskris_meeting, delete_dialog, dialog_followups,
    dialog_history (Träffpunkt steps 2–4, Samhällskris) .................. dialog.py
    place_positions, apply_place_positions, save_place_positions
    (places as real points from the kommun's GIS layer) .................... places.py
    schema_version, migrate, sync_reference, MIGRATIONS, SCHEMA_VERSION ..... schema.py
    query, run, scalar, transaction; the duckdb connections ................. base.py
    backups, restores and the crash-safe atomic write (whole files) ........ backup.py

`open_store`, `Snapshot` and `open_snapshot` are here, beside the Store they make.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tsk.config import KommunConfig
from tsk.errors import TskError
from tsk.store.arshjul import ArshjulQueries
from tsk.store.base import StoreBase, attach_read_only, connect
from tsk.store.dialog import DialogMixin
from tsk.store.imports import ImportRecord, ImportsMixin
from tsk.store.lagesbild import LagesbildQueries
from tsk.store.places import PlacesMixin
from tsk.store.police import PoliceQueries
from tsk.store.reference import ReferenceMixin
from tsk.store.registers import RegistersMixin
from tsk.store.schema import SCHEMA_VERSION, SchemaMixin
from tsk.store.survey import KOMMUN_GROUP, UNKNOWN_GROUP, SurveyQueries
from tsk.store.traffpunkt import TraffpunktQueries
from tsk.store.veckorapport import VeckorapportMixin

if TYPE_CHECKING:
    import duckdb

__all__ = ["KOMMUN_GROUP", "SCHEMA_VERSION", "UNKNOWN_GROUP", "ImportRecord", "Snapshot", "Store", "open_snapshot", "open_store"]


class Store(SchemaMixin, ImportsMixin, ReferenceMixin, LagesbildQueries, SurveyQueries, TraffpunktQueries,
            PoliceQueries, RegistersMixin, VeckorapportMixin, ArshjulQueries, DialogMixin, PlacesMixin, StoreBase):
    """A DuckDB database file. Use `open_store()`; close when done (or use it as a context manager)."""


def open_store(path: Path | str, *, read_only: bool = False, config: KommunConfig | None = None) -> Store:
    """Open (and create or migrate, unless read-only) the database at `path`."""
    path = Path(path)
    if read_only and not path.exists():
        raise TskError("db_missing", path=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(connect(path, read_only=read_only), path, read_only)
    if not read_only:
        store.migrate()
        if config is not None:
            store.sync_reference(config)
    return store


class Snapshot:
    """The database file as it was when opened, read-only, shared by the app's threads.

    The app used to open a new read-only connection for every question (~13 ms each, and every
    question started with an empty buffer pool). Writers never change the file in place — they
    replace it (tsk.store.backup.atomic_write) — so an open snapshot stays consistent and never blocks
    an import; the app opens a new one when the file's inode or mtime changes.

    The file is ATTACHed into a private in-memory DuckDB instance instead of `duckdb.connect(path)`:
    DuckDB's process-wide instance cache is keyed by path, so a connect() made after the file was
    replaced, while a connection to the old file is still alive, would return the old file's data."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path):
        self.con = con
        self.path = path

    def store(self) -> Store:
        """A Store on its own cursor (DuckDB connections are not thread-safe; cursors are). Close it after use."""
        cursor = self.con.cursor()
        cursor.execute("USE tsk")
        return Store(cursor, self.path, read_only=True)


def open_snapshot(path: Path | str) -> Snapshot:
    path = Path(path)
    if not path.exists():
        raise TskError("db_missing", path=path)
    return Snapshot(attach_read_only(path), path)
