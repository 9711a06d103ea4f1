"""The demo's reporter units (demo content): their category profiles, the places they watch and how
they write, for the kommun's, the police's and Svenbo's lägesbild; and the planted bad rows."""
from __future__ import annotations

from tsk.demo.common import Reporter, _s

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
