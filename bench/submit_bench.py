"""What one in-app Veckorapport submission costs, and how many a store takes per second.

    python -m bench.submit_bench --label demo --db bench/out/db/demo.duckdb --config tsk.toml
    python -m bench.submit_bench --label 1M --db bench/out/db/scale_1M.duckdb --config bench/out/data/tsk_scale_….toml

Works on a copy of the store (bench/out/db/submit_<label>.duckdb, removed afterwards), through the real
`tsk.ingest.veckorapport.submit`: one report of two categories per submission, each for another unit, place
or open week, so none is refused as a double. One untimed submission first (it migrates an older store,
as the app's first start does).

*Breakdown*: `--breakdown` submissions one after another, each timed step by step through thin wrappers
around the functions the write path calls (nothing is reimplemented here): the check, the read-only look at
the review decisions, parsing the submission through the lägesbild importer, waiting for the writer lock,
copying the store file, opening and migrating the copy, the inserts and commit, closing the copy (DuckDB's
checkpoint), fsync of the copy, the atomic replace and the fsync of the directory. Medians.

*Concurrency*: N = 1, 2, 5, 10 submitters as threads of one process (Streamlit's sessions are threads),
released together by a barrier; each submits `--total`/N reports (at least 2) one after another. Time per
submission from the call to its return (p50, p95), wall time and throughput (submissions per second), and
the median time a write holds the writer lock (its service time: 1 / that is the most a store can take).

Results: bench/out/results/submit_<label>.json; `section()` renders them for RESULTS.md."""
from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from bench.common import DBS, read_result, write_result
from tsk.config import ROOT, KommunConfig, load_config

PHASES = ("check", "pre-read", "parse", "lock wait", "copy", "open+migrate", "insert+commit", "close (checkpoint)",
          "fsync copy", "replace", "fsync dir")
IN_LOCK = ("copy", "open+migrate", "insert+commit", "close (checkpoint)", "fsync copy", "replace", "fsync dir")
# What grows with the file, not with the report: the copy, its fsync, and the replace (which frees the old
# file's blocks). DuckDB's checkpoint on close also flushes the copy (it fsyncs the file itself, which is why
# "fsync copy" is near zero): part of "close (checkpoint)" grows with the file too.
WHOLE_FILE = ("copy", "fsync copy", "replace")
CONCURRENCY = (1, 2, 5, 10)
SLOW_SUBMIT_S = 1.0     # the brief's line: above this per submission at 1M, or under
SLOW_THROUGHPUT = 2.0   # this many per second, the whole-file copy is the limit worth redesigning
HEADING = "## Veckorapport submissions (the write path)"


# --- timing the real write path ---------------------------------------------------------------------------------
class Timings:
    """Phase times of the submission running in the current thread."""

    def __init__(self):
        self.local = threading.local()

    def start(self) -> None:
        self.local.phases = {}

    def add(self, phase: str, seconds: float) -> None:
        phases = getattr(self.local, "phases", None)
        if phases is not None:
            phases[phase] = phases.get(phase, 0.0) + seconds

    def take(self) -> dict[str, float]:
        phases, self.local.phases = self.local.phases, None
        return phases

    def wrap(self, phase: str, fn):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(phase, time.perf_counter() - started)
        return timed


def instrument(timings: Timings) -> None:
    """Wrap what tsk.ingest.veckorapport and tsk.store.backup call, in this process only."""
    from tsk.ingest import veckorapport as vr
    from tsk.store import backup

    real_open = vr.open_store

    def open_store(path, *, read_only=False, config=None):
        started = time.perf_counter()
        store = real_open(path, read_only=read_only, config=config)
        opened = time.perf_counter()
        if not read_only:
            timings.add("open+migrate", opened - started)
        real_close = store.close

        def close():
            began = time.perf_counter()
            if not read_only:
                timings.add("insert+commit", began - opened)
            real_close()
            # the read-only look: open, the review decisions, close
            timings.add("pre-read" if read_only else "close (checkpoint)",
                        time.perf_counter() - (started if read_only else began))
        store.close = close
        return store

    real_lock = backup.writer_lock

    @contextmanager
    def writer_lock(db, timeout=backup.LOCK_TIMEOUT_S):
        started = time.perf_counter()
        with real_lock(db, timeout):
            timings.add("lock wait", time.perf_counter() - started)
            yield

    class _Os:  # os for tsk.store.backup, with replace timed
        def __getattr__(self, name):
            return getattr(os, name)

        replace = staticmethod(timings.wrap("replace", os.replace))

    vr.open_store = open_store
    vr.check = timings.wrap("check", vr.check)
    vr.parse = timings.wrap("parse", vr.parse)
    backup.writer_lock = writer_lock
    backup.shutil = SimpleNamespace(copyfile=timings.wrap("copy", shutil.copyfile))
    backup._fsync = timings.wrap("fsync copy", backup._fsync)
    backup._fsync_dir = timings.wrap("fsync dir", backup._fsync_dir)
    backup.os = _Os()


# --- the reports ---------------------------------------------------------------------------------------------------
def bench_today(db: Path) -> date:
    """A day whose two open weeks are after every week the store holds (no submission is a double of
    the data), and never before today."""
    from tsk.store import open_store

    with open_store(db, read_only=True) as store:
        newest = store.scalar("SELECT max(week_start) FROM coverage")
    day = date.today()
    if newest is not None and newest + timedelta(days=14) > day - timedelta(days=day.weekday()):
        day = newest + timedelta(days=16)  # the Wednesday two weeks after the newest week
    return day


def reports(cfg: KommunConfig, today: date):
    """Distinct submissions (unit, place, open week), as (Submission, its unit), round-robin over units."""
    from tsk.ingest.veckorapport import Submission, open_weeks

    cats = [c.key for c in cfg.categories]
    for week in open_weeks(today, cfg):
        for place in cfg.platser:
            for unit in cfg.reporting_units:
                yield Submission(unit.name, *week, ort=place.ort, place=place.name,
                                 grades={cats[0]: 2, cats[1]: 1}, comment="Glas vid busskuren."), unit


class Submitter:
    def __init__(self, db: Path, cfg: KommunConfig, timings: Timings):
        from tsk.ingest.veckorapport import submit

        self.db, self.cfg, self.timings, self.submit = db, cfg, timings, submit
        self.today = bench_today(db)
        self.queue = reports(cfg, self.today)
        self.lock = threading.Lock()

    def one(self) -> tuple[float, dict[str, float]]:
        with self.lock:
            sub, unit = next(self.queue)
        self.timings.start()
        started = time.perf_counter()
        self.submit(self.db, sub, actor="bench@kommun.example", allowed=(unit,), config=self.cfg, today=self.today)
        total = time.perf_counter() - started
        return total, self.timings.take()


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def breakdown(submitter: Submitter, n: int) -> dict:
    totals, per_phase = [], {p: [] for p in PHASES}
    for _ in range(n):
        total, phases = submitter.one()
        totals.append(total)
        for p in PHASES:
            per_phase[p].append(phases.get(p, 0.0))
    med = {p: round(statistics.median(v), 4) for p, v in per_phase.items()}
    total = round(statistics.median(totals), 4)
    return {"submissions": n, "total_s": total, "phases_s": med,
            "other_s": round(max(0.0, total - sum(med.values())), 4)}


def concurrent(submitter: Submitter, n: int, each: int) -> dict:
    barrier = threading.Barrier(n)
    latencies: list[float] = []
    held: list[float] = []
    errors: list[str] = []

    def run():
        try:
            barrier.wait(timeout=60)
            for _ in range(each):
                total, phases = submitter.one()
                latencies.append(total)
                held.append(sum(phases.get(p, 0.0) for p in IN_LOCK))
        except Exception as e:  # noqa: BLE001 - reported in the result, never hidden
            errors.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=run) for _ in range(n)]
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - started
    return {"submitters": n, "submissions": len(latencies), "errors": errors[:3], "wall_s": round(wall, 3),
            "p50_s": round(statistics.median(latencies), 4) if latencies else None,
            "p95_s": round(_p(latencies, 0.95), 4) if latencies else None,
            "per_s": round(len(latencies) / wall, 2) if wall else None,
            "lock_held_p50_s": round(statistics.median(held), 4) if held else None}


def run(label: str, db: Path, config: Path, *, total: int, n_breakdown: int) -> dict:
    from tsk.store import open_store

    cfg = load_config(config)
    work = DBS / f"submit_{label}.duckdb"
    _drop(work)
    shutil.copyfile(db, work)
    timings = Timings()
    instrument(timings)
    try:
        submitter = Submitter(work, cfg, timings)
        first, _ = submitter.one()  # migrates an older store; not counted
        with open_store(work, read_only=True) as store:
            rows = store.scalar("SELECT count(*) FROM lagesbild")
        result = {"label": label, "db_mb": round(work.stat().st_size / 1e6, 1), "lagesbild_rows": rows,
                  "today": submitter.today.isoformat(), "first_s": round(first, 3),
                  "breakdown": breakdown(submitter, n_breakdown), "concurrency": [],
                  "load_start": os.getloadavg()[0]}
        for n in CONCURRENCY:
            result["concurrency"].append(concurrent(submitter, n, max(2, math.ceil(total / n))))
            print(f"  {label}: {n} submitters: {result['concurrency'][-1]}", flush=True)
        result["load_end"] = os.getloadavg()[0]
        result["copy_mb_per_s"] = round(result["db_mb"] / result["breakdown"]["phases_s"]["copy"], 0) \
            if result["breakdown"]["phases_s"]["copy"] else None
    finally:
        _drop(work)
    write_result(f"submit_{label}", result)
    return result


def _drop(db: Path) -> None:
    for p in (db, Path(str(db) + ".wal"), Path(str(db) + ".lock"), *db.parent.glob(db.name + ".writing-*")):
        p.unlink(missing_ok=True)


# --- RESULTS.md ------------------------------------------------------------------------------------------------------
def verdict(res: dict) -> str:
    """One plain sentence per store: what a write costs, what share the whole-file work takes, and whether
    that is the limit by the brief's line (> 1 s per submission or < 2 per second)."""
    b = res["breakdown"]
    phases = b["phases_s"]
    whole = sum(phases[p] for p in WHOLE_FILE)
    held = sum(phases[p] for p in IN_LOCK)
    share = whole / b["total_s"] if b["total_s"] else 0
    best = max((c["per_s"] or 0) for c in res["concurrency"])
    ten = next((c for c in res["concurrency"] if c["submitters"] == max(CONCURRENCY)), res["concurrency"][-1])
    biggest = max(phases, key=phases.get)
    limited = b["total_s"] > SLOW_SUBMIT_S or best < SLOW_THROUGHPUT
    line = f"(over {SLOW_SUBMIT_S:.0f} s per submission or under {SLOW_THROUGHPUT:.0f} per second)"
    if limited and share >= 0.5:
        judged = f"By the line {line} **the whole-file copy is the limit here**."
    elif limited:
        judged = f"By the line {line} the write path is **too slow here, but the copy is not its main cost**."
    else:
        judged = f"By the line {line} the whole-file copy is **not** the limit here."
    return (f"**{res['label']}** ({res['db_mb']:.1f} MB, {res['lagesbild_rows']:,} lägesbild rows): one submission "
            f"{b['total_s']:.3f} s, of which copying and replacing the whole file {whole:.3f} s ({share:.0%}); a write "
            f"holds the writer lock {held:.3f} s, so a store takes at most ~{(1 / held) if held else 0:.1f} "
            f"writes/s; measured up to {best:.1f}/s, p95 {ten['p95_s']:.2f} s with {ten['submitters']} at once. "
            f"The largest step is {biggest} ({phases[biggest]:.3f} s)"
            + (PARSE_NOTE if biggest == "parse" else "") + f". {judged}")


# Why parsing one report can be the largest step (cProfile of parse() with the 10M config, 290 kommuner):
PARSE_NOTE = (": the lägesbild importer builds its gazetteer from the config for every file, and "
              "tsk/gazetteer.py's Gazetteer.__init__ scans every plats for every ort (orter × platser), which "
              "grows with the config, not with the store, and holds the GIL, so submitters in one process "
              "cannot overlap it")


def section(labels: list[str]) -> list[str]:
    found = [r for lb in labels if (r := read_result(f"submit_{lb}"))]
    if not found:
        return []
    out = [HEADING, "",
           "bench/submit_bench.py: `tsk.ingest.veckorapport.submit` of one report (two categories) on a copy of the "
           "store, through the real write path (a private copy of the whole file, the transaction, DuckDB's "
           "checkpoint on close, fsync, atomic replace; the writer lock puts writers one after another; no backup). "
           "*Concurrency*: N submitters as threads of one process (Streamlit's sessions), released together; time "
           "per submission from the call to its return. *lock held*: median time a write holds the writer lock "
           "(copy → replace); 1 / that is the most writes per second a store can take whatever N is.", ""]
    rows = []
    for r in found:
        for c in r["concurrency"]:
            rows.append([r["label"], c["submitters"], c["submissions"], f"{c['p50_s']:.3f}", f"{c['p95_s']:.3f}",
                         f"{c['per_s']:.2f}", f"{c['lock_held_p50_s']:.3f}", len(c["errors"])])
    out += _table(["data", "submitters", "submissions", "p50 s", "p95 s", "per second", "lock held s", "errors"],
                  rows)
    out += ["", "One write, step by step (median of the breakdown runs, one submitter, seconds):", ""]
    head = ["data", "file MB", "total", *PHASES, "other"]
    rows = [[r["label"], f"{r['db_mb']:.1f}", f"{r['breakdown']['total_s']:.3f}",
             *(f"{r['breakdown']['phases_s'][p]:.3f}" for p in PHASES), f"{r['breakdown']['other_s']:.3f}"]
            for r in found]
    out += _table(head, rows)
    out += ["", "*fsync copy* is near zero because DuckDB fsyncs the file itself when it checkpoints on close: "
            "the flush of the copied file is inside *close (checkpoint)*. *replace* frees the old file's blocks.", ""]
    for r in found:
        out += [verdict(r), ""]
    loads = ", ".join(f"{r['label']} {r['load_start']:.1f}" for r in found)
    out += [f"Measured {max(r['written'] for r in found)}; load average at the start: {loads} (a shared machine: "
            "timings of a busy machine are upper bounds).", ""]
    return out


def _table(header: list[str], rows: list[list]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return out + ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]


def replace_section(results_md: Path, labels: list[str]) -> None:
    """Put the section into RESULTS.md in place of the one there, or before «## Map HTML» (after a
    `python -m bench --submit-only` run), leaving every other figure as it was."""
    text = results_md.read_text(encoding="utf-8") if results_md.is_file() else "# Benchmark results\n"
    lines = text.split("\n")
    new = section(labels)
    if HEADING in lines:
        start = lines.index(HEADING)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines[start:end] = new
    else:
        at = lines.index("## Map HTML") if "## Map HTML" in lines else len(lines)
        lines[at:at] = new
    results_md.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.submit_bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--label", required=True)
    p.add_argument("--db", required=True, type=Path)
    p.add_argument("--config", default=str(ROOT / "tsk.toml"), type=Path)
    p.add_argument("--total", type=int, default=10, help="submissions per concurrency level (at least 2 each)")
    p.add_argument("--breakdown", type=int, default=7, help="submissions timed step by step")
    args = p.parse_args(argv)
    if not args.db.is_file():
        print(f"  ! {args.db} missing", flush=True)
        return 1
    run(args.label, args.db, args.config, total=args.total, n_breakdown=args.breakdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
