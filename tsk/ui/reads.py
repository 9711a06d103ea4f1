"""Typed reads: one cached function per question a page asks, named after the store method or page-data
function it calls. A page calls `reads.lagesbild_counts(areas=…, …)`; the body here calls
`store.lagesbild_counts(…)` (tsk/store/) or `survey.survey_shares(store, config, …)` directly, so an
editor goes from the page to the SQL in two hops, and a misspelt question fails at import and lint time.

Each read is cached until the database file changes (tsk.ui.cache.cached_read); its arguments must be
hashable (tuples, not lists). The report and corrections modules are imported by their reads only: they
bring matplotlib and openpyxl, which the other pages never need.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from tsk.config import load_config
from tsk.pagedata import candidates, lagesbild, overview, scoring, survey, traffpunkt
from tsk.pagedata import meeting as mtg
from tsk.store import Store
from tsk.ui.cache import cached_read, db_version

if TYPE_CHECKING:
    from tsk.report import ReportFiles

# --- store questions (tsk/store/) --------------------------------------------------------------------------


@cached_read
def counts(store: Store) -> dict[str, int]:
    return store.counts()


@cached_read
def first_week(store: Store) -> tuple[int, int] | None:
    return store.first_week()


@cached_read
def latest_week(store: Store) -> tuple[int, int] | None:
    return store.latest_week()


@cached_read
def years_present(store: Store) -> list[int]:
    return store.years_present()


@cached_read
def survey_years_present(store: Store) -> list[int]:
    return store.survey_years_present()


@cached_read
def survey_years(store: Store) -> list[int]:
    return store.survey_years()


@cached_read
def area_geometries(store: Store) -> pd.DataFrame:
    return store.area_geometries()


@cached_read
def lagesbild_counts(store: Store, *, areas: tuple[str, ...], orgs: tuple[str, ...], cats: tuple[str, ...],
                     week_from: date, week_to: date, period: str = "week",
                     by: str | tuple[str, ...] = "category") -> pd.DataFrame:
    return store.lagesbild_counts(areas=areas, orgs=orgs, cats=cats, week_from=week_from, week_to=week_to,
                                  period=period, by=by)


@cached_read
def lagesbild_month_of_year(store: Store, *, areas: tuple[str, ...], orgs: tuple[str, ...],
                            cats: tuple[str, ...], week_from: date, week_to: date) -> pd.DataFrame:
    return store.lagesbild_month_of_year(areas=areas, orgs=orgs, cats=cats, week_from=week_from, week_to=week_to)


@cached_read
def lagesbild_places(store: Store, *, areas: tuple[str, ...], orgs: tuple[str, ...], cats: tuple[str, ...],
                     week_from: date, week_to: date) -> pd.DataFrame:
    return store.lagesbild_places(areas=areas, orgs=orgs, cats=cats, week_from=week_from, week_to=week_to)


@cached_read
def police_by_ort(store: Store, *, areas: tuple[str, ...], date_from: date, date_to: date,
                  cats: tuple[str, ...] | None = None) -> pd.DataFrame:
    return store.police_by_ort(areas=areas, date_from=date_from, date_to=date_to, cats=cats)


@cached_read
def reporting_coverage(store: Store, *, areas: tuple[str, ...], orgs: tuple[str, ...], week_from: date,
                       week_to: date) -> pd.DataFrame:
    return store.reporting_coverage(areas=areas, orgs=orgs, week_from=week_from, week_to=week_to)


@cached_read
def place_timeline(store: Store, *, ort: str, plats: str | None, orgs: tuple[str, ...], cats: tuple[str, ...],
                   week_from: date, week_to: date) -> pd.DataFrame:
    return store.place_timeline(ort=ort, plats=plats, orgs=orgs, cats=cats, week_from=week_from, week_to=week_to)


@cached_read
def traffpunkt_respondents_per_area(store: Store) -> pd.DataFrame:
    return store.traffpunkt_respondents_per_area()


@cached_read
def walks(store: Store) -> pd.DataFrame:
    return store.walks()


@cached_read
def walk(store: Store, walk_id: int) -> tuple[dict, pd.DataFrame, pd.DataFrame] | None:
    return store.walk(walk_id=walk_id)


@cached_read
def meetings(store: Store) -> pd.DataFrame:
    return store.meetings()


@cached_read
def all_measures(store: Store) -> pd.DataFrame:
    return store.all_measures()


@cached_read
def app_reports_of(store: Store, *, units: tuple[str, ...], since: tuple[int, int]) -> pd.DataFrame:
    return store.app_reports_of(list(units), since=since)


@cached_read
def units_reports(store: Store, *, units: tuple[str, ...], week_from: date, week_to: date) -> pd.DataFrame:
    """The units' reports of these weeks from either source, without comments (Store.unit_reports)."""
    frames = [store.unit_reports(u, week_from, week_to) for u in units]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


@cached_read
def app_report_history(store: Store, *, report_id: str) -> pd.DataFrame:
    return store.app_report_history(report_id)


@cached_read
def measure_history(store: Store, measure_id: int | None = None) -> pd.DataFrame:
    return store.measure_history(measure_id=measure_id)


@cached_read
def open_quarantine(store: Store) -> pd.DataFrame:
    return store.open_quarantine()


@cached_read
def import_log(store: Store) -> pd.DataFrame:
    return store.import_log()


@cached_read
def orter_reference(store: Store) -> pd.DataFrame:
    return store.orter_reference()


@cached_read
def places_reference(store: Store) -> pd.DataFrame:
    return store.places_reference()


# --- page-data questions (store and config: tsk.pagedata.*) ----------------------------------------------


@cached_read
def area_metric(store: Store, *, metric: str, item: str | None = None, weeks: int | None = None) -> pd.DataFrame:
    return overview.area_metric(store, load_config(), metric=metric, item=item, weeks=weeks)


@cached_read
def key_figures(store: Store) -> list[dict]:
    return overview.key_figures(store, load_config())


@cached_read
def reporting_reminders(store: Store) -> tuple[pd.DataFrame, date | None]:
    return lagesbild.reporting_reminders(store, load_config())


@cached_read
def since_last_meeting(store: Store, *, areas: tuple[str, ...], orgs: tuple[str, ...],
                       recent_weeks: int | None = None, baseline_weeks: int | None = None,
                       alpha: float = 0.05) -> pd.DataFrame:
    return lagesbild.since_last_meeting(store, load_config(), areas=areas, orgs=orgs, recent_weeks=recent_weeks,
                                       baseline_weeks=baseline_weeks, alpha=alpha)


@cached_read
def survey_shares(store: Store, *, item: str, year_from: int, year_to: int, by: str = "area",
                  groups: tuple[str, ...] = ()) -> pd.DataFrame:
    return survey.survey_shares(store, load_config(), item=item, year_from=year_from, year_to=year_to, by=by,
                                  groups=groups)


@cached_read
def problem_index(store: Store, *, year_from: int, year_to: int) -> pd.DataFrame:
    return survey.problem_index(store, load_config(), year_from=year_from, year_to=year_to)


@cached_read
def survey_number_means(store: Store, *, item: str, year_from: int, year_to: int,
                        groups: tuple[str, ...] = ()) -> pd.DataFrame:
    return survey.survey_number_means(store, load_config(), item=item, year_from=year_from, year_to=year_to,
                                        groups=groups)


@cached_read
def survey_mentions(store: Store, *, year_from: int, year_to: int) -> pd.DataFrame:
    return survey.survey_mentions(store, load_config(), year_from=year_from, year_to=year_to)


@cached_read
def breakdown(store: Store, *, item: str, year: int, by: str) -> pd.DataFrame | None:
    return survey.breakdown(store, load_config(), item=item, year=year, by=by)


@cached_read
def traffpunkt_shares(store: Store, *, item: str) -> pd.DataFrame:
    return traffpunkt.traffpunkt_shares(store, load_config(), item=item)


@cached_read
def last_meeting_window(store: Store) -> tuple[date | None, int]:
    return mtg.last_meeting_window(store, load_config())


@cached_read
def samlad_lagesbild(store: Store, *, areas: tuple[str, ...], orgs: tuple[str, ...], week_from: date,
                     week_to: date) -> pd.DataFrame:
    return mtg.samlad_lagesbild(store, load_config(), areas=areas, orgs=orgs, week_from=week_from, week_to=week_to)


@cached_read
def disagreements(store: Store, *, areas: tuple[str, ...], week_from: date, week_to: date) -> list[str]:
    return mtg.disagreements(store, load_config(), areas=areas, week_from=week_from, week_to=week_to)


@cached_read
def agenda(store: Store, *, today: date) -> dict:
    return mtg.agenda(store, load_config(), today=today)


@cached_read
def report_years(store: Store) -> list[int]:
    from tsk import report  # loaded by the Uppföljning page only (it brings matplotlib)

    return report.report_years(store, load_config())


@cached_read
def report_files(store: Store, *, year: int, public: bool) -> ReportFiles:
    from tsk import report  # loaded by the Uppföljning page only (it brings matplotlib)

    return report.report_files(store, load_config(), year=year, public=public)


@cached_read
def measure_effects(store: Store, *, max_weeks: int | None = None) -> pd.DataFrame:
    return candidates.measure_effects(store, load_config(), max_weeks=max_weeks)


@cached_read
def candidate_evidence(store: Store, *, level: str = "plats",
                       organisations: tuple[str, ...] | None = None) -> pd.DataFrame:
    return candidates.candidate_evidence(store, load_config(), level=level, organisations=organisations)


@cached_read
def review_list(store: Store) -> dict:
    from tsk.ingest import corrections  # the Data page only: it brings the importers

    return corrections.review_list(store, load_config())


@cached_read
def quarantine_group(store: Store, *, source: str | None, reason_key: str | None, value: str | None,
                     reason: str | None = None) -> list[dict]:
    from tsk.ingest import corrections  # the Data page only: it brings the importers

    return corrections.quarantine_group(store, load_config(), source=source, reason_key=reason_key, value=value,
                                        reason=reason)


# --- candidates, scored per weights ------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _scored(path: str, stamp: tuple, level: str, weights: tuple) -> pd.DataFrame:
    return candidates.score(candidate_evidence(level=level), load_config(), dict(weights))


def scored_candidates(level: str, weights: dict | None = None) -> pd.DataFrame:
    """Candidates for a trygghetsvandring scored with these weights (None: the configured ones), cached
    per (data, level, weights): the weights are widgets, and every other widget reruns the page too.
    The evidence behind it is computed once per data version, whichever page asks first."""
    if weights is None:
        weights = scoring.default_weights(load_config())
    return _scored(*db_version(), level, tuple(sorted(weights.items())))


# --- the samordnare's view of the reporting units (Analysgrupp, tab Inrapportering; issue 17) --------------


@cached_read
def unit_sources(store: Store, *, weeks: int) -> pd.DataFrame:
    from tsk.pagedata import feedback

    return feedback.unit_sources(store, weeks)


@cached_read
def feedback_units(store: Store) -> list[str]:
    from tsk.pagedata import feedback

    return feedback.feedback_units(store, load_config())


@cached_read
def feedback_weeks(store: Store) -> list[date]:
    from tsk.pagedata import feedback

    return feedback.feedback_weeks(store, load_config().windows.feedback_weeks)


@cached_read
def unit_feedback(store: Store, *, unit: str, week_from: date, week_to: date, public: bool):
    from tsk.pagedata import feedback

    return feedback.unit_feedback(store, load_config(), unit=unit, week_from=week_from, week_to=week_to,
                                  public=public)


# --- the TSK årshjul (Översikt, Analysgrupp; issue 18) ------------------------------------------------------


@cached_read
def arshjul(store: Store, *, year: int, today: date) -> list:
    """The year's routine items with their states (tsk.pagedata.arshjul.Occurrence)."""
    from tsk.pagedata import arshjul as aj

    return aj.wheel(store, load_config(), year=year, today=today)


@cached_read
def arshjul_coming(store: Store, *, today: date) -> list:
    """The coming dates of the routine, the next twelve months (for the agenda and the .ics file)."""
    from tsk.pagedata import arshjul as aj

    return aj.coming(store, load_config(), today=today)


# --- Träffpunkt steps 2–4 and Samhällskris (Träffpunkt, Trygghetsvandring; issue 18) ------------------------


@cached_read
def traffpunkt_steps(store: Store) -> pd.DataFrame:
    return store.traffpunkt_steps()


@cached_read
def samhallskris_meetings(store: Store) -> pd.DataFrame:
    return store.samhallskris_meetings()


@cached_read
def dialog_followups(store: Store, *, origin: str) -> pd.DataFrame:
    return store.dialog_followups(origin)



@cached_read
def dialog_history(store: Store, *, table: str, dialog_id: int) -> pd.DataFrame:
    return store.dialog_history(table, dialog_id)
