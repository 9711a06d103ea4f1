"""Each page rendered through Streamlit's AppTest, cold and warm.

`TSK_DB=… TSK_CONFIG=… python -m bench.apptest_bench --label 1M` renders every page from the entry
point (app.py, `switch_page`), as the tests do:
- cold: `st.cache_data` cleared, a new AppTest, one run (every store question asked, every figure,
  map and download built);
- warm: the median of further runs of the same AppTest (store answers from st.cache_data; figures,
  maps, tables and downloads are built again on every rerun, as in the app).
One page of the app has been rendered once before timing, so Python imports are not counted. Every
page script in pages/ is rendered.
"""
from __future__ import annotations

import argparse
import logging
import statistics
import time

from bench.common import peak_rss_mb, write_result
from tsk.config import ROOT

FIRST = ("oversikt", "lagesbild", "trygghetsundersokning", "traffpunkt", "vandring")


def pages() -> list[str]:
    """Every page script, the five original pages first."""
    found = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
    return [f"pages/{p}.py" for p in [*[f for f in FIRST if f in found], *[f for f in found if f not in FIRST]]]


def render(page: str, timeout: float):
    """An AppTest on `page` with empty caches: the entry point runs once (the default page), then the
    caches are cleared and the app switches to `page` (switch_page before the first run does not
    reach pages with their own url_path)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    st.cache_data.clear()
    st.cache_resource.clear()
    at.switch_page(page)
    return at


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.apptest_bench")
    p.add_argument("--label", required=True)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--timeout", type=float, default=900)
    p.add_argument("--pages", default=",".join(pages()))
    args = p.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in ("streamlit.runtime.caching.cache_data_api", "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)

    warm_up = render("pages/traffpunkt.py", args.timeout)   # a small page: imports and the sidebar's code
    warm_up.run()
    results = {}
    for page in args.pages.split(","):
        try:
            at = render(page, args.timeout)
        except ValueError as e:  # a page script the navigation does not (yet) register
            print(f"  {page:22} skipped: {str(e).splitlines()[0][:120]}", flush=True)
            continue
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        problems = [str(e.value)[:300] for e in at.exception] + [str(e.value)[:300] for e in at.error]
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        results[page] = {
            "cold_s": round(cold, 3), "warm_s": round(statistics.median(times), 3),
            "problems": problems, "title": at.title[0].value if at.title else None,
            "rss_after_mb": round(peak_rss_mb(), 1),
        }
        print(f"  {page:22} cold {cold:7.2f} s   warm {statistics.median(times):7.2f} s"
              f"{'   PROBLEMS: ' + '; '.join(problems) if problems else ''}", flush=True)
    write_result(f"apptest_{args.label}", {"pages": results})


if __name__ == "__main__":
    main()
