"""Trygghetsundersökning questions: answer counts per year, scale and group, numeric answers, place
mentions in free text. Groups are data, never display words: respondents without the group's value are
counted under UNKNOWN_GROUP and the kommun-wide row is KOMMUN_GROUP; tsk.pagedata puts the Swedish words
on (t("group_kommun"); the unknown group is never shown)."""
from __future__ import annotations

import pandas as pd

UNKNOWN_GROUP = "__unknown__"  # the group of respondents who did not say (area, age group or gender)
KOMMUN_GROUP = "__kommun__"  # the kommun-wide group (by="kommun", and the first row of the number stats)


class SurveyQueries:
    """Survey answers, numbers, mentions and years (part of tsk.store.Store)."""

    def survey_value_counts(self, *, item: str, year_from: int, year_to: int, by: str = "area") -> pd.DataFrame:
        """Answers to one item per year, scale and value, split by area, age_group, gender or nothing
        ('kommun'). Columns: year, scale, group, value, label, n.

        The kommun-wide counts need no respondent column, so they are counted on survey_answers alone
        (one import writes a respondent and all of its answers, so the join would only cost time)."""
        if by not in ("area", "age_group", "gender", "kommun"):
            raise ValueError(by)
        if by == "kommun":
            counts = self.survey_items_value_counts(items=[item], year_from=year_from, year_to=year_to)
            return counts.drop(columns="item").assign(group=KOMMUN_GROUP)[
                ["year", "scale", "group", "value", "label", "n"]]
        return self.query(
            f"""SELECT a.year, a.scale, coalesce(r.{by}, $unknown) AS "group", a.value, any_value(a.label) AS label,
                       count(*) AS n
                FROM survey_answers a JOIN survey_respondents r USING (import_id, respondent_id)
                WHERE a.item = $item AND a.year BETWEEN $yfrom AND $yto
                GROUP BY ALL ORDER BY a.year, "group", a.value""",
            {"item": item, "yfrom": year_from, "yto": year_to, "unknown": UNKNOWN_GROUP},
        )

    def survey_items_value_counts(self, *, items, year_from: int, year_to: int) -> pd.DataFrame:
        """Kommun-wide answers to several items in one scan: per item, year, scale and value. Columns:
        item, year, scale, value, label, n (what survey_value_counts(by="kommun") gives per item)."""
        return self.query(
            """SELECT item, year, scale, value, any_value(label) AS label, count(*) AS n
               FROM survey_answers WHERE list_contains($items, item) AND year BETWEEN $yfrom AND $yto
               GROUP BY ALL ORDER BY item, year, value""",
            {"items": list(items), "yfrom": year_from, "yto": year_to},
        )

    def survey_cross_counts(self, *, item: str, year: int) -> pd.DataFrame:
        """One year's answers by area × age_group × gender. Columns: area, age_group, gender, scale,
        value, n. For breakdowns that must meet the suppression threshold in every cell."""
        return self.query(
            """SELECT coalesce(r.area, $unknown) AS area, coalesce(r.age_group, $unknown) AS age_group,
                      coalesce(r.gender, $unknown) AS gender, a.scale, a.value, count(*) AS n
               FROM survey_answers a JOIN survey_respondents r USING (import_id, respondent_id)
               WHERE a.item = $item AND a.year = $year GROUP BY ALL""",
            {"item": item, "year": year, "unknown": UNKNOWN_GROUP},
        )

    def survey_items_summary(self, *, year_from: int, year_to: int) -> pd.DataFrame:
        """Columns: year, item, scale, n, mean_value (for the problem index)."""
        return self.query(
            """SELECT year, item, scale, count(*) AS n, avg(value) AS mean_value FROM survey_answers
               WHERE year BETWEEN $yfrom AND $yto GROUP BY ALL ORDER BY item, year""",
            {"yfrom": year_from, "yto": year_to},
        )

    def survey_place_mentions(self, *, year_from: int, year_to: int) -> pd.DataFrame:
        """Free-text mentions of configured places. Columns: year, ort, plats, area, lat, lon, mentions."""
        return self.query(
            """SELECT t.year, t.ort, t.place AS plats, p.area, p.lat, p.lon, count(*) AS mentions
               FROM survey_texts t JOIN places p ON p.ort = t.ort AND p.name = t.place
               WHERE t.year BETWEEN $yfrom AND $yto GROUP BY ALL ORDER BY mentions DESC""",
            {"yfrom": year_from, "yto": year_to},
        )

    def survey_number_stats(self, *, item: str, year_from: int, year_to: int) -> pd.DataFrame:
        """Numeric answers to one item per year and area, and kommun-wide (group = KOMMUN_GROUP).
        Columns: year, group, n, mean, sd (sample standard deviation; NULL for n = 1)."""
        return self.query(
            """WITH v AS (SELECT a.year, coalesce(r.area, $unknown) AS area, a.value
                          FROM survey_numbers a JOIN survey_respondents r USING (import_id, respondent_id)
                          WHERE a.item = $item AND a.year BETWEEN $yfrom AND $yto)
               SELECT year, $kommun AS "group", count(*) AS n, avg(value) AS mean, stddev_samp(value) AS sd
               FROM v GROUP BY year
               UNION ALL
               SELECT year, area, count(*), avg(value), stddev_samp(value) FROM v GROUP BY year, area
               ORDER BY year, "group" <> $kommun, "group"
            """,
            {"item": item, "yfrom": year_from, "yto": year_to, "unknown": UNKNOWN_GROUP,
             "kommun": KOMMUN_GROUP},
        )

    def survey_years(self) -> list[int]:
        return [r[0] for r in self.run("SELECT DISTINCT year FROM survey_respondents ORDER BY year")]
