"""Plotly figure builders. No Streamlit, no database: each takes a tidy DataFrame and returns a Figure.

Conventions:
- Swedish number format (decimal comma, space as thousands separator) through `layout.separators`;
  ISO weeks on week axes ("v47 2026").
- `meeting=True` is the projector view: large type, thick lines, a high-contrast colour-blind-safe
  palette (Okabe–Ito), and values printed on the chart, since nobody can hover on a projector.
- Every share is printed with its n; a change of scale is drawn as a break with a label.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tsk.formatting import fmt_dec, fmt_int, fmt_pct
from tsk.i18n import t
from tsk.safe_text import plain

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
STATUS_COLOURS = {"rapporterat": "#0072B2", "vantar_pa_rattning": "#009E73", "inget_att_rapportera": "#56B4E9",
                  "saknas": "#D55E00"}
# Past eight series the colours repeat with another dash (lines) or hatching (bars), so that every one of
# the eleven EST categories stays distinct.
DASHES = ("solid", "dash", "dot")
PATTERNS = ("", "/", ".")


def series_style(i: int) -> tuple[str, str, str]:
    """(colour, line dash, bar pattern) of the i-th series: unique for the first 24 series."""
    return OKABE_ITO[i % len(OKABE_ITO)], DASHES[(i // len(OKABE_ITO)) % len(DASHES)], \
        PATTERNS[(i // len(OKABE_ITO)) % len(PATTERNS)]


# Axis text (ticks, axis titles): st.plotly_chart's theme draws it in #808495, 3.7:1 on white, under the 4.5:1
# WCAG 2.1 asks of text (1.4.3); Streamlit's own text colour instead.
AXIS_TEXT = "#262730"


def _luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of a #rrggbb colour."""
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def readable_on_white(colour: str, ratio: float = 4.5) -> str:
    """`colour` mixed with just enough black to stand `ratio`:1 against white (WCAG 2.1 1.4.3): a value
    label in its series' colour stays recognisably that colour and is readable (Okabe–Ito's orange, sky
    blue and yellow stand 1.2–2.2:1 as they are)."""
    for step in range(21):
        k = 1 - step / 20
        mixed = "#" + "".join(f"{round(int(colour[i:i + 2], 16) * k):02x}" for i in (1, 3, 5))
        if 1.05 / (_luminance(mixed) + 0.05) >= ratio:
            return mixed
    return "#000000"


SEQUENTIAL = [[0.0, "#f7fbff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"]]
FONT = "Source Sans Pro, Arial, sans-serif"


def _size(meeting: bool) -> dict:
    return {"font": 26 if meeting else 15, "title": 32 if meeting else 19, "line": 5 if meeting else 2.5,
            "marker": 14 if meeting else 7, "text": 22 if meeting else 13, "tick": 20 if meeting else 13}


def style(fig: go.Figure, *, title: str, meeting: bool, height: int | None = None, legend: bool = True) -> go.Figure:
    s = _size(meeting)
    fig.update_layout(
        title={"text": plain(title), "font": {"size": s["title"]}, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": s["font"], "color": "#111111"},
        separators=", ",
        template="plotly_white",
        colorway=OKABE_ITO,
        height=height or (680 if meeting else 480),
        margin={"l": 70, "r": 30, "t": 80 if meeting else 60, "b": 60},
        showlegend=legend,
        # Below the plot: a legend above it collides with the title once it wraps.
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0, "font": {"size": s["font"]}},
        hoverlabel={"font": {"size": s["font"]}},
    )
    # A bar label that does not fit at a readable size is left out (the table view has every number),
    # never shrunk to a few pixels or stacked on its neighbour.
    fig.update_layout(uniformtext={"minsize": MEETING_MIN_TEXT if meeting else 12, "mode": "hide"})
    # Explicit axis fonts: st.plotly_chart's theme otherwise sets every tick label to 12 px.
    for axes in (fig.update_xaxes, fig.update_yaxes):
        axes(tickfont={"size": s["tick"], "color": AXIS_TEXT}, title_font={"size": s["font"], "color": AXIS_TEXT},
             automargin=True)
    fig.for_each_xaxis(lambda axis: _readable_log_ticks(axis, meeting=meeting))
    _edge_bars(fig, meeting=meeting)
    _contrast_marks(fig)
    if meeting:
        _at_least(fig, MEETING_MIN_TEXT)
    return fig


# WCAG 2.1 (1.4.11, non-text contrast 3:1): Okabe–Ito's orange, sky blue and yellow stand 1.2–2.2:1 against
# the white page, so a bar in them is told from the background by a black edge; every bar gets it, so the
# segments of a stacked bar are told apart too. Black keeps 3:1 even on a faded small-sample bar (opacity
# 0.45 fades the edge with the fill).
BAR_EDGE = "#000000"


def _edge_bars(fig: go.Figure, *, meeting: bool) -> None:
    """A black edge on every bar that has none of its own."""
    for trace in fig.data:
        if trace.type in ("bar", "barpolar") and not trace.marker.line.width:
            trace.marker.line = {"color": BAR_EDGE, "width": 1.5 if meeting else 1}


# WCAG 2.1 (1.4.11) for lines and points: 3:1 against the white page. A line has no edge to lend it contrast,
# so a light series colour is darkened, keeping its hue: its value labels (4.5:1) still match it.
NON_TEXT_CONTRAST, TEXT_CONTRAST = 3.0, 4.5  # WCAG 2.1 1.4.11 and 1.4.3


def _contrast_marks(fig: go.Figure) -> None:
    """Every line, and every point without an edge of its own, in its colour darkened to 3:1 on white; every
    value label and annotation in a colour of its own darkened to 4.5:1 (a label in its series' colour)."""
    for trace in fig.data:
        if trace.type != "scatter":
            continue
        if trace.line.color:
            trace.line.color = _darkened(trace.line.color, NON_TEXT_CONTRAST)
        edge = trace.marker.line.width
        if trace.marker.color is not None and not (isinstance(edge, (int, float)) and edge > 0):
            trace.marker.color = _darkened(trace.marker.color, NON_TEXT_CONTRAST)
        if trace.textfont.color is not None:
            trace.textfont.color = _darkened(trace.textfont.color, TEXT_CONTRAST)
    for note in fig.layout.annotations:
        if note.font.color is not None:
            note.font.color = _darkened(note.font.color, TEXT_CONTRAST)


def _darkened(colour, ratio: float):
    """A #rrggbb colour (or a list of them) at `ratio`:1 on white; anything else (a colour scale's numbers)
    as it is."""
    if isinstance(colour, str):
        return readable_on_white(colour, ratio) if len(colour) == 7 and colour[0] == "#" else colour
    if isinstance(colour, (list, tuple)):
        return [_darkened(c, ratio) for c in colour]
    return colour


# The smallest chart text in Mötesläge, in px: read from the back of the room on a 1280×720 projector.
MEETING_MIN_TEXT = 18
LOG_TICKS = (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50)
MEETING_LOG_TICKS = (0.1, 1, 10)


def _readable_log_ticks(axis, *, meeting: bool) -> None:
    """A log axis labels its decades in small digits («2», «5») between the full labels: give it plain
    ticks in full size, with a decimal comma, never turned on their side. In Mötesläge the decades only:
    with the sidebar open the plot is a few hundred pixels wide, and ten ticks were turned and crowded
    (each row prints its own ratio)."""
    if axis.type == "log":
        ticks = MEETING_LOG_TICKS if meeting else LOG_TICKS
        axis.update(tickvals=list(ticks), ticktext=[fmt_dec(v, 2).rstrip("0").rstrip(",") for v in ticks],
                    tickangle=0)


def _at_least(fig: go.Figure, px: int) -> None:
    """No text of the figure under `px`: data labels and annotations set smaller by a chart are raised."""
    for trace in fig.data:
        font = getattr(trace, "textfont", None)
        if font is not None and font.size is not None and not isinstance(font.size, (list, tuple)) \
                and font.size < px:
            trace.textfont.size = px
    for note in fig.layout.annotations:
        if note.font.size is None or note.font.size < px:
            note.font.size = px


def _plain(values) -> list:
    """Category values for an axis or hover text: text HTML-escaped (plotly renders <a>, <span style>,
    <b> in labels), everything else as it is."""
    return [plain(v) if isinstance(v, str) else v for v in values]


def _value_text(value: float) -> str:
    """A label's number as written: whole numbers without decimals, an index such as 2,74 with two."""
    return fmt_int(value) if float(value).is_integer() else fmt_dec(value, 2)


def end_labels(ends: list[tuple], *, span: float, min_gap: float = 0.07) -> list[tuple]:
    """The line-end labels that can be printed without touching each other: (x, y, name, colour) per
    line, highest first; a line ending at 0 gets no label (nine «0» labels would pile up on the axis).
    Lines ending on the same point share one label naming them all, in the axis' colour (the meeting
    reads every line's last value); a label closer than `min_gap` of the axis span to one already kept
    is dropped. The legend and the table view still name every line."""
    kept: list[tuple] = []
    gap = max(span, 1e-9) * min_gap
    for end in sorted(ends, key=lambda e: -e[1]):
        same = next((i for i, k in enumerate(kept) if (k[0], k[1]) == (end[0], end[1])), None)
        if same is not None:
            x, y, names, _ = kept[same]
            kept[same] = (x, y, f"{names}, {end[2]}", AXIS_TEXT)
        elif end[1] != 0 and not any(abs(end[1] - k[1]) < gap for k in kept):
            kept.append(end)
    return kept


def _legend_below_week_ticks(fig: go.Figure) -> None:
    """A legend under two-line week ticks («v27» over «2025») stands at the figure's bottom edge: a share
    of the plot's height below it (style's default) was less than the ticks under a low plot, or when many
    entries wrap into rows and shrink the plot, and covered them."""
    fig.update_layout(legend={"yref": "container", "yanchor": "bottom", "y": 0})


def _week_axis(fig: go.Figure, period: str) -> None:
    if period == "year":  # years are categories: «2021» … «2026», never a date or a number scale
        fig.update_xaxes(type="category")
        return
    if period == "week":
        fig.update_xaxes(tickformat="v%V<br>%G", hoverformat="v%V %G")
    else:
        # Numeric months: plotly's month names are English unless a locale bundle is loaded.
        fig.update_xaxes(tickformat="%Y-%m", hoverformat="%Y-%m")


def trend_figure(df: pd.DataFrame, *, x: str, y: str, group: str, labels: dict[str, str], title: str,
                 y_title: str, period: str = "week", meeting: bool = False,
                 events: list[tuple[pd.Timestamp, str]] | None = None,
                 partial: dict | None = None) -> go.Figure:
    """One line per group over time. df columns: x (dates), y (numbers), group. `labels` maps group keys
    to display names. In meeting mode each line ends in a printed label with its last value. `partial`
    (analysis.partial_months) names the periods the window covers only in part: their points are open
    rings, and the hover says so, since a cut month looks like a drop."""
    s = _size(meeting)
    fig = go.Figure()
    ends: list[tuple] = []
    partial = {pd.Timestamp(k): v for k, v in (partial or {}).items()}
    for i, (key, part) in enumerate(df.groupby(group, sort=False)):
        part = part.sort_values(x)
        name = plain(labels.get(key, str(key)))
        cut = [pd.Timestamp(v) in partial for v in part[x]]
        fig.add_trace(go.Scatter(
            x=part[x], y=part[y], name=name, mode="lines+markers" if period != "week" else "lines",
            line={"width": s["line"], "color": series_style(i)[0], "dash": series_style(i)[1]},
            marker={"size": [s["marker"] + 4 if c else s["marker"] for c in cut],
                    "symbol": ["circle-open" if c else "circle" for c in cut],
                    "line": {"width": [2 if c else 0 for c in cut]}},
            customdata=[t("fig_partial_period") if c else "" for c in cut],
            hovertemplate=f"{name}: %{{y}} %{{customdata}}<extra></extra>",
        ))
        if meeting and not part.empty:
            last = part.iloc[-1]
            ends.append((last[x], float(last[y]), name, series_style(i)[0]))
    categories = sorted(df[x].unique().tolist()) if period == "year" and not df.empty else []
    longest = 0
    if meeting:
        for end_x, end_y, name, colour in end_labels(ends, span=float(df[y].max()) if not df.empty else 0.0):
            longest = max(longest, len(f"{name}: {_value_text(end_y)}"))
            if categories:
                # On a category axis an annotation's x is the category's position: the text «2026» would be
                # read as the number 2026 and stretch the axis to it, piling every year at the left.
                end_x = categories.index(end_x)
            fig.add_annotation(x=end_x, y=end_y, text=f"<b>{name}: {_value_text(end_y)}</b>", showarrow=False,
                               xanchor="left", xshift=8, font={"size": s["text"], "color": colour})
    for when, label in events or []:
        fig.add_vline(x=when, line={"dash": "dash", "color": "#444444", "width": 2})
        fig.add_annotation(x=when, y=1, yref="paper", text=plain(label), showarrow=False, xanchor="left", yanchor="top",
                           font={"size": s["text"]})
    _week_axis(fig, period)
    if categories:
        fig.update_xaxes(categoryorder="array", categoryarray=categories, range=[-0.5, len(categories) - 0.5])
    if not df.empty and period in ("week", "month"):
        # A month's point sits on its first day: half a month each side, so the end points (the ones a cut
        # window marks with a ring) are drawn whole.
        pad = pd.Timedelta(days=15 if period == "month" else 0)
        fig.update_xaxes(range=[pd.Timestamp(df[x].min()) - pad, pd.Timestamp(df[x].max()) + pad])
    fig.update_yaxes(title=y_title, rangemode="tozero")
    style(fig, title=title, meeting=meeting)
    if period != "year":
        _legend_below_week_ticks(fig)
    if meeting:
        # Room right of the plot for the longest end label (bold, about 0.62 em a character).
        fig.update_layout(margin={"r": max(300, round(longest * s["text"] * 0.62) + 30)})
    return fig


def heat_table_figure(df: pd.DataFrame, *, row: str, col: str, value: str, title: str, meeting: bool = False,
                      col_format: str = "week") -> go.Figure:
    """A heat table (e.g. area × week) with every value printed in its cell."""
    wide = df.pivot_table(index=row, columns=col, values=value, aggfunc="sum", fill_value=0).sort_index()
    s = _size(meeting)
    fig = go.Figure(go.Heatmap(
        z=wide.values, x=_plain(wide.columns), y=_plain(wide.index), colorscale=SEQUENTIAL,
        text=wide.values, texttemplate="%{text}", textfont={"size": s["text"] - 2},
        hovertemplate="%{y}, %{x}: %{z}<extra></extra>", colorbar={"title": "Antal"}, xgap=1, ygap=1,
    ))
    if col_format == "week":
        fig.update_xaxes(tickformat="v%V<br>%G")
    fig.update_yaxes(autorange="reversed")
    return style(fig, title=title, meeting=meeting, height=max(300, 90 + len(wide) * (60 if meeting else 34)),
                 legend=False)


MONTHS_SV = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def arshjul_figure(df: pd.DataFrame, *, labels: dict[str, str], title: str, meeting: bool = False) -> go.Figure:
    """The year wheel: reports per month and category (average per year). df: month, category, per_year.

    Normal view: a polar bar chart, the wheel the EST method draws. Meeting view: the same numbers as a
    month × category table with the values printed, readable from the back of the room."""
    if meeting:
        frame = df.assign(category=df["category"].map(lambda c: labels.get(c, c)),
                          month=df["month"].map(lambda m: MONTHS_SV[m - 1]), per_year=df["per_year"].round(1))
        fig = heat_table_figure(frame, row="category", col="month", value="per_year", title=title, meeting=True,
                                col_format="month")
        fig.update_xaxes(categoryorder="array", categoryarray=MONTHS_SV)
        return fig
    fig = go.Figure()
    for i, (key, part) in enumerate(df.groupby("category", sort=False)):
        per_year = part.set_index("month")["per_year"].reindex(range(1, 13), fill_value=0)
        fig.add_trace(go.Barpolar(
            r=per_year, theta=MONTHS_SV, name=plain(labels.get(key, key)),
            marker_color=series_style(i)[0], marker_pattern_shape=series_style(i)[2],
            hovertemplate=f"{plain(labels.get(key, key))}, %{{theta}}: %{{r:.1f}} {t('fig_per_year')}<extra></extra>",
        ))
    fig.update_layout(polar={"angularaxis": {"direction": "clockwise", "rotation": 90}}, barmode="stack")
    return style(fig, title=title, meeting=False, height=520)


def share_figure(df: pd.DataFrame, *, title: str, y_title: str, meeting: bool = False,
                 scale_labels: dict[str, str] | None = None, suppressed_text: str = "") -> go.Figure:
    """Shares over years with 95 % intervals, one small panel per group (lines of many areas in one panel
    hide each other's labels).

    The share is printed above its interval (a label beside the point is crossed by the line to the next
    year); n, and «osäker» for a small sample, stand under the year on the panel's own axis, where no line
    runs. df columns: year, group, scale, share, low, high, n, suppressed (small_sample optional). Points
    on different scales are never joined by a line; a dashed line marks the first year of a new scale,
    named once in the legend."""
    from plotly.subplots import make_subplots

    s = _size(meeting)
    groups = list(dict.fromkeys(df["group"]))
    cols = 2 if meeting else 3
    rows = max(1, -(-len(groups) // cols))
    height = (430 if meeting else 330) * rows + 120
    # Room between rows for the year, n and «osäker» under each panel and the next panel's title.
    gap = min(0.3, (190 if meeting else 150) / height)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=_plain(groups), shared_yaxes=True,
                        vertical_spacing=gap if rows > 1 else 0.1, horizontal_spacing=0.04)
    scale_labels = scale_labels or {}
    scales = list(dict.fromkeys(df.sort_values("year")["scale"]))
    years = sorted(df["year"].unique())
    top = float(df["high"].max()) if df["high"].notna().any() else 1.0
    in_legend: set = set()
    for i, g in enumerate(groups):
        r, c = i // cols + 1, i % cols + 1
        part = df[df["group"] == g].sort_values("year")
        for _, seg in part.groupby((part["scale"] != part["scale"].shift()).cumsum()):
            scale = seg["scale"].iloc[0]
            colour = OKABE_ITO[scales.index(scale) % len(OKABE_ITO)]
            shown = seg[~seg["suppressed"]]
            small = _small(shown)
            fig.add_trace(go.Scatter(
                x=shown["year"], y=shown["share"], mode="lines+markers",
                name=plain(scale_labels.get(scale, scale)), legendgroup=scale, showlegend=scale not in in_legend,
                line={"width": s["line"], "color": colour},
                marker={"size": s["marker"], "color": colour,
                        "symbol": ["circle-open" if few else "circle" for few in small]},
                error_y={"type": "data", "symmetric": False, "array": shown["high"] - shown["share"],
                         "arrayminus": shown["share"] - shown["low"], "thickness": s["line"] / 2, "width": 4},
                customdata=[[fmt_pct(v), fmt_int(n)] for v, n in zip(shown["share"], shown["n"])],
                hovertemplate="%{x}: %{customdata[0]} (n=%{customdata[1]})<extra>" + plain(g) + "</extra>",
                cliponaxis=False,
            ), row=r, col=c)
            in_legend.add(scale)
            fig.add_trace(go.Scatter(
                x=shown["year"], y=shown["high"], mode="text", text=[fmt_pct(v) for v in shown["share"]],
                textposition="top center", textfont={"size": s["text"] - 2, "color": colour},
                showlegend=False, hoverinfo="skip", cliponaxis=False,
            ), row=r, col=c)
            for _, row in seg[seg["suppressed"]].iterrows():
                fig.add_annotation(x=row["year"], y=0.02, text=suppressed_text, showarrow=False, yanchor="bottom",
                                   textangle=-90, font={"size": s["text"] - 4, "color": "#555555"}, row=r, col=c)
        under = {int(y): f"{y}<br>n={fmt_int(n)}" + (f"<br>{t('fig_small_mark')}" if few else "")
                 for y, n, few in zip(part["year"], part["n"], _small(part))
                 if not part.loc[part["year"] == y, "suppressed"].any()}
        # Never turned on their side (a narrow panel, the sidebar open in Mötesläge, turned them into a pile).
        fig.update_xaxes(tickvals=years, ticktext=[under.get(int(y), str(y)) for y in years], tickangle=0,
                         row=r, col=c)
    # Legend entries for every scale (a scale may appear only in suppressed points).
    for scale in scales:
        if scale not in in_legend:
            colour = OKABE_ITO[scales.index(scale) % len(OKABE_ITO)]
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=plain(scale_labels.get(scale, scale)),
                                     legendgroup=scale, marker={"size": s["marker"], "color": colour}))
    by_year = df.sort_values("year").drop_duplicates("year").set_index("year")["scale"]
    previous = None
    for year, scale in by_year.items():
        if previous is not None and scale != previous:
            fig.add_vline(x=year - 0.5, line={"dash": "dash", "color": "#444444", "width": 1.5})
        previous = scale
    fig.update_xaxes(range=[years[0] - 0.5, years[-1] + 0.5])
    end = min(1.0, top * 1.2 + 0.12)
    fig.update_yaxes(range=[0, end], **share_ticks(end))
    fig.update_yaxes(title=y_title, col=1)
    style(fig, title=title, meeting=meeting, height=height)
    fig.update_annotations(font_size=s["font"])
    if meeting:  # three-line years («2023», «n=22», «osäker») side by side in a narrow panel: the smallest size
        fig.update_xaxes(tickfont_size=MEETING_MIN_TEXT)
    return fig


def _small(part: pd.DataFrame) -> list[bool]:
    """Which rows rest on a small sample (the `small_sample` column of stats.suppress; none without it)."""
    if "small_sample" not in part:
        return [False] * len(part)
    return [bool(v) for v in part["small_sample"]]


def share_label(share: float, n: int, small: bool, *, one_line: bool = False) -> str:
    """A share's printed label: the share, its n, and the small-sample mark where it applies."""
    parts = [fmt_pct(share), f"n={fmt_int(n)}"] + ([t("fig_small_mark")] if small else [])
    return (" · " if one_line else "<br>").join(parts)


def share_ticks(end: float) -> dict:
    """Ticks of a share axis that runs from 0 to `end`, written the Swedish way («20 %»: plotly's «.0%» has no
    space), four to seven of them, and none past 100 % (a bar's label may need the room, a share never does)."""
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25) if min(end, 1.0) / s <= 6)
    values = [round(i * step, 4) for i in range(int(min(end, 1.0) / step + 1e-9) + 1)]
    return {"tickvals": values, "ticktext": [fmt_pct(v) for v in values]}


def grouped_share_bars(df: pd.DataFrame, *, x: str, group: str, title: str, y_title: str, meeting: bool = False,
                       suppressed_text: str = "", legend: bool = True) -> go.Figure:
    """Shares as horizontal bars (e.g. Träffpunkt area × round), one row per bar, with the share, n and
    the small-sample mark printed on one line after it. Lying down, every bar has a row of its own for its
    label: standing, fifteen bars at 1280 px left labels wider than their bars, which overlapped or had
    to be hidden (and n with them). df columns: x, group, share, n, suppressed (small_sample optional)."""
    s = _size(meeting)
    fig = go.Figure()
    categories = list(dict.fromkeys(_plain(df[x])))
    for i, (g, part) in enumerate(df.groupby(group, sort=True)):
        small = _small(part)
        text = [suppressed_text if sup else share_label(v, n, few, one_line=True)
                for v, n, sup, few in zip(part["share"], part["n"], part["suppressed"], small)]
        fig.add_trace(go.Bar(
            y=_plain(part[x]), x=part["share"].where(~part["suppressed"], 0), name=plain(g), text=text,
            orientation="h", textposition="outside", textfont={"size": s["text"] - (0 if meeting else 1)},
            # A small sample: a faded, hatched bar and «osäker» in its label, in both modes.
            marker={"color": OKABE_ITO[i % len(OKABE_ITO)], "opacity": [0.45 if few else 1.0 for few in small],
                    "pattern": {"shape": ["/" if few else "" for few in small]}},
            hovertemplate="%{y}: %{text}<extra>" + plain(g) + "</extra>", cliponaxis=False,
        ))
    groups = df[group].nunique() or 1
    bar_px = 34 if meeting else 24
    height = len(categories) * groups * bar_px + len(categories) * (30 if meeting else 20) + 220
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.05)
    # The first category at the top, as in the table; the bars of a category in legend order, top down.
    fig.update_yaxes(categoryorder="array", categoryarray=categories, autorange="reversed")
    top = df["share"].max() if not df.empty else 0
    # Room to the right of the longest bar for its label («37 % · n=1 234 · osäker»).
    end = max(0.1, float(top if top == top else 0)) * 1.6
    fig.update_xaxes(title=y_title, range=[0, end], **share_ticks(end))
    return style(fig, title=title, meeting=meeting, height=height, legend=legend)


def coverage_figure(df: pd.DataFrame, *, title: str, status_labels: dict[str, str], meeting: bool = False) -> go.Figure:
    """Reporter × week grid: reported / waiting for a correction / nothing to report / missing, so silence is
    never read as calm. df columns: reporter, week_start, status; status_labels: the states to show."""
    # Reported states first, missing last; a submission waiting in quarantine was reported.
    order = [k for k in STATUS_COLOURS if k in status_labels]
    codes = {k: len(order) - 1 - i for i, k in enumerate(order)}  # saknas = 0
    wide = df.assign(code=df["status"].map(codes)).pivot_table(
        index="reporter", columns="week_start", values="code", aggfunc="max")
    top = len(order) - 1
    scale = []
    for code in range(len(order)):
        colour = STATUS_COLOURS[order[top - code]]
        scale += [[code / (top + 1), colour], [(code + 1) / (top + 1), colour]]
    names = {v: status_labels[k] for k, v in codes.items()}
    text = [[names.get(v, "") for v in row] for row in wide.values]
    fig = go.Figure(go.Heatmap(
        z=wide.values, x=list(wide.columns), y=_plain(wide.index), zmin=-0.5, zmax=top + 0.5, colorscale=scale,
        showscale=False, text=text, hovertemplate="%{y}, v%{x|%V %G}: %{text}<extra></extra>", xgap=1, ygap=1,
    ))
    # A legend for the states (heatmaps have none of their own).
    for key in order:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=status_labels[key],
                                 marker={"size": 16, "symbol": "square", "color": STATUS_COLOURS[key],
                                         "line": {"color": BAR_EDGE, "width": 1}}))  # the cells' own colour
    fig.update_xaxes(tickformat="v%V<br>%G")
    fig.update_yaxes(autorange="reversed")
    style(fig, title=title, meeting=meeting, height=max(320, 120 + len(wide) * (40 if meeting else 22)))
    _legend_below_week_ticks(fig)
    return fig


def rate_change_figure(df: pd.DataFrame, *, label: str, title: str, meeting: bool = False) -> go.Figure:
    """Rate ratios with 95 % intervals (recent period against the baseline) on a log axis; notable
    changes drawn solid, the rest grey. df columns: label, rate_ratio, ci_low, ci_high, notable, text."""
    s = _size(meeting)
    df = df.sort_values("rate_ratio")
    colours = ["#D55E00" if n and r > 1 else "#0072B2" if n else "#9a9a9a"
               for n, r in zip(df["notable"], df["rate_ratio"])]
    rr = df["rate_ratio"].clip(lower=0.05, upper=50)
    high = df["ci_high"].clip(upper=50)
    fig = go.Figure(go.Scatter(
        x=rr, y=_plain(df[label]), mode="markers", text=_plain(df["text"]),
        marker={"size": s["marker"] + 4, "color": colours},
        error_x={"type": "data", "symmetric": False, "array": high - rr,
                 "arrayminus": rr - df["ci_low"].clip(lower=0.05), "thickness": s["line"] / 2},
        hovertemplate="%{y}: %{text}<extra></extra>", cliponaxis=False,
    ))
    # The value after the interval's right end, not on the point: there the interval's line ran through it.
    fig.add_trace(go.Scatter(
        x=high, y=_plain(df[label]), mode="text", text=["\u2002" + x for x in _plain(df["text"])],
        textposition="middle right",
        textfont={"size": s["text"]}, hoverinfo="skip", cliponaxis=False,
    ))
    fig.add_vline(x=1, line={"color": "#444444", "width": 2})
    fig.update_xaxes(type="log", title=t("fig_ratio_axis"))
    style(fig, title=title, meeting=meeting, legend=False, height=max(300, 120 + len(df) * (70 if meeting else 40)))
    # Room right of the axis for the labels of intervals that reach its end.
    fig.update_layout(margin={"r": 320 if meeting else 220})
    return fig


def contribution_figure(df: pd.DataFrame, *, components: list[str], labels: dict[str, str], title: str,
                        meeting: bool = False) -> go.Figure:
    """Stacked horizontal bars: each candidate's total score split into its components, highest first,
    with the total printed at the end of each bar. df columns: unit, total, contrib_<component>…"""
    s = _size(meeting)
    df = df.sort_values("total", ascending=True)
    fig = go.Figure()
    for i, key in enumerate(components):
        col = f"contrib_{key}"
        fig.add_trace(go.Bar(
            y=_plain(df["unit"]), x=df[col], orientation="h", name=plain(labels.get(key, key)),
            marker_color=series_style(i)[0], marker_pattern_shape=series_style(i)[2],  # past eight: hatched
            hovertemplate="%{y}: %{x:.2f}<extra>" + plain(labels.get(key, key)) + "</extra>",
        ))
    fig.add_trace(go.Scatter(
        y=_plain(df["unit"]), x=df["total"], mode="text", text=[fmt_dec(v, 1) for v in df["total"]],
        textposition="middle right", textfont={"size": s["text"]}, showlegend=False, hoverinfo="skip",
    ))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=t("fig_points_axis"))
    # Ten components make a legend of several rows: measured from the plot (style's y = -0.18) it ran
    # over the axis title of a short chart. Pinned to the figure's bottom instead, with room kept for it.
    rows = -(-len(components) // (1 if meeting else 2))  # at 1280 px: one column in Mötesläge, two otherwise
    legend_px = rows * round(s["font"] * 1.8)
    height = max(360, 140 + len(df) * (64 if meeting else 36)) + legend_px
    fig = style(fig, title=title, meeting=meeting, height=height)
    fig.update_layout(legend={"yref": "container", "y": 0, "yanchor": "bottom"},
                      margin={"b": 70 + legend_px})
    return fig
