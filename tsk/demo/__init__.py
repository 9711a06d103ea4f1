"""Deterministic demo *export files* for TSK-dashboard: `python -m tsk.demo [--out DIR]` (or, as before,
`python -m tsk.demo_data`).

The files look like what the kommun would really receive (a Microsoft Forms XLSX, the police's
Windows-1252 CSV, Svenbo's UTF-8 CSV, Google Forms and Netigate survey exports, Träffpunkt forms,
polisen.se event JSON), so the demo exercises the ordinary importers. Everything comes from one
fixed seed and fixed dates: two runs give byte-identical files (the XLSX zips too).

Geography, categories, grades and scales come from tsk.toml; export headers and answer labels from
the mapping files in data/mappings. The only Svenljunga-specific content here is demo content:
reporter units, free-text templates, neighbouring kommuner and the planted patterns documented in
data/demo/README.md.

Modules, one per source: `common` (fixed points, planted patterns, calendar, helpers), `reporters`
(the lägesbild's reporter units), `lagesbild`, `survey`, `traffpunkt`, `police`, `registers` (the walk
register), `files` (deterministic XLSX/CSV writers, manifest) and `build` (`generate`, `main`).
"""
from __future__ import annotations

from tsk.demo.build import check_config, generate, main
from tsk.demo.common import (
    CENTRALORT_BOOST,
    DARK_MONTHS,
    FIRST_WEEK,
    FIXED_FILE_TIME,
    IMPROVED_FACTOR,
    IMPROVED_FROM_WEEK,
    IMPROVED_KEYS,
    IMPROVED_SPOT,
    LAST_WEEK,
    MAPPINGS,
    NEW_YEAR_KEYS,
    RISING_FIRST_WEEK,
    RISING_KEYS,
    RISING_PEAK_FACTOR,
    RISING_SPOT,
    SEED,
    SILENT,
    SMALLORT_WEIGHT,
    STREAM_EVENTS,
    STREAM_KOMMUN,
    STREAM_POLICE,
    STREAM_SURVEY,
    STREAM_SVENBO,
    STREAM_TRAFFPUNKT,
    SUMMER_KEYS,
    TODAY,
    VALBORG_KEYS,
    Reporter,
    Spot,
    demo_weeks,
    format_week,
    is_silent,
    planted_factor,
    rising_factor,
    season_factor,
    summer_time,
)
from tsk.demo.files import write_csv, write_manifest, write_xlsx
from tsk.demo.lagesbild import (
    COMMENTS,
    HOUSING_COMMENTS,
    PII_SHARE,
    PII_SNIPPETS,
    PLACE_PHRASE,
    RISING_COMMENTS,
    SEASON_COMMENTS,
    Observation,
    kommun_submissions,
    observe,
    write_lagesbild_kommun,
    write_lagesbild_police,
    write_lagesbild_svenbo,
)
from tsk.demo.police import (
    EVENT_SUMMARIES,
    EVENT_TYPES,
    EVENTS_PER_MONTH,
    MONTHS_SV,
    NEIGHBOURS,
    POLICE_GPS,
    RISING_EVENTS,
    police_events,
    write_police_events,
)
from tsk.demo.registers import demo_walks
from tsk.demo.reporters import (
    BAD_CATEGORY,
    BAD_ORT,
    BAD_PLATS,
    BAD_WEEK,
    KOMMUN_REPORTERS,
    PLACE_CHARACTER,
    POLICE_REPORTERS,
    PROFILES,
    SVENBO_REPORTERS,
)
from tsk.demo.survey import (
    AGE_GROUPS,
    AGE_WEIGHTS,
    FREE_TEXT,
    GENDER_OTRYGG,
    GENDER_WEIGHTS,
    GENDERS,
    NETIGATE_YEARS,
    OTRYGG_KVALL,
    SURVEY_N,
    UNHEARD_AREA,
    UNKNOWN_SURVEY_ORTER,
    google_timestamp,
    survey_respondents,
    write_survey_google,
    write_survey_netigate,
)
from tsk.demo.traffpunkt import TP_AREA_N, TP_COMMENTS, TP_FORANDRING, write_traffpunkt

__all__ = ["CENTRALORT_BOOST", "DARK_MONTHS", "demo_weeks", "FIRST_WEEK", "FIXED_FILE_TIME", "format_week", "IMPROVED_FACTOR", "IMPROVED_FROM_WEEK", "IMPROVED_KEYS", "IMPROVED_SPOT", "is_silent", "LAST_WEEK", "MAPPINGS", "NEW_YEAR_KEYS", "planted_factor", "Reporter", "rising_factor", "RISING_FIRST_WEEK", "RISING_KEYS", "RISING_PEAK_FACTOR", "RISING_SPOT", "season_factor", "SEED", "SILENT", "SMALLORT_WEIGHT", "Spot", "STREAM_EVENTS", "STREAM_KOMMUN", "STREAM_POLICE", "STREAM_SURVEY", "STREAM_SVENBO", "STREAM_TRAFFPUNKT", "SUMMER_KEYS", "summer_time", "TODAY", "VALBORG_KEYS", "BAD_CATEGORY", "BAD_ORT", "BAD_PLATS", "BAD_WEEK", "KOMMUN_REPORTERS", "PLACE_CHARACTER", "POLICE_REPORTERS", "PROFILES", "SVENBO_REPORTERS", "write_csv", "write_manifest", "write_xlsx", "COMMENTS", "HOUSING_COMMENTS", "kommun_submissions", "Observation", "observe", "PII_SHARE", "PII_SNIPPETS", "PLACE_PHRASE", "RISING_COMMENTS", "SEASON_COMMENTS", "write_lagesbild_kommun", "write_lagesbild_police", "write_lagesbild_svenbo", "AGE_GROUPS", "AGE_WEIGHTS", "FREE_TEXT", "GENDER_OTRYGG", "GENDER_WEIGHTS", "GENDERS", "google_timestamp", "NETIGATE_YEARS", "OTRYGG_KVALL", "SURVEY_N", "survey_respondents", "UNHEARD_AREA", "UNKNOWN_SURVEY_ORTER", "write_survey_google", "write_survey_netigate", "TP_AREA_N", "TP_COMMENTS", "TP_FORANDRING", "write_traffpunkt", "EVENT_SUMMARIES", "EVENT_TYPES", "EVENTS_PER_MONTH", "MONTHS_SV", "NEIGHBOURS", "police_events", "POLICE_GPS", "RISING_EVENTS", "write_police_events", "demo_walks", "check_config", "generate", "main"]
