"""Shared pieces of the benchmark steps: paths, sizes, timing, peak memory and result files."""
from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from tsk.config import ROOT

BENCH = ROOT / "bench"
OUT = BENCH / "out"            # git-ignored: generated data, databases, per-step results
DATA = OUT / "data"
DBS = OUT / "db"
RESULTS = OUT / "results"
RESULTS_MD = BENCH / "RESULTS.md"
DEMO_DB = DBS / "demo.duckdb"

DEFAULT_SEED = 2026
DEFAULT_SIZES = ("100k", "1M", "10M")
WARM_REPEATS = 5


def parse_size(text: str) -> int:
    """"100k" -> 100_000, "1M" -> 1_000_000, "2500" -> 2500."""
    s = text.strip().lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1:], 1)
    return int(float(s[:-1] if mult > 1 else s) * mult)


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    data = {**data, "peak_rss_mb": round(peak_rss_mb(), 1), "written": time.strftime("%Y-%m-%d %H:%M:%S")}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path


def read_result(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def run_step(module: str, *args: str, env: dict | None = None, timeout: float | None = None) -> int:
    """Run `python -m bench.<module> args…` in a fresh process (its own peak RSS, a cold start)."""
    cmd = [sys.executable, "-m", f"bench.{module}", *args]
    print(f"  $ {' '.join(cmd[2:])}", flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=timeout)
    if proc.returncode != 0:
        print(f"  ! step {module} {' '.join(args)} exited {proc.returncode}", flush=True)
    return proc.returncode


def machine() -> dict:
    """Cores, memory, CPU model, OS and the versions of what is measured."""
    import duckdb
    import numpy
    import pandas
    import pyarrow
    import streamlit

    mem_kb = 0
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "pyarrow": pyarrow.__version__,
        "streamlit": streamlit.__version__,
    }
