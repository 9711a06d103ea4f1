"""The TSK årshjul: each routine item of a year ([[arshjul]] in the config) with its state derived from
the store, for Översikt, Analysgrupp (table and agenda), the yearly report and the iCalendar export.

States, per item and month (an item with several months is one row per month):
- «genomförd» the store holds the evidence (the survey imported, the area's Träffpunkt round, a walk held
  in the centralort, an analysgrupp meeting in the month, the round's dialogue step registered for every
  area expected, a robustness meeting in the year), shown with its date;
- «planerad» a walk in the centralort is registered as planned for a date not yet passed;
- «kommande» no evidence yet and the month has not ended;
- «försenad» the month has ended without evidence (or the planned walk's date passed unheld);
- «okänd» kind "report": the store cannot know; said so once the month has passed, never guessed.

No Streamlit and no SQL: the store's arshjul_* queries give the evidence.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from tsk.arshjul_config import ArshjulItem
from tsk.config import KommunConfig
from tsk.formatting import MONTHS_SV, fmt_date, fmt_int
from tsk.i18n import t
from tsk.registers.statuses import WALK_DONE
from tsk.store import Store

DONE, PLANNED, COMING, OVERDUE, UNKNOWN = "done", "planned", "coming", "overdue", "unknown"
STATES = (DONE, PLANNED, COMING, OVERDUE, UNKNOWN)


@dataclass(frozen=True)
class Occurrence:
    """One item of the routine in one month of one year, with its state and what it rests on."""

    key: str
    label: str
    role: str
    kind: str
    year: int
    month: int
    state: str        # one of STATES
    evidence: str     # Swedish, one sentence
    when: date | None = None  # the evidence's date (held, planned); None when there is none

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def month_label(self) -> str:
        return MONTHS_SV[self.month - 1]

    def start(self) -> date:
        """The date the calendar shows: a planned walk's own date, else the first day of the month."""
        return self.when if self.state == PLANNED and self.when else date(self.year, self.month, 1)


def state_label(state: str) -> str:
    return t(f"aj_state_{state}")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _period(first, last) -> tuple[str, str] | None:
    if pd.isna(first) or pd.isna(last):
        return None
    return pd.Timestamp(first).date().isoformat(), pd.Timestamp(last).date().isoformat()


def _centralort(config: KommunConfig) -> tuple[tuple[str, ...], str]:
    """The centralort areas and their orter's names (for the sentences)."""
    areas = tuple(a.name for a in config.areas if a.kind == "centralort")
    orter = [o.name for o in config.orter if o.area in areas]
    return areas, ", ".join(orter) or ", ".join(areas)


class _Evidence:
    """The store's evidence for one year, each query run at most once."""

    def __init__(self, store: Store, config: KommunConfig, year: int):
        self.store, self.config, self.year = store, config, year
        self._cache: dict[str, pd.DataFrame] = {}

    def get(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            if name == "survey":
                self._cache[name] = self.store.arshjul_survey(year=self.year)
            elif name == "traffpunkt":
                self._cache[name] = self.store.arshjul_traffpunkt(year=self.year)
            elif name == "walks":
                self._cache[name] = self.store.arshjul_walks(areas=_centralort(self.config)[0], year=self.year)
            elif name == "steps":
                self._cache[name] = self.store.arshjul_steps(year=self.year)
            elif name == "kris":
                self._cache[name] = self.store.arshjul_kris(year=self.year)
            else:
                self._cache[name] = self.store.arshjul_meetings(year=self.year)
        return self._cache[name]


def _state(item: ArshjulItem, month: int, ev: _Evidence, today: date) -> tuple[str, str, date | None]:
    """(state, evidence sentence, date) of one item in one month."""
    year = ev.year
    passed = today > month_end(year, month)
    waiting = OVERDUE if passed else COMING
    if item.kind == "survey":
        row = ev.get("survey").iloc[0]
        n = int(row["respondents"])
        if not n:
            return waiting, t("aj_ev_none_survey", year=year), None
        period = _period(row["first"], row["last"])
        text = (t("aj_ev_survey", year=year, n=fmt_int(n), first=period[0], last=period[1]) if period
                else t("aj_ev_survey_no_dates", year=year, n=fmt_int(n)))
        return DONE, text, pd.Timestamp(row["last"]).date() if period else None
    if item.kind == "traffpunkt":
        rows = ev.get("traffpunkt")
        rows = rows[rows["area"] == item.area]
        if rows.empty:
            return waiting, t("aj_ev_none_traffpunkt", year=year, area=item.area), None
        r = rows.iloc[-1]
        period = _period(r["first"], r["last"]) or ("–", "–")
        text = t("aj_ev_traffpunkt", round=r["round"], n=fmt_int(int(r["respondents"])), area=item.area,
                 first=period[0], last=period[1])
        return DONE, text, pd.Timestamp(r["last"]).date() if period[1] != "–" else None
    if item.kind == "walk_centralort":
        return _walk_state(ev, today, waiting)
    if item.kind == "traffpunkt_step":
        return _step_state(item, ev, waiting)
    if item.kind == "samhallskris":
        held = ev.get("kris")
        if held.empty:
            return waiting, t("aj_ev_none_kris", year=year), None
        last = pd.Timestamp(held["meeting_date"].iloc[-1]).date()
        return DONE, t("aj_ev_kris", n=len(held), year=year, orter=", ".join(dict.fromkeys(held["ort"])),
                       date=last.isoformat()), last
    if item.kind == "meeting":
        meetings = ev.get("meetings")
        dates = [pd.Timestamp(d).date() for d in meetings["meeting_date"]]
        held = [d for d in dates if d.month == month]
        if held:
            return DONE, t("aj_ev_meeting", date=held[-1].isoformat()), held[-1]
        return waiting, t("aj_ev_none_meeting", month=f"{MONTHS_SV[month - 1]} {year}"), None
    return (UNKNOWN if passed else COMING), t("aj_ev_report"), None


def _step_state(item: ArshjulItem, ev: _Evidence, waiting: str) -> tuple[str, str, date | None]:
    """A dialogue step of the year's round: held when every area expected has it registered. The areas
    expected: the item's own, else every area whose Träffpunkt round of the year is imported."""
    step = item.step
    expected = [item.area] if item.area else list(dict.fromkeys(ev.get("traffpunkt")["area"]))
    if not expected:
        return waiting, t("aj_ev_none_step_round", year=ev.year, step=step), None
    steps = ev.get("steps")
    steps = steps[steps["step"] == item.step]
    missing = [a for a in expected if a not in set(steps["area"])]
    if missing:
        return waiting, t("aj_ev_none_step", year=ev.year, step=step, areas=", ".join(missing)), None
    last = pd.Timestamp(steps[steps["area"].isin(expected)]["meeting_date"].max()).date()
    return DONE, t("aj_ev_step", year=ev.year, step=step, areas=", ".join(expected), date=last.isoformat()), last


def _walk_state(ev: _Evidence, today: date, waiting: str) -> tuple[str, str, date | None]:
    walks = ev.get("walks")
    _, orter = _centralort(ev.config)
    if walks.empty:
        return waiting, t("aj_ev_none_walk", year=ev.year, ort=orter), None
    w = walks.iloc[0]  # held walks first
    when = pd.Timestamp(w["walk_date"]).date()
    if w["status"] == WALK_DONE:
        return DONE, t("aj_ev_walk_done", ort=w["ort"], date=when.isoformat()), when
    if when < today:
        return OVERDUE, t("aj_ev_walk_planned_passed", ort=w["ort"], date=when.isoformat()), when
    return PLANNED, t("aj_ev_walk_planned", ort=w["ort"], date=when.isoformat()), when


def wheel(store: Store, config: KommunConfig, *, year: int, today: date) -> list[Occurrence]:
    """Every item of `year`'s routine (one per month it is due), in month order, with its state as of
    `today`. Items held every n years are left out of the years between."""
    ev = _Evidence(store, config, int(year))
    out = []
    for order, item in enumerate(config.arshjul):
        if not item.held_in(year):
            continue
        for month in item.months:
            state, evidence, when = _state(item, month, ev, today)
            out.append((month, order, Occurrence(item.key, item.label, item.role, item.kind, int(year), month,
                                                 state, evidence, when)))
    return [o for _, _, o in sorted(out, key=lambda x: (x[0], x[1]))]


def wheel_table(occurrences: list[Occurrence]) -> pd.DataFrame:
    """The årshjul as shown and exported (Swedish headers, month names)."""
    cols = [t("aj_col_month"), t("aj_col_item"), t("aj_col_role"), t("aj_col_state"), t("aj_col_evidence")]
    return pd.DataFrame([[o.month_label, o.label, o.role, o.state_label, o.evidence] for o in occurrences],
                        columns=cols)


def summary(occurrences: list[Occurrence], year: int) -> str:
    """«Årshjulet 2026: 8 genomförd, 1 försenad, …» (the states present, in STATES order)."""
    parts = [t("aj_summary_part", n=sum(o.state == s for o in occurrences), state=state_label(s))
             for s in STATES if any(o.state == s for o in occurrences)]
    return t("aj_summary", year=year, parts=", ".join(parts)) if parts else t("aj_none")


def policy_sentences(occurrences: list[Occurrence], year: int) -> list[str]:
    """The sentences the yearly report states plainly: no walk in the centralort in the year when its
    item is overdue (its month passed, nothing held), and the overdue items by name."""
    out = []
    if any(o.kind == "walk_centralort" and o.state == OVERDUE for o in occurrences):
        out.append(t("aj_no_walk_centralort", year=year))
    overdue = [f"{o.label} ({o.month_label})" for o in occurrences if o.state == OVERDUE]
    if overdue:
        out.append(t("aj_overdue_list", items="; ".join(overdue)))
    return out


def agenda(occurrences: list[Occurrence], coming: list[Occurrence], *, next_n: int = 3) -> dict[str, list[str]]:
    """For the next meeting's agenda: the overdue items, and the next `next_n` coming dates."""
    return {"overdue": [f"{o.label} ({o.month_label} {o.year}): {o.evidence}" for o in occurrences if o.state == OVERDUE],
            "next": [f"{o.label} ({fmt_date(o.start()) if o.state == PLANNED else f'{o.month_label} {o.year}'}, "
                     f"{o.role})" for o in coming[:next_n]]}


def coming(store: Store, config: KommunConfig, *, today: date, months: int = 12) -> list[Occurrence]:
    """The coming dates: items not yet held (kommande, planerad) from this month up to `months` ahead,
    this year's and the next's, by date (a planned walk by its own date, which may be after its month)."""
    horizon = date(today.year + (today.month - 1 + months) // 12, (today.month - 1 + months) % 12 + 1, 1)
    first = date(today.year, today.month, 1)
    out = []
    for year in (today.year, today.year + 1):
        out += [o for o in wheel(store, config, year=year, today=today)
                if o.state in (COMING, PLANNED) and first <= o.start() < horizon]
    return sorted(out, key=lambda o: o.start())  # stable: within a date, the order of the config


# --- iCalendar (RFC 5545) -----------------------------------------------------------------------------------


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def ics_fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def ics(occurrences: list[Occurrence], config: KommunConfig, *, now: datetime | None = None) -> bytes:
    """The coming dates as an iCalendar file: one all-day event per occurrence (a planned walk on its date,
    the others on the first day of their month), CRLF line ends, UTF-8."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//TSK-dashboard//{ics_escape(config.name)}//SV",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{ics_escape(t('aj_ics_calname', kommun=config.name))}"]
    for o in occurrences:
        start = o.start()
        lines += [
            "BEGIN:VEVENT",
            f"UID:{o.key}-{o.year}-{o.month:02d}@tsk-{config.kommunkod}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(start + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{ics_escape(t('aj_ics_summary', label=o.label))}",
            f"DESCRIPTION:{ics_escape(_ics_description(o))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(ics_fold(line) for line in lines) + "\r\n").encode("utf-8")


def _ics_description(o: Occurrence) -> str:
    text = t("aj_ics_description", role=o.role, month=f"{o.month_label} {o.year}")
    return f"{text} {o.evidence}" if o.state == PLANNED else text
