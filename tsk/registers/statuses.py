"""The one vocabulary of walk and measure statuses.

Each status has a key (the constant's name here) and a Swedish word (tsk.i18n `walk_status_*`,
`measure_status_*`). The word is what the store holds (walks.status, measures.status), what the walk
protocol workbook shows and what tsk.toml lists under [vandring.measures] statuses; code compares
against the constants below, never against a literal word.
"""
from __future__ import annotations

from tsk.i18n import t

# --- walks (walks.status) ---
WALK_PLANNED = t("walk_status_planned")        # "planerad"
WALK_DONE = t("walk_status_done")              # "genomförd"
WALK_CANCELLED = t("walk_status_cancelled")    # "inställd"
WALK_STATUSES = (WALK_PLANNED, WALK_DONE, WALK_CANCELLED)

# --- measures and proposals (measures.status) ---
MEASURE_PROPOSED = t("measure_status_proposed")  # "föreslagen"
MEASURE_DECIDED = t("measure_status_decided")    # "beslutad"
MEASURE_ONGOING = t("measure_status_ongoing")    # "pågår"
MEASURE_DONE = t("measure_status_done")          # "klar": the status that needs a completed_date
MEASURE_DECLINED = t("measure_status_declined")  # "avslagen": will not be carried out
# The default of [vandring.measures] statuses, in the order the forms offer them.
MEASURE_STATUSES = (MEASURE_PROPOSED, MEASURE_DECIDED, MEASURE_ONGOING, MEASURE_DONE, MEASURE_DECLINED)
# Measures still on their way (overdue when their due date has passed).
OPEN_STATUSES = (MEASURE_PROPOSED, MEASURE_DECIDED, MEASURE_ONGOING)

# The names the walk register has always used.
DONE = MEASURE_DONE
DECLINED = MEASURE_DECLINED
