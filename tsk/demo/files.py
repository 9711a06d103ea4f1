"""File writers that make the bytes deterministic (XLSX with fixed zip times and stamps, CSV with a
given encoding and line ending) and the manifest."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

from tsk.demo.common import FIXED_FILE_TIME


# --- File writers that make the bytes deterministic ------------------------------------------------------
def write_xlsx(path: Path, header: list[str], rows: list[list]) -> None:
    """One sheet "Sheet1" like the form tools' exports, byte-identical on every run.

    openpyxl stamps the save time into docProps/core.xml and the zip entries; both are fixed here.
    """
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.properties.creator = "TSK-dashboard demo"
    wb.properties.created = FIXED_FILE_TIME
    wb.properties.modified = FIXED_FILE_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_FILE_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())


def _fixed_xlsx_bytes(data: bytes) -> bytes:
    """Make any openpyxl-written workbook byte-identical between runs: fixed zip times and fixed
    created/modified stamps in docProps/core.xml."""
    stamp = FIXED_FILE_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_FILE_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list], *, delimiter: str, encoding: str,
              quoting: int = csv.QUOTE_MINIMAL, lineterminator: str = "\r\n") -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))  # strict: a character cp1252 lacks is an error


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_manifest(path: Path, entries: list[dict]) -> None:
    lines = ["# Demo files in load order, written by tsk/demo_data.py (python -m tsk.demo_data). Do not edit.", ""]
    for e in entries:
        lines.append("[[files]]")
        for key in ("source", "file", "mapping", "name_field"):
            if e.get(key):
                lines.append(f"{key} = {_toml_str(e[key])}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
