"""What every importer returns, and the shared pieces they use to build it."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tsk.config import KommunConfig
from tsk.errors import FileRejected, RowProblem
from tsk.gazetteer import Gazetteer
from tsk.i18n import t
from tsk.text import redact


@dataclass
class Quarantined:
    """A row kept aside: its original cells (free text redacted), the reason in Swedish and suggestions."""

    row_number: int
    original: dict
    reason: str
    suggestions: list[str] = field(default_factory=list)
    # The reason's message key and the value it is about (as written, redacted): rows sharing both are
    # reviewed and corrected together.
    key: str | None = None
    value: str | None = None


@dataclass
class Batch:
    """An importer's result, written to the store in one transaction.

    `tables` maps a store table name to the rows to insert (columns as in tsk.store.schema, without
    import_id, which the store adds). `accepted` counts the source's units (reports, respondents,
    events, areas). `skipped` counts rows that are deliberately not imported and why (for example
    police events in other kommuner); they are not errors and are reported, never hidden.
    """

    tables: dict[str, pd.DataFrame]
    accepted: int
    quarantine: list[Quarantined] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Areas importer only: columns name, schematic, geometry_wkt, minlon, minlat, maxlon, maxlat.
    area_geometries: pd.DataFrame | None = None
    # Places importer only: columns of tsk.importers.places.POSITION_COLUMNS (ort, name, lat, lon, created,
    # name_key, written): the position of each place the file gives, and whether the file creates it.
    place_positions: pd.DataFrame | None = None
    # The mapping file used when the importer recognised the layout itself.
    mapping_name: str | None = None
    # Which of an importer's paths read the file, where it has more than one (lägesbild: "columnar" or
    # "row loop: <why>", see lagesbild_rules); for tests and the benchmark, never written.
    parse_path: str | None = None


@dataclass
class ImportContext:
    config: KommunConfig
    gazetteer: Gazetteer
    file_name: str
    mapping: dict | None = None
    mapping_name: str | None = None
    name_field: str | None = None
    mapping_text: str | None = None
    # Places importer only: the store's area geometries (Store.area_geometries; None or empty when no
    # areas with geometry are imported) and its review decisions (Store.review_decisions records).
    area_geometries: pd.DataFrame | None = None
    decisions: list[dict] | None = None


def quarantined(row_number: int, original: dict, problem: RowProblem) -> Quarantined:
    reason = problem.message
    if getattr(problem, "suggestions", None):
        reason += " " + t("suggestions", names=", ".join(problem.suggestions))
    return Quarantined(
        row_number=row_number,
        original={k: redact(v) for k, v in original.items()},
        reason=reason,
        suggestions=list(getattr(problem, "suggestions", [])),
        key=problem.key,
        value=problem_value(problem),
    )


def problem_value(problem: RowProblem) -> str | None:
    """The value a row problem is about (the unknown name, the bad label …), redacted, or None."""
    for param in ("name", "value"):
        v = problem.params.get(param)
        if v is not None and str(v) != "":
            return redact(str(v))
    return None


def bad_row(row_number: int, original: dict, reason: tuple[str, dict]) -> Quarantined:
    key, params = reason
    return Quarantined(row_number, {k: redact(v) for k, v in original.items()}, t(key, **params), key=key)


def load_mapping(path: Path) -> dict:
    """Read a mapping file (TOML). Raises FileRejected with a Swedish reason."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise FileRejected("mapping_unreadable", path=path, detail=e.strerror or str(e)) from None
    except UnicodeDecodeError as e:
        raise FileRejected("mapping_unreadable", path=path, detail=str(e)) from None
    return mapping_from_text(text, path)


def mapping_from_text(text: str, path) -> dict:
    """A mapping from its TOML text (a file's, or the text stored with an import). `path` names it in
    messages. Raises FileRejected with a Swedish reason."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise FileRejected("mapping_unreadable", path=path, detail=str(e)) from None
    except RecursionError:  # thousands of nested arrays or tables
        raise FileRejected("mapping_unreadable", path=path, detail=t("mapping_too_deep")) from None
    if not isinstance(data.get("columns"), dict):
        raise FileRejected("mapping_no_columns", path=path)
    _check_mapping_shape(data, path)
    return data


_TEXT = (str,)
_SCALAR = (str, int, float, bool)
# The shape of every key a mapping file may have (extend here when an importer reads a new key).
_MAPPING_SHAPE = {
    "source": ("text", _TEXT), "description": ("text", _TEXT), "layout": ("layout", ("long", "wide")),
    "round": ("text", (str, int)), "personal_columns": ("list", _TEXT), "columns": ("table", _TEXT),
    "constants": ("table", _TEXT), "categories": ("table", _TEXT), "grades": ("table", _SCALAR),
    "labels": ("tables", _SCALAR), "missing": ("table_of_lists", _TEXT), "nothing_to_report": ("table_of_lists", _TEXT),
    "items": ("list_of_tables", _SCALAR),
}
_WANT = {"text": "mapping_want_text", "layout": "mapping_want_layout", "list": "mapping_want_list",
         "table": "mapping_want_table", "tables": "mapping_want_tables", "table_of_lists": "mapping_want_table",
         "list_of_tables": "mapping_want_list_of_tables"}


def _check_mapping_shape(data: dict, path: Path) -> None:
    """Refuse a mapping whose known keys have the wrong shape (`labels = 5`, `layout = ["wide"]`) with
    the key and what it should be, instead of ignoring it or failing later."""
    def ok(kind: str, allowed, value) -> bool:
        def scalar(v) -> bool:
            return isinstance(v, allowed)

        if kind == "text":
            return isinstance(value, allowed)
        if kind == "layout":
            return isinstance(value, str) and value in allowed
        if kind == "list":
            return isinstance(value, list) and all(isinstance(v, allowed) for v in value)
        if kind == "table":
            return isinstance(value, dict) and all(scalar(v) for v in value.values())
        if kind == "tables":
            return isinstance(value, dict) and all(
                isinstance(v, dict) and all(scalar(x) for x in v.values()) for v in value.values())
        if kind == "table_of_lists":
            return isinstance(value, dict) and all(
                isinstance(v, allowed) or (isinstance(v, list) and all(isinstance(x, allowed) for x in v))
                for v in value.values())
        return isinstance(value, list) and all(
            isinstance(v, dict) and all(scalar(x) for x in v.values()) for v in value)

    for key, (kind, allowed) in _MAPPING_SHAPE.items():
        if key in data and not ok(kind, allowed, data[key]):
            got = type(data[key]).__name__
            raise FileRejected("mapping_bad_shape", path=path, field=key, want=t(_WANT[kind]),
                               got=t("mapping_got", value=repr(data[key])[:60], type=got))
