"""The report as data: ordered sections of blocks (paragraphs, lead paragraphs, bullets, key figures,
tables, charts), and the formatting of a table cell shared by Word and the page preview.

`render_report` walks a report once and hands each block to the renderer's method for its type; Word
(tsk.report.docx) and the Uppföljning page (tsk.ui.report) are two such renderers, so both show the
same blocks in the same order. Excel (tsk.report.xlsx) takes only the tables.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import pandas as pd

from tsk.formatting import fmt_dec, fmt_int, fmt_pct
from tsk.i18n import t

KINDS = ("int", "pct", "change", "dec", "text", "date")


@dataclass
class Table:
    """One table of the report. `frame` has Swedish column names and the values as published: numbers
    stay numbers (shares and changes as 0..1), a hidden value is the text `Report.hidden_mark`. `kinds`
    maps each column to int | pct | change | dec | text | date (how it is formatted in Word and Excel). `sheet` is the
    Excel sheet name (at most 31 characters)."""

    key: str
    title: str
    sheet: str
    frame: pd.DataFrame
    kinds: dict[str, str]
    note: str = ""
    # How Word shows it: "table", or "cards" (one short paragraph per row, the `card_bullets` column as a
    # bullet list split at " · "): for rows with long explanations. Excel always gets the table.
    layout: str = "table"
    card_bullets: str = ""
    # "cards" without a bullets column (a public version without the free text): the first this many
    # columns on the bold line, the rest as the small labelled line (0: every column on the bold line).
    card_head: int = 0

    def __post_init__(self):
        missing = [c for c in self.frame.columns if self.kinds.get(c) not in KINDS]
        if missing:
            raise ValueError(f"table {self.key!r}: no kind for columns {missing}")


@dataclass
class Lead:
    """A paragraph with a bold lead-in (method notes)."""

    lead: str
    text: str


@dataclass
class Chart:
    key: str
    title: str
    png: bytes
    alt: str
    note: str = ""


@dataclass
class KeyFigure:
    """A key figure as shown: value and n as Swedish text, the year before and the verdict."""

    goal: str
    label: str
    value: str
    n: str
    previous: str
    verdict: str
    note: str = ""

    def sentence(self) -> str:
        text = (t("rp_kf_sentence", label=self.label, value=self.value, n=self.n) if self.n and self.n != self.value
                else t("rp_kf_sentence_no_n", label=self.label, value=self.value))
        if self.previous and self.previous != "–":
            text += " " + t("rp_kf_sentence_prev", previous=self.previous)
        if self.verdict:
            text += f" {self.verdict}."
        return text


@dataclass
class KeyFigures:
    items: list[KeyFigure]


@dataclass
class Bullets:
    items: list[str]


Block = str | Lead | Bullets | KeyFigures | Table | Chart


@dataclass
class Section:
    heading: str
    level: int = 1
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    kommun: str
    year: int
    public: bool
    title: str
    version: str
    created: date
    hidden_mark: str
    sections: list[Section]

    def blocks(self):
        for s in self.sections:
            yield from s.blocks

    def tables(self) -> list[Table]:
        return [b for b in self.blocks() if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for b in self.blocks() if isinstance(b, Chart)]

    def key_figures(self) -> list[KeyFigure]:
        return [k for b in self.blocks() if isinstance(b, KeyFigures) for k in b.items]

    def table(self, key: str) -> Table | None:
        return next((tb for tb in self.tables() if tb.key == key), None)

    def headings(self) -> list[str]:
        return [s.heading for s in self.sections]


@dataclass(frozen=True)
class Window:
    """Monday of the first and the last ISO week (inclusive)."""

    first: date
    last: date

    @property
    def weeks(self) -> int:
        return (self.last - self.first).days // 7 + 1

    def label(self) -> str:
        a, b = self.first.isocalendar(), self.last.isocalendar()
        return t("rp_weeks_label", first=a.week, last=b.week, year=b.year)


def is_missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


# --------------------------------------------------------------------------------------------------
# Formatting shared by Word and the page preview
# --------------------------------------------------------------------------------------------------


def format_cell(value, kind: str) -> str:
    """One value as shown in Word and the preview: Swedish number formats, dates as YYYY-MM-DD."""
    if isinstance(value, str):
        return value
    if is_missing(value):
        return "–" if kind in ("int", "pct", "change", "dec") else ""
    if kind == "int":
        return fmt_int(value)
    if kind == "pct":
        return fmt_pct(value)
    if kind == "change":
        text = fmt_pct(abs(value))
        return text if text.startswith("0") else ("+" if value > 0 else "\u2212") + text
    if kind == "dec":
        return fmt_dec(value)
    if kind == "date":
        return pd.Timestamp(value).date().isoformat()
    return str(value)


def display_frame(table: Table) -> pd.DataFrame:
    """The table with every cell as Swedish text."""
    return pd.DataFrame({c: [format_cell(v, table.kinds.get(c, "text")) for v in table.frame[c]]
                         for c in table.frame.columns})


def key_figure_frame(items: list[KeyFigure], *, with_goal: bool = False) -> pd.DataFrame:
    rows = []
    for k in items:
        row = {t("rp_col_goal"): k.goal} if with_goal else {}
        row.update({t("rp_col_key_figure"): k.label, t("rp_col_value"): k.value, "n": k.n,
                    t("rp_col_previous"): k.previous, t("col_verdict"): k.verdict, t("col_note"): k.note})
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# One walk over the blocks for every renderer
# --------------------------------------------------------------------------------------------------


class BlockRenderer(Protocol):
    """What a renderer of the report does with each kind of block (Word, the page preview)."""

    def heading(self, section: Section) -> None: ...
    def text(self, text: str) -> None: ...
    def lead(self, block: Lead) -> None: ...
    def bullets(self, block: Bullets) -> None: ...
    def key_figures(self, block: KeyFigures) -> None: ...
    def table(self, block: Table) -> None: ...
    def chart(self, block: Chart) -> None: ...


def render_block(block: Block, renderer: BlockRenderer) -> None:
    """Hand one block to the renderer's method for its type."""
    if isinstance(block, str):
        renderer.text(block)
    elif isinstance(block, Lead):
        renderer.lead(block)
    elif isinstance(block, Bullets):
        renderer.bullets(block)
    elif isinstance(block, KeyFigures):
        renderer.key_figures(block)
    elif isinstance(block, Table):
        renderer.table(block)
    elif isinstance(block, Chart):
        renderer.chart(block)


def render_report(report: Report, renderer: BlockRenderer) -> None:
    """Every section's heading, then its blocks in order."""
    for section in report.sections:
        renderer.heading(section)
        for block in section.blocks:
            render_block(block, renderer)
