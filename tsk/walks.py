"""The trygghetsvandring register: walks, what was seen per place, and the measures that follow.

Domain logic only (no Streamlit, no SQL): the objects, their validation against the kommun's
configuration, redaction of free text, the mapping to and from the store's rows (tsk.db migration 2,
`Store.save_walk` / `Store.walk`), the walk protocol workbook (write and read back) and a public
summary for the kommun's social channels.

Identifiers. `Walk.walk_id`, `Walk.import_id` and `Measure.measure_id` are the store's identity of a
row, not part of a walk's content: they are excluded from equality (`compare=False`), so two objects
with the same content are equal whatever their ids. The store assigns them (sequences walk_id_seq and
measure_id_seq) when an object with id None is saved; `from_store_rows` fills them in; keeping them
on an object and saving again updates the same rows. The protocol workbook carries no ids: "Nr" in
«Observationer» is the observation number (`obs_no`), "Nr" in «Åtgärder» is only the row's position
(recomputed on export, ignored on reading). `parse_protocol_xlsx` therefore returns ids None, and
importing a protocol always creates a new walk.

Checklist causes are written in the workbook as one column per checklist item, so they come back in
the checklist's order (the order of `config.vandring.checklist`); keep `Observation.causes` in that
order for an exact round trip. A participant role that is absent from `Walk.participants` is an empty
cell in the workbook and stays absent; a role with 0 people is written and read back as 0.
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import pandas as pd

from tsk.config import KommunConfig
from tsk.errors import FileRejected, TskError
from tsk.exports import FORMULA_TRIGGERS, to_xlsx_bytes
from tsk.gazetteer import Gazetteer
from tsk.i18n import t
from tsk.parsing import MONTHS, parse_date
from tsk.text import normalise_header, normalise_name, redact

WALK_STATUSES = ("planerad", "genomförd", "inställd")
ORIGIN = "trygghetsvandring"
DONE = "klar"          # the measure status that needs a completed_date
OPEN_STATUSES = ("föreslagen", "beslutad", "pågår")  # measures still on their way
DECLINED = "avslagen"  # a measure status that will not be carried out

# Limits for reading a protocol workbook: a real protocol is a few kilobytes and a few dozen rows.
MAX_PROTOCOL_BYTES = 5 * 1024 * 1024
MAX_SHEET_ROWS = 1000

ROUTE_SEPARATOR = " → "
_ROUTE_SPLIT = re.compile(r"\s*(?:→|->|;|\n)\s*")
_MONTH_NAMES = {n: name for name, n in MONTHS.items()}

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
    (config [vandring.roles]) -> number of people, never names; `status`: one of WALK_STATUSES."""

    walk_id: int | None = field(default=None, compare=False)
    ort: str
    area: str
    walk_date: date
    status: str = "planerad"
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
    status: str = "föreslagen"
    completed_date: date | None = None


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


def _listing(values) -> str:
    return ", ".join(str(v) for v in values)


def _quoted(values) -> str:
    return ", ".join(f"«{v}»" for v in values)


def _hint(suggestions: list[str]) -> str:
    return " " + t("suggestions", names=", ".join(suggestions)) if suggestions else ""


def _place_hint(gazetteer: Gazetteer, ort: str, name: str) -> str:
    index = gazetteer.places_by_ort[ort]
    canonical = index.get(name)
    return _hint([canonical] if canonical and canonical != name else index.suggest(name))


def _is_count(n) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 0


def validate(walk: Walk, observations: list[Observation], measures: list[Measure], config: KommunConfig, *,
             today: date | None = None) -> None:
    """Check a walk with its observations and measures against the configuration.

    Raises TskError with a Swedish message naming the first problem (walk fields first, then the
    observations in order, then the measures in list order, numbered from 1 as in the protocol).
    Names must be the configured (canonical) names; an alias is refused with the canonical name as
    suggestion. `today` is for tests; it defaults to the current date.
    """
    today = today or date.today()
    v = config.vandring
    gazetteer = Gazetteer(config)
    ort_names = {o.name for o in config.orter}

    # --- the walk ---
    if walk.ort not in ort_names:
        canonical = gazetteer.orter.get(walk.ort)
        raise TskError("walk_unknown_ort", name=walk.ort,
                       hint=_hint([canonical] if canonical else gazetteer.orter.suggest(walk.ort)))
    expected_area = gazetteer.area_of_ort[walk.ort]
    if walk.area != expected_area:
        raise TskError("walk_area_mismatch", ort=walk.ort, area=walk.area, expected=expected_area)
    if walk.status not in WALK_STATUSES:
        raise TskError("walk_unknown_status", status=walk.status, allowed=_listing(WALK_STATUSES))
    if walk.status == "genomförd" and walk.walk_date > today:
        raise TskError("walk_done_in_future", walk_date=walk.walk_date.isoformat())
    if walk.followup_date is not None and walk.followup_date < walk.walk_date:
        raise TskError("walk_followup_before_walk", followup=walk.followup_date.isoformat(),
                       walk_date=walk.walk_date.isoformat())
    places = {p.name for p in config.platser if p.ort == walk.ort}
    for name in walk.route:
        if name not in places:
            raise TskError("walk_unknown_route_place", name=name, ort=walk.ort,
                           hint=_place_hint(gazetteer, walk.ort, name))
    for role, n in walk.participants.items():
        if role not in v.roles:
            raise TskError("walk_unknown_role", role=role, allowed=_listing(v.roles))
        if not _is_count(n):
            raise TskError("walk_bad_count", role=v.roles[role], n=n)
    if walk.total_participants > v.max_participants:
        raise TskError("walk_too_many_participants", n=walk.total_participants, max=v.max_participants)

    # --- observations ---
    causes = {c.key for c in v.checklist}
    seen: set[int] = set()
    for o in observations:
        if not isinstance(o.obs_no, int) or isinstance(o.obs_no, bool) or o.obs_no < 1 or o.obs_no in seen:
            raise TskError("walk_bad_obs_no", no=o.obs_no)
        seen.add(o.obs_no)
        if o.place is not None and o.place not in places:
            raise TskError("walk_unknown_obs_place", no=o.obs_no, name=o.place, ort=walk.ort,
                           hint=_place_hint(gazetteer, walk.ort, o.place))
        if not (o.problem or "").strip():
            raise TskError("walk_empty_problem", no=o.obs_no)
        for cause in o.causes:
            if cause not in causes:
                raise TskError("walk_unknown_cause", no=o.obs_no, cause=cause,
                               allowed=_listing(f"{c.key} ({c.label})" for c in v.checklist))

    # --- measures ---
    for no, m in enumerate(measures, start=1):
        if m.origin != ORIGIN:
            raise TskError("walk_measure_origin", no=no, origin=m.origin)
        if m.ort != walk.ort:
            raise TskError("walk_measure_other_ort", no=no, ort=m.ort, walk_ort=walk.ort)
        if m.place is not None and m.place not in places:
            raise TskError("walk_unknown_measure_place", no=no, name=m.place, ort=walk.ort,
                           hint=_place_hint(gazetteer, walk.ort, m.place))
        if not (m.description or "").strip():
            raise TskError("walk_empty_description", no=no)
        if m.owner not in v.owners:
            raise TskError("walk_unknown_owner", no=no, owner=m.owner, allowed=_listing(v.owners))
        if m.decision_path not in v.decision_paths:
            raise TskError("walk_unknown_decision_path", no=no, path=m.decision_path,
                           allowed=_listing(v.decision_paths))
        if m.status not in v.statuses:
            raise TskError("walk_unknown_measure_status", no=no, status=m.status, allowed=_listing(v.statuses))
        if m.status == DONE and m.completed_date is None:
            raise TskError("walk_done_without_date", no=no)
        if m.completed_date is not None and m.status != DONE:
            raise TskError("walk_date_without_done", no=no, completed=m.completed_date.isoformat(), status=m.status)
        if m.completed_date is not None and m.completed_date < walk.walk_date:
            raise TskError("walk_completed_before_walk", no=no, completed=m.completed_date.isoformat(),
                           walk_date=walk.walk_date.isoformat())


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


def _as_date(value) -> date | None:
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
        walk_date=_as_date(walk_row["walk_date"]),
        status=walk_row["status"],
        route=list(json.loads(walk_row["route"])),
        participants={k: int(n) for k, n in json.loads(walk_row["participants"]).items()},
        followup_date=_as_date(walk_row.get("followup_date")),
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
            due_date=_as_date(r.get("due_date")),
            status=r["status"],
            completed_date=_as_date(r.get("completed_date")),
        )
        for r in measures_df.to_dict("records")
    ]
    return walk, observations, measures


# --------------------------------------------------------------------------------------------------
# The walk protocol workbook
# --------------------------------------------------------------------------------------------------


def _escape(text: str | None) -> str | None:
    """Text for a protocol cell. to_xlsx_bytes prefixes formula-like text with an apostrophe; text that
    already starts with an apostrophe gets one more, so reading back (`_unescape`) is exact."""
    if isinstance(text, str) and text.startswith("'"):
        return "'" + text
    return text


def _unescape(text: str) -> str:
    if len(text) >= 2 and text[0] == "'" and text[1:].startswith((*FORMULA_TRIGGERS, "'")):
        return text[1:]
    return text


def _sheet_titles() -> tuple[str, str, str]:
    return t("walk_sheet_walk"), t("walk_sheet_observations"), t("walk_sheet_measures")


def _observation_headers() -> list[str]:
    return [t("walk_col_no"), t("walk_col_place"), t("walk_col_problem")]


def _measure_headers() -> list[str]:
    return [t("walk_col_no"), t("walk_col_place"), t("walk_col_measure"), t("walk_col_owner"),
            t("walk_col_decision_path"), t("walk_col_due"), t("walk_col_status"), t("walk_col_completed")]


def protocol_xlsx(walk: Walk, observations: list[Observation], measures: list[Measure],
                  config: KommunConfig) -> bytes:
    """The walk protocol as an Excel workbook.

    Sheets: «Vandring» (columns Fält, Värde; rows Ort, Område, Datum, Status, Rutt, one row
    «Deltagare: <roll>» per configured role, Uppföljningsmöte, Anteckningar), «Observationer» (Nr,
    Plats, Problem, one column per checklist cause with "x") and «Åtgärder» (Nr, Plats, Åtgärd,
    Ansvarig, Beslutsväg, Klart senast, Status, Klart datum). Dates are Excel dates; every text cell is
    neutralised against formula injection (tsk.exports.to_xlsx_bytes). With no observations and
    measures it is a blank protocol to fill in on the walk.
    """
    roles = config.vandring.roles
    fields: list[tuple[str, object]] = [
        (t("walk_field_ort"), _escape(walk.ort)),
        (t("walk_field_area"), _escape(walk.area)),
        (t("walk_field_date"), walk.walk_date),
        (t("walk_field_status"), _escape(walk.status)),
        (t("walk_field_route"), _escape(ROUTE_SEPARATOR.join(walk.route)) or None),
    ]
    fields += [(t("walk_field_role", role=label), walk.participants.get(key)) for key, label in roles.items()]
    fields += [(t("walk_field_role", role=key), n) for key, n in walk.participants.items() if key not in roles]
    fields += [(t("walk_field_followup"), walk.followup_date), (t("walk_field_notes"), _escape(walk.followup_notes))]
    walk_sheet = pd.DataFrame(fields, columns=[t("walk_col_field"), t("walk_col_value")], dtype=object)

    checklist = config.vandring.checklist
    obs_sheet = pd.DataFrame(
        [[int(o.obs_no), _escape(o.place), _escape(o.problem)] + ["x" if c.key in o.causes else None for c in checklist]
         for o in observations],
        columns=_observation_headers() + [c.label for c in checklist],
        dtype=object,
    )
    measure_sheet = pd.DataFrame(
        [[no, _escape(m.place), _escape(m.description), _escape(m.owner), _escape(m.decision_path), m.due_date,
          _escape(m.status), m.completed_date] for no, m in enumerate(measures, start=1)],
        columns=_measure_headers(),
        dtype=object,
    )
    title_walk, title_obs, title_measures = _sheet_titles()
    return to_xlsx_bytes({title_walk: walk_sheet, title_obs: obs_sheet, title_measures: measure_sheet})


# --- reading it back --------------------------------------------------------------------------------


def _read_workbook(data: bytes) -> dict[str, list[list]]:
    """The three protocol sheets as lists of rows (cell values), keyed by sheet title."""
    from openpyxl import load_workbook

    if len(data) > MAX_PROTOCOL_BYTES:
        raise FileRejected("walk_xlsx_too_large", size=round(len(data) / 1024 / 1024, 1),
                           max=MAX_PROTOCOL_BYTES // 1024 // 1024)
    titles = _sheet_titles()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure of the parser on untrusted bytes means "not an xlsx"
        raise FileRejected("walk_xlsx_not_xlsx") from None
    try:
        by_key = {normalise_header(name): name for name in wb.sheetnames}
        missing = [title for title in titles if normalise_header(title) not in by_key]
        if missing:
            raise FileRejected("walk_xlsx_missing_sheets", missing=_quoted(missing), found=_quoted(wb.sheetnames))
        sheets = {}
        for title in titles:
            rows = []
            for row in wb[by_key[normalise_header(title)]].iter_rows(values_only=True):
                if len(rows) > MAX_SHEET_ROWS:
                    raise FileRejected("walk_xlsx_too_many_rows", sheet=title, max=MAX_SHEET_ROWS)
                rows.append(list(row))
            sheets[title] = rows
    except TskError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet inside a valid zip
        raise FileRejected("walk_xlsx_not_xlsx") from None
    finally:
        wb.close()
    return sheets


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str | None:
    """A text cell: None when empty; numbers typed into a text column become their digits."""
    if _blank(value):
        return None
    if isinstance(value, str):
        return _unescape(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    return str(value)


def _name(value) -> str | None:
    text = _text(value)
    return text.strip() if text is not None else None


class _Cells:
    """Reads typed values from a protocol sheet, raising TskError that names sheet, row and field."""

    def __init__(self, sheet: str):
        self.sheet = sheet

    def required(self, value, row: int, label: str) -> str:
        text = _name(value)
        if text is None:
            raise TskError("walk_xlsx_missing_value", sheet=self.sheet, row=row, field=label)
        return text

    def date(self, value, row: int, label: str) -> date | None:
        if _blank(value):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(value).date()
            except (ValueError, OverflowError, TypeError):
                pass
        try:
            return parse_date(str(value))
        except ValueError as e:
            raise TskError("walk_xlsx_bad_date", sheet=self.sheet, row=row, field=label, detail=str(e)) from None

    def integer(self, value, row: int, label: str) -> int | None:
        if _blank(value):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
            return int(value)
        raise TskError("walk_xlsx_bad_number", sheet=self.sheet, row=row, field=label, value=_text(value))


def _canonical(value: str | None, options) -> str | None:
    """The configured spelling of a vocabulary value typed with other case or spacing."""
    if value is None:
        return None
    return next((o for o in options if normalise_header(o) == normalise_header(value)), value)


def _header_index(rows: list[list], sheet: str, required: list[str]) -> dict[str, int]:
    """Column index per normalised header of the sheet's first row; FileRejected if any is missing."""
    header = rows[0] if rows else []
    found = [str(h).strip() for h in header if not _blank(h)]
    index = {normalise_header(str(h)): j for j, h in enumerate(header) if not _blank(h)}
    missing = [h for h in required if normalise_header(h) not in index]
    if missing:
        raise FileRejected("walk_xlsx_missing_columns", sheet=sheet, missing=_quoted(missing),
                           found=_quoted(found) if found else t("walk_none"))
    return index


def _cell(row: list, j: int | None):
    return row[j] if j is not None and j < len(row) else None


def _data_rows(rows: list[list]):
    """(Excel row number, cells) of the non-empty rows below the header."""
    for i, row in enumerate(rows[1:], start=2):
        if any(not _blank(c) for c in row):
            yield i, row


def _read_walk_sheet(rows: list[list], sheet: str, config: KommunConfig, gazetteer: Gazetteer) -> Walk:
    col_field, col_value = t("walk_col_field"), t("walk_col_value")
    index = _header_index(rows, sheet, [col_field, col_value])
    j_field, j_value = index[normalise_header(col_field)], index[normalise_header(col_value)]
    roles = config.vandring.roles
    labels = {
        "ort": t("walk_field_ort"), "area": t("walk_field_area"), "date": t("walk_field_date"),
        "status": t("walk_field_status"), "route": t("walk_field_route"), "followup": t("walk_field_followup"),
        "notes": t("walk_field_notes"),
    }
    labels |= {f"role:{key}": t("walk_field_role", role=label) for key, label in roles.items()}
    field_of = {normalise_header(label): key for key, label in labels.items()}
    # A role row may also be named by the role's label or key alone.
    for key, label in roles.items():
        field_of.setdefault(normalise_header(label), f"role:{key}")
        field_of.setdefault(normalise_header(key), f"role:{key}")
    values: dict[str, tuple[object, int]] = {}  # field -> (cell value, Excel row)
    for i, row in _data_rows(rows):
        name = _name(_cell(row, j_field)) or ""
        key = field_of.get(normalise_header(name))
        if key is None:
            raise TskError("walk_xlsx_unknown_field", sheet=sheet, row=i, field=name,
                           allowed=_quoted(labels.values()))
        if key in values:
            raise TskError("walk_xlsx_duplicate_field", sheet=sheet, field=labels[key])
        values[key] = (_cell(row, j_value), i)
    missing = [labels[k] for k in ("ort", "date", "status") if k not in values]
    if missing:
        raise FileRejected("walk_xlsx_missing_fields", sheet=sheet, missing=_quoted(missing))
    cells = _Cells(sheet)

    def get(key):
        return values.get(key, (None, 0))

    ort = cells.required(*get("ort"), labels["ort"])
    ort = gazetteer.orter.get(ort) or ort
    area = _name(get("area")[0])
    area = (gazetteer.areas.get(area) or area) if area else gazetteer.area_of_ort.get(ort, "")
    walk_date = cells.date(*get("date"), labels["date"])
    if walk_date is None:
        raise TskError("walk_xlsx_missing_value", sheet=sheet, row=get("date")[1], field=labels["date"])
    status = _canonical(cells.required(*get("status"), labels["status"]), WALK_STATUSES)
    route_text = _text(get("route")[0])
    places = gazetteer.places_by_ort.get(ort)
    route = [p for p in _ROUTE_SPLIT.split(route_text.strip())] if route_text else []
    route = [(places.get(p) if places else None) or p for p in route if p]
    participants = {}
    for key in roles:
        n = cells.integer(*get(f"role:{key}"), labels[f"role:{key}"])
        if n is not None:
            participants[key] = n
    return Walk(
        ort=ort,
        area=area,
        walk_date=walk_date,
        status=status,
        route=route,
        participants=participants,
        followup_date=cells.date(*get("followup"), labels["followup"]),
        followup_notes=_text(get("notes")[0]),
    )


def _read_observations(rows: list[list], sheet: str, walk: Walk, config: KommunConfig,
                       gazetteer: Gazetteer) -> list[Observation]:
    required = _observation_headers()
    index = _header_index(rows, sheet, required)
    col_no, col_place, col_problem = (index[normalise_header(h)] for h in required)
    checklist = config.vandring.checklist
    cause_of = {normalise_name(c.label): c.key for c in checklist} | {normalise_name(c.key): c.key for c in checklist}
    cause_columns: dict[str, int] = {}
    for j, header in enumerate(rows[0]):
        if _blank(header) or j in (col_no, col_place, col_problem):
            continue
        key = cause_of.get(normalise_name(str(header)))
        if key is None:
            raise TskError("walk_xlsx_unknown_column", sheet=sheet, column=str(header).strip(),
                           allowed=_quoted(required + [c.label for c in checklist]))
        cause_columns[key] = j
    label_of = {c.key: c.label for c in checklist}
    places = gazetteer.places_by_ort.get(walk.ort)
    cells = _Cells(sheet)
    out = []
    for i, row in _data_rows(rows):
        no = cells.integer(_cell(row, col_no), i, required[0])
        if no is None:
            raise TskError("walk_xlsx_missing_value", sheet=sheet, row=i, field=required[0])
        place = _name(_cell(row, col_place))
        if place is not None and places is not None:
            place = places.get(place) or place
        causes = []
        for c in checklist:
            if c.key not in cause_columns:
                continue
            mark = _cell(row, cause_columns[c.key])
            if _blank(mark):
                continue
            if str(mark).strip().casefold() != "x":
                raise TskError("walk_xlsx_bad_mark", sheet=sheet, row=i, cause=label_of[c.key], value=_text(mark))
            causes.append(c.key)
        out.append(Observation(no, place, _text(_cell(row, col_problem)) or "", causes))
    return out


def _read_measures(rows: list[list], sheet: str, walk: Walk, config: KommunConfig,
                   gazetteer: Gazetteer) -> list[Measure]:
    headers = _measure_headers()
    index = _header_index(rows, sheet, headers)
    known = {normalise_header(h) for h in headers}
    for header in rows[0]:
        if not _blank(header) and normalise_header(str(header)) not in known:
            raise TskError("walk_xlsx_unknown_column", sheet=sheet, column=str(header).strip(),
                           allowed=_quoted(headers))
    _, j_place, j_desc, j_owner, j_path, j_due, j_status, j_done = (index[normalise_header(h)] for h in headers)
    _, l_place, l_desc, l_owner, l_path, l_due, l_status, l_done = headers
    v = config.vandring
    places = gazetteer.places_by_ort.get(walk.ort)
    cells = _Cells(sheet)
    out = []
    for i, row in _data_rows(rows):
        place = _name(_cell(row, j_place))
        if place is not None and places is not None:
            place = places.get(place) or place
        out.append(Measure(
            ort=walk.ort,
            place=place,
            description=_text(_cell(row, j_desc)) or "",
            owner=_canonical(cells.required(_cell(row, j_owner), i, l_owner), v.owners),
            decision_path=_canonical(cells.required(_cell(row, j_path), i, l_path), v.decision_paths),
            due_date=cells.date(_cell(row, j_due), i, l_due),
            status=_canonical(cells.required(_cell(row, j_status), i, l_status), v.statuses),
            completed_date=cells.date(_cell(row, j_done), i, l_done),
        ))
    return out


def parse_protocol_xlsx(data: bytes, config: KommunConfig) -> tuple[Walk, list[Observation], list[Measure]]:
    """Read a walk protocol written by `protocol_xlsx` (or filled in by hand in that layout).

    Raises FileRejected when the bytes are not such a protocol (not an xlsx, too large, sheets, headers
    or the rows Ort/Datum/Status missing) and TskError for a value that cannot be read (a date, a
    count, an unknown field or column, a cause marked with something other than "x"). Names are put in
    their configured spelling where they match a name or alias (ort, plats, area) or differ only in case
    (status, owner, decision path); unknown names are kept as written for `validate` to report. Ids are
    None (see the module docstring); measures get the walk's ort and origin "trygghetsvandring".
    Free text is not redacted here: call validate, then redact_all.
    """
    sheets = _read_workbook(data)
    title_walk, title_obs, title_measures = _sheet_titles()
    gazetteer = Gazetteer(config)
    walk = _read_walk_sheet(sheets[title_walk], title_walk, config, gazetteer)
    observations = _read_observations(sheets[title_obs], title_obs, walk, config, gazetteer)
    measures = _read_measures(sheets[title_measures], title_measures, walk, config, gazetteer)
    return walk, observations, measures


# --------------------------------------------------------------------------------------------------
# Public summary
# --------------------------------------------------------------------------------------------------

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
    v = config.vandring
    month = month_text(walk.walk_date)
    ort = _md(walk.ort)
    lines = [f"# {t('walk_summary_title', ort=ort, month=month)}", ""]
    intro = {"genomförd": "walk_summary_done", "planerad": "walk_summary_planned",
             "inställd": "walk_summary_cancelled"}.get(walk.status, "walk_summary_planned")
    lines.append(t(intro, ort=ort, month=month))
    if walk.route and walk.status != "inställd":
        lines.append(t("walk_summary_route", places=", ".join(_md(p) for p in walk.route)))
    roles = [(v.roles.get(k, k), int(n)) for k, n in walk.participants.items() if int(n) > 0]
    if roles and walk.status == "genomförd":
        lines.append(t("walk_summary_participants", n=sum(n for _, n in roles),
                       roles=", ".join(f"{_md(label)} {n}" for label, n in roles)))
    if walk.followup_date and walk.status != "inställd":
        lines.append(t("walk_summary_followup", month=month_text(walk.followup_date)))

    def place_name(place):
        return _md(place) if place else t("walk_summary_whole_ort", ort=ort)

    if observations or walk.status == "genomförd":
        lines += ["", f"## {t('walk_summary_found')}", ""]
        if not observations:
            lines.append(t("walk_summary_found_none"))
        order = [p for p in walk.route] + [o.place for o in observations if o.place]
        places = list(dict.fromkeys(p for p in order if any(o.place == p for o in observations)))
        if any(o.place is None for o in observations):
            places.append(None)
        labels = {c.key: c.label for c in v.checklist}
        for place in places:
            lines.append(f"**{place_name(place)}**")
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

    todo = [m for m in measures if m.status not in (DONE, DECLINED)]
    done = [m for m in measures if m.status == DONE]
    declined = [m for m in measures if m.status == DECLINED]
    if measures:
        lines += ["", f"## {t('walk_summary_todo')}", ""]
        if not todo:
            lines.append(t("walk_summary_todo_none"))
        for m in todo:
            due = t("walk_summary_due", month=month_text(m.due_date)) if m.due_date else t("walk_summary_no_due")
            item = t("walk_summary_todo_item", description=_sentence(_md(m.description)), owner=_md(m.owner), due=due,
                     status=_md(m.status))
            lines.append(f"- **{place_name(m.place)}:** {item}")
    if done:
        lines += ["", f"## {t('walk_summary_done_heading')}", ""]
        for m in done:
            item = t("walk_summary_done_item", description=_sentence(_md(m.description)), owner=_md(m.owner),
                     month=month_text(m.completed_date))
            lines.append(f"- **{place_name(m.place)}:** {item}")
    if declined:
        lines += ["", f"## {t('walk_summary_declined')}", ""]
        for m in declined:
            item = t("walk_summary_declined_item", description=_sentence(_md(m.description)), owner=_md(m.owner))
            lines.append(f"- **{place_name(m.place)}:** {item}")
    return redact("\n".join(lines).strip() + "\n")
