"""Uppföljning: the yearly follow-up report to the politicians, built from the store.

The policy for Trygg och säker kommun says the work is followed up every year: the working group
reports to the politicians how the work goes, and residents are told what came of the safety walks.
`build_report` gathers that year's figures into a `Report` (ordered sections of paragraphs, key
figures, tables and chart images); `report_docx` and `report_xlsx` write it as a Word document that
can go into a KS report as it is and as an Excel workbook with one sheet per table; `run_report` is
the CLI's `python -m tsk report YEAR`.

Two versions:
- the full version (analysgrupp, KLG/KS) may hold redacted free text (what the walks saw, what the
  measures are), the candidate list for next year's walks with scores and reasons, police figures and
  reporting per reporter;
- the public version (`public=True`) holds no free text at all, none of that analysgrupp-only
  material, and no count of people or events from 1 to suppression_min − 1: such counts are hidden,
  together with one more value in the same column (or row) where a hidden value could otherwise be
  worked out from a published total (secondary suppression). Survey shares of groups under the
  threshold are hidden in both versions (tsk.analysis does that).

No Streamlit and no SQL here: the numbers come from the store's named queries and tsk.analysis /
tsk.candidates, so the report shows the same figures as the app.
"""
from __future__ import annotations

import io
import json
import math
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from tsk import analysis, report_charts, stats
from tsk.config import KommunConfig, load_config
from tsk.db import Store, open_store
from tsk.errors import TskError
from tsk.formatting import fmt_dec, fmt_int, fmt_pct
from tsk.i18n import t
from tsk.parsing import week_monday
from tsk.walks import OPEN_STATUSES

KINDS = ("int", "pct", "change", "dec", "text", "date")
# Excel number format codes: Excel shows them with the reader's separators (Swedish: 1 234 and 2,5).
XLSX_FORMATS = {"int": "#,##0", "pct": "0%", "change": "+0%;-0%;0%", "dec": "0.0"}
WALK_DONE = "genomförd"
WALK_PLANNED = "planerad"
TOP_CANDIDATES = 10


# --------------------------------------------------------------------------------------------------
# The report as data
# --------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


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


def _iso_weeks(year: int) -> int:
    return date(year, 12, 28).isocalendar().week


def lagesbild_windows(store: Store, year: int) -> tuple[Window | None, Window | None]:
    """The ISO weeks of `year` the store holds lägesbild for, and the same week numbers a year earlier
    (None when the store does not reach back that far, so a part year is never compared with less)."""
    first, latest = store.first_week(), store.latest_week()
    if not first or not latest:
        return None, None
    first_m, last_m = week_monday(*first), week_monday(*latest)
    a = max(first_m, week_monday(year, 1))
    b = min(last_m, week_monday(year, _iso_weeks(year)))
    if a > b:
        return None, None
    wa, wb = a.isocalendar().week, b.isocalendar().week
    p_from = week_monday(year - 1, wa)
    p_to = week_monday(year - 1, min(wb, _iso_weeks(year - 1)))
    return Window(a, b), (Window(p_from, p_to) if first_m <= p_from else None)


def _is_missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def protect(values: pd.DataFrame, minimum: int, *, rows: bool = False) -> pd.DataFrame:
    """Which count cells to hide in the public version: every count from 1 to minimum − 1 (primary),
    and, in each column (and each row when `rows`), one more cell wherever exactly one is hidden, so it
    cannot be worked out from a published total (secondary: the smallest other non-zero count).
    Zeros are shown. Returns a boolean frame of the same shape."""
    v = values.apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy(dtype=float)
    hide = (v > 0) & (v < minimum)
    lines = [(0, j) for j in range(v.shape[1])] + ([(1, i) for i in range(v.shape[0])] if rows else [])
    changed = True
    while changed:
        changed = False
        for axis, k in lines:
            cells = v[:, k] if axis == 0 else v[k, :]
            hidden = hide[:, k] if axis == 0 else hide[k, :]
            if hidden.sum() != 1:
                continue
            candidates = np.where((cells > 0) & ~hidden)[0]
            if candidates.size == 0:
                continue
            pick = candidates[np.argmin(cells[candidates])]
            if axis == 0:
                hide[pick, k] = True
            else:
                hide[k, pick] = True
            changed = True
    return pd.DataFrame(hide, index=values.index, columns=values.columns)


def _rate_verdicts(current: list[int], previous: list[int | None], weeks: int, prev_weeks: int | None
                   ) -> list[str]:
    """Count this year against the same weeks last year: an exact Poisson test per row,
    Benjamini–Hochberg across the rows; a change is only called when it holds."""
    tests = []
    for c, p in zip(current, previous):
        if p is None or prev_weeks is None or (c + p) == 0:
            tests.append(None)
        else:
            tests.append(stats.poisson_rate_test(int(c), weeks, int(p), prev_weeks))
    reject, _ = stats.fdr([x.p_value if x else math.nan for x in tests])
    return [analysis.rate_verdict(test, bool(rej)) for test, rej in zip(tests, reject)]


def _interval(low, high) -> str:
    """"15–22 %": a 95 % interval of two shares."""
    return f"{fmt_pct(low).replace(chr(0xA0) + '%', '')}–{fmt_pct(high)}"


def _change(current, previous) -> float:
    if _is_missing(previous) or _is_missing(current) or previous == 0:
        return math.nan
    return float(current) / float(previous) - 1.0


def _as_date(v) -> date | None:
    if _is_missing(v):
        return None
    return pd.Timestamp(v).date()


def _span(years: list[int]) -> str:
    if not years:
        return t("rp_no_years")
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def report_years(store: Store, config: KommunConfig | None = None) -> list[int]:
    """Every year with data in any source, or a walk. (Takes config so tsk.ui.compute can call it.)"""
    years = set(store.years_present())
    walks = store.walks()
    if not walks.empty:
        years |= {int(y) for y in pd.to_datetime(walks["walk_date"]).dt.year}
    return sorted(years)


class _Builder:
    """Builds one report; each method adds the blocks of one part."""

    def __init__(self, store: Store, config: KommunConfig, year: int, public: bool):
        self.store, self.config, self.year, self.public = store, config, year, public
        self.min_n = config.suppression_min
        self.hidden = t("rp_hidden")
        self.areas = tuple(a.name for a in config.areas)
        self.orgs = tuple(o.name for o in config.organisations)
        self.cats = analysis.problem_categories(config)
        self.labels = analysis.category_labels(config)
        self.window, self.prev_window = lagesbild_windows(store, year)
        self.survey_years = store.survey_years()
        self.missing: list[str] = []
        self.kf: dict[str, list[KeyFigure]] = {"demokrati": [], "trygg": [], "prioritera": []}
        self.sources: list[dict] = []
        self.latest_year = (report_years(store) or [year])[-1]

    # --- shared ------------------------------------------------------------------------------------
    def count_value(self, n) -> int | str:
        """A count of people or events as published: hidden in the public version when 1..min-1."""
        if _is_missing(n):
            return math.nan
        n = int(n)
        if self.public and 0 < n < self.min_n:
            return self.hidden
        return n

    def count_text(self, n) -> str:
        v = self.count_value(n)
        return v if isinstance(v, str) else fmt_int(v)

    def hidden_note(self) -> str:
        return t("rp_hidden_note_public" if self.public else "rp_hidden_note_full", mark=self.hidden, n=self.min_n)

    def goal(self, key: str) -> str:
        return analysis.goal(self.config, key)

    # --- goal: trygg — the survey --------------------------------------------------------------------
    def survey(self) -> list[Block]:
        cfg, year = self.config, self.year
        item_key = cfg.headline_item if cfg.item(cfg.headline_item) else next(
            (i.key for i in cfg.survey_items if i.kind == "trygghet"), None)
        blocks: list[Block] = []
        if item_key is None:
            return blocks
        item = cfg.item(item_key)
        earlier = [y for y in self.survey_years if y < year]
        prev = earlier[-1] if earlier else None
        has_year = year in self.survey_years
        respondents = self._respondents()
        if not has_year:
            when = t("rp_survey_when", month=cfg.survey_month) if cfg.survey_month else ""
            self.missing.append(t("rp_missing_survey", year=year, when=when))
            blocks.append(t("rp_missing_survey", year=year, when=when))
            self.kf["trygg"].append(KeyFigure(self.goal("trygg"), t("rp_kf_otrygg", year=year), "–", "–",
                                              "–", t("rp_kf_no_survey", year=year)))
        else:
            kommun = analysis.survey_shares(self.store, cfg, item=item_key, year_from=prev or year, year_to=year,
                                            by="kommun")
            areas = analysis.survey_shares(self.store, cfg, item=item_key, year_from=prev or year, year_to=year,
                                           by="area", groups=self.areas)
            both = pd.concat([kommun, areas], ignore_index=True)
            both = both[both["year"].isin([year, prev])]
            verdict = self._year_verdicts(both, prev) if prev else {}
            table, chart = self._survey_table(both, verdict, item.label, prev)
            k_now = kommun[kommun["year"] == year].iloc[0]
            k_prev = kommun[kommun["year"] == prev].iloc[0] if prev else None
            self.kf["trygg"].append(KeyFigure(
                self.goal("trygg"), t("rp_kf_otrygg", year=year),
                self.hidden if k_now["suppressed"] else fmt_pct(k_now["share"]), self.count_text(k_now["n"]),
                (t("rp_prev_value", year=prev, value=self.hidden if k_prev["suppressed"] else fmt_pct(k_prev["share"]))
                 if k_prev is not None else "–"),
                verdict.get(t("group_kommun"), t("verdict_none")), t("kf_selfselected")))
            blocks += [t("rp_survey_intro", year=year, item=item.label, n=self.count_text(respondents.get(year, 0))),
                       table, chart]
        trend = self._survey_trend(item_key, item.label)
        if trend:
            blocks.append(trend)
        blocks += self._problem_index(prev)
        if has_year:
            blocks += self._mentions()
        # Participation counts towards the goal of democracy and influence.
        if has_year:
            self.kf["demokrati"].append(KeyFigure(
                self.goal("demokrati"), t("rp_kf_survey_answers", year=year), self.count_text(respondents[year]),
                self.count_text(respondents[year]),
                t("rp_prev_value", year=prev, value=self.count_text(respondents.get(prev, 0))) if prev else "–",
                "", t("kf_selfselected")))
        self.sources.append({
            t("rp_col_source"): t("rp_source_survey"),
            t("rp_col_period"): str(year) if has_year else t("rp_source_missing"),
            t("rp_col_extent"): (t("rp_extent_answers", n=self.count_text(respondents[year])) if has_year else "–")})
        return blocks

    def _year_verdicts(self, both: pd.DataFrame, prev: int) -> dict[str, str]:
        """Per group: this year against `prev`, worded by tsk.analysis.year_on_year (two-proportion test,
        Benjamini–Hochberg across the groups; other scales or groups under the threshold not compared)."""
        pairs = analysis.year_on_year(both, self.config)
        return {r.group: r.verdict for r in pairs.itertuples() if r.from_year == prev and r.to_year == self.year}

    def _respondents(self) -> dict[int, int]:
        r = self.store.table("survey_respondents")
        return {int(y): int(n) for y, n in r.groupby("year").size().items()} if not r.empty else {}

    def _survey_table(self, both: pd.DataFrame, verdict: dict, item_label: str, prev: int | None
                      ) -> tuple[Table, Chart]:
        year = self.year
        order = [t("group_kommun"), *self.areas]
        groups = [g for g in order if g in set(both["group"])]
        rows = []
        now = both[both["year"] == year].set_index("group")
        before = both[both["year"] == prev].set_index("group") if prev else None
        c_share, c_ci, c_n = t("rp_col_share", year=year), t("rp_col_ci"), t("rp_col_n", year=year)
        p_share, p_n = t("rp_col_share", year=prev), t("rp_col_n", year=prev)
        for g in groups:
            r = now.loc[g] if g in now.index else None
            row = {t("col_area"): g}
            row[c_share] = r["share"] if r is not None else math.nan
            row[c_ci] = (_interval(r["low"], r["high"])
                         if r is not None and not _is_missing(r["low"]) else "")
            row[c_n] = int(r["n"]) if r is not None else 0
            if prev:
                p = before.loc[g] if g in before.index else None
                row[p_share] = p["share"] if p is not None else math.nan
                row[p_n] = int(p["n"]) if p is not None else 0
                row[t("col_verdict")] = verdict.get(g, t("verdict_none"))
            rows.append(row)
        frame = pd.DataFrame(rows).astype(object)
        n_cols = [c_n] + ([p_n] if prev else [])
        hide = (protect(frame[n_cols], self.min_n) if self.public
                else pd.DataFrame(False, index=frame.index, columns=n_cols))
        # Shares under the threshold are already missing (tsk.analysis); mark them, and hide whole rows
        # the public version protects.
        for share_col, n_col, ci_col in ((c_share, c_n, c_ci), (p_share, p_n, None)):
            if share_col not in frame:
                continue
            for i in frame.index:
                hidden_row = bool(hide.at[i, n_col])
                if hidden_row:
                    frame.at[i, n_col] = self.hidden
                if hidden_row or (_is_missing(frame.at[i, share_col]) and frame.at[i, n_col] != 0):
                    frame.at[i, share_col] = self.hidden
                    if ci_col:
                        frame.at[i, ci_col] = ""
                    if prev:
                        frame.at[i, t("col_verdict")] = t("rp_verdict_hidden", n=self.min_n)
        for col in (c_share, p_share):
            if col in frame:
                frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
        kinds = {t("col_area"): "text", c_share: "pct", c_ci: "text", c_n: "int", p_share: "pct", p_n: "int",
                 t("col_verdict"): "text"}
        table = Table("survey_by_area", t("rp_tbl_survey", item=item_label, year=year), t("rp_sheet_survey"), frame,
                      {c: kinds[c] for c in frame.columns},
                      note=t("rp_note_survey", n=self.min_n, small=self.config.small_sample) + " " + self.hidden_note())

        def values(col):
            return [None if isinstance(v, str) or _is_missing(v) else float(v) for v in frame[col]] if col in frame \
                else []

        series = [(str(year), values(c_share))]
        intervals = [[(now.loc[g, "low"], now.loc[g, "high"])
                      if g in now.index and not isinstance(frame.iloc[i][c_share], str) else (None, None)
                      for i, g in enumerate(groups)]]
        if prev:
            series.append((str(prev), values(p_share)))
            intervals.append(None)
        png = report_charts.grouped_bars(groups, series, axis_label=t("rp_axis_share"), share=True,
                                         hidden_text=self.hidden, intervals=intervals)
        chart = Chart("survey_by_area", t("rp_chart_survey", year=year), png,
                      t("rp_alt_survey", year=year, item=item_label), note=t("rp_chart_ci_note"))
        return table, chart

    def _survey_trend(self, item_key: str, item_label: str) -> Chart | None:
        years = [y for y in self.survey_years if y <= self.year]
        if len(years) < 2:
            return None
        k = analysis.survey_shares(self.store, self.config, item=item_key, year_from=years[0], year_to=years[-1],
                                   by="kommun").sort_values("year")
        png = report_charts.share_trend(
            [int(y) for y in k["year"]], [None if s else v for v, s in zip(k["share"], k["suppressed"])],
            list(k["low"]), list(k["high"]), list(k["scale"]), axis_label=t("rp_axis_share"),
            scale_note=t("rp_scale_change_mark"), highlight=self.year)
        return Chart("survey_trend", t("rp_chart_trend", first=years[0], last=years[-1]), png,
                     t("rp_alt_trend", item=item_label), note=t("rp_chart_trend_note"))

    def _problem_index(self, prev: int | None) -> list[Block]:
        if self.year not in self.survey_years:
            return []
        idx = analysis.problem_index(self.store, self.config, year_from=prev or self.year, year_to=self.year)
        if idx.empty:
            return []
        rows = []
        c_i, c_n = t("rp_col_index", year=self.year), t("rp_col_n", year=self.year)
        p_i, p_n = t("rp_col_index", year=prev), t("rp_col_n", year=prev)
        for _, g in idx.groupby("item", sort=False):
            now = g[g["year"] == self.year]
            before = g[g["year"] == prev] if prev else g.iloc[0:0]
            if now.empty:
                continue
            r = now.iloc[0]
            row = {t("col_item"): r["label"], c_i: r["index"], c_n: int(r["n"])}
            if prev:
                b = before.iloc[0] if not before.empty else None
                same = b is not None and b["scale"] == r["scale"]
                row[p_i] = b["index"] if same else math.nan
                row[p_n] = int(b["n"]) if same else 0
            rows.append(row)
        frame = pd.DataFrame(rows)
        n_cols = [c for c in (c_n, p_n) if c in frame]
        if self.public:
            hide = protect(frame[n_cols], self.min_n)
            for col, idx_col in ((c_n, c_i), (p_n, p_i)):
                if col in frame:
                    frame[col] = frame[col].astype(object)
                    frame[idx_col] = frame[idx_col].astype(object)
                    for i in frame.index[hide[col]]:
                        frame.at[i, col] = self.hidden
                        frame.at[i, idx_col] = self.hidden
        for col in (c_i, p_i):
            if col in frame:
                frame[col] = [self.hidden if (not isinstance(v, str) and _is_missing(v) and n not in (0, self.hidden))
                              else (None if not isinstance(v, str) and _is_missing(v) else v)
                              for v, n in zip(frame[col], frame[c_n if col == c_i else p_n])]
        kinds = {t("col_item"): "text", c_i: "dec", c_n: "int", p_i: "dec", p_n: "int"}
        return [Table("problem_index", t("rp_tbl_index", year=self.year), t("rp_sheet_index"), frame,
                      {c: kinds[c] for c in frame.columns}, note=t("rp_note_index"))]

    def _mentions(self) -> list[Block]:
        m = analysis.survey_mentions(self.store, self.config, year_from=self.year, year_to=self.year)
        if m.empty:
            return [t("tr_places_none", n=self.min_n)]
        frame = m[["plats", "ort", "area", "mentions"]].rename(columns={
            "plats": t("col_plats"), "ort": t("col_ort"), "area": t("col_area"), "mentions": t("col_mentions")})
        frame = frame.reset_index(drop=True)
        return [Table("survey_places", t("rp_tbl_places", year=self.year), t("rp_sheet_places"), frame,
                      {t("col_plats"): "text", t("col_ort"): "text", t("col_area"): "text", t("col_mentions"): "int"},
                      note=t("tr_places_caption", n=self.min_n))]

    # --- goal: trygg — the lägesbild -------------------------------------------------------------
    def lagesbild(self) -> list[Block]:
        w, pw = self.window, self.prev_window
        if w is None:
            self.missing.append(t("rp_missing_lagesbild", year=self.year))
            self.sources.append({t("rp_col_source"): t("rp_source_lagesbild"),
                                 t("rp_col_period"): t("rp_source_missing"), t("rp_col_extent"): "–"})
            return [t("rp_missing_lagesbild", year=self.year)]
        counts = self._lb_counts(w, ("category", "area"))
        prev_counts = self._lb_counts(pw, ("category", "area")) if pw else None
        total = int(counts["reports"].sum())
        prev_total = int(prev_counts["reports"].sum()) if prev_counts is not None else None
        (verdict,) = _rate_verdicts([total], [prev_total], w.weeks, pw.weeks if pw else None)
        self.kf["trygg"].append(KeyFigure(
            self.goal("trygg"), t("rp_kf_reports", weeks=w.label()), self.count_text(total), self.count_text(total),
            t("rp_prev_value", year=self.year - 1, value=self.count_text(prev_total)) if pw else "–", verdict,
            t("rp_kf_reports_note")))
        reporters = self._reporters(w)
        self.sources.append({t("rp_col_source"): t("rp_source_lagesbild"), t("rp_col_period"): w.label(),
                             t("rp_col_extent"): t("rp_extent_reports", n=self.count_text(total),
                                                   reporters=self.count_text(reporters))})
        blocks: list[Block] = [t("rp_lb_intro", weeks=w.label(), n=fmt_int(w.weeks),
                                 organisations=analysis.organisations_text(self.config),
                                 prev=(t("rp_lb_prev", weeks=pw.label()) if pw else t("rp_lb_no_prev")))]
        if w.last < week_monday(self.year, _iso_weeks(self.year)):
            blocks.append(t("rp_lb_partial", weeks=w.label(), year=self.year))
        blocks += self._lb_by(counts, prev_counts, "category")
        blocks += self._lb_by(counts, prev_counts, "area")
        blocks.append(self._lb_cross(counts))
        chart = self._lb_monthly()
        if chart:
            blocks.append(chart)
        return blocks

    def _lb_counts(self, w: Window, by) -> pd.DataFrame:
        return self.store.lagesbild_counts(areas=self.areas, orgs=self.orgs, cats=self.cats, week_from=w.first,
                                           week_to=w.last, by=by)

    def _reporters(self, w: Window) -> int:
        cov = self.store.reporting_coverage(areas=self.areas + ("",), orgs=self.orgs, week_from=w.first,
                                            week_to=w.last)
        return int(cov.loc[cov["status"] != "saknas", "reporter"].nunique()) if not cov.empty else 0

    def _lb_by(self, counts: pd.DataFrame, prev_counts: pd.DataFrame | None, by: str) -> list[Block]:
        y, p = self.year, self.year - 1
        keys = list(self.cats) if by == "category" else list(self.areas)
        now = counts.groupby(by)["reports"].sum()
        before = prev_counts.groupby(by)["reports"].sum() if prev_counts is not None else None
        c_now, c_prev = t("rp_col_reports", year=y), t("rp_col_reports", year=p)
        c_change, c_verdict = t("rp_col_change"), t("col_verdict")
        name_col = t("col_category") if by == "category" else t("col_area")
        rows = []
        for k in keys:
            row = {name_col: self.labels.get(k, k) if by == "category" else k, c_now: int(now.get(k, 0))}
            if before is not None:
                row[c_prev] = int(before.get(k, 0))
            if by == "area":
                pop = self.config.area(k).population
                row[t("col_population")] = int(pop) if pop else math.nan
                row[t("rp_col_per_1000")] = 1000 * row[c_now] / pop if pop else math.nan
            rows.append(row)
        frame = pd.DataFrame(rows)
        if before is not None:
            frame[c_change] = [_change(a, b) for a, b in zip(frame[c_now], frame[c_prev])]
            frame[c_verdict] = _rate_verdicts(list(frame[c_now]), list(frame[c_prev]), self.window.weeks,
                                              self.prev_window.weeks)
        count_cols = [c for c in (c_now, c_prev) if c in frame]
        if self.public:
            hide = protect(frame[count_cols], self.min_n)
            frame = frame.astype({c: object for c in frame.columns if c != name_col})
            for col in count_cols:
                for i in frame.index[hide[col]]:
                    frame.at[i, col] = self.hidden
                    for derived in (c_change, c_verdict, t("rp_col_per_1000")):
                        if derived in frame:
                            frame.at[i, derived] = (t("rp_verdict_hidden", n=self.min_n) if derived == c_verdict
                                                    else self.hidden)
        kinds = {name_col: "text", c_now: "int", c_prev: "int", c_change: "change", c_verdict: "text",
                 t("col_population"): "int", t("rp_col_per_1000"): "dec"}
        if by == "category":
            table = Table("lagesbild_by_category", t("rp_tbl_lb_category", weeks=self.window.label()),
                          t("rp_sheet_lb_category"), frame, {c: kinds[c] for c in frame.columns},
                          note=t("rp_note_lb") + (" " + self.hidden_note() if self.public else ""))
            order = frame.assign(_n=pd.to_numeric(frame[c_now], errors="coerce").fillna(0)).sort_values(
                "_n", ascending=False)
            series = [(str(y), [None if isinstance(v, str) else v for v in order[c_now]])]
            if c_prev in order:
                series.append((str(p), [None if isinstance(v, str) else v for v in order[c_prev]]))
            png = report_charts.grouped_bars(list(order[name_col]), series, axis_label=t("rp_axis_reports"),
                                             share=False, hidden_text=self.hidden)
            chart = Chart("lagesbild_by_category", t("rp_chart_lb_category", weeks=self.window.label()), png,
                          t("rp_alt_lb_category", year=y))
            return [table, chart]
        note = t("rp_note_lb_area") + (" " + self.hidden_note() if self.public else "")
        return [Table("lagesbild_by_area", t("rp_tbl_lb_area", weeks=self.window.label()), t("rp_sheet_lb_area"),
                      frame, {c: kinds[c] for c in frame.columns}, note=note)]

    def _lb_cross(self, counts: pd.DataFrame) -> Table:
        grid = (counts.pivot_table(index="category", columns="area", values="reports", aggfunc="sum", fill_value=0)
                .reindex(index=list(self.cats), columns=list(self.areas), fill_value=0).astype(int))
        frame = grid.copy()
        if self.public:
            hide = protect(grid, self.min_n, rows=True)
            frame = frame.astype(object).mask(hide, self.hidden)
        frame.index = [self.labels.get(k, k) for k in frame.index]
        frame = frame.rename_axis(t("col_category")).reset_index()
        kinds = {c: "int" for c in frame.columns}
        kinds[t("col_category")] = "text"
        return Table("lagesbild_cross", t("rp_tbl_lb_cross", weeks=self.window.label()), t("rp_sheet_lb_cross"),
                     frame, kinds, note=self.hidden_note() if self.public else "")

    def _lb_monthly(self) -> Chart | None:
        series = []
        for label, w in ((str(self.year), self.window), (str(self.year - 1), self.prev_window)):
            if w is None:
                continue
            m = self.store.lagesbild_counts(areas=self.areas, orgs=self.orgs, cats=self.cats, week_from=w.first,
                                            week_to=w.last, period="month", by="category")
            per = m.groupby(pd.to_datetime(m["period_start"]).dt.month)["reports"].sum()
            # the months of the window's Thursdays: each ISO week counts in the month of its Thursday
            months = {d.month for d in pd.date_range(w.first + timedelta(days=3), w.last + timedelta(days=3), freq="7D")}
            values = [int(per.get(i, 0)) if i in months else None for i in range(1, 13)]
            if self.public:
                values = [None if v is not None and 0 < v < self.min_n else v for v in values]
            series.append((label, values))
        if not series:
            return None
        png = report_charts.monthly_lines(series, axis_label=t("rp_axis_reports"))
        # A month the year's window cuts (the year is not over) would read as a drop: the note names it.
        cut = analysis.partial_months(self.window.first, self.window.last) if self.window else {}
        note = " ".join(x for x in (t("rp_chart_lb_monthly_note"),
                                    analysis.partial_months_text(cut, sentence="rp_partial_months")) if x)
        return Chart("lagesbild_monthly", t("rp_chart_lb_monthly"), png, t("rp_alt_lb_monthly", year=self.year),
                     note=note)

    # --- goal: trygg — police (full version only) ---------------------------------------------------
    def police(self) -> list[Block]:
        last = self.store.source_periods().get("police")
        start = date(self.year, 1, 1)
        if last is None or last < start:
            return [t("rp_police_none", year=self.year)]
        end = min(date(self.year, 12, 31), last)
        events = self.store.police_weekly(areas=self.areas, date_from=start, date_to=end)
        if events.empty:
            return [t("rp_police_none", year=self.year)]
        prev_end = date(self.year - 1, end.month, min(end.day, 28 if end.month == 2 else 31))
        before = self.store.police_weekly(areas=self.areas, date_from=date(self.year - 1, 1, 1), date_to=prev_end)
        other = t("rp_police_other")

        def per_cat(frame):
            return frame.assign(category=frame["category"].map(lambda c: self.labels.get(c, c) if isinstance(c, str)
                                                               else other)).groupby("category")["events"].sum()

        now, prev = per_cat(events), per_cat(before)
        keys = sorted(set(now.index) | set(prev.index), key=lambda k: (k == other, -now.get(k, 0), k))
        c_now, c_prev = t("rp_col_events", year=self.year), t("rp_col_events", year=self.year - 1)
        frame = pd.DataFrame([{t("col_category"): k, c_now: int(now.get(k, 0)), c_prev: int(prev.get(k, 0))}
                              for k in keys])
        period = t("rp_period_dates", first=start.isoformat(), last=end.isoformat())
        self.sources.append({t("rp_col_source"): t("rp_source_police"), t("rp_col_period"): period,
                             t("rp_col_extent"): t("rp_extent_events", n=fmt_int(int(now.sum())))})
        self.kf["trygg"].append(KeyFigure(self.goal("trygg"), t("rp_kf_police", period=period), fmt_int(int(now.sum())),
                                          fmt_int(int(now.sum())),
                                          t("rp_prev_value", year=self.year - 1, value=fmt_int(int(prev.sum()))), "",
                                          t("rp_kf_police_note")))
        return [Table("police", t("rp_tbl_police", period=period), t("rp_sheet_police"), frame,
                      {t("col_category"): "text", c_now: "int", c_prev: "int"}, note=t("rp_note_police"))]

    # --- goal: demokrati — Träffpunkt and the walks ---------------------------------------------------
    def traffpunkt(self) -> list[Block]:
        resp = self.store.table("traffpunkt_respondents")
        rounds = (resp[["round", "year"]].drop_duplicates() if not resp.empty
                  else pd.DataFrame(columns=["round", "year"]))
        in_year = sorted(rounds.loc[rounds["year"] == self.year, "round"])
        all_rounds = sorted(rounds["round"].unique())
        if not in_year:
            earlier = [r for r in all_rounds if r < str(self.year)]
            text = (t("rp_tp_none_latest", year=self.year, round=earlier[-1]) if earlier
                    else t("rp_tp_none", year=self.year))
            self.sources.append({t("rp_col_source"): t("rp_source_traffpunkt"),
                                 t("rp_col_period"): t("rp_source_missing"), t("rp_col_extent"): "–"})
            return [text]
        rnd = in_year[-1]
        earlier = [r for r in all_rounds if r < rnd]
        prev = earlier[-1] if earlier else None
        per_round = resp.groupby("round").size()
        self.kf["demokrati"].append(KeyFigure(
            self.goal("demokrati"), t("kf_traffpunkt", round=rnd), self.count_text(per_round[rnd]),
            self.count_text(per_round[rnd]),
            t("rp_prev_round", round=prev, value=self.count_text(per_round[prev])) if prev else "–", "",
            t("kf_selfselected")))
        self.sources.append({t("rp_col_source"): t("rp_source_traffpunkt"), t("rp_col_period"): str(rnd),
                             t("rp_col_extent"): t("rp_extent_answers", n=self.count_text(per_round[rnd]))})
        blocks: list[Block] = [t("rp_tp_intro", round=rnd, n=self.count_text(per_round[rnd]))]
        for i, item in enumerate(i for i in self.config.traffpunkt_items if i.kind != "text"):
            shares = analysis.traffpunkt_shares(self.store, self.config, item=item.key)
            if shares.empty:
                continue
            shares = shares[shares["round"] <= rnd]
            blocks += self._tp_item(item, shares, rnd, prev, chart=(i == 0))
        return blocks

    def _tp_item(self, item, shares: pd.DataFrame, rnd: str, prev: str | None, *, chart: bool) -> list[Block]:
        measure = t("tp_measure_worse") if item.kind == "forandring" else t("tp_measure_otrygg")
        comparison = analysis.traffpunkt_comparison(shares, self.config)
        comp = comparison.set_index("area") if not comparison.empty else pd.DataFrame()
        now = shares[shares["round"] == rnd].set_index("area")
        before = shares[shares["round"] == prev].set_index("area") if prev else pd.DataFrame()
        tp_areas = [a.name for a in self.config.areas if a.kind != "centralort"]
        c_s, c_n = t("rp_col_measure", measure=measure, round=rnd), t("rp_col_n", year=rnd)
        p_s, p_n = t("rp_col_measure", measure=measure, round=prev), t("rp_col_n", year=prev)
        rows = []
        for a in tp_areas:
            r = now.loc[a] if a in now.index else None
            row = {t("col_area"): a, c_s: r["share"] if r is not None else math.nan,
                   c_n: int(r["n"]) if r is not None else 0}
            if prev:
                b = before.loc[a] if a in before.index else None
                row[p_s] = b["share"] if b is not None else math.nan
                row[p_n] = int(b["n"]) if b is not None else 0
                row[t("tp_col_vs_previous")] = comp.at[a, "vs_previous"] if a in comp.index else t("verdict_none")
            row[t("tp_col_vs_others")] = comp.at[a, "vs_others"] if a in comp.index else t("verdict_none")
            rows.append(row)
        frame = pd.DataFrame(rows)
        n_cols = [c for c in (c_n, p_n) if c in frame]
        hide = protect(frame[n_cols], self.min_n) if self.public else pd.DataFrame(False, index=frame.index,
                                                                                      columns=n_cols)
        frame = frame.astype({c: object for c in frame.columns if c != t("col_area")})
        for s_col, n_col in ((c_s, c_n), (p_s, p_n)):
            if n_col not in frame:
                continue
            for i in frame.index:
                if hide.at[i, n_col]:
                    frame.at[i, n_col] = self.hidden
                if hide.at[i, n_col] or (_is_missing(frame.at[i, s_col]) and frame.at[i, n_col] != 0):
                    frame.at[i, s_col] = self.hidden
                    for v in (t("tp_col_vs_previous"), t("tp_col_vs_others")):
                        if v in frame:
                            frame.at[i, v] = t("rp_verdict_hidden", n=self.min_n)
                elif _is_missing(frame.at[i, s_col]):
                    frame.at[i, s_col] = None
        kinds = {t("col_area"): "text", c_s: "pct", c_n: "int", p_s: "pct", p_n: "int",
                 t("tp_col_vs_previous"): "text", t("tp_col_vs_others"): "text"}
        key = f"traffpunkt_{item.key}"
        blocks: list[Block] = [Table(key, t("rp_tbl_tp", measure=measure, item=item.label, round=rnd),
                                     t("rp_sheet_tp_forandring") if item.kind == "forandring"
                                     else t("rp_sheet_tp_trygghet"), frame, {c: kinds[c] for c in frame.columns},
                                     note=t("tp_caption", small=self.config.small_sample, n=self.min_n) + " "
                                     + t("tp_compare_caption") + " " + self.hidden_note())]
        if chart:
            def vals(col):
                return [None if isinstance(v, str) or _is_missing(v) else float(v) for v in frame[col]]

            series = [(str(rnd), vals(c_s))]
            intervals = [[(now.loc[a, "low"], now.loc[a, "high"])
                          if a in now.index and not isinstance(frame.iloc[i][c_s], str) else (None, None)
                          for i, a in enumerate(tp_areas)]]
            if prev:
                series.append((str(prev), vals(p_s)))
                intervals.append(None)
            png = report_charts.grouped_bars(tp_areas, series, axis_label=measure, share=True,
                                             hidden_text=self.hidden, intervals=intervals)
            blocks.append(Chart(key, t("rp_chart_tp", measure=measure, round=rnd), png,
                                t("rp_alt_tp", measure=measure, round=rnd), note=t("rp_chart_ci_note")))
        return blocks

    def walks(self) -> list[Block]:
        walks = self.store.walks()
        walks = walks.assign(walk_date=pd.to_datetime(walks["walk_date"]))
        in_year = walks[walks["walk_date"].dt.year == self.year].sort_values(["walk_date", "walk_id"])
        prev_year = walks[walks["walk_date"].dt.year == self.year - 1]
        done = in_year[in_year["status"] == WALK_DONE]
        participants = int(sum(_participants(p) for p in done["participants"]))
        self.kf["demokrati"].append(KeyFigure(
            self.goal("demokrati"), t("rp_kf_walks", year=self.year), fmt_int(len(done)), self.count_text(participants),
            t("rp_prev_value", year=self.year - 1, value=fmt_int(int((prev_year["status"] == WALK_DONE).sum()))), "",
            t("rp_kf_walks_note")))
        self.sources.append({t("rp_col_source"): t("rp_source_walks"), t("rp_col_period"): str(self.year),
                             t("rp_col_extent"): t("rp_extent_walks", n=fmt_int(len(done)),
                                                   planned=fmt_int(int((in_year["status"] == WALK_PLANNED).sum())))})
        if in_year.empty:
            return [t("rp_walks_none", year=self.year)]
        blocks: list[Block] = [t("rp_walks_intro", year=self.year, n=fmt_int(len(done)),
                                 people=self.count_text(participants)) if len(done)
                               else t("rp_walks_none_done", year=self.year)]
        c_part, c_res = t("vr_col_participants"), t("rp_col_residents")
        frame = pd.DataFrame({
            t("col_date"): [d.date() for d in in_year["walk_date"]],
            t("col_ort"): list(in_year["ort"]), t("col_status"): list(in_year["status"]),
            c_part: [_participants(p) for p in in_year["participants"]],
            c_res: [_participants(p, role="boende") for p in in_year["participants"]],
            t("vr_col_observations"): [int(x) for x in in_year["observations"]],
            t("vr_col_measures"): [int(x) for x in in_year["measures"]],
            t("vr_col_done"): [int(x) for x in in_year["measures_done"]],
        })
        if self.public:
            hide = protect(frame[[c_part, c_res]], self.min_n)
            frame = frame.astype({c_part: object, c_res: object}).mask(
                hide.reindex(columns=frame.columns, fill_value=False), self.hidden)
        kinds = {c: "int" for c in frame.columns}
        kinds.update({t("col_date"): "date", t("col_ort"): "text", t("col_status"): "text"})
        blocks.append(Table("walks", t("rp_tbl_walks", year=self.year), t("rp_sheet_walks"), frame, kinds,
                            note=t("rp_note_walks") + (" " + self.hidden_note() if self.public else "")))
        blocks += self._observations(in_year)
        return blocks

    def _observations(self, in_year: pd.DataFrame) -> list[Block]:
        causes = {c.key: c.label for c in self.config.vandring.checklist}
        rows = []
        for w in in_year.itertuples():
            found = self.store.walk(int(w.walk_id))
            if found is None:
                continue
            _, obs, _ = found
            for o in obs.itertuples():
                row = {t("col_date"): w.walk_date.date(), t("col_ort"): w.ort,
                       t("col_plats"): o.place if isinstance(o.place, str) else t("whole_ort"),
                       t("vr_col_causes"): ", ".join(causes.get(c, c) for c in json.loads(o.causes))}
                if not self.public:
                    row[t("rp_col_observation")] = o.problem
                rows.append(row)
        if not rows:
            return []
        frame = pd.DataFrame(rows)
        kinds = {c: "text" for c in frame.columns}
        kinds[t("col_date")] = "date"
        note = t("rp_note_obs_public") if self.public else t("rp_note_obs_full")
        return [Table("observations", t("rp_tbl_obs", year=self.year), t("rp_sheet_obs"), frame, kinds, note=note)]

    # --- goal: prioritera — reporting, measures, next year --------------------------------------------
    def coverage(self) -> list[Block]:
        w, pw = self.window, self.prev_window
        if w is None:
            return []
        cov = self.store.reporting_coverage(areas=self.areas + ("",), orgs=self.orgs, week_from=w.first,
                                            week_to=w.last)
        if cov.empty:
            return []
        share = float((cov["status"] != "saknas").mean())
        prev_text = "–"
        if pw:
            pc = self.store.reporting_coverage(areas=self.areas + ("",), orgs=self.orgs, week_from=pw.first,
                                               week_to=pw.last)
            if not pc.empty:
                prev_share = float((pc["status"] != "saknas").mean())
                prev_text = t("rp_prev_value", year=self.year - 1, value=fmt_pct(prev_share))
        status = cov["status"].value_counts()
        self.kf["prioritera"].append(KeyFigure(
            self.goal("prioritera"), t("rp_kf_coverage", weeks=w.label()), fmt_pct(share), fmt_int(len(cov)),
            prev_text, "", t("kf_coverage_note")))
        blocks: list[Block] = [t("rp_cov_intro", weeks=w.label(), share=fmt_pct(share), expected=fmt_int(len(cov)),
                                 reported=fmt_int(int(status.get("rapporterat", 0))),
                                 nothing=fmt_int(int(status.get("inget_att_rapportera", 0))),
                                 missing=fmt_int(int(status.get("saknas", 0))))]
        if self.public:
            return blocks
        summary = analysis.coverage_summary(cov)
        labels = {k: t(f"status_{k}") for k in analysis.COVERAGE_STATUSES}
        frame = summary.rename(columns={
            "reporter": t("col_reporter"), "organisation": t("col_organisation"), "area": t("col_area"),
            **labels, "silent_now": t("col_silent_now")})
        frame[t("col_area")] = frame[t("col_area")].replace("", "–")
        kinds = {c: "int" for c in frame.columns}
        kinds.update({t("col_reporter"): "text", t("col_organisation"): "text", t("col_area"): "text"})
        blocks.append(Table("coverage", t("rp_tbl_coverage", weeks=w.label()), t("rp_sheet_coverage"), frame, kinds,
                            note=t("lb_coverage_caption")))
        return blocks

    def measures(self) -> list[Block]:
        from tsk.candidates import measure_effects

        m = self.store.all_measures()
        end = pd.Timestamp(date(self.year, 12, 31))
        walk_date = pd.to_datetime(m["walk_date"])
        completed = pd.to_datetime(m["completed_date"])
        # This year's walks' measures, measures completed this year, and those still open: from a walk up
        # to this year, or (no walk date to place them by) in the report for the latest year.
        open_now = m["status"].isin(OPEN_STATUSES)
        relevant = ((walk_date.dt.year == self.year) | (completed.dt.year == self.year)
                    | (open_now & (walk_date <= end))
                    | (open_now & walk_date.isna() & (self.year == self.latest_year)))
        m = m[relevant]
        done_year = int((completed.dt.year == self.year).sum())
        done_prev = int((completed.dt.year == self.year - 1).sum())
        self.kf["prioritera"].append(KeyFigure(
            self.goal("prioritera"), t("rp_kf_measures_done", year=self.year), fmt_int(done_year), fmt_int(len(m)),
            t("rp_prev_value", year=self.year - 1, value=fmt_int(done_prev)), "", t("rp_kf_measures_note")))
        if m.empty:
            return [t("rp_measures_none", year=self.year)]
        effects = measure_effects(self.store, self.config)
        effect = dict(zip(effects["measure_id"], effects["verdict"]))
        causes = self._causes_by_place()
        rows = []
        for r in m.itertuples():
            row = {t("col_plats"): f"{r.place}, {r.ort}" if isinstance(r.place, str) else r.ort,
                   t("col_status"): r.status}
            if self.public:
                category = getattr(r, "category", None)
                row[t("rp_col_concerns")] = (causes.get((r.ort, r.place if isinstance(r.place, str) else None,
                                                         _as_date(r.walk_date)))
                                             or (self.labels.get(category, "") if isinstance(category, str) else ""))
            else:
                row[t("vr_col_measure")] = r.description
            row.update({
                t("vr_col_owner"): r.owner, t("vr_col_path"): r.decision_path, t("vr_col_due"): _as_date(r.due_date),
                t("vr_col_completed"): _as_date(r.completed_date),
                t("rp_col_effect"): effect.get(r.measure_id, ""),
            })
            rows.append(row)
        frame = pd.DataFrame(rows)
        kinds = {c: "text" for c in frame.columns}
        kinds.update({t("vr_col_due"): "date", t("vr_col_completed"): "date"})
        counts = m["status"].value_counts()
        parts = [t("rp_status_count", n=fmt_int(int(counts[s])), status=s)
                 for s in self.config.vandring.statuses if s in counts]
        text = t("rp_measures_intro", n=fmt_int(len(m)), parts=", ".join(parts), created=date.today().isoformat())
        note = (t("rp_note_measures_public") if self.public else t("rp_note_measures_full")) + " " + t("ve_method")
        return [text, Table("measures", t("rp_tbl_measures", year=self.year), t("rp_sheet_measures"), frame, kinds,
                            note=note, layout="cards",
                            card_bullets=t("rp_col_concerns") if self.public else t("vr_col_measure"))]

    def _causes_by_place(self) -> dict:
        labels = {c.key: c.label for c in self.config.vandring.checklist}
        out: dict = {}
        for r in self.store.observed_causes().itertuples():
            key = (r.ort, r.place if isinstance(r.place, str) else None, _as_date(r.walk_date))
            names = [labels.get(c, c) for c in json.loads(r.causes)]
            out[key] = ", ".join(dict.fromkeys([*(out[key].split(", ") if out.get(key) else []), *names]))
        return out

    def next_year(self) -> list[Block]:
        blocks: list[Block] = []
        walks = self.store.walks()
        when = pd.to_datetime(walks["walk_date"])
        planned = walks[(walks["status"] == WALK_PLANNED) & when.dt.year.isin([self.year, self.year + 1])]
        if planned.empty:
            blocks.append(t("rp_planned_none"))
        else:
            blocks.append(t("rp_planned"))
            blocks.append(Bullets([t("rp_planned_item", date=_as_date(r.walk_date).isoformat(), ort=r.ort)
                                   for r in planned.sort_values("walk_date").itertuples()]))
        if self.public:
            return blocks
        if self.year != self.latest_year:
            blocks.append(t("rp_candidates_other_year", latest=self.latest_year))
            return blocks
        from tsk import scoring
        from tsk.candidates import ranked_candidates

        v = self.config.vandring
        scored = ranked_candidates(self.store, self.config, level="plats")
        top = scored[scored["status"] == scoring.STATUS_OK].head(TOP_CANDIDATES)  # already in rank order
        if top.empty:
            return blocks
        frame = pd.DataFrame({
            t("col_rank"): [int(x) for x in top["rank"]], t("col_unit"): list(top["unit"]),
            t("col_area"): list(top["area"]), t("col_total"): [round(float(x), 1) for x in top["total"]],
            t("col_reasons"): [" · ".join(rs) for rs in top["reasons"]],
            t("col_uncertainty"): list(top["uncertainty"]),
        })
        kinds = {c: "text" for c in frame.columns}
        kinds.update({t("col_rank"): "int", t("col_total"): "dec"})
        blocks += [t("rp_candidates_intro", n=len(top)),
                   Table("candidates", t("rp_tbl_candidates", year=self.year + 1), t("rp_sheet_candidates"), frame,
                         kinds, note=t("vc_method", recent=v.recent_weeks, base=v.baseline_weeks,
                                       months=v.centralort_interval_months),
                         layout="cards", card_bullets=t("col_reasons"))]
        return blocks

    # --- method --------------------------------------------------------------------------------------
    def method(self) -> list[Block]:
        cfg = self.config
        sources = t("rp_m_sources", organisations=analysis.organisations_text(cfg))
        blocks: list[Block] = [Lead(t("rp_ml_sources"), sources),
                               Lead(t("rp_ml_selfselected"), t("rp_m_selfselected"))]
        item = cfg.item(cfg.headline_item)
        if item and self.survey_years:
            counts = self.store.survey_value_counts(item=cfg.headline_item, year_from=self.survey_years[0],
                                                    year_to=self.survey_years[-1], by="kommun")
            by_scale = counts.groupby("scale")["year"].apply(lambda ys: sorted({int(y) for y in ys}))
            if len(by_scale) > 1:
                parts = [t("rp_m_scale_part", scale=cfg.scales[s].description if s in cfg.scales else s,
                           years=", ".join(str(y) for y in ys))
                         for s, ys in sorted(by_scale.items(), key=lambda kv: kv[1][0])]
                blocks.append(Lead(t("rp_ml_scales"), t("rp_m_scales", item=item.label, parts="; ".join(parts))))
            else:
                blocks.append(Lead(t("rp_ml_scales"), t("rp_m_scales_none", item=item.label)))
        blocks += [
            Lead(t("rp_ml_tests"), t("rp_m_tests")),
            Lead(t("rp_ml_lagesbild"), t("rp_m_lagesbild")),
            Lead(t("rp_ml_nothing"), t("rp_m_nothing")),
            Lead(t("rp_ml_population"), t("rp_m_population")),
            Lead(t("rp_ml_suppression"), t("rp_m_suppression", n=cfg.suppression_min, small=cfg.small_sample,
                                              mark=self.hidden)),
            Lead(t("rp_ml_public"), t("rp_m_public", n=cfg.suppression_min)),
            Lead(t("rp_ml_version"), (t("rp_m_this_public") if self.public else t("rp_m_this_full")) + " "
                 + t("rp_m_created", created=date.today().isoformat())),
        ]
        return blocks

    # --- assembly --------------------------------------------------------------------------------------
    def build(self) -> Report:
        survey = self.survey()
        lagesbild = self.lagesbild()
        police = [] if self.public else self.police()
        traffpunkt = self.traffpunkt()
        walks = self.walks()
        coverage = self.coverage()
        measures = self.measures()
        next_year = self.next_year()

        trygg = Section(self.goal("trygg"), 1, [KeyFigures(self.kf["trygg"])])
        demokrati = Section(self.goal("demokrati"), 1, [KeyFigures(self.kf["demokrati"])])
        prioritera = Section(self.goal("prioritera"), 1, [KeyFigures(self.kf["prioritera"])])
        summary = Section(t("rp_h_summary"), 1, [t("rp_intro", kommun=self.config.name, year=self.year),
                                                  t("rp_version_public") if self.public else t("rp_version_full")])
        summary.blocks.append(Bullets([k.sentence() for k in (*self.kf["demokrati"], *self.kf["trygg"],
                                                               *self.kf["prioritera"])]))
        if self.missing:
            summary.blocks.append(t("rp_missing_heading"))
            summary.blocks.append(Bullets(list(self.missing)))
        sources = pd.DataFrame(self.sources)
        summary.blocks.append(Table("sources", t("rp_tbl_sources", year=self.year), t("rp_sheet_sources"), sources,
                                    {c: "text" for c in sources.columns}))
        sections = [
            summary,
            demokrati,
            Section(t("rp_h_traffpunkt"), 2, traffpunkt),
            Section(t("rp_h_walks"), 2, walks),
            trygg,
            Section(t("rp_h_survey"), 2, survey),
            Section(t("rp_h_lagesbild"), 2, lagesbild),
        ]
        if not self.public:
            sections.append(Section(t("rp_h_police"), 2, police))
        sections += [
            prioritera,
            Section(t("rp_h_coverage"), 2, coverage or [t("rp_missing_lagesbild", year=self.year)]),
            Section(t("rp_h_measures"), 2, measures),
            Section(t("rp_h_next_year", year=self.year + 1), 2, next_year),
            Section(t("rp_h_method"), 1, self.method()),
        ]
        return Report(
            kommun=t("rp_kommun", name=self.config.name), year=self.year, public=self.public, title=t("rp_title"),
            version=(t("rp_version_label_public") if self.public else
                     t("rp_version_label_full", recipients=analysis.report_recipients_text(self.config))),
            created=date.today(), hidden_mark=self.hidden, sections=sections)


def _participants(raw, role: str | None = None) -> int:
    data = json.loads(raw) if isinstance(raw, str) else (raw or {})
    if role is not None:
        return int(data.get(role, 0))
    return int(sum(int(n) for n in data.values()))


def build_report(store: Store, config: KommunConfig, year: int, *, public: bool) -> Report:
    """The follow-up report for `year` (full, or `public`). Raises TskError("rp_no_data") when no source
    holds anything for the year."""
    years = report_years(store)
    if int(year) not in years:
        raise TskError("rp_no_data", year=year, years=_span(years))
    return _Builder(store, config, int(year), bool(public)).build()


# --------------------------------------------------------------------------------------------------
# Formatting shared by Word and the page preview
# --------------------------------------------------------------------------------------------------


def format_cell(value, kind: str) -> str:
    """One value as shown in Word and the preview: Swedish number formats, dates as YYYY-MM-DD."""
    if isinstance(value, str):
        return value
    if _is_missing(value):
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
# Word
# --------------------------------------------------------------------------------------------------

_DARK = (0x1F, 0x38, 0x64)
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_HEADER_FILL = "D9E2F3"


def _docx_helpers():
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    return OxmlElement, qn


def _add_field(paragraph, instruction: str) -> None:
    OxmlElement, qn = _docx_helpers()
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
    OxmlElement, qn = _docx_helpers()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _row_flags(row, *, header: bool) -> None:
    OxmlElement, qn = _docx_helpers()
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
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

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
    OxmlElement, qn = _docx_helpers()
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for j, (w, grid_col) in enumerate(zip(widths, table._tbl.tblGrid.gridCol_lst)):
        grid_col.w = Cm(w)
        for cell in table.columns[j].cells:
            cell.width = Cm(w)


def _caption(doc, text: str):
    from docx.shared import Pt, RGBColor

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
    from docx.shared import Pt

    shown = display_frame(table)
    bullets = table.card_bullets
    cols = list(shown.columns)
    head_cols = cols[:cols.index(bullets)] if bullets in cols else cols
    tail_cols = cols[cols.index(bullets) + 1:] if bullets in cols else []
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
    from docx.shared import Pt, RGBColor

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
    OxmlElement, qn = _docx_helpers()
    for style_name in ("Normal",):
        rpr = doc.styles[style_name].element.get_or_add_rPr()
        el = OxmlElement("w:lang")
        el.set(qn("w:val"), lang)
        rpr.append(el)


def report_docx(report: Report) -> bytes:
    """The report as a Word document (A4): a title page, headings per TSK goal, key figures, tables
    (header row repeated on each page, numbers right-aligned in Swedish format), charts as images with
    alt text, and page numbers in the footer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
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

    props = doc.core_properties
    props.title = f"{report.title} {report.year}"
    props.subject = report.version
    props.author = report.kommun
    props.language = "sv-SE"
    props.keywords = "Trygg och säker kommun; uppföljning"

    # --- title page ---
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

    footer = section.footer.paragraphs[0]
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

    for s in report.sections:
        doc.add_heading(s.heading, level=s.level)
        for block in s.blocks:
            if isinstance(block, str):
                doc.add_paragraph(block)
            elif isinstance(block, Lead):
                p = doc.add_paragraph()
                p.add_run(block.lead + ". ").bold = True
                p.add_run(block.text)
            elif isinstance(block, Bullets):
                for item in block.items:
                    p = doc.add_paragraph(item, style="List Bullet")
                    p.paragraph_format.space_after = Pt(2)
            elif isinstance(block, KeyFigures):
                if not block.items:
                    continue
                _caption(doc, t("rp_kf_caption"))
                frame = key_figure_frame(block.items).drop(columns=[t("col_note")])
                _docx_table(doc, frame, {"n": "int", t("rp_col_value"): "int"}, font_pt=9)
                notes = list(dict.fromkeys(k.note for k in block.items if k.note))
                _note(doc, " ".join(notes))
            elif isinstance(block, Table):
                _caption(doc, block.title)
                if block.layout == "cards":
                    _cards(doc, block)
                else:
                    _docx_table(doc, display_frame(block), block.kinds)
                _note(doc, block.note)
            elif isinstance(block, Chart):
                _caption(doc, block.title)
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.keep_with_next = bool(block.note)
                run = p.add_run()
                run.add_picture(io.BytesIO(block.png), width=Cm(15.5))
                for doc_pr in run._r.iter(f"{_WP}docPr"):
                    doc_pr.set("descr", block.alt)
                    doc_pr.set("title", block.title)
                _note(doc, block.note)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------------


def report_xlsx(report: Report) -> bytes:
    """Every table of the report on its own sheet (after «Om rapporten» and «Nyckeltal»), numbers as
    numbers with Swedish-displayed formats (1 234, 18 %, 2,5), dates as dates; text cells neutralised
    against formulas by tsk.exports."""
    from tsk.exports import to_xlsx_bytes

    about = pd.DataFrame({
        t("rp_col_item"): [t("rp_about_kommun"), t("rp_about_year"), t("rp_about_title"), t("rp_about_version"),
                           t("rp_about_created"), t("rp_about_hidden")],
        t("rp_col_value"): [report.kommun, str(report.year), report.title, report.version, report.created.isoformat(),
                            t("rp_about_hidden_text", mark=report.hidden_mark)],
    })
    sheets = {t("rp_sheet_about"): about, t("rp_sheet_key_figures"): key_figure_frame(report.key_figures(),
                                                                                       with_goal=True)}
    formats: dict[str, str] = {}
    for table in report.tables():
        if table.sheet in sheets:
            raise ValueError(f"two tables use the sheet name {table.sheet!r}")
        sheets[table.sheet] = table.frame
        for col, kind in table.kinds.items():
            fmt = XLSX_FORMATS.get(kind)
            if fmt is None:
                continue
            if formats.get(col, fmt) != fmt:
                raise ValueError(f"column {col!r} has two number formats")
            formats[col] = fmt
    return to_xlsx_bytes(sheets, number_formats=formats)


# --------------------------------------------------------------------------------------------------
# The CLI
# --------------------------------------------------------------------------------------------------

RENDERERS = {"docx": report_docx, "xlsx": report_xlsx}


def run_report(year: int, *, fmt: str, public: bool, out, db) -> int:
    """`python -m tsk report YEAR --format docx|xlsx [--public] --out FILE [--db PATH]`: write the report
    and return 0. A year without data, a missing database or an unwritable file raise TskError (the
    CLI prints the Swedish message and exits 2). The file is written next to `out` and moved into
    place, so a scheduled run never leaves half a file."""
    if fmt not in RENDERERS:
        raise TskError("rp_bad_format", fmt=fmt, allowed=", ".join(RENDERERS))
    config = load_config()
    with open_store(Path(db), read_only=True) as store:
        report = build_report(store, config, year, public=public)
    data = RENDERERS[fmt](report)
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise TskError("rp_write_failed", path=out, detail=e.strerror or type(e).__name__) from None
    print(t("rp_written", path=out, year=year, version=t("rp_footer_public") if public else t("rp_footer_full")))
    return 0


@dataclass
class ReportFiles:
    report: Report
    docx: bytes
    xlsx: bytes


def report_files(store: Store, config: KommunConfig, *, year: int, public: bool) -> ReportFiles:
    """The report and both files in one go, for the page (tsk.ui.compute caches the result)."""
    report = build_report(store, config, year, public=public)
    return ReportFiles(report, report_docx(report), report_xlsx(report))


__all__ = ["Report", "Section", "Table", "Chart", "KeyFigure", "KeyFigures", "Bullets", "build_report",
           "report_docx", "report_xlsx", "run_report", "report_years", "display_frame", "format_cell",
           "key_figure_frame", "protect", "lagesbild_windows", "report_files", "ReportFiles", "Lead"]
