"""Permanent labels (big in meeting mode, smaller in normal mode), area names, and the script that keeps
them from covering each other."""
from __future__ import annotations

from collections.abc import Sequence

import folium
from shapely.geometry.base import BaseGeometry

from tsk.maps.base import _Script
from tsk.maps.geometry import _label_point
from tsk.maps.text import esc

# In normal mode the largest places on a places map carry a small permanent label (name: count).
NORMAL_TOP_PLACES = 10

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
    // Police badges: a label beside its circle (normal mode) that a badge covers tries the other side.
    var badges = Array.prototype.slice.call(map.getContainer().querySelectorAll(".tsk-obstacle")).map(function(o) {
        return o.getBoundingClientRect();
    }).filter(function(r) { return r.width > 0; });
    function hits(r, boxes) {
        return boxes.some(function(p) {
            return r.left < p.right && r.right > p.left && r.top < p.bottom && r.bottom > p.top;
        });
    }
    function covered(r, withBadges) { return hits(r, placed) || (withBadges === true && hits(r, badges)); }
    Array.prototype.slice.call(map.getContainer().querySelectorAll(".tsk-hide-if-covered")).forEach(function(b) {
        b.style.visibility = "visible";
        var gap = b.getAttribute("data-gap");  // a label beside its circle may try the other side
        if (gap) { b.style.left = gap + "px"; b.style.right = "auto"; }
        var r = b.getBoundingClientRect();
        if (r.width === 0) { return; }
        if (gap && covered(r, true)) {
            var right = r;
            b.style.left = "auto"; b.style.right = gap + "px";
            r = b.getBoundingClientRect();
            if (covered(r, true) && !covered(right)) {  // both sides under a badge: the right, as before
                b.style.left = gap + "px"; b.style.right = "auto"; r = right;
            }
        }
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


def _permanent_label(lat: float, lon: float, body_html: str, *, size: str = "18px") -> folium.Marker:
    """A non-interactive text box centred on (lat, lon); clicks go through to the area below. The box is
    opaque: through a translucent one an ort dot under it showed as a faint ring of its own."""
    leader = ('<div class="tsk-leader" style="display:none;position:absolute;left:-1px;top:0;width:2px;'
              'height:0;background:#000"></div>')
    box = (f'<div class="tsk-declutter" style="display:inline-block;transform:translate(-50%,-50%);'
           f'white-space:nowrap;text-align:center;background:#fff;color:#000;'
           f'border:2px solid #000;border-radius:4px;padding:3px 8px;font:bold {size}/1.2 sans-serif">'
           f'{body_html}</div>')
    box = leader + box
    return folium.Marker(
        [lat, lon],
        icon=folium.DivIcon(html=box, icon_size=(0, 0), icon_anchor=(0, 0), class_name="tsk-label"),
        interactive=False,
        keyboard=False,
    )


def area_name_label(lat: float, lon: float, name_html: str, *, meeting: bool) -> folium.Marker:
    """An area's name as quiet text (italic, grey with a white halo) centred on (lat, lon), not
    interactive; the declutter script hides it where a place label covers it. `name_html` must already
    be escaped."""
    size = "18px" if meeting else "13px"
    label = (f'<div style="display:inline-block;transform:translate(-50%,-50%);white-space:nowrap;'
             f'color:#444;font:italic {size}/1.2 sans-serif;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff">'
             f'{name_html}</div>')
    return folium.Marker([lat, lon], icon=folium.DivIcon(html=label, icon_size=(0, 0), icon_anchor=(0, 0),
                                                         class_name="tsk-area-name"),
                         interactive=False, keyboard=False)


def add_area_names(m: folium.Map, names: Sequence[str], geoms: Sequence[BaseGeometry | None], *,
                   meeting: bool = False, script: bool = True) -> None:
    """Normal mode's area names on a map (each name, escaped here, deep inside its geometry; None
    geometries are skipped) in one non-interactive layer, with the declutter script unless the map
    already has it (`script` False)."""
    group = folium.FeatureGroup(name="tsk-area-names", control=False, show=True)
    for name, g in zip(names, geoms):
        if g is None:
            continue
        lat, lon = _label_point(g)
        area_name_label(lat, lon, esc(name), meeting=meeting).add_to(group)
    group.add_to(m)
    if script:
        m.add_child(_Script(_DECLUTTER_JS))
