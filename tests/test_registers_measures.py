"""tsk.registers.measures: the proposal and meeting rules the forms check before writing, and the
status vocabulary's words."""
from datetime import date

import pytest

from tsk.errors import TskError
from tsk.registers import statuses
from tsk.registers.measures import (
    PROPOSAL_ORIGINS,
    check_meeting,
    check_proposal,
    completed_date_for,
)


def test_the_vocabulary_holds_the_stored_words():
    assert statuses.WALK_STATUSES == ("planerad", "genomförd", "inställd")
    assert statuses.MEASURE_STATUSES == ("föreslagen", "beslutad", "pågår", "klar", "avslagen")
    assert statuses.OPEN_STATUSES == ("föreslagen", "beslutad", "pågår")
    assert (statuses.DONE, statuses.DECLINED) == ("klar", "avslagen")


def test_a_completed_date_is_kept_only_when_done():
    assert completed_date_for("klar", date(2026, 5, 1)) == date(2026, 5, 1)
    assert completed_date_for("pågår", date(2026, 5, 1)) is None


def test_a_proposal_needs_a_description_and_a_meeting_an_organisation():
    assert PROPOSAL_ORIGINS == ("analysgrupp", "traffpunkt", "trygghetsvandring")
    with pytest.raises(TskError, match="Skriv vad förslaget gäller."):
        check_proposal("  ")
    check_proposal("Belysning vid torget")
    with pytest.raises(TskError, match="Ange minst en deltagande organisation."):
        check_meeting([])
    check_meeting(["Polisen"])
