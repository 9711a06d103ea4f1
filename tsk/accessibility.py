"""The app's accessibility statement (tillgänglighetsredogörelse, DOS-lagen): docs/tillganglighet.md with
the kommun's own details from the [tillganglighet] section of the config filled in. Pure: no Streamlit."""
from __future__ import annotations

import re
from datetime import date

from tsk.config import ROOT, KommunConfig
from tsk.errors import TskError
from tsk.formatting import escape_markdown, fmt_date
from tsk.i18n import t

TEMPLATE = ROOT / "docs" / "tillganglighet.md"
# When the software itself was last assessed (the automated browser checks and the self-assessment in
# the template); a kommun that assesses its own installation sets [tillganglighet] bedomd.
ASSESSED = date(2026, 12, 3)
UPDATED = date(2026, 12, 3)


def _date(value, key: str, path) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise TskError("config_bad_date", path=path, field=f"tillganglighet.{key}", value=str(value)) from None


def statement_markdown(config: KommunConfig, *, service: str) -> tuple[str, bool]:
    """The statement as Markdown, and whether the config names a contact. Without one the statement
    says so where the contact belongs: nothing is guessed."""
    section = config.raw.get("tillganglighet", {}) or {}
    contact = str(section.get("kontakt", "")).strip()
    assessed = _date(section.get("bedomd", ASSESSED), "bedomd", config.path)
    updated = max(_date(section.get("uppdaterad", UPDATED), "uppdaterad", config.path), assessed)
    text = TEMPLATE.read_text(encoding="utf-8")
    body = re.sub(r"\A\s*<!--.*?-->\s*", "", text, flags=re.S)  # the note to the maintainer is not shown
    values = {
        "kommun": escape_markdown(str(section.get("aktor", "")).strip() or f"{config.name} kommun"),
        "tjanst": escape_markdown(service),
        "kontakt": escape_markdown(contact) if contact else t("a11y_no_contact"),
        "bedomd": fmt_date(assessed),
        "uppdaterad": fmt_date(updated),
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), body), bool(contact)
