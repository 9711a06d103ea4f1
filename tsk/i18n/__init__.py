"""Every user-facing string, Swedish first. `t(key, **params)` renders one.

The catalogue is split by domain, one module each: `messages_errors` (configuration, database, whole
files, access), `messages_import` (rows, importers, backups, corrections, onboarding),
`messages_registers` (walk register and its page), `messages_report` (the yearly report),
`messages_pages` (the app's pages), `messages_scoring` (candidate scoring), `messages_charts`
(figures and maps) and `messages_veckorapport` (the weekly report written in the app) and `messages_arshjul` (the TSK årshjul) and `messages_dialog` (Träffpunkt's steps 2–4 and Samhällskris) and `messages_places` (places as real points, the `places` import). They are merged into `MESSAGES` here; a key defined in two modules is an error at
import (and in tests/test_architecture.py). A test checks that every key used in code exists.
`messages_basemap`: the configurable base map and the offline context layer ([map]); `messages_route`: a walk's route on the map.
`messages_events`: events on the map (hot-spot hexagons, the Lägesbild map's filters).
"""
from __future__ import annotations

from tsk.i18n import (
    messages_arshjul,
    messages_basemap,
    messages_charts,
    messages_dialog,
    messages_errors,
    messages_events,
    messages_import,
    messages_pages,
    messages_places,
    messages_registers,
    messages_report,
    messages_route,
    messages_scoring,
    messages_veckorapport,
)

CATALOGUES: dict[str, dict[str, str]] = {
    module.__name__.rsplit(".", 1)[-1]: module.MESSAGES
    for module in (messages_errors, messages_import, messages_registers, messages_report, messages_pages,
                   messages_scoring, messages_charts, messages_veckorapport, messages_arshjul, messages_dialog,
                   messages_basemap, messages_places, messages_route, messages_events)
}


def merge_catalogues(catalogues: dict[str, dict[str, str]]) -> dict[str, str]:
    """One dict of every message; ValueError naming the keys and modules when a key is defined twice."""
    merged: dict[str, str] = {}
    where: dict[str, str] = {}
    for name, catalogue in catalogues.items():
        twice = sorted(f"{key} ({where[key]}, {name})" for key in catalogue if key in where)
        if twice:
            raise ValueError(f"message keys defined in two modules: {', '.join(twice)}")
        merged.update(catalogue)
        where.update(dict.fromkeys(catalogue, name))
    return merged


MESSAGES: dict[str, str] = merge_catalogues(CATALOGUES)


def t(key: str, /, **params) -> str:
    """The Swedish text for `key`, with params filled in. Unknown keys show the key (and fail tests)."""
    template = MESSAGES.get(key, key)
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
