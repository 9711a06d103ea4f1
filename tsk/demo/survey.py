"""Trygghetsundersökning exports: respondents with the planted survey patterns, as Google Forms CSV and
Netigate XLSX."""
from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from tsk.config import KommunConfig
from tsk.demo.common import (
    IMPROVED_SPOT,
    RISING_SPOT,
    TODAY,
    _choice,
    _ort_weights,
    summer_time,
)
from tsk.demo.files import write_csv, write_xlsx

# --- Surveys (demo content) ----------------------------------------------------------------------------
AGE_GROUPS = ["13–19 år", "20–39 år", "40–64 år", "65 år eller äldre"]
AGE_WEIGHTS = [.10, .30, .40, .20]
GENDERS = ["Kvinna", "Man", "Vill inte ange"]
GENDER_WEIGHTS = [.65, .32, .03]
GENDER_OTRYGG = {"Kvinna": .06, "Man": -.11, "Vill inte ange": .05}
SURVEY_N = {2021: 412, 2022: 377, 2023: 298, 2024: 446, 2025: 508, 2026: 561}
NETIGATE_YEARS = (2023,)


UNKNOWN_SURVEY_ORTER = ["Borås", "Tranemo", "Överlidda", "Göteborg"]
# Share "otrygg" on trygg_kvall, by (kind of home, year).
OTRYGG_KVALL = {
    "improved": {2021: .33, 2022: .31, 2023: .28, 2024: .24, 2025: .19, 2026: .17},
    "rising": {2021: .20, 2022: .19, 2023: .20, 2024: .19, 2025: .21, 2026: .34},
    # 5. Unheard: residents of UNHEARD_AREA feel notably less safe in 2026 while its lägesbild stays
    # quiet (its hemtjänst went silent for weeks) — the disagreement the Analysgrupp page points out.
    "unheard": {2021: .19, 2022: .19, 2023: .19, 2024: .18, 2025: .20, 2026: .45},
    "other": {2021: .19, 2022: .19, 2023: .19, 2024: .18, 2025: .18, 2026: .19},
}
UNHEARD_AREA = "Kindaholm"
FREE_TEXT = {
    "improved_before": ["Busstationen på kvällarna", "tunneln vid Elmo", "Tunneln vid Elmo när det är mörkt",
                        "Thilanderska parken", "runt ICA", "Torget på fredagskvällar", "Hälsans stig när det är mörkt",
                        "bakom brandstationen", "GC-banan vid Elmo"],
    "improved_after": ["Busstationen på kvällarna", "Thilanderska parken", "runt ICA", "Torget på fredagskvällar",
                       "Hälsans stig när det är mörkt", "bakom brandstationen", "tunneln vid Elmo"],
    "rising": ["badplatsen i Överlida", "Badplatsen i Överlida på kvällarna", "vid badplatsen i Överlida",
               "Busstationen i Svenljunga"],
    "other": ["Busstationen i Svenljunga", "Gång- och cykelvägar utan belysning", "Nej", "Inga särskilda platser",
              "pendelparkeringen i Hillared", "Busshållplatsen i Mjöbäck på vintern", "runt ICA"],
}


def _home_kind(config: KommunConfig, ort: str) -> str:
    """Which planted survey pattern a respondent's home belongs to."""
    if ort == IMPROVED_SPOT[0]:
        return "improved"
    rising_area = next(o.area for o in config.orter if o.name == RISING_SPOT[0])
    area = next(o.area for o in config.orter if o.name == ort)
    if area == rising_area:
        return "rising"
    if area == UNHEARD_AREA:
        return "unheard"
    return "other"


def _written_ort(rng: np.random.Generator, config: KommunConfig, ort: str) -> str:
    """How a respondent writes where they live: mostly the name, sometimes a variant or the area."""
    r = rng.random()
    o = next(x for x in config.orter if x.name == ort)
    if r < .03:
        return ort.lower()
    if r < .06 and o.aliases:
        return _choice(rng, list(o.aliases))
    if r < .08 and ort.startswith("Östra "):
        return "Ö " + ort.removeprefix("Östra ")
    if r < .085 and config.area(o.area).kind != "centralort":
        return o.area  # rural respondents sometimes answer with their area
    return ort


def _scale_answer(rng: np.random.Generator, labels: list[str], otrygg: bool, four_step: bool) -> str:
    if four_step:
        return labels[(2 if rng.random() < .75 else 3) if otrygg else (0 if rng.random() < .35 else 1)]
    if otrygg:
        return labels[3 if rng.random() < .75 else 4]
    return labels[int(rng.choice(3, p=[.30, .45, .25]))]


def _problem_answer(rng: np.random.Generator, labels: list[str], key: str, kind: str, year: int) -> str:
    probs = [.40, .40, .15, .05]
    if key == "problem_skadegorelse" and kind == "improved" and year < 2024:
        probs = [.25, .45, .22, .08]
    if key in ("problem_skadegorelse", "problem_ungdomsgang") and kind == "rising" and year == 2026:
        probs = [.18, .34, .32, .16]
    if key == "problem_buskorning" and kind != "improved":
        probs = [.30, .40, .20, .10]
    if key == "problem_narkotika":
        probs = [.35, .38, .19, .08] if kind == "improved" else [.50, .35, .11, .04]
    return labels[int(rng.choice(4, p=probs))]


def survey_respondents(rng: np.random.Generator, config: KommunConfig, year: int, items: list[dict],
                       four_step: bool, missing: list[str]) -> list[dict]:
    """Respondents of one year: submitted time, background and answers keyed by item key."""
    names, weights = _ort_weights(config)
    n = SURVEY_N[year]
    last_day = min(date(year, 11, 30), TODAY - timedelta(days=1))
    first_day = date(year, 11, 1)
    span = (last_day - first_day).days
    n_unknown = 1 + int(rng.integers(0, 3))
    out = []
    for i in range(n):
        # Most answers come in the first days; a reminder mid-month brings a second wave.
        offset = rng.exponential(4.0) if rng.random() < .7 else 14 + rng.exponential(3.0)
        day = first_day + timedelta(days=int(min(offset, span)))
        submitted = datetime.combine(day, time()) + timedelta(seconds=int(rng.integers(7 * 3600, 23 * 3600 + 1800)))
        ort = _choice(rng, names, weights)
        kind = _home_kind(config, ort)
        gender = _choice(rng, GENDERS, GENDER_WEIGHTS)
        age = _choice(rng, AGE_GROUPS, AGE_WEIGHTS)
        written = _choice(rng, UNKNOWN_SURVEY_ORTER) if i < n_unknown else _written_ort(rng, config, ort)
        p_kvall = min(max(OTRYGG_KVALL[kind][year] + GENDER_OTRYGG[gender], 0.0), 1.0)
        answers = {}
        for item in items:
            key = item["key"]
            if item.get("type") == "text":
                answers[key] = _free_text(rng, kind, year)
                continue
            labels = item["labels"]
            if rng.random() < (.015 if item["scale"].startswith("trygg") else .06 + .12 * (key == "problem_narkotika")):
                answers[key] = _choice(rng, missing)
            elif key == "trygg_kvall":
                answers[key] = _scale_answer(rng, labels, rng.random() < p_kvall, four_step)
            elif item["scale"].startswith("trygg"):
                answers[key] = _scale_answer(rng, labels, rng.random() < p_kvall * .55, four_step)
            else:
                answers[key] = _problem_answer(rng, labels, key, kind, year)
        out.append({"submitted": submitted, "ort": written, "gender": gender, "age": age, "answers": answers})
    out.sort(key=lambda r: r["submitted"])
    return out


def _free_text(rng: np.random.Generator, kind: str, year: int) -> str:
    if kind == "rising" and year == 2026 and rng.random() < .45:
        return _choice(rng, FREE_TEXT["rising"][:3])
    if rng.random() > .25:
        return ""
    if kind == "improved":
        pool = FREE_TEXT["improved_before" if year < 2024 else "improved_after"]
    elif kind == "rising":
        pool = FREE_TEXT["other"] + FREE_TEXT["rising"][3:]
    else:
        pool = FREE_TEXT["other"]
    return _choice(rng, pool)


def _survey_items(config: KommunConfig, mapping: dict) -> list[dict]:
    items = []
    for item in mapping["items"]:
        item = dict(item)
        if item.get("type") != "text":
            item["labels"] = list(config.scales[item["scale"]].labels)
        items.append(item)
    return items


def google_timestamp(ts: datetime) -> str:
    """Google Forms' Swedish Tidstämpel: "2022/11/08 8:53:03 fm CET" (12-hour clock, no leading zero)."""
    hour12 = ts.hour % 12 or 12
    ampm = "fm" if ts.hour < 12 else "em"
    zone = "CEST" if summer_time(ts) else "CET"
    return f"{ts:%Y/%m/%d} {hour12}:{ts:%M:%S} {ampm} {zone}"


def write_survey_google(path: Path, config: KommunConfig, mapping: dict, year: int, rng) -> int:
    cols = mapping["columns"]
    items = _survey_items(config, mapping)
    resp = survey_respondents(rng, config, year, items, False, mapping["missing"]["labels"][:1])
    # Google keeps the form's stray spaces in headers; the importers ignore them.
    header = [cols["timestamp"], cols["age_group"] + "  ", cols["gender"] + " ", cols["ort"]]
    for item in items:
        col = item["column"]
        if item["key"] == "problem_skadegorelse":
            col = col.replace(" är ", " är  ", 1)
        header.append(col + (" " if item["key"] == "trygg_kommun" else ""))
    rows = [[google_timestamp(r["submitted"]), r["age"], r["gender"], r["ort"],
             *[r["answers"][i["key"]] for i in items]] for r in resp]
    write_csv(path, header, rows, delimiter=",", encoding="utf-8", quoting=csv.QUOTE_ALL)
    return len(rows)


def write_survey_netigate(path: Path, config: KommunConfig, mapping: dict, year: int, rng) -> int:
    cols = mapping["columns"]
    items = _survey_items(config, mapping)
    resp = survey_respondents(rng, config, year, items, True, mapping["missing"]["labels"])
    header = [cols["respondent_id"], cols["timestamp"], cols["age_group"], cols["gender"], cols["ort"]]
    header += [i["column"] for i in items]
    rid = 48_213_000 + int(rng.integers(0, 500))
    rows = []
    for r in resp:
        rid += int(rng.integers(1, 40))  # Netigate ids increase but are not consecutive
        rows.append([rid, r["submitted"], r["age"], r["gender"], r["ort"],
                     *[r["answers"][i["key"]] or None for i in items]])
    write_xlsx(path, header, rows)
    return len(rows)
