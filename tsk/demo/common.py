"""What every demo file shares: the fixed points (seed, dates, one random stream per file), the planted
patterns (see data/demo/README.md) and the calendar they follow, the reporter model, and small helpers."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np

from tsk.config import ROOT, KommunConfig, setting_path

# --- Fixed points: no wall-clock time anywhere ------------------------------------------------------
# Any seed gives the planted patterns on average; this one (the best of seeds 1–40 by a score of how
# close the patterns came to their designed size) makes the one committed realisation show them clearly.
SEED = 27
TODAY = date(2026, 11, 24)
FIRST_WEEK = (2021, 1)
LAST_WEEK = (2026, 47)
# Written into XLSX document properties and zip entries so the workbooks are byte-identical.
FIXED_FILE_TIME = datetime(2026, 11, 24, 8, 0, 0)

# One random stream per file, so changing one generator never shifts the others.
STREAM_KOMMUN, STREAM_POLICE, STREAM_SVENBO, STREAM_SURVEY, STREAM_TRAFFPUNKT, STREAM_EVENTS = range(1, 7)

MAPPINGS = {
    "lagesbild_msforms": "lagesbild_msforms.toml",
    "lagesbild_standard": "lagesbild_standard.toml",
    "survey_google_forms": "survey_google_forms.toml",
    "survey_netigate": "survey_netigate.toml",
    "traffpunkt_msforms": "traffpunkt_msforms.toml",
}


# --- Planted patterns (see data/demo/README.md) -------------------------------------------------------
# 1. A rising problem at one rural place in the autumn of 2026.
RISING_SPOT = ("Överlida", "Badplatsen")
RISING_KEYS = ("skadegorelse", "storande_samlingar")
RISING_FIRST_WEEK = (2026, 40)
RISING_PEAK_FACTOR = 47.0  # intensity multiplier reached in the last demo week
# 2. A measure that worked: new lighting in the tunnel, April 2024.
IMPROVED_SPOT = ("Svenljunga", "GC-banan och tunneln vid Elmo")
IMPROVED_KEYS = ("otrygg_plats", "skadegorelse")
IMPROVED_FROM_WEEK = (2024, 16)
IMPROVED_FACTOR = 0.38
# 3. Seasons: summer evenings, Valborg (30 April) and New Year, every year.
SUMMER_KEYS = {"storande_samlingar": 2.2, "nedskrapning": 2.2, "buskorning": 2.2}
VALBORG_KEYS = {"brand": 8.0, "nedskrapning": 4.0}
NEW_YEAR_KEYS = {"brand": 5.0, "skadegorelse": 3.0}
# otrygg_plats follows the darkness: more in the dark months, less in summer.
DARK_MONTHS = {11: 1.4, 12: 1.4, 1: 1.4, 2: 1.3, 5: 0.7, 6: 0.6, 7: 0.6, 8: 0.7}
# 4. Reporters who go silent (no rows at all): (reporter, iso_year, first week, last week).
SILENT = (
    ("Hemtjänsten Kindaholm", 2026, 30, 41),
    ("Skolan Hillared", 2026, 40, 47),
    ("Fritidsgården Sexdrega", 2025, 10, 20),
)


@dataclass(frozen=True)
class Spot:
    ort: str
    plats: str | None
    weight: float


@dataclass(frozen=True)
class Reporter:
    name: str
    organisation: str
    profile: str
    spots: tuple[Spot, ...]
    number: int = 0                       # demo "Inrapportör N" for the personal MS Forms columns
    week_style: str = "v"                 # how this unit writes the week: v | v. | iso | V
    spelling: tuple[tuple[str, str], ...] = ()  # (configured name, how the unit writes it)
    lugnt_share: float = 0.0              # how often it also marks its usual categories "Lugnt"


def _s(ort: str, plats: str | None = None, weight: float = 1.0) -> Spot:
    return Spot(ort, plats, weight)


SMALLORT_WEIGHT = 120         # answers from an ort with no configured population
CENTRALORT_BOOST = 1.3        # the web survey is more visible in the centralort


def _rng(stream: int, *parts: int) -> np.random.Generator:
    """A random stream for one file, or for one reporter-week of it (`parts`): a reporter-week's draws
    then depend only on its own intensities, so tuning one place leaves the rest of the file as it was."""
    return np.random.default_rng([SEED, stream, *parts])


def _choice(rng: np.random.Generator, items, weights=None):
    """One item (not a numpy scalar) from a list, optionally weighted."""
    if weights is None:
        return items[int(rng.integers(len(items)))]
    p = np.asarray(weights, dtype=float)
    return items[int(rng.choice(len(items), p=p / p.sum()))]


def demo_weeks() -> list[tuple[int, int]]:
    """Every ISO (year, week) of the demo period, in order."""
    d = date.fromisocalendar(*FIRST_WEEK, 1)
    end = date.fromisocalendar(*LAST_WEEK, 1)
    out = []
    while d <= end:
        iso = d.isocalendar()
        out.append((iso.year, iso.week))
        d += timedelta(days=7)
    return out


def _is_valborg_week(year: int, week: int) -> bool:
    iso = date(year, 4, 30).isocalendar()
    return (iso.year, iso.week) == (year, week)


def _is_new_year_week(year: int, week: int) -> bool:
    return week == 1 or week >= 52


def season_factor(key: str, year: int, week: int) -> float:
    """Seasonal multiplier of a category's intensity in a week (planted pattern 3)."""
    month = (date.fromisocalendar(year, week, 4)).month  # the week's Thursday decides its month
    f = 1.0
    if month in (6, 7, 8):
        f *= SUMMER_KEYS.get(key, 1.0)
    if _is_valborg_week(year, week):
        f *= VALBORG_KEYS.get(key, 1.0)
    if _is_new_year_week(year, week):
        f *= NEW_YEAR_KEYS.get(key, 1.0)
    if key == "otrygg_plats":
        f *= DARK_MONTHS.get(month, 1.0)
    return f


def rising_factor(year: int, week: int) -> float:
    """Ramp of the rising problem: 1 before RISING_FIRST_WEEK, then linearly up to RISING_PEAK_FACTOR."""
    if (year, week) < RISING_FIRST_WEEK:
        return 1.0
    span = LAST_WEEK[1] - RISING_FIRST_WEEK[1] + 1
    step = week - RISING_FIRST_WEEK[1] + 1
    return 1.0 + (RISING_PEAK_FACTOR - 1.0) * step / span


def planted_factor(ort: str, plats: str | None, key: str, year: int, week: int) -> float:
    """Planted patterns 1 and 2 on one spot and category."""
    if (ort, plats) == RISING_SPOT and key in RISING_KEYS:
        return rising_factor(year, week)
    if (ort, plats) == (RISING_SPOT[0], None) and key in RISING_KEYS:
        # Some of the trouble spills over to the village as a whole.
        return 1.0 + (rising_factor(year, week) - 1.0) * 0.2
    if (ort, plats) == IMPROVED_SPOT and key in IMPROVED_KEYS and (year, week) >= IMPROVED_FROM_WEEK:
        return IMPROVED_FACTOR
    return 1.0


def is_silent(reporter: str, year: int, week: int) -> bool:
    return any(reporter == name and year == y and lo <= week <= hi for name, y, lo, hi in SILENT)


def format_week(style: str, year: int, week: int) -> str:
    return {"v": f"v{week} {year}", "v.": f"v.{week} {year}", "V": f"V{week} {year}",
            "iso": f"{year}-W{week:02d}"}[style]


def summer_time(local: datetime) -> bool:
    """EU summer time in Sweden: last Sunday of March 02:00 to last Sunday of October 03:00 local."""
    def last_sunday(month: int) -> date:
        d = date(local.year, month + 1, 1) - timedelta(days=1)
        return d - timedelta(days=(d.weekday() + 1) % 7)
    start = datetime.combine(last_sunday(3), time(2))
    end = datetime.combine(last_sunday(10), time(3))
    return start <= local < end


def _read_mapping(name: str) -> tuple[dict, str]:
    """A mapping file's content and its path as written into the manifest (relative to the repo root)."""
    path = setting_path("mappings_dir") / MAPPINGS[name]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        rel = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        rel = path.as_posix()
    return data, rel


def _label(config: KommunConfig, key: str) -> str:
    return config.category(key).label


def _centralort(config: KommunConfig) -> str:
    central_areas = {a.name for a in config.areas if a.kind == "centralort"}
    return next(o.name for o in config.orter if o.area in central_areas)


def _ort_weights(config: KommunConfig) -> tuple[list[str], np.ndarray]:
    central = _centralort(config)
    names, weights = [], []
    for o in config.orter:
        w = o.population or SMALLORT_WEIGHT
        names.append(o.name)
        weights.append(w * (CENTRALORT_BOOST if o.name == central else 1.0))
    w = np.asarray(weights, dtype=float)
    return names, w / w.sum()
