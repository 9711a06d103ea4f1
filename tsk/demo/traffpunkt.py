"""Träffpunkt exports: the yearly Microsoft Forms XLSX, answers per Träffpunkt area."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from tsk.config import KommunConfig
from tsk.demo.common import RISING_SPOT, _choice
from tsk.demo.files import write_xlsx
from tsk.demo.survey import _scale_answer

TP_AREA_N = {
    2022: {"Högvad": 41, "Kindaholm": 33, "Axelfors": 27, "Lysjö norra": 4, "Lysjö södra": 22},
    2024: {"Högvad": 46, "Kindaholm": 29, "Axelfors": 35, "Lysjö norra": 18, "Lysjö södra": 31},
    2026: {"Högvad": 58, "Kindaholm": 24, "Axelfors": 31, "Lysjö norra": 16, "Lysjö södra": 27},
}
TP_FORANDRING = ["Blivit bättre", "Ingen förändring", "Blivit sämre"]
TP_COMMENTS = {
    "rising": ["Mycket oro kring badplatsen i Överlida på kvällarna.", "Skadegörelse vid badplatsen, bryggan förstörd.",
               "Ungdomsgäng vid badet som inte bor här.", "Det har blivit stökigare i Överlida i höst."],
    "other": ["Mörkt längs vägen, saknar gatubelysning.", "Bilar kör för fort genom byn.", "Lugnt och tryggt här.",
              "Fler inbrott i uthus än förr.", "Bra grannsamverkan."],
}


def write_traffpunkt(path: Path, config: KommunConfig, mapping: dict, year: int, rng) -> int:
    cols = mapping["columns"]
    items = {i["key"]: i for i in mapping["items"]}
    trygg_labels = list(config.scales[items["tp_trygg_omrade"]["scale"]].labels)
    rising_area = next(o.area for o in config.orter if o.name == RISING_SPOT[0])
    areas = [a.name for a in config.areas if a.kind == "traffpunkt"]
    answers = []
    for area in areas:
        n = TP_AREA_N.get(year, {}).get(area) or int(rng.integers(15, 61))
        rising = area == rising_area and year == 2026
        p_otrygg = .36 if rising else .12
        change_p = [.08, .40, .52] if rising else [.15, .65, .20]
        answers.extend(_tp_area_answers(rng, area, n, trygg_labels, p_otrygg, change_p, rising))
    if year == 2024:  # one deliberate answer naming the centralort, which is not a Träffpunkt area
        central_area = next(a.name for a in config.areas if a.kind == "centralort")
        answers.append(_tp_answer(rng, central_area, trygg_labels, False, TP_FORANDRING[1], False))
    start_day = date(year, 10, 1)
    for a in answers:
        day = start_day + timedelta(days=int(rng.integers(0, 28)))
        a["start"] = datetime.combine(day, time()) + timedelta(seconds=int(rng.integers(8 * 3600, 22 * 3600)))
        a["end"] = a["start"] + timedelta(seconds=int(rng.integers(90, 600)))
    answers.sort(key=lambda a: a["end"])
    header = ["ID", "Starttid", cols["timestamp"], "E-post", "Namn", cols["area"], cols["respondent_kind"],
              items["tp_trygg_omrade"]["column"], items["tp_forandring"]["column"], items["tp_kommentar"]["column"]]
    # Anonymous Microsoft Forms: E-post says "anonymous" and Namn is empty.
    rows = [[i, a["start"], a["end"], "anonymous", None, a["area"], a["kind"], a["trygg"], a["change"],
             a["comment"] or None] for i, a in enumerate(answers, start=1)]
    write_xlsx(path, header, rows)
    return len(rows)


def _allocate(rng: np.random.Generator, n: int, probs: list[float]) -> list[int]:
    """n category indices in proportions close to `probs` (±1 per category), shuffled.

    Träffpunkt samples are small; a plain multinomial draw would often bury the planted contrast
    between areas in noise, so the demo keeps the proportions and only jitters them.
    """
    counts = [int(round(n * p)) for p in probs]
    for i in range(len(counts)):
        counts[i] = max(0, counts[i] + int(rng.integers(-1, 2)))
    while sum(counts) > n:
        counts[int(np.argmax(counts))] -= 1
    while sum(counts) < n:
        counts[int(np.argmax(probs))] += 1
    out = [i for i, c in enumerate(counts) for _ in range(c)]
    rng.shuffle(out)
    return out


def _tp_area_answers(rng, area, n, trygg_labels, p_otrygg, change_p, rising) -> list[dict]:
    otrygg = _allocate(rng, n, [1 - p_otrygg, p_otrygg])
    change = _allocate(rng, n, change_p)
    return [_tp_answer(rng, area, trygg_labels, bool(o), TP_FORANDRING[c], rising) for o, c in zip(otrygg, change)]


def _tp_answer(rng, area, trygg_labels, otrygg: bool, change: str, rising: bool) -> dict:
    trygg = "Vet ej" if rng.random() < .03 else _scale_answer(rng, trygg_labels, otrygg, False)
    change = "Vet ej" if rng.random() < .05 else change
    comment = ""
    if rng.random() < (.45 if rising else .2):
        comment = _choice(rng, TP_COMMENTS["rising" if rising else "other"])
    kind = "Företagare" if rng.random() < .15 else "Invånare"
    return {"area": area, "kind": kind, "trygg": trygg, "change": change, "comment": comment}
