"""The schema: versioned migrations (never edit a released one: add the next), the tables importers may
write to, and the mixin that migrates a store and syncs its reference tables (areas, orter, places,
organisations, kommun) from the configuration."""
from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from tsk.config import KommunConfig
from tsk.errors import TskError

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
MIGRATIONS.append((
    8,
    """
    -- The weekly report written in the app (page Veckorapport): one row per version of a submission.
    -- The current version's lägesbild and coverage rows carry its import_id (source 'lagesbild', an
    -- imports line of its own), so every view counts in-app and imported reports alike; an edit
    -- replaces those rows and adds a version, so the history says who changed what and when.
    CREATE TABLE app_reports (
        report_id VARCHAR NOT NULL,          -- the submission; lagesbild.report_id of its rows
        version INTEGER NOT NULL,            -- 1 when submitted, +1 per change
        import_id INTEGER NOT NULL,          -- this version's imports line
        reporter VARCHAR NOT NULL,           -- the reporting unit (never a person)
        organisation VARCHAR NOT NULL,
        iso_year INTEGER NOT NULL,
        iso_week INTEGER NOT NULL,
        status VARCHAR NOT NULL,             -- rapporterat | inget_att_rapportera | borttagen
        content VARCHAR NOT NULL,            -- JSON: ort, place, place_text, grades, comment (redacted)
        actor VARCHAR NOT NULL,              -- who wrote this version (the signed-in address)
        changed_at TIMESTAMP NOT NULL,
        PRIMARY KEY (report_id, version)
    );
    """,
))
MIGRATIONS.append((
    9,
    """
    -- Two light registers beside the walk register (issue 18): Träffpunkt's steps 2–4 (dialogue with
    -- tjänstepersoner, with politicians, the follow-up) per area and round, and the Samhällskris wheel's
    -- robustness meetings per ort. Participants are counts by kind, never names; free text is redacted.
    -- Their follow-ups are measures (origin traffpunkt | samhallskris) pointing here by dialog_id, so
    -- they share the proposals register's owner, status and status history. Every write of a record
    -- adds a row to dialog_history with the record as written.
    CREATE SEQUENCE dialog_id_seq START 1;  -- shared: a dialog_id names one record of either register
    CREATE TABLE traffpunkt_steps (
        dialog_id INTEGER PRIMARY KEY,
        area VARCHAR NOT NULL,               -- a configured Träffpunkt area
        round VARCHAR NOT NULL,              -- the round (its year), as traffpunkt_respondents.round
        step INTEGER NOT NULL,               -- 2 tjänstepersoner | 3 politiken | 4 uppföljning
        meeting_date DATE NOT NULL,
        participants VARCHAR NOT NULL,       -- JSON object kind -> number of people (never names)
        questions VARCHAR NOT NULL,          -- JSON list of {category, ort, place}: EST keys and places
        notes VARCHAR,                       -- redacted
        updated_at TIMESTAMP NOT NULL
    );
    CREATE TABLE samhallskris_meetings (
        dialog_id INTEGER PRIMARY KEY,
        ort VARCHAR NOT NULL,                -- a configured ort
        meeting_date DATE NOT NULL,
        participants VARCHAR NOT NULL,       -- JSON object kind -> number of people (never names)
        topics VARCHAR NOT NULL,             -- JSON list of short topics (redacted)
        notes VARCHAR,                       -- redacted
        updated_at TIMESTAMP NOT NULL
    );
    CREATE TABLE dialog_history (
        register VARCHAR NOT NULL,           -- traffpunkt_steps | samhallskris_meetings
        dialog_id INTEGER NOT NULL,
        changed_at TIMESTAMP NOT NULL,
        action VARCHAR NOT NULL,             -- created | changed | deleted
        content VARCHAR NOT NULL,            -- JSON: the record (and its follow-ups' ids) as written
        actor VARCHAR                        -- who wrote it (the signed-in address), when known
    );
    ALTER TABLE measures ADD COLUMN dialog_id INTEGER;  -- the step or robustness meeting of a follow-up
    """,
))
MIGRATIONS.append((
    10,
    """
    -- Places as real points (issue 19): the position of a place (configured, or created in review or by
    -- this import) from the kommun's own GIS layer (source 'places'). It overrides the configured or
    -- approximate position in `places` on every sync, and the place is no longer approximate.
    CREATE TABLE place_positions (
        ort VARCHAR NOT NULL,
        name VARCHAR NOT NULL,               -- the place's canonical name in the ort
        lat DOUBLE NOT NULL, lon DOUBLE NOT NULL,  -- WGS84
        import_id INTEGER NOT NULL,          -- the import that gave the position (the newest wins)
        PRIMARY KEY (ort, name)
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


class SchemaMixin:
    """Schema version, migrations and the reference tables synced from config (part of tsk.store.Store)."""

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

        Area geometry is kept: it comes from the areas importer, not from config. Place positions
        imported from the kommun's GIS layer (place_positions) are kept too and override the configured
        ones (tsk.store.places).
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
            self.apply_place_positions()  # stored positions win over the configured ones
