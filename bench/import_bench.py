"""Import throughput: our importer against DuckDB's own `read_csv` of the same file.

One engine per process (`python -m bench.import_bench --engine … --file …`), so each has its own peak
RSS:
- `duckdb`: `CREATE TABLE t AS SELECT * FROM read_csv(file)` into a fresh database file — bare DuckDB,
  types auto-detected, no validation;
- `tsk`: `tsk.ingest.run_import(source, file, db=…, config=…)` into a fresh database — reading,
  validation of every row against the gazetteer, redaction, one transaction (the import a kommun runs;
  a lägesbild CSV goes through the column-at-a-time parser, tsk/importers/lagesbild_columnar.py);
- `tsk-rowloop`: the same with `tsk.importers.lagesbild.parse = parse_rows` monkeypatched in: the row
  loop every lägesbild file went through before the columnar parser shipped (the "before").
`--compare A B` checks that two databases hold the same lägesbild, coverage and quarantine rows.
`--finish DB` imports the rest a page needs (areas, survey, Träffpunkt, police, walks) into a database.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.common import write_result
from tsk.config import ROOT, load_config


def _fresh(db: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)


def run_duckdb(file: Path, db: Path) -> dict:
    import duckdb

    _fresh(db)
    con = duckdb.connect(str(db))
    start = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(file)])
    seconds = time.perf_counter() - start
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    _fresh(db)
    return {"engine": "duckdb", "seconds": round(seconds, 3), "rows": rows}


def use_row_loop() -> None:
    """Parse lägesbild files with the row loop in this process (tsk.importers.parse_file looks
    `parse` up per call)."""
    from tsk.importers import lagesbild

    lagesbild.parse = lagesbild.parse_rows


def run_tsk(source: str, file: Path, db: Path, *, row_loop: bool = False, fresh: bool = True) -> dict:
    from tsk import importers, ingest
    from tsk.importers import reading

    # The shipped readers refuse files over reading.MAX_FILE_BYTES (500 MB). To measure throughput on
    # the same file as DuckDB, the cap is raised in this process only; RESULTS.md says so.
    cap = getattr(reading, "MAX_FILE_BYTES", None)
    if cap is not None and file.stat().st_size > cap:
        reading.MAX_FILE_BYTES = file.stat().st_size + 1
    if row_loop:
        use_row_loop()
    if fresh:
        _fresh(db)
    cfg = load_config()
    phases: dict[str, float] = {}
    taken = {"path": ""}
    original_parse_file = importers.parse_file

    def timed_parse_file(*args, **kwargs):
        start = time.perf_counter()
        out = original_parse_file(*args, **kwargs)
        phases["parse_s"] = round(time.perf_counter() - start, 3)
        taken["path"] = out[0].parse_path or ""  # which lägesbild path read the file (the batch says)
        return out

    importers.parse_file = timed_parse_file
    start = time.perf_counter()
    outcome = ingest.run_import(source, file, db=db, config=cfg)
    seconds = time.perf_counter() - start
    importers.parse_file = original_parse_file
    out = {"engine": "tsk-rowloop" if row_loop else "tsk", "source": source, "seconds": round(seconds, 3),
           "cap_mb": round(cap / 2**20) if cap else None,
           "over_cap": bool(cap and file.stat().st_size > cap),
           "rows_in_file": None, "accepted": outcome.accepted, "quarantined": outcome.quarantined, **phases}
    if "parse_s" in phases:
        out["write_s"] = round(seconds - phases["parse_s"], 3)
    if source == "lagesbild":
        out["path"] = "row loop (parse_rows)" if row_loop else taken["path"]
    return out


def count_rows(file: Path) -> int:
    """Data rows in a CSV file (lines minus the header; the generated files have no embedded newlines)."""
    n = 0
    with open(file, "rb") as f:
        for block in iter(lambda: f.read(1 << 24), b""):
            n += block.count(b"\n")
    return n - 1


def compare(db_a: Path, db_b: Path) -> dict:
    """Rows in one database's lägesbild/coverage/quarantine tables and not the other's (both ways)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{db_a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{db_b}' AS b (READ_ONLY)")
    out = {}
    for table, skip in (("lagesbild", {"import_id"}), ("coverage", {"import_id"}),
                        ("quarantine", {"import_id"})):
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'a' AND table_name = ? "
            "ORDER BY ordinal_position", [table]).fetchall() if r[0] not in skip]
        c = ", ".join(f'"{x}"' for x in cols)
        a_not_b = con.execute(f"SELECT count(*) FROM (SELECT {c} FROM a.{table} EXCEPT ALL SELECT {c} FROM b.{table})"
                              ).fetchone()[0]
        b_not_a = con.execute(f"SELECT count(*) FROM (SELECT {c} FROM b.{table} EXCEPT ALL SELECT {c} FROM a.{table})"
                              ).fetchone()[0]
        out[table] = {"a_not_b": a_not_b, "b_not_a": b_not_a,
                      "rows": con.execute(f"SELECT count(*) FROM a.{table}").fetchone()[0]}
    con.close()
    out["identical"] = all(v["a_not_b"] == 0 and v["b_not_a"] == 0 for v in out.values() if isinstance(v, dict))
    return out


def finish(db: Path, survey: Path | None) -> dict:
    """Import the demo's areas, Träffpunkt, police and walk files and the scale survey into `db`."""
    import tomllib

    from tsk.ingest.run import run_import

    cfg = load_config()
    demo = ROOT / "data" / "demo"
    manifest = tomllib.loads((demo / "manifest.toml").read_text(encoding="utf-8"))["files"]
    out = {"files": []}
    for entry in manifest:
        if entry["source"] in ("lagesbild", "survey"):
            continue
        mapping = entry.get("mapping")
        start = time.perf_counter()
        o = run_import(entry["source"], demo / entry["file"], db=db, config=cfg,
                       mapping=(ROOT / mapping) if mapping else None, name_field=entry.get("name_field"))
        out["files"].append({"file": entry["file"], "seconds": round(time.perf_counter() - start, 3),
                             "accepted": o.accepted, "quarantined": o.quarantined})
    return out


def copy_survey(donor: Path, db: Path) -> dict:
    """Copy the survey rows (and their import log line) of `donor` into `db` under a new import_id."""
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect(str(db))
    con.execute(f"ATTACH '{donor}' AS donor (READ_ONLY)")
    old = con.execute("SELECT import_id FROM donor.imports WHERE source = 'survey'").fetchall()
    copied = 0
    for (old_id,) in old:
        new_id = con.execute("SELECT nextval('import_id_seq')").fetchone()[0]
        con.execute("BEGIN")
        con.execute("INSERT INTO imports SELECT * REPLACE (? AS import_id) FROM donor.imports WHERE import_id = ?",
                    [new_id, old_id])
        for table in ("survey_respondents", "survey_answers", "survey_texts"):
            con.execute(f"INSERT INTO {table} SELECT * REPLACE (? AS import_id) FROM donor.{table} "
                        "WHERE import_id = ?", [new_id, old_id])
        con.execute("COMMIT")
        copied += con.execute("SELECT count(*) FROM survey_respondents WHERE import_id = ?", [new_id]).fetchone()[0]
    con.close()
    return {"seconds": round(time.perf_counter() - start, 2), "respondents": copied, "donor": donor.name}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.import_bench")
    p.add_argument("--label", required=True)
    p.add_argument("--engine", choices=("duckdb", "tsk", "tsk-rowloop"))
    p.add_argument("--source", default="lagesbild")
    p.add_argument("--file")
    p.add_argument("--db")
    p.add_argument("--keep", action="store_true", help="import into --db as it is (do not start afresh)")
    p.add_argument("--compare", nargs=2)
    p.add_argument("--finish")
    p.add_argument("--copy-survey", help="a scale database whose survey rows are copied into --db")
    args = p.parse_args(argv)
    if args.compare:
        write_result(f"compare_{args.label}", compare(Path(args.compare[0]), Path(args.compare[1])))
        return
    if args.copy_survey:
        write_result(f"copy_survey_{args.label}", copy_survey(Path(args.copy_survey), Path(args.db)))
        return
    if args.finish:
        write_result(f"finish_{args.label}", finish(Path(args.finish), None))
        return
    file, db = Path(args.file), Path(args.db)
    if args.engine == "duckdb":
        result = run_duckdb(file, db)
    else:
        result = run_tsk(args.source, file, db, row_loop=args.engine == "tsk-rowloop", fresh=not args.keep)
        result["rows_in_file"] = count_rows(file)
    result["file_mb"] = round(file.stat().st_size / 1e6, 1)
    write_result(f"import_{args.label}_{args.source}_{args.engine}", result)
    print(f"  {args.engine:13} {args.source:10} {result['seconds']:8.2f} s", flush=True)


if __name__ == "__main__":
    main()
