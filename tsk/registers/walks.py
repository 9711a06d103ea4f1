"""The trygghetsvandring register's objects: walks, what was seen per place, and the measures that follow;
their redaction and the mapping to and from the store's rows (tsk.store.schema migration 2, `Store.save_walk` /
`Store.walk`).

Identifiers. `Walk.walk_id`, `Walk.import_id` and `Measure.measure_id` are the store's identity of a
row, not part of a walk's content: they are excluded from equality (`compare=False`), so two objects
with the same content are equal whatever their ids. The store assigns them (sequences walk_id_seq and
measure_id_seq) when an object with id None is saved; `from_store_rows` fills them in; keeping them
on an object and saving again updates the same rows. The protocol workbook (tsk.registers.protocol)
carries no ids, so importing a protocol always creates a new walk.

Statuses are the words of tsk.registers.statuses.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import pandas as pd

from tsk.parsing import parse_date
from tsk.registers.statuses import MEASURE_PROPOSED, WALK_PLANNED
from tsk.text import redact

ORIGIN = "trygghetsvandring"  # measures.origin of a walk's measures

WALK_COLUMNS = ["walk_id", "ort", "area", "walk_date", "status", "route", "participants", "followup_date",
                "followup_notes", "import_id"]
OBSERVATION_COLUMNS = ["obs_no", "place", "problem", "causes"]
MEASURE_COLUMNS = ["measure_id", "origin", "ort", "place", "description", "owner", "decision_path", "due_date",
                   "status", "completed_date"]


# --------------------------------------------------------------------------------------------------
# Objects
# --------------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Walk:
    """One trygghetsvandring. `route`: plats names of the ort in walking order; `participants`: role key
    (config [vandring.roles]) -> number of people, never names; `status`: one of statuses.WALK_STATUSES."""

    walk_id: int | None = field(default=None, compare=False)
    ort: str
    area: str
    walk_date: date
    status: str = WALK_PLANNED
    route: list[str] = field(default_factory=list)
    participants: dict[str, int] = field(default_factory=dict)
    followup_date: date | None = None
    followup_notes: str | None = None
    # Set by the store when the walk came from an imported protocol; kept when the walk is saved again.
    import_id: int | None = field(default=None, compare=False)

    @property
    def total_participants(self) -> int:
        return sum(int(n) for n in self.participants.values())


@dataclass
class Observation:
    """What was seen at one place. `place` None = the ort in general; `causes`: checklist keys."""

    obs_no: int
    place: str | None
    problem: str
    causes: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Measure:
    """A measure that follows from the walk, with its owner, decision path and status."""

    measure_id: int | None = field(default=None, compare=False)
    origin: str = ORIGIN
    ort: str
    place: str | None = None
    description: str
    owner: str
    decision_path: str
    due_date: date | None = None
    status: str = MEASURE_PROPOSED
    completed_date: date | None = None


# --------------------------------------------------------------------------------------------------
# Redaction
# --------------------------------------------------------------------------------------------------


def participants_total(participants) -> int:
    """Total number of participants from the stored JSON (or a dict)."""
    data = json.loads(participants) if isinstance(participants, str) else (participants or {})
    return int(sum(int(n) for n in data.values()))


def redact_all(walk: Walk, observations: list[Observation], measures: list[Measure]
               ) -> tuple[Walk, list[Observation], list[Measure]]:
    """Copies with the free text (problem, description, followup_notes) passed through tsk.text.redact:
    personnummer, e-mail addresses and phone numbers removed. Do this before storing."""
    return (
        replace(walk, followup_notes=redact(walk.followup_notes)),
        [replace(o, problem=redact(o.problem)) for o in observations],
        [replace(m, description=redact(m.description)) for m in measures],
    )


# --------------------------------------------------------------------------------------------------
# Store rows
# --------------------------------------------------------------------------------------------------


def to_store_rows(walk: Walk, observations: list[Observation], measures: list[Measure]
                  ) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """The arguments of Store.save_walk.

    walk dict: WALK_COLUMNS (route and participants as JSON, ensure_ascii=False). Observations frame:
    OBSERVATION_COLUMNS (causes as a JSON list of checklist keys). Measures frame: MEASURE_COLUMNS,
    measure_id an object column holding None for a new measure; dates as datetime.date or None.
    """
    walk_row = {
        "walk_id": walk.walk_id,
        "ort": walk.ort,
        "area": walk.area,
        "walk_date": walk.walk_date,
        "status": walk.status,
        "route": json.dumps(list(walk.route), ensure_ascii=False),
        "participants": json.dumps({k: int(n) for k, n in walk.participants.items()}, ensure_ascii=False),
        "followup_date": walk.followup_date,
        "followup_notes": walk.followup_notes,
        "import_id": walk.import_id,
    }
    obs = pd.DataFrame(
        [[int(o.obs_no), o.place, o.problem, json.dumps(list(o.causes), ensure_ascii=False)] for o in observations],
        columns=OBSERVATION_COLUMNS,
    )
    obs = obs.astype({"obs_no": "int64"}) if len(obs) else obs
    meas = pd.DataFrame(
        [[m.measure_id, m.origin, m.ort, m.place, m.description, m.owner, m.decision_path, m.due_date, m.status,
          m.completed_date] for m in measures],
        columns=MEASURE_COLUMNS,
        dtype=object,
    )
    return walk_row, obs, meas


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _opt(value):
    return None if _missing(value) else value


def stored_date(value) -> date | None:
    """A date as the store or a sheet gives it (date, datetime, Timestamp, ISO text); None when missing."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value))


def _as_int(value) -> int | None:
    return None if _missing(value) else int(value)


def from_store_rows(walk_row: dict, obs_df: pd.DataFrame, measures_df: pd.DataFrame
                    ) -> tuple[Walk, list[Observation], list[Measure]]:
    """Objects from Store.walk's result (walk row dict, observations frame, measures frame)."""
    walk = Walk(
        walk_id=_as_int(walk_row.get("walk_id")),
        ort=walk_row["ort"],
        area=walk_row["area"],
        walk_date=stored_date(walk_row["walk_date"]),
        status=walk_row["status"],
        route=list(json.loads(walk_row["route"])),
        participants={k: int(n) for k, n in json.loads(walk_row["participants"]).items()},
        followup_date=stored_date(walk_row.get("followup_date")),
        followup_notes=_opt(walk_row.get("followup_notes")),
        import_id=_as_int(walk_row.get("import_id")),
    )
    observations = [
        Observation(int(r["obs_no"]), _opt(r["place"]), r["problem"], list(json.loads(r["causes"])))
        for r in obs_df.to_dict("records")
    ]
    measures = [
        Measure(
            measure_id=_as_int(r.get("measure_id")),
            origin=r["origin"],
            ort=r["ort"],
            place=_opt(r.get("place")),
            description=r["description"],
            owner=r["owner"],
            decision_path=r["decision_path"],
            due_date=stored_date(r.get("due_date")),
            status=r["status"],
            completed_date=stored_date(r.get("completed_date")),
        )
        for r in measures_df.to_dict("records")
    ]
    return walk, observations, measures


