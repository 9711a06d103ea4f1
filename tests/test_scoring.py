"""Known-answer and property tests for tsk.pagedata.scoring.

Expected numbers are computed by hand from the formulas in the score_candidates docstring; where a
p-value is needed it is taken from scipy/statsmodels directly (the call is cited next to the value and
re-checked in `test_cited_library_values`), and Benjamini-Hochberg is applied by hand.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.stats import beta, binomtest
from statsmodels.stats.proportion import test_proportions_2indep as score_test_2indep

from tsk import stats
from tsk.formatting import NBSP
from tsk.pagedata.scoring import (
    COMPONENT_LABELS,
    COMPONENTS,
    OUTPUT_COLUMNS,
    STATUS_OK,
    STATUS_THIN,
    STATUS_WORDS,
    TEXTS,
    default_weights,
    score_candidates,
    share_score,
    trend_score,
    walk_score,
)

CAPS = {"rate_ratio": 4.0, "weighted_reports": 30, "police_events": 5, "share_difference": 0.20, "mentions": 20,
        "physical_signals": 2}
ONES = {k: 1.0 for k in COMPONENTS}
ONLY = lambda *keys: {k: (1.0 if k in keys else 0.0) for k in COMPONENTS}  # noqa: E731

# --- p-values cited from the libraries (re-checked in test_cited_library_values) ---------------------------
# scipy.stats.binomtest(12, 32, p=8/60).pvalue: 12 recent reports in 8 weeks against 20 in 52 weeks.
P_RISING = 0.0005283789653600713
# scipy.stats.binomtest(2, 15, p=8/60).pvalue: 2 in 8 weeks against 13 in 52 weeks, exactly the base rate.
P_FLAT = 1.0
# statsmodels test_proportions_2indep(k1, n1, k2, n2, method="score", compare="diff").pvalue
P_SURVEY_HOGVAD = 0.0007479477594682147   # 23/68 against 120/700
P_SURVEY_X = 8.66881200176308e-06         # 30/80 against 100/600
P_SURVEY_Y = 0.16607595926016117          # 15/60 against 110/620
P_TP_OTHERS = 0.04779687932633413         # 15/57 against 30/200
P_TP_PREV = 0.0791070495200165            # 15/57 against 7/54


def test_cited_library_values():
    assert_allclose(binomtest(12, 32, 8 / 60).pvalue, P_RISING, rtol=1e-12)
    assert binomtest(2, 15, 8 / 60).pvalue == P_FLAT
    for args, p in [((23, 68, 120, 700), P_SURVEY_HOGVAD), ((30, 80, 100, 600), P_SURVEY_X),
                    ((15, 60, 110, 620), P_SURVEY_Y), ((15, 57, 30, 200), P_TP_OTHERS),
                    ((15, 57, 7, 54), P_TP_PREV)]:
        assert_allclose(score_test_2indep(*args, method="score", compare="diff").pvalue, p, rtol=1e-12)


def unit(name: str, **values) -> dict:
    """One row of evidence: a covered ort with no reports, no survey and no walk unless overridden."""
    row = dict(
        unit=name, level="ort", area="Högvad", ort=name, plats=None, is_centralort=False,
        lb_recent=0, lb_recent_weeks=8.0, lb_base=0, lb_base_weeks=52.0, lb_recent_weighted=0,
        lb_weeks_with_reports=0, lb_recurrence_weeks=12, lb_top_category=None, lb_top_recent=0, lb_top_normal=0.0,
        reporters=3, police_recent=0,
        survey_k=np.nan, survey_n=np.nan, survey_rest_k=np.nan, survey_rest_n=np.nan, survey_year=np.nan,
        mentions=0,
        tp_k=np.nan, tp_n=np.nan, tp_others_k=np.nan, tp_others_n=np.nan, tp_prev_k=np.nan, tp_prev_n=np.nan,
        tp_round=None, tp_prev_round=None,
        months_since_walk=np.nan, physical=[],
    )
    unknown = set(values) - set(row)
    assert not unknown, unknown
    row.update(values)
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def by_unit(out: pd.DataFrame) -> dict[str, pd.Series]:
    return {r["unit"]: r for _, r in out.iterrows()}


# A: rising lägesbild in the centralort; B: flat, elsewhere.
RISING = unit("Överlida", is_centralort=True, lb_recent=12, lb_base=20, lb_recent_weighted=24,
              lb_weeks_with_reports=9, lb_top_category="Skadegörelse", lb_top_recent=8, lb_top_normal=1.5,
              reporters=4, police_recent=3, survey_k=23, survey_n=68, survey_rest_k=120, survey_rest_n=700,
              survey_year=2025, mentions=33, months_since_walk=18.0, physical=["belysning"])
FLAT = unit("Ullared", area="Ätran", lb_recent=2, lb_base=13, lb_recent_weighted=3, lb_weeks_with_reports=2,
            reporters=2, months_since_walk=6.0)


# --------------------------------------------------------------------------------------------------
# The component functions on plain numbers
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("rr", "q", "expected"), [
    pytest.param(4.0, 0.0, 1.0, id="at-cap"),
    pytest.param(8.0, 0.0, 1.0, id="above-cap"),
    pytest.param(2.0, 0.0, 0.5, id="log2(2)/log2(4)=0.5"),
    pytest.param(2.0, 0.2, 0.4, id="0.5x(1-0.2)"),
    pytest.param(math.inf, 0.25, 0.75, id="from-zero-is-cap"),
    pytest.param(1.0, 0.0, 0.0, id="flat"),
    pytest.param(0.5, 0.0, 0.0, id="falling"),
    pytest.param(math.nan, 1.0, 0.0, id="no-reports"),
])
def test_trend_score(rr, q, expected):
    assert trend_score(rr, q, 4.0) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize(("diff", "q", "expected"), [
    pytest.param(0.10, 0.0, 0.5, id="half-cap"),
    pytest.param(0.10, 0.5, 0.25, id="half-cap-q0.5"),
    pytest.param(0.30, 0.0, 1.0, id="above-cap"),
    pytest.param(-0.10, 0.0, 0.0, id="safer-than-comparison"),
    pytest.param(math.nan, math.nan, 0.0, id="missing"),
])
def test_share_score(diff, q, expected):
    assert share_score(diff, q, 0.2) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize(("months", "central", "interval", "expected"), [
    pytest.param(math.nan, True, 12, 1.0, id="centralort-never"),
    pytest.param(6.0, True, 12, 0.5, id="centralort-6/12"),
    pytest.param(18.0, True, 12, 1.0, id="centralort-overdue"),
    pytest.param(6.0, True, 24, 0.25, id="centralort-6/24"),
    pytest.param(math.nan, False, 12, 0.5, id="other-never"),
    pytest.param(12.0, False, 12, 0.25, id="other-0.5x12/24"),
    pytest.param(30.0, False, 12, 0.5, id="other-max"),
    pytest.param(0.0, False, 12, 0.0, id="other-just-walked"),
])
def test_walk_score(months, central, interval, expected):
    assert walk_score(months, central, interval) == pytest.approx(expected, abs=1e-15)


# --------------------------------------------------------------------------------------------------
# Known answers through score_candidates
# --------------------------------------------------------------------------------------------------

def test_two_units_one_rising_known_scores():
    out = by_unit(score_candidates(frame(FLAT, RISING), ONES, CAPS))
    a, b = out["Överlida"], out["Ullared"]
    # Lägesbild BH over m = 2 tests: sorted p = (P_RISING, 1.0);
    #   q_B = min(1, 2 * 1.0 / 2) = 1.0; q_A = min(2 * P_RISING / 1, q_B) = 2 * P_RISING.
    q_a = 2 * P_RISING
    assert_allclose([a["q_lagesbild"], b["q_lagesbild"]], [q_a, 1.0], rtol=1e-12)
    # RR_A = (12/8) / (20/52) = 3.9; trend = log2(3.9)/log2(4) * (1 - q_A).
    assert a["rate_ratio"] == pytest.approx(3.9, rel=1e-12)
    # Clopper-Pearson for the share 12/32, mapped by RR = s/(1-s) * 52/8:
    #   low s = beta.ppf(0.025, 12, 21), high s = beta.ppf(0.975, 13, 20)  -> (1.73828, 8.37678)
    lo, hi = beta.ppf(0.025, 12, 21), beta.ppf(0.975, 13, 20)
    assert_allclose([a["rr_low"], a["rr_high"]], [lo / (1 - lo) * 6.5, hi / (1 - hi) * 6.5], rtol=1e-9)
    # Survey: one area with a test (Ätran has none), so q = p. diff = 23/68 - 120/700 = 0.1668067.
    q_s = P_SURVEY_HOGVAD
    expected_a = {
        "lagesbild_trend": math.log2(3.9) / 2 * (1 - q_a),
        "lagesbild_recurrence": 9 / 12,
        "lagesbild_volume": 24 / 30,
        "police": 3 / 5,
        "survey_area": (23 / 68 - 120 / 700) / 0.2 * (1 - q_s),
        "survey_mentions": 1.0,          # 33 mentions, cap 20
        "traffpunkt": 0.0,               # no Träffpunkt data
        "time_since_walk": 1.0,          # centralort, 18 months > 12
        "physical": 1 / 2,
        "dialog": 0.0,                   # no dialog_questions column
    }
    expected_b = {
        "lagesbild_trend": 0.0,          # RR = (2/8) / (13/52) = 1: not an increase
        "lagesbild_recurrence": 2 / 12,
        "lagesbild_volume": 3 / 30,
        "police": 0.0,
        "survey_area": 0.0,
        "survey_mentions": 0.0,
        "traffpunkt": 0.0,
        "time_since_walk": 0.5 * 6 / 24,  # not the centralort
        "physical": 0.0,
        "dialog": 0.0,
    }
    for key in COMPONENTS:
        assert a[f"score_{key}"] == pytest.approx(expected_a[key], rel=1e-12, abs=1e-15), key
        assert b[f"score_{key}"] == pytest.approx(expected_b[key], rel=1e-12, abs=1e-15), key
        assert a[f"contrib_{key}"] == a[f"score_{key}"]  # weight 1
    assert a["total"] == pytest.approx(sum(expected_a.values()), rel=1e-12)
    assert b["total"] == pytest.approx(sum(expected_b.values()), rel=1e-12)
    assert (a["rank"], b["rank"]) == (1, 2)
    assert a["status"] == b["status"] == STATUS_OK
    assert a["q_survey"] == pytest.approx(q_s, rel=1e-12) and math.isnan(b["q_survey"])


def test_reasons_are_swedish_sentences_largest_contribution_first():
    out = by_unit(score_candidates(frame(FLAT, RISING), ONES, CAPS))
    # Contributions of A (weights 1): mentions 1.0 and time 1.0 (tie -> component order), trend 0.9807,
    # survey 0.8334, volume 0.8, recurrence 0.75, police 0.6, physical 0.5.
    assert out["Överlida"]["reasons"] == [
        "Nämns av 33 svarande som otrygg plats",
        "Ingen trygghetsvandring på 18 månader (centralorten ska ha en per år)",
        f"3,9 gånger så många rapporter som normalt (95{NBSP}% KI 1,7–8,4)",
        f"Trygghetsundersökningen 2025: 34{NBSP}% otrygga i Högvad mot 17{NBSP}% i övriga kommunen (n = 68)",
        "8 rapporter om skadegörelse senaste 8 veckorna mot normalt 1,5 (alla kategorier: 12)",
        "Rapporter 9 av de senaste 12 veckorna",
        "3 polishändelser i Överlida under samma period (polisens platser är ungefärliga)",
        "Fysisk miljö: belysning",
    ]
    # B: recurrence 0.167, time 0.125, volume 0.1; trend 0 gives no sentence.
    assert out["Ullared"]["reasons"] == [
        "Rapporter 2 av de senaste 12 veckorna",
        "Ingen trygghetsvandring på 6 månader",
        "2 rapporter senaste 8 veckorna",
    ]
    # q_A = 2 * P_RISING = 0.00106 -> "0,001"
    assert out["Överlida"]["uncertainty"] == f"3,9 gånger normalt (95{NBSP}% KI 1,7–8,4), q = 0,001"
    assert out["Ullared"]["uncertainty"].startswith("1,0 gånger normalt")
    assert out["Ullared"]["uncertainty"].endswith("q = 1,000")


def test_reports_after_a_silent_baseline_reach_the_cap_times_one_minus_q():
    # 2 recent, 0 baseline: RR = inf. binomtest(2, 2, p0 = 8/60): P(X=2) = p0^2 = 0.017778 and the other
    # outcomes are more likely, so p = p0^2; one test -> q = p; trend = 1 * (1 - p0^2).
    p0 = 8 / 60
    out = score_candidates(frame(unit("Kalv", lb_recent=2)), ONES, CAPS).iloc[0]
    assert math.isinf(out["rate_ratio"])
    assert out["q_lagesbild"] == pytest.approx(p0**2, rel=1e-12)
    assert out["score_lagesbild_trend"] == pytest.approx(1 - p0**2, rel=1e-12)
    assert out["reasons"][0] == "2 rapporter senaste 8 veckorna mot inga under de 52 veckorna före"
    assert out["uncertainty"] == "osäkert: få rapporter"  # 2 + 0 < 10


def test_survey_is_tested_once_per_area_not_once_per_candidate():
    x1 = unit("Xa", area="X", survey_k=30, survey_n=80, survey_rest_k=100, survey_rest_n=600)
    x2 = {**x1, "unit": "Xb", "ort": "Xb"}
    y = unit("Ya", area="Y", survey_k=15, survey_n=60, survey_rest_k=110, survey_rest_n=620)
    out = by_unit(score_candidates(frame(x1, x2, y), ONLY("survey_area"), CAPS))
    # BH over the m = 2 areas: q_Y = 2 * P_Y / 2 = P_Y; q_X = min(2 * P_X, q_Y) = 2 * P_X.
    # (Counting the candidates, m = 3, would give q_X = 1.5 * P_X.)
    q_x, q_y = 2 * P_SURVEY_X, P_SURVEY_Y
    for name in ("Xa", "Xb"):
        assert out[name]["q_survey"] == pytest.approx(q_x, rel=1e-12)
        # diff = 30/80 - 100/600 = 0.2083 > cap 0.2 -> 1 * (1 - q_X)
        assert out[name]["score_survey_area"] == pytest.approx(1 - q_x, rel=1e-12)
    assert out["Ya"]["q_survey"] == pytest.approx(q_y, rel=1e-12)
    # diff = 15/60 - 110/620 = 0.0725806 -> 0.0725806 / 0.2 * (1 - q_Y)
    assert out["Ya"]["score_survey_area"] == pytest.approx((15 / 60 - 110 / 620) / 0.2 * (1 - q_y), rel=1e-12)


def test_traffpunkt_takes_the_better_of_two_comparisons():
    row = unit("Tp", tp_k=15, tp_n=57, tp_others_k=30, tp_others_n=200, tp_prev_k=7, tp_prev_n=54,
               tp_round=2026, tp_prev_round=2024)
    out = score_candidates(frame(row), ONLY("traffpunkt"), CAPS).iloc[0]
    # One BH family of the area's two tests: sorted (P_OTHERS, P_PREV);
    #   q_prev = 2 * P_PREV / 2 = P_PREV; q_others = min(2 * P_OTHERS, q_prev) = P_PREV (0.0956 > 0.0791).
    q = P_TP_PREV
    others = (15 / 57 - 30 / 200) / 0.2 * (1 - q)  # 0.5658 * 0.9209 = 0.5210
    prev = (15 / 57 - 7 / 54) / 0.2 * (1 - q)      # 0.6676 * 0.9209 = 0.6148
    assert out["score_traffpunkt"] == pytest.approx(max(others, prev), rel=1e-12)
    assert out["q_traffpunkt"] == pytest.approx(q, rel=1e-12)
    assert out["reasons"] == [f"Träffpunkt 2026: 26{NBSP}% otrygga mot 13{NBSP}% 2024 (n = 57)"]


def test_missing_survey_and_traffpunkt_give_zero_and_no_reason():
    out = score_candidates(frame(unit("A")), ONES, CAPS).iloc[0]
    assert out["score_survey_area"] == 0.0 and out["score_traffpunkt"] == 0.0
    assert math.isnan(out["q_survey"]) and math.isnan(out["q_traffpunkt"])
    assert out["reasons"] == ["Ingen trygghetsvandring registrerad"]


# --------------------------------------------------------------------------------------------------
# Ranking: ties, thin evidence, weights
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("names", [["A", "B"], ["B", "A"]], ids=["A-first", "B-first"])
def test_equal_evidence_is_ranked_by_unit_name(names):
    rows = [{**RISING, "unit": n} for n in names]
    out = score_candidates(frame(*rows), ONES, CAPS)
    assert list(out["unit"]) == ["A", "B"]
    assert list(out["rank"]) == [1, 2]
    assert out["total"].iloc[0] == out["total"].iloc[1]


def test_many_ties_follow_the_names_whatever_the_input_order():
    names = ["Eda", "Ås", "Bo", "Alby", "Dal"]
    rng = np.random.default_rng(7)
    for _ in range(5):
        rows = [unit(n, months_since_walk=3.0) for n in rng.permutation(names)]
        out = score_candidates(frame(*rows), ONES, CAPS)
        assert list(out["unit"]) == sorted(names)
        assert list(out["rank"]) == [1, 2, 3, 4, 5]


def test_float_noise_does_not_break_a_tie():
    # "B": volume 3/30 = 0.1 plus police 1/5 = 0.2 -> total 0.1 + 0.2 = 0.30000000000000004 in floats;
    # "A": volume 9/30 = 0.3. Equal totals, so A comes first.
    a = unit("A", lb_recent_weighted=9)
    b = unit("B", lb_recent_weighted=3, police_recent=1)
    out = score_candidates(frame(b, a), ONLY("lagesbild_volume", "police"), CAPS)
    assert 0.1 + 0.2 != 0.3 and out["total"].iloc[0] == pytest.approx(out["total"].iloc[1], rel=1e-15)
    assert list(out["unit"]) == ["A", "B"]


def test_no_coverage_and_no_survey_is_thin_and_ranked_last():
    thin = unit("Aby", area="Aby", reporters=0, police_recent=4, months_since_walk=40.0)
    zero = unit("Borg", area="Borg", months_since_walk=0.0)  # scored, total exactly 0
    out = by_unit(score_candidates(frame(thin, zero), ONES, CAPS))
    assert out["Borg"]["total"] == 0.0 and out["Borg"]["rank"] == 1 and out["Borg"]["reasons"] == []
    t = out["Aby"]
    assert t["status"] == STATUS_THIN == "thin" and STATUS_WORDS[STATUS_THIN] == "för lite underlag"
    assert t["rank"] == 2
    assert math.isnan(t["total"])
    assert all(math.isnan(t[f"score_{k}"]) and math.isnan(t[f"contrib_{k}"]) for k in COMPONENTS)
    assert t["reasons"] == [TEXTS["thin"]]
    assert t["uncertainty"] == "lägesbilden saknar täckning"


def test_no_coverage_with_survey_is_scored_with_a_coverage_reason():
    row = unit("Aby", reporters=0, survey_k=23, survey_n=68, survey_rest_k=120, survey_rest_n=700)
    out = score_candidates(frame(row), ONES, CAPS).iloc[0]
    assert out["status"] == STATUS_OK
    assert out["total"] > 0
    assert out["reasons"][-1] == TEXTS["no_coverage"]
    assert math.isnan(out["q_lagesbild"]) and out["score_lagesbild_trend"] == 0.0


def test_a_recent_report_counts_as_coverage():
    out = score_candidates(frame(unit("Aby", reporters=0, lb_recent=1, lb_recent_weighted=2)), ONES, CAPS).iloc[0]
    assert out["status"] == STATUS_OK and TEXTS["no_coverage"] not in out["reasons"]


def test_weight_zero_removes_the_contribution_and_its_reason():
    weights = {**ONES, "survey_mentions": 0.0}
    full = by_unit(score_candidates(frame(FLAT, RISING), ONES, CAPS))["Överlida"]
    cut = by_unit(score_candidates(frame(FLAT, RISING), weights, CAPS))["Överlida"]
    assert cut["score_survey_mentions"] == 1.0 and cut["contrib_survey_mentions"] == 0.0
    assert cut["total"] == pytest.approx(full["total"] - 1.0, rel=1e-12)
    assert "Nämns av 33 svarande som otrygg plats" not in cut["reasons"]


def test_changing_a_weight_changes_the_ranking_as_expected():
    a = unit("A", area="Aa", police_recent=5)   # police score 1
    b = unit("B", area="Bb", mentions=20)       # mentions score 1
    # Both: never walked, not the centralort -> time 0.5; no reports, no survey.
    weights = {**ONES, "police": 0.5, "survey_mentions": 1.5}
    out = score_candidates(frame(a, b), weights, CAPS)
    # A = 0.5 * 1 + 1 * 0.5 = 1.0; B = 1.5 * 1 + 1 * 0.5 = 2.0
    assert list(out["unit"]) == ["B", "A"] and list(out["total"]) == [2.0, 1.0]
    out = score_candidates(frame(a, b), {**weights, "police": 3.0}, CAPS)
    # A = 3 * 1 + 0.5 = 3.5; B = 2.0
    assert list(out["unit"]) == ["A", "B"] and list(out["total"]) == [3.5, 2.0]


# --------------------------------------------------------------------------------------------------
# Monotonicity: more recent reports never lower a unit's scores or total
# --------------------------------------------------------------------------------------------------

OTHERS = [unit("Borg", area="B", lb_recent=5, lb_base=10), unit("Dal", area="D", lb_recent=1, lb_base=30)]


def with_recent(n: int, base: int, e1: float, e0: float) -> dict:
    """The unit under test after n recent reports (each of grade 2, one new week each up to 12)."""
    return unit("Aby", area="A", lb_recent=n, lb_base=base, lb_recent_weeks=e1, lb_base_weeks=e0,
                lb_recent_weighted=2 * n, lb_weeks_with_reports=min(n, 12), lb_top_category="Klotter",
                lb_top_recent=n, lb_top_normal=base * e1 / e0)


@pytest.mark.parametrize(("e1", "e0"), [(8.0, 52.0), (8.0, 8.0), (4.0, 12.0), (7.5, 50.5), (12.0, 3.0)],
                         ids=["8v52", "8v8", "4v12", "7.5v50.5", "12v3"])
@pytest.mark.parametrize("base", [0, 1, 5, 20])
def test_more_recent_reports_never_lower_any_score(e1, e0, base):
    prev = None
    for n in range(0, 31):
        out = by_unit(score_candidates(frame(with_recent(n, base, e1, e0), *OTHERS), ONES, CAPS))
        cur = out["Aby"]
        if prev is not None:
            for key in COMPONENTS:
                assert cur[f"score_{key}"] >= prev[f"score_{key}"], (key, n)
            assert cur["total"] >= prev["total"], n
        prev = cur


@pytest.mark.parametrize("base", [0, 3, 20])
def test_a_rising_unit_never_raises_the_others_q(base):
    # While Aby is at or above its baseline rate, each report lowers its p-value, and BH q-values are
    # non-decreasing in every p-value: the other candidates' q can only fall.
    runs = [by_unit(score_candidates(frame(with_recent(n, base, 8.0, 52.0), *OTHERS), ONES, CAPS))
            for n in range(0, 31)]
    checked = 0
    for prev, cur in zip(runs, runs[1:]):
        if not prev["Aby"]["rate_ratio"] >= 1:  # below the baseline rate (or no reports at all)
            continue
        assert cur["Aby"]["q_lagesbild"] <= prev["Aby"]["q_lagesbild"]
        for other in ("Borg", "Dal"):
            assert cur[other]["q_lagesbild"] <= prev[other]["q_lagesbild"], (other, cur["Aby"]["unit"])
        checked += 1
    assert checked >= 25


def test_bh_q_values_are_non_decreasing_in_every_p_value():
    rng = np.random.default_rng(2024)
    for _ in range(300):
        m = int(rng.integers(2, 12))
        p = rng.uniform(0, 1, m) ** 3
        i = int(rng.integers(m))
        lowered = p.copy()
        lowered[i] = p[i] * rng.uniform(0, 1)
        _, q = stats.fdr(p)
        _, q_low = stats.fdr(lowered)
        assert np.all(q_low <= q + 1e-15)


def test_the_trend_is_not_tested_when_the_baseline_is_shorter_than_the_recent_window():
    # Why: with more recent weeks than baseline weeks the two-sided exact p-value can *rise* with one
    # more report (12 recent weeks against 3 baseline weeks, no baseline reports: 5 -> 6 reports).
    assert stats.poisson_rate_test(6, 12, 0, 3).p_value > stats.poisson_rate_test(5, 12, 0, 3).p_value
    out = score_candidates(frame(unit("A", lb_recent=6, lb_recent_weeks=12.0, lb_base_weeks=3.0)), ONES, CAPS)
    row = out.iloc[0]
    assert row["score_lagesbild_trend"] == 0.0 and math.isnan(row["rate_ratio"]) and math.isnan(row["q_lagesbild"])
    assert row["uncertainty"] == "osäkert: baslinjen (3 veckor) är kortare än perioden (12 veckor)"


# --------------------------------------------------------------------------------------------------
# Contract
# --------------------------------------------------------------------------------------------------

def test_output_columns_and_components_match_the_configuration(config):
    out = score_candidates(frame(FLAT, RISING), default_weights(config), config.vandring.caps)
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    assert tuple(config.vandring.weights) == COMPONENTS
    assert set(COMPONENT_LABELS) == set(COMPONENTS)
    assert out["rank"].dtype == "int64"


def test_default_weights_is_a_copy(config):
    w = default_weights(config)
    assert w == {k: float(v) for k, v in config.vandring.weights.items()}
    w["police"] = 99.0
    assert config.vandring.weights["police"] != 99.0


def test_empty_evidence_gives_an_empty_table():
    out = score_candidates(pd.DataFrame(columns=list(unit("x"))), ONES, CAPS)
    assert out.empty and list(out.columns) == list(OUTPUT_COLUMNS)


@pytest.mark.parametrize(("change", "message"), [
    pytest.param(lambda ev, w, c: (ev.drop(columns=["reporters"]), w, c), "reporters", id="missing-column"),
    pytest.param(lambda ev, w, c: (ev, {k: v for k, v in w.items() if k != "police"}, c), "weights",
                 id="missing-weight"),
    pytest.param(lambda ev, w, c: (ev, {**w, "polis": 1.0}, c), "weights", id="unknown-weight"),
    pytest.param(lambda ev, w, c: (ev, {**w, "police": -1.0}, c), "police", id="negative-weight"),
    pytest.param(lambda ev, w, c: (ev, w, {**c, "rate_ratio": 1.0}), "rate_ratio", id="cap-rr-1"),
    pytest.param(lambda ev, w, c: (pd.concat([ev, ev]), w, c), "unique", id="duplicate-unit"),
    pytest.param(lambda ev, w, c: (ev.assign(survey_n=[68, 70]), w, c), "area", id="area-disagrees"),
])
def test_invalid_input_raises(change, message):
    ev = frame(RISING, {**RISING, "unit": "Other"})
    args = change(ev, ONES, CAPS)
    with pytest.raises(ValueError, match=message):
        score_candidates(*args)
