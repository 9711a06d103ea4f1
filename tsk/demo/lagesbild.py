"""Lägesbild exports: the observation model shared by kommun, police and Svenbo; the kommun's Microsoft
Forms XLSX (one row per submission) and the police's and Svenbo's standard long CSV."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from tsk.config import KommunConfig
from tsk.demo.common import (
    LAST_WEEK,
    RISING_FIRST_WEEK,
    RISING_KEYS,
    RISING_SPOT,
    STREAM_KOMMUN,
    STREAM_POLICE,
    STREAM_SVENBO,
    TODAY,
    Reporter,
    Spot,
    _centralort,
    _choice,
    _is_new_year_week,
    _is_valborg_week,
    _label,
    _rng,
    demo_weeks,
    format_week,
    is_silent,
    planted_factor,
    season_factor,
)
from tsk.demo.files import write_csv, write_xlsx
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


def _place_phrase(ort: str, plats: str | None, centralort: str) -> str:
    if plats:
        return PLACE_PHRASE.get(plats, f"vid {plats[0].lower()}{plats[1:]}")
    return "i centrum" if ort == centralort else f"i {ort}"


def _with_pii(rng: np.random.Generator, text: str) -> str:
    """About PII_SHARE of comments carry a phone number or an e-mail address, for the redaction."""
    if text and rng.random() < PII_SHARE:
        return text + _choice(rng, PII_SNIPPETS)
    return text


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
