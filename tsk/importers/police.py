"""Police events: the JSON array that polisen.se/api/events returns (see ../shared/realdata/SOURCES.md §1).

Only the configured kommun's events are kept. Until 2025 `location.name` was the kommun; from 2026 it is
the county and the kommun is only the last comma-separated part of `name`, so both forms are checked.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from tsk.errors import FileRejected, RowProblem
from tsk.i18n import t
from tsk.importers.base import Batch, ImportContext, quarantined
from tsk.parsing import MONTHS, check_year
from tsk.text import normalise_name, redact

# Keys every event object has in the API; a list without any such object is another source's file.
EVENT_KEYS = ("id", "datetime", "name", "type", "location")
COLUMNS = [
    "event_id", "published_at", "incident_at", "type", "category", "kommun", "location_name",
    "summary", "url", "lat", "lon", "gps_is_centroid", "ort", "area",
]
SKIPPED_OTHER_KOMMUN = t("skipped_police_other_kommun")
SKIPPED_DUPLICATE = t("skipped_police_duplicate")

# "2025-06-07 7:32:06 +02:00": the hour has no leading zero in about a third of events, so no fixed widths.
_PUBLISHED = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})(?:\s*[+-]\d{2}:?\d{2})?")
# "19 september 14.59", "11 maj 18:14" (2023 used ':'), "3 augusti 11.10" (2026 dropped the leading zero).
_INCIDENT = re.compile(r"(\d{1,2}) ([a-zåäö]+) (\d{1,2})[.:](\d{2})")
_GPS = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*")


def parse(path: Path, ctx: ImportContext) -> Batch:
    try:
        return _parse(_load(Path(path)), ctx)
    except RecursionError:
        # A hostile or broken file nested deeper than Python's recursion limit.
        raise FileRejected("police_too_deep") from None


def _load(path: Path) -> list:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise FileRejected("file_unreadable", detail=e.strerror or str(e)) from None
    if not raw.strip():
        raise FileRejected("file_empty")
    try:
        # The API sends UTF-8; a BOM from an editor is harmless.
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FileRejected("police_not_json") from None
    if not isinstance(data, list):
        raise FileRejected("police_not_events")
    if not data:
        raise FileRejected("police_empty")
    if not any(isinstance(e, dict) and all(k in e for k in EVENT_KEYS) for e in data):
        raise FileRejected("police_not_events")
    return data


def _parse(events: list, ctx: ImportContext) -> Batch:
    kommun = normalise_name(ctx.config.name)
    lan = normalise_name(ctx.config.lan)
    rows, quarantine, seen = [], [], set()
    skipped = {SKIPPED_OTHER_KOMMUN: 0, SKIPPED_DUPLICATE: 0}
    for number, event in enumerate(events, start=1):
        original = _flatten(event)
        try:
            if not _is_ours(event, kommun, lan):
                skipped[SKIPPED_OTHER_KOMMUN] += 1
                continue
            row = _row(event, ctx)
        except RowProblem as problem:
            quarantine.append(quarantined(number, original, problem))
            continue
        # The API sometimes lists an updated event twice; the first copy wins.
        if row["event_id"] in seen:
            skipped[SKIPPED_DUPLICATE] += 1
            continue
        seen.add(row["event_id"])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return Batch(
        tables={"police_events": frame},
        accepted=len(frame),
        quarantine=quarantine,
        skipped={reason: n for reason, n in skipped.items() if n},
    )


def _is_ours(event, kommun: str, lan: str) -> bool:
    """Whether the event is about the configured kommun. Raises RowProblem when that cannot be told."""
    if not isinstance(event, dict):
        raise RowProblem("police_not_event")
    location = _location_name(event)
    if normalise_name(location) == kommun:
        return True
    # County-level event (2026 on): the kommun is the last part of the name, after the type.
    return bool(lan) and normalise_name(location) == lan and normalise_name(_place(event)) == kommun


def _row(event: dict, ctx: ImportContext) -> dict:
    published = _published(event)
    kind = _text(event, "type")
    lat, lon = _gps(event["location"].get("gps"))
    url = event.get("url") or None
    if url is not None:
        url = str(url)
        url = "https://polisen.se" + url if url.startswith("/") else url
    summary = event.get("summary")
    # The gps is only the kommun's centroid; an ort named in the summary places the event better.
    ort = ctx.gazetteer.mentioned_ort(str(summary or ""))
    return {
        "event_id": _event_id(event),
        "published_at": published,
        "incident_at": _incident(event, published),
        "type": kind,
        "category": ctx.config.police_type_map.get(kind),
        "kommun": ctx.config.name,
        "location_name": _location_name(event),
        "summary": redact(summary) if summary is not None else None,
        "url": url,
        "lat": lat,
        "lon": lon,
        # The API gives the kommun's or county's centroid, never the incident's position.
        "gps_is_centroid": True,
        "ort": ort,
        "area": ctx.gazetteer.area_of_ort[ort] if ort else None,
    }


def _text(event: dict, key: str) -> str:
    value = event.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowProblem("missing_value", field=key)
    if not isinstance(value, str):
        raise RowProblem("police_bad_value", field=key, value=value)
    return value.strip()


def _location_name(event: dict) -> str:
    location = event.get("location")
    if location is None:
        raise RowProblem("missing_value", field="location")
    if not isinstance(location, dict):
        raise RowProblem("police_bad_value", field="location", value=location)
    return _text(location, "name")


def _place(event: dict) -> str:
    """The place after the type in "<date time>, <type>, <place>". Types may contain commas
    ("Trafikolycka, personskada"), so the type is looked up by the `type` field; failing that, the
    place is the last comma-separated part."""
    name, kind = _text(event, "name"), event.get("type")
    rest = name.partition(",")[2].strip()
    if isinstance(kind, str) and kind.strip() and rest.startswith(kind.strip() + ","):
        return rest[len(kind.strip()) + 1:].strip()
    return name.rsplit(",", 1)[-1].strip()


def _event_id(event: dict) -> int:
    value = event.get("id")
    if value is None:
        raise RowProblem("missing_value", field="id")
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    else:
        raise RowProblem("police_bad_value", field="id", value=value)
    if not 0 < number < 1 << 63:  # the store's BIGINT: one such event is quarantined, never the file lost
        raise RowProblem("police_id_out_of_range", value=str(value)[:40])
    return number


def _published(event: dict) -> datetime:
    value = _text(event, "datetime")
    m = _PUBLISHED.fullmatch(value)
    try:
        if not m:
            raise ValueError
        # The offset is dropped: every event is Swedish local time, like the incident time in the name.
        published = datetime(*(int(g) for g in m.groups()))
    except ValueError:
        raise RowProblem("police_bad_datetime", value=value) from None
    try:
        check_year(published.year, value)
    except ValueError as e:
        raise RowProblem("police_implausible_date", detail=str(e)) from None
    return published


def _incident(event: dict, published: datetime) -> datetime:
    name = _text(event, "name")
    prefix = name.partition(",")[0].strip()
    m = _INCIDENT.fullmatch(prefix.casefold())
    if not m or m.group(2) not in MONTHS:
        raise RowProblem("police_bad_name", name=name)
    day, month, hour, minute = int(m.group(1)), MONTHS[m.group(2)], int(m.group(3)), int(m.group(4))
    # The name has no year: it is the publication year, unless the day lies after the publication date
    # (published 2 January about "31 december" means last year).
    year = published.year if (month, day) <= (published.month, published.day) else published.year - 1
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        raise RowProblem("police_bad_name", name=name) from None


def _gps(value) -> tuple[float | None, float | None]:
    if value is None or value == "":
        return None, None
    m = _GPS.fullmatch(str(value))
    if not m:
        raise RowProblem("police_bad_value", field="location.gps", value=value)
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also inf from a 400-digit number
        raise RowProblem("police_bad_value", field="location.gps", value=str(value)[:60])
    return lat, lon


def _flatten(event) -> dict:
    """The event as str cells for quarantine, `location` spread into location.name and location.gps."""
    if not isinstance(event, dict):
        return {"värde": json.dumps(event, ensure_ascii=False)}
    out = {}
    for key, value in event.items():
        if isinstance(value, dict) and key == "location":
            out.update({f"location.{k}": _cell(v) for k, v in value.items()})
        else:
            out[str(key)] = _cell(value)
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
