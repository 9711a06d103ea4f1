"""Chart images for the follow-up report: matplotlib with the Agg renderer, so they are drawn offline
with no browser and no internet. Each builder takes plain numbers and Swedish labels and returns PNG
bytes sized for an A4 page (16 cm wide, 200 dpi).

No Streamlit, no store. Values that the report hides (suppressed) are passed as None: no bar is drawn
and the hidden-value mark is written in its place, so a chart never shows what the table hides.
"""
from __future__ import annotations

import io
import math
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from tsk.formatting import fmt_int, fmt_pct

WIDTH_IN = 16 / 2.54
DPI = 200
# A calm palette that prints well in greyscale: the report year dark, the year before light.
CURRENT = "#1f4e79"
PREVIOUS = "#9db9d3"
ACCENT = "#c55a11"
GRID = "#d9d9d9"
TEXT = "#262626"
MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

Value = float | None


def _figure(height_in: float) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    fig.patch.set_facecolor("white")
    return fig


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#7f7f7f")
    ax.tick_params(colors=TEXT, labelsize=8)
    ax.set_axisbelow(True)


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)  # the Agg renderer: no display, no browser
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.08, facecolor="white",
                metadata={"Software": None})
    return buf.getvalue()


def _missing(v: Value) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _pct_axis(x, _pos) -> str:
    return fmt_pct(x)


def _int_axis(x, _pos) -> str:
    return fmt_int(round(x))


def grouped_bars(groups: Sequence[str], series: Sequence[tuple[str, Sequence[Value]]], *, axis_label: str,
                 share: bool, hidden_text: str, intervals: Sequence[Sequence[tuple[Value, Value]] | None] = ()
                 ) -> bytes:
    """Horizontal bars, one row per group and one bar per series (the report year first), each labelled
    with its value. `share` formats values as per cent (0..1) and adds 95 % intervals when given
    (one list of (low, high) per series, or None). None values draw no bar, only `hidden_text`."""
    n_groups, n_series = len(groups), len(series)
    height = max(1.6, 0.32 * n_groups * max(n_series, 1) + 0.9)
    fig = _figure(height)
    ax = fig.add_subplot()
    _style(ax)
    bar_h = 0.8 / max(n_series, 1)
    colours = [CURRENT, PREVIOUS, ACCENT]
    finite = [v for _, values in series for v in values if not _missing(v)]
    for ci in intervals or ():
        finite += [hi for (_, hi) in (ci or ()) if not _missing(hi)]
    top = max(finite, default=1.0) or 1.0
    pad = top * 0.015
    for s, (label, values) in enumerate(series):
        ys = [g + (s - (n_series - 1) / 2) * bar_h for g in range(n_groups)]
        shown = [0.0 if _missing(v) else float(v) for v in values]
        ax.barh(ys, shown, height=bar_h * 0.92, color=colours[s % len(colours)], label=label)
        ci = intervals[s] if s < len(intervals or ()) else None
        for g, (y, v) in enumerate(zip(ys, values)):
            if _missing(v):
                ax.text(pad, y, hidden_text, va="center", ha="left", fontsize=7, color="#595959", style="italic")
                continue
            end, has_ci = float(v), False
            if share and ci is not None and not _missing(ci[g][0]) and not _missing(ci[g][1]):
                lo, hi = float(ci[g][0]), float(ci[g][1])
                ax.plot([lo, hi], [y, y], color="#404040", linewidth=0.8, zorder=3)
                ax.plot([lo, lo], [y - bar_h * 0.2, y + bar_h * 0.2], color="#404040", linewidth=0.8, zorder=3)
                ax.plot([hi, hi], [y - bar_h * 0.2, y + bar_h * 0.2], color="#404040", linewidth=0.8, zorder=3)
                has_ci = True
            label = fmt_pct(v) if share else fmt_int(v)
            if has_ci and end > top * 0.12:
                # Inside the bar's end, so that the label is not read as the interval's upper end.
                ax.text(end - pad, y + bar_h * 0.28, label, va="center", ha="right", fontsize=7, color="white",
                        fontweight="bold", zorder=4)
            else:
                ax.text(max(end, float(ci[g][1]) if has_ci else end) + pad, y, label, va="center", ha="left",
                        fontsize=7, color=TEXT)
    ax.set_yticks(range(n_groups), list(groups))
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.18)
    ax.xaxis.set_major_formatter(FuncFormatter(_pct_axis if share else _int_axis))
    if not share:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_xlabel(axis_label, fontsize=8, color=TEXT)
    if n_series > 1:
        ax.legend(fontsize=7, frameon=False, loc="lower right")
    return _png(fig)


def share_trend(years: Sequence[int], shares: Sequence[Value], lows: Sequence[Value], highs: Sequence[Value],
                scales: Sequence[str], *, axis_label: str, scale_note: str, highlight: int | None = None) -> bytes:
    """The kommun's share per year with 95 % intervals. Years on different answer scales are drawn as
    separate line pieces (never joined), and a dashed line marks each scale change with `scale_note`."""
    fig = _figure(2.6)
    ax = fig.add_subplot()
    _style(ax)
    pieces: list[list[int]] = []
    for i, scale in enumerate(scales):
        if pieces and scales[pieces[-1][-1]] == scale:
            pieces[-1].append(i)
        else:
            pieces.append([i])
    for piece in pieces:
        xs = [years[i] for i in piece if not _missing(shares[i])]
        ys = [shares[i] for i in piece if not _missing(shares[i])]
        ax.plot(xs, ys, color=CURRENT, linewidth=1.4, marker="o", markersize=4)
    for i, year in enumerate(years):
        if _missing(shares[i]):
            continue
        if not _missing(lows[i]) and not _missing(highs[i]):
            ax.plot([year, year], [lows[i], highs[i]], color=PREVIOUS, linewidth=3, solid_capstyle="butt", zorder=1)
        ax.annotate(fmt_pct(shares[i]), (year, shares[i]), textcoords="offset points", xytext=(7, 3), fontsize=7,
                    color=TEXT)
        if highlight is not None and year == highlight:
            ax.plot([year], [shares[i]], marker="o", markersize=7, color=ACCENT, zorder=3)
    for a, b in zip(pieces, pieces[1:]):
        x = (years[a[-1]] + years[b[0]]) / 2
        ax.axvline(x, color="#7f7f7f", linestyle="--", linewidth=0.8)
        ax.text(x, 0.02, scale_note, rotation=90, fontsize=6.5, color="#595959", va="bottom", ha="right",
                transform=ax.get_xaxis_transform())
    finite = [h for h in highs if not _missing(h)] + [s for s in shares if not _missing(s)]
    ax.set_ylim(0, max(finite, default=0.5) * 1.25)
    ax.set_xticks(list(years), [str(y) for y in years])
    ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
    ax.yaxis.set_major_formatter(FuncFormatter(_pct_axis))
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_ylabel(axis_label, fontsize=8, color=TEXT)
    return _png(fig)


def monthly_lines(series: Sequence[tuple[str, Sequence[Value]]], *, axis_label: str) -> bytes:
    """Counts per calendar month (12 values per series, None = month not covered), the report year as a
    dark line and the year before as a light one."""
    fig = _figure(2.4)
    ax = fig.add_subplot()
    _style(ax)
    colours = [CURRENT, PREVIOUS, ACCENT]
    widths = [1.8, 1.4, 1.2]
    for s, (label, values) in enumerate(series):
        xs = [m for m, v in enumerate(values) if not _missing(v)]
        ys = [values[m] for m in xs]
        ax.plot(xs, ys, color=colours[s % 3], linewidth=widths[s % 3], marker="o", markersize=3, label=label,
                zorder=3 - s)
    ax.set_xticks(range(12), MONTHS_SHORT)
    ax.set_xlim(-0.4, 11.4)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(_int_axis))
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_ylabel(axis_label, fontsize=8, color=TEXT)
    ax.legend(fontsize=7, frameon=False, loc="upper left", ncols=len(series))
    return _png(fig)
