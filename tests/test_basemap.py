"""[map] and the context layer: the configured base map is validated with Swedish messages, drawn under
the data with a note when its tiles fail, and the offline default loads nothing from outside but draws the
kommun outline and the orter (names escaped). Tested on the generated Leaflet script (STYLE.md 6); the
browser test is tests/test_browser_basemap.py."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from tsk import maps
from tsk.config import ROOT, MapConfig, Ort, parse_config, parse_map
from tsk.errors import TskError
from tsk.i18n import t
from tsk.maps.basemap import add_base_layer
from tsk.maps.context import (
    LABEL_PANE_Z,
    PANE_Z,
    add_context_layer,
    dot_radius,
    map_context,
)
from tsk.ui.display import _built, _map_page

PAYLOAD = "<script>alert(1)</script>"
WHERE = Path("tsk.toml")
XYZ = "http://127.0.0.1:8123/{z}/{x}/{y}.png"


def _areas():
    from tsk.geo import read_vector, to_wgs84

    gdf = to_wgs84(read_vector(ROOT / "data" / "demo" / "omraden.geojson"))
    return pd.DataFrame({"name": gdf["omrade"].tolist(), "geometry_wkt": [g.wkt for g in gdf.geometry]})


@pytest.fixture(scope="module")
def areas() -> pd.DataFrame:
    return _areas()


def _outline_map(areas, *, meeting: bool = False):
    return maps.places_map(areas, pd.DataFrame(columns=["ort", "plats", "lat", "lon", "reports"]), meeting=meeting)


def decoded(page: str) -> str:
    """The page with JSON \\uXXXX escapes resolved: what ends up as text/HTML in the browser."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def _tile_layer(page: str) -> tuple[str, dict]:
    """The URL and options of the page's L.tileLayer."""
    layer = re.search(r"L\.tileLayer\(\s*\"([^\"]+)\",\s*(\{.*?\})\s*\)", page, flags=re.S)
    assert layer, "no tile layer"
    return layer.group(1), json.loads(re.sub(r",\s*}", "}", layer.group(2)))


def _refused(section) -> str:
    with pytest.raises(TskError) as e:
        parse_map(section, WHERE)
    return e.value.message


# --- [map] in the config ------------------------------------------------------------------------------
def test_no_map_section_means_no_tiles_on_both_kommuner(config, kommun2_config):
    assert config.map == MapConfig() and not config.map.tiles
    assert kommun2_config.map == MapConfig()


def test_a_tile_url_is_kept_with_its_attribution_zoom_and_subdomains():
    cfg = parse_map({"url": "https://{s}.tile.example.org/{z}/{x}/{y}.png", "attribution": "© Kommunen",
                     "max_zoom": 17, "subdomains": ["a", "b"]}, WHERE)
    assert cfg == MapConfig("https://{s}.tile.example.org/{z}/{x}/{y}.png", "© Kommunen", 17, ("a", "b"))
    assert parse_map({"url": XYZ, "attribution": "x"}, WHERE).max_zoom == 18


def test_a_wmts_rest_template_becomes_a_leaflet_template():
    url = "https://gis.example.se/wmts/1.0.0/topowebb/default/3857/{TileMatrix}/{TileRow}/{TileCol}.png"
    cfg = parse_map({"url": url, "attribution": "© Lantmäteriet"}, WHERE)
    assert cfg.url == "https://gis.example.se/wmts/1.0.0/topowebb/default/3857/{z}/{y}/{x}.png"


def test_the_map_section_of_the_whole_config_is_parsed(config):
    data = copy.deepcopy(config.raw)
    data["map"] = {"url": XYZ, "attribution": "© Test"}
    assert parse_config(data, WHERE).map.url == XYZ


@pytest.mark.parametrize(("section", "words"), [
    ({"url": "ftp://x.se/{z}/{x}/{y}.png", "attribution": "a"}, ["[map] url", "http://", "ftp://x.se"]),
    ({"url": "javascript:alert(1)//{z}{x}{y}", "attribution": "a"}, ["[map] url", "javascript:"]),
    ({"url": "https://x.se/tiles.png", "attribution": "a"}, ["platshållarna", "{z}", "{TileMatrix}"]),
    ({"url": "https://x.se/{Style}/{TileMatrix}/{TileRow}/{TileCol}", "attribution": "a"}, ["«{Style}»"]),
    ({"url": XYZ}, ["attribution saknas", "upphovsrätt"]),
    ({"url": XYZ, "attribution": "  "}, ["attribution saknas"]),
    ({"url": XYZ, "attribution": "a", "max_zoom": 23}, ["max_zoom", "1 till 22", "«23»"]),
    ({"url": XYZ, "attribution": "a", "max_zoom": 0}, ["max_zoom", "«0»"]),
    ({"url": XYZ, "attribution": "a", "max_zoom": "18"}, ["max_zoom", "«18»"]),
    ({"url": XYZ, "attribution": "a", "max_zoom": True}, ["max_zoom"]),
    ({"url": XYZ, "attribution": "a", "subdomains": [1, 2]}, ["subdomains", "lista"]),
    ({"url": XYZ, "attribution": "a", "subdomains": ["a"]}, ["{s}", "subdomains"]),
    ({"url": "https://{s}.x.se/{z}/{x}/{y}.png", "attribution": "a"}, ["{s}", "subdomains saknas"]),
    ({"url": XYZ, "attribution": "a", "maxzoom": 12}, ["«maxzoom»", "max_zoom"]),
    ({"url": XYZ, "attribution": "a", "attribution_url": "javascript:alert(1)"}, ["attribution_url", "javascript:"]),
    ("https://x.se/{z}/{x}/{y}.png", ["[map] ska vara en tabell"]),
], ids=["ftp", "javascript", "no-placeholders", "wmts-style-left", "no-attribution", "blank-attribution",
        "zoom-23", "zoom-0", "zoom-text", "zoom-bool", "subdomains-numbers", "subdomains-without-s",
        "s-without-subdomains", "typo", "attribution-url-javascript", "not-a-table"])
def test_a_bad_map_section_is_refused_in_swedish(section, words):
    message = _refused(section)
    assert message.startswith("Konfigurationsfilen tsk.toml: ") or message.startswith("Konfigurationsfilen tsk.toml ")
    for word in words:
        assert word in message, (word, message)


# --- the base layer -----------------------------------------------------------------------------------
def test_without_a_map_section_the_page_has_no_tile_layer_and_no_outside_address(areas, config):
    base = (config.map, map_context(areas["geometry_wkt"].tolist(), config.orter))
    page = _map_page(_outline_map, base, areas)
    assert "L.tileLayer" not in page and "tsk-basemap-note" not in page
    assert not re.findall(r"https?://(?!127\.0\.0\.1)[^\s\"'<>]+\.(?:png|jpg|jpeg)", page)


def test_a_configured_base_map_is_a_tile_layer_with_a_transparent_error_tile_and_a_note(areas):
    m = _outline_map(areas)
    add_base_layer(m, MapConfig(XYZ, f"© {PAYLOAD}", 16))
    page = maps.map_html(m)
    url, options = _tile_layer(page)
    assert url == XYZ
    assert options["maxZoom"] == 16 and options["errorTileUrl"].startswith("data:image/gif")
    assert PAYLOAD not in page and "alert(1)" in options["attribution"]  # escaped, still said
    assert t("basemap_unavailable") in decoded(page)
    assert '"role", "status"' in page
    # the tiles are made before the layer control and the data layers look for the map's layers
    assert page.index("L.tileLayer") < page.index("L.control.layers")


def test_the_attribution_links_to_its_licence_page_when_given(areas):
    m = _outline_map(areas)
    add_base_layer(m, MapConfig(XYZ, "© OpenStreetMap-bidragsgivare", 19,
                                attribution_url="https://www.openstreetmap.org/copyright"))
    assert _tile_layer(maps.map_html(m))[1]["attribution"] == (
        '<a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">'
        "© OpenStreetMap-bidragsgivare</a>")


def test_no_url_adds_nothing(areas):
    m = _outline_map(areas)
    before = len(m._children)
    assert add_base_layer(m, MapConfig()) is None and len(m._children) == before


# --- the context layer --------------------------------------------------------------------------------
def test_the_context_layer_draws_the_kommun_outline_and_every_ort_under_the_data(areas, config):
    context = map_context(areas["geometry_wkt"].tolist(), config.orter)
    outline = json.loads(context.outline)
    assert outline["type"] in ("LineString", "MultiLineString")
    m = _outline_map(areas)
    add_context_layer(m, context)
    page = maps.map_html(m)
    assert f"style.zIndex = {PANE_Z}" in page and f"style.zIndex = {LABEL_PANE_Z}" in page
    assert PANE_Z < 400 < LABEL_PANE_Z < 600  # under the overlay pane, under every marker
    for o in config.orter:
        assert maps.esc(o.name) in decoded(page)
    assert decoded(page).count('class=\\"tsk-ort-name\\"') == len(config.orter)
    assert '"pane": "tskContext"' in page  # the outline
    assert 'pane: "tskContext"' in page and 'pane: "tskContextLabels"' in page  # dots, names


def test_ort_dots_go_above_the_fills_on_the_filled_area_map_and_under_the_data_elsewhere(areas, config):
    """Under the Översikt choropleth's fills the ort dots were washed out; over a place's circle they would
    read as a mark of their own. show_map puts them above the fills only on a map that fills its areas."""
    base = (config.map, map_context(areas["geometry_wkt"].tolist(), config.orter))
    filled = areas.assign(value=[0.1 * (i + 1) for i in range(len(areas))], n=100)
    assert maps.area_map in maps.FILLED_AREA_MAPS and maps.places_map not in maps.FILLED_AREA_MAPS
    on_fills = _map_page(maps.area_map, base, filled, value_col="value", n_col="n", value_label="Andel")
    on_data = _map_page(_outline_map, base, areas)
    clickable = maps.map_html(_built(maps.area_map, base, filled, value_col="value", n_col="n", value_label="Andel"))
    dots = re.compile(r'L\.circleMarker\(\[o\.lat, o\.lon\].*?pane: "(\w+)"', re.S)
    assert dots.findall(on_fills) == dots.findall(clickable) == ["tskContextLabels"]
    assert dots.findall(on_data) == ["tskContext"]


def test_ort_names_in_the_context_labels_are_escaped(areas):
    orter = [Ort(PAYLOAD, "x", 57.4, 13.1, 100), Ort("A & B `${x}`", "x", 57.45, 13.2, None)]
    m = _outline_map(areas)
    add_context_layer(m, map_context(areas["geometry_wkt"].tolist(), orter))
    page = maps.map_html(m)
    assert PAYLOAD not in page and "<script>alert" not in decoded(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in decoded(page)
    assert "A &amp; B &#96;&#36;{x}&#96;" in decoded(page)


def test_dots_grow_with_the_square_root_of_population():
    assert dot_radius(None, 4000) == dot_radius(0, 4000) < dot_radius(100, 4000) < dot_radius(4000, 4000)
    small, large = dot_radius(1000, 4000) - dot_radius(0, 4000), dot_radius(4000, 4000) - dot_radius(0, 4000)
    assert large / small == pytest.approx(2, rel=0.05)  # 4× the people, 2× the extra radius


def test_without_areas_there_is_no_outline_but_the_orter_are_drawn(config):
    context = map_context([None, ""], config.orter)
    assert context.outline == "" and len(context.orter) == len(config.orter)


def test_the_second_kommun_gets_its_own_orter_and_outline(kommun2_config, tmp_path):
    from tests.kommun2.builder import write_demo_areas
    from tsk.geo import read_vector, to_wgs84

    gdf = to_wgs84(read_vector(write_demo_areas(tmp_path / "omraden.geojson", kommun2_config)))
    context = map_context([g.wkt for g in gdf.geometry], kommun2_config.orter)
    assert context.outline and {o.name for o in context.orter} == {o.name for o in kommun2_config.orter}
    page = _map_page(_outline_map, (kommun2_config.map, context),
                     pd.DataFrame({"name": ["x"] * len(gdf), "geometry_wkt": [g.wkt for g in gdf.geometry]}))
    assert "L.tileLayer" not in page and decoded(page).count('class=\\"tsk-ort-name\\"') == len(kommun2_config.orter)


def test_show_map_adds_the_same_base_to_the_clickable_map(areas, config):
    base = (MapConfig(XYZ, "© Test"), map_context(areas["geometry_wkt"].tolist(), config.orter))
    page = maps.map_html(_built(_outline_map, base, areas, meeting=True))
    assert XYZ in page and "tsk-ort-name" in page and "font:bold 20px" in page  # the note's meeting size


def test_the_commented_examples_in_the_shipped_config_are_valid_map_sections():
    """tsk.toml shows [map] for the kommun's GIS server, Lantmäteriet and OpenStreetMap, commented out:
    each one, uncommented, is accepted as it stands."""
    import tomllib

    text = (ROOT / "tsk.toml").read_text(encoding="utf-8")
    examples = []
    for block in text.split("# [map]\n")[1:]:
        lines = []
        for line in block.splitlines():
            if not line.startswith("# ") or "=" not in line:
                break
            lines.append(line[2:])
        examples.append(parse_map(tomllib.loads("\n".join(lines)), WHERE))
    assert len(examples) == 3 and all(e.tiles and e.attribution for e in examples)
    assert "{z}/{y}/{x}" in examples[1].url  # the WMTS example, translated
    assert "[map]\n" not in text.replace("# [map]\n", "")  # the default stays without tiles


# --- [map] context_files: the kommun's own water and roads ----------------------------------------------
def _write_context_files(folder: Path) -> dict[str, Path]:
    """A lake (in SWEREF 99 TM, so it must be reprojected) and a road near Svenljunga's centre, a road far
    outside the kommun, and a file that is no GeoJSON."""
    import geopandas as gpd
    from shapely.geometry import LineString, Polygon

    lake = gpd.GeoDataFrame(geometry=[Polygon([(13.08, 57.47), (13.12, 57.47), (13.12, 57.49), (13.08, 57.49)])],
                            crs="EPSG:4326").to_crs("EPSG:3006")
    files = {"lake": folder / "vatten.geojson", "road": folder / "vagar.geojson",
             "far": folder / "langt_bort.geojson", "broken": folder / "trasig.geojson"}
    lake.to_file(files["lake"], driver="GeoJSON")
    gpd.GeoDataFrame(geometry=[LineString([(13.0, 57.40), (13.2, 57.55)])], crs="EPSG:4326").to_file(
        files["road"], driver="GeoJSON")
    gpd.GeoDataFrame(geometry=[LineString([(18.0, 59.3), (18.1, 59.4)])], crs="EPSG:4326").to_file(
        files["far"], driver="GeoJSON")
    files["broken"].write_text("{ inte json", encoding="utf-8")
    return files


def test_context_files_are_read_relative_to_the_config_and_must_exist(tmp_path):
    files = _write_context_files(tmp_path)
    config_file = tmp_path / "kommun.toml"
    cfg = parse_map({"context_files": ["vatten.geojson", str(files["road"])]}, config_file)
    assert cfg.context_files == (str(files["lake"]), str(files["road"])) and not cfg.tiles
    with pytest.raises(TskError) as e:
        parse_map({"context_files": ["saknas.geojson"]}, config_file)
    assert "context_files" in e.value.message and "saknas.geojson" in e.value.message and "finns inte" in e.value.message
    with pytest.raises(TskError) as e:
        parse_map({"context_files": "vatten.geojson"}, config_file)
    assert "context_files ska vara en lista" in e.value.message


def test_water_and_roads_from_context_files_are_cut_to_the_kommun_and_drawn_under_the_outline(areas, config, tmp_path):
    files = _write_context_files(tmp_path)
    wkts = areas["geometry_wkt"].tolist()
    context = map_context(wkts, config.orter, [str(files[k]) for k in ("lake", "road", "far")])
    water, roads = json.loads(context.water), json.loads(context.roads)
    assert water["type"] == "Polygon" and context.problems == ()
    xs = [x for x, _ in water["coordinates"][0]]
    assert min(xs) == pytest.approx(13.08, abs=0.001) and max(xs) == pytest.approx(13.12, abs=0.001)  # reprojected
    import shapely
    from shapely.geometry import shape

    road_xy = shapely.get_coordinates(shape(roads))
    assert len(road_xy) >= 2 and road_xy[:, 0].max() < 14  # the far road (at Stockholm) is cut away
    m = _outline_map(areas)
    add_context_layer(m, context)
    page = maps.map_html(m)
    assert page.index('"fillColor": "#b3d4ea"') < page.index('"color": "#444444"')  # water, then the outline


def test_a_context_file_that_cannot_be_read_is_named_with_the_reason_and_left_out(areas, config, tmp_path):
    files = _write_context_files(tmp_path)
    context = map_context(areas["geometry_wkt"].tolist(), config.orter, [str(files["broken"]), str(files["road"])])
    assert [f for f, _ in context.problems] == [str(files["broken"])]
    assert context.problems[0][1] and context.roads and not context.water
    assert t("basemap_context_file_unusable", file="x", reason="y").startswith("Kartans bakgrundsfil x")
