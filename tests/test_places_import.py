"""Places as real points (source `places`, tsk.importers.places): a point layer in any declared CRS sets
the positions of configured places and creates new ones, on the demo store and on the second kommun's;
hostile layers are refused or kept aside with their Swedish reason, and a refused file changes nothing."""
from __future__ import annotations

import csv
import shutil
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from tsk.cli import main
from tsk.errors import FileRejected
from tsk.gazetteer import with_decisions
from tsk.i18n import t
from tsk.importers import places as places_importer
from tsk.ingest.run import run_import
from tsk.store import open_store

HOSTILE = Path(__file__).parent / "hostile"
# The hostile layers in tests/hostile/ this module imports (tests/test_hostile.py checks every file there is used).
HOSTILE_FILES = ("places_html_name.geojson", "places_not_points.geojson", "places_no_crs_metres.geojson",
                 "places_huge_coordinates.geojson", "places_outside_sweden.geojson")
SCRIPT = '<script>alert("tsk-xss")</script>'
IMG = '<img src=x onerror=alert("tsk-xss")>'


@pytest.fixture
def db(demo_copy) -> Path:
    return demo_copy


@pytest.fixture
def k2db(kommun2_stores, tmp_path) -> Path:
    copy = tmp_path / "kommun2.duckdb"
    shutil.copy(kommun2_stores["en_omgang"], copy)
    return copy


def _moved(p, metres: float = 40.0) -> shapely.Point:
    """A point `metres` north-east of a configured place's position (so a test sees it was moved)."""
    x, y = gpd.GeoSeries([shapely.Point(p.lon, p.lat)], crs="EPSG:4326").to_crs(3006).iloc[0].coords[0]
    return gpd.GeoSeries([shapely.Point(x + metres, y + metres)], crs=3006).to_crs(4326).iloc[0]


def _layer(rows, crs: str = "EPSG:3006", name_col: str = "Namn", ort_col: str = "Tätort") -> gpd.GeoDataFrame:
    """rows: (name, ort, WGS84 geometry) -> a layer in `crs`."""
    layer = gpd.GeoDataFrame({name_col: [r[0] for r in rows], ort_col: [r[1] for r in rows]},
                             geometry=[r[2] for r in rows], crs="EPSG:4326")
    return layer.to_crs(crs)


def _store(db: Path):
    return open_store(db, read_only=True)


def _place(db: Path, ort: str, name: str) -> dict:
    with _store(db) as store:
        ref = store.places_reference()
    hit = ref[(ref["ort"] == ort) & (ref["name"] == name)]
    assert len(hit) == 1, (ort, name)
    return hit.iloc[0].to_dict()


def _state(db: Path) -> dict:
    with _store(db) as store:
        return {"counts": store.counts(), "positions": store.place_positions().to_dict("records"),
                "places": store.places_reference().to_dict("records"),
                "decisions": store.review_decisions().to_dict("records")}


# --- the demo store: a GeoJSON in SWEREF 99 TM ---------------------------------------------------------------

def test_a_sweref_geojson_positions_configured_places_and_creates_new_ones(config, db, tmp_path):
    torget = next(p for p in config.platser if p.name == "Torget")
    ica = next(p for p in config.platser if p.name == "Området runt ICA")
    assert torget.approximate and ica.approximate  # the demo's positions are approximate until now
    new_at = _moved(torget, 300)
    path = tmp_path / "platser.geojson"
    _layer([
        ("Torget", torget.ort, _moved(torget)),
        ("ICA", ica.ort, _moved(ica)),  # an alias
        ("Nya lekplatsen", torget.ort, new_at),
    ]).to_file(path, driver="GeoJSON")
    before = _state(db)
    outcome = run_import("places", path, db=db, config=config, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (3, 0)
    assert outcome.notes[0] == t("places_note_crs", crs="EPSG:3006 (SWEREF99 TM)")
    assert t("places_note_created", n=1, names="Nya lekplatsen") in outcome.notes

    for plats, point in ((torget, _moved(torget)), (ica, _moved(ica))):
        row = _place(db, plats.ort, plats.name)
        assert not row["approximate"]
        assert row["lat"] == pytest.approx(point.y, abs=1e-6) and row["lon"] == pytest.approx(point.x, abs=1e-6)
    created = _place(db, torget.ort, "Nya lekplatsen")
    assert not created["approximate"] and created["lat"] == pytest.approx(new_at.y, abs=1e-6)
    with _store(db) as store:
        decisions = store.review_decisions()
        log = store.import_log().set_index("import_id")
    made = decisions[decisions["target"] == "Nya lekplatsen"]
    assert made[["kind", "ort", "action", "import_id"]].values.tolist() == [["place", torget.ort, "create",
                                                                            outcome.import_id]]
    assert (log.loc[outcome.import_id, "source"], log.loc[outcome.import_id, "rows_accepted"]) == ("places", 3)
    # Other places keep their configured (approximate) position.
    skolan = next(p for p in config.platser if p.name == "Skolan" and p.ort == torget.ort)
    assert _place(db, skolan.ort, skolan.name)["lat"] == pytest.approx(skolan.lat)
    assert len(_state(db)["places"]) == len(before["places"]) + 1

    # The same file again is recognised; nothing changes.
    after = _state(db)
    again = run_import("places", path, db=db, config=config, backup=False)
    assert again.already_imported and again.import_id == outcome.import_id
    assert _state(db) == after

    # A config sync (every write opens the store with the config) keeps the stored positions.
    with open_store(db, config=config):
        pass
    assert _state(db) == after
    # And the next imports see the created place, at its position, through the review decisions.
    with _store(db) as store:
        cfg = with_decisions(config, store.review_decisions().to_dict("records"),
                             store.place_positions().to_dict("records"))
    got = {(p.ort, p.name): p for p in cfg.platser}
    assert not got[(torget.ort, "Nya lekplatsen")].approximate
    assert got[(torget.ort, "Torget")].lat == pytest.approx(_moved(torget).y, abs=1e-6)


def test_a_later_layer_moves_a_place_again_and_the_map_data_follow(config, db, tmp_path):
    """The lägesbild map reads positions from the store: the newest layer's point is where a place's
    reports are drawn, no longer marked approximate."""
    window = dict(areas=[a.name for a in config.areas], orgs=[o.name for o in config.organisations],
                  cats=[c.key for c in config.categories], week_from=date(2000, 1, 3), week_to=date(2100, 1, 4))
    with _store(db) as store:
        drawn = store.lagesbild_places(**window)
    plats = next(p for p in config.platser if ((drawn["ort"] == p.ort) & (drawn["plats"] == p.name)).any())
    for i, metres in enumerate((40, 80)):
        path = tmp_path / f"v{i}.geojson"
        _layer([(plats.name, plats.ort, _moved(plats, metres))]).to_file(path, driver="GeoJSON")
        run_import("places", path, db=db, config=config, backup=False)
    with _store(db) as store:
        drawn = store.lagesbild_places(**window)
        assert len(store.place_positions()) == 1
    row = drawn[(drawn["ort"] == plats.ort) & (drawn["plats"] == plats.name)].iloc[0]
    assert row["lat"] == pytest.approx(_moved(plats, 80).y, abs=1e-6) and not row["approximate"]


def test_a_created_place_takes_the_rows_stored_with_its_name_written_freely(config, db, tmp_path):
    """The demo has a report at «Sporthallen», no place of its ort: the layer creating it places that row
    (otherwise the name would wait in review, whose «create» would say it is done and move nothing)."""
    from tsk.ingest import corrections

    with _store(db) as store:
        waiting = store.unplaced_place_texts()
    row = waiting[waiting["place_text"] == "Sporthallen"].iloc[0]
    path = tmp_path / "sporthallen.geojson"
    ort = next(o for o in config.orter if o.name == row["ort"])
    _layer([("sporthallen", ort.name, shapely.Point(ort.lon + 0.001, ort.lat))]).to_file(path, driver="GeoJSON")
    outcome = run_import("places", path, db=db, config=config, backup=False)
    assert t("places_note_rows_placed", n=int(row["reports"])) in outcome.notes
    with _store(db) as store:
        assert "Sporthallen" not in store.unplaced_place_texts()["place_text"].tolist()
        placed = store.query("SELECT count(*) AS n FROM lagesbild WHERE ort = ? AND place = 'sporthallen'", [ort.name])
        review = corrections.review_list(store, config)
    assert placed["n"].iloc[0] == row["reports"]
    assert not any(e["name"] == "Sporthallen" for e in review["places"])


# --- the second kommun: a GeoPackage and a zipped Shapefile -----------------------------------------------

def test_a_geopackage_positions_the_second_kommuns_places(kommun2_config, k2db, tmp_path):
    cfg = kommun2_config
    plats = cfg.platser[0]
    other_ort = next(o for o in cfg.orter if o.name != plats.ort)
    path = tmp_path / "platser.gpkg"
    _layer([(plats.name, plats.ort, _moved(plats)),
            ("Nya bryggan", other_ort.name, shapely.Point(other_ort.lon + 0.002, other_ort.lat)),
            ("Okänd plats", "Ingenstans", shapely.Point(other_ort.lon, other_ort.lat))],
           name_col="name", ort_col="ort").to_file(path, driver="GPKG", layer="platser")
    outcome = run_import("places", path, db=k2db, config=cfg, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (2, 1)
    assert not _place(k2db, plats.ort, plats.name)["approximate"]
    assert not _place(k2db, other_ort.name, "Nya bryggan")["approximate"]
    with _store(k2db) as store:
        q = store.quarantine_rows(outcome.import_id)
    assert q["reason_key"].tolist() == ["places_unknown_ort"]
    assert q["row_number"].tolist() == [3]


def test_a_zipped_shapefile_in_sweref_is_read(kommun2_config, k2db, tmp_path):
    cfg = kommun2_config
    plats = cfg.platser[-1]
    folder = tmp_path / "shp"
    folder.mkdir()
    _layer([(plats.name, plats.ort, _moved(plats))], name_col="plats", ort_col="tatort").to_file(
        folder / "platser.shp", engine="pyogrio")
    path = tmp_path / "platser.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    outcome = run_import("places", path, db=k2db, config=cfg, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (1, 0)
    row = _place(k2db, plats.ort, plats.name)
    assert not row["approximate"] and row["lon"] == pytest.approx(_moved(plats).x, abs=1e-6)


def test_before_areas_are_imported_the_kommun_outline_bounds_the_points(kommun2_config, kommun2_stores, tmp_path):
    """The store «tom» has no area geometry: a point in the neighbouring kommun is outside the outline."""
    cfg = kommun2_config
    db = tmp_path / "tom.duckdb"
    shutil.copy(kommun2_stores["tom"], db)
    plats = cfg.platser[0]
    path = tmp_path / "platser.geojson"
    _layer([(plats.name, plats.ort, _moved(plats)),
            ("Långt bort", plats.ort, shapely.Point(plats.lon + 1.5, plats.lat))]).to_file(path, driver="GeoJSON")
    outcome = run_import("places", path, db=db, config=cfg, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (1, 1)
    with _store(db) as store:
        q = store.quarantine_rows(outcome.import_id)
    assert q["reason"].tolist() == [t("places_outside_kommun", name="Långt bort", ort=plats.ort, kommun=cfg.name)]


# --- rows kept aside ---------------------------------------------------------------------------------------

def test_rows_that_cannot_be_used_go_to_quarantine_with_their_reason(config, db, tmp_path):
    torget = next(p for p in config.platser if p.name == "Torget")
    far = shapely.Point(14.5, 57.5)  # in Sweden, not in the kommun's areas
    path = tmp_path / "blandat.geojson"
    _layer([
        ("Torget", torget.ort, _moved(torget)),
        ("Torgett", torget.ort, _moved(torget, 200)),  # nearly Torget: no second place beside it
        ("Torget", "Okändby", _moved(torget)),
        ("Långt bort", torget.ort, far),
        ("", torget.ort, _moved(torget)),
        ("Badplatsen", "Överlida", shapely.MultiPoint([(12.905, 57.351)])),  # one point: accepted
    ]).to_file(path, driver="GeoJSON")
    outcome = run_import("places", path, db=db, config=config, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (2, 4)
    with _store(db) as store:
        q = store.quarantine_rows(outcome.import_id).set_index("row_number")
        made = store.review_decisions()
    assert q.loc[2, "reason_key"] == "places_similar_name" and '["Torget"]' == q.loc[2, "suggestions"]
    assert q.loc[3, "reason"] == t("places_unknown_ort", name="Okändby")
    assert q.loc[4, "reason"] == t("places_outside_areas", name="Långt bort", ort=torget.ort, kommun=config.name)
    assert q.loc[5, "reason"] == t("missing_value", field="Namn")
    assert '"lon_wgs84": "14.500000"' in q.loc[4, "original_row"]  # the point is shown with the row
    assert "Torgett" not in made["target"].tolist()
    assert not _place(db, "Överlida", "Badplatsen")["approximate"]


def test_the_unknown_ort_of_a_layer_is_not_swept_into_the_ort_alias_review(config, db, tmp_path):
    """The review's «ort alias» imports quarantined rows with reason unknown_ort again as CSV; a point
    layer's row cannot be, so it has its own key and the decision still works."""
    from tsk.ingest import corrections

    torget = next(p for p in config.platser if p.name == "Torget")
    path = tmp_path / "ort.geojson"
    _layer([("Torget", "Svenljunga C", _moved(torget))]).to_file(path, driver="GeoJSON")
    run_import("places", path, db=db, config=config, backup=False)
    corrections.decide_ort_alias(db, config, "Svenljunga C", torget.ort, actor="test")
    with _store(db) as store:
        assert store.open_quarantine(source="places")["reason_key"].tolist() == ["places_unknown_ort"]


@pytest.mark.parametrize("second,accepted,quarantined", [(0.0, 1, 0), (50.0, 0, 2)], ids=["same-point", "conflicting"])
def test_duplicate_rows_for_one_place(config, db, tmp_path, second, accepted, quarantined):
    """The same point twice is one position; two different points for one place are both kept aside
    (neither is guessed to be the right one)."""
    torget = next(p for p in config.platser if p.name == "Torget")
    path = tmp_path / "dubbel.geojson"
    _layer([("Torget", torget.ort, _moved(torget)), ("Stortorget", torget.ort, _moved(torget, 40 + second))]
           ).to_file(path, driver="GeoJSON")
    outcome = run_import("places", path, db=db, config=config, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (accepted, quarantined)
    assert _place(db, torget.ort, "Torget")["approximate"] == (accepted == 0)
    if quarantined:
        with _store(db) as store:
            reasons = set(store.quarantine_rows(outcome.import_id)["reason"])
        assert reasons == {t("places_duplicate", name="Torget", ort=torget.ort, rows="1, 2")}


def test_a_name_with_markup_is_no_new_place_and_an_unknown_ort_is_quarantined(config, db):
    before = _state(db)
    outcome = run_import("places", HOSTILE / "places_html_name.geojson", db=db, config=config, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (0, 2)
    with _store(db) as store:
        q = store.quarantine_rows(outcome.import_id)
    assert q["reason_key"].tolist() == ["places_bad_name", "places_unknown_ort"]
    assert q["reason"].iloc[1] == t("places_unknown_ort", name=IMG)
    after = _state(db)
    assert after["places"] == before["places"] and after["decisions"] == before["decisions"]
    assert after["positions"] == before["positions"] == []


def test_features_that_are_no_points_are_kept_aside_one_by_one(config, db):
    outcome = run_import("places", HOSTILE / "places_not_points.geojson", db=db, config=config, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (0, 4)
    with _store(db) as store:
        reasons = store.quarantine_rows(outcome.import_id)["reason"].tolist()
    assert reasons == [t("places_not_point", kind="Polygon"), t("places_not_point", kind="LineString"),
                       t("places_not_point", kind=t("places_kind_multipoint", n=2)), t("geo_missing_geometry")]


# --- files refused: nothing changes ---------------------------------------------------------------------------

def _empty(tmp_path):
    path = tmp_path / "tom.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    return path


def _no_name(tmp_path):
    path = tmp_path / "utan_namn.geojson"
    gpd.GeoDataFrame({"ort": ["Svenljunga"], "typ": ["lekplats"]}, geometry=[shapely.Point(13.1, 57.49)],
                     crs=4326).to_file(path, driver="GeoJSON")
    return path


def _all_outside(tmp_path):
    path = tmp_path / "annan_kommun.geojson"
    _layer([("Torget", "Svenljunga", shapely.Point(16.0, 59.0)), ("Skolan", "Svenljunga", shapely.Point(16.1, 59.1))]
           ).to_file(path, driver="GeoJSON")
    return path


def _polygon_gpkg(tmp_path):
    path = tmp_path / "ytor.gpkg"
    gpd.GeoDataFrame({"namn": ["Torget"], "ort": ["Svenljunga"]}, geometry=[shapely.Point(13.1, 57.49).buffer(0.01)],
                     crs=4326).to_file(path, driver="GPKG", layer="ytor")
    return path


REFUSED = [
    ("no CRS, metres", lambda tmp: HOSTILE / "places_no_crs_metres.geojson", "geo_no_crs", {}),
    ("huge coordinates", lambda tmp: HOSTILE / "places_huge_coordinates.geojson", "geo_crs_unusable",
     {"crs": "EPSG:3006 (SWEREF99 TM)", "detail": "koordinaterna hamnar utanför jorden"}),
    ("outside Sweden", lambda tmp: HOSTILE / "places_outside_sweden.geojson", "places_outside_sweden",
     {"row": 2, "lon": "13.405", "lat": "52.52", "crs": "EPSG:4326 (WGS 84)"}),
    ("empty", _empty, "geo_no_features", {}),
    ("no name column", _no_name, "places_no_name_field",
     {"available": "ort, typ", "names": ", ".join(places_importer.NAME_HEADERS)}),
    ("all outside", _all_outside, "places_all_outside", {"kommun": "Svenljunga", "crs": "EPSG:3006 (SWEREF99 TM)"}),
    ("polygon gpkg", _polygon_gpkg, "places_gpkg_no_points", {"layers": "ytor"}),
]


@pytest.mark.parametrize("what,make,key,params", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_layer_changes_nothing(config, db, tmp_path, what, make, key, params):
    before = _state(db)
    with pytest.raises(FileRejected) as err:
        run_import("places", make(tmp_path), db=db, config=config, backup=False)
    assert err.value.message == t(key, **params)
    assert _state(db) == before


def test_a_failure_while_writing_positions_leaves_the_store_as_it_was(config, db, tmp_path, monkeypatch):
    from tsk.store import Store

    torget = next(p for p in config.platser if p.name == "Torget")
    path = tmp_path / "platser.geojson"
    _layer([("Torget", torget.ort, _moved(torget)), ("Ny plats", torget.ort, _moved(torget, 500))]
           ).to_file(path, driver="GeoJSON")
    before = _state(db)

    def boom(self, positions, import_id):
        self.run("INSERT INTO place_positions VALUES ('x', 'y', 0, 0, ?)", [import_id])
        raise RuntimeError("simulated failure while writing positions")

    monkeypatch.setattr(Store, "save_place_positions", boom)
    with pytest.raises(RuntimeError):
        run_import("places", path, db=db, config=config, backup=False)
    assert _state(db) == before


# --- the command line ---------------------------------------------------------------------------------------

def test_the_cli_imports_places_and_refuses_with_exit_2(config, db, tmp_path, capsys):
    torget = next(p for p in config.platser if p.name == "Torget")
    path = tmp_path / "platser.geojson"
    _layer([("Torget", torget.ort, _moved(torget))]).to_file(path, driver="GeoJSON")
    assert main(["import", "places", str(path), "--db", str(db)]) == 0
    assert "1 godkända" in capsys.readouterr().out
    assert main(["import", "places", str(HOSTILE / "places_no_crs_metres.geojson"), "--db", str(db)]) == 2
    assert capsys.readouterr().err.strip() == t("geo_no_crs")


def test_a_name_field_can_be_given(config, db, tmp_path):
    torget = next(p for p in config.platser if p.name == "Torget")
    path = tmp_path / "egen.geojson"
    _layer([("Torget", torget.ort, _moved(torget))], name_col="BENAMNING").to_file(path, driver="GeoJSON")
    with pytest.raises(FileRejected):
        run_import("places", path, db=db, config=config, backup=False)
    outcome = run_import("places", path, db=db, config=config, backup=False, name_field="benamning")
    assert outcome.accepted == 1


# --- real data -----------------------------------------------------------------------------------------------

def test_scb_tatort_points_in_sweref_land_where_scb_says(config, db, tmp_path, realdata):
    """SCB's tätort points of Svenljunga (SWEREF 99 TM, with SCB's own WGS84 conversion beside them) as a
    layer of new places «Centrum» in each ort: every point is inside the kommun's areas and lands on
    the published lon/lat; Tranemo's (the neighbour) are refused as all outside."""
    with open(realdata / "svenljunga_orter.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["name"] in {o.name for o in config.orter}]
    assert len(rows) >= 4
    layer = gpd.GeoDataFrame({"namn": ["Centrum"] * len(rows), "ort": [r["name"] for r in rows]},
                             geometry=[shapely.Point(float(r["sweref99tm_e"]), float(r["sweref99tm_n"])) for r in rows],
                             crs="EPSG:3006")
    path = tmp_path / "svenljunga_centrum.geojson"
    layer.to_file(path, driver="GeoJSON")
    outcome = run_import("places", path, db=db, config=config, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (len(rows), 0)
    for r in rows:
        got = _place(db, r["name"], "Centrum")
        assert got["lat"] == pytest.approx(float(r["lat"]), abs=2e-6)
        assert got["lon"] == pytest.approx(float(r["lon"]), abs=2e-6)
        assert not got["approximate"]

    with open(realdata / "tranemo_orter.csv", encoding="utf-8") as f:
        neighbour = list(csv.DictReader(f))
    ort = config.orter[0].name
    other = gpd.GeoDataFrame({"namn": [r["name"] for r in neighbour], "ort": [ort] * len(neighbour)},
                             geometry=[shapely.Point(float(r["sweref99tm_e"]), float(r["sweref99tm_n"]))
                                       for r in neighbour], crs="EPSG:3006")
    path = tmp_path / "tranemo.geojson"
    other.to_file(path, driver="GeoJSON")
    with pytest.raises(FileRejected) as err:
        run_import("places", path, db=db, config=config, backup=False)
    assert err.value.key == "places_all_outside"


# --- the Data page -------------------------------------------------------------------------------------------

def test_the_data_page_previews_a_point_layer_and_asks_for_its_name_property(config, db, tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tsk.config import ROOT
    from tsk.ui import gate, review

    monkeypatch.setenv("TSK_DB", str(db))
    st.cache_data.clear()
    torget = next(p for p in config.platser if p.name == "Torget")
    path = tmp_path / "platser.geojson"
    _layer([("Torget", torget.ort, _moved(torget)), ("Torget", "Okändby", _moved(torget))]).to_file(
        path, driver="GeoJSON")
    preview, error = review._preview("places", path.name, path.read_bytes(), None, None)
    assert error is None and preview == (1, [(2, t("places_unknown_ort", name="Okändby"))])
    hostile = HOSTILE / "places_outside_sweden.geojson"
    preview, error = review._preview("places", hostile.name, hostile.read_bytes(), None, None)
    assert preview is None and error.startswith("Punkt 2 hamnar utanför Sverige")
    assert _state(db)["positions"] == []  # a preview writes nothing

    monkeypatch.setattr(gate, "ensure_app", lambda: None)  # open the page file itself
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert t("places_data_name_field") not in [x.label for x in at.text_input]
    at.selectbox(key="dt_source").set_value("places").run()
    assert not at.exception and [e.value for e in at.error] == []
    assert t("places_data_name_field") in [x.label for x in at.text_input]


def test_the_walk_candidates_are_drawn_where_the_layer_put_their_places(config, db, tmp_path):
    """Trygghetsvandring's candidate map reads the store's places: an imported position moves a candidate
    and ends «approximate», and a place the layer created is drawn at its own point, not at its ort."""
    from tsk.pagedata import candidates

    with _store(db) as store:
        before = candidates.candidate_positions(store, config).set_index("unit")
    plats = next(p for p in config.platser if f"{p.name}, {p.ort}" in before.index)
    unit = f"{plats.name}, {plats.ort}"
    assert before.loc[unit, "approximate"]
    path = tmp_path / "platser.geojson"
    _layer([(plats.name, plats.ort, _moved(plats, 120)), ("Nya lekplatsen", plats.ort, _moved(plats, 500))]
           ).to_file(path, driver="GeoJSON")
    run_import("places", path, db=db, config=config, backup=False)
    with _store(db) as store:
        after = candidates.candidate_positions(store, config).set_index("unit")
    assert after.loc[unit, "lat"] == pytest.approx(_moved(plats, 120).y, abs=1e-6)
    assert not after.loc[unit, "approximate"]
    new = after.loc[f"Nya lekplatsen, {plats.ort}"]
    assert new["lat"] == pytest.approx(_moved(plats, 500).y, abs=1e-6) and not new["approximate"]
