"""Known-answer tests of the value parsers, text normalisation, redaction and the gazetteer."""
from datetime import date, datetime

import pytest

from tsk.errors import RowProblem
from tsk.gazetteer import Gazetteer
from tsk.parsing import parse_date, parse_number, parse_timestamp, parse_week
from tsk.text import normalise_name, redact


@pytest.mark.parametrize("text,expected", [
    ("v47 2026", (2026, 47)), ("V.47 2026", (2026, 47)), ("vecka 5 2021", (2021, 5)),
    ("2026-W47", (2026, 47)), ("2026W05", (2026, 5)), ("2026 v47", (2026, 47)), ("v53 2026", (2026, 53)),
])
def test_iso_weeks(text, expected):
    assert parse_week(text) == expected


def test_week_without_year_takes_the_default_and_impossible_weeks_fail():
    assert parse_week("v12", default_year=2024) == (2024, 12)
    with pytest.raises(ValueError, match="vecka 53 finns inte år 2025"):
        parse_week("v53 2025")
    with pytest.raises(ValueError, match="saknar år"):
        parse_week("v12")


@pytest.mark.parametrize("text,expected", [
    ("2026-11-24", date(2026, 11, 24)), ("24/11/2026", date(2026, 11, 24)), ("24.11.2026", date(2026, 11, 24)),
    ("24 november 2026", date(2026, 11, 24)), ("3 maj 2025", date(2025, 5, 3)),
    ("2026-11-24 08:53:03", date(2026, 11, 24)),
])
def test_swedish_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("2022/03/22 8:53:03 fm CET", datetime(2022, 3, 22, 8, 53, 3)),   # Google Forms, Swedish
    ("2022/03/22 12:05:00 fm CET", datetime(2022, 3, 22, 0, 5)),      # 12 fm is just after midnight
    ("2022/03/22 12:05:00 em CET", datetime(2022, 3, 22, 12, 5)),
    ("2022/07/01 3:15:00 em CEST", datetime(2022, 7, 1, 15, 15)),
    ("2026-11-24 08:53:03", datetime(2026, 11, 24, 8, 53, 3)),          # Microsoft Forms
    ("2026-11-24T08:53:03+01:00", datetime(2026, 11, 24, 8, 53, 3)),
])
def test_form_tool_timestamps(text, expected):
    assert parse_timestamp(text) == expected


def test_decimal_comma():
    assert parse_number("1 234,5") == 1234.5
    assert parse_number("3.25") == 3.25
    with pytest.raises(ValueError):
        parse_number("tre")


def test_normalise_name_ignores_case_diacritics_punctuation_and_expands_abbreviations():
    abbr = {"ö": "östra"}
    assert normalise_name("Ö. Frölunda", abbr) == normalise_name("östra  frölunda") == "ostra frolunda"
    assert normalise_name("GC-banan") == "gc banan"
    assert normalise_name("Ö", abbr) == "o"  # a lone letter is not an abbreviation


@pytest.mark.parametrize("text,expected", [
    ("Ring 070-123 45 67", "Ring [telefonnummer borttaget]"),
    ("tel +46 70 123 45 67.", "tel [telefonnummer borttaget]."),
    ("pnr 19850412-1234", "pnr [personnummer borttaget]"),
    ("pnr 850412-1234", "pnr [personnummer borttaget]"),
    ("mejla anna.svensson@example.se", "mejla [e-post borttagen]"),
    ("vecka 47 2026-11-24, 12 personer vid torget", "vecka 47 2026-11-24, 12 personer vid torget"),
    ("postnummer 512 50 Svenljunga", "postnummer 512 50 Svenljunga"),
    # personal names: first name with surname, a lone -sson surname, double names
    ("Kalle Svensson klottrade igen vid torget.", "[namn borttaget] klottrade igen vid torget."),
    ("Såg Anna och Per Andersson vid macken", "Såg [namn borttaget] och [namn borttaget] vid macken"),
    ("Ring Andersson om nyckeln", "Ring [namn borttaget] om nyckeln"),
    ("Ann-Marie Lind sa att det var lugnt", "[namn borttaget] sa att det var lugnt"),
    # …but not everyday words at a sentence's start, nor a name that is part of a place name
    ("Per vecka kommer det 3 rapporter.", "Per vecka kommer det 3 rapporter."),
    ("Bo i området känns otryggt.", "Bo i området känns otryggt."),
    ("Klotter på Karl Johans väg.", "Klotter på Karl Johans väg."),
    ("Trasig belysning vid Elmo, Svenljunga tätort. Mörkt vid Badplatsen i Överlida.",
     "Trasig belysning vid Elmo, Svenljunga tätort. Mörkt vid Badplatsen i Överlida."),
    ("Ungdomar vid ICA Nära", "Ungdomar vid ICA Nära"),
])
def test_redaction(text, expected):
    assert redact(text) == expected


def test_gazetteer_matches_exactly_after_normalisation_and_suggests_otherwise(config):
    g = Gazetteer(config)
    assert g.resolve(ort="Ö Frölunda").ort == "Östra Frölunda"
    assert g.resolve(ort="överlida", plats="badet").plats == "Badplatsen"
    assert g.resolve(plats="Thilanderska parken").area == "Svenljunga tätort"
    with pytest.raises(RowProblem) as err:
        g.resolve(ort="Överlidda")
    assert err.value.suggestions[0] == "Överlida"
    with pytest.raises(RowProblem) as err:
        g.resolve(plats="Skolan")  # in two orter
    assert err.value.key == "ambiguous_plats"
    with pytest.raises(RowProblem) as err:
        g.resolve(ort="Kalv", area="Högvad")
    assert err.value.key == "area_ort_mismatch"


def test_no_configured_area_ort_or_place_name_is_redacted_as_a_person(config):
    names = [a.name for a in config.areas] + [o.name for o in config.orter] + [p.name for p in config.platser]
    assert len(names) > 30
    for name in names:
        assert redact(f"Skadegörelse vid {name} igen.") == f"Skadegörelse vid {name} igen."


def test_text_from_a_file_is_shown_literally_through_markdown():
    from tsk.formatting import escape_markdown

    reason = "Okänd plats «**Torget** [klicka](http://x) <b>» i orten «_Svenljunga_»."
    escaped = escape_markdown(reason)
    assert "**" not in escaped.replace("\\*", "") and "](" not in escaped.replace("\\]", "")
    assert escaped.replace("\\", "") == reason  # nothing lost, only escaped
