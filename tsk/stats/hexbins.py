"""Hexagon bins in metres: counts per hexagonal cell, cells under the suppression minimum dropped.

Pure (no Streamlit, no SQL, no map): points in WGS 84 (lat, lon) are projected to SWEREF 99 TM
(EPSG:3006, metres, the Swedish national grid), binned into pointy-top hexagons whose width between
opposite sides is `cell_m` metres (so neighbouring centres are `cell_m` apart), and the cells are given
back with their centre and corners in WGS 84. A cell whose count is under `min_count` is dropped: not
given back, not even as "under 5"; only how many cells were dropped is told.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

METRIC_CRS = "EPSG:3006"
SQRT3 = math.sqrt(3.0)


@dataclass(frozen=True)
class HexBins:
    """`cells`: one row per shown cell, most counted first, columns q, r (axial cell index), count,
    points (how many input points fell in it), lat, lon (centre), corners (six (lat, lon) pairs).
    `cell_m`: the width of a cell in metres. `hidden_cells`: cells dropped for being under `min_count`."""

    cells: pd.DataFrame
    cell_m: float
    min_count: int
    hidden_cells: int


@lru_cache(maxsize=2)
def _transformer(inverse: bool):
    from pyproj import Transformer
    src, dst = ("EPSG:4326", METRIC_CRS)
    return Transformer.from_crs(dst, src, always_xy=True) if inverse else Transformer.from_crs(src, dst, always_xy=True)


def to_metres(lat, lon) -> tuple[np.ndarray, np.ndarray]:
    """(x east, y north) in SWEREF 99 TM metres."""
    x, y = _transformer(False).transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def from_metres(x, y) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) in WGS 84 from SWEREF 99 TM metres."""
    lon, lat = _transformer(True).transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)


def hex_index(x: np.ndarray, y: np.ndarray, cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial (q, r) of the pointy-top hexagon of width `cell_m` (flat side to flat side) holding each
    point; the hexagon (0, 0) is centred on the origin of the metric grid."""
    size = cell_m / SQRT3  # centre to corner
    qf = (SQRT3 / 3 * x - y / 3) / size
    rf = (2 / 3 * y) / size
    # cube rounding: the nearest hexagon centre
    sf = -qf - rf
    q, r, s = np.round(qf), np.round(rf), np.round(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    return q.astype(np.int64), r.astype(np.int64)


def hex_centre(q, r, cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """The metric centre (x, y) of axial cells (q, r)."""
    size = cell_m / SQRT3
    q, r = np.asarray(q, dtype=float), np.asarray(r, dtype=float)
    return size * SQRT3 * (q + r / 2), size * 1.5 * r


def hex_bins(points: pd.DataFrame, *, cell_m: float, min_count: int, weight: str | None = None) -> HexBins:
    """Count `points` (columns lat, lon and, with `weight`, a count per point, e.g. reports per place)
    per hexagon of width `cell_m` metres; cells whose count is under `min_count` are dropped."""
    if not cell_m or not math.isfinite(cell_m) or cell_m <= 0:
        raise ValueError(f"cell_m must be a positive number of metres, got {cell_m!r}")
    columns = ["q", "r", "count", "points", "lat", "lon", "corners", "rotation"]
    df = points[points["lat"].notna() & points["lon"].notna()]
    w = df[weight].fillna(0).astype(float).to_numpy() if weight else np.ones(len(df))
    keep = w > 0
    df, w = df[keep], w[keep]
    if df.empty:
        return HexBins(pd.DataFrame(columns=columns), float(cell_m), int(min_count), 0)
    x, y = to_metres(df["lat"].to_numpy(), df["lon"].to_numpy())
    q, r = hex_index(x, y, cell_m)
    per = (pd.DataFrame({"q": q, "r": r, "count": w, "points": 1})
           .groupby(["q", "r"], sort=False).sum().reset_index())
    per["count"] = per["count"].round().astype(int)
    shown = per[per["count"] >= min_count]
    hidden = len(per) - len(shown)
    shown = shown.sort_values(["count", "q", "r"], ascending=[False, True, True], kind="stable").reset_index(drop=True)
    cx, cy = hex_centre(shown["q"], shown["r"], cell_m)
    lat, lon = from_metres(cx, cy)
    size = cell_m / SQRT3
    angles = np.radians(30 + 60 * np.arange(6))  # pointy top: corners at 30°, 90°, ...
    corner_x = cx[:, None] + size * np.cos(angles)[None, :]
    corner_y = cy[:, None] + size * np.sin(angles)[None, :]
    clat, clon = from_metres(corner_x.ravel(), corner_y.ravel())
    clat, clon = clat.reshape(-1, 6), clon.reshape(-1, 6)
    # the north corner (90°) seen from the centre, in local metres: how far the grid is turned
    north_dx = (clon[:, 1] - lon) * np.cos(np.radians(lat)) * 111_320.0
    north_dy = (clat[:, 1] - lat) * 110_574.0
    shown = shown.assign(lat=lat, lon=lon,
                         corners=[tuple(zip(a.tolist(), b.tolist())) for a, b in zip(clat, clon)],
                         rotation=np.degrees(np.arctan2(north_dx, north_dy)))
    return HexBins(shown[columns], float(cell_m), int(min_count), int(hidden))
