"""Each page's data functions, cold and warm, against the same functions on a pandas store.

`python -m bench.pages_bench --label 1M --db DB --page lagesbild` times one page's functions against
DuckDB in a fresh process (run once per page, so its peak RSS is that page's);
`--pandas` times every page's functions on bench.pandas_store.PandasStore and checks that both give
the same result; `--maps` measures the HTML of every map the pages draw.

Timings (milliseconds):
- cold: the first call in this process against this database, on a new read-only connection
  (DuckDB's buffer pool empty; the OS file cache is warm; the code has run once on the demo database,
  so Python imports are not counted);
- warm (app): the median of repeated calls the way tsk.ui does it on a cache miss: a cursor on the
  app's shared read-only snapshot of the file (tsk.store.Snapshot), ask, close the cursor;
- warm (held): the median of repeated calls on one connection kept open (DuckDB's buffer pool warm);
- pandas: the median of repeated calls on DataFrames already in memory.
"""
from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta
from pathlib import Path

import pandas as pd

from bench.common import DEMO_DB, WARM_REPEATS, peak_rss_mb, write_result
from tsk import maps
from tsk.config import ROOT, load_config
from tsk.formatting import fmt_dec, fmt_pct
from tsk.i18n import t
from tsk.pagedata import (
    candidates,
    common,
    lagesbild,
    overview,
    scoring,
    survey,
    traffpunkt,
)
from tsk.selection import default_selection
from tsk.store import open_snapshot, open_store

PAGES = ("sidebar", "oversikt", "lagesbild", "trygghet", "traffpunkt", "vandring", "analysgrupp")


def selection(store, cfg):
    """The sidebar's default selection (as tsk.ui.sidebar computes it)."""
    years = store.years_present() or [pd.Timestamp.today().year]
    return default_selection(years=years, latest_week=store.latest_week(), areas=[a.name for a in cfg.areas],
                             organisations=[o.name for o in cfg.organisations])


def page_functions(cfg, sel, first_place: tuple) -> dict[str, list[tuple[str, callable]]]:
    """Per page: (name, fn(store)) for every store question and page-level function the page calls
    with the default selection, in page order."""
    cats = common.problem_categories(cfg)
    window = dict(areas=sel.areas, orgs=sel.organisations, cats=cats, week_from=sel.week_start_from,
                  week_to=sel.week_start_to)
    tp_item = next((i.key for i in cfg.traffpunkt_items if i.kind != "text"), "tp_trygg_omrade")
    return {
        "sidebar": [
            ("(open and close a read-only connection)", lambda s: None),
            ("years_present", lambda s: s.years_present()),
            ("latest_week", lambda s: s.latest_week()),
            ("first_week", lambda s: s.first_week()),
        ],
        "oversikt": [
            ("overview.area_metric(otrygg)", lambda s: overview.area_metric(s, cfg, metric="otrygg")),
            ("overview.area_metric(rapporter)", lambda s: overview.area_metric(s, cfg, metric="rapporter")),
            ("overview.area_metric(forandring)", lambda s: overview.area_metric(s, cfg, metric="forandring")),
            ("area_geometries", lambda s: s.area_geometries()),
            ("overview.key_figures", lambda s: overview.key_figures(s, cfg)),
            ("lagesbild.since_last_meeting", lambda s: lagesbild.since_last_meeting(
                s, cfg, areas=sel.areas, orgs=sel.organisations, recent_weeks=4)),
            ("counts", lambda s: s.counts()),
        ],
        "lagesbild": [
            ("lagesbild_counts(month, category)", lambda s: s.lagesbild_counts(period="month", by="category",
                                                                                **window)),
            ("lagesbild_counts(week, area)", lambda s: s.lagesbild_counts(period="week", by="area", **window)),
            ("lagesbild_month_of_year", lambda s: s.lagesbild_month_of_year(**window)),
            ("lagesbild_places", lambda s: s.lagesbild_places(**window)),
            ("police_by_ort", lambda s: s.police_by_ort(areas=sel.areas, date_from=sel.week_start_from,
                                                        date_to=sel.week_start_to + timedelta(days=6))),
            ("reporting_coverage(26 v)", lambda s: s.reporting_coverage(
                areas=sel.areas + ("",), orgs=sel.organisations,
                week_from=max(sel.week_start_from, sel.week_start_to - timedelta(weeks=25)),
                week_to=sel.week_start_to)),
            ("place_timeline", lambda s: s.place_timeline(ort=first_place[0], plats=first_place[1],
                                                          orgs=sel.organisations, cats=cats,
                                                          week_from=sel.week_start_from, week_to=sel.week_start_to)),
        ],
        "trygghet": [
            ("survey.survey_shares(area)", lambda s: survey.survey_shares(
                s, cfg, item="trygg_kvall", year_from=sel.year_from, year_to=sel.year_to, by="area",
                groups=sel.areas)),
            ("survey.survey_shares(kommun)", lambda s: survey.survey_shares(
                s, cfg, item="trygg_kvall", year_from=sel.year_from, year_to=sel.year_to, by="kommun")),
            ("survey.problem_index", lambda s: survey.problem_index(s, cfg, year_from=sel.year_from,
                                                                        year_to=sel.year_to)),
            ("survey.survey_mentions", lambda s: survey.survey_mentions(s, cfg, year_from=sel.year_from,
                                                                            year_to=sel.year_to)),
            ("survey.breakdown(age_group)", lambda s: survey.breakdown(s, cfg, item="trygg_kvall",
                                                                           year=sel.year_to, by="age_group")),
            ("survey.breakdown(gender)", lambda s: survey.breakdown(s, cfg, item="trygg_kvall",
                                                                        year=sel.year_to, by="gender")),
        ],
        "traffpunkt": [
            ("traffpunkt.traffpunkt_shares", lambda s: traffpunkt.traffpunkt_shares(s, cfg, item=tp_item)),
            ("traffpunkt_respondents_per_area", lambda s: s.traffpunkt_respondents_per_area()),
        ],
        "vandring": [
            ("candidates.candidate_evidence(plats)", lambda s: candidates.candidate_evidence(s, cfg, level="plats")),
            ("candidates.candidate_positions(plats)", lambda s: candidates.candidate_positions(s, cfg, level="plats")),
            ("walks", lambda s: s.walks()),
            ("candidates.measure_effects", lambda s: candidates.measure_effects(s, cfg)),
        ],
        "analysgrupp": _analysgrupp(cfg, sel),
    }


def _analysgrupp(cfg, sel) -> list[tuple[str, callable]]:
    """The analysgrupp page's functions, where this version of tsk has them."""
    out = []
    if hasattr(candidates, "ranked_candidates"):
        out.append(("candidates.ranked_candidates(plats)",
                    lambda s: candidates.ranked_candidates(s, cfg, level="plats")))
    try:
        from tsk.pagedata import meeting as mtg
    except ImportError:
        return out
    if hasattr(mtg, "samlad_lagesbild"):
        out.append(("meeting.samlad_lagesbild", lambda s: mtg.samlad_lagesbild(
            s, cfg, areas=sel.areas, orgs=sel.organisations, week_from=sel.week_start_from,
            week_to=sel.week_start_to)))
    if hasattr(mtg, "disagreements"):
        out.append(("meeting.disagreements", lambda s: mtg.disagreements(
            s, cfg, areas=sel.areas, week_from=sel.week_start_from, week_to=sel.week_start_to)))
    if hasattr(mtg, "agenda"):
        from datetime import date

        out.append(("meeting.agenda", lambda s: mtg.agenda(s, cfg, today=date(2026, 11, 24))))
    return out


def first_place_of(store, cfg, sel) -> tuple:
    cats = common.problem_categories(cfg)
    places = store.lagesbild_places(areas=sel.areas, orgs=sel.organisations, cats=cats,
                                    week_from=sel.week_start_from, week_to=sel.week_start_to)
    if places.empty:
        return ("", None)
    r = places.iloc[0]
    return (r["ort"], None if pd.isna(r["plats"]) else r["plats"])


def after_functions(cfg, sel) -> dict[str, list[tuple[str, callable]]]:
    """Page-level functions on DataFrames (no store): the same cost whichever store computed the input."""
    v = cfg.vandring
    return {
        "lagesbild": [("lagesbild.coverage_summary", ("reporting_coverage(26 v)",), lagesbild.coverage_summary)],
        "trygghet": [("survey.year_on_year", ("survey.survey_shares(kommun)", "survey.survey_shares(area)"),
                      lambda kommun, shares: survey.year_on_year(pd.concat([kommun, shares], ignore_index=True),
                                                                   cfg))],
        "traffpunkt": [("traffpunkt.traffpunkt_comparison", ("traffpunkt.traffpunkt_shares",),
                        lambda shares: traffpunkt.traffpunkt_comparison(shares, cfg))],
        "vandring": [("scoring.score_candidates", ("candidates.candidate_evidence(plats)",),
                      lambda ev: scoring.score_candidates(ev, scoring.default_weights(cfg), v.caps, alpha=v.alpha,
                                                         centralort_interval_months=v.centralort_interval_months))],
    }


# --- result equality (DuckDB vs pandas) ---------------------------------------------------------------------

def _norm_value(x):
    if x is None:
        return None
    if isinstance(x, (list, tuple)):
        return tuple(_norm_value(v) for v in x)
    if hasattr(x, "tolist") and not isinstance(x, str):
        x = x.tolist()
        if isinstance(x, list):
            return tuple(_norm_value(v) for v in x)
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, (int, float)):
        return round(float(x), 6)
    if hasattr(x, "isoformat"):
        return str(pd.Timestamp(x).date()) if pd.Timestamp(x) == pd.Timestamp(x).normalize() else str(pd.Timestamp(x))
    return str(x)


def _rows(obj):
    if isinstance(obj, pd.DataFrame):
        cols = sorted(obj.columns)
        return sorted((tuple(_norm_value(v) for v in row) for row in obj[cols].itertuples(index=False, name=None)),
                      key=repr), cols
    if isinstance(obj, list):
        return sorted((tuple(sorted((k, _norm_value(v)) for k, v in d.items())) if isinstance(d, dict)
                       else _norm_value(d) for d in obj), key=repr), None
    if isinstance(obj, dict):
        return sorted((k, _norm_value(v)) for k, v in obj.items()), None
    return _norm_value(obj), None


def same_result(a, b) -> bool:
    """Equal content (row order and dtypes aside; floats to 6 decimals)."""
    return _rows(a) == _rows(b)


# --- timing -------------------------------------------------------------------------------------------------

def _ms(seconds: float) -> float:
    return round(1000 * seconds, 2)


BUDGET_S = 8.0  # per function and measurement kind: slow functions are repeated fewer times


def _repeats(first_call_s: float, repeats: int) -> int:
    return max(1, min(repeats, int(BUDGET_S / max(first_call_s, 1e-3))))


def run_duckdb_page(db: Path, page: str, repeats: int) -> dict:
    cfg = load_config()
    _warm_code()
    with open_store(db, read_only=True) as store:
        sel = selection(store, cfg)
        first = first_place_of(store, cfg, sel)
    funcs = page_functions(cfg, sel, first)[page]
    rows = {}
    outputs = {}
    failed = []
    for name, fn in funcs:  # cold pass, in page order
        start = time.perf_counter()
        try:
            with open_store(db, read_only=True) as store:
                outputs[name] = fn(store)
        except Exception as e:  # noqa: BLE001 - a failure at scale is a finding: record it, go on
            rows[name] = {"error": f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"}
            failed.append(name)
            continue
        rows[name] = {"cold_ms": _ms(time.perf_counter() - start)}
    funcs = [(name, fn) for name, fn in funcs if name not in failed]
    snapshot = open_snapshot(db)  # warm, the app's way: one shared snapshot, a cursor per question
    for name, fn in funcs:
        times = []
        for _ in range(_repeats(rows[name]["cold_ms"] / 1000, repeats)):
            start = time.perf_counter()
            with snapshot.store() as store:
                fn(store)
            times.append(time.perf_counter() - start)
        rows[name]["warm_app_ms"] = _ms(statistics.median(times))
    snapshot.con.close()
    with open_store(db, read_only=True) as store:  # warm on a held connection
        for name, fn in funcs:
            start = time.perf_counter()
            fn(store)
            first = time.perf_counter() - start
            if first > BUDGET_S:  # Python-bound minutes: one more call would tell nothing new
                rows[name]["warm_held_ms"] = _ms(first)
                continue
            times = []
            for _ in range(_repeats(first, repeats)):
                start = time.perf_counter()
                fn(store)
                times.append(time.perf_counter() - start)
            rows[name]["warm_held_ms"] = _ms(statistics.median(times))
    for name, sources, fn in after_functions(cfg, sel).get(page, []):
        data = [outputs.get(source) for source in sources]
        if any(d is None for d in data):
            continue
        start = time.perf_counter()
        try:
            fn(*data)
        except Exception as e:  # noqa: BLE001
            rows[name] = {"error": f"{type(e).__name__}: {str(e).splitlines()[0][:200]}", "no_store": True}
            continue
        cold = time.perf_counter() - start
        times = []
        for _ in range(_repeats(cold, repeats)):
            start = time.perf_counter()
            fn(*data)
            times.append(time.perf_counter() - start)
        rows[name] = {"cold_ms": _ms(cold), "warm_app_ms": _ms(statistics.median(times)),
                      "warm_held_ms": _ms(statistics.median(times)), "no_store": True}
    shapes = {name: (len(out) if hasattr(out, "__len__") else None) for name, out in outputs.items()}
    for name, n in shapes.items():
        rows[name]["result_rows"] = n
    if page == "sidebar":
        rows["(open and close a read-only connection)"]["result_rows"] = None
    return {"page": page, "functions": rows, "selection": {"weeks": f"{sel.week_from}..{sel.week_to}",
                                                           "years": f"{sel.year_from}-{sel.year_to}",
                                                           "areas": len(sel.areas)}}


_WARMED = False


def _warm_code() -> None:
    """Run every page function once on the demo database, so that lazy imports (scipy, statsmodels …)
    are not counted as the first call's cost on the scale database."""
    global _WARMED
    if _WARMED or not DEMO_DB.is_file():
        return
    with open_store(DEMO_DB, read_only=True) as store:
        base = load_config(ROOT / "tsk.toml")
        sel = selection(store, base)
        first = first_place_of(store, base, sel)
        for funcs in page_functions(base, sel, first).values():
            for _, fn in funcs:
                try:
                    fn(store)
                except Exception:  # noqa: BLE001 - measured (and reported) on the scale database
                    pass
    _WARMED = True


def run_pandas(db: Path, repeats: int) -> dict:
    from bench.pandas_store import PandasStore, load_frames

    cfg = load_config()
    _warm_code()
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    with open_store(db, read_only=True) as store:
        frames = load_frames(store.con)
    load_s = time.perf_counter() - start
    pstore = PandasStore(frames)
    rows: dict[str, dict] = {}
    with open_store(db, read_only=True) as store:
        sel = selection(store, cfg)
        first = first_place_of(store, cfg, sel)
        funcs = page_functions(cfg, sel, first)
        for page, items in funcs.items():
            for name, fn in items:
                try:
                    expected = fn(store)
                    start = time.perf_counter()
                    got = fn(pstore)
                    cold = time.perf_counter() - start
                except Exception as e:  # noqa: BLE001 - a store question the pandas store lacks, or a failure
                    rows[f"{page}/{name}"] = {"error": f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"}
                    continue
                times = []
                for _ in range(_repeats(cold, repeats)):
                    start = time.perf_counter()
                    fn(pstore)
                    times.append(time.perf_counter() - start)
                rows[f"{page}/{name}"] = {"pandas_cold_ms": _ms(cold), "pandas_warm_ms": _ms(statistics.median(times)),
                                          "same_result": same_result(expected, got)}
    mem = sum(int(f.memory_usage(deep=True).sum()) for f in frames.values())
    return {"load_s": round(load_s, 2), "frames_mb": round(mem / 1e6, 1), "rss_before_load_mb": round(rss_before, 1),
            "functions": rows}


# --- maps ------------------------------------------------------------------------------------------------

def run_maps(db: Path) -> dict:
    """Build every map the pages draw (default selection, normal and meeting mode) and measure its HTML."""
    cfg = load_config()
    out = {}
    with open_store(db, read_only=True) as store:
        sel = selection(store, cfg)
        cats = common.problem_categories(cfg)
        window = dict(areas=sel.areas, orgs=sel.organisations, cats=cats, week_from=sel.week_start_from,
                      week_to=sel.week_start_to)
        geoms = store.area_geometries()
        formats = {"otrygg": fmt_pct, "rapporter": fmt_dec, "forandring": lambda v: fmt_dec(v, 2)}
        built = {}
        for metric in overview.METRICS:
            values = overview.area_metric(store, cfg, metric=metric)
            areas = geoms.merge(values, on="name", how="left")
            for meeting in (False, True):
                built[f"oversikt: area_map({metric}){' mötesläge' if meeting else ''}"] = lambda a=areas, m=metric, mt=meeting: maps.area_map(
                    a, value_col="value", n_col="n", value_label=t(f"metric_{m}"), fmt=formats[m], meeting=mt,
                    selected=None, suppressed_text=t("suppressed_short", n=cfg.suppression_min))
        places = store.lagesbild_places(**window)
        police = store.police_by_ort(areas=sel.areas, date_from=sel.week_start_from,
                                     date_to=sel.week_start_to + timedelta(days=6)).dropna(subset=["ort"])
        for meeting in (False, True):
            # as the page draws it by default: points, police and the hot-spot hexagons (binned in the build)
            built[f"lagesbild: places_map{' mötesläge' if meeting else ''}"] = lambda mt=meeting: maps.places_map(
                geoms, places, police, meeting=mt, hotspots=lagesbild.hotspot_bins(places, cfg))
        mentions = survey.survey_mentions(store, cfg, year_from=sel.year_from, year_to=sel.year_to)
        if not mentions.empty:
            built["trygghet: places_map (mentions)"] = lambda: maps.places_map(
                geoms, mentions.rename(columns={"mentions": "reports"}), None,
                count_words=(t("word_answer"), t("word_answers")), legend_text=t("tr_places_legend"))
        v = cfg.vandring
        evidence = candidates.candidate_evidence(store, cfg, level="plats")
        scored = scoring.score_candidates(evidence, scoring.default_weights(cfg), v.caps, alpha=v.alpha,
                                          centralort_interval_months=v.centralort_interval_months)
        top = scored[scored["status"] == "ok"].sort_values("rank").head(8)
        where = candidates.candidate_positions(store, cfg, level="plats")
        on_map = top.merge(where, on="unit", how="left").dropna(subset=["lat", "lon"])
        built["vandring: places_map (candidates)"] = lambda: maps.places_map(
            geoms, on_map.assign(reports=on_map["total"].round().astype(int).clip(lower=1),
                                 approximate=on_map["approximate"].fillna(True).astype(bool)),
            None, count_words=(t("vc_points"), t("vc_points")), legend_text=t("vc_map_legend"))
        for name, build in built.items():
            start = time.perf_counter()
            html = maps.map_html(build())
            out[name] = {"bytes": len(html.encode("utf-8")), "build_ms": _ms(time.perf_counter() - start)}
    return {"maps": out, "places_rows": len(places)}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.pages_bench")
    p.add_argument("--label", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--page", choices=PAGES)
    p.add_argument("--pandas", action="store_true")
    p.add_argument("--maps", action="store_true")
    p.add_argument("--repeats", type=int, default=WARM_REPEATS)
    args = p.parse_args(argv)
    db = Path(args.db)
    if args.page:
        result = run_duckdb_page(db, args.page, args.repeats)
        write_result(f"pages_{args.label}_{args.page}", result)
    elif args.pandas:
        result = run_pandas(db, max(1, args.repeats - 2))
        write_result(f"pandas_{args.label}", result)
    elif args.maps:
        result = run_maps(db)
        write_result(f"maps_{args.label}", result)
    else:
        p.error("one of --page, --pandas, --maps")


if __name__ == "__main__":
    main()
