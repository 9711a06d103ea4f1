"""Text stays text: the one way stored strings (names, reporters, notes, reasons, file names) reach a
page, a chart or a map.

Streamlit renders st.markdown, st.caption, st.warning, st.info, st.error and st.success as Markdown
(images and links fetch and open outside addresses, `:red[...]` colours, `$…$` typesets); plotly renders
a subset of HTML in labels and hover text (`<a href>`, `<span style>`, `<b>`); folium popups are HTML.
Every stored string is passed through one of these before it is shown:

- `lit(value)`: for the Markdown elements — every ASCII punctuation character as a character
  reference, line breaks as spaces, so the text shows literally (and a bare URL is no link);
- `say(key, **params)`: tsk.i18n.t with every str parameter passed through `lit` (the message's own
  Markdown stays Markdown);
- `cell(value)`: for a cell of st.table (Mötesläge's tables render their cells as Markdown): `lit`
  when the cell holds anything Markdown or HTML could act on;
- `plain(value)`: for plotly labels and hover text — HTML-escaped, which plotly shows literally.
folium popups and tooltips go through tsk.maps.esc (HTML escaping) in the same spirit.
"""
from __future__ import annotations

import html
import re

from tsk.i18n import t

# Every ASCII punctuation character, written as a numeric character reference (`&#58;` for ":"):
# CommonMark shows it as that character and never as syntax — Markdown, GFM tables and strikethrough,
# HTML and Streamlit's own syntax (`:red[…]`, `$…$`). A backslash escape would not do: GFM still
# turns an escaped "http\://…" into a link, a reference breaks the address so it stays text.
_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit's Markdown turns a bare address in the text into a link, even with its punctuation escaped
# ("http://…", "www.…", "anna@example.se"): an invisible word joiner before the ":", "." or "@" keeps
# it text, and the text looks exactly the same.
JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(\b(?:https?|ftp|mailto|file|data|javascript)|\bwww|[\w.+-])([:.@])(?=[/\w])")
_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]+")


def lit(value) -> str:
    """`value` as Markdown that renders as exactly its text (None as "")."""
    if value is None:
        return ""
    text = _AUTOLINK.sub("\\1" + JOINER + "\\2", _BREAKS.sub(" ", str(value)))
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group(1))};", text)


# What Markdown, HTML or Streamlit could act on in a table cell: brackets and angle brackets (links,
# images, tags, `:red[…]`), emphasis and code marks, `$`, `\`, `|`, `#`, `:` (emoji codes), `&`
# (references), `@` and bare addresses (autolinks). A cell without any of them is shown as it is.
_ACTIVE = re.compile(r"[\[\]<>!*_`~$\\|#:&@]|(?i:https?|www\.)")


def cell(value: str) -> str:
    """A cell of a Markdown-rendered table (st.table in Mötesläge): unchanged when nothing in it could be
    read as syntax (so «1 234», «0,25» and «Torget, Byn» stay as they are), else `lit`."""
    return lit(value) if _ACTIVE.search(value) else value


def say(key: str, /, **params) -> str:
    """The Swedish message `key` with every text parameter shown literally."""
    return t(key, **{k: lit(v) if isinstance(v, str) else v for k, v in params.items()})


def plain(value) -> str:
    """`value` for a plotly label or hover text: HTML-escaped, shown literally (None as "")."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)
