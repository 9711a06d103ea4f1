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


def import_log_table(log: pd.DataFrame, *, with_app_reports: bool = True) -> pd.DataFrame:
    """The import log as shown, newest first: id, source, file, when, rows accepted, quarantined and
    skipped, who. Without `with_app_reports` the lines of reports written in the app are left out: one
    line per report and change (a kommun with 30 reporting units gets some 1 500 a year) would bury the
    file imports the Data page is about."""
    if not with_app_reports:
        log = log[~app_report_lines(log)]
    shown = log.drop(columns=[c for c in ("sha256",) if c in log.columns])  # a checksum says nothing here
    shown = shown.sort_values("import_id", ascending=False, kind="stable")
    for column in ("mapping", "notes", "actor"):  # a line without them (an area file, a document) shows «–»
        if column in shown.columns:
            shown[column] = shown[column].astype(object).where(shown[column].notna() & shown[column].ne(""), "–")
    return shown.rename(columns={"import_id": t("ag_col_id"), "source": t("data_source"), "file_name": t("col_file"),
                                 "mapping": t("data_col_mapping"), "imported_at": t("col_date"),
                                 "rows_accepted": t("col_accepted"), "rows_quarantined": t("col_quarantined"),
                                 "rows_skipped": t("col_skipped"), "notes": t("data_col_notes"),
                                 "actor": t("rv_col_actor")})


def app_report_lines(log: pd.DataFrame) -> pd.Series:
    """Which import log lines are reports written in the app (their mapping is the app's)."""
    from tsk.ingest.veckorapport import MAPPING_NAME

    return log["mapping"].eq(MAPPING_NAME) if "mapping" in log.columns else pd.Series(False, index=log.index)
