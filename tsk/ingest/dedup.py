"""Rows that are the same fact whichever file brought them: a cumulative export (every answer so far)
repeats the rows of the previous one, and police exports overlap. Such rows are left out of a batch
before it is written (the import notes say how many)."""
from __future__ import annotations

from tsk.i18n import t

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
