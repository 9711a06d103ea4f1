"""Correcting quarantined rows and reviewing new names, one row or many at a time.

A corrected row is written, with the other rows of its file being corrected, as a CSV with the
original columns and imported again through the same importer and the mapping text stored with the
original import (so it is read the same way wherever the mapping file lives), in the same write as
the correction: a row that is still wrong stays in quarantine, untouched.

Review decisions (a free-typed place name → alias of a place, a new place, or kept at ort level; an
unknown ort spelling → alias of an ort; an unknown reporter → a reporting unit) are written to the
store (`review_decisions`), never to tsk.toml: the next import uses them (tsk.gazetteer.with_decisions)
and the rows already stored are re-placed, or re-imported from quarantine, in the same transaction,
recorded in the import log with who and when.
"""
from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tsk.config import KommunConfig, setting_path
from tsk.errors import TskError
from tsk.gazetteer import Gazetteer, with_decisions
from tsk.i18n import t
from tsk.importers import parse_file
from tsk.ingest.run import ImportOutcome, current_actor, write_batch
from tsk.store import open_store
from tsk.store.backup import atomic_write, auto_backup
from tsk.text import normalise_name, redact

CORRECTABLE = ("lagesbild", "survey", "traffpunkt")
REVIEW_SOURCE = "granskning"
_QUOTED = re.compile(r"«(.+?)»")


def guess_column(original: dict, reason: str) -> str | None:
    """The column holding the value the reason complains about («…» in the Swedish reason)."""
    for name in _QUOTED.findall(reason):
        for column, value in original.items():
            if str(value).strip() == name.strip():
                return column
    return None


# --- importing quarantined rows again ----------------------------------------------------------------------

@dataclass
class Reimported:
    """What importing quarantined rows again gave: rows now stored and rows still in quarantine (with
    their new reasons)."""

    rows: int = 0
    accepted: int = 0
    quarantined: int = 0
    import_ids: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _mapping_for(row: dict) -> dict:
    """How to read a quarantined row's file again: the mapping text stored with its import, else the
    shipped mapping of that name (imports from before the text was stored), else none (the importer
    chooses, as it did)."""
    text = row.get("mapping_text")
    if isinstance(text, str) and text:
        return {"mapping_text": text, "mapping_name": row.get("mapping")}
    name = row.get("mapping")
    shipped = setting_path("mappings_dir") / name if isinstance(name, str) and name else None
    if shipped is not None and shipped.is_file():
        return {"mapping": shipped}
    return {}


def _reimport(store, config: KommunConfig, rows: list[dict], edit: tuple[str, str] | None, *, actor: str,
              note: str) -> Reimported:
    """Import quarantined `rows` (Store.open_quarantine records) again inside the caller's transaction on
    the open `store`, with `edit` = (column, value) applied to each, using the store's review decisions.
    Rows now accepted are marked resolved; rows that still fail stay in quarantine (with the new reason
    when nothing was edited, so the reason shown is the current one)."""
    out = Reimported(rows=len(rows))
    decisions = store.review_decisions().to_dict("records")
    groups: dict[int, list[dict]] = {}
    for row in rows:
        if row["source"] not in CORRECTABLE:
            raise TskError("correction_not_tabular", source=row["source"])
        groups.setdefault(int(row["import_id"]), []).append(row)
    with tempfile.TemporaryDirectory(prefix="tsk_fix_") as tmp:
        for import_id, group in groups.items():
            originals = []
            for row in group:
                original = json.loads(row["original_row"])
                if edit is not None:
                    column, value = edit
                    if column not in original:
                        raise TskError("correction_unknown_column", column=column)
                    original[column] = value
                originals.append(original)
            header = list(originals[0])
            origin = f"{import_id}:" + ",".join(str(int(r["row_number"])) for r in group)
            digest = hashlib.sha256(origin.encode()).hexdigest()[:8]
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(group[0]["file_name"]).stem)
            suffix = f"rad{int(group[0]['row_number'])}" if len(group) == 1 else f"{len(group)}rader_{digest}"
            path = Path(tmp) / f"rattad_{stem}_{suffix}.csv"
            with open(path, "w", encoding="utf-8-sig", newline="") as f:
                writer = csv.writer(f, delimiter=";")
                writer.writerow(header)
                for original in originals:
                    writer.writerow([original.get(h, "") for h in header])
            source = group[0]["source"]
            batch, ctx = parse_file(source, path, config=config, decisions=decisions, **_mapping_for(group[0]))
            # A CSV row k (0-based) is row k + 2 of the file (the header is row 1).
            still = {q.row_number - 2: q for q in batch.quarantine}
            batch.quarantine = []  # rows that still fail stay where they are
            batch.notes.append(note)
            sha = hashlib.sha256(path.read_bytes() + origin.encode()).hexdigest()
            new_id = write_batch(store, source, path.name, sha, batch, ctx, actor=actor, path=path)
            out.import_ids.append(new_id)
            done = [(import_id, int(r["row_number"])) for k, r in enumerate(group) if k not in still]
            store.resolve_quarantine_rows(done, new_id)
            out.accepted += len(done)
            out.quarantined += len(still)
            for k, q in still.items():
                out.reasons.append(q.reason)
                if edit is None:
                    store.update_quarantine_reason(import_id, int(group[k]["row_number"]), q)
    return out


def _write(db: Path, config: KommunConfig, fn):
    """Run `fn(store)` in one transaction on a private copy of the store that replaces it only when
    everything succeeded (a backup is taken first, so a decision can be undone by a restore)."""
    if not Path(db).is_file():  # a decision needs the store it is about: never start an empty one
        raise TskError("db_missing", path=db)
    auto_backup(db)
    with atomic_write(db) as work, open_store(work, config=config) as store:
        with store.transaction():
            return fn(store)


def reimport_corrected_many(db: Path, config: KommunConfig, rows: list[dict], column: str, value: str, *,
                            actor: str | None = None) -> Reimported:
    """Set `column` to `value` in every quarantined row of `rows` (e.g. all rows with the same reason
    and value) and import them again, all in one write. Raises TskError when a row cannot be corrected
    this way (nothing changes)."""
    if not rows:
        return Reimported()
    return _write(Path(db), config, lambda store: _reimport(
        store, config, rows, (column, value), actor=actor or current_actor(),
        note=f"rättad i karantän: {column} = {redact(value)}"))


def reimport_corrected(db: Path, config: KommunConfig, row: dict, column: str, value: str) -> ImportOutcome:
    """Replace one cell of a quarantined row and import the row again. `row` is a record of
    Store.open_quarantine(). Raises TskError when the row cannot be corrected this way."""
    got = reimport_corrected_many(db, config, [row], column, value)
    return ImportOutcome(row["source"], row["file_name"], got.import_ids[0] if got.import_ids else None,
                         got.accepted, got.quarantined, notes=got.reasons)


def confirm_doubles(db: Path, config: KommunConfig, rows: list[dict], *, actor: str | None = None) -> int:
    """Close quarantined doubles of in-app reports (tsk.ingest.dedup.DOUBLE_KEYS) without importing them:
    the in-app report is the one that counts. One log line says who confirmed how many; a later export
    bringing the same rows again is still recognised. Returns the number of rows closed; TskError for
    a row that is no double (nothing changes)."""
    from tsk.ingest.dedup import DOUBLE_KEYS

    if any(r.get("reason_key") not in DOUBLE_KEYS for r in rows):
        raise TskError("rv_not_doubles")
    if not rows:
        return 0

    def apply(store) -> int:
        line = store.log_review_line(summary=f"bekräftade dubbletter: {len(rows)}", actor=actor or current_actor(),
                                     notes=[f"{r['file_name']} rad {int(r['row_number'])}" for r in rows])
        store.resolve_quarantine_rows([(int(r["import_id"]), int(r["row_number"])) for r in rows], line)
        return len(rows)
    return _write(Path(db), config, apply)


# --- the review list -------------------------------------------------------------------------------------------

def week_label(iso: str) -> str:
    """An ISO week of the review list ("2026-W05") as the app writes weeks ("v5 2026")."""
    year, week = iso.split("-W") if iso and "-W" in iso else ("", "")
    return f"v{int(week)} {year}" if week else ""


def _date(v) -> str:
    return pd.Timestamp(v).strftime("%G-W%V") if v is not None and v == v else ""


def review_list(store, config: KommunConfig) -> dict:
    """What waits for review. Returns {"places": [...], "quarantine": [...]}.

    places: one entry per distinct unplaced place name (normalised) and ort (or area, for rows placed by
    their area): name (the most common spelling), spellings, ort (None at area level), area, reports
    (rows), submissions, first_week, last_week (ISO "2026-W05"), suggestions (the ort's closest place
    names, for the person deciding). Names decided "keep at ort level" are left out.
    quarantine: one entry per source, reason key and value among open quarantine rows: source,
    reason_key, value, reason (the first row's), rows, suggestions, import_ids."""
    abbr = config.abbreviations
    decided = {(d["ort"], d["name_key"]) for d in store.review_decisions().to_dict("records") if d["kind"] == "place"}
    texts = store.unplaced_place_texts()
    places: dict[tuple, dict] = {}
    for r in texts.to_dict("records"):
        ort = r["ort"] if isinstance(r["ort"], str) else None
        key = normalise_name(r["place_text"], abbr)
        if (ort or "", key) in decided:
            continue
        e = places.setdefault((r["area"], ort, key), {
            "name": r["place_text"], "spellings": [], "ort": ort, "area": r["area"], "reports": 0,
            "submissions": 0, "first_week": r["first_week"], "last_week": r["last_week"], "_best": 0})
        e["spellings"].append(r["place_text"])
        e["reports"] += int(r["reports"])
        e["submissions"] += int(r["submissions"])
        e["first_week"] = min(e["first_week"], r["first_week"])
        e["last_week"] = max(e["last_week"], r["last_week"])
        if int(r["reports"]) > e["_best"]:
            e["name"], e["_best"] = r["place_text"], int(r["reports"])
    place_list = []
    gaz = _gazetteer(store, config) if places else None
    for e in sorted(places.values(), key=lambda e: (-e["reports"], e["area"], e["ort"] or "", e["name"])):
        e.pop("_best")
        index = gaz.places_by_ort.get(e["ort"]) if e["ort"] else None
        e["suggestions"] = index.suggest(e["name"]) if index is not None else []  # closest places, never applied
        e["first_week"], e["last_week"] = _date(e["first_week"]), _date(e["last_week"])
        place_list.append(e)

    quarantine: dict[tuple, dict] = {}
    # The store counts the rows per raw value; spellings that normalise alike are one group here.
    for r in store.open_quarantine_groups().to_dict("records"):
        key_ = r.get("reason_key") if isinstance(r.get("reason_key"), str) else None
        value = r.get("reason_value") if isinstance(r.get("reason_value"), str) else None
        group = (r["source"], key_, normalise_name(value, abbr) if value else None) if key_ else (r["source"], None, r["reason"])
        e = quarantine.setdefault(group, {"source": r["source"], "reason_key": key_, "value": value,
                                          "reason": r["reason"], "rows": 0,
                                          "suggestions": json.loads(r["suggestions"] or "[]"), "import_ids": []})
        e["rows"] += int(r["rows"])
        e["import_ids"] = sorted({*e["import_ids"], *(int(i) for i in r["import_ids"])})
    q_list = sorted(quarantine.values(), key=lambda e: (-e["rows"], e["source"], e["reason"]))
    return {"places": place_list, "quarantine": q_list}


def quarantine_group(store, config: KommunConfig, *, source: str | None, reason_key: str | None,
                     value: str | None, reason: str | None = None) -> list[dict]:
    """The open quarantine rows of one review group (same source, reason key and value; or the same
    reason text for rows without a key)."""
    if reason_key is None:
        return store.open_quarantine(source=source, reason=reason).to_dict("records") if reason is not None else []
    if not value:
        return []
    # The raw spellings that normalise to the group's value, then only their rows from the store.
    want = normalise_name(value, config.abbreviations)
    spellings = [v for v in store.open_quarantine_values(source=source, reason_key=reason_key)
                 if normalise_name(v, config.abbreviations) == want]
    if not spellings:
        return []
    return store.open_quarantine(source=source, reason_key=reason_key, values=spellings).to_dict("records")


# --- review decisions -------------------------------------------------------------------------------------------

@dataclass
class ReviewOutcome:
    message: str
    rows: int = 0            # stored rows re-placed
    reimported: Reimported | None = None
    already: bool = False    # the same decision was taken before: nothing changed


def _gazetteer(store, config: KommunConfig) -> Gazetteer:
    return Gazetteer(with_decisions(config, store.review_decisions().to_dict("records")))


def _existing(store, kind: str, ort: str, key: str) -> dict | None:
    """The decision already taken on `key` in `ort`, with missing values as None (not pandas' NaN)."""
    hit = [{k: (None if isinstance(v, float) and v != v else v) for k, v in d.items()}
           for d in store.review_decisions().to_dict("records")
           if d["kind"] == kind and d["ort"] == ort and d["name_key"] == key]
    return hit[0] if hit else None


def _same(d: dict, action: str, target: str | None) -> bool:
    return d["action"] == action and (d["target"] or None) == (target or None)


def _refuse_conflict(d: dict, name: str) -> None:
    raise TskError("review_conflict", name=name, action=t(f"review_action_{d['action']}"), target=d["target"] or d["ort"])


def _position(lat, lon) -> tuple[float | None, float | None]:
    if (lat is None) != (lon is None):
        raise TskError("review_position_pair")
    if lat is None:
        return None, None
    try:
        la, lo = float(str(lat).replace(",", ".")), float(str(lon).replace(",", "."))
    except ValueError:
        raise TskError("review_bad_position", lat=lat, lon=lon) from None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        raise TskError("review_bad_position", lat=lat, lon=lon)
    return la, lo


def decide_place(db: Path, config: KommunConfig, action: str, name: str, ort: str, *, target: str | None = None,
                 lat=None, lon=None, actor: str | None = None) -> ReviewOutcome:
    """A free-typed place name written for `ort`: "alias" of the existing place `target`, "create" a new
    place `target` (default: the name; at lat/lon or the ort's position, always marked approximate), or
    "keep" at ort level. The stored rows with that name are re-placed in the same write. Raises TskError
    (nothing changed) for an unknown ort or place, a name that already means another place, or a
    decision that contradicts an earlier one."""
    if action not in ("alias", "create", "keep"):
        raise ValueError(action)
    name = redact(str(name).strip())
    actor = actor or current_actor()
    lat, lon = _position(lat, lon)

    def apply(store) -> ReviewOutcome:
        gaz = _gazetteer(store, config)
        ort_name = gaz.orter.get(ort)
        if ort_name is None:
            raise TskError("review_unknown_ort", name=ort)
        key = normalise_name(name, config.abbreviations)
        places = gaz.places_by_ort[ort_name]
        goal = None
        if action == "alias":
            goal = places.get(target or "")
            if goal is None:
                raise TskError("review_unknown_place", name=target, ort=ort_name)
        elif action == "create":
            goal = str(target or name).strip()
        earlier = _existing(store, "place", ort_name, key)
        if earlier is not None:  # the same decision again changes nothing; another one is refused
            if not _same(earlier, action, goal):
                _refuse_conflict(earlier, name)
            return ReviewOutcome(t(f"review_done_{'keep' if action == 'keep' else 'place'}", name=name, ort=ort_name,
                                   action=t(f"review_action_{action}"), target=goal, rows=0), already=True)
        if action == "create" and places.get(goal) is not None:
            raise TskError("review_place_exists", name=goal, ort=ort_name)
        means = places.get(name)
        if means is not None and means != goal:
            raise TskError("review_name_taken", name=name, target=means, ort=ort_name)
        summary = f"plats «{name}» i {ort_name}: {t(f'review_action_{action}')}" + (f" «{goal}»" if goal else "")
        import_id = store.record_decision(
            {"kind": "place", "ort": ort_name, "name_key": key, "name": name, "action": action, "target": goal,
             "lat": lat, "lon": lon}, summary=summary, actor=actor, notes=[summary])
        # The rows with that name in the ort, and those placed only by the ort's area, get the place (or,
        # kept, the ort: the person deciding named it).
        area = gaz.area_of_ort[ort_name]
        texts = [x for x in store.unplaced_place_texts()["place_text"].unique().tolist()
                 if normalise_name(x, config.abbreviations) == key]
        rows = store.place_rows(texts=texts, ort=ort_name, area=area, place=goal, import_id=import_id)
        if goal is not None:  # survey answers naming the place by this name now count as mentions of it
            _link_survey_mentions(store, config, ort_name, goal)
        if action == "keep":
            return ReviewOutcome(t("review_done_keep", name=name, ort=ort_name))
        return ReviewOutcome(t("review_done_place", name=name, ort=ort_name, action=t(f"review_action_{action}"),
                               target=goal, rows=rows), rows=rows)

    return _write(Path(db), config, apply)


def _link_survey_mentions(store, config: KommunConfig, ort: str, place: str) -> int:
    """Tie stored survey free-text answers that name `place` in `ort` (by any of its names, the decided
    one included) to it, as an import would now."""
    gaz = _gazetteer(store, config)
    texts = store.unlinked_survey_texts()
    found = [gaz.mentioned_place(x) for x in texts["text"]]
    hit = [f == (ort, place) for f in found]
    return store.link_survey_texts(texts[hit].assign(ort=ort, place=place))


def _decide_and_reimport(db: Path, config: KommunConfig, decision: dict, reason_key: str, *, actor: str,
                         summary: str) -> ReviewOutcome:
    """Store a decision about a name (ort alias, reporter) and import the quarantined rows whose
    reason is `reason_key` about that name again, in one write."""
    name = decision["name"]

    def apply(store) -> ReviewOutcome:
        earlier = _existing(store, decision["kind"], "", decision["name_key"])
        if earlier is not None and not _same(earlier, decision["action"], decision["target"]):
            _refuse_conflict(earlier, name)
        rows = quarantine_group(store, config, source=None, reason_key=reason_key, value=name)
        if earlier is None:
            store.record_decision(decision, summary=summary, actor=actor, notes=[summary])
        elif not rows:
            return ReviewOutcome(t("review_done_reimport", name=name, target=decision["target"], accepted=0,
                                   quarantined=0), already=True)
        got = _reimport(store, config, rows, None, actor=actor, note=summary)
        return ReviewOutcome(t("review_done_reimport", name=name, target=decision["target"], accepted=got.accepted,
                               quarantined=got.quarantined), rows=got.accepted, reimported=got)

    return _write(Path(db), config, apply)


def decide_ort_alias(db: Path, config: KommunConfig, name: str, ort: str, *, actor: str | None = None) -> ReviewOutcome:
    """An unknown ort spelling (`name`) becomes an alias of the configured `ort`; the quarantined rows
    with that unknown ort are imported again in the same write."""
    name = redact(str(name).strip())
    with open_store(db, read_only=True) as store:
        gaz = _gazetteer(store, config)
    ort_name = gaz.orter.get(ort)
    if ort_name is None:
        raise TskError("review_unknown_ort", name=ort)
    known = gaz.orter.get(name)
    if known is not None:
        raise TskError("review_ort_is_known", name=name, target=known)
    key = normalise_name(name, config.abbreviations)
    summary = f"ort «{name}»: alias för «{ort_name}»"
    return _decide_and_reimport(Path(db), config, {"kind": "ort", "name_key": key, "name": name, "action": "alias",
                                                   "target": ort_name}, "unknown_ort",
                                actor=actor or current_actor(), summary=summary)


def assign_reporter(db: Path, config: KommunConfig, name: str, unit: str, *, organisation: str | None = None,
                    actor: str | None = None) -> ReviewOutcome:
    """An unknown reporter (`name`, as stored: redacted) is the reporting unit `unit` (a configured one,
    or a new one of `organisation`); its quarantined rows are imported again in the same write."""
    if not config.reporting_units:
        raise TskError("review_no_units")
    name = redact(str(name).strip())
    with open_store(db, read_only=True) as store:
        gaz = _gazetteer(store, config)
    unit_name = gaz.reporters.get(unit)
    if unit_name is not None:
        org = gaz.unit_organisation[unit_name]
    else:
        if not organisation:
            raise TskError("review_unknown_unit", name=unit)
        try:
            org = gaz.organisation(organisation)
        except TskError:
            raise TskError("review_unknown_organisation", name=organisation) from None
        unit_name = redact(str(unit).strip())
    key = normalise_name(name, config.abbreviations)
    summary = f"inrapportör «{name}»: enheten «{unit_name}» ({org})"
    return _decide_and_reimport(Path(db), config, {"kind": "reporter", "name_key": key, "name": name,
                                                   "action": "assign", "target": unit_name, "organisation": org},
                                "unknown_reporter", actor=actor or current_actor(), summary=summary)
