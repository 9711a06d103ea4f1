"""Redaction of personal data in free text (tsk.text.redact): every variant of the hostile corpus is
redacted, and the work is linear in the length of the text.

Linearity is tested by structure, not by a clock (timings are in bench/redaction_bench.py): every
pattern starts with a negative lookbehind (a match can only begin where a token begins) and has no
repetition without an upper bound, so each match attempt costs at most a constant, whatever the text.
The 1 MB inputs then show the whole pass (patterns and the name scan) gives the expected text.
"""
from __future__ import annotations

import re

import pytest

from tsk import text as text_module
from tsk.text import NAME_REPLACEMENT, redact

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants
    import sre_parse

MB = 1 << 20
NAME, PHONE, PNR, MAIL, ADDRESS = (NAME_REPLACEMENT, "[telefonnummer borttaget]", "[personnummer borttaget]",
                                   "[e-post borttagen]", "[adress borttagen]")

CORPUS = [
    ("Ring 070 - 123 45 67 i kväll", f"Ring {PHONE} i kväll"),
    ("Ring 070–1234567 i kväll", f"Ring {PHONE} i kväll"),
    ("Ring 070—123 45 67", f"Ring {PHONE}"),
    ("mejla anna(at)example.se", f"mejla {MAIL}"),
    ("mejla anna [at] example.se idag", f"mejla {MAIL} idag"),
    ("mejla anna(AT)example(dot)se", f"mejla {MAIL}"),
    ("kalle svensson klottrade igen", f"{NAME} klottrade igen"),
    ("KALLE SVENSSON", NAME),
    ("Såg fatima vid macken", f"Såg {NAME} vid macken"),
    ("Mohammed Ali sågs vid torget", f"{NAME} sågs vid torget"),
    ("Piotr och Olga stod vid busshållplatsen", f"{NAME} och {NAME} stod vid busshållplatsen"),
    ("pnr 850101–1234", f"pnr {PNR}"),
    ("pnr 85 01 01-1234", f"pnr {PNR}"),
    ("pnr 1985 01 01 1234", f"pnr {PNR}"),
    ("Han bor på Storgatan 12 B och", f"Han bor på {ADDRESS} och"),
    ("adressen är Björkvägen 3, lgh 1102", f"adressen är {ADDRESS}"),
    ("Kalle Svensson 070-123 45 67 19850101-1234 kalle@example.se", f"{NAME} {PHONE} {PNR} {MAIL}"),
]

KEPT = [
    "hans cykel stod vid torget",  # "hans" = his
    "det gick att klara sig utan polis",
    "per vecka kommer 3 rapporter",
    "Torget 12 ungdomar samlades",
    "Mejla oss på kommunen. Sen svarar vi",
    "vecka 47 2026-11-24, 12 personer vid torget",
    "postnummer 512 50 Svenljunga",
    "Klotter på Karl Johans väg.",
]


@pytest.mark.parametrize("text,expected", CORPUS, ids=[c[0] for c in CORPUS])
def test_every_variant_of_the_corpus_is_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_everyday_text_is_kept(text):
    assert redact(text) == text


def _repeats(parsed):
    """Every repetition (min, max, body) in a parsed pattern, recursively."""
    for op, av in parsed:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
            lo, hi, body = av
            yield lo, hi, body
            yield from _repeats(body)
        elif op is sre_constants.SUBPATTERN:
            yield from _repeats(av[-1])
        elif op is sre_constants.BRANCH:
            for branch in av[1]:
                yield from _repeats(branch)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            yield from _repeats(av[1])


PATTERNS = [p for p, _ in text_module.REDACTIONS] + [text_module._WORD]


@pytest.mark.parametrize("pattern", PATTERNS, ids=[str(i) for i in range(len(PATTERNS))])
def test_every_pattern_is_linear_by_construction(pattern):
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    op, av = list(parsed)[0]
    assert op is sre_constants.ASSERT_NOT and av[0] == -1, "a match must only begin where a token begins"
    unbounded = [(lo, hi) for lo, hi, _ in _repeats(parsed) if hi == sre_constants.MAXREPEAT]
    assert unbounded == []


def test_the_old_email_pattern_would_fail_the_structure_check():
    """The check above can fail: the pattern that took minutes on a 1 MB comment does."""
    old = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    parsed = sre_parse.parse(old.pattern)
    assert list(parsed)[0][0] is not sre_constants.ASSERT_NOT
    assert any(hi == sre_constants.MAXREPEAT for _, hi, _ in _repeats(parsed))


@pytest.mark.parametrize("unit,expected", [
    ("a", None),                    # one 1 MB word: the input that froze the server
    ("a.", None),
    ("a@", None),
    ("0", None),
    ("1 ", None),
    ("1-", None),
    ("Anna ", NAME + " "),
    ("anna ", NAME + " "),
    ("x@y.se ", MAIL + " "),
    ("Storgatan 1 ", ADDRESS + " "),
])
def test_one_megabyte_of_hostile_text_is_redacted(unit, expected):
    text = unit * (MB // len(unit))
    out = redact(text)
    if expected is None:
        assert out == text
    else:  # only replacements left (adjacent names become one)
        assert out.replace(expected.strip(), "").strip(" ") == ""
