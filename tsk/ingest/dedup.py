"""Rows that are the same fact whichever file brought them: a cumulative export (every answer so far)
repeats the rows of the previous one, and police exports overlap. Such rows are left out of a batch
before it is written (the import notes say how many)."""
from __future__ import annotations

import json

from tsk.errors import RowProblem, TskError
from tsk.i18n import t
from tsk.importers.base import Quarantined
from tsk.importers.forms import choose_mapping, read_for, resolve_columns, row_original
from tsk.importers.lagesbild_rules import nothing_values, week
from tsk.text import normalise_name, redact

# Compared on everything but the import and the file's row id (police events: on their id).
CONTENT_KEYS: dict[str, dict[str, list[str]]] = {
    "lagesbild": {
        "lagesbild": ["iso_year", "iso_week", "week_start", "report_date", "organisation", "reporter", "area",
                      "ort", "place", "category", "grade", "comment"],
        "coverage": ["reporter", "organisation", "iso_year", "iso_week", "week_start", "status"],
    },
    "police": {"police_events": ["event_id"]},
}
SKIPPED_ALREADY_STORED = {"lagesbild": t("skipped_rows_stored"), "police": t("skipped_police_stored")}
# Survey answers are compared per respondent: the same background, the same answers, the same texts.
RESPONDENT_KEYS: dict[str, tuple[str, list[str], str]] = {
    "survey": ("survey", ["year", "submitted_at", "area", "ort", "age_group", "gender"], "year"),
    "traffpunkt": ("traffpunkt", ["round", "year", "submitted_at", "area", "ort", "respondent_kind"], "round"),
}
SKIPPED_RESPONDENTS_STORED = t("skipped_respondents_stored")


def drop_already_stored(source: str, batch, store) -> None:
    """Leave out rows (lägesbild) or respondents (surveys) an earlier import of another file already
    brought (see CONTENT_KEYS, RESPONDENT_KEYS)."""
    if source in RESPONDENT_KEYS:
        _drop_stored_respondents(source, batch, store)
        return
    keys = CONTENT_KEYS.get(source, {})
    for n, (table, key) in enumerate(keys.items()):
        frame = batch.tables.get(table)
        if frame is None or frame.empty:
            continue
        seen = store.already_stored(table, frame, key)
        if not seen.any():
            continue
        batch.tables[table] = frame[~seen].reset_index(drop=True)
        if n == 0:  # the source's main table is what `accepted` counts
            batch.accepted -= int(seen.sum())
            batch.skipped[SKIPPED_ALREADY_STORED[source]] = int(seen.sum())


def _drop_stored_respondents(source: str, batch, store) -> None:
    """Leave out the survey respondents an earlier import already brought, with all their rows."""
    kind, person, period = RESPONDENT_KEYS[source]
    people, answers, texts = (batch.tables.get(f"{kind}_{part}") for part in ("respondents", "answers", "texts"))
    if people is None or people.empty:
        return
    known = store.already_stored_respondents(kind, people, answers, texts, person, period)
    if known:
        for name in ("respondents", "answers", "texts", "numbers"):
            if f"{kind}_{name}" not in batch.tables:
                continue
            frame = batch.tables[f"{kind}_{name}"]
            batch.tables[f"{kind}_{name}"] = frame[~frame["respondent_id"].isin(list(known))].reset_index(drop=True)
        batch.accepted -= len(known)
        batch.skipped[SKIPPED_RESPONDENTS_STORED] = len(known)


# --- the same unit, week and place in the app and in a file (issue 17) --------------------------------------
# A unit may report in the app and through a form tool. A file's submission of a unit, week and place the
# app already holds would be counted twice: it is kept aside in quarantine with its reason (all its
# category rows), and its coverage row goes with it. «Inget att rapportera» beside reports of the other
# source is kept aside the same way. The quarantine value names the submission (double_value): a later
# cumulative export bringing it again is left out, not quarantined a second time.
DOUBLE_REPORT = "double_app_report"            # a report of a place the app holds for that unit and week
DOUBLE_AFTER_NOTHING = "double_app_after_nothing"  # a report where the app says «inget att rapportera»
DOUBLE_NOTHING = "double_app_nothing"          # «inget att rapportera» where the app has reports
DOUBLE_NOTHING_TWICE = "double_app_nothing_twice"  # «inget att rapportera» in both
DOUBLE_KEYS = (DOUBLE_REPORT, DOUBLE_AFTER_NOTHING, DOUBLE_NOTHING, DOUBLE_NOTHING_TWICE)
_SEP = " · "
REPORTED, NOTHING = "rapporterat", "inget_att_rapportera"


def double_value(unit: str, iso_year: int, iso_week: int, where: str) -> str:
    """The quarantine value of a flagged submission: «Enhet · v49 2026 · Ort, Plats»."""
    return f"{unit}{_SEP}v{int(iso_week)} {int(iso_year)}{_SEP}{where}"


def parse_double_value(value: str) -> tuple[str, int, int] | None:
    """(unit, iso_year, iso_week) of a double_value, or None for another text."""
    parts = str(value).rsplit(_SEP, 2)
    if len(parts) != 3 or not parts[1].startswith("v"):
        return None
    week, _, year = parts[1][1:].partition(" ")
    return (parts[0], int(year), int(week)) if week.isdigit() and year.isdigit() else None


def _text(v) -> str:
    return v.strip().casefold() if isinstance(v, str) else ""


def _where(r) -> str:
    """Ort, place (or the place as written) of a report row, as the reason names it."""
    place = r["place"] if isinstance(r["place"], str) else r["place_text"] if isinstance(r["place_text"], str) else None
    ort = r["ort"] if isinstance(r["ort"], str) else r.get("area", "")
    return f"{ort}, {place}" if place else str(ort)


def _named(r) -> str:
    """The place a report row names (its place, the place as written, else its ort)."""
    for col in ("place", "place_text", "ort", "area"):
        if isinstance(r.get(col), str) and r.get(col):
            return r.get(col)
    return ""


def _flagged_reports(reports, app_weeks: dict, app_places: set) -> dict[str, tuple[str, dict, str]]:
    """report_id -> (reason key, params, value) of the file's submissions that double an in-app report."""
    out: dict[str, tuple[str, dict, str]] = {}
    for report_id, rows in reports.groupby("report_id", sort=False):
        r = rows.iloc[0]
        unit, year, week = r["reporter"], int(r["iso_year"]), int(r["iso_week"])
        states = app_weeks.get((unit, year, week), set())
        where = _where(r)
        params = {"unit": unit, "week": week, "year": year, "place": _named(r)}
        if NOTHING in states:
            out[report_id] = (DOUBLE_AFTER_NOTHING, params, double_value(unit, year, week, where))
        elif (unit, year, week, _text(r["ort"]), _text(r["place"]), _text(r["place_text"])) in app_places:
            out[report_id] = (DOUBLE_REPORT, params, double_value(unit, year, week, where))
    return out


def _original(rows) -> list[dict]:
    """The cells of flagged rows as the importer read them, when the file is not at hand."""
    return [{"Vecka": f"{int(r.iso_year)}-W{int(r.iso_week):02d}", "Inrapportör": r.reporter,
             "Organisation": r.organisation, "Ort": r.ort if isinstance(r.ort, str) else "",
             "Plats": r.place if isinstance(r.place, str) else r.place_text if isinstance(r.place_text, str) else "",
             "Kategori": getattr(r, "category", None) or t("double_nothing_cell"),
             "Bedömning": "" if getattr(r, "grade", None) is None else str(r.grade)} for r in rows.itertuples()]


def flag_app_doubles(batch, store, ctx=None, path=None) -> None:
    """Keep aside the file's submissions (lägesbild) that double a current in-app report of the same unit,
    week and place, and «inget att rapportera» beside reports of the other source: quarantined with the
    Swedish reason, their rows and coverage left out (see DOUBLE_KEYS). `path` (the file) gives the
    quarantine rows the file's own cells and row numbers, so a correction can import them again."""
    reports, coverage = batch.tables.get("lagesbild"), batch.tables.get("coverage")
    if (reports is None or reports.empty) and (coverage is None or coverage.empty):
        return
    app = store.app_unit_weeks()
    if app.empty:
        return
    app_weeks: dict[tuple, set] = {}
    for r in app.itertuples():
        app_weeks.setdefault((r.reporter, int(r.iso_year), int(r.iso_week)), set()).add(r.status)
    app_places = {(r.reporter, int(r.iso_year), int(r.iso_week), _text(r.ort), _text(r.place), _text(r.place_text))
                  for r in store.app_report_places().itertuples()}
    flagged = _flagged_reports(reports, app_weeks, app_places) if reports is not None and not reports.empty else {}
    nothing = _flagged_nothing(coverage, app_weeks)
    if not flagged and not nothing:
        return
    # What an earlier file already brought and was kept aside: the same submission with the same cells.
    known = {(v, _cells_key(json.loads(o))) for v, o in store.quarantined_cells(list(DOUBLE_KEYS)).itertuples(index=False)}
    taken = {q.row_number for q in batch.quarantine}  # rows already kept aside for another reason
    found = _file_rows(path, ctx, set(flagged), set(nothing), taken) if path is not None else {}
    quarantine, again, rows_out, new = [], 0, 0, set()
    for item, (key, params, value) in [*flagged.items(), *nothing.items()]:
        if item in flagged:
            rows = reports[reports["report_id"] == item]
            rows_out += len(rows)
        else:
            rows = _nothing_rows(coverage, item)
        cells = found.get(item) or [(0, o) for o in _original(rows)]
        if all((value, _cells_key(o)) in known for _, o in cells):
            again += len(cells)
            continue
        new.add(value)
        quarantine += [Quarantined(n, o, t(key, **params), key=key, value=value) for n, o in cells]
    _leave_out(batch, set(flagged), set(nothing), rows_out)
    batch.quarantine.extend(quarantine)
    if new:
        batch.notes.append(t("note_app_doubles", n=len(new)))
    if again:
        batch.skipped[t("skipped_doubles_known")] = again


def _cells_key(original: dict) -> str:
    return json.dumps(original, ensure_ascii=False, sort_keys=True)


def _nothing_rows(coverage, week_key: tuple):
    unit, year, week_no = week_key
    return coverage[(coverage["reporter"] == unit) & (coverage["iso_year"] == year) & (coverage["iso_week"] == week_no)
                    & (coverage["status"] == NOTHING)].assign(ort=None, place=None, place_text=None)


def _flagged_nothing(coverage, app_weeks: dict) -> dict[tuple, tuple[str, dict, str]]:
    """(unit, year, week) -> (reason key, params, value) of the file's «inget att rapportera» weeks that
    the app already accounts for."""
    out = {}
    if coverage is None or coverage.empty:
        return out
    for r in coverage[coverage["status"] == NOTHING].itertuples():
        week_key = (r.reporter, int(r.iso_year), int(r.iso_week))
        states = app_weeks.get(week_key, set())
        if not states:
            continue
        key = DOUBLE_NOTHING_TWICE if NOTHING in states and REPORTED not in states else DOUBLE_NOTHING
        params = {"unit": r.reporter, "week": int(r.iso_week), "year": int(r.iso_year)}
        out[week_key] = (key, params, double_value(r.reporter, r.iso_year, r.iso_week, t("double_nothing_cell")))
    return out


def _leave_out(batch, report_ids: set, nothing_weeks: set, rows_out: int) -> None:
    """Take the flagged submissions out of the batch, and the coverage rows only they gave."""
    reports, coverage = batch.tables.get("lagesbild"), batch.tables.get("coverage")
    if report_ids:
        gone = reports[reports["report_id"].isin(report_ids)]
        reports = reports[~reports["report_id"].isin(report_ids)].reset_index(drop=True)
        batch.tables["lagesbild"] = reports
        batch.accepted -= rows_out
        still = set(zip(reports["reporter"], reports["iso_year"].astype(int), reports["iso_week"].astype(int)))
        emptied = {(u, int(y), int(w)) for u, y, w in zip(gone["reporter"], gone["iso_year"], gone["iso_week"])} - still
    else:
        emptied = set()
    if coverage is None or coverage.empty:
        return
    weeks = list(zip(coverage["reporter"], coverage["iso_year"].astype(int), coverage["iso_week"].astype(int)))
    drop = [(w in emptied and s == REPORTED) or (w in nothing_weeks and s == NOTHING)
            for w, s in zip(weeks, coverage["status"])]
    batch.tables["coverage"] = coverage[[not d for d in drop]].reset_index(drop=True)


def _file_rows(path, ctx, report_ids: set, nothing_weeks: set, taken: set) -> dict:
    """The file's rows of the flagged submissions: report_id or (unit, year, week) -> [(row number,
    cells)], read again with the mapping the import used; {} when the file cannot be read so."""
    try:
        table = read_for("lagesbild", path)
        mapping, _ = choose_mapping("lagesbild", table, ctx.mapping, ctx.mapping_name)
        cols = resolve_columns("lagesbild", table, mapping, [])
    except TskError:
        return {}
    cells = {f: [str(v).strip() for v in table.frame[c].tolist()] for f, c in cols.items()}
    nothing = nothing_values(mapping)
    wide = mapping.get("layout", "long") == "wide"
    out: dict = {}
    for i, row_number in enumerate(table.row_numbers):
        if row_number in taken:
            continue

        def cell(field: str, i: int = i) -> str:
            return cells[field][i] if field in cells else ""

        report_id = f"{ctx.file_name}#{cell('id') or row_number}"
        if report_id in report_ids:
            original = {k: redact(v) for k, v in row_original(table, i, mapping).items()}
            out.setdefault(report_id, []).append((row_number, original))
            continue
        if nothing_weeks and normalise_name(cell("nothing_to_report" if wide else "category")) in nothing:
            try:
                unit = ctx.gazetteer.reporter(cell("reporter"))[0]
                year, week_no, _ = week(cell("week"), cell("date"))
            except RowProblem:
                continue
            if (unit, year, week_no) in nothing_weeks:
                original = {k: redact(v) for k, v in row_original(table, i, mapping).items()}
                out.setdefault((unit, year, week_no), []).append((row_number, original))
    return out
