"""The hot-spot layer: hexagons of a stated width in metres, coloured by their count (tsk.stats.hexbins
bins and drops the cells under the suppression minimum before anything reaches the map).

Thousands of cells would be hundreds of KB as GeoJSON polygons; the map gets each cell's centre, count,
colour class and the grid's turn there (a few numbers), and the browser draws the hexagon around it."""
from __future__ import annotations

import folium
from branca.element import MacroElement
from folium.template import Template

from tsk.i18n import t
from tsk.maps.base import NDIGITS
from tsk.maps.legend import _class_colours, _class_of, _legend_row, _swatch, class_edges
from tsk.maps.text import _format_int, esc
from tsk.stats.hexbins import HexBins

HOTSPOT_PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")  # ColorBrewer YlOrRd 5


class _Hexagons(MacroElement):
    """Pointy-top hexagons of width `cell_m` metres drawn in the browser from their centres into the
    parent layer. `cells`: [lat, lon, count, places, colour index, rotation°]. The tooltip templates
    are escaped text with %C (count) and %P (places)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(layer) {
            var cells = {{ this.cells|tojson }}, colours = {{ this.colours|tojson }};
            var tipOne = {{ this.tip_one|tojson }}, tipMany = {{ this.tip_many|tojson }};
            var r = {{ this.cell_m }} / Math.sqrt(3);
            cells.forEach(function(c) {
                var lat = c[0], lon = c[1], g = c[5] * Math.PI / 180, rad = lat * Math.PI / 180;
                var mLat = 111132.9 - 559.8 * Math.cos(2 * rad), mLon = 111412.8 * Math.cos(rad);
                var ring = [];
                for (var k = 0; k < 6; k++) {
                    var a = (30 + 60 * k) * Math.PI / 180, x = r * Math.cos(a), y = r * Math.sin(a);
                    var e = x * Math.cos(g) + y * Math.sin(g), n = -x * Math.sin(g) + y * Math.cos(g);
                    ring.push([lat + n / mLat, lon + e / mLon]);
                }
                var tip = (c[3] === 1 ? tipOne : tipMany).replace("%C", c[2].toLocaleString("sv-SE"))
                    .replace("%P", c[3].toLocaleString("sv-SE"));
                L.polygon(ring, {fillColor: colours[c[4]], fillOpacity: 0.7, color: "#7f2704",
                                 weight: {{ this.weight }}, opacity: 0.8, className: "tsk-hotspot"})
                    .bindTooltip(tip, {sticky: true, className: "tsk-hotspot-tip"})
                    .addTo(layer);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, cells: list, colours: list[str], *, cell_m: float, weight: int, tip_one: str, tip_many: str):
        super().__init__()
        self._name = "TskHexagons"
        self.cells, self.colours, self.cell_m, self.weight = cells, colours, float(cell_m), int(weight)
        self.tip_one, self.tip_many = tip_one, tip_many


def add_hotspots(m: folium.Map, bins: HexBins, *, meeting: bool, show: bool = True) -> str:
    """Add the hexagons as one layer («Täthet (sexhörningar)») under the points; returns the legend rows
    (escaped HTML) that state the cell width and the suppression minimum."""
    cells = bins.cells
    cell = _format_int(round(bins.cell_m))
    layer = folium.FeatureGroup(name=t("events_hotspot_layer"), show=show)
    edges = class_edges(cells["count"]) if len(cells) else []
    colours = _class_colours(edges, HOTSPOT_PALETTE) or [HOTSPOT_PALETTE[-1]]
    rows = [[round(float(c.lat), NDIGITS), round(float(c.lon), NDIGITS), int(c.count), int(c.points),
             _class_of(c.count, edges), round(float(c.rotation), 1)] for c in cells.itertuples(index=False)]
    size = "font-size:18px" if meeting else "font-size:13px"
    tip = (f'<span style="{size}">'
           + esc(t("events_hotspot_tooltip", count="%C", cell=cell, places=t("events_hotspot_places_one"))) + "</span>")
    tips = (f'<span style="{size}">'
            + esc(t("events_hotspot_tooltip", count="%C", cell=cell, places=t("events_hotspot_places_many", n="%P")))
            + "</span>")
    if rows:
        layer.add_child(_Hexagons(rows, colours, cell_m=bins.cell_m, weight=3 if meeting else 2,  # small cells at
                                  tip_one=tip, tip_many=tips))                                   # a kommun's zoom
    layer.add_to(m)
    legend = []
    if edges:
        swatches = "".join(_swatch(c, border="#7f2704", meeting=meeting).replace("margin-right:6px", "margin-right:0")
                           for c in colours)
        legend.append(_legend_row(f'<span style="margin-right:6px">{swatches}</span>',
                                  esc(f"{_format_int(edges[0])}–{_format_int(edges[-1])}"),
                                  layer=t("events_hotspot_layer"), shown=show))
    legend.append(_legend_row("", esc(t("events_hotspot_legend", cell=cell, min=bins.min_count)),
                              layer=t("events_hotspot_layer"), shown=show, wrap=True))
    return "".join(legend)
