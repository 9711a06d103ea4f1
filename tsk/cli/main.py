"""The commands and their dispatch: `python -m tsk demo|import|status|report|backup|restore` (`report lag`:
the lag (2023:196) document, tsk.report.lag_files; places,
init/areas and fetch have their own modules beside this one). Operators schedule these, so the commands,
options, exit codes and JSON keys are a contract: extend, never rename.

Exit codes: 0 done; 2 rejected (the reason in Swedish on stderr, nothing changed); 1 unexpected error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from pathlib import Path

from tsk.cli import onboarding as cli_onboarding
from tsk.cli import places as cli_places
from tsk.cli.fetch import add_fetch_parser, cmd_fetch
from tsk.cli.outcome import EXIT_ERROR, EXIT_OK, EXIT_REJECTED, report_outcome
from tsk.config import ROOT, db_path, load_config, setting_path
from tsk.errors import TskError
from tsk.i18n import t
from tsk.importers import SOURCES
from tsk.ingest.run import run_import
from tsk.store import open_store
from tsk.store.backup import newest_backup, run_backup, run_restore


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tsk", description="TSK-dashboard: import och status för Trygg och säker kommun.")
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="Bygg en ny databas från de medföljande demofilerna.")
    demo.add_argument("--db", help="Databasfil (standard: data/tsk.duckdb eller TSK_DB).")

    imp = sub.add_parser("import", help="Importera en fil från en källa.")
    imp.add_argument("source", choices=SOURCES, help="Källa: " + ", ".join(SOURCES))
    imp.add_argument("file", help="Filen som ska importeras (CSV, XLSX, JSON, GeoJSON, GeoPackage eller zippad Shapefile).")
    imp.add_argument("--mapping", help="Mappningsfil (TOML) för formulärexporter.")
    imp.add_argument("--name-field", help="Områden och platser: egenskapen som håller områdets (platsens) namn.")
    imp.add_argument("--db", help="Databasfil (standard: data/tsk.duckdb eller TSK_DB).")

    st = sub.add_parser("status", help="Visa vad databasen innehåller.")
    st.add_argument("--db", help="Databasfil (standard: data/tsk.duckdb eller TSK_DB).")
    st.add_argument("--json", action="store_true", help="Skriv ut som JSON.")

    rep = sub.add_parser("report", help="Skriv årets uppföljningsrapport, eller (report lag) lägesbild och "
                                        "åtgärdsplan enligt lag (2023:196), som DOCX eller XLSX.")
    rep.add_argument("year", type=_report_year, help="Året rapporten gäller, eller «lag» för lägesbild och "
                                                     "åtgärdsplan enligt lag (2023:196) (året med --year).")
    rep.add_argument("--year", dest="lag_year", type=int, help="report lag: året lägesbilden gäller.")
    rep.add_argument("--format", choices=("docx", "xlsx"),
                     help="Filformat (krävs för årsuppföljningen; för report lag annars filändelsen i --out).")
    rep.add_argument("--public", action="store_true", help="Offentlig version: ingen fritext, små grupper dolda.")
    rep.add_argument("--out", required=True, help="Filen som skrivs.")
    rep.add_argument("--db", help="Databasfil (standard: data/tsk.duckdb eller TSK_DB).")

    bk = sub.add_parser("backup", help="Säkerhetskopiera databasen.")
    bk.add_argument("--db", help="Databasfil (standard: data/tsk.duckdb eller TSK_DB).")
    bk.add_argument("--out", help="Filen som skrivs (standard: en tidsstämplad fil i data/backup/).")
    bk.add_argument("--nightly", action="store_true",
                    help="Schemalagd kopia: bara de senaste TSK_BACKUP_KEEP schemalagda kopiorna sparas.")

    rs = sub.add_parser("restore", help="Återställ databasen från en säkerhetskopia.")
    rs.add_argument("file", help="Säkerhetskopian.")
    rs.add_argument("--db", help="Databasfil (standard: data/tsk.duckdb eller TSK_DB).")
    cli_places.register(sub)  # places list|alias|create|keep|ort-alias (tsk/cli/places.py)
    cli_onboarding.register(sub)  # init, areas build
    add_fetch_parser(sub)
    return p


def cmd_import(args) -> int:
    outcome = run_import(args.source, Path(args.file), db=db_path(args.db), mapping=args.mapping,
                         name_field=args.name_field)
    return report_outcome(args.source, outcome)


def demo_manifest(demo_dir: Path) -> list[dict]:
    """The demo files in load order, from data/demo/manifest.toml (written by the generator)."""
    manifest = demo_dir / "manifest.toml"
    if not manifest.is_file():
        raise TskError("demo_missing_files", path=demo_dir)
    return tomllib.loads(manifest.read_text(encoding="utf-8"))["files"]


def build_demo(target: Path) -> Path:
    """Build a fresh database from the demo files through the ordinary importers.

    It is built next to the target and moved into place at the end, so a failed build never leaves
    a half-built database where the app looks for one.
    """
    config = load_config()
    demo_dir = setting_path("demo_dir")
    files = demo_manifest(demo_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    for leftover in (tmp, Path(str(tmp) + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        with open_store(tmp, config=config):
            pass
        for entry in files:
            mapping = entry.get("mapping")
            run_import(entry["source"], demo_dir / entry["file"], db=tmp, config=config, backup=False,
                       mapping=(ROOT / mapping) if mapping else None, name_field=entry.get("name_field"))
        os.replace(tmp, target)
        Path(str(target) + ".wal").unlink(missing_ok=True)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".lock").unlink(missing_ok=True)
    return target


def cmd_demo(args) -> int:
    path = build_demo(db_path(args.db))
    print(t("demo_done", path=path))
    return EXIT_OK


def status_dict(path: Path) -> dict:

    with open_store(path, read_only=True) as store:
        counts = store.counts()
        extents = store.area_extents()
        log = store.import_log()
        version = store.schema_version()
    return {
        "db": str(path),
        "schema_version": version,
        "backup": newest_backup(path),
        "counts": counts,
        "areas": [
            {
                "name": r.name,
                "kind": r.kind,
                "schematic": bool(r.schematic),
                "assumption": bool(r.assumption),
                "bbox": [round(r.minlon, 6), round(r.minlat, 6), round(r.maxlon, 6), round(r.maxlat, 6)],
            }
            for r in extents.itertuples()
        ],
        "imports": [
            {
                "import_id": int(r.import_id),
                "source": r.source,
                "file_name": r.file_name,
                "sha256": r.sha256,
                "mapping": r.mapping,
                "imported_at": r.imported_at.isoformat(),
                "rows_accepted": int(r.rows_accepted),
                "rows_quarantined": int(r.rows_quarantined),
                "rows_skipped": int(r.rows_skipped),
            }
            for r in log.itertuples()
        ],
    }


def cmd_status(args) -> int:
    status = status_dict(db_path(args.db))
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(t("status_header", path=status["db"], version=status["schema_version"]))
    for key, n in status["counts"].items():
        print(f"  {key:20} {n:>10}")
    for a in status["areas"]:
        print(f"  område {a['name']:20} bbox {a['bbox']}{'  (schematisk)' if a['schematic'] else ''}")
    return EXIT_OK


def _report_year(value: str) -> int | str:
    """`report YEAR` or `report lag` (anything else is argparse's usual error, as for a non-number before)."""
    return "lag" if value == "lag" else int(value)


def cmd_report(args) -> int:
    from tsk.report import (
        run_report,  # the report module pulls in python-docx and matplotlib
    )
    from tsk.report.lag_files import run_lag

    if args.year == "lag":
        return run_lag(args.lag_year, fmt=args.format, public=args.public, out=Path(args.out), db=db_path(args.db))
    if args.lag_year is not None:
        raise TskError("lg_year_not_lag")
    if args.format is None:
        raise TskError("rp_format_missing")
    return run_report(args.year, fmt=args.format, public=args.public, out=Path(args.out), db=db_path(args.db))


def cmd_backup(args) -> int:

    return run_backup(db=db_path(args.db), out=Path(args.out) if args.out else None, nightly=args.nightly)


def cmd_restore(args) -> int:

    return run_restore(Path(args.file), db=db_path(args.db))


COMMANDS = {"demo": cmd_demo, "import": cmd_import, "status": cmd_status, "report": cmd_report,
            "backup": cmd_backup, "restore": cmd_restore, "fetch": cmd_fetch, **cli_onboarding.COMMANDS}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        from tsk.store.backup import clean_leftovers

        clean_leftovers(db_path(getattr(args, "db", None)))  # work copies left by a killed writer
        code = (getattr(args, "handler", None) or COMMANDS[args.command])(args)
        sys.stdout.flush()  # here, not at exit: a reader that went away is handled below
        return code
    except TskError as e:
        print(e.message, file=sys.stderr)
        return EXIT_REJECTED
    except BrokenPipeError:
        # The reader went away (`python -m tsk places list | head`): the command itself is done, only its
        # output was cut. Not an error; stdout goes to devnull so Python's exit flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - the last line of defence: no traceback for the operator
        if os.environ.get("TSK_DEBUG"):
            raise
        print(t("cli_internal_error", detail=type(e).__name__), file=sys.stderr)
        return EXIT_ERROR

