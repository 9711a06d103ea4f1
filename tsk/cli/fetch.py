"""`python -m tsk fetch police [--db]`: the scheduled police events fetch (deploy/ runs it by timer).

Exit codes as for import: 0 done (also when nothing new), 2 rejected with the Swedish reason and
nothing changed, 1 only a bug.
"""
from __future__ import annotations

from tsk.cli.outcome import report_outcome
from tsk.config import db_path
from tsk.ingest.police_fetch import fetch_police

FETCH_SOURCES = ("police",)


def add_fetch_parser(sub) -> None:
    fe = sub.add_parser("fetch", help="Hämta och importera från en källa på nätet (polisens händelse-API).")
    fe.add_argument("source", choices=FETCH_SOURCES, help="Källa: " + ", ".join(FETCH_SOURCES))
    fe.add_argument("--db", help="Databasfil (standard: data/tsk.duckdb eller TSK_DB).")


def cmd_fetch(args) -> int:

    return report_outcome(args.source, fetch_police(db_path(args.db)))
