"""The map's frame: Leaflet served by the app (offline, under the app's sub-path), the look (palettes,
sizes), the plain base map every builder starts from, and small Leaflet scripts run with the map.

Leaflet is served by the app itself from static/leaflet/ (copied from the PyPI package xstatic-leaflet by
tsk/static_assets.py at setup), at /app/static/leaflet/... `offline_assets()` points
`folium.Map.default_js` / `default_css` there; streamlit-folium reads the same lists.
"""
from __future__ import annotations

import json
from pathlib import Path

import folium
from branca.element import MacroElement
from folium.template import Template

# --- offline assets -------------------------------------------------------------------------------
STATIC_URL = "/app/static/leaflet"
LEAFLET_JS = f"{STATIC_URL}/leaflet.js"
LEAFLET_CSS = f"{STATIC_URL}/leaflet.css"
STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "leaflet"

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
MAX_POLICE_BADGES = 60  # police badges (one per ort) on a map; the rest are counted in the legend
MEETING_TOP_PLACES = 15
_TRANSPARENT_GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="


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
    if osm_tiles:  # the builders' own switch; a kommun configures its base map in [map] (tsk.ui.show_map)
        from tsk.maps.basemap import OSM, add_base_layer

        add_base_layer(m, OSM)
    if bounds:
        # not folium's fit_bounds: its animated zoom would undo the refit around the legend
        m.add_child(_Script(_FIT_JS.replace("__BOUNDS__", json.dumps(bounds))))
    return m


def _js_str(s: str) -> str:
    return json.dumps(s).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def map_html(m: folium.Map) -> str:
    """The full standalone HTML page of a map (for tests and size checks)."""
    return m.get_root().render()
