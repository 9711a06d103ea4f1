"""The components of the trygghetsvandring candidate score, as a table: one `Component` per key, each
with a score function (a number in [0, 1]) and a reason function (a Swedish sentence, or None), both pure
functions of one candidate's `Facts` (its evidence row plus the tests run across all candidates) and the
`Settings` (caps and the walk interval). tsk.pagedata.scoring runs the tests, then explains and ranks.

No Streamlit, no DuckDB, no I/O. The sentences are the "sc_*" messages of tsk/i18n/messages_scoring.py.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import pandas as pd

from tsk import stats
from tsk.formatting import NBSP, fmt_dec, fmt_int, fmt_pct
from tsk.i18n import MESSAGES

CAP_KEYS: tuple[str, ...] = (
    "rate_ratio", "weighted_reports", "police_events", "share_difference", "mentions", "physical_signals",
)
# Caps and components a configuration written before them may lack: a missing weight counts as 0 and a
# missing cap gives the component 0, so an older tsk.toml scores exactly as before.
OPTIONAL_CAP_KEYS: tuple[str, ...] = ("dialog_questions",)
OPTIONAL_COMPONENTS: tuple[str, ...] = ("dialog",)

# The reasons' sentences, in tsk/i18n/messages_scoring.py under "sc_<key>" ({nbsp} is filled in by the caller).
TEXTS: dict[str, str] = {k.removeprefix("sc_"): v for k, v in MESSAGES.items()
                         if k.startswith("sc_") and not k.startswith(("sc_label_", "sc_status_"))}

# Other orter are walked on need: their time component is at most this, reached after this many months.
OTHER_WALK_MAX = 0.5
OTHER_WALK_MONTHS = 24


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
# Small helpers: numbers and Swedish wording
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


# --------------------------------------------------------------------------------------------------
# What a component sees
# --------------------------------------------------------------------------------------------------


class Settings(NamedTuple):
    """The run's settings: caps per CAP_KEYS and those of OPTIONAL_CAP_KEYS that are given (as floats),
    and the centralort's walk interval in months."""
    caps: Mapping[str, float]
    interval_months: float


class Facts(NamedTuple):
    """One candidate: its evidence row (`row`, a namedtuple with the EVIDENCE_COLUMNS) and what the
    tests across all candidates found for it. Area-level labels are the area's (its last row's) values."""
    row: Any
    covered: bool
    trend: stats.RateComparison | None
    q_trend: float
    survey: stats.ProportionComparison | None
    q_survey: float
    survey_year: object
    tp: Mapping[str, tuple[stats.ProportionComparison | None, float]]  # "others"/"prev" -> (test, q)
    tp_round: object
    tp_prev_round: object
    planned: date | None


@dataclass(frozen=True)
class Component:
    """One scored component: `score(facts, settings)` in [0, 1]; `reason(facts, settings)` the Swedish
    sentence behind it (None when there is nothing to say)."""
    key: str
    score: Callable[[Facts, Settings], float]
    reason: Callable[[Facts, Settings], str | None]


# --------------------------------------------------------------------------------------------------
# The components' score and reason functions, in table order
# --------------------------------------------------------------------------------------------------


def _trend_score(f: Facts, s: Settings) -> float:
    return trend_score(f.trend.rate_ratio, f.q_trend, s.caps["rate_ratio"]) if f.trend else 0.0


def _trend_reason(f: Facts, s: Settings) -> str | None:
    test = f.trend
    if test and math.isinf(test.rate_ratio):
        return TEXTS["trend_from_zero"].format(
            n=fmt_int(test.count_recent), reports=_word(test.count_recent, "report"),
            weeks=_weeks(test.exposure_recent), base_weeks=_fmt_num(test.exposure_base))
    if test:
        return TEXTS["trend"].format(rr=_ratio(test.rate_ratio), ci=_ci(test.ci_low, test.ci_high), nbsp=NBSP)
    return None


def check_recurrence(r) -> None:
    """Raise unless lb_weeks_with_reports is missing or between 0 and lb_recurrence_weeks (> 0)."""
    rec_k, rec_n = _num(r.lb_weeks_with_reports), _num(r.lb_recurrence_weeks)
    if math.isfinite(rec_k) and not (math.isfinite(rec_n) and rec_n > 0 and 0 <= rec_k <= rec_n):
        raise ValueError(f"{r.unit!r}: lb_weeks_with_reports must be between 0 and lb_recurrence_weeks "
                         f"(> 0), got {r.lb_weeks_with_reports!r} and {r.lb_recurrence_weeks!r}")


def _recurrence_score(f: Facts, s: Settings) -> float:
    rec_k, rec_n = _num(f.row.lb_weeks_with_reports), _num(f.row.lb_recurrence_weeks)
    return capped(rec_k, rec_n) if math.isfinite(rec_k) else 0.0


def _recurrence_reason(f: Facts, s: Settings) -> str:
    return TEXTS["recurrence"].format(k=_fmt_num(f.row.lb_weeks_with_reports), n=_fmt_num(f.row.lb_recurrence_weeks))


def _volume_score(f: Facts, s: Settings) -> float:
    return capped(_num(f.row.lb_recent_weighted), s.caps["weighted_reports"])


def _volume_reason(f: Facts, s: Settings) -> str:
    r = f.row
    n_recent = _num(r.lb_recent)
    weeks = _weeks(_num(r.lb_recent_weeks))
    top_n = _num(r.lb_top_recent)
    if isinstance(r.lb_top_category, str) and r.lb_top_category and math.isfinite(top_n) and top_n > 0:
        key = "volume_category_total" if n_recent > top_n else "volume_category"
        return TEXTS[key].format(
            n=_fmt_num(top_n), reports=_word(top_n, "report"), category=_lower_label(r.lb_top_category),
            weeks=weeks, normal=fmt_dec(_num(r.lb_top_normal), 1), total=_fmt_num(n_recent))
    return TEXTS["volume"].format(n=_fmt_num(n_recent), reports=_word(n_recent, "report"), weeks=weeks)


def _police_score(f: Facts, s: Settings) -> float:
    return capped(_num(f.row.police_recent), s.caps["police_events"])


def _police_reason(f: Facts, s: Settings) -> str:
    police = _num(f.row.police_recent)
    return TEXTS["police"].format(n=_fmt_num(police), events=_word(police, "event"), ort=f.row.ort)


def _survey_area_score(f: Facts, s: Settings) -> float:
    return share_score(f.survey.diff, f.q_survey, s.caps["share_difference"]) if f.survey else 0.0


def _survey_area_reason(f: Facts, s: Settings) -> str | None:
    if not f.survey:
        return None
    year = _fmt_label(f.survey_year)
    return TEXTS["survey_area_year" if year else "survey_area"].format(
        year=year, share=fmt_pct(f.survey.share1), area=f.row.area, rest=fmt_pct(f.survey.share2),
        n=_fmt_num(f.row.survey_n))


def _mentions_score(f: Facts, s: Settings) -> float:
    return capped(_num(f.row.mentions), s.caps["mentions"])


def _mentions_reason(f: Facts, s: Settings) -> str:
    return TEXTS["mentions"].format(n=_fmt_num(_num(f.row.mentions)))


def traffpunkt_best(f: Facts, s: Settings) -> tuple[float, float, str | None]:
    """(score, q, kind) of the better supported of the two Träffpunkt comparisons ("others", "prev");
    (0.0, nan, None) when neither was tested. Equal scores: the smaller q wins."""
    best, q_best, best_kind = 0.0, math.nan, None
    for kind in ("others", "prev"):
        test, q = f.tp[kind]
        if test is None:
            continue
        sc = share_score(test.diff, q, s.caps["share_difference"])
        if best_kind is None or sc > best or (sc == best and q < q_best):
            best, q_best, best_kind = sc, q, kind
    return best, q_best, best_kind


def _traffpunkt_score(f: Facts, s: Settings) -> float:
    return traffpunkt_best(f, s)[0]


def _traffpunkt_reason(f: Facts, s: Settings) -> str | None:
    kind = traffpunkt_best(f, s)[2]
    if not kind:
        return None
    test = f.tp[kind][0]
    return TEXTS["tp_prev" if kind == "prev" else "tp_others"].format(
        round=_fmt_label(f.tp_round), share=fmt_pct(test.share1), prev=fmt_pct(test.share2),
        others=fmt_pct(test.share2), prev_round=_fmt_label(f.tp_prev_round), area=f.row.area, n=_fmt_num(f.row.tp_n))


def _is_central(r) -> bool:
    return bool(r.is_centralort) if not _missing(r.is_centralort) else False


def _walk_score(f: Facts, s: Settings) -> float:
    """A walk already planned in the ort takes the place of the time since the last one."""
    if f.planned:
        return 0.0
    return walk_score(_num(f.row.months_since_walk), _is_central(f.row), s.interval_months)


def _walk_reason(f: Facts, s: Settings) -> str:
    central = _is_central(f.row)
    months = _num(f.row.months_since_walk)
    interval = (TEXTS["interval_year"] if s.interval_months == 12
                else TEXTS["interval_months"].format(n=_fmt_num(s.interval_months)))
    if not math.isfinite(months):
        return TEXTS["walk_never_central" if central else "walk_never"].format(interval=interval)
    if round(months) < 1:
        return TEXTS["walk_recent"]
    m = round(months)
    return TEXTS["walk_months_central" if central else "walk_months"].format(
        months=f"{fmt_int(m)} {_word(m, 'month')}", interval=interval)


def _physical_score(f: Facts, s: Settings) -> float:
    return capped(len(_physical_list(f.row.physical)), s.caps["physical_signals"])


def _physical_reason(f: Facts, s: Settings) -> str:
    return TEXTS["physical"].format(signals=", ".join(_physical_list(f.row.physical)))


def _dialog_questions(f: Facts) -> float:
    """The questions raised in Träffpunkt's dialogue about the unit (evidence column `dialog_questions`,
    optional: missing or nan is 0)."""
    n = _num(getattr(f.row, "dialog_questions", 0))
    return n if math.isfinite(n) else 0.0


def _dialog_score(f: Facts, s: Settings) -> float:
    cap = s.caps.get("dialog_questions")
    return capped(_dialog_questions(f), cap) if cap else 0.0


def _dialog_reason(f: Facts, s: Settings) -> str | None:
    n = _dialog_questions(f)
    return TEXTS["dialog"].format(n=_fmt_num(n), questions=_word(n, "question")) if n > 0 else None


TABLE: tuple[Component, ...] = (
    Component("lagesbild_trend", _trend_score, _trend_reason),
    Component("lagesbild_recurrence", _recurrence_score, _recurrence_reason),
    Component("lagesbild_volume", _volume_score, _volume_reason),
    Component("police", _police_score, _police_reason),
    Component("survey_area", _survey_area_score, _survey_area_reason),
    Component("survey_mentions", _mentions_score, _mentions_reason),
    Component("traffpunkt", _traffpunkt_score, _traffpunkt_reason),
    Component("time_since_walk", _walk_score, _walk_reason),
    Component("physical", _physical_score, _physical_reason),
    Component("dialog", _dialog_score, _dialog_reason),
)

COMPONENTS: tuple[str, ...] = tuple(c.key for c in TABLE)

COMPONENT_LABELS: dict[str, str] = {key: MESSAGES[f"sc_label_{key}"] for key in COMPONENTS}
