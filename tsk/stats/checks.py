"""Input validation shared by the statistics: a confidence level, a count, k out of n. Invalid input
raises `ValueError` (a programming error in the caller)."""
from __future__ import annotations

import math


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must be between 0 and 1, got {level!r}")


def _check_count(value, name: str) -> int:
    """A non-negative whole number (int or integral float) -> int."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(f) or f < 0 or f != int(f):
        raise ValueError(f"{name} must be a non-negative whole number, got {value!r}")
    return int(f)


def _check_k_n(k, n) -> tuple[int, int]:
    k, n = _check_count(k, "k"), _check_count(n, "n")
    if k > n:
        raise ValueError(f"k ({k}) cannot exceed n ({n})")
    return k, n
