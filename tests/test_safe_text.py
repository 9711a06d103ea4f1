"""tsk.safe_text: stored strings shown literally through Markdown (st.markdown and its kin) and plotly.

By CommonMark, a backslash before any ASCII punctuation character makes it literal, and a paragraph
without line breaks cannot open a block (heading, list, quote, table). So `lit` is tested by that
structure: every ASCII punctuation character escaped, no line break left, and unescaping gives the
text back. The browser test (test_browser_markup.py) shows the same on the real pages."""
from __future__ import annotations

import ast
import html
import re
import string

import pandas as pd
import plotly.graph_objects as go
import pytest

from tests.hostile_strings import HOSTILE_STRINGS
from tsk import figures
from tsk.config import ROOT
from tsk.i18n import t
from tsk.safe_text import JOINER, lit, plain, say

PUNCT = set(string.punctuation)


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_lit_writes_every_punctuation_character_as_a_reference(text):
    """CommonMark shows a character reference as its character and never as syntax, so text without
    any other ASCII punctuation and without line breaks renders as exactly itself."""
    out = lit(text)
    assert "\n" not in out and "\r" not in out
    bare = re.sub(r"&#\d+;", "", out)
    assert [c for c in bare if c in PUNCT] == []
    assert html.unescape(out).replace(JOINER, "") == re.sub(r"[\r\n\t]+", " ", text)
    assert "http:" not in out and "www." not in out  # no address left for GFM to turn into a link


def test_say_escapes_only_the_values_not_the_message():
    reporter = "![r](http://tsk-outside.invalid/x.png)"
    out = say("lb_silent", reporter=reporter, weeks=3)
    assert out == t("lb_silent", reporter=lit(reporter), weeks=3)
    assert "](" not in out and "![" not in out


def test_plain_escapes_html_for_plotly():
    assert plain('<a href="x">y</a>') == "&lt;a href=&quot;x&quot;&gt;y&lt;/a&gt;"
    assert plain(None) == ""


def test_the_coverage_chart_shows_reporter_names_as_text():
    evil = '<a href="http://tsk-outside.invalid">länk</a>'
    df = pd.DataFrame({"reporter": [evil, "<b>fet</b>"], "week_start": pd.to_datetime(["2026-01-05"] * 2),
                       "status": ["rapporterat", "saknas"]})
    fig = figures.coverage_figure(df, title="<b>titel</b>", status_labels={
        "rapporterat": "R", "inget_att_rapportera": "I", "saknas": "S"})
    labels = list(fig.data[0].y)
    assert labels == [html.escape(evil), html.escape("<b>fet</b>")] or set(labels) == {html.escape(evil),
                                                                                         html.escape("<b>fet</b>")}
    assert fig.layout.title.text == "&lt;b&gt;titel&lt;/b&gt;"


def test_the_contribution_and_rate_charts_escape_units():
    evil = '<span style="font-size:80px">x</span>'
    df = pd.DataFrame({"unit": [evil], "total": [1.0], "contrib_a": [1.0]})
    fig = figures.contribution_figure(df, components=["a"], labels={"a": "<i>A</i>"}, title="t")
    assert all(list(tr.y) == [html.escape(evil)] for tr in fig.data)
    assert fig.data[0].name == "&lt;i&gt;A&lt;/i&gt;"
    rr = pd.DataFrame({"label": [evil], "rate_ratio": [2.0], "ci_low": [1.0], "ci_high": [3.0],
                       "notable": [True], "text": ["<b>2</b>"]})
    fig = figures.rate_change_figure(rr, label="label", title="t")
    assert list(fig.data[0].y) == [html.escape(evil)] and list(fig.data[0].text) == ["&lt;b&gt;2&lt;/b&gt;"]
    assert isinstance(fig, go.Figure)


# --- every shown string goes through the helper -------------------------------------------------------------

# (st.metric is left out: its labels are the configuration's key-figure names, never stored data.)
SHOW = {"markdown", "caption", "warning", "info", "error", "success", "subheader", "header", "title", "write",
        "toast"}
SAFE_CALLS = {"t", "lit", "say", "format_int", "format_decimal", "fmt_int", "fmt_pct", "fmt_dec", "int", "len",
              "round",
              # Messages composed from tsk.i18n texts, numbers and the kommun's own configuration (its area
              # names, survey month), never from imported data: tsk.pagedata and tsk.onboarding.
              "missing_text", "survey_intro", "traffpunkt_intro", "steps_markdown"}
# Values shown as they are on purpose: an arrow literal, a year (int), and the walk summary, which
# tsk.registers.summary.public_summary writes as Markdown with every free text escaped.
# Reviewed: `text` on Tillgänglighet is the statement's Markdown from docs/, whose config values
# tsk.accessibility escapes before they are put in.
# The report preview (tsk/ui/report.py) shows its gathered text as one element: each part is checked where
# it is gathered instead (test_the_report_preview_gathers_only_escaped_text).
ALLOWED = {("oversikt.py", "arrow"), ("uppfoljning.py", "rep.year"), ("vandring.py", "summary"),
           ("tillganglighet.py", "text"), ("report.py", "self._text")}


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _unsafe(node) -> list:
    """The parts of a shown text that are neither literals, messages, helper calls nor numbers."""
    if isinstance(node, ast.Constant):
        return []
    if isinstance(node, ast.Call):
        name = _call_name(node)
        if name in SAFE_CALLS:
            return []
        if name == "join":  # "\n".join(f"- {lit(x)}" for x in …)
            return [bad for a in node.args for bad in (
                _unsafe(a.elt) if isinstance(a, (ast.GeneratorExp, ast.ListComp)) else [a])]
        return [node]
    if isinstance(node, ast.JoinedStr):
        return [bad for v in node.values if isinstance(v, ast.FormattedValue) for bad in _unsafe(v.value)]
    if isinstance(node, ast.BinOp):
        return _unsafe(node.left) + _unsafe(node.right)
    if isinstance(node, ast.BoolOp):
        return [bad for v in node.values for bad in _unsafe(v)]
    if isinstance(node, ast.IfExp):
        return _unsafe(node.body) + _unsafe(node.orelse)
    return [node]


def test_every_text_element_shows_data_only_through_the_helper():
    """An AST scan of pages/ and tsk/ui/: whatever a Markdown element (st.markdown, caption, warning,
    info, error, success, headers) shows is a literal, a message (t), or goes through
    lit/say or a number formatter."""
    found = []
    for path in sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "tsk" / "ui").glob("*.py")):
        for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in SHOW and n.args:
                found += [(path.name, ast.unparse(bad)) for bad in _unsafe(n.args[0])]
    assert [f for f in found if f not in ALLOWED] == []


def test_the_report_preview_gathers_only_escaped_text():
    """tsk.ui.report.PageBlocks gathers consecutive text and shows it as one element: what it gathers goes
    through the same scan as what an element shows."""
    tree = ast.parse((ROOT / "tsk" / "ui" / "report.py").read_text(encoding="utf-8"))
    gathered = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and n.func.attr == "append" and ast.unparse(n.func.value) == "self._text"]
    assert len(gathered) >= 5  # text, lead, bullets, a table's and a chart's title
    assert [ast.unparse(bad) for n in gathered for bad in _unsafe(n.args[0])] == []


def test_the_scan_finds_a_stored_value_shown_unescaped():
    tree = ast.parse('st.warning(f"{r.reporter} tystnade")')
    call = tree.body[0].value
    assert [ast.unparse(b) for b in _unsafe(call.args[0])] == ["r.reporter"]


def test_a_table_cell_is_left_alone_unless_markdown_could_act_on_it():
    from tsk.safe_text import cell

    for plain_text in ("0,25", "1\u00a0234", "Torget, Byn", "12 %", "2026-12-09", "–", "Skadegörelse (klotter)"):
        assert cell(plain_text) == plain_text
    for hostile in ("![r](http://x.invalid/i.png)", "[klicka](http://x.invalid)", "<img src=x>", ":red[x]",
                    "**fet**", "www.x.invalid", "anna@x.invalid", "$x$"):
        assert cell(hostile) == lit(hostile), hostile
