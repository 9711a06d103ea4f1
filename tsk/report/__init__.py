"""Uppföljning: the yearly follow-up report to the politicians, built from the store.

The policy for Trygg och säker kommun says the work is followed up every year: the working group
reports to the politicians how the work goes, and residents are told what came of the safety walks.
`build_report` gathers that year's figures into a `Report` (ordered sections of paragraphs, key
figures, tables and chart images); `report_docx` and `report_xlsx` write it as a Word document that
can go into a KS report as it is and as an Excel workbook with one sheet per table; `run_report` is
the CLI's `python -m tsk report YEAR`.

Two versions:
- the full version (analysgrupp, KLG/KS) may hold redacted free text (what the walks saw, what the
  measures are), the candidate list for next year's walks with scores and reasons, police figures and
  reporting per reporter;
- the public version (`public=True`) holds no free text at all, none of that analysgrupp-only
  material, and no count of people or events from 1 to suppression_min − 1: such counts are hidden,
  together with one more value in the same column (or row) where a hidden value could otherwise be
  worked out from a published total (secondary suppression). Survey shares of groups under the
  threshold are hidden in both versions (tsk.pagedata does that).

No Streamlit and no SQL here: the numbers come from the store's named queries and tsk.pagedata /
tsk.pagedata.candidates, so the report shows the same figures as the app.

The package, from a number on the page to where it is made:
- model      the blocks (Table, Chart, KeyFigure, …), cell formatting, `render_report` (one walk over
             the blocks for Word and the page preview, tsk.ui.report);
- build      `build_report`: the sections in order, each made by one build_* module —
             build_survey, build_lagesbild (also police and reporting coverage), build_traffpunkt,
             build_walks (walks, measures, next year) — on a shared `context.ReportContext`;
- common     `protect` (which counts the public version hides), year-on-year verdicts;
- periods    `report_years`, `lagesbild_windows`;
- charts     the PNG charts (matplotlib, offline);
- docx, xlsx the two files; cli `run_report`; files `report_files` (both files for the page).
"""
from tsk.report.build import build_report
from tsk.report.cli import RENDERERS, run_report
from tsk.report.common import protect
from tsk.report.docx import report_docx
from tsk.report.files import ReportFiles, report_files
from tsk.report.model import (
    KINDS,
    Block,
    BlockRenderer,
    Bullets,
    Chart,
    KeyFigure,
    KeyFigures,
    Lead,
    Report,
    Section,
    Table,
    Window,
    display_frame,
    format_cell,
    key_figure_frame,
    render_block,
    render_report,
)
from tsk.report.periods import lagesbild_windows, report_years
from tsk.report.xlsx import XLSX_FORMATS, report_xlsx

__all__ = ["Report", "Section", "Table", "Chart", "KeyFigure", "KeyFigures", "Bullets", "build_report",
           "report_docx", "report_xlsx", "run_report", "report_years", "display_frame", "format_cell",
           "key_figure_frame", "protect", "lagesbild_windows", "report_files", "ReportFiles", "Lead",
           "Window", "Block", "BlockRenderer", "render_block", "render_report", "KINDS", "XLSX_FORMATS",
           "RENDERERS"]
