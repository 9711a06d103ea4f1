"""Pure trygghetsvandring candidate scoring: which places/orter to walk next, and why.

No Streamlit, no DuckDB, no I/O. `score_candidates` takes one row of evidence per candidate unit (the
contract is in its docstring), scores ten components in [0, 1], multiplies each by a weight from the
kommun configuration ([vandring.weights] in tsk.toml) and adds them up. Every component comes with a
plain Swedish sentence, so a ranking can always be explained ("why is this place on top?").

It runs in steps: `_check_inputs`; `_run_tests` (the statistical tests across all candidates, with their
Benjamini-Hochberg q-values); per candidate the component table of tsk.pagedata.scoring_components (key, score
function, reason function), `_explain` (the reasons, largest contribution first) and `_uncertainty`;
then `_rank` (thin evidence last, ties by unit name). Statuses are keys ("ok", "thin") with their words in
tsk.i18n (`STATUS_WORDS`).

The statistics are delegated to tsk.stats (`poisson_rate_test`, `two_proportion_test`, `fdr`); this
module only turns their results into bounded scores and sentences.

Monotonicity (tested in tests/test_scoring.py): more recent reports for a unit never lower any of its
scores or its total. That rests on three facts:
- the count components (recurrence, volume) are non-decreasing, capped ratios;
- the Benjamini-Hochberg q-values are coordinatewise non-decreasing in the p-values (lowering one
  unit's p-value never raises any unit's q-value);
- the two-sided exact p-value of `poisson_rate_test` falls as the recent count grows above the
  baseline rate *when the baseline covers at least as many weeks as the recent window*. With a longer
  recent window than baseline the two-sided rule can make the p-value rise slightly with one more
  report (e.g. 12 recent weeks against 3 baseline weeks). Such a baseline is too short to judge a
  trend anyway, so the trend is only tested when `lb_base_weeks >= lb_recent_weeks` (the configured
  windows are 8 and 52 weeks).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from tsk import stats
from tsk.formatting import NBSP, fmt_date
from tsk.i18n import MESSAGES
from tsk.pagedata.scoring_components import (  # noqa: F401 (the table's public names are re-exported from here)
    CAP_KEYS,
    COMPONENT_LABELS,
    COMPONENTS,
    OPTIONAL_CAP_KEYS,
    OPTIONAL_COMPONENTS,
    TABLE,
    TEXTS,
    Component,
    Facts,
    Settings,
    _ci,
    _clip01,
    _date_or_none,
    _fmt_num,
    _missing,
    _num,
    _q,
    _ratio,
    capped,
    check_recurrence,
    share_score,
    traffpunkt_best,
    trend_score,
    walk_score,
)

# Statuses are keys: the status column holds one of these; the tables put on their words
# (STATUS_WORDS, tsk/i18n/messages_scoring.py "sc_status_<key>").
STATUS_OK, STATUS_THIN = "ok", "thin"
STATUS_KEYS: tuple[str, ...] = (STATUS_OK, STATUS_THIN)
STATUS_WORDS: dict[str, str] = {key: MESSAGES[f"sc_status_{key}"] for key in STATUS_KEYS}

IDENTITY_COLUMNS: tuple[str, ...] = ("unit", "level", "area", "ort", "plats", "is_centralort")

EVIDENCE_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    "lb_recent", "lb_recent_weeks", "lb_base", "lb_base_weeks", "lb_recent_weighted", "lb_weeks_with_reports",
    "lb_recurrence_weeks", "lb_top_category", "lb_top_recent", "lb_top_normal",
    "reporters", "police_recent",
    "survey_k", "survey_n", "survey_rest_k", "survey_rest_n", "survey_year", "mentions",
    "tp_k", "tp_n", "tp_others_k", "tp_others_n", "tp_prev_k", "tp_prev_n", "tp_round", "tp_prev_round",
    "months_since_walk", "physical",
)

# Evidence a caller may leave out: `planned_walk`, the date of the next planned walk in the unit's ort
# (None/NaT when none is planned); `dialog_questions`, the safety questions raised about the unit in
# Träffpunkt's dialogue steps 2–4 (missing = 0; candidates.candidate_evidence adds it only when the
# dialogue register has questions, so a store without them gives the same evidence as before).
OPTIONAL_EVIDENCE: tuple[str, ...] = ("planned_walk", "dialog_questions")

OUTPUT_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    *(c for key in COMPONENTS for c in (f"score_{key}", f"contrib_{key}")),
    "total", "rank", "status", "reasons", "uncertainty", "few_reports", "planned_walk",
    "rate_ratio", "rr_low", "rr_high", "q_lagesbild", "q_survey", "q_traffpunkt",
)

# Totals are compared after rounding to this many decimals, so that float noise (0.1 + 0.2 vs 0.3)
# can never reorder candidates: equal totals are ordered by unit name.
RANK_DECIMALS = 9


def default_weights(config) -> dict[str, float]:
    """A copy of the configured component weights ([vandring.weights]) of a KommunConfig; a component of
    OPTIONAL_COMPONENTS an older configuration lacks gets weight 0."""
    weights = {key: float(value) for key, value in config.vandring.weights.items()}
    return {**weights, **{key: 0.0 for key in OPTIONAL_COMPONENTS if key not in weights}}


# --------------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------------

def _check_inputs(evidence: pd.DataFrame, weights: Mapping[str, float], caps: Mapping[str, float]) -> None:
    missing = [c for c in EVIDENCE_COLUMNS if c not in evidence.columns]
    if missing:
        raise ValueError(f"evidence lacks columns: {missing}")
    if not set(COMPONENTS) - set(OPTIONAL_COMPONENTS) <= set(weights) <= set(COMPONENTS):
        raise ValueError(f"weights must have the keys {list(COMPONENTS)} (optional: {list(OPTIONAL_COMPONENTS)}), "
                         f"got {sorted(weights)}")
    for key, w in weights.items():
        if not (math.isfinite(_num(w)) and _num(w) >= 0):
            raise ValueError(f"weight {key!r} must be a non-negative number, got {w!r}")
    absent = [k for k in CAP_KEYS if k not in caps]
    if absent:
        raise ValueError(f"caps lack keys: {absent}")
    for key in (*CAP_KEYS, *(k for k in OPTIONAL_CAP_KEYS if k in caps)):
        if not (math.isfinite(_num(caps[key])) and _num(caps[key]) > 0):
            raise ValueError(f"cap {key!r} must be a positive number, got {caps[key]!r}")
    if not _num(caps["rate_ratio"]) > 1:
        raise ValueError(f"cap 'rate_ratio' must be above 1, got {caps['rate_ratio']!r}")
    if evidence["unit"].duplicated().any():
        dupes = sorted(evidence.loc[evidence["unit"].duplicated(), "unit"].astype(str).unique())
        raise ValueError(f"unit must be unique, duplicated: {dupes}")
    bad_level = sorted(set(evidence["level"]) - {"plats", "ort"})
    if bad_level:
        raise ValueError(f"level must be 'plats' or 'ort', got {bad_level}")


def _per_area(evidence: pd.DataFrame, columns: list[str]) -> dict[str, tuple]:
    """area -> the area-level values in `columns`; raise if candidates of one area disagree."""
    out: dict[str, tuple] = {}
    for area, *values in evidence[["area", *columns]].itertuples(index=False):
        key = tuple(None if _missing(v) else float(v) for v in values)
        if area in out and out[area] != key:
            raise ValueError(f"candidates in area {area!r} have different {columns}: {out[area]} and {key}")
        out[area] = key
    return out


def _area_label(evidence: pd.DataFrame, column: str) -> dict[str, object]:
    return dict(zip(evidence["area"], evidence[column]))


# --------------------------------------------------------------------------------------------------
# Step 1: the tests across all candidates
# --------------------------------------------------------------------------------------------------


class _Tests(NamedTuple):
    """The tests of one run: per row the coverage and the lägesbild trend test with its q-value; per
    area the survey test, the two Träffpunkt tests, their q-values and the area-level labels."""
    covered: np.ndarray
    thin: np.ndarray
    trend: list[stats.RateComparison | None]
    q_trend: np.ndarray
    survey: dict[str, stats.ProportionComparison | None]
    q_survey: dict[str, float]
    tp: dict[tuple[str, str], stats.ProportionComparison | None]
    q_tp: dict[tuple[str, str], float]
    survey_year: dict[str, object]
    tp_round: dict[str, object]
    tp_prev_round: dict[str, object]


def _coverage(ev: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(covered, thin) per row: lägesbild coverage is reporters or recent reports; thin evidence is
    neither coverage nor survey data (survey or Träffpunkt answers, or mentions)."""
    reporters = np.array([_num(x) for x in ev["reporters"]])
    lb_recent = np.array([_num(x) for x in ev["lb_recent"]])
    covered = (np.nan_to_num(reporters) > 0) | (np.nan_to_num(lb_recent) > 0)

    def positive(col):
        return np.array([_num(x) > 0 for x in ev[col]], dtype=bool)

    has_survey = positive("survey_n") | positive("tp_n") | positive("mentions")
    return covered, ~covered & ~has_survey


def _trend_tests(ev: pd.DataFrame, covered: np.ndarray, alpha: float):
    """One Poisson rate test per covered unit whose baseline is at least as long as the recent window;
    BH across them. Returns (tests, q-values)."""
    tests: list[stats.RateComparison | None] = []
    for i, r in enumerate(ev.itertuples(index=False)):
        e1, e0 = _num(r.lb_recent_weeks), _num(r.lb_base_weeks)
        testable = covered[i] and e1 > 0 and e0 > 0 and e0 >= e1
        tests.append(stats.poisson_rate_test(r.lb_recent, e1, r.lb_base, e0) if testable else None)
    _, q = stats.fdr([t.p_value if t else math.nan for t in tests], alpha=alpha)
    return tests, q


def _survey_tests(ev: pd.DataFrame, alpha: float):
    """One two-proportion test per area against the rest of the kommun, BH across areas."""
    values = _per_area(ev, ["survey_k", "survey_n", "survey_rest_k", "survey_rest_n"])
    tests = {area: (None if None in v else stats.two_proportion_test(*v)) for area, v in values.items()}
    areas = list(tests)
    _, q = stats.fdr([tests[a].p_value if tests[a] else math.nan for a in areas], alpha=alpha)
    return tests, dict(zip(areas, q))


def _traffpunkt_tests(ev: pd.DataFrame, alpha: float):
    """Two tests per area (against the other areas, against its previous round), one BH family."""
    values = _per_area(ev, ["tp_k", "tp_n", "tp_others_k", "tp_others_n", "tp_prev_k", "tp_prev_n"])
    tests: dict[tuple[str, str], stats.ProportionComparison | None] = {}
    for area, (k, n, ok, on, pk, pn) in values.items():
        tests[(area, "others")] = None if None in (k, n, ok, on) else stats.two_proportion_test(k, n, ok, on)
        tests[(area, "prev")] = None if None in (k, n, pk, pn) else stats.two_proportion_test(k, n, pk, pn)
    keys = list(tests)
    _, q = stats.fdr([tests[key].p_value if tests[key] else math.nan for key in keys], alpha=alpha)
    return tests, dict(zip(keys, q))


def _run_tests(ev: pd.DataFrame, alpha: float) -> _Tests:
    covered, thin = _coverage(ev)
    trend, q_trend = _trend_tests(ev, covered, alpha)
    survey, q_survey = _survey_tests(ev, alpha)
    tp, q_tp = _traffpunkt_tests(ev, alpha)
    return _Tests(covered, thin, trend, q_trend, survey, q_survey, tp, q_tp, _area_label(ev, "survey_year"),
                  _area_label(ev, "tp_round"), _area_label(ev, "tp_prev_round"))


def _facts(i: int, r, tests: _Tests) -> Facts:
    """What the components see of row `i` (checks its recurrence values first)."""
    check_recurrence(r)
    area = r.area
    return Facts(
        row=r, covered=bool(tests.covered[i]), trend=tests.trend[i], q_trend=float(tests.q_trend[i]),
        survey=tests.survey[area], q_survey=float(tests.q_survey[area]), survey_year=tests.survey_year[area],
        tp={kind: (tests.tp[(area, kind)], float(tests.q_tp[(area, kind)])) for kind in ("others", "prev")},
        tp_round=tests.tp_round[area], tp_prev_round=tests.tp_prev_round[area],
        planned=_date_or_none(getattr(r, "planned_walk", None)))


# --------------------------------------------------------------------------------------------------
# Step 2: explain (reasons and uncertainty)
# --------------------------------------------------------------------------------------------------


def _explain(f: Facts, s: Settings, contribs: Mapping[str, float], thin: bool) -> list[str]:
    """The reasons: one sentence per contributing component, largest contribution first (ties in table
    order), then «no coverage» when the lägesbild does not cover the unit; thin evidence has one reason
    instead. A planned walk comes first."""
    texts = {c.key: c.reason(f, s) for c in TABLE}
    if thin:
        reasons = [TEXTS["thin"]]
    else:
        order = sorted((k for k in COMPONENTS if contribs[k] > 0 and texts[k] is not None),
                       key=lambda k: (-contribs[k], COMPONENTS.index(k)))
        reasons = [texts[k] for k in order]
        if not f.covered:
            reasons.append(TEXTS["no_coverage"])
    if f.planned:
        reasons = [TEXTS["walk_planned"].format(date=fmt_date(f.planned)), *reasons]
    return reasons


def _uncertainty(f: Facts, min_reports: int) -> tuple[str, bool]:
    """(The sentence on how certain the trend is, whether it rests on few reports)."""
    test = f.trend
    if not f.covered:
        return TEXTS["unc_no_coverage"], False
    if test is None:
        e1, e0 = _num(f.row.lb_recent_weeks), _num(f.row.lb_base_weeks)
        return (TEXTS["unc_short_base"].format(base_weeks=_fmt_num(e0), weeks=_fmt_num(e1))
                if e1 > 0 and math.isfinite(e0) else TEXTS["unc_no_test"]), False
    if test.count_recent + test.count_base < min_reports:
        return TEXTS["unc_few"], True
    if math.isnan(test.rate_ratio):
        return TEXTS["unc_no_test"], False
    return TEXTS["unc_test"].format(
        rr="∞" if math.isinf(test.rate_ratio) else _ratio(test.rate_ratio),
        ci=_ci(test.ci_low, test.ci_high), q=_q(f.q_trend), nbsp=NBSP), False


def _row(f: Facts, s: Settings, weight: Mapping[str, float], thin: bool, min_reports: int) -> dict:
    """One output row (rank still 0): the component table applied, the thin-evidence rule (nan scores,
    contributions and total), the reasons and the test results."""
    scores = {c.key: c.score(f, s) for c in TABLE}
    contribs = {k: weight[k] * scores[k] for k in COMPONENTS}
    uncertainty, few = _uncertainty(f, min_reports)
    test = f.trend
    return {
        **{c: getattr(f.row, c) for c in IDENTITY_COLUMNS},
        **{c: (math.nan if thin else v) for k in COMPONENTS
           for c, v in ((f"score_{k}", scores[k]), (f"contrib_{k}", contribs[k]))},
        "total": math.nan if thin else float(sum(contribs[k] for k in COMPONENTS)),
        "rank": 0,
        "status": STATUS_THIN if thin else STATUS_OK,
        "reasons": _explain(f, s, contribs, thin),
        "uncertainty": uncertainty,
        "few_reports": few,
        "planned_walk": f.planned,
        "rate_ratio": test.rate_ratio if test else math.nan,
        "rr_low": test.ci_low if test else math.nan,
        "rr_high": test.ci_high if test else math.nan,
        "q_lagesbild": f.q_trend,
        "q_survey": f.q_survey,
        "q_traffpunkt": traffpunkt_best(f, s)[1],
    }


# --------------------------------------------------------------------------------------------------
# Step 3: rank
# --------------------------------------------------------------------------------------------------


def _rank(out: pd.DataFrame) -> pd.DataFrame:
    """Sorted by rank: scored units by total (rounded to RANK_DECIMALS), highest first; thin evidence
    (nan total) after every scored unit; ties by unit name. Ranks 1..n, all distinct."""
    n_units = len(out)
    if n_units == 0:
        return out.astype({"rank": "int64"})
    totals = out["total"].to_numpy(dtype="float64")
    names = [str(u) for u in out["unit"]]

    def rank_key(i: int):
        total = totals[i]
        scored = not math.isnan(total)
        return (not scored, -round(total, RANK_DECIMALS) if scored else 0.0, names[i])

    order = sorted(range(n_units), key=rank_key)
    out = out.loc[order].reset_index(drop=True)
    out["rank"] = np.arange(1, n_units + 1, dtype="int64")
    return out


# --------------------------------------------------------------------------------------------------
# The scoring
# --------------------------------------------------------------------------------------------------


def score_candidates(
    evidence: pd.DataFrame,
    weights: Mapping[str, float],
    caps: Mapping[str, float],
    *,
    alpha: float = 0.05,
    centralort_interval_months: int = 12,
    min_reports: int = 10,
) -> pd.DataFrame:
    """Rank candidate places/orter for a trygghetsvandring, with the reasons for each. (Long only for this
    docstring: it is the evidence frame's contract; the body is a dozen lines.)

    Input `evidence`, one row per candidate unit (all columns required; survey/Träffpunkt values may
    be nan):
    - identity: `unit` (str, unique, e.g. "Badplatsen, Byn" or "Byn"), `level` ("plats" or
      "ort"), `area`, `ort`, `plats` (None at ort level), `is_centralort` (bool).
    - lägesbild: `lb_recent` (reports with grade > 0 in the recent window), `lb_recent_weeks` (covered
      weeks in it), `lb_base` and `lb_base_weeks` (the same for the baseline before it),
      `lb_recent_weighted` (sum of grades in the recent window), `lb_weeks_with_reports` (distinct
      weeks with a report among the last `lb_recurrence_weeks`), `lb_top_category` (label of the
      most reported category in the recent window, or None), `lb_top_recent` (its recent count),
      `lb_top_normal` (its expected recent count from the baseline).
    - coverage: `reporters`, the reporters who submitted anything (a report or "inget att rapportera")
      for the unit's area in the recent window; 0 = the lägesbild does not cover the area.
    - police: `police_recent`, police events in the unit's ort in the recent window.
    - survey (area level): `survey_k`/`survey_n` otrygg answers / answers in the area in the latest
      year, `survey_rest_k`/`survey_rest_n` the rest of the kommun, `survey_year`; `mentions`
      respondents naming the place among "otrygga platser" (0 if none).
    - Träffpunkt (area level): `tp_k`/`tp_n` (latest round), `tp_others_k`/`tp_others_n` (other areas,
      same round), `tp_prev_k`/`tp_prev_n` (same area, previous round), `tp_round`, `tp_prev_round`.
    - `months_since_walk` (nan = never walked), `physical` (list of Swedish signal names).
    Area-level values must be equal for every candidate in one area (ValueError otherwise).

    `weights` must have the keys of `COMPONENTS` (non-negative; those of `OPTIONAL_COMPONENTS` may be
    left out and then weigh 0); `caps` the keys of `CAP_KEYS` and optionally `OPTIONAL_CAP_KEYS` (the
    value at which a component reaches 1). `alpha` is the false discovery rate passed
    to `stats.fdr`; `min_reports` the number of lägesbild reports (recent + baseline) under which the
    trend is marked "osäkert: få rapporter".

    Components, each in [0, 1] (contribution = weight x score, total = sum of contributions):
    - lagesbild_trend: `stats.poisson_rate_test` recent against baseline; p-values BH-adjusted
      (`stats.fdr`) across the candidates that were tested; clip(log2(RR)/log2(cap), 0, 1) x (1 - q).
      Tested only when the area has coverage, both exposures are positive and the baseline covers at
      least as many weeks as the recent window (see the module docstring); otherwise 0.
    - lagesbild_recurrence: lb_weeks_with_reports / lb_recurrence_weeks.
    - lagesbild_volume: min(1, lb_recent_weighted / cap).
    - police: min(1, police_recent / cap).
    - survey_area: `stats.two_proportion_test` area against the rest of the kommun, once per area, BH
      across areas; clip(diff/cap, 0, 1) x (1 - q). Missing data gives 0.
    - survey_mentions: min(1, mentions / cap).
    - traffpunkt: two tests per area (against the other areas, against its previous round), all in
      one BH family; the larger of the two clip(diff/cap, 0, 1) x (1 - q).
    - time_since_walk: see `walk_score` (centralort yearly; other orter at most 0.5).
    - physical: min(1, number of distinct signals / cap).
    - dialog: min(1, dialog_questions / cap `dialog_questions`): the safety questions raised in
      Träffpunkt's dialogue steps 2–4 about the ort (ort level) or about the plats or its whole ort
      (plats level). Optional: without the evidence column, the weight or the cap it is 0.

    Coverage and status: a unit has lägesbild coverage when `reporters > 0` or it has recent reports.
    Survey data exists when the area has survey or Träffpunkt answers or the place is mentioned. A unit
    with neither gets status `STATUS_THIN` ("thin"; shown as its word, "för lite underlag"),
    nan scores, contributions and total, and is ranked after every scored unit (never a quiet zero). A
    unit with survey data but no coverage is scored (status "ok") with a reason saying the lägesbild has
    no coverage.

    Returns one row per unit, sorted by rank, with the columns `OUTPUT_COLUMNS`: the identity
    columns; `score_<key>` and `contrib_<key>` per component; `total`; `rank` (1 = highest total,
    equal totals ordered by `unit` ascending, so every rank is distinct and reproducible); `status`;
    `reasons` (Swedish sentences, one per contributing component, largest contribution first);
    `uncertainty` (Swedish: the rate ratio's 95 % CI and q-value, or why it is uncertain);
    `rate_ratio`, `rr_low`, `rr_high` (nan when not tested); `q_lagesbild`, `q_survey`,
    `q_traffpunkt` (the q-value of the Träffpunkt comparison that gave the score).
    """
    _check_inputs(evidence, weights, caps)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    if not centralort_interval_months > 0:
        raise ValueError(f"centralort_interval_months must be positive, got {centralort_interval_months!r}")
    ev = evidence.reset_index(drop=True)
    settings = Settings({k: float(caps[k]) for k in (*CAP_KEYS, *OPTIONAL_CAP_KEYS) if k in caps},
                        centralort_interval_months)
    weight = {k: float(weights.get(k, 0.0)) for k in COMPONENTS}
    tests = _run_tests(ev, alpha)
    rows = [_row(_facts(i, r, tests), settings, weight, bool(tests.thin[i]), min_reports)
            for i, r in enumerate(ev.itertuples(index=False))]
    return _rank(pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS)))
