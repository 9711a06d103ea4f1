"""Events on the map (issue 19, points 4 and 6): hexagon bins in metres with suppression, the hot-spot
layer and labels in the places map's HTML, [map] hotspot_cell_m, the police read's category filter, and
the Lägesbild page's map filters on the demo and on the second kommun."""
from __future__ import annotations

import json
import math
import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tsk import maps
from tsk.config import parse_map
from tsk.errors import TskError
from tsk.i18n import t
from tsk.stats.hexbins import from_metres, hex_bins, hex_centre, hex_index, to_metres

# A cell well inside Sweden (SWEREF 99 TM is meant for it; near 57.7° N 13.4° E) at 500 m.
Q, R = -6_590, 14_780


def _points_at(offsets_m: list[tuple[float, float]], *, cell_m: float = 500, counts=None) -> pd.DataFrame:
    """Points at (dx, dy) metres from the centre of cell (Q, R), as lat/lon."""
    cx, cy = hex_centre(Q, R, cell_m)
    x = np.array([cx + dx for dx, _ in offsets_m], dtype=float)
    y = np.array([cy + dy for _, dy in offsets_m], dtype=float)
    lat, lon = from_metres(x, y)
    frame = pd.DataFrame({"lat": lat, "lon": lon})
    if counts is not None:
        frame["reports"] = counts
    return frame


def shown(text: str, page: str) -> bool:
    """`text` is in the map's HTML as written or as JSON writes it (non-ASCII escaped; Jinja's tojson also
    escapes & < > ')."""
    as_json = json.dumps(text)[1:-1]
    as_tojson = (as_json.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
                 .replace("'", "\\u0027"))
    return text in page or as_json in page or as_tojson in page


def drawn_cells(page: str) -> list[list]:
    """The hexagon cells the map's script draws: [lat, lon, count, places, colour index, rotation]."""
    found = re.findall(r"var cells = (\[.*?\]), colours", page)
    return [c for block in found for c in json.loads(block)]


def js_corners(lat: float, lon: float, rotation: float, cell_m: float) -> list[tuple[float, float]]:
    """The corners as the map's script computes them from the centre (tsk/maps/hotspots.py)."""
    r, g, rad = cell_m / math.sqrt(3), math.radians(rotation), math.radians(lat)
    m_lat, m_lon = 111132.9 - 559.8 * math.cos(2 * rad), 111412.8 * math.cos(rad)
    out = []
    for k in range(6):
        a = math.radians(30 + 60 * k)
        x, y = r * math.cos(a), r * math.sin(a)
        e, n = x * math.cos(g) + y * math.sin(g), -x * math.sin(g) + y * math.cos(g)
        out.append((lat + n / m_lat, lon + e / m_lon))
    return out


# --- the pure binning -------------------------------------------------------------------------------------
def test_the_hexagon_grid_has_centres_cell_m_apart_and_corners_at_cell_m_over_root_3():
    x0, y0 = hex_centre(0, 0, 500)
    x1, y1 = hex_centre(1, 0, 500)  # east neighbour
    x2, y2 = hex_centre(0, 1, 500)  # north-east neighbour
    assert (x0, y0) == (0, 0)
    assert math.hypot(x1 - x0, y1 - y0) == pytest.approx(500)
    assert math.hypot(x2 - x0, y2 - y0) == pytest.approx(500)
    # 249 m east of a centre is in its cell, 251 m east is in the neighbour's (the side is 250 m away)
    q, r = hex_index(np.array([249.0, 251.0]), np.array([0.0, 0.0]), 500)
    assert list(zip(q.tolist(), r.tolist())) == [(0, 0), (1, 0)]
    # straight north, the corner is 500/√3 ≈ 288.7 m away: 280 m is inside, 300 m is not
    q, r = hex_index(np.array([0.0, 0.0]), np.array([280.0, 300.0]), 500)
    assert (q[0], r[0]) == (0, 0) and (q[1], r[1]) != (0, 0)


def test_points_100_m_apart_share_a_cell_and_600_m_away_is_the_next():
    pts = _points_at([(0, 0), (100, 0), (600, 0)])
    bins = hex_bins(pts, cell_m=500, min_count=1)
    assert bins.cell_m == 500
    cells = bins.cells.set_index(["q", "r"])
    assert cells.loc[(Q, R), "count"] == 2
    assert cells.loc[(Q + 1, R), "count"] == 1
    assert len(cells) == 2 and bins.hidden_cells == 0
    # the centre comes back where the points were projected from (to a metre)
    x, y = to_metres(cells.loc[(Q, R), "lat"], cells.loc[(Q, R), "lon"])
    cx, cy = hex_centre(Q, R, 500)
    assert abs(float(x) - cx) < 1 and abs(float(y) - cy) < 1
    assert len(cells.loc[(Q, R), "corners"]) == 6


def test_a_cell_of_4_is_dropped_when_the_minimum_is_5_and_not_told():
    pts = _points_at([(0, 0), (50, 0), (1000, 0)], counts=[3, 1, 5])  # cell (Q, R): 4 reports, (Q+2, R): 5
    bins = hex_bins(pts, cell_m=500, min_count=5, weight="reports")
    assert bins.cells[["q", "r", "count", "points"]].values.tolist() == [[Q + 2, R, 5, 1]]
    assert bins.hidden_cells == 1 and bins.min_count == 5
    page = maps.map_html(maps.places_map(None, pts.assign(ort="Ort", plats=["A", "B", "C"]), hotspots=bins))
    assert [c[2] for c in drawn_cells(page)] == [5]  # the cell of 4 never reaches the browser
    assert "4 rapporter" not in page and "&lt;5" not in page
    assert shown("%C rapporter inom 500 m bred sexhörning", page)


@pytest.mark.parametrize("lon", [11.2, 15.0, 21.0])  # west of, on and east of SWEREF 99 TM's meridian
def test_the_browser_draws_the_hexagon_where_the_binning_put_it(lon):
    x, y = to_metres([58.0], [lon])
    q, r = hex_index(x, y, 500)
    cx, cy = hex_centre(q, r, 500)
    lat_c, lon_c = from_metres(cx, cy)
    bins = hex_bins(pd.DataFrame({"lat": lat_c, "lon": lon_c}), cell_m=500, min_count=1)
    cell = bins.cells.iloc[0]
    drawn = js_corners(cell["lat"], cell["lon"], cell["rotation"], 500)
    for (la1, lo1), (la2, lo2) in zip(drawn, cell["corners"]):
        dx, dy = to_metres([la1, la2], [lo1, lo2])
        assert math.hypot(dx[0] - dx[1], dy[0] - dy[1]) < 3  # metres
    if lon != 15.0:
        assert abs(cell["rotation"]) > 1  # away from the central meridian the grid is turned


def test_the_cell_size_changes_what_is_pooled():
    pts = _points_at([(0, 0), (600, 0)], counts=[3, 3])
    assert hex_bins(pts, cell_m=500, min_count=5, weight="reports").cells.empty
    big = hex_bins(pts, cell_m=2000, min_count=5, weight="reports")
    assert big.cells["count"].tolist() == [6] and big.cell_m == 2000


def test_bad_input_to_the_binning():
    with pytest.raises(ValueError):
        hex_bins(_points_at([(0, 0)]), cell_m=0, min_count=5)
    empty = hex_bins(pd.DataFrame({"lat": [None], "lon": [None]}), cell_m=500, min_count=1)
    assert empty.cells.empty and empty.hidden_cells == 0


# --- the map's HTML ---------------------------------------------------------------------------------------
PAYLOAD = '<img src=x onerror="alert(1)">`${x}`'


def test_places_map_with_hot_spots_states_the_cell_width_in_swedish_and_escapes_names():
    pts = _points_at([(0, 0), (10, 0), (3000, 0)], counts=[6, 2, 7]).assign(ort=["Ort", "Ort", PAYLOAD],
                                                                           plats=[PAYLOAD, "B", None])
    bins = hex_bins(pts, cell_m=500, min_count=5, weight="reports")
    for meeting in (False, True):
        page = maps.map_html(maps.places_map(None, pts, hotspots=bins, meeting=meeting))
        assert shown(t("events_hotspot_layer"), page) and shown(t("map_places_layer"), page)
        assert shown("varje sexhörning är 500 m bred", page)
        assert "<img src=x" not in page and "&lt;img src=x" in page
        assert shown("%C rapporter inom 500 m bred sexhörning (%P platser)", page)
        assert sorted(c[2] for c in drawn_cells(page)) == [7, 8]
        # the largest places carry a permanent label in both modes
        if meeting:
            assert '"permanent": true' in page and "font-size:18px;font-weight:bold" in page
        else:
            assert "tsk-place-label" in page and shown("B: 2", page)  # a label names the place and its count
            assert "font:bold 13px" in page and shown("&lt;img src=x", page)


def test_the_points_layer_can_start_switched_off():
    pts = _points_at([(0, 0)], counts=[6]).assign(ort="Ort", plats="A")
    on = maps.map_html(maps.places_map(None, pts))
    off = maps.map_html(maps.places_map(None, pts, show_places=False))
    assert on.count(".addTo(map_") > off.count(".addTo(map_")


def test_area_names_in_normal_mode_are_escaped_labels(tmp_path):
    import folium
    import shapely

    from tsk.maps.labels import add_area_names
    m = folium.Map(tiles=None)
    add_area_names(m, [PAYLOAD, "Norr"], [shapely.box(13.0, 57.0, 13.1, 57.1), None])
    page = m.get_root().render()
    assert "tsk-area-name" in page and shown("&lt;img src=x", page) and "<img src=x" not in page
    assert "Norr" not in page  # no geometry, no label
    assert "function declutter" in page


# --- configuration ----------------------------------------------------------------------------------------
def test_hotspot_cell_m_is_read_from_map_and_a_bad_value_is_a_swedish_error(tmp_path):
    path = tmp_path / "tsk.toml"
    assert parse_map({}, path).hotspot_cell_m == 2000
    assert parse_map({"hotspot_cell_m": 250}, path).hotspot_cell_m == 250
    for bad in (0, "500", 1.5, True, 100_000):
        with pytest.raises(TskError) as err:
            parse_map({"hotspot_cell_m": bad}, path)
        assert "hotspot_cell_m" in str(err.value) and "meter" in str(err.value)


# --- the store --------------------------------------------------------------------------------------------
def test_police_by_ort_filters_by_category_in_the_query(demo_db):
    from tsk.store import open_store
    with open_store(demo_db, read_only=True) as store:
        window = dict(areas=tuple(store.query("SELECT DISTINCT area FROM police_events WHERE area IS NOT NULL")
                                  ["area"]), date_from=date(2000, 1, 1), date_to=date(2100, 1, 1))
        every = store.police_by_ort(**window)
        cats = store.query("SELECT category, count(*) AS n FROM police_events WHERE category IS NOT NULL "
                           "GROUP BY ALL ORDER BY n DESC")
        if cats.empty:
            pytest.skip("the demo has no police events with a category")
        one = store.police_by_ort(**window, cats=(cats.at[0, "category"],))
        assert int(one["events"].sum()) == int(cats.at[0, "n"])
        assert int(one["events"].sum()) < int(every["events"].sum())
        assert store.police_by_ort(**window, cats=()).empty


# --- the page ---------------------------------------------------------------------------------------------
def _run_lagesbild(query: dict | None = None) -> AppTest:
    from tests.test_app import run_page

    at = run_page("pages/lagesbild.py", query)
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert [e.value for e in at.error] == []
    return at


def _check_filters(at: AppTest) -> None:
    cats = at.multiselect(key="lb_map_cats")
    assert cats.label == t("events_filter_categories") and len(cats.value) >= 2
    captions = " ".join(c.value for c in at.caption)
    assert "sexhörning" in captions
    cats.set_value(cats.value[:1]).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert at.multiselect(key="lb_map_cats").value == cats.value[:1]
    if t("events_period_weeks", n=4) in at.radio(key="lb_map_period").options:
        at.radio(key="lb_map_period").set_value("4").run()
        assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    at.multiselect(key="lb_map_cats").set_value([]).run()
    assert t("events_no_categories") in [i.value for i in at.info]


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "motesla"])
def test_lagesbild_map_filters_on_the_demo(demo_db, monkeypatch, meeting):
    monkeypatch.setenv("TSK_DB", str(demo_db))
    _check_filters(_run_lagesbild({"mote": "1"} if meeting else None))


@pytest.mark.parametrize("scenario", ["en_omgang", "bara_lagesbild", "en_vecka"])
def test_lagesbild_map_filters_on_the_second_kommun(kommun2_stores, monkeypatch, scenario):
    from tests.kommun2.builder import CONFIG_PATH
    monkeypatch.setenv("TSK_CONFIG", str(CONFIG_PATH))
    monkeypatch.setenv("TSK_DB", str(kommun2_stores[scenario]))
    _check_filters(_run_lagesbild())


def test_too_many_cells_are_widened_and_the_width_used_is_stated(config):
    from dataclasses import replace

    from tsk.pagedata import lagesbild
    config = replace(config, map=replace(config.map, hotspot_cell_m=500))
    pts = _points_at([(i * 600.0, 0) for i in range(6)], counts=[5] * 6)  # six cells of 500 m, one apart
    fine = lagesbild.hotspot_bins(pts, config)
    assert fine.cell_m == config.map.hotspot_cell_m == 500 and len(fine.cells) == 6
    wide = lagesbild.hotspot_bins(pts, config, max_cells=3)
    assert wide.cell_m > 500 and len(wide.cells) <= 3 and wide.cells["count"].sum() == 30
    assert f"{round(wide.cell_m):,} m bred".replace(",", "\u00a0") in lagesbild.hotspot_caption(wide, config)
    assert "inställda 500 m" in lagesbild.hotspot_caption(wide, config)
    assert "inställda" not in lagesbild.hotspot_caption(fine, config)


def test_the_places_map_of_the_10m_bench_shape_stays_under_its_size_target(config):
    """The Lägesbild map's HTML does not grow with the store: places beyond MAX_PLACE_MARKERS merge per
    area and hexagons beyond MAX_HOTSPOT_CELLS widen. The shape of bench's 10M store (1 740 orter and
    6 960 places in the kommun's six areas, every place with reports, police in a dozen orter) stays
    under bench's 300 KB target in both modes."""
    from tsk import maps
    from tsk.pagedata import lagesbild

    rng = np.random.default_rng(7)
    places, police = _synthetic_region(rng, config, places=6_960, orter=1_740, most_reports=3_000)
    police = police.iloc[:12].assign(events=rng.integers(1, 50, 12))  # police in a dozen orter
    bins = lagesbild.hotspot_bins(places, config)
    assert 0 < len(bins.cells) <= lagesbild.MAX_HOTSPOT_CELLS
    for meeting in (False, True):
        html = maps.map_html(maps.places_map(None, places, police, meeting=meeting, hotspots=bins))
        assert len(html.encode()) < 300_000, len(html.encode())


def test_police_badges_beyond_the_cap_are_counted_in_the_legend_not_drawn(config):
    """A region's police events in a hundred orter: the 60 orter with most events get a badge each, the
    rest are named by number in the legend (never summed into a badge without a place), and the map
    stays under its size target."""
    from tsk import maps
    from tsk.maps.base import MAX_POLICE_BADGES
    from tsk.pagedata import lagesbild

    k = 100
    places, police = _synthetic_region(np.random.default_rng(3), config, places=20_000, orter=k, most_reports=400)
    police = police.assign(events=np.arange(1, k + 1))
    html = maps.map_html(maps.places_map(None, places, police, hotspots=lagesbild.hotspot_bins(places, config)))
    assert html.count("tsk-police tsk-obstacle") == MAX_POLICE_BADGES
    left = k - MAX_POLICE_BADGES
    assert shown(t("map_police_left", n=left, events=sum(range(1, left + 1))), html)  # the smallest are left
    assert len(html.encode()) < 300_000, len(html.encode())


def _synthetic_region(rng, config, *, places: int, orter: int, most_reports: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`places` places with reports spread over `orter` orter in the config's areas, around the demo's
    kommun, and one police row per ort (events to be set by the test)."""
    frame = pd.DataFrame({"ort": [f"Syntetisk ort {i % orter:04d}" for i in range(places)],
                          "area": [config.areas[i % len(config.areas)].name for i in range(places)],
                          "plats": [f"Syntetisk plats {i:05d}" for i in range(places)],
                          "lat": rng.uniform(57.0, 57.65, places), "lon": rng.uniform(12.6, 13.4, places),
                          "reports": rng.integers(1, most_reports, places).astype(float)})
    police = pd.DataFrame({"ort": [f"Syntetisk ort {i:04d}" for i in range(orter)],
                           "lat": rng.uniform(57.0, 57.65, orter), "lon": rng.uniform(12.6, 13.4, orter),
                           "events": 0})
    return frame, police


# --- the legend follows the layers ------------------------------------------------------------------------
def _legend_lines(page) -> dict[str, bool]:
    """Each legend line of a layer: its layer's name -> whether any of its lines is shown."""
    return page.evaluate("""() => {
        const out = {};
        for (const row of document.querySelectorAll('.tsk-legend [data-tsk-layer]')) {
            const name = row.getAttribute('data-tsk-layer');
            out[name] = (out[name] || false) || row.offsetParent !== null;
        }
        return out;
    }""")


def test_the_legend_lines_of_a_layer_start_hidden_with_it_and_follow_the_layer_control():
    """The Lägesbild map with Platser switched off showed «Rapporter» and «Ungefärligt läge» in its legend
    for circles that were not drawn. Each layer's lines now go and come with that layer: in the HTML from
    the start, and in a browser when the layer control turns the layer on or off."""
    from tests.browser_support import chromium, open_map_html

    pts = _points_at([(0, 0), (3000, 0)], counts=[6, 7]).assign(ort=["Ort", "Ort"], plats=["A", "B"],
                                                                  approximate=[True, False])
    police = pd.DataFrame({"ort": ["Ort"], "lat": [pts["lat"][0]], "lon": [pts["lon"][0]], "events": [3]})
    bins = hex_bins(pts, cell_m=500, min_count=5, weight="reports")
    places, hot, pol = t("map_places_layer"), t("events_hotspot_layer"), t("map_police_layer")

    html = maps.map_html(maps.places_map(None, pts, police, hotspots=bins, show_places=False))
    assert shown(f'data-tsk-layer="{places}" style="display:none;', html)  # hidden from the start
    assert shown(f'data-tsk-layer="{hot}" style="white-space', html)  # shown layers' lines are not
    assert shown(f'data-tsk-layer="{pol}" style="white-space', html)

    with chromium() as browser:
        page = open_map_html(browser, html)
        page.locator(".tsk-legend").wait_for()
        assert _legend_lines(page) == {places: False, hot: True, pol: True}
        page.locator(".leaflet-control-layers").hover()  # opens the collapsed control
        page.get_by_role("checkbox", name=places).check()
        assert _legend_lines(page) == {places: True, hot: True, pol: True}
        page.get_by_role("checkbox", name=hot).uncheck()
        page.get_by_role("checkbox", name=pol).uncheck()
        assert _legend_lines(page) == {places: True, hot: False, pol: False}
