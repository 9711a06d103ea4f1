"""How the app shows things: errors, key-figure cards, tables (grid, or plain HTML in Mötesläge) with
their downloads, charts with their table view, and maps (a shared HTML page, or a clickable st_folium map)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from tsk.errors import TskError
from tsk.exports import safe_filename, to_csv_bytes, to_xlsx_bytes
from tsk.formatting import fmt_int as format_int
from tsk.i18n import t
from tsk.safe_text import cell, lit, say
from tsk.ui.cache import shared


def show_error(error: TskError) -> None:
    """The error's Swedish message, the values it quotes (names, cells, file names) shown literally."""

    st.error(say(error.key, **error.params))


def refused(check, /, *args, **kwargs) -> bool:
    """Run a core check (a register's validation) before a write: False when it passes; when it refuses,
    its Swedish message is shown and True is returned, so the form stops there."""
    try:
        check(*args, **kwargs)
    except TskError as e:
        show_error(e)
        return True
    return False


def download_buttons(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV (Swedish Excel) and XLSX downloads of exactly the table shown.

    The files are built when a button is clicked, not on every rerun (an XLSX of a big table takes
    tenths of a second, and most reruns download nothing)."""


    df = df.copy()  # the table as shown now, whatever the page does with its frame afterwards
    c1, c2 = st.columns(2)
    download(c1, t("download_csv"), partial(to_csv_bytes, df), file_name=safe_filename(name, "csv"),
             mime="text/csv", key=f"{key}_csv")
    download(c2, t("download_xlsx"), partial(to_xlsx_bytes, {name[:31]: df}), file_name=safe_filename(name, "xlsx"),
             mime=XLSX, key=f"{key}_xlsx")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(where, label: str, make: Callable[[], bytes | str], *, file_name: str, mime: str, key: str,
             **kwargs) -> None:
    """A download button in `where` (st, a column) whose file `make` builds when it is clicked. The only
    way the app offers a file.

    The click does not rerun the page. Streamlit's default does, and a rerun registers the button's file
    under a new id and drops the old one, which the click's own request for the file may still hold: on
    a busy server the download then never came (seen in CI), and the page was redrawn for nothing."""
    where.download_button(label, make, file_name=file_name, mime=mime, key=key, on_click="ignore", **kwargs)


EMPTY_CELL = "–"


def _cell_text(value) -> str:
    """One non-empty cell as text: Swedish numbers (decimal comma, space between thousands), dates ISO."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        number = float(value)
        if number.is_integer():
            return format_int(number)
        return f"{number:,.3f}".rstrip("0").rstrip(".").replace(",", "\u00a0").replace(".", ",")
    return str(value)


def _looks_like_years(column: pd.Series) -> bool:
    """Whole numbers between 1900 and 2100 only: years (or survey rounds), written «2025», never «2 025»."""
    values = pd.to_numeric(column.dropna(), errors="coerce")
    return bool(len(values)) and bool(values.notna().all() and (values % 1 == 0).all()
                                      and values.between(1900, 2100).all())


def display_frame(df: pd.DataFrame, *, numbers_too: bool = False) -> pd.DataFrame:
    """The table as a reader sees it: an empty cell (None, NaN, NaT, an empty string) shown as «–», never
    as «None» or «nan». A text or date column with an empty cell becomes text throughout (a column of
    one type for Arrow). Number columns keep their type for the grid (which sorts them and leaves an
    empty cell empty); with numbers_too (the plain HTML table of Mötesläge) every cell becomes text."""
    shown = df.copy()
    for col in shown.columns:
        column = shown[col]
        numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        if numeric and not numbers_too:
            continue
        empty = column.isna() | (column.astype(str) == "")
        if not empty.any() and not numbers_too:
            continue
        text = (lambda v: str(int(v))) if numeric and _looks_like_years(column) else _cell_text
        shown[col] = [EMPTY_CELL if gone else text(v) for v, gone in zip(column, empty)]
    return shown


def data_table(df: pd.DataFrame, *, meeting: bool, key: str | None = None,
               widths: dict[str, int] | None = None) -> None:
    """Every table of the app. Normally the interactive grid; in Mötesläge a plain HTML table, whose text
    the projector CSS (meeting_css) can size for the back of the room (the grid draws on a canvas that
    CSS cannot reach). `widths` (column → px) for the grid's long text columns: it never wraps, and its
    own width stops short of a sentence."""
    shown = display_frame(df, numbers_too=meeting)
    if meeting:
        # st.table renders each cell as Markdown: a name from the data (a reporter typed as
        # «[klicka](…)») goes through safe_text.cell and stays its text. Headers are the app's labels.
        shown = shown.map(cell)
        st.table(shown.style.hide(axis="index"))
    else:
        config = {c: st.column_config.Column(width=w) for c, w in (widths or {}).items() if c in shown.columns}
        st.dataframe(shown, hide_index=True, width="stretch", key=key, column_config=config or None)


def table_with_downloads(df: pd.DataFrame, *, name: str, key: str, meeting: bool,
                         widths: dict[str, int] | None = None) -> None:
    """A table (data_table) and the CSV/XLSX downloads of exactly what it shows."""
    data_table(df, meeting=meeting, widths=widths)
    download_buttons(df, name, key)


@dataclass(frozen=True)
class Card:
    """One key figure: its label and value, the n behind it, what follows n on the line below (the
    trend, the year before, a verdict) and a note (hidden in Mötesläge, which shows no small print)."""
    label: str
    value: str
    n: str
    details: tuple[str, ...] = ()
    note: str | None = None


def key_figure_cards(cards: list[Card], *, meeting: bool) -> None:
    """Key figures side by side, one card each: the value large, "n = … · …" under it, then the note."""
    if not cards:
        return
    for col, card in zip(st.columns(len(cards)), cards):
        col.metric(card.label, card.value)
        col.markdown(f"**n = {lit(card.n)}**" + "".join(f" · {lit(d)}" for d in card.details))
        if card.note and not meeting:
            col.caption(lit(card.note))


def chart_with_table(fig, table: pd.DataFrame, *, name: str, key: str, meeting: bool) -> None:
    """A chart, its table view (the text alternative) and downloads of the table."""
    st.plotly_chart(fig, key=f"{key}_chart", config={"displaylogo": False, "locale": "sv"})
    with st.expander(t("table_view"), expanded=False):
        st.dataframe(table, hide_index=True, width="stretch")
        download_buttons(table, name, key)


def show_map(builder, /, *args, key: str, height: int = 520, clickable: bool = False, alt: str | None = None,
             **kwargs) -> dict | None:
    """Draw the folium map `builder(*args, **kwargs)` builds; `alt` names it for screen readers (the
    frame's title). Only a clickable map sends anything back (each interaction reruns the page).

    Every map gets its base here, after the builder: the configured tiles ([map] in tsk.toml, with a note
    when they fail) and the offline context layer (kommun outline, orter), so no page or builder knows.

    A map that is only looked at is built and rendered to its HTML page once for these arguments and
    shared by every session (see `shared`): rendering is most of a map's cost on the server. A clickable
    one goes through st_folium, which reports the click; it is built per run, since st_folium changes
    the map it draws (a second draw of the same map object adds its layers again)."""
    from tsk import maps

    maps.offline_assets(st.get_option("server.baseUrlPath"))  # Leaflet under the app's sub-path, if any
    base = _map_base()
    if not clickable:
        page = shared(_map_page, builder, base, *args, **kwargs)
        st.iframe(page, height=height, alt=alt)
        return None
    from streamlit_folium import st_folium

    returned = ["last_active_drawing", "last_object_clicked_tooltip"]
    result = st_folium(_built(builder, base, *args, **kwargs), key=key,
                       height=height, use_container_width=True, returned_objects=returned)
    st.caption(t("map_keyboard"))  # the click has a keyboard equivalent: say where (WCAG 2.1.1)
    return result


def _map_base():
    """(the [map] config, the context layer's data): what every map is drawn on. The areas come from the
    cached read, so a new area file shows in the outline on the next rerun; both go into the shared
    map's cache key as values."""
    from tsk.config import load_config
    from tsk.maps.context import map_context
    from tsk.ui import reads

    config = load_config()
    areas = reads.area_geometries()
    wkts = areas["geometry_wkt"].tolist() if "geometry_wkt" in areas else []
    context = map_context(wkts, config.orter, config.map.context_files)
    for file, reason in context.problems:  # the map is drawn without that file; say why, once a run
        st.warning(say("basemap_context_file_unusable", file=file, reason=reason))
    return config.map, context


def _built(builder, base, *args, **kwargs):
    """The builder's map on its base: the one place that decides how (Mötesläge from the builder's own
    argument; the ort dots above the fills on a map that fills its areas)."""
    from tsk import maps
    from tsk.maps.basemap import add_base_layer
    from tsk.maps.context import add_context_layer

    m, (map_config, context), meeting = builder(*args, **kwargs), base, bool(kwargs.get("meeting"))
    add_base_layer(m, map_config, meeting=meeting)
    add_context_layer(m, context, meeting=meeting, dots_over_fills=builder in maps.FILLED_AREA_MAPS)
    return m


def _map_page(builder, base, *args, **kwargs) -> str:
    """The map's whole HTML page, in Swedish (the frame is a document of its own for screen readers)."""
    from tsk import maps

    m = _built(builder, base, *args, **kwargs)
    return maps.map_html(m).replace("<html>", '<html lang="sv">', 1)
