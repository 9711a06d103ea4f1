"""Police events (the police's open API, fetched by tsk.ingest.police_fetch) per ort and per week."""
from __future__ import annotations

import pandas as pd


class PoliceQueries:
    """Police events per ort and week (part of tsk.store.Store)."""

    def police_by_ort(self, *, areas, date_from, date_to, cats=None) -> pd.DataFrame:
        """Police events per ort named in the summary. Columns: ort (NULL = kommun, not placed), area,
        lat, lon, events, mapped (events with an EST category). `cats` (EST categories): only events
        mapped to one of them; None: every event, unmapped types too."""
        return self.query(
            """SELECT e.ort, e.area, o.lat, o.lon, count(*) AS events, count(e.category) AS mapped
               FROM police_events e LEFT JOIN orter o ON o.name = e.ort
               WHERE e.incident_at::DATE BETWEEN $dfrom AND $dto
                 AND (e.area IS NULL OR list_contains($areas, e.area))
                 AND ($all_cats OR list_contains($cats, e.category))
               GROUP BY ALL ORDER BY events DESC""",
            {"areas": list(areas), "dfrom": date_from, "dto": date_to, "all_cats": cats is None,
             "cats": list(cats or [])},
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
