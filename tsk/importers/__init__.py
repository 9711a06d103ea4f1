"""Importers: pure parsers, one module per source, each `parse(path, ctx) -> Batch` (or FileRejected for a
file it refuses); `parse_file` runs the right one with the kommun's config, mapping and review decisions.
Nothing here touches the store: tsk.ingest writes the batches (`run_import`)."""
from __future__ import annotations

from importlib import import_module
from pathlib import Path

from tsk.config import KommunConfig, load_config, setting_path
from tsk.errors import FileRejected
from tsk.gazetteer import Gazetteer, with_decisions
from tsk.importers.base import ImportContext, load_mapping, mapping_from_text
from tsk.importers.lagesbild_rules import NEW_NAMES_NOTE
from tsk.parsing import set_year_window

SOURCES = ("lagesbild", "survey", "traffpunkt", "police", "areas", "vandring", "places")


def importer(source: str):
    if source not in SOURCES:
        raise FileRejected("unknown_source", source=source, sources=", ".join(SOURCES))
    return import_module(f"tsk.importers.{source}")


def new_place_names(notes: list[str]) -> int:
    """How many new place names an import's notes report (0 when none; the note is the lägesbild
    importers', NEW_NAMES_NOTE)."""
    return next((int(n[len(NEW_NAMES_NOTE):]) for n in notes if n.startswith(NEW_NAMES_NOTE)), 0)


def parse_file(source: str, path: Path, *, config: KommunConfig | None = None, mapping: Path | None = None,
               name_field: str | None = None, decisions: list[dict] | None = None, mapping_text: str | None = None,
               mapping_name: str | None = None, areas=None):
    """Parse without writing: the Batch an import would write (used for previews and by run_import).

    `decisions` are the store's review decisions (ort and place aliases, created places, reporters),
    used as if they were configured. A mapping is given as a file (`mapping`) or as its text
    (`mapping_text`, named `mapping_name`: the text stored with an earlier import). `areas` are the
    store's area geometries (Store.area_geometries), used by the places importer."""
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
        area_geometries=areas,
        decisions=list(decisions or []),
    )
    batch = importer(source).parse(path, ctx)
    if ctx.mapping_text is None and batch.mapping_name:  # a shipped mapping the importer chose itself
        shipped = setting_path("mappings_dir") / batch.mapping_name
        if shipped.is_file():
            ctx.mapping_text = shipped.read_text(encoding="utf-8")
    return batch, ctx


