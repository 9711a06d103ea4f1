"""The measures register beyond walks (proposals from the analysgrupp, Träffpunkt dialogue or a walk) and
the analysgrupp's meeting records: their vocabulary and the rules a form checks before writing.

The forms of tsk/ui/forms.py (proposal_form, proposal_update_form, measure_status_form, meeting_form)
only lay out and call these. Each check raises TskError with the message the form shows
(`ui.show_error`; these messages have no parameters). A walk's own measures are checked with
the walk (tsk.registers.validation).
"""
from __future__ import annotations

from datetime import date

from tsk.errors import TskError
from tsk.registers.statuses import MEASURE_DONE
from tsk.registers.walks import ORIGIN

# measures.origin of a proposal, in the order the proposal form offers them (labels: i18n ag_origin_<key>).
PROPOSAL_ORIGINS = ("analysgrupp", "traffpunkt", ORIGIN)


def completed_date_for(status: str, completed: date | None) -> date | None:
    """The completed date a measure keeps with `status`: the date given when it is done, else none."""
    return completed if status == MEASURE_DONE else None


def check_proposal(description: str) -> None:
    """A proposal says what it is about."""
    if not description.strip():
        raise TskError("ag_proposal_empty")


def check_meeting(organisations: list[str]) -> None:
    """A meeting record names at least one participating organisation."""
    if not organisations:
        raise TskError("ag_meeting_no_orgs")
