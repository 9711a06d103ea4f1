"""`python -m bench.redaction_bench`: how long tsk.text.redact takes on hostile free text of growing
length (a word without spaces, dotted and @-separated runs, digits, names). Linear redaction shows
roughly 10× the time for 10× the text; the figures are printed as JSON, never asserted in tests
(tests/test_redaction.py checks the patterns' structure instead).
"""
from __future__ import annotations

import json
import time

from tsk.text import redact

UNITS = {"word": "a", "dots": "a.", "at": "a@", "digits": "0", "spaced digits": "0 ", "names": "Anna ",
         "lower names": "anna ", "e-mail": "x@y.se ", "(at)": "a(at)", "addresses": "Storgatan 1 "}
SIZES = (10_000, 100_000, 1_000_000)


def main() -> None:
    out = {}
    for name, unit in UNITS.items():
        out[name] = {}
        for size in SIZES:
            text = unit * (size // len(unit))
            start = time.perf_counter()
            redact(text)
            out[name][size] = round(time.perf_counter() - start, 4)
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
