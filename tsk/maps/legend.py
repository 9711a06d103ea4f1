"""Value classes and legends: equal-interval class edges, their colours, and the inline-HTML legend as a
Leaflet control (branca colormaps would load d3 from a CDN)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

import numpy as np
from branca.element import MacroElement
from folium.template import Template

from tsk.maps.base import N_CLASSES
from tsk.maps.text import _missing


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


def _legend_row(swatch: str, text: str, *, layer: str | None = None, shown: bool = True,
                wrap: bool = False) -> str:
    """One legend line. With `layer` (the name in the map's layer control) the line is shown only while
    that layer is: hidden from the start when it starts switched off (`shown`), and following the layer
    control after (_Legend's script). `swatch` and `text` must already be escaped."""
    tag = f' data-tsk-layer="{escape(layer, quote=True)}"' if layer is not None else ""
    hide = "display:none;" if layer is not None and not shown else ""
    return f'<div{tag} style="{hide}white-space:{"normal" if wrap else "nowrap"};margin:2px 0">{swatch}{text}</div>'


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
            // A line about one layer goes and comes with that layer (the layer control's name).
            function follow(e, shown) {
                var rows = legend.getContainer().querySelectorAll("[data-tsk-layer]");
                for (var i = 0; i < rows.length; i++) {
                    if (rows[i].getAttribute("data-tsk-layer") === e.name) rows[i].style.display = shown ? "" : "none";
                }
            }
            map.on("overlayadd", function(e) { follow(e, true); });
            map.on("overlayremove", function(e) { follow(e, false); });
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
