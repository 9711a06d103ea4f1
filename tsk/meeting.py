"""Moved to tsk.pagedata.meeting; this keeps the old import path."""
# shim for the issue-16 merge; removed by the integrator
from tsk.pagedata.meeting import (  # noqa: F401
    _meeting_frames,
    _top_candidates,
    agenda,
    disagreements,
    flagged_places,
    last_meeting_window,
    overdue,
    proposal_rows,
    record_docx,
    record_xlsx,
    samlad_lagesbild,
    snapshot,
    weeks_since,
)
