"""The offline context layer: what makes the schematic map readable without tiles. The kommun outline
(the union of the areas, a thicker line, no fill) and the orter as small labelled points sized by
population (area of the dot ∝ population, a square-root scale).

It lies under the data: outline and dots in a pane below Leaflet's overlay pane (the areas, the places),
the names in a pane just above the area fills and below every marker and tooltip, and nothing in it takes
a click. It is drawn over configured tiles too (the tiles do not know the app's areas; the ort names are
the ones the data uses).

Water and roads: no PyPI or Debian package ships an open data set of Swedish roads and water detailed
enough for a kommun (see the README, «Base map»), so none comes with the app. A kommun can name its own
open data in [map] context_files (e.g. Lantmäteriet's Topografi 250, CC0): polygons are drawn as water
(pale blue fills), lines as roads (thin grey lines), cut to the kommun and simplified, under the outline.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import folium
import shapely
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import mapping

from tsk.errors import TskError
from tsk.maps.base import DEFAULT_TOLERANCE_DEG, NDIGITS, _Script
from tsk.maps.geometry import _map_geometries
from tsk.maps.text import esc

PANE = "tskContext"            # outline and ort dots: under the data (overlay pane 400, tiles 200)
LABEL_PANE = "tskContextLabels"  # ort names: over the area fills, under markers (600) and tooltips (650)
PANE_Z = 350
LABEL_PANE_Z = 450
OUTLINE_COLOUR = "#444444"
ORT_COLOUR = "#555555"
DOT_MIN_PX, DOT_MAX_PX = 2.5, 7.0
WATER_FILL, WATER_LINE, ROAD_COLOUR = "#b3d4ea", "#7fa9c6", "#9a9a9a"
CLIP_MARGIN_DEG = 0.05  # ~3–5 km around the kommun

# Ort names never on top of each other nor of what the map itself labels (area names, meeting labels,
# police badges, permanent tooltips): the larger ort keeps its name, a smaller one whose name would
# overlap is hidden at this zoom.
_DECLUTTER_ORTER_JS = """
function declutterOrter() {
    var box = map.getContainer();
    var names = Array.prototype.slice.call(box.querySelectorAll(".tsk-ort-name"));
    names.sort(function(a, b) { return (+b.dataset.pop || 0) - (+a.dataset.pop || 0); });
    names.forEach(function(n) { n.style.visibility = "visible"; });
    var taken = Array.prototype.slice.call(box.querySelectorAll(
        ".tsk-area-name div, .tsk-declutter, .tsk-police, .leaflet-tooltip"))
        .map(function(e) { return e.getBoundingClientRect(); });
    function hits(r) {
        return taken.some(function(t) {
            return r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom;
        });
    }
    names.forEach(function(n) {
        var r = n.getBoundingClientRect();
        if (hits(r)) { n.style.visibility = "hidden"; } else { taken.push(r); }
    });
}
map.on("zoomend moveend", function() { setTimeout(declutterOrter, 0); });
[0, 300, 1000, 2500].forEach(function(ms) { setTimeout(declutterOrter, ms); });
"""


@dataclass(frozen=True)
class ContextOrt:
    name: str
    lat: float
    lon: float
    population: int | None = None


@dataclass(frozen=True)
class MapContext:
    """What the context layer draws: the kommun outline as GeoJSON text ("" when no area has a geometry),
    the orter, and water and roads from the kommun's own files (GeoJSON text, "" when none). Plain
    values, so it can be part of a cache key. `problems`: (file, Swedish reason) for a file not drawn."""
    outline: str
    orter: tuple[ContextOrt, ...]
    water: str = ""
    roads: str = ""
    problems: tuple[tuple[str, str], ...] = ()


def map_context(area_wkts: Sequence, orter: Iterable, files: Sequence[str] = ()) -> MapContext:
    """The context of a map from the areas' WKT (WGS84), the configured orter (anything with name, lat,
    lon and population) and [map] context_files. A file that cannot be read is left out and named in
    `problems` with the reason; the map is drawn without it."""
    wkts = tuple(None if w is None else str(w) for w in area_wkts)
    outline = _outline(wkts)
    water, roads, problems = [], [], []
    if outline and files:
        clip = _clip_box(wkts)
        for f in files:
            try:
                w, r = _file_shapes(f, _mtime(f), clip)
            except TskError as e:
                problems.append((f, e.message))
                continue
            water += [w] if w else []
            roads += [r] if r else []
    return MapContext(
        outline=outline,
        orter=tuple(ContextOrt(str(o.name), round(float(o.lat), NDIGITS), round(float(o.lon), NDIGITS),
                               None if o.population is None else int(o.population)) for o in orter),
        water=_collection(water), roads=_collection(roads), problems=tuple(problems),
    )


def _mtime(path: str) -> int:
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        return 0


def _clip_box(wkts: tuple[str | None, ...]) -> tuple[float, float, float, float]:
    """The kommun's bounds widened by CLIP_MARGIN_DEG: what of a context file is kept."""
    geoms = [g for g in _map_geometries(list(wkts), 0) if g is not None]
    minx, miny, maxx, maxy = shapely.union_all(geoms).bounds
    return (round(minx - CLIP_MARGIN_DEG, 3), round(miny - CLIP_MARGIN_DEG, 3),
            round(maxx + CLIP_MARGIN_DEG, 3), round(maxy + CLIP_MARGIN_DEG, 3))


@lru_cache(maxsize=16)
def _file_shapes(path: str, mtime: int, clip: tuple[float, float, float, float]) -> tuple[str, str]:
    """One context file read (any CRS), cut to `clip`, simplified and rounded: its polygons (water) and
    its lines (roads) as one GeoJSON geometry each ("" when none). Raises TskError for an unusable file."""
    from tsk.errors import FileRejected
    from tsk.geo import read_vector, to_wgs84

    if not mtime:
        raise FileRejected("file_missing", path=path)
    geoms = to_wgs84(read_vector(Path(path))).geometry
    box = shapely.box(*clip)
    kept = [g.intersection(box) for g in geoms if g is not None and not g.is_empty and g.intersects(box)]
    polys, lines = [], []
    for g in kept:
        for part in shapely.get_parts(g):
            if part.geom_type == "Polygon":
                polys.append(part)
            elif part.geom_type == "LineString":
                lines.append(part)

    def one(parts, kind):
        if not parts:
            return ""
        merged = shapely.union_all(parts) if kind == "water" else shapely.multilinestrings(parts)
        merged = merged.simplify(DEFAULT_TOLERANCE_DEG / 2, preserve_topology=True)
        merged = shapely.set_precision(merged, 10 ** -NDIGITS)
        return "" if merged.is_empty else json.dumps(mapping(merged))

    return one(polys, "water"), one(lines, "roads")


def _collection(geometries: list[str]) -> str:
    """One GeoJSON geometry (a collection when several files gave some), or ""."""
    if not geometries:
        return ""
    if len(geometries) == 1:
        return geometries[0]
    return json.dumps({"type": "GeometryCollection", "geometries": [json.loads(g) for g in geometries]})


@lru_cache(maxsize=16)
def _outline(wkts: tuple[str | None, ...]) -> str:
    """The union of the areas, simplified as the area layers are (so the line follows their borders)."""
    geoms = [g for g in _map_geometries(list(wkts), DEFAULT_TOLERANCE_DEG) if g is not None]
    if not geoms:
        return ""
    union = shapely.union_all(geoms)
    union = shapely.set_precision(union, 10 ** -NDIGITS) if not union.is_valid else union
    return json.dumps(mapping(union.boundary))


def dot_radius(population: int | None, largest: int | None) -> float:
    """A dot's radius in px: its area ∝ population (√ scale) between DOT_MIN_PX and DOT_MAX_PX."""
    if not population or not largest or population <= 0:
        return DOT_MIN_PX
    return round(DOT_MIN_PX + (DOT_MAX_PX - DOT_MIN_PX) * (min(population, largest) / largest) ** 0.5, 1)


class _Orter(MacroElement):
    """The orter as dots (context pane) and names (label pane); nothing takes a click. folium's own
    CircleMarker cannot be put in a pane, hence the few lines of Leaflet. Labels are escaped HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            {{ this.points|tojson }}.forEach(function(o) {
                L.circleMarker([o.lat, o.lon], {radius: o.r, color: "#ffffff", weight: 1, fill: true,
                    fillColor: {{ this.colour|tojson }}, fillOpacity: 0.9, interactive: false,
                    pane: {{ this.pane|tojson }}}).addTo(map);
                L.marker([o.lat, o.lon], {icon: L.divIcon({html: o.label, iconSize: [0, 0], iconAnchor: [0, 0],
                    className: "tsk-ort"}), interactive: false, keyboard: false,
                    pane: {{ this.label_pane|tojson }}}).addTo(map);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, points: list[dict], *, dots_pane: str = PANE):
        super().__init__()
        self._name = "TskOrter"
        self.points = points
        self.colour = ORT_COLOUR
        self.pane = dots_pane
        self.label_pane = LABEL_PANE


def add_context_layer(m: folium.Map, context: MapContext, *, meeting: bool = False,
                      dots_over_fills: bool = False) -> None:
    """Draw the outline and the orter (dots and names) on `m`, under the data. Names are HTML-escaped.

    `dots_over_fills`: on a map whose areas are filled (the choropleth), the ort dots go in the names'
    pane, above the fills, which washed them out from below; elsewhere they stay under the data, where
    over a place's circle they would read as a mark of their own."""
    folium.map.CustomPane(PANE, z_index=PANE_Z, pointer_events=False).add_to(m)
    folium.map.CustomPane(LABEL_PANE, z_index=LABEL_PANE_Z, pointer_events=False).add_to(m)
    group = folium.FeatureGroup(name="tsk-context", control=False)
    if context.water:
        folium.GeoJson(
            json.loads(context.water),
            style_function=lambda _f: {"color": WATER_LINE, "weight": 0.5, "fillColor": WATER_FILL,
                                       "fillOpacity": 0.7},
            interactive=False,
            pane=PANE,
        ).add_to(group)
    if context.roads:
        folium.GeoJson(
            json.loads(context.roads),
            style_function=lambda _f: {"color": ROAD_COLOUR, "weight": 1.5 if meeting else 1, "opacity": 0.9},
            interactive=False,
            pane=PANE,
        ).add_to(group)
    if context.outline:
        weight = 5 if meeting else 3.5
        folium.GeoJson(
            json.loads(context.outline),
            style_function=lambda _f: {"color": OUTLINE_COLOUR, "weight": weight, "opacity": 0.8, "fill": False},
            interactive=False,
            pane=PANE,
        ).add_to(group)
    group.add_to(m)
    largest = max((o.population or 0 for o in context.orter), default=0) or None
    size = 15 if meeting else 11
    points = []
    for o in context.orter:
        radius = round(dot_radius(o.population, largest) * (1.3 if meeting else 1), 1)
        label = (f'<div class="tsk-ort-name" data-pop="{o.population or 0}" style="display:inline-block;'
                 f'transform:translate(-50%,{int(radius) + 1}px);white-space:nowrap;color:#333;'
                 f'font:{size}px/1.1 sans-serif;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff">'
                 f'{esc(o.name)}</div>')
        points.append({"lat": o.lat, "lon": o.lon, "r": radius, "label": label})
    if points:
        m.add_child(_Orter(points, dots_pane=LABEL_PANE if dots_over_fills else PANE))
    if context.orter:
        m.add_child(_Script(_DECLUTTER_ORTER_JS))
