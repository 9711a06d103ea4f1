"""Folium map builders (no Streamlit here): area choropleth, places and police events.

Offline by construction:
- Leaflet is served by the app itself from static/leaflet/ (copied from the PyPI package xstatic-leaflet by tsk/static_assets.py at
  setup), at /app/static/leaflet/... (`server.enableStaticServing = true`). `offline_assets()` points
  `folium.Map.default_js` / `default_css` there and drops jQuery, Bootstrap and awesome-markers,
  which no map here uses. streamlit-folium reads the same lists (its `js_links` / `css_links`).
- No base map by default (`tiles=None`): polygons on a plain background. An OpenStreetMap layer is
  added only when asked for (`osm_tiles=True`); without internet its tiles fail silently.
- A configured base map ([map] in tsk.toml) and the offline context layer (kommun outline, orter) are
  added to every map by tsk.ui.show_map: `basemap` (tile layer, note when tiles fail), `context`.
- Legends are inline HTML in a Leaflet control (branca colormaps would load d3 from a CDN).

Every name that comes from data is HTML-escaped here before it reaches a tooltip, a label or a
GeoJSON property: folium puts tooltip texts into innerHTML and into JavaScript template literals.

Modules: `base` (offline Leaflet under the app's sub-path, the look, the plain base map, `map_html`),
`areas` (`area_map`, `clicked_area`), `places` (`places_map`, `position_map`), `legend` (value classes
and the legend control), `labels` (meeting-mode labels and their declutter script), `geometry` and `text`
(escaping, Swedish numbers). `hotspots`: Lägesbild's hot-spot hexagons (binned by tsk.stats.hexbins), drawn
by the browser from their centres; `labels.add_area_names`: area names in normal mode.
"""
from __future__ import annotations

from tsk.maps.areas import area_map, clicked_area
from tsk.maps.base import (
    BACKGROUND,
    DEFAULT_TOLERANCE_DEG,
    LEAFLET_CSS,
    LEAFLET_JS,
    MAX_PLACE_MARKERS,
    MEETING_PALETTE,
    MEETING_TOP_PLACES,
    N_CLASSES,
    NDIGITS,
    NO_DATA_FILL,
    OUTLINE,
    PALETTE,
    PLACE_COLOUR,
    POLICE_COLOUR,
    SCHEMATIC_DASH,
    SELECTED_OUTLINE,
    STATIC_DIR,
    STATIC_URL,
    SUPPRESSED_FILL,
    leaflet_installed,
    map_html,
    offline_assets,
    static_url,
)
from tsk.maps.legend import class_edges
from tsk.maps.places import _aggregate_places, places_map, position_map
from tsk.maps.text import esc, format_number

# The builders whose maps fill the areas with a colour: the context layer's ort dots go above the fills
# there (tsk.maps.context.add_context_layer, dots_over_fills).
FILLED_AREA_MAPS = (area_map,)

__all__ = [
    "BACKGROUND", "FILLED_AREA_MAPS", "DEFAULT_TOLERANCE_DEG", "LEAFLET_CSS", "LEAFLET_JS", "MAX_PLACE_MARKERS", "MEETING_PALETTE",
    "MEETING_TOP_PLACES", "N_CLASSES", "NDIGITS", "NO_DATA_FILL", "OUTLINE", "PALETTE", "PLACE_COLOUR",
    "POLICE_COLOUR", "SCHEMATIC_DASH", "SELECTED_OUTLINE", "STATIC_DIR", "STATIC_URL", "SUPPRESSED_FILL",
    "_aggregate_places", "area_map", "class_edges", "clicked_area", "esc", "format_number", "leaflet_installed",
    "map_html", "offline_assets", "places_map", "position_map", "static_url",
]
