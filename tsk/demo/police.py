"""Police events in the polisen.se API format (JSON): the own kommun's, the planted ones at the rising
spot, and neighbouring kommuner's that the importer must leave out."""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

import numpy as np

from tsk.config import KommunConfig
from tsk.demo.common import (
    RISING_SPOT,
    STREAM_EVENTS,
    TODAY,
    _choice,
    _ort_weights,
    _rng,
    summer_time,
)

# --- Police events (demo content) ----------------------------------------------------------------------
MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
             "november", "december"]
# The polisen.se API gives the centroid of the kommun or län, never the incident position.
POLICE_GPS = {
    "Svenljunga": "57.495572,13.114623", "Borås": "57.721035,12.939819", "Gislaved": "57.2985,13.54326",
    "Tranemo": "57.485632,13.348476", "Mark": "57.508907,12.691893",
    "Västra Götalands län": "58.252793,13.059643", "Jönköpings län": "57.370843,14.343917",
}
NEIGHBOURS = {  # kommun -> (län, orter mentioned in summaries, events)
    "Tranemo": ("Västra Götalands län", ["Tranemo", "Limmared", "Länghem", "Dalstorp"], 10),
    "Borås": ("Västra Götalands län", ["Borås", "Fristad", "Dalsjöfors", "Sandared"], 13),
    "Mark": ("Västra Götalands län", ["Kinna", "Skene", "Örby"], 8),
    "Gislaved": ("Jönköpings län", ["Gislaved", "Anderstorp", "Smålandsstenar"], 8),
}
EVENT_TYPES = {  # type -> weight among ordinary events
    "Trafikolycka": 18, "Skadegörelse": 12, "Brand": 10, "Misshandel": 7, "Olaga hot": 6, "Narkotikabrott": 8,
    "Bråk": 6, "Rattfylleri": 8, "Stöld": 9, "Trafikolycka, personskada": 6,
}
EVENT_SUMMARIES = {
    "Skadegörelse": ["Anmälan om skadegörelse på en skolbyggnad {i}.", "Fönsterrutor har krossats på en lokal {i}.",
                     "Flera bilar har fått däcken sönderskurna {i}."],
    "Brand": ["Räddningstjänsten larmas till en brand i en container {i}.", "Brand i ett förråd {i}. Ingen skadad.",
              "Gräsbrand {i}, släckt av räddningstjänsten."],
    "Misshandel": ["En person har blivit slagen i samband med en fest {i}.",
                   "Misshandel utomhus {i} under natten. Polisen har pratat med vittnen."],
    "Olaga hot": ["En person har blivit hotad {i}. Anmälan upprättad.", "Hot via telefon mot en verksamhet {i}."],
    "Narkotikabrott": ["En person har kontrollerats {i} och misstänks för eget bruk av narkotika.",
                       "Vid en kontroll {i} hittades misstänkt narkotika."],
    "Bråk": ["Larm om bråk mellan flera personer {i}. Polisen skingrade gruppen.",
             "Oro och bråk utomhus {i} under kvällen."],
    "Trafikolycka": ["Personbil har kört av vägen {i}. Inga personskador rapporterade.", "Viltolycka med älg {i}.",
                     "Två bilar i lindrig krock {i}."],
    "Rattfylleri": ["En bilförare stoppades {i} och misstänks för rattfylleri.",
                    "Trafikkontroll {i}, en förare misstänks för drograttfylleri."],
    "Stöld": ["Anmälan om stöld ur ett förråd {i}.", "Diesel har stulits från en arbetsmaskin {i}.",
              "Stöld av verktyg från en byggarbetsplats {i}."],
    "Trafikolycka, personskada": ["Två bilar har kolliderat {i}. En person förd till sjukhus.",
                                  "En mopedist har skadats i en olycka {i}."],
}
RISING_EVENTS = [  # (type, summary): the autumn 2026 events at the rising spot
    ("Skadegörelse", "Anmälan om skadegörelse på omklädningshytten vid badplatsen {i}."),
    ("Bråk", "Larm om bråk mellan flera ungdomar vid badplatsen {i}."),
    ("Skadegörelse", "Bryggan vid badplatsen {i} har skadats under natten."),
    ("Brand", "Brand i en papperskorg vid badplatsen {i}."),
    ("Narkotikabrott", "Vid en kontroll vid badplatsen {i} hittades misstänkt narkotika."),
    ("Bråk", "Oro och bråk vid badplatsen {i} under kvällen. Polisen skingrade gruppen."),
    ("Skadegörelse", "Skadegörelse på bänkar och belysning vid badplatsen {i}."),
]
EVENTS_PER_MONTH = 1.05  # ordinary events in the own kommun


def _event_record(rng, incident: datetime, etype: str, kommun: str, lan: str, summary: str) -> dict:
    published = incident + timedelta(minutes=int(rng.integers(10, 91)), seconds=int(rng.integers(0, 60)))
    year = published.year
    sep = ":" if year <= 2023 else "."
    day = str(incident.day) if year >= 2026 else f"{incident.day:02d}"
    month = MONTHS_SV[incident.month - 1]
    name = f"{day} {month} {incident:%H}{sep}{incident:%M}, {etype}, {kommun}"
    slug = name.casefold().replace(":", "").replace(", ", "-").replace(" ", "-")
    slug = slug.replace("å", "a").replace("ä", "a").replace("ö", "o")
    url = f"/aktuellt/handelser/{incident.year}/{month}/{incident.day}/{slug}/"
    location = lan if year >= 2026 else kommun  # from 2026 the API gives only the län
    offset = "+02:00" if summer_time(published) else "+01:00"
    return {
        "id": 0, "datetime": f"{published:%Y-%m-%d} {published.hour}:{published:%M:%S} {offset}",
        "name": name, "summary": summary, "url": url, "type": etype,
        "location": {"name": location, "gps": POLICE_GPS[location]},
        "_incident": incident,
    }


def _incident_time(rng, first: datetime, last: datetime, evening: bool) -> datetime:
    days = (last - first).days
    day = first + timedelta(days=int(rng.integers(0, days + 1)))
    hour = int(rng.choice([18, 19, 20, 21, 22, 23, 0, 1, 2])) if evening else int(rng.integers(0, 24))
    return day.replace(hour=hour, minute=int(rng.integers(0, 60)))


def police_events(rng: np.random.Generator, config: KommunConfig) -> list[dict]:
    kommun = config.name
    names, weights = _ort_weights(config)
    first, last = datetime(2021, 1, 1), datetime.combine(TODAY - timedelta(days=1), time())
    types, type_w = list(EVENT_TYPES), list(EVENT_TYPES.values())
    events = []
    months = (last.year - first.year) * 12 + last.month
    n_ordinary = int(rng.poisson(EVENTS_PER_MONTH * months))
    for _ in range(n_ordinary):
        etype = _choice(rng, types, type_w)
        incident = _incident_time(rng, first, last, etype in ("Skadegörelse", "Bråk", "Misshandel", "Brand"))
        ort = _choice(rng, names, weights)
        summary = _choice(rng, EVENT_SUMMARIES[etype]).format(i=f"i {ort}")
        events.append(_event_record(rng, incident, etype, kommun, config.lan, summary))
    # Planted pattern 1: police events at the rising spot in the autumn of 2026.
    autumn = (datetime(2026, 9, 1), datetime(2026, 11, 22))
    for etype, summary in RISING_EVENTS:
        incident = _incident_time(rng, *autumn, evening=True)
        events.append(_event_record(rng, incident, etype, kommun, config.lan,
                                    summary.format(i=f"i {RISING_SPOT[0]}")))
    # Neighbouring kommuner: the importer must leave these out.
    for other, (lan, orter, n) in NEIGHBOURS.items():
        for _ in range(n):
            etype = _choice(rng, types, type_w)
            incident = _incident_time(rng, first, last, False)
            summary = _choice(rng, EVENT_SUMMARIES[etype]).format(i=f"i {_choice(rng, orter)}")
            events.append(_event_record(rng, incident, etype, other, lan, summary))
    return _assign_ids(rng, events)


def _assign_ids(rng: np.random.Generator, events: list[dict]) -> list[dict]:
    """Ids grow with time like the real API's, but a few neighbours are swapped, so an id order is
    never a datetime order (the real ids are only roughly chronological)."""
    events.sort(key=lambda e: e["_incident"])
    t0 = datetime(2021, 1, 1)
    ids = [330_000 + int((e["_incident"] - t0).total_seconds() / 86400 * 150) + int(rng.integers(0, 100))
           for e in events]
    ids = sorted(set(ids))
    while len(ids) < len(events):  # a collision: append one more
        ids.append(ids[-1] + 1)
    for i in sorted(rng.choice(len(events) - 1, size=6, replace=False).tolist()):
        ids[i], ids[i + 1] = ids[i + 1], ids[i]
    for e, i in zip(events, ids):
        e["id"] = i
        del e["_incident"]
    events.sort(key=lambda e: e["id"])
    return events


def write_police_events(path: Path, config: KommunConfig) -> int:
    events = police_events(_rng(STREAM_EVENTS), config)
    path.write_text(json.dumps(events, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(events)
