"""Importers: one module per source, each `parse(path, ctx) -> Batch`, and `run_import` that writes a
batch to the store in one transaction, once per file content (sha256)."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from tsk.backup import atomic_write, auto_backup
from tsk.config import KommunConfig, load_config, setting_path
from tsk.db import open_store
from tsk.errors import FileRejected
from tsk.gazetteer import Gazetteer, with_decisions
from tsk.i18n import t
from tsk.importers.base import ImportContext, load_mapping, mapping_from_text
from tsk.parsing import set_year_window

SOURCES = ("lagesbild", "survey", "traffpunkt", "police", "areas", "vandring")


@dataclass
class ImportOutcome:
    source: str
    file_name: str
    import_id: int | None
    accepted: int
    quarantined: int
    skipped: dict[str, int] = field(default_factory=dict)
    already_imported: bool = False
    notes: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def importer(source: str):
    if source not in SOURCES:
        raise FileRejected("unknown_source", source=source, sources=", ".join(SOURCES))
    return import_module(f"tsk.importers.{source}")


NEW_NAMES_NOTE = "nya platsnamn: "  # the lägesbild importers' note: distinct free-typed place names kept


def new_place_names(notes: list[str]) -> int:
    """How many new place names an import's notes report (0 when none)."""
    return next((int(n[len(NEW_NAMES_NOTE):]) for n in notes if n.startswith(NEW_NAMES_NOTE)), 0)


def current_actor() -> str:
    """Who runs an import or a review decision from the command line (TSK_ACTOR, else the OS user)."""
    import getpass

    try:
        return os.environ.get("TSK_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "okänd"


def stored_decisions(db: Path | str | None) -> list[dict]:
    """The review decisions in the store at `db` (none when there is no store yet)."""
    if db is None or not Path(db).is_file():
        return []
    with open_store(db, read_only=True) as store:
        if store.schema_version() < 5:
            return []
        return store.review_decisions().to_dict("records")


def parse_file(source: str, path: Path, *, config: KommunConfig | None = None, mapping: Path | None = None,
               name_field: str | None = None, decisions: list[dict] | None = None, mapping_text: str | None = None,
               mapping_name: str | None = None):
    """Parse without writing: the Batch an import would write (used for previews and by run_import).

    `decisions` are the store's review decisions (ort and place aliases, created places, reporters),
    used as if they were configured. A mapping is given as a file (`mapping`) or as its text
    (`mapping_text`, named `mapping_name`: the text stored with an earlier import)."""
    config = with_decisions(config or load_config(), decisions)
    set_year_window(config.first_year, config.years_ahead)  # the plausible years of this kommun's files
    path = Path(path)
    if not path.is_file():
        raise FileRejected("file_missing", path=path)
    if mapping is not None:
        mapping_dict = load_mapping(mapping)
        mapping_text, mapping_name = Path(mapping).read_text(encoding="utf-8"), Path(mapping).name
    elif mapping_text is not None:
        mapping_dict = mapping_from_text(mapping_text, mapping_name or "mapping")
    else:
        mapping_dict = None
    ctx = ImportContext(
        config=config,
        gazetteer=Gazetteer(config),
        file_name=path.name,
        mapping=mapping_dict,
        mapping_name=mapping_name if mapping_dict is not None else None,
        name_field=name_field,
        mapping_text=mapping_text if mapping_dict is not None else None,
    )
    batch = importer(source).parse(path, ctx)
    if ctx.mapping_text is None and batch.mapping_name:  # a shipped mapping the importer chose itself
        shipped = setting_path("mappings_dir") / batch.mapping_name
        if shipped.is_file():
            ctx.mapping_text = shipped.read_text(encoding="utf-8")
    return batch, ctx


# Rows that are the same fact whichever file brought them: a cumulative export (every answer so far)
# repeats the rows of the previous one, and police exports overlap. Compared on everything but the
# import and the file's row id (police events: on their id).
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


def run_import(source: str, path: Path | str, *, db: Path | str, config: KommunConfig | None = None,
               mapping: Path | str | None = None, name_field: str | None = None, backup: bool = True,
               actor: str | None = None, _fail_after_table: str | None = None) -> ImportOutcome:
    """Import one file. A file already imported (same source and sha256) changes nothing.

    Raises FileRejected (nothing written) for file-level problems.
    """
    config = config or load_config()
    set_year_window(config.first_year, config.years_ahead)  # the plausible years of this kommun's files
    path = Path(path)
    if not path.is_file():
        raise FileRejected("file_missing", path=path)
    sha = sha256_of(path)
    if Path(db).exists():  # already imported: answer without copying the store (nor replacing the file)
        with open_store(db, read_only=True) as store:
            previous = store.find_import(source, sha)
        if previous is not None:
            return ImportOutcome(source, path.name, previous.import_id, 0, 0, already_imported=True)
    # Parsed before the writer lock: a big file never holds up other writers, a rejected one copies nothing.
    decisions = stored_decisions(db)
    batch, ctx = parse_file(source, path, config=config, mapping=Path(mapping) if mapping else None,
                            name_field=name_field, decisions=decisions)
    with atomic_write(db) as work, open_store(work, config=config) as store:
        previous = store.find_import(source, sha)  # another writer may have imported it meanwhile
        if previous is not None:
            return ImportOutcome(source, path.name, previous.import_id, 0, 0, already_imported=True)
        now = store.review_decisions().to_dict("records")
        if [d["import_id"] for d in now] != [d["import_id"] for d in decisions]:  # a review decision came meanwhile
            batch, ctx = parse_file(source, path, config=config, mapping=Path(mapping) if mapping else None,
                                    name_field=name_field, decisions=now)
        if backup:
            auto_backup(db)
        import_id = write_batch(store, source, path.name, sha, batch, ctx, actor=actor,
                                _fail_after_table=_fail_after_table)
    return ImportOutcome(source, path.name, import_id, batch.accepted, len(batch.quarantine), batch.skipped,
                         notes=batch.notes)


def write_batch(store, source: str, file_name: str, sha: str, batch, ctx: ImportContext, *, actor: str | None = None,
                _fail_after_table: str | None = None) -> int:
    """Write a parsed batch to an open store (rows already stored left out) in one transaction, which
    joins the caller's; returns the import_id."""
    drop_already_stored(source, batch, store)
    return store.write_import(
        source=source,
        file_name=file_name,
        sha256=sha,
        mapping=ctx.mapping_name or batch.mapping_name,
        tables=batch.tables,
        accepted=batch.accepted,
        quarantine=batch.quarantine,
        skipped=sum(batch.skipped.values()),
        notes=batch.notes + [f"{k}: {v}" for k, v in batch.skipped.items()],
        area_geometries=batch.area_geometries,
        mapping_text=ctx.mapping_text,
        actor=actor or current_actor(),
        _fail_after_table=_fail_after_table,
    )
