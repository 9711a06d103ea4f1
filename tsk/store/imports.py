"""The import log and everything an import writes or checks: finding an earlier import of the same file,
the multiset comparison that leaves out rows already stored, the one all-or-nothing write per import,
the quarantine and its corrections, and the review of new names (decisions, created places, free-typed
places placed afterwards, survey texts tied to the places they name)."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from tsk.store.schema import WRITABLE


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


class ImportsMixin:
    """Import log, dedup, the write of one import, quarantine and review decisions (part of tsk.store.Store)."""

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

    def place_rows(self, *, texts: list[str], ort: str, area: str, place: str, import_id: int | None) -> int:
        """Give the unplaced rows whose written place is one of `texts`, in `ort` (or at the level of its
        `area` without an ort), the place `place` (None: only the ort, the name kept at ort level); the
        decision's log line counts them (import_id None: the caller's log line says it). Returns the count."""
        where = """place IS NULL AND list_contains($texts, place_text)
                   AND (ort = $ort OR (ort IS NULL AND area = $area))"""
        params = {"texts": list(texts) or ["\x00"], "ort": ort, "area": area}
        n = self.scalar(f"SELECT count(*) FROM lagesbild WHERE {where}", params)
        self.run(f"UPDATE lagesbild SET place = CAST($place AS VARCHAR), ort = $ort WHERE {where}",
                 params | {"place": place})
        if import_id is not None:
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

    def log_review_line(self, *, summary: str, actor: str, notes: list[str]) -> int:
        """An import log line (source «granskning») for a review action that imports nothing, such as
        confirming doubles; returns its import_id (joins the caller's transaction)."""
        import_id = self.scalar("SELECT nextval('import_id_seq')")
        self._log(import_id, "granskning", summary, uuid.uuid4().hex, None, 0, 0, 0, notes, None, actor)
        return int(import_id)

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

    # --- the import log and the quarantine ---------------------------------------------------------
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

    # --- one unit and week from both sources: the app and the form tool (issue 17) -----------------------
    def app_unit_weeks(self) -> pd.DataFrame:
        """(reporter, iso_year, iso_week, status) of the current in-app reports: status rapporterat or
        inget_att_rapportera (a removed report has no rows). An imported report of such a unit-week may
        be a double (tsk.ingest.dedup)."""
        return self.query(
            """SELECT DISTINCT c.reporter, c.iso_year, c.iso_week, c.status
               FROM coverage c WHERE c.import_id IN (SELECT import_id FROM app_reports)""")

    def quarantine_values(self, keys: list[str]) -> pd.DataFrame:
        """Quarantine rows of these reason keys counted per key and value, open and resolved alike.
        Columns: reason_key, reason_value, rows, open (rows still waiting)."""
        return self.query(
            """SELECT reason_key, reason_value, count(*) AS rows, count(*) FILTER (WHERE resolved_by IS NULL) AS open
               FROM quarantine WHERE list_contains(?, reason_key) AND reason_value IS NOT NULL
               GROUP BY ALL ORDER BY reason_key, reason_value""", [list(keys) or ["\x00"]])

    def unit_week_sources(self, week_from) -> pd.DataFrame:
        """Submissions per unit and week from the Monday `week_from` on, by source: in_app (written in
        the app) and imported (from files); a submission is a report (all its category rows) or an
        «inget att rapportera». Columns: reporter, iso_year, iso_week, week_start, in_app, imported."""
        return self.query(
            """WITH app AS (SELECT DISTINCT import_id FROM app_reports),
               subs AS (
                   SELECT DISTINCT reporter, iso_year, iso_week, week_start, import_id, report_id AS sub
                   FROM lagesbild WHERE week_start >= ?
                   UNION
                   SELECT DISTINCT reporter, iso_year, iso_week, week_start, import_id, 'inget' AS sub
                   FROM coverage WHERE week_start >= ? AND status = 'inget_att_rapportera')
               SELECT reporter, iso_year, iso_week, week_start,
                      count(*) FILTER (WHERE import_id IN (SELECT import_id FROM app)) AS in_app,
                      count(*) FILTER (WHERE import_id NOT IN (SELECT import_id FROM app)) AS imported
               FROM subs GROUP BY ALL ORDER BY reporter, week_start""", [week_from, week_from])

    def unit_reports(self, unit: str, week_from, week_to) -> pd.DataFrame:
        """One unit's reports from week_from to week_to (Mondays, inclusive), either source, without
        comments: iso_year, iso_week, week_start, ort, place, place_text, category, grade, in_app;
        and its «inget att rapportera» weeks as rows with category NULL."""
        return self.query(
            """WITH app AS (SELECT DISTINCT import_id FROM app_reports)
               SELECT iso_year, iso_week, week_start, ort, place, place_text, category, grade,
                      import_id IN (SELECT import_id FROM app) AS in_app
               FROM lagesbild WHERE reporter = $unit AND week_start BETWEEN $wfrom AND $wto
               UNION ALL
               SELECT DISTINCT iso_year, iso_week, week_start, NULL, NULL, NULL, NULL, NULL,
                      import_id IN (SELECT import_id FROM app)
               FROM coverage WHERE reporter = $unit AND week_start BETWEEN $wfrom AND $wto
                 AND status = 'inget_att_rapportera'
               ORDER BY week_start, ort NULLS LAST, place NULLS FIRST, place_text NULLS FIRST, category""",
            {"unit": unit, "wfrom": week_from, "wto": week_to})

    def quarantined_cells(self, keys: list[str]) -> pd.DataFrame:
        """The distinct (reason_value, original_row) of quarantine rows of these reason keys, open and
        resolved: a later export bringing the same rows again is recognised (tsk.ingest.dedup)."""
        return self.query(
            """SELECT DISTINCT reason_value, original_row FROM quarantine
               WHERE list_contains(?, reason_key) AND reason_value IS NOT NULL""", [list(keys) or ["\x00"]])
