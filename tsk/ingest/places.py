"""What an import of places (tsk.importers.places) does beyond storing positions: a place the GIS layer
creates is a review decision «create», so the rows already stored with that name written freely in its
ort are placed at it, and survey free-text answers that name it are tied to it, in the import's write
(as tsk.ingest.corrections.decide_place does for a place created in review)."""
from __future__ import annotations

from dataclasses import dataclass

from tsk.gazetteer import Gazetteer, with_decisions
from tsk.i18n import t
from tsk.importers.base import Batch, ImportContext
from tsk.text import normalise_name


@dataclass
class Created:
    ort: str
    area: str
    place: str
    texts: list[str]  # the unplaced lägesbild place texts that mean it
    rows: int


def plan_created(store, batch: Batch, ctx: ImportContext) -> list[Created]:
    """The stored rows each created place takes (read before the write); notes the count on the batch."""
    positions = batch.place_positions
    if positions is None or positions.empty or not positions["created"].any():
        return []
    abbr = ctx.config.abbreviations
    area_of = {o.name: o.area for o in ctx.config.orter}
    unplaced = store.unplaced_place_texts()
    out = []
    for r in positions[positions["created"]].itertuples():
        mine = unplaced[((unplaced["ort"] == r.ort) | (unplaced["ort"].isna() & (unplaced["area"] == area_of[r.ort])))
                        & (unplaced["place_text"].map(lambda x: normalise_name(x, abbr)) == r.name_key)]
        out.append(Created(r.ort, area_of[r.ort], r.name, sorted(set(mine["place_text"])), int(mine["reports"].sum())))
    n = sum(c.rows for c in out)
    if n:
        batch.notes.append(t("places_note_rows_placed", n=n))
    return out


def apply_created(store, created: list[Created], ctx: ImportContext) -> None:
    """Place the rows planned by plan_created and tie survey answers naming a created place to it (in the
    caller's transaction, after the positions and decisions are stored)."""
    if not created:
        return
    for c in created:
        if c.texts:
            store.place_rows(texts=c.texts, ort=c.ort, area=c.area, place=c.place, import_id=None)
    gaz = Gazetteer(with_decisions(ctx.config, store.review_decisions().to_dict("records")))
    wanted = {(c.ort, c.place) for c in created}
    texts = store.unlinked_survey_texts()
    found = [gaz.mentioned_place(x) for x in texts["text"]]
    hit = [f in wanted for f in found]
    if any(hit):
        store.link_survey_texts(texts[hit].assign(ort=[f[0] for f, h in zip(found, hit) if h],
                                                  place=[f[1] for f, h in zip(found, hit) if h]))
