"""Small areas honestly: a two-year pooled share where one year's sample is small, and the answers per
year a test would need to tell a large change that was not significant.

Pooling years is how Brå's Nationella trygghetsundersökningen (NTU) reports on kommun and stadsdel
level, where one year's sample is thin: two survey years taken together, e.g. «NTU 2019–2020
(sammanslaget)» in Brå's short analysis «Nationella trygghetsundersökningen – resultat på kommunal nivå»
https://bra.se/publikationer/arkiv/publikationer/2021-06-21-nationella-trygghetsundersokningen---resultat-pa-kommunal-niva.html
The respondents are different people each year, so the pooled share counts each answer of both years
once: k and n summed, then divided (no weighting between the years). It describes the two years
together, not either of them, and is always labelled with both years.
"""
from __future__ import annotations

import math
from typing import NamedTuple

from tsk.stats.checks import _check_count
from tsk.stats.proportions import PooledShare, answers_needed, pooled_share

# Why a small year has no pooled share (pagedata words each in Swedish).
NOT_SMALL = "not_small"          # the year's own n reaches the small-sample threshold: nothing to pool
NO_YEAR_BEFORE = "no_year_before"  # no answers on this item in the calendar year before
SCALE_CHANGE = "scale_change"    # the year before was asked on another scale: the answers do not mix
SUPPRESSED = "suppressed"        # either year is under the suppression minimum (see two_year_share)


class YearCount(NamedTuple):
    """One group's answers to one item in one survey year: `k` of `n` in the category, on `scale`. `k`
    may be None for a year under the suppression minimum (its count is hidden and never used)."""

    year: int
    scale: str
    k: int | None
    n: int


class TwoYearShare(NamedTuple):
    """The result of `two_year_share`: `pooled` (k, n, share and Wilson interval over both years) when
    the years could be pooled, else None and `reason` (one of the constants above)."""

    year: int
    pooled: PooledShare | None
    reason: str | None

    @property
    def years(self) -> str:
        """«2025–2026»: the two years the pooled share covers."""
        return f"{self.year - 1}–{self.year}"


def two_year_share(this: YearCount, before: YearCount | None, *, small: int, minimum: int,
                   level: float = 0.95) -> TwoYearShare:
    """The share of `this` year and the calendar year `before` it taken together, for a group whose
    single-year n is under `small` (the configured small-sample threshold).

    Pooled only when all of these hold, else `pooled` is None and `reason` says why (checked in this
    order):
    - this year's n is under `small` (NOT_SMALL otherwise: the single year stands on its own);
    - `before` is the year immediately before (NO_YEAR_BEFORE when missing or further back: a pooled
      share spans two consecutive surveys, as NTU's do);
    - both years were asked on the same scale (SCALE_CHANGE: answers on different scales never mix);
    - each year on its own reaches the suppression `minimum` (SUPPRESSED otherwise). A pooled share
      beside a shown year would give the hidden year away by subtraction, so a year under the minimum
      is never pooled, and a pooled share is never shown under the minimum (its n is at least twice it).
    """
    n = _check_count(this.n, "n")
    if n >= small:
        return TwoYearShare(this.year, None, NOT_SMALL)
    if before is None or before.year != this.year - 1:
        return TwoYearShare(this.year, None, NO_YEAR_BEFORE)
    if before.scale != this.scale:
        return TwoYearShare(this.year, None, SCALE_CHANGE)
    if n < minimum or _check_count(before.n, "n") < minimum:
        return TwoYearShare(this.year, None, SUPPRESSED)
    return TwoYearShare(this.year, pooled_share([(before.k, before.n), (this.k, this.n)], level), None)


class PrecisionNote(NamedTuple):
    """The result of `answers_per_year`: `needed` answers per year for the test to see a difference
    of the observed size with the given power, and `have`, the smaller of the two years' n."""

    needed: int
    have: int

    @property
    def too_few(self) -> bool:
        """True when the years had fewer answers than needed: the note then explains the verdict."""
        return self.needed > self.have


def answers_per_year(share1: float, n1: int, share2: float, n2: int, *, alpha: float = 0.05,
                     power: float = 0.80) -> PrecisionNote | None:
    """How many answers per year a two-sided two-proportion test at `alpha` would need to tell `share1`
    from `share2` with probability `power` (the standard sample-size formula, see `answers_needed`),
    beside the answers the two years had. None when there is no difference (or a share is unknown).

    This is a precision note, not a verdict: it says how large a survey must be for a real difference
    of the observed size to show, not that this difference is real."""
    if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in (share1, share2, n1, n2)):
        return None
    needed = answers_needed(float(share1), float(share2), alpha=alpha, power=power)
    if needed is None:
        return None
    return PrecisionNote(needed, int(min(n1, n2)))
