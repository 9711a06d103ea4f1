"""The follow-up report's blocks on a page: the Uppföljning preview shows a tsk.report `Report` through
`show_report`, which walks the blocks with tsk.report.model.render_report, the same walk the Word
document takes, so the page shows the same blocks in the same order. Streamlit-aware (UI glue)."""
from __future__ import annotations

import streamlit as st

from tsk import ui
from tsk.report.model import (
    Bullets,
    Chart,
    KeyFigures,
    Lead,
    Report,
    Section,
    Table,
    display_frame,
    render_report,
)
from tsk.safe_text import lit


class PageBlocks:
    """Each block of the report as Streamlit elements (a tsk.report.model.BlockRenderer). Every stored
    text goes through `lit`; in Mötesläge tables are plain and key-figure notes left out."""

    def __init__(self, *, meeting: bool):
        self.meeting = meeting

    def heading(self, section: Section) -> None:
        (st.header if section.level == 1 else st.subheader)(lit(section.heading))

    def text(self, text: str) -> None:
        st.markdown(lit(text))

    def lead(self, block: Lead) -> None:
        st.markdown(f"**{lit(block.lead)}.** {lit(block.text)}")

    def bullets(self, block: Bullets) -> None:
        st.markdown("\n".join(f"- {lit(item)}" for item in block.items))

    def key_figures(self, block: KeyFigures) -> None:
        """One card per key figure, side by side: the value, n, the year before and the verdict."""
        ui.key_figure_cards([ui.Card(kf.label, kf.value, kf.n, (kf.previous, kf.verdict) if kf.verdict else (kf.previous,),
                                     kf.note) for kf in block.items], meeting=self.meeting)

    def table(self, block: Table) -> None:
        st.markdown(f"**{lit(block.title)}**")
        ui.data_table(display_frame(block), meeting=self.meeting)
        if block.note:
            st.caption(lit(block.note))

    def chart(self, block: Chart) -> None:
        st.markdown(f"**{lit(block.title)}**")
        st.image(block.png, caption=lit(block.alt), alt=block.alt, width=760)
        if block.note:
            st.caption(lit(block.note))


def show_report(report: Report, *, meeting: bool) -> None:
    """Every section of the report: its heading, then its blocks."""
    render_report(report, PageBlocks(meeting=meeting))
