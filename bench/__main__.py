"""`python -m bench [--quick] [--sizes 100k,1M,10M]`: generate scale data, measure, write bench/RESULTS.md.

Every measurement runs in a subprocess (bench.import_bench, bench.pages_bench, bench.apptest_bench) and
leaves a JSON file in bench/out/results/; bench.report turns them into the table and RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import report
from bench.common import (
    DBS,
    DEFAULT_SEED,
    DEFAULT_SIZES,
    DEMO_DB,
    RESULTS,
    RESULTS_MD,
    parse_size,
    run_step,
    size_label,
    write_result,
)
from tsk.config import ROOT


def _env(db: Path, config: Path) -> dict:
    return {"TSK_DB": str(db), "TSK_CONFIG": str(config), "PYTHONPATH": str(ROOT)}


def _drop(db: Path) -> None:
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)


def build_demo(env: dict) -> None:
    """The demo database, through the ordinary `python -m tsk demo`."""
    _drop(DEMO_DB)
    DEMO_DB.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tsk", "demo", "--db", str(DEMO_DB)], cwd=ROOT, env={**os.environ, **env},
                   check=True, stdout=subprocess.DEVNULL)
    write_result("demo_build", {"seconds": round(time.perf_counter() - start, 2),
                                "db_mb": round(DEMO_DB.stat().st_size / 1e6, 1)})


def pages_bench_pages() -> tuple[str, ...]:
    from bench.pages_bench import PAGES

    return PAGES


def bench_browser(label: str, db: Path, env: dict, *, sessions: bool) -> None:
    """The pages in headless Chromium (bench.browser_bench): first visits and page switches, and on the
    demo store the analysgrupp's concurrent sessions."""
    run_step("browser_bench", "--label", label, "--db", str(db), "--config", env["TSK_CONFIG"], env=env)
    if sessions:
        run_step("browser_bench", "--label", label, "--db", str(db), "--config", env["TSK_CONFIG"],
                 "--sessions", "1,5,10", env=env)


def bench_submit(label: str, db: Path, env: dict) -> None:
    """In-app Veckorapport submissions on a copy of the store (bench.submit_bench): time per write, its
    steps, and throughput with 1–10 submitters at once."""
    run_step("submit_bench", "--label", label, "--db", str(db), "--config", env["TSK_CONFIG"], env=env)


def submit_only(sizes: list[int]) -> list[str]:
    """`--submit-only`: the submission timings on the databases an earlier run left (the demo is rebuilt
    when missing); RESULTS.md keeps every other figure and gets the submissions section anew."""
    from bench.generate import kommuner_for, scale_config

    demo_env = {"TSK_DB": str(DEMO_DB), "TSK_CONFIG": str(ROOT / "tsk.toml"), "PYTHONPATH": str(ROOT)}
    if not DEMO_DB.exists():
        build_demo(demo_env)
    bench_submit("demo", DEMO_DB, demo_env)
    labels = ["demo"]
    for rows in sizes:
        label = size_label(rows)
        db = DBS / f"scale_{label}.duckdb"
        if not db.exists():
            print(f"  ({db.name} saknas: kör `python -m bench --sizes {label}` först)", flush=True)
            continue
        bench_submit(label, db, _env(db, scale_config(kommuner_for(rows)).config_path))
        labels.append(label)
    return labels


def bench_pages(label: str, db: Path, env: dict, *, pandas: bool, apptest: bool) -> None:
    for page in pages_bench_pages():
        run_step("pages_bench", "--label", label, "--db", str(db), "--page", page, env=env)
    run_step("pages_bench", "--label", label, "--db", str(db), "--maps", env=env)
    if pandas:
        run_step("pages_bench", "--label", label, "--db", str(db), "--pandas", env=env)
    if apptest:
        run_step("apptest_bench", "--label", label, env=env)


def _survey_donor(survey_file: Path, label: str) -> Path | None:
    """A scale database of another size that imported `survey_file` in this run."""
    run = report.load("run") or {}
    for other in DBS.glob("scale_*.duckdb"):
        other_label = other.stem.removeprefix("scale_")
        res = report.load(f"import_{other_label}_survey_tsk")
        gen = report.load(f"generate_{other_label}")
        if other_label != label and res and gen and gen.get("survey_file") == survey_file.name \
                and res.get("written", "") >= run.get("started", "~"):
            return other
    return None


def bench_size(rows: int, seed: int, args) -> None:
    from bench import generate

    label = size_label(rows)
    print(f"\n== {label} lägesbild rows ==", flush=True)
    start = time.perf_counter()
    lb_file, geo = generate.lagesbild_csv(rows, seed)
    survey_n, survey_k = generate.survey_for(rows)
    survey_file = generate.survey_csv(survey_n, survey_k, seed)
    write_result(f"generate_{label}", {
        "seconds": round(time.perf_counter() - start, 2), "rows": rows, "kommuner": geo.kommuner,
        "orter": len(geo.orter), "platser": len(geo.orter) * len(generate.PLATSER),
        "lagesbild_file": lb_file.name, "lagesbild_mb": round(lb_file.stat().st_size / 1e6, 1),
        "survey_respondents": survey_n, "survey_file": survey_file.name,
        "survey_mb": round(survey_file.stat().st_size / 1e6, 1), "config": geo.config_path.name})
    env = _env(DBS / f"scale_{label}.duckdb", geo.config_path)
    db = DBS / f"scale_{label}.duckdb"
    scratch = DBS / f"scratch_{label}.duckdb"
    rowloop = DBS / f"rowloop_{label}.duckdb"

    run_step("import_bench", "--label", label, "--engine", "duckdb", "--file", str(lb_file), "--db", str(scratch),
             env=env)
    run_step("import_bench", "--label", label, "--engine", "duckdb", "--source", "survey", "--file",
             str(survey_file), "--db", str(scratch), env=env)
    ran_rowloop = rows <= args.original_max
    if ran_rowloop:  # the row loop the columnar parser replaced: the "before" of the Import table
        run_step("import_bench", "--label", label, "--engine", "tsk-rowloop", "--file", str(lb_file), "--db",
                 str(rowloop), env=env)
    else:
        print(f"  (the row-loop importer is not run above {size_label(args.original_max)} rows: "
              "see --original-max)", flush=True)
        (RESULTS / f"import_{label}_lagesbild_tsk-rowloop.json").unlink(missing_ok=True)
    run_step("import_bench", "--label", label, "--engine", "tsk", "--file", str(lb_file), "--db", str(db), env=env)
    if ran_rowloop:
        run_step("import_bench", "--label", label, "--compare", str(rowloop), str(db), env=env)
        if not (report.load(f"compare_{label}") or {}).get("identical"):
            print("  ! the shipped (columnar) importer's rows differ from the row loop's: a bug in "
                  "tsk/importers/lagesbild_columnar.py (the Import table says so)", flush=True)
        _drop(rowloop)
    donor = _survey_donor(survey_file, label)
    if donor:  # the same survey file was imported at a smaller size in this run: copy its rows
        print(f"  (survey rows copied from {donor.name}: the same file was imported and measured there)", flush=True)
        run_step("import_bench", "--label", label, "--copy-survey", str(donor), "--db", str(db), env=env)
    else:
        run_step("import_bench", "--label", label, "--engine", "tsk", "--source", "survey", "--file",
                 str(survey_file), "--db", str(db), "--keep", env=env)
    run_step("import_bench", "--label", label, "--finish", str(db), env=env)
    _drop(scratch)
    write_result(f"db_{label}", {"db_mb": round(db.stat().st_size / 1e6, 1)})
    bench_pages(label, db, env, pandas=rows <= args.pandas_max, apptest=rows <= args.apptest_max)
    if rows <= args.browser_max:
        bench_browser(label, db, env, sessions=False)
    if rows <= args.submit_max:
        bench_submit(label, db, env)


def browser_only(sizes: list[int]) -> list[str]:
    """`--browser-only`: the browser timings on the databases an earlier run left (the demo is rebuilt when
    missing); RESULTS.md keeps every other figure and gets the browser section anew."""
    from bench.generate import kommuner_for, scale_config

    demo_env = {"TSK_DB": str(DEMO_DB), "TSK_CONFIG": str(ROOT / "tsk.toml"), "PYTHONPATH": str(ROOT)}
    if not DEMO_DB.exists():
        build_demo(demo_env)
    labels = ["demo"]
    bench_browser("demo", DEMO_DB, demo_env, sessions=True)
    for rows in sizes:
        label = size_label(rows)
        db = DBS / f"scale_{label}.duckdb"
        if not db.exists():
            print(f"  ({db.name} saknas: kör `python -m bench --sizes {label}` först)", flush=True)
            continue
        config = scale_config(kommuner_for(rows)).config_path  # cached by size and seed, as the run left it
        bench_browser(label, db, _env(db, config), sessions=False)
        labels.append(label)
    return labels


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--quick", action="store_true", help="100k rows only: a smoke run")
    p.add_argument("--sizes", default=",".join(DEFAULT_SIZES), help="lägesbild rows, e.g. 100k,1M,10M")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--original-max", default="1M",
                   help="largest size at which the old row-loop lägesbild importer (engine tsk-rowloop) is run "
                        "(it needs ~15 min and ~15 GB at 10M rows); above it, the table shows the projection "
                        "from the measured sizes")
    p.add_argument("--apptest-max", default="1M", help="largest size rendered through AppTest")
    p.add_argument("--pandas-max", default="1M", help="largest size with the pandas baseline (the target is at 1M)")
    p.add_argument("--no-demo", action="store_true", help="skip the demo database")
    p.add_argument("--browser-max", default="1M", help="largest size timed in a browser (bench.browser_bench)")
    p.add_argument("--browser-only", action="store_true",
                   help="only the browser timings, on the databases already built; updates that section of RESULTS.md")
    p.add_argument("--submit-max", default="1M", help="largest size timed for in-app submissions (bench.submit_bench)")
    p.add_argument("--submit-only", action="store_true",
                   help="only the submission timings, on the databases already built; updates that section of RESULTS.md")
    p.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md from bench/out/results")
    args = p.parse_args(argv)
    sizes = [parse_size(s) for s in ("100k" if args.quick else args.sizes).split(",") if s.strip()]
    args.original_max = parse_size(args.original_max)
    args.apptest_max = parse_size(args.apptest_max)
    args.pandas_max = parse_size(args.pandas_max)
    args.browser_max = parse_size(args.browser_max)
    args.submit_max = parse_size(args.submit_max)
    if args.browser_only:
        labels = browser_only([s for s in sizes if s <= args.browser_max])
        report.replace_browser_section(labels)
        return 0
    if args.submit_only:
        from bench.submit_bench import replace_section

        replace_section(RESULTS_MD, submit_only([s for s in sizes if s <= args.submit_max]))
        return 0
    started = time.time()
    if not args.report_only:
        RESULTS.mkdir(parents=True, exist_ok=True)
        write_result("run", {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "argv": sys.argv[1:],
                             "load_start": os.getloadavg()})
        if not args.no_demo:
            print("\n== demo ==", flush=True)
            for old in [*RESULTS.glob("*_demo_*.json"), *RESULTS.glob("*_demo.json")]:
                old.unlink()
            demo_env = {"TSK_DB": str(DEMO_DB), "TSK_CONFIG": str(ROOT / "tsk.toml"), "PYTHONPATH": str(ROOT)}
            build_demo(demo_env)
            bench_pages("demo", DEMO_DB, demo_env, pandas=True, apptest=True)
            bench_browser("demo", DEMO_DB, demo_env, sessions=True)
            bench_submit("demo", DEMO_DB, demo_env)
        for rows in sizes:
            label = size_label(rows)
            for old in [*RESULTS.glob(f"*_{label}_*.json"), *RESULTS.glob(f"*_{label}.json")]:
                old.unlink()
            bench_size(rows, args.seed, args)
        run = report.load("run") or {}
        write_result("run", {**run, "minutes": round((time.time() - started) / 60, 1), "load_end": os.getloadavg()})
    text = report.write([size_label(s) for s in sizes], include_demo=not args.no_demo)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
