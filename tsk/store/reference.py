"""Questions about the store as a whole and its reference tables: row counts for `status`, area extents
and geometries, configured places and orter, the years and periods each source holds, whole tables,
and the checks a restore makes (every table readable, which kommun the file is about)."""
from __future__ import annotations

import pandas as pd

from tsk.store.schema import COUNT_TABLE, WRITABLE


class ReferenceMixin:
    """Counts, areas, places, orter, periods and kommun identity (part of tsk.store.Store)."""

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

    # --- counts, areas and periods ---------------------------------------------------------------
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

    def table(self, name: str) -> pd.DataFrame:
        """A whole store table (for tests and exports of small tables)."""
        known = WRITABLE | {"areas", "orter", "places", "organisations", "imports", "quarantine", "review_decisions"}
        if name not in known:
            raise ValueError(name)
        return self.query(f"SELECT * FROM {name}")

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
