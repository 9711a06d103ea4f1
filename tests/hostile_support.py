"""Shared pieces of the hostile-input tests (test_hostile_*.py): the small store they attack, the
byte-for-byte digest that shows a refusal changed nothing, the quarantine reasons of one import, and a
CLI run that must be refused with exit 2 and the exact message."""
from __future__ import annotations

import hashlib
from pathlib import Path

from tsk.cli import main
from tsk.config import ROOT
from tsk.ingest.run import run_import
from tsk.store import open_store

HOSTILE = Path(__file__).parent / "hostile"
FILES = Path(__file__).parent / "files"


def small_store(config, path: Path) -> Path:
    """The demo's area polygons and one small lägesbild import."""
    run_import("areas", ROOT / "data" / "demo" / "omraden.geojson", db=path, config=config, name_field="omrade")
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=path, config=config)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def quarantine_reasons(db: Path, import_id: int) -> list[str]:
    with open_store(db, read_only=True) as s:
        q = s.table("quarantine")
    return q[q["import_id"] == import_id].sort_values("row_number")["reason"].tolist()


def assert_refused(store: Path, args: list[str], message: str, capsys) -> None:
    """`python -m tsk …args --db store` exits 2 with exactly `message` and leaves the store byte-identical."""
    before = digest(store)
    code = main([*args, "--db", str(store)])
    assert (code, capsys.readouterr().err) == (2, message + "\n")
    assert digest(store) == before
