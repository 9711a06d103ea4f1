"""cProfile one page function or one import, for bench/findings.md.

    TSK_CONFIG=bench/out/data/tsk_scale_k49_….toml python -m bench.profile_fn --db bench/out/db/scale_1M.duckdb \
        --function since_last_meeting
    TSK_CONFIG=… python -m bench.profile_fn --import-file bench/out/data/lagesbild_1M_….csv [--row-loop]

Prints the functions with the most cumulative time (warm: the function runs once before profiling).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
from pathlib import Path

from tsk.config import load_config
from tsk.store import open_store


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.profile_fn")
    p.add_argument("--db")
    p.add_argument("--function", help="part of a page function's name, e.g. since_last_meeting")
    p.add_argument("--import-file")
    p.add_argument("--source", default="lagesbild")
    p.add_argument("--row-loop", action="store_true",
                   help="import with the old lägesbild row loop (lagesbild.parse_rows) instead of the shipped parser")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--sort", default="cumulative")
    args = p.parse_args(argv)
    cfg = load_config()
    prof = cProfile.Profile()
    if args.import_file:
        from tsk.ingest.run import run_import

        if args.row_loop:
            from bench.import_bench import use_row_loop

            use_row_loop()
        with tempfile.TemporaryDirectory() as tmp:
            prof.enable()
            run_import(args.source, Path(args.import_file), db=Path(tmp) / "p.duckdb", config=cfg)
            prof.disable()
    else:
        from bench.pages_bench import first_place_of, page_functions, selection

        with open_store(args.db, read_only=True) as store:
            sel = selection(store, cfg)
            funcs = page_functions(cfg, sel, first_place_of(store, cfg, sel))
            fn = next(f for items in funcs.values() for name, f in items if args.function in name)
            fn(store)
            prof.enable()
            fn(store)
            prof.disable()
    pstats.Stats(prof).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
