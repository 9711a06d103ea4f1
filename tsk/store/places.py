"""Places as real points (source `places`, issue 19): the positions read from the kommun's own GIS layer,
kept apart from the configuration so a config sync never overwrites them, and the places that layer
creates (recorded as review decisions of the import that created them)."""
from __future__ import annotations

import pandas as pd


class PlacesMixin:
    """Stored place positions (part of tsk.store.Store)."""

    def _has_place_positions(self) -> bool:
        # Absent only while an older schema is written by a test of the upgrade path.
        return bool(self.scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'place_positions'"))

    def place_positions(self) -> pd.DataFrame:
        """Positions imported from the kommun's GIS layer. Columns: ort, name, lat, lon (WGS84), import_id."""
        if not self._has_place_positions():
            return pd.DataFrame(columns=["ort", "name", "lat", "lon", "import_id"])
        return self.query("SELECT ort, name, lat, lon, import_id FROM place_positions ORDER BY ort, name")

    def apply_place_positions(self) -> None:
        """Give every place with a stored position that position, no longer approximate (joins the
        caller's transaction). Positions of places no longer configured stay stored, unused."""
        if not self._has_place_positions():
            return
        self.run("""UPDATE places SET lat = p.lat, lon = p.lon, approximate = FALSE
                    FROM place_positions p WHERE places.ort = p.ort AND places.name = p.name""")

    def save_place_positions(self, positions: pd.DataFrame, import_id: int) -> None:
        """Store the positions of one import of places in the caller's
        transaction (columns ort, name, lat, lon, created, name_key, written: tsk.importers.places
        POSITION_COLUMNS): each place gets its position (a later import replaces it), a place the file
        creates (`created`) is recorded as a review decision «create» of this import (so it is in the
        places list, the maps and the next imports like a place created in review) and added to
        `places`; then the positions are applied."""
        if positions is None or positions.empty:
            return
        frame = positions[["ort", "name", "lat", "lon", "created", "name_key", "written"]].assign(import_id=import_id)
        self.con.register("incoming_positions", frame)
        try:
            self.run("""INSERT INTO place_positions (ort, name, lat, lon, import_id)
                        SELECT ort, name, lat, lon, import_id FROM incoming_positions
                        ON CONFLICT (ort, name) DO UPDATE SET lat = excluded.lat, lon = excluded.lon,
                            import_id = excluded.import_id""")
            self.run("""INSERT INTO review_decisions (kind, ort, name_key, name, action, target, organisation, lat,
                                                      lon, import_id)
                        SELECT 'place', ort, name_key, written, 'create', name, NULL, lat, lon, import_id
                        FROM incoming_positions WHERE created ON CONFLICT DO NOTHING""")
            self.run("""INSERT INTO places (ort, name, area, lat, lon, approximate, demo, physical)
                        SELECT o.name, i.name, o.area, i.lat, i.lon, FALSE, FALSE, '[]'
                        FROM incoming_positions i JOIN orter o ON o.name = i.ort
                        WHERE i.created ON CONFLICT DO NOTHING""")
        finally:
            self.con.unregister("incoming_positions")
        self.apply_place_positions()
