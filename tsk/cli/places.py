"""`python -m tsk places list|alias|create|keep|ort-alias`: the review of new place names and unknown
orter from the command line (the same decisions as the Data page). A contract like the other commands:

    python -m tsk places list [--json] [--db PATH]
    python -m tsk places alias NAME --ort ORT --to PLATS [--db PATH]
    python -m tsk places create NAME --ort ORT [--lat LAT --lon LON] [--db PATH]
    python -m tsk places keep NAME --ort ORT [--db PATH]
    python -m tsk places ort-alias NAME --to ORT [--db PATH]

Exit codes as import: 0 done (also when the same decision was taken before), 2 refused with the reason
in Swedish on stderr and nothing changed, 1 a bug. JSON keys of `list --json`: places (name, spellings,
ort, area, reports, submissions, first_week, last_week, suggestions) and quarantine (source, reason_key, value,
reason, rows, suggestions, import_ids).
"""
from __future__ import annotations

import json

from tsk.config import db_path, load_config
from tsk.i18n import t
from tsk.store import open_store

DB_HELP = "Databasfil (standard: data/tsk.duckdb eller TSK_DB)."


def register(subparsers) -> None:
    """Add the `places` command and its subcommands to the CLI's subparsers."""
    places = subparsers.add_parser("places", help=t("places_cmd_help"))
    sub = places.add_subparsers(dest="places_command", required=True)

    ls = sub.add_parser("list", help="Lista nya platsnamn och karantänrader som delar orsak och värde.")
    ls.add_argument("--json", action="store_true", help="Skriv ut som JSON.")
    ls.add_argument("--db", help=DB_HELP)

    al = sub.add_parser("alias", help="Gör ett nytt platsnamn till alias för en befintlig plats i orten.")
    al.add_argument("name", metavar="NAME", help="Platsnamnet som det skrivits.")
    al.add_argument("--ort", required=True, help="Orten namnet skrivits för.")
    al.add_argument("--to", required=True, metavar="PLATS", help="Den befintliga platsen.")
    al.add_argument("--db", help=DB_HELP)

    cr = sub.add_parser("create", help="Skapa en ny plats av ett nytt platsnamn (läget markeras ungefärligt).")
    cr.add_argument("name", metavar="NAME", help="Platsnamnet som det skrivits (blir platsens namn).")
    cr.add_argument("--ort", required=True, help="Orten platsen ligger i.")
    cr.add_argument("--lat", help="Latitud (WGS84); utan läge hamnar platsen på ortens läge.")
    cr.add_argument("--lon", help="Longitud (WGS84).")
    cr.add_argument("--db", help=DB_HELP)

    kp = sub.add_parser("keep", help="Behåll ett nytt platsnamn på ortnivå (visas inte längre som nytt).")
    kp.add_argument("name", metavar="NAME", help="Platsnamnet som det skrivits.")
    kp.add_argument("--ort", required=True, help="Orten namnet skrivits för.")
    kp.add_argument("--db", help=DB_HELP)

    oa = sub.add_parser("ort-alias", help="Gör en okänd ortstavning till alias för en ort; raderna i karantän läses in igen.")
    oa.add_argument("name", metavar="NAME", help="Ortnamnet som det skrivits.")
    oa.add_argument("--to", required=True, metavar="ORT", help="Den konfigurerade orten.")
    oa.add_argument("--db", help=DB_HELP)

    places.set_defaults(handler=handle)


def handle(args) -> int:
    """Run one `places` subcommand; TskError propagates to the CLI (exit 2)."""
    from tsk.ingest import corrections  # the importers behind it are only needed here

    config = load_config()
    db = db_path(args.db)
    command = args.places_command
    if command == "list":
        with open_store(db, read_only=True) as store:
            review = corrections.review_list(store, config)
        if args.json:
            print(json.dumps(review, ensure_ascii=False, indent=2, default=str))
            return 0
        _print_list(review)
        return 0
    if command == "ort-alias":
        outcome = corrections.decide_ort_alias(db, config, args.name, args.to)
    else:
        extra = {"target": args.to} if command == "alias" else {}
        if command == "create":
            extra = {"lat": args.lat, "lon": args.lon}
        outcome = corrections.decide_place(db, config, command, args.name, args.ort, **extra)
    print(outcome.message)
    return 0


def _print_list(review: dict) -> None:
    from tsk.ingest.corrections import week_label

    if not review["places"] and not review["quarantine"]:
        print(t("places_list_empty"))
        return
    if review["places"]:
        print(t("places_list_header"))
        for e in review["places"]:
            print(t("places_list_line", name=e["name"], ort=e["ort"] or e["area"], reports=e["reports"],
                    submissions=e["submissions"], first=week_label(e["first_week"]), last=week_label(e["last_week"])))
    if review["quarantine"]:
        print(t("places_quarantine_header"))
        for e in review["quarantine"]:
            print(t("places_quarantine_line", source=t(f"source_{e['source']}"), reason=e["reason"], rows=e["rows"]))
