"""Correcting a quarantined row and importing it again through the same importer and mapping.

The corrected row is written as a one-row CSV with the original columns, so it passes every check a
fresh file would; only when it is accepted is the quarantine row marked as resolved.
"""
from __future__ import annotations

import csv
import json
import re
import tempfile
from pathlib import Path

from tsk.backup import atomic_write
from tsk.config import KommunConfig, setting_path
from tsk.db import open_store
from tsk.errors import TskError
from tsk.importers import ImportOutcome, run_import

CORRECTABLE = ("lagesbild", "survey", "traffpunkt")
_QUOTED = re.compile(r"«(.+?)»")


def guess_column(original: dict, reason: str) -> str | None:
    """The column holding the value the reason complains about («…» in the Swedish reason)."""
    for name in _QUOTED.findall(reason):
        for column, value in original.items():
            if str(value).strip() == name.strip():
                return column
    return None


def reimport_corrected(db: Path, config: KommunConfig, row: dict, column: str, value: str) -> ImportOutcome:
    """Replace one cell of a quarantined row and import the row again. `row` is a record of
    Store.open_quarantine(). Raises TskError when the row cannot be corrected this way."""
    if row["source"] not in CORRECTABLE:
        raise TskError("correction_not_tabular", source=row["source"])
    original = json.loads(row["original_row"])
    if column not in original:
        raise TskError("correction_unknown_column", column=column)
    original[column] = value
    mapping = setting_path("mappings_dir") / row["mapping"] if row.get("mapping") else None
    with tempfile.TemporaryDirectory(prefix="tsk_fix_") as tmp:
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(row["file_name"]).stem)
        path = Path(tmp) / f"rattad_{stem}_rad{row['row_number']}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, delimiter=";")
            writer.writerow(list(original))
            writer.writerow(list(original.values()))
        outcome = run_import(row["source"], path, db=db, config=config,
                             mapping=mapping if mapping and mapping.is_file() else None)
    if outcome.accepted and not outcome.quarantined:
        with atomic_write(db) as work, open_store(work, config=config) as store:
            store.resolve_quarantine(int(row["import_id"]), int(row["row_number"]), int(outcome.import_id))
    return outcome
