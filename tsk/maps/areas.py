"""The area map: a choropleth of one value per area (Översikt), and which area a click chose."""
from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence

import folium
import pandas as pd
from shapely.geometry.base import BaseGeometry

from tsk.i18n import t
from tsk.maps.base import (
    DEFAULT_TOLERANCE_DEG,
    MEETING_PALETTE,
    NO_DATA_FILL,
    OUTLINE,
    PALETTE,
    SCHEMATIC_DASH,
    SELECTED_OUTLINE,
    SUPPRESSED_FILL,
    _base_map,
    _Script,
)
from tsk.maps.geometry import _bounds, _feature, _label_point, _map_geometries
from tsk.maps.labels import _DECLUTTER_JS, _permanent_label, add_area_names
from tsk.maps.legend import (
    _class_colours,
    _class_of,
    _Legend,
    _legend_row,
    _swatch,
    class_edges,
)
from tsk.maps.text import (
    _first_upper,
    _format_int,
    _missing,
    _truthy,
    esc,
    format_number,
)


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

    # the selected area last, so its thick outline is drawn on top
    order = sorted(drawn, key=lambda i: df.at[i, "name"] == selected)
    features, styles, any_note = _area_features(
        df, order, geoms, values, suppressed, schematic, assumption, colours, edges, n_col=n_col, fmt=fmt,
        suppressed_text=suppressed_text, selected=selected, meeting=meeting)

    _add_area_layer(m, features, styles, any_note=any_note, value_label=value_label, n_label=n_label,
                    meeting=meeting)
    if meeting:
        _add_area_labels(m, drawn, features, geoms, n_label)
        m.add_child(_Script(_DECLUTTER_JS))
    else:  # the areas named in normal mode too (issue 19), small, where they do not cover each other
        add_area_names(m, [df.at[i, "name"] for i in drawn], [geoms[i] for i in drawn])

    legend = _area_legend(df, drawn, values, suppressed, schematic, colours, edges, fmt=fmt, value_label=value_label,
                          suppressed_text=suppressed_text, selected=selected, meeting=meeting)
    m.add_child(_Legend(legend, meeting=meeting))
    return m


def _area_features(df: pd.DataFrame, order: list[int], geoms: list[BaseGeometry | None], values: list[float | None],
                   suppressed: pd.Series, schematic: pd.Series, assumption: pd.Series, colours: Sequence[str],
                   edges: Sequence[float], *, n_col: str, fmt: str | Callable[[float], str], suppressed_text: str,
                   selected: str | None, meeting: bool) -> tuple[list[dict], dict[str, dict], bool]:
    """The drawn areas as GeoJSON features (escaped texts), their styles by feature id, and whether any
    carries a note (schematic, assumption)."""
    line = 2.5 if meeting else 1.2
    features, styles = [], {}
    any_note = False
    for i in order:
        name = str(df.at[i, "name"])
        fill, value_text, n_text = _fill_and_texts(values[i], bool(suppressed[i]), df.at[i, n_col], colours=colours,
                                                   edges=edges, fmt=fmt, suppressed_text=suppressed_text)
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

    return features, styles, any_note


def _fill_and_texts(v: float | None, suppressed: bool, n, *, colours: Sequence[str], edges: Sequence[float],
                    fmt: str | Callable[[float], str], suppressed_text: str) -> tuple[str, str, str]:
    """An area's fill colour, value text and n text (suppressed: no number; no value: «no data»)."""
    if suppressed:
        return SUPPRESSED_FILL, suppressed_text, "–"
    if v is None:
        return NO_DATA_FILL, t("map_no_data"), _format_int(n)
    fill = colours[_class_of(v, edges)] if colours else NO_DATA_FILL
    return fill, format_number(v, fmt), _format_int(n)


def _add_area_layer(m: folium.Map, features: list[dict], styles: dict[str, dict], *, any_note: bool,
                    value_label: str, n_label: str, meeting: bool) -> None:
    """The areas as one GeoJSON layer, styled per feature, with a tooltip (Område, value, n, note)."""
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


def _add_area_labels(m: folium.Map, drawn: list[int], features: list[dict], geoms: list[BaseGeometry | None],
                     n_label: str) -> None:
    """Meeting mode: a permanent label (name, value, n) deep inside every drawn area."""
    for i in drawn:
        f = next(f for f in features if f["id"] == str(i))
        p = f["properties"]
        lat, lon = _label_point(geoms[i])
        body = (f'<div style="font-size:18px">{p["name"]}</div>'
                f'<div style="font-size:24px">{p["value"]}</div>'
                f'<div style="font-size:16px">{esc(n_label)} = {p["n"]}</div>')
        _permanent_label(lat, lon, body).add_to(m)


def _area_legend(df: pd.DataFrame, drawn: list[int], values: list[float | None], suppressed: pd.Series,
                 schematic: pd.Series, colours: Sequence[str], edges: Sequence[float], *,
                 fmt: str | Callable[[float], str], value_label: str, suppressed_text: str, selected: str | None,
                 meeting: bool) -> str:
    """The legend's HTML: the classes, then no data, suppressed, schematic and the selection when shown."""
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
    return "".join(rows)


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
