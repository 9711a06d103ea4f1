"""Known-answer tests for tsk.stats. Every expected number is computed independently of the code under
test (textbook formula, published example or closed form) and the derivation is stated next to it."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from tsk.stats import (
    Baseline,
    add_share_columns,
    answers_needed,
    fdr,
    poisson_rate_test,
    pooled_share,
    rolling_baseline,
    scale_index,
    suppress,
    two_proportion_test,
    weeks_with_reports,
    wilson_interval,
)

# z = Phi^-1(0.975) = 1.959963984540054. Wilson (textbook, e.g. Agresti & Coull 1998):
#   centre = (p + z^2/2n) / (1 + z^2/n),  half = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2)
# evaluated with plain float arithmetic (math module only):
#   23/173 -> (0.0902498072, 0.1915928057)
#   40/173 (the 23 % otrygga of the 2020 survey) -> (0.1746396881, 0.2994655323)
#   0/10  -> (0, z^2/(n+z^2)) = (0, 0.2775327999);  10/10 -> (1 - 0.2775327999, 1)
WILSON_CASES = [
    pytest.param(23, 173, (0.09024980717837852, 0.19159280570817397), id="23-of-173"),
    pytest.param(40, 173, (0.17463968814790526, 0.2994655323123261), id="otrygga-2020"),
    pytest.param(0, 10, (0.0, 0.27753279986288915), id="k=0"),
    pytest.param(10, 10, (0.7224672001371109, 1.0), id="k=n"),
]


@pytest.mark.parametrize(("k", "n", "expected"), WILSON_CASES)
def test_wilson_interval_matches_the_textbook_formula(k, n, expected):
    assert_allclose(wilson_interval(k, n), expected, rtol=1e-9, atol=1e-12)


def test_wilson_interval_bounds_are_exact_at_k0_and_kn():
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == 1.0
    out = add_share_columns(pd.DataFrame({"k": [0, 10], "n": [10, 10]}))
    assert out.loc[0, "low"] == 0.0 and out.loc[1, "high"] == 1.0


def test_wilson_interval_with_no_answers_is_nan():
    low, high = wilson_interval(0, 0)
    assert math.isnan(low) and math.isnan(high)


def test_wilson_interval_is_wider_at_a_higher_level():
    lo95, hi95 = wilson_interval(23, 173)
    lo99, hi99 = wilson_interval(23, 173, level=0.99)
    assert lo99 < lo95 < hi95 < hi99


@pytest.mark.parametrize(
    ("k", "n", "level"),
    [(5, 4, 0.95), (-1, 4, 0.95), (1.5, 4, 0.95), (1, 4, 1.0), (1, 4, 0.0), (float("nan"), 4, 0.95)],
    ids=["k>n", "negative", "fraction", "level=1", "level=0", "nan"],
)
def test_wilson_interval_rejects_invalid_input(k, n, level):
    with pytest.raises(ValueError):
        wilson_interval(k, n, level)


def test_add_share_columns_is_the_scalar_interval_row_by_row():
    df = pd.DataFrame({"area": ["A", "B", "C", "D"], "k": [23, 0, 10, 0], "n": [173, 10, 10, 0]})
    out = add_share_columns(df)
    assert list(out.columns) == ["area", "k", "n", "share", "low", "high"]
    assert list(df.columns) == ["area", "k", "n"]  # input untouched
    assert_allclose(out["share"].iloc[:3], [23 / 173, 0.0, 1.0])
    assert_allclose(out.loc[0, ["low", "high"]].astype(float), WILSON_CASES[0].values[2], rtol=1e-9)
    assert_allclose(out.loc[1, ["low", "high"]].astype(float), WILSON_CASES[2].values[2], rtol=1e-9, atol=1e-12)
    assert_allclose(out.loc[2, ["low", "high"]].astype(float), WILSON_CASES[3].values[2], rtol=1e-9)
    assert out.loc[3, ["share", "low", "high"]].isna().all()


def test_add_share_columns_with_other_column_names_and_missing_n():
    df = pd.DataFrame({"otrygga": [40, 3], "svar": [173, None]})
    out = add_share_columns(df, k="otrygga", n="svar")
    assert_allclose(out.loc[0, ["low", "high"]].astype(float), WILSON_CASES[1].values[2], rtol=1e-9)
    assert out.loc[1, ["share", "low", "high"]].isna().all()


def test_add_share_columns_rejects_k_above_n():
    with pytest.raises(ValueError):
        add_share_columns(pd.DataFrame({"k": [6], "n": [5]}))


# --- suppression ---------------------------------------------------------------------------------


def test_suppress_hides_small_groups_and_flags_small_bases():
    df = pd.DataFrame(
        {"area": ["Högvad", "Kindaholm", "Axelfors", "Tätorten"], "k": [1, 3, 10, 40], "n": [4, 5, 29, 173]}
    )
    df = add_share_columns(df)
    out = suppress(df, minimum=5, small=30, value_cols=["k", "share", "low", "high"])
    assert out["suppressed"].tolist() == [True, False, False, False]
    assert out["small_sample"].tolist() == [True, True, True, False]
    assert out.loc[0, ["k", "share", "low", "high"]].isna().all()
    assert out.loc[0, "n"] == 4 and out.loc[0, "area"] == "Högvad"
    assert_allclose(out.loc[1:, "k"].astype(float), [3, 10, 40])
    assert df.loc[0, "k"] == 1  # input untouched


@pytest.mark.parametrize(
    ("minimum", "small", "suppressed", "small_sample"),
    [
        (5, 30, [True, False, False, False], [True, True, True, False]),
        (10, 50, [True, True, False, False], [True, True, True, False]),
        (1, 1, [False, False, False, False], [False, False, False, False]),
    ],
    ids=["defaults", "stricter-config", "no-thresholds"],
)
def test_suppress_thresholds_come_from_the_caller(minimum, small, suppressed, small_sample):
    df = pd.DataFrame({"k": [1, 3, 10, 40], "n": [4, 5, 29, 173]})
    out = suppress(df, minimum=minimum, small=small)  # default value_cols: numeric columns except n
    assert out["suppressed"].tolist() == suppressed
    assert out["small_sample"].tolist() == small_sample
    assert out["k"].isna().tolist() == suppressed


def test_suppress_treats_a_missing_base_as_suppressed():
    out = suppress(pd.DataFrame({"share": [0.5], "n": [np.nan]}))
    assert out["suppressed"].tolist() == [True] and out["small_sample"].tolist() == [True]
    assert math.isnan(out.loc[0, "share"])


@pytest.mark.parametrize(
    "kwargs",
    [{"value_cols": ["nope"]}, {"n_col": "nope"}, {"value_cols": ["n"]}, {"minimum": 40, "small": 30}],
    ids=["unknown-value-col", "unknown-n-col", "n-as-value", "minimum>small"],
)
def test_suppress_rejects_bad_arguments(kwargs):
    with pytest.raises((KeyError, ValueError)):
        suppress(pd.DataFrame({"k": [1], "n": [4]}), **kwargs)


# --- Poisson rate comparison ---------------------------------------------------------------------


def test_poisson_rate_test_matches_r_poisson_test_example():
    # R documentation of poisson.test, "Comparison of Poisson rates":
    #   poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878))
    #   p-value = 0.07967; 95 % CI 0.8584264 4.2772659; rate ratio 1.971488
    res = poisson_rate_test(11, 800, 21, 3011)
    assert_allclose(res.rate_ratio, (11 / 800) / (21 / 3011), rtol=1e-12)
    assert_allclose(res.rate_ratio, 1.971488, rtol=1e-6)
    assert_allclose([res.ci_low, res.ci_high], [0.8584264, 4.2772659], rtol=1e-6)
    assert_allclose(res.p_value, 0.07967, rtol=1e-4)
    assert_allclose(res.expected_recent, 32 * 800 / 3811, rtol=1e-12)
    assert res.direction == "up" and not res.is_change(0.05)


def test_poisson_rate_test_zero_recent_count():
    # 0 reports in 4 weeks against 6 in 12. Conditional on N = 6, X ~ Bin(6, p0 = 4/16 = 0.25).
    # pmf: P0 = 0.75^6 = 0.177978515625; P3 = 0.1318359375, P4 = 0.032958984375, P5 = 0.00439453125,
    # P6 = 0.000244140625 (P1 = 0.356, P2 = 0.297 are more likely than P0 and are not summed).
    # Two-sided p = P0 + P3 + P4 + P5 + P6 = 0.347412109375.
    # Clopper-Pearson upper bound for x = 0: 1 - 0.025^(1/6) = 0.4592581264; RR = p/(1-p) * 12/4.
    res = poisson_rate_test(0, 4, 6, 12)
    pu = 1 - 0.025 ** (1 / 6)
    assert res.rate_ratio == 0.0 and res.ci_low == 0.0
    assert_allclose(res.ci_high, pu / (1 - pu) * 3, rtol=1e-9)
    assert_allclose(res.ci_high, 2.5479335828919707, rtol=1e-9)
    assert_allclose(res.p_value, 0.347412109375, rtol=1e-9)
    assert res.direction == "down"


def test_poisson_rate_test_zero_baseline_count():
    # 5 reports in 2 weeks against 0 in 10: X ~ Bin(5, p0 = 2/12). The observed x = 5 is the least
    # likely outcome, so the two-sided p = P(X = 5) = (1/6)^5 = 1.2860082304526745e-04.
    # Clopper-Pearson lower bound for x = n = 5: 0.025^(1/5) = 0.4781762499; RR = p/(1-p) * 10/2.
    res = poisson_rate_test(5, 2, 0, 10)
    pl = 0.025 ** (1 / 5)
    assert res.rate_ratio == math.inf and res.ci_high == math.inf
    assert_allclose(res.ci_low, pl / (1 - pl) * 5, rtol=1e-9)
    assert_allclose(res.p_value, (1 / 6) ** 5, rtol=1e-9)
    assert res.direction == "up" and res.is_change(0.05)


def test_poisson_rate_test_no_events_at_all():
    res = poisson_rate_test(0, 4, 0, 12)
    assert math.isnan(res.rate_ratio)
    assert (res.ci_low, res.ci_high, res.p_value, res.direction) == (0.0, math.inf, 1.0, "flat")


def test_poisson_rate_test_equal_rates_are_flat():
    # 2 in 4 weeks and 6 in 12 weeks: same rate, X = 2 is the mode of Bin(8, 0.25) -> p = 1.
    res = poisson_rate_test(2, 4, 6, 12)
    assert res.rate_ratio == 1.0 and res.direction == "flat"
    assert_allclose(res.p_value, 1.0)
    assert res.ci_low < 1.0 < res.ci_high


@pytest.mark.parametrize(
    "args",
    [(-1, 4, 6, 12), (1.5, 4, 6, 12), (1, 0, 6, 12), (1, 4, 6, -12), (1, 4, 6, math.inf), (1, 4, 6, math.nan)],
    ids=["negative-count", "fractional-count", "zero-exposure", "negative-exposure", "inf-exposure", "nan-exposure"],
)
def test_poisson_rate_test_rejects_invalid_input(args):
    with pytest.raises(ValueError):
        poisson_rate_test(*args)


# --- FDR -----------------------------------------------------------------------------------------

# Benjamini & Hochberg (1995), section 4: 15 p-values; at q = 0.05 the first four are rejected.
BH_P = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
        0.5719, 0.6528, 0.7590, 1.000]
# q_(i) = min over j >= i of p_(j) * m / j, capped at 1 (hand calculation with m = 15):
BH_Q = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571428571, 0.0638571428571, 0.0645, 0.0765,
        0.486, 0.581181818182, 0.714875, 0.753230769231, 0.813214285714, 1.0]


def test_fdr_reproduces_benjamini_hochberg_1995():
    reject, q = fdr(BH_P, alpha=0.05)
    assert reject.dtype == bool
    assert reject.tolist() == [True] * 4 + [False] * 11
    assert_allclose(q, BH_Q, rtol=1e-9)


def test_fdr_keeps_input_order():
    order = np.random.default_rng(1).permutation(len(BH_P))
    reject, q = fdr(np.array(BH_P)[order])
    assert_allclose(q, np.array(BH_Q)[order], rtol=1e-9)
    assert reject.tolist() == [i < 4 for i in order]


def test_fdr_ignores_nan_p_values():
    # NaNs are tests not performed: they stay NaN/False and do not count in m.
    p = [np.nan, 0.01, 0.04, np.nan, 0.03]
    reject, q = fdr(p)
    # m = 3, sorted 0.01, 0.03, 0.04 -> q = min(0.01*3/1, ...) = 0.03, min(0.03*3/2, 0.04) = 0.04, 0.04
    assert_allclose(q, [np.nan, 0.03, 0.04, np.nan, 0.04])
    assert reject.tolist() == [False, True, True, False, True]


@pytest.mark.parametrize("p", [[], [np.nan, np.nan]], ids=["empty", "all-nan"])
def test_fdr_without_tests(p):
    reject, q = fdr(p)
    assert reject.tolist() == [False] * len(p)
    assert np.isnan(q).all() and len(q) == len(p)


def test_fdr_rejects_p_values_outside_the_unit_interval():
    with pytest.raises(ValueError):
        fdr([0.2, 1.2])


# --- two proportions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "ci"),
    [
        # Newcombe (1998), Stat Med 17:873, table II, method 10 (hybrid score):
        ((56, 70, 48, 80), (0.0524, 0.3339)),   # example (a): 0.0524 to 0.3339
        ((9, 10, 3, 10), (0.1705, 0.8090)),     # example (b): 0.1705 to 0.8090
    ],
    ids=["newcombe-a", "newcombe-b"],
)
def test_two_proportion_interval_matches_newcombe_1998(counts, ci):
    res = two_proportion_test(*counts)
    k1, n1, k2, n2 = counts
    assert_allclose(res.diff, k1 / n1 - k2 / n2)
    assert_allclose([res.ci_low, res.ci_high], ci, atol=5e-5)


def test_two_proportion_p_value_is_the_miettinen_nurminen_score_test():
    # Under diff = 0 the constrained estimate is the pooled share p = 104/150, so
    #   z = (0.8 - 0.6) / sqrt(p (1-p) (1/70 + 1/80) * N/(N-1)),  N = 150  ->  z = 2.6413232723
    # and the two-sided p = 2 * (1 - Phi(z)) = erfc(z / sqrt 2).
    p = 104 / 150
    z = 0.2 / math.sqrt(p * (1 - p) * (1 / 70 + 1 / 80) * 150 / 149)
    res = two_proportion_test(56, 70, 48, 80)
    assert_allclose(res.p_value, math.erfc(z / math.sqrt(2)), rtol=1e-9)
    assert res.is_change(0.05)


def test_two_proportion_no_difference_between_survey_years():
    # 40/173 otrygga in 2020 against 130/565 in 2019: 23.1 % vs 23.0 %, no change.
    res = two_proportion_test(40, 173, 130, 565)
    assert res.p_value > 0.5 and not res.is_change()
    assert res.ci_low < 0 < res.ci_high


@pytest.mark.parametrize(
    ("counts", "p_value"),
    [((0, 10, 0, 20), 1.0), ((10, 10, 20, 20), 1.0)],
    ids=["all-zero", "all-one"],
)
def test_two_proportion_identical_extremes(counts, p_value):
    res = two_proportion_test(*counts)
    assert res.diff == 0.0 and res.p_value == p_value
    assert -1.0 <= res.ci_low < 0.0 < res.ci_high <= 1.0


def test_two_proportion_opposite_extremes_keep_the_interval_inside_bounds():
    res = two_proportion_test(0, 10, 20, 20)
    assert res.diff == -1.0 and res.ci_low == -1.0 and res.ci_high < 0
    assert res.p_value < 1e-6


def test_two_proportion_with_an_empty_group_is_nan():
    res = two_proportion_test(0, 0, 3, 5)
    assert math.isnan(res.diff) and math.isnan(res.p_value) and math.isnan(res.ci_low)
    assert res.share2 == 0.6 and not res.is_change()


# --- scale index ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "n_steps", "top", "expected"),
    [
        ([1, 1, 1], 5, 10.0, (0.0, 3)),
        ([5, 5], 5, 10.0, (10.0, 2)),
        # (0 + 2.5 + 5 + 7.5 + 10) / 5 = 5
        ([1, 2, 3, 4, 5], 5, 10.0, (5.0, 5)),
        # 4-step: (2-1)/3*10 = 3.333.., (4-1)/3*10 = 10 -> mean 6.666..; nan dropped
        ([2, 4, np.nan], 4, 10.0, (20 / 3, 2)),
        # 0-100 index: 3 on 5 steps -> 50
        ([3], 5, 100.0, (50.0, 1)),
    ],
    ids=["all-first", "all-last", "uniform", "four-step-with-nan", "top-100"],
)
def test_scale_index(values, n_steps, top, expected):
    res = scale_index(values, n_steps, top)
    assert_allclose(res.index, expected[0])
    assert res.n == expected[1]


def test_scale_index_without_answers_is_nan():
    res = scale_index([np.nan], 5)
    assert math.isnan(res.index) and res.n == 0


@pytest.mark.parametrize(
    ("values", "n_steps"), [([0, 1], 5), ([6], 5), ([2.5], 5), ([1], 1)], ids=["below", "above", "fraction", "one-step"]
)
def test_scale_index_rejects_answers_off_the_scale(values, n_steps):
    with pytest.raises(ValueError):
        scale_index(values, n_steps)


# --- week windows --------------------------------------------------------------------------------


def test_weeks_with_reports_counts_distinct_weeks_in_the_window():
    # window_end 2026-11-18 (Wed, week 47) -> window = weeks 36..47 (Mondays 2026-08-31 .. 2026-11-16).
    reports = [
        "2026-11-16", "2026-11-19",  # week 47 twice (a Monday and a Thursday) -> one week
        "2026-11-09",                # week 46
        "2026-08-31",                # week 36, first week of the window
        "2026-08-30",                # Sunday of week 35: outside
        "2026-11-23",                # week 48: after the window
        None,                        # missing date: ignored
    ]
    assert weeks_with_reports(pd.to_datetime(reports), "2026-11-18", n_weeks=12) == 3
    assert weeks_with_reports(reports, pd.Timestamp("2026-11-18"), n_weeks=1) == 1
    assert weeks_with_reports([], "2026-11-18") == 0


def test_weeks_with_reports_rejects_a_bad_window():
    with pytest.raises(ValueError):
        weeks_with_reports(["2026-11-16"], "2026-11-18", n_weeks=0)


def _weekly(values, first="2026-08-03"):
    return pd.Series(values, index=pd.date_range(first, periods=len(values), freq="7D"), dtype="float64")


def test_rolling_baseline_last_four_against_twelve_before():
    # 16 weeks: the first 12 have 1 report each, the last 4 have 3 each.
    counts = _weekly([1] * 12 + [3] * 4)
    assert rolling_baseline(counts, 4, 12) == Baseline(12, 4, 12, 12)
    # Last 2 weeks against the 12 before: baseline = weeks 3..14 -> 10 * 1 + 2 * 3 = 16.
    assert rolling_baseline(counts, 2, 12) == Baseline(6, 2, 16, 12)


def test_rolling_baseline_missing_weeks_zero_or_unknown():
    # Only weeks with reports are listed (as after a groupby): 2 in the last week, 4 in the first.
    counts = pd.Series([4.0, 2.0], index=pd.to_datetime(["2026-08-03", "2026-11-16"]))
    assert rolling_baseline(counts, 4, 12) == Baseline(2, 4, 4, 12)
    assert rolling_baseline(counts, 4, 12, missing="unknown") == Baseline(2, 1, 4, 1)


def test_rolling_baseline_nan_week_is_not_zero():
    # A week without reporting adds neither count nor exposure.
    counts = _weekly([1] * 12 + [3, np.nan, 3, 3])
    assert rolling_baseline(counts, 4, 12) == Baseline(9, 3, 12, 12)


def test_rolling_baseline_sums_several_entries_per_week_and_honours_end():
    counts = pd.Series(
        [1.0, 2.0, 5.0], index=pd.to_datetime(["2026-11-09", "2026-11-11", "2026-11-16"])  # Mon+Wed, next Mon
    )
    # end inside week 46 -> week 47 is after the window; recent = week 46 only.
    assert rolling_baseline(counts, 1, 2, end="2026-11-12") == Baseline(3, 1, 0, 2)


def test_rolling_baseline_feeds_the_rate_test():
    counts = _weekly([1] * 12 + [3] * 4)
    b = rolling_baseline(counts, 4, 12)
    res = poisson_rate_test(b.recent_count, b.recent_weeks, b.base_count, b.base_weeks)
    assert_allclose(res.rate_ratio, 3.0)


@pytest.mark.parametrize(
    ("series", "kwargs"),
    [
        (_weekly([1, -1]), {}),
        (_weekly([1, 0.5]), {}),
        (_weekly([]), {}),
        (_weekly([1, 2]), {"missing": "maybe"}),
        (_weekly([1, 2]), {"recent_weeks": 0}),
    ],
    ids=["negative", "fraction", "empty-without-end", "bad-missing", "zero-window"],
)
def test_rolling_baseline_rejects_invalid_input(series, kwargs):
    args = {"recent_weeks": 4, "baseline_weeks": 12, **kwargs}
    with pytest.raises(ValueError):
        rolling_baseline(series, **args)


def test_rolling_baseline_empty_with_end_and_zero_default():
    assert rolling_baseline(_weekly([]), 2, 12, end="2026-11-16") == Baseline(0, 2, 0, 12)


# --- relative_change (before/after at a place against the rest of the ort) ----------------------------

def test_relative_change_known_answer():
    # Table [[5, 20], [30, 32]]: scipy's conditional MLE odds ratio 0.2706 with exact CI 0.0703–0.8683;
    # the unconditional (sample) odds ratio would be 5*32/(20*30) = 0.2667. Fisher p = 0.01667.
    from tsk.stats import relative_change

    r = relative_change(place_before=20, place_after=5, rest_before=32, rest_after=30)
    assert_allclose([r.ratio, r.ci_low, r.ci_high, r.p_value], [0.27057, 0.070267, 0.868308, 0.016675], rtol=1e-3)
    assert r.place_ratio == 0.25 and r.is_change()


def test_relative_change_with_an_empty_margin_says_nothing():
    from tsk.stats import relative_change

    r = relative_change(place_before=0, place_after=0, rest_before=10, rest_after=12)
    assert math.isnan(r.ratio) and (r.ci_low, r.ci_high) == (0.0, math.inf) and not r.is_change()


def test_clopper_pearson_is_scipys_exact_interval():
    from scipy.stats import binomtest

    from tsk.stats import clopper_pearson

    assert clopper_pearson(0, 10) == (0.0, pytest.approx(0.3084971, abs=1e-6))  # the textbook 0/10 case
    assert clopper_pearson(10, 10) == (pytest.approx(0.6915029, abs=1e-6), 1.0)
    for n in (1, 2, 7, 30, 113, 1000):
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            expected = binomtest(k, n, 0.5).proportion_ci(confidence_level=0.9, method="exact")
            low, high = clopper_pearson(k, n, 0.9)
            assert low == pytest.approx(expected.low, abs=1e-9) and high == pytest.approx(expected.high, abs=1e-9)


# --- pooled years and the precision note (issue 18, small areas) ---------------------------------------

def test_pooled_share_sums_the_years_before_dividing():
    # 6 of 34 one year and 9 of 30 the next: 15 of 64, not the mean of 17.6 % and 30 %.
    pooled = pooled_share([(6, 34), (9, 30)])
    assert (pooled.k, pooled.n) == (15, 64)
    assert pooled.share == pytest.approx(15 / 64)
    # Wilson by hand: centre (k + z²/2)/(n + z²), half-width z/(n + z²)·sqrt(k(n−k)/n + z²/4).
    z = 1.959963984540054
    centre = (15 + z * z / 2) / (64 + z * z)
    half = z / (64 + z * z) * math.sqrt(15 * 49 / 64 + z * z / 4)
    assert pooled.low == pytest.approx(centre - half, abs=1e-12)
    assert pooled.high == pytest.approx(centre + half, abs=1e-12)


def test_pooled_share_of_no_answers_is_unknown_and_bad_counts_are_refused():
    assert math.isnan(pooled_share([(0, 0), (0, 0)]).share)
    with pytest.raises(ValueError):
        pooled_share([(5, 4)])


def test_answers_needed_matches_fleiss_formula_by_hand():
    # 18 % → 48 % (the small area, n 34/33): pbar = 0.33.
    p1, p2 = 0.18, 0.48
    za, zb = 1.959963984540054, 0.8416212335729143
    pbar = (p1 + p2) / 2
    by_hand = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 \
        / (p1 - p2) ** 2
    assert by_hand == pytest.approx(37.363, abs=1e-3)
    assert answers_needed(p1, p2) == 38 == math.ceil(by_hand)
    assert answers_needed(p2, p1) == 38  # symmetric
    # A smaller difference needs many more answers; more power needs more answers.
    assert answers_needed(0.30, 0.35) > 1000
    assert answers_needed(p1, p2, power=0.9) > 38


def test_answers_needed_without_a_difference_is_none():
    assert answers_needed(0.3, 0.3) is None
    assert answers_needed(math.nan, 0.3) is None
    with pytest.raises(ValueError):
        answers_needed(0.2, 1.4)
