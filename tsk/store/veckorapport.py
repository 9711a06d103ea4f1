"""The weekly report written in the app: its versions (app_reports), the rows of one unit and week from
either source, and taking a version's rows out when it is changed or removed."""
from __future__ import annotations

from datetime import datetime

import pandas as pd


class VeckorapportMixin:
    """In-app weekly reports (part of tsk.store.Store)."""

    def app_report(self, report_id: str) -> dict | None:
        """The current (latest) version of a submission, or None."""
        frame = self.query(
            """SELECT * FROM app_reports WHERE report_id = ? ORDER BY version DESC LIMIT 1""", [report_id])
        return None if frame.empty else frame.iloc[0].to_dict()

    def app_report_history(self, report_id: str) -> pd.DataFrame:
        """Every version of a submission, oldest first: who wrote it, when, and what it said."""
        return self.query(
            """SELECT version, status, content, actor, changed_at FROM app_reports
               WHERE report_id = ? ORDER BY version""", [report_id])

    def app_reports_of(self, units: list[str], since: tuple[int, int]) -> pd.DataFrame:
        """The current version of the units' submissions from week `since` (year, week) on, newest
        first; removed ones included (status borttagen) so the list can say so."""
        if not units:
            return pd.DataFrame(columns=["report_id", "version", "reporter", "organisation", "iso_year", "iso_week",
                                         "status", "content", "actor", "changed_at", "versions"])
        return self.query(
            """WITH latest AS (
                   SELECT *, count(*) OVER (PARTITION BY report_id) AS versions,
                          row_number() OVER (PARTITION BY report_id ORDER BY version DESC) AS rn
                   FROM app_reports WHERE list_contains(?, reporter)
                     AND iso_year * 100 + iso_week >= ?)
               SELECT * EXCLUDE (rn) FROM latest WHERE rn = 1
               ORDER BY iso_year DESC, iso_week DESC, reporter, changed_at DESC""",
            [list(units), since[0] * 100 + since[1]])

    def unit_week_reports(self, unit: str, iso_year: int, iso_week: int) -> pd.DataFrame:
        """What the store holds of one unit's week, from either source: one row per submission (report_id,
        ort, place, place_text, status, in_app)."""
        return self.query(
            """WITH app AS (SELECT DISTINCT import_id FROM app_reports)
               SELECT DISTINCT l.report_id, l.ort, l.place, l.place_text, 'rapporterat' AS status,
                      l.import_id IN (SELECT import_id FROM app) AS in_app
               FROM lagesbild l WHERE l.reporter = ? AND l.iso_year = ? AND l.iso_week = ?
               UNION ALL
               SELECT DISTINCT CAST(c.import_id AS VARCHAR), NULL, NULL, NULL, c.status,
                      c.import_id IN (SELECT import_id FROM app)
               FROM coverage c WHERE c.reporter = ? AND c.iso_year = ? AND c.iso_week = ?
                 AND c.status = 'inget_att_rapportera'""",
            [unit, iso_year, iso_week, unit, iso_year, iso_week])

    def app_report_places(self) -> pd.DataFrame:
        """(reporter, iso_year, iso_week, ort, place, place_text) of the current in-app reports: an
        imported report of the same unit, week and place is a double (tsk.ingest.dedup)."""
        return self.query(
            """SELECT DISTINCT l.reporter, l.iso_year, l.iso_week, l.ort, l.place, l.place_text
               FROM lagesbild l JOIN app_reports a ON a.import_id = l.import_id""")

    def delete_import_rows(self, import_id: int) -> None:
        """Take the lägesbild and coverage rows of one import (an in-app report's version) out."""
        self.run("DELETE FROM lagesbild WHERE import_id = ?", [import_id])
        self.run("DELETE FROM coverage WHERE import_id = ?", [import_id])

    def log_app_report(self, *, file_name: str, sha256: str, mapping_text: str, actor: str, removed: bool) -> int:
        """An imports line for a version that writes no rows (a removal); returns its import_id."""
        import_id = self.scalar("SELECT nextval('import_id_seq')")
        self._log(import_id, "lagesbild", file_name, sha256, "veckorapport (appen)", 0, 0, 0,
                  ["borttagen i appen"] if removed else [], mapping_text, actor)
        return import_id

    def save_app_report_version(self, *, report_id: str, version: int, import_id: int, reporter: str,
                                organisation: str, iso_year: int, iso_week: int, status: str, content: str,
                                actor: str) -> None:
        self.run(
            """INSERT INTO app_reports (report_id, version, import_id, reporter, organisation, iso_year, iso_week,
                                        status, content, actor, changed_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [report_id, version, import_id, reporter, organisation, iso_year, iso_week, status, content, actor,
             datetime.now().replace(microsecond=0)])
