"""The configured base map ([map] in tsk.toml): a tile layer the browser loads itself, and a note on the
map when its tiles do not come.

With no [map] (the default) nothing here is used and the map loads nothing from outside. With one, the
tiles come straight from the configured server (the kommun's own GIS server, Lantmäteriet, OpenStreetMap
where its policy allows); a tile that fails is replaced by a transparent one, so the data layers always
draw, and when the base map cannot be shown at all a Swedish note in a Leaflet control says so.
"""
from __future__ import annotations

import folium
from branca.element import MacroElement
from folium.template import Template

from tsk.config import MapConfig
from tsk.i18n import t
from tsk.maps.base import _TRANSPARENT_GIF
from tsk.maps.text import esc

# OpenStreetMap's standard tiles (the builders' osm_tiles switch): only where OSM's tile usage policy allows.
OSM = MapConfig(url="https://tile.openstreetmap.org/{z}/{x}/{y}.png", attribution=t("map_osm_attribution"), max_zoom=19)

# Seconds to wait for a first tile before saying the base map is unavailable (a server that does not
# answer at all gives no error event until the browser gives up, which can take minutes).
NOTE_AFTER_S = 8

# Failed: the first batch ended (the layer's «load») with errors and not one real tile, or no real tile
# within NOTE_AFTER_S. A tile that failed is swapped for the transparent one, whose own load Leaflet
# also reports as «tileload»: only a tile whose src is not that one counts as loaded.
_WATCH_TEMPLATE = """
{% macro script(this, kwargs) %}
(function(map, layer) {
    var loaded = 0, failed = 0, note = null;
    var control = L.control({position: "topright"});
    control.onAdd = function() {
        note = L.DomUtil.create("div", "tsk-basemap-note");
        note.setAttribute("role", "status");
        note.setAttribute("aria-live", "polite");
        note.setAttribute("style", {{ this.style|tojson }});
        note.style.display = "none";
        L.DomEvent.disableClickPropagation(note);
        return note;
    };
    control.addTo(map);
    function show(on) {
        if (!note) { return; }
        note.textContent = on ? {{ this.text|tojson }} : "";
        note.style.display = on ? "block" : "none";
        map.getContainer().setAttribute("data-tsk-basemap", on ? "unavailable" : (loaded ? "loaded" : "waiting"));
    }
    layer.on("tileload", function(e) {
        if (e.tile && e.tile.getAttribute("src") === {{ this.error_url|tojson }}) { return; }
        loaded += 1;
        show(false);
    });
    layer.on("tileerror", function() { failed += 1; });
    layer.on("load", function() { if (failed && !loaded) { show(true); } });
    setTimeout(function() { if (!loaded) { show(true); } }, {{ this.after_ms }});
    map.getContainer().setAttribute("data-tsk-basemap", "waiting");
})({{ this._parent.get_name() }}, {{ this.layer.get_name() }});
{% endmacro %}
"""


class _TileWatch(MacroElement):
    """Shows the «base map unavailable» note (role=status) when the tile layer's tiles fail."""

    _template = Template(_WATCH_TEMPLATE)

    def __init__(self, layer: folium.TileLayer, *, meeting: bool):
        super().__init__()
        self._name = "TskTileWatch"
        self.layer = layer
        self.text = t("basemap_unavailable")
        self.error_url = _TRANSPARENT_GIF
        self.after_ms = NOTE_AFTER_S * 1000
        size = 20 if meeting else 14
        self.style = (f"background:#fff;color:#000;padding:6px 10px;border:{3 if meeting else 2}px solid #b35900;"
                      f"border-radius:4px;font:bold {size}px/1.35 sans-serif;max-width:{520 if meeting else 340}px;")


def add_base_layer(m: folium.Map, config: MapConfig, *, meeting: bool = False) -> folium.TileLayer | None:
    """The configured tiles under everything else, and the watch that says when they fail. Nothing when
    `config` has no URL (the offline default)."""
    if not config.tiles:
        return None
    options = {"subdomains": list(config.subdomains)} if config.subdomains else {}
    # plain text from the config, shown in Leaflet's attribution (HTML): escaped, linked when asked
    attribution = esc(config.attribution)
    if config.attribution_url:
        attribution = f'<a href="{esc(config.attribution_url)}" target="_blank" rel="noopener">{attribution}</a>'
    layer = folium.TileLayer(
        tiles=config.url,
        attr=attribution,
        name=t("basemap_layer"),
        max_zoom=config.max_zoom,
        max_native_zoom=config.max_zoom,
        error_tile_url=_TRANSPARENT_GIF,  # a failed tile is invisible, never a broken-image icon
        overlay=False,
        control=False,
        **options,
    )
    layer.add_to(m)
    m.add_child(_TileWatch(layer, meeting=meeting))
    _first_under_data(m, layer)
    return layer


def _first_under_data(m: folium.Map, layer: folium.TileLayer) -> None:
    """The tile layer added after the builder's layers is rendered first, so Leaflet creates it before any
    script that looks for the map's layers (the layer control); it sits in the tile pane either way."""
    children = m._children
    name = layer.get_name()
    item = children.pop(name)
    rest = list(children.items())
    children.clear()
    children[name] = item
    children.update(rest)
