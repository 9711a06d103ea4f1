"""The demo's walk register (trygghetsvandringar): walks, observations and measures, written as
protocol XLSX by the generator."""
from __future__ import annotations

import re
from datetime import date

from tsk.config import KommunConfig
from tsk.registers.statuses import (
    MEASURE_DECIDED,
    MEASURE_DECLINED,
    MEASURE_DONE,
    MEASURE_ONGOING,
    WALK_DONE,
    WALK_PLANNED,
)
from tsk.registers.walks import Measure, Observation, Walk
from tsk.text import strip_diacritics


def demo_walks(config: KommunConfig) -> list[tuple[str, object, list, list]]:
    """The walk register of the demo: (file name, Walk, observations, measures).

    Two yearly walks in the centralort — the first led to new lighting in the tunnel at Elmo in April
    2024 (the improvement planted in the lägesbild), the second is now more than 12 months ago — and a
    planned walk at the rising place in Överlida."""

    area_of = {o.name: o.area for o in config.orter}
    crew = {"kommun": 4, "polis": 2, "svenbo": 1, "boende": 7, "politiker": 2}
    first = (
        Walk(ort="Svenljunga", area=area_of["Svenljunga"], walk_date=date(2024, 3, 20), status=WALK_DONE,
             route=["Torget", "Busstationen", "GC-banan och tunneln vid Elmo", "Thilanderska parken"],
             participants=crew, followup_date=date(2024, 4, 24),
             followup_notes="Förvaltningarna redovisade vad de gör; återbesök i tunneln till hösten."),
        [Observation(1, "GC-banan och tunneln vid Elmo", "Mörkt i tunneln, två armaturer trasiga, klotter på väggarna.",
                     ["belysning", "gomstallen", "skadegorelse"]),
         Observation(2, "Thilanderska parken", "Höga buskar skymmer gångvägen mot skolan.", ["vegetation"]),
         Observation(3, "Busstationen", "Skräp och krossat glas vid väderskyddet.", ["nedskrapning", "skotsel"])],
        [Measure(ort="Svenljunga", place="GC-banan och tunneln vid Elmo", description="Ny LED-belysning i tunneln och längs GC-banan.",
                 owner="Samhällsbyggnadsförvaltningen", decision_path="KLG", due_date=date(2024, 4, 30),
                 status=MEASURE_DONE, completed_date=date(2024, 4, 15)),
         Measure(ort="Svenljunga", place="Thilanderska parken", description="Beskärning av buskar längs gångvägen.",
                 owner="Samhällsbyggnadsförvaltningen", decision_path="KLG", due_date=date(2024, 6, 1),
                 status=MEASURE_DONE, completed_date=date(2024, 5, 20)),
         Measure(ort="Svenljunga", place="Busstationen", description="Fler papperskorgar och tätare städning.",
                 owner="Samhällsbyggnadsförvaltningen", decision_path="KLG", due_date=date(2024, 9, 1),
                 status=MEASURE_DONE, completed_date=date(2024, 8, 15))],
    )
    second = (
        Walk(ort="Svenljunga", area=area_of["Svenljunga"], walk_date=date(2025, 10, 8), status=WALK_DONE,
             route=["Torget", "Området runt ICA", "Hälsans stig", "Bakom brandstationen"],
             participants={**crew, "boende": 9, "foreningar": 1}, followup_date=date(2025, 11, 12)),
        [Observation(1, "Hälsans stig", "Ingen belysning på stigens norra del; tät skog nära stigen.",
                     ["belysning", "vegetation"]),
         Observation(2, "Bakom brandstationen", "Skymd plats där grupper samlas på kvällarna.", ["gomstallen", "folkliv"]),
         Observation(3, "Området runt ICA", "Mopeder kör över parkeringen på kvällarna.", ["trafik"])],
        [Measure(ort="Svenljunga", place="Hälsans stig", description="Belysning längs Hälsans stig.",
                 owner="Samhällsbyggnadsförvaltningen", decision_path="KS", due_date=date(2026, 6, 30),
                 status=MEASURE_DECIDED),
         Measure(ort="Svenljunga", place="Bakom brandstationen",
                 description="Dialog med fastighetsägaren om belysning och röjning bakom brandstationen.",
                 owner="Kommunstyrelseförvaltningen", decision_path="KLG", due_date=date(2026, 3, 31), status=MEASURE_ONGOING),
         Measure(ort="Svenljunga", place="Området runt ICA", description="Trafikhinder vid parkeringens infarter.",
                 owner="Trafikverket", decision_path="KLG", due_date=date(2026, 5, 31), status=MEASURE_DECLINED)],
    )
    planned = (
        Walk(ort="Överlida", area=area_of["Överlida"], walk_date=date(2026, 12, 9), status=WALK_PLANNED,
             route=["Badplatsen", "Skolan"], participants={"kommun": 3, "polis": 1, "boende": 6}),
        [], [],
    )
    return [(f"trygghetsvandring_{w.walk_date.isoformat()}_{_slug(w.ort)}.xlsx", w, obs, ms)
            for w, obs, ms in (first, second, planned)]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(name.casefold())).strip("-")
