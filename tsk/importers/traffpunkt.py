"""Träffpunkt importer: the rural dialogue survey's 1–2 safety questions, per area and round.

Träffpunkt covers the five rural areas, never the centralort: an answer placing a respondent in the
centralort is kept aside in quarantine rather than counted in a rural area.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from tsk.errors import RowProblem
from tsk.importers.base import Batch, ImportContext, quarantined
from tsk.importers.forms import row_original
from tsk.importers.survey import read_respondents

SOURCE = "traffpunkt"


def parse(path: Path, ctx: ImportContext) -> Batch:
    allowed = {i.key for i in ctx.config.traffpunkt_items}
    respondents, quarantine, mapping, mapping_name, table = read_respondents(
        SOURCE, path, ctx, allowed, required=["area"], period_key="round"
    )
    kinds = {a.name: a.kind for a in ctx.config.areas}
    people, answers, texts = [], [], []
    for r in respondents:
        round_ = str(mapping.get("round") or r.year)
        try:
            if not r.fields.get("area"):
                raise RowProblem("missing_area")
            where = ctx.gazetteer.resolve(ort=r.fields["area"])
            if kinds[where.area] != "traffpunkt":
                raise RowProblem("traffpunkt_centralort", area=where.area)
        except RowProblem as problem:
            quarantine.append(quarantined(r.row_number, row_original(table, table.row_numbers.index(r.row_number), mapping), problem))
            continue
        people.append((round_, r.year, r.respondent_id, r.submitted_at, where.area, where.ort,
                       r.fields.get("respondent_kind") or None))
        answers += [(round_, r.respondent_id, *a) for a in r.answers]
        texts += [(round_, r.respondent_id, item, text) for item, text in r.texts]
    return Batch(
        tables={
            "traffpunkt_respondents": pd.DataFrame(
                people, columns=["round", "year", "respondent_id", "submitted_at", "area", "ort", "respondent_kind"]),
            "traffpunkt_answers": pd.DataFrame(
                answers, columns=["round", "respondent_id", "item", "scale", "value", "label"]),
            "traffpunkt_texts": pd.DataFrame(texts, columns=["round", "respondent_id", "item", "text"]),
        },
        accepted=len(people),
        quarantine=sorted(quarantine, key=lambda q: q.row_number),
        mapping_name=mapping_name,
    )
