"""The one Streamlit-aware tsk module: cached store reads, shared sidebar, error rendering.

The app reads through one shared read-only snapshot of the database file (tsk.db.Snapshot), a cursor per
question. Writers replace the file rather than change it, so a scheduled import can write while the app
is running; the cache keys include the file's inode and modification time, so new data shows on the next
rerun.
"""
from __future__ import annotations

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
from tsk.selection import Selection, default_selection, from_query_params, to_query_params


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
    st.error(error.message)


_navigation = __import__("threading").local()


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
    from tsk.db import SCHEMA_VERSION

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
    from tsk import candidates, scoring

    v = load_config().vandring
    evidence = compute(candidates.candidate_evidence, level=level)
    return scoring.score_candidates(evidence, dict(weights), v.caps, alpha=v.alpha,
                                    centralort_interval_months=v.centralort_interval_months)


def scored_candidates(level: str, weights: dict) -> pd.DataFrame:
    """Candidates for a trygghetsvandring scored with these weights, cached per (data, level, weights):
    the weights are widgets, and every other widget on the page reruns it too."""
    path = db_path()
    return _scored(str(path), _stamp(path), level, tuple(sorted(weights.items())))


def _week_options(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    from datetime import timedelta

    from tsk.parsing import week_monday

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
    years = ask("years_present") or [pd.Timestamp.today().year]
    latest = ask("latest_week")
    first_week = ask("first_week") or latest
    areas = [a.name for a in cfg.areas]
    orgs = [o.name for o in cfg.organisations]
    default = default_selection(years=years, latest_week=latest, areas=areas, organisations=orgs,
                                first_week=first_week)
    current = from_query_params(dict(st.query_params), default, years=years, areas=areas, organisations=orgs)
    week_options = _week_options(first_week, latest) if latest else []
    # A shared link may name weeks or years the data no longer covers: fall back to the default.
    from dataclasses import replace as _replace

    if week_options and not {current.week_from, current.week_to} <= set(week_options):
        current = _replace(current, week_from=default.week_from, week_to=default.week_to)
    if not {current.year_from, current.year_to} <= set(years):
        current = _replace(current, year_from=default.year_from, year_to=default.year_to)

    with st.sidebar:
        st.header(t("sidebar_heading"))
        meeting = st.toggle(t("sidebar_meeting"), value=current.meeting, key="sel_meeting",
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
                                      placeholder=t("sidebar_areas_placeholder"))
        chosen_orgs = st.multiselect(t("sidebar_orgs"), orgs, default=list(current.organisations), key="sel_orgs")
        police = st.checkbox(t("sidebar_police"), value=current.police, key="sel_police")
        st.caption(t("sidebar_link_hint"))
    sel = Selection(year_from, year_to, tuple(week_from), tuple(week_to), tuple(chosen_areas or areas),
                    tuple(chosen_orgs or orgs), police, meeting)
    wanted = to_query_params(sel, default)
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
    if meeting:
        meeting_css()
    return sel


def meeting_css() -> None:
    """Projector view: larger type everywhere (charts set their own sizes)."""
    st.markdown(
        """<style>
        [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; }
        [data-testid="stWidgetLabel"] p { font-size: 1.2rem; }
        [data-testid="stMetricValue"] { font-size: 3.2rem; }
        [data-testid="stMetricLabel"] p { font-size: 1.4rem; }
        h1 { font-size: 3rem !important; } h2 { font-size: 2.3rem !important; } h3 { font-size: 1.8rem !important; }
        [data-testid="stCaptionContainer"] { font-size: 1.1rem; }
        </style>""",
        unsafe_allow_html=True,
    )


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


def chart_with_table(fig, table: pd.DataFrame, *, name: str, key: str, meeting: bool) -> None:
    """A chart, its table view (the text alternative) and downloads of the table."""
    st.plotly_chart(fig, key=f"{key}_chart", config={"displaylogo": False, "locale": "sv"})
    with st.expander(t("table_view"), expanded=False):
        st.dataframe(table, hide_index=True, width="stretch")
        download_buttons(table, name, key)


def show_map(m, *, key: str, height: int = 520, clickable: bool = False) -> dict | None:
    """Draw a folium map. Only a clickable map sends anything back (each interaction reruns the page)."""
    from streamlit_folium import st_folium

    returned = ["last_active_drawing", "last_object_clicked_tooltip"] if clickable else []
    return st_folium(m, key=key, height=height, use_container_width=True, returned_objects=returned)


# --- writing: the register form and uploads ---------------------------------------------------------------

def write(fn):
    """Run `fn(store)` against a writable store (one short transaction; the cache refreshes itself,
    since it is keyed on the database file's modification time)."""
    from tsk.backup import atomic_write

    with atomic_write(db_path()) as work, open_store(work, config=load_config()) as store:
        return fn(store)


def import_upload(source: str, *, key: str, types: list[str]) -> None:
    """Upload a file and import it through the ordinary importer (same checks, same import log)."""
    import tempfile
    from pathlib import Path as _Path

    from tsk.importers import run_import

    upload = st.file_uploader(t("upload_label"), type=types, key=key)
    if upload is None or not st.button(t("upload_import"), key=f"{key}_go"):
        return
    name = _Path(upload.name).name or f"upload.{types[0]}"
    with tempfile.TemporaryDirectory(prefix="tsk_upload_") as tmp:
        path = _Path(tmp) / name
        path.write_bytes(upload.getvalue())
        try:
            outcome = run_import(source, path, db=db_path())
        except TskError as e:
            show_error(e)
            return
    if outcome.already_imported:
        st.info(t("import_already", file=outcome.file_name, import_id=outcome.import_id))
    else:
        st.success(t("import_done", source=t(f"source_{source}"), file=outcome.file_name, accepted=outcome.accepted,
                     quarantined=outcome.quarantined))


def walk_form(cfg) -> None:
    """Plan or record a walk: the walk, what was seen per place, and the measures. Validated by
    tsk.walks before anything is written; free text is redacted before storage."""
    from datetime import date as _date

    from tsk import walks

    v = cfg.vandring
    ort = st.selectbox(t("col_ort"), [o.name for o in cfg.orter], key="vf_ort")
    places = [p.name for p in cfg.platser if p.ort == ort]
    checklist = list(v.checklist)
    with st.form("walk_form"):
        c1, c2 = st.columns(2)
        walk_date = c1.date_input(t("col_date"), value=_date.today(), format="YYYY-MM-DD", key="vf_date")
        status = c2.selectbox(t("col_status"), list(walks.WALK_STATUSES), key="vf_status")
        route = st.multiselect(t("vr_route"), places, key="vf_route")
        st.markdown(t("vf_participants", max=v.max_participants))
        cols = st.columns(len(v.roles) or 1)
        participants = {role: cols[i].number_input(label, min_value=0, max_value=99, value=0, step=1,
                                                   key=f"vf_role_{role}")
                        for i, (role, label) in enumerate(v.roles.items())}
        c3, c4 = st.columns(2)
        followup = c3.date_input(t("vf_followup"), value=None, format="YYYY-MM-DD", key="vf_followup")
        notes = c4.text_area(t("vf_notes"), key="vf_notes", help=t("vf_notes_help"))
        st.markdown(t("vf_observations"))
        obs_frame = st.data_editor(
            pd.DataFrame({"plats": pd.Series(dtype="string"), "problem": pd.Series(dtype="string"),
                          **{c.key: pd.Series(dtype="bool") for c in checklist}}),
            num_rows="dynamic", key="vf_obs", width="stretch",
            column_config={"plats": st.column_config.SelectboxColumn(t("col_plats"), options=places),
                           "problem": st.column_config.TextColumn(t("vr_col_problem"), required=True),
                           **{c.key: st.column_config.CheckboxColumn(c.label) for c in checklist}})
        st.markdown(t("vf_measures"))
        measure_frame = st.data_editor(
            pd.DataFrame({"plats": pd.Series(dtype="string"), "beskrivning": pd.Series(dtype="string"),
                          "ansvarig": pd.Series(dtype="string"), "beslutsvag": pd.Series(dtype="string"),
                          "klart_senast": pd.Series(dtype="datetime64[ns]"), "status": pd.Series(dtype="string"),
                          "klart_datum": pd.Series(dtype="datetime64[ns]")}),
            num_rows="dynamic", key="vf_measures", width="stretch",
            column_config={
                "plats": st.column_config.SelectboxColumn(t("col_plats"), options=places),
                "beskrivning": st.column_config.TextColumn(t("vr_col_measure"), required=True),
                "ansvarig": st.column_config.SelectboxColumn(t("vr_col_owner"), options=list(v.owners), required=True),
                "beslutsvag": st.column_config.SelectboxColumn(t("vr_col_path"), options=list(v.decision_paths),
                                                               required=True),
                "klart_senast": st.column_config.DateColumn(t("vr_col_due"), format="YYYY-MM-DD"),
                "status": st.column_config.SelectboxColumn(t("col_status"), options=list(v.statuses), required=True),
                "klart_datum": st.column_config.DateColumn(t("vr_col_completed"), format="YYYY-MM-DD"),
            })
        submitted = st.form_submit_button(t("vf_save"), type="primary")
    if not submitted:
        return

    def day(value):
        return None if value is None or pd.isna(value) else pd.Timestamp(value).date()

    area = next(o.area for o in cfg.orter if o.name == ort)
    walk = walks.Walk(ort=ort, area=area, walk_date=walk_date, status=status, route=list(route),
                      participants={k: int(n) for k, n in participants.items() if n}, followup_date=followup,
                      followup_notes=notes or None)
    observations = [
        walks.Observation(i + 1, None if pd.isna(r["plats"]) else r["plats"], "" if pd.isna(r["problem"]) else r["problem"],
                          [c.key for c in checklist if bool(r.get(c.key))])
        for i, r in enumerate(obs_frame.to_dict("records"))]
    measures = [
        walks.Measure(ort=ort, place=None if pd.isna(r["plats"]) else r["plats"],
                      description="" if pd.isna(r["beskrivning"]) else r["beskrivning"],
                      owner="" if pd.isna(r["ansvarig"]) else r["ansvarig"],
                      decision_path="" if pd.isna(r["beslutsvag"]) else r["beslutsvag"],
                      due_date=day(r["klart_senast"]), status="" if pd.isna(r["status"]) else r["status"],
                      completed_date=day(r["klart_datum"]))
        for r in measure_frame.to_dict("records")]
    try:
        walks.validate(walk, observations, measures, cfg)
    except TskError as e:
        show_error(e)
        return
    walk, observations, measures = walks.redact_all(walk, observations, measures)
    write(lambda store: store.save_walk(*walks.to_store_rows(walk, observations, measures)))
    st.success(t("vf_saved", ort=ort, date=walk_date))


def measure_status_form(cfg, walk_id: int) -> None:
    """Update one measure of a walk: its status and, when done, the date it was completed."""
    from datetime import date as _date
    from dataclasses import replace as _replace

    from tsk import walks

    found = ask("walk", walk_id=int(walk_id))
    if found is None:
        return
    walk, observations, measures = walks.from_store_rows(*found)
    if not measures:
        return
    v = cfg.vandring
    with st.form(f"measure_form_{walk_id}"):
        index = st.selectbox(t("vr_col_measure"), range(len(measures)), format_func=lambda i: measures[i].description,
                             key=f"mf_measure_{walk_id}")
        status = st.selectbox(t("col_status"), list(v.statuses), key=f"mf_status_{walk_id}")
        completed = st.date_input(t("vr_col_completed"), value=None, format="YYYY-MM-DD", key=f"mf_done_{walk_id}")
        submitted = st.form_submit_button(t("mf_save"))
    if not submitted:
        return
    changed = _replace(measures[index], status=status,
                       completed_date=completed if status == "klar" else None)
    updated = [changed if i == index else m for i, m in enumerate(measures)]
    try:
        walks.validate(walk, observations, updated, cfg, today=_date.today())
    except TskError as e:
        show_error(e)
        return
    write(lambda store: store.save_walk(*walks.to_store_rows(walk, observations, updated)))
    st.success(t("mf_saved", measure=changed.description, status=status))


def meeting_form(cfg, sel, ranked) -> None:
    """Record a meeting: date, participating organisations (roles), notes (redacted) and a frozen snapshot
    of the figures for the selected period."""
    import json as _json
    from datetime import date as _date

    from tsk import meeting as mtg
    from tsk.text import redact

    with st.form("meeting_form"):
        when = st.date_input(t("col_date"), value=_date.today(), format="YYYY-MM-DD", key="mt_date")
        orgs = st.multiselect(t("ag_meeting_orgs"), [o.name for o in cfg.organisations],
                              default=[o.name for o in cfg.organisations], key="mt_orgs")
        notes = st.text_area(t("ag_meeting_notes"), key="mt_notes", help=t("vf_notes_help"))
        submitted = st.form_submit_button(t("ag_meeting_save"), type="primary")
    if not submitted:
        return
    if not orgs:
        st.error(t("ag_meeting_no_orgs"))
        return

    def save(store):
        snap = mtg.snapshot(store, cfg, areas=sel.areas, orgs=sel.organisations, week_from=sel.week_start_from,
                            week_to=sel.week_start_to, candidates=ranked)
        return store.save_meeting({"meeting_date": when, "period_from": sel.week_start_from,
                                   "period_to": sel.week_start_to, "organisations": _json.dumps(orgs, ensure_ascii=False),
                                   "notes": redact(notes) or None, "snapshot": _json.dumps(snap, ensure_ascii=False)})

    write(save)
    st.success(t("ag_meeting_saved", date=when))


def proposal_form(cfg, sel) -> None:
    """A new proposal from the åtgärdsanalys (or from Träffpunkt dialogue), with the evidence it rests on."""
    import json as _json

    from tsk import analysis
    from tsk.text import redact

    v = cfg.vandring
    changes = compute(analysis.since_last_meeting, areas=sel.areas, orgs=sel.organisations, recent_weeks=4)
    evidence_options = [f"{r.label}: {r.text}" for r in changes[changes["notable"]].itertuples()] if not changes.empty else []
    with st.form("proposal_form"):
        c1, c2, c3 = st.columns(3)
        origin = c1.selectbox(t("ag_origin"), ["analysgrupp", "traffpunkt", "trygghetsvandring"],
                              format_func=lambda o: t(f"ag_origin_{o}"), key="pf_origin")
        area = c2.selectbox(t("col_area"), [a.name for a in cfg.areas], key="pf_area")
        category = c3.selectbox(t("col_category"), [c.key for c in cfg.categories],
                                format_func=analysis.category_labels(cfg).get, key="pf_category")
        place = st.text_input(t("col_plats"), key="pf_place")
        description = st.text_area(t("vr_col_measure"), key="pf_description", help=t("vf_notes_help"))
        evidence = st.multiselect(t("ag_evidence"), evidence_options, key="pf_evidence")
        c4, c5, c6, c7 = st.columns(4)
        owner = c4.selectbox(t("vr_col_owner"), list(v.owners), key="pf_owner")
        path = c5.selectbox(t("vr_col_path"), list(v.decision_paths), key="pf_path")
        due = c6.date_input(t("vr_col_due"), value=None, format="YYYY-MM-DD", key="pf_due")
        status = c7.selectbox(t("col_status"), list(v.statuses), key="pf_status")
        submitted = st.form_submit_button(t("ag_proposal_save"), type="primary")
    if not submitted:
        return
    if not description.strip():
        st.error(t("ag_proposal_empty"))
        return
    ort = next((o.name for o in cfg.orter if o.area == area and o.name in (place or "")), None)
    write(lambda store: store.save_proposal({
        "measure_id": None, "origin": origin, "area": area, "ort": ort, "place": redact(place) or None,
        "category": category, "description": redact(description), "evidence": _json.dumps(evidence, ensure_ascii=False),
        "owner": owner, "decision_path": path, "due_date": due, "status": status}))
    st.success(t("ag_proposal_saved"))


def proposal_update_form(cfg, measures: pd.DataFrame) -> None:
    """Change a proposal's status, decision and completion; every change is kept in the history."""
    from tsk.text import redact

    v = cfg.vandring
    label = {r.measure_id: f"{r.measure_id}: {r.description}" for r in measures.itertuples()}
    with st.form("proposal_update"):
        chosen = st.selectbox(t("vr_col_measure"), list(label), format_func=label.get, key="pu_id")
        c1, c2, c3 = st.columns(3)
        status = c1.selectbox(t("col_status"), list(v.statuses), key="pu_status")
        decided = c2.date_input(t("ag_col_decided"), value=None, format="YYYY-MM-DD", key="pu_decided")
        completed = c3.date_input(t("vr_col_completed"), value=None, format="YYYY-MM-DD", key="pu_completed")
        outcome = st.text_input(t("ag_col_outcome"), key="pu_outcome")
        submitted = st.form_submit_button(t("ag_update_save"), type="primary")
    history = ask("measure_history", measure_id=int(chosen))
    st.dataframe(history.rename(columns={"changed_at": t("ag_col_changed"), "status": t("col_status"),
                                         "note": t("ag_col_note")})[[t("ag_col_changed"), t("col_status"),
                                                                     t("ag_col_note")]],
                 hide_index=True, width="stretch")
    if not submitted:
        return
    row = measures[measures["measure_id"] == chosen].iloc[0].to_dict()
    clean = {k: (None if not isinstance(v_, (list, dict)) and pd.isna(v_) else v_) for k, v_ in row.items()}
    clean.update(status=status, decision_date=decided or clean.get("decision_date"),
                 outcome=redact(outcome) or clean.get("outcome"),
                 completed_date=completed if status == "klar" else None)
    write(lambda store: store.save_proposal(clean))
    st.success(t("ag_update_saved"))


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


def current_role() -> str:
    """The user's role. Without login configured the app only listens on localhost, so whoever sits
    at this computer is admin. With login configured, an anonymous visitor sees only the login."""
    from tsk import access

    if not auth_configured():
        return "admin"
    user = current_user()
    if user is None:
        st.title(t("app_title"))
        st.info(t("login_needed"))
        st.button(t("login_button"), on_click=st.login, type="primary")
        st.stop()
    return access.role_for(user["email"], user["groups"], load_config())


def page(key: str, *, with_sidebar: bool = True) -> tuple[Selection | None, object, str]:
    """Every page's preamble: the database (or a clear message), the role's access, the shared sidebar
    and the config. Returns (selection, config, role); the selection is None without the sidebar."""
    require_store()
    role = require_page(key)
    sel = sidebar() if with_sidebar else None
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
