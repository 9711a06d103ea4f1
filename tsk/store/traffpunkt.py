"""Träffpunkt dialogue questions: answers per round and area, respondents per area."""
from __future__ import annotations

import pandas as pd


class TraffpunktQueries:
    """Träffpunkt answers and respondents (part of tsk.store.Store)."""

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
