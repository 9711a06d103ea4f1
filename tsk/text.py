"""Text helpers: name normalisation for matching, and redaction of personal data in free text."""
from __future__ import annotations

import re
import unicodedata

from tsk.names_sv import ALSO_WORDS, FIRST_NAMES, PLACE_WORDS

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


# Swedish personnummer / samordningsnummer: (YY)YYMMDD-NNNN, with or without separator.
_PERSONNUMMER = re.compile(r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:[0-8]\d|9[01])[-+ ]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Swedish phone numbers: 0 or +46 prefix, then 6–10 digits with optional spaces or hyphens.
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)(?:[ -]?\(0\))?(?:[ -]?\d){6,10}(?!\d)")

REDACTIONS = (
    (_EMAIL, "[e-post borttagen]"),
    (_PERSONNUMMER, "[personnummer borttaget]"),
    (_PHONE, "[telefonnummer borttaget]"),
)


NAME_REPLACEMENT = "[namn borttaget]"
_CAPITALISED = re.compile(r"\b[A-ZÅÄÖÉÜ][a-zåäöéüè]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüè]+)?\b")
_SENTENCE_END = ".!?:;\n\"'(«»–-"


def _is_first_name(word: str) -> bool:
    return word.split("-")[0].casefold() in FIRST_NAMES


def _is_surname(word: str) -> bool:
    """A -son surname (Andersson, Svensson); a surname after a first name is found by `_redact_names`."""
    return len(word) >= 6 and word.casefold().endswith("sson")


def _redact_names(text: str) -> str:
    """Replace personal names ("Kalle Svensson", "Andersson", "Ann-Marie") by NAME_REPLACEMENT.

    Heuristic, and deliberately eager: a capitalised common first name (tsk.names_sv), with the
    capitalised word after it (a surname), and a lone -sson surname. A name that is part of a place
    name ("Karl Johans väg") is kept; a first name that is also an everyday word ("Per", "Bo") is
    kept as a sentence's first word unless a surname follows."""
    words = list(_CAPITALISED.finditer(text))
    cut: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        m = words[i]
        word = m.group(0)
        if not (_is_first_name(word) or _is_surname(word)):
            i += 1
            continue
        start, end, j = m.start(), m.end(), i + 1
        while j < len(words) and text[end:words[j].start()] == " " and j - i < 3:
            end, j = words[j].end(), j + 1  # the surname(s) after it
        after = text[end:].lstrip().split(" ", 1)[0].strip(".,!?;:").casefold()
        if after in PLACE_WORDS:
            i = j
            continue
        first_word = not text[:start].rstrip() or text[:start].rstrip()[-1] in _SENTENCE_END
        if word.casefold() in ALSO_WORDS and first_word and j == i + 1:
            i = j
            continue
        cut.append((start, end))
        i = j
    for start, end in reversed(cut):
        text = text[:start] + NAME_REPLACEMENT + text[end:]
    return text


def redact(text: str | None) -> str | None:
    """Remove personnummer, e-mail addresses, phone numbers and personal names from free text before
    storage."""
    if text is None:
        return None
    out = str(text)
    for pattern, replacement in REDACTIONS:
        out = pattern.sub(replacement, out)
    return _redact_names(out)
