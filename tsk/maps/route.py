"""A trygghetsvandring's route on the map: a line through its stops in walking order, numbered stops,
and the walk's measures at their places with their status (issue 19).

`route_map` draws one walk, fitted to its stops, on the area outlines; `candidates_with_route` is the
candidate map (tsk.maps.places_map) with a walk's route on top, so the kommunutvecklare sees the
candidates and the planned walk together. The stops and measures come display-ready from
tsk.pagedata.route. Status is said in text and shape as well as colour (WCAG 1.4.1); no free text is
drawn (a measure's description stays in the register). Every name is escaped (tsk.maps.text.esc).
"""
from __future__ import annotations

import json

import folium
import pandas as pd

from tsk.i18n import t
from tsk.maps.base import DEFAULT_TOLERANCE_DEG, _base_map, _js_str, _Script
from tsk.maps.geometry import _bounds, _map_geometries
from tsk.maps.legend import _Legend, _legend_row
from tsk.maps.places import _add_outlines, places_map
from tsk.maps.text import _truthy, esc
from tsk.registers.statuses import (
    MEASURE_DECIDED,
    MEASURE_DECLINED,
    MEASURE_DONE,
    MEASURE_ONGOING,
    MEASURE_PROPOSED,
)

ROUTE_COLOUR = "#1b1b1b"
HALO_COLOUR = "#ffffff"
# A measure's mark by status: a colour (open, done, declined) and a symbol of its own, so that the status
# is told apart without colour too (WCAG 1.4.1).
_OPEN = "#b34700"      # Okabe–Ito vermillion, darkened for 3:1 against the background
_DONE = "#007a5a"      # Okabe–Ito bluish green, darkened
_DECLINED = "#6b6b6b"
_MARKS = {MEASURE_PROPOSED: (_OPEN, "?"), MEASURE_DECIDED: (_OPEN, "!"), MEASURE_ONGOING: (_OPEN, "…"),
          MEASURE_DONE: (_DONE, "✓"), MEASURE_DECLINED: (_DECLINED, "×")}


def measure_mark(status: str) -> tuple[str, str]:
    """(colour, symbol) of a measure's status on the map (a status the config adds: an open one's colour
    and its first letter)."""
    return _MARKS.get(status, (_OPEN, (status[:1] or "?").upper()))


def add_route(m: folium.Map, stops: pd.DataFrame, measures: pd.DataFrame | None = None, *, planned: bool,
              meeting: bool, title: str = "", legend_position: str = "bottomleft") -> folium.Map:
    """The route as a line (dashed while the walk is planned) with numbered stops, and the measures as
    small marks beside their places, in a layer of their own; and its legend."""
    layer = folium.FeatureGroup(name=t("rt_layer"), show=True)
    points = [[float(r.lat), float(r.lon)] for r in stops.itertuples()]
    if len(points) >= 2:
        width = 6 if meeting else 4
        folium.PolyLine(points, color=HALO_COLOUR, weight=width + 4, opacity=0.9).add_to(layer)
        folium.PolyLine(points, color=ROUTE_COLOUR, weight=width, opacity=1.0,
                        dash_array="10 8" if planned else None).add_to(layer)
    size = 34 if meeting else 26
    for r in stops.itertuples():
        label = t("rt_stop_tooltip", no=int(r.no), name=esc(r.name)) + (f" ({t('rt_approximate')})" if r.approximate else "")
        fill, text, border = ("#ffffff", ROUTE_COLOUR, "2px dashed #1b1b1b") if _truthy(r.approximate) else \
            (ROUTE_COLOUR, "#ffffff", "2px solid #ffffff")
        html = (f'<div class="tsk-stop" role="img" aria-label="{label}" style="width:{size}px;height:{size}px;'
                f'line-height:{size - 4}px;border-radius:50%;background:{fill};color:{text};border:{border};'
                f'box-shadow:0 0 0 1px #1b1b1b;text-align:center;font:bold {20 if meeting else 15}px sans-serif">'
                f'{int(r.no)}</div>')
        folium.Marker([float(r.lat), float(r.lon)], tooltip=label,
                      icon=folium.DivIcon(html=html, icon_size=(size, size), icon_anchor=(size // 2, size // 2))
                      ).add_to(layer)
    if measures is not None:
        _add_measures(layer, measures, meeting=meeting)
    layer.add_to(m)
    m.add_child(_Legend(_route_legend(planned, stops, measures, title=title, meeting=meeting), meeting=meeting,
                        position=legend_position))
    return m


def _add_measures(layer: folium.FeatureGroup, measures: pd.DataFrame, *, meeting: bool) -> None:
    """One mark per place and status, up and to the right of the stop so the number stays readable."""
    size = 24 if meeting else 18
    for i, r in enumerate(measures.itertuples()):
        colour, symbol = measure_mark(r.status)
        label = t("rt_measure_tooltip", n=int(r.measures), status=esc(r.status), place=esc(r.place))
        html = (f'<div role="img" aria-label="{label}" style="width:{size}px;height:{size}px;line-height:{size}px;'
                f'background:{colour};color:#fff;border:2px solid #fff;box-shadow:0 0 0 1px #1b1b1b;'
                f'text-align:center;font:bold {15 if meeting else 12}px sans-serif">{symbol}</div>')
        shift = i % 3 * (size + 2)  # several statuses at one place side by side
        folium.Marker([float(r.lat), float(r.lon)], tooltip=label,
                      icon=folium.DivIcon(html=html, icon_size=(size, size),
                                          icon_anchor=(-size // 2 - shift, size + size // 2))).add_to(layer)


def _route_legend(planned: bool, stops: pd.DataFrame, measures: pd.DataFrame | None, *, title: str,
                  meeting: bool) -> str:
    size = 22 if meeting else 16
    line = (f'<span style="display:inline-block;width:{size * 2}px;border-top:4px {"dashed" if planned else "solid"} '
            f'{ROUTE_COLOUR};vertical-align:middle;margin-right:6px"></span>')
    rows = [f"<b>{esc(title)}</b>"] if title else []
    rows.append(_legend_row(line, t("rt_legend_planned" if planned else "rt_legend_held")))
    stop = (f'<span style="display:inline-block;width:{size}px;height:{size}px;border-radius:50%;'
            f'background:{ROUTE_COLOUR};color:#fff;text-align:center;font:bold 11px/{size}px sans-serif;'
            f'vertical-align:middle;margin-right:6px">1</span>')
    rows.append(_legend_row(stop, t("rt_legend_stop")))
    if stops["approximate"].map(_truthy).any():
        hollow = stop.replace(f"background:{ROUTE_COLOUR};color:#fff", f"background:#fff;color:{ROUTE_COLOUR};"
                              f"border:2px dashed {ROUTE_COLOUR};box-sizing:border-box")
        rows.append(_legend_row(hollow, t("rt_legend_approximate")))
    if measures is not None and not measures.empty:
        for status in dict.fromkeys(measures["status"]):
            colour, symbol = measure_mark(status)
            mark = (f'<span style="display:inline-block;width:{size}px;height:{size}px;background:{colour};'
                    f'color:#fff;text-align:center;font:bold 11px/{size}px sans-serif;vertical-align:middle;'
                    f'margin-right:6px">{symbol}</span>')
            rows.append(_legend_row(mark, t("rt_legend_measure", status=esc(status))))
    return "".join(rows)


def route_map(areas: pd.DataFrame | None, stops: pd.DataFrame, measures: pd.DataFrame | None = None, *,
              planned: bool, meeting: bool = False, title: str = "",
              tolerance_deg: float = DEFAULT_TOLERANCE_DEG) -> folium.Map:
    """One walk: the area outlines for orientation, fitted to the walk's stops (to the areas when it has
    none with a position)."""
    adf = areas.reset_index(drop=True) if areas is not None else pd.DataFrame(columns=["name", "geometry_wkt"])
    geoms = _map_geometries(adf["geometry_wkt"].tolist(), tolerance_deg) if len(adf) else []
    schematic = adf["schematic"].map(_truthy).tolist() if "schematic" in adf else [False] * len(adf)
    points = list(zip(stops["lat"], stops["lon"]))
    bounds = _bounds([], points) if points else _bounds(geoms)
    if points:  # room around the stops for their numbers and the measures' marks (at least ~400 m)
        (s, w), (n, e) = bounds
        pad_lat, pad_lon = max((n - s) * 0.15, 0.002), max((e - w) * 0.15, 0.004)
        bounds = [[s - pad_lat, w - pad_lon], [n + pad_lat, e + pad_lon]]
    m = _base_map(bounds, osm_tiles=False)
    _add_outlines(m, adf, geoms, schematic, meeting=meeting)
    # bottom right: the map is fitted around the legend there (tsk.maps.base)
    add_route(m, stops, measures, planned=planned, meeting=meeting, title=title, legend_position="bottomright")
    folium.LayerControl(collapsed=not meeting).add_to(m)
    return m


def candidates_with_route(areas: pd.DataFrame, places: pd.DataFrame, police: pd.DataFrame | None,
                          stops: pd.DataFrame, measures: pd.DataFrame | None = None, *, planned: bool,
                          route_title: str = "", meeting: bool = False, **kwargs) -> folium.Map:
    """The candidate map (tsk.maps.places_map with its arguments) with a walk's route on top, and two
    buttons: to the route (at a kommun's scale its stops, a few hundred metres apart, lie on top of each
    other) and back to the whole map."""
    m = places_map(areas, places, police, meeting=meeting, **kwargs)
    # The layer control's script names every layer, so it must come after the route's (else the page's
    # script stops at an undefined layer and nothing after it is drawn).
    controls = [key for key, child in m._children.items() if isinstance(child, folium.LayerControl)]
    moved = [m._children.pop(key) for key in controls]
    add_route(m, stops, measures, planned=planned, meeting=meeting, title=route_title)
    if len(stops):
        m.add_child(_route_zoom([[float(r.lat), float(r.lon)] for r in stops.itertuples()], meeting=meeting))
    for control in moved:
        m.add_child(control)
    return m


# «Zooma till rutten» and «Hela kartan» as buttons under the zoom control: real buttons, so they are reached
# and pressed with the keyboard too. The first fits the map to the stops, clear of the legends in the bottom
# corners and of the buttons; the second goes back to the view the map had before.
_ROUTE_ZOOM_JS = """
var bounds = L.latLngBounds(__POINTS__).pad(0.3), before = null, back;
var control = L.control({position: "topleft"});
control.onAdd = function() {
    var div = L.DomUtil.create("div", "leaflet-bar tsk-route-zoom");
    function button(text, press) {
        var b = L.DomUtil.create("button", "", div);
        b.type = "button";
        b.textContent = text;
        b.setAttribute("style", __STYLE__);
        L.DomEvent.on(b, "click", function(e) { L.DomEvent.stop(e); press(); });
        return b;
    }
    function enable(b, on) {  // a disabled button looks it, and is skipped by the keyboard
        b.disabled = !on;
        b.style.color = on ? "#000" : "#6b6b6b";
        b.style.cursor = on ? "pointer" : "default";
    }
    button(__TO_ROUTE__, function() {
        if (!before) { before = {centre: map.getCenter(), zoom: map.getZoom()}; }
        var bottom = 40;
        map.getContainer().querySelectorAll(".leaflet-bottom .tsk-legend").forEach(function(l) {
            bottom = Math.max(bottom, l.offsetHeight + 20);
        });
        map.fitBounds(bounds, {maxZoom: 16, paddingTopLeft: [div.offsetWidth + 30, 40],
                               paddingBottomRight: [40, bottom], animate: false});
        enable(back, true);
    });
    back = button(__BACK__, function() {
        if (before) { map.setView(before.centre, before.zoom, {animate: false}); before = null; }
        enable(back, false);
    });
    enable(back, false);
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
};
control.addTo(map);
"""


def _route_zoom(points: list[list[float]], *, meeting: bool) -> _Script:
    """The two route buttons for a walk's stops (lat, lon), at Mötesläge's size in a meeting."""
    size, height = (18, 44) if meeting else (14, 32)
    style = (f"display:block;width:100%;min-height:{height}px;padding:4px 10px;margin:0;border:0;"
             f"border-bottom:1px solid #ccc;background:#fff;color:#000;font:bold {size}px sans-serif;"
             f"text-align:left;cursor:pointer")
    return _Script(_ROUTE_ZOOM_JS.replace("__POINTS__", json.dumps(points)).replace("__STYLE__", _js_str(style))
                   .replace("__TO_ROUTE__", _js_str(t("rt_zoom_route"))).replace("__BACK__", _js_str(t("rt_zoom_back"))))
