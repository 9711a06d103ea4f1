"""Places as real points (source `places`): a GeoJSON, GeoPackage or zipped Shapefile with one point per
place, in any CRS with a declared CRS (SWEREF 99 TM, EPSG:3006, is what kommuner have), read and
reprojected to WGS84 by tsk.geo like the areas.

Each feature names a place and its ort (attribute columns, Swedish or English headers: see NAME_HEADERS
and ORT_HEADERS). A file without a CRS is read only when its coordinates are plainly longitude/latitude
(tsk.geo.read_vector); any point outside Sweden refuses the file (a wrong CRS, not a wrong row).

For each feature:
- a configured place (by name or alias in that ort, via the Gazetteer, review decisions included) or a
  place created in review gets this position and is no longer approximate;
- an unknown name in a known ort creates the place: the kommun's own GIS layer is the review (the import
  records a review decision «create» with its import id, so the places list, the maps and the next
  imports know it). Not when the name is nearly a place of the ort already (a typo would make a second
  place beside it), when review decided to keep that name at ort level, or when the name is no plain
  place name (markup, personal data, too long): those rows go to quarantine;
- an unknown ort, a feature that is no point (a MultiPoint of one point is that point), a point outside
  the kommun's imported areas (or, before areas are imported, outside the kommun), and several points
  for one place at different positions go to quarantine with the reason. The same point twice is one.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from rapidfuzz import fuzz

from tsk.errors import FileRejected, RowProblem
from tsk.geo import (
    METRIC,
    attribute_text,
    crs_label,
    kommun_outline,
    read_vector,
    to_wgs84,
)
from tsk.i18n import t
from tsk.importers.base import Batch, ImportContext, quarantined
from tsk.text import normalise_header, normalise_name, redact

# The rows a places import writes (Batch.place_positions; tsk.store.places.save_place_positions): the
# place (canonical name in its ort), its WGS84 position, whether the file creates it, and the name as
# written with its matching key (for the review decision of a created place).
POSITION_COLUMNS = ["ort", "name", "lat", "lon", "created", "name_key", "written"]
# Header variants, compared after tsk.text.normalise_header (case and spaces ignored).
NAME_HEADERS = ("namn", "name", "plats", "platsnamn", "plats_namn", "place", "place_name")
ORT_HEADERS = ("ort", "tätort", "tatort", "ortnamn", "ort_namn", "town", "locality")
# Sweden's extent (WGS84) with a margin: a point outside is a wrong CRS or a wrong file.
SWEDEN_BOUNDS = (10.0, 55.0, 24.5, 69.5)
# Tolerances for "inside the kommun": imported areas (the kommun's own boundaries) are exact; the
# outline used before areas are imported is SCB's generalised one (as for the areas importer).
AREA_TOLERANCE_M = 100
OUTLINE_TOLERANCE_M = 2_000
# Two points of one place closer than this are the same point (a feature written twice).
SAME_POINT_M = 1.0
# A new name this similar to a place of the ort (rapidfuzz ratio of the normalised names) is taken for a
# misspelling of it, not a new place.
SIMILAR_SCORE = 90
MAX_NAME_LENGTH = 80
DECIMALS = 6  # ~0.1 m
_NOT_A_NAME = re.compile(r"[<>{}\\`\x00-\x1f\x7f]")
WGS_COLUMNS = ("lon_wgs84", "lat_wgs84")


def _cell(value) -> str:
    return attribute_text(value).strip()


def header(properties: list[str], wanted: tuple[str, ...], given: str | None, missing_key: str) -> str:
    """The property named `given` (any case), else the first of the `wanted` variants present; FileRejected
    `missing_key` listing the file's properties when there is none."""
    available = ", ".join(properties) if properties else t("geo_none")
    by_header = {}
    for p in properties:
        by_header.setdefault(normalise_header(p), p)
    if given:
        hit = by_header.get(normalise_header(given))
        if hit is None:
            raise FileRejected("places_field_missing", field=given, available=available)
        return hit
    hit = next((by_header[normalise_header(w)] for w in wanted if normalise_header(w) in by_header), None)
    if hit is None:
        raise FileRejected(missing_key, available=available, names=", ".join(wanted))
    return hit


def _point(geom) -> shapely.Point:
    """The feature's point; RowProblem for a missing geometry or anything but a point (a MultiPoint of
    exactly one point is that point)."""
    if geom is None or geom.is_empty:
        raise RowProblem("geo_missing_geometry")
    geom = shapely.force_2d(geom)
    if geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    if geom.geom_type != "Point":
        kind = geom.geom_type if geom.geom_type != "MultiPoint" else t("places_kind_multipoint", n=len(geom.geoms))
        raise RowProblem("places_not_point", kind=kind)
    return geom


def _in_sweden(p: shapely.Point) -> bool:
    minx, miny, maxx, maxy = SWEDEN_BOUNDS
    return math.isfinite(p.x) and math.isfinite(p.y) and minx <= p.x <= maxx and miny <= p.y <= maxy


def _kommun_region(ctx: ImportContext):
    """(the region points must lie in, in SWEREF 99 TM metres, and the reason key for a point outside):
    the imported areas when there are any, else the kommun outline."""
    areas = ctx.area_geometries
    if areas is not None and not areas.empty and areas["geometry_wkt"].notna().any():
        geoms = [shapely.from_wkt(w) for w in areas["geometry_wkt"].dropna()]
        union = shapely.union_all([g if g.is_valid else shapely.make_valid(g) for g in geoms])
        region = gpd.GeoSeries([union], crs="EPSG:4326").to_crs(METRIC).buffer(AREA_TOLERANCE_M).iloc[0]
        return region, "places_outside_areas"
    outline = kommun_outline(ctx.config.kommunkod)
    region = gpd.GeoSeries([outline], crs="EPSG:4326").to_crs(METRIC).buffer(OUTLINE_TOLERANCE_M).iloc[0]
    return region, "places_outside_kommun"


def _new_place_name(name: str, ort: str, ctx: ImportContext) -> str:
    """The name of a place the file creates in `ort`, or RowProblem when it may not be created."""
    if len(name) > MAX_NAME_LENGTH or _NOT_A_NAME.search(name) or redact(name) != name:
        raise RowProblem("places_bad_name", name=redact(name)[:MAX_NAME_LENGTH], max=MAX_NAME_LENGTH)
    abbr = ctx.config.abbreviations
    key = normalise_name(name, abbr)
    if not key:  # punctuation only
        raise RowProblem("places_bad_name", name=name, max=MAX_NAME_LENGTH)
    kept = any(d.get("kind") == "place" and d.get("ort") == ort and d.get("name_key") == key
               and d.get("action") == "keep" for d in ctx.decisions or [])
    if kept:
        raise RowProblem("places_kept_at_ort", name=name, ort=ort)
    similar = sorted({canonical for k, canonical in ctx.gazetteer.places_by_ort[ort].by_key.items()
                      if fuzz.ratio(key, k) >= SIMILAR_SCORE})
    if similar:
        raise RowProblem("places_similar_name", suggestions=similar, name=name, ort=ort, similar=", ".join(similar))
    return name


def parse(path: Path, ctx: ImportContext) -> Batch:
    """One row per place the file positions (POSITION_COLUMNS); features that cannot be used go to
    quarantine. FileRejected for a file that is no point layer of this kommun."""
    layer = read_vector(Path(path), kind="point")
    source_crs = layer.crs
    layer = to_wgs84(layer)
    geom_col = layer.geometry.name
    properties = [c for c in layer.columns if c != geom_col]
    name_col = header(properties, NAME_HEADERS, ctx.name_field, "places_no_name_field")
    ort_col = header(properties, ORT_HEADERS, None, "places_no_ort_field")
    crs = crs_label(source_crs)

    # The points first: one outside Sweden refuses the file (a wrong CRS is no row's fault).
    points: dict[int, shapely.Point | RowProblem] = {}
    for i, geom in enumerate(layer.geometry):
        try:
            points[i] = _point(geom)
        except RowProblem as problem:
            points[i] = problem
            continue
        if not _in_sweden(points[i]):
            raise FileRejected("places_outside_sweden", row=i + 1, lon=f"{points[i].x:.6g}", lat=f"{points[i].y:.6g}",
                               crs=crs)
    region, outside_key = _kommun_region(ctx)
    found = [p for p in points.values() if isinstance(p, shapely.Point)]
    metric = dict(zip([i for i, p in points.items() if isinstance(p, shapely.Point)],
                      gpd.GeoSeries(found, crs="EPSG:4326").to_crs(METRIC) if found else []))

    quarantine = []
    by_place: dict[tuple[str, str], list[tuple[int, dict, dict]]] = {}
    outside = 0
    abbr = ctx.config.abbreviations
    for i in range(len(layer)):
        row_number = i + 1  # features are numbered from 1 in the order of the file
        original = {p: _cell(layer.iloc[i][p]) for p in properties}
        point = points[i]
        if isinstance(point, shapely.Point):
            original |= dict(zip(WGS_COLUMNS, (f"{point.x:.{DECIMALS}f}", f"{point.y:.{DECIMALS}f}")))
        try:
            if isinstance(point, RowProblem):
                raise point
            name = _cell(layer.iloc[i][name_col])
            ort_text = _cell(layer.iloc[i][ort_col])
            if not name:
                raise RowProblem("missing_value", field=name_col)
            if not ort_text:
                raise RowProblem("missing_value", field=ort_col)
            ort = ctx.gazetteer.orter.get(ort_text)
            if ort is None:  # its own key: the ort-alias review re-imports "unknown_ort" rows of tabular files
                raise RowProblem("places_unknown_ort", suggestions=ctx.gazetteer.orter.suggest(ort_text),
                                 name=ort_text)
            if not metric[i].within(region):
                outside += 1
                raise RowProblem(outside_key, name=name, ort=ort, kommun=ctx.config.name)
            place = ctx.gazetteer.places_by_ort[ort].get(name)
            created = place is None
            if created:
                place = _new_place_name(name, ort, ctx)
        except RowProblem as problem:
            quarantine.append(quarantined(row_number, original, problem))
            continue
        key = (ort, normalise_name(place, abbr))
        entry = {"ort": ort, "name": place, "lat": round(point.y, DECIMALS), "lon": round(point.x, DECIMALS),
                 "created": created, "name_key": normalise_name(name, abbr), "written": name}
        by_place.setdefault(key, []).append((row_number, original, entry))

    rows = []
    for (ort, _), hits in by_place.items():
        first = metric[hits[0][0] - 1]
        if all(metric[n - 1].distance(first) <= SAME_POINT_M for n, _, _ in hits):
            rows.append(hits[0][2])
            continue
        numbers = ", ".join(str(n) for n, _, _ in hits)
        for n, original, entry in hits:
            problem = RowProblem("places_duplicate", name=entry["name"], ort=ort, rows=numbers)
            quarantine.append(quarantined(n, original, problem))
    quarantine.sort(key=lambda q: q.row_number)

    if not rows and outside and outside == len(layer):
        raise FileRejected("places_all_outside", kommun=ctx.config.name, crs=crs)
    frame = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    notes = [t("places_note_crs", crs=crs)] if rows else []
    made = frame[frame["created"]]["name"].tolist() if rows else []
    if made:
        notes.append(t("places_note_created", n=len(made), names=", ".join(made[:20]) + (" …" if len(made) > 20 else "")))
    positioned = {(r["ort"], r["name"]) for r in rows}
    missing = [p for p in ctx.config.platser if (p.ort, p.name) not in positioned]
    if rows and missing:
        notes.append(t("places_note_missing", n=len(missing)))
    return Batch(tables={}, accepted=len(rows), quarantine=quarantine, notes=notes, place_positions=frame)
