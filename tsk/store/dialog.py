"""The two light registers of issue 18: Träffpunkt's dialogue steps 2–4 (traffpunkt_steps) and the
Samhällskris robustness meetings (samhallskris_meetings). Their follow-ups are rows of the measures
register (origin traffpunkt / samhallskris, linked by dialog_id) with the usual status history; every
write of a record adds a dialog_history row with the record as written. Rows come checked and redacted
from tsk.registers.dialog."""
from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from tsk.registers.statuses import MEASURE_DONE

STEPS_TABLE = "traffpunkt_steps"
KRIS_TABLE = "samhallskris_meetings"
_COLUMNS = {
    STEPS_TABLE: ("area", "round", "step", "meeting_date", "participants", "questions", "notes"),
    KRIS_TABLE: ("ort", "meeting_date", "participants", "topics", "notes"),
}


_JSON_COLUMNS = {"participants", "questions", "topics"}


class DialogMixin:
    """Träffpunkt steps 2–4 and Samhällskris meetings with their follow-ups (part of tsk.store.Store)."""

    def save_traffpunkt_step(self, row: dict, followups: list[dict], *, actor: str | None = None) -> int:
        """Insert or replace one step (row: dialog_id None = new, area, round, step, meeting_date,
        participants, questions, notes) with its follow-ups (measures rows, origin traffpunkt), in one
        transaction. Returns the dialog_id."""
        return self._save_dialog(STEPS_TABLE, "traffpunkt", row, followups, actor)

    def save_samhallskris_meeting(self, row: dict, followups: list[dict], *, actor: str | None = None) -> int:
        """Insert or replace one robustness meeting (row: dialog_id None = new, ort, meeting_date,
        participants, topics, notes) with its follow-ups (origin samhallskris). Returns the dialog_id."""
        return self._save_dialog(KRIS_TABLE, "samhallskris", row, followups, actor)

    def _save_dialog(self, table: str, origin: str, row: dict, followups: list[dict], actor: str | None) -> int:
        now = datetime.now().replace(microsecond=0)
        columns = _COLUMNS[table]
        with self.transaction():
            dialog_id = row.get("dialog_id")
            existed = bool(dialog_id) and bool(self.scalar(f"SELECT count(*) FROM {table} WHERE dialog_id = ?",
                                                           [dialog_id]))
            dialog_id = int(dialog_id or self.scalar("SELECT nextval('dialog_id_seq')"))
            self.run(f"DELETE FROM {table} WHERE dialog_id = ?", [dialog_id])
            self.run(f"INSERT INTO {table} (dialog_id, {', '.join(columns)}, updated_at) "
                     f"VALUES (?, {', '.join('?' for _ in columns)}, ?)",
                     [dialog_id, *(row.get(c) for c in columns), now])
            ids = self._write_followups(origin, dialog_id, followups, now)
            content = {**{c: _plain(c, row.get(c)) for c in columns}, "followups": ids}
            self.run("INSERT INTO dialog_history VALUES (?, ?, ?, ?, ?, ?)",
                     [table, dialog_id, now, "changed" if existed else "created",
                      json.dumps(content, ensure_ascii=False, default=str), actor])
        return dialog_id

    def _write_followups(self, origin: str, dialog_id: int, followups: list[dict], now: datetime) -> list[int]:
        """Replace a record's follow-ups in the measures register; ids kept keep their status history."""
        kept = [int(f["measure_id"]) for f in followups if f.get("measure_id")]
        self.run("DELETE FROM measures WHERE dialog_id = ? AND origin = ? AND NOT list_contains(?, measure_id)",
                 [dialog_id, origin, kept])
        ids = []
        for f in followups:
            measure_id = int(f.get("measure_id") or self.scalar("SELECT nextval('measure_id_seq')"))
            self._record_status(measure_id, f["status"], now)
            self.run("DELETE FROM measures WHERE measure_id = ?", [measure_id])
            self.run(
                """INSERT INTO measures (measure_id, origin, ort, place, description, owner, decision_path, due_date,
                                         status, completed_date, updated_at, area, evidence, dialog_id)
                   VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)""",
                [measure_id, origin, f.get("ort") or "", f["description"], f["owner"], f["decision_path"],
                 f.get("due_date"), f["status"], f.get("completed_date"), now, f.get("area"), dialog_id])
            ids.append(measure_id)
        return ids

    def delete_dialog(self, table: str, dialog_id: int, *, actor: str | None = None) -> None:
        """Remove a step or meeting and its follow-ups; the history keeps a «deleted» row."""
        origin = "traffpunkt" if table == STEPS_TABLE else "samhallskris"
        with self.transaction():
            self.run("DELETE FROM measures WHERE dialog_id = ? AND origin = ?", [dialog_id, origin])
            self.run(f"DELETE FROM {_checked(table)} WHERE dialog_id = ?", [dialog_id])
            self.run("INSERT INTO dialog_history VALUES (?, ?, ?, 'deleted', '{}', ?)",
                     [table, dialog_id, datetime.now().replace(microsecond=0), actor])

    # --- reads -------------------------------------------------------------------------------------------
    def traffpunkt_steps(self) -> pd.DataFrame:
        """Columns: dialog_id, area, round, step, meeting_date, participants, questions, notes, updated_at,
        followups, followups_done (newest round first, then area and step)."""
        return self._dialog_rows(STEPS_TABLE, "traffpunkt", "round DESC, area, step, meeting_date")

    def samhallskris_meetings(self) -> pd.DataFrame:
        """Columns: dialog_id, ort, meeting_date, participants, topics, notes, updated_at, followups,
        followups_done (per ort, newest first)."""
        return self._dialog_rows(KRIS_TABLE, "samhallskris", "ort, meeting_date DESC")

    def _dialog_rows(self, table: str, origin: str, order: str) -> pd.DataFrame:
        return self.query(
            f"""SELECT r.*, (SELECT count(*) FROM measures m WHERE m.dialog_id = r.dialog_id AND m.origin = ?)
                            AS followups,
                        (SELECT count(*) FROM measures m WHERE m.dialog_id = r.dialog_id AND m.origin = ?
                            AND m.status = ?) AS followups_done
                FROM {_checked(table)} r ORDER BY {order}, dialog_id""",
            [origin, origin, MEASURE_DONE])

    def dialog_followups(self, origin: str) -> pd.DataFrame:
        """The follow-ups of one register (origin traffpunkt or samhallskris): measures rows with a dialog_id."""
        return self.query("SELECT * FROM measures WHERE origin = ? AND dialog_id IS NOT NULL "
                          "ORDER BY dialog_id, measure_id", [origin])

    def dialog_history(self, table: str | None = None, dialog_id: int | None = None) -> pd.DataFrame:
        """Columns: register, dialog_id, changed_at, action, content, actor (oldest first)."""
        return self.query(
            """SELECT * FROM dialog_history WHERE ($t IS NULL OR register = $t) AND ($d IS NULL OR dialog_id = $d)
               ORDER BY changed_at, dialog_id""", {"t": table, "d": dialog_id})


def _plain(column: str, value):
    """A value for the history's JSON: the JSON columns as their structure, not as quoted text."""
    return json.loads(value) if column in _JSON_COLUMNS and isinstance(value, str) else value


def _checked(table: str) -> str:
    if table not in _COLUMNS:
        raise ValueError(table)
    return table
