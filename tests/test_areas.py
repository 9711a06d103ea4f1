"""The areas importer through run_import: formats, CRS, names, repair, and hostile files."""
from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from tsk.config import ROOT
from tsk.errors import FileRejected
from tsk.ingest.run import run_import
from tsk.store import open_store

DEMO = ROOT / "data" / "demo" / "omraden.geojson"
KOMMUN_BBOX = (12.7987, 57.1491, 13.2935, 57.6717)  # SOURCES.md §2, printed with 4 decimals
BBOX_ROUNDING = 1e-4
BBOX_COLS = ["minlon", "minlat", "maxlon", "maxlat"]


def extents(db) -> pd.DataFrame:
    with open_store(db) as store:
        return store.area_extents().set_index("name").sort_index()


def counts(db) -> dict:
    with open_store(db) as store:
        return store.counts()


def quarantine(db) -> pd.DataFrame:
    with open_store(db) as store:
        return store.quarantine_rows()


def notes(db) -> list[str]:
    with open_store(db) as store:
        log = store.import_log()
    return (log["notes"].iloc[-1] or "").splitlines()


def write_fc(path: Path, features: list[dict], crs: str | None = None) -> Path:
    fc = {"type": "FeatureCollection", "features": features}
    if crs:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    return path


def feature(props: dict, geom) -> dict:
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}


# Small squares inside the kommun, in WGS84.
NEAR_AXELFORS = box(13.055, 57.438, 13.075, 57.448)
NEAR_OVERLIDA = box(12.890, 57.340, 12.910, 57.355)


# --- the demo layer and other formats -------------------------------------------------------------
def test_demo_layer_sweref99tm(tmp_db, config):
    outcome = run_import("areas", DEMO, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (len(config.areas), 0)
    ext = extents(tmp_db)
    assert sorted(ext.index) == sorted(a.name for a in config.areas)
    assert ext["schematic"].all()
    minlon, minlat, maxlon, maxlat = KOMMUN_BBOX
    assert (ext["minlon"] >= minlon - BBOX_ROUNDING).all() and (ext["maxlon"] <= maxlon + BBOX_ROUNDING).all()
    assert (ext["minlat"] >= minlat - BBOX_ROUNDING).all() and (ext["maxlat"] <= maxlat + BBOX_ROUNDING).all()
    # Together the areas span the whole kommun.
    assert ext["minlon"].min() == pytest.approx(minlon, abs=BBOX_ROUNDING)
    assert ext["maxlat"].max() == pytest.approx(maxlat, abs=BBOX_ROUNDING)
    assert notes(tmp_db) == ["Koordinatsystem i filen: EPSG:3006 (SWEREF99 TM); omräknat till WGS84."]
    assert counts(tmp_db)["areas"] == len(config.areas)


def test_stored_wkt_is_valid_wgs84_with_6_decimals(tmp_db, config):
    run_import("areas", DEMO, db=tmp_db, config=config)
    with open_store(tmp_db) as store:
        geoms = store.area_geometries()
    for name, wkt in zip(geoms["name"], geoms["geometry_wkt"]):
        g = shapely.from_wkt(wkt)
        assert g.is_valid and g.geom_type in ("Polygon", "MultiPolygon"), name
        assert all(round(v, 6) == v for v in shapely.get_coordinates(g).ravel())


def _demo_layer() -> gpd.GeoDataFrame:
    return gpd.read_file(DEMO)


def _as_3008_geojson(tmp_path: Path) -> Path:
    path = tmp_path / "omraden_3008.geojson"
    _demo_layer().to_crs(3008).to_file(path, driver="GeoJSON")
    assert json.loads(path.read_text(encoding="utf-8"))["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::3008"
    return path


def _as_gpkg(tmp_path: Path) -> Path:
    path = tmp_path / "omraden.gpkg"
    _demo_layer().to_file(path, layer="omraden", driver="GPKG")
    return path


def _as_zipped_shapefile(tmp_path: Path) -> Path:
    folder = tmp_path / "shp"
    folder.mkdir()
    _demo_layer().to_crs(3008).to_file(folder / "omraden.shp")
    path = tmp_path / "omraden.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(folder.iterdir()):
            zf.write(part, f"omraden/{part.name}")
    return path


@pytest.mark.parametrize("make", [_as_3008_geojson, _as_gpkg, _as_zipped_shapefile],
                         ids=["geojson-3008", "gpkg-3006", "zipped-shapefile-3008"])
def test_other_formats_give_the_same_bboxes(tmp_path, config, make):
    reference_db = tmp_path / "reference.duckdb"
    run_import("areas", DEMO, db=reference_db, config=config)
    other_db = tmp_path / "other.duckdb"
    outcome = run_import("areas", make(tmp_path), db=other_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (len(config.areas), 0)
    want, got = extents(reference_db), extents(other_db)
    assert list(got.index) == list(want.index)
    assert (got[BBOX_COLS] - want[BBOX_COLS]).abs().max().max() < 1e-5
    assert got["schematic"].all()


def test_reimport_changes_nothing(tmp_db, config):
    run_import("areas", DEMO, db=tmp_db, config=config)
    again = run_import("areas", DEMO, db=tmp_db, config=config)
    assert again.already_imported
    assert counts(tmp_db)["imports"] == 1


# --- names ----------------------------------------------------------------------------------------
def test_unknown_area_is_quarantined_with_suggestions(tmp_path, tmp_db, config):
    path = write_fc(tmp_path / "a.geojson", [
        feature({"namn": "Axelfors", "kod": "3"}, NEAR_AXELFORS),
        feature({"namn": "Lysjö nord", "kod": "4"}, NEAR_OVERLIDA),
    ])
    outcome = run_import("areas", path, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (1, 1)
    q = quarantine(tmp_db)
    assert q["row_number"].tolist() == [2]
    assert q["reason"].iloc[0] == ("Området «Lysjö nord» finns inte bland kommunens områden. "
                                   "Förslag: Lysjö norra, Lysjö södra.")
    assert json.loads(q["suggestions"].iloc[0]) == ["Lysjö norra", "Lysjö södra"]
    assert json.loads(q["original_row"].iloc[0]) == {"namn": "Lysjö nord", "kod": "4"}
    ext = extents(tmp_db)
    assert list(ext.index) == ["Axelfors"]
    assert not ext.loc["Axelfors", "schematic"]  # no `schematisk` property: the kommun's own layer
    assert ext.loc["Axelfors", BBOX_COLS].tolist() == pytest.approx(list(NEAR_AXELFORS.bounds), abs=1e-6)


def test_name_matching_ignores_case_and_diacritics(tmp_path, tmp_db, config):
    path = write_fc(tmp_path / "a.geojson", [feature({"NAMN": "LYSJO SODRA"}, NEAR_AXELFORS)])
    outcome = run_import("areas", path, db=tmp_db, config=config)
    assert outcome.accepted == 1
    assert list(extents(tmp_db).index) == ["Lysjö södra"]


def test_missing_name_field_rejects_with_the_available_properties(tmp_db, config):
    before = counts(tmp_db)
    with pytest.raises(FileRejected) as e:
        run_import("areas", DEMO, db=tmp_db, config=config, name_field="områdesnamn")
    assert e.value.message == "Egenskapen «områdesnamn» finns inte i filen. Filens egenskaper: omrade, schematisk."
    assert counts(tmp_db) == before


def test_name_field_is_used(tmp_path, tmp_db, config):
    path = write_fc(tmp_path / "a.geojson", [feature({"namn": "fel", "trakt": "Högvad"}, NEAR_OVERLIDA)])
    outcome = run_import("areas", path, db=tmp_db, config=config, name_field="trakt")
    assert (outcome.accepted, outcome.quarantined) == (1, 0)
    assert list(extents(tmp_db).index) == ["Högvad"]


def test_no_name_property_rejects(tmp_path, tmp_db, config):
    path = write_fc(tmp_path / "a.geojson", [feature({"kod": "1", "typ": "yta"}, NEAR_OVERLIDA)])
    before = counts(tmp_db)
    with pytest.raises(FileRejected) as e:
        run_import("areas", path, db=tmp_db, config=config)
    assert e.value.message == ("Filen saknar en egenskap med områdets namn (namn, name, omrade eller område). "
                               "Ange vilken med --name-field. Filens egenskaper: kod, typ.")
    assert counts(tmp_db) == before


def test_empty_name_is_quarantined(tmp_path, tmp_db, config):
    path = write_fc(tmp_path / "a.geojson", [feature({"namn": "Högvad"}, NEAR_OVERLIDA),
                                             feature({"namn": None}, NEAR_AXELFORS)])
    outcome = run_import("areas", path, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (1, 1)
    assert quarantine(tmp_db)["reason"].tolist() == ["Uppgiften «namn» saknas."]


def test_real_kommun_boundary_is_not_an_area(realdata, tmp_db, config):
    """SCB's kommun polygon named "Svenljunga": the whole kommun, not the centralort area. It is
    quarantined (the import is logged, nothing else changes) without suggesting the centralort."""
    outcome = run_import("areas", realdata / "svenljunga_kommun_sweref99tm.geojson", db=tmp_db, config=config,
                         name_field="kommunnamn")
    assert (outcome.accepted, outcome.quarantined) == (0, 1)
    q = quarantine(tmp_db)
    assert q["reason"].tolist() == ["«Svenljunga» är kommunens namn: objektet är gränsen för hela Svenljunga "
                                    "kommun, inte ett av kommunens områden."]
    assert json.loads(q["suggestions"].iloc[0]) == []
    assert json.loads(q["original_row"].iloc[0]) == {"kommunkod": "1465", "kommunnamn": "Svenljunga", "lanskod": "14"}
    assert counts(tmp_db)["areas"] == 0


def test_real_kommun_boundary_without_name_field_rejects(realdata, tmp_db, config):
    with pytest.raises(FileRejected) as e:
        run_import("areas", realdata / "svenljunga_kommun_sweref99tm.geojson", db=tmp_db, config=config)
    assert e.value.message == ("Filen saknar en egenskap med områdets namn (namn, name, omrade eller område). "
                               "Ange vilken med --name-field. Filens egenskaper: kommunkod, kommunnamn, lanskod.")


# --- geometry -------------------------------------------------------------------------------------
def test_bow_tie_is_repaired(tmp_path, tmp_db, config):
    x0, y0, d = 13.05, 57.43, 0.02
    bow_tie = Polygon([(x0, y0), (x0 + d, y0 + d), (x0 + d, y0), (x0, y0 + d), (x0, y0)])
    assert not bow_tie.is_valid
    path = write_fc(tmp_path / "a.geojson", [feature({"namn": "Axelfors"}, bow_tie)])
    outcome = run_import("areas", path, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (1, 0)
    with open_store(tmp_db) as store:
        g = shapely.from_wkt(store.area_geometries().set_index("name").loc["Axelfors", "geometry_wkt"])
    assert g.is_valid and g.geom_type == "MultiPolygon"
    assert g.area == pytest.approx(d * d / 2, rel=1e-3)  # two triangles, each a quarter of the square
    assert "Ogiltig geometri lagades för 1 objekt." in notes(tmp_db)


def test_features_of_one_area_are_merged(tmp_path, tmp_db, config):
    west, east = box(13.05, 57.43, 13.06, 57.44), box(13.06, 57.43, 13.07, 57.44)
    path = write_fc(tmp_path / "a.geojson", [feature({"namn": "Axelfors"}, west),
                                             feature({"namn": "axelfors"}, east)])
    outcome = run_import("areas", path, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (1, 0)
    with open_store(tmp_db) as store:
        g = shapely.from_wkt(store.area_geometries().set_index("name").loc["Axelfors", "geometry_wkt"])
    assert g.geom_type == "Polygon" and g.equals(box(13.05, 57.43, 13.07, 57.44))
    assert "Området Axelfors består av 2 objekt i filen; de har slagits ihop." in notes(tmp_db)


@pytest.mark.parametrize("value, expected", [(True, True), ("true", True), (1, True), ("1", True),
                                             (False, False), ("nej", False), (0, False)])
def test_schematisk_property(tmp_path, tmp_db, config, value, expected):
    path = write_fc(tmp_path / "a.geojson", [feature({"namn": "Högvad", "schematisk": value}, NEAR_OVERLIDA)])
    run_import("areas", path, db=tmp_db, config=config)
    assert bool(extents(tmp_db).loc["Högvad", "schematic"]) is expected


def test_line_feature_is_quarantined(tmp_path, tmp_db, config):
    line = shapely.geometry.LineString([(13.05, 57.43), (13.07, 57.44)])
    path = write_fc(tmp_path / "a.geojson", [feature({"namn": "Högvad"}, NEAR_OVERLIDA),
                                             feature({"namn": "Axelfors"}, line)])
    outcome = run_import("areas", path, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (1, 1)
    assert quarantine(tmp_db)["reason"].tolist() == [
        "Geometrin är ingen yta (LineString) och kan inte vara en områdesgräns."]


def test_feature_outside_the_kommun_is_quarantined(tmp_path, tmp_db, config):
    stockholm = box(18.05, 59.32, 18.07, 59.33)
    path = write_fc(tmp_path / "a.geojson", [feature({"namn": "Högvad"}, NEAR_OVERLIDA),
                                             feature({"namn": "Kindaholm"}, stockholm)])
    outcome = run_import("areas", path, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (1, 1)
    assert quarantine(tmp_db)["reason"].tolist() == [
        "Området «Kindaholm» ligger utanför Svenljunga kommun; kontrollera filens koordinatsystem."]


def test_layer_with_the_wrong_crs_label_is_rejected(tmp_path, tmp_db, config):
    """SWEREF 99 TM coordinates labelled as SWEREF 99 13 30 land far west of the kommun."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::3008"
    path = tmp_path / "fel_crs.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = counts(tmp_db)
    with pytest.raises(FileRejected) as e:
        run_import("areas", path, db=tmp_db, config=config)
    assert e.value.message == ("Inget objekt i filen ligger inom Svenljunga kommun. Kontrollera "
                               "koordinatsystemet (filen anger EPSG:3008 (SWEREF99 13 30)).")
    assert counts(tmp_db) == before


def test_metres_without_crs_rejects(tmp_path, tmp_db, config):
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    del data["crs"]
    path = tmp_path / "utan_crs.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FileRejected) as e:
        run_import("areas", path, db=tmp_db, config=config)
    assert e.value.key == "geo_no_crs"


# --- hostile and broken files: exact message, nothing changed --------------------------------------
@pytest.fixture
def loaded_db(tmp_db, config):
    run_import("areas", DEMO, db=tmp_db, config=config)
    return tmp_db


def _assert_rejected_unchanged(db, config, path: Path, message: str):
    before_counts, before_extents = counts(db), extents(db)
    with pytest.raises(FileRejected) as e:
        run_import("areas", path, db=db, config=config)
    assert e.value.message == message
    assert counts(db) == before_counts
    pd.testing.assert_frame_equal(extents(db), before_extents)


def test_hostile_malformed_geojson(tmp_path, loaded_db, config):
    path = tmp_path / "trasig.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [}', encoding="utf-8")
    _assert_rejected_unchanged(loaded_db, config, path,
                               "GeoJSON-filen är trasig och kunde inte läsas (fel på rad 1, tecken 44).")


def test_hostile_empty_feature_collection(tmp_path, loaded_db, config):
    path = write_fc(tmp_path / "tom.geojson", [])
    _assert_rejected_unchanged(loaded_db, config, path, "Filen innehåller inga objekt (features) med områden.")


def test_hostile_zip_traversal(tmp_path, loaded_db, config):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("omraden.shp", b"\0" * 100)
        zf.writestr("omraden.shx", b"\0" * 100)
        zf.writestr("omraden.dbf", b"\0" * 100)
        zf.writestr("../evil.shp", b"\0" * 100)
    _assert_rejected_unchanged(loaded_db, config, path,
                               "Zipfilen avvisas: den innehåller en otillåten sökväg «../evil.shp».")
    assert not (tmp_path.parent / "evil.shp").exists()


def test_hostile_zip_bomb(tmp_path, loaded_db, config):
    path = tmp_path / "bomb.zip"
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("omraden.shp", b"\0" * 100)
        zf.writestr("omraden.shx", b"\0" * 100)
        with zf.open("omraden.dbf", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(chunk)
    assert path.stat().st_size < 2 * (1 << 20)
    _assert_rejected_unchanged(loaded_db, config, path,
                               "Zipfilen avvisas: uppackad blir den 300 MB; högst 200 MB tas emot.")


def test_hostile_random_bytes_named_geojson(tmp_path, loaded_db, config):
    path = tmp_path / "brus.geojson"
    path.write_bytes(b"\x89" + random.Random(2026).randbytes(8192))
    _assert_rejected_unchanged(loaded_db, config, path, "Filen är ingen GeoJSON-fil: innehållet är inte text (UTF-8).")


def test_all_features_quarantined_is_still_an_import(tmp_path, loaded_db, config):
    """Consistent with the other importers' quarantine: the rows are kept for correction, and the
    geometry already stored is untouched."""
    before = extents(loaded_db)
    path = write_fc(tmp_path / "a.geojson", [feature({"namn": "Okänt"}, NEAR_AXELFORS)])
    outcome = run_import("areas", path, db=loaded_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (0, 1)
    pd.testing.assert_frame_equal(extents(loaded_db), before)
