"""Command line for starting a new kommun: `python -m tsk init` and `python -m tsk areas build`.

Same contract as tsk.cli: exit 0 done; 2 rejected (the reason in Swedish on stderr, nothing written);
1 unexpected error. TskError raised here is turned into exit 2 by tsk.cli.main.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tsk.config import db_path, load_config
from tsk.errors import TskError
from tsk.geo import WGS84, write_demo_areas
from tsk.i18n import t
from tsk.ingest.run import run_import
from tsk.onboarding import build_config_text
from tsk.store import open_store

SCHEMATIC_FILE = "schematiska_omraden.geojson"  # the name the import log shows for `areas build`


def register(sub) -> None:
    """Add `init` and `areas` to the CLI's subparsers."""
    init = sub.add_parser("init", help="Skapa en konfigurationsfil för en ny kommun från kommunkoden och en ortfil.")
    init.add_argument("kommunkod", help="Kommunens fyrsiffriga kod (SCB), t.ex. 1452.")
    init.add_argument("--orter", required=True,
                      help="CSV eller XLSX med en rad per ort: name, lat, lon, population (SCB:s tätortsformat går bra).")
    init.add_argument("--out", required=True, help="Konfigurationsfilen som skrivs (TOML).")
    init.add_argument("--force", action="store_true", help="Skriv över --out om filen redan finns.")

    areas = sub.add_parser("areas", help="Områdesgränser: schematiska gränser från konfigurationen.")
    areas_sub = areas.add_subparsers(dest="areas_command", required=True)
    build = areas_sub.add_parser("build", help="Rita schematiska områden från orternas lägen och läs in dem.")
    build.add_argument("--db", help="Databasfil (standard: data/tsk.duckdb eller TSK_DB).")
    build.add_argument("--force", action="store_true",
                       help="Ersätt även områdesgränser som kommunen själv har läst in.")


def cmd_init(args) -> int:

    out = Path(args.out)
    if out.exists() and not args.force:
        raise TskError("init_out_exists", path=out)
    text, config, orter_file, areas = build_config_text(args.kommunkod, Path(args.orter), out)
    for warning in orter_file.warnings:
        print(warning, file=sys.stderr)
    _write_atomically(out, text)
    print(t("init_done", path=out, kommun=config.name, kommunkod=config.kommunkod, lan=config.lan,
            n_areas=len(config.areas), n_orter=len(config.orter)))
    print(t("init_next", path=out))
    return 0


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def cmd_areas(args) -> int:

    config = load_config()
    db = db_path(args.db)
    own = []
    if db.exists():
        with open_store(db, read_only=True) as store:
            extents = store.area_extents()
        own = list(extents.loc[~extents["schematic"].astype(bool), "name"])
    if own and not args.force:
        raise TskError("areas_build_refused_own", names=", ".join(own))
    with tempfile.TemporaryDirectory(prefix="tsk_areas_") as tmp:
        # The same path as a kommun's own layer: the areas importer, marked schematic by the file.
        geojson = write_demo_areas(Path(tmp) / SCHEMATIC_FILE, config, crs=WGS84)
        if own:
            _mark_replacement(geojson)
        outcome = run_import("areas", geojson, db=db, config=config)
    if outcome.already_imported:
        print(t("areas_build_unchanged", import_id=outcome.import_id))
        return 0
    print(t("areas_build_done", n=outcome.accepted, db=db, import_id=outcome.import_id))
    return 0


def _mark_replacement(geojson: Path) -> None:
    """A forced rebuild over the kommun's own boundaries must import even when the same schematic file
    was imported before (imports are once per file content): a foreign member with the time makes
    this file its own. The areas importer reads only the features."""
    data = json.loads(geojson.read_text(encoding="utf-8"))
    data["tsk_replaces_own_boundaries"] = datetime.now(UTC).isoformat(timespec="seconds")
    geojson.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


COMMANDS = {"init": cmd_init, "areas": cmd_areas}
