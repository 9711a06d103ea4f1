"""Scale data in the documented import formats, generated streaming and cached by size and seed.

- A scale configuration: tsk.toml (Svenljunga's six areas, their orter and platser) plus K synthetic
  kommuner, each with 6 orter and 4 platser per ort, placed inside one of the six areas. The app is a
  one-kommun tool, so a regional or national store is modelled as many kommuner's orter in one
  gazetteer; the number of areas stays six (the maps' polygons are the demo's).
- Lägesbild in the standard long format (data/mappings/lagesbild_standard.toml): one row per report ×
  category, `;`-separated UTF-8, ISO week and date on every row, 5 % "Inget att rapportera" rows,
  15 % with a comment. 2017-W01 to 2026-W47 (ten years, ending where the demo ends).
- Trygghetsundersökning in the Google Forms export format (data/mappings/survey_google_forms.toml):
  one row per respondent, every field quoted, Google's Swedish timestamps, 15 % free text naming a place.

Files are written in numpy/pyarrow chunks of at most CHUNK_ROWS rows, never holding a whole file in
memory. `python -m bench.generate --size 1M` writes (or reuses) the files and prints their paths.
"""
from __future__ import annotations

import argparse
import json
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from bench.common import DATA, DEFAULT_SEED, parse_size, size_label
from tsk.config import ROOT

GEN_VERSION = 2          # bump when the generated content changes: cached files are keyed on it
CHUNK_ROWS = 500_000
FIRST_WEEK = (2017, 1)
LAST_WEEK = (2026, 47)   # the demo's last week, so the demo's police, Träffpunkt and walk files line up
ORTER_PER_KOMMUN = 6
PLATSER = ("Torget", "Skolan", "Idrottsplatsen", "Busshållplatsen")
PLATS_WEIGHTS = (0.35, 0.3, 0.2, 0.15)
# (unit, organisation index): 8 kommun units, 2 police, 2 housing company per kommun.
REPORTER_UNITS = (("Skolan", 0), ("Fritidsgården", 0), ("Hemtjänsten", 0), ("Fältgruppen", 0),
                  ("Biblioteket", 0), ("Gatuenheten", 0), ("Räddningstjänsten", 0), ("Kulturskolan", 0),
                  ("Kommunpolisen", 1), ("Närpolisen", 1), ("Fastighetsskötare", 2), ("Kundcenter", 2))
ORGANISATIONS = ("Svenljunga kommun", "Polisen", "Svenbo")  # configured names (one kommun's vocabulary)
NOTHING = "Inget att rapportera"
COMMENTS = (
    "Krossad ruta vid entrén.", "Nya taggar på väggen.", "Mycket skräp efter helgen.", "Eld i papperskorg.",
    "Grupper av ungdomar samlas sena kvällar.", "Lukt av cannabis vid parkeringen.", "Bråk under helgen.",
    "Personal blev utskälld vid ett besök.", "Trasig belysning längs gångvägen.",
    "Mopeder kör på gång- och cykelvägen.", "Rykten i sociala medier om en fest.", "Marknad på lördag.",
    "Skadegörelse på bänkar, anmält till fastighet.", "Flaskor och pizzakartonger på marken.",
    "Mörkt och buskigt, personal undviker att gå där.", "Hög musik och mopeder fredag kväll.",
)
PII_COMMENT = "Ring vaktmästaren på 070-174 06 42 för nyckel."  # redaction has work to do
# How many synthetic kommuner each named size represents (≈ 35–65 rows per kommun and week).
KOMMUNER = {100_000: 5, 1_000_000: 49, 10_000_000: 290}
# The survey that goes with each lägesbild size (respondents over ten years, from how many kommuner).
# 10M shares the 1M survey file (a national survey of 1M respondents is already the 1M case).
SURVEY_FOR = {100_000: (10_000, 5), 1_000_000: (1_000_000, 49), 10_000_000: (1_000_000, 49)}


def kommuner_for(rows: int) -> int:
    if rows in KOMMUNER:
        return KOMMUNER[rows]
    return int(min(290, max(1, round(rows / 34_500))))


def survey_for(rows: int) -> tuple[int, int]:
    """(respondents, kommuner) of the survey that goes with `rows` lägesbild rows."""
    return SURVEY_FOR.get(rows, (min(1_000_000, max(1_000, rows // 10)), kommuner_for(rows)))


def iso_weeks() -> list[date]:
    """Mondays from FIRST_WEEK to LAST_WEEK."""
    day = date.fromisocalendar(*FIRST_WEEK, 1)
    end = date.fromisocalendar(*LAST_WEEK, 1)
    out = []
    while day <= end:
        out.append(day)
        day += timedelta(days=7)
    return out


# --- the scale configuration ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScaleGeo:
    kommuner: int
    orter: list[tuple[str, str]]       # (name, area) of the synthetic orter
    config_path: Path


def _area_polygons() -> dict:
    """Area name -> WGS84 shapely polygon, from the demo's schematic areas file."""
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape

    data = json.loads((ROOT / "data" / "demo" / "omraden.geojson").read_text(encoding="utf-8"))
    to_wgs = Transformer.from_crs(3006, 4326, always_xy=True)
    out = {}
    for f in data["features"]:
        geom = shapely.transform(shape(f["geometry"]), lambda xy: np.column_stack(to_wgs.transform(xy[:, 0], xy[:, 1])))
        shapely.prepare(geom)
        out[f["properties"]["omrade"]] = geom
    return out


def _points_in(geom, n: int, rng: np.random.Generator) -> list[tuple[float, float]]:
    import shapely

    minx, miny, maxx, maxy = geom.bounds
    out: list[tuple[float, float]] = []
    while len(out) < n:
        xs = rng.uniform(minx, maxx, 4 * n)
        ys = rng.uniform(miny, maxy, 4 * n)
        inside = shapely.contains_xy(geom, xs, ys)
        out += [(round(float(y), 5), round(float(x), 5)) for x, y in zip(xs[inside], ys[inside])]
    return out[:n]


def ort_name(k: int, j: int) -> str:
    return f"Stad {k:03d}" if j == 0 else f"By {k:03d}-{j}"


def scale_config(kommuner: int, seed: int = DEFAULT_SEED) -> ScaleGeo:
    """tsk.toml plus `kommuner` synthetic kommuner's orter and platser (cached in bench/out/data)."""
    path = DATA / f"tsk_scale_k{kommuner}_s{seed}_v{GEN_VERSION}.toml"
    base = tomllib.loads((ROOT / "tsk.toml").read_text(encoding="utf-8"))
    areas = [a["name"] for a in base["areas"]]
    centralort = next(a["name"] for a in base["areas"] if a.get("kind") == "centralort")
    rural = [a for a in areas if a != centralort]
    orter = []
    for k in range(1, kommuner + 1):
        for j in range(ORTER_PER_KOMMUN):
            area = centralort if j == 0 else rural[(k + j) % len(rural)]
            orter.append((ort_name(k, j), area))
    if not path.is_file():
        rng = np.random.default_rng([seed, kommuner, 1])
        polygons = _area_polygons()
        by_area: dict[str, list[int]] = {}
        for i, (_, area) in enumerate(orter):
            by_area.setdefault(area, []).append(i)
        where: dict[int, tuple[float, float]] = {}
        for area, idx in by_area.items():
            for i, p in zip(idx, _points_in(polygons[area], len(idx), rng)):
                where[i] = p
        lines = [(ROOT / "tsk.toml").read_text(encoding="utf-8"),
                 f"\n# --- bench: {kommuner} synthetic kommuner, {ORTER_PER_KOMMUN} orter each, "
                 f"{len(PLATSER)} platser per ort (bench/generate.py) ---\n"]
        for i, (name, area) in enumerate(orter):
            lat, lon = where[i]
            lines.append(f'[[orter]]\nname = "{name}"\narea = "{area}"\nlat = {lat}\nlon = {lon}\n'
                         f"population = {int(rng.integers(150, 4000))}\napproximate = true\n")
            for p in PLATSER:
                plat, plon = lat + float(rng.normal(0, 0.003)), lon + float(rng.normal(0, 0.005))
                lines.append(f'[[platser]]\nname = "{p}"\nort = "{name}"\nlat = {plat:.5f}\nlon = {plon:.5f}\n'
                             "approximate = true\n")
        # Every synthetic reporter is a configured reporting unit of its organisation: tsk.toml lists only
        # Svenljunga's, and since reporting units are checked (issue 13) an unlisted reporter goes to review
        # (v1 of this file put every generated row in quarantine).
        for k in range(1, kommuner + 1):
            for unit, org in REPORTER_UNITS:
                lines.append(f'[[reporting_units]]\nname = "{unit} {k:03d}"\norganisation = "{ORGANISATIONS[org]}"\n')
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines), encoding="utf-8")
        tmp.replace(path)
    return ScaleGeo(kommuner, orter, path)


# --- lägesbild, long standard format -------------------------------------------------------------------------

def _dict_col(indices: np.ndarray, dictionary: list[str], mask: np.ndarray | None = None) -> pa.Array:
    arr = pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32), mask=mask),
                                         pa.array(dictionary, pa.string()))
    return arr.cast(pa.string())


def lagesbild_csv(rows: int, seed: int = DEFAULT_SEED) -> tuple[Path, ScaleGeo]:
    """The lägesbild file with `rows` data rows (cached). Returns (path, scale geography)."""
    kommuner = kommuner_for(rows)
    geo = scale_config(kommuner, seed)
    path = DATA / f"lagesbild_{size_label(rows)}_k{kommuner}_s{seed}_v{GEN_VERSION}.csv"
    if path.is_file():
        return path, geo
    cfg = tomllib.loads(geo.config_path.read_text(encoding="utf-8"))
    categories = cfg["est"]["categories"]
    cat_labels = [c["label"] for c in categories] + [(c.get("aliases") or [c["label"]])[0] for c in categories]
    cat_labels.append(NOTHING)
    n_cat = len(categories)
    cat_weights = np.array([3, 2, 3, 0.6, 3, 1, 0.8, 0.5, 1.5, 1.5, 0.6, 0.8][:n_cat] + [1.0] * max(0, n_cat - 12))
    cat_weights = cat_weights / cat_weights.sum()

    weeks = iso_weeks()
    w = len(weeks)
    t = np.arange(w)
    season = 1 + 0.25 * np.sin(2 * np.pi * (t / 52.18 - 0.2))
    growth = np.linspace(0.8, 1.2, w)
    rng = np.random.default_rng([seed, rows, 2])
    per_week = rng.multinomial(rows, season * growth / (season * growth).sum())
    week_labels = [f"{d.isocalendar().year}-W{d.isocalendar().week:02d}" for d in weeks]
    day_labels = [(d + timedelta(days=i)).isoformat() for d in weeks for i in range(7)]
    orter_names = [n for n, _ in geo.orter]
    reporters = [f"{unit} {k:03d}" for k in range(1, kommuner + 1) for unit, _ in REPORTER_UNITS]
    rep_org = np.array([org for _, org in REPORTER_UNITS])
    n_rep = len(REPORTER_UNITS)
    comments = list(COMMENTS) + [PII_COMMENT]

    header = ["Vecka", "Datum", "Organisation", "Inrapportör", "Ort", "Plats", "Kategori", "Bedömning", "Kommentar"]
    schema = pa.schema([(h, pa.string()) for h in header])
    tmp = path.with_suffix(".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    opts = pacsv.WriteOptions(delimiter=";", quoting_style="none", include_header=True)
    with pacsv.CSVWriter(str(tmp), schema, write_options=opts) as writer:
        start = 0
        while start < w:
            end, n = start, 0
            while end < w and (n == 0 or n + per_week[end] <= CHUNK_ROWS):
                n += int(per_week[end])
                end += 1
            wk = np.repeat(np.arange(start, end), per_week[start:end])
            kom = rng.integers(0, kommuner, n)
            rep = rng.integers(0, n_rep, n)
            org = rep_org[rep]
            nothing = rng.random(n) < 0.05
            home = rep % ORTER_PER_KOMMUN
            j = np.where(rng.random(n) < 0.8, home, rng.integers(0, ORTER_PER_KOMMUN, n))
            ort = kom * ORTER_PER_KOMMUN + j
            plats = rng.choice(len(PLATSER), n, p=PLATS_WEIGHTS)
            ort_level = rng.random(n) < 0.3
            cat = rng.choice(n_cat, n, p=cat_weights) + np.where(rng.random(n) < 0.05, n_cat, 0)
            cat = np.where(nothing, len(cat_labels) - 1, cat)
            grade = rng.choice(4, n, p=(0.1, 0.5, 0.3, 0.1))
            day = rng.integers(0, 6, n)
            has_comment = (rng.random(n) < 0.15) & ~nothing
            comment = np.where(rng.random(n) < 0.01, len(comments) - 1, rng.integers(0, len(COMMENTS), n))
            table = pa.table([
                _dict_col(wk, week_labels),
                _dict_col(wk * 7 + day, day_labels),
                _dict_col(org, list(ORGANISATIONS)),
                _dict_col(kom * n_rep + rep, reporters),
                _dict_col(ort, orter_names, mask=nothing),
                _dict_col(plats, list(PLATSER), mask=nothing | ort_level),
                _dict_col(cat, cat_labels),
                _dict_col(grade, ["0", "1", "2", "3"], mask=nothing),
                _dict_col(comment, comments, mask=~has_comment),
            ], schema=schema)
            writer.write_table(table)
            start = end
    tmp.replace(path)
    return path, geo


# --- trygghetsundersökning, Google Forms export ------------------------------------------------------------------

def survey_csv(respondents: int, kommuner: int, seed: int = DEFAULT_SEED) -> Path:
    """A Google Forms export with `respondents` rows over ten survey years (cached)."""
    geo = scale_config(kommuner, seed)
    path = DATA / f"survey_{size_label(respondents)}_k{kommuner}_s{seed}_v{GEN_VERSION}.csv"
    if path.is_file():
        return path
    mapping = tomllib.loads((ROOT / "data" / "mappings" / "survey_google_forms.toml").read_text(encoding="utf-8"))
    cols = mapping["columns"]
    items = mapping["items"]
    cfg = tomllib.loads(geo.config_path.read_text(encoding="utf-8"))
    scales = cfg["survey"]["scales"]
    missing = mapping["missing"]["labels"][0]
    header = [cols["timestamp"], cols["age_group"], cols["gender"], cols["ort"]] + [i["column"] for i in items]
    schema = pa.schema([(h, pa.string()) for h in header])
    orter = [n for n, _ in geo.orter]
    ages = ["13–19 år", "20–39 år", "40–64 år", "65 år eller äldre"]
    genders = ["Kvinna", "Man", "Vill inte ange"]
    years = list(range(FIRST_WEEK[0], LAST_WEEK[0] + 1))
    texts = [f"{p} i {o}" for o in orter for p in PLATSER[:2]] + ["Nej", "Inga särskilda platser",
                                                                    "Gång- och cykelvägar utan belysning"]
    stamps = [f"{y}/11/{d:02d} {h}:{m:02d}:{s:02d} {'fm' if ampm == 0 else 'em'} CET"
              for y in years for d in range(1, 31) for h in (7, 11) for ampm in (0, 1) for m in (3, 41)
              for s in (9, 52)]
    per_year = len(stamps) // len(years)
    rng = np.random.default_rng([seed, respondents, 3])
    tmp = path.with_suffix(".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    opts = pacsv.WriteOptions(delimiter=",", quoting_style="all_valid", include_header=True)
    with pacsv.CSVWriter(str(tmp), schema, write_options=opts) as writer:
        done = 0
        while done < respondents:
            n = min(CHUNK_ROWS, respondents - done)
            year = (np.arange(done, done + n) * len(years)) // respondents
            ort = rng.integers(0, len(orter), n)
            no_ort = rng.random(n) < 0.03
            columns = [
                _dict_col(year * per_year + rng.integers(0, per_year, n), stamps),
                _dict_col(rng.choice(4, n, p=(0.1, 0.3, 0.4, 0.2)), ages),
                _dict_col(rng.choice(3, n, p=(0.6, 0.37, 0.03)), genders),
                _dict_col(ort, orter, mask=no_ort),
            ]
            for item in items:
                if item.get("type") == "text":
                    has = rng.random(n) < 0.15
                    columns.append(_dict_col(rng.integers(0, len(texts), n), texts, mask=~has))
                    continue
                labels = list(scales[item["scale"]]["labels"]) + [missing]
                k = len(labels) - 1
                p = np.array([0.95 / k] * k + [0.05])
                columns.append(_dict_col(rng.choice(len(labels), n, p=p / p.sum()), labels))
            writer.write_table(pa.table(columns, schema=schema))
            done += n
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.generate")
    p.add_argument("--size", default="100k")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = p.parse_args(argv)
    rows = parse_size(args.size)
    path, geo = lagesbild_csv(rows, args.seed)
    survey = survey_csv(*survey_for(rows), args.seed)
    for f in (geo.config_path, path, survey):
        print(f"{f}  {f.stat().st_size / 1e6:,.1f} MB")


if __name__ == "__main__":
    main()
