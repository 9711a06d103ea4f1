"""Trygghetsvandring protocol importer (CLI source `vandring`).

Reads one walk protocol workbook (the layout `tsk.registers.protocol.protocol_xlsx` writes), validates it against
the configuration and redacts its free text. One file is one walk: any problem rejects the whole file
(FileRejected, nothing written), so there is no quarantine.

The returned tables carry no store ids: walk_id and measure_id come from the store's sequences
(walk_id_seq, measure_id_seq), which an importer cannot reach. So:
- "walks": one row, columns ort, area, walk_date, status, route, participants, followup_date,
  followup_notes (no walk_id, import_id or updated_at);
- "walk_observations": obs_no, place, problem, causes (no walk_id);
- "measures": origin, ort, place, description, owner, decision_path, due_date, status, completed_date
  (no measure_id or walk_id).
The store must write these three tables together: take a new walk_id, set the walk's import_id and
updated_at, give the observations that walk_id, and give each measure a new measure_id, that walk_id
and updated_at (what Store.save_walk does for a walk with walk_id None).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from tsk.errors import FileRejected, TskError
from tsk.i18n import t
from tsk.importers.base import Batch, ImportContext
from tsk.registers.protocol import parse_protocol_xlsx
from tsk.registers.validation import validate
from tsk.registers.walks import redact_all, to_store_rows

SOURCE = "vandring"
WALK_TABLE_COLUMNS = ["ort", "area", "walk_date", "status", "route", "participants", "followup_date",
                      "followup_notes"]


def parse(path: Path, ctx: ImportContext) -> Batch:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise FileRejected("file_unreadable", detail=e.strerror or str(e)) from None
    if not data.strip():
        raise FileRejected("file_empty")
    try:
        walk, observations, measures = parse_protocol_xlsx(data, ctx.config)
        validate(walk, observations, measures, ctx.config)
    except FileRejected:
        raise
    except TskError as e:  # one file is one walk: any problem refuses the file
        raise FileRejected(e.key, **e.params) from None
    walk, observations, measures = redact_all(walk, observations, measures)
    walk_row, obs, meas = to_store_rows(walk, observations, measures)
    walks = pd.DataFrame([{c: walk_row[c] for c in WALK_TABLE_COLUMNS}], columns=WALK_TABLE_COLUMNS, dtype=object)
    note = t("walk_import_note", ort=walk.ort, date=walk.walk_date.isoformat(), observations=len(observations),
             measures=len(measures))
    return Batch(
        tables={"walks": walks, "walk_observations": obs, "measures": meas.drop(columns=["measure_id"])},
        accepted=1,
        notes=[note],
    )
