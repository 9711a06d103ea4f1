"""Crash safety and readers during a write, with real processes.

- An import (`python -m tsk import lagesbild`, 8,000 rows, about two seconds) is killed with
  SIGKILL at random moments (seeded) until 24 runs have been killed while running: about half spread
  over the whole run, half near its end, where the rows are written and the file replaced. The
  database always opens and holds exactly the state before or the state after the import (the latter
  computed once by a complete import into a copy).
- Ten reader processes and ten reader threads read the counts through read-only connections, over and
  over, while another process imports: no reader ever gets an error, the import succeeds, and every
  read sees the state before or after.

DuckDB lets no other process open a file that a writer has open, not even read-only, so both hold
only because importers write a private copy that replaces the file atomically (tsk.store.backup).
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tsk.config import ROOT
from tsk.ingest.run import run_import
from tsk.store import open_store

FILES = Path(__file__).parent / "files"
SEED = 20261124
KILLS = 24
ROWS = 8_000
READ_PAUSE_S = 0.05  # readers pace themselves like app pages, leaving the writer some CPU


def counts(db: Path) -> dict:
    with open_store(db, read_only=True) as store:
        return store.counts()


def import_command(csv: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "tsk", "import", "lagesbild", str(csv), "--db", str(db)]


def large_lagesbild(path: Path, rows: int = ROWS) -> Path:
    """A valid standard-format lägesbild file: rows drawn (seeded) from the demo's police export, whose
    orter, platser, organisations and categories are all configured."""
    demo = (ROOT / "data" / "demo" / "lagesbild_polisen.csv").read_bytes().decode("cp1252").splitlines()
    header, body = demo[0], [line for line in demo[1:] if line.strip()]
    rng = random.Random(SEED)
    path.write_text("\n".join([header, *(rng.choice(body) for _ in range(rows))]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """(large file, the database before, counts before, counts after, seconds a complete import takes:
    the median of three runs)."""
    from tsk.config import load_config

    base = tmp_path_factory.mktemp("crash")
    csv = large_lagesbild(base / "lagesbild_stor.csv")
    before_db = base / "before" / "tsk.duckdb"
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=before_db, config=load_config())
    durations = []
    for i in range(3):
        after_db = fresh_copy(before_db, base / f"after{i}")
        started = time.monotonic()
        done = subprocess.run(import_command(csv, after_db), cwd=ROOT, capture_output=True, text=True, timeout=300)
        durations.append(time.monotonic() - started)
        assert done.returncode == 0, done.stderr
    before, after = counts(before_db), counts(after_db)
    seconds = sorted(durations)[1]
    assert after["lagesbild"] > before["lagesbild"] + 2_000 and after["imports"] == before["imports"] + 1
    return csv, before_db, before, after, seconds


def fresh_copy(before_db: Path, directory: Path) -> Path:
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    db = directory / "tsk.duckdb"
    shutil.copyfile(before_db, db)
    return db


def test_kill_9_at_random_moments_leaves_the_state_before_or_after(setup, tmp_path):
    csv, before_db, before, after, seconds = setup
    rng = random.Random(SEED)
    outcomes: list[tuple[float, str]] = []
    killed = attempts = 0
    db = fresh_copy(before_db, tmp_path / "db")
    while killed < KILLS:
        # A run that finishes before its kill arrives is checked too, but does not count as a kill.
        attempts += 1
        assert attempts <= 3 * KILLS, f"only {killed} of {attempts} runs were still running when killed"
        if outcomes and outcomes[-1][1] == "after":
            db = fresh_copy(before_db, tmp_path / "db")  # start from the state before again
        late = rng.random() < 0.5
        delay = rng.uniform(0.85 * seconds, 1.05 * seconds) if late else rng.uniform(0.0, seconds)
        proc = subprocess.Popen(import_command(csv, db), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        if proc.returncode == -signal.SIGKILL:
            killed += 1
        else:
            assert proc.returncode == 0, err
        state = counts(db)  # opens, or raises
        assert state in (before, after), f"a kill after {delay:.2f} s left a state neither before nor after"
        outcomes.append((round(delay, 2), "before" if state == before else "after"))

    # Whatever the kills left behind, the next import completes and tidies up.
    done = subprocess.run(import_command(csv, db), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert counts(db) == after
    assert [p.name for p in db.parent.iterdir() if ".writing-" in p.name or p.suffix == ".wal"] == []
    with open_store(db) as store:  # and a writer can open it as well
        assert store.counts() == after


READER = """
import json, sys, time
from pathlib import Path
from tsk.store import open_store

db, stop = Path(sys.argv[1]), Path(sys.argv[2])
seen, errors, reads = {}, [], 0
while True:
    last = stop.exists()
    try:
        with open_store(db, read_only=True) as store:
            key = json.dumps(store.counts(), sort_keys=True)
        seen[key] = seen.get(key, 0) + 1
    except Exception as e:
        errors.append(f"{type(e).__name__}: {e}")
    reads += 1
    if reads == 1:
        print("ready", flush=True)
    if last:
        break
    time.sleep(float(sys.argv[3]))
print(json.dumps({"seen": seen, "errors": errors[:5], "n_errors": len(errors), "final": key if not errors else None}))
"""


def test_ten_readers_during_an_import_never_fail_and_see_before_or_after(setup, tmp_path):
    csv, before_db, before, after, _ = setup
    db = fresh_copy(before_db, tmp_path / "db")
    stop = tmp_path / "stop"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", READER, str(db), str(stop), str(READ_PAUSE_S)]
    readers = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(10)]
    thread_results: list[tuple[dict, list]] = []
    stop_threads = threading.Event()

    def read_in_thread():
        seen, errors = {}, []
        while True:
            last = stop_threads.is_set()
            try:
                with open_store(db, read_only=True) as store:
                    key = json.dumps(store.counts(), sort_keys=True)
                seen[key] = seen.get(key, 0) + 1
            except Exception as e:  # noqa: BLE001 - every error is a failure of this test
                errors.append(f"{type(e).__name__}: {e}")
            if last:
                break
            time.sleep(READ_PAUSE_S)
        thread_results.append((seen, errors))

    threads = [threading.Thread(target=read_in_thread) for _ in range(10)]
    try:
        for r in readers:
            assert r.stdout.readline().strip() == "ready", r.stderr.read()
        for th in threads:
            th.start()
        writer = subprocess.run(import_command(csv, db), cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        stop.touch()
        stop_threads.set()
        for th in threads:
            th.join(timeout=60)
        outputs = [r.communicate(timeout=60) for r in readers]
    assert writer.returncode == 0, writer.stderr

    want = {json.dumps(before, sort_keys=True), json.dumps(after, sort_keys=True)}
    for out, err in outputs:
        assert out.strip(), err
        result = json.loads(out.strip().splitlines()[-1])
        assert result["n_errors"] == 0, result["errors"]
        assert set(result["seen"]) <= want, set(result["seen"]) - want
        assert result["final"] == json.dumps(after, sort_keys=True)  # read after the import ended
    assert len(thread_results) == 10
    for seen, errors in thread_results:
        assert errors == []
        assert set(seen) <= want
    assert counts(db) == after
