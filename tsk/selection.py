"""The sidebar selection as plain data, and its round trip through URL query parameters, so that a link
reproduces the view. Pure: the Streamlit widgets live in tsk.ui."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from tsk.parsing import parse_week, week_monday

# URL parameter names (Swedish, since users see and share them).
P_YEARS, P_WEEKS, P_AREAS, P_ORGS, P_POLICE, P_MEETING = "ar", "veckor", "omraden", "kallor", "polis", "mote"


@dataclass(frozen=True)
class Selection:
    """What the user has chosen. Weeks are ISO (year, week) pairs; years bound the survey and Träffpunkt."""

    year_from: int
    year_to: int
    week_from: tuple[int, int]
    week_to: tuple[int, int]
    areas: tuple[str, ...]
    organisations: tuple[str, ...]
    police: bool = True
    meeting: bool = False

    @property
    def week_start_from(self) -> date:
        return week_monday(*self.week_from)

    @property
    def week_start_to(self) -> date:
        return week_monday(*self.week_to)

    @property
    def n_weeks(self) -> int:
        return (self.week_start_to - self.week_start_from).days // 7 + 1


def week_label(week: tuple[int, int]) -> str:
    return f"{week[0]}-W{week[1]:02d}"


def default_selection(*, years: list[int], latest_week: tuple[int, int] | None, areas: list[str],
                      organisations: list[str], weeks_back: int = 52,
                      first_week: tuple[int, int] | None = None) -> Selection:
    """All years and areas, every organisation, and the last `weeks_back` weeks of lägesbild (never
    before the first week with data)."""
    latest = latest_week or date.today().isocalendar()[:2]
    start = week_monday(*latest)
    first = start.fromordinal(start.toordinal() - 7 * (weeks_back - 1)).isocalendar()
    week_from = (first.year, first.week)
    if first_week and week_monday(*first_week) > week_monday(*week_from):
        week_from = tuple(first_week)
    return Selection(
        year_from=min(years) if years else latest[0],
        year_to=max(years) if years else latest[0],
        week_from=week_from,
        week_to=tuple(latest),
        areas=tuple(areas),
        organisations=tuple(organisations),
    )


def to_query_params(sel: Selection, default: Selection) -> dict[str, str]:
    """Only what differs from the default goes into the URL, so plain links stay short."""
    out = {}
    if (sel.year_from, sel.year_to) != (default.year_from, default.year_to):
        out[P_YEARS] = f"{sel.year_from}-{sel.year_to}"
    if (sel.week_from, sel.week_to) != (default.week_from, default.week_to):
        out[P_WEEKS] = f"{week_label(sel.week_from)}..{week_label(sel.week_to)}"
    if set(sel.areas) != set(default.areas):
        out[P_AREAS] = ",".join(sel.areas)
    if set(sel.organisations) != set(default.organisations):
        out[P_ORGS] = ",".join(sel.organisations)
    if sel.police != default.police:
        out[P_POLICE] = "1" if sel.police else "0"
    if sel.meeting:
        out[P_MEETING] = "1"
    return out


def from_query_params(params: dict[str, str], default: Selection, *, years: list[int], areas: list[str],
                      organisations: list[str]) -> Selection:
    """Read a selection from URL parameters; anything malformed or unknown falls back to the default
    (a shared link with a stale area name must still open)."""
    sel = default
    try:
        if P_YEARS in params:
            a, b = (int(x) for x in params[P_YEARS].split("-", 1))
            if years and min(years) <= a <= b <= max(years):
                sel = replace(sel, year_from=a, year_to=b)
    except ValueError:
        pass
    try:
        if P_WEEKS in params:
            a, b = params[P_WEEKS].split("..", 1)
            wa, wb = parse_week(a), parse_week(b)
            if week_monday(*wa) <= week_monday(*wb):
                sel = replace(sel, week_from=wa, week_to=wb)
    except ValueError:
        pass
    if P_AREAS in params:
        chosen = tuple(a for a in params[P_AREAS].split(",") if a in areas)
        if chosen:
            sel = replace(sel, areas=chosen)
    if P_ORGS in params:
        chosen = tuple(o for o in params[P_ORGS].split(",") if o in organisations)
        if chosen:
            sel = replace(sel, organisations=chosen)
    if P_POLICE in params:
        sel = replace(sel, police=params[P_POLICE] != "0")
    if params.get(P_MEETING) == "1":
        sel = replace(sel, meeting=True)
    return sel
