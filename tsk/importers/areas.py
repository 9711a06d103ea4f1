"""Area boundaries (source `areas`): a GeoJSON, GeoPackage or zipped Shapefile with one or more
features per configured area.

Each feature's name is matched exactly (after normalisation) to a configured area; unknown names go to
quarantine with suggestions. Geometry is reprojected to WGS84, invalid polygons are repaired, and
several features of the same area are merged. A feature property `schematisk` = true marks the
geometry as a schematic drawing (the demo); otherwise it is the kommun's own boundary.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from tsk.errors import FileRejected, RowProblem
from tsk.geo import (
    METRIC,
    attribute_text,
    crs_label,
    kommun_outline,
    read_vector,
    repair,
    round_coords,
    to_wgs84,
)
from tsk.i18n import t
from tsk.importers.base import Batch, ImportContext, quarantined
from tsk.text import normalise_header, normalise_name

NAME_CANDIDATES = ("namn", "name", "omrade", "område", "NAMN", "Name")
WKT_DECIMALS = 6
# A feature further than this from the kommun outline is not one of its areas (wrong CRS, other kommun).
OUTSIDE_TOLERANCE_M = 2_000
# The share of an area's surface that must lie inside the kommun outline widened by the tolerance above
# (SCB's outlines are generalised, so a true area may poke out a little, never by a fifth).
MOSTLY_INSIDE = 0.8
TRUE_VALUES = {"true", "t", "1", "ja", "j", "yes", "y", "sant"}
COLUMNS = ["name", "schematic", "geometry_wkt", "minlon", "minlat", "maxlon", "maxlat"]


_cell = attribute_text  # an attribute value as text ('' when missing)


def _is_true(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _cell(value).strip().casefold()
    if text in TRUE_VALUES:
        return True
    try:
        return float(text) == 1
    except ValueError:
        return False


def name_column(properties: list[str], name_field: str | None) -> str:
    """The property holding the area name: the given one, else the first common name present."""
    available = ", ".join(properties) if properties else t("geo_none")
    if name_field:
        if name_field in properties:
            return name_field
        wanted = normalise_header(name_field)
        hit = next((p for p in properties if normalise_header(p) == wanted), None)
        if hit is None:
            raise FileRejected("areas_name_field_missing", field=name_field, available=available)
        return hit
    for candidate in NAME_CANDIDATES:
        if candidate in properties:
            return candidate
    for candidate in NAME_CANDIDATES:
        hit = next((p for p in properties if normalise_header(p) == normalise_header(candidate)), None)
        if hit is not None:
            return hit
    raise FileRejected("areas_no_name_field", available=available)


def parse(path: Path, ctx: ImportContext) -> Batch:
    """One row per configured area found in the vector file (its features merged), in config order;
    features without a known area name or outside the kommun go to quarantine."""
    layer = read_vector(Path(path))
    source_crs = layer.crs
    layer = to_wgs84(layer)
    properties = [c for c in layer.columns if c != layer.geometry.name]
    name_col = name_column(properties, ctx.name_field)
    schematic_col = next((p for p in properties if normalise_header(p) == "schematisk"), None)

    outline = kommun_outline(ctx.config.kommunkod)
    near_kommun = gpd.GeoSeries([outline], crs="EPSG:4326").to_crs(METRIC).buffer(OUTSIDE_TOLERANCE_M).iloc[0]
    metric = layer.geometry.to_crs(METRIC)

    quarantine = []
    parts: dict[str, list] = {}
    schematic: dict[str, bool] = {}
    repaired = 0
    outside = 0
    for i, (idx, row) in enumerate(layer.iterrows()):
        row_number = i + 1  # features are numbered from 1 in the order of the file
        original = {p: _cell(row[p]) for p in properties}
        try:
            name = _cell(row[name_col]).strip()
            area = _area_named(name, name_col, ctx)
            geom = row[layer.geometry.name]
            was_invalid = geom is not None and not geom.is_empty and not geom.is_valid
            fixed = repair(geom)
            m = metric.loc[idx]
            if m is not None and not m.is_empty and not m.intersects(near_kommun):
                outside += 1
                raise RowProblem("areas_outside_kommun", name=name, kommun=ctx.config.name)
            _check_mostly_inside(m, near_kommun, name, ctx)
        except RowProblem as problem:
            quarantine.append(quarantined(row_number, original, problem))
            continue
        repaired += was_invalid
        parts.setdefault(area, []).append(fixed)
        flag = _is_true(row[schematic_col]) if schematic_col else False
        schematic[area] = schematic.get(area, False) or flag

    if parts == {} and outside and outside == len(layer):
        raise FileRejected("areas_all_outside", kommun=ctx.config.name, crs=crs_label(source_crs))
    rows, notes = _merged_areas(parts, schematic, ctx)
    if repaired:
        notes.append(t("areas_note_repaired", n=repaired))
    if rows:
        notes.append(t("areas_note_crs", crs=crs_label(source_crs)))
        missing = [a.name for a in ctx.config.areas if a.name not in parts]
        if missing:
            notes.append(t("areas_note_missing", names=", ".join(missing)))
    return Batch(
        tables={},
        accepted=len(rows),
        quarantine=quarantine,
        notes=notes,
        area_geometries=pd.DataFrame(rows, columns=COLUMNS),
    )


def _area_named(name: str, name_col: str, ctx: ImportContext) -> str:
    """The configured area a feature's name means; RowProblem when it is blank or no area's."""
    if not name:
        raise RowProblem("missing_value", field=name_col)
    try:
        return ctx.gazetteer.area(name)
    except RowProblem:
        kommun_key = normalise_name(ctx.config.name)
        if normalise_name(name) in (kommun_key, f"{kommun_key} kommun"):
            # No suggestions: the nearest area name (the centralort) would be the wrong fix.
            raise RowProblem("areas_kommun_boundary", name=name, kommun=ctx.config.name) from None
        raise


def _check_mostly_inside(m, near_kommun, name: str, ctx: ImportContext) -> None:
    """RowProblem for a polygon (metric CRS) mostly outside the kommun: one covering Europe that merely
    touches it."""
    if m is not None and not m.is_empty and m.area > 0:
        valid = m if m.is_valid else shapely.make_valid(m)
        inside = valid.intersection(near_kommun).area / max(valid.area, 1e-9)
        if inside < MOSTLY_INSIDE:
            raise RowProblem("areas_mostly_outside", name=name, kommun=ctx.config.name,
                             pct=f"{100 * (1 - inside):.0f}")


def _merged_areas(parts: dict[str, list], schematic: dict[str, bool], ctx: ImportContext) -> tuple[list, list]:
    """(one row per area, its features merged, in config order; a note per area merged from several)."""
    rows = []
    notes = []
    order = [a.name for a in ctx.config.areas]
    for area in sorted(parts, key=order.index):
        geoms = parts[area]
        merged = geoms[0] if len(geoms) == 1 else repair(shapely.union_all(geoms))
        if len(geoms) > 1:
            notes.append(t("areas_note_merged", name=area, n=len(geoms)))
        stored = round_coords(merged, WKT_DECIMALS)
        minlon, minlat, maxlon, maxlat = stored.bounds
        rows.append((area, schematic[area], shapely.to_wkt(stored, rounding_precision=WKT_DECIMALS, trim=True),
                     minlon, minlat, maxlon, maxlat))
    return rows, notes
