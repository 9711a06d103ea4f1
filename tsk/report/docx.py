"""The report as a Word document (A4): a title page, headings per TSK goal, key figures, tables (header
row repeated on each page, numbers right-aligned in Swedish format), charts as images with alt text,
and page numbers in the footer. The blocks are walked by tsk.report.model.render_report, as the page
preview walks them."""
from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tsk.i18n import t
from tsk.report.model import (
    Bullets,
    Chart,
    KeyFigures,
    Lead,
    Report,
    Section,
    Table,
    display_frame,
    key_figure_frame,
    render_report,
)

_DARK = (0x1F, 0x38, 0x64)
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_HEADER_FILL = "D9E2F3"


def _add_field(paragraph, instruction: str) -> None:
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._r.append(el)
        elif kind == "text":
            run.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _row_flags(row, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _longest_word(header, cells: list[str]) -> float:
    """The longest unbreakable run (split at ordinary spaces only: a no-break space holds "1 269" and
    "22 %" together), counting bold header characters a little wider."""
    head = max((len(w) for w in str(header).split(" ")), default=1) * 1.15
    return max([head, *(len(w) for s in cells for w in s.split(" "))])


def _column_widths(frame: pd.DataFrame, total_cm: float, font_pt: float) -> list[float]:
    """Column widths (cm) that fill `total_cm`: every column at least as wide as its longest word
    (headers are bold), the rest shared by how much more each column's longest cell needs."""
    char_cm = 0.024 * font_pt  # an average character of a sans-serif font, a little generous
    padding = 0.4              # the cell margins left and right
    minimum, ideal = [], []
    for c in frame.columns:
        cells = [str(v) for v in frame[c]]
        low = min(max(_longest_word(c, cells), 2), 18)
        longest = max((len(s) for s in cells), default=0)
        minimum.append(padding + low * char_cm)
        ideal.append(padding + max(low, min(longest, 90)) * char_cm)
    if sum(ideal) <= total_cm:
        widths = ideal
    else:
        extra = total_cm - sum(minimum)
        spare = [i - m for i, m in zip(ideal, minimum)]
        widths = minimum if extra <= 0 or not sum(spare) else [m + extra * s / sum(spare)
                                                               for m, s in zip(minimum, spare)]
    scale = total_cm / sum(widths)
    return [w * scale for w in widths]


def _fitting_font(frame: pd.DataFrame, total_cm: float) -> float:
    """The largest of 8.5, 8 and 7.5 pt at which every column fits its longest word."""
    for size in (8.5, 8.0, 7.5):
        char_cm = 0.024 * size
        need = sum(0.4 + min(_longest_word(c, [str(v) for v in frame[c]]), 18) * char_cm for c in frame.columns)
        if need <= total_cm:
            return size
    return 7.5


def _docx_table(doc, frame: pd.DataFrame, kinds: dict[str, str], *, font_pt: float | None = None) -> None:
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    font_pt = font_pt or _fitting_font(frame, 16.0)
    widths = _column_widths(frame, 16.0, font_pt)
    numeric = [kinds.get(c, "text") in ("int", "pct", "change", "dec") for c in frame.columns]

    def fill(cell, text, *, bold=False, right=False):
        cell.text = ""
        p = cell.paragraphs[0]
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(0)
        if right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = p.add_run(text)
        run.font.size = Pt(font_pt)
        run.bold = bold

    header = table.rows[0]
    _row_flags(header, header=True)
    for j, c in enumerate(frame.columns):
        fill(header.cells[j], str(c), bold=True, right=numeric[j])
        header.cells[j].paragraphs[0].paragraph_format.keep_with_next = True
        _shade(header.cells[j], _HEADER_FILL)
    keep_together = len(frame) <= 15  # a short table is not split over two pages
    for i, values in enumerate(frame.itertuples(index=False)):
        row = table.add_row()
        _row_flags(row, header=False)
        for j, v in enumerate(values):
            fill(row.cells[j], str(v), right=numeric[j])
            if keep_together and i < len(frame) - 1:
                row.cells[j].paragraphs[0].paragraph_format.keep_with_next = True
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for j, (w, grid_col) in enumerate(zip(widths, table._tbl.tblGrid.gridCol_lst)):
        grid_col.w = Cm(w)
        for cell in table.columns[j].cells:
            cell.width = Cm(w)


def _caption(doc, text: str):
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(8)
    p.paragraph_format.space_after = Pt(3)
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor(*_DARK)
    return p


def _cards(doc, table: Table) -> None:
    """One short block per row: the first columns on a bold line, the `card_bullets` column as bullets,
    the remaining columns as a small last line."""
    shown = display_frame(table)
    bullets = table.card_bullets
    cols = list(shown.columns)
    split = cols.index(bullets) if bullets in cols else table.card_head or len(cols)
    head_cols = cols[:split]
    tail_cols = cols[split + 1:] if bullets in cols else cols[split:]
    for row in shown.to_dict("records"):
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.space_after = Pt(2)
        first, *rest = head_cols
        numbered = table.kinds.get(first) == "int"
        parts = [f"{row[c]} {c.lower()}" if table.kinds.get(c) in ("int", "dec") else str(row[c])
                 for c in rest if row[c]]
        p.add_run((f"{row[first]}. " if numbered else f"{row[first]} – ") + " – ".join(parts)).bold = True
        for item in (row[bullets].split(" · ") if bullets in row and row[bullets] else []):
            b = doc.add_paragraph(item, style="List Bullet")
            b.paragraph_format.space_after = Pt(0)
            b.paragraph_format.keep_with_next = bool(tail_cols)
            for run in b.runs:
                run.font.size = Pt(9)
        if tail_cols:
            tail = doc.add_paragraph()
            tail.paragraph_format.space_after = Pt(4)
            run = tail.add_run(" · ".join(f"{c}: {row[c]}" for c in tail_cols if row[c]))
            run.italic = True
            run.font.size = Pt(8.5)


def _note(doc, text: str) -> None:
    if not text:
        return
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(2)
    p.paragraph_format.space_after = Pt(8)
    run = p.add_run(text)
    run.italic = True
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _set_language(doc, lang: str = "sv-SE") -> None:
    for style_name in ("Normal",):
        rpr = doc.styles[style_name].element.get_or_add_rPr()
        el = OxmlElement("w:lang")
        el.set(qn("w:val"), lang)
        rpr.append(el)


def _page_and_styles(doc) -> None:
    """A4 with margins, the title page without header or footer; Calibri, Swedish, dark headings."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    section.different_first_page_header_footer = True

    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    _set_language(doc)
    for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        st = doc.styles[name]
        st.font.name = "Calibri"
        st.font.size = Pt(size)
        st.font.color.rgb = RGBColor(*_DARK)
        st.paragraph_format.space_before = Pt(16 if name == "Heading 1" else 12)
        st.paragraph_format.space_after = Pt(6)


def _properties(doc, report: Report) -> None:
    props = doc.core_properties
    props.title = f"{report.title} {report.year}"
    props.subject = report.version
    props.author = report.kommun
    props.language = "sv-SE"
    props.keywords = "Trygg och säker kommun; uppföljning"


def _title_page(doc, report: Report) -> None:
    def line(text, size, *, bold=False, colour=_DARK, before=0, after=6):
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(before)
        p.paragraph_format.space_after = Pt(after)
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.font.color.rgb = RGBColor(*colour)
        return p

    line(report.kommun, 14, bold=True, before=60, after=120)
    line(report.title, 26, bold=True, after=12)
    line(str(report.year), 40, bold=True, colour=(0x2E, 0x74, 0xB5), after=36)
    line(report.version, 13, colour=(0x40, 0x40, 0x40), after=6)
    line(t("rp_created_line", created=report.created.isoformat()), 10, colour=(0x59, 0x59, 0x59), after=0)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _footer(doc, report: Report) -> None:
    """«title year · version · Sida n av m» in small type, centred."""
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lead = footer.add_run(t("rp_footer", title=report.title, year=report.year,
                            version=t("rp_footer_public") if report.public else t("rp_footer_full")) + " · ")
    lead.font.size = Pt(8)
    footer.add_run(t("rp_page") + " ").font.size = Pt(8)
    _add_field(footer, "PAGE")
    footer.add_run(" " + t("rp_page_of") + " ").font.size = Pt(8)
    _add_field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(8)


class _WordBlocks:
    """Each block of the report as Word paragraphs, tables and images (a tsk.report.model.BlockRenderer)."""

    def __init__(self, doc):
        self.doc = doc

    def heading(self, section: Section) -> None:
        self.doc.add_heading(section.heading, level=section.level)

    def text(self, text: str) -> None:
        self.doc.add_paragraph(text)

    def lead(self, block: Lead) -> None:
        p = self.doc.add_paragraph()
        p.add_run(block.lead + ". ").bold = True
        p.add_run(block.text)

    def bullets(self, block: Bullets) -> None:
        for item in block.items:
            p = self.doc.add_paragraph(item, style="List Bullet")
            p.paragraph_format.space_after = Pt(2)

    def key_figures(self, block: KeyFigures) -> None:
        if not block.items:
            return
        _caption(self.doc, t("rp_kf_caption"))
        frame = key_figure_frame(block.items).drop(columns=[t("col_note")])
        _docx_table(self.doc, frame, {"n": "int", t("rp_col_value"): "int"}, font_pt=9)
        notes = list(dict.fromkeys(k.note for k in block.items if k.note))
        _note(self.doc, " ".join(notes))

    def table(self, block: Table) -> None:
        _caption(self.doc, block.title)
        if block.layout == "cards":
            _cards(self.doc, block)
        else:
            _docx_table(self.doc, display_frame(block), block.kinds)
        _note(self.doc, block.note)

    def chart(self, block: Chart) -> None:
        _caption(self.doc, block.title)
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = bool(block.note)
        run = p.add_run()
        run.add_picture(io.BytesIO(block.png), width=Cm(15.5))
        for doc_pr in run._r.iter(f"{_WP}docPr"):
            doc_pr.set("descr", block.alt)
            doc_pr.set("title", block.title)
        _note(self.doc, block.note)


def report_docx(report: Report) -> bytes:
    """The report as a Word document (A4): a title page, headings per TSK goal, key figures, tables
    (header row repeated on each page, numbers right-aligned in Swedish format), charts as images with
    alt text, and page numbers in the footer."""
    doc = Document()
    _page_and_styles(doc)
    _properties(doc, report)
    _title_page(doc, report)
    _footer(doc, report)
    render_report(report, _WordBlocks(doc))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
