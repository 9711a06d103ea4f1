"""Deterministic demo *export files* for TSK-dashboard: `python -m tsk.demo_data [--out DIR]`.

The files look like what the kommun would really receive (a Microsoft Forms XLSX, the police's
Windows-1252 CSV, Svenbo's UTF-8 CSV, Google Forms and Netigate survey exports, Träffpunkt forms,
polisen.se event JSON), so the demo exercises the ordinary importers. Everything comes from one
fixed seed and fixed dates: two runs give byte-identical files (the XLSX zips too).

Geography, categories, grades and scales come from tsk.toml; export headers and answer labels from
the mapping files in data/mappings. The only Svenljunga-specific content here is demo content:
reporter units, free-text templates, neighbouring kommuner and the planted patterns documented in
data/demo/README.md.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from tsk.config import ROOT, KommunConfig, load_config, setting_path
from tsk.text import strip_diacritics

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

# --- Reporter units (demo content) -------------------------------------------------------------------
# Weekly intensity per category for one watched spot of weight 1 (Poisson mean).
PROFILES = {
    "school": {"skadegorelse": .06, "klotter": .06, "nedskrapning": .04, "storande_samlingar": .03,
               "ryktesspridning": .04, "hot_vald": .01, "incident_anstalld": .01, "evenemang": .03},
    "youth": {"storande_samlingar": .08, "narkotika": .02, "ryktesspridning": .05, "skadegorelse": .04,
              "hot_vald": .015, "evenemang": .05, "buskorning": .03, "nedskrapning": .02},
    "streets": {"skadegorelse": .08, "klotter": .07, "nedskrapning": .08, "otrygg_plats": .05, "brand": .015,
                "storande_samlingar": .02},
    "care": {"otrygg_plats": .04, "incident_anstalld": .02, "buskorning": .02, "skadegorelse": .02,
             "storande_samlingar": .02},
    "rescue": {"brand": .06, "skadegorelse": .01, "evenemang": .01},
    "library": {"storande_samlingar": .04, "nedskrapning": .02, "skadegorelse": .02, "incident_anstalld": .01,
                "evenemang": .03},
    "field": {"storande_samlingar": .08, "narkotika": .04, "ryktesspridning": .05, "hot_vald": .02,
              "buskorning": .03, "skadegorelse": .03, "otrygg_plats": .03},
    "police_local": {"narkotika": .06, "storande_samlingar": .06, "hot_vald": .04, "skadegorelse": .03,
                     "buskorning": .04},
    "police_patrol": {"hot_vald": .05, "storande_samlingar": .04, "brand": .02, "narkotika": .02,
                      "buskorning": .03},
    "housing": {"skadegorelse": .06, "klotter": .04, "nedskrapning": .06, "brand": .01, "storande_samlingar": .03,
                "otrygg_plats": .02},
    "housing_office": {"incident_anstalld": .02, "hot_vald": .015, "ryktesspridning": .02,
                       "storande_samlingar": .02},
}

# Static character of some places: multipliers per category.
PLACE_CHARACTER = {
    ("Svenljunga", "GC-banan och tunneln vid Elmo"): {"otrygg_plats": 6.0, "skadegorelse": 2.5, "klotter": 1.5},
    ("Svenljunga", "Busstationen"): {"storande_samlingar": 1.5, "nedskrapning": 1.3, "narkotika": 1.5},
    ("Svenljunga", "Hälsans stig"): {"otrygg_plats": 2.5},
    ("Svenljunga", "Bakom brandstationen"): {"otrygg_plats": 2.0, "klotter": 1.5},
    ("Svenljunga", "Torget"): {"storande_samlingar": 1.3, "evenemang": 1.5},
    ("Överlida", "Badplatsen"): {"skadegorelse": 0.6, "storande_samlingar": 0.6, "nedskrapning": 1.5},
}


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


KOMMUN_REPORTERS = (
    Reporter("Fritidsgården Svenljunga", "Svenljunga kommun", "youth",
             (_s("Svenljunga"), _s("Svenljunga", "Torget"), _s("Svenljunga", "Busstationen"),
              _s("Svenljunga", "Thilanderska parken", .7)), number=3),
    Reporter("Gatu- och parkenheten", "Svenljunga kommun", "streets",
             (_s("Svenljunga", None, .6), _s("Svenljunga", "Thilanderska parken", .8),
              _s("Svenljunga", "GC-banan och tunneln vid Elmo"), _s("Svenljunga", "Hälsans stig", .7),
              _s("Svenljunga", "Torget", .6), _s("Överlida", "Badplatsen", .8),
              _s("Sexdrega", "Idrottsplatsen", .4)), number=7, week_style="v.", lugnt_share=.3),
    Reporter("Hemtjänsten Högvad", "Svenljunga kommun", "care",
             (_s("Överlida"), _s("Mjöbäck", None, .7), _s("Holsljunga", None, .6),
              _s("Överlida", "Badplatsen", .9)), number=11, lugnt_share=.8,
             spelling=(("Överlida", "överlida"), ("Badplatsen", "Badet"))),
    Reporter("Skolan Överlida", "Svenljunga kommun", "school",
             (_s("Överlida", "Skolan"), _s("Överlida", "Badplatsen", .9), _s("Överlida", None, .5)), number=12,
             lugnt_share=.6),
    Reporter("Förskolan Kalv", "Svenljunga kommun", "school",
             (_s("Kalv", "Bygdegården", .4), _s("Kalv", None, .5)), number=14, lugnt_share=1.0),
    Reporter("Skolan Sexdrega", "Svenljunga kommun", "school",
             (_s("Sexdrega", None, .6), _s("Sexdrega", "Idrottsplatsen", .8)), number=15, lugnt_share=1.0),
    Reporter("Biblioteket Svenljunga", "Svenljunga kommun", "library",
             (_s("Svenljunga", "Torget"), _s("Svenljunga", "Området runt ICA", .6), _s("Svenljunga", None, .6)),
             number=17, lugnt_share=.8, week_style="iso"),
    Reporter("Räddningstjänsten Svenljunga", "Svenljunga kommun", "rescue",
             (_s("Svenljunga"), _s("Svenljunga", "Bakom brandstationen", .6), _s("Överlida", None, .4),
              _s("Sexdrega", None, .4), _s("Hillared", None, .3), _s("Östra Frölunda", None, .3)), number=19),
    Reporter("Hemtjänsten Kindaholm", "Svenljunga kommun", "care",
             (_s("Östra Frölunda"), _s("Kalv", None, .6), _s("Håcksvik", None, .5), _s("Mårdaklev", None, .5)),
             number=21, spelling=(("Östra Frölunda", "Ö Frölunda"),)),
    Reporter("Skolan Hillared", "Svenljunga kommun", "school",
             (_s("Hillared", None, .8), _s("Hillared", "Pendelparkeringen", .7),
              _s("Sandsjön och Sågbacken", None, .3)), number=23, lugnt_share=.8, week_style="V"),
    Reporter("Fritidsgården Sexdrega", "Svenljunga kommun", "youth",
             (_s("Sexdrega"), _s("Sexdrega", "Idrottsplatsen", .8)), number=25),
    Reporter("Fritidsgården Överlida", "Svenljunga kommun", "youth",
             (_s("Överlida", None, .7), _s("Överlida", "Badplatsen"), _s("Överlida", "Skolan", .4)), number=27),
    Reporter("Skolan Svenljunga", "Svenljunga kommun", "school",
             (_s("Svenljunga", "Skolan"), _s("Svenljunga", "GC-banan och tunneln vid Elmo", .6),
              _s("Svenljunga", "Busstationen", .5)), number=29),
    Reporter("Fältgruppen", "Svenljunga kommun", "field",
             (_s("Svenljunga", None, .6), _s("Svenljunga", "Torget", .6), _s("Svenljunga", "Busstationen", .7),
              _s("Svenljunga", "GC-banan och tunneln vid Elmo", .8), _s("Svenljunga", "Området runt ICA", .5),
              _s("Sexdrega", None, .3)), number=31, week_style="v.",
             spelling=(("GC-banan och tunneln vid Elmo", "Tunneln vid Elmo"),)),
    Reporter("Skolan Östra Frölunda", "Svenljunga kommun", "school",
             (_s("Östra Frölunda"),), number=33, lugnt_share=1.0),
    Reporter("Förskolan Mjöbäck", "Svenljunga kommun", "school",
             (_s("Mjöbäck", None, .5), _s("Mjöbäck", "Busshållplatsen", .5)), number=35, lugnt_share=1.0),
    Reporter("Hemtjänsten Lysjö", "Svenljunga kommun", "care",
             (_s("Sexdrega", None, .8), _s("Hillared", None, .8), _s("Roasjö", None, .5),
              _s("Sandsjön och Sågbacken", None, .5)), number=37, lugnt_share=.8,
             spelling=(("Sandsjön och Sågbacken", "Sandsjön"),)),
    Reporter("Hemtjänsten Axelfors", "Svenljunga kommun", "care",
             (_s("Axelfors", None, .6), _s("Örsås", None, .5), _s("Revesjö", None, .4), _s("Redslared", None, .4),
              _s("Strömsfors", None, .4), _s("Ullasjö", None, .4)), number=39, lugnt_share=1.0, week_style="iso"),
    Reporter("Fastighetsenheten", "Svenljunga kommun", "housing",
             (_s("Svenljunga", "Skolan", .6), _s("Svenljunga", "Bakom brandstationen", .6),
              _s("Överlida", "Skolan", .4), _s("Sexdrega", None, .3), _s("Kalv", "Bygdegården", .4)), number=41,
             lugnt_share=.8),
    Reporter("Förskolan Holsljunga", "Svenljunga kommun", "school",
             (_s("Holsljunga", None, .6),), number=43, lugnt_share=1.0),
)

POLICE_REPORTERS = (
    Reporter("Kommunpolis Svenljunga", "Polisen", "police_local",
             (_s("Svenljunga"), _s("Svenljunga", "Torget", .6), _s("Svenljunga", "Busstationen", .8),
              _s("Svenljunga", "GC-banan och tunneln vid Elmo", .5), _s("Överlida", "Badplatsen", .8),
              _s("Sexdrega", None, .4), _s("Hillared", None, .3))),
    Reporter("Områdespolis Borås syd", "Polisen", "police_local",
             (_s("Svenljunga", None, .5), _s("Överlida", None, .4), _s("Östra Frölunda", None, .3),
              _s("Sexdrega", None, .4), _s("Mjöbäck", None, .3))),
    Reporter("Ingripandepolis", "Polisen", "police_patrol",
             (_s("Svenljunga"), _s("Överlida", None, .4), _s("Sexdrega", None, .4), _s("Hillared", None, .3))),
)

SVENBO_REPORTERS = (
    Reporter("Svenbo fastighetsskötare Svenljunga", "Svenbo", "housing",
             (_s("Svenljunga"), _s("Svenljunga", "Området runt ICA", .5), _s("Svenljunga", "Torget", .3))),
    Reporter("Svenbo fastighetsskötare Sexdrega", "Svenbo", "housing",
             (_s("Sexdrega"), _s("Hillared", None, .6))),
    Reporter("Svenbo fastighetsskötare Högvad", "Svenbo", "housing",
             (_s("Överlida"), _s("Mjöbäck", None, .5))),
    Reporter("Svenbo kundcenter", "Svenbo", "housing_office",
             (_s("Svenljunga"), _s("Sexdrega", None, .4), _s("Överlida", None, .3))),
)

# Deliberately bad rows, one of each kind the importers must quarantine (not more); BAD_PLATS is a place
# typed freely in a known ort, kept at ort level with the name for review.
BAD_ORT = "Överlidda"
BAD_PLATS = "Sporthallen"
BAD_CATEGORY = "Cykelstölder"
BAD_WEEK = "v54 2025"

# --- Free text (demo content, about places and situations, never persons) ---------------------------
PLACE_PHRASE = {
    "Torget": "på torget", "Området runt ICA": "runt ICA", "Thilanderska parken": "i Thilanderska parken",
    "Busstationen": "vid busstationen", "GC-banan och tunneln vid Elmo": "i tunneln vid Elmo",
    "Hälsans stig": "på Hälsans stig", "Bakom brandstationen": "bakom brandstationen",
    "Pendelparkeringen": "på pendelparkeringen",
}
COMMENTS = {
    "skadegorelse": ["Krossad ruta {vid}.", "Sönderslagna papperskorgar {vid}.", "Sparkat sönder staket {vid}.",
                     "Skadegörelse på bänkar {vid}, anmält till fastighet."],
    "klotter": ["Nya taggar {vid}.", "Klotter på väggen {vid}, behöver saneras.", "Klotter på skyltar {vid}."],
    "nedskrapning": ["Mycket skräp {vid} efter helgen.", "Flaskor och pizzakartonger {vid}.",
                     "Nedskräpat {vid}, glas på marken."],
    "brand": ["Eld i papperskorg {vid}.", "Spår av eldning {vid}.", "Brand i container {vid}, släckt."],
    "storande_samlingar": ["Grupper av ungdomar samlas {vid} sena kvällar.",
                           "Hög musik och mopeder {vid} fredag kväll.",
                           "Större samling {vid} under helgen, orolig stämning."],
    "narkotika": ["Lukt av cannabis {vid}.", "Misstänkt langning {vid} kvällstid, polisen informerad.",
                  "Hittat små påsar {vid}."],
    "hot_vald": ["Bråk {vid} under helgen enligt flera besökare.", "Hotfull stämning {vid} på kvällen."],
    "incident_anstalld": ["Personal blev utskälld {vid}.", "Personal kände sig hotad vid ett besök {vid}."],
    "otrygg_plats": ["Trasig belysning {vid}.", "Mörkt och buskigt {vid}, personal undviker att gå där.",
                     "Gatlyktor släckta {vid}."],
    "buskorning": ["A-traktorer kör fort {vid} på kvällarna.", "Mopeder kör på gång- och cykelvägen {vid}.",
                   "Buskörning med crossmotorcyklar {vid}."],
    "ryktesspridning": ["Rykten i sociala medier om bråk {vid}.",
                        "Uppgifter i chattgrupper om en fest {vid} i helgen."],
    "evenemang": ["Marknad {vid} på lördag.", "Idrottsarrangemang {vid} i helgen.",
                  "Skolavslutning nästa vecka, firande väntas {vid}."],
}
HOUSING_COMMENTS = {
    "skadegorelse": ["Skadegörelse i trapphus {vid}.", "Uppbruten källardörr {vid}."],
    "klotter": ["Klotter i trapphus {vid}.", "Taggar på fasaden {vid}."],
    "nedskrapning": ["Nedskräpat vid soprummet {vid}.", "Grovsopor utställda {vid}."],
    "brand": ["Brand i soprum {vid}.", "Anlagd brand i barnvagnsrum {vid}."],
    "storande_samlingar": ["Ungdomar samlas i trapphus {vid} kvällstid.", "Störningar på gården {vid} sena kvällar."],
    "otrygg_plats": ["Trasig belysning på gården {vid}.", "Buskar skymmer gångvägen {vid}."],
    "incident_anstalld": ["Personal blev utskälld i kundcentret.", "Hotfullt telefonsamtal till kundcenter."],
    "hot_vald": ["Hyresgäster oroliga efter bråk på gården {vid}."],
    "ryktesspridning": ["Rykten i sociala medier om inbrott {vid}."],
}
RISING_COMMENTS = [
    "Sönderslagna bänkar och glas i sanden vid badplatsen.",
    "Stora grupper samlas vid badplatsen sent på kvällarna, flera mopeder.",
    "Omklädningshytten vid badplatsen vandaliserad igen.",
    "Eldning och skräp på bryggan vid badplatsen.",
    "Boende hör av sig om oro kring badplatsen på kvällarna.",
    "Bryggan vid badplatsen skadad, räcket bortbrutet.",
]
SEASON_COMMENTS = {
    "valborg": "Valborgsfirande {vid}, eldning och skräp efteråt.",
    "new_year": "Smällare och raketer {vid} kring nyår.",
}
# Fictional numbers (the PTS range for fiction, 070-17 406 05–99) and a reserved example domain:
# the importers must redact them.
PII_SNIPPETS = [" Ring vaktmästaren på 070-174 06 42 för nyckel.", " Bilder skickade till felanmalan@example.com.",
                " Nås på 070-174 06 88 om något händer igen."]
PII_SHARE = 0.01

# --- Surveys (demo content) ----------------------------------------------------------------------------
AGE_GROUPS = ["13–19 år", "20–39 år", "40–64 år", "65 år eller äldre"]
AGE_WEIGHTS = [.10, .30, .40, .20]
GENDERS = ["Kvinna", "Man", "Vill inte ange"]
GENDER_WEIGHTS = [.65, .32, .03]
GENDER_OTRYGG = {"Kvinna": .06, "Man": -.11, "Vill inte ange": .05}
SURVEY_N = {2021: 412, 2022: 377, 2023: 298, 2024: 446, 2025: 508, 2026: 561}
NETIGATE_YEARS = (2023,)
SMALLORT_WEIGHT = 120         # answers from an ort with no configured population
CENTRALORT_BOOST = 1.3        # the web survey is more visible in the centralort
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


# =====================================================================================================
# Small helpers
# =====================================================================================================
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


def _place_phrase(ort: str, plats: str | None, centralort: str) -> str:
    if plats:
        return PLACE_PHRASE.get(plats, f"vid {plats[0].lower()}{plats[1:]}")
    return "i centrum" if ort == centralort else f"i {ort}"


def _with_pii(rng: np.random.Generator, text: str) -> str:
    """About PII_SHARE of comments carry a phone number or an e-mail address, for the redaction."""
    if text and rng.random() < PII_SHARE:
        return text + _choice(rng, PII_SNIPPETS)
    return text


# --- File writers that make the bytes deterministic ------------------------------------------------------
def write_xlsx(path: Path, header: list[str], rows: list[list]) -> None:
    """One sheet "Sheet1" like the form tools' exports, byte-identical on every run.

    openpyxl stamps the save time into docProps/core.xml and the zip entries; both are fixed here.
    """
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.properties.creator = "TSK-dashboard demo"
    wb.properties.created = FIXED_FILE_TIME
    wb.properties.modified = FIXED_FILE_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_FILE_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())


def _fixed_xlsx_bytes(data: bytes) -> bytes:
    """Make any openpyxl-written workbook byte-identical between runs: fixed zip times and fixed
    created/modified stamps in docProps/core.xml."""
    stamp = FIXED_FILE_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_FILE_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list], *, delimiter: str, encoding: str,
              quoting: int = csv.QUOTE_MINIMAL, lineterminator: str = "\r\n") -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))  # strict: a character cp1252 lacks is an error


# =====================================================================================================
# Lägesbild: the observation model shared by kommun, police and Svenbo
# =====================================================================================================
@dataclass
class Observation:
    spot: Spot
    key: str
    count: int
    grade: int


def _grade(rng: np.random.Generator, spot: Spot, key: str, count: int, year: int, week: int) -> int:
    if (spot.ort, spot.plats) == RISING_SPOT and key in RISING_KEYS and (year, week) >= RISING_FIRST_WEEK:
        # The rising problem is reported as Förhöjt or Allvarligt, more often Allvarligt towards the end.
        p3 = 0.25 + 0.35 * (week - RISING_FIRST_WEEK[1]) / (LAST_WEEK[1] - RISING_FIRST_WEEK[1])
        return 3 if rng.random() < p3 else 2
    if key == "evenemang":
        return 1
    probs = {1: [.70, .25, .05], 2: [.30, .55, .15]}.get(count, [.10, .55, .35])
    return 1 + int(rng.choice(3, p=probs))


def observe(rng: np.random.Generator, reporter: Reporter, year: int, week: int) -> list[Observation]:
    """What a reporter saw in one week: Poisson counts per watched spot and category."""
    profile = PROFILES[reporter.profile]
    cells, lams = [], []
    for spot in reporter.spots:
        character = PLACE_CHARACTER.get((spot.ort, spot.plats), {})
        for key, rate in profile.items():
            lam = (rate * spot.weight * character.get(key, 1.0) * season_factor(key, year, week)
                   * planted_factor(spot.ort, spot.plats, key, year, week))
            cells.append((spot, key))
            lams.append(lam)
    counts = rng.poisson(np.asarray(lams))
    out = []
    for (spot, key), n in zip(cells, counts):
        if n:
            out.append(Observation(spot, key, int(n), _grade(rng, spot, key, int(n), year, week)))
    return out


def _comment(rng: np.random.Generator, obs: Observation, year: int, week: int, centralort: str,
             housing: bool = False) -> str:
    vid = _place_phrase(obs.spot.ort, obs.spot.plats, centralort)
    if (obs.spot.ort, obs.spot.plats) == RISING_SPOT and obs.key in RISING_KEYS and (year, week) >= RISING_FIRST_WEEK:
        return _choice(rng, RISING_COMMENTS)
    if obs.key in ("brand", "nedskrapning", "evenemang") and _is_valborg_week(year, week):
        return SEASON_COMMENTS["valborg"].format(vid=vid)
    if obs.key in ("brand", "skadegorelse") and _is_new_year_week(year, week) and rng.random() < .6:
        return SEASON_COMMENTS["new_year"].format(vid=vid)
    templates = (HOUSING_COMMENTS if housing else COMMENTS).get(obs.key) or COMMENTS[obs.key]
    text = _choice(rng, templates).format(vid=vid)
    return text[0].upper() + text[1:]


def _spelled(reporter: Reporter, name: str | None) -> str:
    if not name:
        return ""
    return dict(reporter.spelling).get(name, name)


# --- Kommun: Microsoft Forms, one row per submission -----------------------------------------------------
def _submission_time(rng: np.random.Generator, year: int, week: int) -> datetime:
    """Monday–Friday after the reported week, office hours, never after TODAY."""
    monday_after = date.fromisocalendar(year, week, 1) + timedelta(days=7)
    day = monday_after + timedelta(days=int(rng.choice(5, p=[.45, .25, .15, .10, .05])))
    day = min(day, TODAY)
    seconds = int(rng.integers(7 * 3600 + 1800, 16 * 3600 + 1800))
    return datetime.combine(day, time()) + timedelta(seconds=seconds)


def kommun_submissions(config: KommunConfig) -> list[dict]:
    """Every kommun submission of the demo period (plus the planted bad ones), unsorted."""
    centralort = _centralort(config)
    subs = []
    for year, week in demo_weeks():
        for index, rep in enumerate(KOMMUN_REPORTERS):
            if is_silent(rep.name, year, week):
                continue  # planted pattern 4: no rows at all
            rng = _rng(STREAM_KOMMUN, index, year, week)
            observations = observe(rng, rep, year, week)
            by_spot: dict[Spot, list[Observation]] = {}
            for obs in observations:
                by_spot.setdefault(obs.spot, []).append(obs)
            # One submission a week, two when two places need it; the most serious places first.
            spots = sorted(by_spot, key=lambda s: (-max(o.grade for o in by_spot[s]), -len(by_spot[s]),
                                                   rep.spots.index(s)))[:2]
            start = _submission_time(rng, year, week)
            if not spots:
                # A unit that grades its usual categories often answers "Ja" and marks them Lugnt.
                if rng.random() < rep.lugnt_share / 2:
                    subs.append(_kommun_sub(rep, year, week, start, rep.spots[0], {}, "", rng, lugnt=True))
                else:
                    subs.append(_kommun_sub(rep, year, week, start, None, {}, "", rng))
                continue
            lugnt = rng.random() < rep.lugnt_share
            for i, spot in enumerate(spots):
                grades = {o.key: o.grade for o in by_spot[spot]}
                worst = max(by_spot[spot], key=lambda o: (o.grade, o.count))
                rising = (spot.ort, spot.plats) == RISING_SPOT and (year, week) >= RISING_FIRST_WEEK
                comment = _comment(rng, worst, year, week, centralort) if rng.random() < (.9 if rising else .55) else ""
                comment = _with_pii(rng, comment)
                t0 = start + timedelta(minutes=int(rng.integers(8, 40))) * i
                subs.append(_kommun_sub(rep, year, week, t0, spot, grades, comment, rng, lugnt=lugnt))
    subs.extend(_kommun_bad_submissions(_rng(STREAM_KOMMUN, len(KOMMUN_REPORTERS))))
    return subs


def _kommun_sub(rep: Reporter, year: int, week: int, start: datetime, spot: Spot | None, grades: dict,
                comment: str, rng: np.random.Generator, lugnt: bool = False) -> dict:
    if lugnt:
        # Units with this habit fill "Lugnt" in their usual categories that had nothing.
        usual = list(PROFILES[rep.profile])[:3]
        grades = {**{k: 0 for k in usual}, **grades}
    end = start + timedelta(seconds=int(rng.integers(100, 720)))
    return {
        "reporter": rep, "week": format_week(rep.week_style, year, week), "start": start, "end": end,
        "something": spot is not None,
        "ort": _spelled(rep, spot.ort) if spot else "", "plats": _spelled(rep, spot.plats) if spot else "",
        "grades": grades, "comment": comment,
    }


def _kommun_bad_submissions(rng: np.random.Generator) -> list[dict]:
    """Two extra submissions: an unknown ort (quarantined) and an unknown plats in a known ort (kept at ort
    level, the name listed for review)."""
    by_name = {r.name: r for r in KOMMUN_REPORTERS}
    bad = []
    rep = by_name["Skolan Överlida"]
    start = _submission_time(rng, 2023, 20)
    sub = _kommun_sub(rep, 2023, 20, start + timedelta(minutes=30), Spot(BAD_ORT, None, 1), {"klotter": 1},
                      "Klotter på busskuren.", rng)
    bad.append(sub)
    rep = by_name["Fritidsgården Svenljunga"]
    start = _submission_time(rng, 2025, 6)
    bad.append(_kommun_sub(rep, 2025, 6, start + timedelta(minutes=45), Spot("Svenljunga", BAD_PLATS, 1),
                           {"storande_samlingar": 2}, "Grupper samlas vid sporthallen efter träningarna.", rng))
    return bad


def write_lagesbild_kommun(path: Path, config: KommunConfig, mapping: dict) -> int:
    rng = _rng(STREAM_KOMMUN)
    cols = mapping["columns"]
    category_columns = list(mapping["categories"].items())  # header -> key, in the form's order
    grade_label = {v: k for k, v in mapping.get("grades", {}).items()} or config.grades
    yes, no = "Ja", mapping["nothing_to_report"]["values"][0]
    header = ["ID", "Starttid", cols["date"], "E-post", "Namn", cols["week"], cols["reporter"],
              cols["nothing_to_report"], cols["ort"], cols["place"]]
    header += [h for h, _ in category_columns] + [cols["comment"]]
    domain = re.sub(r"[^a-z]", "", config.name.casefold().replace("å", "a").replace("ä", "a").replace("ö", "o"))
    subs = sorted(kommun_submissions(config), key=lambda s: (s["end"], s["reporter"].name))
    rows = []
    for i, s in enumerate(subs, start=1):
        rep: Reporter = s["reporter"]
        number = rep.number
        if rng.random() < .05:  # a substitute submits during holidays
            number += 100
        cats = [grade_label[s["grades"][k]] if k in s["grades"] else None for _, k in category_columns]
        rows.append([i, s["start"], s["end"], f"inrapportor{number}@{domain}.se", f"Inrapportör {number}",
                     s["week"], rep.name, yes if s["something"] or s["grades"] else no,
                     s["ort"] or None, s["plats"] or None, *cats, s["comment"] or None])
    write_xlsx(path, header, rows)
    return len(rows)


# --- Police and Svenbo: the standard long format ------------------------------------------------------
def _standard_rows(stream: int, config: KommunConfig, reporters, *, week_fmt, date_fmt, grade_fmt,
                   housing: bool) -> list[list[str]]:
    centralort = _centralort(config)
    labels = {c.key: c.label for c in config.categories}
    rows = []
    for year, week in demo_weeks():
        for index, rep in enumerate(reporters):
            rng = _rng(stream, index, year, week)
            observations = observe(rng, rep, year, week)
            day = min(date.fromisocalendar(year, week, int(rng.choice([4, 5], p=[.4, .6]))), TODAY)
            base = [week_fmt(year, week), date_fmt(day), rep.organisation, rep.name]
            if not observations:
                rows.append(base + ["", "", "Inget att rapportera", "", ""])
                continue
            for obs in sorted(observations, key=lambda o: (rep.spots.index(o.spot), o.key)):
                comment = _comment(rng, obs, year, week, centralort, housing) if rng.random() < .5 else ""
                rows.append(base + [obs.spot.ort, obs.spot.plats or "", labels[obs.key], grade_fmt(obs.grade),
                                    _with_pii(rng, comment)])
    return rows


def write_lagesbild_police(path: Path, config: KommunConfig, mapping: dict) -> int:
    """Polisen: `;`, Windows-1252, CRLF, "v47 2026", "24/11/2026", grades as numbers."""
    rows = _standard_rows(STREAM_POLICE, config, POLICE_REPORTERS, week_fmt=lambda y, w: f"v{w} {y}",
                          date_fmt=lambda d: d.strftime("%d/%m/%Y"), grade_fmt=str, housing=False)
    # Planted bad rows: an unknown category and an impossible week (53 is the most a year can have).
    rows.append(["v35 2024", "29/08/2024", "Polisen", "Kommunpolis Svenljunga", "Svenljunga", "Busstationen",
                 BAD_CATEGORY, "1", "Flera cykelstölder vid busstationen."])
    rows.append([BAD_WEEK, "", "Polisen", "Ingripandepolis", "Sexdrega", "", _label(config, "brand"), "2",
                 "Eldning vid återvinningsstationen."])
    rows.sort(key=lambda r: _week_sort_key(r[0]))
    write_csv(path, list(mapping["columns"].values()), rows, delimiter=";", encoding="cp1252")
    return len(rows)


def write_lagesbild_svenbo(path: Path, config: KommunConfig, mapping: dict) -> int:
    """Svenbo: `,`, UTF-8 with BOM, "2026-W47", ISO dates, grades as labels."""
    rows = _standard_rows(STREAM_SVENBO, config, SVENBO_REPORTERS, week_fmt=lambda y, w: f"{y}-W{w:02d}",
                          date_fmt=date.isoformat, grade_fmt=lambda g: config.grades[g], housing=True)
    # Planted bad row: the reporter is missing.
    rows.append(["2022-W41", "2022-10-13", "Svenbo", "", "Sexdrega", "", _label(config, "klotter"),
                 config.grades[1], "Klotter i trapphus i Sexdrega."])
    rows.sort(key=lambda r: _week_sort_key(r[0]))
    write_csv(path, list(mapping["columns"].values()), rows, delimiter=",", encoding="utf-8-sig",
              lineterminator="\n")
    return len(rows)


def _week_sort_key(text: str) -> tuple[int, int]:
    nums = [int(n) for n in re.findall(r"\d+", text)]
    year, week = (nums[0], nums[1]) if nums[0] > 1000 else (nums[1], nums[0])
    return year, week


def _label(config: KommunConfig, key: str) -> str:
    return config.category(key).label


def _centralort(config: KommunConfig) -> str:
    central_areas = {a.name for a in config.areas if a.kind == "centralort"}
    return next(o.name for o in config.orter if o.area in central_areas)


# =====================================================================================================
# Trygghetsundersökning
# =====================================================================================================
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


def _ort_weights(config: KommunConfig) -> tuple[list[str], np.ndarray]:
    central = _centralort(config)
    names, weights = [], []
    for o in config.orter:
        w = o.population or SMALLORT_WEIGHT
        names.append(o.name)
        weights.append(w * (CENTRALORT_BOOST if o.name == central else 1.0))
    w = np.asarray(weights, dtype=float)
    return names, w / w.sum()


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


# =====================================================================================================
# Träffpunkt
# =====================================================================================================
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


# =====================================================================================================
# Police events (polisen.se API format)
# =====================================================================================================
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


# =====================================================================================================
# Manifest and entry point
# =====================================================================================================
def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def demo_walks(config: KommunConfig) -> list[tuple[str, object, list, list]]:
    """The walk register of the demo: (file name, Walk, observations, measures).

    Two yearly walks in the centralort — the first led to new lighting in the tunnel at Elmo in April
    2024 (the improvement planted in the lägesbild), the second is now more than 12 months ago — and a
    planned walk at the rising place in Överlida."""
    from tsk.walks import Measure, Observation, Walk

    area_of = {o.name: o.area for o in config.orter}
    crew = {"kommun": 4, "polis": 2, "svenbo": 1, "boende": 7, "politiker": 2}
    first = (
        Walk(ort="Svenljunga", area=area_of["Svenljunga"], walk_date=date(2024, 3, 20), status="genomförd",
             route=["Torget", "Busstationen", "GC-banan och tunneln vid Elmo", "Thilanderska parken"],
             participants=crew, followup_date=date(2024, 4, 24),
             followup_notes="Förvaltningarna redovisade vad de gör; återbesök i tunneln till hösten."),
        [Observation(1, "GC-banan och tunneln vid Elmo", "Mörkt i tunneln, två armaturer trasiga, klotter på väggarna.",
                     ["belysning", "gomstallen", "skadegorelse"]),
         Observation(2, "Thilanderska parken", "Höga buskar skymmer gångvägen mot skolan.", ["vegetation"]),
         Observation(3, "Busstationen", "Skräp och krossat glas vid väderskyddet.", ["nedskrapning", "skotsel"])],
        [Measure(ort="Svenljunga", place="GC-banan och tunneln vid Elmo", description="Ny LED-belysning i tunneln och längs GC-banan.",
                 owner="Samhällsbyggnadsförvaltningen", decision_path="KLG", due_date=date(2024, 4, 30),
                 status="klar", completed_date=date(2024, 4, 15)),
         Measure(ort="Svenljunga", place="Thilanderska parken", description="Beskärning av buskar längs gångvägen.",
                 owner="Samhällsbyggnadsförvaltningen", decision_path="KLG", due_date=date(2024, 6, 1),
                 status="klar", completed_date=date(2024, 5, 20)),
         Measure(ort="Svenljunga", place="Busstationen", description="Fler papperskorgar och tätare städning.",
                 owner="Samhällsbyggnadsförvaltningen", decision_path="KLG", due_date=date(2024, 9, 1),
                 status="klar", completed_date=date(2024, 8, 15))],
    )
    second = (
        Walk(ort="Svenljunga", area=area_of["Svenljunga"], walk_date=date(2025, 10, 8), status="genomförd",
             route=["Torget", "Området runt ICA", "Hälsans stig", "Bakom brandstationen"],
             participants={**crew, "boende": 9, "foreningar": 1}, followup_date=date(2025, 11, 12)),
        [Observation(1, "Hälsans stig", "Ingen belysning på stigens norra del; tät skog nära stigen.",
                     ["belysning", "vegetation"]),
         Observation(2, "Bakom brandstationen", "Skymd plats där grupper samlas på kvällarna.", ["gomstallen", "folkliv"]),
         Observation(3, "Området runt ICA", "Mopeder kör över parkeringen på kvällarna.", ["trafik"])],
        [Measure(ort="Svenljunga", place="Hälsans stig", description="Belysning längs Hälsans stig.",
                 owner="Samhällsbyggnadsförvaltningen", decision_path="KS", due_date=date(2026, 6, 30),
                 status="beslutad"),
         Measure(ort="Svenljunga", place="Bakom brandstationen",
                 description="Dialog med fastighetsägaren om belysning och röjning bakom brandstationen.",
                 owner="Kommunstyrelseförvaltningen", decision_path="KLG", due_date=date(2026, 3, 31), status="pågår"),
         Measure(ort="Svenljunga", place="Området runt ICA", description="Trafikhinder vid parkeringens infarter.",
                 owner="Trafikverket", decision_path="KLG", due_date=date(2026, 5, 31), status="avslagen")],
    )
    planned = (
        Walk(ort="Överlida", area=area_of["Överlida"], walk_date=date(2026, 12, 9), status="planerad",
             route=["Badplatsen", "Skolan"], participants={"kommun": 3, "polis": 1, "boende": 6}),
        [], [],
    )
    return [(f"trygghetsvandring_{w.walk_date.isoformat()}_{_slug(w.ort)}.xlsx", w, obs, ms)
            for w, obs, ms in (first, second, planned)]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(name.casefold())).strip("-")


def write_manifest(path: Path, entries: list[dict]) -> None:
    lines = ["# Demo files in load order, written by tsk/demo_data.py (python -m tsk.demo_data). Do not edit.", ""]
    for e in entries:
        lines.append("[[files]]")
        for key in ("source", "file", "mapping", "name_field"):
            if e.get(key):
                lines.append(f"{key} = {_toml_str(e[key])}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def check_config(config: KommunConfig) -> None:
    """The demo content names orter, platser and categories: fail early and clearly if the
    configuration lacks one (for example a second kommun's tsk.toml with the Svenljunga demo)."""
    orter = {o.name for o in config.orter}
    platser = {(p.ort, p.name) for p in config.platser}
    keys = {c.key for c in config.categories}
    missing = set()
    spots = [s for r in KOMMUN_REPORTERS + POLICE_REPORTERS + SVENBO_REPORTERS for s in r.spots]
    spots += [Spot(*RISING_SPOT, 1), Spot(*IMPROVED_SPOT, 1)]
    for spot in spots:
        if spot.ort not in orter:
            missing.add(f"ort {spot.ort}")
        elif spot.plats and (spot.ort, spot.plats) not in platser:
            missing.add(f"plats {spot.plats} ({spot.ort})")
    missing |= {f"kategori {k}" for profile in PROFILES.values() for k in profile if k not in keys}
    if missing:
        raise ValueError(f"{config.path}: the demo data needs " + ", ".join(sorted(missing)))


def _write_areas(path: Path, config: KommunConfig) -> None:
    """The schematic areas file, written by tsk.geo (imported here: it pulls in the geo stack)."""
    from tsk.geo import write_demo_areas

    write_demo_areas(path, config)


def generate(out_dir: Path, config: KommunConfig | None = None) -> list[dict]:
    """Write every demo file and the manifest into `out_dir`; return the manifest entries (each with
    the number of data rows written under "rows", which the manifest itself leaves out)."""
    config = config or load_config()
    check_config(config)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ms_lagesbild, ms_lagesbild_rel = _read_mapping("lagesbild_msforms")
    standard, standard_rel = _read_mapping("lagesbild_standard")
    google, google_rel = _read_mapping("survey_google_forms")
    netigate, netigate_rel = _read_mapping("survey_netigate")
    tp, tp_rel = _read_mapping("traffpunkt_msforms")

    entries: list[dict] = []
    areas_file = "omraden.geojson"
    _write_areas(out_dir / areas_file, config)
    entries.append({"source": "areas", "file": areas_file, "name_field": "omrade"})

    def add(source, file, mapping_rel, rows):
        entries.append({"source": source, "file": file, "mapping": mapping_rel, "rows": rows})

    f = "lagesbild_kommun_msforms.xlsx"
    add("lagesbild", f, ms_lagesbild_rel, write_lagesbild_kommun(out_dir / f, config, ms_lagesbild))
    f = "lagesbild_polisen.csv"
    add("lagesbild", f, standard_rel, write_lagesbild_police(out_dir / f, config, standard))
    f = "lagesbild_svenbo.csv"
    add("lagesbild", f, standard_rel, write_lagesbild_svenbo(out_dir / f, config, standard))
    survey_rng = _rng(STREAM_SURVEY)
    for year in sorted(SURVEY_N):
        if year in NETIGATE_YEARS:
            f = f"trygghetsundersokning_{year}_netigate.xlsx"
            add("survey", f, netigate_rel, write_survey_netigate(out_dir / f, config, netigate, year, survey_rng))
        else:
            f = f"trygghetsundersokning_{year}_google_forms.csv"
            add("survey", f, google_rel, write_survey_google(out_dir / f, config, google, year, survey_rng))
    tp_rng = _rng(STREAM_TRAFFPUNKT)
    for year in sorted(TP_AREA_N):
        f = f"traffpunkt_{year}_msforms.xlsx"
        add("traffpunkt", f, tp_rel, write_traffpunkt(out_dir / f, config, tp, year, tp_rng))
    f = "polisen_handelser_demo.json"
    entries.append({"source": "police", "file": f, "rows": write_police_events(out_dir / f, config)})
    from tsk.walks import protocol_xlsx

    for f, walk, obs, measures in demo_walks(config):
        (out_dir / f).write_bytes(_fixed_xlsx_bytes(protocol_xlsx(walk, obs, measures, config)))
        entries.append({"source": "vandring", "file": f, "rows": 1})
    write_manifest(out_dir / "manifest.toml", entries)
    return entries


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tsk.demo_data",
                                description="Skriv demofilerna (exportfiler) för TSK-dashboard.")
    p.add_argument("--out", type=Path, default=None, help="Katalog (standard: data/demo eller TSK_DEMO_DIR).")
    args = p.parse_args(argv)
    out = args.out or setting_path("demo_dir")
    for e in generate(out):
        print(f"{e['file']}: {e.get('rows', '-')} rader")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
