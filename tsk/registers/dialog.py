"""Two light registers beside the walk register (issue 18): Träffpunkt's steps 2–4 per area and round
(dialogue with tjänstepersoner, with politicians, the follow-up), and the Samhällskris wheel's
robustness meetings per ort. The objects, their settings from the configuration, the checks a form
makes before anything is written, redaction, and the rows the store writes (tsk.store.dialog).

Participants are counts by kind, never names; the safety questions raised are EST category keys and
places («ort» or «ort/plats»); free text (notes, topics, follow-ups) is redacted before storage. The
follow-ups are measures (origin `traffpunkt` / `samhallskris`) in the proposals register, with owner,
status and status history. Each check raises TskError with a Swedish message (tsk.i18n `dl_*`).
Domain logic only: no Streamlit, no SQL.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date

from tsk.config import KommunConfig
from tsk.errors import TskError
from tsk.i18n import t
from tsk.registers.measures import completed_date_for
from tsk.registers.walks import stored_date
from tsk.text import redact

TRAFFPUNKT_ORIGIN = "traffpunkt"      # measures.origin of a Träffpunkt step's follow-ups
SAMHALLSKRIS_ORIGIN = "samhallskris"  # measures.origin of a robustness meeting's follow-ups
STEPS = (2, 3, 4)                     # labels: i18n dl_step_<n>
# Who takes part in a Träffpunkt dialogue step (labels: i18n dl_kind_<key>); counts only.
STEP_KINDS = ("tjanstepersoner", "politiker", "invanare", "foretag", "polis", "ovriga")
# Who takes part in a robustness meeting, unless [samhallskris] participant_kinds says otherwise.
KRIS_KINDS = ("orter", "naringsliv", "kommun", "ovriga")  # labels: i18n sk_kind_<key>
DEFAULT_MAX = 100                     # per kind, unless the configuration gives max_participants


def default_kris_kinds() -> dict[str, str]:
    return {k: t(f"sk_kind_{k}") for k in KRIS_KINDS}


@dataclass(frozen=True)
class DialogSettings:
    """[traffpunkt.dialog] and [samhallskris] of the configuration."""

    step_max: int = DEFAULT_MAX
    kris_max: int = DEFAULT_MAX
    kris_kinds: dict = field(default_factory=lambda: default_kris_kinds())
    handlingsplan: str = ""           # path or link to the kommun's handlingsplan för krisberedskap


def settings(config: KommunConfig) -> DialogSettings:
    """The registers' settings from the configuration (defaults where a key is left out)."""
    raw = config.raw
    dialog = raw.get("traffpunkt", {}).get("dialog", {})
    kris = raw.get("samhallskris", {})
    return DialogSettings(step_max=int(dialog.get("max_participants", DEFAULT_MAX)),
                          kris_max=int(kris.get("max_participants", DEFAULT_MAX)),
                          kris_kinds={str(k): str(v) for k, v in kris.get("participant_kinds", default_kris_kinds()).items()},
                          handlingsplan=str(kris.get("handlingsplan", "")))


@dataclass(frozen=True)
class Question:
    """A safety question raised: an EST category and where (an ort, and a plats of it or none)."""

    category: str
    ort: str
    place: str | None = None


@dataclass(frozen=True)
class FollowUp:
    """A follow-up of a step or meeting: a measure in the proposals register."""

    description: str
    owner: str
    status: str
    decision_path: str
    due_date: date | None = None
    completed_date: date | None = None
    measure_id: int | None = None


@dataclass(frozen=True)
class Step:
    """A Träffpunkt dialogue step (2, 3 or 4) held in an area for a round."""

    area: str
    round: str
    step: int
    meeting_date: date
    participants: dict
    questions: tuple[Question, ...] = ()
    notes: str | None = None
    dialog_id: int | None = None


@dataclass(frozen=True)
class KrisMeeting:
    """A Samhällskris robustness meeting in an ort."""

    ort: str
    meeting_date: date
    participants: dict
    topics: tuple[str, ...] = ()
    notes: str | None = None
    dialog_id: int | None = None


# --- checks ---------------------------------------------------------------------------------------------

def round_year(round_: str) -> int:
    """The year of a round ("2026", "2026 höst"); TskError when it names none."""
    head = str(round_).strip()[:4]
    if not (head.isdigit() and len(head) == 4):
        raise TskError("dl_round_not_year", round=round_)
    return int(head)


def check_step(s: Step, followups: list[FollowUp], config: KommunConfig) -> None:
    """A step against the configuration: a Träffpunkt area, a step 2–4, a date in the round's year,
    participants within bounds, questions about known categories and places of the area, follow-ups
    with description and owner. The first problem raises TskError."""
    areas = [a.name for a in config.areas if a.kind == "traffpunkt"]
    if s.area not in areas:
        raise TskError("dl_unknown_area", area=s.area, areas=", ".join(areas))
    if s.step not in STEPS:
        raise TskError("dl_unknown_step", step=s.step)
    year = round_year(s.round)
    if s.meeting_date.year != year:
        raise TskError("dl_date_outside_round", date=s.meeting_date.isoformat(), round=s.round, year=year)
    _check_participants(s.participants, STEP_KINDS, settings(config).step_max)
    for no, q in enumerate(s.questions, start=1):
        _check_question(no, q, s.area, config)
    check_followups(followups, config)


def check_kris_meeting(m: KrisMeeting, followups: list[FollowUp], config: KommunConfig, *,
                       today: date | None = None) -> None:
    """A robustness meeting: a configured ort, a plausible date, participants within bounds, at least one
    topic, follow-ups with description and owner."""
    orter = [o.name for o in config.orter]
    if m.ort not in orter:
        raise TskError("dl_unknown_ort", ort=m.ort)
    last = (today or date.today()).year + config.years_ahead
    if not config.first_year <= m.meeting_date.year <= last:
        raise TskError("dl_date_implausible", date=m.meeting_date.isoformat(), first=config.first_year, last=last)
    s = settings(config)
    _check_participants(m.participants, tuple(s.kris_kinds), s.kris_max)
    if not [topic for topic in m.topics if topic.strip()]:
        raise TskError("dl_no_topics")
    check_followups(followups, config)


def check_followups(followups: list[FollowUp], config: KommunConfig) -> None:
    """Each follow-up says what it is and who owns it, with a configured status (numbered from 1)."""
    v = config.vandring
    for no, f in enumerate(followups, start=1):
        if not f.description.strip():
            raise TskError("dl_followup_no_description", no=no)
        if not f.owner.strip():
            raise TskError("dl_followup_no_owner", no=no)
        if v.owners and f.owner not in v.owners:
            raise TskError("dl_followup_unknown_owner", no=no, owner=f.owner, owners=", ".join(v.owners))
        if f.status not in v.statuses:
            raise TskError("dl_followup_unknown_status", no=no, status=f.status, statuses=", ".join(v.statuses))


def _check_participants(participants: dict, kinds: tuple[str, ...], most: int) -> None:
    if not any(participants.values()):
        raise TskError("dl_no_participants")
    for kind, n in participants.items():
        if kind not in kinds:
            raise TskError("dl_unknown_kind", kind=kind, kinds=", ".join(kinds))
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise TskError("dl_participants_negative", kind=kind, n=n)
        if n > most:
            raise TskError("dl_participants_over_max", kind=kind, n=n, max=most)


def _check_question(no: int, q: Question, area: str, config: KommunConfig) -> None:
    if q.category not in {c.key for c in config.categories}:
        raise TskError("dl_unknown_category", no=no, category=q.category)
    area_of = {o.name: o.area for o in config.orter}
    if q.ort not in area_of:
        raise TskError("dl_question_unknown_ort", no=no, ort=q.ort)
    if area_of[q.ort] != area:
        raise TskError("dl_ort_not_in_area", no=no, ort=q.ort, area=area)
    if q.place and q.place not in {p.name for p in config.platser if p.ort == q.ort}:
        raise TskError("dl_unknown_place", no=no, place=q.place, ort=q.ort)


# --- redaction and the store's rows ---------------------------------------------------------------------

def redact_followups(followups: list[FollowUp]) -> list[FollowUp]:
    """Free text made safe to store; a completed date is kept only when done."""
    return [replace(f, description=redact(f.description), completed_date=completed_date_for(f.status, f.completed_date))
            for f in followups]


def step_row(s: Step) -> dict:
    """The traffpunkt_steps row of a step (notes redacted)."""
    return {"dialog_id": s.dialog_id, "area": s.area, "round": str(s.round), "step": int(s.step),
            "meeting_date": s.meeting_date, "participants": json.dumps({k: n for k, n in s.participants.items() if n},
                                                                       ensure_ascii=False),
            "questions": json.dumps([{"category": q.category, "ort": q.ort, "place": q.place} for q in s.questions],
                                    ensure_ascii=False),
            "notes": redact(s.notes or "") or None}


def kris_row(m: KrisMeeting) -> dict:
    """The samhallskris_meetings row of a meeting (topics and notes redacted)."""
    return {"dialog_id": m.dialog_id, "ort": m.ort, "meeting_date": m.meeting_date,
            "participants": json.dumps({k: n for k, n in m.participants.items() if n}, ensure_ascii=False),
            "topics": json.dumps([redact(x.strip()) for x in m.topics if x.strip()], ensure_ascii=False),
            "notes": redact(m.notes or "") or None}


def followup_rows(followups: list[FollowUp], *, area: str | None, ort: str) -> list[dict]:
    """The measures rows of follow-ups (description redacted): origin and dialog_id are set by the store."""
    return [{"measure_id": f.measure_id, "area": area, "ort": ort, "description": f.description,
             "owner": f.owner, "decision_path": f.decision_path, "due_date": f.due_date, "status": f.status,
             "completed_date": f.completed_date} for f in redact_followups(followups)]


def questions_of(raw: str) -> list[Question]:
    """The questions of a stored row (traffpunkt_steps.questions)."""
    return [Question(q["category"], q["ort"], q.get("place")) for q in json.loads(raw or "[]")]


# --- stored rows back to records (the forms' edit mode) ---------------------------------------------------

def step_of(row) -> Step:
    """The Step of a stored traffpunkt_steps row (a mapping: the store's columns)."""
    return Step(area=row["area"], round=str(row["round"]), step=int(row["step"]), meeting_date=stored_date(row["meeting_date"]),
                participants=json.loads(row["participants"] or "{}"), questions=tuple(questions_of(row["questions"])),
                notes=row.get("notes") or None, dialog_id=int(row["dialog_id"]))


def kris_of(row) -> KrisMeeting:
    """The KrisMeeting of a stored samhallskris_meetings row."""
    return KrisMeeting(ort=row["ort"], meeting_date=stored_date(row["meeting_date"]),
                       participants=json.loads(row["participants"] or "{}"),
                       topics=tuple(json.loads(row["topics"] or "[]")), notes=row.get("notes") or None,
                       dialog_id=int(row["dialog_id"]))


def followups_of(rows) -> list[FollowUp]:
    """The follow-ups of stored measures rows (mappings), with their measure ids: saved again they keep
    their ids, so their status history goes on."""
    return [FollowUp(description=r["description"], owner=r["owner"], status=r["status"],
                     decision_path=r["decision_path"], due_date=stored_date(r.get("due_date")),
                     completed_date=stored_date(r.get("completed_date")), measure_id=int(r["measure_id"]))
            for r in rows]
