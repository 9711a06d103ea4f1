"""The report as an Excel workbook: every table on its own sheet, after «Om rapporten» and «Nyckeltal»."""
from __future__ import annotations

import pandas as pd

from tsk.exports import to_xlsx_bytes
from tsk.i18n import t
from tsk.report.model import Report, key_figure_frame

# Excel number format codes: Excel shows them with the reader's separators (Swedish: 1 234 and 2,5).
XLSX_FORMATS = {"int": "#,##0", "pct": "0%", "change": "+0%;-0%;0%", "dec": "0.0"}


def report_xlsx(report: Report) -> bytes:
    """Every table of the report on its own sheet (after «Om rapporten» and «Nyckeltal»), numbers as
    numbers with Swedish-displayed formats (1 234, 18 %, 2,5), dates as dates; text cells neutralised
    against formulas by tsk.exports."""
    about = pd.DataFrame({
        t("rp_col_item"): [t("rp_about_kommun"), t("rp_about_year"), t("rp_about_title"), t("rp_about_version"),
                           t("rp_about_created"), t("rp_about_hidden")],
        t("rp_col_value"): [report.kommun, str(report.year), report.title, report.version, report.created.isoformat(),
                            t("rp_about_hidden_text", mark=report.hidden_mark)],
    })
    sheets = {t("rp_sheet_about"): about, t("rp_sheet_key_figures"): key_figure_frame(report.key_figures(),
                                                                                       with_goal=True)}
    formats: dict[str, str] = {}
    for table in report.tables():
        if table.sheet in sheets:
            raise ValueError(f"two tables use the sheet name {table.sheet!r}")
        sheets[table.sheet] = table.frame
        for col, kind in table.kinds.items():
            fmt = XLSX_FORMATS.get(kind)
            if fmt is None:
                continue
            if formats.get(col, fmt) != fmt:
                raise ValueError(f"column {col!r} has two number formats")
            formats[col] = fmt
    return to_xlsx_bytes(sheets, number_formats=formats)
