"""Matching of names in imported files to the configured gazetteer (area → ort → plats), categories
and organisations.

A name is accepted only when its normalised form equals a configured name or alias: a fuzzy guess
could put a report in the wrong village. Anything else raises RowProblem with the closest configured
names as suggestions (rapidfuzz), so the row can be corrected from quarantine.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from tsk.config import KommunConfig, Plats, ReportingUnit
from tsk.errors import RowProblem
from tsk.text import normalise_name, redact

SUGGESTION_CUTOFF = 60
SUGGESTION_LIMIT = 3


@dataclass(frozen=True)
class PlaceKey:
    """Where a row belongs. `ort` and `plats` may be None for area-level or ort-level rows. `written` is
    a place name the row gave that is no known place: the row is kept at ort (or area) level and the
    name goes to review, never to a guessed place."""

    area: str
    ort: str | None = None
    plats: str | None = None
    written: str | None = None


class _Index:
    """Normalised key -> canonical name, with fuzzy suggestions over the keys."""

    def __init__(self, pairs, abbreviations):
        self.abbr = abbreviations
        self.by_key: dict[str, str] = {}
        for alias, canonical in pairs:
            self.by_key.setdefault(normalise_name(alias, self.abbr), canonical)

    def get(self, name: str) -> str | None:
        return self.by_key.get(normalise_name(name, self.abbr))

    def suggest(self, name: str) -> list[str]:
        hits = process.extract(
            normalise_name(name, self.abbr), list(self.by_key), scorer=fuzz.WRatio,
            limit=SUGGESTION_LIMIT * 3, score_cutoff=SUGGESTION_CUTOFF,
        )
        out: list[str] = []
        for key, _score, _ in hits:
            canonical = self.by_key[key]
            if canonical not in out:
                out.append(canonical)
        return out[:SUGGESTION_LIMIT]


class _KeySearch:
    """The first of `keys` (in their order) that occurs in a padded text as `f" {key} " in padded`.

    Instead of testing every key, the text's runs of words are looked up: when `padded` is
    " " + x + " ", `f" {key} " in padded` holds exactly when `key` equals " ".join of a run of one or
    more consecutive items of x.split(" ") (every space of `padded` is a boundary between those items),
    so the keys found that way are the keys the scan would find, and the first in `keys`' order wins.
    Only runs that start with a key's first word are joined. Any other padded text (the kommun-name
    removal can leave a single space) is scanned key by key.
    """

    def __init__(self, keys: list[str]):
        self.keys = keys
        self.rank: dict[str, int] = {}
        for i, key in enumerate(keys):
            self.rank.setdefault(key, i)
        spans: dict[str, set[int]] = {}  # first word of a key -> the numbers of words of keys starting with it
        for key in self.rank:
            words = key.split(" ")
            spans.setdefault(words[0], set()).add(len(words))
        self.spans = {word: sorted(n) for word, n in spans.items()}

    def first(self, padded: str) -> int | None:
        """The index in `keys` of the first key found, or None."""
        if len(padded) < 2 or padded[0] != " " or padded[-1] != " ":
            return next((i for i, key in enumerate(self.keys) if f" {key} " in padded), None)
        words = padded[1:-1].split(" ")
        rank, best = self.rank, None
        for start, word in enumerate(words):
            spans = self.spans.get(word)
            if spans is None:
                continue
            for span in spans:
                if span == 1:
                    i = rank[word]
                elif start + span <= len(words):
                    i = rank.get(" ".join(words[start:start + span]))
                else:
                    break
                if i is not None and (best is None or i < best):
                    best = i
        return best


class Gazetteer:
    def __init__(self, config: KommunConfig):
        self.config = config
        abbr = config.abbreviations
        self.area_of_ort = {o.name: o.area for o in config.orter}
        self.areas = _Index([(a.name, a.name) for a in config.areas], abbr)
        self.orter = _Index(
            [(o.name, o.name) for o in config.orter] + [(al, o.name) for o in config.orter for al in o.aliases], abbr
        )
        # Places are keyed per ort: the same name ("Skolan") exists in several orter.
        # Grouped once: a scan of every place per ort made a region's config (thousands of each) take
        # most of a second per parse, paid by every in-app report.
        pairs_by_ort: dict[str, list[tuple[str, str]]] = {o.name: [] for o in config.orter}
        for p in config.platser:
            pairs_by_ort.setdefault(p.ort, []).append((p.name, p.name))
        for p in config.platser:
            pairs_by_ort[p.ort] += [(al, p.name) for al in p.aliases]
        self.places_by_ort: dict[str, _Index] = {o.name: _Index(pairs_by_ort[o.name], abbr) for o in config.orter}
        self.all_places = _Index(
            [(p.name, f"{p.name}, {p.ort}") for p in config.platser]
            + [(al, f"{p.name}, {p.ort}") for p in config.platser for al in p.aliases],
            abbr,
        )
        # Normalised plats name -> every "plats, ort" it may mean (a plats given without ort).
        self.place_homes: dict[str, set[str]] = {}
        for p in config.platser:
            for alias in (p.name, *p.aliases):
                self.place_homes.setdefault(normalise_name(alias, abbr), set()).add(f"{p.name}, {p.ort}")
        self.categories = _Index(
            [(c.key, c.key) for c in config.categories] + [(c.label, c.key) for c in config.categories]
            + [(al, c.key) for c in config.categories for al in c.aliases],
            abbr,
        )
        self.reporters = _Index(
            [(u.name, u.name) for u in config.reporting_units]
            + [(al, u.name) for u in config.reporting_units for al in u.aliases],
            abbr,
        )
        self.unit_organisation = {u.name: u.organisation for u in config.reporting_units}
        self.organisations = _Index(
            [(o.name, o.name) for o in config.organisations]
            + [(al, o.name) for o in config.organisations for al in o.aliases]
            + [(o.kind, o.name) for o in config.organisations],
            abbr,
        )
        # For names inside free text: the keys in the order the search tries them (longest first),
        # sorted once here rather than for every text.
        self._kommun_key = normalise_name(config.name)
        self._orter_longest_first = sorted(self.orter.by_key.items(), key=lambda kv: -len(kv[0]))
        self._places_longest_first = [
            (key, sorted(h.rsplit(", ", 1) for h in homes))
            for key, homes in sorted(self.place_homes.items(), key=lambda kv: -len(kv[0])) if len(key) >= 4
        ]
        self._ort_search = _KeySearch([key for key, _ in self._orter_longest_first])
        self._place_search = _KeySearch([key for key, _ in self._places_longest_first])

    # --- names inside free text ------------------------------------------------------------------
    def mentioned_ort(self, text: str) -> str | None:
        """The configured ort a free text names ("På länsväg 1582 i Byn …"), or None.

        The kommun's own name followed by "kommun" means the whole kommun, not the ort of that name.
        When several orter are named, the longest name wins (the most specific).
        """
        return self._mentioned_ort(normalise_name(text or "", self.config.abbreviations))

    def mentioned_place(self, text: str) -> tuple[str | None, str | None]:
        """(ort, plats) of the configured place a free text names, preferring the ort the text also
        names ("badplatsen i Byn"); (None, None) when it names none."""
        norm = normalise_name(text or "", self.config.abbreviations)
        hit = self._place_search.first(f" {norm} ")
        if hit is None:
            return None, None
        options = self._places_longest_first[hit][1]
        named_ort = self._mentioned_ort(norm)
        plats, ort = next(((p, o) for p, o in options if o == named_ort), options[0])
        return ort, plats

    def _mentioned_ort(self, norm: str) -> str | None:
        """mentioned_ort of a text already normalised (normalise_name with the abbreviations)."""
        padded = f" {norm} "
        kommun = self._kommun_key
        padded = padded.replace(f" {kommun} kommun ", " ").replace(f" {kommun}s kommun ", " ")
        hit = self._ort_search.first(padded)
        return None if hit is None else self._orter_longest_first[hit][1]

    # --- single names ---------------------------------------------------------------------------
    def ort(self, name: str) -> str:
        hit = self.orter.get(name)
        if hit is None:
            raise RowProblem("unknown_ort", suggestions=self.orter.suggest(name), name=name)
        return hit

    def category(self, name: str) -> str:
        hit = self.categories.get(name)
        if hit is None:
            raise RowProblem("unknown_category", suggestions=self.categories.suggest(name), name=name)
        return hit

    def organisation(self, name: str) -> str:
        hit = self.organisations.get(name)
        if hit is None:
            raise RowProblem("unknown_organisation", suggestions=self.organisations.suggest(name), name=name)
        return hit

    def area(self, name: str) -> str:
        hit = self.areas.get(name)
        if hit is None:
            raise RowProblem("unknown_area", suggestions=self.areas.suggest(name), name=name)
        return hit

    # --- a place key from whatever a row gives -----------------------------------------------------
    def resolve(self, *, area: str = "", ort: str = "", plats: str = "") -> PlaceKey:
        """Resolve the area/ort/plats fields of a row into a PlaceKey.

        An ort (or an area) is needed unless the plats name is unique in the whole gazetteer. A
        given area must agree with the ort's area.
        """
        area, ort, plats = (str(x or "").strip() for x in (area, ort, plats))
        ort_name = None
        if ort:
            ort_name = self.orter.get(ort)
            if ort_name is None:
                # Residents often answer "where do you live" with the area's name.
                if not area and self.areas.get(ort):
                    return self._in_area(self.areas.get(ort), plats)
                raise RowProblem("unknown_ort", suggestions=self.orter.suggest(ort), name=ort)
        area_name = None
        if area:
            area_name = self.areas.get(area)
            if area_name is None:
                if not ort_name and self.orter.get(area):  # an ort given in the area column
                    ort_name = self.orter.get(area)
                else:
                    raise RowProblem("unknown_area", suggestions=self.areas.suggest(area), name=area)
        if ort_name:
            ort_area = self.area_of_ort[ort_name]
            if area_name and area_name != ort_area:
                raise RowProblem("area_ort_mismatch", ort=ort_name, area=area_name, expected=ort_area)
            area_name = ort_area
        if plats:
            if ort_name:
                hit = self.places_by_ort[ort_name].get(plats)
                if hit is None:  # a place typed freely: kept at ort level, the name goes to review
                    return PlaceKey(area_name, ort_name, None, plats)
                return PlaceKey(area_name, ort_name, hit)
            if area_name:
                return self._in_area(area_name, plats)
            hits = self.place_homes.get(normalise_name(plats, self.config.abbreviations), set())
            if len(hits) == 1:
                name, ort_of = next(iter(hits)).rsplit(", ", 1)
                ort_area = self.area_of_ort[ort_of]
                if area_name and area_name != ort_area:
                    raise RowProblem("area_ort_mismatch", ort=ort_of, area=area_name, expected=ort_area)
                return PlaceKey(ort_area, ort_of, name)
            if not hits:
                raise RowProblem("unknown_plats_no_ort", suggestions=self.all_places.suggest(plats), name=plats)
            raise RowProblem("ambiguous_plats", suggestions=sorted(hits), name=plats)
        if area_name:
            return PlaceKey(area_name, ort_name)
        raise RowProblem("missing_place")

    def _in_area(self, area: str, plats: str) -> PlaceKey:
        """A row placed by its area: at the place of that name when exactly one in the area has it, else
        at area level with the name kept for review."""
        if not plats:
            return PlaceKey(area)
        homes = [h.rsplit(", ", 1) for h in self.place_homes.get(normalise_name(plats, self.config.abbreviations), ())]
        inside = [(p, o) for p, o in homes if self.area_of_ort[o] == area]
        if len(inside) == 1:
            return PlaceKey(area, inside[0][1], inside[0][0])
        return PlaceKey(area, None, None, plats)

    # --- reporters ------------------------------------------------------------------------------
    def reporter(self, name: str) -> tuple[str, str | None]:
        """(reporting unit, its organisation) for a reporter cell. Without configured reporting units
        the cell is the unit (redacted) and the organisation comes from the file; with them, an unknown
        reporter is a RowProblem (review), never a default organisation."""
        if not self.config.reporting_units:
            return redact(name), None
        hit = self.reporters.get(name)
        if hit is None:
            raise RowProblem("unknown_reporter", suggestions=self.reporters.suggest(name), name=redact(name))
        return hit, self.unit_organisation[hit]


def with_decisions(config: KommunConfig, decisions, positions=None) -> KommunConfig:
    """The configuration with the review decisions stored in the store (Store.review_decisions records)
    added: ort aliases, place aliases, created places (approximate) and reporters assigned to units.
    "keep at ort level" needs nothing: the name stays unplaced. `positions` (Store.place_positions
    records: ort, name, lat, lon), the places' points from the kommun's GIS layer, then replace the
    configured or approximate positions, no longer approximate."""
    decisions = [d for d in (decisions or []) if d.get("target")]
    if not decisions:
        return with_positions(config, positions)
    orter, platser, units = list(config.orter), list(config.platser), list(config.reporting_units)
    ort_index = {o.name: i for i, o in enumerate(orter)}
    for d in decisions:
        if d["kind"] == "ort" and d["target"] in ort_index:
            i = ort_index[d["target"]]
            orter[i] = replace(orter[i], aliases=orter[i].aliases + (d["name"],))
        elif d["kind"] == "place" and d["ort"] in ort_index:
            at = next((i for i, p in enumerate(platser) if p.ort == d["ort"] and p.name == d["target"]), None)
            if at is None and d["action"] == "create":
                o = orter[ort_index[d["ort"]]]
                lat, lon = d.get("lat"), d.get("lon")
                platser.append(Plats(d["target"], d["ort"], o.lat if lat is None or lat != lat else float(lat),
                                     o.lon if lon is None or lon != lon else float(lon), approximate=True))
                at = len(platser) - 1
            if at is not None and normalise_name(d["name"]) != normalise_name(platser[at].name):
                platser[at] = replace(platser[at], aliases=platser[at].aliases + (d["name"],))
        elif d["kind"] == "reporter":
            at = next((i for i, u in enumerate(units) if u.name == d["target"]), None)
            if at is None:
                units.append(ReportingUnit(d["target"], d.get("organisation") or "", (d["name"],)))
            else:
                units[at] = replace(units[at], aliases=units[at].aliases + (d["name"],))
    return with_positions(replace(config, orter=tuple(orter), platser=tuple(platser), reporting_units=tuple(units)),
                          positions)


def with_positions(config: KommunConfig, positions) -> KommunConfig:
    """The configuration with stored place positions (records: ort, name, lat, lon) on its places, which
    are then no longer approximate; positions of places it does not have are left out."""
    at = {(p["ort"], p["name"]): (float(p["lat"]), float(p["lon"])) for p in (positions or [])}
    if not at:
        return config
    platser = tuple(replace(p, lat=at[(p.ort, p.name)][0], lon=at[(p.ort, p.name)][1], approximate=False)
                    if (p.ort, p.name) in at else p for p in config.platser)
    return replace(config, platser=platser)
