"""Text helpers: name normalisation for matching, and redaction of personal data in free text."""
from __future__ import annotations

import re
import unicodedata

from tsk.names_sv import ALSO_WORDS, FIRST_NAMES, LOWERCASE_WORDS, PLACE_WORDS

_PUNCT = re.compile(r"[.,:;!?()\"'`´/\\_]+")
_SPACE = re.compile(r"\s+")


def strip_diacritics(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def normalise_name(name: str, abbreviations: dict[str, str] | None = None) -> str:
    """A matching key for a place, area, category or organisation name.

    Case, punctuation, repeated spaces and diacritics are ignored, and abbreviated tokens are expanded
    ("Ö. Frölunda" -> "ostra frolunda"). Hyphens are kept as spaces so "GC-banan" matches "GC banan".
    """
    s = unicodedata.normalize("NFC", str(name)).casefold().replace("-", " ").replace("–", " ")
    s = _PUNCT.sub(" ", s)
    tokens = _SPACE.sub(" ", s).strip().split(" ")
    if abbreviations:
        abbr = {k.casefold(): v.casefold() for k, v in abbreviations.items()}
        tokens = [abbr.get(tok, tok) if len(tokens) > 1 else tok for tok in tokens]
    return strip_diacritics(" ".join(t for t in tokens if t))


def normalise_header(header: str) -> str:
    """Column headers from form tools carry stray spaces and varying case: compare them like this."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", str(header)).replace("\ufeff", "")).strip().casefold()


# Every pattern below is written to run in time linear in the text's length (a 1 MB comment without a
# space must not freeze the server): it starts with a negative lookbehind, so a match can only begin
# where a token begins, and no repetition is nested inside another unbounded repetition.
_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen, the Unicode hyphens, en and em dash, minus
# Swedish personnummer / samordningsnummer: (YY)YYMMDD-NNNN; the separator may be any dash or +, and
# the date may be written in groups ("85 01 01-1234").
_PERSONNUMMER = re.compile(
    rf"(?<!\d)(?:19|20)?\d{{2}} ?(?:0[1-9]|1[0-2]) ?(?:[0-8]\d|9[01]) ?[{_DASH}+]? ?\d{{4}}(?!\d)")
# E-mail addresses, also written "anna(at)example.se", "anna [at] example.se" or "anna@example(dot)se".
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,200}"
    r"(?:@|\s?[(\[{]\s?(?:at|snabel-a)\s?[)\]}]\s?)"
    r"[\w-]{1,200}(?:(?:\.|\s?[(\[]dot[)\]]\s?)[\w-]{1,63}){1,10}(?![\w-])", re.I)
# Swedish phone numbers: 0 or +46 prefix, then 6–10 digits, each optionally after a space, a dash with
# or without spaces around it ("070 - 123 45 67", "070–1234567") or a slash.
_SEP = rf"(?: ?[{_DASH}/] ?| )?"
_PHONE = re.compile(rf"(?<![\w+])(?:\+46|0046|0)(?:{_SEP}\(0\))?(?:{_SEP}\d){{6,10}}(?!\d)")
# Street addresses: a street-like word with a house number ("Storgatan 12", "Björkvägen 3 B").
_STREET_WORDS = ("gatan", "gata", "vägen", "väg", "gränd", "gränden", "stigen", "backen", "allén", "allé",
                 "leden", "slingan", "svängen")
_ADDRESS = re.compile(
    r"(?<![\w-])(?:[A-ZÅÄÖÉÜa-zåäöéüè]{1,40}(?:" + "|".join(_STREET_WORDS) + r")"
    r"|[A-ZÅÄÖÉÜ][a-zåäöéüè]{1,40}s? (?:" + "|".join(_STREET_WORDS) + r"))"
    r" \d{1,4}(?: ?[A-Ha-h](?![\w]))?(?:,? ?(?:lgh|lägenhet) ?\d{1,5})?(?!\d)")

REDACTIONS = (
    (_EMAIL, "[e-post borttagen]"),
    (_PERSONNUMMER, "[personnummer borttaget]"),
    (_PHONE, "[telefonnummer borttaget]"),
    (_ADDRESS, "[adress borttagen]"),
)


NAME_REPLACEMENT = "[namn borttaget]"
# Any word, of any case (names are written "Kalle", "kalle" and "KALLE"), with an optional second part.
_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,40}(?:-[^\W\d_]{1,40})?(?![^\W\d_])")
_SENTENCE_END = ".!?:;\n\"'(«»–-"
_LOOK = 80  # characters looked at before and after a name: bounded, so the pass stays linear


def _shape(word: str) -> str:
    """'cap' (Kalle, Ann-Marie), 'upper' (KALLE) or 'lower' (kalle); '' for anything else (McDonald)."""
    if word.isupper() and len(word) > 1:
        return "upper"
    if word.islower():
        return "lower"
    if all(p[:1].isupper() and (p[1:].islower() or not p[1:]) for p in word.split("-")):
        return "cap"
    return ""


def _is_first_name(word: str) -> bool:
    return word.split("-")[0].casefold() in FIRST_NAMES


def _is_surname(word: str) -> bool:
    """A -son surname (Andersson, Svensson); a surname after a first name is found by `_redact_names`."""
    return len(word) >= 6 and word.casefold().endswith("sson")


def _redact_names(text: str) -> str:
    """Replace personal names ("Kalle Svensson", "Andersson", "Ann-Marie", "kalle svensson", "KALLE
    SVENSSON") by NAME_REPLACEMENT.

    Heuristic, and deliberately eager: a common first name (tsk.names_sv), with the word after it of the
    same case (a surname; in lower case only a -sson surname or another first name), and a lone -sson
    surname. A name that is part of a place name ("Karl Johans väg") is kept; a first name that is also
    an everyday word ("Per", "Bo", "hans", "klara") is kept as a sentence's first word or in lower case,
    unless a surname follows. One pass over the words, each looking a bounded distance around it."""
    words = list(_WORD.finditer(text))
    out: list[str] = []
    done = 0
    i = 0
    while i < len(words):
        m = words[i]
        word = m.group(0)
        shape = _shape(word)
        if not shape or not (_is_first_name(word) or _is_surname(word)):
            i += 1
            continue
        start, end, j = m.start(), m.end(), i + 1
        while j < len(words) and text[end:words[j].start()] == " " and j - i < 3:
            nxt = words[j].group(0)
            same = _shape(nxt) == shape if shape != "lower" else (_is_surname(nxt) or _is_first_name(nxt))
            if not same:
                break
            end, j = words[j].end(), j + 1  # the surname(s) after it
        after = text[end:end + _LOOK].lstrip().split(" ", 1)[0].strip(".,!?;:").casefold()
        if after in PLACE_WORDS:
            i = j
            continue
        lone = j == i + 1
        before = text[max(0, start - _LOOK):start].rstrip()
        first_word = not before or before[-1] in _SENTENCE_END
        if lone and word.casefold() in ALSO_WORDS and (first_word or shape != "cap"):
            i = j
            continue
        if lone and shape == "lower" and word.casefold() in LOWERCASE_WORDS:
            i = j
            continue
        out.append(text[done:start])
        out.append(NAME_REPLACEMENT)
        done = end
        i = j
    out.append(text[done:])
    return "".join(out)


def redact(text: str | None) -> str | None:
    """Remove personnummer, e-mail addresses, phone numbers, street addresses and personal names from
    free text before storage. Linear in the length of the text."""
    if text is None:
        return None
    out = str(text)
    for pattern, replacement in REDACTIONS:
        out = pattern.sub(replacement, out)
    return _redact_names(out)
