"""`validate`: a walk with its observations and measures against the kommun's configuration.

One small check per part (the walk's fields, its route, its participants, each observation, each
measure); the first problem found raises TskError with a Swedish message (tsk.i18n `walk_*`), in the
order walk fields, observations in order, measures in list order (numbered from 1 as in the protocol).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tsk.config import KommunConfig
from tsk.errors import TskError
from tsk.gazetteer import Gazetteer
from tsk.i18n import t
from tsk.registers.statuses import MEASURE_DONE, WALK_DONE, WALK_STATUSES
from tsk.registers.walks import ORIGIN, Measure, Observation, Walk


def _listing(values) -> str:
    return ", ".join(str(v) for v in values)


def _hint(suggestions: list[str]) -> str:
    return " " + t("suggestions", names=", ".join(suggestions)) if suggestions else ""


def _place_hint(gazetteer: Gazetteer, ort: str, name: str) -> str:
    index = gazetteer.places_by_ort[ort]
    canonical = index.get(name)
    return _hint([canonical] if canonical and canonical != name else index.suggest(name))


def _is_count(n) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 0


@dataclass(frozen=True)
class _Context:
    """What every check needs: the configuration, its gazetteer, the walk's places and today."""

    config: KommunConfig
    gazetteer: Gazetteer
    places: set[str]
    today: date

    def place_hint(self, ort: str, name: str) -> str:
        return _place_hint(self.gazetteer, ort, name)


def validate(walk: Walk, observations: list[Observation], measures: list[Measure], config: KommunConfig, *,
             today: date | None = None) -> None:
    """Check a walk with its observations and measures against the configuration.

    Raises TskError with a Swedish message naming the first problem (walk fields first, then the
    observations in order, then the measures in list order, numbered from 1 as in the protocol).
    Names must be the configured (canonical) names; an alias is refused with the canonical name as
    suggestion. `today` is for tests; it defaults to the current date.
    """
    gazetteer = Gazetteer(config)
    _check_ort(walk, config, gazetteer)
    ctx = _Context(config, gazetteer, {p.name for p in config.platser if p.ort == walk.ort}, today or date.today())
    _check_walk_fields(walk, ctx)
    _check_route(walk, ctx)
    _check_participants(walk, ctx)
    _check_observations(walk, observations, ctx)
    for no, m in enumerate(measures, start=1):
        _check_measure(no, m, walk, ctx)


def _check_ort(walk: Walk, config: KommunConfig, gazetteer: Gazetteer) -> None:
    """The ort is a configured (canonical) name, and the walk's area is the ort's area."""
    if walk.ort not in {o.name for o in config.orter}:
        canonical = gazetteer.orter.get(walk.ort)
        raise TskError("walk_unknown_ort", name=walk.ort,
                       hint=_hint([canonical] if canonical else gazetteer.orter.suggest(walk.ort)))
    expected_area = gazetteer.area_of_ort[walk.ort]
    if walk.area != expected_area:
        raise TskError("walk_area_mismatch", ort=walk.ort, area=walk.area, expected=expected_area)


def _check_walk_fields(walk: Walk, ctx: _Context) -> None:
    """A known status; a done walk not in the future; the follow-up meeting not before the walk."""
    if walk.status not in WALK_STATUSES:
        raise TskError("walk_unknown_status", status=walk.status, allowed=_listing(WALK_STATUSES))
    if walk.status == WALK_DONE and walk.walk_date > ctx.today:
        raise TskError("walk_done_in_future", walk_date=walk.walk_date.isoformat())
    if walk.followup_date is not None and walk.followup_date < walk.walk_date:
        raise TskError("walk_followup_before_walk", followup=walk.followup_date.isoformat(),
                       walk_date=walk.walk_date.isoformat())


def _check_route(walk: Walk, ctx: _Context) -> None:
    """Every place of the route is a configured place of the walk's ort."""
    for name in walk.route:
        if name not in ctx.places:
            raise TskError("walk_unknown_route_place", name=name, ort=walk.ort,
                           hint=ctx.place_hint(walk.ort, name))


def _check_participants(walk: Walk, ctx: _Context) -> None:
    """Configured roles, whole counts of 0 or more, and no more people than a walk may have."""
    v = ctx.config.vandring
    for role, n in walk.participants.items():
        if role not in v.roles:
            raise TskError("walk_unknown_role", role=role, allowed=_listing(v.roles))
        if not _is_count(n):
            raise TskError("walk_bad_count", role=v.roles[role], n=n)
    if walk.total_participants > v.max_participants:
        raise TskError("walk_too_many_participants", n=walk.total_participants, max=v.max_participants)


def _check_observations(walk: Walk, observations: list[Observation], ctx: _Context) -> None:
    """Unique numbers from 1, known places, a problem text, and causes from the checklist."""
    checklist = ctx.config.vandring.checklist
    causes = {c.key for c in checklist}
    seen: set[int] = set()
    for o in observations:
        if not isinstance(o.obs_no, int) or isinstance(o.obs_no, bool) or o.obs_no < 1 or o.obs_no in seen:
            raise TskError("walk_bad_obs_no", no=o.obs_no)
        seen.add(o.obs_no)
        if o.place is not None and o.place not in ctx.places:
            raise TskError("walk_unknown_obs_place", no=o.obs_no, name=o.place, ort=walk.ort,
                           hint=ctx.place_hint(walk.ort, o.place))
        if not (o.problem or "").strip():
            raise TskError("walk_empty_problem", no=o.obs_no)
        for cause in o.causes:
            if cause not in causes:
                raise TskError("walk_unknown_cause", no=o.obs_no, cause=cause,
                               allowed=_listing(f"{c.key} ({c.label})" for c in checklist))


def _check_measure(no: int, m: Measure, walk: Walk, ctx: _Context) -> None:
    """Measure `no` (from 1): the walk's origin and ort, a known place, a description, and configured
    owner, decision path and status; then its dates (`_check_measure_dates`)."""
    v = ctx.config.vandring
    if m.origin != ORIGIN:
        raise TskError("walk_measure_origin", no=no, origin=m.origin)
    if m.ort != walk.ort:
        raise TskError("walk_measure_other_ort", no=no, ort=m.ort, walk_ort=walk.ort)
    if m.place is not None and m.place not in ctx.places:
        raise TskError("walk_unknown_measure_place", no=no, name=m.place, ort=walk.ort,
                       hint=ctx.place_hint(walk.ort, m.place))
    if not (m.description or "").strip():
        raise TskError("walk_empty_description", no=no)
    if m.owner not in v.owners:
        raise TskError("walk_unknown_owner", no=no, owner=m.owner, allowed=_listing(v.owners))
    if m.decision_path not in v.decision_paths:
        raise TskError("walk_unknown_decision_path", no=no, path=m.decision_path,
                       allowed=_listing(v.decision_paths))
    if m.status not in v.statuses:
        raise TskError("walk_unknown_measure_status", no=no, status=m.status, allowed=_listing(v.statuses))
    _check_measure_dates(no, m, walk)


def _check_measure_dates(no: int, m: Measure, walk: Walk) -> None:
    """A completed date exactly when the status is done, and not before the walk."""
    if m.status == MEASURE_DONE and m.completed_date is None:
        raise TskError("walk_done_without_date", no=no)
    if m.completed_date is not None and m.status != MEASURE_DONE:
        raise TskError("walk_date_without_done", no=no, completed=m.completed_date.isoformat(), status=m.status)
    if m.completed_date is not None and m.completed_date < walk.walk_date:
        raise TskError("walk_completed_before_walk", no=no, completed=m.completed_date.isoformat(),
                       walk_date=walk.walk_date.isoformat())
