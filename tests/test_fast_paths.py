"""The vectorised page functions give exactly what the per-unit versions they replaced gave.

Each `_old_*` function below is the shipped code before the change (copied from git), kept here as the
reference: the new function must return an equal DataFrame (same columns, order, dtypes and values) on
the demo database, for several selections.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from tsk import stats
from tsk.config import ROOT, load_config
from tsk.formatting import fmt_dec
from tsk.i18n import t
from tsk.pagedata import candidates, lagesbild
from tsk.pagedata import survey as pagedata_survey
from tsk.pagedata.candidates import (
    _mentions,
    _physical_signals,
    _survey_by_area,
    _traffpunkt_by_area,
    _units,
    _window,
)
from tsk.pagedata.common import (
    category_labels,
    latest_week_start,
    problem_categories,
    reports_word,
)
from tsk.pagedata.lagesbild import SINCE_FAMILIES, _unit_label
from tsk.store import KOMMUN_GROUP, UNKNOWN_GROUP, open_store

# --- reference implementations (the code before the change) --------------------------------------------------

def _old_since_last_meeting(store, config, *, areas, orgs, recent_weeks=4, baseline_weeks=12, alpha=0.05):
    end = latest_week_start(store)
    columns = ["family", "area", "ort", "place", "category", "label", "recent", "base", "expected", "rate_ratio",
               "ci_low", "ci_high", "p_value", "q_value", "notable", "text"]
    if end is None:
        return pd.DataFrame(columns=columns)
    start = end - timedelta(weeks=recent_weeks + baseline_weeks - 1)
    labels = category_labels(config)
    frames = []
    for family, keys in SINCE_FAMILIES.items():
        counts = store.lagesbild_counts(areas=areas, orgs=orgs, cats=problem_categories(config), week_from=start,
                                        week_to=end, period="week", by=keys)
        rows = []
        for key, g in counts.groupby(list(keys), dropna=False):
            unit = dict(zip(keys, key))
            series = g.groupby(pd.to_datetime(g["period_start"]))["reports"].sum()
            b = stats.rolling_baseline(series, recent_weeks, baseline_weeks, end=end)
            test = stats.poisson_rate_test(b.recent_count, b.recent_weeks, b.base_count, b.base_weeks)
            normal = b.base_count * recent_weeks / baseline_weeks
            what = labels.get(unit.get("category"), t("word_problems")).lower()
            where = _unit_label(unit, labels)
            rows.append({
                "family": family, **unit, "label": where, "recent": b.recent_count, "base": b.base_count,
                "expected": normal, "rate_ratio": test.rate_ratio, "ci_low": test.ci_low, "ci_high": test.ci_high,
                "p_value": test.p_value,
                "text": t("change_text", n=b.recent_count, reports=reports_word(b.recent_count), category=what,
                          weeks=recent_weeks, normal=fmt_dec(normal)),
            })
        family_frame = pd.DataFrame(rows)
        if not family_frame.empty:
            reject, q = stats.fdr(family_frame["p_value"], alpha=alpha)
            family_frame["q_value"], family_frame["notable"] = q, reject
            frames.append(family_frame)
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True).reindex(columns=columns)
    out["notable"] = out["notable"].astype(bool)
    return out.sort_values(["notable", "p_value"], ascending=[False, True]).reset_index(drop=True)


STATUSES = ("rapporterat", "vantar_pa_rattning", "inget_att_rapportera", "saknas")


def _old_coverage_summary(coverage):
    if coverage.empty:
        return pd.DataFrame(columns=["reporter", "organisation", "area", *STATUSES, "silent_now"])
    counts = coverage.pivot_table(index=["reporter", "organisation", "area"], columns="status", values="week_start",
                                  aggfunc="count", fill_value=0)
    for col in STATUSES:
        if col not in counts:
            counts[col] = 0
    counts = counts[list(STATUSES)].reset_index()

    def silent(g):
        run = 0
        for status in g.sort_values("week_start")["status"].iloc[::-1]:
            if status != "saknas":
                break
            run += 1
        return run

    runs = coverage.groupby("reporter").apply(silent, include_groups=False).rename("silent_now")
    out = counts.merge(runs, left_on="reporter", right_index=True)
    return out.sort_values(["saknas", "reporter"], ascending=[False, True]).reset_index(drop=True)


def _old_candidate_evidence(store, config, *, level="plats", organisations=None):
    if level not in ("plats", "ort"):
        raise ValueError(level)
    v = config.vandring
    window = _window(store, config)
    areas = tuple(a.name for a in config.areas)
    orgs = organisations or tuple(o.name for o in config.organisations)
    cats = problem_categories(config)
    labels = category_labels(config)
    if window is None:
        end = recent_start = base_start = recurrence_start = date.today()
        weekly = pd.DataFrame(columns=["period_start", "area", "ort", "place", "category", "reports", "weighted"])
    else:
        end, recent_start, base_start, recurrence_start = window
        weekly = store.lagesbild_counts(areas=areas, orgs=orgs, cats=cats, week_from=base_start, week_to=end,
                                        by=("area", "ort", "place", "category"))
    weekly["period_start"] = pd.to_datetime(weekly["period_start"])
    units = _units(config, level, weekly)

    key = ["ort"] if level == "ort" else ["ort", "place"]
    w = weekly
    recent = w[w["period_start"] >= pd.Timestamp(recent_start)]
    base = w[w["period_start"] < pd.Timestamp(recent_start)]
    recur = w[w["period_start"] >= pd.Timestamp(recurrence_start)]

    def by_unit(frame, col, how="sum"):
        if frame.empty:
            return {}
        g = frame.groupby(key, dropna=False)[col]
        out = g.sum() if how == "sum" else g.nunique()
        return {(k if isinstance(k, tuple) else (k,)): val for k, val in out.items()}

    lb_recent, lb_base = by_unit(recent, "reports"), by_unit(base, "reports")
    lb_weighted = by_unit(recent, "weighted")
    weeks_with = by_unit(recur, "period_start", how="nunique")
    top = {}
    if not recent.empty:
        rc = recent.groupby([*key, "category"], dropna=False)["reports"].sum().reset_index()
        bc = base.groupby([*key, "category"], dropna=False)["reports"].sum()
        for k, g in rc.groupby(key, dropna=False):
            best = g.sort_values(["reports", "category"], ascending=[False, True]).iloc[0]
            kk = k if isinstance(k, tuple) else (k,)
            normal = bc.get((*kk, best["category"]), 0) * v.recent_weeks / v.baseline_weeks
            top[kk] = (labels.get(best["category"], best["category"]), int(best["reports"]), float(normal))

    cov = store.reporting_coverage(areas=areas + ("",), orgs=orgs, week_from=recent_start, week_to=end)
    reporters = cov[cov["status"] != "saknas"].groupby("area")["reporter"].nunique().to_dict()

    police = store.police_by_ort(areas=areas, date_from=recent_start, date_to=end + timedelta(days=6))
    police_by_ort = police.dropna(subset=["ort"]).groupby("ort")["events"].sum().to_dict()

    survey = _survey_by_area(store, config)
    mentions = _mentions(store)
    tp = _traffpunkt_by_area(store, config)
    last_walk = store.last_walks().set_index("ort")["last_walk"].to_dict()
    physical = _physical_signals(store, config, recent)

    rows = []
    for u in units.itertuples():
        k = (u.ort,) if level == "ort" else (u.ort, u.plats)
        t_cat, t_recent, t_normal = top.get(k, (None, 0, 0.0))
        s = survey.get(u.area, {})
        p = tp.get(u.area, {})
        walked = last_walk.get(u.ort)
        months = np.nan if walked is None or pd.isna(walked) else (pd.Timestamp(end) - pd.Timestamp(walked)).days / 30.44
        if level == "ort":
            m = sum(n for (o, _), n in mentions.items() if o == u.ort)
            phys = sorted({x for (o, _), xs in physical.items() if o == u.ort for x in xs})
        else:
            m = mentions.get((u.ort, u.plats), 0)
            phys = sorted(physical.get((u.ort, u.plats), set()))
        rows.append({
            "unit": u.unit, "level": level, "area": u.area, "ort": u.ort, "plats": u.plats,
            "is_centralort": bool(u.is_centralort),
            "lb_recent": int(lb_recent.get(k, 0)), "lb_recent_weeks": float(v.recent_weeks),
            "lb_base": int(lb_base.get(k, 0)), "lb_base_weeks": float(v.baseline_weeks),
            "lb_recent_weighted": int(lb_weighted.get(k, 0)), "lb_weeks_with_reports": int(weeks_with.get(k, 0)),
            "lb_recurrence_weeks": int(v.recurrence_weeks), "lb_top_category": t_cat, "lb_top_recent": t_recent,
            "lb_top_normal": t_normal, "reporters": int(reporters.get(u.area, 0)),
            "police_recent": int(police_by_ort.get(u.ort, 0)),
            "survey_k": s.get("k", np.nan), "survey_n": s.get("n", np.nan), "survey_rest_k": s.get("rest_k", np.nan),
            "survey_rest_n": s.get("rest_n", np.nan), "survey_year": s.get("year", np.nan), "mentions": int(m),
            "tp_k": p.get("k", np.nan), "tp_n": p.get("n", np.nan), "tp_others_k": p.get("others_k", np.nan),
            "tp_others_n": p.get("others_n", np.nan), "tp_prev_k": p.get("prev_k", np.nan),
            "tp_prev_n": p.get("prev_n", np.nan), "tp_round": p.get("round"), "tp_prev_round": p.get("prev_round"),
            "months_since_walk": months, "physical": phys,
        })
    return pd.DataFrame(rows)


def _old_survey_value_counts(store, *, item, year_from, year_to, by="area"):
    group = f"'{KOMMUN_GROUP}'" if by == "kommun" else f"coalesce(r.{by}, '{UNKNOWN_GROUP}')"  # the store's keys
    return store.query(
        f"""SELECT a.year, a.scale, {group} AS "group", a.value, any_value(a.label) AS label, count(*) AS n
            FROM survey_answers a JOIN survey_respondents r USING (import_id, respondent_id)
            WHERE a.item = $item AND a.year BETWEEN $yfrom AND $yto
            GROUP BY ALL ORDER BY a.year, "group", a.value""",
        {"item": item, "yfrom": year_from, "yto": year_to},
    )


def _old_problem_index(store, config, *, year_from, year_to):
    rows = []
    for item in (i for i in config.survey_items if i.kind == "problem"):
        counts = _old_survey_value_counts(store, item=item.key, year_from=year_from, year_to=year_to, by="kommun")
        for (year, scale), g in counts.groupby(["year", "scale"]):
            steps = len(config.scales[scale].labels)
            values = np.repeat(g["value"].to_numpy(), g["n"].to_numpy())
            idx = stats.scale_index(values, steps)
            rows.append({"item": item.key, "label": item.label, "year": int(year), "scale": scale, "steps": steps,
                         "index": idx.index, "n": idx.n})
    out = pd.DataFrame(rows, columns=["item", "label", "year", "scale", "steps", "index", "n"])
    return stats.suppress(out, minimum=config.suppression_min, small=config.small_sample, value_cols=["index"])


def _old_clip01(x):
    return float(np.clip(x, 0.0, 1.0))


# --- fixtures ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store(demo_db):
    with open_store(demo_db, read_only=True) as s:
        yield s


def _all(config):
    return tuple(a.name for a in config.areas), tuple(o.name for o in config.organisations)


# --- since_last_meeting -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("recent_weeks,baseline_weeks", [(4, 12), (2, 12), (8, 12), (3, 5)])
def test_since_last_meeting_matches_the_per_unit_version(store, config, recent_weeks, baseline_weeks):
    areas, orgs = _all(config)
    kw = dict(areas=areas, orgs=orgs, recent_weeks=recent_weeks, baseline_weeks=baseline_weeks)
    new = lagesbild.since_last_meeting(store, config, **kw)
    old = _old_since_last_meeting(store, config, **kw)
    assert len(new) > 0 and set(new["family"]) == {"area", "place", "category"}
    assert new["place"].isna().any()  # ort-level reports (no plats) are units of their own
    pd.testing.assert_frame_equal(new, old, check_exact=True)


@pytest.mark.parametrize("pick", [lambda a, o: (a[:2], o), lambda a, o: (a, o[:1]), lambda a, o: ((), o)])
def test_since_last_meeting_matches_on_a_narrower_selection(store, config, pick):
    areas, orgs = pick(*_all(config))
    new = lagesbild.since_last_meeting(store, config, areas=areas, orgs=orgs)
    old = _old_since_last_meeting(store, config, areas=areas, orgs=orgs)
    pd.testing.assert_frame_equal(new, old, check_exact=True)


def test_since_last_meeting_on_an_empty_store(tmp_db, config):
    with open_store(tmp_db, config=config) as s:
        areas, orgs = _all(config)
        new = lagesbild.since_last_meeting(s, config, areas=areas, orgs=orgs)
        old = _old_since_last_meeting(s, config, areas=areas, orgs=orgs)
    pd.testing.assert_frame_equal(new, old, check_exact=True)


# --- coverage_summary -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("weeks", [1, 4, 12, 26, 104])
def test_coverage_summary_matches_the_per_reporter_version(store, config, weeks):
    areas, orgs = _all(config)
    end = latest_week_start(store)
    cov = store.reporting_coverage(areas=areas + ("",), orgs=orgs, week_from=end - timedelta(weeks=weeks - 1),
                                   week_to=end)
    assert not cov.empty
    new = lagesbild.coverage_summary(cov)
    pd.testing.assert_frame_equal(new, _old_coverage_summary(cov), check_exact=True)
    if weeks >= 12:
        assert (new["silent_now"] > 0).any() and (new["silent_now"] == 0).any()


def test_coverage_summary_on_hand_made_rows():
    weeks = pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"])
    rows = []
    for reporter, statuses in {"A": ["rapporterat", "saknas", "saknas", "saknas"],          # silent 3
                               "B": ["saknas", "saknas", "saknas", "saknas"],               # silent 4
                               "C": ["saknas", "rapporterat", "saknas", "inget_att_rapportera"],  # 0
                               "D": ["rapporterat", "saknas", "inget_att_rapportera", "saknas"]}.items():
        rows += [(reporter, "Polisen", "Högvad", w, s) for w, s in zip(weeks, statuses)]
    cov = pd.DataFrame(rows, columns=["reporter", "organisation", "area", "week_start", "status"])
    shuffled = cov.sample(frac=1, random_state=3)  # the function must not rely on the input's order
    for frame in (cov, shuffled):
        new = lagesbild.coverage_summary(frame)
        pd.testing.assert_frame_equal(new, _old_coverage_summary(frame), check_exact=True)
        assert new.set_index("reporter")["silent_now"].to_dict() == {"A": 3, "B": 4, "C": 0, "D": 1}
    only_reported = cov[cov["status"] != "saknas"]
    pd.testing.assert_frame_equal(lagesbild.coverage_summary(only_reported), _old_coverage_summary(only_reported),
                                  check_exact=True)
    empty = cov.iloc[0:0]
    pd.testing.assert_frame_equal(lagesbild.coverage_summary(empty), _old_coverage_summary(empty))


# --- candidate_evidence, candidate_positions ---------------------------------------------------------------------

def _same_evidence(new, old):
    # `physical` holds lists: compare them as text, the rest exactly. `planned_walk` came after the old
    # version was written: it must be the next planned walk of the unit's ort, or empty.
    pd.testing.assert_frame_equal(new.drop(columns=["physical", "planned_walk"]), old.drop(columns="physical"),
                                  check_exact=True)
    assert [json.dumps(x) for x in new["physical"]] == [json.dumps(x) for x in old["physical"]]
    assert list(new.columns)[-1] == "planned_walk"


def _planned_walks_by_ort(store):
    return store.planned_walks(from_date=latest_week_start(store)).set_index("ort")["planned_walk"].to_dict()


def _same_planned_walks(new, store):
    planned = _planned_walks_by_ort(store)
    assert planned, "the demo plans at least one walk ahead"
    assert [None if pd.isna(x) else pd.Timestamp(x) for x in new["planned_walk"]] == \
        [None if planned.get(o) is None else pd.Timestamp(planned[o]) for o in new["ort"]]
    assert new["planned_walk"].notna().any()


@pytest.mark.parametrize("level", ["plats", "ort"])
def test_candidate_evidence_matches_the_per_unit_sort(store, config, level):
    new = candidates.candidate_evidence(store, config, level=level)
    old = _old_candidate_evidence(store, config, level=level)
    assert new["lb_top_category"].notna().any()
    _same_evidence(new, old)
    _same_planned_walks(new, store)


def test_candidate_evidence_matches_for_one_organisation(store, config):
    orgs = (config.organisations[0].name,)
    _same_evidence(candidates.candidate_evidence(store, config, organisations=orgs),
                   _old_candidate_evidence(store, config, organisations=orgs))


@pytest.fixture(scope="module")
def store_with_unknown_places(demo_db, tmp_path_factory):
    """The demo database plus reports from places the gazetteer does not know, first seen in different
    weeks (one of them also in a second area), so the order in which unconfigured places are listed matters."""
    import shutil

    config = load_config(ROOT / "tsk.toml")
    copy = tmp_path_factory.mktemp("unknown") / "copy.duckdb"
    shutil.copy(demo_db, copy)
    with open_store(copy, config=config) as s:
        end = latest_week_start(s)
        other_area = config.areas[-1].name
        for place, weeks_ago, area in [("Zeta-gården", 1, None), ("Alfa-torget", 3, None), ("Mitt-parken", 3, None),
                                       ("Alfa-torget", 5, other_area), ("Äng-stigen", 30, None),
                                       ("Östra kajen", 0, None)]:
            s.run("""INSERT INTO lagesbild SELECT * REPLACE ($place AS place, $week AS week_start,
                                                   coalesce($area, area) AS area)
                      FROM lagesbild WHERE grade > 0 AND place IS NOT NULL AND week_start = $week
                      ORDER BY report_id, category LIMIT 3""",
                  {"place": place, "week": end - timedelta(weeks=weeks_ago), "area": area})
    with open_store(copy, read_only=True) as s:
        yield s


@pytest.mark.parametrize("level", ["plats", "ort"])
def test_candidate_evidence_lists_unknown_places_in_the_same_order(store_with_unknown_places, config, level):
    s = store_with_unknown_places
    new = candidates.candidate_evidence(s, config, level=level)
    old = _old_candidate_evidence(s, config, level=level)
    if level == "plats":
        known = {f"{p.name}, {p.ort}" for p in config.platser}
        assert (~new["unit"].isin(known)).sum() >= 4
    _same_evidence(new, old)
    areas, orgs = _all(config)
    pd.testing.assert_frame_equal(lagesbild.since_last_meeting(s, config, areas=areas, orgs=orgs),
                                  _old_since_last_meeting(s, config, areas=areas, orgs=orgs), check_exact=True)
    positions = candidates.candidate_positions(s, config, level=level)
    pd.testing.assert_frame_equal(candidates.candidate_positions(s, config, level=level, evidence=new), positions,
                                  check_exact=True)


@pytest.mark.parametrize("level", ["plats", "ort"])
def test_candidate_positions_takes_the_evidence_it_would_gather(store, config, level):
    evidence = candidates.candidate_evidence(store, config, level=level)
    asked = candidates.candidate_positions(store, config, level=level)
    given = candidates.candidate_positions(store, config, level=level, evidence=evidence)
    pd.testing.assert_frame_equal(given, asked, check_exact=True)


# --- survey counts --------------------------------------------------------------------------------------------

def _sorted(frame):
    return frame.sort_values(["year", "group", "scale", "value"], kind="stable").reset_index(drop=True)


def test_kommun_survey_counts_without_the_join_are_the_same(store, config):
    years = store.survey_years()
    assert years
    items = [i.key for i in config.survey_items if i.kind != "text"]
    for item in items:
        for year_from, year_to in ((years[0], years[-1]), (years[-1], years[-1])):
            new = store.survey_value_counts(item=item, year_from=year_from, year_to=year_to, by="kommun")
            old = _old_survey_value_counts(store, item=item, year_from=year_from, year_to=year_to, by="kommun")
            pd.testing.assert_frame_equal(_sorted(new), _sorted(old), check_exact=True)
    for by in ("area", "age_group", "gender"):  # unchanged, but checked against the same reference
        new = store.survey_value_counts(item="trygg_kvall", year_from=years[0], year_to=years[-1], by=by)
        old = _old_survey_value_counts(store, item="trygg_kvall", year_from=years[0], year_to=years[-1], by=by)
        pd.testing.assert_frame_equal(_sorted(new), _sorted(old), check_exact=True)


# --- the memoised exact test --------------------------------------------------------------------------------------

def test_poisson_rate_test_cache_returns_the_uncached_result():
    uncached = stats._poisson_rate_test.__wrapped__
    stats.poisson_rate_test.cache_clear()
    for c1, e1, c0, e0 in [(11, 800, 21, 3011), (0, 4, 6, 12), (5, 2, 0, 10), (0, 4, 0, 12), (2, 4, 6, 12),
                           (37, 4, 52, 12)]:
        first = stats.poisson_rate_test(c1, e1, c0, e0)
        again = stats.poisson_rate_test(np.int64(c1), float(e1), float(c0), np.int64(e0))
        reference = uncached(c1, float(e1), c0, float(e0), 0.95)
        assert first == reference and again == reference
        assert again is first  # equal inputs in other types share one cache entry
        assert type(first.count_recent) is int and type(first.exposure_recent) is float
    info = stats.poisson_rate_test.cache_info()
    assert info.hits == 6 and info.misses == 6
    with pytest.raises(AttributeError):  # results are shared between callers: they must be immutable
        first.p_value = 0.5
    assert stats.poisson_rate_test(2, 4, 6, 12, level=0.9) != stats.poisson_rate_test(2, 4, 6, 12)


@pytest.mark.parametrize("args", [(-1, 4, 2, 12), (1.5, 4, 2, 12), (1, 0, 2, 12), ([1], 4, 2, 12), (1, 4, 2, 12, 1.5),
                                  (float("nan"), 4, 2, 12)])
def test_poisson_rate_test_still_rejects_invalid_input(args):
    with pytest.raises(ValueError):
        stats.poisson_rate_test(*args)


# --- problem_index: all problem items in one store question ---------------------------------------------------

def test_problem_index_matches_one_question_per_item(store, config):
    years = store.survey_years()
    for year_from, year_to in ((years[0], years[-1]), (years[-1], years[-1]), (years[-1] + 1, years[-1] + 2)):
        new = pagedata_survey.problem_index(store, config, year_from=year_from, year_to=year_to)
        pd.testing.assert_frame_equal(new, _old_problem_index(store, config, year_from=year_from, year_to=year_to),
                                      check_exact=True)
    assert len(pagedata_survey.problem_index(store, config, year_from=years[0], year_to=years[-1])) > 0


def test_items_value_counts_are_the_kommun_counts_per_item(store, config):
    years = store.survey_years()
    items = [i.key for i in config.survey_items if i.kind != "text"]
    every = store.survey_items_value_counts(items=items, year_from=years[0], year_to=years[-1])
    for item in items:
        one = _old_survey_value_counts(store, item=item, year_from=years[0], year_to=years[-1], by="kommun")
        got = every[every["item"] == item].drop(columns="item").assign(group=KOMMUN_GROUP)[one.columns]
        pd.testing.assert_frame_equal(_sorted(got), _sorted(one), check_exact=True)
    assert store.survey_items_value_counts(items=[], year_from=years[0], year_to=years[-1]).empty


# --- scoring: the same numbers without numpy on single values, the same ranks -------------------------------------

def test_clip01_is_numpys_clip():
    from tsk.pagedata.scoring import _clip01

    for x in [-np.inf, -2.0, -1e-300, -0.0, 0.0, 1e-300, 0.3, 0.999999999, 1.0, 1.0 + 1e-15, 7.0, np.inf, 2 ** 0.5]:
        assert _clip01(x) == _old_clip01(x) and np.signbit(_clip01(x)) == np.signbit(_old_clip01(x))
        assert type(_clip01(x)) is float
    assert np.isnan(_clip01(np.nan)) and np.isnan(_old_clip01(np.nan))


def test_ranked_candidates_are_in_the_old_rank_order(store, config):
    ranked = candidates.ranked_candidates(store, config)
    assert len(ranked) > 1 and ranked["total"].notna().any()
    shuffled = ranked.sample(frac=1, random_state=7).reset_index(drop=True)

    def old_rank_key(i):  # the per-cell look-up it replaced
        total = shuffled.at[i, "total"]
        scored = not np.isnan(total)
        return (not scored, -round(total, 9) if scored else 0.0, str(shuffled.at[i, "unit"]))

    order = sorted(range(len(shuffled)), key=old_rank_key)
    assert shuffled.loc[order, "unit"].tolist() == ranked["unit"].tolist()
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))


def test_score_candidates_unchanged_by_the_scalar_clip(store, config, monkeypatch):
    from tsk.pagedata import scoring

    evidence = candidates.candidate_evidence(store, config)
    v = config.vandring
    args = (evidence, scoring.default_weights(config), v.caps)
    kw = dict(alpha=v.alpha, centralort_interval_months=v.centralort_interval_months)
    new = scoring.score_candidates(*args, **kw)
    from tsk.pagedata import scoring_components

    monkeypatch.setattr(scoring_components, "_clip01", _old_clip01)
    old = scoring.score_candidates(*args, **kw)
    pd.testing.assert_frame_equal(new.drop(columns="reasons"), old.drop(columns="reasons"), check_exact=True)
    assert new["reasons"].tolist() == old["reasons"].tolist()
