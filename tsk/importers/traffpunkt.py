"""Träffpunkt importer: the rural dialogue survey's 1–2 safety questions, per area and round.

Träffpunkt covers the five rural areas, never the centralort: an answer placing a respondent in the
centralort is kept aside in quarantine rather than counted in a rural area.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from tsk.errors import FileRejected, RowProblem
from tsk.i18n import t
from tsk.importers.base import Batch, ImportContext
from tsk.importers.columnar import frame, resolve_each, results, take_values
from tsk.importers.survey import read_responses

SOURCE = "traffpunkt"


def parse(path: Path, ctx: ImportContext) -> Batch:
    allowed = {i.key for i in ctx.config.traffpunkt_items}
    r = read_responses(SOURCE, path, ctx, allowed, required=["area"], period_key="round")
    mapping = r.mapping
    if r.number_items:  # stored for the survey only: never read and dropped
        raise FileRejected("mapping_bad", path=r.mapping_name, detail=t("mapping_number_survey_only"))
    kinds = {a.name: a.kind for a in ctx.config.areas}

    def where(text: str):
        if not text:
            raise RowProblem("missing_area")
        place = ctx.gazetteer.resolve(ort=text)
        if kinds[place.area] != "traffpunkt":
            raise RowProblem("traffpunkt_centralort", area=place.area)
        return place

    area = r.field("area")
    places = resolve_each(area.values, where)
    r.flag(area.codes, places)
    r.raise_failed()
    places = results(places)

    rows = np.flatnonzero(r.without_problem)
    ids = r.respondent_ids(rows)
    years = r.year[rows]
    distinct_years, year_codes = np.unique(years, return_inverse=True)
    rounds = take_values([str(mapping.get("round") or y) for y in distinct_years.tolist()],
                         year_codes.reshape(-1), pa.string())
    where = area.codes[rows]
    kind = r.field("respondent_kind")
    people = frame({
        "round": rounds,
        "year": years,
        "respondent_id": ids,
        "submitted_at": r.submitted_at(rows),
        "area": take_values([p.area if p else None for p in places], where, pa.string()),
        "ort": take_values([p.ort if p else None for p in places], where, pa.string()),
        "respondent_kind": take_values([v or None for v in kind.values], kind.codes[rows], pa.string()),
    }, ["round", "year", "respondent_id", "submitted_at", "area", "ort", "respondent_kind"])
    at, cols = r.answers(rows)
    answers = frame({"round": rounds.take(at), "respondent_id": ids.take(at), **cols},
                    ["round", "respondent_id", "item", "scale", "value", "label"])
    at, cols, _ = r.texts(rows)
    texts = frame({"round": rounds.take(at), "respondent_id": ids.take(at),
                   "item": cols["item"], "text": cols["text"]},
                  ["round", "respondent_id", "item", "text"])
    return Batch(
        tables={"traffpunkt_respondents": people, "traffpunkt_answers": answers, "traffpunkt_texts": texts},
        accepted=len(people),
        quarantine=r.quarantine(),
        mapping_name=r.mapping_name,
    )
