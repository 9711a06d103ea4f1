"""`python -m tsk report YEAR`: write the report as DOCX or XLSX."""
from __future__ import annotations

import os
from pathlib import Path

from tsk.config import load_config
from tsk.errors import TskError
from tsk.i18n import t
from tsk.report.build import build_report
from tsk.report.docx import report_docx
from tsk.report.xlsx import report_xlsx
from tsk.store import open_store

RENDERERS = {"docx": report_docx, "xlsx": report_xlsx}


def run_report(year: int, *, fmt: str, public: bool, out, db) -> int:
    """`python -m tsk report YEAR --format docx|xlsx [--public] --out FILE [--db PATH]`: write the report
    and return 0. A year without data, a missing database or an unwritable file raise TskError (the
    CLI prints the Swedish message and exits 2). The file is written next to `out` and moved into
    place, so a scheduled run never leaves half a file."""
    if fmt not in RENDERERS:
        raise TskError("rp_bad_format", fmt=fmt, allowed=", ".join(RENDERERS))
    config = load_config()
    with open_store(Path(db), read_only=True) as store:
        report = build_report(store, config, year, public=public)
    data = RENDERERS[fmt](report)
    out = Path(out)
    write_file(out, data)
    print(t("rp_written", path=out, year=year, version=t("rp_footer_public") if public else t("rp_footer_full")))
    return 0


def write_file(out: Path, data: bytes) -> None:
    """Write a report file whole or not at all (a temporary file moved into place); TskError when the
    folder cannot be written."""
    tmp = out.with_name(out.name + ".tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise TskError("rp_write_failed", path=out, detail=e.strerror or type(e).__name__) from None
