"""The TSK årshjul's evidence: what the store holds of each routine item in a year (the survey imported,
the Träffpunkt rounds per area, the walks in an area, the analysgrupp meetings). The states are derived
from these in tsk.pagedata.arshjul."""
from __future__ import annotations

import pandas as pd

from tsk.registers.statuses import WALK_DONE, WALK_PLANNED


class ArshjulQueries:
    """Evidence for the årshjul (part of tsk.store.Store)."""

    def arshjul_survey(self, *, year: int) -> pd.DataFrame:
        """The survey of `year`, if imported. Columns: respondents, first, last (answer dates; NaT when the
        export has no timestamps). One row, respondents 0 when nothing is imported."""
        return self.query(
            """SELECT count(*) AS respondents, CAST(min(submitted_at) AS DATE) AS first,
                      CAST(max(submitted_at) AS DATE) AS last
               FROM survey_respondents WHERE year = $year""",
            {"year": int(year)},
        )

    def arshjul_traffpunkt(self, *, year: int) -> pd.DataFrame:
        """The Träffpunkt rounds of `year` per area. Columns: round, area, respondents, first, last."""
        return self.query(
            """SELECT round, area, count(*) AS respondents, CAST(min(submitted_at) AS DATE) AS first,
                      CAST(max(submitted_at) AS DATE) AS last
               FROM traffpunkt_respondents WHERE year = $year GROUP BY ALL ORDER BY round, area""",
            {"year": int(year)},
        )

    def arshjul_walks(self, *, areas: tuple[str, ...], year: int) -> pd.DataFrame:
        """Walks held or planned in `areas` in `year` (cancelled ones are not evidence). Columns: walk_id,
        ort, area, walk_date, status; held walks first, then by date."""
        if not areas:
            return pd.DataFrame(columns=["walk_id", "ort", "area", "walk_date", "status"])
        return self.query(
            """SELECT walk_id, ort, area, walk_date, status FROM walks
               WHERE area IN (SELECT unnest($areas)) AND year(walk_date) = $year AND status IN ($done, $planned)
               ORDER BY status = $done DESC, walk_date, walk_id""",
            {"areas": list(areas), "year": int(year), "done": WALK_DONE, "planned": WALK_PLANNED},
        )

    def arshjul_meetings(self, *, year: int) -> pd.DataFrame:
        """The analysgrupp meetings recorded in `year`. Columns: meeting_id, meeting_date."""
        return self.query(
            """SELECT meeting_id, meeting_date FROM meetings WHERE year(meeting_date) = $year
               ORDER BY meeting_date, meeting_id""",
            {"year": int(year)},
        )

    def arshjul_steps(self, *, year: int) -> pd.DataFrame:
        """The Träffpunkt dialogue steps registered for `year`'s round (a round «2026» or «2026 höst»).
        Columns: area, step, meeting_date."""
        return self.query(
            """SELECT area, step, meeting_date FROM traffpunkt_steps
               WHERE TRY_CAST(left(trim(round), 4) AS INTEGER) = $year ORDER BY meeting_date, dialog_id""",
            {"year": int(year)},
        )

    def arshjul_kris(self, *, year: int) -> pd.DataFrame:
        """The Samhällskris robustness meetings held in `year`. Columns: ort, meeting_date."""
        return self.query(
            """SELECT ort, meeting_date FROM samhallskris_meetings WHERE year(meeting_date) = $year
               ORDER BY meeting_date, dialog_id""",
            {"year": int(year)},
        )
