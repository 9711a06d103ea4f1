"""Översikt: what the store holds, per area, with the latest period of each source."""
import streamlit as st

from tsk import ui
from tsk.i18n import t

ui.require_store()
cfg = ui.config()
st.title(t("oversikt_title", kommun=cfg.name))
st.caption(t("oversikt_intro"))

counts = ui.ask("counts")
periods = ui.ask("source_periods")
week = periods["lagesbild"]
cols = st.columns(4)
cols[0].metric(t("metric_lagesbild"), ui.format_int(counts["lagesbild"]),
               help=t("metric_lagesbild_help"))
cols[0].caption(t("latest_week", year=week[0], week=week[1]) if week else t("no_data"))
cols[1].metric(t("metric_survey"), ui.format_int(counts["survey"]))
cols[1].caption(t("latest_year", year=periods["survey"]) if periods["survey"] else t("no_data"))
cols[2].metric(t("metric_traffpunkt"), ui.format_int(counts["traffpunkt"]))
cols[2].caption(t("latest_round", round=periods["traffpunkt"]) if periods["traffpunkt"] else t("no_data"))
cols[3].metric(t("metric_police"), ui.format_int(counts["police"]))
cols[3].caption(t("latest_date", date=periods["police"]) if periods["police"] else t("no_data"))

st.subheader(t("areas_heading"))
problem = [c.key for c in cfg.categories if c.problem]
areas = ui.ask("area_overview", problem_categories=tuple(problem), weeks=12)
table = areas.assign(
    per_1000=areas["per_1000"].map(ui.format_decimal),
    population=areas["population"].map(lambda n: ui.format_int(n) if n == n and n is not None else "–"),
    note=[
        ", ".join(x for x in (t("note_assumption") if a else "", t("note_schematic") if s else "") if x)
        for a, s in zip(areas["assumption"], areas["schematic"])
    ],
)[["area", "population", "reports", "per_1000", "reporters", "note"]]
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "area": t("col_area"),
        "population": t("col_population"),
        "reports": t("col_reports_12w"),
        "per_1000": t("col_per_1000"),
        "reporters": t("col_reporters"),
        "note": t("col_note"),
    },
)
st.caption(t("areas_caption"))

if counts["quarantine"]:
    st.warning(t("quarantine_banner", n=ui.format_int(counts["quarantine"])))
