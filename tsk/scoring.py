"""Pure trygghetsvandring candidate scoring: which places/orter to walk next, and why.

No Streamlit, no DuckDB, no I/O. `score_candidates` takes one row of evidence per candidate unit (the
contract is in its docstring), scores nine components in [0, 1], multiplies each by a weight from the
kommun configuration ([vandring.weights] in tsk.toml) and adds them up. Every component comes with a
plain Swedish sentence, so a ranking can always be explained ("why is this place on top?").

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

import numpy as np
import pandas as pd

from tsk import stats
from tsk.formatting import NBSP, fmt_date, fmt_dec, fmt_int, fmt_pct
from tsk.i18n import MESSAGES

# --------------------------------------------------------------------------------------------------
# Components and user-facing text (Swedish). The texts may move to tsk.i18n later.
# --------------------------------------------------------------------------------------------------

COMPONENTS: tuple[str, ...] = (
    "lagesbild_trend",
    "lagesbild_recurrence",
    "lagesbild_volume",
    "police",
    "survey_area",
    "survey_mentions",
    "traffpunkt",
    "time_since_walk",
    "physical",
)

COMPONENT_LABELS: dict[str, str] = {key: MESSAGES[f"sc_label_{key}"] for key in COMPONENTS}

CAP_KEYS: tuple[str, ...] = (
    "rate_ratio", "weighted_reports", "police_events", "share_difference", "mentions", "physical_signals",
)

STATUS_OK = "ok"
STATUS_THIN = "för lite underlag"

# The reasons' sentences, in tsk/i18n.py under "sc_<key>" ({nbsp} is filled in by the caller).
TEXTS: dict[str, str] = {k.removeprefix("sc_"): v for k, v in MESSAGES.items()
                         if k.startswith("sc_") and not k.startswith("sc_label_")}

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
# (None/NaT when none is planned).
OPTIONAL_EVIDENCE: tuple[str, ...] = ("planned_walk",)

OUTPUT_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    *(c for key in COMPONENTS for c in (f"score_{key}", f"contrib_{key}")),
    "total", "rank", "status", "reasons", "uncertainty", "few_reports", "planned_walk",
    "rate_ratio", "rr_low", "rr_high", "q_lagesbild", "q_survey", "q_traffpunkt",
)

# Totals are compared after rounding to this many decimals, so that float noise (0.1 + 0.2 vs 0.3)
# can never reorder candidates: equal totals are ordered by unit name.
RANK_DECIMALS = 9

# Other orter are walked on need: their time component is at most this, reached after this many months.
OTHER_WALK_MAX = 0.5
OTHER_WALK_MONTHS = 24


def default_weights(config) -> dict[str, float]:
    """A copy of the configured component weights ([vandring.weights]) of a KommunConfig."""
    return {key: float(value) for key, value in config.vandring.weights.items()}


# --------------------------------------------------------------------------------------------------
# Component scores on plain numbers
# --------------------------------------------------------------------------------------------------


def _clip01(x: float) -> float:
    """x limited to [0, 1] (as float(np.clip(x, 0, 1)), without numpy's cost on one number)."""
    return float(min(max(x, 0.0), 1.0))


def capped(value: float, cap: float) -> float:
    """min(1, value / cap), at least 0; nan or a missing value gives 0."""
    f = _num(value)
    if math.isnan(f):
        return 0.0
    return _clip01(f / cap)


def trend_score(rate_ratio: float, q_value: float, cap: float) -> float:
    """clip(log2(RR) / log2(cap), 0, 1) x (1 - q). RR <= 1 or nan gives 0; RR = inf reaches the cap."""
    if not math.isfinite(q_value) or not rate_ratio > 1.0:  # also catches nan
        return 0.0
    size = 1.0 if math.isinf(rate_ratio) else _clip01(math.log2(rate_ratio) / math.log2(cap))
    return size * (1.0 - q_value)


def share_score(diff: float, q_value: float, cap: float) -> float:
    """clip(diff / cap, 0, 1) x (1 - q): only a share *above* the comparison counts; nan gives 0."""
    if not (math.isfinite(diff) and math.isfinite(q_value)):
        return 0.0
    return _clip01(diff / cap) * (1.0 - q_value)


def walk_score(months_since_walk: float, is_centralort: bool, interval_months: float) -> float:
    """Time since the last trygghetsvandring in the unit's ort.

    Policy: the centralort is walked once per `interval_months` (yearly), so its score grows to 1 over
    one interval and is 1 when it was never walked. Other orter are walked on need, not on a schedule:
    time alone can give them at most 0.5 (reached after 24 months or when never walked), so that the
    other evidence decides which of them comes first.
    """
    never = months_since_walk is None or not math.isfinite(float(months_since_walk))
    if is_centralort:
        return 1.0 if never else capped(months_since_walk, interval_months)
    return OTHER_WALK_MAX * (1.0 if never else capped(months_since_walk, OTHER_WALK_MONTHS))


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------


def _num(x) -> float:
    """A number or nan (None, NA, "" -> nan)."""
    if x is None or x is pd.NA:
        return math.nan
    try:
        f = float(x)
    except (TypeError, ValueError):
        return math.nan
    return f


def _date_or_none(x):
    """A date from a date, Timestamp or text; None for None, NaT, NaN or nothing."""
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return None
    return pd.Timestamp(x).date()


def _missing(*xs) -> bool:
    return any(not math.isfinite(_num(x)) for x in xs)


def _fmt_num(x) -> str:
    """Whole numbers without decimals, others with one decimal (Swedish format)."""
    f = _num(x)
    return fmt_int(f) if math.isfinite(f) and f == int(f) else fmt_dec(f, 1)


def _fmt_label(x) -> str:
    """A round or year label: 2026.0 -> "2026", "2026 vår" stays."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    f = _num(x)
    if math.isfinite(f) and f == int(f) and not isinstance(x, str):
        return str(int(f))
    return str(x)


def _lower_label(label: str) -> str:
    """Category label inside a sentence: "Skadegörelse" -> "skadegörelse", but "EPA-traktorer" stays."""
    if len(label) >= 2 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _word(n: float, key: str) -> str:
    return TEXTS[f"{key}_one"] if n == 1 else TEXTS[f"{key}_many"]


def _weeks(n: float) -> str:
    return TEXTS["weeks_one"] if n == 1 else TEXTS["weeks_many"].format(n=_fmt_num(n))


def _ratio(x: float) -> str:
    return fmt_dec(x, 1)


def _ci(low: float, high: float) -> str:
    if math.isinf(high):
        return TEXTS["ci_open"].format(low=_ratio(low))
    return f"{_ratio(low)}–{_ratio(high)}"


def _q(q: float) -> str:
    return TEXTS["q_small"] if q < 0.001 else TEXTS["q_value"].format(q=fmt_dec(q, 3))


def _physical_list(x) -> list[str]:
    """The physical signals as a list of distinct strings (None / nan -> [])."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return []
    if isinstance(x, str):
        x = [x]
    out: list[str] = []
    for s in x:
        if s is not None and str(s) and str(s) not in out:
            out.append(str(s))
    return out


def _check_inputs(evidence: pd.DataFrame, weights: Mapping[str, float], caps: Mapping[str, float]) -> None:
    missing = [c for c in EVIDENCE_COLUMNS if c not in evidence.columns]
    if missing:
        raise ValueError(f"evidence lacks columns: {missing}")
    if set(weights) != set(COMPONENTS):
        raise ValueError(f"weights must have exactly the keys {list(COMPONENTS)}, got {sorted(weights)}")
    for key, w in weights.items():
        if not (math.isfinite(_num(w)) and _num(w) >= 0):
            raise ValueError(f"weight {key!r} must be a non-negative number, got {w!r}")
    absent = [k for k in CAP_KEYS if k not in caps]
    if absent:
        raise ValueError(f"caps lack keys: {absent}")
    for key in CAP_KEYS:
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
    """Rank candidate places/orter for a trygghetsvandring, with the reasons for each.

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

    `weights` must have exactly the keys of `COMPONENTS` (non-negative); `caps` the keys of
    `CAP_KEYS` (the value at which a component reaches 1). `alpha` is the false discovery rate passed
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

    Coverage and status: a unit has lägesbild coverage when `reporters > 0` or it has recent reports.
    Survey data exists when the area has survey or Träffpunkt answers or the place is mentioned. A unit
    with neither gets status "för lite underlag", nan scores, contributions and total, and is ranked
    after every scored unit (never a quiet zero). A unit with survey data but no coverage is scored
    (status "ok") with a reason saying the lägesbild has no coverage.

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
    n_units = len(ev)
    cap = {k: float(caps[k]) for k in CAP_KEYS}
    weight = {k: float(weights[k]) for k in COMPONENTS}

    # --- status: coverage and survey data ------------------------------------------------------------
    reporters = np.array([_num(x) for x in ev["reporters"]])
    lb_recent = np.array([_num(x) for x in ev["lb_recent"]])
    covered = (np.nan_to_num(reporters) > 0) | (np.nan_to_num(lb_recent) > 0)

    def positive(col):
        return np.array([_num(x) > 0 for x in ev[col]], dtype=bool)

    has_survey = positive("survey_n") | positive("tp_n") | positive("mentions")
    thin = ~covered & ~has_survey

    # --- lägesbild trend: one test per covered unit, BH across them ------------------------------------
    tests: list[stats.RateComparison | None] = []
    for i, r in enumerate(ev.itertuples(index=False)):
        e1, e0 = _num(r.lb_recent_weeks), _num(r.lb_base_weeks)
        testable = covered[i] and e1 > 0 and e0 > 0 and e0 >= e1
        tests.append(stats.poisson_rate_test(r.lb_recent, e1, r.lb_base, e0) if testable else None)
    _, q_lb = stats.fdr([t.p_value if t else math.nan for t in tests], alpha=alpha)

    # --- survey: one test per area, BH across areas -----------------------------------------------------
    survey_values = _per_area(ev, ["survey_k", "survey_n", "survey_rest_k", "survey_rest_n"])
    survey_tests = {area: (None if None in v else stats.two_proportion_test(*v)) for area, v in survey_values.items()}
    survey_areas = list(survey_tests)
    _, q_s = stats.fdr([survey_tests[a].p_value if survey_tests[a] else math.nan for a in survey_areas], alpha=alpha)
    q_survey_area = dict(zip(survey_areas, q_s))

    # --- Träffpunkt: two tests per area, one BH family ----------------------------------------------------
    tp_values = _per_area(ev, ["tp_k", "tp_n", "tp_others_k", "tp_others_n", "tp_prev_k", "tp_prev_n"])
    tp_tests: dict[tuple[str, str], stats.ProportionComparison | None] = {}
    for area, (k, n, ok, on, pk, pn) in tp_values.items():
        tp_tests[(area, "others")] = None if None in (k, n, ok, on) else stats.two_proportion_test(k, n, ok, on)
        tp_tests[(area, "prev")] = None if None in (k, n, pk, pn) else stats.two_proportion_test(k, n, pk, pn)
    tp_keys = list(tp_tests)
    _, q_t = stats.fdr([tp_tests[key].p_value if tp_tests[key] else math.nan for key in tp_keys], alpha=alpha)
    q_tp = dict(zip(tp_keys, q_t))
    tp_round = _area_label(ev, "tp_round")
    tp_prev_round = _area_label(ev, "tp_prev_round")
    survey_year = _area_label(ev, "survey_year")

    rows = []
    for i, r in enumerate(ev.itertuples(index=False)):
        scores: dict[str, float] = {}
        texts: dict[str, str] = {}
        test = tests[i]
        area = r.area

        # lagesbild_trend
        q_lag = float(q_lb[i])
        scores["lagesbild_trend"] = trend_score(test.rate_ratio, q_lag, cap["rate_ratio"]) if test else 0.0
        if test and math.isinf(test.rate_ratio):
            texts["lagesbild_trend"] = TEXTS["trend_from_zero"].format(
                n=fmt_int(test.count_recent), reports=_word(test.count_recent, "report"),
                weeks=_weeks(test.exposure_recent), base_weeks=_fmt_num(test.exposure_base))
        elif test:
            texts["lagesbild_trend"] = TEXTS["trend"].format(
                rr=_ratio(test.rate_ratio), ci=_ci(test.ci_low, test.ci_high), nbsp=NBSP)

        # lagesbild_recurrence
        rec_k, rec_n = _num(r.lb_weeks_with_reports), _num(r.lb_recurrence_weeks)
        if math.isfinite(rec_k) and not (math.isfinite(rec_n) and rec_n > 0 and 0 <= rec_k <= rec_n):
            raise ValueError(f"{r.unit!r}: lb_weeks_with_reports must be between 0 and lb_recurrence_weeks "
                             f"(> 0), got {r.lb_weeks_with_reports!r} and {r.lb_recurrence_weeks!r}")
        scores["lagesbild_recurrence"] = capped(rec_k, rec_n) if math.isfinite(rec_k) else 0.0
        texts["lagesbild_recurrence"] = TEXTS["recurrence"].format(k=_fmt_num(rec_k), n=_fmt_num(rec_n))

        # lagesbild_volume
        scores["lagesbild_volume"] = capped(_num(r.lb_recent_weighted), cap["weighted_reports"])
        n_recent = _num(r.lb_recent)
        weeks = _weeks(_num(r.lb_recent_weeks))
        top_n = _num(r.lb_top_recent)
        if isinstance(r.lb_top_category, str) and r.lb_top_category and math.isfinite(top_n) and top_n > 0:
            key = "volume_category_total" if n_recent > top_n else "volume_category"
            texts["lagesbild_volume"] = TEXTS[key].format(
                n=_fmt_num(top_n), reports=_word(top_n, "report"), category=_lower_label(r.lb_top_category),
                weeks=weeks, normal=fmt_dec(_num(r.lb_top_normal), 1), total=_fmt_num(n_recent))
        else:
            texts["lagesbild_volume"] = TEXTS["volume"].format(
                n=_fmt_num(n_recent), reports=_word(n_recent, "report"), weeks=weeks)

        # police
        police = _num(r.police_recent)
        scores["police"] = capped(police, cap["police_events"])
        texts["police"] = TEXTS["police"].format(n=_fmt_num(police), events=_word(police, "event"), ort=r.ort)

        # survey_area
        s_test = survey_tests[area]
        q_sur = float(q_survey_area[area])
        scores["survey_area"] = share_score(s_test.diff, q_sur, cap["share_difference"]) if s_test else 0.0
        if s_test:
            year = _fmt_label(survey_year[area])
            texts["survey_area"] = TEXTS["survey_area_year" if year else "survey_area"].format(
                year=year, share=fmt_pct(s_test.share1), area=area, rest=fmt_pct(s_test.share2),
                n=_fmt_num(r.survey_n))

        # survey_mentions
        mentions = _num(r.mentions)
        scores["survey_mentions"] = capped(mentions, cap["mentions"])
        texts["survey_mentions"] = TEXTS["mentions"].format(n=_fmt_num(mentions))

        # traffpunkt: the better supported of the two comparisons
        tp_best, q_tpb, best_kind = 0.0, math.nan, None
        for kind in ("others", "prev"):
            tt, qq = tp_tests[(area, kind)], float(q_tp[(area, kind)])
            if tt is None:
                continue
            sc = share_score(tt.diff, qq, cap["share_difference"])
            if best_kind is None or sc > tp_best or (sc == tp_best and qq < q_tpb):
                tp_best, q_tpb, best_kind = sc, qq, kind
        scores["traffpunkt"] = tp_best
        if best_kind:
            tt = tp_tests[(area, best_kind)]
            texts["traffpunkt"] = TEXTS["tp_prev" if best_kind == "prev" else "tp_others"].format(
                round=_fmt_label(tp_round[area]), share=fmt_pct(tt.share1), prev=fmt_pct(tt.share2),
                others=fmt_pct(tt.share2), prev_round=_fmt_label(tp_prev_round[area]), area=area,
                n=_fmt_num(r.tp_n))

        # time_since_walk (a walk already planned in the ort takes the place of the time since the last one)
        central = bool(r.is_centralort) if not _missing(r.is_centralort) else False
        months = _num(r.months_since_walk)
        planned = _date_or_none(getattr(r, "planned_walk", None))
        scores["time_since_walk"] = 0.0 if planned else walk_score(months, central, centralort_interval_months)
        interval = (TEXTS["interval_year"] if centralort_interval_months == 12
                    else TEXTS["interval_months"].format(n=_fmt_num(centralort_interval_months)))
        if not math.isfinite(months):
            texts["time_since_walk"] = TEXTS["walk_never_central" if central else "walk_never"].format(
                interval=interval)
        elif round(months) < 1:
            texts["time_since_walk"] = TEXTS["walk_recent"]
        else:
            m = round(months)
            texts["time_since_walk"] = TEXTS["walk_months_central" if central else "walk_months"].format(
                months=f"{fmt_int(m)} {_word(m, 'month')}", interval=interval)

        # physical
        signals = _physical_list(r.physical)
        scores["physical"] = capped(len(signals), cap["physical_signals"])
        texts["physical"] = TEXTS["physical"].format(signals=", ".join(signals))

        # uncertainty (about the trend)
        few = False
        if not covered[i]:
            uncertainty = TEXTS["unc_no_coverage"]
        elif test is None:
            e1, e0 = _num(r.lb_recent_weeks), _num(r.lb_base_weeks)
            uncertainty = (TEXTS["unc_short_base"].format(base_weeks=_fmt_num(e0), weeks=_fmt_num(e1))
                           if e1 > 0 and math.isfinite(e0) else TEXTS["unc_no_test"])
        elif test.count_recent + test.count_base < min_reports:
            uncertainty = TEXTS["unc_few"]
            few = True
        elif math.isnan(test.rate_ratio):
            uncertainty = TEXTS["unc_no_test"]
        else:
            uncertainty = TEXTS["unc_test"].format(
                rr="∞" if math.isinf(test.rate_ratio) else _ratio(test.rate_ratio),
                ci=_ci(test.ci_low, test.ci_high), q=_q(q_lag), nbsp=NBSP)

        contribs = {k: weight[k] * scores[k] for k in COMPONENTS}
        if thin[i]:
            row_scores = {f"score_{k}": math.nan for k in COMPONENTS}
            row_contribs = {f"contrib_{k}": math.nan for k in COMPONENTS}
            total = math.nan
            reasons = [TEXTS["thin"]]
        else:
            row_scores = {f"score_{k}": scores[k] for k in COMPONENTS}
            row_contribs = {f"contrib_{k}": contribs[k] for k in COMPONENTS}
            total = float(sum(contribs[k] for k in COMPONENTS))
            order = sorted((k for k in COMPONENTS if contribs[k] > 0 and k in texts),
                           key=lambda k: (-contribs[k], COMPONENTS.index(k)))
            reasons = [texts[k] for k in order]
            if not covered[i]:
                reasons.append(TEXTS["no_coverage"])
        if planned:
            reasons = [TEXTS["walk_planned"].format(date=fmt_date(planned)), *reasons]

        rows.append({
            **{c: getattr(r, c) for c in IDENTITY_COLUMNS},
            **{c: v for k in COMPONENTS for c, v in ((f"score_{k}", row_scores[f"score_{k}"]),
                                                      (f"contrib_{k}", row_contribs[f"contrib_{k}"]))},
            "total": total,
            "rank": 0,
            "status": STATUS_THIN if thin[i] else STATUS_OK,
            "reasons": reasons,
            "uncertainty": uncertainty,
            "few_reports": few,
            "planned_walk": planned,
            "rate_ratio": test.rate_ratio if test else math.nan,
            "rr_low": test.ci_low if test else math.nan,
            "rr_high": test.ci_high if test else math.nan,
            "q_lagesbild": q_lag,
            "q_survey": q_sur,
            "q_traffpunkt": q_tpb,
        })

    out = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
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
