"""Data page tables: the quarantine waiting for a correction and the import log, with Swedish headers.

No Streamlit and no SQL: the frames come from the store's named queries (Store.open_quarantine,
Store.import_log).
"""
from __future__ import annotations

import pandas as pd

from tsk.i18n import t


def quarantine_table(waiting: pd.DataFrame) -> pd.DataFrame:
    """The quarantined rows as listed: file, row number and the reason."""
    return waiting[["file_name", "row_number", "reason"]].rename(columns={
        "file_name": t("col_file"), "row_number": t("col_row"), "reason": t("col_reason")})


def import_log_table(log: pd.DataFrame) -> pd.DataFrame:
    """The import log as shown: id, source, file, when, rows accepted, quarantined and skipped, who."""
    return log.rename(columns={"import_id": t("ag_col_id"), "source": t("data_source"), "file_name": t("col_file"),
                               "imported_at": t("col_date"), "rows_accepted": t("col_accepted"),
                               "rows_quarantined": t("col_quarantined"), "rows_skipped": t("col_skipped"),
                               "actor": t("rv_col_actor")})
