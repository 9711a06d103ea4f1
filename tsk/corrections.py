"""Moved to tsk.ingest.corrections."""
# shim for the issue-16 merge; removed by the integrator
from tsk.ingest.corrections import (  # noqa: F401
    CORRECTABLE,
    REVIEW_SOURCE,
    Reimported,
    ReviewOutcome,
    assign_reporter,
    decide_ort_alias,
    decide_place,
    guess_column,
    quarantine_group,
    reimport_corrected,
    reimport_corrected_many,
    review_list,
    week_label,
    write_batch,
)
