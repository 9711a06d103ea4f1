"""The registers' writes and reads: trygghetsvandringar (walks, observations, their measures), the
proposals register (measures of every origin, with status history) and the analysgrupp's meetings."""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from tsk.registers.statuses import MEASURE_DONE, WALK_DONE, WALK_PLANNED


class RegistersMixin:
    """Walks, measures/proposals with history, meetings (part of tsk.store.Store)."""

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

    # --- register reads ------------------------------------------------------------------------------
    def walks(self) -> pd.DataFrame:
        """Columns: walk_id, ort, area, walk_date, status, route, participants, followup_date,
        followup_notes, observations, measures, measures_done."""
        return self.query(
            """SELECT w.*, (SELECT count(*) FROM walk_observations o WHERE o.walk_id = w.walk_id) AS observations,
                      (SELECT count(*) FROM measures m WHERE m.walk_id = w.walk_id) AS measures,
                      (SELECT count(*) FROM measures m WHERE m.walk_id = w.walk_id AND m.status = ?)
                          AS measures_done
               FROM walks w ORDER BY walk_date DESC, walk_id DESC""",
            [MEASURE_DONE],
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
               ORDER BY m.status = ?, m.due_date NULLS LAST, m.measure_id""",
            [MEASURE_DONE],
        )

    def last_walks(self) -> pd.DataFrame:
        """The latest completed walk per ort. Columns: ort, area, last_walk (date)."""
        return self.query(
            """SELECT ort, any_value(area) AS area, max(walk_date) AS last_walk FROM walks
               WHERE status = ? GROUP BY ort""",
            [WALK_DONE],
        )

    def planned_walks(self, *, from_date) -> pd.DataFrame:
        """The next planned walk per ort on or after `from_date`. Columns: ort, planned_walk (date)."""
        return self.query(
            """SELECT ort, min(walk_date) AS planned_walk FROM walks
               WHERE status = ? AND walk_date >= ? GROUP BY ort""",
            [WALK_PLANNED, from_date],
        )

    def observed_causes(self) -> pd.DataFrame:
        """Checklist causes recorded on walks, per place. Columns: ort, place, causes (JSON list), walk_date."""
        return self.query(
            """SELECT w.ort, o.place, o.causes, w.walk_date FROM walk_observations o JOIN walks w USING (walk_id)"""
        )
