"""The report and both its files in one go, for the Uppföljning page."""
from __future__ import annotations

from dataclasses import dataclass

from tsk.config import KommunConfig
from tsk.report.build import build_report
from tsk.report.docx import report_docx
from tsk.report.model import Report
from tsk.report.xlsx import report_xlsx
from tsk.store import Store


@dataclass
class ReportFiles:
    report: Report
    docx: bytes
    xlsx: bytes


def report_files(store: Store, config: KommunConfig, *, year: int, public: bool) -> ReportFiles:
    """The report and both files in one go, for the page (the typed read tsk.ui.reads.report_files caches the result)."""
    report = build_report(store, config, year, public=public)
    return ReportFiles(report, report_docx(report), report_xlsx(report))
