"""Pages as a presenter feels them: the app on Streamlit's own server, opened in headless Chromium.

    python -m bench.browser_bench --label demo --db bench/out/db/demo.duckdb --config tsk.toml
    python -m bench.browser_bench --label demo --db … --config … --sessions 1,5,10

*First visit*: a new browser context (no cache, a new session) opens the page's URL; timed until the
page is drawn. *Page switch*: in a session already on a page, a click on the next page in the sidebar;
timed until that page is drawn. *Drawn*: the page's title is shown, the script run has ended (Streamlit's
status widget is gone), every chart has its SVG and every map frame its Leaflet map. Medians of
`--rounds`. The script's own time is read from the server side of the same run (the AppTest figures in
RESULTS.md) to tell script time from browser time.

*Sessions*: N browser contexts each open the app and go through every page by the sidebar, all at once
(the analysgrupp in a meeting), with the server pinned
to CPU 0 and the browser to CPU 1 (sched_setaffinity, as `taskset` does), so the two do not take each
other's core; p50/p95 of the page times, timeouts, and the server's peak RSS (VmHWM).

Results go to bench/out/results/browser_<label>.json and browser_sessions_<label>.json; bench.report
puts them in RESULTS.md next to the AppTest figures."""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from bench.common import write_result
from tsk.config import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# (URL path, the sidebar link's text): every page of app.py.
PAGES = [("/", "Översikt"), ("/lagesbild", "Lägesbild"), ("/trygghetsundersokning", "Trygghetsundersökning"),
         ("/traffpunkt", "Träffpunkt"), ("/vandring", "Trygghetsvandring"), ("/analysgrupp", "Analysgrupp"),
         ("/uppfoljning", "Uppföljning"), ("/data", "Data")]
PAGE_TIMEOUT_MS = 60_000

# Counts the script runs the page has seen start (Streamlit marks its app element
# data-test-script-state="running"): a page is only drawn after a run it waited for has ended. And keeps
# the time of the document's last change: Streamlit draws charts and tables from lazily loaded chunks
# after the run has ended, so "the run is over" alone is seen while the page is still half empty.
RUN_WATCH_JS = """
window.__tskRuns = 0; window.__tskRunning = false; window.__tskLastChange = performance.now();
window.__tskRunStart = null; window.__tskRunEnd = null;  // the first run's start, the last run's end
new MutationObserver(() => {
  const now = performance.now();
  window.__tskLastChange = now;
  const running = !!document.querySelector('[data-test-script-state="running"]');
  if (running && !window.__tskRunning) {
    window.__tskRuns++;
    if (window.__tskRunStart === null) window.__tskRunStart = now;
  }
  if (!running && window.__tskRunning) window.__tskRunEnd = now;
  window.__tskRunning = running;
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""

# How long the document must stay unchanged before it counts as drawn; the time reported is that of its
# last change (the quiet wait itself is not counted).
QUIET_MS = 500
# The milliseconds since the page's last change once it is drawn (else false): a run after `runsBefore`
# has ended, the title is shown, nothing is stale or still loading (a skeleton), every chart has its SVG,
# every map frame its Leaflet panes, and nothing has changed for QUIET_MS.
DRAWN_JS = """([runsBefore, titleBefore, quietMs]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const h1 = document.querySelector('h1');
  const title = h1 ? h1.textContent.trim() : '';
  // A run seen to start after the click, or (a run too quick for the DOM to show it) the new page's title.
  const moved = window.__tskRuns > runsBefore || (titleBefore !== null && title && title !== titleBefore);
  if (!app || !moved || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!title || document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  for (const p of document.querySelectorAll('.js-plotly-plot')) if (!p.querySelector('.main-svg')) return false;
  for (const f of document.querySelectorAll('iframe')) {
    let d = null; try { d = f.contentDocument; } catch (e) { continue; }
    if (d && d.querySelector('script[src*="leaflet"]') && !d.querySelector('.leaflet-container .leaflet-pane')) return false;
  }
  const quiet = performance.now() - window.__tskLastChange;
  return quiet >= quietMs ? quiet : false;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(db: Path, config: Path, *, cpu: int | None = None):
    """Streamlit's own server on a free loopback port; yields (base URL, pid)."""
    port = _free_port()
    env = {**os.environ, "TSK_DB": str(db), "TSK_CONFIG": str(config)}
    log = db.parent / f"browser_bench_{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            preexec_fn=(lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"Streamlit did not start: {log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.unlink(missing_ok=True)


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident set (VmHWM) so far."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def _only_local(route):
    if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
        await route.continue_()
    else:
        await route.abort()


async def _new_context(browser, viewport: dict):
    context = await browser.new_context(viewport=viewport)
    await context.route("**/*", _only_local)
    await context.add_init_script(RUN_WATCH_JS)
    return context


async def _drawn(page, before: tuple[int, str] | None = None) -> float:
    """Wait until the page is drawn; `before` (runs seen, title shown) when the page was already open.
    Returns the seconds since its last change, to take off the time measured (the quiet wait)."""
    runs, title = before or (0, "")  # a first visit: any title will do
    handle = await page.wait_for_function(DRAWN_JS, arg=[runs, title, QUIET_MS], timeout=PAGE_TIMEOUT_MS,
                                          polling=50)
    return await handle.json_value() / 1000


async def _state(page) -> tuple[int, str]:
    return await page.evaluate("() => [window.__tskRuns, (document.querySelector('h1') || {textContent: ''})"
                               ".textContent.trim()]")


# Where a first visit's time goes, in seconds from the start of navigation: Streamlit's frontend loaded
# (its scripts parsed), the first script run started (the WebSocket and the session are up), the last
# run ended (the server's part), and the page drawn (charts, tables and maps from lazily loaded chunks).
PHASES_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return {loaded: nav.domContentLoadedEventEnd, run_start: window.__tskRunStart, run_end: window.__tskRunEnd,
          drawn: window.__tskLastChange};
}"""
PHASES = ("frontend_s", "to_run_s", "script_s", "drawing_s")


def _phases(marks: dict) -> dict[str, float] | None:
    """The four spans of a first visit (PHASES) from the page's marks; None when a mark is missing."""
    if any(marks.get(k) is None for k in ("loaded", "run_start", "run_end", "drawn")):
        return None
    points = [0.0, marks["loaded"], marks["run_start"], marks["run_end"], marks["drawn"]]
    return {name: max(0.0, (b - a) / 1000) for name, a, b in zip(PHASES, points, points[1:])}


async def _first_visit(browser, url: str, cdp=None) -> tuple[float, dict | None]:
    """The seconds until drawn and where they went (PHASES, plus `browser_cpu_s` when `cdp` is given: the
    CPU Chromium spent on the visit, from the new context to drawn and the quiet wait)."""
    cpu_before = await browser_cpu_seconds(cdp) if cdp else None
    context = await _new_context(browser, {"width": 1920, "height": 1080})
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, wait_until="commit")
    quiet = await _drawn(page)
    took = time.perf_counter() - start - quiet
    phases = _phases(await page.evaluate(PHASES_JS))
    if phases is not None and cdp:
        phases["browser_cpu_s"] = await browser_cpu_seconds(cdp) - cpu_before
    await context.close()
    return took, phases


async def _switches(browser, base: str, rounds: int, cdp) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Round after round through the sidebar, each page reached from the one before it. Returns the times
    and Chromium's CPU seconds per switch (the quiet wait included), per page."""
    context = await _new_context(browser, {"width": 1920, "height": 1080})
    page = await context.new_page()
    await page.goto(base + PAGES[-1][0])
    await _drawn(page)
    times: dict[str, list[float]] = {path: [] for path, _ in PAGES}
    cpu: dict[str, list[float]] = {path: [] for path, _ in PAGES}
    for _ in range(rounds):
        for path, link in PAGES:
            before = await _state(page)
            cpu_before = await browser_cpu_seconds(cdp)
            start = time.perf_counter()
            await page.locator('[data-testid="stSidebarNav"] a', has_text=link).first.click()
            quiet = await _drawn(page, before)
            times[path].append(time.perf_counter() - start - quiet)
            cpu[path].append(await browser_cpu_seconds(cdp) - cpu_before)
    await context.close()
    return times, cpu


async def _single(base: str, rounds: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cdp = await browser.new_browser_cdp_session()
        await _first_visit(browser, base + "/")  # the server's own first run (imports, caches): not a visit
        visits = {path: [await _first_visit(browser, base + path, cdp) for _ in range(rounds)] for path, _ in PAGES}
        switch, switch_cpu = await _switches(browser, base, rounds, cdp)
        await browser.close()
    out = {}
    for path, _ in PAGES:
        first = [took for took, _ in visits[path]]
        phases = [ph for _, ph in visits[path] if ph]
        out[path] = {"first_visit_s": round(statistics.median(first), 2), "first_visit_max_s": round(max(first), 2),
                     "switch_s": round(statistics.median(switch[path]), 2),
                     "switch_max_s": round(max(switch[path]), 2),
                     "switch_browser_cpu_s": round(statistics.median(switch_cpu[path]), 2),
                     # medians of each span over the rounds
                     "first_visit_phases": {k: round(statistics.median(ph[k] for ph in phases), 2)
                                            for k in PHASES} if phases else None,
                     "first_visit_browser_cpu_s": round(statistics.median(ph["browser_cpu_s"] for ph in phases), 2)
                     if phases else None}
    return out


async def _session(browser, base: str) -> tuple[list[float], int, object]:
    """One member of the analysgrupp: opens the app, then goes through every page by the sidebar, as in
    the meeting. Returns the page times (the first visit and each switch), the timeouts and the browser
    context, left open: a closed context's processes leave Chromium's CPU accounting."""
    context = await _new_context(browser, {"width": 1280, "height": 720})
    page = await context.new_page()
    times, timeouts = [], 0
    start = time.perf_counter()
    try:
        await page.goto(base + PAGES[0][0], wait_until="commit", timeout=PAGE_TIMEOUT_MS)
        quiet = await _drawn(page)
        times.append(time.perf_counter() - start - quiet)
    except Exception:  # noqa: BLE001 - a page that is not drawn in time is counted, not fatal
        timeouts += 1
    for _, link in PAGES[1:]:
        before = await _state(page)
        start = time.perf_counter()
        try:
            await page.locator('[data-testid="stSidebarNav"] a', has_text=link).first.click(timeout=PAGE_TIMEOUT_MS)
            quiet = await _drawn(page, before)
            times.append(time.perf_counter() - start - quiet)
        except Exception as e:  # noqa: BLE001
            print(f"  ({link}: {str(e).splitlines()[0][:120]})", file=sys.stderr, flush=True)
            timeouts += 1
    return times, timeouts, context


async def browser_cpu_seconds(cdp) -> float:
    """CPU seconds all of Chromium's processes (browser, renderers, GPU, network) have used, from its own
    accounting (CDP SystemInfo.getProcessInfo): what a page load costs the browser's side of the machine."""
    info = await cdp.send("SystemInfo.getProcessInfo")
    return sum(proc["cpuTime"] for proc in info["processInfo"])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_busy() -> dict[str, tuple[int, int]]:
    """Per core: (busy, total) jiffies since boot, from /proc/stat."""
    out = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *fields = line.split()
        if name.startswith("cpu") and name != "cpu":
            values = [int(x) for x in fields[:8]]
            idle = values[3] + values[4]
            out[name] = (sum(values) - idle, sum(values))
    return out


def busy_share(before: dict, after: dict) -> dict[str, float]:
    """How busy each core was between two cpu_busy() readings (0–1): which side limits the run."""
    return {c: round((after[c][0] - before[c][0]) / max(1, after[c][1] - before[c][1]), 2) for c in after}


async def _concurrent(base: str, n: int, server_pid: int | None = None) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cdp = await browser.new_browser_cdp_session()
        start, cores = time.perf_counter(), cpu_busy()
        server_cpu = cpu_seconds(server_pid) if server_pid else None
        browser_cpu = await browser_cpu_seconds(cdp)
        results = await asyncio.gather(*(_session(browser, base) for _ in range(n)))
        wall, busy = time.perf_counter() - start, busy_share(cores, cpu_busy())
        server_cpu = cpu_seconds(server_pid) - server_cpu if server_pid else None
        browser_cpu = await browser_cpu_seconds(cdp) - browser_cpu
        for _, _, context in results:
            await context.close()
        await browser.close()
    times = sorted(x for ts, _, _ in results for x in ts)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] if times else None
    return {"sessions": n, "pages": len(times), "timeouts": sum(t for _, t, _ in results),
            "p50_s": round(statistics.median(times), 2) if times else None,
            "p95_s": round(p95, 2) if p95 is not None else None, "wall_s": round(wall, 1),
            "busy_server_core": busy.get("cpu0"), "busy_browser_core": busy.get("cpu1"),
            # The server's CPU per page load: what N users on their own computers would queue for.
            "server_cpu_s_per_page": round(server_cpu / len(times), 2) if server_cpu is not None and times else None,
            # Chromium's CPU per page load: what the sessions queue for on the one core they share.
            "browser_cpu_s_per_page": round(browser_cpu / len(times), 2) if times else None}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.browser_bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--label", required=True)
    p.add_argument("--db", required=True, type=Path)
    p.add_argument("--config", default=str(ROOT / "tsk.toml"), type=Path)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--sessions", help="concurrent sessions, e.g. 1,5,10 (server on CPU 0, browsers on CPU 1)")
    args = p.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print("Chromium saknas (Debian-paketet chromium): webbläsarmätningen hoppas över.", file=sys.stderr)
        return 0
    if args.sessions:
        pinned = (os.cpu_count() or 1) >= 2
        rows = []
        for n in (int(x) for x in args.sessions.split(",")):
            # A fresh server per N: its peak RSS is that of N sessions, not of every run before it.
            with app_server(args.db, args.config, cpu=0 if pinned else None) as (base, pid):
                if pinned:
                    os.sched_setaffinity(0, {1})  # this driver and the Chromium it starts
                asyncio.run(_concurrent(base, 1))  # warm the server's imports and caches, as a meeting would
                row = asyncio.run(_concurrent(base, n, pid))
                row["server_peak_rss_mb"] = round(peak_rss_mb(pid) or 0, 1)
                rows.append(row)
                print(f"  {args.label}: {n} sessions: p50 {row['p50_s']} s, p95 {row['p95_s']} s, "
                      f"{row['timeouts']} timeouts, server {row['server_peak_rss_mb']} MB, busy: server core "
                      f"{row['busy_server_core']}, browser core {row['busy_browser_core']}; CPU per page: server "
                      f"{row['server_cpu_s_per_page']} s, browser {row['browser_cpu_s_per_page']} s", flush=True)
        write_result(f"browser_sessions_{args.label}", {"label": args.label, "pinned": pinned, "rows": rows})
        return 0
    with app_server(args.db, args.config) as (base, _):
        pages = asyncio.run(_single(base, args.rounds))
    for path, r in pages.items():
        print(f"  {args.label} {path}: first visit {r['first_visit_s']} s ({r['first_visit_browser_cpu_s']} s of "
              f"browser CPU), switch {r['switch_s']} s ({r['switch_browser_cpu_s']} s)", flush=True)
    write_result(f"browser_{args.label}", {"label": args.label, "rounds": args.rounds, "pages": pages})
    return 0


if __name__ == "__main__":
    sys.exit(main())
