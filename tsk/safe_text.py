"""Text stays text: the one way stored strings (names, reporters, notes, reasons, file names) reach a
page, a chart or a map.

Streamlit renders st.markdown, st.caption, st.warning, st.info, st.error and st.success as Markdown
(images and links fetch and open outside addresses, `:red[...]` colours, `$…$` typesets); plotly renders
a subset of HTML in labels and hover text (`<a href>`, `<span style>`, `<b>`); folium popups are HTML.
Every stored string is passed through one of these before it is shown:

- `lit(value)`: for the Markdown elements — every Markdown, HTML and Streamlit special character
  escaped, line breaks kept as spaces, so the text shows literally;
- `say(key, **params)`: tsk.i18n.t with every str parameter passed through `lit` (the message's own
  Markdown stays Markdown);
- `plain(value)`: for plotly labels and hover text — HTML-escaped, which plotly shows literally.
folium popups and tooltips go through tsk.maps.esc (HTML escaping) in the same spirit.
"""
from __future__ import annotations

import html
import re

from tsk.i18n import t

# Every ASCII punctuation character: CommonMark makes each literal after a backslash, which covers
# Markdown, GFM (tables, autolinks, strikethrough), HTML and Streamlit's own syntax (`:red[…]`, `$…$`).
_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]+")


def lit(value) -> str:
    """`value` as Markdown that renders as exactly its text (None as "")."""
    if value is None:
        return ""
    return _SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", str(value)))


def say(key: str, **params) -> str:
    """The Swedish message `key` with every text parameter shown literally."""
    return t(key, **{k: lit(v) if isinstance(v, str) else v for k, v in params.items()})


def plain(value) -> str:
    """`value` for a plotly label or hover text: HTML-escaped, shown literally (None as "")."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)
