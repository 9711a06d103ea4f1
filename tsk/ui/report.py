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
    text goes through `lit`; in Mötesläge tables are plain and key-figure notes left out.

    Consecutive text (paragraphs, leads, lists, a table's or chart's title) goes out as one markdown
    element: the browser draws every element as its own component, and the report's ~90 one-paragraph
    elements made a switch to Uppföljning the slowest in the app (bench/RESULTS.md)."""

    def __init__(self, *, meeting: bool):
        self.meeting = meeting
        self._text: list[str] = []

    def flush(self) -> None:
        """Put the text gathered so far on the page, as one element."""
        if self._text:
            st.markdown("\n\n".join(self._text))
            self._text = []

    def heading(self, section: Section) -> None:
        self.flush()
        (st.header if section.level == 1 else st.subheader)(lit(section.heading))

    def text(self, text: str) -> None:
        self._text.append(lit(text))

    def lead(self, block: Lead) -> None:
        self._text.append(f"**{lit(block.lead)}.** {lit(block.text)}")

    def bullets(self, block: Bullets) -> None:
        self._text.append("\n".join(f"- {lit(item)}" for item in block.items))

    def key_figures(self, block: KeyFigures) -> None:
        """One card per key figure, side by side: the value, n, the year before and the verdict."""
        self.flush()
        ui.key_figure_cards([ui.Card(kf.label, kf.value, kf.n, (kf.previous, kf.verdict) if kf.verdict else (kf.previous,),
                                     kf.note) for kf in block.items], meeting=self.meeting)

    def table(self, block: Table) -> None:
        self._text.append(f"**{lit(block.title)}**")
        self.flush()
        ui.data_table(display_frame(block), meeting=self.meeting)
        if block.note:
            st.caption(lit(block.note))

    def chart(self, block: Chart) -> None:
        self._text.append(f"**{lit(block.title)}**")
        self.flush()
        st.image(block.png, caption=lit(block.alt), alt=block.alt, width=760)
        if block.note:
            st.caption(lit(block.note))


def show_report(report: Report, *, meeting: bool) -> None:
    """Every section of the report: its heading, then its blocks."""
    blocks = PageBlocks(meeting=meeting)
    render_report(report, blocks)
    blocks.flush()
