"""Lägesbild questions (EST reports and reporting coverage). Every question takes the same filter: areas,
organisations and categories as lists, and the first and last week as Monday dates (inclusive). Reports
with grade 0 ("lugnt") are submissions, not problems, so counts use grade > 0."""
from __future__ import annotations

import pandas as pd


def _problem_categories_param(categories: list[str]) -> list[str]:
    """A config may mark no category as a problem: DuckDB cannot type an empty list parameter."""
    return list(categories) or ["__none__"]


class LagesbildQueries:
    """Lägesbild reports per week, month, place and organisation, windows, coverage (part of tsk.store.Store)."""

    @staticmethod
    def _lb_filter(alias: str = "") -> str:
        a = f"{alias}." if alias else ""
        return (f"list_contains($areas, {a}area) AND list_contains($orgs, {a}organisation)"
                f" AND list_contains($cats, {a}category) AND {a}week_start BETWEEN $wfrom AND $wto")

    @staticmethod
    def _lb_params(areas, orgs, cats, week_from, week_to, **extra) -> dict:
        return {"areas": list(areas), "orgs": list(orgs), "cats": list(cats), "wfrom": week_from,
                "wto": week_to, **extra}

    LB_GROUPS = ("category", "area", "organisation", "ort", "place")

    def lagesbild_counts(self, *, areas, orgs, cats, week_from, week_to, period: str = "week",
                         by: str | tuple[str, ...] = "category") -> pd.DataFrame:
        """Columns: period_start (date), the `by` column(s) (any of category, area, organisation, ort,
        place), reports, weighted (sum of grades). `period` is week or month."""
        keys = (by,) if isinstance(by, str) else tuple(by)
        if period not in ("week", "month") or not keys or any(k not in self.LB_GROUPS for k in keys):
            raise ValueError((period, by))
        # An ISO week belongs to the month of its Thursday (week 1 of 2026, from Monday 29 December 2025, is January).
        start = "week_start" if period == "week" else "date_trunc('month', week_start + 3)::DATE"
        cols = ", ".join(keys)
        return self.query(
            f"""SELECT {start} AS period_start, {cols}, count(*) AS reports, sum(grade) AS weighted
                FROM lagesbild WHERE grade > 0 AND {self._lb_filter()}
                GROUP BY ALL ORDER BY period_start, {cols}""",
            self._lb_params(areas, orgs, cats, week_from, week_to),
        )

    def lagesbild_window_sums(self, *, areas, orgs, cats, week_from, recent_from, week_to,
                              by: str | tuple[str, ...] = ("area", "ort", "place", "category")) -> pd.DataFrame:
        """Reports from week_from to week_to per the `by` column(s) (as lagesbild_counts), summed on both
        sides of the Monday `recent_from` instead of per week: base (weeks before recent_from), recent
        (recent_from on), recent_weighted (sum of grades from recent_from on) and first_week (the first
        week with a report). One row per group with a report in the window. Columns: the `by`
        column(s), first_week, recent, base, recent_weighted; ordered by first_week, then `by`."""
        keys = (by,) if isinstance(by, str) else tuple(by)
        if not keys or any(k not in self.LB_GROUPS for k in keys):
            raise ValueError(by)
        cols = ", ".join(keys)
        return self.query(
            f"""SELECT {cols}, min(week_start) AS first_week,
                       count(*) FILTER (WHERE week_start >= $rfrom) AS recent,
                       count(*) FILTER (WHERE week_start < $rfrom) AS base,
                       coalesce(sum(grade) FILTER (WHERE week_start >= $rfrom), 0)::BIGINT AS recent_weighted
                FROM lagesbild WHERE grade > 0 AND {self._lb_filter()}
                GROUP BY {cols} ORDER BY first_week, {cols}""",
            self._lb_params(areas, orgs, cats, week_from, week_to, rfrom=recent_from),
        )

    def lagesbild_weeks_with_reports(self, *, areas, orgs, cats, week_from, week_to,
                                     by: str | tuple[str, ...] = ("ort", "place")) -> pd.DataFrame:
        """In how many distinct weeks from week_from to week_to each `by` group had a report (recurrence).
        Columns: the `by` column(s), weeks."""
        keys = (by,) if isinstance(by, str) else tuple(by)
        if not keys or any(k not in self.LB_GROUPS for k in keys):
            raise ValueError(by)
        cols = ", ".join(keys)
        return self.query(
            f"""SELECT {cols}, count(DISTINCT week_start) AS weeks
                FROM lagesbild WHERE grade > 0 AND {self._lb_filter()}
                GROUP BY {cols} ORDER BY {cols}""",
            self._lb_params(areas, orgs, cats, week_from, week_to),
        )

    def lagesbild_month_of_year(self, *, areas, orgs, cats, week_from, week_to) -> pd.DataFrame:
        """The årshjul. Columns: month (1–12), category, reports, years (distinct years with that
        month in the window), per_year (reports / years)."""
        return self.query(
            f"""WITH r AS (SELECT month(week_start + 3) AS month, year(week_start + 3) AS yr, category
                           FROM lagesbild WHERE grade > 0 AND {self._lb_filter()}),
                     span AS (SELECT month, count(DISTINCT yr) AS years FROM r GROUP BY month)
                SELECT r.month, category, count(*) AS reports, span.years,
                       count(*) / span.years AS per_year
                FROM r JOIN span USING (month) GROUP BY r.month, category, span.years
                ORDER BY r.month, category""",
            self._lb_params(areas, orgs, cats, week_from, week_to),
        )

    def lagesbild_places(self, *, areas, orgs, cats, week_from, week_to) -> pd.DataFrame:
        """Reports per place (ort-level reports at the ort's position). Columns: area, ort, plats
        (NULL for ort-level), lat, lon, approximate, reports, weighted, weeks (distinct weeks)."""
        return self.query(
            f"""SELECT l.area, l.ort, l.place AS plats,
                       coalesce(p.lat, o.lat) AS lat, coalesce(p.lon, o.lon) AS lon,
                       coalesce(p.approximate, o.approximate) AS approximate,
                       count(*) AS reports, sum(l.grade) AS weighted, count(DISTINCT l.week_start) AS weeks
                FROM lagesbild l LEFT JOIN orter o ON o.name = l.ort
                     LEFT JOIN places p ON p.ort = l.ort AND p.name = l.place
                WHERE l.grade > 0 AND l.ort IS NOT NULL AND {self._lb_filter('l')}
                GROUP BY ALL ORDER BY reports DESC, l.ort, plats""",
            self._lb_params(areas, orgs, cats, week_from, week_to),
        )

    def place_timeline(self, *, ort: str, plats: str | None, orgs, cats, week_from, week_to) -> pd.DataFrame:
        """One place's (or, with plats None, one ort's ort-level) reports. Columns: week_start, iso_year,
        iso_week, organisation, category, grade, comment (redacted)."""
        if not isinstance(plats, str):  # None, or NaN from a DataFrame row: the ort-level timeline
            plats = None
        return self.query(
            """SELECT week_start, iso_year, iso_week, organisation, category, grade, comment
               FROM lagesbild
               WHERE ort = $ort
                 -- typed, since a NULL parameter (an ort-level timeline) has no type of its own
                 AND (place = CAST($plats AS VARCHAR) OR (CAST($plats AS VARCHAR) IS NULL AND place IS NULL))
                 AND list_contains($orgs, organisation) AND list_contains($cats, category)
                 AND week_start BETWEEN $wfrom AND $wto AND grade > 0
               ORDER BY week_start, category""",
            {"ort": ort, "plats": plats, "orgs": list(orgs), "cats": list(cats), "wfrom": week_from, "wto": week_to},
        )

    def reporting_coverage(self, *, areas, orgs, week_from, week_to) -> pd.DataFrame:
        """Reporter × week: status rapporterat | vantar_pa_rattning | inget_att_rapportera | saknas.

        A submission kept in quarantine (for its place, category or grade) counts as reported, waiting
        for a correction ("vantar_pa_rattning"), never as missing.

        A reporter is expected every week from its first submission to the newest week in the store,
        so a reporter who has gone quiet shows as missing, never as calm. A reporter's area is the area
        it reports about most often (on a tie, the first by name: the same area every run). Columns: reporter, organisation, area, week_start, status."""
        return self.query(
            """WITH last AS (SELECT max(week_start) AS wk FROM coverage),
               home AS (SELECT reporter, first(area ORDER BY n DESC, area) AS area FROM (
                           SELECT reporter, area, count(*) AS n FROM lagesbild GROUP BY ALL) GROUP BY reporter),
               span AS (SELECT reporter, any_value(organisation) AS organisation, min(week_start) AS first_wk
                        FROM coverage GROUP BY reporter),
               grid AS (SELECT span.reporter, span.organisation, w.week_start
                        FROM span, last,
                             LATERAL (SELECT unnest(generate_series(span.first_wk, last.wk, INTERVAL 7 DAY))::DATE
                                      AS week_start) w),
               got AS (SELECT reporter, week_start,
                              CASE WHEN bool_or(status = 'rapporterat') THEN 'rapporterat'
                                   WHEN bool_or(status = 'vantar_pa_rattning') THEN 'vantar_pa_rattning'
                                   ELSE 'inget_att_rapportera' END AS status
                       FROM coverage GROUP BY ALL)
            SELECT grid.reporter, grid.organisation, coalesce(home.area, '') AS area, grid.week_start,
                   coalesce(got.status, 'saknas') AS status
            FROM grid LEFT JOIN got USING (reporter, week_start) LEFT JOIN home USING (reporter)
            WHERE grid.week_start BETWEEN $wfrom AND $wto AND list_contains($orgs, grid.organisation)
              AND (home.area IS NULL OR list_contains($areas, home.area))
            ORDER BY grid.organisation, grid.reporter, grid.week_start""",
            {"areas": list(areas), "orgs": list(orgs), "wfrom": week_from, "wto": week_to},
        )

    def lagesbild_by_organisation(self, *, areas, orgs, cats, week_from, week_to) -> pd.DataFrame:
        """Columns: organisation, area, category, reports (grade > 0), weighted."""
        return self.query(
            f"""SELECT organisation, area, category, count(*) AS reports, sum(grade) AS weighted
                FROM lagesbild WHERE grade > 0 AND {self._lb_filter()} GROUP BY ALL
                ORDER BY organisation, area, category""",
            self._lb_params(areas, orgs, cats, week_from, week_to),
        )

    def place_vs_rest_counts(self, *, ort: str, place: str, cats, before_from, before_to, after_from,
                             after_to) -> dict:
        """Reports at a place and in the rest of its ort, before and after (inclusive week ranges).
        Returns {place_before, place_after, rest_before, rest_after}."""
        rows = self.run(
            """SELECT
                 count(*) FILTER (WHERE place = $place AND week_start BETWEEN $bf AND $bt),
                 count(*) FILTER (WHERE place = $place AND week_start BETWEEN $af AND $at),
                 count(*) FILTER (WHERE place IS DISTINCT FROM $place AND week_start BETWEEN $bf AND $bt),
                 count(*) FILTER (WHERE place IS DISTINCT FROM $place AND week_start BETWEEN $af AND $at)
               FROM lagesbild WHERE ort = $ort AND grade > 0 AND list_contains($cats, category)""",
            {"ort": ort, "place": place, "cats": list(cats), "bf": before_from, "bt": before_to, "af": after_from,
             "at": after_to},
        )
        a, b, c, d = rows[0]
        return {"place_before": a, "place_after": b, "rest_before": c, "rest_after": d}

    # --- the store's weeks and the overview per area ----------------------------------------------
    def first_week(self) -> tuple[int, int] | None:
        rows = self.run("SELECT iso_year, iso_week FROM lagesbild ORDER BY week_start LIMIT 1")
        return tuple(rows[0]) if rows else None

    def latest_week(self) -> tuple[int, int] | None:
        rows = self.run("SELECT iso_year, iso_week FROM lagesbild ORDER BY week_start DESC LIMIT 1")
        return tuple(rows[0]) if rows else None

    def latest_coverage_week(self):
        """Monday of the newest week any reporter accounted for (a report or «inget att rapportera»), or None."""
        return self.scalar("SELECT max(week_start) FROM coverage")

    def area_overview(self, problem_categories: list[str], weeks: int) -> pd.DataFrame:
        """One row per configured area. Columns: area, kind, population, assumption, schematic,
        reports (reports with grade > 0 in a problem category in the last `weeks` ISO weeks up to the
        latest week in the store), reporters (distinct reporters who submitted anything in that window),
        per_1000 (reports per 1,000 inhabitants; NULL without a population)."""
        return self.query(
            """
            WITH last AS (SELECT max(week_start) AS wk FROM lagesbild),
            win AS (SELECT wk - INTERVAL (? * 7 - 7) DAY AS from_wk, wk FROM last),
            rep AS (
                SELECT area, count(*) AS reports FROM lagesbild, win
                WHERE week_start BETWEEN win.from_wk AND win.wk AND grade > 0 AND list_contains(?, category)
                GROUP BY area),
            cov AS (
                SELECT l.area, count(DISTINCT c.reporter) AS reporters
                FROM coverage c JOIN (SELECT DISTINCT reporter, area FROM lagesbild) l USING (reporter), win
                WHERE c.week_start BETWEEN win.from_wk AND win.wk GROUP BY l.area)
            SELECT a.name AS area, a.kind, a.population, a.assumption, a.schematic,
                   coalesce(rep.reports, 0) AS reports, coalesce(cov.reporters, 0) AS reporters,
                   CASE WHEN a.population > 0 THEN 1000.0 * coalesce(rep.reports, 0) / a.population END AS per_1000
            FROM areas a LEFT JOIN rep ON rep.area = a.name LEFT JOIN cov ON cov.area = a.name
            ORDER BY a.kind = 'centralort', a.name
            """,
            [weeks, _problem_categories_param(problem_categories)],
        )
