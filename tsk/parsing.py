"""Parsing of the values Swedish exports contain: ISO weeks, dates, form-tool timestamps, decimal comma.

Every parser returns a value or raises ValueError with a short Swedish reason; importers turn that
into a quarantine row.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
MONTH_ABBR = {name[:3]: n for name, n in MONTHS.items()}


# The plausible years of a date or week in an imported file: a row dated 0001 or 9999 is a typing or
# export error, and one such row would break every week range. Set from tsk.toml [import] first_year
# and years_ahead by tsk.config.load_config; the last year follows the calendar.
_FIRST_YEAR = 2000
_YEARS_AHEAD = 1


def set_year_window(first_year: int, years_ahead: int) -> None:
    global _FIRST_YEAR, _YEARS_AHEAD
    _FIRST_YEAR, _YEARS_AHEAD = int(first_year), int(years_ahead)


def year_window() -> tuple[int, int]:
    """(first, last) plausible year, both included."""
    return _FIRST_YEAR, date.today().year + _YEARS_AHEAD


def check_year(year: int, value) -> int:
    first, last = year_window()
    if not first <= year <= last:
        raise ValueError(f"året {year} i «{value}» ligger utanför {first}–{last} "
                         f"(inställningen [import] first_year och years_ahead i tsk.toml)")
    return year


def weeks_in_year(iso_year: int) -> int:
    return date(iso_year, 12, 28).isocalendar().week


def week_monday(iso_year: int, iso_week: int) -> date:
    return date.fromisocalendar(iso_year, iso_week, 1)


_WEEK_PATTERNS = (
    # 2026-W47, 2026W47, 2026-W47-1
    re.compile(r"^(?P<year>\d{4})-?w(?P<week>\d{1,2})(?:-\d)?$"),
    # v47 2026, v.47 2026, vecka 47 2026, v 47, 47, v47-2026, v47/2026
    re.compile(r"^(?:v(?:ecka)?\.?\s*)?(?P<week>\d{1,2})(?:\s*[,/-]?\s*(?P<year>\d{4}))?$"),
    # 2026 v47, 2026 vecka 47
    re.compile(r"^(?P<year>\d{4})\s*[,/-]?\s*v(?:ecka)?\.?\s*(?P<week>\d{1,2})$"),
)


def parse_week(value: str, default_year: int | None = None) -> tuple[int, int]:
    """ISO (year, week) from "v47 2026", "2026-W47", "vecka 47" (+ default_year) and similar."""
    s = str(value).strip().casefold()
    for pattern in _WEEK_PATTERNS:
        m = pattern.match(s)
        if m:
            week = int(m.group("week"))
            year = int(m.group("year")) if m.group("year") else default_year
            if year is None:
                raise ValueError(f"veckan «{value}» saknar år")
            check_year(year, value)
            if not 1 <= week <= weeks_in_year(year):
                raise ValueError(f"vecka {week} finns inte år {year}")
            return year, week
    raise ValueError(f"«{value}» är ingen vecka (t.ex. «v47 2026» eller «2026-W47»)")


_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y",
)
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:\s*(?:fm|em|am|pm))?(?:\s*[A-Z]{3,4}|\s*[+-]\d{2}:?\d{2}|Z)?$", re.I)
_TEXT_DATE = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[a-zåäö]+)\.?\s+(?P<year>\d{4})$")


def parse_date(value: str) -> date:
    """A date from ISO, Swedish (24/11/2026, 24.11.2026, 24 november 2026) or a timestamp."""
    s = str(value).strip()
    if not s:
        raise ValueError("datum saknas")
    if _TIME_SUFFIX.search(s) and not re.fullmatch(r"\d{8}", s):
        return parse_timestamp(s).date()
    for fmt in _DATE_FORMATS:
        try:
            d = datetime.strptime(s, fmt).date()
        except ValueError:
            continue
        check_year(d.year, value)
        return d
    m = _TEXT_DATE.match(s.casefold())
    if m:
        month = MONTHS.get(m.group("month")) or MONTH_ABBR.get(m.group("month")[:3])
        if month:
            check_year(int(m.group("year")), value)
            return date(int(m.group("year")), month, int(m.group("day")))
    raise ValueError(f"«{value}» är inget datum (t.ex. «2026-11-24» eller «24/11/2026»)")


_TS = re.compile(
    r"^(?P<date>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})[ T]"
    r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ampm>fm|em|am|pm)?\s*(?P<tz>[A-Z]{3,4}|[+-]\d{2}:?\d{2}|Z)?$",
    re.I,
)


def parse_timestamp(value: str) -> datetime:
    """A naive local datetime from form-tool timestamps.

    Handles Google Forms' Swedish `Tidstämpel` ("2022/03/22 8:53:03 fm CET": slashes, hour without
    leading zero, fm/em for AM/PM, a zone abbreviation), Microsoft Forms ("2026-11-24 08:53:03"),
    ISO 8601 with offset, and a bare date. The zone is dropped: all sources are Swedish local time.
    """
    s = str(value).strip()
    m = _TS.match(s)
    if not m:
        try:
            return datetime.combine(parse_date(s), datetime.min.time()) if not _TIME_SUFFIX.search(s) else _fail(value)
        except ValueError:
            _fail(value)
    d = m.group("date").replace("/", "-").replace(".", "-")
    parts = d.split("-")
    if len(parts[0]) == 4:
        y, mo, da = (int(p) for p in parts)
    else:
        da, mo, y = (int(p) for p in parts)
    hour, minute, sec = int(m.group("h")), int(m.group("m")), int(m.group("s") or 0)
    ampm = (m.group("ampm") or "").casefold()
    if ampm:
        if not 1 <= hour <= 12:
            _fail(value)
        if ampm in ("fm", "am"):
            hour = 0 if hour == 12 else hour
        else:
            hour = 12 if hour == 12 else hour + 12
    try:
        out = datetime(y, mo, da, hour, minute, sec)
    except ValueError:
        _fail(value)
    check_year(out.year, value)
    return out


def _fail(value):
    raise ValueError(f"«{value}» är ingen tidpunkt (t.ex. «2026-11-24 08:53»)")


def parse_number(value: str) -> float:
    """A number with decimal comma and Swedish thousands separators ("1 234,5")."""
    s = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"«{value}» är inget tal") from None


def iso_week_of(d: date) -> tuple[int, int]:
    iso = d.isocalendar()
    return iso.year, iso.week


def monday_of(d: date) -> date:
    return d - timedelta(days=d.weekday())
