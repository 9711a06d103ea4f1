"""«Lägesbild och åtgärdsplan enligt lag (2023:196)»: the document the law on the kommuner's responsibility
for crime prevention asks for, built from the store with the yearly report's machinery (the same blocks,
`ReportContext`, Word and Excel writers).

Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete, 4 §: the kommun makes a lägesbild of the
crime in its area (a mapping of the crime, its extent and consequences, other information that matters,
and an analysis of them); 5 §: from it, the kommun takes a position on the need for measures and decides
an åtgärdsplan (text: https://lagen.nu/2023:196, prop. 2022/23:43). That the lägesbild is to be updated at
least every second year is stated as issue 18 gives it: the sources searched (Brå's «Kommuner mot brott»
and Sveriges Allmännytta on SOU 2021:49) speak of a follow-up every second year, the statute's own wording
on the interval was not found in them. The document therefore states its own date and the date of the
previous one (tsk.report.lag_files keeps them in the import log).

Parts: the samlad lägesbild (sources with period and n; the lägesbild, survey, Träffpunkt and, in the full
version, police parts of the yearly report), the problem areas and places (the walk candidate scoring,
tsk.pagedata.candidates), the åtgärdsplan (the measures register, Store.all_measures) and its follow-up
(status counts, overdue measures). The public version has no free text: measure descriptions and outcomes
are left out, category, owner and status kept; the scoring's reasons and scores are left out too (they are
the analysgrupp's material in the yearly report as well)."""
from __future__ import annotations

from datetime import date

import pandas as pd

from tsk.config import KommunConfig
from tsk.errors import TskError
from tsk.formatting import fmt_int
from tsk.i18n import t
from tsk.pagedata import common, scoring
from tsk.pagedata import meeting as mtg
from tsk.pagedata.candidates import ranked_candidates
from tsk.registers.statuses import MEASURE_DECIDED, MEASURE_DONE, MEASURE_ONGOING
from tsk.report import build_lagesbild, build_survey, build_traffpunkt
from tsk.report.common import as_date
from tsk.report.context import ReportContext
from tsk.report.model import Block, Bullets, KeyFigures, Lead, Report, Section, Table
from tsk.report.periods import report_years, years_span
from tsk.store import Store

TOP_PLACES = 10
TOP_ORTER = 5
# The law's interval between two lägesbilder (as issue 18 states it), in years.
UPDATE_YEARS = 2


def build_lag(store: Store, config: KommunConfig, year: int, *, public: bool, today: date | None = None,
              previous: date | None = None) -> Report:
    """The lägesbild and åtgärdsplan for `year` (full, or `public`). `previous`: the date of the previous
    lägesbild (tsk.report.lag_files.previous_date), None when none is recorded. Raises
    TskError("lg_no_data") when no source holds anything for the year (an empty store included)."""
    years = report_years(store)
    if int(year) not in years:
        raise TskError("lg_no_data", year=year, years=years_span(years))
    today = today or date.today()
    ctx = ReportContext(store, config, int(year), bool(public))
    samlad = samlad_lagesbild(ctx)
    problems = problem_places(ctx)
    plan, follow = action_plan(ctx, today)
    sections = [
        Section(t("lg_h_about"), 1, about(ctx, today, previous)),
        Section(t("lg_h_samlad"), 1, samlad),
        Section(t("lg_h_problems"), 1, problems),
        Section(t("lg_h_plan"), 1, plan),
        Section(t("lg_h_follow"), 1, follow),
        Section(t("lg_h_method"), 1, method(ctx, today)),
    ]
    return Report(
        kommun=t("rp_kommun", name=config.name), year=ctx.year, public=ctx.public, title=t("lg_title"),
        version=(t("rp_version_label_public") if ctx.public else
                 t("rp_version_label_full", recipients=common.report_recipients_text(config))),
        created=today, hidden_mark=ctx.hidden, sections=sections)


def data_until(store: Store, today: date) -> date | None:
    """The newest date the data reach: the Sunday of the latest lägesbild week or the latest police
    event; with neither, the end of the latest survey year (never after `today`). None for an empty store."""
    periods = store.source_periods()
    found = []
    if periods.get("lagesbild"):
        y, w = periods["lagesbild"]
        found.append(date.fromisocalendar(int(y), int(w), 7))
    if periods.get("police") is not None:
        found.append(as_date(periods["police"]))
    if not found and periods.get("survey") is not None:
        found.append(date(int(periods["survey"]), 12, 31))
    return min(max(found), today) if found else None


def about(ctx: ReportContext, today: date, previous: date | None) -> list[Block]:
    """What the law asks, the date of this lägesbild, what data it reaches to, and the previous one."""
    until = data_until(ctx.store, today)
    blocks: list[Block] = [t("lg_intro", kommun=ctx.config.name, year=ctx.year),
                           t("lg_m_public") if ctx.public else t("lg_m_full")]
    dates = [t("lg_date_this", date=today.isoformat()),
             t("lg_data_until", date=until.isoformat()) if until else t("lg_data_until_none")]
    if previous is None:
        dates.append(t("lg_previous_none", years=UPDATE_YEARS))
    else:
        months = (today.year - previous.year) * 12 + today.month - previous.month
        key = "lg_previous_late" if months > 12 * UPDATE_YEARS else "lg_previous"
        dates.append(t(key, date=previous.isoformat(), months=fmt_int(months), years=UPDATE_YEARS))
    leap_day = (today.month, today.day) == (2, 29)
    next_due = today.replace(year=today.year + UPDATE_YEARS, day=28 if leap_day else today.day)
    dates.append(t("lg_next_due", date=next_due.isoformat()))
    blocks.append(Bullets(dates))
    return blocks


def samlad_lagesbild(ctx: ReportContext) -> list[Block]:
    """The sources with their period and n, then the yearly report's lägesbild, survey, Träffpunkt and
    (full version) police parts."""
    lagesbild = build_lagesbild.lagesbild(ctx)
    survey = build_survey.survey(ctx)
    traffpunkt = build_traffpunkt.traffpunkt(ctx)
    police = [] if ctx.public else build_lagesbild.police(ctx)
    sources = pd.DataFrame(ctx.sources)
    blocks: list[Block] = [
        t("lg_samlad_intro", organisations=common.organisations_text(ctx.config)),
        Table("lag_sources", t("lg_tbl_sources", year=ctx.year), t("lg_sheet_sources"), sources,
              {c: "text" for c in sources.columns}, note="" if not ctx.public else t("lg_note_sources_public")),
    ]
    if ctx.missing:
        blocks += [t("rp_missing_heading"), Bullets(list(ctx.missing))]
    if ctx.kf["trygg"]:
        blocks.append(KeyFigures(list(ctx.kf["trygg"])))
    parts = [(t("rp_h_lagesbild"), lagesbild), (t("rp_h_survey"), survey), (t("rp_h_traffpunkt"), traffpunkt)]
    if not ctx.public:
        parts.append((t("rp_h_police"), police))
    for heading, part in parts:
        blocks.append(Lead(heading, t("lg_part_follows")))
        blocks += part
    return blocks


def _candidate_table(ctx: ReportContext, level: str, n: int) -> Table | None:
    scored = ranked_candidates(ctx.store, ctx.config, level=level)
    top = scored[scored["status"] == scoring.STATUS_OK].head(n) if not scored.empty else scored
    if top.empty:
        return None
    frame = pd.DataFrame({t("col_rank"): [int(x) for x in top["rank"]], t("col_unit"): list(top["unit"]),
                          t("col_area"): list(top["area"])})
    kinds = {t("col_rank"): "int", t("col_unit"): "text", t("col_area"): "text"}
    if not ctx.public:
        frame[t("col_total")] = [round(float(x), 1) for x in top["total"]]
        frame[t("col_reasons")] = [" · ".join(rs) for rs in top["reasons"]]
        frame[t("col_uncertainty")] = list(top["uncertainty"])
        kinds |= {t("col_total"): "dec", t("col_reasons"): "text", t("col_uncertainty"): "text"}
    key = "lag_places" if level == "plats" else "lag_orter"
    title = t("lg_tbl_places" if level == "plats" else "lg_tbl_orter", n=len(top))
    sheet = t("lg_sheet_places" if level == "plats" else "lg_sheet_orter")
    v = ctx.config.vandring
    note = t("vc_method", recent=v.recent_weeks, base=v.baseline_weeks, months=v.centralort_interval_months)
    if ctx.public:
        note = t("lg_note_places_public")
    return Table(key, title, sheet, frame, kinds, note=note, layout="table" if ctx.public else "cards",
                 card_bullets="" if ctx.public else t("col_reasons"))


def problem_places(ctx: ReportContext) -> list[Block]:
    """The orter and places the candidate scoring puts first, with their evidence (full version)."""
    blocks: list[Block] = [t("lg_problems_intro")]
    tables = [tb for tb in (_candidate_table(ctx, "ort", TOP_ORTER), _candidate_table(ctx, "plats", TOP_PLACES))
              if tb is not None]
    if not tables:
        return [t("lg_problems_none")]
    if ctx.year != ctx.latest_year:
        blocks.append(t("lg_problems_latest", latest=ctx.latest_year))
    return blocks + tables


def plan_measures(measures: pd.DataFrame, year: int) -> pd.DataFrame:
    """The åtgärdsplan: decided measures still open, and those completed in `year` or the year before."""
    if measures.empty:
        return measures
    completed = pd.to_datetime(measures["completed_date"]).dt.year
    open_ = measures["status"].isin((MEASURE_DECIDED, MEASURE_ONGOING))
    done = (measures["status"] == MEASURE_DONE) & completed.isin([year - 1, year])
    return measures[open_ | done]


def _plan_frame(ctx: ReportContext, plan: pd.DataFrame) -> Table:
    labels = ctx.labels
    rows = []
    for r in plan.itertuples():
        place = f"{r.place}, {r.ort}" if isinstance(r.place, str) else r.ort
        row = {t("ag_col_id"): int(r.measure_id), t("col_plats"): place,
               t("col_area"): r.area if isinstance(r.area, str) else "",
               t("col_category"): labels.get(r.category, r.category) if isinstance(r.category, str) else "",
               t("ag_col_origin"): r.origin}
        if not ctx.public:
            row[t("vr_col_measure")] = r.description
        row |= {t("lg_col_owner"): r.owner, t("vr_col_path"): r.decision_path,
                t("ag_col_decided"): as_date(r.decision_date), t("col_status"): r.status,
                t("vr_col_due"): as_date(r.due_date), t("vr_col_completed"): as_date(r.completed_date)}
        rows.append(row)
    frame = pd.DataFrame(rows)
    kinds = {c: "text" for c in frame.columns}
    kinds |= {t("ag_col_id"): "int", t("ag_col_decided"): "date", t("vr_col_due"): "date",
              t("vr_col_completed"): "date"}
    note = t("lg_note_plan_public") if ctx.public else t("lg_note_plan_full")
    # Cards in Word: twelve columns on an A4 page broke words letter by letter (Excel keeps the table).
    return Table("lag_plan", t("lg_tbl_plan", year=ctx.year), t("lg_sheet_plan"), frame, kinds, note=note,
                 layout="cards", card_bullets="" if ctx.public else t("vr_col_measure"), card_head=5)


def action_plan(ctx: ReportContext, today: date) -> tuple[list[Block], list[Block]]:
    """(the åtgärdsplan's blocks, the follow-up's blocks)."""
    measures = ctx.store.all_measures()
    plan = plan_measures(measures, ctx.year)
    proposed = int((measures["status"] == t("measure_status_proposed")).sum()) if not measures.empty else 0
    if plan.empty:
        plan_blocks: list[Block] = [t("lg_plan_none", year=ctx.year)]
    else:
        owners = plan["owner"].nunique()
        plan_blocks = [t("lg_plan_intro", n=fmt_int(len(plan)), owners=fmt_int(owners)), _plan_frame(ctx, plan)]
    if proposed:
        plan_blocks.append(t("lg_plan_proposed", n=fmt_int(proposed)))
    return plan_blocks, follow_up(ctx, measures, today)


def follow_up(ctx: ReportContext, measures: pd.DataFrame, today: date) -> list[Block]:
    """Status counts of the whole register and the open measures past their due date."""
    if measures.empty:
        return [t("lg_follow_none")]
    counts = measures["status"].value_counts()
    order = [s for s in ctx.config.vandring.statuses if s in counts] + \
        [s for s in counts.index if s not in ctx.config.vandring.statuses]
    status = pd.DataFrame({t("col_status"): order, t("lg_col_count"): [int(counts[s]) for s in order]})
    late = mtg.overdue(measures, today)
    blocks: list[Block] = [
        t("lg_follow_intro", n=fmt_int(len(measures)), today=today.isoformat()),
        Table("lag_status", t("lg_tbl_status"), t("lg_sheet_status"), status,
              {t("col_status"): "text", t("lg_col_count"): "int"}, note=t("lg_note_status")),
    ]
    if late.empty:
        blocks.append(t("lg_overdue_none", today=today.isoformat()))
        return blocks
    frame = pd.DataFrame({
        t("ag_col_id"): [int(x) for x in late["measure_id"]],
        t("col_plats"): [f"{p}, {o}" if isinstance(p, str) else o for p, o in zip(late["place"], late["ort"])],
        t("lg_col_owner"): list(late["owner"]), t("col_status"): list(late["status"]),
        t("vr_col_due"): [as_date(d) for d in late["due_date"]],
        t("lg_col_days_late"): [(today - as_date(d)).days for d in late["due_date"]],
    })
    kinds = {c: "text" for c in frame.columns}
    kinds |= {t("ag_col_id"): "int", t("vr_col_due"): "date", t("lg_col_days_late"): "int"}
    blocks += [t("lg_overdue_intro", n=fmt_int(len(late)), today=today.isoformat()),
               Table("lag_overdue", t("lg_tbl_overdue", today=today.isoformat()), t("lg_sheet_overdue"), frame,
                     kinds)]
    return blocks


def method(ctx: ReportContext, today: date) -> list[Block]:
    return [Lead(t("lg_ml_law"), t("lg_m_law", years=UPDATE_YEARS)),
            Lead(t("lg_ml_sources"), t("lg_m_sources")),
            Lead(t("rp_ml_selfselected"), t("rp_m_selfselected")),
            Lead(t("rp_ml_suppression"), t("rp_m_suppression", n=ctx.config.suppression_min,
                                              small=ctx.config.small_sample, mark=ctx.hidden)),
            Lead(t("rp_ml_version"), (t("lg_m_public") if ctx.public else t("lg_m_full")) + " "
                 + t("rp_m_created", created=today.isoformat())),
            Lead(t("lg_ml_record"), t("lg_m_record"))]
