"""Trygghetsundersökning importer: wide form exports (one row per respondent, one column per question)
read through a mapping file. Each answer is stored with its scale version, so years asked on different
scales are never mixed; free-text answers are redacted and linked to a configured place they name."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from tsk.errors import FileRejected, RowProblem
from tsk.importers.base import Batch, ImportContext, bad_row, quarantined
from tsk.importers.forms import (
    ScaleReader, choose_mapping, headers_text, read_for, resolve_columns, row_original, source_label,
)
from tsk.parsing import parse_timestamp
from tsk.text import redact

SOURCE = "survey"


@dataclass
class Respondent:
    row_number: int
    respondent_id: str
    submitted_at: datetime | None
    year: int
    fields: dict[str, str]
    answers: list[tuple[str, str, int, str]]  # item, scale, value, label
    texts: list[tuple[str, str]]  # item, redacted text


def read_respondents(source: str, path: Path, ctx: ImportContext, allowed_items: set[str], required: list[str],
                     period_key: str):
    """Shared by the survey and Träffpunkt importers: rows -> Respondent, or quarantine.

    `period_key` is the mapping key that fixes the period for the whole file ("year" or "round"); without
    it the year of each row's timestamp is used.
    """
    table = read_for(source, path)
    mapping, mapping_name = choose_mapping(source, table, ctx.mapping, ctx.mapping_name)
    reader = ScaleReader(ctx.config, mapping, mapping_name)
    items = reader.validate(allowed_items)
    fixed_period = mapping.get(period_key)
    cols = resolve_columns(source, table, mapping, required + ([] if fixed_period else ["timestamp"]))
    item_cols = [(item, table.column(item["column"])) for item in items]
    if not any(col for _, col in item_cols):
        raise FileRejected("file_wrong_columns", source=source_label(source),
                           missing=", ".join(f"«{i['column']}»" for i in items), found=headers_text(table))
    frame = table.frame
    respondents, quarantine = [], [bad_row(n, orig, reason) for n, orig, reason in table.bad_rows]
    for i, row_number in enumerate(table.row_numbers):
        cell = lambda field: str(frame.iat[i, frame.columns.get_loc(cols[field])]).strip() if field in cols else ""  # noqa: E731
        try:
            submitted = None
            if cell("timestamp"):
                try:
                    submitted = parse_timestamp(cell("timestamp"))
                except ValueError as e:
                    raise RowProblem("bad_timestamp", detail=str(e)) from None
            elif not fixed_period:
                raise RowProblem("missing_value", field=mapping["columns"].get("timestamp", "timestamp"))
            year = int(str(fixed_period)[:4]) if fixed_period else submitted.year
            answers, texts = [], []
            for item, col in item_cols:
                if col is None:
                    continue
                value = str(frame.iat[i, frame.columns.get_loc(col)]).strip()
                if item.get("type") == "text":
                    if value:
                        texts.append((item["key"], redact(value)))
                    continue
                got = reader.value(item, value, item["column"])
                if got is not None:
                    answers.append((item["key"], item["scale"], got[0], got[1]))
            rid = cell("id") or cell("respondent_id") or str(row_number)
            respondents.append(Respondent(row_number, f"{ctx.file_name}#{rid}", submitted, year,
                                          {f: cell(f) for f in cols}, answers, texts))
        except RowProblem as problem:
            quarantine.append(quarantined(row_number, row_original(table, i, mapping), problem))
    return respondents, quarantine, mapping, mapping_name, table


def parse(path: Path, ctx: ImportContext) -> Batch:
    allowed = {i.key for i in ctx.config.survey_items}
    respondents, quarantine, mapping, mapping_name, table = read_respondents(
        SOURCE, path, ctx, allowed, required=[], period_key="year"
    )
    people, answers, texts = [], [], []
    kept = []
    for r in respondents:
        try:
            where_text = r.fields.get("ort") or r.fields.get("area") or ""
            where = ctx.gazetteer.resolve(ort=where_text) if where_text else None
        except RowProblem as problem:
            quarantine.append(quarantined(r.row_number, row_original(table, table.row_numbers.index(r.row_number), mapping), problem))
            continue
        kept.append(r)
        people.append((r.year, r.respondent_id, r.submitted_at, where.area if where else None,
                       where.ort if where else None, r.fields.get("age_group") or None, r.fields.get("gender") or None))
        answers += [(r.year, r.respondent_id, *a) for a in r.answers]
        for item, text in r.texts:
            ort, plats = ctx.gazetteer.mentioned_place(text)
            texts.append((r.year, r.respondent_id, item, text, ort, plats))
    return Batch(
        tables={
            "survey_respondents": pd.DataFrame(people, columns=["year", "respondent_id", "submitted_at", "area", "ort",
                                                                "age_group", "gender"]),
            "survey_answers": pd.DataFrame(answers, columns=["year", "respondent_id", "item", "scale", "value", "label"]),
            "survey_texts": pd.DataFrame(texts, columns=["year", "respondent_id", "item", "text", "ort", "place"]),
        },
        accepted=len(people),
        quarantine=sorted(quarantine, key=lambda q: q.row_number),
        mapping_name=mapping_name,
        notes=[f"år: {', '.join(str(y) for y in sorted({r.year for r in kept}))}"] if kept else [],
    )
