"""A realistic Microsoft Forms EST export, written the way reporters fill in the kommun's form: the place
typed freely ("Skolgården", "Centrum", "Busshållplatsen", misspellings, blank), the ort picked or typed
(with the usual spellings), now and then an ort outside the kommun. Used by the onboarding tests for
the demo configuration and for a configuration that is not the demo.

`export(...)` returns the rows it wrote and what it planted, so a test can measure what was kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from openpyxl import Workbook

# What reporters type in the free "Plats" field, with how often (weights). None = left blank.
TYPED_PLACES = [
    (None, 30), ("Skolgården", 8), ("Centrum", 8), ("Busshållplatsen", 8), ("Skolgårn", 3), ("centrum ", 2),
    ("Busshållplatsn", 2), ("Idrottsplatsen", 4), ("Vid affären", 3), ("Badplatsen", 4), ("Torget", 5),
    ("Parkeringen vid kyrkan", 2), ("Fritidsgården", 3),
]
# Orter outside the kommun or misspelt beyond any alias: these submissions cannot be placed.
UNPLACEABLE_ORTER = ["Göteborg", "Överlidda", "Ulricehamn", "Överlidda"]


@dataclass
class Planted:
    submissions: int = 0
    unplaceable: int = 0            # submissions with an ort nobody configured
    nothing: int = 0                # "Nej, inget att rapportera"
    typed: dict = field(default_factory=dict)   # (ort, typed place) -> submissions
    typed_by: dict = field(default_factory=dict)  # (reporter, ort, typed place) -> submissions


def export(path: Path, *, orter: list[str], ort_spellings: dict[str, list[str]], reporters: list[str],
           mapping: dict, weeks: int = 20, first_monday: date = date(2026, 1, 5), seed: int = 12,
           unplaceable_share: float = 0.03) -> Planted:
    """Write an XLSX export with the columns of `mapping` (a wide lägesbild mapping) plus the form's
    own columns (ID, Starttid, E-post, Namn). Every reporter answers every week; about
    `unplaceable_share` of the submissions name an ort outside the kommun."""
    rng = np.random.default_rng(seed)
    cols = mapping["columns"]
    categories = list(mapping["categories"])
    grades = list(mapping.get("grades", {})) or ["Lugnt", "Lite", "Förhöjt", "Allvarligt"]
    nothing_label = mapping["nothing_to_report"]["values"][0]
    header = ["ID", "Starttid", cols["date"], "E-post", "Namn", cols["week"], cols["reporter"],
              cols["nothing_to_report"], cols["ort"], cols["place"], *categories, cols["comment"]]
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    planted = Planted()
    names, weights = zip(*TYPED_PLACES)
    p = np.array(weights, dtype=float) / sum(weights)
    row_id = 0
    for w in range(weeks):
        monday = first_monday + timedelta(weeks=w)
        year, week, _ = monday.isocalendar()
        for r, reporter in enumerate(reporters):
            row_id += 1
            planted.submissions += 1
            done = datetime.combine(monday, datetime.min.time()) + timedelta(days=int(rng.integers(0, 5)), hours=9 + r % 7)
            start = done - timedelta(minutes=int(rng.integers(2, 12)))
            base = [row_id, start, done, f"person{r}@kommun.se", f"Person {r}", f"v{week} {year}" if r % 2 else f"{week}",
                    reporter]
            if rng.random() < 0.2:
                planted.nothing += 1
                ws.append(base + [nothing_label, "", ""] + [""] * len(categories) + [""])
                continue
            if rng.random() < unplaceable_share:
                ort = UNPLACEABLE_ORTER[int(rng.integers(0, len(UNPLACEABLE_ORTER)))]
                planted.unplaceable += 1
            else:
                home = orter[int(rng.integers(0, len(orter)))]
                spellings = [home] + ort_spellings.get(home, [])
                ort = spellings[int(rng.integers(0, len(spellings)))]
            typed = names[int(rng.choice(len(names), p=p))]
            if typed is not None:
                planted.typed[(ort, typed)] = planted.typed.get((ort, typed), 0) + 1
                planted.typed_by[(reporter, ort, typed)] = planted.typed_by.get((reporter, ort, typed), 0) + 1
            cells = [""] * len(categories)
            for k in rng.choice(len(categories), size=int(rng.integers(1, 3)), replace=False):
                cells[int(k)] = grades[int(rng.integers(1, len(grades)))]
            comment = "Klotter på väggen, ring 070-123 45 67" if rng.random() < 0.1 else ""
            ws.append(base + ["Ja", ort, typed or ""] + cells + [comment])
    wb.save(path)
    return planted
