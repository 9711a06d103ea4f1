"""Ingest: parsed files into the store. The pure parsers are tsk.importers (file -> Batch or
FileRejected); this package writes their batches:

- run.py: `run_import` (one file, one transaction, once per content), `write_batch`, the import outcome;
- dedup.py: rows and respondents an earlier file already brought, left out before writing;
- corrections.py: quarantined rows corrected and imported again, review decisions on new names;
- police_fetch.py: events fetched from the polisen.se API and imported as a police file.
"""
from tsk.ingest.run import (
    ImportOutcome,
    current_actor,
    run_import,
    stored_decisions,
    write_batch,
)

__all__ = ["ImportOutcome", "current_actor", "run_import", "stored_decisions", "write_batch"]
