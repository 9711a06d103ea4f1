"""Text helpers: name normalisation for matching, and redaction of personal data in free text."""
from __future__ import annotations

import re
import unicodedata

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


def redact(text: str | None) -> str | None:
    """Remove personnummer, e-mail addresses and phone numbers from free text before storage."""
    if text is None:
        return None
    out = str(text)
    for pattern, replacement in REDACTIONS:
        out = pattern.sub(replacement, out)
    return out
