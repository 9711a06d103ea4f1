"""Nothing kommun-specific in code or i18n: the configured kommun's name, its areas, orter and local
organisations live in the config (tsk.toml), never in tsk/ or pages/ — except the demo generator, which
writes Svenljunga's demo exports on purpose.

Names are matched case-sensitively as whole words (letters, digits and _ on neither side, Swedish
letters included), so a place name that is also a common word in lower case ("kalv", "torget") is no
false hit, while "Kalv" or "Svenljunga kommun" anywhere in code, comments or messages is. Both the
shipped config and the second test kommun's are checked, so a name of either fails the test."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.kommun2.builder import CONFIG_PATH as KOMMUN2_CONFIG
from tsk.config import ROOT, KommunConfig, load_config
from tsk.i18n import t

ALLOWED = {ROOT / "tsk" / "demo_data.py", *(ROOT / "tsk" / "demo").rglob("*.py")}
SOURCES = sorted(p for p in [*(ROOT / "tsk").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
                 if p not in ALLOWED)


def kommun_names(cfg: KommunConfig) -> set[str]:
    """The kommun, every area, ort and ort alias, and every organisation's name except the (national)
    police's. Lower-case aliases ("centralorten") are ordinary words, and organisation aliases are often
    generic ("Kommunen"): not names."""
    names = {cfg.name, *(a.name for a in cfg.areas)}
    for o in cfg.orter:
        names |= {o.name, *o.aliases}
    names |= {org.name for org in cfg.organisations if org.kind != "polis"}
    return {n for n in names if n[:1].isupper()}


def whole_word(name: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def hits(names: set[str], sources: list[Path]) -> list[str]:
    patterns = {name: whole_word(name) for name in names}
    found = []
    for path in sources:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found += [f"{where}:{number}: {name}" for name, p in patterns.items() if p.search(line)]
    return found


@pytest.mark.parametrize("config_path", [ROOT / "tsk.toml", KOMMUN2_CONFIG], ids=["tsk.toml", "kommun2"])
def test_no_kommun_area_or_ort_name_in_code(config_path):
    names = kommun_names(load_config(config_path))
    assert len(names) > 5, names
    assert hits(names, SOURCES) == []


def test_the_check_finds_a_name_as_a_whole_word_only(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('A = "Träffpunkt i Kalv"\nB = "kalv, Kalvsund och Kalvens"\n# Högvad\n', encoding="utf-8")
    assert hits({"Kalv", "Högvad"}, [sample]) == ["sample.py:1: Kalv", "sample.py:3: Högvad"]


def test_kommun_specific_texts_come_from_the_config(config):
    from dataclasses import replace

    from tsk.pagedata import common, survey, traffpunkt

    kommun2 = load_config(KOMMUN2_CONFIG)
    assert common.goal(config, "trygg") == "Att värna Svenljunga som trygg kommun"
    assert common.goal(kommun2, "trygg") == kommun2.goals["trygg"] != common.goal(config, "trygg")
    assert traffpunkt.traffpunkt_intro(config).startswith(
        "Landsbygdsdialogen Träffpunkt i fem områden (Högvad, Kindaholm, Axelfors, Lysjö norra, Lysjö södra) – "
        "hela kommunen utom Svenljunga tätort.")
    assert "i tre områden (Norrbygden, Östmarken, Söderskogen) – hela kommunen utom Björkdala tätort." in \
        traffpunkt.traffpunkt_intro(kommun2)
    assert "varje november" in survey.survey_intro(config, [2024, 2025])
    assert "varje mars" in survey.survey_intro(kommun2, [2025])
    assert common.report_recipients_text(config) == "analysgruppen, KLG och KS"
    assert common.organisations_text(kommun2) == "Björkdala kommun och Polisen"
    # Without the keys: neutral texts, no month, the analysgrupp alone.
    one = replace(kommun2, areas=kommun2.areas[:1])
    assert "Träffpunkt i ett område (Norrbygden)." in traffpunkt.traffpunkt_intro(one)
    bare = replace(kommun2, goals={}, report_recipients=(), survey_month="")
    assert common.goal(bare, "trygg") == t("goal_trygg") and "Björkdala" not in t("goal_trygg")
    assert "varje" not in survey.survey_intro(bare, [2025])
    assert common.report_recipients_text(bare) == "analysgruppen"
