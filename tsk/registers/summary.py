"""The public summary of a walk: a Markdown text for the kommun's web and social channels."""
from __future__ import annotations

import re
from datetime import date

from tsk.config import KommunConfig
from tsk.i18n import t
from tsk.parsing import MONTHS
from tsk.registers.statuses import (
    MEASURE_DECLINED,
    MEASURE_DONE,
    WALK_CANCELLED,
    WALK_DONE,
    WALK_PLANNED,
)
from tsk.registers.walks import Measure, Observation, Walk
from tsk.text import redact

_MONTH_NAMES = {n: name for name, n in MONTHS.items()}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_SPACES = re.compile(r"\s+")


def month_text(d: date) -> str:
    """"november 2026"."""
    return f"{_MONTH_NAMES[d.month]} {d.year}"


def _md(text: str | None) -> str:
    """Free text as one line of Markdown: redacted, whitespace collapsed, Markdown characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _SPACES.sub(" ", redact(text or "")).strip())


def _sentence(text: str) -> str:
    return text.rstrip(" .")


def public_summary(walk: Walk, observations: list[Observation], measures: list[Measure],
                   config: KommunConfig) -> str:
    """A Markdown text for the kommun's web and social channels, in plain Swedish.

    What was found (per place: the causes as checklist labels and the problem text), what will be done
    (measures föreslagen/beslutad/pågår: description, owner, due month), what was done (klar, with the
    month) and what will not be done (avslagen). Participants only as totals per role; the follow-up
    meeting's notes are left out. Free text is redacted again and Markdown characters in it escaped;
    dates are months ("november 2026").
    """
    ort = _md(walk.ort)
    lines = _intro(walk, config, ort)
    if observations or walk.status == WALK_DONE:
        lines += _found(walk, observations, config, ort)
    lines += _measures(measures, ort)
    return redact("\n".join(lines).strip() + "\n")


def _place_name(place: str | None, ort: str) -> str:
    return _md(place) if place else t("walk_summary_whole_ort", ort=ort)


def _intro(walk: Walk, config: KommunConfig, ort: str) -> list[str]:
    """The title and the walk's sentences: status, route, participants per role, follow-up month."""
    month = month_text(walk.walk_date)
    lines = [f"# {t('walk_summary_title', ort=ort, month=month)}", ""]
    intro = {WALK_DONE: "walk_summary_done", WALK_PLANNED: "walk_summary_planned",
             WALK_CANCELLED: "walk_summary_cancelled"}.get(walk.status, "walk_summary_planned")
    lines.append(t(intro, ort=ort, month=month))
    if walk.route and walk.status != WALK_CANCELLED:
        lines.append(t("walk_summary_route", places=", ".join(_md(p) for p in walk.route)))
    roles = [(config.vandring.roles.get(k, k), int(n)) for k, n in walk.participants.items() if int(n) > 0]
    if roles and walk.status == WALK_DONE:
        lines.append(t("walk_summary_participants", n=sum(n for _, n in roles),
                       roles=", ".join(f"{_md(label)} {n}" for label, n in roles)))
    if walk.followup_date and walk.status != WALK_CANCELLED:
        lines.append(t("walk_summary_followup", month=month_text(walk.followup_date)))
    return lines


def _found(walk: Walk, observations: list[Observation], config: KommunConfig, ort: str) -> list[str]:
    """«What was found»: per place (route order, then other places, then the ort in general) its
    observations, with their causes as checklist labels."""
    lines = ["", f"## {t('walk_summary_found')}", ""]
    if not observations:
        lines.append(t("walk_summary_found_none"))
    order = [p for p in walk.route] + [o.place for o in observations if o.place]
    places = list(dict.fromkeys(p for p in order if any(o.place == p for o in observations)))
    if any(o.place is None for o in observations):
        places.append(None)
    labels = {c.key: c.label for c in config.vandring.checklist}
    for place in places:
        lines.append(f"**{_place_name(place, ort)}**")
        lines.append("")
        for o in (o for o in observations if o.place == place):
            problem = _md(o.problem)
            if o.causes:
                causes = ", ".join(_md(labels.get(c, c)) for c in o.causes)
                lines.append(f"- {t('walk_summary_obs', causes=causes, problem=problem)}")
            else:
                lines.append(f"- {problem}")
        lines.append("")
    if lines[-1] == "":
        lines.pop()
    return lines


def _measures(measures: list[Measure], ort: str) -> list[str]:
    """«What will be done» (every measure neither done nor declined), «what was done», «what will not be
    done»."""
    todo = [m for m in measures if m.status not in (MEASURE_DONE, MEASURE_DECLINED)]
    done = [m for m in measures if m.status == MEASURE_DONE]
    declined = [m for m in measures if m.status == MEASURE_DECLINED]
    lines: list[str] = []
    if measures:
        lines += ["", f"## {t('walk_summary_todo')}", ""]
        if not todo:
            lines.append(t("walk_summary_todo_none"))
        for m in todo:
            due = t("walk_summary_due", month=month_text(m.due_date)) if m.due_date else t("walk_summary_no_due")
            item = t("walk_summary_todo_item", description=_sentence(_md(m.description)), owner=_md(m.owner), due=due,
                     status=_md(m.status))
            lines.append(f"- **{_place_name(m.place, ort)}:** {item}")
    if done:
        lines += ["", f"## {t('walk_summary_done_heading')}", ""]
        for m in done:
            item = t("walk_summary_done_item", description=_sentence(_md(m.description)), owner=_md(m.owner),
                     month=month_text(m.completed_date))
            lines.append(f"- **{_place_name(m.place, ort)}:** {item}")
    if declined:
        lines += ["", f"## {t('walk_summary_declined')}", ""]
        for m in declined:
            item = t("walk_summary_declined_item", description=_sentence(_md(m.description)), owner=_md(m.owner))
            lines.append(f"- **{_place_name(m.place, ort)}:** {item}")
    return lines
