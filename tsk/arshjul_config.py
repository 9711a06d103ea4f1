"""The TSK årshjul in the configuration ([[arshjul]]): the routine's recurring items, each with month,
role and the kind of evidence the app looks for in the store (tsk.pagedata.arshjul derives the states).
Kept apart from tsk.config, which imports `ArshjulItem` and `parse_arshjul` from here."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tsk.errors import TskError
from tsk.parsing import MONTHS

if TYPE_CHECKING:
    from tsk.config import Area


# --- the TSK årshjul ([[arshjul]]) ------------------------------------------------------------------------

# How the app finds an item's state in the store (tsk.pagedata.arshjul): a survey year imported, a
# Träffpunkt round for the item's area, a walk in the centralort, an analysgrupp meeting in the month,
# a Träffpunkt dialogue step (2–4) registered for the year's round (for the item's area, or for every
# area with a round that year), a Samhällskris robustness meeting in the year;
# "report" has nothing in the store and is shown as unknown, never guessed.
ARSHJUL_KINDS = ("survey", "traffpunkt", "walk_centralort", "meeting", "traffpunkt_step", "samhallskris", "report")
DIALOG_STEPS = (2, 3, 4)  # the Träffpunkt steps after the survey (tsk.registers.dialog.STEPS)


@dataclass(frozen=True)
class ArshjulItem:
    key: str
    label: str
    months: tuple[int, ...]  # 1..12, sorted
    role: str                # who is responsible (a role, never a person)
    kind: str                # one of ARSHJUL_KINDS
    area: str = ""           # kind "traffpunkt": the Träffpunkt area of the round
    interval_years: int = 1  # held every n years: in start_year and every n years from it
    start_year: int = 0
    step: int = 0            # kind "traffpunkt_step": the dialogue step (2, 3 or 4)

    def held_in(self, year: int) -> bool:
        """Whether the item is in the routine of `year` (a two-yearly round is not in the years between)."""
        return self.interval_years == 1 or (int(year) - self.start_year) % self.interval_years == 0


def _arshjul_months(item: dict, key: str, path: Path) -> tuple[int, ...]:
    """`month = 11` or `months = [3, 9]`; a Swedish month name («november») is read too."""

    raw = item["months"] if "months" in item else [item["month"]]
    if not isinstance(raw, list) or not raw:
        raise TskError("config_arshjul_bad_month", path=path, key=key, value=raw)
    months = []
    for m in raw:
        n = MONTHS.get(m.strip().casefold()) if isinstance(m, str) else m
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 12:
            raise TskError("config_arshjul_bad_month", path=path, key=key, value=m)
        months.append(n)
    return tuple(sorted(set(months)))


def parse_arshjul(items: list, path: Path, areas: tuple[Area, ...]) -> tuple[ArshjulItem, ...]:
    """The [[arshjul]] items; a month outside 1–12, an unknown kind or area, a round without area, a walk
    item without a centralort or a key given twice is a Swedish error naming the item."""
    area_kinds = {a.name: a.kind for a in areas}
    out: list[ArshjulItem] = []
    for raw in items:
        key = str(raw.get("key", "")).strip()
        if not key:
            raise TskError("config_arshjul_no_key", path=path, label=raw.get("label", "–"))
        if "month" not in raw and "months" not in raw:
            raise TskError("config_arshjul_bad_month", path=path, key=key, value="–")
        kind = str(raw.get("kind", ""))
        if kind not in ARSHJUL_KINDS:
            raise TskError("config_arshjul_unknown_kind", path=path, key=key, kind=kind, kinds=", ".join(ARSHJUL_KINDS))
        area = str(raw.get("area", ""))
        if kind == "traffpunkt" and not area:
            raise TskError("config_arshjul_no_area", path=path, key=key)
        if area and area not in area_kinds:
            raise TskError("config_arshjul_unknown_area", path=path, key=key, area=area,
                           areas=", ".join(area_kinds) or "–")
        if kind == "walk_centralort" and "centralort" not in area_kinds.values():
            raise TskError("config_arshjul_no_centralort", path=path, key=key)
        step = raw.get("step", 0)
        if kind == "traffpunkt_step" and (isinstance(step, bool) or step not in DIALOG_STEPS):
            raise TskError("config_arshjul_bad_step", path=path, key=key, value=step)
        if any(i.key == key for i in out):
            raise TskError("config_arshjul_key_twice", path=path, key=key)
        interval = raw.get("interval_years", 1)
        if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
            raise TskError("config_bad_number", path=path, key=f"[[arshjul]] {key}: interval_years", low=1, value=interval)
        start = raw.get("start_year", 0)
        if interval > 1 and (isinstance(start, bool) or not isinstance(start, int) or start < 1):
            raise TskError("config_arshjul_no_start_year", path=path, key=key)
        out.append(ArshjulItem(key, str(raw.get("label", key)), _arshjul_months(raw, key, path),
                               str(raw.get("role", "")), kind, area, interval, int(start) if interval > 1 else 0,
                               int(step) if kind == "traffpunkt_step" else 0))
    return tuple(out)
