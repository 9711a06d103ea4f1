"""The places map: area outlines, one circle per place (area ∝ reports) and police events per ort
(Lägesbild, Trygghetsundersökning, Vandring); and the position map for placing a new place (Data)."""
from __future__ import annotations

import math

import folium
import pandas as pd
from shapely.geometry.base import BaseGeometry

from tsk.i18n import t
from tsk.maps.base import (
    DEFAULT_TOLERANCE_DEG,
    MAX_PLACE_MARKERS,
    MAX_POLICE_BADGES,
    MEETING_TOP_PLACES,
    NDIGITS,
    PLACE_COLOUR,
    POLICE_COLOUR,
    SCHEMATIC_DASH,
    _base_map,
    _Script,
)
from tsk.maps.geometry import _bounds, _feature, _label_point, _map_geometries
from tsk.maps.hotspots import add_hotspots
from tsk.maps.labels import _DECLUTTER_JS, NORMAL_TOP_PLACES, area_name_label
from tsk.maps.legend import _Legend, _legend_row, _swatch
from tsk.maps.text import _format_int, _missing, _plural, _truthy, esc
from tsk.stats.hexbins import HexBins


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


def _aggregate_police(police: pd.DataFrame, max_badges: int = MAX_POLICE_BADGES) -> pd.DataFrame:
    """One row per ort, most events first; beyond `max_badges` orter the rest are left off the map (a
    badge per ort is ~1 KB of HTML: a region's hundreds of orter would pass the size target) and counted
    in the attributes `left_orter` and `left_events`, which the legend states. Never merged into one
    badge: a badge stands at its ort, and a sum of many orter has no place."""
    df = police[police["lat"].notna() & police["lon"].notna() & police["events"].notna()]
    df = df[df["events"] > 0]
    out = (df.groupby("ort", sort=False)
             .agg(lat=("lat", "first"), lon=("lon", "first"), events=("events", "sum"))
             .reset_index()
             .sort_values(["events", "ort"], ascending=[False, True], kind="stable")
             .reset_index(drop=True))
    shown, left = out.iloc[:max_badges].copy(), out.iloc[max_badges:]
    shown.attrs.update(left_orter=len(left), left_events=int(left["events"].sum()))
    return shown


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
    hotspots: HexBins | None = None,
    show_places: bool = True,
    normal_labels: int = NORMAL_TOP_PLACES,
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
    carry a permanent label with their count, and area names are larger; in normal mode the
    `normal_labels` largest carry a smaller one. Labels that would cover another are hidden.

    `hotspots`: hexagon bins (tsk.stats.hexbins.hex_bins, cells under the suppression minimum already
    dropped) drawn as a layer under the points, with the cell width in the legend. `show_places`
    False: the points layer starts switched off (the layer control turns it on).
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
    _add_outlines(m, adf, geoms, schematic, meeting=meeting)
    hot_legend = add_hotspots(m, hotspots, meeting=meeting) if hotspots is not None else ""
    _add_places(m, pl, meeting=meeting, top_labels=top_labels if meeting else normal_labels,
                count_words=count_words, no_place_text=no_place_text, show=show_places)
    if po is not None:
        _add_police(m, po, meeting=meeting)
    m.add_child(_Legend(_places_legend(pl, po, schematic, geoms, legend_text=legend_text, meeting=meeting,
                                       show_places=show_places) + hot_legend, meeting=meeting))
    m.add_child(_Script(_DECLUTTER_JS))
    folium.LayerControl(collapsed=not meeting).add_to(m)
    return m


def _add_outlines(m: folium.Map, adf: pd.DataFrame, geoms: list[BaseGeometry | None], schematic: list[bool], *,
                  meeting: bool) -> None:
    """Area outlines and names, for orientation on the plain background."""
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
            area_name_label(lat, lon, f["properties"]["name"], meeting=meeting).add_to(outlines)
    outlines.add_to(m)


def _add_places(m: folium.Map, pl: pd.DataFrame, *, meeting: bool, top_labels: int, count_words: tuple[str, str],
                no_place_text: str | None, show: bool = True) -> None:
    """One circle per place, biggest first, so smaller circles stay on top and clickable; in meeting mode
    the `top_labels` largest carry a permanent label with their count (smaller in normal mode)."""
    layer = folium.FeatureGroup(name=t("map_places_layer"), show=show)
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
        location = [round(float(row["lat"]), NDIGITS), round(float(row["lon"]), NDIGITS)]
        short = esc(row["ort"] if plats is None else plats)
        if meeting and k < top_labels:
            tooltip = folium.Tooltip(f"{short}: {_format_int(reports)}", permanent=True, direction="right",
                                     sticky=False, offset=[int(radius) + 2, 0], class_name="tsk-hide-if-covered",
                                     style="font-size:18px;font-weight:bold;color:#000")
        else:
            tooltip = folium.Tooltip(text, sticky=True, style="font-size:18px" if meeting else "font-size:13px")
            if k < top_labels:  # normal mode: a small label beside the circle, which keeps its hover text
                _place_label(location, f"{short}: {_format_int(reports)}", offset=int(radius) + 3).add_to(layer)
        folium.CircleMarker(
            location=location,
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


def _place_label(location: list[float], body_html: str, *, offset: int) -> folium.Marker:
    """Normal mode: a place's name and count as small text right of its circle (left of it where the right
    is taken), not interactive; the declutter script hides it where both would cover another label. `body_html` must already be escaped."""
    box = (f'<div class="tsk-hide-if-covered" data-gap="{offset}" style="position:absolute;left:{offset}px;top:0;'
           f'transform:translateY(-50%);white-space:nowrap;color:#000;background:rgba(255,255,255,0.85);'
           f'border-radius:3px;padding:1px 4px;font:bold 13px/1.2 sans-serif">{body_html}</div>')
    return folium.Marker(location, icon=folium.DivIcon(html=box, icon_size=(0, 0), icon_anchor=(0, 0),
                                                       class_name="tsk-place-label"),
                         interactive=False, keyboard=False)


def _add_police(m: folium.Map, po: pd.DataFrame, *, meeting: bool) -> None:
    """One badge per ort with its number of police events."""
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
                                class_name="tsk-police tsk-obstacle"),
            tooltip=folium.Tooltip(
                f"<b>{esc(t('map_police_in', ort=row['ort']))}</b><br>"
                f"{_plural(events, t('map_event_one'), t('map_event_many'))}",
                style="font-size:18px" if meeting else "font-size:13px"),
        ).add_to(police_layer)
    police_layer.add_to(m)


def _places_legend(pl: pd.DataFrame, po: pd.DataFrame | None, schematic: list[bool],
                   geoms: list[BaseGeometry | None], *, legend_text: str, meeting: bool,
                   show_places: bool = True) -> str:
    """The legend's HTML: places, approximate positions, police events and schematic areas when shown; the
    lines of the places and police layers go and come with their layer."""
    places, police = t("map_places_layer"), t("map_police_layer")
    rows = [_legend_row(f'<span style="display:inline-block;width:16px;height:16px;border-radius:50%;'
                        f'background:{PLACE_COLOUR};border:1px solid #000;vertical-align:middle;margin-right:6px">'
                        f'</span>', esc(legend_text), layer=places, shown=show_places)]
    if len(pl) and pl["approximate"].any():
        rows.append(_legend_row('<span style="display:inline-block;width:16px;height:16px;border-radius:50%;'
                                'border:2px dashed #000;vertical-align:middle;margin-right:6px"></span>',
                                t("map_legend_approx"), layer=places, shown=show_places))
    if po is not None:
        rows.append(_legend_row(_swatch(POLICE_COLOUR, border="#000", meeting=meeting), t("map_legend_police"),
                                layer=police))
        if po.attrs.get("left_orter"):
            rows.append(_legend_row("", esc(t("map_police_left", n=po.attrs["left_orter"],
                                                events=po.attrs["left_events"])), layer=police, wrap=True))
    if any(s for s, g in zip(schematic, geoms) if g is not None):
        rows.append(_legend_row(_swatch("transparent", dash=True, width=2, meeting=meeting), t("map_schematic")))
    return "".join(rows)


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
