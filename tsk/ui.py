"""The one Streamlit-aware tsk module: cached store reads, shared sidebar, error rendering.

The app reads through one shared read-only snapshot of the database file (tsk.db.Snapshot), a cursor per
question. Writers replace the file rather than change it, so a scheduled import can write while the app
is running; the cache keys include the file's inode and modification time, so new data shows on the next
rerun.
"""
from __future__ import annotations

import os
import threading
import types
from pathlib import Path

import pandas as pd
import streamlit as st

from tsk.config import db_path, load_config
from tsk.db import Snapshot, open_snapshot, open_store
from tsk.errors import TskError
from tsk.formatting import fmt_dec as format_decimal  # noqa: F401  (used by pages)
from tsk.formatting import fmt_int as format_int  # noqa: F401
from tsk.formatting import fmt_pct as format_pct  # noqa: F401
from tsk.i18n import t
from tsk.selection import (
    Selection,
    default_selection,
    from_query_params,
    to_query_params,
)


def _stamp(path: Path) -> tuple[int, int]:
    """Changes whenever the database changes: writers replace the file, so the inode changes too."""
    try:
        st_ = path.stat()
        return st_.st_ino, st_.st_mtime_ns
    except OSError:
        return 0, 0


@st.cache_resource(show_spinner=False, max_entries=4)
def _snapshot(path: str, stamp: tuple) -> Snapshot:
    """One open snapshot per version of the file; an evicted one closes when its last cursor is done."""
    return open_snapshot(path)


def _reader(path: str, stamp: tuple):
    return _snapshot(path, stamp).store()  # a failed open is not cached: the next rerun tries again


@st.cache_data(show_spinner=False, max_entries=256)
def _ask(path: str, stamp: tuple, question: str, kwargs: tuple) -> object:
    with _reader(path, stamp) as store:
        return getattr(store, question)(**dict(kwargs))


def ask(question: str, **kwargs):
    """Call the named read-only store method (cached until the database file changes)."""
    path = db_path()
    return _ask(str(path), _stamp(path), question, tuple(sorted(kwargs.items())))


def show_error(error: TskError) -> None:
    """The error's Swedish message, the values it quotes (names, cells, file names) shown literally."""
    from tsk.safe_text import say

    st.error(say(error.key, **error.params))


_navigation = threading.local()


def navigating(on: bool) -> None:
    """app.py marks the run of a page through st.navigation (per session thread)."""
    _navigation.active = on


def ensure_app() -> None:
    """Run the page through app.py when Streamlit ran it on its own.

    On a fresh server, a first request for a page's URL (a shared link such as /lagesbild?mote=1) is
    served the old way, straight from pages/, before app.py has ever called st.navigation: no page
    config, no login, no navigation. Running app.py here puts the page back inside the app."""
    if getattr(_navigation, "active", False):
        return
    import runpy

    from tsk.config import ROOT

    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
    st.stop()


def require_store() -> bool:
    """Stop the page with a clear Swedish message when there is no database yet; bring an older
    database's schema up to date (after an upgrade of the app) before anything reads it."""
    ensure_app()
    path = db_path()
    if not path.exists():
        st.error(t("db_missing", path=path))
        st.stop()
    _ensure_schema(str(path), _stamp(path))
    return True


@st.cache_resource(show_spinner=False)
def _ensure_schema(path: str, stamp: tuple) -> None:
    from tsk.backup import clean_leftovers
    from tsk.db import SCHEMA_VERSION

    clean_leftovers(path)  # work copies of writers killed earlier (once per database file state)
    try:
        with open_store(path, read_only=True) as store:
            current = store.schema_version()
        if current < SCHEMA_VERSION:
            from tsk.backup import atomic_write

            with atomic_write(Path(path)) as work, open_store(work, config=load_config()):
                pass  # opening for writing migrates and syncs the reference tables
    except TskError as e:
        show_error(e)
        st.stop()


def config():
    return load_config()


@st.cache_data(show_spinner=False, max_entries=64)
def _compute(path: str, stamp: tuple, fn_module: str, fn_name: str, kwargs: tuple):
    import importlib

    fn = getattr(importlib.import_module(fn_module), fn_name)
    with _reader(path, stamp) as store:
        return fn(store, load_config(), **dict(kwargs))


def compute(fn, **kwargs):
    """Run an analysis function `fn(store, config, **kwargs)` against the database, cached until the
    database file changes. kwargs must be hashable (tuples, not lists)."""
    path = db_path()
    return _compute(str(path), _stamp(path), fn.__module__, fn.__name__, tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, max_entries=32)
def _scored(path: str, stamp: tuple, level: str, weights: tuple) -> pd.DataFrame:
    from tsk import candidates

    return candidates.score(compute(candidates.candidate_evidence, level=level), load_config(), dict(weights))


def scored_candidates(level: str, weights: dict | None = None) -> pd.DataFrame:
    """Candidates for a trygghetsvandring scored with these weights (None: the configured ones), cached
    per (data, level, weights): the weights are widgets, and every other widget reruns the page too.
    The evidence behind it is computed once per data version, whichever page asks first."""
    if weights is None:
        from tsk import scoring

        weights = scoring.default_weights(load_config())
    path = db_path()
    return _scored(str(path), _stamp(path), level, tuple(sorted(weights.items())))


def _config_stamp() -> tuple[str, int]:
    from tsk.config import setting_path

    path = setting_path("config")
    return str(path), _stamp(path)[1]


def _function_key(fn: types.FunctionType) -> tuple:
    """A builder, or a function passed to one (a number format), is known by its name, code, constants
    and the values it closes over."""
    code = fn.__code__
    cells = [c.cell_contents for c in fn.__closure__ or ()]
    return fn.__module__, fn.__qualname__, code.co_code, repr(code.co_consts), repr(code.co_names), repr(cells)


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs={types.FunctionType: _function_key})
def _shared(builder, config_stamp: tuple, args: tuple, kwargs: tuple) -> object:
    return builder(*args, **dict(kwargs))


def shared(builder, /, *args, **kwargs):
    """`builder(*args, **kwargs)` built once for these arguments and shared by every session.

    Ten people in a meeting open the same page with the same selection: its figures are built once, not
    once per person. The arguments are the frames the cached reads return and plain values; the key is
    their content (and the config file's version, which labels may come from). The object is shared, so
    it is never changed after: whatever a chart needs goes in as an argument."""
    return _shared(builder, _config_stamp(), args, tuple(sorted(kwargs.items())))


def _week_options(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    from datetime import timedelta

    from tsk.parsing import week_monday, year_window

    # A row dated outside the plausible years (stored before they were checked) never stretches the
    # range past them, nor past the last representable date.
    low, high = year_window()
    first, last = max(tuple(first), (low, 1)), min(tuple(last), (high, 52))
    if first > last:
        return []
    out, day, end = [], week_monday(*first), week_monday(*last)
    while day <= end:
        iso = day.isocalendar()
        out.append((iso.year, iso.week))
        day += timedelta(days=7)
    return out


AREAS_KEY = "sel_areas"


def select_area(area: str) -> None:
    """Make one area the sidebar's selection (a click on the map) and rerun: the area goes into the
    URL and the widget's own state is dropped, so the widget starts again from the URL."""
    from tsk.selection import P_AREAS

    st.session_state.pop(AREAS_KEY, None)
    st.query_params[P_AREAS] = area
    st.rerun()


def sidebar() -> Selection:
    """The shared sidebar: period, areas, sources and Mötesläge, kept in the URL query parameters."""
    cfg = load_config()
    from tsk.parsing import year_window

    low, high = year_window()
    # «År (enkäter)»: the years the surveys have answers for, not the years of the police events or the
    # lägesbild (a store with only the 2025 survey offers 2025, not 2025–2026).
    years = ([y for y in ask("survey_years_present") or [] if low <= y <= high]
             or [y for y in ask("years_present") or [] if low <= y <= high] or [pd.Timestamp.today().year])
    latest = ask("latest_week")
    first_week = ask("first_week") or latest
    if latest:  # a row dated outside the plausible years (stored before they were checked) is left out
        latest = min(tuple(latest), (high, 52))
        first_week = min(max(tuple(first_week), (low, 1)), latest)
    areas = [a.name for a in cfg.areas]
    orgs = [o.name for o in cfg.organisations]
    default = default_selection(years=years, latest_week=latest, areas=areas, organisations=orgs,
                                first_week=first_week)
    current = from_query_params(remembered_params(), default, years=years, areas=areas, organisations=orgs)
    week_options = _week_options(first_week, latest) if latest else []
    # A shared link may name weeks or years the data no longer covers: fall back to the default.
    from dataclasses import replace as _replace

    if week_options and not {current.week_from, current.week_to} <= set(week_options):
        current = _replace(current, week_from=default.week_from, week_to=default.week_to)
    if not {current.year_from, current.year_to} <= set(years):
        current = _replace(current, year_from=default.year_from, year_to=default.year_to)

    with st.sidebar:
        st.header(t("sidebar_heading"))
        meeting = st.toggle(t("sidebar_meeting"), value=current.meeting, key=MEETING_KEY,
                            help=t("sidebar_meeting_help"))
        if len(years) > 1:
            year_from, year_to = st.select_slider(t("sidebar_years"), options=years, key="sel_years",
                                                  value=(current.year_from, current.year_to))
        else:
            year_from = year_to = years[0]
        if week_options:
            week_from, week_to = st.select_slider(t("sidebar_weeks"), options=week_options, key="sel_weeks",
                                                  value=(current.week_from, current.week_to),
                                                  format_func=lambda w: f"v{w[1]} {w[0]}")
        else:
            week_from, week_to = current.week_from, current.week_to
        chosen_areas = st.multiselect(t("sidebar_areas"), areas, default=list(current.areas), key=AREAS_KEY,
                                      placeholder=t("sidebar_areas_placeholder"), select_all=False)
        chosen_orgs = st.multiselect(t("sidebar_orgs"), orgs, default=list(current.organisations), key="sel_orgs",
                                     placeholder=t("choose_options"), select_all=False)
        police = st.checkbox(t("sidebar_police"), value=current.police, key="sel_police")
        st.caption(t("sidebar_link_hint"))
    sel = Selection(year_from, year_to, tuple(week_from), tuple(week_to), tuple(chosen_areas or areas),
                    tuple(chosen_orgs or orgs), police, meeting)
    wanted = to_query_params(sel, default)
    st.session_state[REMEMBERED_KEY] = wanted
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
    if meeting:
        meeting_css()
        leave_meeting_button()
    return sel


# The selection of the session's last page, as URL parameters. Streamlit's page links (the sidebar
# navigation) open a page without the query string, and the page's widgets start afresh: without this
# the presenter would lose Mötesläge and the chosen areas and weeks on every page change.
REMEMBERED_KEY = "_tsk_selection_params"
MEETING_KEY = "sel_meeting"


def remembered_params() -> dict[str, str]:
    """The URL's parameters, or, when the URL has none (a page link, a page opened without a sidebar in
    between), the selection this session had on its last page. A reload or a copied link carries the
    parameters in the URL itself."""
    params = dict(st.query_params)
    if not params:
        params = dict(st.session_state.get(REMEMBERED_KEY) or {})
        if params:
            st.query_params.from_dict(params)  # the address bar shows the view again, ready to copy
    return params


def meeting_on() -> bool:
    """Whether Mötesläge is on for this run, by the URL or the session's last page (app.py decides the
    sidebar's initial state from it before any page draws the sidebar)."""
    from tsk.selection import P_MEETING

    return remembered_params().get(P_MEETING) == "1"


def _leave_meeting() -> None:
    st.session_state[MEETING_KEY] = False


def leave_meeting_button() -> None:
    """The way out of Mötesläge where the presenter looks: the sidebar, with its toggle, is folded away."""
    st.button(t("meeting_leave"), key="leave_meeting", icon=":material/close_fullscreen:", on_click=_leave_meeting)


def keep_meeting_without_sidebar() -> bool:
    """For a page without the shared sidebar (Data): keep the session's selection in the URL and the
    projector view if it is on, so the next page still has both."""
    on = meeting_on()
    if on:
        meeting_css()
    return on


# Sizes for a 1280×720 projector seen from the back of the room (issue 15): key figures ≥ 40 px, table and
# chart text ≥ 18 px. The metric value holds a markdown paragraph, so its rule must be more specific than
# the paragraph rule, or the key figures shrink instead of growing.
MEETING_CSS = """
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.2rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div,
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 3.2rem !important; line-height: 1.15; }
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.4rem !important; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] div { font-size: 1.25rem !important; }
[data-testid="stTable"] th, [data-testid="stTable"] td { font-size: 1.25rem; line-height: 1.35; padding: 0.35rem 0.6rem; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.3rem !important; } h3 { font-size: 1.8rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.15rem !important; }
[data-testid="stExpander"] summary p { font-size: 1.3rem; }
[data-testid="stSelectbox"] input, [data-testid="stMultiSelect"] input, [data-testid="stMultiSelect"] [data-tag] span,
[data-testid="stDateInput"] input, [data-testid="stNumberInput"] input, [data-testid="stTextInput"] input,
[data-testid="stRadio"] label p, [data-testid="stCheckbox"] label p, [data-testid="stButton"] button p,
[data-testid="stTabs"] button p { font-size: 1.2rem !important; }
.block-container { padding-left: 2rem; padding-right: 2rem; max-width: 100%; }
"""

# Every mode: text contrast ≥ 4.5:1 (WCAG 2.1 AA, 1.4.3). Streamlit draws captions and some labels in
# 60 % grey, 3.9:1 on white; these colours keep the look but meet the ratio on the white page and on the
# sidebar's grey.
BASE_CSS = """
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] p { color: #4b4e59 !important; opacity: 1 !important; }
[data-testid="stWidgetLabel"] p { color: #262730 !important; }
[data-testid="stTooltipIcon"] svg { color: #4b4e59 !important; }
/* Streamlit's file uploader speaks English and cannot be told otherwise (1.67): its two texts are
   replaced by Swedish ones; the size limit and file types are in the uploader's help (ui_forms). */
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: "Dra hit filen eller välj den med knappen"; font-size: 0.875rem; color: #4b4e59; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after { content: "Välj fil"; font-size: 0.875rem; }
"""


def _style(css: str) -> None:
    st.html(f"<style>{css}</style>")  # a style-only html element takes no space on the page


def base_css() -> None:
    """The app's own styles for every page (app.py, before the page draws), and the page's language:
    Streamlit serves <html lang="en">, and a screen reader would read the Swedish text as English."""
    _style(BASE_CSS)
    st.html("<script>document.documentElement.lang = 'sv';</script>", unsafe_allow_javascript=True)


def meeting_css() -> None:
    """Projector view: larger type everywhere (charts set their own sizes, tsk/figures.py)."""
    _style(MEETING_CSS)


def download_buttons(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV (Swedish Excel) and XLSX downloads of exactly the table shown.

    The files are built when a button is clicked, not on every rerun (an XLSX of a big table takes
    tenths of a second, and most reruns download nothing)."""
    from functools import partial

    from tsk.exports import safe_filename, to_csv_bytes, to_xlsx_bytes

    df = df.copy()  # the table as shown now, whatever the page does with its frame afterwards
    c1, c2 = st.columns(2)
    c1.download_button(t("download_csv"), partial(to_csv_bytes, df), file_name=safe_filename(name, "csv"),
                       mime="text/csv", key=f"{key}_csv")
    c2.download_button(t("download_xlsx"), partial(to_xlsx_bytes, {name[:31]: df}),
                       file_name=safe_filename(name, "xlsx"),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")


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
        st.table(shown.style.hide(axis="index"))
    else:
        config = {c: st.column_config.Column(width=w) for c, w in (widths or {}).items() if c in shown.columns}
        st.dataframe(shown, hide_index=True, width="stretch", key=key, column_config=config or None)


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

    A map that is only looked at is built and rendered to its HTML page once for these arguments and
    shared by every session (see `shared`): rendering is most of a map's cost on the server. A clickable
    one goes through st_folium, which reports the click; it is built per run, since st_folium changes
    the map it draws (a second draw of the same map object adds its layers again)."""
    from tsk import maps

    maps.offline_assets(st.get_option("server.baseUrlPath"))  # Leaflet under the app's sub-path, if any
    if not clickable:
        page = shared(_map_page, builder, *args, **kwargs)
        st.iframe(page, height=height, alt=alt)
        return None
    from streamlit_folium import st_folium

    returned = ["last_active_drawing", "last_object_clicked_tooltip"]
    result = st_folium(builder(*args, **kwargs), key=key, height=height, use_container_width=True,
                       returned_objects=returned)
    st.caption(t("map_keyboard"))  # the click has a keyboard equivalent: say where (WCAG 2.1.1)
    return result


def _map_page(builder, *args, **kwargs) -> str:
    """The map's whole HTML page, in Swedish (the frame is a document of its own for screen readers)."""
    from tsk import maps

    return maps.map_html(builder(*args, **kwargs)).replace("<html>", '<html lang="sv">', 1)


# --- access --------------------------------------------------------------------------------------------

def auth_configured() -> bool:
    """Whether login (Streamlit's OIDC, an [auth] section in .streamlit/secrets.toml) is set up."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: Streamlit raises its own error type
        return False


def current_user() -> dict | None:
    """The logged-in user's e-mail and groups, or None."""
    if not st.user.is_logged_in:
        return None
    claim = load_config().raw.get("access", {}).get("group_claim", "groups")
    groups = st.user.get(claim) or []
    return {"email": st.user.get("email"), "groups": [groups] if isinstance(groups, str) else list(groups)}


LOOPBACK_ADDRESSES = ("localhost", "127.0.0.1", "::1", "ip6-localhost")
# An operator who really wants the app on the network without login sets this: everyone is läsare.
ALLOW_ANONYMOUS_ENV = "TSK_ALLOW_ANONYMOUS_READONLY"


def listens_on_loopback_only() -> bool:
    """Whether Streamlit's server.address keeps the app on this computer (empty means every address)."""
    address = str(st.get_option("server.address") or "").strip().strip("[]").casefold()
    return address in LOOPBACK_ADDRESSES or address.startswith("127.")


def anonymous_network_allowed() -> bool:
    return os.environ.get(ALLOW_ANONYMOUS_ENV, "").strip() == "1"


def _only(view) -> None:
    """Show one view and nothing else: a hidden one-page navigation, so the sidebar never lists the
    page files of the app to someone who may not open them."""
    st.navigation([st.Page(view, title=t("app_title"), default=True)], position="hidden").run()
    st.stop()


# What [auth] in .streamlit/secrets.toml must hold for st.login (README, «Inloggning och behörighet»).
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


@st.cache_data(ttl=30, show_spinner=False)
def _provider_answers(metadata_url: str) -> bool:
    """Whether the identity provider's discovery document answers (Streamlit itself would answer an
    unreachable provider with a bare «Internal Server Error» after the click)."""
    import urllib.request

    try:
        with urllib.request.urlopen(metadata_url, timeout=5) as r:
            return r.status == 200
    except (OSError, ValueError):
        return False


def _login_view() -> None:
    st.title(t("app_title"))
    try:
        auth = dict(st.secrets["auth"])
    except Exception:  # noqa: BLE001 - no secrets file (a test's mocked login): nothing to check
        auth = {}
    missing = [k for k in AUTH_KEYS if auth and not str(auth.get(k) or "").strip()]
    if missing:  # Streamlit would raise its own English error at the click
        st.error(t("login_secrets_missing", keys=", ".join(missing)))
        return
    metadata_url = str(auth.get("server_metadata_url") or "")
    if metadata_url and not _provider_answers(metadata_url):
        st.error(t("login_provider_unreachable"))
        return
    st.info(t("login_needed"))
    st.button(t("login_button"), on_click=st.login, type="primary")
    # Streamlit sends a failed sign-in (a wrong client secret, a refused consent) back here without a word.
    st.caption(t("login_failed_hint"))


def _refused_view() -> None:
    st.title(t("app_title"))
    st.error(t("anon_network_refused", env=ALLOW_ANONYMOUS_ENV))


def current_role() -> str:
    """The user's role. Without login configured the app is meant for this computer only: whoever sits
    at it is admin, as long as Streamlit listens on loopback. Listening on the network without login
    serves nothing, unless the operator explicitly allowed read-only access (then everyone is läsare).
    With login configured, an anonymous visitor sees only the login."""
    from tsk import access

    if not auth_configured():
        if listens_on_loopback_only():
            return "admin"
        if anonymous_network_allowed():
            return "läsare"
        _only(_refused_view)
    user = current_user()
    if user is None:
        _only(_login_view)
    return access.role_for(user["email"], user["groups"], load_config())


def access_banner() -> str:
    """The sidebar line saying truthfully who can reach the app and as what."""
    if auth_configured():
        return ""
    return t("banner_local") if listens_on_loopback_only() else t("banner_network_readonly")


def page(key: str, *, with_sidebar: bool = True, needs_store: bool = True) -> tuple[Selection | None, object, str]:
    """Every page's preamble: the database (or a clear message), the role's access, the shared sidebar
    and the config. Returns (selection, config, role); the selection is None without the sidebar. A page
    that reads no data (the accessibility statement) opens without a database."""
    if needs_store:
        require_store()
    else:
        ensure_app()
    role = require_page(key)
    if with_sidebar:
        sel = sidebar()
    else:
        sel = None
        keep_meeting_without_sidebar()
    return sel, config(), role


def require_page(page: str) -> str:
    """Stop the page unless the user's role may open it; return the role."""
    from tsk import access

    role = current_role()
    if not access.may_open(role, page):
        st.error(t("no_access"))
        st.stop()
    return role


def may(role: str, action: str) -> bool:
    from tsk import access

    return access.may(role, action)
