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
import numpy as np
import pandas as pd

from tsk.config import KommunConfig
from tsk.errors import TskError
from tsk.i18n import t


def _problem_categories_param(categories: list[str]) -> list[str]:
    """A config may mark no category as a problem: DuckDB cannot type an empty list parameter."""
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
MIGRATIONS.append((
    2,
    """
    -- The trygghetsvandring register: walks, what was seen per place, and the measures that follow.
    CREATE SEQUENCE walk_id_seq START 1;
    CREATE TABLE walks (
        walk_id INTEGER PRIMARY KEY,
        ort VARCHAR NOT NULL,
        area VARCHAR NOT NULL,
        walk_date DATE NOT NULL,
        status VARCHAR NOT NULL,             -- planerad | genomförd | inställd
        route VARCHAR NOT NULL,              -- JSON list of plats names in the ort, in walking order
        participants VARCHAR NOT NULL,       -- JSON object role -> number of people (never names)
        followup_date DATE,                  -- the uppföljningsmöte
        followup_notes VARCHAR,              -- redacted
        import_id INTEGER,                   -- set when the walk came from an imported protocol
        updated_at TIMESTAMP NOT NULL
    );
    CREATE TABLE walk_observations (
        walk_id INTEGER NOT NULL,
        obs_no INTEGER NOT NULL,
        place VARCHAR,                       -- a plats of the walk's ort; NULL = the ort in general
        problem VARCHAR NOT NULL,            -- redacted
        causes VARCHAR NOT NULL,             -- JSON list of checklist keys
        PRIMARY KEY (walk_id, obs_no)
    );
    CREATE SEQUENCE measure_id_seq START 1;
    CREATE TABLE measures (
        measure_id INTEGER PRIMARY KEY,
        walk_id INTEGER,                     -- NULL for measures from other origins
        origin VARCHAR NOT NULL,             -- trygghetsvandring | traffpunkt | analysgrupp
        ort VARCHAR NOT NULL,
        place VARCHAR,
        description VARCHAR NOT NULL,        -- redacted
        owner VARCHAR NOT NULL,              -- förvaltning (or partner) responsible
        decision_path VARCHAR NOT NULL,      -- KLG | KS
        due_date DATE,
        status VARCHAR NOT NULL,             -- föreslagen | beslutad | pågår | klar | avslagen
        completed_date DATE,
        updated_at TIMESTAMP NOT NULL
    );
    """,
))
MIGRATIONS.append((
    3,
    """
    -- The analysgrupp's loop: meetings with a frozen snapshot of what was shown, and one register of
    -- proposals (walk measures, Träffpunkt dialogue and the analysgrupp's own åtgärdsanalys) whose
    -- status changes are kept as history.
    CREATE SEQUENCE meeting_id_seq START 1;
    CREATE TABLE meetings (
        meeting_id INTEGER PRIMARY KEY,
        meeting_date DATE NOT NULL,
        period_from DATE NOT NULL,
        period_to DATE NOT NULL,
        organisations VARCHAR NOT NULL,      -- JSON list of participating organisations (roles, not names)
        notes VARCHAR,                       -- redacted
        snapshot VARCHAR NOT NULL,           -- JSON: the figures shown, frozen at the meeting
        created_at TIMESTAMP NOT NULL
    );
    ALTER TABLE measures ADD COLUMN area VARCHAR;
    ALTER TABLE measures ADD COLUMN category VARCHAR;
    ALTER TABLE measures ADD COLUMN evidence VARCHAR;      -- JSON list of the figures the proposal rests on
    ALTER TABLE measures ADD COLUMN decision_date DATE;
    ALTER TABLE measures ADD COLUMN outcome VARCHAR;       -- the decision's outcome, in words (redacted)
    ALTER TABLE measures ADD COLUMN meeting_id INTEGER;    -- the meeting that proposed it, if any
    CREATE TABLE measure_history (
        measure_id INTEGER NOT NULL,
        changed_at TIMESTAMP NOT NULL,
        status VARCHAR NOT NULL,
        note VARCHAR
    );
    """,
))
MIGRATIONS.append((
    4,
    """
    -- A quarantined row corrected in the app and imported again points at the import that took it.
    ALTER TABLE quarantine ADD COLUMN resolved_by INTEGER;
    """,
))
MIGRATIONS.append((
    5,
    """
    -- Free-typed places and the review of new names (onboarding): a row whose ort is known but whose
    -- place is not is stored at ort level with the place as written; decisions taken in review are
    -- stored here (not in tsk.toml) and used by the next import.
    ALTER TABLE lagesbild ADD COLUMN place_text VARCHAR;     -- the place as written when it is no known place (redacted)
    ALTER TABLE imports ADD COLUMN mapping_text VARCHAR;     -- the mapping file's text the file was read with
    ALTER TABLE imports ADD COLUMN actor VARCHAR;            -- who imported the file or took the review decision
    ALTER TABLE quarantine ADD COLUMN reason_key VARCHAR;    -- the reason's message key (unknown_ort …)
    ALTER TABLE quarantine ADD COLUMN reason_value VARCHAR;  -- the value the reason is about, as written
    CREATE TABLE review_decisions (
        kind VARCHAR NOT NULL,           -- place | ort | reporter
        ort VARCHAR NOT NULL,            -- place: the ort the name was written for; '' for the other kinds
        name_key VARCHAR NOT NULL,       -- the name as written, normalised (tsk.text.normalise_name)
        name VARCHAR NOT NULL,           -- the name as written (redacted)
        action VARCHAR NOT NULL,         -- place: alias | create | keep; ort: alias; reporter: assign
        target VARCHAR,                  -- the place, ort or reporting unit the name stands for
        organisation VARCHAR,            -- reporter: the unit's organisation
        lat DOUBLE, lon DOUBLE,          -- create: the new place's position (always approximate)
        import_id INTEGER NOT NULL,      -- the import log line that records the decision
        PRIMARY KEY (kind, ort, name_key)
    );
    """,
))
MIGRATIONS.append((
    6,
    """
    -- Numeric survey answers (a mapping item with type = "number", e.g. an index "4,5").
    CREATE TABLE survey_numbers (
        import_id INTEGER NOT NULL,
        year INTEGER NOT NULL,
        respondent_id VARCHAR NOT NULL,
        item VARCHAR NOT NULL,
        value DOUBLE NOT NULL
    );
    """,
))
MIGRATIONS.append((
    7,
    """
    -- Which kommun the database is about (synced from the config on every write), so a restore can
    -- refuse another kommun's backup by its kommunkod.
    CREATE TABLE kommun (
        kommunkod VARCHAR NOT NULL,
        name VARCHAR NOT NULL
    );
    """,
))
SCHEMA_VERSION = MIGRATIONS[-1][0]

# Tables an importer may write to, and the table whose rows `status` counts per source.
WRITABLE = {
    "walks", "walk_observations", "measures", "lagesbild", "coverage", "survey_respondents", "survey_answers", "survey_texts",
    "traffpunkt_respondents", "traffpunkt_answers", "traffpunkt_texts", "police_events", "survey_numbers",
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
        """One transaction; a transaction opened inside another joins the outer one (a review decision
        and the imports it triggers are written all or nothing)."""
        depth = getattr(self, "_depth", 0)
        if depth:
            self._depth = depth + 1
            try:
                yield
            finally:
                self._depth = depth
            return
        self.run("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.run("ROLLBACK")
            raise
        else:
            self._depth = 0
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
        created = self.created_places()
        created = created[created["ort"].isin(list(area_of)) & ~created.set_index(["ort", "name"]).index.isin(
            list(zip(places["ort"], places["name"])))]
        if not created.empty:
            places = pd.concat([places, created.assign(
                area=created["ort"].map(area_of), approximate=True, demo=False, physical="[]")[places.columns]],
                ignore_index=True)
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
            if self.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'kommun'"):
                # (absent only while an older schema is written by a test of the upgrade path)
                self.run("DELETE FROM kommun")
                self.run("INSERT INTO kommun VALUES (?, ?)", [str(config.kommunkod), config.name])

    # --- imports ----------------------------------------------------------------------------------
    def find_import(self, source: str, sha256: str) -> ImportRecord | None:
        df = self.query(
            # the columns of every schema version: a read-only look at an older store before it is migrated
            """SELECT import_id, source, file_name, sha256, imported_at, rows_accepted, rows_quarantined, rows_skipped
               FROM imports WHERE source = ? AND sha256 = ?""", [source, sha256]
        )
        return None if df.empty else ImportRecord(**df.iloc[0].to_dict())

    def _multiset_seen(self, incoming: str, stored: str, keys: list[str], order: str,
                       params: dict | None = None) -> list:
        """The `order` values of the `incoming` rows that `stored` already holds, compared on `keys` as a
        multiset: the k-th identical incoming row is "seen" only when the store holds at least k. Both
        arguments are SQL row sources with the `keys` columns (and `order` for the incoming one)."""
        cols = ", ".join(f'"{c}"' for c in keys)
        on = " AND ".join(f'i."{c}" IS NOT DISTINCT FROM s."{c}"' for c in keys)
        return [h[0] for h in self.run(
            f"""WITH i AS (SELECT *, row_number() OVER (PARTITION BY {cols} ORDER BY {order}) AS k FROM ({incoming})),
                     s AS (SELECT {cols}, count(*) AS n FROM ({stored}) GROUP BY ALL)
                SELECT i.{order} FROM i JOIN s ON {on} WHERE i.k <= s.n""", params)]

    def already_stored(self, table: str, frame: pd.DataFrame, key: list[str]) -> np.ndarray:
        """Which rows of `frame` the store already holds in `table`, compared on the `key` columns.

        Form tools export every answer so far, so next month's export repeats this month's rows. Rows
        are counted as a multiset (see `_multiset_seen`), so two identical reports in one week stay two
        reports. Returns a boolean array, True for a row to leave out."""
        if table not in WRITABLE or any(c not in frame.columns for c in key):
            raise ValueError(f"cannot compare {table} on {key}")
        seen = np.zeros(len(frame), dtype=bool)
        if frame.empty or not self.scalar(f"SELECT EXISTS (SELECT 1 FROM {table})"):
            return seen  # nothing to compare with: skip the work
        self.con.register("incoming_keys", frame[list(key)].assign(_pos=np.arange(len(frame))))
        try:
            seen[self._multiset_seen("SELECT * FROM incoming_keys", f"SELECT * FROM {table}", key, "_pos")] = True
        finally:
            self.con.unregister("incoming_keys")
        return seen

    def already_stored_respondents(self, kind: str, people: pd.DataFrame, answers: pd.DataFrame,
                                   texts: pd.DataFrame, person: list[str], period: str) -> set[str]:
        """respondent_ids of incoming respondents (`kind` "survey" or "traffpunkt") that the store already
        holds from an earlier file: the same `person` columns, the same answers and the same texts.

        A later export of the same form repeats every earlier answer. Compared as a multiset within the
        incoming file's periods (`period`: year or round). The signature is built by the same SQL on both
        sides, so both are formatted alike."""
        if people.empty:
            return set()
        periods = sorted({str(v) for v in people[period].dropna()})
        in_periods = f"p.{period}::VARCHAR IN (SELECT unnest($periods))"
        if not self.scalar(f"SELECT count(*) FROM {kind}_respondents p WHERE {in_periods}", {"periods": periods}):
            return set()  # nothing from these periods yet: skip building the signatures

        def signatures(p: str, a: str, x: str, where: str) -> str:
            return f"""
                SELECT {", ".join(f'p."{c}"' for c in person)}, p.import_id, p.respondent_id,
                       coalesce(sa.sig, '') AS answers_sig, coalesce(sx.sig, '') AS texts_sig
                FROM {p} p
                LEFT JOIN (SELECT import_id, respondent_id,
                                  string_agg(item || '=' || value::VARCHAR, ';' ORDER BY item, value) AS sig
                           FROM {a} GROUP BY ALL) sa USING (import_id, respondent_id)
                LEFT JOIN (SELECT import_id, respondent_id,
                                  string_agg(item || '=' || text, ';' ORDER BY item, text) AS sig
                           FROM {x} GROUP BY ALL) sx USING (import_id, respondent_id)
                WHERE {where}"""

        self.con.register("inc_people", people.assign(import_id=0))
        self.con.register("inc_answers", answers.assign(import_id=0))
        self.con.register("inc_texts", texts.assign(import_id=0))
        try:
            return set(self._multiset_seen(
                signatures("inc_people", "inc_answers", "inc_texts", "true"),
                signatures(f"{kind}_respondents", f"{kind}_answers", f"{kind}_texts", in_periods),
                [*person, "answers_sig", "texts_sig"], "respondent_id", {"periods": periods}))
        finally:
            for name in ("inc_people", "inc_answers", "inc_texts"):
                self.con.unregister(name)

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
        mapping_text: str | None = None,
        actor: str | None = None,
        _fail_after_table: str | None = None,
    ) -> int:
        """Write one import in a single transaction and return its import_id.

        Either everything (rows, quarantine, area geometry, the import log line) is written, or
        nothing. `_fail_after_table` exists for the test that proves it.
        """
        with self.transaction():
            import_id = self.scalar("SELECT nextval('import_id_seq')")
            tables = dict(tables)
            walks = tables.pop("walks", None)
            walk_obs = tables.pop("walk_observations", pd.DataFrame(columns=["obs_no", "place", "problem", "causes"]))
            walk_measures = tables.pop("measures", pd.DataFrame())
            if walks is not None and not walks.empty:
                if len(walks) != 1:
                    raise ValueError("an import writes one walk")
                walk = walks.iloc[0].to_dict()
                # A protocol for a walk already in the register (same ort and date) replaces it.
                same = self.run("SELECT walk_id FROM walks WHERE ort = ? AND walk_date = ?",
                                [walk["ort"], walk["walk_date"]])
                self._write_walk(walk | {"walk_id": same[0][0] if same else None, "import_id": import_id},
                                 walk_obs, walk_measures)
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
                        "reason_key": [getattr(r, "key", None) for r in quarantine],
                        "reason_value": [getattr(r, "value", None) for r in quarantine],
                    }
                )
                self.con.register("incoming_q", q)
                self.run("""INSERT INTO quarantine (import_id, source, row_number, original_row, reason, suggestions,
                                                    reason_key, reason_value)
                            SELECT * FROM incoming_q""")
                self.con.unregister("incoming_q")
            self._log(import_id, source, file_name, sha256, mapping, accepted, len(quarantine), skipped, notes,
                      mapping_text, actor)
        return import_id

    def _log(self, import_id: int, source: str, file_name: str, sha256: str, mapping: str | None, accepted: int,
             quarantined: int, skipped: int, notes: list[str], mapping_text: str | None = None,
             actor: str | None = None) -> None:
        """One line of the import log (also for review decisions: who, when, what)."""
        self.run(
            """INSERT INTO imports (import_id, source, file_name, sha256, mapping, imported_at, rows_accepted,
                                    rows_quarantined, rows_skipped, notes, mapping_text, actor)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [import_id, source, file_name, sha256, mapping, datetime.now().replace(microsecond=0),
             accepted, quarantined, skipped, "\n".join(notes) or None, mapping_text, actor],
        )

    # --- review of new names (free-typed places, unknown orter and reporters) ------------------------
    def review_decisions(self) -> pd.DataFrame:
        """Columns: kind, ort, name_key, name, action, target, organisation, lat, lon, import_id."""
        return self.query("SELECT * FROM review_decisions ORDER BY kind, ort, name_key")

    def created_places(self) -> pd.DataFrame:
        """Places created in review. Columns: ort, name, lat, lon (WGS84; NULL = at the ort's position)."""
        if not self.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'review_decisions'"):
            return pd.DataFrame(columns=["ort", "name", "lat", "lon"])
        return self.query(
            """SELECT DISTINCT d.ort, d.target AS name, coalesce(d.lat, o.lat) AS lat, coalesce(d.lon, o.lon) AS lon
               FROM review_decisions d JOIN orter o ON o.name = d.ort
               WHERE d.kind = 'place' AND d.action = 'create' ORDER BY d.ort, name""")

    def unplaced_place_texts(self) -> pd.DataFrame:
        """Lägesbild rows stored at ort (or area) level with a place written that is no known place, per
        distinct text. Columns: area, ort (NULL = area level), place_text, reports (rows), submissions
        (distinct report_id), first_week, last_week (Mondays)."""
        return self.query(
            """SELECT area, ort, place_text, count(*) AS reports, count(DISTINCT report_id) AS submissions,
                      min(week_start) AS first_week, max(week_start) AS last_week
               FROM lagesbild WHERE place IS NULL AND place_text IS NOT NULL
               GROUP BY ALL ORDER BY area, ort, place_text""")

    def record_decision(self, decision: dict, *, summary: str, actor: str, notes: list[str]) -> int:
        """Store one review decision with its import log line (source «granskning»); returns the log
        line's import_id. decision: kind, ort, name_key, name, action, target, organisation, lat, lon.
        Joins the caller's transaction."""
        import uuid

        with self.transaction():
            import_id = self.scalar("SELECT nextval('import_id_seq')")
            d = {"ort": "", "target": None, "organisation": None, "lat": None, "lon": None} | decision
            self.run(
                """INSERT INTO review_decisions (kind, ort, name_key, name, action, target, organisation, lat, lon,
                                                 import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [d["kind"], d["ort"], d["name_key"], d["name"], d["action"], d["target"], d["organisation"],
                 d["lat"], d["lon"], import_id])
            self._log(import_id, "granskning", summary, uuid.uuid4().hex, None, 0, 0, 0, notes, None, actor)
            if d["kind"] == "place" and d["action"] == "create":
                self.run(
                    """INSERT INTO places (ort, name, area, lat, lon, approximate, demo, physical)
                       SELECT o.name, ?, o.area, coalesce(?, o.lat), coalesce(?, o.lon), TRUE, FALSE, '[]'
                       FROM orter o WHERE o.name = ? ON CONFLICT DO NOTHING""",
                    [d["target"], d["lat"], d["lon"], d["ort"]])
        return int(import_id)

    def place_rows(self, *, texts: list[str], ort: str, area: str, place: str, import_id: int) -> int:
        """Give the unplaced rows whose written place is one of `texts`, in `ort` (or at the level of its
        `area` without an ort), the place `place` (None: only the ort, the name kept at ort level); the
        decision's log line counts them. Returns the count."""
        where = """place IS NULL AND list_contains($texts, place_text)
                   AND (ort = $ort OR (ort IS NULL AND area = $area))"""
        params = {"texts": list(texts) or ["\x00"], "ort": ort, "area": area}
        n = self.scalar(f"SELECT count(*) FROM lagesbild WHERE {where}", params)
        self.run(f"UPDATE lagesbild SET place = CAST($place AS VARCHAR), ort = $ort WHERE {where}",
                 params | {"place": place})
        self.run("UPDATE imports SET rows_accepted = ? WHERE import_id = ?", [n, import_id])
        return int(n)

    def unlinked_survey_texts(self) -> pd.DataFrame:
        """Survey free-text answers that name no configured place. Columns: import_id, respondent_id, item,
        text (redacted)."""
        return self.query("SELECT DISTINCT import_id, respondent_id, item, text FROM survey_texts WHERE place IS NULL")

    def link_survey_texts(self, links: pd.DataFrame) -> int:
        """Tie survey free-text answers to the place they name. links columns: import_id, respondent_id,
        item, text, ort, place. Joins the caller's transaction; returns the number of answers tied."""
        if links.empty:
            return 0
        self.con.register("text_links", links)
        try:
            self.run("""UPDATE survey_texts SET ort = l.ort, place = l.place FROM text_links l
                        WHERE survey_texts.import_id = l.import_id AND survey_texts.respondent_id = l.respondent_id
                          AND survey_texts.item = l.item AND survey_texts.text = l.text
                          AND survey_texts.place IS NULL""")
        finally:
            self.con.unregister("text_links")
        return len(links)

    def resolve_quarantine_rows(self, rows: list[tuple[int, int]], by_import_id: int) -> None:
        """Mark quarantined rows (import_id, row_number) as taken by `by_import_id` (joins a transaction)."""
        with self.transaction():
            for import_id, row_number in rows:
                self.run("UPDATE quarantine SET resolved_by = ? WHERE import_id = ? AND row_number = ?",
                         [by_import_id, import_id, row_number])

    def update_quarantine_reason(self, import_id: int, row_number: int, problem) -> None:
        """Give a quarantined row the reason it fails with now (a Quarantined: reason, suggestions, key,
        value), after a review decision removed its first problem."""
        self.run(
            """UPDATE quarantine SET reason = ?, suggestions = ?, reason_key = ?, reason_value = ?
               WHERE import_id = ? AND row_number = ?""",
            [problem.reason, json.dumps(problem.suggestions, ensure_ascii=False), problem.key, problem.value,
             import_id, row_number])
    # --- verifying a whole file (restore) ------------------------------------------------------------
    def read_every_table(self) -> dict[str, int]:
        """Read every value of every table (DuckDB checks each block's checksum as it reads it), so a
        truncated or corrupted file fails here, not later on a page. Rows per table."""
        tables = [r[0] for r in self.run(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name")]
        out = {}
        for table in tables:
            columns = self.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = ?", [table])
            hashes = ", bit_xor(hash(COLUMNS(*)))" if columns else ""
            out[table] = self.run(f'SELECT count(*){hashes} FROM "{table}"')[0][0]
        return out

    def kommun_identity(self) -> tuple[str, str] | None:
        """(kommunkod, name) the database was last written for; None for a database from before schema
        version 7 or never written with a configuration."""
        if not self.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'kommun'"):
            return None
        rows = self.run("SELECT kommunkod, name FROM kommun LIMIT 1")
        return tuple(rows[0]) if rows else None

    def kommun_evidence(self) -> tuple[list[str], list[str]]:
        """What tells which kommun a database is about: its orter (synced from its configuration on every
        write) and the kommuner its police events name."""
        orter = [r[0] for r in self.run("SELECT name FROM orter ORDER BY name")]
        police = [r[0] for r in self.run(
            "SELECT DISTINCT kommun FROM police_events WHERE kommun IS NOT NULL ORDER BY kommun")]
        return orter, police

    # --- questions --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {key: self.scalar(f"SELECT count(*) FROM {table}") for key, table in COUNT_TABLE.items()}
        out["areas"] = self.scalar("SELECT count(*) FROM areas WHERE geometry_wkt IS NOT NULL")
        out["quarantine"] = self.scalar("SELECT count(*) FROM quarantine WHERE resolved_by IS NULL")
        out["imports"] = self.scalar("SELECT count(*) FROM imports")
        # Extensions beyond the documented keys: finer counts for operators.
        out["survey_answers"] = self.scalar("SELECT count(*) FROM survey_answers")
        out["traffpunkt_answers"] = self.scalar("SELECT count(*) FROM traffpunkt_answers")
        out["coverage"] = self.scalar("SELECT count(*) FROM coverage")
        out["walks"] = self.scalar("SELECT count(*) FROM walks")
        out["measures"] = self.scalar("SELECT count(*) FROM measures")
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
                      rows_quarantined, rows_skipped, notes, actor FROM imports ORDER BY import_id"""
        )

    def open_quarantine(self, *, source: str | None = None, reason_key: str | None = None,
                        values: list[str] | None = None, reason: str | None = None) -> pd.DataFrame:
        """Rows still waiting for a correction, optionally only those of one source, reason key and raw
        values, or (rows without a key) one reason text. Columns: import_id, source, file_name, mapping,
        row_number, original_row (JSON), reason, suggestions (JSON), reason_key and reason_value (NULL for
        rows quarantined before schema 5), mapping_text (the mapping the file was read with, if stored)."""
        where, params = ["q.resolved_by IS NULL"], []
        if source is not None:
            where.append("q.source = ?")
            params.append(source)
        if reason_key is not None:
            where.append("q.reason_key = ?")
            params.append(reason_key)
        if values is not None:
            where.append("list_contains(?, q.reason_value)")
            params.append(list(values))
        if reason is not None:
            where.append("q.reason_key IS NULL AND q.reason = ?")
            params.append(reason)
        return self.query(
            f"""SELECT q.import_id, q.source, i.file_name, i.mapping, q.row_number, q.original_row, q.reason,
                       q.suggestions, q.reason_key, q.reason_value, i.mapping_text
                FROM quarantine q JOIN imports i USING (import_id)
                WHERE {" AND ".join(where)} ORDER BY q.import_id, q.row_number""",
            params,
        )

    def open_quarantine_values(self, *, source: str | None, reason_key: str) -> list[str]:
        """The distinct raw values of one reason key among open quarantine rows."""
        frame = self.query(
            """SELECT DISTINCT reason_value FROM quarantine WHERE resolved_by IS NULL AND reason_key = ?
               AND reason_value IS NOT NULL AND (? IS NULL OR source = ?)""", [reason_key, source, source])
        return list(frame["reason_value"])

    def open_quarantine_groups(self) -> pd.DataFrame:
        """The open quarantine counted per source, reason key and value (per reason text for rows without
        a key), in the order of each group's first row: a file whose every row was quarantined must not
        bring a million rows into the review page. Columns: source, reason_key, reason_value, reason and
        suggestions (the group's first row's), rows, import_ids (ascending)."""
        return self.query(
            """SELECT source, reason_key, reason_value,
                      arg_min(reason, import_id::BIGINT * 4294967296 + row_number) AS reason,
                      arg_min(suggestions, import_id::BIGINT * 4294967296 + row_number) AS suggestions,
                      count(*) AS rows, list(DISTINCT import_id ORDER BY import_id) AS import_ids
               FROM quarantine WHERE resolved_by IS NULL
               GROUP BY source, reason_key, reason_value, CASE WHEN reason_key IS NULL THEN reason END
               ORDER BY min(import_id::BIGINT * 4294967296 + row_number)"""
        )

    def resolve_quarantine(self, import_id: int, row_number: int, by_import_id: int) -> None:
        with self.transaction():
            self.run("UPDATE quarantine SET resolved_by = ? WHERE import_id = ? AND row_number = ?",
                     [by_import_id, import_id, row_number])

    def quarantine_rows(self, import_id: int | None = None) -> pd.DataFrame:
        if import_id is None:
            return self.query("SELECT * FROM quarantine ORDER BY import_id, row_number")
        return self.query("SELECT * FROM quarantine WHERE import_id = ? ORDER BY row_number", [import_id])

    def table(self, name: str) -> pd.DataFrame:
        """A whole store table (for tests and exports of small tables)."""
        known = WRITABLE | {"areas", "orter", "places", "organisations", "imports", "quarantine", "review_decisions"}
        if name not in known:
            raise ValueError(name)
        return self.query(f"SELECT * FROM {name}")

    def first_week(self) -> tuple[int, int] | None:
        rows = self.run("SELECT iso_year, iso_week FROM lagesbild ORDER BY week_start LIMIT 1")
        return tuple(rows[0]) if rows else None

    def latest_week(self) -> tuple[int, int] | None:
        rows = self.run("SELECT iso_year, iso_week FROM lagesbild ORDER BY week_start DESC LIMIT 1")
        return tuple(rows[0]) if rows else None

    def area_overview(self, problem_categories: list[str], weeks: int) -> pd.DataFrame:
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

    # --- lägesbild -------------------------------------------------------------------------------
    # Every lägesbild question takes the same filter: areas, organisations and categories as lists,
    # and the first and last week as Monday dates (inclusive). Reports with grade 0 ("lugnt") are
    # submissions, not problems, so counts use grade > 0.
    @staticmethod
    def _lb_filter(alias: str = "") -> str:
        a = f"{alias}." if alias else ""
        return (f"list_contains($areas, {a}area) AND list_contains($orgs, {a}organisation)"
                f" AND list_contains($cats, {a}category) AND {a}week_start BETWEEN $wfrom AND $wto")

    @staticmethod
    def _lb_params(areas, orgs, cats, week_from, week_to, **extra) -> dict:
        return {"areas": list(areas), "orgs": list(orgs), "cats": list(cats), "wfrom": week_from,
                "wto": week_to, **extra}

    LB_GROUPS = ("category", "area", "organisation", "ort", "place")

    def lagesbild_counts(self, *, areas, orgs, cats, week_from, week_to, period: str = "week",
                         by: str | tuple[str, ...] = "category") -> pd.DataFrame:
        """Columns: period_start (date), the `by` column(s) (any of category, area, organisation, ort,
        place), reports, weighted (sum of grades). `period` is week or month."""
        keys = (by,) if isinstance(by, str) else tuple(by)
        if period not in ("week", "month") or not keys or any(k not in self.LB_GROUPS for k in keys):
            raise ValueError((period, by))
        # An ISO week belongs to the month of its Thursday (week 1 of 2026, from Monday 29 December 2025, is January).
        start = "week_start" if period == "week" else "date_trunc('month', week_start + 3)::DATE"
        cols = ", ".join(keys)
        return self.query(
            f"""SELECT {start} AS period_start, {cols}, count(*) AS reports, sum(grade) AS weighted
                FROM lagesbild WHERE grade > 0 AND {self._lb_filter()}
                GROUP BY ALL ORDER BY period_start, {cols}""",
            self._lb_params(areas, orgs, cats, week_from, week_to),
        )

    def lagesbild_window_sums(self, *, areas, orgs, cats, week_from, recent_from, week_to,
                              by: str | tuple[str, ...] = ("area", "ort", "place", "category")) -> pd.DataFrame:
        """Reports from week_from to week_to per the `by` column(s) (as lagesbild_counts), summed on both
        sides of the Monday `recent_from` instead of per week: base (weeks before recent_from), recent
        (recent_from on), recent_weighted (sum of grades from recent_from on) and first_week (the first
        week with a report). One row per group with a report in the window. Columns: the `by`
        column(s), first_week, recent, base, recent_weighted; ordered by first_week, then `by`."""
        keys = (by,) if isinstance(by, str) else tuple(by)
        if not keys or any(k not in self.LB_GROUPS for k in keys):
            raise ValueError(by)
        cols = ", ".join(keys)
        return self.query(
            f"""SELECT {cols}, min(week_start) AS first_week,
                       count(*) FILTER (WHERE week_start >= $rfrom) AS recent,
                       count(*) FILTER (WHERE week_start < $rfrom) AS base,
                       coalesce(sum(grade) FILTER (WHERE week_start >= $rfrom), 0)::BIGINT AS recent_weighted
                FROM lagesbild WHERE grade > 0 AND {self._lb_filter()}
                GROUP BY {cols} ORDER BY first_week, {cols}""",
            self._lb_params(areas, orgs, cats, week_from, week_to, rfrom=recent_from),
        )

    def lagesbild_weeks_with_reports(self, *, areas, orgs, cats, week_from, week_to,
                                     by: str | tuple[str, ...] = ("ort", "place")) -> pd.DataFrame:
        """In how many distinct weeks from week_from to week_to each `by` group had a report (recurrence).
        Columns: the `by` column(s), weeks."""
        keys = (by,) if isinstance(by, str) else tuple(by)
        if not keys or any(k not in self.LB_GROUPS for k in keys):
            raise ValueError(by)
        cols = ", ".join(keys)
        return self.query(
            f"""SELECT {cols}, count(DISTINCT week_start) AS weeks
                FROM lagesbild WHERE grade > 0 AND {self._lb_filter()}
                GROUP BY {cols} ORDER BY {cols}""",
            self._lb_params(areas, orgs, cats, week_from, week_to),
        )

    def lagesbild_month_of_year(self, *, areas, orgs, cats, week_from, week_to) -> pd.DataFrame:
        """The årshjul. Columns: month (1–12), category, reports, years (distinct years with that
        month in the window), per_year (reports / years)."""
        return self.query(
            f"""WITH r AS (SELECT month(week_start + 3) AS month, year(week_start + 3) AS yr, category
                           FROM lagesbild WHERE grade > 0 AND {self._lb_filter()}),
                     span AS (SELECT month, count(DISTINCT yr) AS years FROM r GROUP BY month)
                SELECT r.month, category, count(*) AS reports, span.years,
                       count(*) / span.years AS per_year
                FROM r JOIN span USING (month) GROUP BY r.month, category, span.years
                ORDER BY r.month, category""",
            self._lb_params(areas, orgs, cats, week_from, week_to),
        )

    def lagesbild_places(self, *, areas, orgs, cats, week_from, week_to) -> pd.DataFrame:
        """Reports per place (ort-level reports at the ort's position). Columns: area, ort, plats
        (NULL for ort-level), lat, lon, approximate, reports, weighted, weeks (distinct weeks)."""
        return self.query(
            f"""SELECT l.area, l.ort, l.place AS plats,
                       coalesce(p.lat, o.lat) AS lat, coalesce(p.lon, o.lon) AS lon,
                       coalesce(p.approximate, o.approximate) AS approximate,
                       count(*) AS reports, sum(l.grade) AS weighted, count(DISTINCT l.week_start) AS weeks
                FROM lagesbild l LEFT JOIN orter o ON o.name = l.ort
                     LEFT JOIN places p ON p.ort = l.ort AND p.name = l.place
                WHERE l.grade > 0 AND l.ort IS NOT NULL AND {self._lb_filter('l')}
                GROUP BY ALL ORDER BY reports DESC, l.ort, plats""",
            self._lb_params(areas, orgs, cats, week_from, week_to),
        )

    def place_timeline(self, *, ort: str, plats: str | None, orgs, cats, week_from, week_to) -> pd.DataFrame:
        """One place's (or, with plats None, one ort's ort-level) reports. Columns: week_start, iso_year,
        iso_week, organisation, category, grade, comment (redacted)."""
        if not isinstance(plats, str):  # None, or NaN from a DataFrame row: the ort-level timeline
            plats = None
        return self.query(
            """SELECT week_start, iso_year, iso_week, organisation, category, grade, comment
               FROM lagesbild
               WHERE ort = $ort
                 -- typed, since a NULL parameter (an ort-level timeline) has no type of its own
                 AND (place = CAST($plats AS VARCHAR) OR (CAST($plats AS VARCHAR) IS NULL AND place IS NULL))
                 AND list_contains($orgs, organisation) AND list_contains($cats, category)
                 AND week_start BETWEEN $wfrom AND $wto AND grade > 0
               ORDER BY week_start, category""",
            {"ort": ort, "plats": plats, "orgs": list(orgs), "cats": list(cats), "wfrom": week_from, "wto": week_to},
        )

    def reporting_coverage(self, *, areas, orgs, week_from, week_to) -> pd.DataFrame:
        """Reporter × week: status rapporterat | vantar_pa_rattning | inget_att_rapportera | saknas.

        A submission kept in quarantine (for its place, category or grade) counts as reported, waiting
        for a correction ("vantar_pa_rattning"), never as missing.

        A reporter is expected every week from its first submission to the newest week in the store,
        so a reporter who has gone quiet shows as missing, never as calm. A reporter's area is the area
        it reports about most often. Columns: reporter, organisation, area, week_start, status."""
        return self.query(
            """WITH last AS (SELECT max(week_start) AS wk FROM coverage),
               home AS (SELECT reporter, arg_max(area, n) AS area FROM (
                           SELECT reporter, area, count(*) AS n FROM lagesbild GROUP BY ALL) GROUP BY reporter),
               span AS (SELECT reporter, any_value(organisation) AS organisation, min(week_start) AS first_wk
                        FROM coverage GROUP BY reporter),
               grid AS (SELECT span.reporter, span.organisation, w.week_start
                        FROM span, last,
                             LATERAL (SELECT unnest(generate_series(span.first_wk, last.wk, INTERVAL 7 DAY))::DATE
                                      AS week_start) w),
               got AS (SELECT reporter, week_start,
                              CASE WHEN bool_or(status = 'rapporterat') THEN 'rapporterat'
                                   WHEN bool_or(status = 'vantar_pa_rattning') THEN 'vantar_pa_rattning'
                                   ELSE 'inget_att_rapportera' END AS status
                       FROM coverage GROUP BY ALL)
            SELECT grid.reporter, grid.organisation, coalesce(home.area, '') AS area, grid.week_start,
                   coalesce(got.status, 'saknas') AS status
            FROM grid LEFT JOIN got USING (reporter, week_start) LEFT JOIN home USING (reporter)
            WHERE grid.week_start BETWEEN $wfrom AND $wto AND list_contains($orgs, grid.organisation)
              AND (home.area IS NULL OR list_contains($areas, home.area))
            ORDER BY grid.organisation, grid.reporter, grid.week_start""",
            {"areas": list(areas), "orgs": list(orgs), "wfrom": week_from, "wto": week_to},
        )

    def police_by_ort(self, *, areas, date_from, date_to) -> pd.DataFrame:
        """Police events per ort named in the summary. Columns: ort (NULL = kommun, not placed), area,
        lat, lon, events, mapped (events with an EST category)."""
        return self.query(
            """SELECT e.ort, e.area, o.lat, o.lon, count(*) AS events, count(e.category) AS mapped
               FROM police_events e LEFT JOIN orter o ON o.name = e.ort
               WHERE e.incident_at::DATE BETWEEN $dfrom AND $dto
                 AND (e.area IS NULL OR list_contains($areas, e.area))
               GROUP BY ALL ORDER BY events DESC""",
            {"areas": list(areas), "dfrom": date_from, "dto": date_to},
        )

    def police_weekly(self, *, areas, date_from, date_to) -> pd.DataFrame:
        """Columns: week_start, category (NULL = unmapped type), area, events."""
        return self.query(
            """SELECT date_trunc('week', incident_at)::DATE AS week_start, category, area, count(*) AS events
               FROM police_events WHERE incident_at::DATE BETWEEN $dfrom AND $dto
                 AND (area IS NULL OR list_contains($areas, area))
               GROUP BY ALL ORDER BY week_start""",
            {"areas": list(areas), "dfrom": date_from, "dto": date_to},
        )

    # --- surveys ----------------------------------------------------------------------------------
    def survey_value_counts(self, *, item: str, year_from: int, year_to: int, by: str = "area") -> pd.DataFrame:
        """Answers to one item per year, scale and value, split by area, age_group, gender or nothing
        ('kommun'). Columns: year, scale, group, value, label, n.

        The kommun-wide counts need no respondent column, so they are counted on survey_answers alone
        (one import writes a respondent and all of its answers, so the join would only cost time)."""
        if by not in ("area", "age_group", "gender", "kommun"):
            raise ValueError(by)
        if by == "kommun":
            counts = self.survey_items_value_counts(items=[item], year_from=year_from, year_to=year_to)
            return counts.drop(columns="item").assign(group=t("group_kommun"))[
                ["year", "scale", "group", "value", "label", "n"]]
        return self.query(
            f"""SELECT a.year, a.scale, coalesce(r.{by}, $unknown) AS "group", a.value, any_value(a.label) AS label,
                       count(*) AS n
                FROM survey_answers a JOIN survey_respondents r USING (import_id, respondent_id)
                WHERE a.item = $item AND a.year BETWEEN $yfrom AND $yto
                GROUP BY ALL ORDER BY a.year, "group", a.value""",
            {"item": item, "yfrom": year_from, "yto": year_to, "unknown": t("group_unknown")},
        )

    def survey_items_value_counts(self, *, items, year_from: int, year_to: int) -> pd.DataFrame:
        """Kommun-wide answers to several items in one scan: per item, year, scale and value. Columns:
        item, year, scale, value, label, n (what survey_value_counts(by="kommun") gives per item)."""
        return self.query(
            """SELECT item, year, scale, value, any_value(label) AS label, count(*) AS n
               FROM survey_answers WHERE list_contains($items, item) AND year BETWEEN $yfrom AND $yto
               GROUP BY ALL ORDER BY item, year, value""",
            {"items": list(items), "yfrom": year_from, "yto": year_to},
        )

    def survey_cross_counts(self, *, item: str, year: int) -> pd.DataFrame:
        """One year's answers by area × age_group × gender. Columns: area, age_group, gender, scale,
        value, n. For breakdowns that must meet the suppression threshold in every cell."""
        return self.query(
            """SELECT coalesce(r.area, $unknown) AS area, coalesce(r.age_group, $unknown) AS age_group,
                      coalesce(r.gender, $unknown) AS gender, a.scale, a.value, count(*) AS n
               FROM survey_answers a JOIN survey_respondents r USING (import_id, respondent_id)
               WHERE a.item = $item AND a.year = $year GROUP BY ALL""",
            {"item": item, "year": year, "unknown": t("group_unknown")},
        )

    def survey_items_summary(self, *, year_from: int, year_to: int) -> pd.DataFrame:
        """Columns: year, item, scale, n, mean_value (for the problem index)."""
        return self.query(
            """SELECT year, item, scale, count(*) AS n, avg(value) AS mean_value FROM survey_answers
               WHERE year BETWEEN $yfrom AND $yto GROUP BY ALL ORDER BY item, year""",
            {"yfrom": year_from, "yto": year_to},
        )

    def survey_place_mentions(self, *, year_from: int, year_to: int) -> pd.DataFrame:
        """Free-text mentions of configured places. Columns: year, ort, plats, area, lat, lon, mentions."""
        return self.query(
            """SELECT t.year, t.ort, t.place AS plats, p.area, p.lat, p.lon, count(*) AS mentions
               FROM survey_texts t JOIN places p ON p.ort = t.ort AND p.name = t.place
               WHERE t.year BETWEEN $yfrom AND $yto GROUP BY ALL ORDER BY mentions DESC""",
            {"yfrom": year_from, "yto": year_to},
        )

    def survey_number_stats(self, *, item: str, year_from: int, year_to: int) -> pd.DataFrame:
        """Numeric answers to one item per year and area, and kommun-wide (group = the kommun label).
        Columns: year, group, n, mean, sd (sample standard deviation; NULL for n = 1)."""
        return self.query(
            """WITH v AS (SELECT a.year, coalesce(r.area, $unknown) AS area, a.value
                          FROM survey_numbers a JOIN survey_respondents r USING (import_id, respondent_id)
                          WHERE a.item = $item AND a.year BETWEEN $yfrom AND $yto)
               SELECT year, $kommun AS "group", count(*) AS n, avg(value) AS mean, stddev_samp(value) AS sd
               FROM v GROUP BY year
               UNION ALL
               SELECT year, area, count(*), avg(value), stddev_samp(value) FROM v GROUP BY year, area
               ORDER BY year, "group" <> $kommun, "group"
            """,
            {"item": item, "yfrom": year_from, "yto": year_to, "unknown": t("group_unknown"),
             "kommun": t("group_kommun")},
        )

    def survey_years(self) -> list[int]:
        return [r[0] for r in self.run("SELECT DISTINCT year FROM survey_respondents ORDER BY year")]

    def traffpunkt_value_counts(self, *, item: str) -> pd.DataFrame:
        """Columns: round, area, scale, value, label, n (respondents who answered the item)."""
        return self.query(
            """SELECT a.round, r.area, a.scale, a.value, any_value(a.label) AS label, count(*) AS n
               FROM traffpunkt_answers a JOIN traffpunkt_respondents r USING (import_id, round, respondent_id)
               WHERE a.item = $item GROUP BY ALL ORDER BY a.round, r.area, a.value""",
            {"item": item},
        )

    def traffpunkt_respondents_per_area(self) -> pd.DataFrame:
        """Columns: round, area, respondents, companies."""
        return self.query(
            """SELECT round, area, count(*) AS respondents,
                      count(*) FILTER (WHERE respondent_kind ILIKE 'företag%') AS companies
               FROM traffpunkt_respondents GROUP BY ALL ORDER BY round, area"""
        )

    # --- trygghetsvandring register ------------------------------------------------------------------
    def save_walk(self, walk: dict, observations: pd.DataFrame, measures: pd.DataFrame) -> int:
        """Insert or replace one walk with its observations and measures, in one transaction.

        walk: walk_id (None for a new walk), ort, area, walk_date, status, route (JSON), participants
        (JSON), followup_date, followup_notes, import_id. observations: obs_no, place, problem, causes.
        measures: measure_id (None for new), origin, ort, place, description, owner, decision_path,
        due_date, status, completed_date. Returns the walk_id."""
        with self.transaction():
            return self._write_walk(walk, observations, measures)

    def _write_walk(self, walk: dict, observations: pd.DataFrame, measures: pd.DataFrame) -> int:
        """save_walk's body, inside the caller's transaction (also used by an imported protocol)."""
        now = datetime.now().replace(microsecond=0)
        walk_id = walk.get("walk_id") or self.scalar("SELECT nextval('walk_id_seq')")
        self.run("DELETE FROM walk_observations WHERE walk_id = ?", [walk_id])
        self.run("DELETE FROM walks WHERE walk_id = ?", [walk_id])
        self.run(
            """INSERT INTO walks (walk_id, ort, area, walk_date, status, route, participants, followup_date,
                                  followup_notes, import_id, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [walk_id, walk["ort"], walk["area"], walk["walk_date"], walk["status"], walk["route"],
             walk["participants"], walk.get("followup_date"), walk.get("followup_notes"),
             walk.get("import_id"), now],
        )
        if not observations.empty:
            obs = observations.assign(walk_id=walk_id)[["walk_id", "obs_no", "place", "problem", "causes"]]
            self.con.register("incoming_obs", obs)
            self.run("INSERT INTO walk_observations SELECT * FROM incoming_obs")
            self.con.unregister("incoming_obs")
        kept = [int(m) for m in measures.get("measure_id", pd.Series(dtype=float)).dropna()]
        self.run("DELETE FROM measures WHERE walk_id = ? AND NOT list_contains(?, measure_id)", [walk_id, kept])
        for m in measures.to_dict("records"):
            measure_id = m.get("measure_id")
            if measure_id is None or measure_id != measure_id:
                measure_id = self.scalar("SELECT nextval('measure_id_seq')")
            self._record_status(int(measure_id), m["status"], now)
            self.run("DELETE FROM measures WHERE measure_id = ?", [int(measure_id)])
            self.run(
                """INSERT INTO measures (measure_id, walk_id, origin, ort, place, description, owner,
                                         decision_path, due_date, status, completed_date, updated_at, area)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT area FROM orter WHERE name = ?))""",
                [int(measure_id), walk_id, m.get("origin") or "trygghetsvandring", m["ort"], m.get("place"),
                 m["description"], m["owner"], m["decision_path"], m.get("due_date"), m["status"],
                 m.get("completed_date"), now, m["ort"]],
            )
        return int(walk_id)

    def _record_status(self, measure_id: int, status: str, when: datetime, note: str | None = None) -> None:
        """Append to a measure's status history when its status is new or changed."""
        current = self.run("SELECT status FROM measures WHERE measure_id = ?", [measure_id])
        if not current or current[0][0] != status:
            self.run("INSERT INTO measure_history VALUES (?, ?, ?, ?)", [measure_id, when, status, note])

    # --- analysgrupp: proposals and meetings ----------------------------------------------------------
    def save_proposal(self, p: dict) -> int:
        """Insert or update one proposal in the measures register (origin analysgrupp, traffpunkt or
        trygghetsvandring), keeping its status history. p: measure_id (None = new), origin, area, ort,
        place, category, description, evidence (JSON), owner, decision_path, decision_date, outcome,
        due_date, status, completed_date, meeting_id, walk_id. Returns the measure_id."""
        now = datetime.now().replace(microsecond=0)
        with self.transaction():
            measure_id = p.get("measure_id") or self.scalar("SELECT nextval('measure_id_seq')")
            self._record_status(int(measure_id), p["status"], now, p.get("history_note"))
            self.run("DELETE FROM measures WHERE measure_id = ?", [measure_id])
            self.run(
                """INSERT INTO measures (measure_id, walk_id, origin, ort, place, description, owner, decision_path,
                                         due_date, status, completed_date, updated_at, area, category, evidence,
                                         decision_date, outcome, meeting_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [measure_id, p.get("walk_id"), p["origin"], p.get("ort") or "", p.get("place"), p["description"],
                 p["owner"], p["decision_path"], p.get("due_date"), p["status"], p.get("completed_date"), now,
                 p.get("area"), p.get("category"), p.get("evidence") or "[]", p.get("decision_date"),
                 p.get("outcome"), p.get("meeting_id")],
            )
        return int(measure_id)

    def measure_history(self, measure_id: int | None = None) -> pd.DataFrame:
        """Columns: measure_id, changed_at, status, note (oldest first)."""
        if measure_id is None:
            return self.query("SELECT * FROM measure_history ORDER BY measure_id, changed_at")
        return self.query("SELECT * FROM measure_history WHERE measure_id = ? ORDER BY changed_at", [measure_id])

    def save_meeting(self, m: dict) -> int:
        """Store a meeting record with its frozen snapshot. m: meeting_date, period_from, period_to,
        organisations (JSON), notes, snapshot (JSON). Returns the meeting_id."""
        with self.transaction():
            meeting_id = self.scalar("SELECT nextval('meeting_id_seq')")
            self.run("INSERT INTO meetings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [meeting_id, m["meeting_date"], m["period_from"], m["period_to"], m["organisations"],
                      m.get("notes"), m["snapshot"], datetime.now().replace(microsecond=0)])
        return int(meeting_id)

    def meetings(self) -> pd.DataFrame:
        """Columns: meeting_id, meeting_date, period_from, period_to, organisations, notes, snapshot, created_at."""
        return self.query("SELECT * FROM meetings ORDER BY meeting_date DESC, meeting_id DESC")

    def lagesbild_by_organisation(self, *, areas, orgs, cats, week_from, week_to) -> pd.DataFrame:
        """Columns: organisation, area, category, reports (grade > 0), weighted."""
        return self.query(
            f"""SELECT organisation, area, category, count(*) AS reports, sum(grade) AS weighted
                FROM lagesbild WHERE grade > 0 AND {self._lb_filter()} GROUP BY ALL
                ORDER BY organisation, area, category""",
            self._lb_params(areas, orgs, cats, week_from, week_to),
        )

    def walks(self) -> pd.DataFrame:
        """Columns: walk_id, ort, area, walk_date, status, route, participants, followup_date,
        followup_notes, observations, measures, measures_done."""
        return self.query(
            """SELECT w.*, (SELECT count(*) FROM walk_observations o WHERE o.walk_id = w.walk_id) AS observations,
                      (SELECT count(*) FROM measures m WHERE m.walk_id = w.walk_id) AS measures,
                      (SELECT count(*) FROM measures m WHERE m.walk_id = w.walk_id AND m.status = 'klar')
                          AS measures_done
               FROM walks w ORDER BY walk_date DESC, walk_id DESC"""
        )

    def walk(self, walk_id: int) -> tuple[dict, pd.DataFrame, pd.DataFrame] | None:
        """One walk: (walk row as dict, observations, measures), or None."""
        w = self.query("SELECT * FROM walks WHERE walk_id = ?", [walk_id])
        if w.empty:
            return None
        obs = self.query("SELECT * FROM walk_observations WHERE walk_id = ? ORDER BY obs_no", [walk_id])
        measures = self.query("SELECT * FROM measures WHERE walk_id = ? ORDER BY measure_id", [walk_id])
        return w.iloc[0].to_dict(), obs, measures

    def delete_walk(self, walk_id: int) -> None:
        with self.transaction():
            self.run("DELETE FROM measures WHERE walk_id = ?", [walk_id])
            self.run("DELETE FROM walk_observations WHERE walk_id = ?", [walk_id])
            self.run("DELETE FROM walks WHERE walk_id = ?", [walk_id])

    def all_measures(self) -> pd.DataFrame:
        """Every measure (the proposals register) with its walk's date. Columns: measures.* plus walk_date."""
        return self.query(
            """SELECT m.*, w.walk_date FROM measures m LEFT JOIN walks w USING (walk_id)
               ORDER BY m.status = 'klar', m.due_date NULLS LAST, m.measure_id"""
        )

    def last_walks(self) -> pd.DataFrame:
        """The latest completed walk per ort. Columns: ort, area, last_walk (date)."""
        return self.query(
            """SELECT ort, any_value(area) AS area, max(walk_date) AS last_walk FROM walks
               WHERE status = 'genomförd' GROUP BY ort"""
        )

    def planned_walks(self, *, from_date) -> pd.DataFrame:
        """The next planned walk per ort on or after `from_date`. Columns: ort, planned_walk (date)."""
        return self.query(
            """SELECT ort, min(walk_date) AS planned_walk FROM walks
               WHERE status = 'planerad' AND walk_date >= ? GROUP BY ort""",
            [from_date],
        )

    def observed_causes(self) -> pd.DataFrame:
        """Checklist causes recorded on walks, per place. Columns: ort, place, causes (JSON list), walk_date."""
        return self.query(
            """SELECT w.ort, o.place, o.causes, w.walk_date FROM walk_observations o JOIN walks w USING (walk_id)"""
        )

    def place_vs_rest_counts(self, *, ort: str, place: str, cats, before_from, before_to, after_from,
                             after_to) -> dict:
        """Reports at a place and in the rest of its ort, before and after (inclusive week ranges).
        Returns {place_before, place_after, rest_before, rest_after}."""
        rows = self.run(
            """SELECT
                 count(*) FILTER (WHERE place = $place AND week_start BETWEEN $bf AND $bt),
                 count(*) FILTER (WHERE place = $place AND week_start BETWEEN $af AND $at),
                 count(*) FILTER (WHERE place IS DISTINCT FROM $place AND week_start BETWEEN $bf AND $bt),
                 count(*) FILTER (WHERE place IS DISTINCT FROM $place AND week_start BETWEEN $af AND $at)
               FROM lagesbild WHERE ort = $ort AND grade > 0 AND list_contains($cats, category)""",
            {"ort": ort, "place": place, "cats": list(cats), "bf": before_from, "bt": before_to, "af": after_from,
             "at": after_to},
        )
        a, b, c, d = rows[0]
        return {"place_before": a, "place_after": b, "rest_before": c, "rest_after": d}

    def years_present(self) -> list[int]:
        """Every year any source has data for."""
        return [r[0] for r in self.run(
            """SELECT DISTINCT y FROM (
                   SELECT iso_year AS y FROM lagesbild UNION SELECT year FROM survey_respondents
                   UNION SELECT year FROM traffpunkt_respondents UNION SELECT year(incident_at) FROM police_events)
               WHERE y IS NOT NULL ORDER BY y""")]

    def survey_years_present(self) -> list[int]:
        """The years the trygghetsundersökning or Träffpunkt has answers for (the sidebar's survey years)."""
        return [r[0] for r in self.run(
            """SELECT DISTINCT y FROM (SELECT year AS y FROM survey_respondents
                                       UNION SELECT year FROM traffpunkt_respondents)
               WHERE y IS NOT NULL ORDER BY y""")]

    def places_reference(self) -> pd.DataFrame:
        """Configured places with area. Columns: ort, name, area, lat, lon, approximate, physical."""
        return self.query("SELECT ort, name, area, lat, lon, approximate, physical FROM places ORDER BY ort, name")

    def orter_reference(self) -> pd.DataFrame:
        return self.query("SELECT name, area, lat, lon, population, approximate FROM orter ORDER BY name")


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


class Snapshot:
    """The database file as it was when opened, read-only, shared by the app's threads.

    The app used to open a new read-only connection for every question (~13 ms each, and every
    question started with an empty buffer pool). Writers never change the file in place — they
    replace it (tsk.backup.atomic_write) — so an open snapshot stays consistent and never blocks an
    import; the app opens a new one when the file's inode or mtime changes.

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
    con = duckdb.connect(":memory:")
    literal = str(path).replace("'", "''")
    try:
        con.execute(f"ATTACH '{literal}' AS tsk (READ_ONLY)")
        con.execute("USE tsk")
    except duckdb.IOException as e:
        con.close()
        raise TskError("db_unavailable", path=path, detail=str(e).splitlines()[0]) from None
    except duckdb.Error as e:
        con.close()
        raise TskError("db_broken", path=path, detail=str(e).splitlines()[0]) from None
    return Snapshot(con, path)
