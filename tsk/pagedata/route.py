"""A trygghetsvandring's route as map data: its stops in walking order with their positions, and the
measures at its places with their status (issue 19: «the walk on the map»).

The positions are the store's (Store.places_reference: the configured places, the positions imported by
`python -m tsk import places`, the places created in review), so a walk is drawn where its places are.
A stop the store does not know (a place removed from the configuration since) is listed as «saknar
position», never guessed onto the ort. A place visited twice is two numbered stops: the route is the
order walked. No Streamlit and no SQL.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from tsk.i18n import t
from tsk.registers.statuses import WALK_DONE, WALK_PLANNED

STOP_COLUMNS = ["no", "name", "lat", "lon", "approximate"]
MEASURE_COLUMNS = ["place", "lat", "lon", "status", "measures"]


def walk_stops(route: Iterable[str], ort: str, places: pd.DataFrame
               ) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """(the stops with a position; the (number, name) of those without one). Stops are numbered 1… in
    walking order, the ones without a position included, so the map's numbers are the route's.
    `places`: ort, name, lat, lon, approximate (Store.places_reference)."""
    here = places[places["ort"] == ort].drop_duplicates("name").set_index("name")
    rows, missing = [], []
    for no, name in enumerate(route, start=1):
        if name in here.index and pd.notna(here.at[name, "lat"]) and pd.notna(here.at[name, "lon"]):
            rows.append((no, name, float(here.at[name, "lat"]), float(here.at[name, "lon"]),
                         bool(here.at[name, "approximate"])))
        else:
            missing.append((no, name))
    return pd.DataFrame(rows, columns=STOP_COLUMNS), missing


def walk_measures(measures: Iterable, ort: str, places: pd.DataFrame) -> pd.DataFrame:
    """The walk's measures at their places, counted per place and status (the description is free text
    and stays out). A measure about the whole ort or at a place without position is not drawn."""
    here = places[places["ort"] == ort].drop_duplicates("name").set_index("name")
    counts: dict[tuple[str, str], int] = {}
    for m in measures:
        if m.place and m.place in here.index and pd.notna(here.at[m.place, "lat"]):
            counts[(m.place, m.status)] = counts.get((m.place, m.status), 0) + 1
    rows = [(place, float(here.at[place, "lat"]), float(here.at[place, "lon"]), status, n)
            for (place, status), n in counts.items()]
    return pd.DataFrame(rows, columns=MEASURE_COLUMNS)


def route_walk(register: pd.DataFrame, areas: Iterable[str], today: date) -> int | None:
    """The walk whose route the candidate map shows: the next planned walk in the chosen areas, else the
    latest held one; None when there is neither. `register`: Store.walks()."""
    if register.empty:
        return None
    shown = register[register["area"].isin(list(areas))]
    dates = pd.to_datetime(shown["walk_date"]).dt.date
    planned = shown[(shown["status"] == WALK_PLANNED) & (dates >= today)]
    if not planned.empty:
        return int(planned.assign(d=dates).sort_values(["d", "walk_id"]).iloc[0]["walk_id"])
    held = shown[shown["status"] == WALK_DONE]
    if not held.empty:
        return int(held.assign(d=dates).sort_values(["d", "walk_id"]).iloc[-1]["walk_id"])
    return None


def stops_table(stops: pd.DataFrame, missing: list[tuple[int, str]]) -> pd.DataFrame:
    """The stop list beside the map (and its text alternative), in walking order: number, place, position."""
    rows = [(int(r.no), r.name, t("rt_approximate") if r.approximate else t("rt_exact")) for r in stops.itertuples()]
    rows += [(no, name, t("rt_missing")) for no, name in missing]
    return pd.DataFrame(sorted(rows), columns=[t("rt_col_no"), t("col_plats"), t("rt_col_position")])


@dataclass(frozen=True)
class WalkRoute:
    """One walk ready for the map, the stop list and the protocol's map sheet."""

    ort: str
    walk_date: date
    status: str
    stops: pd.DataFrame                 # STOP_COLUMNS
    missing: tuple[tuple[int, str], ...]
    measures: pd.DataFrame              # MEASURE_COLUMNS

    @property
    def planned(self) -> bool:
        return self.status == WALK_PLANNED

    @property
    def title(self) -> str:
        return t("rt_title", ort=self.ort, date=self.walk_date.isoformat(), status=self.status)


def walk_route(walk, measures: Iterable, places: pd.DataFrame) -> WalkRoute:
    """The route of a walk (tsk.registers.walks.Walk) and its measures, placed with the store's places."""
    stops, missing = walk_stops(walk.route, walk.ort, places)
    return WalkRoute(walk.ort, walk.walk_date, walk.status, stops, tuple(missing),
                     walk_measures(measures, walk.ort, places))


def protocol_with_route(walk, observations, measures, config, walked: WalkRoute,
                        areas: pd.DataFrame | None = None) -> bytes:
    """The walk protocol workbook (tsk.registers.protocol) with the «Karta» sheet: the stop list and the
    route's image, described for screen readers. Without a stop that has a position, the plain protocol."""
    from tsk.maps.route_image import route_png
    from tsk.registers import protocol

    if walked.stops.empty:
        return protocol.protocol_xlsx(walk, observations, measures, config)
    png = route_png(walked.stops, walked.measures, areas, title=walked.title, planned=walked.planned)
    alt = t("rt_image_alt", ort=walked.ort, date=walked.walk_date.isoformat(), n=len(walked.stops))
    return protocol.protocol_xlsx(walk, observations, measures, config,
                                  map_sheet=(stops_table(walked.stops, list(walked.missing)), png, alt))
