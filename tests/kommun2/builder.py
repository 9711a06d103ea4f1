"""Thin stores for the second, fictional test kommun (Björkdala, tests/kommun2/tsk.toml).

The data are built in code (seeded, deterministic), written as export files in the ordinary formats
(the standard lägesbild CSV, a web-survey CSV, a dialogue-survey CSV, polisen.se JSON, GeoJSON areas from
tsk.geo's schematic areas) and imported through the ordinary importers (tsk.ingest.run_import), so a
store here is what a new kommun gets in its first year.

    TSK_CONFIG=tests/kommun2/tsk.toml python -m tests.kommun2.builder OUT_DIR [SCENARIO ...]

writes OUT_DIR/<scenario>.duckdb for each scenario (all when none is named). Run the app on one with
TSK_CONFIG=tests/kommun2/tsk.toml TSK_DB=OUT_DIR/<scenario>.duckdb streamlit run app.py.
"""
from __future__ import annotations

import csv
import io
import json
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from tsk.config import KommunConfig, load_config
from tsk.geo import write_demo_areas
from tsk.ingest.run import run_import
from tsk.store import open_store

HERE = Path(__file__).resolve().parent
CONFIG_PATH = HERE / "tsk.toml"
MAPPINGS = HERE / "mappings"
STANDARD_LAGESBILD = HERE.parent.parent / "data" / "mappings" / "lagesbild_standard.toml"
YEAR = 2025

# Which exports each store holds. "areas" is the schematic area layer.
SCENARIOS: dict[str, tuple[str, ...]] = {
    "tom": (),
    "enkat_ett_ar": ("areas", "survey"),
    "en_omgang": ("areas", "lagesbild", "survey", "traffpunkt", "police"),
    "utan_traffpunkt": ("areas", "lagesbild", "survey", "police"),
    "utan_polis": ("areas", "lagesbild", "survey", "traffpunkt"),
    "bara_lagesbild": ("lagesbild",),
    "en_vecka": ("areas", "lagesbild_one_week"),
}


def config() -> KommunConfig:
    return load_config(CONFIG_PATH)


def _csv(path: Path, header: list[str], rows: list[list], *, delimiter: str = ";") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def _monday(week: int) -> date:
    return date.fromisocalendar(YEAR, week, 1)


def lagesbild_rows(cfg: KommunConfig, weeks: range) -> list[list]:
    """Weekly reports of two kommun units and the local police: places, ort-level reports (no place)
    and 'Inget att rapportera' weeks."""
    rng = random.Random(12)
    kommun_org = next(o.name for o in cfg.organisations if o.kind == "kommun")
    police_org = next(o.name for o in cfg.organisations if o.kind == "polis")
    reporters = [(kommun_org, "Fritidsgården"), (kommun_org, "Skolorna"), (police_org, "Kommunpolis")]
    cats = [c.label for c in cfg.categories if c.problem]
    places = [(p.ort, p.name) for p in cfg.platser] + [(o.name, "") for o in cfg.orter]
    rows = []
    for week in weeks:
        day = _monday(week) + timedelta(days=3)
        for org, reporter in reporters:
            n = rng.choice([0, 1, 1, 2])
            if n == 0:
                rows.append([f"v{week} {YEAR}", day.strftime("%d/%m/%Y"), org, reporter, "", "",
                             "Inget att rapportera", "", ""])
            for _ in range(n):
                ort, place = rng.choice(places)
                rows.append([f"v{week} {YEAR}", day.strftime("%d/%m/%Y"), org, reporter, ort, place,
                             rng.choice(cats), rng.choice([1, 1, 2, 3]),
                             "Grupp samlas på kvällarna." if rng.random() < 0.3 else ""])
    return rows


LAGESBILD_HEADER = ["Vecka", "Datum", "Organisation", "Inrapportör", "Ort", "Plats", "Kategori", "Bedömning",
                    "Kommentar"]

SURVEY_HEADER = ["Tidstämpel", "Hur gammal är du?", "Kön", "Var bor du?", "Hur trygg känner du dig i kommunen?",
                 "Hur trygg känner du dig ute ensam sent en kväll där du bor?",
                 "Hur stort problem är skadegörelse där du bor?", "Finns det platser där du känner dig otrygg?"]


def survey_rows(cfg: KommunConfig, n: int = 240) -> list[list]:
    rng = random.Random(25)
    trygg = cfg.scales["trygg5"].labels
    problem = cfg.scales["problem4"].labels
    orter = [o.name for o in cfg.orter]
    rows = []
    for i in range(n):
        ts = datetime(YEAR, 3, 3) + timedelta(minutes=97 * i)
        age = rng.choice(["16–19 år", "20–39 år", "40–64 år", "65 år eller äldre"])
        rows.append([ts.strftime("%Y-%m-%d %H:%M:%S"), age,
                     rng.choice(["Kvinna", "Man"]), rng.choice(orter), rng.choice(trygg),
                     rng.choice(trygg[:4] + ("Vet ej",)), rng.choice(problem),
                     rng.choice(["", "", "Torget", "Stationen på kvällen", "Badplatsen"])])
    return rows


TRAFFPUNKT_HEADER = ["ID", "Slutförandetid", "Område", "Svarar du som invånare eller företagare?",
                     "Hur trygg känner du dig i ditt område?", "Har tryggheten förändrats?", "Vill du berätta mer?"]


def traffpunkt_rows(cfg: KommunConfig) -> list[list]:
    """One round; the last area gets fewer answers than the suppression threshold."""
    rng = random.Random(7)
    trygg = cfg.scales["trygg5"].labels
    change = cfg.scales["forandring3"].labels
    areas = [a.name for a in cfg.areas if a.kind == "traffpunkt"]
    counts = {a: 25 for a in areas}
    counts[areas[-1]] = cfg.suppression_min - 2
    rows, n = [], 0
    for area, k in counts.items():
        for _ in range(k):
            n += 1
            ts = datetime(YEAR, 5, 5) + timedelta(hours=5 * n)
            rows.append([n, ts.strftime("%Y-%m-%d %H:%M:%S"), area, rng.choice(["Invånare", "Företagare"]),
                         rng.choice(trygg), rng.choice(change), rng.choice(["", "Mörkt vid vägen."])])
    return rows


def police_events(cfg: KommunConfig) -> list[dict]:
    """Events every ninth day from January of the data year into the next year's spring: the store then
    spans two years although the survey and the dialogue have one."""
    rng = random.Random(3)
    types = list(cfg.police_type_map) + ["Trafikolycka"]
    orter = [o.name for o in cfg.orter]
    centre = cfg.orter[0]
    events = []
    for i in range(50):
        when = datetime(YEAR, 1, 4, 20, 15) + timedelta(days=9 * i)
        kind = rng.choice(types)
        events.append({
            "id": 900000 + i,
            "datetime": when.strftime("%Y-%m-%d %H:%M:%S +01:00"),
            "name": f"{when.day:02d} {_MONTHS[when.month - 1]} {when:%H.%M}, {kind}, {cfg.name}",
            "summary": f"{kind} i {rng.choice(orter)}.",
            "url": f"/aktuellt/handelser/{YEAR}/{i}/",
            "type": kind,
            "location": {"name": cfg.name, "gps": f"{centre.lat},{centre.lon}"},
        })
    return events


_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december"]


def write_exports(out: Path, cfg: KommunConfig | None = None) -> dict[str, tuple[str, Path, Path | None]]:
    """Write every export file into `out`; return part -> (source, file, mapping or None)."""
    cfg = cfg or config()
    out.mkdir(parents=True, exist_ok=True)
    police = out / "polisen_handelser.json"
    police.write_text(json.dumps(police_events(cfg), ensure_ascii=False, indent=1), encoding="utf-8")
    return {
        "areas": ("areas", write_demo_areas(out / "omraden.geojson", cfg), None),
        "lagesbild": ("lagesbild", _csv(out / "lagesbild.csv", LAGESBILD_HEADER, lagesbild_rows(cfg, range(1, 53))),
                      STANDARD_LAGESBILD),
        "lagesbild_one_week": ("lagesbild", _csv(out / "lagesbild_en_vecka.csv", LAGESBILD_HEADER,
                                                 lagesbild_rows(cfg, range(40, 41))), STANDARD_LAGESBILD),
        "survey": ("survey", _csv(out / f"trygghetsundersokning_{YEAR}.csv", SURVEY_HEADER, survey_rows(cfg),
                                  delimiter=","), MAPPINGS / "survey.toml"),
        "traffpunkt": ("traffpunkt", _csv(out / f"dialog_{YEAR}.csv", TRAFFPUNKT_HEADER, traffpunkt_rows(cfg)),
                       MAPPINGS / "traffpunkt.toml"),
        "police": ("police", police, None),
    }


def build_store(db: Path, parts: tuple[str, ...], exports: dict, cfg: KommunConfig | None = None) -> Path:
    """A store holding exactly `parts`, each imported through the ordinary importer. Raises when an
    import quarantines anything: the fixture data are meant to be clean."""
    cfg = cfg or config()
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    with open_store(db, config=cfg):
        pass  # an empty store with its reference tables
    for part in parts:
        source, path, mapping = exports[part]
        outcome = run_import(source, path, db=db, config=cfg, mapping=mapping,
                             name_field="omrade" if source == "areas" else None, backup=False)
        if outcome.quarantined:
            raise RuntimeError(f"{path.name}: {outcome.quarantined} rows quarantined")
    return db


def build_all(out: Path, scenarios: list[str] | None = None) -> dict[str, Path]:
    cfg = config()
    exports = write_exports(Path(out) / "exports", cfg)
    return {name: build_store(Path(out) / f"{name}.duckdb", SCENARIOS[name], exports, cfg)
            for name in (scenarios or SCENARIOS)}


if __name__ == "__main__":
    if len(sys.argv) < 2 or any(a not in SCENARIOS for a in sys.argv[2:]):
        sys.exit(f"usage: python -m tests.kommun2.builder OUT_DIR [{' | '.join(SCENARIOS)} ...]")
    for name, path in build_all(Path(sys.argv[1]), sys.argv[2:] or None).items():
        print(f"{name}: {path}")
