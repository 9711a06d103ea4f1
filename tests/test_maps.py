"""tsk.maps: folium builders tested on the generated Leaflet script, without a browser (STYLE.md 6)."""
from __future__ import annotations

import json
import re

import folium
import pandas as pd
import pytest
import shapely

from tsk import maps
from tsk.config import ROOT
from tsk.geo import read_vector, to_wgs84
from tsk.i18n import t

PAYLOAD = "<script>alert(1)</script>"
MAX_HTML_BYTES = 300 * 1024


# --- fixtures and helpers -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_areas() -> pd.DataFrame:
    gdf = to_wgs84(read_vector(ROOT / "data" / "demo" / "omraden.geojson"))
    return pd.DataFrame({
        "name": gdf["omrade"].tolist(),
        "geometry_wkt": [g.wkt for g in gdf.geometry],
        "schematic": gdf["schematisk"].astype(bool).tolist(),
        "assumption": [False] * len(gdf),
    })


@pytest.fixture
def valued(demo_areas) -> pd.DataFrame:
    values = [12.5, 30.25, None, 44.0, 7.0, 18.0]
    return demo_areas.assign(
        value=values,
        n=[120, 80, 3, 200, 50, 1234],
        suppressed=[False, False, True, False, False, False],
    )


def build_area_map(df, **kw) -> folium.Map:
    args = dict(value_col="value", n_col="n", value_label="Andel otrygga", fmt="{:.1f} %")
    args.update(kw)
    return maps.area_map(df, **args)


def decoded(page: str) -> str:
    """The page with JSON \\uXXXX escapes resolved: what ends up as text/HTML in the browser."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def resource_urls(page: str) -> list[str]:
    scripts = re.findall(r"<script\b[^>]*\bsrc=[\"']([^\"']*)[\"']", page, flags=re.I)
    links = re.findall(r"<link\b[^>]*\bhref=[\"']([^\"']*)[\"']", page, flags=re.I)
    return scripts + links


def geojson_layers(page: str) -> list[dict]:
    """The FeatureCollections folium embeds with `<name>_add({...});`."""
    return [json.loads(s) for s in re.findall(r"_add\((\{.*\})\);", page)]


def area_features(page: str) -> list[dict]:
    return [f for layer in geojson_layers(page) for f in layer["features"]
            if f["properties"].get("tsk_layer") == "area"]


def places_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "ort": ["Svenljunga", "Svenljunga", "Överlida", "Kalv"],
        "plats": ["Torget", "Området runt ICA", None, "Bygdegården"],
        "lat": [57.4962, 57.4945, 57.349073, 57.2875],
        "lon": [13.1085, 13.1120, 12.899294, 13.0330],
        "reports": [16, 5, 3, 1],
        "approximate": [True, True, False, True],
    })


def police_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "ort": ["Svenljunga", "Överlida", "Svenljunga"],
        "lat": [57.495933, 57.349073, 57.495933],
        "lon": [13.107941, 12.899294, 13.107941],
        "events": [7, 2, 1],
    })


# --- offline loading ------------------------------------------------------------------------------
@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "meeting"])
def test_area_map_loads_only_the_apps_own_leaflet(valued, meeting):
    page = maps.map_html(build_area_map(valued, meeting=meeting))
    assert resource_urls(page) == ["/app/static/leaflet/leaflet.js", "/app/static/leaflet/leaflet.css"]
    assert not re.search(r"https?://", page)
    assert "L.tileLayer" not in page  # plain background, no base map


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "meeting"])
def test_places_map_loads_nothing_from_the_internet(demo_areas, meeting):
    page = maps.map_html(maps.places_map(demo_areas, places_frame(), police_frame(), meeting=meeting))
    assert resource_urls(page) == ["/app/static/leaflet/leaflet.js", "/app/static/leaflet/leaflet.css"]
    assert not re.search(r"https?://", page)


def test_osm_tiles_only_when_asked_and_never_as_a_script(valued):
    page = maps.map_html(build_area_map(valued, osm_tiles=True))
    assert all(not re.match(r"https?://", u) for u in resource_urls(page))
    assert re.findall(r"https?://[^\"'\s]+", page) == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]
    assert '"errorTileUrl": "data:image/gif;base64,' in page  # offline: invisible tiles, polygons still drawn


def test_streamlit_folium_gets_only_local_links(valued):
    """st_folium sends every element's default_js/default_css to its iframe: all must be local."""
    import streamlit_folium

    m = build_area_map(valued, meeting=True)
    links = []

    def walk(element):
        if isinstance(element, folium.elements.JSCSSMixin):
            links.extend(url for _, url in element.default_js + element.default_css)
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(m)
    assert links == ["/app/static/leaflet/leaflet.js", "/app/static/leaflet/leaflet.css"]
    script = decoded(streamlit_folium.generate_leaflet_string(m))
    assert "map_div" in script and "tsk-legend" in script and "Högvad" in script


def test_offline_assets_replace_folium_cdn_defaults():
    folium.Map.default_js = [("leaflet", "https://cdn.example/leaflet.js"), ("jquery", "https://x/jq.js")]
    m = maps.area_map(pd.DataFrame(columns=["name", "geometry_wkt", "v", "n"]), value_col="v", n_col="n",
                      value_label="v")
    assert resource_urls(maps.map_html(m)) == [maps.LEAFLET_JS, maps.LEAFLET_CSS]


def test_static_dir_matches_the_served_url():
    assert maps.STATIC_DIR == ROOT / "static" / "leaflet"
    assert maps.LEAFLET_JS == "/app/static/leaflet/leaflet.js"
    from tsk import static_assets

    assert static_assets.DEFAULT_TARGET == maps.STATIC_DIR


def test_leaflet_is_installed_from_the_python_package_once(tmp_path):
    """`make static` needs no npm: Leaflet comes from the xstatic-leaflet wheel, and a second run with
    the same version changes nothing."""
    from tsk import static_assets

    target = tmp_path / "leaflet"
    assert static_assets.install_leaflet(target) is True
    assert maps.leaflet_installed(target) and (target / "images" / "marker-icon.png").is_file()
    assert (target / "VERSION").read_text().strip() == static_assets.leaflet_source()[1]
    assert static_assets.install_leaflet(target) is False


# --- area map content -----------------------------------------------------------------------------
def test_every_area_is_in_the_geojson_with_rounded_coordinates(valued):
    page = maps.map_html(build_area_map(valued))
    feats = area_features(page)
    assert sorted(f["properties"]["name"] for f in feats) == sorted(valued["name"])
    coords = shapely.get_coordinates(shapely.from_geojson(json.dumps(
        {"type": "FeatureCollection", "features": feats})))
    assert len(coords) > 0
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()


def test_map_fits_the_areas(valued):
    page = maps.map_html(build_area_map(valued))
    bounds = json.loads(re.search(r"L\.latLngBounds\((\[\[.*?\]\])\)", page).group(1))
    geoms = [shapely.from_wkt(w) for w in valued["geometry_wkt"]]
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    assert [*bounds[0], *bounds[1]] == pytest.approx([miny, minx, maxy, maxx], abs=1e-3)
    assert "map.fitBounds(bounds" in page
    assert "imperial: false" in page


def test_tooltip_shows_area_value_and_n(valued):
    page = maps.map_html(build_area_map(valued))
    fields = json.loads(re.search(r"let fields = (\[.*?\]);", page).group(1))
    aliases = json.loads(re.search(r"let aliases = (\[.*?\]);", page).group(1))
    assert fields[:3] == ["name", "value", "n"]
    assert aliases[:3] == ["Område", "Andel otrygga", "n"]
    props = {f["properties"]["name"]: f["properties"] for f in area_features(page)}
    assert props["Högvad"]["value"] == "12,5 %"           # Swedish decimal comma
    assert props["Högvad"]["n"] == "120"
    assert props["Svenljunga tätort"]["n"] == "1\u00a0234"


def test_suppressed_value_is_text_never_a_number(valued):
    df = valued.copy()
    df.loc[df["name"] == "Axelfors", "value"] = 99.9  # even a leaked number stays hidden
    page = maps.map_html(build_area_map(df, suppressed_text="färre än 5 svar"))
    props = {f["properties"]["name"]: f["properties"] for f in area_features(page)}
    assert props["Axelfors"]["value"] == "färre än 5 svar"
    assert props["Axelfors"]["n"] == "–"
    assert "99,9" not in decoded(page)
    assert "Färre än 5 svar" in decoded(page)  # legend entry


def test_legend_states_metric_classes_and_schematic(valued):
    page = decoded(maps.map_html(build_area_map(valued)))
    assert "tsk-legend" in page
    assert "Andel otrygga" in page
    assert "7,0 %–14,4 %" in page and "36,6 %–44,0 %" in page  # five equal classes, 7.0 … 44.0
    assert "Schematiska gränser" in page
    assert '"dashArray": "6 4"' in page


def test_no_schematic_note_for_real_boundaries(valued):
    page = decoded(maps.map_html(build_area_map(valued.assign(schematic=False))))
    assert "Schematiska gränser" not in page
    assert "dashArray" not in page


def test_classes_use_the_palette_and_grey_for_missing(valued):
    df = valued.assign(suppressed=False)
    df.loc[df["name"] == "Axelfors", "value"] = None
    page = maps.map_html(build_area_map(df))
    assert maps.PALETTE[0] in page and maps.PALETTE[-1] in page
    assert maps.NO_DATA_FILL in page
    assert "Inga uppgifter" in decoded(page)
    meeting = maps.map_html(build_area_map(df, meeting=True))
    assert maps.MEETING_PALETTE[0] in meeting and maps.MEETING_PALETTE[-1] in meeting


def test_selected_area_gets_a_thick_outline_and_is_drawn_last(valued):
    page = maps.map_html(build_area_map(valued, selected="Kindaholm"))
    assert re.search(r'"color": "#000000"[^}]*"weight": 5\b', page)
    assert area_features(page)[-1]["properties"]["name"] == "Kindaholm"
    assert "Valt område: Kindaholm" in decoded(page)
    assert not re.search(r'"weight": 5\b', maps.map_html(build_area_map(valued)))


def test_meeting_mode_prints_name_value_and_n_on_the_map(valued):
    page = decoded(maps.map_html(build_area_map(valued, meeting=True)))
    labels = re.findall(r'L\.divIcon\(\{\s*"html": "(.*?)",\s*"iconSize"', page, flags=re.S)
    assert len(labels) == len(valued)
    hogvad = next(lbl for lbl in labels if "Högvad" in lbl)
    assert "12,5 %" in hogvad and "n = 120" in hogvad and "bold" in hogvad
    assert any(t("map_suppressed_default") in lbl for lbl in labels)  # no threshold given: no number shown
    assert '"interactive": false' in page  # labels let clicks through to the area
    # Opaque boxes: an ort dot above the fills would show through a translucent one as a ring of its own.
    assert all(re.search(r"tsk-declutter[^>]*background:#fff;", lbl) for lbl in labels)
    # Outside meetings the areas are named on the map too (issue 19), values and n only on hover.
    normal = decoded(maps.map_html(build_area_map(valued)))
    names = re.findall(r'L\.divIcon\(\{\s*"html": "(.*?)",', normal, flags=re.S)
    assert sorted(n for name in valued["name"] for n in names if f">{name}<" in n) == sorted(names)
    assert len(names) == len(valued) and not any("12,5 %" in n or "n = " in n for n in names)


def test_values_with_callable_format(valued):
    page = maps.map_html(build_area_map(valued, fmt=lambda v: f"{v:.0f} av 100"))
    props = {f["properties"]["name"]: f["properties"] for f in area_features(page)}
    assert props["Högvad"]["value"] == "12 av 100"


def test_rows_without_geometry_are_skipped(valued):
    df = valued.copy()
    df.loc[0, "geometry_wkt"] = None
    names = [f["properties"]["name"] for f in area_features(maps.map_html(build_area_map(df)))]
    assert len(names) == len(valued) - 1 and valued.loc[0, "name"] not in names


def test_map_html_stays_small_even_for_detailed_polygons():
    detailed = shapely.Point(13.1, 57.5).buffer(0.2, quad_segs=5000)  # 20 000 vertices
    df = pd.DataFrame({"name": ["Stort"], "geometry_wkt": [detailed.wkt], "value": [1.0], "n": [10]})
    page = maps.map_html(build_area_map(df, meeting=True))
    assert len(page.encode("utf-8")) < MAX_HTML_BYTES
    assert len(detailed.wkt) > MAX_HTML_BYTES  # the input alone would not have fitted


def test_demo_maps_are_well_under_the_size_limit(valued, demo_areas):
    for m in (build_area_map(valued), build_area_map(valued, meeting=True),
              maps.places_map(demo_areas, places_frame(), police_frame(), meeting=True)):
        assert len(maps.map_html(m).encode("utf-8")) < MAX_HTML_BYTES


# --- escaping -------------------------------------------------------------------------------------
@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "meeting"])
def test_area_names_are_escaped(valued, meeting):
    df = valued.copy()
    df.loc[0, "name"] = PAYLOAD
    page = maps.map_html(build_area_map(df, meeting=meeting, selected=PAYLOAD, value_label=f"Värde {PAYLOAD}"))
    assert PAYLOAD not in page
    assert PAYLOAD not in decoded(page)  # not even after the JSON escapes are resolved
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in decoded(page)


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "meeting"])
def test_place_and_ort_names_are_escaped(demo_areas, meeting):
    places = places_frame()
    places.loc[0, "plats"] = PAYLOAD
    places.loc[1, "plats"] = "Back`tick ${alert(2)} \\"
    police = police_frame()
    police.loc[0, "ort"] = PAYLOAD
    page = maps.map_html(maps.places_map(demo_areas.assign(name=[PAYLOAD] + demo_areas["name"].tolist()[1:]),
                                         places, police, meeting=meeting))
    assert PAYLOAD not in page and PAYLOAD not in decoded(page)
    assert "${alert(2)}" not in page and "Back`tick" not in page  # cannot break a JS template literal


# --- places map -----------------------------------------------------------------------------------
def test_places_map_one_marker_per_place_and_police_per_ort(demo_areas):
    page = maps.map_html(maps.places_map(demo_areas, places_frame(), police_frame()))
    assert page.count("L.circleMarker(") == 4
    text = decoded(page)
    assert "Överlida (hela orten)" in text and "16 rapporter" in text and "1 rapport<" in text
    assert "Polisens händelser i Svenljunga</b><br>8 händelser" in text  # 7 + 1 summed per ort
    assert "L.control.layers" in page and "Polisens händelser" in text and "Platser (rapporter)" in text
    assert page.count("tsk-police") == 2
    outlines = [f for layer in geojson_layers(page) for f in layer["features"]]
    assert sorted(f["properties"]["name"] for f in outlines) == sorted(demo_areas["name"])
    assert all(f["properties"]["tsk_layer"] == "outline" for f in outlines)


def test_places_map_radius_grows_with_sqrt_of_reports(demo_areas):
    page = maps.map_html(maps.places_map(demo_areas, places_frame()))
    radii = [float(r) for r in re.findall(r'"radius": ([0-9.]+)', page)]
    assert radii[0] == 24.0                       # the largest place gets the full radius
    assert radii[1] == pytest.approx(24 * (5 / 16) ** 0.5, abs=0.05)
    assert min(radii) >= 4


def test_raw_reports_are_aggregated_not_one_marker_each(demo_areas):
    raw = places_frame().loc[lambda d: d.index.repeat(d["reports"])].assign(reports=1)
    raw = pd.concat([raw] * 100, ignore_index=True)  # 2 500 raw report rows
    page = maps.map_html(maps.places_map(demo_areas, raw))
    assert page.count("L.circleMarker(") == 4
    assert "1\u00a0600 rapporter" in decoded(page)


def test_many_places_are_capped(demo_areas):
    n = 1000
    many = pd.DataFrame({"ort": ["Svenljunga"] * n, "plats": [f"Plats {i}" for i in range(n)],
                         "lat": [57.49 + i * 1e-5 for i in range(n)], "lon": [13.10] * n,
                         "reports": list(range(1, n + 1))})
    page = maps.map_html(maps.places_map(demo_areas, many, max_markers=50))
    assert page.count("L.circleMarker(") == 50
    assert "övriga platser, Svenljunga" in decoded(page)
    assert len(page.encode("utf-8")) < MAX_HTML_BYTES


def test_meeting_mode_labels_the_top_places_permanently(demo_areas):
    page = decoded(maps.map_html(maps.places_map(demo_areas, places_frame(), meeting=True, top_labels=2)))
    assert page.count('"permanent": true') == 2
    assert "Torget: 16" in page and "Området runt ICA: 5" in page
    assert maps.map_html(maps.places_map(demo_areas, places_frame())).count('"permanent": true') == 0


def test_places_map_without_police_has_no_police_layer(demo_areas):
    page = decoded(maps.map_html(maps.places_map(demo_areas, places_frame())))
    assert "tsk-police" not in page and "Polisens händelser" not in page


# --- clicks ---------------------------------------------------------------------------------------
ST_FOLIUM_DEFAULTS = {
    "last_clicked": None, "last_object_clicked": None, "last_object_clicked_tooltip": None,
    "last_object_clicked_popup": None, "all_drawings": None, "last_active_drawing": None,
    "bounds": {"_southWest": {"lat": 57.1, "lng": 12.8}, "_northEast": {"lat": 57.7, "lng": 13.3}},
    "zoom": 9, "last_circle_radius": None, "last_circle_polygon": None,
}


def _clicked_feature(name: str, layer: str = "area") -> dict:
    return {**ST_FOLIUM_DEFAULTS,
            "last_clicked": {"lat": 57.3, "lng": 12.9},
            "last_object_clicked": {"lat": 57.3, "lng": 12.9},
            "last_object_clicked_tooltip": f"Område\t{name}\nAndel otrygga\t12,5 %\nn\t120",
            "last_active_drawing": {"type": "Feature", "id": "0",
                                    "properties": {"tsk_layer": layer, "name": name, "value": "12,5 %", "n": "120"},
                                    "geometry": {"type": "Polygon", "coordinates": [[[12.9, 57.3]]]}}}


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (None, None),
        ({}, None),
        (ST_FOLIUM_DEFAULTS, None),
        (_clicked_feature("Högvad"), "Högvad"),
        (_clicked_feature("&lt;script&gt;x"), "<script>x"),
        ({**_clicked_feature("Högvad"), "last_active_drawing": None}, "Högvad"),
        ({**ST_FOLIUM_DEFAULTS, "last_object_clicked_tooltip": "Område Lysjö norra\nn 3"}, "Lysjö norra"),
        ({**_clicked_feature("Högvad", layer="outline"), "last_object_clicked_tooltip": None}, None),
        ({**ST_FOLIUM_DEFAULTS, "last_active_drawing": {"type": "Feature", "properties": {},
                                                         "geometry": {"type": "Point", "coordinates": [1, 2]}}}, None),
        ({**ST_FOLIUM_DEFAULTS, "last_object_clicked_tooltip": "Torget, Svenljunga\n16 rapporter"}, None),
    ],
    ids=["none", "empty", "defaults", "feature", "escaped", "tooltip-tab", "tooltip-space", "outline",
         "marker", "place-tooltip"],
)
def test_clicked_area(result, expected):
    assert maps.clicked_area(result) == expected


def test_clicked_area_checks_known_names():
    assert maps.clicked_area(_clicked_feature("Högvad"), names=["Högvad", "Kalv"]) == "Högvad"
    assert maps.clicked_area(_clicked_feature("Okänt"), names=["Högvad"]) is None


def test_clicked_area_round_trips_every_built_name(valued):
    df = valued.copy()
    df.loc[0, "name"] = f"A & B {PAYLOAD}"
    for f in area_features(maps.map_html(build_area_map(df))):
        name = maps.clicked_area({"last_active_drawing": f})
        assert name in set(df["name"])
    assert maps.clicked_area({"last_active_drawing": area_features(maps.map_html(build_area_map(df)))[0]}) \
        == f"A & B {PAYLOAD}"


# --- formatting -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (12.345, "{:.1f}", "12,3"),
        (1234.5, "{:,.1f}", "1\u00a0234,5"),
        (0.456, "{:.0%}", "46%"),
        (3.0, "{:.0f} st.", "3 st."),  # literal text keeps its dot
        (None, "{:.1f}", "–"),
        (float("nan"), "{:.1f}", "–"),
    ],
)
def test_format_number(value, fmt, expected):
    assert maps.format_number(value, fmt) == expected


def test_class_edges():
    assert maps.class_edges([0.0, None, 10.0]) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert maps.class_edges([2.0, 2.0]) == [2.0, 2.0]
    assert maps.class_edges([None, float("nan")]) == []


def test_empty_inputs_still_give_a_map():
    no_areas = pd.DataFrame(columns=["name", "geometry_wkt"])
    no_places = pd.DataFrame(columns=["ort", "plats", "lat", "lon", "reports", "approximate"])
    no_police = pd.DataFrame(columns=["ort", "lat", "lon", "events"])
    page = maps.map_html(maps.places_map(no_areas, no_places, no_police, meeting=True))
    assert "L.circleMarker(" not in page and resource_urls(page)[0] == maps.LEAFLET_JS
    one = pd.DataFrame({"name": ["A"], "geometry_wkt": ["POLYGON((13 57,13.1 57,13.1 57.1,13 57.1,13 57))"],
                        "v": [float("nan")], "n": [None]})
    page = decoded(maps.map_html(maps.area_map(one, value_col="v", n_col="n", value_label="x", meeting=True)))
    assert "inga uppgifter" in page and "Inga uppgifter" in page


def test_missing_columns_are_rejected(valued):
    with pytest.raises(ValueError, match="n_col|antal|lacks"):
        maps.area_map(valued.drop(columns="n"), value_col="value", n_col="n", value_label="x")
    with pytest.raises(ValueError, match="lacks"):
        maps.places_map(valued, places_frame().drop(columns="reports"))


def test_a_regions_many_orter_still_give_a_bounded_map(demo_areas):
    # 300 orter × 5 places in six areas, as a region's gazetteer: the rest merges per area, not per ort
    areas = list(demo_areas["name"])
    rows = [{"area": areas[o % len(areas)], "ort": f"Ort {o}", "plats": f"Plats {o}-{p}",
             "lat": 57.3 + o * 1e-4, "lon": 13.0 + p * 1e-4, "reports": 1 + (o * 5 + p) % 97}
            for o in range(300) for p in range(5)]
    many = pd.DataFrame(rows)
    page = maps.map_html(maps.places_map(demo_areas, many, max_markers=200))
    assert page.count("L.circleMarker(") <= 200 + len(areas)
    for area in areas:
        assert f"övriga platser, {area}" in decoded(page)
    assert len(page.encode("utf-8")) < MAX_HTML_BYTES
    circles = maps._aggregate_places(many, 200)
    assert circles["reports"].sum() == many["reports"].sum()  # every report is in exactly one circle
    assert sorted(circles.loc[circles["other"], "ort"]) == sorted(areas)


def test_leaflet_is_served_under_the_apps_sub_path(valued):
    """Behind nginx at /tsk/ (server.baseUrlPath = "tsk") the maps load Leaflet from /tsk/app/static/…"""
    assert maps.static_url("") == maps.STATIC_URL and maps.static_url(None) == maps.STATIC_URL
    assert maps.static_url("tsk") == "/tsk/app/static/leaflet" == maps.static_url("/tsk/")
    try:
        maps.offline_assets("tsk")
        assert folium.Map.default_js == [("leaflet", "/tsk/app/static/leaflet/leaflet.js")]
        # A map built after it keeps the sub-path (building one once reset it to the root: the maps drew
        # nothing behind nginx at /tsk/).
        page = maps.map_html(build_area_map(valued))
        assert resource_urls(page) == ["/tsk/app/static/leaflet/leaflet.js", "/tsk/app/static/leaflet/leaflet.css"]
        assert '"/tsk/app/static/leaflet/images/"' in page
    finally:
        maps.offline_assets("")
