"""The hot-spot layer: hexagons of a stated width in metres, coloured by their count (tsk.stats.hexbins
bins and drops the cells under the suppression minimum before anything reaches the map)."""
from __future__ import annotations

import folium

from tsk.i18n import t
from tsk.maps.base import NDIGITS
from tsk.maps.legend import _class_colours, _class_of, _legend_row, _swatch, class_edges
from tsk.maps.text import _format_int, esc
from tsk.stats.hexbins import HexBins

HOTSPOT_PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")  # ColorBrewer YlOrRd 5


def add_hotspots(m: folium.Map, bins: HexBins, *, meeting: bool, show: bool = True) -> str:
    """Add the hexagons as one GeoJSON layer («Täthet (sexhörningar)») under the points; returns the
    legend rows (escaped HTML) that state the cell width and the suppression minimum."""
    cells = bins.cells
    cell = _format_int(round(bins.cell_m))
    layer = folium.FeatureGroup(name=t("events_hotspot_layer"), show=show)
    edges = class_edges(cells["count"]) if len(cells) else []
    colours = _class_colours(edges, HOTSPOT_PALETTE)
    feats = []
    for i, row in enumerate(cells.itertuples(index=False)):
        ring = [[round(lon, NDIGITS), round(lat, NDIGITS)] for lat, lon in row.corners]
        ring.append(ring[0])
        places = (t("events_hotspot_places_one") if row.points == 1
                  else t("events_hotspot_places_many", n=_format_int(row.points)))
        feats.append({
            "type": "Feature", "id": str(i),
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"tsk_layer": "hotspot", "count": int(row.count),
                           "fill": colours[_class_of(row.count, edges)] if colours else HOTSPOT_PALETTE[-1],
                           "tip": esc(t("events_hotspot_tooltip", count=_format_int(row.count), cell=cell,
                                        places=places))},
        })
    if feats:
        weight = 2 if meeting else 1
        folium.GeoJson(
            {"type": "FeatureCollection", "features": feats},
            style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.7, "color": "#7f2704",
                                      "weight": weight, "opacity": 0.8},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False,
                                          style="font-size:18px" if meeting else "font-size:13px"),
        ).add_to(layer)
    layer.add_to(m)
    rows = []
    if colours:
        swatches = "".join(_swatch(c, border="#7f2704", meeting=meeting).replace("margin-right:6px", "margin-right:0")
                           for c in colours)
        rows.append(_legend_row(f'<span style="margin-right:6px">{swatches}</span>',
                                esc(f"{_format_int(edges[0])}–{_format_int(edges[-1])}")))
    rows.append(f'<div style="white-space:normal;margin:2px 0">'
                f'{esc(t("events_hotspot_legend", cell=cell, min=bins.min_count))}</div>')
    return "".join(rows)
