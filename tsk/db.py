"""The store: the only module that imports duckdb.

Schema with versioned migrations, the reference tables seeded from config, one all-or-nothing write
per import, and named, parameterised queries that read as questions. Pages and the CLI never write SQL.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from tsk.config import KommunConfig
from tsk.errors import TskError

def _problem_categories_param(categories: list[str]) -> list[str]:
    return list(categories) or ["__none__"]


# Each migration moves the schema one version up. Never edit a released one: add the next.
MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE SEQUENCE import_id_seq START 1;
        CREATE TABLE imports (
            import_id INTEGER PRIMARY KEY,
            source VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            mapping VARCHAR,
            imported_at TIMESTAMP NOT NULL,
            rows_accepted INTEGER NOT NULL,
            rows_quarantined INTEGER NOT NULL,
            rows_skipped INTEGER NOT NULL DEFAULT 0,
            notes VARCHAR,
            UNIQUE (source, sha256)
        );
        CREATE TABLE quarantine (
            import_id INTEGER NOT NULL,
            source VARCHAR NOT NULL,
            row_number INTEGER NOT NULL,
            original_row VARCHAR NOT NULL,   -- JSON object: column -> cell (free text redacted)
            reason VARCHAR NOT NULL,         -- Swedish, for the person correcting the row
            suggestions VARCHAR NOT NULL     -- JSON list of configured names
        );
        CREATE TABLE areas (
            name VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,           -- traffpunkt | centralort
            population INTEGER,
            assumption BOOLEAN NOT NULL,     -- membership or name not confirmed by the kommun
            schematic BOOLEAN NOT NULL DEFAULT TRUE,
            geometry_wkt VARCHAR,            -- WGS84
            minlon DOUBLE, minlat DOUBLE, maxlon DOUBLE, maxlat DOUBLE,
            import_id INTEGER
        );
        CREATE TABLE orter (
            name VARCHAR PRIMARY KEY,
            area VARCHAR NOT NULL,
            lat DOUBLE NOT NULL, lon DOUBLE NOT NULL,
            population INTEGER,
            approximate BOOLEAN NOT NULL
        );
        CREATE TABLE places (
            ort VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            area VARCHAR NOT NULL,
            lat DOUBLE NOT NULL, lon DOUBLE NOT NULL,
            approximate BOOLEAN NOT NULL,
            demo BOOLEAN NOT NULL,
            physical VARCHAR NOT NULL,       -- JSON list: belysning, skymd sikt …
            PRIMARY KEY (ort, name)
        );
        CREATE TABLE organisations (
            name VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL
        );
        CREATE TABLE lagesbild (
            import_id INTEGER NOT NULL,
            report_id VARCHAR NOT NULL,      -- one submission; several categories share it
            iso_year INTEGER NOT NULL,
            iso_week INTEGER NOT NULL,
            week_start DATE NOT NULL,
            report_date DATE,
            organisation VARCHAR NOT NULL,
            reporter VARCHAR NOT NULL,       -- a unit (Fritidsgården, Skolan …), never a person
            area VARCHAR NOT NULL,
            ort VARCHAR,
            place VARCHAR,
            category VARCHAR NOT NULL,
            grade INTEGER NOT NULL,
            comment VARCHAR                  -- redacted
        );
        CREATE TABLE coverage (
            import_id INTEGER NOT NULL,
            reporter VARCHAR NOT NULL,
            organisation VARCHAR NOT NULL,
            iso_year INTEGER NOT NULL,
            iso_week INTEGER NOT NULL,
            week_start DATE NOT NULL,
            status VARCHAR NOT NULL          -- rapporterat | inget_att_rapportera
        );
        CREATE TABLE survey_respondents (
            import_id INTEGER NOT NULL,
            year INTEGER NOT NULL,
            respondent_id VARCHAR NOT NULL,
            submitted_at TIMESTAMP,
            area VARCHAR,
            ort VARCHAR,
            age_group VARCHAR,
            gender VARCHAR
        );
        CREATE TABLE survey_answers (
            import_id INTEGER NOT NULL,
            year INTEGER NOT NULL,
            respondent_id VARCHAR NOT NULL,
            item VARCHAR NOT NULL,
            scale VARCHAR NOT NULL,          -- scale version: answers on different scales never mix
            value INTEGER NOT NULL,
            label VARCHAR NOT NULL
        );
        CREATE TABLE survey_texts (
            import_id INTEGER NOT NULL,
            year INTEGER NOT NULL,
            respondent_id VARCHAR NOT NULL,
            item VARCHAR NOT NULL,
            text VARCHAR NOT NULL,           -- redacted
            ort VARCHAR,                     -- a configured place the text names, if any
            place VARCHAR
        );
        CREATE TABLE traffpunkt_respondents (
            import_id INTEGER NOT NULL,
            round VARCHAR NOT NULL,
            year INTEGER NOT NULL,
            respondent_id VARCHAR NOT NULL,
            submitted_at TIMESTAMP,
            area VARCHAR NOT NULL,
            ort VARCHAR,
            respondent_kind VARCHAR          -- invånare | företag
        );
        CREATE TABLE traffpunkt_answers (
            import_id INTEGER NOT NULL,
            round VARCHAR NOT NULL,
            respondent_id VARCHAR NOT NULL,
            item VARCHAR NOT NULL,
            scale VARCHAR NOT NULL,
            value INTEGER NOT NULL,
            label VARCHAR NOT NULL
        );
        CREATE TABLE traffpunkt_texts (
            import_id INTEGER NOT NULL,
            round VARCHAR NOT NULL,
            respondent_id VARCHAR NOT NULL,
            item VARCHAR NOT NULL,
            text VARCHAR NOT NULL            -- redacted
        );
        CREATE TABLE police_events (
            event_id BIGINT PRIMARY KEY,
            import_id INTEGER NOT NULL,
            published_at TIMESTAMP NOT NULL, -- local time of publication/update
            incident_at TIMESTAMP NOT NULL,  -- local time from the event name
            type VARCHAR NOT NULL,
            category VARCHAR,                -- EST category via config, NULL when unmapped
            kommun VARCHAR NOT NULL,
            location_name VARCHAR NOT NULL,
            summary VARCHAR,                 -- redacted
            url VARCHAR,
            lat DOUBLE, lon DOUBLE,
            gps_is_centroid BOOLEAN NOT NULL, -- the API gives the kommun's or county's centroid
            ort VARCHAR,                     -- the configured ort the summary names, if any
            area VARCHAR                     -- that ort's area; NULL = somewhere in the kommun
        );
        """,
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]

# Tables an importer may write to, and the table whose rows `status` counts per source.
WRITABLE = {
    "lagesbild", "coverage", "survey_respondents", "survey_answers", "survey_texts",
    "traffpunkt_respondents", "traffpunkt_answers", "traffpunkt_texts", "police_events",
}
COUNT_TABLE = {
    "lagesbild": "lagesbild",
    "survey": "survey_respondents",
    "traffpunkt": "traffpunkt_respondents",
    "police": "police_events",
}


@dataclass
class ImportRecord:
    import_id: int
    source: str
    file_name: str
    sha256: str
    imported_at: datetime
    rows_accepted: int
    rows_quarantined: int
    rows_skipped: int


class Store:
    """A DuckDB database file. Use `open_store()`; close when done (or use it as a context manager)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool):
        self.con = con
        self.path = path
        self.read_only = read_only

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.con.close()

    # --- low level --------------------------------------------------------------------------------
    def query(self, sql: str, params: dict | list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def run(self, sql: str, params: dict | list | None = None) -> list[tuple]:
        """Execute and fetch everything: DuckDB refuses new work while a result is unfinished."""
        return self.con.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: dict | list | None = None):
        rows = self.run(sql, params)
        return rows[0][0] if rows else None

    @contextmanager
    def transaction(self):
        self.run("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.run("ROLLBACK")
            raise
        else:
            self.run("COMMIT")

    # --- schema -----------------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        )
        if not exists:
            return 0
        return self.scalar("SELECT coalesce(max(version), 0) FROM schema_version")

    def migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise TskError("db_newer_schema", path=self.path, version=current, supported=SCHEMA_VERSION)
        pending = [(v, sql) for v, sql in MIGRATIONS if v > current]
        if not pending:
            return
        with self.transaction():
            self.run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMP)")
            for version, sql in pending:
                self.run(sql)
                self.run("INSERT INTO schema_version VALUES (?, ?)", [version, datetime.now()])

    def sync_reference(self, config: KommunConfig) -> None:
        """Bring areas, orter, places and organisations in line with the configuration.

        Area geometry is kept: it comes from the areas importer, not from config.
        """
        areas = pd.DataFrame(
            [(a.name, a.kind, a.population, a.assumption) for a in config.areas],
            columns=["name", "kind", "population", "assumption"],
        )
        orter = pd.DataFrame(
            [(o.name, o.area, o.lat, o.lon, o.population, o.approximate) for o in config.orter],
            columns=["name", "area", "lat", "lon", "population", "approximate"],
        )
        area_of = {o.name: o.area for o in config.orter}
        places = pd.DataFrame(
            [(p.ort, p.name, area_of[p.ort], p.lat, p.lon, p.approximate, p.demo, json.dumps(list(p.physical),
              ensure_ascii=False)) for p in config.platser],
            columns=["ort", "name", "area", "lat", "lon", "approximate", "demo", "physical"],
        )
        orgs = pd.DataFrame([(o.name, o.kind) for o in config.organisations], columns=["name", "kind"])
        with self.transaction():
            self.con.register("cfg_areas", areas)
            self.run("DELETE FROM areas WHERE name NOT IN (SELECT name FROM cfg_areas)")
            self.run(
                """INSERT INTO areas (name, kind, population, assumption)
                   SELECT name, kind, population, assumption FROM cfg_areas
                   ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, population = excluded.population,
                       assumption = excluded.assumption"""
            )
            for table, frame in (("orter", orter), ("places", places), ("organisations", orgs)):
                self.con.register("cfg_frame", frame)
                self.run(f"DELETE FROM {table}")
                self.run(f"INSERT INTO {table} ({', '.join(frame.columns)}) SELECT * FROM cfg_frame")
                self.con.unregister("cfg_frame")
            self.con.unregister("cfg_areas")

    # --- imports ----------------------------------------------------------------------------------
    def find_import(self, source: str, sha256: str) -> ImportRecord | None:
        df = self.query(
            "SELECT * EXCLUDE (mapping, notes) FROM imports WHERE source = ? AND sha256 = ?", [source, sha256]
        )
        return None if df.empty else ImportRecord(**df.iloc[0].to_dict())

    def existing_police_ids(self, ids: list[int]) -> set[int]:
        if not ids:
            return set()
        frame = pd.DataFrame({"event_id": ids})
        self.con.register("candidate_ids", frame)
        try:
            found = self.query("SELECT event_id FROM police_events WHERE event_id IN (SELECT event_id FROM candidate_ids)")
        finally:
            self.con.unregister("candidate_ids")
        return set(found["event_id"].tolist())

    def write_import(
        self,
        *,
        source: str,
        file_name: str,
        sha256: str,
        mapping: str | None,
        tables: dict[str, pd.DataFrame],
        accepted: int,
        quarantine: list,
        skipped: int,
        notes: list[str],
        area_geometries: pd.DataFrame | None = None,
        _fail_after_table: str | None = None,
    ) -> int:
        """Write one import in a single transaction and return its import_id.

        Either everything (rows, quarantine, area geometry, the import log line) is written, or
        nothing. `_fail_after_table` exists for the test that proves it.
        """
        with self.transaction():
            import_id = self.scalar("SELECT nextval('import_id_seq')")
            for table, frame in tables.items():
                if table not in WRITABLE:
                    raise ValueError(f"importers may not write to {table}")
                if frame.empty:
                    continue
                frame = frame.assign(import_id=import_id)
                self.con.register("incoming", frame)
                cols = ", ".join(f'"{c}"' for c in frame.columns)
                self.run(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM incoming")
                self.con.unregister("incoming")
                if _fail_after_table == table:
                    raise RuntimeError("simulated failure halfway through an import")
            if area_geometries is not None and not area_geometries.empty:
                self.con.register("incoming_areas", area_geometries.assign(import_id=import_id))
                self.run(
                    """UPDATE areas SET geometry_wkt = i.geometry_wkt, schematic = i.schematic,
                           minlon = i.minlon, minlat = i.minlat, maxlon = i.maxlon, maxlat = i.maxlat,
                           import_id = i.import_id
                       FROM incoming_areas i WHERE areas.name = i.name"""
                )
                self.con.unregister("incoming_areas")
            if quarantine:
                q = pd.DataFrame(
                    {
                        "import_id": import_id,
                        "source": source,
                        "row_number": [r.row_number for r in quarantine],
                        "original_row": [json.dumps(r.original, ensure_ascii=False) for r in quarantine],
                        "reason": [r.reason for r in quarantine],
                        "suggestions": [json.dumps(r.suggestions, ensure_ascii=False) for r in quarantine],
                    }
                )
                self.con.register("incoming_q", q)
                self.run("INSERT INTO quarantine SELECT * FROM incoming_q")
                self.con.unregister("incoming_q")
            self.run(
                """INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [import_id, source, file_name, sha256, mapping, datetime.now().replace(microsecond=0),
                 accepted, len(quarantine), skipped, "\n".join(notes) or None],
            )
        return import_id

    # --- questions --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {key: self.scalar(f"SELECT count(*) FROM {table}") for key, table in COUNT_TABLE.items()}
        out["areas"] = self.scalar("SELECT count(*) FROM areas WHERE geometry_wkt IS NOT NULL")
        out["quarantine"] = self.scalar("SELECT count(*) FROM quarantine")
        out["imports"] = self.scalar("SELECT count(*) FROM imports")
        # Extensions beyond the documented keys: finer counts for operators.
        out["survey_answers"] = self.scalar("SELECT count(*) FROM survey_answers")
        out["traffpunkt_answers"] = self.scalar("SELECT count(*) FROM traffpunkt_answers")
        out["coverage"] = self.scalar("SELECT count(*) FROM coverage")
        return out

    def area_extents(self) -> pd.DataFrame:
        """Columns: name, kind, schematic, assumption, minlon, minlat, maxlon, maxlat (areas with geometry)."""
        return self.query(
            """SELECT name, kind, schematic, assumption, minlon, minlat, maxlon, maxlat FROM areas
               WHERE geometry_wkt IS NOT NULL ORDER BY kind = 'centralort', name"""
        )

    def area_geometries(self) -> pd.DataFrame:
        """Columns: name, kind, population, assumption, schematic, geometry_wkt (WGS84)."""
        return self.query(
            """SELECT name, kind, population, assumption, schematic, geometry_wkt FROM areas
               WHERE geometry_wkt IS NOT NULL ORDER BY name"""
        )

    def import_log(self) -> pd.DataFrame:
        return self.query(
            """SELECT import_id, source, file_name, sha256, mapping, imported_at, rows_accepted,
                      rows_quarantined, rows_skipped, notes FROM imports ORDER BY import_id"""
        )

    def quarantine_rows(self, import_id: int | None = None) -> pd.DataFrame:
        if import_id is None:
            return self.query("SELECT * FROM quarantine ORDER BY import_id, row_number")
        return self.query("SELECT * FROM quarantine WHERE import_id = ? ORDER BY row_number", [import_id])

    def table(self, name: str) -> pd.DataFrame:
        """A whole store table (for tests and exports of small tables)."""
        known = WRITABLE | {"areas", "orter", "places", "organisations", "imports", "quarantine"}
        if name not in known:
            raise ValueError(name)
        return self.query(f"SELECT * FROM {name}")

    def latest_week(self) -> tuple[int, int] | None:
        rows = self.run("SELECT iso_year, iso_week FROM lagesbild ORDER BY week_start DESC LIMIT 1")
        return tuple(rows[0]) if rows else None

    def area_overview(self, problem_categories: list[str], weeks: int = 12) -> pd.DataFrame:
        """One row per configured area. Columns: area, kind, population, assumption, schematic,
        reports (reports with grade > 0 in a problem category in the last `weeks` ISO weeks up to the
        latest week in the store), reporters (distinct reporters who submitted anything in that window),
        per_1000 (reports per 1,000 inhabitants; NULL without a population)."""
        return self.query(
            """
            WITH last AS (SELECT max(week_start) AS wk FROM lagesbild),
            win AS (SELECT wk - INTERVAL (? * 7 - 7) DAY AS from_wk, wk FROM last),
            rep AS (
                SELECT area, count(*) AS reports FROM lagesbild, win
                WHERE week_start BETWEEN win.from_wk AND win.wk AND grade > 0 AND list_contains(?, category)
                GROUP BY area),
            cov AS (
                SELECT l.area, count(DISTINCT c.reporter) AS reporters
                FROM coverage c JOIN (SELECT DISTINCT reporter, area FROM lagesbild) l USING (reporter), win
                WHERE c.week_start BETWEEN win.from_wk AND win.wk GROUP BY l.area)
            SELECT a.name AS area, a.kind, a.population, a.assumption, a.schematic,
                   coalesce(rep.reports, 0) AS reports, coalesce(cov.reporters, 0) AS reporters,
                   CASE WHEN a.population > 0 THEN 1000.0 * coalesce(rep.reports, 0) / a.population END AS per_1000
            FROM areas a LEFT JOIN rep ON rep.area = a.name LEFT JOIN cov ON cov.area = a.name
            ORDER BY a.kind = 'centralort', a.name
            """,
            [weeks, _problem_categories_param(problem_categories)],
        )

    def source_periods(self) -> dict:
        """The newest period each source holds: lagesbild (iso_year, iso_week), survey year, Träffpunkt
        round, police incident date; None where the source is empty."""
        week = self.latest_week()
        return {
            "lagesbild": week,
            "survey": self.scalar("SELECT max(year) FROM survey_respondents"),
            "traffpunkt": self.scalar("SELECT max(round) FROM traffpunkt_respondents"),
            "police": self.scalar("SELECT max(incident_at)::DATE FROM police_events"),
        }

    def lagesbild_per_area(self) -> pd.DataFrame:
        """Columns: area, reports, first_week (date), last_week (date)."""
        return self.query(
            """SELECT area, count(*) AS reports, min(week_start) AS first_week, max(week_start) AS last_week
               FROM lagesbild WHERE grade > 0 GROUP BY area ORDER BY area"""
        )


def open_store(path: Path | str, *, read_only: bool = False, config: KommunConfig | None = None) -> Store:
    """Open (and create or migrate, unless read-only) the database at `path`."""
    path = Path(path)
    if read_only and not path.exists():
        raise TskError("db_missing", path=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        raise TskError("db_unavailable", path=path, detail=str(e).splitlines()[0]) from None
    except duckdb.Error as e:
        raise TskError("db_broken", path=path, detail=str(e).splitlines()[0]) from None
    store = Store(con, path, read_only)
    if not read_only:
        store.migrate()
        if config is not None:
            store.sync_reference(config)
    return store
