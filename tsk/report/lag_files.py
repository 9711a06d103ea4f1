"""The lag (2023:196) document's files and its record: when a lägesbild was made.

The law asks for the lägesbild to be kept up to date (issue 18: at least every second year), so the
document states its own date and the previous one's. The record is the import log (table `imports`, shown
on the Data page): every time the document is written through the CLI or downloaded on the Uppföljning
page, one line with source «lagdokument» (no rows, the year and version in its file name) is written
through the ordinary crash-safe write (tsk.store.backup.atomic_write, Store.write_import with no tables).
No schema change: the log already holds who did what and when.

`run_lag` is the CLI's `python -m tsk report lag --year YEAR [--public] --out FILE.docx|.xlsx`."""
from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pandas as pd

from tsk.config import KommunConfig, load_config
from tsk.errors import TskError
from tsk.i18n import t
from tsk.report.build_lag import build_lag
from tsk.report.cli import write_file
from tsk.report.docx import report_docx
from tsk.report.model import Report
from tsk.report.xlsx import report_xlsx
from tsk.store import Store, open_store
from tsk.store.backup import atomic_write

LAG_SOURCE = "lagdokument"
RENDERERS = {"docx": report_docx, "xlsx": report_xlsx}


def lag_dates(log: pd.DataFrame) -> list[date]:
    """The dates a lägesbild and åtgärdsplan was made (import log lines of source «lagdokument»), oldest first."""
    if log.empty:
        return []
    rows = log[log["source"] == LAG_SOURCE]
    return sorted({pd.Timestamp(x).date() for x in rows["imported_at"]})


def previous_date(store: Store, today: date) -> date | None:
    """The latest recorded lägesbild before `today` (one made earlier the same day is this one)."""
    earlier = [d for d in lag_dates(store.import_log()) if d < today]
    return earlier[-1] if earlier else None


def lag_report(store: Store, config: KommunConfig, *, year: int, public: bool, today: date | None = None) -> Report:
    today = today or date.today()
    return build_lag(store, config, year, public=public, today=today, previous=previous_date(store, today))


def record(db: Path | str, *, year: int, public: bool, actor: str | None, config: KommunConfig | None = None) -> int:
    """Write the record's log line (see the module docstring); returns its import_id."""
    version = t("rp_footer_public") if public else t("rp_footer_full")
    with atomic_write(Path(db)) as work, open_store(work, config=config or load_config()) as store:
        return store.write_import(source=LAG_SOURCE, file_name=t("lg_log_line", year=year, version=version),
                                  sha256=uuid.uuid4().hex, mapping=None, tables={}, accepted=0, quarantine=[],
                                  skipped=0, notes=[], actor=actor)


def lag_bytes(db: Path | str, *, year: int, public: bool, fmt: str, actor: str | None,
              config: KommunConfig | None = None) -> bytes:
    """The document as DOCX or XLSX, built from the database now, and its record written (the
    Uppföljning page's download: built on click)."""
    config = config or load_config()
    with open_store(Path(db), read_only=True) as store:
        report = lag_report(store, config, year=year, public=public)
    data = RENDERERS[fmt](report)
    record(db, year=year, public=public, actor=actor, config=config)
    return data


def fmt_of(out: Path, fmt: str | None) -> str:
    """The format asked for, else the one the file name ends with."""
    chosen = fmt or out.suffix.lower().lstrip(".")
    if chosen not in RENDERERS:
        raise TskError("lg_bad_suffix", path=out, allowed=", ".join(f".{k}" for k in RENDERERS))
    return chosen


def run_lag(year: int | None, *, fmt: str | None, public: bool, out, db) -> int:
    """`python -m tsk report lag --year YEAR [--public] --out FILE.docx|.xlsx [--format …] [--db PATH]`:
    write the document (next to `out`, then moved into place), record it, and return 0. A missing year,
    a year without data, an unknown file type, a missing database or an unwritable file raise TskError
    (the CLI prints the Swedish message and exits 2)."""
    if year is None:
        raise TskError("lg_year_missing")
    out = Path(out)
    fmt = fmt_of(out, fmt)
    config = load_config()
    with open_store(Path(db), read_only=True) as store:
        report = lag_report(store, config, year=year, public=public)
    write_file(out, RENDERERS[fmt](report))
    record(db, year=year, public=public, actor=t("lg_actor_cli"), config=config)
    print(t("lg_written", path=out, year=year, version=t("rp_footer_public") if public else t("rp_footer_full")))
    return 0
