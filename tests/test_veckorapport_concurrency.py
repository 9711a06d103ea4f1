"""In-app weekly reports while others write and read, and when the writer is killed.

- Reporters submitting at the same moment (2 and 8 threads of one process, as Streamlit sessions are; two
  OS processes) all land: the writer lock puts them one after another.
- A reader's snapshot opened before a submission keeps reading the state before; one opened after reads
  the new report; readers during a burst of submissions never fail.
- kill -9: a child process submits and changes reports in a loop and prints each report_id after
  submit()/change() returned; it is killed (SIGKILL) at random moments, seeded. Afterwards the store opens,
  every printed report is there with all its rows, and no version is half applied: each current version's
  import_id holds exactly the rows its content names and no older version has rows left. The next writer
  removes the work files the kills left (tsk.store.backup.atomic_write).
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from tests.test_crash import counts
from tsk.config import ROOT, KommunConfig, load_config
from tsk.errors import TskError
from tsk.ingest.veckorapport import Submission, submit
from tsk.store import open_snapshot, open_store
from tsk.store.backup import WORK_MARK

TODAY = date(2026, 12, 2)  # ISO week 49 of 2026: weeks 49 and 48 are open
SEED = 20261204
KILL_ROUNDS = 12


@pytest.fixture(scope="module")
def cfg() -> KommunConfig:
    return load_config(ROOT / "tsk.toml")


@pytest.fixture
def db(cfg, tmp_path) -> Path:
    path = tmp_path / "tsk.duckdb"
    with open_store(path, config=cfg):
        pass
    return path


def report_of(cfg: KommunConfig, i: int) -> Submission:
    """The i-th of many distinct reports (another unit, place or week each), so none is a double."""
    units, places = cfg.reporting_units, cfg.platser
    unit = units[i % len(units)]
    place = places[(i // len(units)) % len(places)]
    week = (2026, 49) if (i // (len(units) * len(places))) % 2 == 0 else (2026, 48)
    return Submission(unit.name, *week, ort=place.ort, place=place.name,
                      grades={cfg.categories[i % 3].key: 1 + i % 3, cfg.categories[3].key: 2})


def unit_of(cfg: KommunConfig, sub: Submission):
    return next(u for u in cfg.reporting_units if u.name == sub.unit)


def stored(db: Path) -> tuple[int, int, set[str]]:
    """(app_reports rows, lagesbild rows, report_ids)."""
    with open_store(db, read_only=True) as store:
        ids = set(store.query("SELECT report_id FROM app_reports")["report_id"])
        return (store.scalar("SELECT count(*) FROM app_reports"), store.scalar("SELECT count(*) FROM lagesbild"), ids)


# --- at the same moment ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [2, 8])
def test_threads_submitting_at_the_same_moment_all_land(cfg, db, n):
    barrier = threading.Barrier(n)
    results: dict[int, str] = {}
    errors: list[str] = []
    reads: list[int] = []
    stop = threading.Event()

    def reporter(i: int) -> None:
        sub = report_of(cfg, i)
        try:
            barrier.wait(timeout=30)
            results[i] = submit(db, sub, actor=f"r{i}@kommun.example", allowed=(unit_of(cfg, sub),), config=cfg,
                                today=TODAY)
        except Exception as e:  # noqa: BLE001 - every error is a failure of this test
            errors.append(f"{i}: {type(e).__name__}: {e}")

    def reader() -> None:  # a page reading the whole time: never an error, never a step back
        while not stop.is_set():
            try:
                snapshot = open_snapshot(db)
                store = snapshot.store()
                reads.append(store.scalar("SELECT count(*) FROM app_reports"))
                store.close()
                snapshot.con.close()
            except Exception as e:  # noqa: BLE001
                errors.append(f"reader: {type(e).__name__}: {e}")
            time.sleep(0.01)

    threads = [threading.Thread(target=reporter, args=(i,)) for i in range(n)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    stop.set()
    watcher.join(timeout=30)
    assert errors == []
    assert len(results) == n and len(set(results.values())) == n
    assert stored(db) == (n, 2 * n, set(results.values()))
    assert reads and reads == sorted(reads) and set(reads) <= set(range(n + 1))
    assert [p.name for p in db.parent.iterdir() if WORK_MARK in p.name] == []


def test_one_form_token_sent_twice_at_the_same_moment_is_stored_once(cfg, db):
    sub = report_of(cfg, 0)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send() -> None:
        barrier.wait(timeout=30)
        try:
            outcomes.append(submit(db, sub, actor="a@kommun.example", allowed=(unit_of(cfg, sub),), config=cfg,
                                   today=TODAY, report_id="form-token"))
        except TskError as e:
            outcomes.append(e.key)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert sorted(outcomes) == ["form-token", "vr_already_saved"]
    assert stored(db) == (1, 2, {"form-token"})


PROCESS_SUBMIT = """
import sys, time
from datetime import date
from pathlib import Path
from tsk.config import load_config
from tsk.ingest.veckorapport import submit
from tests.test_veckorapport_concurrency import report_of, unit_of

db, go, i = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
cfg = load_config(Path(sys.argv[4]))
sub = report_of(cfg, i)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
print(submit(db, sub, actor="p@kommun.example", allowed=(unit_of(cfg, sub),), config=cfg,
             today=date.fromisoformat(sys.argv[5])), flush=True)
"""


def test_two_processes_submitting_at_the_same_moment_both_land(cfg, db, tmp_path):
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", PROCESS_SUBMIT, str(db), str(go), str(i), str(cfg.path),
                               TODAY.isoformat()], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for i in range(2)]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        go.touch()
        outputs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    ids = {out.strip() for out, _ in outputs}
    assert len(ids) == 2
    assert stored(db) == (2, 4, ids)


def test_a_snapshot_opened_before_a_submission_reads_the_state_before(cfg, db):
    sub = report_of(cfg, 0)
    before = open_snapshot(db)
    rid = submit(db, sub, actor="a@kommun.example", allowed=(unit_of(cfg, sub),), config=cfg, today=TODAY)
    after = open_snapshot(db)
    try:
        old, new = before.store(), after.store()
        assert old.scalar("SELECT count(*) FROM lagesbild") == 0 and old.app_report(rid) is None
        assert new.scalar("SELECT count(*) FROM lagesbild WHERE report_id = ?", [rid]) == 2
        assert new.app_report(rid)["version"] == 1
        old.close()
        new.close()
    finally:
        before.con.close()
        after.con.close()


# --- kill -9 ----------------------------------------------------------------------------------------------------
CHILD = """
import random, sys
from datetime import date
from pathlib import Path
from tsk.config import load_config
from tsk.ingest.veckorapport import Submission, change, submit
from tests.test_veckorapport_concurrency import report_of, unit_of

db, start, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
cfg = load_config(Path(sys.argv[4]))
today = date.fromisoformat(sys.argv[5])
rng = random.Random(seed)
mine = []
print("ready", flush=True)
for i in range(start, start + 10_000):
    sub = report_of(cfg, i)
    rid = submit(db, sub, actor="k@kommun.example", allowed=(unit_of(cfg, sub),), config=cfg, today=today)
    print("S", rid, flush=True)
    mine.append((rid, sub))
    if rng.random() < 0.5:  # a change: other grades, so the rows of the versions differ
        rid, sub = rng.choice(mine)
        keys = rng.sample([c.key for c in cfg.categories], rng.randint(1, 4))
        sub = Submission(sub.unit, sub.iso_year, sub.iso_week, ort=sub.ort, place=sub.place,
                         grades={k: rng.randint(1, 3) for k in keys}, comment=f"Version {rng.randint(2, 99)}")
        change(db, rid, sub, actor="k@kommun.example", allowed=(unit_of(cfg, sub),), config=cfg, today=today)
        print("C", rid, flush=True)
"""


def assert_whole(db: Path, submitted: set[str], changed: set[str]) -> None:
    """Every printed report is there, each current version has exactly the rows its content names (and its
    one coverage row), no older version has rows, and every version has its imports line."""
    with open_store(db, read_only=True) as store:
        versions = store.query("SELECT report_id, version, import_id, status, content FROM app_reports")
        rows = store.query("SELECT report_id, import_id, category, grade FROM lagesbild")
        coverage = store.query("SELECT import_id, status FROM coverage")
        logged = set(store.query("SELECT import_id FROM imports WHERE source = 'lagesbild'")["import_id"])
    assert set(versions["import_id"]) <= logged
    for rid, group in versions.groupby("report_id"):
        assert sorted(group["version"]) == list(range(1, len(group) + 1)), rid
    current = versions.sort_values("version").groupby("report_id").tail(1)
    assert submitted <= set(current["report_id"])
    assert set(current[current["version"] >= 2]["report_id"]) >= changed
    assert (current["status"] == "rapporterat").all()
    for r in current.itertuples():
        mine = rows[rows["import_id"] == r.import_id]
        assert set(mine["report_id"]) == {r.report_id}
        assert dict(zip(mine["category"], mine["grade"], strict=True)) == json.loads(r.content)["grades"]
        assert len(mine) == len(json.loads(r.content)["grades"])
        assert coverage[coverage["import_id"] == r.import_id]["status"].tolist() == ["rapporterat"]
    assert set(rows["import_id"]) == set(current["import_id"])  # no rows of an older version, nor strays
    assert set(coverage["import_id"]) == set(current["import_id"])


def test_kill_9_at_random_moments_loses_no_report_and_half_applies_none(cfg, db):
    rng = random.Random(SEED)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    submitted: set[str] = set()
    changed: set[str] = set()
    strays_seen = 0
    for round_ in range(KILL_ROUNDS):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(round_ * 500), str(SEED + round_),
                                 str(cfg.path), TODAY.isoformat()],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.05, 1.0))
            proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == -signal.SIGKILL, err
        for line in out.splitlines():
            kind, rid = line.split()
            (submitted if kind == "S" else changed).add(rid)
        counts(db)  # opens, or raises
        assert_whole(db, submitted, changed)
        strays_seen += sum(WORK_MARK in p.name for p in db.parent.iterdir())
    assert len(submitted) >= KILL_ROUNDS and changed  # the kills came while the child was writing

    # The next writer cleans up what the kills left, and its own report lands whole.
    sub = report_of(cfg, 9_999)
    last = submit(db, sub, actor="a@kommun.example", allowed=(unit_of(cfg, sub),), config=cfg, today=TODAY)
    assert [p.name for p in db.parent.iterdir() if WORK_MARK in p.name or p.suffix == ".wal"] == []
    assert_whole(db, submitted | {last}, changed)
    print(f"{len(submitted)} submitted, {len(changed)} changed, {strays_seen} work files left by kills")
