"""Trygghetsvandring page tables: the candidate list (top and all), the walk register, one walk's
observations and measures, and the effect of completed measures, with Swedish headers.

No Streamlit and no SQL: the candidates come from tsk.pagedata.candidates and tsk.pagedata.scoring, the
register from the store's named queries (tsk.store.registers) as tsk.registers models. Mötesläge (`meeting`) leaves out the free texts.
"""
from __future__ import annotations

import pandas as pd

from tsk.i18n import t
from tsk.pagedata import scoring
from tsk.pagedata.scoring import COMPONENT_LABELS, COMPONENTS
from tsk.registers.walks import participants_total


def _contrib_columns() -> list[str]:
    return [f"contrib_{k}" for k in COMPONENTS]


def contribution_rows(top: pd.DataFrame) -> pd.DataFrame:
    """The shown candidates' totals and contributions for the chart (no list columns to key on)."""
    return top[["unit", "total", *_contrib_columns()]]


def candidate_table(top: pd.DataFrame) -> pd.DataFrame:
    """The top candidates as the chart's table: rank, unit, total and each component's points (2 decimals)."""
    return top[["rank", "unit", "total", *_contrib_columns()]].round(2).rename(
        columns={"rank": t("col_rank"), "unit": t("col_unit"), "total": t("col_total"),
                 **{f"contrib_{k}": COMPONENT_LABELS[k] for k in COMPONENTS}})


def candidates_on_map(top: pd.DataFrame, where: pd.DataFrame) -> pd.DataFrame:
    """The top candidates with a position (candidates.unit_positions) as map points: the total as the
    point's size (at least 1), an unknown precision as approximate."""
    on_map = top.drop(columns="reasons").merge(where, on="unit", how="left").dropna(subset=["lat", "lon"])
    return on_map.assign(reports=on_map["total"].round().astype(int).clip(lower=1),
                         approximate=on_map["approximate"].fillna(True).astype(bool))


def all_candidates_table(scored: pd.DataFrame) -> pd.DataFrame:
    """Every scored unit: rank, unit, area, status, total, the reasons in one cell and the uncertainty."""
    return scored.assign(reasons=scored["reasons"].map(lambda rs: " · ".join(rs)),
                         status=scored["status"].map(scoring.STATUS_WORDS))[
        ["rank", "unit", "area", "status", "total", "reasons", "uncertainty"]].rename(columns={
            "rank": t("col_rank"), "unit": t("col_unit"), "area": t("col_area"), "status": t("col_status"),
            "total": t("col_total"), "reasons": t("col_reasons"), "uncertainty": t("col_uncertainty")})


def register_table(register: pd.DataFrame) -> pd.DataFrame:
    """The walk register as shown: date, ort, status, participants (in total), observations, measures
    and measures done."""
    return register.assign(
        participants=register["participants"].map(participants_total))[
        ["walk_date", "ort", "status", "participants", "observations", "measures", "measures_done"]].rename(
        columns={"walk_date": t("col_date"), "ort": t("col_ort"), "status": t("col_status"),
                 "participants": t("vr_col_participants"), "observations": t("vr_col_observations"),
                 "measures": t("vr_col_measures"), "measures_done": t("vr_col_done")})


def observations_table(observations: list, causes: dict[str, str], *, meeting: bool) -> pd.DataFrame:
    """One walk's observations: place (or the whole ort), the causes in words, and — not in Mötesläge —
    the problem as written."""
    return pd.DataFrame([{t("col_plats"): o.place or t("whole_ort"),
                          t("vr_col_causes"): ", ".join(causes.get(c, c) for c in o.causes),
                          **({} if meeting else {t("vr_col_problem"): o.problem})} for o in observations])


def measures_table(measures: list, *, meeting: bool) -> pd.DataFrame:
    """One walk's measures: place, the measure (not in Mötesläge: no free text on the projector), owner,
    decision path, due date, status and completion date."""
    return pd.DataFrame([{
        t("col_plats"): m.place or t("whole_ort"), **({} if meeting else {t("vr_col_measure"): m.description}),
        t("vr_col_owner"): m.owner,
        t("vr_col_path"): m.decision_path, t("vr_col_due"): m.due_date, t("col_status"): m.status,
        t("vr_col_completed"): m.completed_date} for m in measures])


def effects_table(effects: pd.DataFrame, *, meeting: bool) -> pd.DataFrame:
    """candidates.measure_effects rows as shown: the verdict next to the place (the grid does not wrap,
    and at 1920 a verdict at the end was cut off), the measure's own text last and not in Mötesläge."""
    kept = ["place", "ort", "verdict", "completed_date", "weeks", "place_before", "place_after", "rest_before",
            "rest_after"] + ([] if meeting else ["description"])
    return effects[kept].rename(columns={
        "place": t("col_plats"), "ort": t("col_ort"), "description": t("vr_col_measure"),
        "completed_date": t("vr_col_completed"), "weeks": t("ve_col_weeks"), "place_before": t("ve_col_pb"),
        "place_after": t("ve_col_pa"), "rest_before": t("ve_col_rb"), "rest_after": t("ve_col_ra"),
        "verdict": t("col_verdict")})
