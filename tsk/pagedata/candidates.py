"""Evidence for trygghetsvandring candidates, gathered from the store, and the before/after effect of
completed measures. The scoring itself is the pure function tsk.pagedata.scoring.score_candidates.

No Streamlit and no SQL here: the store's named queries provide the numbers.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd

from tsk import stats
from tsk.config import KommunConfig
from tsk.formatting import fmt_dec
from tsk.i18n import t
from tsk.pagedata.common import (
    _shares,
    category_labels,
    latest_week_start,
    problem_categories,
)
from tsk.pagedata.scoring import EVIDENCE_COLUMNS, OPTIONAL_EVIDENCE
from tsk.registers.dialog import questions_of
from tsk.registers.statuses import DONE
from tsk.store import UNKNOWN_GROUP, Store

HEADLINE_TRAFFPUNKT_ITEM = "tp_trygg_omrade"


def _window(store: Store, config: KommunConfig):
    v = config.vandring
    end = latest_week_start(store)
    if end is None:
        return None
    recent_start = end - timedelta(weeks=v.recent_weeks - 1)
    base_start = recent_start - timedelta(weeks=v.baseline_weeks)
    recurrence_start = end - timedelta(weeks=v.recurrence_weeks - 1)
    return end, recent_start, base_start, recurrence_start


def _units(config: KommunConfig, level: str, seen: pd.DataFrame) -> pd.DataFrame:
    """Every configured plats (or ort), plus places that have reports but are not configured."""
    centralort = {a.name for a in config.areas if a.kind == "centralort"}
    area_of = {o.name: o.area for o in config.orter}
    if level == "ort":
        rows = [(o.name, o.area, o.name, None) for o in config.orter]
    else:
        rows = [(f"{p.name}, {p.ort}", area_of[p.ort], p.ort, p.name) for p in config.platser]
        configured = {(p.ort, p.name) for p in config.platser}
        for r in seen.dropna(subset=["place"]).drop_duplicates(["ort", "place"]).itertuples():
            if (r.ort, r.place) not in configured:
                rows.append((f"{r.place}, {r.ort}", r.area, r.ort, r.place))
    units = pd.DataFrame(rows, columns=["unit", "area", "ort", "plats"])
    units["level"] = level
    units["is_centralort"] = units["area"].isin(centralort)
    return units


class _Sources(NamedTuple):
    """Everything gathered for one candidate list, keyed by unit key ((ort,) or (ort, place)), area or ort."""
    lb_recent: dict
    lb_base: dict
    lb_weighted: dict
    weeks_with: dict
    top: dict  # unit key -> (category label, recent reports, normal)
    reporters: dict  # area -> reporters who submitted anything in the recent window
    police: dict  # ort -> police events in the recent window
    survey: dict
    mentions: dict
    tp: dict
    last_walk: dict
    planned_walk: dict
    physical: dict
    dialog: dict  # (ort, plats or None) -> safety questions raised in Träffpunkt's dialogue steps 2–4


def _lagesbild_sums(store: Store, window, *, areas, orgs, cats, key: list[str]):
    """(sums, recurrence): per (area, ort, place, category) the recent and baseline counts, summed by the
    store (the weekly rows are not needed here, and at national scale they are close to a million), and
    the distinct weeks with reports per unit in the recurrence window. Empty frames without a window."""
    if window is None:
        sums = pd.DataFrame(columns=["area", "ort", "place", "category", "first_week", "recent", "base",
                                     "recent_weighted"])
        return sums, pd.DataFrame(columns=[*key, "weeks"])
    end, recent_start, base_start, recurrence_start = window
    sums = store.lagesbild_window_sums(areas=areas, orgs=orgs, cats=cats, week_from=base_start,
                                       recent_from=recent_start, week_to=end)
    recurrence = store.lagesbild_weeks_with_reports(areas=areas, orgs=orgs, cats=cats,
                                                    week_from=max(base_start, recurrence_start), week_to=end,
                                                    by=tuple(key))
    return sums, recurrence


def _by_unit(frame: pd.DataFrame, key: list[str], col: str) -> dict:
    """Unit key (a tuple) -> the sum of `col`."""
    if frame.empty:
        return {}
    out = frame.groupby(key, dropna=False)[col].sum()
    return {(k if isinstance(k, tuple) else (k,)): val for k, val in out.items()}


def _top_categories(recent: pd.DataFrame, base: pd.DataFrame, key: list[str], labels: dict,
                    config: KommunConfig) -> dict:
    """Unit key -> (label, reports, normal) of the most reported category in the recent window (ties by
    category name), with what would be normal for it from the baseline."""
    v = config.vandring
    top = {}
    if recent.empty:
        return top
    rc = recent.groupby([*key, "category"], dropna=False)["recent"].sum().rename("reports").reset_index()
    base_by_category = base.groupby([*key, "category"], dropna=False)["base"].sum()
    bc = dict(zip(base_by_category.index, base_by_category.to_numpy()))  # a dict: thousands of look-ups
    # One sort: per unit, most reports first and ties by category name; the first row is the top.
    best_rows = rc.sort_values([*key, "reports", "category"], ascending=[True] * len(key) + [False, True],
                               kind="stable").drop_duplicates(key)
    for *kk, category, reports in best_rows[[*key, "category", "reports"]].itertuples(index=False, name=None):
        kk = tuple(kk)
        normal = bc.get((*kk, category), 0) * v.recent_weeks / v.baseline_weeks
        top[kk] = (labels.get(category, category), int(reports), float(normal))
    return top


def _gather(store: Store, config: KommunConfig, window, end: date, recent_start: date, *, level: str,
            orgs: tuple[str, ...]) -> tuple[pd.DataFrame, _Sources]:
    """(units, sources): the candidate units and every number behind their evidence rows."""
    areas = tuple(a.name for a in config.areas)
    cats = problem_categories(config)
    key = ["ort"] if level == "ort" else ["ort", "place"]
    sums, recurrence = _lagesbild_sums(store, window, areas=areas, orgs=orgs, cats=cats, key=key)
    # Rows ordered by first week, so places not in the gazetteer are listed in order of appearance.
    units = _units(config, level, sums)
    recent = sums[sums["recent"] > 0]
    base = sums[sums["base"] > 0]
    lb_recent, lb_base = _by_unit(recent, key, "recent"), _by_unit(base, key, "base")
    lb_weighted = _by_unit(recent, key, "recent_weighted")
    weeks_with = _by_unit(recurrence, key, "weeks")
    top = _top_categories(recent, base, key, category_labels(config), config)
    # Reporting coverage per area in the recent window.
    cov = store.reporting_coverage(areas=areas + ("",), orgs=orgs, week_from=recent_start, week_to=end)
    reporters = cov[cov["status"] != "saknas"].groupby("area")["reporter"].nunique().to_dict()
    police = store.police_by_ort(areas=areas, date_from=recent_start, date_to=end + timedelta(days=6))
    police_by_ort = police.dropna(subset=["ort"]).groupby("ort")["events"].sum().to_dict()
    survey = _survey_by_area(store, config)
    mentions = _mentions(store)
    tp = _traffpunkt_by_area(store, config)
    last_walk = store.last_walks().set_index("ort")["last_walk"].to_dict()
    # A walk planned from the latest reported week on: the candidate list says so instead of «no walk
    # registered». The data's last week, not today, like every other window here: a store read later (the
    # demo, an archived copy) shows what was planned when its reports ended.
    planned_walk = store.planned_walks(from_date=end).set_index("ort")["planned_walk"].to_dict()
    physical = _physical_signals(store, config, recent)
    return units, _Sources(lb_recent, lb_base, lb_weighted, weeks_with, top, reporters, police_by_ort, survey,
                           mentions, tp, last_walk, planned_walk, physical, _dialog_questions(store))


def _evidence_row(u, level: str, end: date, config: KommunConfig, src: _Sources) -> dict:
    """The evidence row of one unit (a row of `_units`)."""
    v = config.vandring
    k = (u.ort,) if level == "ort" else (u.ort, u.plats)
    t_cat, t_recent, t_normal = src.top.get(k, (None, 0, 0.0))
    s = src.survey.get(u.area, {})
    p = src.tp.get(u.area, {})
    walked = src.last_walk.get(u.ort)
    months = np.nan if walked is None or pd.isna(walked) else (pd.Timestamp(end) - pd.Timestamp(walked)).days / 30.44
    if level == "ort":
        m = sum(n for (o, _), n in src.mentions.items() if o == u.ort)
        phys = sorted({x for (o, _), xs in src.physical.items() if o == u.ort for x in xs})
    else:
        m = src.mentions.get((u.ort, u.plats), 0)
        phys = sorted(src.physical.get((u.ort, u.plats), set()))
    return {
        "unit": u.unit, "level": level, "area": u.area, "ort": u.ort, "plats": u.plats,
        "is_centralort": bool(u.is_centralort),
        "lb_recent": int(src.lb_recent.get(k, 0)), "lb_recent_weeks": float(v.recent_weeks),
        "lb_base": int(src.lb_base.get(k, 0)), "lb_base_weeks": float(v.baseline_weeks),
        "lb_recent_weighted": int(src.lb_weighted.get(k, 0)), "lb_weeks_with_reports": int(src.weeks_with.get(k, 0)),
        "lb_recurrence_weeks": int(v.recurrence_weeks), "lb_top_category": t_cat, "lb_top_recent": t_recent,
        "lb_top_normal": t_normal, "reporters": int(src.reporters.get(u.area, 0)),
        "police_recent": int(src.police.get(u.ort, 0)),
        "survey_k": s.get("k", np.nan), "survey_n": s.get("n", np.nan), "survey_rest_k": s.get("rest_k", np.nan),
        "survey_rest_n": s.get("rest_n", np.nan), "survey_year": s.get("year", np.nan), "mentions": int(m),
        "tp_k": p.get("k", np.nan), "tp_n": p.get("n", np.nan), "tp_others_k": p.get("others_k", np.nan),
        "tp_others_n": p.get("others_n", np.nan), "tp_prev_k": p.get("prev_k", np.nan),
        "tp_prev_n": p.get("prev_n", np.nan), "tp_round": p.get("round"), "tp_prev_round": p.get("prev_round"),
        "months_since_walk": months, "physical": phys, "planned_walk": src.planned_walk.get(u.ort),
        **({"dialog_questions": _dialog_count(src.dialog, u.ort, u.plats, level)} if src.dialog else {}),
    }


def _dialog_questions(store: Store) -> dict[tuple[str, str | None], int]:
    """(ort, plats or None for the whole ort) -> the safety questions raised in Träffpunkt's dialogue
    steps 2–4 (tsk.pagedata.dialog.walk_need_by_ort is the per-ort sum of these)."""
    out: dict[tuple[str, str | None], int] = {}
    for raw in store.traffpunkt_steps().get("questions", pd.Series(dtype=object)):
        for q in questions_of(raw):
            key = (q.ort, q.place or None)
            out[key] = out.get(key, 0) + 1
    return out


def _dialog_count(dialog: dict, ort: str, plats: str | None, level: str) -> int:
    """An ort counts every question about it or a plats in it; a plats its own and the whole ort's."""
    if level == "ort":
        return sum(n for (o, _), n in dialog.items() if o == ort)
    return dialog.get((ort, plats), 0) + dialog.get((ort, None), 0)


def candidate_evidence(store: Store, config: KommunConfig, *, level: str = "plats",
                       organisations: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per candidate unit with the evidence columns tsk.pagedata.scoring.score_candidates documents.

    Steps: the windows (`_window`), every number behind the rows (`_gather`), one row per unit
    (`_evidence_row`). The optional `dialog_questions` column is there only when Träffpunkt's dialogue
    register has raised questions (without them the evidence is as before it existed)."""
    if level not in ("plats", "ort"):
        raise ValueError(level)
    window = _window(store, config)
    orgs = organisations or tuple(o.name for o in config.organisations)
    if window is None:
        end = recent_start = date.today()
    else:
        end, recent_start = window[0], window[1]
    units, sources = _gather(store, config, window, end, recent_start, level=level, orgs=orgs)
    rows = [_evidence_row(u, level, end, config, sources) for u in units.itertuples()]
    # No candidate units (a new kommun: no platser configured, none reported yet): still the contract's columns.
    return pd.DataFrame(rows) if rows else pd.DataFrame(columns=[*EVIDENCE_COLUMNS, *OPTIONAL_EVIDENCE])


def candidate_positions(store: Store, config: KommunConfig, *, level: str = "plats",
                        evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where each candidate unit is drawn (see `unit_positions`), for every unit of `candidate_evidence`
    (gathered again unless the caller passes it)."""
    if evidence is None:
        evidence = candidate_evidence(store, config, level=level)
    return unit_positions(config, evidence, level=level, places=store.places_reference())


def unit_positions(config: KommunConfig, units: pd.DataFrame, *, level: str = "plats",
                   places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where candidate units are drawn: each place's position (or the ort's), and a place seen only in
    reports at its ort. `units`: unit and ort columns, e.g. a scored candidate list. `places`: the store's
    places (Store.places_reference: the configured ones with the positions imported by `import places`
    and the places created in review); without it, the configuration's. Columns: unit, lat, lon,
    approximate."""
    orter = {o.name: o for o in config.orter}
    if level == "ort":
        rows = [(o.name, o.lat, o.lon, o.approximate) for o in config.orter]
    elif places is not None:
        rows = [(f"{r.name}, {r.ort}", float(r.lat), float(r.lon), bool(r.approximate))
                for r in places.itertuples() if pd.notna(r.lat) and pd.notna(r.lon)]
    else:
        rows = [(f"{p.name}, {p.ort}", p.lat, p.lon, p.approximate) for p in config.platser]
    out = pd.DataFrame(rows, columns=["unit", "lat", "lon", "approximate"])
    if level == "plats":
        extra = units[~units["unit"].isin(out["unit"])]
        out = pd.concat([out, pd.DataFrame([(r.unit, orter[r.ort].lat, orter[r.ort].lon, True)
                                            for r in extra[["unit", "ort"]].itertuples() if r.ort in orter],
                                           columns=out.columns)], ignore_index=True)
    return out


def _survey_by_area(store: Store, config: KommunConfig) -> dict:
    """Latest survey year: otrygg k/n per area and for the rest of the kommun. Areas under the
    suppression threshold are left out (their share is never shown)."""
    years = store.survey_years()
    if not years:
        return {}
    year = years[-1]
    counts = store.survey_value_counts(item=config.headline_item, year_from=year, year_to=year, by="area")
    shares = _shares(counts, ["group"], config)
    totals = counts.assign(neg=[v in config.scales[s].otrygg for s, v in zip(counts["scale"], counts["value"])])
    k_all = int(totals.loc[totals["neg"], "n"].sum())
    n_all = int(totals["n"].sum())
    out = {}
    for r in shares.itertuples():
        if r.suppressed or r.group == UNKNOWN_GROUP:
            continue
        out[r.group] = {"k": int(r.k), "n": int(r.n), "rest_k": k_all - int(r.k), "rest_n": n_all - int(r.n),
                        "year": year}
    return out


def _mentions(store: Store) -> dict:
    years = store.survey_years()
    if not years:
        return {}
    m = store.survey_place_mentions(year_from=years[-1], year_to=years[-1])
    return {(r.ort, r.plats): int(r.mentions) for r in m.itertuples()}


def _traffpunkt_by_area(store: Store, config: KommunConfig) -> dict:
    """Latest Träffpunkt round per area: k/n, the other areas' k/n, and the previous round's k/n."""
    counts = store.traffpunkt_value_counts(item=HEADLINE_TRAFFPUNKT_ITEM)
    if counts.empty:
        return {}
    shares = _shares(counts, ["round", "area"], config)
    rounds = sorted(shares["round"].unique())
    latest = shares[(shares["round"] == rounds[-1]) & ~shares["suppressed"]]
    previous = shares[(shares["round"] == rounds[-2]) & ~shares["suppressed"]] if len(rounds) > 1 else latest.iloc[0:0]
    out = {}
    for r in latest.itertuples():
        others = latest[latest["area"] != r.area]
        prev = previous[(previous["area"] == r.area) & (previous["scale"] == r.scale)]
        out[r.area] = {
            "k": int(r.k), "n": int(r.n), "round": r.round,
            "others_k": int(others["k"].sum()) if not others.empty else np.nan,
            "others_n": int(others["n"].sum()) if not others.empty else np.nan,
            "prev_k": int(prev["k"].iloc[0]) if not prev.empty else np.nan,
            "prev_n": int(prev["n"].iloc[0]) if not prev.empty else np.nan,
            "prev_round": prev["round"].iloc[0] if not prev.empty else None,
        }
    return out


def _physical_signals(store: Store, config: KommunConfig, recent: pd.DataFrame) -> dict:
    """(ort, plats) -> physical-environment signals a walk can act on: the gazetteer's notes, causes
    recorded on earlier walks, and recent reports of the physical category ("otrygg plats")."""
    out: dict[tuple, set] = {}
    labels = {c.key: c.label.lower() for c in config.vandring.checklist if c.physical}
    for p in config.platser:
        if p.physical:
            out.setdefault((p.ort, p.name), set()).update(labels.get(k, k) for k in p.physical)
    for r in store.observed_causes().itertuples():
        for cause in json.loads(r.causes):
            if cause in labels:
                out.setdefault((r.ort, r.place), set()).add(labels[cause])
    physical_cats = {c.key for c in config.categories if c.physical}
    for r in recent[recent["category"].isin(physical_cats)].itertuples():
        out.setdefault((r.ort, r.place), set()).add(t("physical_reported"))
    return out


# --- effect of completed measures -------------------------------------------------------------------------

def measure_effects(store: Store, config: KommunConfig, *, max_weeks: int | None = None) -> pd.DataFrame:
    """For each completed measure at a place: reports there before and after (windows of equal length,
    at most `max_weeks`, by default [windows] effect_max_weeks), against the rest of the same ort over
    the same windows; under [windows] effect_min_weeks since the measure it is too soon to tell.

    Columns: measure_id, ort, place, description, completed_date, weeks, place_before, place_after,
    rest_before, rest_after, ratio, ci_low, ci_high, verdict (Swedish)."""
    measures = store.all_measures()
    end = latest_week_start(store)
    done = measures[(measures["status"] == DONE) & measures["completed_date"].notna() & measures["place"].notna()]
    rows = []
    cats = problem_categories(config)
    max_weeks = max_weeks or config.windows.effect_max_weeks
    for m in done.itertuples():
        completed = pd.Timestamp(m.completed_date).date()
        start_week = completed - timedelta(days=completed.weekday())
        weeks_after = (end - start_week).days // 7 if end else 0
        weeks = int(min(max_weeks, weeks_after))
        row = {"measure_id": m.measure_id, "ort": m.ort, "place": m.place, "description": m.description,
               "completed_date": completed, "weeks": weeks}
        if weeks < config.windows.effect_min_weeks:
            rows.append({**row, "verdict": t("effect_too_soon")})
            continue
        counts = store.place_vs_rest_counts(
            ort=m.ort, place=m.place, cats=cats,
            before_from=start_week - timedelta(weeks=weeks), before_to=start_week - timedelta(weeks=1),
            after_from=start_week + timedelta(weeks=1), after_to=start_week + timedelta(weeks=weeks))
        row.update(counts)
        if counts["place_before"] + counts["place_after"] < config.vandring.min_reports_for_effect:
            rows.append({**row, "verdict": t("effect_too_few", n=config.vandring.min_reports_for_effect)})
            continue
        r = stats.relative_change(counts["place_before"], counts["place_after"], counts["rest_before"],
                                  counts["rest_after"])
        row.update(ratio=r.ratio, ci_low=r.ci_low, ci_high=r.ci_high)
        if not r.is_change():
            verdict = t("effect_no_change", ratio=fmt_dec(r.ratio, 2), low=fmt_dec(r.ci_low, 2),
                        high=fmt_dec(r.ci_high, 2))
        else:
            verdict = t("effect_down" if r.ratio < 1 else "effect_up", pct=f"{abs(100 * (1 - r.ratio)):.0f}",
                        low=fmt_dec(r.ci_low, 2), high=fmt_dec(r.ci_high, 2))
        rows.append({**row, "verdict": verdict})
    return pd.DataFrame(rows, columns=["measure_id", "ort", "place", "description", "completed_date", "weeks",
                                       "place_before", "place_after", "rest_before", "rest_after", "ratio", "ci_low",
                                       "ci_high", "verdict"])


def score(evidence: pd.DataFrame, config: KommunConfig, weights: dict | None = None) -> pd.DataFrame:
    """`scoring.score_candidates` with the configuration's caps and settings; the configured weights
    unless a what-if set is given. The one place that ties the pure scoring to the config."""
    from tsk.pagedata import scoring

    v = config.vandring
    return scoring.score_candidates(evidence, scoring.default_weights(config) if weights is None else weights,
                                    v.caps, alpha=v.alpha, centralort_interval_months=v.centralort_interval_months,
                                    min_reports=v.min_reports_for_trend)


def ranked_candidates(store: Store, config: KommunConfig, *, level: str = "plats") -> pd.DataFrame:
    """The candidate list with the configured (default) weights, as the agenda and the report use it."""
    return score(candidate_evidence(store, config, level=level), config)
