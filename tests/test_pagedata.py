"""The display frames of tsk.pagedata on hand-made rows: the Swedish headers, the column order and the
formatting each page showed when it shaped these tables itself."""
from datetime import date

import numpy as np
import pandas as pd

from tsk.formatting import NBSP
from tsk.i18n import t
from tsk.pagedata import imports, lagesbild, overview, survey, traffpunkt, vandring
from tsk.pagedata import meeting as mtg
from tsk.pagedata.scoring import COMPONENT_LABELS, COMPONENTS
from tsk.registers.walks import Measure, Observation


def pct(x: str) -> str:
    return f"{x}{NBSP}%"


# --- Trygghetsundersökning ------------------------------------------------------------------------------

def _shares(config) -> pd.DataFrame:
    scale = next(iter(config.scales))
    return pd.DataFrame({
        "year": [2024, 2025], "group": ["Kommunen", "Högvad"], "scale": [scale, scale], "k": [10, np.nan],
        "n": [100, 3], "share": [0.1, np.nan], "low": [0.05, np.nan], "high": [0.18, np.nan],
        "suppressed": [False, True], "small_sample": [False, True]})


def test_the_share_table_has_the_page_headers_and_says_suppressed(config):
    table = survey.share_table(_shares(config), config)
    assert list(table.columns) == [t("col_year"), t("col_area"), t("col_share_otrygg"), t("col_ci"), "n",
                                   t("col_note"), t("col_scale")]
    first, second = table.iloc[0], table.iloc[1]
    assert first[t("col_share_otrygg")] == pct("10") and first[t("col_ci")] == f"{pct('5')}–{pct('18')}"
    assert second[t("col_share_otrygg")] == t("suppressed_short", n=config.suppression_min)
    assert second[t("col_ci")] == "" and second[t("col_note")] == t("tr_small") and first[t("col_note")] == ""
    assert first[t("col_scale")] == survey.scale_labels(config)[_shares(config)["scale"][0]]


def test_the_change_table_shows_the_latest_year_only():
    changes = pd.DataFrame({"group": ["A", "A"], "from_year": [2023, 2024], "to_year": [2024, 2025],
                            "from_share": [0.2, 0.25], "to_share": [0.25, 0.3], "from_n": [50, 60], "to_n": [60, 70],
                            "verdict": ["x", "y"]})
    table = survey.change_table(changes)
    assert list(table.columns) == [t("col_area"), t("col_from_year"), t("col_from_share"),
                                   t("col_n_of", what=t("col_from_year")), t("col_to_year"), t("col_to_share"),
                                   t("col_n_of", what=t("col_to_year")), t("col_verdict")]
    assert table.values.tolist() == [["A", 2024, pct("25"), 60, 2025, pct("30"), 70, "y"]]
    assert survey.change_table(changes.iloc[0:0]).empty


def test_the_index_means_mentions_and_breakdown_tables(config):
    scale = next(iter(config.scales))
    index = pd.DataFrame({"label": ["Nedskräpning"], "year": [2025], "index": [3.25], "n": [80], "scale": [scale]})
    assert survey.index_table(index, config).values.tolist() == [
        ["Nedskräpning", 2025, "3,2", 80, survey.scale_labels(config)[scale]]]
    assert list(survey.index_table(index, config).columns) == [t("col_item"), t("col_year"), t("col_index"), "n",
                                                               t("col_scale")]
    means = pd.DataFrame({"year": [2025, 2025], "group": ["A", "B"], "n": [40, 2], "mean": [6.5, None],
                          "low": [6.0, None], "high": [7.0, None], "suppressed": [False, True],
                          "small_sample": [False, True]})
    table = survey.number_means_table(means, config)
    assert list(table.columns) == [t("col_year"), t("col_area"), t("col_mean"), t("col_ci"), "n", t("col_note")]
    assert table.iloc[0].tolist() == [2025, "A", "6,5", "6,0–7,0", 40, ""]
    assert table.iloc[1].tolist() == [2025, "B", t("suppressed_short", n=config.suppression_min), "", 2,
                                      t("tr_small")]
    mentions = pd.DataFrame({"ort": ["Byn"], "plats": ["Torget"], "area": ["A"], "lat": [57.0], "lon": [13.0],
                             "mentions": [7]})
    assert survey.mentions_table(mentions).values.tolist() == [["Torget", "Byn", "A", 7]]
    assert list(survey.mentions_table(mentions).columns) == [t("col_plats"), t("col_ort"), t("col_area"),
                                                             t("col_mentions")]
    assert "reports" in survey.mention_points(mentions) and "mentions" not in survey.mention_points(mentions)
    result = pd.DataFrame({"group": ["16–29 år"], "share": [0.123], "n": [55], "scale": [scale]})
    assert survey.breakdown_table(result, "age_group").to_dict("records") == [
        {t("col_age_group"): "16–29 år", t("col_share_otrygg"): pct("12"), "n": 55}]


# --- Träffpunkt -----------------------------------------------------------------------------------------

def test_the_traffpunkt_tables(config):
    shares = pd.DataFrame({"round": [1, 2], "area": ["A", "A"], "share": [0.3, np.nan], "n": [20, 3],
                           "suppressed": [False, True], "small_sample": [True, True]})
    measure = t("tp_measure_otrygg")
    table = traffpunkt.rounds_table(shares, config, measure)
    assert list(table.columns) == [t("col_round"), t("col_area"), measure, "n", t("col_note")]
    assert table.values.tolist() == [[1, "A", pct("30"), 20, t("tr_small")],
                                     [2, "A", t("suppressed_short", n=config.suppression_min), 3, t("tr_small")]]
    comparison = pd.DataFrame({"area": ["A"], "round": [2], "share": [0.3], "n": [20], "suppressed": [False],
                               "others_share": [0.2], "others_n": [40], "vs_others": ["v1"],
                               "previous_share": [np.nan], "previous_n": [np.nan], "vs_previous": ["v2"]})
    both = traffpunkt.comparison_table(comparison, config, measure, first_round=False)
    assert list(both.columns) == [
        t("col_area"), t("col_round"), measure, "n", t("tp_col_others"), t("col_n_of", what=t("tp_col_others")),
        t("tp_col_vs_others"), t("tp_col_previous"), t("col_n_of", what=t("tp_col_previous")),
        t("tp_col_vs_previous")]
    assert both.iloc[0, :7].tolist() == ["A", 2, pct("30"), 20, pct("20"), 40, "v1"]
    assert both.iloc[0][t("tp_col_previous")] == "–"
    first = traffpunkt.comparison_table(comparison, config, measure, first_round=True)
    assert list(first.columns) == list(both.columns)[:7]
    resp = pd.DataFrame({"round": [1, 1], "area": ["A", "B"], "respondents": [10, 12], "companies": [2, 3]})
    assert traffpunkt.respondents_table(resp, ("B",)).to_dict("records") == [
        {t("col_round"): 1, t("col_area"): "B", t("tp_col_respondents"): 12, t("tp_col_companies"): 3}]
    assert traffpunkt.measure_label(config, config.traffpunkt_items[0].key) in (t("tp_measure_otrygg"),
                                                                                  t("tp_measure_worse"))


# --- Lägesbild ------------------------------------------------------------------------------------------

def test_the_trend_heat_and_wheel_tables():
    trend = pd.DataFrame({"period_start": pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-12"]),
                          "category": ["a", "b", "b"], "reports": [1, 2, 3]})
    assert lagesbild.ranked_groups(trend, "category") == ["b", "a"]
    table = lagesbild.trend_table(trend, "category", {"a": "Alfa"})
    assert list(table.columns) == [t("col_period"), t("lb_by_category"), t("col_reports")]
    assert table[t("lb_by_category")].tolist() == ["Alfa", "b", "b"]
    weekly = pd.DataFrame({"period_start": [date(2026, 1, 5), date(2026, 1, 12), date(2026, 3, 2)],
                           "area": ["A", "B", "A"], "reports": [1, 2, 3]})
    recent = lagesbild.heat_rows(weekly, 2)
    assert recent["reports"].tolist() == [3]
    heat = lagesbild.heat_table(weekly.assign(period_start=pd.to_datetime(weekly["period_start"])))
    assert list(heat.columns) == [t("col_area"), "v2 2026", "v3 2026", "v10 2026"]
    assert heat.values.tolist() == [["A", 1, 0, 3], ["B", 0, 2, 0]]
    wheel = pd.DataFrame({"month": [1, 2, 1], "category": ["a", "a", "b"], "reports": [5, 3, 1], "years": [2, 2, 2],
                          "per_year": [2.5, 1.54, 0.5]})
    assert lagesbild.wheel_top(wheel, 1)["category"].unique().tolist() == ["a"]
    table = lagesbild.wheel_table(wheel, {"a": "Alfa", "b": "Beta"})
    assert list(table.columns) == [t("col_month"), t("col_category"), t("col_reports"), t("col_years"),
                                   t("col_per_year")]
    assert table[t("col_per_year")].tolist() == [2.5, 1.5, 0.5]


def test_the_places_coverage_and_place_tables():
    places = pd.DataFrame({"area": ["A", "A"], "ort": ["Byn", "Byn"], "plats": ["Torget", np.nan],
                           "lat": [1.0, 1.0], "lon": [2.0, 2.0], "reports": [4, 2], "weeks": [3, 1]})
    table = lagesbild.places_table(places)
    assert list(table.columns) == [t("col_area"), t("col_ort"), t("col_plats"), t("col_reports"),
                                   t("col_weeks_with_reports")]
    assert table[t("col_plats")].tolist() == ["Torget", t("lb_no_place_cell")]
    summary = pd.DataFrame({"reporter": ["r"], "organisation": ["o"], "area": ["A"], "rapporterat": [3],
                            "vantar_pa_rattning": [0], "inget_att_rapportera": [1], "saknas": [2], "silent_now": [2]})
    assert list(lagesbild.coverage_table(summary).columns) == [
        t("col_reporter"), t("col_organisation"), t("col_area"),
        *[t(f"status_{k}") for k in lagesbild.COVERAGE_STATUSES], t("col_silent_now")]
    timeline = pd.DataFrame({"week_start": [date(2026, 1, 5), date(2026, 1, 5), date(2026, 1, 19)],
                             "category": ["a", "a", "b"], "iso_year": [2026] * 3, "iso_week": [2, 2, 4],
                             "organisation": ["o"] * 3, "grade": [1, 2, 3], "comment": ["hej", None, "då"]})
    weekly = lagesbild.place_weeks(timeline, week_from=date(2026, 1, 5), week_to=date(2026, 1, 19))
    assert len(weekly) == 6 and weekly["reports"].sum() == 3  # two categories × three weeks, the quiet week 0
    table = lagesbild.place_table(weekly, {"a": "Alfa", "b": "Beta"})
    assert list(table.columns) == [t("col_week"), t("col_category"), t("col_reports")]
    assert table.values.tolist() == [[pd.Timestamp("2026-01-05"), "Alfa", 2], [pd.Timestamp("2026-01-19"), "Beta", 1]]
    comments = lagesbild.comments_table(timeline, {"a": "Alfa", "b": "Beta"})
    assert list(comments.columns) == [t("col_year"), t("col_week"), t("col_organisation"), t("col_category"),
                                      t("col_grade"), t("col_comment")]
    assert comments[t("col_comment")].tolist() == ["hej", "då"]


# --- Översikt -------------------------------------------------------------------------------------------

def test_the_overview_tables(config):
    names = overview.metric_names(config)
    assert list(names) == list(overview.METRICS)
    values = pd.DataFrame({"name": ["A"], "value": [0.2], "n": [50], "text": [pct("20")], "suppressed": [False]})
    table = overview.metric_table(values, names["otrygg"])
    assert table.to_dict("records") == [{t("col_area"): "A", names["otrygg"]: pct("20"), "n": 50}]
    shapes = pd.DataFrame({"name": ["A", "B"], "geometry_wkt": ["POINT (0 0)", "POINT (1 1)"]})
    on_map = overview.areas_with_metric(shapes, values)
    assert on_map["name"].tolist() == ["A", "B"] and on_map["n"].iloc[0] == 50 and pd.isna(on_map["n"].iloc[1])
    changes = pd.DataFrame({"label": ["A", "B", "C"], "recent": [9, 5, 1], "expected": [3.0, 4.0, 1.0],
                            "rate_ratio": [3.0, 1.25, 1.0], "ci_low": [1.2, 0.4, 0.1], "ci_high": [7.1, 3.3, 9.0],
                            "p_value": [0.001, 0.15, 0.9], "q_value": [0.003, 0.2, 0.9],
                            "notable": [True, False, False]})
    shown = overview.since_rows(changes)
    assert shown["label"].tolist() == ["A", "B"]
    assert overview.since_points(shown)["text"].tolist() == [t("since_point", n=9, normal="3,0"),
                                                            t("since_point", n=5, normal="4,0")]
    table = overview.since_table(shown, 4)
    assert list(table.columns) == [t("col_compared"), t("col_recent", weeks=4), t("col_expected"),
                                   t("col_rate_ratio"), t("col_ci_low"), t("col_ci_high"), t("col_q"),
                                   t("col_notable")]
    assert table[t("col_notable")].tolist() == [t("yes"), t("no")]


# --- Analysgrupp ----------------------------------------------------------------------------------------

def test_the_samlad_tables_and_meeting_labels():
    samlad = pd.DataFrame({"organisation": ["Kommunen", "Polisen"], "area": ["A", "A"], "reports": [3, 1],
                           "previous": [2, 1], "verdict": ["x", "y"]})
    headers = [t("col_organisation"), t("col_area"), t("ag_col_reports"), t("ag_col_previous"), t("col_verdict")]
    assert list(mtg.samlad_table(samlad).columns) == headers
    assert mtg.samlad_table(pd.DataFrame([])).empty
    part = mtg.samlad_org_table(samlad, "Polisen")
    assert list(part.columns) == headers[1:] and part.values.tolist() == [["A", 1, 1, "y"]]
    meetings = pd.DataFrame({"meeting_id": [7], "meeting_date": [pd.Timestamp("2026-11-20")],
                             "organisations": ['["Kommunen", "Polisen"]']})
    assert mtg.meeting_labels(meetings) == {7: "2026-11-20 (Kommunen, Polisen)"}


# --- Data -----------------------------------------------------------------------------------------------

def test_the_quarantine_and_import_log_tables():
    waiting = pd.DataFrame({"file_name": ["f.csv"], "row_number": [3], "reason": ["r"], "original_row": ["{}"]})
    assert imports.quarantine_table(waiting).to_dict("records") == [
        {t("col_file"): "f.csv", t("col_row"): 3, t("col_reason"): "r"}]
    log = pd.DataFrame({"import_id": [1, 2, 3], "source": ["lagesbild"] * 3,
                        "file_name": ["f.csv", "Veckorapport Skolan, v48 2026", "g.csv"],
                        "sha256": ["s1", "app:r:1", "s3"], "mapping": ["m.toml", "veckorapport (appen)", "m.toml"],
                        "imported_at": ["x"] * 3, "rows_accepted": [5, 1, 2], "rows_quarantined": [1, 0, 0],
                        "rows_skipped": [0, 0, 0], "notes": ["n", "", ""], "actor": ["a", "b", "c"]})
    table = imports.import_log_table(log)
    assert list(table.columns) == [
        t("ag_col_id"), t("data_source"), t("col_file"), t("data_col_mapping"), t("col_date"), t("col_accepted"),
        t("col_quarantined"), t("col_skipped"), t("data_col_notes"), t("rv_col_actor")]
    assert list(table[t("ag_col_id")]) == [3, 2, 1]  # newest first
    assert list(table[t("data_col_notes")]) == ["–", "–", "n"]  # never «None»
    # The in-app reports' lines (one per report and change) are left out unless asked for.
    assert list(imports.app_report_lines(log)) == [False, True, False]
    assert list(imports.import_log_table(log, with_app_reports=False)[t("ag_col_id")]) == [3, 1]


# --- Trygghetsvandring ----------------------------------------------------------------------------------

def test_the_candidate_tables():
    contrib = {f"contrib_{k}": [1.234] for k in COMPONENTS}
    top = pd.DataFrame({"rank": [1], "unit": ["Torget, Byn"], "area": ["A"], "status": ["ok"], "total": [4.567],
                        "reasons": [["r1", "r2"]], "uncertainty": ["u"], **contrib})
    table = vandring.candidate_table(top)
    assert list(table.columns) == [t("col_rank"), t("col_unit"), t("col_total"),
                                   *[COMPONENT_LABELS[k] for k in COMPONENTS]]
    assert table.iloc[0].tolist() == [1, "Torget, Byn", 4.57, *[1.23] * len(COMPONENTS)]
    assert list(vandring.contribution_rows(top).columns) == ["unit", "total", *contrib]
    every = vandring.all_candidates_table(top)
    assert list(every.columns) == [t("col_rank"), t("col_unit"), t("col_area"), t("col_status"), t("col_total"),
                                   t("col_reasons"), t("col_uncertainty")]
    assert every.iloc[0][t("col_reasons")] == "r1 · r2"
    thin = vandring.all_candidates_table(top.assign(status=["thin"]))
    assert every.iloc[0][t("col_status")] == "ok" and thin.iloc[0][t("col_status")] == "för lite underlag"
    where = pd.DataFrame({"unit": ["Torget, Byn"], "lat": [57.0], "lon": [13.0], "approximate": [None]})
    on_map = vandring.candidates_on_map(top, where)
    assert on_map["reports"].tolist() == [5] and on_map["approximate"].tolist() == [True]
    assert vandring.candidates_on_map(top, where.assign(lat=np.nan)).empty


def test_the_walk_tables_leave_out_free_text_in_meeting_mode():
    register = pd.DataFrame({"walk_id": [1], "walk_date": [date(2026, 5, 4)], "ort": ["Byn"], "status": ["genomförd"],
                             "participants": ['{"kommun": 2, "boende": 3}'], "observations": [2], "measures": [1],
                             "measures_done": [0]})
    table = vandring.register_table(register)
    assert list(table.columns) == [t("col_date"), t("col_ort"), t("col_status"), t("vr_col_participants"),
                                   t("vr_col_observations"), t("vr_col_measures"), t("vr_col_done")]
    assert table[t("vr_col_participants")].tolist() == [5]
    obs = [Observation(obs_no=1, place=None, problem="mörkt", causes=["belysning", "okänd"])]
    full = vandring.observations_table(obs, {"belysning": "Belysning"}, meeting=False)
    assert full.to_dict("records") == [{t("col_plats"): t("whole_ort"), t("vr_col_causes"): "Belysning, okänd",
                                        t("vr_col_problem"): "mörkt"}]
    assert t("vr_col_problem") not in vandring.observations_table(obs, {}, meeting=True)
    measures = [Measure(ort="Byn", place="Torget", description="lampa", owner="o", decision_path="p")]
    assert list(vandring.measures_table(measures, meeting=False).columns) == [
        t("col_plats"), t("vr_col_measure"), t("vr_col_owner"), t("vr_col_path"), t("vr_col_due"), t("col_status"),
        t("vr_col_completed")]
    assert t("vr_col_measure") not in vandring.measures_table(measures, meeting=True)
    assert vandring.measures_table([], meeting=False).empty
    effects = pd.DataFrame({"place": ["Torget"], "ort": ["Byn"], "verdict": ["v"], "completed_date": ["d"],
                            "weeks": [8], "place_before": [4], "place_after": [1], "rest_before": [9],
                            "rest_after": [8], "description": ["lampa"]})
    headers = [t("col_plats"), t("col_ort"), t("col_verdict"), t("vr_col_completed"), t("ve_col_weeks"),
               t("ve_col_pb"), t("ve_col_pa"), t("ve_col_rb"), t("ve_col_ra")]
    assert list(vandring.effects_table(effects, meeting=False).columns) == [*headers, t("vr_col_measure")]
    assert list(vandring.effects_table(effects, meeting=True).columns) == headers
