"""Folium map builders (no Streamlit here): area choropleth, places and police events.

Offline by construction:
- Leaflet is served by the app itself from static/leaflet/ (copied from the PyPI package xstatic-leaflet by tsk/static_assets.py at
  setup), at /app/static/leaflet/... (`server.enableStaticServing = true`). `offline_assets()` points
  `folium.Map.default_js` / `default_css` there and drops jQuery, Bootstrap and awesome-markers,
  which no map here uses. streamlit-folium reads the same lists (its `js_links` / `css_links`).
- No base map by default (`tiles=None`): polygons on a plain background. An OpenStreetMap layer is
  added only when asked for (`osm_tiles=True`); without internet its tiles fail silently.
- Legends are inline HTML in a Leaflet control (branca colormaps would load d3 from a CDN).

Every name that comes from data is HTML-escaped here before it reaches a tooltip, a label or a
GeoJSON property: folium puts tooltip texts into innerHTML and into JavaScript template literals.
"""
from __future__ import annotations

import html
import json
import math
import string
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from tsk.geo import round_coords, simplify_coverage_for_map
from tsk.i18n import t

# --- offline assets -------------------------------------------------------------------------------
STATIC_URL = "/app/static/leaflet"
LEAFLET_JS = f"{STATIC_URL}/leaflet.js"
LEAFLET_CSS = f"{STATIC_URL}/leaflet.css"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "leaflet"

# --- look -----------------------------------------------------------------------------------------
# Sequential, colour-blind-safe, light -> dark (low -> high), no greys so "no data" stays distinct.
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")        # ColorBrewer YlGnBu 5
MEETING_PALETTE = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")  # viridis 5, reversed
NO_DATA_FILL = "#d9d9d9"
SUPPRESSED_FILL = "#969696"
BACKGROUND = "#f4f4f2"
OUTLINE = "#333333"
SELECTED_OUTLINE = "#000000"
PLACE_COLOUR = "#d55e00"   # Okabe–Ito vermillion
POLICE_COLOUR = "#0072b2"  # Okabe–Ito blue
SCHEMATIC_DASH = "6 4"
N_CLASSES = 5
DEFAULT_TOLERANCE_DEG = 0.0005  # ~30-55 m at 57°N: plenty for a kommun-wide view
NDIGITS = 5
MAX_PLACE_MARKERS = 200
MEETING_TOP_PLACES = 15
_TRANSPARENT_GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="


# Meeting-mode labels are big: after every zoom, area labels that would cover an earlier one (top to
# bottom) are pushed down below it, with a thin leader line back to their point; place labels that would
# cover a shown label are hidden (below).
_DECLUTTER_JS = """
function declutter() {
    var boxes = Array.prototype.slice.call(map.getContainer().querySelectorAll(".tsk-declutter"));
    boxes.forEach(function(b) {
        b.style.marginTop = "0px";
        var lead = b.parentNode.querySelector(".tsk-leader");
        if (lead) { lead.style.display = "none"; }
    });
    var items = boxes.map(function(b) { return {b: b, r: b.getBoundingClientRect()}; })
        .filter(function(it) { return it.r.width > 0; });
    items.sort(function(a, b) { return a.r.top - b.r.top || a.r.left - b.r.left; });
    var placed = [];
    items.forEach(function(it) {
        var shift = 0, moved = true, guard = 0;
        while (moved && guard++ < 100) {
            moved = false;
            placed.forEach(function(p) {
                if (it.r.left < p.right && it.r.right > p.left &&
                    it.r.top + shift < p.bottom && it.r.bottom + shift > p.top) {
                    shift = p.bottom + 3 - it.r.top; moved = true;
                }
            });
        }
        if (shift > 0) {
            it.b.style.marginTop = shift + "px";
            var lead = it.b.parentNode.querySelector(".tsk-leader");
            if (lead) { lead.style.display = "block"; lead.style.height = (shift - it.r.height / 2) + "px"; }
        }
        placed.push({left: it.r.left, right: it.r.right, top: it.r.top + shift, bottom: it.r.bottom + shift});
    });
    // A place's label stays at its circle or is not shown: in the order given (most reports first), a
    // label that would cover one already shown, or the legend, is hidden until a zoom makes room (its
    // circle keeps the hover text). Pushed away, it would name the wrong circle.
    var legend = map.getContainer().querySelector(".tsk-legend");
    if (legend) {
        var lr = legend.getBoundingClientRect();
        placed.push({left: lr.left, right: lr.right, top: lr.top, bottom: lr.bottom});
    }
    function covered(r) {
        return placed.some(function(p) {
            return r.left < p.right && r.right > p.left && r.top < p.bottom && r.bottom > p.top;
        });
    }
    Array.prototype.slice.call(map.getContainer().querySelectorAll(".tsk-hide-if-covered")).forEach(function(b) {
        b.style.visibility = "visible";
        var r = b.getBoundingClientRect();
        if (r.width === 0) { return; }
        if (covered(r)) { b.style.visibility = "hidden"; }
        else { placed.push({left: r.left, right: r.right, top: r.top, bottom: r.bottom}); }
    });
    // An area's name on the places map that a shown place label (or the legend) covers is hidden: the
    // label stays readable, the outline still shows the area, the table names it.
    Array.prototype.slice.call(map.getContainer().querySelectorAll(".tsk-area-name > div")).forEach(function(b) {
        b.style.visibility = "visible";
        var r = b.getBoundingClientRect();
        if (r.width > 0 && covered(r)) { b.style.visibility = "hidden"; }
    });
}
map.on("zoomend", declutter);
map.on("resize", declutter);
// inside st_folium, leaflet.css may still be loading: measure again once it has
[0, 300, 1000, 2500].forEach(function(ms) { setTimeout(declutter, ms); });
"""


# Fit the map to the areas at once, then into the part the legend leaves free: beside it or above
# it, whichever gives the larger zoom. Waits for leaflet.css (st_folium loads it without waiting).
_FIT_JS = """
var bounds = L.latLngBounds(__BOUNDS__), tries = 0;
map.fitBounds(bounds, {animate: false});
function fitAroundLegend() {
    var legend = map.getContainer().querySelector(".tsk-legend");
    var corner = legend && legend.parentNode;
    if (!legend || window.getComputedStyle(corner).position !== "absolute") {
        if (tries++ < 30) { setTimeout(fitAroundLegend, 100); }
        return;
    }
    var w = legend.offsetWidth + 20, h = legend.offsetHeight + 20;
    var beside = map.getBoundsZoom(bounds, false, L.point(w + 10, 20));
    var above = map.getBoundsZoom(bounds, false, L.point(20, h + 10));
    map.fitBounds(bounds, {paddingTopLeft: [10, 10],
                           paddingBottomRight: beside >= above ? [w, 10] : [10, h], animate: false});
}
setTimeout(fitAroundLegend, 0);
"""


def static_url(base_path: str | None = "") -> str:
    """Where the app serves Leaflet, under Streamlit's server.baseUrlPath (an app behind nginx at /tsk/)."""
    base = (base_path or "").strip("/")
    return f"/{base}{STATIC_URL}" if base else STATIC_URL


# The server.baseUrlPath the app is served under: the UI sets it before it builds a map, and every map
# built after loads Leaflet from there (behind nginx at /tsk/, /tsk/app/static/leaflet).
_served_under = {"base_path": ""}


def offline_assets(base_path: str | None = None) -> None:
    """Point folium (and hence streamlit-folium) at the app's own Leaflet; nothing from a CDN.
    `base_path` is Streamlit's server.baseUrlPath; None keeps the one set last."""
    if base_path is not None:
        _served_under["base_path"] = base_path
    url = static_url(_served_under["base_path"])
    folium.Map.default_js = [("leaflet", f"{url}/leaflet.js")]
    folium.Map.default_css = [("leaflet_css", f"{url}/leaflet.css")]


offline_assets()


def leaflet_installed(static_dir: Path = STATIC_DIR) -> bool:
    """True when tsk/static_assets.py (make static) has put Leaflet where the maps expect it."""
    return (static_dir / "leaflet.js").is_file() and (static_dir / "leaflet.css").is_file()


# --- small helpers --------------------------------------------------------------------------------
def esc(text) -> str:
    """HTML-escape text that also lands inside a JavaScript template literal (folium tooltips)."""
    return (html.escape(str(text), quote=True)
            .replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;"))


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or bool(pd.isna(x))


def format_number(x, fmt: str | Callable[[float], str] = "{:.1f}") -> str:
    """Format with Swedish decimal comma and a no-break space as thousands separator.

    `fmt` is a callable, or a format string with one field ("{:.1f}", "{:.0f} %", "{:,.0f}");
    only the number is localised, the literal text around it is kept as written.
    """
    if _missing(x):
        return "–"
    if callable(fmt):
        return fmt(x)
    out = []
    for literal, field, spec, conversion in string.Formatter().parse(fmt):
        out.append(literal)
        if field is not None:
            if field not in ("", "0") or conversion:
                raise ValueError(f"fmt must have one plain field, got {fmt!r}")
            out.append(format(x, spec).replace(",", "\u00a0").replace(".", ","))
    return "".join(out)


def _format_int(n) -> str:
    if _missing(n):
        return "–"
    return f"{int(n):,}".replace(",", "\u00a0")


def _plural(n: int, one: str, many: str) -> str:
    return f"{_format_int(n)} {one if int(n) == 1 else many}"


def _first_upper(s: str) -> str:
    return s[:1].upper() + s[1:]


def _truthy(x) -> bool:
    return False if _missing(x) else bool(x)


class _Script(MacroElement):
    """A piece of Leaflet script run with the map as `map` (rendered by folium and st_folium alike)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            {{ this.code }}
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, code: str):
        super().__init__()
        self._name = "TskScript"
        self.code = code


class _Legend(MacroElement):
    """An inline-HTML legend as a Leaflet control. `html` must already be escaped."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function() {
                var div = L.DomUtil.create("div", "tsk-legend");
                div.setAttribute("style", {{ this.style|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, meeting: bool, position: str = "bottomright"):
        super().__init__()
        self._name = "TskLegend"
        self.html = html_text
        self.position = position
        size = 18 if meeting else 13
        self.style = (f"background:#fff;color:#000;padding:8px 10px;border:{2 if meeting else 1}px solid #333;"
                      f"border-radius:4px;font:{size}px/1.35 sans-serif;max-width:{420 if meeting else 300}px;")


def _base_map(bounds: list[list[float]] | None, *, osm_tiles: bool) -> folium.Map:
    offline_assets()
    if bounds:
        (s, w), (n, e) = bounds
        centre = [(s + n) / 2, (w + e) / 2]
    else:
        centre = [62.0, 15.0]  # Sweden, when there is nothing to fit
    # zoom_snap 0.25: without tiles, fractional zoom lets fitBounds fill the frame
    m = folium.Map(location=centre, zoom_start=9 if bounds else 5, tiles=None, control_scale=False,
                   zoom_snap=0.25, zoom_delta=0.5)
    m.add_child(_Script(
        f"map.getContainer().style.background = {_js_str(BACKGROUND)};\n"
        # folium creates every marker with Leaflet's default icon before swapping in ours; Leaflet
        # guesses that icon's folder from leaflet.css, which inside st_folium may not be loaded yet.
        f"L.Icon.Default.imagePath = {_js_str(static_url(_served_under['base_path']) + '/images/')};\n"
        "L.control.scale({imperial: false}).addTo(map);"
    ))
    if osm_tiles:
        folium.TileLayer(
            tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            attr=t("map_osm_attribution"),
            name="OpenStreetMap",
            max_zoom=19,
            error_tile_url=_TRANSPARENT_GIF,  # offline: an invisible tile, never a broken image
            overlay=False,
            control=False,
        ).add_to(m)
    if bounds:
        # not folium's fit_bounds: its animated zoom would undo the refit around the legend
        m.add_child(_Script(_FIT_JS.replace("__BOUNDS__", json.dumps(bounds))))
    return m


def _js_str(s: str) -> str:
    return json.dumps(s).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- geometry -------------------------------------------------------------------------------------
def _map_geometries(wkts: Sequence, tolerance_deg: float) -> list[BaseGeometry | None]:
    """Parse WKT, simplify the areas together (shared borders stay shared) and round to 5 decimals."""
    geoms: list[BaseGeometry | None] = []
    for w in wkts:
        g = None if _missing(w) or not str(w).strip() else shapely.from_wkt(str(w))
        geoms.append(None if g is None or g.is_empty else g)
    present = [i for i, g in enumerate(geoms) if g is not None]
    if not present:
        return geoms
    parts = [geoms[i] for i in present]
    if tolerance_deg > 0:
        if bool(shapely.coverage_is_valid(np.asarray(parts, dtype=object))):
            parts = simplify_coverage_for_map(parts, tolerance_deg)
        else:  # overlapping uploads: simplify each area on its own
            parts = [g.simplify(tolerance_deg, preserve_topology=True) for g in parts]
    for i, g in zip(present, parts):
        g = round_coords(g, NDIGITS)
        geoms[i] = None if g.is_empty else g
    return geoms


def _bounds(geoms: Iterable[BaseGeometry | None], points: Iterable[tuple[float, float]] = ()) -> list[list[float]] | None:
    xs, ys = [], []
    for g in geoms:
        if g is not None:
            minx, miny, maxx, maxy = g.bounds
            xs += [minx, maxx]
            ys += [miny, maxy]
    for lat, lon in points:
        xs.append(lon)
        ys.append(lat)
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def _label_point(geom: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) deep inside the area's largest part (pole of inaccessibility)."""
    parts = list(shapely.get_parts(geom))
    largest = max(parts, key=lambda p: p.area)
    try:
        circle = shapely.maximum_inscribed_circle(largest, largest.length / 2000 or None)
        x, y = shapely.get_coordinates(circle)[0]
    except Exception:  # degenerate polygons: any point on the surface will do
        p = largest.representative_point()
        x, y = p.x, p.y
    return round(float(y), NDIGITS), round(float(x), NDIGITS)


def _feature(i: int, geom: BaseGeometry, props: dict) -> dict:
    return {"type": "Feature", "id": str(i), "properties": props, "geometry": mapping(geom)}


# --- classes and legend ---------------------------------------------------------------------------
def class_edges(values: Iterable[float], n_classes: int = N_CLASSES) -> list[float]:
    """Equal-interval class edges over the finite values (one class when they are all equal)."""
    v = np.asarray([x for x in values if not _missing(x)], dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return []
    lo, hi = float(v.min()), float(v.max())
    if lo == hi:
        return [lo, hi]
    return [float(x) for x in np.linspace(lo, hi, n_classes + 1)]


def _class_of(x: float, edges: Sequence[float]) -> int:
    if len(edges) < 2:
        return 0
    inner = np.asarray(edges[1:-1], dtype=float)
    return int(np.clip(np.searchsorted(inner, x, side="right"), 0, len(edges) - 2))


def _class_colours(edges: Sequence[float], palette: Sequence[str]) -> list[str]:
    k = max(len(edges) - 1, 0)
    if k == 0:
        return []
    if k == 1:
        return [palette[len(palette) // 2]]
    idx = np.round(np.linspace(0, len(palette) - 1, k)).astype(int)
    return [palette[i] for i in idx]


def _swatch(fill: str, *, border: str = "#333", dash: bool = False, width: int = 1, meeting: bool) -> str:
    size = 22 if meeting else 14
    style = "dashed" if dash else "solid"
    return (f'<span style="display:inline-block;width:{size}px;height:{size - 4}px;background:{fill};'
            f'border:{width}px {style} {border};vertical-align:middle;margin-right:6px"></span>')


def _legend_row(swatch: str, text: str) -> str:
    return f'<div style="white-space:nowrap;margin:2px 0">{swatch}{text}</div>'


# --- area map -------------------------------------------------------------------------------------
def area_map(
    areas: pd.DataFrame,
    *,
    value_col: str,
    n_col: str,
    value_label: str,
    fmt: str | Callable[[float], str] = "{:.1f}",
    meeting: bool = False,
    selected: str | None = None,
    suppressed_text: str | None = None,
    n_label: str | None = None,
    bins: Sequence[float] | None = None,
    tolerance_deg: float = DEFAULT_TOLERANCE_DEG,
    osm_tiles: bool = False,
) -> folium.Map:
    """A choropleth of one value per area, with tooltip (Område, value, n), legend and selection.

    `areas` columns: name, geometry_wkt (WGS84), `value_col`, `n_col`; optional schematic,
    assumption (bool) and suppressed (bool: the value is hidden and shown as `suppressed_text`;
    a suppressed row never shows a number, whatever `value_col` holds). Rows without geometry are
    not drawn. `fmt` formats values (see `format_number`). `bins`: class edges (ascending); default
    five equal intervals between the smallest and the largest shown value.

    In meeting mode (projector) the palette has more contrast, lines and text are bigger, and every
    area carries a permanent label with name, value and n.
    """
    missing = {"name", "geometry_wkt", value_col, n_col} - set(areas.columns)
    if missing:
        raise ValueError(f"areas lacks columns: {sorted(missing)}")
    suppressed_text = t("map_suppressed_default") if suppressed_text is None else suppressed_text
    n_label = t("map_n") if n_label is None else n_label
    df = areas.reset_index(drop=True)
    n_rows = len(df)
    schematic = df["schematic"].map(_truthy) if "schematic" in df else pd.Series([False] * n_rows)
    assumption = df["assumption"].map(_truthy) if "assumption" in df else pd.Series([False] * n_rows)
    suppressed = df["suppressed"].map(_truthy) if "suppressed" in df else pd.Series([False] * n_rows)
    values = [None if s or _missing(v) else float(v) for v, s in zip(df[value_col], suppressed)]
    geoms = _map_geometries(df["geometry_wkt"].tolist(), tolerance_deg)

    palette = MEETING_PALETTE if meeting else PALETTE
    drawn = [i for i in range(n_rows) if geoms[i] is not None]
    edges = list(bins) if bins is not None else class_edges(values[i] for i in drawn)
    colours = _class_colours(edges, palette)

    m = _base_map(_bounds(geoms), osm_tiles=osm_tiles)

    line = 2.5 if meeting else 1.2
    features, styles = [], {}
    any_note = False
    # the selected area last, so its thick outline is drawn on top
    order = sorted(drawn, key=lambda i: df.at[i, "name"] == selected)
    for i in order:
        name = str(df.at[i, "name"])
        v = values[i]
        if suppressed[i]:
            fill, value_text, n_text = SUPPRESSED_FILL, suppressed_text, "–"
        elif v is None:
            fill, value_text, n_text = NO_DATA_FILL, t("map_no_data"), _format_int(df.at[i, n_col])
        else:
            fill = colours[_class_of(v, edges)] if colours else NO_DATA_FILL
            value_text, n_text = format_number(v, fmt), _format_int(df.at[i, n_col])
        notes = [note for note, flag in ((t("map_schematic_note"), schematic[i]),
                                          (t("map_assumption_note"), assumption[i])) if flag]
        any_note = any_note or bool(notes)
        is_selected = selected is not None and name == selected
        styles[str(i)] = {
            "fillColor": fill,
            "fillOpacity": 0.85 if meeting else 0.65,
            "color": SELECTED_OUTLINE if is_selected else OUTLINE,
            "weight": (7 if meeting else 5) if is_selected else line,
            "opacity": 1,
            "dashArray": SCHEMATIC_DASH if schematic[i] else None,
        }
        features.append(_feature(i, geoms[i], {
            "tsk_layer": "area",
            "name": esc(name),
            "value": esc(value_text),
            "n": esc(n_text),
            "note": esc(", ".join(notes)),
        }))

    fields = ["name", "value", "n"] + (["note"] if any_note else [])
    aliases = [t("map_area"), esc(value_label), esc(n_label)] + ([t("map_note")] if any_note else [])
    tip_style = "font-size:18px;" if meeting else "font-size:13px;"
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=t("map_areas_layer"),
            style_function=lambda f: {k: v for k, v in styles[f["id"]].items() if v is not None},
            highlight_function=lambda f: {"weight": 4 if not meeting else 6, "fillOpacity": 0.95},
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, localize=False, sticky=True,
                                          style=tip_style),
        ).add_to(m)

    if meeting:
        for i in drawn:
            f = next(f for f in features if f["id"] == str(i))
            p = f["properties"]
            lat, lon = _label_point(geoms[i])
            body = (f'<div style="font-size:18px">{p["name"]}</div>'
                    f'<div style="font-size:24px">{p["value"]}</div>'
                    f'<div style="font-size:16px">{esc(n_label)} = {p["n"]}</div>')
            _permanent_label(lat, lon, body).add_to(m)
        m.add_child(_Script(_DECLUTTER_JS))

    # legend
    rows = [f'<div style="font-weight:bold;margin-bottom:4px">{esc(value_label)}</div>']
    for k, colour in enumerate(colours):
        lo, hi = edges[k], edges[k + 1]
        label = format_number(lo, fmt) if lo == hi else f"{format_number(lo, fmt)}–{format_number(hi, fmt)}"
        rows.append(_legend_row(_swatch(colour, meeting=meeting), esc(label)))
    if any(values[i] is None and not suppressed[i] for i in drawn):
        rows.append(_legend_row(_swatch(NO_DATA_FILL, meeting=meeting), _first_upper(t("map_no_data"))))
    if any(suppressed[i] for i in drawn):
        rows.append(_legend_row(_swatch(SUPPRESSED_FILL, meeting=meeting), _first_upper(esc(suppressed_text))))
    if any(schematic[i] for i in drawn):
        rows.append(_legend_row(_swatch("transparent", dash=True, width=2, meeting=meeting), t("map_schematic")))
    if selected is not None and any(str(df.at[i, "name"]) == selected for i in drawn):
        rows.append(_legend_row(_swatch("transparent", border=SELECTED_OUTLINE, width=4, meeting=meeting),
                                f"{t('map_selected')}: {esc(selected)}"))
    m.add_child(_Legend("".join(rows), meeting=meeting))
    return m


def _permanent_label(lat: float, lon: float, body_html: str, *, size: str = "18px") -> folium.Marker:
    """A non-interactive text box centred on (lat, lon); clicks go through to the area below."""
    leader = ('<div class="tsk-leader" style="display:none;position:absolute;left:-1px;top:0;width:2px;'
              'height:0;background:#000"></div>')
    box = (f'<div class="tsk-declutter" style="display:inline-block;transform:translate(-50%,-50%);'
           f'white-space:nowrap;text-align:center;background:rgba(255,255,255,0.92);color:#000;'
           f'border:2px solid #000;border-radius:4px;padding:3px 8px;font:bold {size}/1.2 sans-serif">'
           f'{body_html}</div>')
    box = leader + box
    return folium.Marker(
        [lat, lon],
        icon=folium.DivIcon(html=box, icon_size=(0, 0), icon_anchor=(0, 0), class_name="tsk-label"),
        interactive=False,
        keyboard=False,
    )


def clicked_area(st_folium_result: dict | None, names: Iterable[str] | None = None) -> str | None:
    """The area clicked on an `area_map`, from what `st_folium` returned (None when none).

    streamlit-folium 0.27 sets `last_active_drawing` to the clicked layer's GeoJSON feature (our
    properties included) and `last_object_clicked_tooltip` to the tooltip's text. The feature is
    preferred; the tooltip's "Område<TAB>name" row is the fallback. Names travel HTML-escaped and
    are unescaped here. With `names`, anything not among them gives None.
    """
    if not isinstance(st_folium_result, dict):
        return None
    name = None
    drawing = st_folium_result.get("last_active_drawing")
    if isinstance(drawing, dict):
        props = drawing.get("properties")
        if isinstance(props, dict) and props.get("tsk_layer") == "area" and isinstance(props.get("name"), str):
            name = html.unescape(props["name"]).strip() or None
    if name is None:
        tip = st_folium_result.get("last_object_clicked_tooltip")
        if isinstance(tip, str):
            name = _area_from_tooltip(tip)
    if name is not None and names is not None and name not in set(names):
        return None
    return name


def _area_from_tooltip(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith(t("map_area")):
            continue
        rest = line[len(t("map_area")):]
        if rest[:1] in ("\t", ":", " "):
            value = rest.lstrip(":").strip()
            if value:
                return value
    return None


# --- places map -----------------------------------------------------------------------------------
def _aggregate_places(places: pd.DataFrame, max_markers: int) -> pd.DataFrame:
    """One row per (ort, plats); beyond `max_markers`, the smallest places merge into one "övriga platser"
    circle per area (per ort when the areas are not known), so the circles never exceed `max_markers` +
    the number of areas. (Merging per ort gave a region's map with 294 orter ~500 circles and 400 KB
    of HTML; see bench/findings.md.)"""
    df = places.copy()
    if "plats" not in df:
        df["plats"] = None
    if "approximate" not in df:
        df["approximate"] = False
    df = df[df["lat"].notna() & df["lon"].notna() & df["reports"].notna()]
    df = df[df["reports"] > 0]
    if df.empty:
        return df.assign(other=False)
    df["_plats_key"] = [None if _missing(p) else str(p).strip() for p in df["plats"]]
    df["_plats_key"] = df["_plats_key"].fillna("")
    agg = (df.groupby(["ort", "_plats_key"], sort=False, dropna=False)
             .agg(lat=("lat", "first"), lon=("lon", "first"), reports=("reports", "sum"),
                  approximate=("approximate", lambda s: any(_truthy(x) for x in s)))
             .reset_index())
    agg["plats"] = [k or None for k in agg.pop("_plats_key")]
    agg = agg.sort_values(["reports", "ort"], ascending=[False, True], kind="stable").reset_index(drop=True)
    agg["other"] = False
    if len(agg) > max_markers:
        keep, rest = agg.iloc[: max_markers - 1], agg.iloc[max_markers - 1:]
        if "area" in df and df["area"].notna().all():
            area_of = df.drop_duplicates("ort").set_index("ort")["area"]
            rest = rest.assign(ort=rest["ort"].map(area_of))  # one circle per area, named after it
        merged = (rest.groupby("ort", sort=False)
                      .agg(lat=("lat", "mean"), lon=("lon", "mean"), reports=("reports", "sum"))
                      .reset_index()
                      .assign(plats=t("map_other_places"), approximate=True, other=True))
        agg = pd.concat([keep, merged], ignore_index=True)
        agg = agg.sort_values("reports", ascending=False, kind="stable").reset_index(drop=True)
    return agg


def _aggregate_police(police: pd.DataFrame) -> pd.DataFrame:
    df = police[police["lat"].notna() & police["lon"].notna() & police["events"].notna()]
    df = df[df["events"] > 0]
    return (df.groupby("ort", sort=False)
              .agg(lat=("lat", "first"), lon=("lon", "first"), events=("events", "sum"))
              .reset_index()
              .sort_values("events", ascending=False, kind="stable")
              .reset_index(drop=True))


def places_map(
    areas: pd.DataFrame,
    places: pd.DataFrame,
    police: pd.DataFrame | None = None,
    *,
    meeting: bool = False,
    top_labels: int = MEETING_TOP_PLACES,
    max_markers: int = MAX_PLACE_MARKERS,
    tolerance_deg: float = DEFAULT_TOLERANCE_DEG,
    osm_tiles: bool = False,
    count_words: tuple[str, str] | None = None,
    legend_text: str | None = None,
    no_place_text: str | None = None,
) -> folium.Map:
    """Area outlines, one circle per place (area ∝ reports) and police events per ort.

    `count_words` (singular, plural) and `legend_text` name what is counted when it is not reports
    (e.g. survey answers naming a place); `no_place_text` names a row with no place (default "hela
    orten"; lägesbild rows with no place are the reports that named none).

    `areas`: name, geometry_wkt, optional schematic. `places`: ort, plats (None = the whole ort,
    drawn at the ort's position), lat, lon, reports, optional approximate. Rows for the same
    (ort, plats) are summed, so even one row per report gives one marker per place; more than
    `max_markers` places are cut to the largest, the rest summed per area (optional column `area`;
    per ort without it). `police`: ort, lat, lon,
    events, summed per ort (one badge per ort). In meeting mode the `top_labels` largest places
    carry a permanent label with their count, and area names are larger.
    """
    missing = {"ort", "lat", "lon", "reports"} - set(places.columns)
    if missing:
        raise ValueError(f"places lacks columns: {sorted(missing)}")
    count_words = count_words or (t("map_report_one"), t("map_report_many"))
    legend_text = t("map_legend_places") if legend_text is None else legend_text
    if police is not None:
        missing = {"ort", "lat", "lon", "events"} - set(police.columns)
        if missing:
            raise ValueError(f"police lacks columns: {sorted(missing)}")
    adf = areas.reset_index(drop=True) if areas is not None else pd.DataFrame(columns=["name", "geometry_wkt"])
    geoms = _map_geometries(adf["geometry_wkt"].tolist(), tolerance_deg) if len(adf) else []
    schematic = adf["schematic"].map(_truthy).tolist() if "schematic" in adf else [False] * len(adf)
    pl = _aggregate_places(places, max_markers)
    po = _aggregate_police(police) if police is not None else None

    points = list(zip(pl["lat"], pl["lon"])) + (list(zip(po["lat"], po["lon"])) if po is not None else [])
    m = _base_map(_bounds(geoms, points), osm_tiles=osm_tiles)

    # area outlines and names, for orientation on the plain background
    outlines = folium.FeatureGroup(name=t("map_areas_layer"), show=True)
    feats, styles = [], {}
    for i, g in enumerate(geoms):
        if g is None:
            continue
        feats.append(_feature(i, g, {"tsk_layer": "outline", "name": esc(adf.at[i, "name"])}))
        styles[str(i)] = {"fill": False, "color": "#555555", "weight": 2.5 if meeting else 1.5, "opacity": 0.9,
                          "dashArray": SCHEMATIC_DASH if schematic[i] else None}
    if feats:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": feats},
            style_function=lambda f: {k: v for k, v in styles[f["id"]].items() if v is not None},
        ).add_to(outlines)
        for f in feats:
            lat, lon = _label_point(geoms[int(f["id"])])
            size = "16px" if meeting else "12px"
            label = (f'<div style="display:inline-block;transform:translate(-50%,-50%);white-space:nowrap;'
                     f'color:#555;font:italic {size}/1.2 sans-serif;text-shadow:0 0 3px #fff,0 0 3px #fff">'
                     f'{f["properties"]["name"]}</div>')
            folium.Marker([lat, lon], icon=folium.DivIcon(html=label, icon_size=(0, 0), icon_anchor=(0, 0),
                                                          class_name="tsk-area-name"),
                          interactive=False, keyboard=False).add_to(outlines)
    outlines.add_to(m)

    # places: biggest first, so smaller circles stay on top and clickable
    layer = folium.FeatureGroup(name=t("map_places_layer"), show=True)
    r_max, r_min = (34, 6) if meeting else (24, 4)
    top = max(float(pl["reports"].max()), 1.0) if len(pl) else 1.0
    for k, row in pl.iterrows():
        reports = int(row["reports"])
        plats = None if _missing(row["plats"]) else str(row["plats"])
        radius = max(r_min, r_max * math.sqrt(reports / top))
        if plats is None:
            where = f"{esc(row['ort'])} ({esc(no_place_text or t('map_whole_ort'))})"
        else:
            where = f"{esc(plats)}, {esc(row['ort'])}"
        approx = bool(row["approximate"])
        text = f"<b>{where}</b><br>{_plural(reports, *count_words)}"
        if approx:
            text += f"<br><i>{t('map_approximate')}</i>"
        if meeting and k < top_labels:
            short = esc(row["ort"] if plats is None else plats)
            tooltip = folium.Tooltip(f"{short}: {_format_int(reports)}", permanent=True, direction="right",
                                     sticky=False, offset=[int(radius) + 2, 0], class_name="tsk-hide-if-covered",
                                     style="font-size:18px;font-weight:bold;color:#000")
        else:
            tooltip = folium.Tooltip(text, sticky=True, style="font-size:18px" if meeting else "font-size:13px")
        folium.CircleMarker(
            location=[round(float(row["lat"]), NDIGITS), round(float(row["lon"]), NDIGITS)],
            radius=round(radius, 1),
            color="#000000" if meeting else "#7a3300",
            weight=2 if meeting else 1,
            dash_array="4 3" if approx else None,
            fill=True,
            fill_color=PLACE_COLOUR,
            fill_opacity=0.75 if meeting else 0.6,
            tooltip=tooltip,
        ).add_to(layer)
    layer.add_to(m)

    if po is not None:
        police_layer = folium.FeatureGroup(name=t("map_police_layer"), show=True)
        size = 34 if meeting else 24
        for _, row in po.iterrows():
            events = int(row["events"])
            badge = (f'<div style="width:{size}px;height:{size}px;box-sizing:border-box;background:{POLICE_COLOUR};'
                     f'color:#fff;border:2px solid #fff;outline:1px solid #000;display:flex;align-items:center;'
                     f'justify-content:center;font:bold {size // 2}px/1 sans-serif">{_format_int(events)}</div>')
            folium.Marker(
                [round(float(row["lat"]), NDIGITS), round(float(row["lon"]), NDIGITS)],
                icon=folium.DivIcon(html=badge, icon_size=(size, size), icon_anchor=(-4, size + 4),
                                    class_name="tsk-police"),
                tooltip=folium.Tooltip(
                    f"<b>{esc(t('map_police_in', ort=row['ort']))}</b><br>"
                    f"{_plural(events, t('map_event_one'), t('map_event_many'))}",
                    style="font-size:18px" if meeting else "font-size:13px"),
            ).add_to(police_layer)
        police_layer.add_to(m)

    rows = [_legend_row(f'<span style="display:inline-block;width:16px;height:16px;border-radius:50%;'
                        f'background:{PLACE_COLOUR};border:1px solid #000;vertical-align:middle;margin-right:6px">'
                        f'</span>', esc(legend_text))]
    if len(pl) and pl["approximate"].any():
        rows.append(_legend_row('<span style="display:inline-block;width:16px;height:16px;border-radius:50%;'
                                'border:2px dashed #000;vertical-align:middle;margin-right:6px"></span>',
                                t("map_legend_approx")))
    if po is not None:
        rows.append(_legend_row(_swatch(POLICE_COLOUR, border="#000", meeting=meeting), t("map_legend_police")))
    if any(s for s, g in zip(schematic, geoms) if g is not None):
        rows.append(_legend_row(_swatch("transparent", dash=True, width=2, meeting=meeting), t("map_schematic")))
    m.add_child(_Legend("".join(rows), meeting=meeting))
    if meeting:
        m.add_child(_Script(_DECLUTTER_JS))
    folium.LayerControl(collapsed=not meeting).add_to(m)
    return m


def map_html(m: folium.Map) -> str:
    """The full standalone HTML page of a map (for tests and size checks)."""
    return m.get_root().render()


def position_map(ort: tuple[str, float, float], places: pd.DataFrame, picked: tuple[float, float] | None = None,
                 *, osm_tiles: bool = False) -> folium.Map:
    """A map for placing a new place by clicking (the Data page's review of new names): the ort
    (name, lat, lon) as a grey ring, the ort's known places (columns name, lat, lon) as small labelled
    dots, and the picked position, if any, as a marker. Read the click with st_folium's last_clicked."""
    name, lat, lon = ort
    points = [(lat, lon), *zip(places["lat"], places["lon"])] + ([picked] if picked else [])
    pad = 0.01
    bounds = [[min(p[0] for p in points) - pad, min(p[1] for p in points) - pad],
              [max(p[0] for p in points) + pad, max(p[1] for p in points) + pad]]
    m = _base_map(bounds, osm_tiles=osm_tiles)
    folium.CircleMarker([lat, lon], radius=14, color="#666", fill=False, weight=2, tooltip=esc(name)).add_to(m)
    for p in places.itertuples():
        folium.CircleMarker([p.lat, p.lon], radius=5, color="#0072B2", fill=True, fill_opacity=0.8,
                            tooltip=esc(p.name)).add_to(m)
    if picked:
        folium.CircleMarker(list(picked), radius=8, color="#D55E00", fill=True, fill_opacity=0.9).add_to(m)
    return m
