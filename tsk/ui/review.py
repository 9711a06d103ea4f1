"""The Data page's forms: uploads (with a preview of what an import would do) and the review of new
place names and quarantined rows, each decision one write (tsk.ingest.corrections)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from tsk.config import db_path, load_config
from tsk.errors import TskError
from tsk.i18n import t
from tsk.ingest.dedup import DOUBLE_KEYS
from tsk.ingest.run import run_import
from tsk.safe_text import lit, say
from tsk.ui import gate, reads
from tsk.ui.cache import _stamp
from tsk.ui.display import show_error


def upload_limits(types: list[str]) -> str:
    """The upload's limits in Swedish (Streamlit writes its own «… MB per file» in English, hidden by
    tsk.ui.sidebar.BASE_CSS): the size from the server's maxUploadSize and the file types accepted."""
    return t("upload_limits", mb=st.get_option("server.maxUploadSize"),
             types=", ".join(x.upper() for x in types))


def _with_upload(name: str, data: bytes, fn):
    """fn(path) on the uploaded bytes written to a temporary file under the upload's own name."""

    with tempfile.TemporaryDirectory(prefix="tsk_upload_") as tmp:
        path = Path(tmp) / (Path(name).name or "upload")
        path.write_bytes(data)
        return fn(path)


def _preview(source: str, name: str, data: bytes, mapping: str | None, name_field: str | None):
    """What an import of the upload would do: (accepted, quarantined rows) or the Swedish rejection."""
    return _cached_preview(source, name, data, mapping, name_field, _stamp(db_path()))


@st.cache_data(show_spinner=False, max_entries=8)
def _cached_preview(source: str, name: str, data: bytes, mapping: str | None, name_field: str | None, stamp):
    """Cached per file, choice and store state (`stamp`): every click on the page reruns it, a big file
    parses for seconds, and the doubles of in-app reports depend on the store."""
    from tsk.ingest.run import preview

    try:
        batch, _ = _with_upload(name, data, lambda path: preview(
            source, path, db=db_path(), config=load_config(), mapping=mapping and Path(mapping),
            name_field=name_field))
    except TskError as e:
        return None, e.message
    return (batch.accepted, [(q.row_number, q.reason) for q in batch.quarantine]), None


def _import(source: str, name: str, data: bytes, mapping: str | None = None, name_field: str | None = None) -> None:
    """Import the upload through the ordinary importer (same checks, same import log) and say how it went."""

    try:
        outcome = _with_upload(name, data, lambda path: run_import(
            source, path, db=db_path(), config=load_config(), mapping=mapping and Path(mapping),
            name_field=name_field))
    except TskError as e:
        show_error(e)
        return
    if outcome.already_imported:
        st.info(say("import_already", file=outcome.file_name, import_id=outcome.import_id))
    else:
        st.success(say("import_done", source=t(f"source_{source}"), file=outcome.file_name, accepted=outcome.accepted,
                     quarantined=outcome.quarantined))
        from tsk.importers import new_place_names

        if new_place_names(outcome.notes):
            st.info(t("rv_new_names_after_import", n=new_place_names(outcome.notes)))


def import_upload(source: str, *, key: str, types: list[str]) -> None:
    """Upload a file and import it at once (the walk protocol: one small file the form wrote)."""
    upload = st.file_uploader(t("upload_label"), help=upload_limits(types), type=types, key=key)
    if upload is not None and st.button(t("upload_import"), key=f"{key}_go"):
        _import(source, upload.name or f"upload.{types[0]}", upload.getvalue())


def upload_with_preview(source: str, mapping: str | None, name_field: str | None, *, key: str, types: list[str]) -> None:
    """Upload a file, show what an import would do (rows accepted, rows to quarantine and why), and
    import it on confirmation."""
    upload = st.file_uploader(t("upload_label"), help=upload_limits(types), key=key, type=types)
    if upload is None:
        return
    data = upload.getvalue()
    preview, error = _preview(source, upload.name, data, mapping, name_field)
    if error:
        st.error(lit(error))
        return
    accepted, quarantine = preview
    st.info(t("data_preview", accepted=accepted, quarantined=len(quarantine)))
    if quarantine:
        st.markdown(f"**{t('data_preview_quarantine')}**")
        st.dataframe(pd.DataFrame([{t("col_row"): row, t("col_reason"): reason} for row, reason in quarantine[:500]]),
                     hide_index=True, width="stretch")
    if st.button(t("data_confirm"), type="primary", key=f"{key}_confirm"):
        _import(source, upload.name, data, mapping, name_field)


# --- review of new names (Data page) ------------------------------------------------------------------------

def _actor() -> str:
    """Who takes a review decision: the logged-in user's e-mail, else the local admin."""
    user = gate.current_user() if gate.auth_configured() else None
    return (user or {}).get("email") or t("rv_actor_local")


def _decide(fn) -> None:
    """Run a review decision (one write) and say how it went, in Swedish, with data shown as text."""

    try:
        outcome = fn()
    except TskError as e:
        show_error(e)
        return
    st.success(lit(outcome.message))


def review_places_form(cfg) -> None:
    """One line per distinct free-typed place name (with ort, rows, first and last week) and the three
    bulk actions: alias of a place, a new place (clicked on the map or typed coordinates), or kept at
    ort level. The decision applies to every stored row with that name and to the next imports."""
    from streamlit_folium import st_folium

    from tsk import maps
    from tsk.ingest import corrections

    review = reads.review_list()
    names = review["places"]
    if not names:
        st.success(t("rv_places_none"))
        return
    st.dataframe(pd.DataFrame([{
        t("rv_col_name"): e["name"], t("col_ort"): e["ort"] or f"({e['area']})", t("rv_col_rows"): e["reports"],
        t("rv_col_submissions"): e["submissions"], t("rv_col_first"): corrections.week_label(e["first_week"]),
        t("rv_col_last"): corrections.week_label(e["last_week"])} for e in names]), hide_index=True, width="stretch")
    orter = reads.orter_reference()
    i = st.selectbox(t("rv_choose_name"), range(len(names)), key="rv_name",
                     format_func=lambda i: t("rv_name_label", name=names[i]["name"],
                                             ort=names[i]["ort"] or names[i]["area"], n=names[i]["reports"]), placeholder=t("choose_option"))
    entry = names[i]
    in_area = orter[orter["area"] == entry["area"]]["name"].tolist()
    ort = entry["ort"] or st.selectbox(t("rv_choose_ort"), in_area, key="rv_ort", placeholder=t("choose_option"))
    if not ort:
        return
    action = st.radio(t("rv_action"), ["alias", "create", "keep"], horizontal=True, key="rv_action",
                      format_func=lambda a: t(f"rv_action_{a}"))
    places = reads.places_reference()
    here = places[places["ort"] == ort]
    if action == "alias":
        if here.empty:
            st.info(t("rv_no_places", ort=ort))
            return
        options = entry["suggestions"] + [p for p in here["name"].tolist() if p not in entry["suggestions"]]
        target = st.selectbox(t("rv_alias_target"), options, key=f"rv_target_{i}", placeholder=t("choose_option"))
        if st.button(t("rv_do_alias"), type="primary", key="rv_go_alias"):
            _decide(lambda: corrections.decide_place(db_path(), cfg, "alias", entry["name"], ort, target=target,
                                                     actor=_actor()))
    elif action == "create":
        new_name = st.text_input(t("rv_new_name"), value=entry["name"], key=f"rv_new_name_{i}")
        o = orter[orter["name"] == ort].iloc[0]
        picked = st.session_state.get("rv_picked")
        st.caption(t("rv_map_hint"))
        result = st_folium(maps.position_map((ort, float(o["lat"]), float(o["lon"])), here, picked), key="rv_map",
                           height=360, use_container_width=True, returned_objects=["last_clicked"])
        click = (result or {}).get("last_clicked")
        if click and (round(click["lat"], 6), round(click["lng"], 6)) != picked:
            st.session_state["rv_picked"] = (round(click["lat"], 6), round(click["lng"], 6))
            st.session_state["rv_lat"], st.session_state["rv_lon"] = st.session_state["rv_picked"]
            st.rerun()
        c1, c2 = st.columns(2)
        lat = c1.number_input(t("rv_lat"), value=float(o["lat"]), format="%.6f", key="rv_lat")
        lon = c2.number_input(t("rv_lon"), value=float(o["lon"]), format="%.6f", key="rv_lon")
        st.caption(t("rv_approximate"))
        if st.button(t("rv_do_create"), type="primary", key="rv_go_create"):
            st.session_state.pop("rv_picked", None)
            _decide(lambda: corrections.decide_place(db_path(), cfg, "create", entry["name"], ort, target=new_name,
                                                     lat=lat, lon=lon, actor=_actor()))
    elif st.button(t("rv_do_keep"), type="primary", key="rv_go_keep"):
        _decide(lambda: corrections.decide_place(db_path(), cfg, "keep", entry["name"], ort, actor=_actor()))


def review_quarantine_form(cfg) -> None:
    """Quarantined rows grouped by source, reason and value, with a bulk action per group: an unknown
    ort spelling becomes an alias of an ort, an unknown reporter a reporting unit, anything else one
    corrected value for every row of the group. The rows are imported again in the same write."""

    from tsk.ingest import corrections

    groups = reads.review_list()["quarantine"]
    if not groups:
        st.success(t("data_quarantine_none"))
        return
    st.dataframe(pd.DataFrame([{
        t("data_source"): t(f"source_{g['source']}"), t("col_reason"): g["reason"], t("rv_col_rows"): g["rows"]}
        for g in groups]), hide_index=True, width="stretch")
    i = st.selectbox(t("rv_choose_group"), range(len(groups)), key="rv_group",
                     format_func=lambda i: t("rv_group_label", value=groups[i]["value"] or groups[i]["reason"][:60],
                                             n=groups[i]["rows"]), placeholder=t("choose_option"))
    g = groups[i]
    st.warning(lit(g["reason"]))
    suggestions = g["suggestions"]
    if g["reason_key"] == "unknown_ort":
        orter = reads.orter_reference()["name"].tolist()
        options = suggestions + [o for o in orter if o not in suggestions]
        # every source's rows with this spelling are imported again (survey, Träffpunkt, lägesbild)
        n = sum(x["rows"] for x in groups if x["reason_key"] == "unknown_ort" and x["value"] == g["value"])
        target = st.selectbox(t("rv_ort_alias_target"), options, key=f"rv_ort_target_{i}", placeholder=t("choose_option"))
        if st.button(t("rv_do_ort_alias", n=n), type="primary", key="rv_go_ort"):
            _decide(lambda: corrections.decide_ort_alias(db_path(), cfg, g["value"], target, actor=_actor()))
        return
    if g["reason_key"] == "unknown_reporter" and cfg.reporting_units:
        units = [u.name for u in cfg.reporting_units]
        options = suggestions + [u for u in units if u not in suggestions] + [t("rv_new_unit")]
        unit = st.selectbox(t("rv_unit_target"), options, key=f"rv_unit_{i}", placeholder=t("choose_option"))
        organisation = None
        if unit == t("rv_new_unit"):
            unit = st.text_input(t("rv_new_unit_name"), key="rv_unit_name")
            organisation = st.selectbox(t("col_organisation"), [o.name for o in cfg.organisations], key="rv_unit_org", placeholder=t("choose_option"))
        if unit and st.button(t("rv_do_assign", n=g["rows"]), type="primary", key="rv_go_unit"):
            _decide(lambda: corrections.assign_reporter(db_path(), cfg, g["value"], unit, organisation=organisation,
                                                        actor=_actor()))
        return
    rows = reads.quarantine_group(source=g["source"], reason_key=g["reason_key"], value=g["value"],
                                  reason=g["reason"])
    if rows and g["reason_key"] in DOUBLE_KEYS:
        # A double of an in-app report: usually the same report written twice, closed as such; a report of
        # another place is corrected below instead.
        st.caption(t("rv_doubles_caption"))
        if st.button(t("rv_do_confirm_doubles", n=len(rows)), key=f"rv_go_doubles_{i}"):
            try:
                closed = corrections.confirm_doubles(db_path(), cfg, rows, actor=_actor())
            except TskError as e:
                show_error(e)
            else:
                st.success(t("rv_doubles_done", n=closed))
            return
    original = json.loads(rows[0]["original_row"]) if rows else {}
    columns = list(original)
    guessed = corrections.guess_column(original, g["reason"]) if original else None
    with st.form(f"rv_fix_{i}"):
        column = st.selectbox(t("data_column"), columns, index=columns.index(guessed) if guessed else 0, placeholder=t("choose_option"))
        value = st.selectbox(t("data_value"), suggestions, accept_new_options=True, placeholder=t("choose_or_add_option")) if suggestions else \
            st.text_input(t("data_value"))
        fix = st.form_submit_button(t("rv_do_fix", n=len(rows)), type="primary")
    if fix and value and rows:
        try:
            got = corrections.reimport_corrected_many(db_path(), cfg, rows, column, value, actor=_actor())
        except TskError as e:
            show_error(e)
        else:
            st.success(t("bulk_fix_done", rows=got.rows, accepted=got.accepted, quarantined=got.quarantined))
