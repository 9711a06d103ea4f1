"""The walk on the map (issue 19): stops in walking order at the store's positions, measures at their
places with status and no free text, the walk the candidate map shows, the map's HTML, the protocol's
map sheet, and the Trygghetsvandring page on the demo and on the second kommun."""
from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import pytest

from tsk.config import load_config
from tsk.i18n import t
from tsk.maps import map_html
from tsk.maps import route as map_route
from tsk.pagedata import route
from tsk.registers import protocol, walks
from tsk.registers.statuses import (
    MEASURE_DECIDED,
    MEASURE_DONE,
    MEASURE_ONGOING,
    WALK_DONE,
    WALK_PLANNED,
)
from tsk.store import open_store

PLACES = pd.DataFrame({"ort": ["Byn", "Byn", "Byn", "Annan"], "name": ["Torget", "Skolan", "Parken", "Torget"],
                       "lat": [57.50, 57.51, 57.52, 58.0], "lon": [13.10, 13.11, 13.12, 14.0],
                       "approximate": [False, True, False, False]})


def test_stops_keep_the_walking_order_and_a_stop_without_position_is_listed_not_guessed():
    stops, missing = route.walk_stops(["Skolan", "Rivna huset", "Torget", "Skolan"], "Byn", PLACES)
    assert list(stops["no"]) == [1, 3, 4] and list(stops["name"]) == ["Skolan", "Torget", "Skolan"]
    assert missing == [(2, "Rivna huset")]
    assert list(stops["lat"]) == [57.51, 57.50, 57.51]  # the ort's own Torget, not Annan's
    assert list(stops["approximate"]) == [True, False, True]
    table = route.stops_table(stops, missing)
    assert list(table[t("rt_col_no")]) == [1, 2, 3, 4]
    assert table.iloc[1].tolist() == [2, "Rivna huset", t("rt_missing")]


def test_measures_are_counted_per_place_and_status_without_their_text():
    ms = [walks.Measure(ort="Byn", place="Torget", description="Ring Kalle 070-1234567", owner="A",
                        decision_path="KS", status=MEASURE_DECIDED),
          walks.Measure(ort="Byn", place="Torget", description="x", owner="A", decision_path="KS", status=MEASURE_DECIDED),
          walks.Measure(ort="Byn", place="Torget", description="y", owner="A", decision_path="KS", status=MEASURE_DONE),
          walks.Measure(ort="Byn", place=None, description="hela orten", owner="A", decision_path="KS"),
          walks.Measure(ort="Byn", place="Okänd", description="z", owner="A", decision_path="KS")]
    frame = route.walk_measures(ms, "Byn", PLACES)
    assert frame[["place", "status", "measures"]].values.tolist() == [["Torget", MEASURE_DECIDED, 2],
                                                                     ["Torget", MEASURE_DONE, 1]]
    assert "description" not in frame.columns


def test_the_candidate_map_shows_the_next_planned_walk_else_the_last_held():
    register = pd.DataFrame({"walk_id": [1, 2, 3, 4], "area": ["A", "A", "A", "B"],
                             "walk_date": pd.to_datetime(["2025-05-01", "2026-06-01", "2027-01-10", "2026-12-20"]),
                             "status": [WALK_DONE, WALK_DONE, WALK_PLANNED, WALK_PLANNED]})
    today = date(2026, 12, 4)
    assert route.route_walk(register, ["A", "B"], today) == 4    # the nearest planned walk
    assert route.route_walk(register, ["A"], today) == 3
    assert route.route_walk(register, ["A"], date(2027, 2, 1)) == 2  # its date passed: the last held walk
    assert route.route_walk(register, ["C"], today) is None
    assert route.route_walk(register.iloc[0:0], ["A"], today) is None


def test_the_route_map_numbers_the_stops_in_order_escapes_names_and_shows_no_free_text():
    places = PLACES.assign(name=["Torget", "<img src=x onerror=alert(1)>", "Parken", "Torget"])
    walk = walks.Walk(ort="Byn", area="A", walk_date=date(2026, 12, 9), status=WALK_PLANNED,
                      route=["Torget", "<img src=x onerror=alert(1)>", "Parken"], participants={})
    ms = [walks.Measure(ort="Byn", place="Parken", description="HEMLIG BESKRIVNING", owner="A",
                        decision_path="KS", status=MEASURE_ONGOING)]
    walked = route.walk_route(walk, ms, places)
    html = map_html(map_route.route_map(None, walked.stops, walked.measures, planned=walked.planned,
                                        title=walked.title, meeting=True))
    # The icons' HTML is in JSON strings, its < and > written as \u003c and \u003e.
    numbers = re.findall(r'class=\\"tsk-stop\\"[^}]*?\\u003e(\d+)\\u003c', html)
    assert numbers == ["1", "2", "3"]
    assert "<img src=x" not in html and "\\u003cimg src=x" not in html and "&lt;img src=x" in html
    assert "HEMLIG" not in html
    assert _shown(t("rt_legend_planned"), html) and "10 8" in html  # the planned route is dashed
    assert _shown(t("rt_legend_measure", status=MEASURE_ONGOING), html) and _shown(t("rt_legend_approximate"), html)
    held = map_html(map_route.route_map(None, walked.stops, None, planned=False))
    assert _shown(t("rt_legend_held"), held) and "10 8" not in held


def _shown(text: str, html: str) -> bool:
    """The legend's HTML is a JSON string in the page: non-ASCII letters as \\u escapes."""
    return json.dumps(text)[1:-1] in html


@pytest.fixture(scope="module")
def demo_walks(demo_db):
    cfg = load_config()
    with open_store(demo_db, read_only=True) as s:
        register, places, areas = s.walks(), s.places_reference(), s.area_geometries()
        loaded = {int(w): walks.from_store_rows(*s.walk(walk_id=int(w))) for w in register["walk_id"]}
    return cfg, register, places, areas, loaded


def test_the_protocol_has_a_map_sheet_with_the_route_image_its_alt_text_and_reads_back(demo_walks):
    cfg, register, places, areas, loaded = demo_walks
    held = int(register[register["status"] == WALK_DONE]["walk_id"].iloc[0])
    walk, obs, ms = loaded[held]
    walked = route.walk_route(walk, ms, places)
    data = route.protocol_with_route(walk, obs, ms, cfg, walked, areas)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb[t("rt_sheet_map")]
    assert len(sheet._images) == 1
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=len(walk.route) + 1)]
    assert [r[1] for r in rows] == walk.route and [r[0] for r in rows] == list(range(1, len(walk.route) + 1))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        drawing = next(n for n in z.namelist() if n.startswith("xl/drawings/drawing"))
        xml = z.read(drawing).decode()
    assert f'descr="{t("rt_image_alt", ort=walk.ort, date=walk.walk_date.isoformat(), n=len(walk.route))}"' in xml
    assert protocol.parse_protocol_xlsx(data, cfg) == protocol.parse_protocol_xlsx(
        protocol.protocol_xlsx(walk, obs, ms, cfg), cfg)  # the map sheet is ignored on reading
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        png = z.read(next(n for n in z.namelist() if n.startswith("xl/media/")))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_walk_without_positioned_stops_gives_the_plain_protocol(demo_walks):
    cfg, register, places, areas, loaded = demo_walks
    walk, obs, ms = next(iter(loaded.values()))
    walked = route.walk_route(walk, ms, places.iloc[0:0])
    assert walked.stops.empty and [n for _, n in walked.missing] == walk.route
    data = route.protocol_with_route(walk, obs, ms, cfg, walked)
    assert t("rt_sheet_map") not in openpyxl.load_workbook(io.BytesIO(data)).sheetnames


def _vandring(query=None):
    from tests.test_app import run_page

    at = run_page("pages/vandring.py", query)
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def test_the_page_draws_the_planned_walk_on_the_candidate_map_and_a_chosen_walk_s_route(demo_db, monkeypatch):
    monkeypatch.setenv("TSK_DB", str(demo_db))
    with open_store(demo_db, read_only=True) as s:
        register = s.walks()
    planned = register[register["status"] == WALK_PLANNED].iloc[0]
    at = _vandring()
    captions = [c.value for c in at.caption]
    assert t("rt_candidate_caption", ort=planned["ort"], date=pd.Timestamp(planned["walk_date"]).date().isoformat(),
             status=WALK_PLANNED) in captions
    held = int(register[register["status"] == WALK_DONE]["walk_id"].iloc[0])
    at.selectbox(key="vr_choose").set_value(held).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert f"**{t('rt_heading')}**" in [m.value for m in at.markdown]
    stop_tables = [df.value for df in at.dataframe if t("rt_col_position") in df.value.columns]
    assert len(stop_tables) == 1 and len(stop_tables[0]) >= 2


@pytest.mark.parametrize("meeting", [False, True])
def test_the_second_kommun_s_page_runs_with_its_own_walks_or_none(kommun2_stores, monkeypatch, meeting):
    from tsk.config import ROOT

    monkeypatch.setenv("TSK_CONFIG", str(ROOT / "tests" / "kommun2" / "tsk.toml"))
    monkeypatch.setenv("TSK_DB", str(kommun2_stores["en_omgang"]))
    at = _vandring({"mote": "1"} if meeting else None)
    assert [e.value for e in at.error] == []


def test_the_candidate_map_s_script_names_the_route_layer_before_the_layer_control():
    """The layer control's script refers to every layer by name: placed before the route's, the browser
    stops at an undefined name and draws no stop (seen on the page before this was fixed)."""
    walk = walks.Walk(ort="Byn", area="A", walk_date=date(2026, 12, 9), status=WALK_PLANNED,
                      route=["Torget", "Parken"], participants={})
    walked = route.walk_route(walk, [], PLACES)
    on_map = pd.DataFrame({"ort": ["Byn"], "plats": ["Torget"], "lat": [57.5], "lon": [13.1], "reports": [3.0]})
    html = map_html(map_route.candidates_with_route(None, on_map, None, walked.stops, walked.measures,
                                                    planned=True, route_title=walked.title))
    assert html.rfind("tsk-stop") < html.find("L.control.layers(")


def test_in_a_browser_the_candidate_map_draws_the_planned_walk_s_numbered_stops(demo_db):
    import time

    from tests.browser_support import (
        block_outside,
        chromium,
        streamlit_server,
        wait_until_drawn,
        wait_until_run_finished,
    )
    from tests.test_browser_a11y import ARTIFACTS

    with streamlit_server(demo_db, log_name="streamlit_route.log") as url, chromium() as browser:
        for name, (viewport, query) in {"normal": ({"width": 1920, "height": 1080}, ""),
                                        "mote": ({"width": 1280, "height": 720}, "?mote=1")}.items():
            context = browser.new_context(viewport=viewport)
            blocked: list[str] = []
            block_outside(context, blocked)
            page = context.new_page()
            page.goto(f"{url}/vandring{query}", wait_until="domcontentloaded")
            wait_until_run_finished(page)
            frame = page.locator(f'iframe[title="{t("vc_map")}"]')
            frame.scroll_into_view_if_needed()  # the frame loads when it comes into view
            wait_until_drawn(page)
            time.sleep(1)
            inner = frame.content_frame
            inner.locator(".tsk-stop").first.wait_for(timeout=30_000)
            assert inner.locator(".tsk-stop").all_inner_texts() == ["1", "2"]
            assert inner.locator(".tsk-legend").count() == 2  # the candidates' and the route's
            frame.screenshot(path=str(ARTIFACTS / f"route_candidates_{name}.png"))
            context.close()
            assert not blocked


@pytest.mark.parametrize("meeting", [False, True])
def test_in_a_browser_the_candidate_map_zooms_to_the_route_and_back_with_its_buttons(meeting):
    """At a kommun's scale a walk's stops, a few hundred metres apart, lie on top of each other on the
    candidate map. «Zooma till rutten» fits the map to them, so no two stop numbers overlap; «Hela kartan»
    gives back the view before. Both are buttons, pressed here with the keyboard."""
    from tests.browser_support import chromium, open_map_html

    # from the bottom left to the top right: fitted without regard to the legends, the first stop would
    # sit under the route's legend in the bottom left corner
    near = pd.DataFrame({"ort": ["Byn"] * 3, "name": ["Torget", "Skolan", "Parken"],
                         "lat": [57.500, 57.503, 57.506], "lon": [13.100, 13.108, 13.116],
                         "approximate": [False, False, False]})
    walk = walks.Walk(ort="Byn", area="A", walk_date=date(2026, 12, 9), status=WALK_PLANNED,
                      route=["Torget", "Skolan", "Parken"], participants={})
    walked = route.walk_route(walk, [], near)
    # candidates across a kommun ~60 km wide: the map starts at its scale
    on_map = pd.DataFrame({"ort": ["Byn", "Långt bort", "Andra hållet"], "plats": ["Torget", None, None],
                           "lat": [57.5, 57.9, 57.2], "lon": [13.1, 13.6, 12.7], "reports": [3.0, 5.0, 4.0]})
    html = map_html(map_route.candidates_with_route(None, on_map, None, walked.stops, walked.measures,
                                                    planned=True, route_title=walked.title, meeting=meeting))

    def stop_boxes(page) -> list[dict]:
        return page.evaluate("() => [...document.querySelectorAll('.tsk-stop')].map(e => {"
                             "const r = e.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom}; })")

    def overlapping(boxes) -> bool:
        return any(a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]
                   for i, a in enumerate(boxes) for b in boxes[i + 1:])

    with chromium() as browser:
        # the size of the map's frame on the page (520 px tall, 620 in Mötesläge)
        page = open_map_html(browser, html, {"width": 1216, "height": 620} if meeting else {"width": 1460, "height": 520})
        page.locator(".tsk-stop").first.wait_for()
        page.wait_for_timeout(300)  # the map's own fit around its legend
        zoom = "() => { for (const k in window) if (k.startsWith('map_') && window[k].getZoom) return window[k].getZoom(); }"
        start = page.evaluate(zoom)
        assert overlapping(stop_boxes(page))  # the case the buttons are for
        to_route = page.get_by_role("button", name=t("rt_zoom_route"))
        back = page.get_by_role("button", name=t("rt_zoom_back"))
        assert back.is_disabled()
        to_route.focus()
        page.keyboard.press("Enter")
        assert page.evaluate(zoom) > start and not overlapping(stop_boxes(page))
        viewport = page.viewport_size
        legends = page.evaluate("() => [...document.querySelectorAll('.tsk-legend, .tsk-route-zoom')].map(e => {"
                                "const r = e.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom}; })")
        for box in stop_boxes(page):  # every stop is on the map, under no legend and no button
            assert 0 <= box["l"] and box["r"] <= viewport["width"] and 0 <= box["t"] and box["b"] <= viewport["height"]
            assert not any(overlapping([box, other]) for other in legends)
        back.focus()
        page.keyboard.press("Enter")
        assert page.evaluate(zoom) == start and back.is_disabled()
