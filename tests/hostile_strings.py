"""Hostile strings for every text field: Markdown that fetches or links, HTML that would create elements,
Streamlit's own colour/icon syntax, LaTeX, formulas. Shared by the rendering tests."""
from __future__ import annotations

OUTSIDE = "http://tsk-outside.invalid"
HOSTILE_STRINGS = [
    f"![r]({OUTSIDE}/img.png)",
    f"[klicka]({OUTSIDE}/link)",
    f'<img src="{OUTSIDE}/tag.png">',
    f'<a href="{OUTSIDE}/a">länk</a>',
    '<span style="color:red;font-size:80px">stor</span>',
    "<b>fet</b> <i>kursiv</i>",
    '<script>alert("tsk-xss")</script>',
    ":red[röd] :material/warning: :rainbow[regnbåge]",
    "$\\frac{1}{2}$ och $$x^2$$",
    "# Rubrik\n\n* punkt\n> citat",
    "**fet** _kursiv_ ~~struken~~ `kod`",
    '=HYPERLINK("http://evil.example";"Klicka")',
    f"<{OUTSIDE}/autolink>",
    "&lt;b&gt;entitet&lt;/b&gt; &amp;",
    "1. lista\n2. lista | a | b |\n|---|---|",
]
