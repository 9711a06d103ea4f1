"""The offline context layer: what makes the schematic map readable without tiles. The kommun outline
(the union of the areas, a thicker line, no fill) and the orter as small labelled points sized by
population (area of the dot ∝ population, a square-root scale).

It lies under the data: outline and dots in a pane below Leaflet's overlay pane (the areas, the places),
the names in a pane just above the area fills and below every marker and tooltip, and nothing in it takes
a click. It is drawn over configured tiles too (the tiles do not know the app's areas; the ort names are
the ones the data uses).

Water and roads: no PyPI or Debian package ships an open data set of Swedish roads and water detailed
enough for a kommun (see the README, «Base map»); none is drawn.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import folium
import shapely
from shapely.geometry import mapping

from tsk.maps.base import DEFAULT_TOLERANCE_DEG, NDIGITS
from tsk.maps.geometry import _map_geometries
from tsk.maps.text import esc

PANE = "tskContext"            # outline and ort dots: under the data (overlay pane 400, tiles 200)
LABEL_PANE = "tskContextLabels"  # ort names: over the area fills, under markers (600) and tooltips (650)
PANE_Z = 350
LABEL_PANE_Z = 450
OUTLINE_COLOUR = "#444444"
ORT_COLOUR = "#555555"
DOT_MIN_PX, DOT_MAX_PX = 2.5, 7.0


@dataclass(frozen=True)
class ContextOrt:
    name: str
    lat: float
    lon: float
    population: int | None = None


@dataclass(frozen=True)
class MapContext:
    """What the context layer draws: the kommun outline as GeoJSON text ("" when no area has a geometry)
    and the orter. Plain values, so it can be part of a cache key."""
    outline: str
    orter: tuple[ContextOrt, ...]


def map_context(area_wkts: Sequence, orter: Iterable) -> MapContext:
    """The context of a map from the areas' WKT (WGS84) and the configured orter (anything with name, lat,
    lon and population)."""
    return MapContext(
        outline=_outline(tuple(None if w is None else str(w) for w in area_wkts)),
        orter=tuple(ContextOrt(str(o.name), round(float(o.lat), NDIGITS), round(float(o.lon), NDIGITS),
                               None if o.population is None else int(o.population)) for o in orter),
    )


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


def add_context_layer(m: folium.Map, context: MapContext, *, meeting: bool = False) -> None:
    """Draw the outline and the orter (dots and names) on `m`, under the data. Names are HTML-escaped."""
    folium.map.CustomPane(PANE, z_index=PANE_Z, pointer_events=False).add_to(m)
    folium.map.CustomPane(LABEL_PANE, z_index=LABEL_PANE_Z, pointer_events=False).add_to(m)
    group = folium.FeatureGroup(name="tsk-context", control=False)
    if context.outline:
        weight = 5 if meeting else 3.5
        folium.GeoJson(
            json.loads(context.outline),
            style_function=lambda _f: {"color": OUTLINE_COLOUR, "weight": weight, "opacity": 0.8, "fill": False},
            interactive=False,
            pane=PANE,
        ).add_to(group)
    largest = max((o.population or 0 for o in context.orter), default=0) or None
    size = 15 if meeting else 11
    for o in context.orter:
        radius = dot_radius(o.population, largest) * (1.3 if meeting else 1)
        folium.CircleMarker([o.lat, o.lon], radius=radius, color="#ffffff", weight=1, fill=True,
                            fill_color=ORT_COLOUR, fill_opacity=0.9, interactive=False, pane=PANE).add_to(group)
        label = (f'<div class="tsk-ort-name" style="display:inline-block;transform:translate(-50%,{int(radius) + 1}px);'
                 f'white-space:nowrap;color:#333;font:{size}px/1.1 sans-serif;'
                 f'text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff">{esc(o.name)}</div>')
        folium.Marker([o.lat, o.lon], icon=folium.DivIcon(html=label, icon_size=(0, 0), icon_anchor=(0, 0),
                                                          class_name="tsk-ort"),
                      interactive=False, keyboard=False, pane=LABEL_PANE).add_to(group)
    group.add_to(m)
