"""The report's årshjul part: the routine's items of the year with their state (tsk.pagedata.arshjul), and
the sentences the policy asks to be stated plainly («Ingen trygghetsvandring i centralorten 2026»)."""
from __future__ import annotations

from datetime import date

from tsk.formatting import fmt_date
from tsk.i18n import t
from tsk.pagedata import arshjul as aj
from tsk.report.context import ReportContext
from tsk.report.model import Block, Table


def arshjul(ctx: ReportContext, *, today: date | None = None) -> tuple[list[Block], list[str]]:
    """(the section's blocks, the plain sentences for the summary). Empty when no årshjul is configured."""
    if not ctx.config.arshjul:
        return [], []
    today = today or date.today()
    wheel = aj.wheel(ctx.store, ctx.config, year=ctx.year, today=today)
    sentences = aj.policy_sentences(wheel, ctx.year)
    frame = aj.wheel_table(wheel)
    table = Table("arshjul", t("rp_tbl_arshjul", year=ctx.year), t("rp_sheet_arshjul"), frame,
                  {c: "text" for c in frame.columns})
    blocks: list[Block] = [t("rp_aj_intro", year=ctx.year, today=fmt_date(today)), aj.summary(wheel, ctx.year),
                           *sentences, table]
    return blocks, sentences
