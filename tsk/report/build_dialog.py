"""The report's count of the two light registers of the year: Träffpunkt's dialogue steps 2–4 (per
area) and the Samhällskris robustness meetings (per ort). Counts only: the registers' free text (notes,
topics, follow-ups) never reaches the report, so the full and the public version are the same here."""
from __future__ import annotations

import pandas as pd

from tsk.i18n import t
from tsk.pagedata import dialog
from tsk.report.context import ReportContext
from tsk.report.model import Block, Table


def _in_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame[pd.to_datetime(frame["meeting_date"]).dt.year == year]


def dialog_and_kris(ctx: ReportContext) -> list[Block]:
    """A sentence per register and the Samhällskris meetings per ort in the report's year."""
    steps = _in_year(ctx.store.traffpunkt_steps(), ctx.year)
    meetings = _in_year(ctx.store.samhallskris_meetings(), ctx.year)
    blocks: list[Block] = [
        t("rp_dialog_steps", year=ctx.year, n=len(steps), areas=steps["area"].nunique() if not steps.empty else 0),
        t("rp_kris_meetings", year=ctx.year, n=len(meetings),
          orter=meetings["ort"].nunique() if not meetings.empty else 0),
    ]
    per_ort = dialog.kris_per_ort(meetings, ctx.config)
    if not meetings.empty:
        blocks.append(Table("samhallskris", t("rp_tbl_kris", year=ctx.year), t("rp_sheet_kris"), per_ort,
                            {c: "text" for c in per_ort.columns}))
    return blocks
