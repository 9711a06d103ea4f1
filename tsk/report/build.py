"""Build the follow-up report: each section builder (tsk.report.build_*) adds the blocks of one part
and the key figures, sources and missing data it found to a shared `ReportContext`; `assemble` puts
the parts in order under the three TSK goals, with a summary first and the method last."""
from __future__ import annotations

from datetime import date

import pandas as pd

from tsk.config import KommunConfig
from tsk.errors import TskError
from tsk.i18n import t
from tsk.pagedata import common
from tsk.report import (
    build_arshjul,
    build_dialog,
    build_lagesbild,
    build_survey,
    build_traffpunkt,
    build_walks,
)
from tsk.report.context import ReportContext
from tsk.report.model import Block, Bullets, KeyFigures, Lead, Report, Section, Table
from tsk.report.periods import report_years, years_span
from tsk.store import Store


def build_report(store: Store, config: KommunConfig, year: int, *, public: bool) -> Report:
    """The follow-up report for `year` (full, or `public`). Raises TskError("rp_no_data") when no source
    holds anything for the year."""
    years = report_years(store)
    if int(year) not in years:
        raise TskError("rp_no_data", year=year, years=years_span(years))
    return assemble(ReportContext(store, config, int(year), bool(public)))


def method(ctx: ReportContext) -> list[Block]:
    """The method section: sources, self-selection, answer scales, tests, suppression, this version."""
    cfg = ctx.config
    sources = t("rp_m_sources", organisations=common.organisations_text(cfg))
    blocks: list[Block] = [Lead(t("rp_ml_sources"), sources),
                           Lead(t("rp_ml_selfselected"), t("rp_m_selfselected"))]
    item = cfg.item(cfg.headline_item)
    if item and ctx.survey_years:
        counts = ctx.store.survey_value_counts(item=cfg.headline_item, year_from=ctx.survey_years[0],
                                                year_to=ctx.survey_years[-1], by="kommun")
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
                                          mark=ctx.hidden)),
        Lead(t("rp_ml_public"), t("rp_m_public", n=cfg.suppression_min)),
        Lead(t("rp_ml_version"), (t("rp_m_this_public") if ctx.public else t("rp_m_this_full")) + " "
             + t("rp_m_created", created=date.today().isoformat())),
    ]
    return blocks


def assemble(ctx: ReportContext) -> Report:
    """Run the section builders (their order fills the key figures and sources) and put the parts
    under the summary, the three goals and the method."""
    survey = build_survey.survey(ctx)
    lagesbild = build_lagesbild.lagesbild(ctx)
    police = [] if ctx.public else build_lagesbild.police(ctx)
    traffpunkt = build_traffpunkt.traffpunkt(ctx)
    walks = build_walks.walks(ctx)
    coverage = build_lagesbild.coverage(ctx)
    measures = build_walks.measures(ctx)
    next_year = build_walks.next_year(ctx)
    routine, plain = build_arshjul.arshjul(ctx)
    registers = build_dialog.dialog_and_kris(ctx)

    trygg = Section(ctx.goal("trygg"), 1, [KeyFigures(ctx.kf["trygg"])])
    demokrati = Section(ctx.goal("demokrati"), 1, [KeyFigures(ctx.kf["demokrati"])])
    prioritera = Section(ctx.goal("prioritera"), 1, [KeyFigures(ctx.kf["prioritera"])])
    summary = Section(t("rp_h_summary"), 1, [t("rp_intro", kommun=ctx.config.name, year=ctx.year),
                                              t("rp_version_public") if ctx.public else t("rp_version_full")])
    summary.blocks.append(Bullets([k.sentence() for k in (*ctx.kf["demokrati"], *ctx.kf["trygg"],
                                                           *ctx.kf["prioritera"])]))
    summary.blocks += plain  # «Ingen trygghetsvandring i centralorten 2026», stated plainly
    if ctx.missing:
        summary.blocks.append(t("rp_missing_heading"))
        summary.blocks.append(Bullets(list(ctx.missing)))
    sources = pd.DataFrame(ctx.sources)
    summary.blocks.append(Table("sources", t("rp_tbl_sources", year=ctx.year), t("rp_sheet_sources"), sources,
                                {c: "text" for c in sources.columns}))
    sections = [
        summary,
        demokrati,
        Section(t("rp_h_traffpunkt"), 2, traffpunkt),
        Section(t("rp_h_walks"), 2, walks),
        Section(t("rp_h_dialog", year=ctx.year), 2, registers),
        trygg,
        Section(t("rp_h_survey"), 2, survey),
        Section(t("rp_h_lagesbild"), 2, lagesbild),
    ]
    if not ctx.public:
        sections.append(Section(t("rp_h_police"), 2, police))
    sections += [
        prioritera,
        Section(t("rp_h_coverage"), 2, coverage or [t("rp_missing_lagesbild", year=ctx.year)]),
        Section(t("rp_h_measures"), 2, measures),
        Section(t("rp_h_next_year", year=ctx.year + 1), 2, next_year),
        *([Section(t("rp_h_arshjul", year=ctx.year), 2, routine)] if routine else []),
        Section(t("rp_h_method"), 1, method(ctx)),
    ]
    return Report(
        kommun=t("rp_kommun", name=ctx.config.name), year=ctx.year, public=ctx.public, title=t("rp_title"),
        version=(t("rp_version_label_public") if ctx.public else
                 t("rp_version_label_full", recipients=common.report_recipients_text(ctx.config))),
        created=date.today(), hidden_mark=ctx.hidden, sections=sections)
