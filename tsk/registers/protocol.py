"""The walk protocol workbook: `protocol_xlsx` writes it, `parse_protocol_xlsx` reads it back.

The workbook carries no ids: "Nr" in «Observationer» is the observation number (`obs_no`), "Nr" in
«Åtgärder» is only the row's position (recomputed on export, ignored on reading).
`parse_protocol_xlsx` therefore returns ids None, and importing a protocol always creates a new walk.

Checklist causes are written in the workbook as one column per checklist item, so they come back in
the checklist's order (the order of `config.vandring.checklist`); keep `Observation.causes` in that
order for an exact round trip. A participant role that is absent from `Walk.participants` is an empty
cell in the workbook and stays absent; a role with 0 people is written and read back as 0. Sheet
titles, headers and field names are i18n texts (`walk_sheet_*`, `walk_col_*`, `walk_field_*`).
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime

import pandas as pd

from tsk.config import KommunConfig
from tsk.errors import FileRejected, TskError
from tsk.exports import FORMULA_TRIGGERS, to_xlsx_bytes
from tsk.gazetteer import Gazetteer
from tsk.i18n import t
from tsk.parsing import parse_date
from tsk.registers.statuses import WALK_STATUSES
from tsk.registers.walks import Measure, Observation, Walk
from tsk.text import normalise_header, normalise_name

# Limits for reading a protocol workbook: a real protocol is a few kilobytes and a few dozen rows.
MAX_PROTOCOL_BYTES = 5 * 1024 * 1024
MAX_SHEET_ROWS = 1000

ROUTE_SEPARATOR = " → "
_ROUTE_SPLIT = re.compile(r"\s*(?:→|->|;|\n)\s*")


def _quoted(values) -> str:
    return ", ".join(f"«{v}»" for v in values)


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
                  config: KommunConfig, *, map_sheet: tuple[pd.DataFrame, bytes, str] | None = None) -> bytes:
    """The walk protocol as an Excel workbook.

    Sheets: «Vandring» (columns Fält, Värde; rows Ort, Område, Datum, Status, Rutt, one row
    «Deltagare: <roll>» per configured role, Uppföljningsmöte, Anteckningar), «Observationer» (Nr,
    Plats, Problem, one column per checklist cause with "x") and «Åtgärder» (Nr, Plats, Åtgärd,
    Ansvarig, Beslutsväg, Klart senast, Status, Klart datum). Dates are Excel dates; every text cell is
    neutralised against formula injection (tsk.exports.to_xlsx_bytes). With no observations and
    measures it is a blank protocol to fill in on the walk.

    With `map_sheet` = (stop list, PNG, alt text) a fourth sheet «Karta» holds the stop list in walking
    order and the route's image beside it (tsk.pagedata.route.protocol_with_route makes them). Reading a
    protocol ignores that sheet.
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
    sheets = {title_walk: walk_sheet, title_obs: obs_sheet, title_measures: measure_sheet}
    if map_sheet is None:
        return to_xlsx_bytes(sheets)
    stops, png, alt = map_sheet
    sheets[t("rt_sheet_map")] = stops.astype(object).map(_escape)
    return _with_image(to_xlsx_bytes(sheets), t("rt_sheet_map"), png, alt, note_row=len(stops) + 3)


def _with_image(data: bytes, sheet: str, png: bytes, alt: str, *, note_row: int) -> bytes:
    """The workbook with `png` on `sheet`, right of its table, described by `alt`; the note below the table."""
    from openpyxl import load_workbook
    from openpyxl.drawing.image import Image

    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    image = Image(io.BytesIO(png))
    image.width, image.height = 700, 525
    image.anchor = "E2"
    ws.add_image(image)
    ws.cell(row=note_row, column=1, value=t("rt_sheet_note"))
    out = io.BytesIO()
    wb.save(out)
    return _set_image_alt(out.getvalue(), alt)


def _set_image_alt(data: bytes, alt: str) -> bytes:
    """openpyxl describes every image as «Picture»: write the route's alt text into the drawing's descr."""
    import zipfile
    from xml.sax.saxutils import quoteattr

    def described(m: re.Match) -> bytes:
        tag = re.sub(rb'\sdescr="[^"]*"', b"", m.group(1))
        return tag + b" descr=" + quoteattr(alt).encode() + m.group(2)

    src, dst = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename.startswith("xl/drawings/drawing") and item.filename.endswith(".xml"):
                content = re.sub(rb"(<(?:xdr:)?cNvPr [^>]*?)(/?>)", described, content)
            zout.writestr(item, content)
    return dst.getvalue()


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

