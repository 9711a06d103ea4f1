"""Geometry for the maps: areas parsed from WKT, simplified together and rounded; bounds, label points
and GeoJSON features."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from tsk.geo import round_coords, simplify_coverage_for_map
from tsk.maps.base import NDIGITS
from tsk.maps.text import _missing


def _map_geometries(wkts: Sequence, tolerance_deg: float) -> list[BaseGeometry | None]:
    """Parse WKT, simplify the areas together (shared borders stay shared) and round to 5 decimals."""
    geoms: list[BaseGeometry | None] = []
    for w in wkts:
        g = None if _missing(w) or not str(w).strip() else shapely.from_wkt(str(w))
        geoms.append(None if g is None or g.is_empty else g)
    present = [i for i, g in enumerate(geoms) if g is not None]
    if not present:
        return geoms
    parts = [geoms[i] for i in present]
    if tolerance_deg > 0:
        if bool(shapely.coverage_is_valid(np.asarray(parts, dtype=object))):
            parts = simplify_coverage_for_map(parts, tolerance_deg)
        else:  # overlapping uploads: simplify each area on its own
            parts = [g.simplify(tolerance_deg, preserve_topology=True) for g in parts]
    for i, g in zip(present, parts):
        g = round_coords(g, NDIGITS)
        geoms[i] = None if g.is_empty else g
    return geoms


def _bounds(geoms: Iterable[BaseGeometry | None], points: Iterable[tuple[float, float]] = ()) -> list[list[float]] | None:
    xs, ys = [], []
    for g in geoms:
        if g is not None:
            minx, miny, maxx, maxy = g.bounds
            xs += [minx, maxx]
            ys += [miny, maxy]
    for lat, lon in points:
        xs.append(lon)
        ys.append(lat)
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def _label_point(geom: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) deep inside the area's largest part (pole of inaccessibility)."""
    parts = list(shapely.get_parts(geom))
    largest = max(parts, key=lambda p: p.area)
    try:
        circle = shapely.maximum_inscribed_circle(largest, largest.length / 2000 or None)
        x, y = shapely.get_coordinates(circle)[0]
    except Exception:  # degenerate polygons: any point on the surface will do
        p = largest.representative_point()
        x, y = p.x, p.y
    return round(float(y), NDIGITS), round(float(x), NDIGITS)


def _feature(i: int, geom: BaseGeometry, props: dict) -> dict:
    return {"type": "Feature", "id": str(i), "properties": props, "geometry": mapping(geom)}
