"""Figure builders, asserted on the plotly spec: values and n printed, scale changes marked, Swedish
number format, meeting mode larger with labels."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from tsk import figures


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def shares() -> pd.DataFrame:
    return pd.DataFrame({
        "year": [2021, 2022, 2023, 2024, 2021, 2022, 2023, 2024],
        "group": ["Högvad"] * 4 + ["Kalv-området"] * 4,
        "scale": ["trygg5", "trygg5", "trygg4", "trygg5"] * 2,
        "share": [0.30, 0.25, 0.40, 0.20, 0.5, float("nan"), 0.3, 0.1],
        "low": [0.2, 0.15, 0.3, 0.1, 0.3, float("nan"), 0.1, 0.02],
        "high": [0.4, 0.35, 0.5, 0.3, 0.7, float("nan"), 0.5, 0.3],
        "n": [120, 100, 90, 130, 12, 3, 20, 25],
        "suppressed": [False, False, False, False, False, True, False, False],
    })


def test_share_figure_prints_share_and_n_and_never_joins_scales():
    fig = spec(figures.share_figure(shares(), title="T", y_title="Andel", suppressed_text="färre än 5 svar",
                                    scale_labels={"trygg5": "5 steg", "trygg4": "4 steg"}))
    texts = [t for tr in fig["data"] for t in (tr.get("text") or [])]
    ticks = [t for k, ax in fig["layout"].items() if k.startswith("xaxis") for t in ax.get("ticktext", [])]
    # The share above its interval, n under the year on its panel's axis (no line runs there).
    assert "30\u00a0%" in texts and "2021<br>n=120" in ticks and "2021<br>n=12" in ticks
    built = figures.share_figure(shares(), title="T", y_title="Andel")
    label = next(tr for tr in built.data if tr.mode == "text" and "30\u00a0%" in tr.text)
    assert list(label.y)[0] == 0.4 and label.textposition == "top center"  # at the interval's top
    # 2023 is on another scale: it is its own trace (never on a line with 2022 or 2024).
    for tr in fig["data"]:
        xs = [x for x in (tr.get("x") or []) if x is not None]
        assert not (2023 in xs and len(xs) > 1), tr
    # The suppressed group-year shows the text instead of a number.
    assert any(a["text"] == "färre än 5 svar" for a in fig["layout"]["annotations"])
    assert not any("n=3" in t for t in texts + ticks) and "2022" in ticks
    # A dashed line before each scale change (2023 and back in 2024).
    dashed = [s for s in fig["layout"]["shapes"] if s["line"]["dash"] == "dash"]
    assert sorted({s["x0"] for s in dashed}) == [2022.5, 2023.5]  # drawn in every panel
    legend = [tr["name"] for tr in fig["data"] if tr.get("showlegend", True) and tr.get("mode") != "text"]
    assert sorted(legend) == ["4 steg", "5 steg"]  # each scale named once
    assert fig["layout"]["separators"] == ", "


def test_trend_figure_prints_last_values_in_meeting_mode_only():
    df = pd.DataFrame({"period_start": pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16"] * 2),
                       "category": ["klotter"] * 3 + ["brand"] * 3, "reports": [1, 2, 3, 4, 5, 6]})
    normal = spec(figures.trend_figure(df, x="period_start", y="reports", group="category",
                                       labels={"klotter": "Klotter", "brand": "Anlagda bränder"}, title="T",
                                       y_title="Antal"))
    meeting = spec(figures.trend_figure(df, x="period_start", y="reports", group="category",
                                        labels={"klotter": "Klotter", "brand": "Anlagda bränder"}, title="T",
                                        y_title="Antal", meeting=True))
    assert not normal["layout"].get("annotations")
    labels = [a["text"] for a in meeting["layout"]["annotations"]]
    assert labels == ["<b>Anlagda bränder: 6</b>", "<b>Klotter: 3</b>"]  # highest first
    assert meeting["layout"]["font"]["size"] > normal["layout"]["font"]["size"] >= 14
    assert normal["layout"]["xaxis"]["tickformat"] == "v%V<br>%G"  # ISO weeks
    # Two lines ending on the same value: one label names both, and the margin grows to hold it.
    same = df.assign(reports=[1, 2, 3, 4, 5, 3])
    shared = spec(figures.trend_figure(same, x="period_start", y="reports", group="category",
                                       labels={"klotter": "Klotter och annan skadegörelse", "brand": "Anlagda bränder"},
                                       title="T", y_title="Antal", meeting=True))
    assert [a["text"] for a in shared["layout"]["annotations"]] == ["<b>Klotter och annan skadegörelse, Anlagda bränder: 3</b>"]
    assert shared["layout"]["margin"]["r"] > meeting["layout"]["margin"]["r"] == 300


def test_heat_table_prints_every_value():
    df = pd.DataFrame({"area": ["A", "A", "B"], "period_start": pd.to_datetime(["2026-11-02", "2026-11-09"] * 1
                                                                                 + ["2026-11-02"]),
                       "reports": [3, 0, 7]})
    heat = figures.heat_table_figure(df, row="area", col="period_start", value="reports", title="T").data[0]
    assert heat.texttemplate == "%{text}"
    assert heat.z.tolist() == [[3, 0], [7, 0]] and heat.text.tolist() == [[3, 0], [7, 0]]


def test_grouped_share_bars_label_each_bar_and_hide_small_groups():
    df = pd.DataFrame({"area": ["Högvad", "Kindaholm"], "round": ["2026", "2026"], "share": [0.37, float("nan")],
                       "n": [57, 4], "suppressed": [False, True]})
    bar = figures.grouped_share_bars(df, x="area", group="round", title="T", y_title="Andel",
                                     suppressed_text="färre än 5 svar").data[0]
    assert list(bar.text) == ["37\u00a0% · n=57", "färre än 5 svar"]
    # Lying down: one row per bar, so no label can be wider than the room it has.
    assert bar.orientation == "h" and list(bar.x) == [0.37, 0] and list(bar.y) == ["Högvad", "Kindaholm"]


def test_coverage_figure_names_the_three_states_in_its_legend():
    df = pd.DataFrame({"reporter": ["Skolan", "Skolan", "Biblioteket"],
                       "week_start": pd.to_datetime(["2026-11-09", "2026-11-16", "2026-11-16"]),
                       "status": ["rapporterat", "saknas", "inget_att_rapportera"]})
    labels = {"rapporterat": "Rapporterat", "inget_att_rapportera": "Inget att rapportera", "saknas": "Saknas"}
    fig = spec(figures.coverage_figure(df, title="T", status_labels=labels))
    assert [tr["name"] for tr in fig["data"][1:]] == ["Rapporterat", "Inget att rapportera", "Saknas"]
    assert fig["data"][0]["y"] == ["Biblioteket", "Skolan"]
    assert fig["data"][0]["text"] == [["", "Inget att rapportera"], ["Rapporterat", "Saknas"]]


def test_every_one_of_eleven_categories_keeps_its_own_line_style():
    """Eight colours are not enough for the eleven EST categories: past eight the lines are dashed, so
    no two categories are drawn alike (Buskörning and Skadegörelse shared a colour)."""
    import pandas as pd

    from tsk import figures

    keys = [f"k{i}" for i in range(11)]
    df = pd.DataFrame({"week": pd.Timestamp("2026-01-05"), "n": range(11), "cat": keys})
    fig = figures.trend_figure(df, x="week", y="n", group="cat", labels={}, title="t", y_title="n")
    styles = [(tr.line.color, tr.line.dash) for tr in fig.data]
    assert len(styles) == 11 and len(set(styles)) == 11
    assert len({figures.series_style(i) for i in range(24)}) == 24


# --- issue 15: charts for a projector that cannot mislead ------------------------------------------------

def _texts_px(fig) -> list[float]:
    """Every font size the figure states for text a reader sees."""
    layout = fig.layout
    sizes = [layout.title.font.size, layout.legend.font.size]
    for axis in [layout[k] for k in layout if k.startswith(("xaxis", "yaxis"))]:
        sizes += [axis.tickfont.size, axis.title.font.size]
    sizes += [a.font.size for a in layout.annotations]
    sizes += [tr.textfont.size for tr in fig.data if getattr(tr, "textfont", None) is not None
              and tr.textfont.size is not None]
    return sizes


def test_meeting_charts_state_every_text_size_at_18_px_or_more():
    df = pd.DataFrame({"year": ["2021", "2022", "2021", "2022"], "index": [2.74, 3.1, 1.0, 1.5],
                       "label": ["Skräp", "Skräp", "Klotter", "Klotter"]})
    for fig in (figures.trend_figure(df, x="year", y="index", group="label", labels={}, title="T", y_title="Y",
                                     period="year", meeting=True),
                figures.rate_change_figure(pd.DataFrame({"label": ["A", "B"], "rate_ratio": [2.0, 0.5],
                                                         "ci_low": [1.1, 0.2], "ci_high": [4.0, 1.2],
                                                         "notable": [True, False], "text": ["x", "y"]}),
                                           label="label", title="R", meeting=True)):
        sizes = _texts_px(fig)
        assert None not in sizes[2:6]  # ticks and axis titles are set, not left to Streamlit's 12 px theme
        assert min(s for s in sizes if s is not None) >= figures.MEETING_MIN_TEXT


def test_years_are_categories_and_an_index_label_keeps_its_decimals():
    df = pd.DataFrame({"year": ["2021", "2026"], "index": [2.0, 2.74], "label": ["Skräp", "Skräp"]})
    fig = figures.trend_figure(df, x="year", y="index", group="label", labels={}, title="T", y_title="Y",
                               period="year", meeting=True)
    assert fig.layout.xaxis.type == "category"
    assert fig.layout.xaxis.tickformat is None  # no month/date format on a year axis
    assert [a.text for a in fig.layout.annotations] == ["<b>Skräp: 2,74</b>"]


def test_a_year_axis_label_sits_on_its_category_and_the_axis_spans_the_years_only():
    """On a category axis an annotation's x is the category's position; the text «2026» was read as the
    number 2026 and stretched the axis, piling every year at its left edge (seen in Mötesläge)."""
    df = pd.DataFrame({"year": ["2021", "2022", "2023", "2021", "2022", "2023"], "index": [2.0, 2.5, 2.74, 1, 1.2, 1.4],
                       "label": ["Skräp"] * 3 + ["Klotter"] * 3})
    fig = figures.trend_figure(df, x="year", y="index", group="label", labels={}, title="T", y_title="Y",
                               period="year", meeting=True)
    assert list(fig.layout.xaxis.categoryarray) == ["2021", "2022", "2023"]
    assert list(fig.layout.xaxis.range) == [-0.5, 2.5]
    assert {a.x for a in fig.layout.annotations} == {2}  # the last year's position, not 2023


def test_line_end_labels_never_stack_and_zero_lines_get_none():
    ends = [("w", 0.0, f"Z{i}", "#000") for i in range(9)] + [("w", 30.0, "A", "#000"), ("w", 29.5, "B", "#000"),
                                                              ("w", 18.0, "C", "#000")]
    kept = figures.end_labels(ends, span=30.0)
    assert [k[2] for k in kept] == ["A", "C"]  # B is too close to A; the nine zeros are left to the legend
    ys = sorted(k[1] for k in kept)
    assert all(b - a >= 0.07 * 30 for a, b in zip(ys, ys[1:]))
    # Two lines ending on the same point: one label names both, in a colour of neither.
    both = figures.end_labels([("w", 3.0, "Hot", "#0072B2"), ("w", 3.0, "Narkotika", "#009E73"),
                               ("w", 4.0, "Klotter", "#E69F00"), ("v", 3.0, "Tidig", "#000")], span=7.0)
    assert [(k[2], k[3]) for k in both] == [("Klotter", "#E69F00"), ("Hot, Narkotika", figures.AXIS_TEXT)]


def test_log_axis_has_full_size_ticks_with_decimal_comma():
    fig = figures.rate_change_figure(pd.DataFrame({"label": ["A"], "rate_ratio": [0.5], "ci_low": [0.2],
                                                   "ci_high": [1.2], "notable": [False], "text": ["x"]}),
                                     label="label", title="R", meeting=False)
    assert "0,5" in fig.layout.xaxis.ticktext and "1" in fig.layout.xaxis.ticktext


def test_a_small_sample_is_marked_on_bars_and_points_in_both_modes():
    bars = pd.DataFrame({"x": ["16–29", "Vill inte ange"], "g": ["5 steg"] * 2, "share": [0.2, 0.5],
                         "n": [120, 11], "suppressed": [False, False], "small_sample": [False, True]})
    for meeting in (False, True):
        fig = figures.grouped_share_bars(bars, x="x", group="g", title="T", y_title="Y", meeting=meeting)
        bar = fig.data[0]
        assert list(bar.text) == ["20\u00a0% · n=120", "50\u00a0% · n=11 · osäker"]
        assert list(bar.marker.opacity) == [1.0, 0.45] and list(bar.marker.pattern.shape) == ["", "/"]
        assert fig.layout.uniformtext.mode == "hide"  # a label that cannot be read is left out, not shrunk
    points = pd.DataFrame({"year": [2025, 2026], "group": ["Kalv"] * 2, "scale": ["s5"] * 2, "share": [0.3, 0.4],
                           "low": [0.2, 0.2], "high": [0.4, 0.6], "n": [80, 12], "suppressed": [False, False],
                           "small_sample": [False, True]})
    fig = figures.share_figure(points, title="T", y_title="Y", meeting=True)
    line = fig.data[0]
    assert list(line.marker.symbol) == ["circle", "circle-open"]
    assert list(fig.layout.xaxis.ticktext) == ["2025<br>n=80", "2026<br>n=12<br>osäker"]


def test_a_rate_label_stands_after_its_interval_not_on_it():
    df = pd.DataFrame({"label": ["A", "B"], "rate_ratio": [2.0, 0.5], "ci_low": [1.1, 0.2], "ci_high": [4.0, 80.0],
                       "notable": [True, False], "text": ["8 mot normalt 4,0", "1 mot normalt 2,0"]})
    for meeting in (False, True):
        fig = figures.rate_change_figure(df, label="label", title="R", meeting=meeting)
        point, label = fig.data
        assert point.mode == "markers" and label.mode == "text" and label.textposition == "middle right"
        # sorted by ratio: B (0.5, interval clipped at the axis end 50), then A
        assert list(label.y) == ["B", "A"] and list(label.x) == [50.0, 4.0]
        assert [x.strip() for x in label.text] == ["1 mot normalt 2,0", "8 mot normalt 4,0"]


@pytest.mark.parametrize("meeting", [False, True])
def test_a_coverage_chart_of_few_reporters_keeps_its_legend_clear_of_the_week_ticks(meeting):
    """Three reporters made a plot so low that a legend a share of its height below it covered the years
    («2025») under the weeks: legends stand at the figure's bottom edge, below the ticks. (The browser test
    measures legend against ticks on every page: tests/test_browser_a11y.py.)"""
    df = pd.DataFrame({"reporter": ["A", "B", "C"], "week_start": pd.to_datetime(["2025-07-07"] * 3),
                       "status": ["rapporterat"] * 3})
    fig = figures.coverage_figure(df, title="T", status_labels={"rapporterat": "R", "inget_att_rapportera": "I",
                                                                 "saknas": "S"}, meeting=meeting)
    legend = fig.layout.legend
    assert (legend.yref, legend.yanchor, legend.y) == ("container", "bottom", 0)


def test_the_score_components_legend_sits_below_the_axis_title_with_room_kept_for_it():
    """Ten components make a legend of several rows; placed relative to the plot it ran over the axis
    title of a short chart (four candidates at 1280 px). It is pinned to the figure's bottom, and the
    bottom margin grows with its rows, so the plot and its axis title stay above it."""
    keys = [f"k{i}" for i in range(10)]
    df = pd.DataFrame({"unit": ["A", "B", "C", "D"], "total": [4.0, 3.0, 2.0, 1.0],
                       **{f"contrib_{k}": [0.4, 0.3, 0.2, 0.1] for k in keys}})
    for meeting, per_row in ((False, 2), (True, 1)):
        fig = figures.contribution_figure(df, components=keys, labels={k: k for k in keys}, title="x",
                                          meeting=meeting)
        font = fig.layout.font.size
        legend_px = -(-len(keys) // per_row) * round(font * 1.8)
        assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
        assert fig.layout.margin.b >= 70 + legend_px
        assert fig.layout.height >= 360 + legend_px


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1's contrast ratio of two colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def faded(colour: str, opacity: float, background: str = "#ffffff") -> str:
    """`colour` drawn at `opacity` over `background`."""
    mix = [round(opacity * int(colour[i:i + 2], 16) + (1 - opacity) * int(background[i:i + 2], 16))
           for i in (1, 3, 5)]
    return "#" + "".join(f"{v:02x}" for v in mix)


@pytest.mark.parametrize("meeting", [False, True])
def test_every_bar_is_told_from_the_white_page_at_3_to_1_by_its_fill_or_its_edge(meeting):
    """WCAG 2.1 1.4.11: the light Okabe–Ito colours (orange, sky blue, yellow) are under 3:1 on white, so
    each bar has a black edge, which keeps 3:1 on a faded small-sample bar too. Eight groups use every
    colour; the stacked contribution bars and the årshjul's polar bars get the same edge."""
    assert min(contrast(c, "#ffffff") for c in figures.OKABE_ITO) < 3  # the case this is for
    groups = [f"G{i}" for i in range(8)]
    df = pd.DataFrame({"area": ["A"] * 8, "round": groups, "share": [0.3] * 8, "n": [3] + [50] * 7,
                       "suppressed": [False] * 8})
    bars = figures.grouped_share_bars(df, x="area", group="round", title="T", y_title="Andel", meeting=meeting)
    contrib = pd.DataFrame({"unit": ["X", "Y"], "total": [3.0, 2.0],
                            **{f"contrib_c{i}": [0.3, 0.2] for i in range(8)}})
    stacked = figures.contribution_figure(contrib, components=[f"c{i}" for i in range(8)], labels={}, title="T",
                                          meeting=meeting)
    wheel = figures.arshjul_figure(pd.DataFrame({"category": ["a", "b"], "month": [1, 2], "per_year": [2.0, 3.0]}),
                                   labels={}, title="T")
    traces = [tr for fig in (bars, stacked, wheel) for tr in fig.data if tr.type in ("bar", "barpolar")]
    assert len(traces) == 8 + 8 + 2
    for trace in traces:
        fills = trace.marker.color if isinstance(trace.marker.color, str) else None
        opacities = trace.marker.opacity if isinstance(trace.marker.opacity, tuple | list) else [trace.marker.opacity or 1]
        assert trace.marker.line.width >= 1
        for opacity in opacities:
            edge = faded(trace.marker.line.color, opacity)
            fill_ok = fills is not None and contrast(faded(fills, opacity), "#ffffff") >= 3
            assert fill_ok or contrast(edge, "#ffffff") >= 3, (trace.name, fills, opacity)


@pytest.mark.parametrize("meeting", [False, True])
def test_every_line_and_unedged_point_stands_3_to_1_on_white_in_its_own_hue(meeting):
    """WCAG 2.1 1.4.11 for lines, which have no edge: the eight Okabe–Ito series of a trend, the scales of
    the survey panels and the rate ratios' points are drawn at 3:1 or more, and a light colour darkened
    for it keeps its hue (its value labels, at 4.5:1, still match it). The coverage legend's squares keep
    the cells' own colours, told from the page by a black edge."""
    weeks = pd.date_range("2026-01-05", periods=3, freq="W-MON")
    trend = pd.DataFrame({"week": list(weeks) * 8, "n": [1, 2, 3] * 8, "cat": [f"c{i}" for i in range(8) for _ in weeks]})
    figs = [figures.trend_figure(trend, x="week", y="n", group="cat", labels={}, title="T", y_title="n",
                                 period=period, meeting=meeting) for period in ("week", "month")]
    figs.append(figures.share_figure(shares(), title="T", y_title="Andel", meeting=meeting))
    figs.append(figures.rate_change_figure(pd.DataFrame({"label": ["A", "B", "C"], "rate_ratio": [2.0, 0.5, 1.1],
                                                         "ci_low": [1.5, 0.3, 0.6], "ci_high": [2.5, 0.8, 1.9],
                                                         "notable": [True, True, False], "text": ["x", "y", "z"]}),
                                           label="label", title="T", meeting=meeting))
    marks = []
    for fig in figs:
        for trace in fig.data:
            if trace.type == "scatter" and "lines" in trace.mode:
                marks.append(trace.line.color)
            if trace.type == "scatter" and "markers" in trace.mode and trace.marker.color is not None:
                colours = trace.marker.color
                marks += [colours] if isinstance(colours, str) else list(colours)
    assert len(set(marks)) >= 8
    assert all(contrast(c, "#ffffff") >= 3 for c in marks), sorted(c for c in set(marks) if contrast(c, "#ffffff") < 3)
    # Value labels and end labels in their series' colour: darkened further, to 4.5:1 as text.
    texts = [c for fig in figs for tr in fig.data if tr.type == "scatter" and tr.textfont.color
             for c in ([tr.textfont.color] if isinstance(tr.textfont.color, str) else tr.textfont.color)]
    texts += [a.font.color for fig in figs for a in fig.layout.annotations if a.font.color]
    assert len(texts) >= (9 if meeting else 2)  # the panels' labels; in Mötesläge the trends' end labels too
    assert all(contrast(c, "#ffffff") >= 4.5 for c in texts), sorted(c for c in set(texts) if contrast(c, "#ffffff") < 4.5)
    darkened = {c for c in marks if c.upper() not in figures.OKABE_ITO}
    assert len(darkened) >= 3 and all(contrast(c, "#ffffff") < 3.5 for c in darkened)  # only as far as 3:1 asks
    legend = figures.coverage_figure(pd.DataFrame({"reporter": ["S"], "week_start": pd.to_datetime(["2026-11-09"]),
                                                   "status": ["inget_att_rapportera"]}),
                                     title="T", status_labels={k: k for k in figures.STATUS_COLOURS}, meeting=meeting)
    squares = [tr for tr in legend.data if tr.type == "scatter"]
    assert {tr.marker.color for tr in squares} == set(figures.STATUS_COLOURS.values())
    assert all(tr.marker.line.width >= 1 and contrast(tr.marker.line.color, "#ffffff") >= 3 for tr in squares)


def test_share_axes_are_written_the_swedish_way_and_stop_at_100_percent():
    """«20 %» with its space (plotly's own «.0%» writes «20%»), also in the hover, and a bar chart whose
    axis runs past 100 % for its labels' room has no tick there."""
    panels = figures.share_figure(shares(), title="T", y_title="Andel")
    bars = figures.grouped_share_bars(pd.DataFrame({"area": ["A", "B"], "round": ["2025", "2025"], "share": [0.9, 0.4],
                                                    "n": [40, 50], "suppressed": [False, False]}),
                                      x="area", group="round", title="T", y_title="Andel")
    for axis in (panels.layout.yaxis, bars.layout.xaxis):
        assert axis.tickformat is None and axis.ticktext and all(text.endswith("\u00a0%") for text in axis.ticktext)
        assert max(axis.tickvals) <= 1.0 and axis.ticktext[-1] in ("100\u00a0%", "80\u00a0%")
    assert bars.layout.xaxis.range[1] > 1.0  # the room for «90 % · n=40» right of the longest bar
    lines = [tr for tr in panels.data if tr.mode == "lines+markers"]
    assert lines and all("\u00a0%" in row[0] for tr in lines for row in tr.customdata)
    assert all("customdata[0]" in tr.hovertemplate and ":.0%" not in tr.hovertemplate for tr in lines)


def test_tick_labels_are_never_turned_on_their_side_and_mötesläge_has_the_decades_only():
    """With the sidebar open in Mötesläge a chart is a few hundred pixels wide: plotly turned the survey
    panels' three-line years and the rate chart's ten log ticks on their side, into a pile."""
    rates = pd.DataFrame({"label": ["A", "B"], "rate_ratio": [2.0, 0.5], "ci_low": [0.06, 0.2], "ci_high": [40.0, 0.9],
                          "notable": [True, False], "text": ["x", "y"]})
    for meeting in (False, True):
        log = figures.rate_change_figure(rates, label="label", title="R", meeting=meeting).layout.xaxis
        assert log.tickangle == 0
        assert list(log.tickvals) == list(figures.MEETING_LOG_TICKS if meeting else figures.LOG_TICKS)
        panels = figures.share_figure(shares(), title="T", y_title="Andel", meeting=meeting)
        axes = [panels.layout[name] for name in panels.layout if name.startswith("xaxis") and panels.layout[name].tickvals]
        assert len(axes) == 2 and all(axis.tickangle == 0 for axis in axes)  # the two groups' panels
        assert all(axis.tickfont.size == (figures.MEETING_MIN_TEXT if meeting else 13) for axis in axes)
