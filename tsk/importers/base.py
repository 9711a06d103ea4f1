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

    `tables` maps a store table name to the rows to insert (columns as in tsk.db's schema, without
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
    # The mapping file used when the importer recognised the layout itself.
    mapping_name: str | None = None


@dataclass
class ImportContext:
    config: KommunConfig
    gazetteer: Gazetteer
    file_name: str
    mapping: dict | None = None
    mapping_name: str | None = None
    name_field: str | None = None
    mapping_text: str | None = None


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
    if not isinstance(data.get("columns"), dict):
        raise FileRejected("mapping_no_columns", path=path)
    return data
